import {
  type BackdatedCommand,
  type CanonicalValue,
  CommandConflictError,
  type CommandResult,
  type CreditLineState,
  commandFingerprint,
  firstDifference,
  journalSeqsFrom,
  type LoanChange,
  type LoanEvent,
  type LoanHistory,
  type LoanSnapshot,
  type LoanState,
  type Posting,
  planClose,
  planCommand,
  planOpening,
  type SeqPosting,
  takeSnapshot,
  withLineSteps,
} from '../../ledger/index.js';
import type { Day } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { appendLoanHistories } from './bulk.js';
import {
  dayFromSql,
  fromJsonText,
  loanDailyText,
  loanStateFromColumns,
  loanTerms,
  loanTermsChanged,
  loanTermsText,
  sqlDate,
  toJsonText,
} from './codec.js';
import { findLine, type StoredLine, saveLine, VersionConflictError } from './lines.js';

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
  status?: 'active' | 'settled';
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

// ---------------------------------------------------------------------------------------------------
// Writing

const INSERT_ROWS_MAX = 500;

async function insertEvents(q: Queryable, customerId: string, events: readonly LoanEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += INSERT_ROWS_MAX) {
    const chunk = events.slice(i, i + INSERT_ROWS_MAX);
    const params: unknown[] = [customerId];
    const values = chunk.map((e) => {
      const clientId = 'clientId' in e ? e.clientId : null;
      params.push(e.loanId, e.seq, sqlDate(e.day), e.type, toJsonText(e), clientId);
      const n = params.length;
      return `($1, $${n - 5}, $${n - 4}, $${n - 3}::date, $${n - 2}, $${n - 1}::jsonb, $${n})`;
    });
    await q.query(
      `insert into loan_events (customer_id, loan_id, seq, day, type, payload, client_id) values ${values.join(', ')}`,
      params,
    );
  }
}

async function insertPostings(q: Queryable, customerId: string, loanId: string, made: readonly SeqPosting[]) {
  for (let i = 0; i < made.length; i += INSERT_ROWS_MAX) {
    const chunk = made.slice(i, i + INSERT_ROWS_MAX);
    const params: unknown[] = [customerId, loanId];
    const values = chunk.map(({ seq, posting }) => {
      let debit = 0;
      for (const l of posting.lines) if ('debitMinor' in l) debit += l.debitMinor;
      params.push(sqlDate(posting.day), seq, posting.eventRef, JSON.stringify(posting.lines), debit);
      const n = params.length;
      return `($1, $2, $${n - 4}::date, $${n - 3}, $${n - 2}, $${n - 1}::jsonb, $${n})`;
    });
    await q.query(
      `insert into postings (customer_id, loan_id, day, event_seq, event_ref, lines, debit_minor) values ${values.join(', ')}`,
      params,
    );
  }
}

async function insertSnapshots(q: Queryable, customerId: string, snapshots: readonly LoanSnapshot[]) {
  for (const s of snapshots) {
    // A quiet loan has the same seq at several month ends: the first snapshot of a seq serves them all.
    await q.query(
      `insert into loan_snapshots (customer_id, loan_id, seq, day, state) values ($1, $2, $3, $4::date, $5::jsonb)
       on conflict do nothing`,
      [customerId, s.state.loanId, s.state.seq, sqlDate(s.state.lastClosedDay), toJsonText(s.state)],
    );
  }
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

/** The checks every writer makes of a change before storing it for a loan read at a row version. */
function assertChangeOf(loan: StoredLoan, change: LoanChange): void {
  if (change.loanId !== loan.loanId || change.before?.seq !== loan.state.seq)
    throw new Error(
      `assertion: a change of loan ${change.loanId} planned from another reading of ${loan.loanId}`,
    );
  if (change.lineMove !== null && change.line === null)
    throw new Error(`assertion: the line step of loan ${loan.loanId} was not planned`);
}

/**
 * The `per-table` writer of one loan change, in the caller's transaction: appends its events and
 * postings, drops superseded snapshots and stores new ones, updates the loan row (guarded by the row
 * version it was read with) and saves the credit line's planned step (`line`: the line as read, locked,
 * when the change moves it). It computes nothing: everything stored is in `change`.
 */
export async function persistLoanChange(
  tx: Queryable,
  loan: StoredLoan,
  change: LoanChange,
  line?: StoredLine,
): Promise<StoredLoan> {
  assertChangeOf(loan, change);
  const { rows } = await tx.query<LoanRow>(
    `update loans set state = $4::jsonb, terms = coalesce($9::jsonb, terms), seq = $5, status = $6,
       last_closed_day = $7::date, next_event_day = $8::date, row_version = row_version + 1, updated_at = now()
     where customer_id = $1 and loan_id = $2 and row_version = $3 returning ${COLUMNS}`,
    loanRowValues(loan, change.state),
  );
  const row = rows[0];
  if (row === undefined) throw new VersionConflictError(`loan ${loan.loanId}`);
  await insertEvents(tx, loan.customerId, change.events);
  await insertPostings(tx, loan.customerId, loan.loanId, change.postings);
  if (change.dropSnapshotsFromDay !== null) {
    await tx.query('delete from loan_snapshots where customer_id = $1 and loan_id = $2 and day >= $3::date', [
      loan.customerId,
      loan.loanId,
      sqlDate(change.dropSnapshotsFromDay),
    ]);
  }
  await insertSnapshots(tx, loan.customerId, change.snapshots);
  if (change.line !== null && change.line.events.length > 0) {
    if (line === undefined || line.lineId !== change.lineId)
      throw new Error(`assertion: the line of loan ${loan.loanId} is needed to save its step`);
    await saveLine(tx, line, change.line.after);
  }
  return fromRow(row);
}

/**
 * Locks the credit line of a change that moves it and plans the line's step (the order of decision
 * 0210: the loan was locked first). Returns the change with its step and the line as read.
 */
async function withLockedLine(
  tx: Queryable,
  loan: StoredLoan,
  change: LoanChange,
): Promise<{ change: LoanChange; line: StoredLine | undefined }> {
  if (change.lineMove === null) return { change, line: undefined };
  const line = await findLine(tx, loan.lineId, { forUpdate: true, customerId: loan.customerId });
  if (line === undefined) throw new Error(`assertion: loan ${loan.loanId} names missing line ${loan.lineId}`);
  const stepped = withLineSteps([change], new Map([[line.lineId, line.state]])).changes[0]!;
  return { change: stepped, line };
}

/** Inserts a new loan (a drawdown): its row, opening events and postings. The line is saved by the caller. */
export async function insertLoan(
  tx: Queryable,
  input: { productVersion: number; opened: CommandResult },
): Promise<StoredLoan> {
  const { state } = input.opened;
  const { rows } = await tx.query<LoanRow>(
    `insert into loans (customer_id, loan_id, line_id, product_id, product_version, status, principal_minor,
       opened_day, state, terms, seq, last_closed_day, next_event_day)
     values ($1, $2, $3, $4, $5, $6, $7, $8::date, $9::jsonb, $13::jsonb, $10, $11::date, $12::date)
     returning ${COLUMNS}`,
    [
      state.customerId,
      state.loanId,
      state.lineId,
      state.product.id,
      input.productVersion,
      state.status,
      state.disbursedPrincipalMinor,
      sqlDate(state.startDay),
      loanDailyText(state),
      state.seq,
      sqlDate(state.lastClosedDay),
      sqlDate(state.nextEventDay),
      loanTermsText(state),
    ],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('assertion: insert returned no row');
  const stored = fromRow(row);
  const change = planOpening(input.opened);
  await insertEvents(tx, state.customerId, change.events);
  await insertPostings(tx, state.customerId, state.loanId, change.postings);
  return stored;
}

// ---------------------------------------------------------------------------------------------------
// End of day

/**
 * EOD for some loans, as a batch: the loans are locked and read with one query, planned closed through
 * `day` by the core (`planClose`), the lines of those whose principal moved locked and stepped in loan id
 * order (`withLineSteps`), and all stored by `persistLoanChangesInBulk` in the caller's transaction. A
 * loan already closed through `day` is left alone, so a rerun or a resumed run does nothing twice. The
 * rows written are exactly those of closing the loans one after another in loan id order
 * (`closeLoansOneAtATime`), row versions included.
 */
export async function closeLoansThrough(
  tx: Queryable,
  loanIds: readonly string[],
  day: Day,
): Promise<{ loansClosed: number; eventsWritten: number }> {
  if (loanIds.length === 0) return { loansClosed: 0, eventsWritten: 0 };
  const { rows } = await tx.query<LoanRow>(
    `select ${COLUMNS} from loans where loan_id = any($1::text[]) order by loan_id, customer_id for update`,
    [loanIds],
  );
  const loans: StoredLoan[] = [];
  const planned: LoanChange[] = [];
  let eventsWritten = 0;
  for (const row of rows) {
    const loan = fromRow(row);
    if (loan.state.lastClosedDay >= day) continue;
    const change = planClose(loan.state, day);
    loans.push(loan);
    planned.push(change);
    eventsWritten += change.events.length;
  }
  if (planned.length === 0) return { loansClosed: 0, eventsWritten: 0 };
  const lines = await lockLinesOf(tx, planned);
  const { changes } = withLineSteps(planned, new Map(lines.map((l) => [lineKey(l), l.state])));
  await persistLoanChangesInBulk(
    tx,
    changes.map((change, i) => ({ loan: loans[i]!, change })),
    lines,
  );
  return { loansClosed: planned.length, eventsWritten };
}

/** A credit line as a bulk write needs it: its key, state and the row version read. */
export interface LineVersion {
  customerId: string;
  lineId: string;
  state: CreditLineState;
  rowVersion: number;
}

/** Line ids are unique per customer; the bulk paths key lines by line id alone within one batch. */
const lineKey = (l: { lineId: string }) => l.lineId;

/** Locks the credit lines the changes move (after their loans, in key order), in one query. */
async function lockLinesOf(tx: Queryable, changes: readonly LoanChange[]): Promise<LineVersion[]> {
  const moved = changes.filter((c) => c.lineMove !== null);
  if (moved.length === 0) return [];
  const keys = [...new Set(moved.map((c) => `${c.customerId}\t${c.lineId}`))].sort();
  const { rows } = await tx.query<{
    customer_id: string;
    line_id: string;
    state: string;
    row_version: number;
  }>(
    `select c.customer_id, c.line_id, c.state::text as state, c.row_version from credit_lines c
     join unnest($1::text[], $2::text[]) as k(customer_id, line_id)
       on c.customer_id = k.customer_id and c.line_id = k.line_id
     order by c.customer_id, c.line_id for update of c`,
    [keys.map((k) => k.split('\t')[0]), keys.map((k) => k.split('\t')[1])],
  );
  return rows.map((r) => ({
    customerId: r.customer_id,
    lineId: r.line_id,
    state: fromJsonText<CreditLineState>(r.state),
    rowVersion: Number(r.row_version),
  }));
}

/**
 * The bulk writer of loan changes (EOD batches), in the caller's transaction: the loan rows by one
 * UPDATE each guarded by the row version read, superseded snapshots dropped, events, postings and
 * snapshots by COPY, and the credit lines by one UPDATE whose row version counts one save per step that
 * changed the line (as `persistLoanChange` saves them one by one). `lines` are the lines as read (locked)
 * of the changes that move them. It computes nothing: everything stored is in the changes.
 */
export async function persistLoanChangesInBulk(
  tx: Queryable,
  items: readonly { loan: StoredLoan; change: LoanChange }[],
  lines: readonly LineVersion[],
): Promise<void> {
  if (items.length === 0) return;
  for (const { loan, change } of items) assertChangeOf(loan, change);
  await updateLoanRows(tx, items);
  const dropped = items.filter((i) => i.change.dropSnapshotsFromDay !== null);
  if (dropped.length > 0) {
    await tx.query(
      `delete from loan_snapshots s using unnest($1::text[], $2::text[], $3::date[]) as d(customer_id, loan_id, day)
       where s.customer_id = d.customer_id and s.loan_id = d.loan_id and s.day >= d.day`,
      [
        dropped.map((i) => i.loan.customerId),
        dropped.map((i) => i.loan.loanId),
        dropped.map((i) => sqlDate(i.change.dropSnapshotsFromDay!)),
      ],
    );
  }
  await appendLoanHistories(
    tx,
    items.map(({ change }) => ({
      customerId: change.customerId,
      loanId: change.loanId,
      events: change.events,
      postings: change.postings,
      snapshots: change.snapshots,
    })),
  );
  await updateLineRows(
    tx,
    items.map((i) => i.change),
    lines,
  );
}

/** The loan rows of a batch in one UPDATE, each guarded by the row version it was read with. */
async function updateLoanRows(
  tx: Queryable,
  items: readonly { loan: StoredLoan; change: LoanChange }[],
): Promise<void> {
  const rows = items.map(({ loan, change: { state } }) => ({
    customer_id: loan.customerId,
    loan_id: loan.loanId,
    row_version: loan.rowVersion,
    state: { ...state, plan: undefined, product: undefined },
    // Unchanged terms are not written: the row keeps the stored value (decision 0235).
    terms: loanTermsChanged(loan.state, state) ? loanTerms(state) : null,
    seq: state.seq,
    status: state.status,
    last_closed_day: sqlDate(state.lastClosedDay),
    next_event_day: sqlDate(state.nextEventDay),
  }));
  const { rowCount } = await tx.query(
    `update loans l set state = u.state, terms = coalesce(u.terms, l.terms), seq = u.seq, status = u.status,
       last_closed_day = u.last_closed_day, next_event_day = u.next_event_day,
       row_version = l.row_version + 1, updated_at = now()
     from json_to_recordset($1::json) as u(customer_id text, loan_id text, row_version bigint, state jsonb,
       terms jsonb, seq integer, status text, last_closed_day date, next_event_day date)
     where l.customer_id = u.customer_id and l.loan_id = u.loan_id and l.row_version = u.row_version`,
    [toJsonText(rows)],
  );
  if (rowCount !== items.length) {
    throw new VersionConflictError(`${items.length - rowCount} of ${items.length} loans of a batch`);
  }
}

/** The planned line steps of a batch: per line, its last state and one save per step that changed it. */
async function updateLineRows(
  tx: Queryable,
  changes: readonly LoanChange[],
  lines: readonly LineVersion[],
): Promise<void> {
  const read = new Map(lines.map((l) => [lineKey(l), l]));
  const saved = new Map<string, { line: LineVersion; state: CreditLineState; saves: number }>();
  for (const c of changes) {
    if (c.lineMove !== null && c.line === null)
      throw new Error(`assertion: the line step of loan ${c.loanId} was not planned`);
    if (c.line === null || c.line.events.length === 0) continue;
    const line = read.get(c.lineId);
    if (line === undefined) throw new Error(`assertion: loan ${c.loanId} names missing line ${c.lineId}`);
    const entry = saved.get(c.lineId) ?? { line, state: line.state, saves: 0 };
    entry.state = c.line.after;
    entry.saves += 1;
    saved.set(c.lineId, entry);
  }
  if (saved.size === 0) return;
  const rows = [...saved.values()].map(({ line, state, saves }) => ({
    customer_id: line.customerId,
    line_id: line.lineId,
    row_version: line.rowVersion,
    saves,
    state,
    limit_minor: state.limitMinor,
    used_minor: state.usedMinor,
    status: state.status,
  }));
  const { rowCount } = await tx.query(
    `update credit_lines c set state = u.state, limit_minor = u.limit_minor, used_minor = u.used_minor,
       status = u.status, row_version = c.row_version + u.saves, updated_at = now()
     from json_to_recordset($1::json) as u(customer_id text, line_id text, row_version bigint, saves integer,
       state jsonb, limit_minor bigint, used_minor bigint, status text)
     where c.customer_id = u.customer_id and c.line_id = u.line_id and c.row_version = u.row_version`,
    [toJsonText(rows)],
  );
  if (rowCount !== rows.length) throw new VersionConflictError('credit lines of a batch');
}

/**
 * EOD for some loans one at a time: each is locked, planned closed through `day`, its line locked and
 * stepped when its principal moved, and stored by the `per-table` writer. The reference for the batched
 * `closeLoansThrough` (tests compare the two).
 */
export async function closeLoansOneAtATime(
  tx: Queryable,
  loanIds: readonly string[],
  day: Day,
): Promise<{ loansClosed: number; eventsWritten: number }> {
  let loansClosed = 0;
  let eventsWritten = 0;
  for (const loanId of [...loanIds].sort()) {
    const loan = await findLoan(tx, loanId, { forUpdate: true });
    if (loan === undefined || loan.state.lastClosedDay >= day) continue;
    const { change, line } = await withLockedLine(tx, loan, planClose(loan.state, day));
    await persistLoanChange(tx, loan, change, line);
    loansClosed++;
    eventsWritten += change.events.length;
  }
  return { loansClosed, eventsWritten };
}

/** Partition keys are 0 … PARTITION_KEY_COUNT − 1 (from the customer id, see migration 0002). */
export const PARTITION_KEY_COUNT = 1024;

export interface PartitionRange {
  /** Inclusive bounds on `loans.partition_key`. */
  fromKey: number;
  toKey: number;
}

/**
 * Moves the marker column of loans with nothing to do on or before `day` (next event day after it) in
 * one UPDATE, writing no event. Returns how many moved. EOD runs no longer call it: such loans count as
 * closed through the last successful run without being written (decision 0232).
 */
export async function advanceQuietLoans(tx: Queryable, day: Day, range?: PartitionRange): Promise<number> {
  // Found through loan_eod's index; the trigger on loans moves loan_eod's copy of the marker.
  const { rowCount } = await tx.query(
    `update loans l set last_closed_day = $1::date, row_version = l.row_version + 1
     from loan_eod e
     where e.last_closed_day < $1::date and e.next_event_day > $1::date
       and e.partition_key between $2 and $3
       and l.customer_id = e.customer_id and l.loan_id = e.loan_id`,
    [sqlDate(day), range?.fromKey ?? 0, range?.toKey ?? PARTITION_KEY_COUNT - 1],
  );
  return rowCount;
}

/**
 * Loans with nothing to do on or before `day` (next event day after it) that are not closed through it.
 * The EOD run does not write them (decision 0232); this counts them for the run's figures.
 */
export async function countQuietLoans(q: Queryable, day: Day, range?: PartitionRange): Promise<number> {
  const { rows } = await q.query<{ quiet: number }>(
    `select count(*)::int as quiet from loan_eod
     where last_closed_day < $1::date and next_event_day > $1::date and partition_key between $2 and $3`,
    [sqlDate(day), range?.fromKey ?? 0, range?.toKey ?? PARTITION_KEY_COUNT - 1],
  );
  return rows[0]?.quiet ?? 0;
}

/** Loans that have work on or before `day` and are not closed through it, by loan id after `afterId`. */
export async function loansNeedingEod(
  q: Queryable,
  day: Day,
  range: PartitionRange | undefined,
  afterId: string | null,
  limit: number,
): Promise<string[]> {
  const { rows } = await q.query<{ loan_id: string }>(
    `select loan_id from loan_eod
     where last_closed_day < $1::date and next_event_day <= $1::date and partition_key between $2 and $3
       and ($4::text is null or loan_id > $4)
     order by loan_id limit $5`,
    [sqlDate(day), range?.fromKey ?? 0, range?.toKey ?? PARTITION_KEY_COUNT - 1, afterId, limit],
  );
  return rows.map((r) => r.loan_id);
}

// ---------------------------------------------------------------------------------------------------
// Commands on a loan

export type LoanCommand = BackdatedCommand;

/**
 * Applies a repayment or waiver to a loan in the caller's transaction. The loan row is locked first, so
 * writes to one loan take turns. A loan behind on EOD is closed through the day before the command first;
 * a command on a day already closed is applied as a backdated correction (supersession and replay).
 */
export async function applyLoanCommand(
  tx: Queryable,
  loanId: string,
  command: LoanCommand,
  options: { customerId?: string } = {},
): Promise<{ before: StoredLoan; after: StoredLoan; events: readonly LoanEvent[]; repeated: boolean }> {
  const loan = await findLoan(tx, loanId, { forUpdate: true, ...options });
  if (loan === undefined) throw new LoanNotFoundError(loanId);
  const logged = await logCommand(tx, loan, command);
  if (logged === 'repeat') return { before: loan, after: loan, events: [], repeated: true };
  const done = await runLoanCommand(tx, loan, command);
  return { ...done, repeated: false };
}

/**
 * The ledger command log (ledger_commands): a client id seen before with the same command is a repeat
 * (nothing is applied again); with a different command it is refused, naming the first field that
 * differs. Runs under the loan's row lock, so two commands with one client id cannot both be new.
 */
async function logCommand(tx: Queryable, loan: StoredLoan, command: LoanCommand): Promise<'new' | 'repeat'> {
  const content = { loanId: loan.loanId, ...command };
  const { canonical, contentHash } = commandFingerprint(content);
  // One round trip in the common case: the insert succeeds. Only a seen client id reads the first entry.
  const inserted = await tx.query(
    `insert into ledger_commands (customer_id, client_id, kind, fingerprint, fields, result)
     values ($1, $2, $3, $4, $5::jsonb, $6::jsonb) on conflict do nothing`,
    [
      loan.customerId,
      command.clientId,
      command.type,
      contentHash,
      JSON.stringify(canonical),
      JSON.stringify({ loanId: loan.loanId, afterSeq: loan.state.seq }),
    ],
  );
  if (inserted.rowCount === 1) return 'new';
  const { rows } = await tx.query<{ fingerprint: string; fields: string }>(
    'select fingerprint, fields::text as fields from ledger_commands where customer_id = $1 and client_id = $2',
    [loan.customerId, command.clientId],
  );
  const seen = rows[0];
  if (seen === undefined)
    throw new Error(`assertion: ledger command ${command.clientId} neither new nor found`);
  if (seen.fingerprint === contentHash) return 'repeat';
  const difference = firstDifference(JSON.parse(seen.fields) as CanonicalValue, canonical);
  if (difference === null) return 'repeat';
  throw new CommandConflictError(command.clientId, difference);
}

/**
 * The `per-table` use case of a command: the loan is locked; a command on a closed day reads the loan's
 * history; the core plans the change; the line is locked and stepped when the principal moves.
 */
async function runLoanCommand(
  tx: Queryable,
  loan: StoredLoan,
  command: LoanCommand,
): Promise<{ before: StoredLoan; after: StoredLoan; events: readonly LoanEvent[] }> {
  const history =
    command.day > loan.state.lastClosedDay ? undefined : await loadLoanHistory(tx, loan, command.day);
  const planned = planCommand(loan.state, null, command, history);
  const { change, line } = await withLockedLine(tx, loan, planned);
  const after = await persistLoanChange(tx, loan, change, line);
  return { before: loan, after, events: change.events };
}

export class LoanNotFoundError extends Error {
  readonly code = 'loan_not_found';
  constructor(readonly loanId: string) {
    super(`loan ${loanId} does not exist; list loans with GET /loans`);
    this.name = 'LoanNotFoundError';
  }
}

/** The line state after the loan's principal changed (for callers that show the line). */
export type { CreditLineState };
