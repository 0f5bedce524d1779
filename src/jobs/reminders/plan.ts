import { type Day, formatDate } from '../../money/index.js';
import { mootReminders, type ParsedCadenceDocument, planReminders } from '../../monitoring/index.js';
import { reminderLoanFacts } from '../../reporting/index.js';
import {
  cancelReminders,
  countPlannedOnDay,
  enqueueBusinessEvents,
  findLoan,
  insertPlannedReminders,
  LOAN_COLUMNS,
  type LoanRow,
  loadReminderBorrowers,
  loanFromRow,
  plannedRemindersOfLoan,
  type Queryable,
  type StoredLoan,
} from '../../store/index.js';
import { cadenceInForce } from './cadence.js';

/** Loans read per page while planning a wave. */
export const REMINDER_PLAN_PAGE_LOANS = 2_000;

export interface WaveReport {
  day: string;
  cadenceVersion: string;
  loansRead: number;
  remindersPlanned: number;
  remindersCancelled: number;
  pastDueEvents: number;
}

/** Due dates whose due-anchored stages fall on `day`. */
function anchorDays(document: ParsedCadenceDocument, day: Day): number[] {
  const out = new Set<number>();
  for (const c of document.cadences)
    for (const s of c.stages) if (s.anchor === 'due') out.add(day - s.offsetDays);
  return [...out];
}

/**
 * Loans that may have a reminder on `day`: past due (the negative notice and the overdue stages), or with
 * an unpaid or next instalment due on one of the anchor days. The filter is the database's, on the
 * stored state; the planner decides.
 */
async function wavePage(
  q: Queryable,
  days: readonly number[],
  after: string | null,
  limit: number,
): Promise<StoredLoan[]> {
  const { rows } = await q.query<LoanRow>(
    `select ${LOAN_COLUMNS} from loans
     where status = 'active' and ($1::text is null or loan_id > $1) and (
       bucket <> 'M0'
       or exists (select 1 from jsonb_array_elements(state->'dues') d where (d->>'dueDay')::int = any($2::int[]))
       or ((terms->'plan'->((state->>'nextInstallmentIndex')::int))->>'dueDay')::int = any($2::int[]))
     order by loan_id limit $3`,
    [after, days, limit],
  );
  return rows.map(loanFromRow);
}

/**
 * Plans the reminders of business day `day` (the due-date wave) in the caller's transaction: reads the
 * loans that may have one, lets the core plan them, writes the reminders and their outbox messages.
 * Planning the same day again writes nothing twice. Also queues `loan.past_due` for loans whose first
 * day past due is `day`.
 */
export async function planReminderWave(q: Queryable, day: Day): Promise<WaveReport> {
  const { version, document } = await cadenceInForce(q);
  const days = anchorDays(document, day);
  const report: WaveReport = {
    day: formatDate(day),
    cadenceVersion: version,
    loansRead: 0,
    remindersPlanned: 0,
    remindersCancelled: 0,
    pastDueEvents: 0,
  };
  let after: string | null = null;
  for (;;) {
    const loans = await wavePage(q, days, after, REMINDER_PLAN_PAGE_LOANS);
    if (loans.length === 0) break;
    after = loans[loans.length - 1]?.loanId ?? after;
    report.loansRead += loans.length;
    const customerIds = [...new Set(loans.map((l) => l.customerId))];
    const contacts = await loadReminderBorrowers(q, customerIds, document.defaultContact);
    const facts = loans.map((l) => {
      const c = contacts.get(l.customerId);
      if (c === undefined) throw new Error(`assertion: no contact for ${l.customerId}`);
      return reminderLoanFacts(l.state, day, c.borrower, c.segment);
    });
    const planned = planReminders({
      document,
      day,
      loans: facts,
      plannedToday: await countPlannedOnDay(q, day, customerIds),
    });
    const zones = new Map([...contacts].map(([id, c]) => [id, c.borrower.timeZone]));
    await insertPlannedReminders(q, planned, version, zones);
    for (const r of planned) {
      if (r.status === 'planned') report.remindersPlanned += 1;
      else report.remindersCancelled += 1;
    }
    // One event per overdue instalment and subscriber, whichever day first sees it (the key repeats).
    report.pastDueEvents += await enqueueBusinessEvents(
      q,
      'loan.past_due',
      facts.flatMap((f) => {
        const oldest = f.dues[0];
        if (f.daysPastDue === 0 || oldest === undefined) return [];
        const dueDate = formatDate(oldest.dueDay);
        return [
          {
            subjectKey: `${f.loanId}:${dueDate}`,
            data: { loanId: f.loanId, dueDate, daysPastDue: f.daysPastDue, day: formatDate(day) },
            customerId: f.customerId,
            loanId: f.loanId,
          },
        ];
      }),
    );
    if (loans.length < REMINDER_PLAN_PAGE_LOANS) break;
  }
  return report;
}

/**
 * Cancels the reminders of a loan that its current state made moot (a repayment, a waiver, a settlement),
 * in the caller's transaction. Returns how many were cancelled.
 */
export async function cancelMootReminders(q: Queryable, loanId: string, day: Day): Promise<number> {
  const pending = await plannedRemindersOfLoan(q, loanId);
  if (pending.length === 0) return 0;
  const loan = await findLoan(q, loanId);
  if (loan === undefined) return 0;
  const facts = reminderLoanFacts(loan.state, day, { timeZone: 'UTC', lang: 'en', optOuts: [] }, '*');
  return cancelReminders(q, loanId, mootReminders(pending, facts));
}
