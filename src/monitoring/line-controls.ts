import type { ZenDecision } from '@gorules/zen-engine';
import {
  availableMinor,
  bucketForDaysPastDue,
  bucketRank,
  type CreditLineEvent,
  type CreditLineState,
  changeLimit,
  closeLine,
  freezeLine,
  type LoanPosition,
  type LoanState,
  loanPosition,
  unfreezeLine,
} from '../ledger/index.js';
import type { Day } from '../money/index.js';
import { invariant } from '../money/index.js';
import { compileRuleTables, evaluateRuleTables, type JdmGraph, unquoteCell } from '../origination/index.js';

/**
 * 额度管控: what a credit line's loans say about the line, decided by a GoRules table of the policy
 * (`graphs.lineControls`). The table reads the facts below and gives one action with a code and a reason.
 */
export const LINE_CONTROL_ACTIONS = ['none', 'freeze', 'cut', 'close'] as const;
export type LineControlAction = (typeof LINE_CONTROL_ACTIONS)[number];

/** What the line-control table sees (docs/monitoring.md lists each field). */
export interface LineControlFacts {
  /** Largest days past due over the line's loans with money owed (0 when none is past due). */
  readonly maxDaysPastDue: number;
  /** Bucket rank of maxDaysPastDue: 0 for M0 … 7 for M7, by the loans' own bucket settings. */
  readonly worstBucketRank: number;
  readonly worstBucket: string;
  /** Loans of the line past due. */
  readonly pastDueLoans: number;
  /** Loans of the line still owing. */
  readonly openLoans: number;
  /** Principal of the line's loans overdue, in fen. */
  readonly overduePrincipal_fen: number;
  readonly limit_fen: number;
  readonly used_fen: number;
  readonly status: CreditLineState['status'];
}

export interface LineControlDecision {
  readonly action: LineControlAction;
  /** The rule's code, e.g. LC_PAST_DUE_FREEZE; kept on the line's history. */
  readonly code: string;
  readonly reason: string;
}

/** A line-control table that cannot be used (bad policy data), with each problem by path. */
export class LineControlError extends Error {
  constructor(
    readonly code: 'line_controls_invalid' | 'line_controls_evaluation_failed',
    message: string,
    readonly issues: readonly { readonly path: string; readonly message: string }[] = [],
  ) {
    super(message);
    this.name = 'LineControlError';
  }
}

/**
 * The facts of a line from its state and the states of its loans (any status; settled ones count as cured).
 * `positions`, when given, are the loans' positions already worked out (`loanPosition` of each state, in the
 * same order): a caller that keeps them saves working each out again.
 */
export function lineControlFactsOf(
  line: CreditLineState,
  loans: readonly LoanState[],
  positions?: readonly LoanPosition[],
): LineControlFacts {
  let maxDaysPastDue = 0;
  let pastDueLoans = 0;
  let openLoans = 0;
  let overdue = 0;
  let worst = 0;
  let worstBucket = 'M0';
  invariant(positions === undefined || positions.length === loans.length, 'one position per loan');
  for (let i = 0; i < loans.length; i += 1) {
    const loan = loans[i]!;
    invariant(loan.lineId === line.lineId, () => `loan ${loan.loanId} is not on line ${line.lineId}`);
    const p = positions === undefined ? loanPosition(loan) : positions[i]!;
    if (p.totalOwedMinor > 0) openLoans += 1;
    if (p.daysPastDue > 0) {
      pastDueLoans += 1;
      overdue += p.overduePrincipalMinor;
      const bucket = bucketForDaysPastDue(p.daysPastDue, loan.delinquency);
      if (bucketRank(bucket) > worst) {
        worst = bucketRank(bucket);
        worstBucket = bucket;
      }
      maxDaysPastDue = Math.max(maxDaysPastDue, p.daysPastDue);
    }
  }
  return {
    maxDaysPastDue,
    worstBucketRank: worst,
    worstBucket,
    pastDueLoans,
    openLoans,
    overduePrincipal_fen: overdue,
    limit_fen: line.limitMinor,
    used_fen: line.usedMinor,
    status: line.status,
  };
}

/** A line-control table checked and loaded into the rules engine. */
export interface CompiledLineControls {
  readonly graph: JdmGraph;
  /** @internal */
  readonly decision: ZenDecision;
}

/**
 * Checks a line-control graph: a JDM graph whose decision tables have the `first` hit policy and give
 * `action` (one of none, freeze, cut, close), `code` and `reason`; loads it into the engine.
 */
export function compileLineControls(graph: unknown, path = 'graphs.lineControls'): CompiledLineControls {
  return compileRuleTables(
    graph,
    path,
    {
      invalid: 'the line controls are invalid',
      outputs: ['action', 'code', 'reason'],
      noTable: 'holds no decision table; add one giving action, code, reason',
      onePerHit: 'a line-control table gives one action',
      checkRule: (rule, issues) => {
        const id = rule.idOf('action');
        if (id === undefined) return;
        const cell = rule.cell('action');
        if (!LINE_CONTROL_ACTIONS.includes(unquoteCell(cell) as LineControlAction))
          issues.push({
            path: `${rule.path}.${id}`,
            message: `action is ${JSON.stringify(cell)}; give one of ${LINE_CONTROL_ACTIONS.map((a) => `"\\"${a}\\""`).join(', ')}`,
          });
      },
    },
    (message, issues) => {
      throw new LineControlError('line_controls_invalid', message, issues);
    },
  );
}

/** Evaluates the table on a line's facts. No rule firing means no action. */
export async function evaluateLineControls(
  controls: CompiledLineControls,
  facts: LineControlFacts,
): Promise<LineControlDecision> {
  const result = await evaluateRuleTables(controls.decision, facts, (message) => {
    throw new LineControlError('line_controls_evaluation_failed', `the line controls failed: ${message}`);
  });
  if (result === undefined)
    return { action: 'none', code: 'LC_NO_RULE', reason: 'no line-control rule applies' };
  const action = result.action;
  if (!LINE_CONTROL_ACTIONS.includes(action as LineControlAction))
    throw new LineControlError(
      'line_controls_evaluation_failed',
      `the line controls gave action ${JSON.stringify(action)}; expected one of ${LINE_CONTROL_ACTIONS.join(', ')}`,
    );
  return {
    action: action as LineControlAction,
    code: typeof result.code === 'string' ? result.code : String(action),
    reason: typeof result.reason === 'string' ? result.reason : String(action),
  };
}

/** One change of a line made by the controls, kept on the line's history. */
export interface LineControlChange {
  readonly kind: 'frozen' | 'unfrozen' | 'limit-changed' | 'closed';
  readonly fromStatus: CreditLineState['status'];
  readonly toStatus: CreditLineState['status'];
  readonly fromLimitMinor: number;
  readonly toLimitMinor: number;
  readonly code: string;
  readonly reason: string;
  readonly day: Day;
}

export interface LineControlPlan {
  readonly line: CreditLineState;
  readonly events: readonly CreditLineEvent[];
  readonly changes: readonly LineControlChange[];
}

/**
 * What the decision does to the line on `day`:
 * - `freeze`: an active line is frozen (drawdowns refused until cure);
 * - `cut`: the limit is cut to the used amount (nothing left to draw) and the line is frozen;
 * - `close`: the line is closed (loans drawn run on);
 * - `none`: a line the controls froze is unfrozen (cured); a line an operator froze stays frozen.
 * A cut limit is not raised back on cure: a raise is a limit review's decision. Closed lines are left alone.
 */
export function planLineControl(
  line: CreditLineState,
  decision: LineControlDecision,
  frozenByControls: boolean,
  day: Day,
): LineControlPlan {
  if (line.status === 'closed') return { line, events: [], changes: [] };
  const at = Math.max(day, line.lastEventDay);
  let current = line;
  const events: CreditLineEvent[] = [];
  const changes: LineControlChange[] = [];
  const record = (kind: LineControlChange['kind'], next: CreditLineState, code: string, reason: string) => {
    changes.push({
      kind,
      fromStatus: current.status,
      toStatus: next.status,
      fromLimitMinor: current.limitMinor,
      toLimitMinor: next.limitMinor,
      code,
      reason,
      day: at,
    });
    current = next;
  };
  const apply = (
    kind: LineControlChange['kind'],
    step: { line: CreditLineState; events: readonly CreditLineEvent[] },
    code = decision.code,
    reason = decision.reason,
  ) => {
    events.push(...step.events);
    record(kind, step.line, code, reason);
  };
  switch (decision.action) {
    case 'close':
      apply('closed', closeLine(current, at));
      break;
    case 'cut':
      if (current.limitMinor > current.usedMinor)
        apply('limit-changed', changeLimit(current, current.usedMinor, at));
      if (current.status === 'active') apply('frozen', freezeLine(current, decision.reason, at));
      break;
    case 'freeze':
      if (current.status === 'active') apply('frozen', freezeLine(current, decision.reason, at));
      break;
    case 'none':
      if (current.status === 'frozen' && frozenByControls)
        apply('unfrozen', unfreezeLine(current, at), decision.code, `cured: ${decision.reason}`);
      break;
  }
  invariant(current.status !== 'active' || decision.action === 'none', 'a controlled line stays active');
  invariant(decision.action !== 'cut' || availableMinor(current) === 0, 'a cut line has nothing available');
  return { line: current, events, changes };
}

/** Most severe first: when several policies speak for one line, the most severe decision is applied. */
export function severest(decisions: readonly LineControlDecision[]): LineControlDecision {
  const rank = (a: LineControlAction) => LINE_CONTROL_ACTIONS.indexOf(a);
  let out: LineControlDecision = {
    action: 'none',
    code: 'LC_NO_RULE',
    reason: 'no line-control rule applies',
  };
  for (const d of decisions) if (rank(d.action) > rank(out.action) || out.code === 'LC_NO_RULE') out = d;
  return out;
}
