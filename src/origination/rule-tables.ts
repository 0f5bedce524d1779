import { type ZenDecision, ZenEngine } from '@gorules/zen-engine';
import type { JdmGraph } from './types.js';

/**
 * What the graphs that give one answer per case share — collection strategies, line controls, limit reviews:
 * a JDM graph whose decision tables use the `first` hit policy and give named outputs, each rule's cells
 * checked by the area; loaded into the rules engine, and evaluated with the engine's failure turned into the
 * area's error. Each area keeps its own error class, outputs and what a cell may hold.
 */

export interface RuleTableIssue {
  readonly path: string;
  readonly message: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A table cell's value without its quotes: `"freeze"` → freeze. */
export const unquoteCell = (cell: unknown): unknown =>
  typeof cell === 'string' ? cell.trim().replace(/^"(.*)"$/, '$1') : cell;

/** One rule of a table, with its cells found by output field. */
export interface RuleCells {
  /** The rule's path, e.g. `graphs.lineControls.nodes[1].content.rules[3]`. */
  readonly path: string;
  /** The output column's id, or undefined when the table has no such output. */
  idOf(field: string): string | undefined;
  /** The raw cell of an output, or undefined. */
  cell(field: string): unknown;
}

export interface RuleTableSpec {
  /** The first words of the error for a table that breaks the spec: "the line controls are invalid". */
  readonly invalid: string;
  /** The outputs every table must give. */
  readonly outputs: readonly string[];
  /** The message when the graph holds no decision table. */
  readonly noTable: string;
  /** What one table gives, for the hit-policy message: "a line-control table gives one action". */
  readonly onePerHit: string;
  /** Checks one rule's cells; pushes what is wrong. */
  readonly checkRule: (rule: RuleCells, issues: RuleTableIssue[]) => void;
}

/**
 * Checks a graph against `spec` and loads it. `fail` raises the area's error with the first message and every
 * issue; it is called when the graph is not JDM, when a table breaks the spec, and when the engine refuses it.
 */
export function compileRuleTables(
  graph: unknown,
  path: string,
  spec: RuleTableSpec,
  fail: (message: string, issues: readonly RuleTableIssue[]) => never,
): { readonly graph: JdmGraph; readonly decision: ZenDecision } {
  if (!isObj(graph) || !Array.isArray(graph.nodes) || !Array.isArray(graph.edges)) {
    fail(`${path} must be a JDM decision graph`, [
      { path, message: 'must be a JDM decision graph: { "nodes": [...], "edges": [...] }' },
    ]);
  }
  const issues: RuleTableIssue[] = [];
  const nodes = graph.nodes as unknown[];
  if (!nodes.some((n) => isObj(n) && n.type === 'decisionTableNode'))
    issues.push({ path: `${path}.nodes`, message: spec.noTable });
  nodes.forEach((node, n) => {
    if (!isObj(node) || node.type !== 'decisionTableNode') return;
    const np = `${path}.nodes[${n}]`;
    const content = isObj(node.content) ? node.content : {};
    if (content.hitPolicy !== 'first')
      issues.push({
        path: `${np}.content.hitPolicy`,
        message: `is ${JSON.stringify(content.hitPolicy)}; ${spec.onePerHit}: use "first"`,
      });
    const outputs = Array.isArray(content.outputs) ? (content.outputs as Obj[]) : [];
    for (const need of spec.outputs)
      if (!outputs.some((o) => o.field === need))
        issues.push({ path: `${np}.content.outputs`, message: `has no "${need}" output; add it` });
    const idOf = (field: string) => {
      const id = outputs.find((o) => o.field === field)?.id;
      return id === undefined ? undefined : String(id);
    };
    const rules = Array.isArray(content.rules) ? (content.rules as unknown[]) : [];
    rules.forEach((rule, r) => {
      if (!isObj(rule)) return;
      spec.checkRule(
        {
          path: `${np}.content.rules[${r}]`,
          idOf,
          cell: (field) => {
            const id = idOf(field);
            return id === undefined ? undefined : rule[id];
          },
        },
        issues,
      );
    });
  });
  if (issues.length > 0) fail(`${spec.invalid}: ${issues[0]!.path} ${issues[0]!.message}`, issues);
  let decision: ZenDecision;
  try {
    decision = new ZenEngine().createDecision(graph as object);
    decision.validate();
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    fail(`${path} is refused by the rules engine: ${message}`, [
      { path, message: `is refused by the rules engine: ${message}` },
    ]);
  }
  return { graph: graph as unknown as JdmGraph, decision };
}

/**
 * Evaluates a loaded graph on `facts`: the result object, or undefined when no rule fired. The engine's failure
 * becomes `fail(message)` (its first line).
 */
export async function evaluateRuleTables(
  decision: ZenDecision,
  facts: object,
  fail: (message: string) => never,
): Promise<Record<string, unknown> | undefined> {
  let result: unknown;
  try {
    result = (await decision.evaluate(facts)).result;
  } catch (error) {
    fail(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
  return isObj(result) && result.action !== undefined ? result : undefined;
}
