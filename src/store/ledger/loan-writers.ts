/**
 * The loan writers: each stores a `LoanChange` planned by the core (src/ledger/change) as it is and
 * computes none of it — `persistLoanChange` (`per-table`), `insertLoan` (a new loan) and
 * `persistLoanChangesInBulk` (EOD batches, COPY). The `combined` and `batched` writer is `writeCommands`
 * (command-path.ts). test/store/writers.test.ts holds them to storing the same change identically.
 */
import type {
  CommandResult,
  CreditLineState,
  LoanChange,
  LoanEvent,
  LoanSnapshot,
  SeqPosting,
} from '../../ledger/index.js';
import { planOpening } from '../../ledger/index.js';
import type { Queryable } from '../db.js';
import { appendLoanHistories } from './bulk.js';
import { loanDailyText, loanTerms, loanTermsChanged, loanTermsText, sqlDate, toJsonText } from './codec.js';
import { type StoredLine, saveLine, VersionConflictError } from './lines.js';
import { LOAN_COLUMNS, type LoanRow, loanFromRow, loanRowValues, type StoredLoan } from './loan-rows.js';

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
     where customer_id = $1 and loan_id = $2 and row_version = $3 returning ${LOAN_COLUMNS}`,
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
  return loanFromRow(row);
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
     returning ${LOAN_COLUMNS}`,
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
  const stored = loanFromRow(row);
  const change = planOpening(input.opened);
  await insertEvents(tx, state.customerId, change.events);
  await insertPostings(tx, state.customerId, state.loanId, change.postings);
  return stored;
}

/** A credit line as a bulk write needs it: its key, state and the row version read. */
export interface LineVersion {
  customerId: string;
  lineId: string;
  state: CreditLineState;
  rowVersion: number;
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
  // A batch keys its lines by line id alone (ids are drawn at random; the planner checks the customer).
  const read = new Map(lines.map((l) => [l.lineId, l]));
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
