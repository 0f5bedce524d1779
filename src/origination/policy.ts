import {
  evaluateExpressionSync,
  evaluateUnaryExpressionSync,
  type ZenDecision,
  ZenEngine,
} from '@gorules/zen-engine';
import { OriginationError } from './errors.js';
import { canonicalJson, sha256Hex } from './record.js';
import {
  type ChallengerSettings,
  type CompiledPolicyHandle,
  type FieldIssue,
  type FiredRule,
  type FraudSettings,
  type JdmGraph,
  type JsonValue,
  POLICY_GRAPH_NAMES,
  type PolicyDocument,
  type PolicyGraphName,
  type PolicyRef,
  type PolicySettings,
} from './types.js';

export const POLICY_FORMAT = 'lendguard.policy';
/** The optional graph of a policy holding the credit-line controls (monitoring/line-controls.ts). */
export const LINE_CONTROLS_GRAPH = 'lineControls';
/** Optional graph of the monthly limit review (动态额度), checked in full by monitoring's compileLimitReview. */
export const LIMIT_REVIEW_GRAPH = 'limitReview';
export const POLICY_FORMAT_VERSION = 1;
/** Longest term a line's drawdown may have (domain.md §1: up to 24 months). */
export const TERM_MAX_MONTHS = 24;
/** The highest APR cap a policy may set: 24% (domain.md §1: above 24% is barred). */
export const APR_CAP_CEILING = '0.24';

interface TableNode {
  readonly id: string;
  readonly name: string;
  readonly hitPolicy: 'first' | 'collect';
  /** Input column id → the field it reads. */
  readonly fieldById: ReadonlyMap<string, string>;
}

interface LoadedGraph {
  readonly decision: ZenDecision;
  readonly tables: ReadonlyMap<string, TableNode>;
}

/** Several flat graphs loaded as one: each table writes under its graph's name (`outputPath`). */
interface LoadedStage {
  readonly names: readonly PolicyGraphName[];
  readonly decision: ZenDecision;
  /** Combined node id → the graph and table it came from. */
  readonly tables: ReadonlyMap<string, { readonly graph: PolicyGraphName; readonly table: TableNode }>;
}

/** A policy checked and loaded into the rules engine, ready to evaluate. */
export interface CompiledPolicy extends CompiledPolicyHandle {
  /** @internal the loaded graphs and their decision tables. */
  readonly graphs: ReadonlyMap<PolicyGraphName, LoadedGraph>;
  /** @internal graphs evaluated together in one engine call, keyed by their names joined with "+". */
  readonly stages: ReadonlyMap<string, LoadedStage>;
  /** @internal evaluations kept by the exact facts their graphs read (withEvaluationMemo); none by default. */
  readonly memo?: EvaluationMemo;
}

/** Graphs evaluated in one call when they are all flat; limits and pricing need the risk grade of cutoffs. */
export const POLICY_STAGES: readonly (readonly PolicyGraphName[])[] = [
  ['knockout', 'cutoffs', 'referral'],
  ['limits', 'pricing'],
];

export interface GraphEvaluation {
  readonly result: unknown;
  readonly fired: readonly FiredRule[];
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(o: Obj, path: string, known: readonly string[], issues: FieldIssue[]): void {
  for (const k of Object.keys(o))
    if (!known.includes(k))
      issues.push({
        path: `${path}.${k}`,
        message: `is not a setting; remove it (known: ${known.join(', ')})`,
        key: 'policy_unknown_setting',
        params: { known: known.join(', ') },
      });
}

function number(
  o: Obj,
  key: string,
  path: string,
  issues: FieldIssue[],
  min: number,
  max: number,
  integer = false,
): number {
  const v = o[key];
  if (
    typeof v !== 'number' ||
    !Number.isFinite(v) ||
    v < min ||
    v > max ||
    (integer && !Number.isInteger(v))
  ) {
    issues.push({
      path: `${path}.${key}`,
      message: `${v === undefined ? 'is required' : `is ${JSON.stringify(v)}`}; give ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`,
      key: integer ? 'policy_whole_number' : 'policy_number',
      params: { got: v === undefined ? '—' : (JSON.stringify(v) ?? ''), min, max },
    });
    return min;
  }
  return v;
}

function parseFraud(v: unknown, issues: FieldIssue[]): FraudSettings {
  const p = 'settings.fraud';
  if (!isObj(v)) {
    issues.push({
      path: p,
      message: 'is required: the thresholds of the 强开 detectors',
      key: 'policy_fraud_required',
    });
    return {} as FraudSettings;
  }
  const keys = [
    'sharedWindow_days',
    'sharedDeviceApplicantsMax',
    'sharedIpApplicantsMax',
    'sharedSimApplicantsMax',
    'burstWindow_minutes',
    'burstApplicationsMax',
    'sharedContactApplicantsMax',
    'velocityWindow_hours',
    'velocityApplicationsMax',
    'retryWindow_days',
    'retryIncomeChangeMax',
  ];
  checkKeys(v, p, keys, issues);
  return {
    sharedWindow_days: number(v, 'sharedWindow_days', p, issues, 1, 365, true),
    sharedDeviceApplicantsMax: number(v, 'sharedDeviceApplicantsMax', p, issues, 0, 1000, true),
    sharedIpApplicantsMax: number(v, 'sharedIpApplicantsMax', p, issues, 0, 100_000, true),
    sharedSimApplicantsMax: number(v, 'sharedSimApplicantsMax', p, issues, 0, 1000, true),
    burstWindow_minutes: number(v, 'burstWindow_minutes', p, issues, 1, 1440, true),
    burstApplicationsMax: number(v, 'burstApplicationsMax', p, issues, 1, 100_000, true),
    sharedContactApplicantsMax: number(v, 'sharedContactApplicantsMax', p, issues, 0, 1000, true),
    velocityWindow_hours: number(v, 'velocityWindow_hours', p, issues, 1, 24 * 365, true),
    velocityApplicationsMax: number(v, 'velocityApplicationsMax', p, issues, 1, 1000, true),
    retryWindow_days: number(v, 'retryWindow_days', p, issues, 1, 365, true),
    retryIncomeChangeMax: number(v, 'retryIncomeChangeMax', p, issues, 0, 10),
  };
}

function parseChallenger(v: unknown, issues: FieldIssue[]): ChallengerSettings {
  const p = 'settings.challenger';
  if (!isObj(v)) {
    issues.push({
      path: p,
      message: 'is required: { "mode": "off" | "shadow" | "split", "share": 0..1 }',
      key: 'policy_challenger_required',
    });
    return { mode: 'off', share: 0 };
  }
  checkKeys(v, p, ['mode', 'share'], issues);
  if (v.mode !== 'off' && v.mode !== 'shadow' && v.mode !== 'split')
    issues.push({
      path: `${p}.mode`,
      message: `is ${JSON.stringify(v.mode)}; give "off", "shadow" or "split"`,
      key: 'policy_challenger_mode',
      params: { got: JSON.stringify(v.mode) ?? '' },
    });
  return {
    mode: (v.mode as ChallengerSettings['mode']) ?? 'off',
    share: number(v, 'share', p, issues, 0, 1),
  };
}

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

function parseSettings(v: unknown, issues: FieldIssue[]): PolicySettings {
  const p = 'settings';
  if (!isObj(v)) {
    issues.push({ path: p, message: 'is required', key: 'policy_required' });
    return {} as PolicySettings;
  }
  checkKeys(
    v,
    p,
    [
      'productId',
      'aprCap',
      'termOptions_months',
      'invitationRequired',
      'businessStatementsAbove_fen',
      'incomeMultipleMax',
      'limitStep_fen',
      'limitMin_fen',
      'limitMax_fen',
      'reasonCount',
      'fraud',
      'challenger',
    ],
    issues,
  );
  if (typeof v.productId !== 'string' || v.productId === '')
    issues.push({
      path: `${p}.productId`,
      message: 'is required: the product a line opens under',
      key: 'policy_product_required',
    });
  const aprCap = v.aprCap;
  if (
    typeof aprCap !== 'string' ||
    !DECIMAL.test(aprCap) ||
    Number(aprCap) <= 0 ||
    Number(aprCap) > Number(APR_CAP_CEILING)
  )
    issues.push({
      path: `${p}.aprCap`,
      message: `is ${JSON.stringify(aprCap)}; give a decimal string above 0 and at most "${APR_CAP_CEILING}" (24% is the supervisory ceiling)`,
      key: 'policy_apr_cap',
      params: { got: JSON.stringify(aprCap) ?? '—', ceiling: APR_CAP_CEILING },
    });
  const terms = v.termOptions_months;
  if (
    !Array.isArray(terms) ||
    terms.length === 0 ||
    !terms.every((t) => Number.isInteger(t) && t >= 1 && t <= TERM_MAX_MONTHS)
  )
    issues.push({
      path: `${p}.termOptions_months`,
      message: `must be a non-empty list of whole months from 1 to ${TERM_MAX_MONTHS}, e.g. [3, 6, 12]`,
      key: 'policy_term_options',
      params: { max: TERM_MAX_MONTHS },
    });
  if (typeof v.invitationRequired !== 'boolean')
    issues.push({ path: `${p}.invitationRequired`, message: 'must be true or false', key: 'policy_boolean' });
  const settings: PolicySettings = {
    productId: String(v.productId),
    aprCap: String(aprCap),
    termOptions_months: Array.isArray(terms) ? [...(terms as number[])].sort((a, b) => a - b) : [],
    invitationRequired: v.invitationRequired === true,
    businessStatementsAbove_fen: number(v, 'businessStatementsAbove_fen', p, issues, 0, 1e12, true),
    incomeMultipleMax: number(v, 'incomeMultipleMax', p, issues, 0, 100),
    limitStep_fen: number(v, 'limitStep_fen', p, issues, 1, 1e8, true),
    limitMin_fen: number(v, 'limitMin_fen', p, issues, 0, 1e12, true),
    limitMax_fen: number(v, 'limitMax_fen', p, issues, 1, 1e12, true),
    reasonCount: number(v, 'reasonCount', p, issues, 0, 20, true),
    fraud: parseFraud(v.fraud, issues),
    challenger: parseChallenger(v.challenger, issues),
  };
  if (settings.limitMin_fen > settings.limitMax_fen)
    issues.push({
      path: `${p}.limitMin_fen`,
      message: 'must not be above limitMax_fen',
      key: 'policy_limit_order',
    });
  return settings;
}

function parseErrorOf(error: unknown): string | undefined {
  const text = error instanceof Error ? error.message : String(error);
  const match = /"type":"parserError","source":"([^"]*)"/.exec(text);
  return match ? match[1] : undefined;
}

/** Finds the decision tables of a graph and checks each cell parses (a broken cell would never match). */
function checkGraph(name: PolicyGraphName, graph: unknown, issues: FieldIssue[]): void {
  const p = `graphs.${name}`;
  if (!isObj(graph) || !Array.isArray(graph.nodes) || !Array.isArray(graph.edges)) {
    issues.push({
      path: p,
      message: 'must be a JDM decision graph: { "nodes": [...], "edges": [...] }',
      key: 'policy_graph_form',
    });
    return;
  }
  graph.nodes.forEach((node: unknown, n: number) => {
    if (!isObj(node) || node.type !== 'decisionTableNode') return;
    const content = node.content;
    const np = `${p}.nodes[${n}]`;
    if (
      !isObj(content) ||
      !Array.isArray(content.rules) ||
      !Array.isArray(content.inputs) ||
      !Array.isArray(content.outputs)
    ) {
      issues.push({
        path: `${np}.content`,
        message: 'a decision table needs inputs, outputs and rules',
        key: 'policy_table_form',
      });
      return;
    }
    if (content.hitPolicy !== 'first' && content.hitPolicy !== 'collect')
      issues.push({
        path: `${np}.content.hitPolicy`,
        message: 'must be "first" or "collect"',
        key: 'policy_hit_policy',
      });
    const inputIds = new Set(content.inputs.map((i) => (isObj(i) ? i.id : undefined)));
    content.rules.forEach((rule: unknown, r: number) => {
      if (!isObj(rule)) return;
      for (const [column, cell] of Object.entries(rule)) {
        if (column === '_id' || column === '_description' || typeof cell !== 'string' || cell.trim() === '')
          continue;
        let problem: string | undefined;
        try {
          if (inputIds.has(column)) evaluateUnaryExpressionSync(cell, { $: 0 });
          else evaluateExpressionSync(cell, {});
        } catch (error) {
          problem = parseErrorOf(error);
        }
        if (problem !== undefined)
          issues.push({
            path: `${np}.content.rules[${r}].${column}`,
            message: `the expression ${JSON.stringify(cell)} does not parse (${problem}); fix its syntax`,
            key: 'policy_expression',
            params: { expression: JSON.stringify(cell), problem },
          });
      }
    });
  });
}

/** Checks a policy document (format, settings ranges, the five graphs present); issues name each bad field. */
export function parsePolicy(raw: unknown): PolicyDocument {
  const issues: FieldIssue[] = [];
  if (!isObj(raw))
    throw new OriginationError('policy_invalid', 'a policy must be a JSON object', [
      { path: '(document)', message: 'must be an object', key: 'policy_not_object' },
    ]);
  if (raw.format !== POLICY_FORMAT)
    issues.push({
      path: 'format',
      message: `is ${JSON.stringify(raw.format)}; a policy has "format": "${POLICY_FORMAT}"`,
      key: 'policy_format',
      params: { got: JSON.stringify(raw.format) ?? '—', format: POLICY_FORMAT },
    });
  if (raw.formatVersion !== POLICY_FORMAT_VERSION)
    issues.push({
      path: 'formatVersion',
      message: `is ${JSON.stringify(raw.formatVersion)}; this version reads format version ${POLICY_FORMAT_VERSION}`,
      key: 'policy_format_version',
      params: { got: JSON.stringify(raw.formatVersion) ?? '—', version: POLICY_FORMAT_VERSION },
    });
  checkKeys(
    raw,
    '',
    ['format', 'formatVersion', 'policyId', 'version', 'description', 'settings', 'graphs'],
    issues,
  );
  for (const key of ['policyId', 'version'] as const)
    if (typeof raw[key] !== 'string' || raw[key] === '')
      issues.push({ path: key, message: 'is required: a non-empty text', key: 'text_required' });
  parseSettings(raw.settings, issues);
  const graphs = raw.graphs;
  if (!isObj(graphs))
    issues.push({
      path: 'graphs',
      message: `is required: one graph for each of ${POLICY_GRAPH_NAMES.join(', ')}`,
      key: 'policy_graphs_required',
      params: { names: POLICY_GRAPH_NAMES.join(', ') },
    });
  else {
    checkKeys(graphs, 'graphs', [...POLICY_GRAPH_NAMES, LINE_CONTROLS_GRAPH, LIMIT_REVIEW_GRAPH], issues);
    for (const name of POLICY_GRAPH_NAMES) checkGraph(name, graphs[name], issues);
    // Optional: the line controls, checked in full by monitoring's compileLineControls.
    if (graphs[LINE_CONTROLS_GRAPH] !== undefined)
      checkGraph(LINE_CONTROLS_GRAPH as PolicyGraphName, graphs[LINE_CONTROLS_GRAPH], issues);
    if (graphs[LIMIT_REVIEW_GRAPH] !== undefined)
      checkGraph(LIMIT_REVIEW_GRAPH as PolicyGraphName, graphs[LIMIT_REVIEW_GRAPH], issues);
  }
  if (issues.length > 0) {
    const first = issues[0]!;
    throw new OriginationError(
      'policy_invalid',
      `the policy is invalid: ${first.path.replace(/^\./, '')} ${first.message}`,
      issues,
    );
  }
  const settings = parseSettings(raw.settings, []);
  return {
    ...(raw as unknown as PolicyDocument),
    description: typeof raw.description === 'string' ? raw.description : '',
    settings,
  };
}

/** Id, version and sha256 of the canonical JSON of a policy document. */
export function policyRef(document: PolicyDocument): PolicyRef {
  return {
    policyId: document.policyId,
    version: document.version,
    documentHash: sha256Hex(canonicalJson(document)),
  };
}

function tablesOf(graph: JdmGraph): Map<string, TableNode> {
  const tables = new Map<string, TableNode>();
  for (const node of graph.nodes) {
    if (node.type !== 'decisionTableNode') continue;
    const content = node.content as {
      hitPolicy: 'first' | 'collect';
      inputs: { id: string; field: string }[];
    };
    tables.set(String(node.id), {
      id: String(node.id),
      name: String(node.name),
      hitPolicy: content.hitPolicy,
      fieldById: new Map(content.inputs.map((i) => [i.id, i.field])),
    });
  }
  return tables;
}

/**
 * A graph is flat when it holds only its input, its output and decision tables wired input → table → output:
 * its tables can then run side by side with another flat graph's in one engine call.
 */
function isFlat(graph: JdmGraph): boolean {
  const types = new Map(graph.nodes.map((n) => [String(n.id), String(n.type)]));
  const kinds = [...types.values()];
  if (
    kinds.filter((t) => t === 'inputNode').length !== 1 ||
    kinds.filter((t) => t === 'outputNode').length !== 1
  )
    return false;
  if (!kinds.every((t) => t === 'inputNode' || t === 'outputNode' || t === 'decisionTableNode')) return false;
  return graph.edges.every((e) => {
    const from = types.get(String(e.sourceId));
    const to = types.get(String(e.targetId));
    return (
      (from === 'inputNode' && to === 'decisionTableNode') ||
      (from === 'decisionTableNode' && to === 'outputNode')
    );
  });
}

function stageOf(
  engine: ZenEngine,
  document: PolicyDocument,
  names: readonly PolicyGraphName[],
): LoadedStage {
  const nodes: { [k: string]: JsonValue }[] = [
    { id: 'request', type: 'inputNode', name: 'Request', position: { x: 0, y: 0 } },
    { id: 'response', type: 'outputNode', name: 'Response', position: { x: 0, y: 0 } },
  ];
  const edges: { [k: string]: JsonValue }[] = [];
  const tables = new Map<string, { graph: PolicyGraphName; table: TableNode }>();
  for (const name of names) {
    const graphTables = tablesOf(document.graphs[name]);
    for (const node of document.graphs[name].nodes) {
      if (node.type !== 'decisionTableNode') continue;
      const id = `${name}/${String(node.id)}`;
      nodes.push({
        ...node,
        id,
        content: { ...(node.content as { [k: string]: JsonValue }), outputPath: name },
      });
      edges.push(
        { id: `request>${id}`, sourceId: 'request', targetId: id, type: 'edge' },
        { id: `${id}>response`, sourceId: id, targetId: 'response', type: 'edge' },
      );
      tables.set(id, { graph: name, table: graphTables.get(String(node.id))! });
    }
  }
  const decision = engine.createDecision({ nodes, edges });
  decision.validate();
  return { names, decision, tables };
}

/** Loads the graphs into the rules engine once; the result is reused for every decision. */
export function compilePolicy(document: PolicyDocument): CompiledPolicy {
  const engine = new ZenEngine();
  const graphs = new Map<PolicyGraphName, LoadedGraph>();
  for (const name of POLICY_GRAPH_NAMES) {
    const graph = document.graphs[name];
    let decision: ZenDecision;
    try {
      decision = engine.createDecision(graph as object);
      decision.validate();
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      throw new OriginationError(
        'policy_invalid',
        `the ${name} graph is refused by the rules engine: ${message}`,
        [
          {
            path: `graphs.${name}`,
            message: `is refused by the rules engine: ${message}`,
            key: 'policy_engine_refused',
            params: { reason: message },
          },
        ],
      );
    }
    graphs.set(name, { decision, tables: tablesOf(graph) });
  }
  const stages = new Map<string, LoadedStage>();
  for (const names of POLICY_STAGES)
    if (names.every((n) => isFlat(document.graphs[n])))
      stages.set(names.join('+'), stageOf(engine, document, names));
  return { document, ref: policyRef(document), graphs, stages };
}

interface TraceHit {
  readonly rule?: Record<string, string>;
  readonly reference_map?: Record<string, JsonValue>;
}

/** The fired rules of one table node's trace, each with the values its conditions read and what it gave. */
function firedOf(graph: PolicyGraphName, table: TableNode, traceData: unknown, output: unknown): FiredRule[] {
  const hits: TraceHit[] = Array.isArray(traceData)
    ? traceData
    : isObj(traceData)
      ? [traceData as TraceHit]
      : [];
  const outputs: unknown[] = Array.isArray(output) ? output : [output];
  return hits
    .filter((h) => h.rule !== undefined)
    .map((hit, k) => {
      const values: Record<string, JsonValue> = {};
      for (const [key, cell] of Object.entries(hit.rule!)) {
        const match = /^(.*)\[([^\]]+)\]$/.exec(key);
        if (!match || cell.trim() === '') continue;
        const field = table.fieldById.get(match[2]!) ?? match[1]!;
        values[field] = hit.reference_map?.[field] ?? null;
      }
      const out = (isObj(outputs[k]) ? outputs[k] : {}) as Record<string, JsonValue>;
      const code = out.code;
      return {
        graph,
        table: table.name,
        ruleId: typeof code === 'string' ? code : String(hit.rule!._id ?? k),
        values,
        outputs: out,
      };
    });
}

/**
 * The engine's trace as JSON text: turning it into JS objects inside the native call (`trace: true`) cost
 * about twice the evaluation itself, mostly for copies of the input at every node that are never read.
 */
const TRACE_AS_TEXT = { trace: 'string' } as const;

interface TableTrace {
  id: string;
  order: number;
  output: unknown;
  traceData: unknown;
}

/** Objects with their keys in sorted order at every level, as the engine gives them with `trace: true`. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isObj(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortedKeys(value[key]);
  return out;
}

/**
 * The traces of one evaluation in node order (ties by node id), with the parts read here — each table's
 * output and hits — exactly as `trace: true` gives them (keys sorted), so fired rules and their values come
 * out in the same order either way.
 */
function tracesOf(trace: unknown, tables: ReadonlyMap<string, unknown>): TableTrace[] {
  const all = (typeof trace === 'string' ? JSON.parse(trace) : (trace ?? {})) as Record<
    string,
    { id: string; order: number; output: unknown; traceData?: unknown }
  >;
  // Only the tables' traces are read: the input and output nodes (a copy of all the facts) are not sorted.
  return Object.values(all)
    .filter((t) => tables.has(t.id))
    .map((t) => ({
      id: t.id,
      order: t.order,
      output: sortedKeys(t.output),
      traceData: sortedKeys(t.traceData),
    }))
    .sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function engineFailure(what: string, error: unknown): OriginationError {
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return new OriginationError('policy_evaluation_failed', `the ${what} failed to evaluate: ${message}`);
}

/**
 * Evaluates several graphs on the same facts: in one engine call when they were loaded as a stage (all flat),
 * else one call each, side by side. Same results and fired rules either way.
 */
export async function evaluateGraphs(
  policy: CompiledPolicy,
  names: readonly PolicyGraphName[],
  facts: object,
): Promise<Record<PolicyGraphName, GraphEvaluation>> {
  const out = {} as Record<PolicyGraphName, GraphEvaluation>;
  const keys = policy.memo === undefined ? null : memoKeys(policy.memo, names, facts);
  if (keys !== null) {
    const missing: number[] = [];
    for (let i = 0; i < names.length; i += 1) {
      const kept = policy.memo!.answers.get(keys[i]!);
      if (kept === undefined) missing.push(i);
      else out[names[i]!] = kept;
    }
    if (missing.length === 0) return out;
    if (missing.length < names.length && missing.every((i) => aloneAsInStage(policy, names[i]!))) {
      // Some kept: only the others are evaluated, each alone on the facts it reads (the same evaluation as in
      // the stage, at a fraction of its cost: the knock-outs read exact income ratios and miss most often).
      const results = await Promise.all(
        missing.map((i) => evaluateGraph(policy, names[i]!, factsRead(policy.memo!, [names[i]!], facts))),
      );
      missing.forEach((i, k) => {
        out[names[i]!] = results[k]!;
      });
      return remembered(policy.memo, keys, names, out);
    }
  }
  // Kept or not, an evaluation the memo can key reads only the paths in its key: the engine is given only those.
  const input = keys === null ? facts : factsRead(policy.memo!, names, facts);
  const stage = policy.stages.get(names.join('+'));
  if (!stage) {
    const results = await Promise.all(names.map((n) => evaluateGraph(policy, n, input)));
    names.forEach((n, i) => {
      out[n] = results[i]!;
    });
    return remembered(policy.memo, keys, names, out);
  }
  let response: Awaited<ReturnType<ZenDecision['evaluate']>>;
  try {
    response = await stage.decision.evaluate(input, TRACE_AS_TEXT);
  } catch (error) {
    throw engineFailure(`${names.join(', ')} graphs`, error);
  }
  const fired = new Map<PolicyGraphName, FiredRule[]>(names.map((n) => [n, []]));
  for (const trace of tracesOf(response.trace, stage.tables)) {
    const entry = stage.tables.get(trace.id);
    if (!entry) continue;
    // With an output path the table's own output sits under the graph's name.
    const output = isObj(trace.output) ? trace.output[entry.graph] : undefined;
    fired.get(entry.graph)!.push(...firedOf(entry.graph, entry.table, trace.traceData, output));
  }
  const result = isObj(response.result) ? response.result : {};
  for (const n of names) out[n] = { result: result[n] ?? {}, fired: fired.get(n)! };
  return remembered(policy.memo, keys, names, out);
}

/**
 * Whether a graph evaluated alone gives what it gives in a stage: a graph of one decision table (its result is
 * that table's output either way, a collect table's list included), or of tables that each give one row. A
 * graph of several tables of which one collects is evaluated in its stage only.
 */
function aloneAsInStage(policy: CompiledPolicy, name: PolicyGraphName): boolean {
  const tables = policy.graphs.get(name)?.tables;
  if (tables === undefined) return false;
  if (tables.size === 1) return true;
  for (const t of tables.values()) if (t.hitPolicy !== 'first') return false;
  return true;
}

/** Evaluates one graph of the policy with tracing, returning its result and every rule that fired. */
export async function evaluateGraph(
  policy: CompiledPolicy,
  name: PolicyGraphName,
  facts: object,
): Promise<GraphEvaluation> {
  const graph = policy.graphs.get(name)!;
  let response: Awaited<ReturnType<ZenDecision['evaluate']>>;
  try {
    response = await graph.decision.evaluate(facts, TRACE_AS_TEXT);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new OriginationError(
      'policy_evaluation_failed',
      `the ${name} graph failed to evaluate: ${message}`,
    );
  }
  const fired: FiredRule[] = [];
  for (const trace of tracesOf(response.trace, graph.tables)) {
    const table = graph.tables.get(trace.id);
    if (table) fired.push(...firedOf(name, table, trace.traceData, trace.output));
  }
  return { result: response.result, fired };
}

/**
 * Evaluations kept by the exact values of the facts a graph's tables can read. An evaluation (its result and
 * the rules that fired, with the values they read) depends on nothing else, so a kept one is the one the engine
 * would give. For callers that evaluate many applications against one policy (the strategy lab); the product's
 * decisions evaluate every time.
 */
export interface EvaluationMemo {
  /** Per graph, the fact paths its tables can read; null: not known (the graph is never kept). */
  readonly paths: ReadonlyMap<string, readonly (readonly string[])[] | null>;
  readonly answers: Map<string, GraphEvaluation>;
  /** Per set of graphs evaluated together, the paths any of them reads (sorted: a path before those below it). */
  readonly stagePaths: Map<string, readonly (readonly string[])[]>;
  /** At most this many evaluations are kept; later ones are evaluated every time. */
  readonly limit: number;
}

/** The policy with its evaluations kept by the facts they read (see EvaluationMemo). */
export function withEvaluationMemo(policy: CompiledPolicy, limit = 50_000): CompiledPolicy {
  const paths = new Map<string, readonly (readonly string[])[] | null>();
  for (const name of POLICY_GRAPH_NAMES) paths.set(name, factPathsRead(policy.document.graphs[name]));
  return { ...policy, memo: { paths, answers: new Map(), stagePaths: new Map(), limit } };
}

const NOT_FACTS = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null']);
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g;
const NAME_PATH = /(?<![\w$.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*/g;

/**
 * The fact paths a graph can read, found conservatively in its text: every input column's field and every
 * dotted name in a cell's expression outside string literals (a path names its whole value, so `applicant`
 * alone covers all of the applicant). Null — keep nothing — when the graph has anything but decision tables, a
 * table reading below a path of its own (`inputField`) or passing its input through, a cell reaching the input
 * by `$root`, `$.` or `$[`, or a cell that mentions "now" (an expression that reads the clock).
 */
export function factPathsRead(graph: JdmGraph | undefined): string[][] | null {
  if (graph === undefined) return null;
  const found = new Set<string>();
  for (const node of graph.nodes) {
    if (node.type === 'inputNode' || node.type === 'outputNode') continue;
    if (node.type !== 'decisionTableNode') return null;
    const content = node.content as {
      inputField?: unknown;
      passThrough?: unknown;
      inputs?: { id?: unknown; field?: unknown }[];
      outputs?: { id?: unknown }[];
      rules?: Record<string, unknown>[];
    };
    if ((typeof content.inputField === 'string' && content.inputField !== '') || content.passThrough === true)
      return null;
    const columns: string[] = [];
    for (const input of content.inputs ?? []) {
      if (typeof input.field !== 'string' || input.field === '' || typeof input.id !== 'string') return null;
      found.add(input.field);
      columns.push(input.id);
    }
    for (const output of content.outputs ?? []) {
      if (typeof output.id !== 'string') return null;
      columns.push(output.id);
    }
    for (const rule of content.rules ?? []) {
      for (const column of columns) {
        const cell = rule[column];
        if (cell === undefined || cell === null) continue;
        if (typeof cell !== 'string') return null;
        if (/\$(root|\.|\[)/.test(cell) || /now/i.test(cell)) return null;
        for (const name of cell.replace(STRING_LITERAL, ' ').match(NAME_PATH) ?? [])
          if (!NOT_FACTS.has(name)) found.add(name);
      }
    }
  }
  return [...found].sort().map((p) => p.split('.'));
}

function factKey(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  return value === undefined ? 'u' : JSON.stringify(value);
}

/** Each graph's key (the stage, the graph and the values of the paths it reads), or null: not kept. */
function memoKeys(memo: EvaluationMemo, names: readonly PolicyGraphName[], facts: object): string[] | null {
  const keys: string[] = [];
  const stage = names.join('+');
  for (const name of names) {
    const paths = memo.paths.get(name);
    if (paths === null || paths === undefined) return null;
    let key = `${stage}\u0000${name}`;
    for (const path of paths) {
      let value: unknown = facts;
      for (const part of path) value = isObj(value) ? value[part] : undefined;
      key += `\u0000${factKey(value)}`;
    }
    keys.push(key);
  }
  return keys;
}

/**
 * The facts cut down to the paths the graphs read (values shared, never changed): the engine converts, and
 * its trace copies, a third of the facts instead of all of them, and reads the same values.
 */
function factsRead(memo: EvaluationMemo, names: readonly PolicyGraphName[], facts: object): object {
  const stage = names.join('+');
  let paths = memo.stagePaths.get(stage);
  if (paths === undefined) {
    const all = new Set<string>();
    for (const n of names) for (const p of memo.paths.get(n) ?? []) all.add(p.join('.'));
    paths = [...all].sort().map((p) => p.split('.'));
    memo.stagePaths.set(stage, paths);
  }
  const out: Obj = {};
  for (const path of paths) {
    let from: unknown = facts;
    let to = out;
    for (let i = 0; i < path.length; i += 1) {
      const part = path[i]!;
      if (!isObj(from) || !(part in from)) break;
      const value = from[part];
      if (i === path.length - 1 || !isObj(value)) {
        if (!(part in to)) to[part] = value;
        break;
      }
      const there = to[part];
      if (there === value) break; // the whole value is there already (a shorter path named it)
      if (there === undefined) to[part] = {};
      else if (!isObj(there)) break;
      to = to[part] as Obj;
      from = value;
    }
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Keeps the evaluations just made (frozen: a kept one is handed to every later caller) while there is room. */
function remembered(
  memo: EvaluationMemo | undefined,
  keys: readonly string[] | null,
  names: readonly PolicyGraphName[],
  out: Record<PolicyGraphName, GraphEvaluation>,
): Record<PolicyGraphName, GraphEvaluation> {
  if (memo === undefined || keys === null) return out;
  names.forEach((n, i) => {
    if (memo.answers.size < memo.limit && !memo.answers.has(keys[i]!))
      memo.answers.set(keys[i]!, deepFreeze(out[n]));
  });
  return out;
}
