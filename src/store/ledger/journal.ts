import type { LoanEvent, PostingLine } from '../../ledger/index.js';
import type { Day } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { dayFromSql, fromJsonText, sqlDate } from './codec.js';

/** The system's current business date (one row, set by EOD and by operators). */
export async function getBusinessDay(q: Queryable): Promise<Day> {
  const { rows } = await q.query<{ day: string }>('select day::text as day from business_day');
  const row = rows[0];
  if (row === undefined) throw new Error('assertion: business_day has no row (migration 0002 inserts it)');
  return dayFromSql(row.day);
}

export async function setBusinessDay(q: Queryable, day: Day): Promise<void> {
  await q.query('update business_day set day = $1::date, updated_at = now()', [sqlDate(day)]);
}

export interface StoredEvent {
  seq: number;
  day: Day;
  type: string;
  clientId: string | null;
  recordedAt: string;
  event: LoanEvent;
}

/** One loan's events after `afterSeq`, in order. */
export async function listLoanEvents(
  q: Queryable,
  customerId: string,
  loanId: string,
  afterSeq: number,
  limit: number,
): Promise<StoredEvent[]> {
  const { rows } = await q.query<{
    seq: number;
    day: string;
    type: string;
    client_id: string | null;
    recorded_at: string;
    payload: string;
  }>(
    `select seq, day::text as day, type, client_id, payload::text as payload,
       to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at
     from loan_events where customer_id = $1 and loan_id = $2 and seq > $3 order by seq limit $4`,
    [customerId, loanId, afterSeq, limit],
  );
  return rows.map((r) => ({
    seq: r.seq,
    day: dayFromSql(r.day),
    type: r.type,
    clientId: r.client_id,
    recordedAt: r.recorded_at,
    event: fromJsonText<LoanEvent>(r.payload),
  }));
}

export interface StoredPosting {
  postingNo: number;
  customerId: string;
  loanId: string;
  day: Day;
  eventSeq: number;
  eventRef: string;
  lines: PostingLine[];
}

export interface PostingFilter {
  customerId?: string;
  loanId?: string;
  fromDay?: Day;
  toDay?: Day;
}

/** The journal in posting order after `afterNo`. */
export async function listPostings(
  q: Queryable,
  filter: PostingFilter,
  afterNo: number,
  limit: number,
): Promise<StoredPosting[]> {
  const { rows } = await q.query<{
    posting_no: string | number;
    customer_id: string;
    loan_id: string;
    day: string;
    event_seq: number;
    event_ref: string;
    lines: string;
  }>(
    `select posting_no, customer_id, loan_id, day::text as day, event_seq, event_ref, lines::text as lines
     from postings
     where ($1::text is null or customer_id = $1) and ($2::text is null or loan_id = $2)
       and ($3::date is null or day >= $3::date) and ($4::date is null or day <= $4::date)
       and posting_no > $5
     order by posting_no limit $6`,
    [
      filter.customerId ?? null,
      filter.loanId ?? null,
      filter.fromDay === undefined ? null : sqlDate(filter.fromDay),
      filter.toDay === undefined ? null : sqlDate(filter.toDay),
      afterNo,
      limit,
    ],
  );
  return rows.map((r) => ({
    postingNo: Number(r.posting_no),
    customerId: r.customer_id,
    loanId: r.loan_id,
    day: dayFromSql(r.day),
    eventSeq: r.event_seq,
    eventRef: r.event_ref,
    lines: fromJsonText<PostingLine[]>(r.lines),
  }));
}

export interface AccountTotals {
  account: string;
  debitMinor: number;
  creditMinor: number;
}

/** Debit and credit totals per account over every posting dated on or before `day`. */
export async function accountTotalsThrough(q: Queryable, day: Day): Promise<AccountTotals[]> {
  const { rows } = await q.query<{ account: string; debit: string | number; credit: string | number }>(
    `select l->>'account' as account,
       coalesce(sum((l->>'debitMinor')::bigint), 0)::bigint as debit,
       coalesce(sum((l->>'creditMinor')::bigint), 0)::bigint as credit
     from postings p cross join lateral jsonb_array_elements(p.lines) as l
     where p.day <= $1::date group by 1 order by 1`,
    [sqlDate(day)],
  );
  return rows.map((r) => ({
    account: r.account,
    debitMinor: Number(r.debit),
    creditMinor: Number(r.credit),
  }));
}
