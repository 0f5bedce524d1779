/**
 * The common case of a repayment or waiver in two statements: one reads and locks everything the command
 * needs, one writes everything it changes (decision 0212). `applyLoanCommand` stays the general path;
 * the caller falls back to it whenever this one says the case is not the common one.
 */
import {
  type CommandResult,
  type CreditLineState,
  commandFingerprint,
  type LoanEvent,
  type LoanSnapshot,
  repay,
  syncLoanPrincipal,
  waive,
} from '../../ledger/index.js';
import type { Day } from '../../money/index.js';
import type { AuditEntry } from '../audit.js';
import { type Queryable, sqlState } from '../db.js';
import { type IdempotencyRecord, idempotencyValues } from '../idempotency.js';
import {
  dayFromSql,
  fromJsonText,
  loanDailyText,
  loanTermsChanged,
  loanTermsText,
  sqlDate,
  toJsonText,
} from './codec.js';
import { type StoredLine, VersionConflictError } from './lines.js';
import {
  closeWithSnapshots,
  LOAN_COLUMNS,
  type LoanCommand,
  type LoanRow,
  loanFromRow,
  postingsFor,
  principalOf,
  type StoredLoan,
} from './loans.js';

const TS = (c: string, as: string) =>
  `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${as}`;

/**
 * Locks the loan, then its credit line (the order of decision 0210), and reads the business day and
 * whether the command's client id or the request's idempotency key was seen before. Those two are read
 * from the statement's snapshot: a duplicate committed while this one waited for the lock is not seen
 * here, and its insert below fails on the primary key instead (the caller then takes the general path).
 * Without `lock`, the same read takes no lock: the write then checks the row versions it read.
 */
const loadSql = (lock: boolean) => `
with l as materialized (select ${LOAN_COLUMNS} from loans where loan_id = $1 ${lock ? 'for update' : ''}),
c as materialized (
  select c.state::text as line_state, c.row_version as line_row_version,
    ${TS('c.created_at', 'line_created_at')}, ${TS('c.updated_at', 'line_updated_at')}
  from credit_lines c join l on c.customer_id = l.customer_id and c.line_id = l.line_id
  ${lock ? 'for update of c' : ''})
select l.*, c.*, (select day::text from business_day) as business_day,
  exists (select 1 from ledger_commands k where k.customer_id = l.customer_id and k.client_id = $2) as command_seen,
  exists (select 1 from idempotency_keys i
          where i.user_id = $3 and i.idempotency_key = $4 and i.expires_at > now()) as request_seen
from l cross join c`;
const LOAD_LOCKED_SQL = loadSql(true);
const LOAD_UNLOCKED_SQL = loadSql(false);

interface LoadRow extends LoanRow {
  line_state: string;
  line_row_version: string | number;
  line_created_at: string;
  line_updated_at: string;
  business_day: string;
  command_seen: boolean;
  request_seen: boolean;
}

export interface CommandTarget {
  loanId: string;
  /** The ledger command's client id (ledger_commands). */
  clientId: string;
  /** The request's idempotency scope and key (idempotency_keys). */
  userId: string;
  idempotencyKey: string;
}

export interface LockedForCommand {
  businessDay: Day;
  loan: StoredLoan;
  line: StoredLine;
}

/**
 * One round trip: the loan and line (locked, with `lock`) and the business day, or undefined when this is
 * not the common case (no such loan, a client id or idempotency key seen before).
 */
export async function lockForCommand(
  q: Queryable,
  target: CommandTarget,
  options: { lock: boolean },
): Promise<LockedForCommand | undefined> {
  const { rows } = await q.query<LoadRow>(
    options.lock ? LOAD_LOCKED_SQL : LOAD_UNLOCKED_SQL,
    [target.loanId, target.clientId, target.userId, target.idempotencyKey],
    { name: options.lock ? 'lendguard_command_lock' : 'lendguard_command_read' },
  );
  const row = rows[0];
  if (row === undefined || row.command_seen || row.request_seen) return undefined;
  const loan = loanFromRow(row);
  return {
    businessDay: dayFromSql(row.business_day),
    loan,
    line: {
      customerId: loan.customerId,
      lineId: loan.lineId,
      state: fromJsonText<CreditLineState>(row.line_state),
      rowVersion: Number(row.line_row_version),
      createdAt: row.line_created_at,
      updatedAt: row.line_updated_at,
    },
  };
}

export interface CommandChange {
  before: StoredLoan;
  /** The loan as the write leaves it (state and row version; the times are those read). */
  after: StoredLoan;
  events: readonly LoanEvent[];
  /** The line's new state when the loan's principal moved, else undefined. */
  line: CreditLineState | undefined;
  /** What `writeCommand` stores; kept apart so the caller can build its response first. */
  pending: PendingCommandWrite;
}

export interface PendingCommandWrite {
  loan: StoredLoan;
  lineBefore: StoredLine;
  command: LoanCommand;
  state: CommandResult['state'];
  events: readonly LoanEvent[];
  snapshots: readonly LoanSnapshot[];
  line: CreditLineState | undefined;
}

/**
 * The pure part: closes the loan through the day before the command, applies it, and brings the line in
 * step. Returns undefined for a backdated command (the general path replays the log).
 */
export function planCommand(locked: LockedForCommand, command: LoanCommand): CommandChange | undefined {
  const { loan, line } = locked;
  if (command.day <= loan.state.lastClosedDay) return undefined;
  const closed = closeWithSnapshots(loan.state, command.day - 1);
  const r = command.type === 'repay' ? repay(closed.state, command) : waive(closed.state, command);
  const events = [...closed.events, ...r.events];
  const principalAfter = principalOf(r.state);
  let lineAfter: CreditLineState | undefined;
  if (principalAfter !== principalOf(loan.state)) {
    const step = syncLoanPrincipal(line.state, loan.loanId, principalAfter, command.day);
    if (step.events.length > 0) lineAfter = step.line;
  }
  const after: StoredLoan = { ...loan, state: r.state, rowVersion: loan.rowVersion + 1 };
  return {
    before: loan,
    after,
    events,
    line: lineAfter,
    pending: {
      loan,
      lineBefore: line,
      command,
      state: r.state,
      events,
      snapshots: closed.snapshots,
      line: lineAfter,
    },
  };
}

/**
 * The parts a write has: month-end snapshots only when the command closed a month first, the credit line
 * only when the loan's principal moved. A part left out of the statement costs nothing (a part with no
 * rows still opens its table and indexes and locks them on every run), so each shape is its own prepared
 * statement (decision 0215).
 */
interface WriteShape {
  guarded: boolean;
  snapshots: boolean;
  line: boolean;
}

/** Parameter numbers of the write's parts, counted in the order the statement's text lists them. */
const writeSql = (shape: WriteShape) => {
  let n = 9; // $1–$9: the loan row ($9 its terms, null when unchanged)
  const next = () => `$${++n}`;
  const ps = (count: number) => Array.from({ length: count }, next);
  const [cmdClient, cmdKind, cmdHash, cmdFields, cmdResult] = ps(5);
  const [evSeq, evDay, evType, evPayload, evClient] = ps(5);
  const [poDay, poSeq, poRef, poLines, poDebit] = ps(5);
  const sn = shape.snapshots ? ps(3) : [];
  const li = shape.line ? ps(6) : [];
  const [actor, role, requestId, auAction, auType, auId, auCustomer, auDetails] = ps(8);
  const [key, method, route, mac, fieldMacs, macKeyId, status, body, location, hours] = ps(10);
  const parts = [
    `cmd as (
  insert into ledger_commands (customer_id, client_id, kind, fingerprint, fields, result)
  values ($1, ${cmdClient}, ${cmdKind}, ${cmdHash}, ${cmdFields}::jsonb, ${cmdResult}::jsonb))`,
    `loan as (
  update loans set state = $4::jsonb, terms = coalesce($9::jsonb, terms), seq = $5, status = $6,
    last_closed_day = $7::date, next_event_day = $8::date, row_version = row_version + 1, updated_at = now()
  where customer_id = $1 and loan_id = $2 and row_version = $3 returning 1)`,
    `ev as (
  insert into loan_events (customer_id, loan_id, seq, day, type, payload, client_id)
  select $1, $2, u.s, u.d::date, u.t, u.p::jsonb, u.c
  from unnest(${evSeq}::integer[], ${evDay}::text[], ${evType}::text[], ${evPayload}::text[], ${evClient}::text[])
    as u(s, d, t, p, c))`,
    `po as (
  insert into postings (customer_id, loan_id, day, event_seq, event_ref, lines, debit_minor)
  select $1, $2, u.d::date, u.s, u.r, u.l::jsonb, u.m
  from unnest(${poDay}::text[], ${poSeq}::integer[], ${poRef}::text[], ${poLines}::text[], ${poDebit}::bigint[])
    with ordinality as u(d, s, r, l, m, o)
  order by u.o)`,
    ...(shape.snapshots
      ? [
          `sn as (
  insert into loan_snapshots (customer_id, loan_id, seq, day, state)
  select $1, $2, u.s, u.d::date, u.st::jsonb
  from unnest(${sn[0]}::integer[], ${sn[1]}::text[], ${sn[2]}::text[]) as u(s, d, st)
  on conflict do nothing)`,
        ]
      : []),
    ...(shape.line
      ? [
          `li as (
  update credit_lines set state = ${li[1]}::jsonb, limit_minor = ${li[2]}, used_minor = ${li[3]}, status = ${li[4]},
    row_version = row_version + 1, updated_at = now()
  where customer_id = $1 and line_id = ${li[0]} and row_version = ${li[5]} returning 1)`,
        ]
      : []),
    `au as (
  insert into audit_log (actor_user_id, actor_role, action, request_id, resource_type, resource_id,
    customer_id, details)
  select ${actor}, ${role}, u.a, ${requestId}, u.rt, u.ri, u.ci, u.dt::jsonb
  from unnest(${auAction}::text[], ${auType}::text[], ${auId}::text[], ${auCustomer}::text[], ${auDetails}::text[])
    as u(a, rt, ri, ci, dt))`,
    // The response and the field MACs are text: stored as sent, read only for a replay (decision 0215).
    `ik as (
  insert into idempotency_keys (user_id, idempotency_key, method, route, request_mac, field_macs,
    mac_key_id, response_status, response_body, resource_location, expires_at)
  values (${actor}, ${key}, ${method}, ${route}, ${mac}, ${fieldMacs}, ${macKeyId}, ${status}, ${body}, ${location},
    now() + make_interval(hours => ${hours})))`,
  ];
  const lines = shape.line ? '(select count(*) from li)::integer' : '0';
  return `
with ${parts.join(',\n')}
select (select count(*) from loan)::integer as loans, ${lines} as lines${
    shape.guarded
      ? // Run on its own (no lock held since the read), the statement must not commit half: a loan or line
        // changed since the read makes this a division by zero, which aborts all of it.
        `,
  1 / ((select count(*) from loan) * ${shape.line ? '(select count(*) from li)' : '1'})::integer as unchanged`
      : ''
  }`;
};

/** The prepared statement of each shape, by name, made on first use. */
const writeStatements = new Map<string, string>();

function writeStatement(shape: WriteShape): { name: string; sql: string } {
  const name = `lendguard_command_write${shape.guarded ? '_guarded' : ''}${shape.snapshots ? '_snapshots' : ''}${shape.line ? '_line' : ''}`;
  let sql = writeStatements.get(name);
  if (sql === undefined) {
    sql = writeSql(shape);
    writeStatements.set(name, sql);
  }
  return { name, sql };
}
const SQLSTATE_DIVISION_BY_ZERO = '22012';

export interface CommandRecords {
  /** The audit entries of the write, all by one actor in one request. */
  audit: readonly AuditEntry[];
  idempotency: IdempotencyRecord;
  /** The response body as sent (JSON text), stored for replays. */
  responseText: string;
}

/**
 * One round trip: the command log entry, the loan row (guarded by its row version), events, postings,
 * month-end snapshots, the credit line, the audit entries and the idempotency record. A client id or key
 * stored meanwhile makes it fail on a primary key (unique violation), rolling the transaction back.
 * `locked`: the rows were locked by `lockForCommand` in the same transaction; otherwise the statement
 * runs on its own and writes nothing when the loan or line changed since they were read
 * (VersionConflictError).
 */
export async function writeCommand(
  q: Queryable,
  pending: PendingCommandWrite,
  records: CommandRecords,
  options: { locked: boolean },
): Promise<void> {
  const { loan, command, state, events, snapshots } = pending;
  const made = await postingsFor(q, loan.state, events, async () => {
    throw new Error('assertion: the command path appends no supersession');
  });
  const content = { loanId: loan.loanId, ...command };
  const { canonical, contentHash } = commandFingerprint(content);
  const actor = records.audit[0];
  if (actor === undefined) throw new Error('assertion: a ledger command writes an audit entry');
  const idem = records.idempotency;
  const line = pending.line;
  const shape = { guarded: !options.locked, snapshots: snapshots.length > 0, line: line !== undefined };
  const statement = writeStatement(shape);
  const params: unknown[] = [
    loan.customerId,
    loan.loanId,
    loan.rowVersion,
    loanDailyText(state),
    state.seq,
    state.status,
    sqlDate(state.lastClosedDay),
    sqlDate(state.nextEventDay),
    // loans.terms: written only when the command re-amortised the loan (decision 0235)
    loanTermsChanged(loan.state, state) ? loanTermsText(state) : null,
    // ledger_commands
    command.clientId,
    command.type,
    contentHash,
    JSON.stringify(canonical),
    JSON.stringify({ loanId: loan.loanId, afterSeq: loan.state.seq }),
    // loan_events
    events.map((e) => e.seq),
    events.map((e) => sqlDate(e.day)),
    events.map((e) => e.type),
    events.map((e) => toJsonText(e)),
    events.map((e) => ('clientId' in e ? e.clientId : null)),
    // postings, in the order made
    made.map(({ posting }) => sqlDate(posting.day)),
    made.map(({ seq }) => seq),
    made.map(({ posting }) => posting.eventRef),
    made.map(({ posting }) => JSON.stringify(posting.lines)),
    made.map(({ posting }) => {
      let debit = 0;
      for (const l of posting.lines) if ('debitMinor' in l) debit += l.debitMinor;
      return debit;
    }),
    // loan_snapshots and credit_lines: only in the shapes that have them (writeSql)
    ...(shape.snapshots
      ? [
          snapshots.map((s) => s.state.seq),
          snapshots.map((s) => sqlDate(s.state.lastClosedDay)),
          snapshots.map((s) => toJsonText(s.state)),
        ]
      : []),
    ...(line === undefined
      ? []
      : [
          pending.lineBefore.lineId,
          toJsonText(line),
          line.limitMinor,
          line.usedMinor,
          line.status,
          pending.lineBefore.rowVersion,
        ]),
    // audit_log (the first is also the idempotency record's user)
    idem.userId,
    actor.actorRole,
    actor.requestId,
    records.audit.map((a) => a.action),
    records.audit.map((a) => a.resourceType),
    records.audit.map((a) => a.resourceId),
    records.audit.map((a) => a.customerId),
    records.audit.map((a) => JSON.stringify(a.details)),
    // idempotency_keys
    idem.key,
    ...idempotencyValues(idem, records.responseText),
  ];
  for (const a of records.audit) {
    if (a.actorUserId !== idem.userId || a.actorRole !== actor.actorRole || a.requestId !== actor.requestId)
      throw new Error('assertion: the audit entries of one command share its actor and request');
  }
  let rows: { loans: number; lines: number }[];
  try {
    ({ rows } = await q.query<{ loans: number; lines: number }>(statement.sql, params, {
      name: statement.name,
    }));
  } catch (error) {
    if (!options.locked && sqlState(error) === SQLSTATE_DIVISION_BY_ZERO)
      throw new VersionConflictError(`loan ${loan.loanId} or its credit line`);
    throw error;
  }
  const counts = rows[0];
  if (counts === undefined || counts.loans !== 1) throw new VersionConflictError(`loan ${loan.loanId}`);
  if (line !== undefined && counts.lines !== 1) throw new VersionConflictError(`credit line ${loan.lineId}`);
}
