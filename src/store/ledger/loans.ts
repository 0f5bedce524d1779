/**
 * The ledger's loan use cases in the store: a repayment or waiver (`per-table`), and the EOD close of
 * loans, in bulk and one at a time. Each loads and locks, lets the core plan (src/ledger/change) and
 * hands the planned change to a writer (loan-writers.ts).
 */
import {
  type BackdatedCommand,
  type CanonicalValue,
  CommandConflictError,
  type CreditLineState,
  commandFingerprint,
  firstDifference,
  type LoanChange,
  type LoanChangeCommand,
  type LoanEvent,
  planClose,
  planCommand,
  withLineSteps,
} from '../../ledger/index.js';
import type { Day } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { fromJsonText, sqlDate } from './codec.js';
import { findLine, type StoredLine } from './lines.js';
import {
  findLoan,
  LOAN_COLUMNS,
  type LoanRow,
  loadLoanHistory,
  loanFromRow,
  type StoredLoan,
} from './loan-rows.js';
import { type LineVersion, persistLoanChange, persistLoanChangesInBulk } from './loan-writers.js';

/**
 * Locks the credit line of a change that moves it and plans the line's step (the order of decision
 * 0210: the loan was locked first). Returns the change with its step and the line as read.
 */
export async function withLockedLine(
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
    `select ${LOAN_COLUMNS} from loans where loan_id = any($1::text[]) order by loan_id, customer_id for update`,
    [loanIds],
  );
  const loans: StoredLoan[] = [];
  const planned: LoanChange[] = [];
  let eventsWritten = 0;
  for (const row of rows) {
    const loan = loanFromRow(row);
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

/** A batch keys its lines by line id alone (ids are random); the planner checks each line's customer. */
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
 * Applies a repayment, waiver or restructuring to a loan in the caller's transaction. The loan row is locked first, so
 * writes to one loan take turns. A loan behind on EOD is closed through the day before the command first;
 * a command on a day already closed is applied as a backdated correction (supersession and replay).
 */
export async function applyLoanCommand(
  tx: Queryable,
  loanId: string,
  command: LoanChangeCommand,
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
async function logCommand(
  tx: Queryable,
  loan: StoredLoan,
  command: LoanChangeCommand,
): Promise<'new' | 'repeat'> {
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
  command: LoanChangeCommand,
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
