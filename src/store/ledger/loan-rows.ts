/** Reading loans: the loan row, its log, snapshots and what a backdated command needs of its past. */
import {
  journalSeqsFrom,
  type LoanEvent,
  type LoanHistory,
  type LoanSnapshot,
  type LoanState,
  type Posting,
  takeSnapshot,
} from '../../ledger/index.js';
import type { Day } from '../../money/index.js';
import type { Queryable } from '../db.js';
import {
  dayFromSql,
  fromJsonText,
  loanDailyText,
  loanStateFromColumns,
  loanTermsChanged,
  loanTermsText,
  sqlDate,
} from './codec.js';

/** A loan row: the engine state after its last event and last closed day, and the row version. */
export interface StoredLoan {
  customerId: string;
  loanId: string;
  lineId: string;
  productId: string;
  productVersion: number;
  state: LoanState;
  rowVersion: number;
  partitionKey: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * The values of a loan row's update, in the order every writer numbers them: customer, loan, the row
 * version read, the daily state, seq, status, last closed day, next event day, and the terms — null when
 * unchanged, so that the row keeps the stored value (decision 0235).
 */
export function loanRowValues(loan: StoredLoan, state: LoanState): unknown[] {
  return [
    loan.customerId,
    loan.loanId,
    loan.rowVersion,
    loanDailyText(state),
    state.seq,
    state.status,
    sqlDate(state.lastClosedDay),
    sqlDate(state.nextEventDay),
    loanTermsChanged(loan.state, state) ? loanTermsText(state) : null,
  ];
}

export interface LoanRow {
  customer_id: string;
  loan_id: string;
  line_id: string;
  product_id: string;
  product_version: number;
  /** The state without its terms, and the terms (codec.ts loanStateFromColumns joins them). */
  state: string;
  terms: string;
  last_closed_day: string;
  row_version: string | number;
  partition_key: number;
  created_at: string;
  updated_at: string;
  eod_closed_day: string | null;
}

/**
 * The last business day whose EOD run succeeded (null before the first): every loan with nothing to do
 * through it counts as closed through it, without its row being written (decision 0232).
 */
const EOD_CLOSED_DAY = `(select max(business_day) from eod_runs where status = 'succeeded')::text as eod_closed_day`;

const TS = (c: string) => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${c}`;
const COLUMNS = `customer_id, loan_id, line_id, product_id, product_version, state::text as state,
  terms::text as terms, last_closed_day::text as last_closed_day, row_version, partition_key, ${TS('created_at')}, ${TS('updated_at')},
  ${EOD_CLOSED_DAY}`;

/** The columns a loan is read with, and the reading (for the `combined` command write). */
export const LOAN_COLUMNS = COLUMNS;
export const loanFromRow = (row: LoanRow): StoredLoan => fromRow(row);

function fromRow(row: LoanRow): StoredLoan {
  let state = loanStateFromColumns(row.state, row.terms);
  // Before its next event day a loan has nothing to do: the state is the same with a later marker. The
  // marker column may have been moved alone (advanceQuietLoans), and EOD runs do not write such loans at
  // all: they count as closed through the last successful run's day, up to the eve of their next event.
  let closed = dayFromSql(row.last_closed_day);
  if (row.eod_closed_day !== null) {
    closed = Math.max(closed, Math.min(state.nextEventDay - 1, dayFromSql(row.eod_closed_day)));
  }
  if (closed > state.lastClosedDay) state = { ...state, lastClosedDay: closed };
  return {
    customerId: row.customer_id,
    loanId: row.loan_id,
    lineId: row.line_id,
    productId: row.product_id,
    productVersion: row.product_version,
    state,
    rowVersion: Number(row.row_version),
    partitionKey: row.partition_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A loan by id (and customer, when known); `forUpdate` locks its row until the transaction ends. */
export async function findLoan(
  q: Queryable,
  loanId: string,
  options: { forUpdate?: boolean; customerId?: string } = {},
): Promise<StoredLoan | undefined> {
  const { rows } = await q.query<LoanRow>(
    `select ${COLUMNS} from loans where loan_id = $1 and ($2::text is null or customer_id = $2)
     ${options.forUpdate === true ? 'for update' : ''}`,
    [loanId, options.customerId ?? null],
  );
  const row = rows[0];
  return row === undefined ? undefined : fromRow(row);
}

export interface LoanFilter {
  customerId?: string;
  lineId?: string;
  status?: 'active' | 'settled' | 'written-off';
  productId?: string;
}

/** Loans by loan id after `afterId` (keyset page). */
export async function listLoans(
  q: Queryable,
  filter: LoanFilter,
  afterId: string | null,
  limit: number,
): Promise<StoredLoan[]> {
  const { rows } = await q.query<LoanRow>(
    `select ${COLUMNS} from loans
     where ($1::text is null or customer_id = $1) and ($2::text is null or line_id = $2)
       and ($3::text is null or status = $3) and ($4::text is null or product_id = $4)
       and ($5::text is null or loan_id > $5)
     order by loan_id limit $6`,
    [
      filter.customerId ?? null,
      filter.lineId ?? null,
      filter.status ?? null,
      filter.productId ?? null,
      afterId,
      limit,
    ],
  );
  return rows.map(fromRow);
}

/** The stored log of a loan in seq order (the engine's `log`). */
export async function loadLoanLog(q: Queryable, customerId: string, loanId: string): Promise<LoanEvent[]> {
  const { rows } = await q.query<{ payload: string }>(
    'select payload::text as payload from loan_events where customer_id = $1 and loan_id = $2 order by seq',
    [customerId, loanId],
  );
  return rows.map((r) => fromJsonText<LoanEvent>(r.payload));
}

export async function loadSnapshots(
  q: Queryable,
  customerId: string,
  loanId: string,
): Promise<LoanSnapshot[]> {
  const { rows } = await q.query<{ state: string }>(
    'select state::text as state from loan_snapshots where customer_id = $1 and loan_id = $2 order by seq',
    [customerId, loanId],
  );
  return rows.map((r) => takeSnapshot(fromJsonText<LoanState>(r.state)));
}

/**
 * The stored postings of a loan's events from seq `fromSeq` on, by event seq in posting order: what a
 * backdated command may reverse (`journalSeqsFrom`).
 */
async function postingsFromSeq(q: Queryable, customerId: string, loanId: string, fromSeq: number) {
  const bySeq = new Map<number, Posting[]>();
  const { rows } = await q.query<{ event_seq: number; day: string; event_ref: string; lines: string }>(
    `select event_seq, day::text as day, event_ref, lines::text as lines from postings
     where customer_id = $1 and loan_id = $2 and event_seq >= $3 order by posting_no`,
    [customerId, loanId, fromSeq],
  );
  for (const r of rows) {
    const list = bySeq.get(r.event_seq) ?? [];
    list.push({
      day: dayFromSql(r.day),
      eventRef: r.event_ref,
      lines: JSON.parse(r.lines) as Posting['lines'],
    });
    bySeq.set(r.event_seq, list);
  }
  return bySeq;
}

/** What a command dated `day` on a closed day needs of the loan's past: log, snapshots, postings. */
export async function loadLoanHistory(q: Queryable, loan: StoredLoan, day: Day): Promise<LoanHistory> {
  const log = await loadLoanLog(q, loan.customerId, loan.loanId);
  const snapshots = await loadSnapshots(q, loan.customerId, loan.loanId);
  const postingsBySeq = await postingsFromSeq(q, loan.customerId, loan.loanId, journalSeqsFrom(log, day));
  return { log, snapshots, postingsBySeq };
}
