import type { Installment, Product } from '../ledger/index.js';
import {
  closeDaysThrough,
  LedgerInputError,
  type LoanPosition,
  type LoanState,
  loanPosition,
  openLoan,
  repay,
} from '../ledger/index.js';
import { type Day, formatDate, invariant } from '../money/index.js';
import { IMPACT_MONTHS_MAX, impactReportDays, type OverdueStatus, overdueStatus } from './impact.js';
import {
  DEFAULT_IMPACT_SETTINGS,
  type ImpactSettings,
  type Milestone,
  overdueMilestones,
} from './milestones.js';
import { monthKeyOfDay } from './months.js';

/**
 * What being overdue does to one drawdown, projected through the loan engine: the borrower pays every
 * instalment due before `overdueFromDay` on its due date and nothing after. Amounts and DPD are the engine's
 * (`openLoan`, `repay`, `closeDaysThrough`, `loanPosition`); nothing here computes interest or penalty.
 */
export interface OverdueProjectionInput {
  /** A validated product (`parseProduct`). */
  readonly product: Product;
  readonly principalMinor: number;
  readonly startDay: Day;
  /** First day the borrower stops paying: between the first and the last due date. */
  readonly overdueFromDay: Day;
  /** Month ends shown after the overdue start: 1 … IMPACT_MONTHS_MAX. */
  readonly months: number;
  /** Days the lender demanded payment (restart the limitation period). */
  readonly demandDays?: readonly Day[];
}

/** One reporting date: the engine's position and the regulatory views of its DPD. */
export interface OverdueProjectionRow {
  readonly day: Day;
  readonly position: LoanPosition;
  readonly status: OverdueStatus;
}

export interface OverdueProjection {
  /** The contract schedule the engine opened the loan with. */
  readonly installments: readonly Installment[];
  readonly overdueFromDay: Day;
  /** The first due date on or after the overdue start: the first instalment missed. */
  readonly missedDueDay: Day;
  readonly rows: readonly OverdueProjectionRow[];
  readonly milestones: readonly Milestone[];
}

const LOAN_ID = 'overdue-projection';

/**
 * Pays what falls due on `dueDay`, exactly: an attempt on the (immutable) state with more than enough money,
 * kept as credit rather than prepaid, shows from the engine's own `Repaid` event how much went to the dues;
 * then exactly that is paid. A fen too little would leave a false overdue, a fen too much a credit balance.
 */
function payDueOnTime(state: LoanState, dueDay: Day): LoanState {
  const clientId = `${LOAN_ID}:repay:${formatDate(dueDay)}`;
  const ampleMinor =
    loanPosition(closeDaysThrough(state, dueDay - 1).state).totalOwedMinor + state.disbursedPrincipalMinor;
  const attempt = repay(state, { amountMinor: ampleMinor, day: dueDay, clientId, excess: 'credit' });
  let dueMinor = 0;
  for (const event of attempt.events) {
    if (event.type === 'Repaid') dueMinor += event.amountMinor - event.creditMinor;
  }
  if (dueMinor === 0) return state;
  return repay(state, { amountMinor: dueMinor, day: dueDay, clientId, excess: 'credit' }).state;
}

/** Checks the overdue start against the schedule; returns the first missed due date. */
export function missedDueDayOf(installments: readonly Installment[], overdueFromDay: Day): Day {
  const first = installments[0];
  const last = installments[installments.length - 1];
  invariant(first !== undefined && last !== undefined, 'a schedule has at least one instalment');
  if (overdueFromDay < first.dueDay || overdueFromDay > last.dueDay) {
    throw new LedgerInputError(
      'overdue_from_outside_term',
      'overdueFromDay',
      `the overdue start ${formatDate(overdueFromDay)} is outside the schedule; give a date from the first due date ${formatDate(first.dueDay)} to the last ${formatDate(last.dueDay)}`,
    );
  }
  const missed = installments.find((item) => item.dueDay >= overdueFromDay);
  invariant(missed !== undefined, 'a due date on or after the overdue start exists');
  return missed.dueDay;
}

/** Runs the loan through the engine and reads every view on each reporting date. Pure. */
export function projectOverdue(
  input: OverdueProjectionInput,
  settings: ImpactSettings = DEFAULT_IMPACT_SETTINGS,
): OverdueProjection {
  if (!Number.isInteger(input.months) || input.months < 1 || input.months > IMPACT_MONTHS_MAX) {
    throw new LedgerInputError(
      'months_out_of_range',
      'months',
      `months must be a whole number from 1 to ${IMPACT_MONTHS_MAX}, got ${input.months}`,
    );
  }
  let state = openLoan({
    loanId: LOAN_ID,
    customerId: LOAN_ID,
    lineId: LOAN_ID,
    product: input.product,
    principalMinor: input.principalMinor,
    day: input.startDay,
    delinquency: settings.delinquency,
  }).state;
  const installments = state.plan;
  const missedDueDay = missedDueDayOf(installments, input.overdueFromDay);
  for (const item of installments) {
    if (item.dueDay >= input.overdueFromDay) break;
    state = payDueOnTime(state, item.dueDay);
  }
  const dueMonths = new Set(installments.map((item) => monthKeyOfDay(item.dueDay)));
  const rows: OverdueProjectionRow[] = [];
  for (const day of impactReportDays(input.overdueFromDay, input.months)) {
    state = closeDaysThrough(state, day).state;
    const position = loanPosition(state);
    invariant(position.asOfDay === day, () => `position is as of ${position.asOfDay}, not ${day}`);
    const status = overdueStatus(
      { day, daysPastDue: position.daysPastDue, repaymentDueThisMonth: dueMonths.has(monthKeyOfDay(day)) },
      settings,
    );
    invariant(
      status.bucket === position.bucket,
      () => `bucket ${status.bucket} ≠ the engine's ${position.bucket}`,
    );
    rows.push({ day, position, status });
  }
  const lastRow = rows[rows.length - 1];
  const lastDue = installments[installments.length - 1];
  invariant(lastRow !== undefined && lastDue !== undefined, 'rows and instalments exist');
  const milestones = overdueMilestones(
    {
      missedDueDay,
      lastDueDay: lastDue.dueDay,
      horizonEndDay: lastRow.day,
      graceDays: input.product.graceDays,
      ...(input.demandDays === undefined ? {} : { demandDays: input.demandDays }),
    },
    settings,
  );
  return { installments, overdueFromDay: input.overdueFromDay, missedDueDay, rows, milestones };
}
