/**
 * The `combined` strategy of a repayment or waiver (src/store/write-strategy.ts): one statement reads
 * (and, locked, locks) everything the command needs, one writes everything it changes (decision 0212);
 * several commands of different loans share both statements under `batched` (decision 0216).
 * `applyLoanCommand` is the `per-table` strategy every case falls back to.
 */
import {
  type CreditLineState,
  commandFingerprint,
  type LoanChange,
  type LoanEvent,
  planCommand,
} from '../../ledger/index.js';
import type { Day } from '../../money/index.js';
import type { AuditEntry } from '../audit.js';
import { type Queryable, sqlState } from '../db.js';
import { type IdempotencyRecord, idempotencyValues } from '../idempotency.js';
import { dayFromSql, fromJsonText, sqlDate, toJsonText } from './codec.js';
import { type StoredLine, VersionConflictError } from './lines.js';
import { LOAN_COLUMNS, type LoanRow, loanFromRow, loanRowValues, type StoredLoan } from './loan-rows.js';
import type { LoanCommand } from './loans.js';

const TS = (c: string, as: string) =>
  `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${as}`;

/**
 * Locks the loan, then its credit line (the order of decision 0210), and reads the business day and
 * whether the command's client id or the request's idempotency key was seen before. Those two are read
 * from the statement's snapshot: a duplicate committed while this one waited for the lock is not seen
 * here, and its insert below fails on the primary key instead (the caller then falls back to `per-table`).
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
  return row === undefined ? undefined : lockedFromRow(row);
}

/**
 * `lockForCommand` without locks for several commands in one round trip (decision 0216): the loan, line,
 * business day and seen flags of each target, in the targets' order; undefined where the case is not the
 * common one. Targets may name the same loan: each gets the same reading, and the write that comes second
 * finds the row version changed.
 */
const READ_MANY_SQL = `
select t.i::integer as target, l.*, c.*, (select day::text from business_day) as business_day,
  exists (select 1 from ledger_commands k where k.customer_id = l.customer_id and k.client_id = t.client_id)
    as command_seen,
  exists (select 1 from idempotency_keys i
          where i.user_id = t.user_id and i.idempotency_key = t.idem_key and i.expires_at > now()) as request_seen
from unnest($1::text[], $2::text[], $3::text[], $4::text[]) with ordinality as t(loan_id, client_id, user_id, idem_key, i)
cross join lateral (select ${LOAN_COLUMNS} from loans where loans.loan_id = t.loan_id) l
cross join lateral (
  select c.state::text as line_state, c.row_version as line_row_version,
    ${TS('c.created_at', 'line_created_at')}, ${TS('c.updated_at', 'line_updated_at')}
  from credit_lines c where c.customer_id = l.customer_id and c.line_id = l.line_id) c`;

export async function readForCommands(
  q: Queryable,
  targets: readonly CommandTarget[],
): Promise<(LockedForCommand | undefined)[]> {
  const { rows } = await q.query<LoadRow & { target: number }>(
    READ_MANY_SQL,
    [
      targets.map((t) => t.loanId),
      targets.map((t) => t.clientId),
      targets.map((t) => t.userId),
      targets.map((t) => t.idempotencyKey),
    ],
    { name: 'lendguard_commands_read' },
  );
  const out: (LockedForCommand | undefined)[] = targets.map(() => undefined);
  for (const row of rows) out[row.target - 1] = lockedFromRow(row);
  return out;
}

function lockedFromRow(row: LoadRow): LockedForCommand | undefined {
  if (row.command_seen || row.request_seen) return undefined;
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
  /** The change the core planned: everything the write stores of the loan and its line. */
  change: LoanChange;
  /** The line's new state when the change saves the line (its principal moved), else undefined. */
  line: CreditLineState | undefined;
}

/**
 * Plans a command on the loan and line read (the core's `planCommand`, with the line's step). Returns
 * undefined for a backdated command: it needs the loan's history, which only `per-table` reads.
 */
export function planCommandWrite(locked: LockedForCommand, command: LoanCommand): CommandChange | undefined {
  const { loan, line } = locked;
  if (command.day <= loan.state.lastClosedDay) return undefined;
  const change = planCommand(loan.state, line.state, command);
  const lineAfter = change.line !== null && change.line.events.length > 0 ? change.line.after : undefined;
  const after: StoredLoan = { ...loan, state: change.state, rowVersion: loan.rowVersion + 1 };
  return {
    before: loan,
    after,
    events: change.events,
    line: lineAfter,
    pending: { loan, lineBefore: line, command, change, line: lineAfter },
  };
}

/**
 * The parts a write has: month-end snapshots only when a command closed a month first, the credit line
 * only when a loan's principal moved. A part left out of the statement costs nothing (a part with no
 * rows still opens its table and indexes and locks them on every run), so each shape is its own prepared
 * statement (decision 0215).
 */
interface WriteShape {
  guarded: boolean;
  snapshots: boolean;
  line: boolean;
}

/**
 * One statement writes the commands of one or more loans (decision 0216): every part is a set of rows
 * taken from parallel arrays, one element per loan, event, posting, snapshot, line, audit entry or
 * idempotency record. Parameter numbers are counted in the order the statement's text lists them.
 */
const writeSql = (shape: WriteShape) => {
  let n = 0;
  const next = () => `$${++n}`;
  const ps = (count: number) => Array.from({ length: count }, next);
  // $1–$9: the loan rows ($9 their terms, null where unchanged)
  const [lnCustomer, lnLoan, lnVersion, lnState, lnSeq, lnStatus, lnClosed, lnNext, lnTerms] = ps(9);
  const [cmdClient, cmdKind, cmdHash, cmdFields, cmdResult] = ps(5);
  const [evCustomer, evLoan, evSeq, evDay, evType, evPayload, evClient] = ps(7);
  const [poCustomer, poLoan, poDay, poSeq, poRef, poLines, poDebit] = ps(7);
  const sn = shape.snapshots ? ps(5) : [];
  const li = shape.line ? ps(7) : [];
  const [auActor, auRole, auRequest, auAction, auType, auId, auCustomer, auDetails] = ps(8);
  const [ikUser, ikKey, ikMethod, ikRoute, ikMac, ikFieldMacs, ikMacKeyId, ikStatus, ikBody, ikLocation] =
    ps(10);
  const hours = next();
  const parts = [
    `cmd as (
  insert into ledger_commands (customer_id, client_id, kind, fingerprint, fields, result)
  select u.c, u.k, u.t, u.h, u.f::jsonb, u.r::jsonb
  from unnest(${lnCustomer}::text[], ${cmdClient}::text[], ${cmdKind}::text[], ${cmdHash}::text[],
    ${cmdFields}::text[], ${cmdResult}::text[]) as u(c, k, t, h, f, r))`,
    `loan as (
  update loans l set state = u.st::jsonb, terms = coalesce(u.tm::jsonb, l.terms), seq = u.sq, status = u.ss,
    last_closed_day = u.lc::date, next_event_day = u.ne::date, row_version = l.row_version + 1, updated_at = now()
  from unnest(${lnCustomer}::text[], ${lnLoan}::text[], ${lnVersion}::bigint[], ${lnState}::text[],
    ${lnSeq}::integer[], ${lnStatus}::text[], ${lnClosed}::text[], ${lnNext}::text[], ${lnTerms}::text[])
    as u(c, id, v, st, sq, ss, lc, ne, tm)
  where l.customer_id = u.c and l.loan_id = u.id and l.row_version = u.v returning 1)`,
    `ev as (
  insert into loan_events (customer_id, loan_id, seq, day, type, payload, client_id)
  select u.c, u.l, u.s, u.d::date, u.t, u.p::jsonb, u.k
  from unnest(${evCustomer}::text[], ${evLoan}::text[], ${evSeq}::integer[], ${evDay}::text[], ${evType}::text[],
    ${evPayload}::text[], ${evClient}::text[]) as u(c, l, s, d, t, p, k))`,
    `po as (
  insert into postings (customer_id, loan_id, day, event_seq, event_ref, lines, debit_minor)
  select u.c, u.ln, u.d::date, u.s, u.r, u.l::jsonb, u.m
  from unnest(${poCustomer}::text[], ${poLoan}::text[], ${poDay}::text[], ${poSeq}::integer[], ${poRef}::text[],
    ${poLines}::text[], ${poDebit}::bigint[]) with ordinality as u(c, ln, d, s, r, l, m, o)
  order by u.o)`,
    ...(shape.snapshots
      ? [
          `sn as (
  insert into loan_snapshots (customer_id, loan_id, seq, day, state)
  select u.c, u.l, u.s, u.d::date, u.st::jsonb
  from unnest(${sn[0]}::text[], ${sn[1]}::text[], ${sn[2]}::integer[], ${sn[3]}::text[], ${sn[4]}::text[])
    as u(c, l, s, d, st)
  on conflict do nothing)`,
        ]
      : []),
    ...(shape.line
      ? [
          `li as (
  update credit_lines c set state = u.st::jsonb, limit_minor = u.lm, used_minor = u.um, status = u.ss,
    row_version = c.row_version + 1, updated_at = now()
  from unnest(${li[0]}::text[], ${li[1]}::text[], ${li[2]}::text[], ${li[3]}::bigint[], ${li[4]}::bigint[],
    ${li[5]}::text[], ${li[6]}::bigint[]) as u(c, id, st, lm, um, ss, v)
  where c.customer_id = u.c and c.line_id = u.id and c.row_version = u.v returning 1)`,
        ]
      : []),
    `au as (
  insert into audit_log (actor_user_id, actor_role, action, request_id, resource_type, resource_id,
    customer_id, details)
  select u.au, u.ar, u.a, u.rq, u.rt, u.ri, u.ci, u.dt::jsonb
  from unnest(${auActor}::text[], ${auRole}::text[], ${auAction}::text[], ${auRequest}::text[], ${auType}::text[],
    ${auId}::text[], ${auCustomer}::text[], ${auDetails}::text[]) with ordinality as u(au, ar, a, rq, rt, ri, ci, dt, o)
  order by u.o)`,
    // The response and the field MACs are text: stored as sent, read only for a replay (decision 0215).
    `ik as (
  insert into idempotency_keys (user_id, idempotency_key, method, route, request_mac, field_macs,
    mac_key_id, response_status, response_body, resource_location, expires_at)
  select u.us, u.k, u.m, u.r, u.mac, u.fm, u.mk, u.st, u.b, u.lo, now() + make_interval(hours => ${hours})
  from unnest(${ikUser}::text[], ${ikKey}::text[], ${ikMethod}::text[], ${ikRoute}::text[], ${ikMac}::text[],
    ${ikFieldMacs}::text[], ${ikMacKeyId}::text[], ${ikStatus}::integer[], ${ikBody}::text[], ${ikLocation}::text[])
    as u(us, k, m, r, mac, fm, mk, st, b, lo))`,
  ];
  const lines = shape.line ? '(select count(*) from li)::integer' : '0';
  return `
with ${parts.join(',\n')}
select (select count(*) from loan)::integer as loans, ${lines} as lines${
    shape.guarded
      ? // Run on its own (no lock held since the read), the statement must not commit part of it: a loan or
        // line changed since the read makes this a division by zero, which aborts all of it.
        `,
  1 / ((select count(*) from loan) = cardinality(${lnLoan}::text[])${
    shape.line ? ` and (select count(*) from li) = cardinality(${li[1]}::text[])` : ''
  })::integer as unchanged`
      : ''
  }`;
};

/** The prepared statement of each shape, by name, made on first use. */
const writeStatements = new Map<string, string>();

function writeStatement(shape: WriteShape): { name: string; sql: string } {
  const name = `lendguard_commands_write${shape.guarded ? '_guarded' : ''}${shape.snapshots ? '_snapshots' : ''}${shape.line ? '_line' : ''}`;
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

/** One loan's command to write: what `planCommandWrite` made and the request's records. */
export interface CommandWrite {
  pending: PendingCommandWrite;
  records: CommandRecords;
}

/**
 * The `combined` write of one command, in one round trip: the command log entry, the loan row (guarded
 * by its row version), events, postings, month-end snapshots and the credit line as the planned
 * `LoanChange` has them, the audit entries and the idempotency record. A client id or key
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
  await writeCommands(q, [{ pending, records }], options);
}

/**
 * The `batched` write: `writeCommand` for the commands of several loans in one statement and one commit
 * (decision 0216): all
 * are written or none. The loans must be distinct and so must their credit lines when their principal
 * moved (one statement cannot update a row twice); a caller that batches keeps such commands apart.
 * Unlocked, a change to any of the loans or lines since it was read writes nothing
 * (VersionConflictError), and a client id or key stored meanwhile fails the whole statement on a
 * primary key.
 */
export async function writeCommands(
  q: Queryable,
  writes: readonly CommandWrite[],
  options: { locked: boolean },
): Promise<void> {
  if (writes.length === 0) return;
  const loanIds = new Set<string>();
  const lineIds = new Set<string>();
  const ln: unknown[][] = Array.from({ length: 9 }, () => []);
  const cmd: unknown[][] = Array.from({ length: 5 }, () => []);
  const ev: unknown[][] = Array.from({ length: 7 }, () => []);
  const po: unknown[][] = Array.from({ length: 7 }, () => []);
  const sn: unknown[][] = Array.from({ length: 5 }, () => []);
  const li: unknown[][] = Array.from({ length: 7 }, () => []);
  const au: unknown[][] = Array.from({ length: 8 }, () => []);
  const ik: unknown[][] = Array.from({ length: 10 }, () => []);
  let hours: unknown;
  const push = (columns: unknown[][], values: readonly unknown[]) => {
    for (let i = 0; i < columns.length; i++) (columns[i] as unknown[]).push(values[i]);
  };
  for (const { pending, records } of writes) {
    const { loan, command, change, line } = pending;
    const { state, events, snapshots } = change;
    if (loanIds.has(loan.loanId)) throw new Error(`assertion: loan ${loan.loanId} twice in one write`);
    loanIds.add(loan.loanId);
    if (change.loanId !== loan.loanId || change.before?.seq !== loan.state.seq)
      throw new Error(`assertion: a change of loan ${change.loanId} planned from another reading`);
    if (change.dropSnapshotsFromDay !== null)
      throw new Error(`assertion: a backdated change of loan ${loan.loanId} is written per-table`);
    const content = { loanId: loan.loanId, ...command };
    const { canonical, contentHash } = commandFingerprint(content);
    const actor = records.audit[0];
    if (actor === undefined) throw new Error('assertion: a ledger command writes an audit entry');
    const idem = records.idempotency;
    for (const a of records.audit) {
      if (a.actorUserId !== idem.userId || a.actorRole !== actor.actorRole || a.requestId !== actor.requestId)
        throw new Error('assertion: the audit entries of one command share its actor and request');
    }
    const c = loan.customerId;
    push(ln, loanRowValues(loan, state));
    push(cmd, [
      command.clientId,
      command.type,
      contentHash,
      JSON.stringify(canonical),
      JSON.stringify({ loanId: loan.loanId, afterSeq: loan.state.seq }),
    ]);
    for (const e of events)
      push(ev, [
        c,
        loan.loanId,
        e.seq,
        sqlDate(e.day),
        e.type,
        toJsonText(e),
        'clientId' in e ? e.clientId : null,
      ]);
    // postings, in the order made
    for (const { posting, seq } of change.postings) {
      let debit = 0;
      for (const l of posting.lines) if ('debitMinor' in l) debit += l.debitMinor;
      push(po, [
        c,
        loan.loanId,
        sqlDate(posting.day),
        seq,
        posting.eventRef,
        JSON.stringify(posting.lines),
        debit,
      ]);
    }
    for (const s of snapshots)
      push(sn, [c, loan.loanId, s.state.seq, sqlDate(s.state.lastClosedDay), toJsonText(s.state)]);
    if (line !== undefined) {
      const lineKey = `${c}\u0000${pending.lineBefore.lineId}`;
      if (lineIds.has(lineKey))
        throw new Error(`assertion: credit line ${pending.lineBefore.lineId} twice in one write`);
      lineIds.add(lineKey);
      push(li, [
        c,
        pending.lineBefore.lineId,
        toJsonText(line),
        line.limitMinor,
        line.usedMinor,
        line.status,
        pending.lineBefore.rowVersion,
      ]);
    }
    for (const a of records.audit)
      push(au, [
        idem.userId,
        actor.actorRole,
        actor.requestId,
        a.action,
        a.resourceType,
        a.resourceId,
        a.customerId,
        JSON.stringify(a.details),
      ]);
    const values = idempotencyValues(idem, records.responseText);
    hours = values[8];
    push(ik, [idem.userId, idem.key, ...values.slice(0, 8)]);
  }
  const shape = { guarded: !options.locked, snapshots: sn[0]!.length > 0, line: li[0]!.length > 0 };
  const statement = writeStatement(shape);
  const params: unknown[] = [
    ...ln,
    ...cmd,
    ...ev,
    ...po,
    ...(shape.snapshots ? sn : []),
    ...(shape.line ? li : []),
    ...au,
    ...ik,
    hours,
  ];
  let rows: { loans: number; lines: number }[];
  try {
    ({ rows } = await q.query<{ loans: number; lines: number }>(statement.sql, params, {
      name: statement.name,
    }));
  } catch (error) {
    if (!options.locked && sqlState(error) === SQLSTATE_DIVISION_BY_ZERO)
      throw new VersionConflictError(
        writes.length === 1
          ? `loan ${writes[0]!.pending.loan.loanId} or its credit line`
          : `one of ${writes.length} loans or their credit lines`,
      );
    throw error;
  }
  const counts = rows[0];
  if (counts === undefined || counts.loans !== writes.length)
    throw new VersionConflictError(
      writes.length === 1 ? `loan ${writes[0]!.pending.loan.loanId}` : `one of ${writes.length} loans`,
    );
  if (li[0]!.length > 0 && counts.lines !== li[0]!.length)
    throw new VersionConflictError(`credit line of loan ${writes[0]!.pending.loan.loanId}`);
}

/**
 * Which of the writes would now meet a changed row: its loan, or the credit line it moves, no longer at
 * the version it was read at. One statement, no locks; used to take the changed ones out of a batch that
 * failed (decision 0216), so that the rest can be written together again.
 */
export async function changedSinceRead(q: Queryable, writes: readonly CommandWrite[]): Promise<boolean[]> {
  const { rows } = await q.query<{ i: number }>(
    `select u.i::integer as i
     from unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[]) with ordinality as u(c, l, v, li, lv, i)
     where not exists (select 1 from loans where customer_id = u.c and loan_id = u.l and row_version = u.v)
        or (u.li is not null and
            not exists (select 1 from credit_lines where customer_id = u.c and line_id = u.li and row_version = u.lv))`,
    [
      writes.map((w) => w.pending.loan.customerId),
      writes.map((w) => w.pending.loan.loanId),
      writes.map((w) => w.pending.loan.rowVersion),
      writes.map((w) => (w.pending.line === undefined ? null : w.pending.lineBefore.lineId)),
      writes.map((w) => (w.pending.line === undefined ? null : w.pending.lineBefore.rowVersion)),
    ],
    { name: 'lendguard_commands_changed' },
  );
  const changed = writes.map(() => false);
  for (const r of rows) changed[r.i - 1] = true;
  return changed;
}
