import { type LoanEvent, loanPosition } from '../../ledger/index.js';
import { addDays, type Day } from '../../money/index.js';
import {
  PAYMENT_LOOKBACK_DAYS,
  type PaymentBehaviour,
  paymentBehaviourOf,
  type ReviewDocumentKind,
  type SignalInputs,
  type StatementFigures,
} from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
import { dayFromSql, fromJsonText, sqlDate } from '../ledger/codec.js';
import { LOAN_COLUMNS, loanFromRow } from '../ledger/loan-rows.js';
import { monitoringProfiles } from './profiles.js';

/** Customers early warning looks at, in id order after `after`: those with an open line or a profile. */
export async function customersToMonitor(
  q: Queryable,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const { rows } = await q.query<{ customer_id: string }>(
    `select customer_id from (
       select customer_id from credit_lines where status <> 'closed'
       union select customer_id from monitoring_profiles) c
     where $1::text is null or customer_id > $1 order by customer_id limit $2`,
    [after, limit],
  );
  return rows.map((r) => r.customer_id);
}

const addBehaviour = (a: PaymentBehaviour, b: PaymentBehaviour): PaymentBehaviour => ({
  partialPayments: a.partialPayments + b.partialPayments,
  missedPayments: a.missedPayments + b.missedPayments,
  lateInstalments: a.lateInstalments + b.lateInstalments,
  maxDaysLate: Math.max(a.maxDaysLate, b.maxDaysLate),
});

/**
 * Everything the early-warning facts are made of, for a page of customers, read in a few statements
 * (docs/monitoring.md lists the sources). Customers without a line or profile get empty inputs.
 */
export async function loadSignalInputs(
  q: Queryable,
  customerIds: readonly string[],
  day: Day,
): Promise<Map<string, SignalInputs>> {
  const ids = [...customerIds];
  const profiles = await monitoringProfiles(q, ids);
  const lines = await q.query<{ customer_id: string; limit_minor: string; used_minor: string }>(
    `select customer_id, sum(limit_minor)::text as limit_minor, sum(used_minor)::text as used_minor from credit_lines
     where customer_id = any($1::text[]) and status <> 'closed' group by customer_id`,
    [ids],
  );
  const loans = await q.query(
    `select ${LOAN_COLUMNS}, opened_day::text as opened from loans
     where customer_id = any($1::text[]) and status = 'active'`,
    [ids],
  );
  const events = await q.query<{ customer_id: string; loan_id: string; payload: string }>(
    `select customer_id, loan_id, payload::text as payload from loan_events
     where customer_id = any($1::text[]) and type in ('InstallmentDue', 'Repaid', 'CreditApplied') and day > $2::date
     order by customer_id, loan_id, seq`,
    [ids, sqlDate(addDays(day, -PAYMENT_LOOKBACK_DAYS - 31))],
  );
  const bureau = await q.query<{ customer_id: string; lenders3m: number }>(
    `select customer_id, lenders3m from bureau_refreshes where customer_id = any($1::text[]) and as_of_day <= $2::date
     order by customer_id, as_of_day desc`,
    [ids, sqlDate(day)],
  );
  const docs = await q.query<{
    customer_id: string;
    kind: ReviewDocumentKind;
    figures: string;
    valid_until_day: string;
  }>(
    `select customer_id, kind, figures::text as figures, valid_until_day::text as valid_until_day from review_documents
     where customer_id = any($1::text[]) and received_day <= $2::date
     order by customer_id, received_day desc, created_at desc`,
    [ids, sqlDate(day)],
  );
  const requests = await q.query<{ customer_id: string; document: ReviewDocumentKind; due_day: string }>(
    `select customer_id, document, due_day::text as due_day from review_requests
     where customer_id = any($1::text[]) and status = 'open'`,
    [ids],
  );
  const shocked = await q.query<{ industry: string }>(
    `select distinct industry from industry_shocks
     where ended_at is null and from_day <= $1::date and (to_day is null or to_day >= $1::date)`,
    [sqlDate(day)],
  );
  const incomes = await q.query<{ customer_id: string; amount: string }>(
    `select customer_id, declared_monthly_minor::text as amount from income_declarations
     where customer_id = any($1::text[]) and day <= $2::date order by customer_id, day desc, created_at desc`,
    [ids, sqlDate(day)],
  );
  const shockList = new Set(shocked.rows.map((r) => r.industry));
  const out = new Map<string, SignalInputs>();
  for (const id of ids) {
    const profile = profiles.get(id);
    out.set(id, {
      day,
      segment: profile?.segment ?? '*',
      industry: profile?.industry ?? '',
      limit_fen: 0,
      used_fen: 0,
      drawn30d_fen: 0,
      daysPastDue: 0,
      openLoans: 0,
      payments: { partialPayments: 0, missedPayments: 0, lateInstalments: 0, maxDaysLate: 0 },
      bureauLenders3m: bureau.rows.filter((r) => r.customer_id === id).map((r) => r.lenders3m),
      applicationLenders3m: profile?.applicationLenders3m ?? null,
      incomeEvidenceValidUntil: null,
      openRequestDueDays: {
        'business-statements': requests.rows
          .filter((r) => r.customer_id === id && r.document === 'business-statements')
          .map((r) => dayFromSql(r.due_day)),
        'income-evidence': requests.rows
          .filter((r) => r.customer_id === id && r.document === 'income-evidence')
          .map((r) => dayFromSql(r.due_day)),
      },
      statements: [
        ...docs.rows
          .filter((r) => r.customer_id === id && r.kind === 'business-statements')
          .map((r) => JSON.parse(r.figures) as StatementFigures),
        ...(profile?.applicationStatements ? [profile.applicationStatements] : []),
      ],
      industryShocked: profile !== undefined && shockList.has(profile.industry),
      declaredIncomes_fen: [
        ...incomes.rows.filter((r) => r.customer_id === id).map((r) => Number(r.amount)),
        ...(profile?.applicationIncomeMinor == null ? [] : [profile.applicationIncomeMinor]),
      ],
    });
    const evidence = docs.rows.find((r) => r.customer_id === id && r.kind === 'income-evidence');
    if (evidence !== undefined)
      out.set(id, { ...out.get(id)!, incomeEvidenceValidUntil: dayFromSql(evidence.valid_until_day) });
  }
  const set = (id: string, patch: Partial<SignalInputs>) => {
    const cur = out.get(id);
    if (cur !== undefined) out.set(id, { ...cur, ...patch });
  };
  for (const r of lines.rows)
    set(r.customer_id, { limit_fen: Number(r.limit_minor), used_fen: Number(r.used_minor) });
  const byLoan = new Map<string, LoanEvent[]>();
  for (const e of events.rows) {
    const list = byLoan.get(e.loan_id) ?? [];
    list.push(fromJsonText<LoanEvent>(e.payload));
    byLoan.set(e.loan_id, list);
  }
  for (const row of loans.rows as unknown as (Parameters<typeof loanFromRow>[0] & { opened: string })[]) {
    const loan = loanFromRow(row);
    const cur = out.get(loan.customerId);
    if (cur === undefined) continue;
    const p = loanPosition(loan.state);
    const opened = dayFromSql(row.opened);
    set(loan.customerId, {
      openLoans: cur.openLoans + (p.totalOwedMinor > 0 ? 1 : 0),
      daysPastDue: Math.max(cur.daysPastDue, p.daysPastDue),
      drawn30d_fen: cur.drawn30d_fen + (opened > addDays(day, -30) ? loan.state.disbursedPrincipalMinor : 0),
      payments: addBehaviour(cur.payments, paymentBehaviourOf(byLoan.get(loan.loanId) ?? [], day)),
    });
  }
  return out;
}
