import type { LoanEvent } from '../../ledger/index.js';
import type { CreditReportRecord, HoldReason } from '../../reporting/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';
import { fromJsonText } from '../ledger/index.js';

/** A stored month-end record with its release state. */
export interface StoredCreditRecord {
  readonly record: CreditReportRecord;
  readonly status: 'ready' | 'held' | 'exported';
  readonly holdReason: HoldReason | null;
  readonly holdMessage: string | null;
  readonly version: number;
  readonly disputed: boolean;
  readonly batchId: string | null;
}

interface RecordRow {
  record: string;
  status: 'ready' | 'held' | 'exported';
  hold_reason: HoldReason | null;
  hold_message: string | null;
  record_version: number;
  disputed: boolean;
  batch_id: string | null;
}

const COLUMNS =
  'record::text as record, status, hold_reason, hold_message, record_version, disputed, batch_id';

function fromRow(r: RecordRow): StoredCreditRecord {
  return {
    record: JSON.parse(r.record) as CreditReportRecord,
    status: r.status,
    holdReason: r.hold_reason,
    holdMessage: r.hold_message,
    version: r.record_version,
    disputed: r.disputed,
    batchId: r.batch_id,
  };
}

/**
 * The accounts a month reports: loans opened by its last day that were still open at its start — active,
 * written off (the claim is kept and reported as bad debt every month), or ended within the month.
 */
export async function accountsForMonth(
  q: Queryable,
  monthStart: string,
  monthEnd: string,
): Promise<{ customerId: string; loanId: string }[]> {
  const { rows } = await q.query<{ customer_id: string; loan_id: string }>(
    `select customer_id, loan_id from loans
      where opened_day <= $2::date
        and (status <> 'settled' or date '1970-01-01' + (state->>'lastEventDay')::integer >= $1::date)
      order by loan_id`,
    [monthStart, monthEnd],
  );
  return rows.map((r) => ({ customerId: r.customer_id, loanId: r.loan_id }));
}

/** The stored logs of the loans, in seq order. */
export async function loanLogs(q: Queryable, loanIds: readonly string[]): Promise<Map<string, LoanEvent[]>> {
  const out = new Map<string, LoanEvent[]>();
  if (loanIds.length === 0) return out;
  const { rows } = await q.query<{ loan_id: string; payload: string }>(
    `select loan_id, payload::text as payload from loan_events where loan_id = any($1::text[]) order by loan_id, seq`,
    [loanIds],
  );
  for (const r of rows) {
    const list = out.get(r.loan_id) ?? [];
    list.push(fromJsonText<LoanEvent>(r.payload));
    out.set(r.loan_id, list);
  }
  return out;
}

export interface NoticeFacts {
  /** The lender-zone day the first legally required notice (the negative-report notice) was sent. */
  readonly noticeSentDay: string | null;
  /** A negative record of an earlier month went out (or is ready to). */
  readonly earlierNegativeReported: boolean;
}

/**
 * For each loan: when the notice before negative reporting was sent (a legally required reminder of the
 * outbox, sent; its day in the lender's zone), and whether an earlier month already reported it negative.
 */
export async function noticeFacts(
  q: Queryable,
  loanIds: readonly string[],
  month: string,
  zone: string,
): Promise<Map<string, NoticeFacts>> {
  const out = new Map<string, NoticeFacts>();
  if (loanIds.length === 0) return out;
  const { rows } = await q.query<{ loan_id: string; sent_day: string | null; earlier: boolean }>(
    `select l.loan_id,
            (select min((r.sent_at at time zone $3)::date)::text from reminders r
              where r.loan_id = l.loan_id and r.legally_required and r.status = 'sent') as sent_day,
            exists (select 1 from credit_report_records c
              where c.loan_id = l.loan_id and c.month < $2 and c.negative and c.status <> 'held') as earlier
       from unnest($1::text[]) as l(loan_id)`,
    [loanIds, month, zone],
  );
  for (const r of rows) {
    out.set(r.loan_id, { noticeSentDay: r.sent_day, earlierNegativeReported: r.earlier });
  }
  return out;
}

export interface RecordToSave {
  readonly record: CreditReportRecord;
  readonly hold: { reason: HoldReason; message: string } | null;
}

/**
 * Stores the month's records: a rebuild replaces what was not exported yet; an exported record is kept as
 * it went out (a change to it goes through an objection's correction).
 */
export async function saveRecords(tx: Queryable, records: readonly RecordToSave[]): Promise<number> {
  let saved = 0;
  for (const r of records) {
    const res = await tx.query(
      `insert into credit_report_records (customer_id, loan_id, month, record, status_code, negative, status, hold_reason, hold_message)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict (customer_id, loan_id, month) do update set record = excluded.record,
         status_code = excluded.status_code, negative = excluded.negative, status = excluded.status,
         hold_reason = excluded.hold_reason, hold_message = excluded.hold_message, built_at = now()
       where credit_report_records.status <> 'exported'`,
      [
        r.record.customerId,
        r.record.loanId,
        r.record.month,
        JSON.stringify(r.record),
        r.record.statusCode,
        r.record.negative,
        r.hold === null ? 'ready' : 'held',
        r.hold?.reason ?? null,
        r.hold?.message ?? null,
      ],
    );
    saved += res.rowCount ?? 0;
  }
  return saved;
}

export async function monthRecords(
  q: Queryable,
  month: string,
  status?: 'ready' | 'held' | 'exported',
): Promise<StoredCreditRecord[]> {
  const { rows } = await q.query<RecordRow>(
    `select ${COLUMNS} from credit_report_records where month = $1 ${status === undefined ? '' : 'and status = $2'}
      order by loan_id`,
    status === undefined ? [month] : [month, status],
  );
  return rows.map(fromRow);
}

export async function findRecord(
  q: Queryable,
  loanId: string,
  month: string,
  forUpdate = false,
): Promise<StoredCreditRecord | undefined> {
  const { rows } = await q.query<RecordRow>(
    `select ${COLUMNS} from credit_report_records where loan_id = $1 and month = $2${forUpdate ? ' for update' : ''}`,
    [loanId, month],
  );
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

/** Marks the month's ready records exported in a new batch; returns the batch id. */
export async function recordBatch(
  tx: Queryable,
  month: string,
  loanIds: readonly string[],
  sha256: string,
  actor: string,
): Promise<string> {
  const batchId = newId('crb');
  await tx.query(
    `insert into credit_report_batches (batch_id, month, record_count, file_sha256, created_by) values ($1, $2, $3, $4, $5)`,
    [batchId, month, loanIds.length, sha256, actor],
  );
  await tx.query(
    `update credit_report_records set status = 'exported', batch_id = $1
      where month = $2 and status = 'ready' and loan_id = any($3::text[])`,
    [batchId, month, loanIds],
  );
  return batchId;
}

/** Flags or unflags a record while an objection is open (Art. 25). */
export async function setDisputed(
  tx: Queryable,
  loanId: string,
  month: string,
  disputed: boolean,
): Promise<void> {
  await tx.query('update credit_report_records set disputed = $3 where loan_id = $1 and month = $2', [
    loanId,
    month,
    disputed,
  ]);
}

/** Replaces a record with its correction: a new version, ready to go out again. */
export async function saveCorrection(tx: Queryable, record: CreditReportRecord): Promise<void> {
  await tx.query(
    `update credit_report_records set record = $3, status_code = $4, negative = $5, status = 'ready', hold_reason = null,
       hold_message = null, record_version = record_version + 1, batch_id = null
     where loan_id = $1 and month = $2`,
    [record.loanId, record.month, JSON.stringify(record), record.statusCode, record.negative],
  );
}
