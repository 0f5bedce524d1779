import type { ZenDecision } from '@gorules/zen-engine';
import { CREDIT_LIMIT_MINOR_MAX, type CreditLineState } from '../../ledger/index.js';
import {
  compileRuleTables,
  evaluateRuleTables,
  type JdmGraph,
  unquoteCell,
} from '../../origination/index.js';

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
  /** The borrower's early-warning signals open or acknowledged when the review runs (docs/monitoring.md). */
  readonly signalsOpen: number;
  /** Of those, the ones of high or critical severity. */
  readonly signalsHigh: number;
}

/** A borrower's live early-warning signals, as the limit review counts them. */
export interface LimitReviewSignals {
  readonly open: number;
  readonly high: number;
}

export const NO_SIGNALS: LimitReviewSignals = Object.freeze({ open: 0, high: 0 });

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
  return compileRuleTables(
    graph,
    path,
    {
      invalid: 'the limit review is invalid',
      outputs: ['action', 'factor', 'code', 'reason'],
      noTable: 'holds no decision table; add one giving action, factor, code, reason',
      onePerHit: 'a limit-review table gives one action',
      checkRule: (rule, issues) => {
        const actionId = rule.idOf('action');
        if (actionId !== undefined) {
          const cell = rule.cell('action');
          if (!LIMIT_REVIEW_ACTIONS.includes(unquoteCell(cell) as LimitReviewAction))
            issues.push({
              path: `${rule.path}.${actionId}`,
              message: `action is ${JSON.stringify(cell)}; give one of ${LIMIT_REVIEW_ACTIONS.join(', ')} (quoted)`,
            });
        }
        const factorId = rule.idOf('factor');
        if (factorId !== undefined) {
          const cell = rule.cell('factor');
          const v = unquoteCell(cell);
          if (typeof v !== 'string' || factorThousandths(v) === undefined)
            issues.push({
              path: `${rule.path}.${factorId}`,
              message: `factor is ${JSON.stringify(cell)}; give a quoted decimal above 0 and at most 10 with up to 3 decimals, e.g. "\\"1.2\\""`,
            });
        }
      },
    },
    (message, issues) => {
      throw new LimitReviewError('limit_review_invalid', message, issues);
    },
  );
}

export async function evaluateLimitReview(
  review: CompiledLimitReview,
  facts: LimitReviewFacts,
): Promise<LimitReviewDecision> {
  const result = await evaluateRuleTables(review.decision, facts, (message) => {
    throw new LimitReviewError('limit_review_evaluation_failed', `the limit review failed: ${message}`);
  });
  if (result === undefined)
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
  signals: LimitReviewSignals = NO_SIGNALS,
): LimitReviewFacts {
  return {
    score: score.score,
    probabilityBad: score.probabilityBad,
    utilisation: line.limitMinor > 0 ? Math.round((line.usedMinor / line.limitMinor) * 10_000) / 10_000 : 0,
    limit_fen: line.limitMinor,
    used_fen: line.usedMinor,
    status: line.status,
    signalsOpen: signals.open,
    signalsHigh: signals.high,
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
