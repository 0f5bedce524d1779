import { closeDaysThrough, type LoanState, loanPosition } from '../ledger/index.js';
import { type Day, invariant } from '../money/index.js';
import { impactReportDays, overdueStatus } from './impact.js';
import {
  DEFAULT_IMPACT_SETTINGS,
  type ImpactSettings,
  type Milestone,
  overdueMilestones,
} from './milestones.js';
import { monthKeyOfDay } from './months.js';
import type { OverdueProjectionRow } from './overdue-projection.js';

/**
 * The impact view of a loan on the book: from the day it stands on, the borrower pays nothing more. The
 * engine closes the loan forward month end by month end (interest, dues falling overdue, penalty, buckets)
 * exactly as the end-of-day batch would; the reporting core gives each day's regulatory views and the
 * milestones of the oldest unpaid (or next) instalment. Pure: the state and the horizon are the inputs.
 */
export interface LoanImpact {
  /** The day the projection starts from (the loan's last closed day, or its latest event's). */
  readonly fromDay: Day;
  /** The oldest unpaid due date, or the next due date when nothing is unpaid. */
  readonly missedDueDay: Day;
  readonly rows: readonly OverdueProjectionRow[];
  readonly milestones: readonly Milestone[];
}

export function projectLoanImpact(
  state: LoanState,
  months: number,
  settings: ImpactSettings = DEFAULT_IMPACT_SETTINGS,
): LoanImpact {
  invariant(state.status === 'active', () => `loan ${state.loanId} is settled: nothing stays overdue`);
  const loanSettings: ImpactSettings = { ...settings, delinquency: state.delinquency };
  const fromDay = Math.max(state.lastClosedDay, state.lastEventDay);
  const lastDue = state.plan[state.plan.length - 1];
  const missedDueDay = state.dues[0]?.dueDay ?? state.plan[state.nextInstallmentIndex]?.dueDay;
  invariant(
    lastDue !== undefined && missedDueDay !== undefined,
    () => `active loan ${state.loanId} has neither an unpaid nor a coming instalment`,
  );
  const dueMonths = new Set(state.plan.map((item) => monthKeyOfDay(item.dueDay)));
  const rows: OverdueProjectionRow[] = [];
  let s = state;
  for (const day of impactReportDays(fromDay, months)) {
    if (day > s.lastClosedDay) s = closeDaysThrough(s, day).state;
    const position = loanPosition(s);
    const status = overdueStatus(
      { day, daysPastDue: position.daysPastDue, repaymentDueThisMonth: dueMonths.has(monthKeyOfDay(day)) },
      loanSettings,
    );
    rows.push({ day, position, status });
  }
  const lastRow = rows[rows.length - 1];
  invariant(lastRow !== undefined, 'the impact view has at least one row');
  const milestones = overdueMilestones(
    {
      missedDueDay,
      lastDueDay: Math.max(lastDue.dueDay, missedDueDay),
      horizonEndDay: lastRow.day,
      graceDays: state.product.graceDays,
    },
    loanSettings,
  );
  return { fromDay, missedDueDay, rows, milestones };
}
