import { type Day, formatDate } from '../../money/index.js';
import { mootReminders, type ParsedCadenceDocument, planReminders } from '../../monitoring/index.js';
import { reminderLoanFacts, reminderMootFacts } from '../../reporting/index.js';
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
  plannedRemindersByKey,
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
 * Cancels the reminders of a loan that its current state made moot (a repayment, a waiver, a settlement, a
 * restructuring, a write-off), in the caller's transaction. Returns how many were cancelled. `day` is kept
 * for the callers' sake: moot-ness does not depend on the business day.
 */
export async function cancelMootReminders(q: Queryable, loanId: string, _day?: Day): Promise<number> {
  const pending = await plannedRemindersOfLoan(q, loanId);
  if (pending.length === 0) return 0;
  const loan = await findLoan(q, loanId);
  if (loan === undefined) return 0;
  return cancelReminders(q, loanId, mootReminders(pending, reminderMootFacts(loan.state)));
}

/**
 * `cancelMootReminders` for a loan whose new state the caller holds (just written, in its transaction):
 * one indexed read when the loan has no planned reminder, which is most loans.
 */
export async function cancelRemindersMootAfter(q: Queryable, after: StoredLoan): Promise<number> {
  const pending = await plannedRemindersOfLoan(q, after.loanId);
  if (pending.length === 0) return 0;
  return cancelReminders(q, after.loanId, mootReminders(pending, reminderMootFacts(after.state)));
}

/** `cancelMootReminders` for several loans changed together (a write-off proposal), one after another. */
export async function cancelMootRemindersOfLoans(
  q: Queryable,
  loans: readonly { loanId: string }[],
): Promise<number> {
  let cancelled = 0;
  for (const { loanId } of loans) cancelled += await cancelMootReminders(q, loanId);
  return cancelled;
}

/**
 * The dispatcher's check right before sending: of these claimed reminder messages, cancels (reminder and
 * message, in the caller's transaction) those whose loan's current state made them moot — the same rule
 * as after a change (`mootReminders`), over the same facts, one read of the reminders and one of their
 * loans. Returns the keys cancelled (`loanId/reminderKey`), which must not be sent.
 */
export async function cancelMootBeforeSending(
  q: Queryable,
  messages: readonly { loanId: string; reminderKey: string }[],
): Promise<Set<string>> {
  const cancelled = new Set<string>();
  const pending = await plannedRemindersByKey(q, messages);
  if (pending.length === 0) return cancelled;
  const loanIds = [...new Set(pending.map((p) => p.loanId))];
  const { rows } = await q.query<LoanRow>(
    `select ${LOAN_COLUMNS} from loans where loan_id = any($1::text[])`,
    [loanIds],
  );
  const byLoan = new Map<string, typeof pending>();
  for (const p of pending) {
    const list = byLoan.get(p.loanId) ?? [];
    list.push(p);
    byLoan.set(p.loanId, list);
  }
  for (const row of rows) {
    const loan = loanFromRow(row);
    const moot = mootReminders(byLoan.get(loan.loanId) ?? [], reminderMootFacts(loan.state));
    if (moot.length === 0) continue;
    await cancelReminders(q, loan.loanId, moot);
    for (const m of moot) cancelled.add(`${loan.loanId}/${m.reminderKey}`);
  }
  return cancelled;
}
