import { addMonths, type Day, monthsBetween } from '../../money/index.js';
import type { BehaviourLine, BehaviourLoan } from './history.js';

/**
 * Behaviour-score (行为评分, B卡) features of a credit line as of a day, from its ledger history. Pure: the
 * same history and day give the same figures. A feature with nothing to measure (no instalment due in the
 * window, no limit) is NaN, which the scorecard bins as missing.
 */
export const BEHAVIOUR_FEATURES = [
  'dpd_now',
  'max_dpd_3m',
  'max_dpd_6m',
  'max_dpd_12m',
  'times_past_due_12m',
  'utilisation',
  'utilisation_trend_3m',
  'payment_ratio_6m',
  'avg_days_late_6m',
  'avg_days_early_6m',
  'drawdowns_3m',
  'drawn_to_limit_3m',
  'full_limit_draws_12m',
  'draws_after_raise_12m',
  'months_on_book',
  'open_loans',
] as const;

export type BehaviourFeatureName = (typeof BEHAVIOUR_FEATURES)[number];
export type BehaviourFeatures = Record<BehaviourFeatureName, number>;

/** The label: 60 or more days past due on some day of the outcome window (the 6 months after the as-of day). */
export const BAD_DAYS_PAST_DUE = 60;
export const OUTCOME_MONTHS = 6;
/** A drawdown of at least this share of what was available is a full-limit draw (套现 pattern). */
export const FULL_LIMIT_DRAW_SHARE = 0.9;
/** A drawdown within this many days after a limit raise counts as drawing the raise. */
export const DRAW_AFTER_RAISE_DAYS = 30;
/** Payment ratios are capped here, so that one payoff does not dominate the bin edges. */
export const PAYMENT_RATIO_MAX = 5;

/** First day of the window of `months` months ending with `asOf` (the window is [start, asOf]). */
function windowStart(asOf: Day, months: number): Day {
  return addMonths(asOf, -months) + 1;
}

/** Days past due of a loan at the end of `day`: days since the oldest instalment past its grace and unpaid. */
export function loanDaysPastDue(loan: BehaviourLoan, day: Day): number {
  let dpd = 0;
  for (const i of loan.instalments) {
    if (i.overdueDay > day) continue;
    if (i.paidOffDay !== null && i.paidOffDay <= day) continue;
    dpd = Math.max(dpd, day - i.dueDay);
  }
  return dpd;
}

/** Largest days past due of a loan on any day of [from, to]. */
export function loanMaxDaysPastDue(loan: BehaviourLoan, from: Day, to: Day): number {
  let max = 0;
  for (const i of loan.instalments) {
    const first = Math.max(from, i.overdueDay);
    const last = i.paidOffDay === null ? to : Math.min(to, i.paidOffDay - 1);
    if (last >= first) max = Math.max(max, last - i.dueDay);
  }
  return max;
}

/** Largest days past due over the line's loans on any day of [from, to]. */
export function lineMaxDaysPastDue(line: BehaviourLine, from: Day, to: Day): number {
  let max = 0;
  for (const loan of line.loans)
    if (loan.openedDay <= to) max = Math.max(max, loanMaxDaysPastDue(loan, from, to));
  return max;
}

/** The limit in force at the end of `day`. */
export function limitOn(line: BehaviourLine, day: Day): number {
  let limit = line.limits[0]?.limitMinor ?? 0;
  for (const l of line.limits) if (l.day <= day) limit = l.limitMinor;
  return limit;
}

/** Outstanding principal of a loan at the end of `day` (0 before it is opened and once settled). */
export function principalOn(loan: BehaviourLoan, day: Day): number {
  if (loan.openedDay > day) return 0;
  if (loan.settledDay !== null && loan.settledDay <= day) return 0;
  let owed = loan.principalMinor;
  for (const p of loan.principalOffs) if (p.day <= day) owed -= p.amountMinor;
  return Math.max(0, owed);
}

function usedOn(line: BehaviourLine, day: Day, except?: BehaviourLoan): number {
  let used = 0;
  for (const loan of line.loans) if (loan !== except) used += principalOn(loan, day);
  return used;
}

function utilisationOn(line: BehaviourLine, day: Day): number {
  const limit = limitOn(line, day);
  return limit > 0 ? usedOn(line, day) / limit : Number.NaN;
}

/**
 * Days ahead of the due date that the money paying an instalment arrived: the due date less the day of the
 * last payment on the loan made on or before the day the instalment was paid off. An instalment paid ahead
 * is paid off on its due date from the credit balance, so the day it was paid off alone never shows how
 * early the borrower paid. 0 when the last payment came on the due date or the instalment was paid late.
 */
function daysEarly(loan: BehaviourLoan, dueDay: Day, paidOffDay: Day): number {
  if (paidOffDay > dueDay) return 0;
  let last = Number.NEGATIVE_INFINITY;
  for (const p of loan.payments) if (p.day <= paidOffDay && p.day > last) last = p.day;
  return Number.isFinite(last) ? Math.max(0, dueDay - last) : 0;
}

/** Rounds a ratio to 4 decimals so that the table and the model document stay short and stable. */
function r4(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 10_000) / 10_000 : Number.NaN;
}

/** Open loans at the end of `day`: drawn by then and not settled. */
export function openLoansOn(line: BehaviourLine, day: Day): number {
  let n = 0;
  for (const loan of line.loans)
    if (loan.openedDay <= day && (loan.settledDay === null || loan.settledDay > day)) n++;
  return n;
}

export function behaviourFeatures(line: BehaviourLine, asOf: Day): BehaviourFeatures {
  const from3 = windowStart(asOf, 3);
  const from6 = windowStart(asOf, 6);
  const from12 = windowStart(asOf, 12);
  let dpdNow = 0;
  let timesPastDue = 0;
  let paid6 = 0;
  let billed6 = 0;
  let lateDays = 0;
  let lateCount = 0;
  let earlyDays = 0;
  let onTimeCount = 0;
  let drawdowns3 = 0;
  let drawn3 = 0;
  let fullDraws = 0;
  for (const loan of line.loans) {
    if (loan.openedDay > asOf) continue;
    dpdNow = Math.max(dpdNow, loanDaysPastDue(loan, asOf));
    for (const i of loan.instalments) {
      if (
        i.overdueDay >= from12 &&
        i.overdueDay <= asOf &&
        (i.paidOffDay === null || i.paidOffDay >= i.overdueDay)
      )
        timesPastDue++;
      if (i.dueDay >= from6 && i.dueDay <= asOf) {
        billed6 += i.billedMinor;
        const settled = i.paidOffDay !== null && i.paidOffDay <= asOf ? i.paidOffDay : asOf;
        lateDays += settled - i.dueDay;
        lateCount++;
        if (i.paidOffDay !== null && i.paidOffDay <= Math.min(asOf, i.dueDay)) {
          earlyDays += daysEarly(loan, i.dueDay, i.paidOffDay);
          onTimeCount++;
        }
      }
    }
    for (const p of loan.payments) if (p.day >= from6 && p.day <= asOf) paid6 += p.amountMinor;
    if (loan.openedDay >= from3) {
      drawdowns3++;
      drawn3 += loan.principalMinor;
    }
    if (loan.openedDay >= from12) {
      const available = limitOn(line, loan.openedDay) - usedOn(line, loan.openedDay, loan);
      if (available > 0 && loan.principalMinor >= FULL_LIMIT_DRAW_SHARE * available) fullDraws++;
    }
  }
  let drawsAfterRaise = 0;
  for (let k = 1; k < line.limits.length; k++) {
    const raise = line.limits[k]!;
    if (raise.limitMinor <= line.limits[k - 1]!.limitMinor || raise.day < from12 || raise.day > asOf)
      continue;
    for (const loan of line.loans)
      if (loan.openedDay >= raise.day && loan.openedDay <= Math.min(asOf, raise.day + DRAW_AFTER_RAISE_DAYS))
        drawsAfterRaise++;
  }
  const limit = limitOn(line, asOf);
  const utilisation = utilisationOn(line, asOf);
  const earlier = utilisationOn(line, addMonths(asOf, -3));
  return {
    dpd_now: dpdNow,
    max_dpd_3m: lineMaxDaysPastDue(line, from3, asOf),
    max_dpd_6m: lineMaxDaysPastDue(line, from6, asOf),
    max_dpd_12m: lineMaxDaysPastDue(line, from12, asOf),
    times_past_due_12m: timesPastDue,
    utilisation: r4(utilisation),
    utilisation_trend_3m: r4(utilisation - (Number.isNaN(earlier) ? 0 : earlier)),
    payment_ratio_6m: billed6 > 0 ? r4(Math.min(PAYMENT_RATIO_MAX, paid6 / billed6)) : Number.NaN,
    avg_days_late_6m: lateCount > 0 ? r4(lateDays / lateCount) : Number.NaN,
    avg_days_early_6m: onTimeCount > 0 ? r4(earlyDays / onTimeCount) : Number.NaN,
    drawdowns_3m: drawdowns3,
    drawn_to_limit_3m: limit > 0 ? r4(drawn3 / limit) : Number.NaN,
    full_limit_draws_12m: fullDraws,
    draws_after_raise_12m: drawsAfterRaise,
    months_on_book: Math.max(0, monthsBetween(line.openedDay, asOf)),
    open_loans: openLoansOn(line, asOf),
  };
}

/** True when the line reaches 60+ days past due on some day of the 6 months after `asOf`. */
export function behaviourLabel(line: BehaviourLine, asOf: Day): boolean {
  return lineMaxDaysPastDue(line, asOf + 1, addMonths(asOf, OUTCOME_MONTHS)) >= BAD_DAYS_PAST_DUE;
}

/** The last day of the outcome window of `asOf`: a table as of `asOf` needs the history through it. */
export function outcomeEnd(asOf: Day): Day {
  return addMonths(asOf, OUTCOME_MONTHS);
}

/**
 * Lines the score rates as of a day: drawn on, with a loan still open (an exposure to watch). For the
 * development table also not already bad (under 60 days past due): a line already in default has nothing
 * left to predict.
 */
export function isScorable(line: BehaviourLine, asOf: Day): boolean {
  return openLoansOn(line, asOf) > 0;
}

export function isDevelopmentRow(line: BehaviourLine, asOf: Day): boolean {
  return isScorable(line, asOf) && lineMaxDaysPastDue(line, asOf, asOf) < BAD_DAYS_PAST_DUE;
}

export interface BehaviourRow {
  readonly customerId: string;
  readonly lineId: string;
  readonly features: BehaviourFeatures;
  readonly bad: boolean;
}

/** The labelled development rows of a book as of a day (lines in the order given). */
export function behaviourTable(lines: readonly BehaviourLine[], asOf: Day): BehaviourRow[] {
  const rows: BehaviourRow[] = [];
  for (const line of lines) {
    if (!isDevelopmentRow(line, asOf)) continue;
    rows.push({
      customerId: line.customerId,
      lineId: line.lineId,
      features: behaviourFeatures(line, asOf),
      bad: behaviourLabel(line, asOf),
    });
  }
  return rows;
}

function csvNumber(x: number): string {
  return Number.isNaN(x) ? '' : String(x);
}

/** The table as CSV text: ids, the as-of day, the features (empty = missing) and `bad` (1 = bad). */
export function behaviourTableCsv(rows: readonly BehaviourRow[], asOf: string): string {
  const header = ['customer_id', 'line_id', 'as_of', ...BEHAVIOUR_FEATURES, 'bad'].join(',');
  const lines = rows.map((r) =>
    [
      r.customerId,
      r.lineId,
      asOf,
      ...BEHAVIOUR_FEATURES.map((f) => csvNumber(r.features[f])),
      r.bad ? '1' : '0',
    ].join(','),
  );
  return `${[header, ...lines].join('\n')}\n`;
}
