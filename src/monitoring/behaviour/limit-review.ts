import { type ZenDecision, ZenEngine } from '@gorules/zen-engine';
import { CREDIT_LIMIT_MINOR_MAX, type CreditLineState } from '../../ledger/index.js';
import type { JdmGraph } from '../../origination/index.js';

/**
 * 动态额度 limit review: once a month, each line's behaviour score (and what the line says) goes through a
 * GoRules table of the policy (`graphs.limitReview`, or the shipped default) that proposes a raise, a cut or
 * a freeze with a code and a reason. A proposal changes nothing until a second person approves it.
 */
export const LIMIT_REVIEW_ACTIONS = ['none', 'raise', 'cut', 'freeze'] as const;
export type LimitReviewAction = (typeof LIMIT_REVIEW_ACTIONS)[number];

/** Limits move in whole hundreds of yuan (10,000 fen). */
export const LIMIT_STEP_MINOR = 10_000;
/** Factors are decimal texts with at most this many decimals ("1.2", "0.75"). */
const FACTOR_SCALE = 1_000;
/** A raise or cut factor outside (0, 10] is refused as bad policy data. */
const FACTOR_MAX = 10;

/** What the limit-review table sees. */
export interface LimitReviewFacts {
  readonly score: number;
  readonly probabilityBad: number;
  /** used / limit, 0 when the limit is 0. */
  readonly utilisation: number;
  readonly limit_fen: number;
  readonly used_fen: number;
  readonly status: CreditLineState['status'];
}

export interface LimitReviewDecision {
  readonly action: LimitReviewAction;
  /** Limit factor as a decimal text: the new limit is limit × factor (rounded to the step). */
  readonly factor: string;
  readonly code: string;
  readonly reason: string;
}

export interface LimitProposal {
  readonly action: Exclude<LimitReviewAction, 'none'>;
  readonly fromLimitMinor: number;
  readonly toLimitMinor: number;
  readonly code: string;
  readonly reason: string;
}

export class LimitReviewError extends Error {
  constructor(
    readonly code: 'limit_review_invalid' | 'limit_review_evaluation_failed',
    message: string,
    readonly issues: readonly { readonly path: string; readonly message: string }[] = [],
  ) {
    super(message);
    this.name = 'LimitReviewError';
  }
}

export interface CompiledLimitReview {
  readonly graph: JdmGraph;
  /** @internal */
  readonly decision: ZenDecision;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const unquote = (cell: unknown) => (typeof cell === 'string' ? cell.trim().replace(/^"(.*)"$/, '$1') : cell);

/** Factor text → thousandths, or undefined when it is not a decimal in (0, 10] with at most 3 decimals. */
export function factorThousandths(text: string): number | undefined {
  if (!/^\d{1,2}(\.\d{1,3})?$/.test(text)) return undefined;
  const [whole, frac = ''] = text.split('.');
  const v = Number(whole) * FACTOR_SCALE + Number(frac.padEnd(3, '0'));
  return v > 0 && v <= FACTOR_MAX * FACTOR_SCALE ? v : undefined;
}

/**
 * Checks a limit-review graph: decision tables with hit policy `first` giving `action` (none, raise, cut,
 * freeze), `factor`, `code` and `reason`, every action and factor cell valid; loads it into the engine.
 */
export function compileLimitReview(graph: unknown, path = 'graphs.limitReview'): CompiledLimitReview {
  const issues: { path: string; message: string }[] = [];
  if (!isObj(graph) || !Array.isArray(graph.nodes) || !Array.isArray(graph.edges))
    throw new LimitReviewError('limit_review_invalid', `${path} must be a JDM decision graph`, [
      { path, message: 'must be a JDM decision graph: { "nodes": [...], "edges": [...] }' },
    ]);
  const tables = graph.nodes.filter((n) => isObj(n) && n.type === 'decisionTableNode');
  if (tables.length === 0)
    issues.push({
      path: `${path}.nodes`,
      message: 'holds no decision table; add one giving action, factor, code, reason',
    });
  graph.nodes.forEach((node, n) => {
    if (!isObj(node) || node.type !== 'decisionTableNode') return;
    const np = `${path}.nodes[${n}]`;
    const content = isObj(node.content) ? node.content : {};
    if (content.hitPolicy !== 'first')
      issues.push({
        path: `${np}.content.hitPolicy`,
        message: `is ${JSON.stringify(content.hitPolicy)}; a limit-review table gives one action: use "first"`,
      });
    const outputs = Array.isArray(content.outputs) ? (content.outputs as Obj[]) : [];
    for (const need of ['action', 'factor', 'code', 'reason'])
      if (!outputs.some((o) => o.field === need))
        issues.push({ path: `${np}.content.outputs`, message: `has no "${need}" output; add it` });
    const idOf = (field: string) => outputs.find((o) => o.field === field)?.id;
    const rules = Array.isArray(content.rules) ? (content.rules as Obj[]) : [];
    rules.forEach((rule, r) => {
      if (!isObj(rule)) return;
      const actionId = idOf('action');
      const factorId = idOf('factor');
      if (actionId !== undefined) {
        const v = unquote(rule[String(actionId)]);
        if (!LIMIT_REVIEW_ACTIONS.includes(v as LimitReviewAction))
          issues.push({
            path: `${np}.content.rules[${r}].${String(actionId)}`,
            message: `action is ${JSON.stringify(rule[String(actionId)])}; give one of ${LIMIT_REVIEW_ACTIONS.join(', ')} (quoted)`,
          });
      }
      if (factorId !== undefined) {
        const v = unquote(rule[String(factorId)]);
        if (typeof v !== 'string' || factorThousandths(v) === undefined)
          issues.push({
            path: `${np}.content.rules[${r}].${String(factorId)}`,
            message: `factor is ${JSON.stringify(rule[String(factorId)])}; give a quoted decimal above 0 and at most 10 with up to 3 decimals, e.g. "\\"1.2\\""`,
          });
      }
    });
  });
  if (issues.length > 0)
    throw new LimitReviewError(
      'limit_review_invalid',
      `the limit review is invalid: ${issues[0]!.path} ${issues[0]!.message}`,
      issues,
    );
  let decision: ZenDecision;
  try {
    decision = new ZenEngine().createDecision(graph as object);
    decision.validate();
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new LimitReviewError('limit_review_invalid', `${path} is refused by the rules engine: ${message}`, [
      { path, message: `is refused by the rules engine: ${message}` },
    ]);
  }
  return { graph: graph as unknown as JdmGraph, decision };
}

export async function evaluateLimitReview(
  review: CompiledLimitReview,
  facts: LimitReviewFacts,
): Promise<LimitReviewDecision> {
  let result: unknown;
  try {
    result = (await review.decision.evaluate(facts as unknown as object)).result;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new LimitReviewError('limit_review_evaluation_failed', `the limit review failed: ${message}`);
  }
  if (!isObj(result) || result.action === undefined)
    return { action: 'none', factor: '1', code: 'LR_NO_RULE', reason: 'no limit-review rule applies' };
  const action = result.action as LimitReviewAction;
  const factor = String(result.factor ?? '1');
  if (!LIMIT_REVIEW_ACTIONS.includes(action) || factorThousandths(factor) === undefined)
    throw new LimitReviewError(
      'limit_review_evaluation_failed',
      `the limit review gave action ${JSON.stringify(result.action)} with factor ${JSON.stringify(result.factor)}`,
    );
  return {
    action,
    factor,
    code: typeof result.code === 'string' ? result.code : action,
    reason: typeof result.reason === 'string' ? result.reason : action,
  };
}

export function limitReviewFactsOf(
  line: Pick<CreditLineState, 'limitMinor' | 'usedMinor' | 'status'>,
  score: { score: number; probabilityBad: number },
): LimitReviewFacts {
  return {
    score: score.score,
    probabilityBad: score.probabilityBad,
    utilisation: line.limitMinor > 0 ? Math.round((line.usedMinor / line.limitMinor) * 10_000) / 10_000 : 0,
    limit_fen: line.limitMinor,
    used_fen: line.usedMinor,
    status: line.status,
  };
}

/**
 * The proposal a decision makes for a line, or undefined when it changes nothing. A raise is rounded down
 * to the step and capped at the largest limit; a cut is rounded down but never below what is drawn
 * (rounded up to the step) — a cut that would not lower the limit is no proposal. A freeze keeps the limit.
 */
export function planLimitProposal(
  line: Pick<CreditLineState, 'limitMinor' | 'usedMinor' | 'status'>,
  decision: LimitReviewDecision,
): LimitProposal | undefined {
  if (decision.action === 'none' || line.status !== 'active') return undefined;
  const from = line.limitMinor;
  const base = { fromLimitMinor: from, code: decision.code, reason: decision.reason };
  if (decision.action === 'freeze') return { action: 'freeze', toLimitMinor: from, ...base };
  const thousandths = BigInt(factorThousandths(decision.factor)!);
  const scaled = Number((BigInt(from) * thousandths) / 1_000n);
  const step = (x: number) => Math.floor(x / LIMIT_STEP_MINOR) * LIMIT_STEP_MINOR;
  if (decision.action === 'raise') {
    const to = Math.min(step(scaled), CREDIT_LIMIT_MINOR_MAX);
    return to > from ? { action: 'raise', toLimitMinor: to, ...base } : undefined;
  }
  const floor = Math.ceil(line.usedMinor / LIMIT_STEP_MINOR) * LIMIT_STEP_MINOR;
  const to = Math.max(step(scaled), floor);
  return to < from ? { action: 'cut', toLimitMinor: to, ...base } : undefined;
}
