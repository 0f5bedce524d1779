import {
  type Bucket,
  type LoanPosition,
  type LoanState,
  loanPosition,
  worstBucket,
} from '../ledger/index.js';
import { type Day, formatDate, invariant } from '../money/index.js';
import { STRATEGY_DUE_IN_DAYS_MAX, type StrategyStep } from './strategy.js';

/**
 * Collection cases (催收案件): one per borrower across their loans, opened when a loan first goes past due by
 * the lender's threshold, kept up to date from the ledger, and closed on cure, settlement, write-off (核销: the
 * claim stays, but the case no longer follows the loan) or a restructuring kept through its observation period
 * (重组观察期: the case stays open, on hold, until then). The planner here decides what changes; the shell
 * stores it. Pure: the positions and the restructurings' observation come in.
 */

export interface CaseSettings {
  /** A case opens when a loan of the borrower is at least this many days past due (convention; 1 = the first day). */
  readonly openFromDaysPastDue: number;
}

export const DEFAULT_CASE_SETTINGS: CaseSettings = Object.freeze({ openFromDaysPastDue: 1 });

export function checkCaseSettings(settings: CaseSettings): CaseSettings {
  invariant(
    Number.isSafeInteger(settings.openFromDaysPastDue) && settings.openFromDaysPastDue >= 1,
    'openFromDaysPastDue must be a whole number of days, at least 1',
  );
  return settings;
}

/** A restructuring of a loan as the case needs it, judged by the classification rules on the day planned. */
export interface CaseRestructuring {
  /** The day of the loan's latest restructuring (relief-programme deferrals are none). */
  readonly day: Day;
  /** The day planned is inside its observation period. */
  readonly inObservation: boolean;
  /** The observation's last day; null while the schedule cannot yet close the required periods. */
  readonly observationEndDay: Day | null;
}

/** A borrower's loan as the case needs it: the ledger's position as of the day planned. */
export interface CaseLoan {
  readonly loanId: string;
  readonly position: LoanPosition;
  /** Written off (核销): off the books; a case no longer counts it (its recoveries are the write-off's). */
  readonly writtenOff?: boolean;
  /** Its latest restructuring, when it has one. */
  readonly restructuring?: CaseRestructuring;
}

/** The figures a case keeps of its borrower's loans. */
export interface CaseFigures {
  /** Loans with something past due, by id. */
  readonly pastDueLoanIds: readonly string[];
  readonly maxDaysPastDue: number;
  readonly bucket: Bucket;
  /** Overdue principal, interest and fees plus penalty interest outstanding, over all loans. */
  readonly overdueMinor: number;
  /** Everything owed on all the borrower's loans. */
  readonly totalOwedMinor: number;
}

/** An open case as stored. */
export interface OpenCase {
  readonly caseId: string;
  readonly customerId: string;
  readonly openedDay: Day;
  readonly figures: CaseFigures;
}

/**
 * Why a case closed: `cured` (nothing past due, still owing on the schedule), `paid-off` (nothing owed),
 * `written-off` (what was past due was written off), `restructuring-kept` (a restructuring made while the case
 * was open kept through its observation period).
 */
export const CASE_CLOSE_REASONS = ['cured', 'paid-off', 'written-off', 'restructuring-kept'] as const;
export type CaseCloseReason = (typeof CASE_CLOSE_REASONS)[number];

/** An open case kept open, on hold, while a restructuring made since it opened is under observation. */
export interface CaseObservation {
  readonly caseId: string;
  /** The latest end of the loans' observation periods; null when one cannot be dated yet. */
  readonly untilDay: Day | null;
}

export interface CasePlan {
  /** Borrowers who need a new case, with its figures. */
  readonly open: readonly { readonly customerId: string; readonly figures: CaseFigures }[];
  /** Open cases whose figures changed. */
  readonly update: readonly { readonly caseId: string; readonly figures: CaseFigures }[];
  /** Open cases to close, and why. */
  readonly close: readonly {
    readonly caseId: string;
    readonly reason: CaseCloseReason;
    readonly figures: CaseFigures;
  }[];
  /** Open cases with nothing past due kept open while a restructuring is under observation (no collection). */
  readonly observing: readonly CaseObservation[];
}

/**
 * What the borrower's loans ask a month, the figure the assessment weighs verified income against: for each
 * loan still owing, the instalment of its current plan at the next instalment (the last one once all fell
 * due). `positions`, when given, are the loans' positions (the same as `loanPosition` of each state).
 */
export function monthlyInstallmentMinor(
  states: readonly LoanState[],
  positions?: readonly LoanPosition[],
): number {
  let total = 0;
  for (let i = 0; i < states.length; i += 1) {
    const s = states[i]!;
    const p = positions?.[i] ?? loanPosition(s);
    if (p.totalOwedMinor === 0) continue;
    total += s.plan[Math.min(s.nextInstallmentIndex, s.plan.length - 1)]?.totalMinor ?? 0;
  }
  return total;
}

/** The figures of one borrower's loans (written-off loans are not counted). */
export function caseFigures(loans: readonly CaseLoan[]): CaseFigures {
  let maxDaysPastDue = 0;
  let overdueMinor = 0;
  let totalOwedMinor = 0;
  const pastDueLoanIds: string[] = [];
  const counted = loans.filter((l) => l.writtenOff !== true);
  for (const { loanId, position: p } of counted) {
    if (p.daysPastDue > 0) pastDueLoanIds.push(loanId);
    maxDaysPastDue = Math.max(maxDaysPastDue, p.daysPastDue);
    overdueMinor +=
      p.overduePrincipalMinor + p.overdueInterestMinor + p.overdueFeeMinor + p.penaltyOutstandingMinor;
    totalOwedMinor += p.totalOwedMinor;
  }
  invariant(
    Number.isSafeInteger(overdueMinor) && Number.isSafeInteger(totalOwedMinor),
    'case amounts overflow',
  );
  pastDueLoanIds.sort();
  return {
    pastDueLoanIds,
    maxDaysPastDue,
    // Each loan's bucket by its own product's boundaries; the case is in the worst of them.
    bucket: worstBucket(counted.map((l) => l.position.bucket)),
    overdueMinor,
    totalOwedMinor,
  };
}

function sameFigures(a: CaseFigures, b: CaseFigures): boolean {
  return (
    a.maxDaysPastDue === b.maxDaysPastDue &&
    a.bucket === b.bucket &&
    a.overdueMinor === b.overdueMinor &&
    a.totalOwedMinor === b.totalOwedMinor &&
    a.pastDueLoanIds.length === b.pastDueLoanIds.length &&
    a.pastDueLoanIds.every((id, i) => id === b.pastDueLoanIds[i])
  );
}

/** The observation a case waits for: restructurings made since it opened, still under observation. */
function observationOf(current: OpenCase, loans: readonly CaseLoan[]): CaseObservation | null {
  let observed = false;
  let untilDay: Day | null = null;
  let undated = false;
  for (const l of loans) {
    const r = l.restructuring;
    if (l.writtenOff === true || r === undefined || !r.inObservation || r.day < current.openedDay) continue;
    observed = true;
    if (r.observationEndDay === null) undated = true;
    else untilDay = untilDay === null ? r.observationEndDay : Math.max(untilDay, r.observationEndDay);
  }
  return observed ? { caseId: current.caseId, untilDay: undated ? null : untilDay } : null;
}

/** Why a case with nothing past due and no restructuring under observation closes. */
function closeReasonOf(current: OpenCase, loans: readonly CaseLoan[], figures: CaseFigures): CaseCloseReason {
  const writtenOff = new Set(loans.filter((l) => l.writtenOff === true).map((l) => l.loanId));
  if (current.figures.pastDueLoanIds.some((id) => writtenOff.has(id))) return 'written-off';
  if (figures.totalOwedMinor === 0) return 'paid-off';
  const restructured = loans.some(
    (l) => l.writtenOff !== true && l.restructuring !== undefined && l.restructuring.day >= current.openedDay,
  );
  return restructured ? 'restructuring-kept' : 'cured';
}

/**
 * Plans the cases of the borrowers given: `loansByCustomer` holds every loan of each borrower to look at
 * (those with a loan past due, and those with an open case); `openCases` their open cases (at most one each).
 * A case whose borrower has nothing past due closes, unless a restructuring made since it opened is under
 * observation: then it stays open (its figures kept current) until the observation is kept — or a missed
 * instalment puts the borrower past due again, when the case goes on as any other.
 */
export function planCases(
  loansByCustomer: ReadonlyMap<string, readonly CaseLoan[]>,
  openCases: readonly OpenCase[],
  settings: CaseSettings = DEFAULT_CASE_SETTINGS,
): CasePlan {
  checkCaseSettings(settings);
  const openByCustomer = new Map<string, OpenCase>();
  for (const c of openCases) {
    invariant(!openByCustomer.has(c.customerId), `borrower ${c.customerId} has two open cases`);
    openByCustomer.set(c.customerId, c);
  }
  const open: { customerId: string; figures: CaseFigures }[] = [];
  const update: { caseId: string; figures: CaseFigures }[] = [];
  const close: { caseId: string; reason: CaseCloseReason; figures: CaseFigures }[] = [];
  const observing: CaseObservation[] = [];
  const customers = [...new Set([...loansByCustomer.keys(), ...openByCustomer.keys()])].sort();
  for (const customerId of customers) {
    const loans = loansByCustomer.get(customerId) ?? [];
    const figures = caseFigures(loans);
    const current = openByCustomer.get(customerId);
    if (current === undefined) {
      if (figures.maxDaysPastDue >= settings.openFromDaysPastDue) open.push({ customerId, figures });
      continue;
    }
    const observation = figures.maxDaysPastDue === 0 ? observationOf(current, loans) : null;
    if (figures.maxDaysPastDue === 0 && observation === null) {
      close.push({ caseId: current.caseId, reason: closeReasonOf(current, loans, figures), figures });
      continue;
    }
    if (observation !== null) observing.push(observation);
    if (!sameFigures(current.figures, figures)) update.push({ caseId: current.caseId, figures });
  }
  return { open, update, close, observing };
}

/** The step code of a case held open while a restructuring is under observation. */
export const OBSERVATION_STEP_CODE = 'CS_RESTRUCTURING_OBSERVATION';

/**
 * The step of a case on hold through a restructuring's observation: no collection action while the new plan
 * is kept; looked at again when the observation ends (or within the longest a step may be set ahead).
 */
export function observationStep(observation: CaseObservation, day: Day): StrategyStep {
  const until = observation.untilDay;
  return {
    action: 'hold',
    channel: null,
    code: OBSERVATION_STEP_CODE,
    reason:
      until === null
        ? 'a restructured plan is under observation: no collection while it is kept'
        : `a restructured plan is under observation until ${formatDate(until)}: no collection while it is kept`,
    dueInDays:
      until === null
        ? STRATEGY_DUE_IN_DAYS_MAX
        : Math.max(0, Math.min(STRATEGY_DUE_IN_DAYS_MAX, until + 1 - day)),
  };
}
