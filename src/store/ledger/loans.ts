import {
  applyBackdated,
  applyEvent,
  type BackdatedCommand,
  type CanonicalValue,
  CommandConflictError,
  type CommandResult,
  type CreditLineState,
  closeDaysThrough,
  commandFingerprint,
  firstDifference,
  isSnapshotDay,
  type LoanEvent,
  type LoanSnapshot,
  type LoanState,
  loanAsOf,
  loanPosition,
  type Posting,
  postingsForEvent,
  repay,
  syncLoanPrincipal,
  takeSnapshot,
  waive,
} from '../../ledger/index.js';
import { type Day, endOfMonth } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { appendLoanHistories, type SeqPosting } from './bulk.js';
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
import { findLine, saveLine, VersionConflictError } from './lines.js';

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

/** The columns a loan is read with, and the reading (for the one-statement command path). */
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

export type { SeqPosting };

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

async function postingsOfSeqs(q: Queryable, customerId: string, loanId: string, seqs: number[]) {
  const bySeq = new Map<number, Posting[]>();
  if (seqs.length === 0) return bySeq;
  const { rows } = await q.query<{ event_seq: number; day: string; event_ref: string; lines: string }>(
    `select event_seq, day::text as day, event_ref, lines::text as lines from postings
     where customer_id = $1 and loan_id = $2 and event_seq >= $3 and event_seq <= $4 order by posting_no`,
    [customerId, loanId, Math.min(...seqs), Math.max(...seqs)],
  );
  const wanted = new Set(seqs);
  for (const r of rows) {
    if (!wanted.has(r.event_seq)) continue;
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

/**
 * The postings of new events, each posted against the state just before it. A supersession marker reverses
 * the postings of the events it cancels that are still in force (read from the journal) and restarts the
 * state from the day before its effective day, as the engine does.
 */
export async function postingsFor(
  q: Queryable,
  before: LoanState,
  events: readonly LoanEvent[],
  priorLog: () => Promise<LoanEvent[]>,
): Promise<SeqPosting[]> {
  const made: SeqPosting[] = [];
  let state = before;
  let log: LoanEvent[] | undefined;
  for (const event of events) {
    let posted: Posting[];
    if (event.type === 'EventsSuperseded') {
      log ??= [...(await priorLog())];
      const markers = new Set(log.filter((e) => e.type === 'EventsSuperseded').map((e) => e.seq));
      const cancelledBefore = new Set<number>();
      for (const e of log) {
        if (e.type !== 'EventsSuperseded') continue;
        for (let s = e.fromSeq; s <= e.toSeq; s++) if (!markers.has(s)) cancelledBefore.add(s);
      }
      const seqs: number[] = [];
      for (let s = event.fromSeq; s <= event.toSeq; s++) {
        if (!markers.has(s) && !cancelledBefore.has(s)) seqs.push(s);
      }
      const bySeq = await postingsOfSeqs(q, before.customerId, before.loanId, seqs);
      const cancelled = seqs.flatMap((s) => bySeq.get(s) ?? []);
      posted = postingsForEvent(event, state, cancelled);
      state = applyEvent(loanAsOf(log, event.day - 1), event);
    } else {
      posted = postingsForEvent(event, state);
      state = applyEvent(state, event);
    }
    log?.push(event);
    for (const posting of posted) made.push({ seq: event.seq, posting });
  }
  return made;
}

/** Outstanding principal as the credit line counts it. */
export function principalOf(state: LoanState): number {
  return loanPosition(state).outstandingPrincipalMinor;
}

export interface LoanChange {
  state: LoanState;
  events: readonly LoanEvent[];
  /** Snapshots taken while closing month ends. */
  snapshots?: readonly LoanSnapshot[];
  /** For a backdated correction: drop the snapshots from this day on first (they are superseded). */
  dropSnapshotsFromDay?: Day;
  /** Day the line's restoration is dated (the change's effective day). */
  day: Day;
}

/**
 * Persists one change of a loan in the caller's transaction: appends its events and their postings,
 * stores snapshots, updates the loan row (guarded by the row version it was read with) and brings the
 * credit line's used amount in step with the loan's outstanding principal.
 */
export async function persistLoanChange(
  tx: Queryable,
  loan: StoredLoan,
  change: LoanChange,
): Promise<StoredLoan> {
  const { state, events } = change;
  const made = await postingsFor(tx, loan.state, events, () => loadLoanLog(tx, loan.customerId, loan.loanId));
  const { rows } = await tx.query<LoanRow>(
    `update loans set state = $4::jsonb, terms = coalesce($9::jsonb, terms), seq = $5, status = $6,
       last_closed_day = $7::date, next_event_day = $8::date, row_version = row_version + 1, updated_at = now()
     where customer_id = $1 and loan_id = $2 and row_version = $3 returning ${COLUMNS}`,
    loanRowValues(loan, state),
  );
  const row = rows[0];
  if (row === undefined) throw new VersionConflictError(`loan ${loan.loanId}`);
  await insertEvents(tx, loan.customerId, events);
  await insertPostings(tx, loan.customerId, loan.loanId, made);
  if (change.dropSnapshotsFromDay !== undefined) {
    await tx.query('delete from loan_snapshots where customer_id = $1 and loan_id = $2 and day >= $3::date', [
      loan.customerId,
      loan.loanId,
      sqlDate(change.dropSnapshotsFromDay),
    ]);
  }
  await insertSnapshots(tx, loan.customerId, change.snapshots ?? []);
  const principalBefore = principalOf(loan.state);
  const principalAfter = principalOf(state);
  if (principalAfter !== principalBefore) await syncLine(tx, loan, principalAfter, change.day);
  return fromRow(row);
}

async function syncLine(tx: Queryable, loan: StoredLoan, outstandingMinor: number, day: Day): Promise<void> {
  const line = await findLine(tx, loan.lineId, { forUpdate: true, customerId: loan.customerId });
  if (line === undefined) throw new Error(`assertion: loan ${loan.loanId} names missing line ${loan.lineId}`);
  const step = syncLoanPrincipal(line.state, loan.loanId, outstandingMinor, day);
  if (step.events.length > 0) await saveLine(tx, line, step.line);
}

/** Inserts a new loan (a drawdown): its row, opening events and postings. The line is saved by the caller. */
export async function insertLoan(
  tx: Queryable,
  input: { productVersion: number; opened: CommandResult },
): Promise<StoredLoan> {
  const { state, events } = input.opened;
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
  const made: SeqPosting[] = [];
  let before: LoanState | null = null;
  for (const e of events) {
    for (const posting of postingsForEvent(e, before)) made.push({ seq: e.seq, posting });
    before = before === null ? state : applyEvent(before, e);
  }
  await insertEvents(tx, state.customerId, events);
  await insertPostings(tx, state.customerId, state.loanId, made);
  return stored;
}

// ---------------------------------------------------------------------------------------------------
// End of day

/**
 * Closes a state's days through `day` month by month, taking a snapshot at each month end closed on the
 * way (the snapshot policy of `isSnapshotDay`).
 */
export function closeWithSnapshots(
  state: LoanState,
  day: Day,
): { state: LoanState; events: LoanEvent[]; snapshots: LoanSnapshot[] } {
  const events: LoanEvent[] = [];
  const snapshots: LoanSnapshot[] = [];
  let s = state;
  while (s.lastClosedDay < day) {
    const monthEnd = Math.min(endOfMonth(s.lastClosedDay + 1), day);
    const r = closeDaysThrough(s, monthEnd);
    s = r.state;
    for (const e of r.events) events.push(e);
    if (isSnapshotDay(monthEnd) && r.events.length > 0) snapshots.push(takeSnapshot(s));
  }
  return { state: s, events, snapshots };
}

/**
 * EOD for some loans, as a batch: the loans are locked and read with one query, closed through `day`
 * in memory with the pure engine, and stored with one statement per table in the caller's transaction
 * (events, postings and snapshots by COPY; loan rows and credit lines by one UPDATE each). A loan
 * already closed through `day` is left alone, so a rerun or a resumed run does nothing twice. The rows
 * written are exactly those of closing the loans one after another in loan id order
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
  const closed: ClosedLoan[] = [];
  let eventsWritten = 0;
  for (const row of rows) {
    const loan = fromRow(row);
    if (loan.state.lastClosedDay >= day) continue;
    const r = closeWithSnapshots(loan.state, day);
    closed.push({ loan, state: r.state, events: r.events, snapshots: r.snapshots });
    eventsWritten += r.events.length;
  }
  if (closed.length === 0) return { loansClosed: 0, eventsWritten: 0 };
  await updateClosedLoans(tx, closed);
  await appendLoanHistories(
    tx,
    closed.map((c) => ({
      customerId: c.loan.customerId,
      loanId: c.loan.loanId,
      events: c.events,
      postings: postingsOfClosing(c.loan.state, c.events),
      snapshots: c.snapshots,
    })),
  );
  await syncLinesOfClosed(tx, closed, day);
  return { loansClosed: closed.length, eventsWritten };
}

interface ClosedLoan {
  loan: StoredLoan;
  state: LoanState;
  events: readonly LoanEvent[];
  snapshots: readonly LoanSnapshot[];
}

/** Postings of the events of closing days, each against the state just before it (as `postingsFor`). */
function postingsOfClosing(before: LoanState, events: readonly LoanEvent[]): SeqPosting[] {
  const made: SeqPosting[] = [];
  let state = before;
  for (const event of events) {
    if (event.type === 'EventsSuperseded') {
      throw new Error(`assertion: closing days of loan ${before.loanId} superseded events`);
    }
    for (const posting of postingsForEvent(event, state)) made.push({ seq: event.seq, posting });
    state = applyEvent(state, event);
  }
  return made;
}

/** The loan rows of a closed batch in one UPDATE, each guarded by the row version it was read with. */
async function updateClosedLoans(tx: Queryable, closed: readonly ClosedLoan[]): Promise<void> {
  const rows = closed.map(({ loan, state }) => ({
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
  if (rowCount !== closed.length) {
    throw new VersionConflictError(`${closed.length - rowCount} of ${closed.length} loans of an EOD batch`);
  }
}

/**
 * Brings the credit lines of closed loans whose outstanding principal moved (credit applied to an
 * instalment falling due) in step, as `persistLoanChange` does loan by loan: lines locked after the
 * loans, each loan's step applied in loan id order, and the row version counting one save per step
 * that changed the line.
 */
async function syncLinesOfClosed(tx: Queryable, closed: readonly ClosedLoan[], day: Day): Promise<void> {
  const moved = closed.filter((c) => principalOf(c.state) !== principalOf(c.loan.state));
  if (moved.length === 0) return;
  const keys = [...new Set(moved.map((c) => `${c.loan.customerId}\t${c.loan.lineId}`))].sort();
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
  const lines = new Map<string, { state: CreditLineState; rowVersion: number; saves: number }>();
  for (const r of rows) {
    lines.set(`${r.customer_id}\t${r.line_id}`, {
      state: fromJsonText<CreditLineState>(r.state),
      rowVersion: Number(r.row_version),
      saves: 0,
    });
  }
  for (const c of moved) {
    const line = lines.get(`${c.loan.customerId}\t${c.loan.lineId}`);
    if (line === undefined)
      throw new Error(`assertion: loan ${c.loan.loanId} names missing line ${c.loan.lineId}`);
    const step = syncLoanPrincipal(line.state, c.loan.loanId, principalOf(c.state), day);
    if (step.events.length === 0) continue;
    line.state = step.line;
    line.saves += 1;
  }
  const saved = [...lines.entries()]
    .filter(([, l]) => l.saves > 0)
    .map(([key, l]) => ({
      customer_id: key.split('\t')[0],
      line_id: key.split('\t')[1],
      row_version: l.rowVersion,
      saves: l.saves,
      state: l.state,
      limit_minor: l.state.limitMinor,
      used_minor: l.state.usedMinor,
      status: l.state.status,
    }));
  if (saved.length === 0) return;
  const { rowCount } = await tx.query(
    `update credit_lines c set state = u.state, limit_minor = u.limit_minor, used_minor = u.used_minor,
       status = u.status, row_version = c.row_version + u.saves, updated_at = now()
     from json_to_recordset($1::json) as u(customer_id text, line_id text, row_version bigint, saves integer,
       state jsonb, limit_minor bigint, used_minor bigint, status text)
     where c.customer_id = u.customer_id and c.line_id = u.line_id and c.row_version = u.row_version`,
    [toJsonText(saved)],
  );
  if (rowCount !== saved.length) throw new VersionConflictError(`credit lines of an EOD batch`);
}

/**
 * EOD for some loans one at a time: each is locked, closed through `day` and persisted with
 * `persistLoanChange`. The reference for the batched `closeLoansThrough` (tests compare the two).
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
    const r = closeWithSnapshots(loan.state, day);
    await persistLoanChange(tx, loan, { ...r, day });
    loansClosed++;
    eventsWritten += r.events.length;
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

async function runLoanCommand(
  tx: Queryable,
  loan: StoredLoan,
  command: LoanCommand,
): Promise<{ before: StoredLoan; after: StoredLoan; events: readonly LoanEvent[] }> {
  if (command.day > loan.state.lastClosedDay) {
    const closed = closeWithSnapshots(loan.state, command.day - 1);
    const r = command.type === 'repay' ? repay(closed.state, command) : waive(closed.state, command);
    const events = [...closed.events, ...r.events];
    const after = await persistLoanChange(tx, loan, {
      state: r.state,
      events,
      snapshots: closed.snapshots,
      day: command.day,
    });
    return { before: loan, after, events };
  }
  const log = await loadLoanLog(tx, loan.customerId, loan.loanId);
  const snapshots = await loadSnapshots(tx, loan.customerId, loan.loanId);
  const r = applyBackdated(log, snapshots, loan.state.lastClosedDay, command);
  const after = await persistLoanChange(tx, loan, {
    state: r.state,
    events: r.appended,
    snapshots: r.snapshots,
    dropSnapshotsFromDay: command.day,
    day: Math.max(command.day, loan.state.lastClosedDay),
  });
  return { before: loan, after, events: r.appended };
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
