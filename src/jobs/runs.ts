import { formatDate, parseDate } from '../money/index.js';
import { type Db, newId, type Queryable } from '../store/index.js';
import { EOD_BOUNDS, type EodOptions } from './config.js';

export type EodRunStatus = 'running' | 'succeeded' | 'failed';
export type EodPartitionStatus = 'pending' | 'running' | 'succeeded' | 'failed';

export interface EodError {
  at: string;
  worker: string;
  loanId: string | null;
  message: string;
}

export interface EodPartition {
  partitionNo: number;
  keyFrom: number;
  keyTo: number;
  status: EodPartitionStatus;
  claimedBy: string | null;
  claimedAt: string | null;
  heartbeatAt: string | null;
  leaseExpiresAt: string | null;
  claims: number;
  loansClosed: number;
  loansAdvanced: number;
  eventsWritten: number;
  errors: EodError[];
  startedAt: string | null;
  finishedAt: string | null;
}

export interface EodRun {
  runId: string;
  businessDay: string;
  status: EodRunStatus;
  partitionsTotal: number;
  batchSize: number;
  requestedBy: string;
  resumes: number;
  loansClosed: number;
  loansAdvanced: number;
  eventsWritten: number;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface EodRunDetail extends EodRun {
  partitions: EodPartition[];
}

/** Expected refusals of the batch, with a stable code and a message that says what to do. */
export class EodRunError extends Error {
  constructor(
    readonly code: 'eod_run_not_found' | 'eod_run_conflict' | 'eod_date_invalid' | 'eod_date_out_of_range',
    message: string,
    /** For `eod_date_out_of_range`: the dates that may be closed now (empty when none may). */
    readonly allowed?: { from: string; through: string },
  ) {
    super(message);
    this.name = 'EodRunError';
  }
}

/** Another worker took the partition over: this worker's work on it was rolled back and it moves on. */
export class LeaseLostError extends Error {
  constructor(runId: string, partitionNo: number, workerId: string) {
    super(`worker ${workerId} lost its claim on partition ${partitionNo} of run ${runId}`);
    this.name = 'LeaseLostError';
  }
}

/** Advisory lock key serialising run creation and finishing (one run per date, one finisher). */
const RUN_LOCK_KEY = 0x1e9d_0e0d;

const RUN_COLUMNS = `run_id, business_day::text as business_day, status, partitions_total, batch_size,
  requested_by, resumes, loans_closed, loans_advanced, events_written,
  to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as started_at,
  to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated_at,
  to_char(finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as finished_at`;

const ts = (column: string) =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${column}`;

const PARTITION_COLUMNS = `partition_no, key_from, key_to, status, claimed_by, ${ts('claimed_at')},
  ${ts('heartbeat_at')}, ${ts('lease_expires_at')}, claims, loans_closed, loans_advanced, events_written,
  errors, ${ts('started_at')}, ${ts('finished_at')}`;

interface RunRow {
  run_id: string;
  business_day: string;
  status: EodRunStatus;
  partitions_total: number;
  batch_size: number;
  requested_by: string;
  resumes: number;
  loans_closed: number | string;
  loans_advanced: number | string;
  events_written: number | string;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
}

interface PartitionRow {
  partition_no: number;
  key_from: number;
  key_to: number;
  status: EodPartitionStatus;
  claimed_by: string | null;
  claimed_at: string | null;
  heartbeat_at: string | null;
  lease_expires_at: string | null;
  claims: number;
  loans_closed: number | string;
  loans_advanced: number | string;
  events_written: number | string;
  errors: EodError[] | string;
  started_at: string | null;
  finished_at: string | null;
}

function toRun(r: RunRow): EodRun {
  return {
    runId: r.run_id,
    businessDay: r.business_day,
    status: r.status,
    partitionsTotal: r.partitions_total,
    batchSize: r.batch_size,
    requestedBy: r.requested_by,
    resumes: r.resumes,
    loansClosed: Number(r.loans_closed),
    loansAdvanced: Number(r.loans_advanced),
    eventsWritten: Number(r.events_written),
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

function toPartition(r: PartitionRow): EodPartition {
  return {
    partitionNo: r.partition_no,
    keyFrom: r.key_from,
    keyTo: r.key_to,
    status: r.status,
    claimedBy: r.claimed_by,
    claimedAt: r.claimed_at,
    heartbeatAt: r.heartbeat_at,
    leaseExpiresAt: r.lease_expires_at,
    claims: r.claims,
    loansClosed: Number(r.loans_closed),
    loansAdvanced: Number(r.loans_advanced),
    eventsWritten: Number(r.events_written),
    errors: typeof r.errors === 'string' ? (JSON.parse(r.errors) as EodError[]) : r.errors,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/** Checks a business date given at the edge: a real calendar date in YYYY-MM-DD form. */
export function checkBusinessDay(text: string): string {
  let day: number;
  try {
    day = parseDate(text, 'date');
  } catch {
    throw new EodRunError(
      'eod_date_invalid',
      `the business date must be a calendar date YYYY-MM-DD; got "${text}"`,
    );
  }
  return formatDate(day);
}

/** Splits the 1,024 partition keys into `count` contiguous ranges whose sizes differ by at most one. */
export function partitionRanges(count: number): { keyFrom: number; keyTo: number }[] {
  const keys = EOD_BOUNDS.partitionKeys_count;
  if (!Number.isInteger(count) || count < 1 || count > keys) {
    throw new Error(`assertion: partitions must be 1 … ${keys}; got ${count}`);
  }
  const ranges: { keyFrom: number; keyTo: number }[] = [];
  for (let i = 0; i < count; i += 1) {
    ranges.push({ keyFrom: Math.floor((i * keys) / count), keyTo: Math.floor(((i + 1) * keys) / count) - 1 });
  }
  return ranges;
}

export interface StartRunInput {
  businessDay: string;
  requestedBy: string;
  options: Pick<EodOptions, 'batchSize' | 'partitions'>;
  /**
   * Today in the lender's zone (YYYY-MM-DD), read from the clock by the caller. Given by every edge (the
   * API, the command line, the demo): a new run's date must then lie from the system business day through
   * today (`checkEodDateInRange`). Left out only by library callers that replay a book in the past.
   */
  today?: string;
}

export interface StartedRun {
  run: EodRun;
  /** `created`: a new run; `resumed`: an unfinished or failed run for the date goes on; `done`: it had succeeded. */
  outcome: 'created' | 'resumed' | 'done';
  /**
   * Business days the run closes: from the system business day through its date (more than 1 when
   * catching up after days without EOD); 0 when the date had been closed already.
   */
  daysToClose: number;
}

/**
 * The dates a new EOD run may close: from the system business day (the first day not yet closed) through
 * today in the lender's zone. A later date would close the book in the future (interest, overdue buckets
 * and penalties nobody can take back); an earlier one is closed already. Several days at once are allowed
 * (catching up after an outage); the run says how many.
 */
export function checkEodDateInRange(businessDay: string, currentDay: string, today: string): number {
  const day = parseDate(businessDay);
  const current = parseDate(currentDay);
  const last = parseDate(today);
  if (current > last) {
    throw new EodRunError(
      'eod_date_out_of_range',
      `no date can be closed now: the business day ${currentDay} is after today ${today} (the lender's zone); wait until ${currentDay} has come`,
      { from: currentDay, through: today },
    );
  }
  const range =
    current === last
      ? `only ${today} can be closed`
      : `dates from ${currentDay} through ${today} can be closed`;
  if (day > last) {
    throw new EodRunError(
      'eod_date_out_of_range',
      `${businessDay} is after today ${today} (the lender's zone) and would close the book in the future; ${range}`,
      { from: currentDay, through: today },
    );
  }
  if (day < current) {
    throw new EodRunError(
      'eod_date_out_of_range',
      `${businessDay} is before the business day ${currentDay}, so it is closed already; ${range}`,
      { from: currentDay, through: today },
    );
  }
  return day - current + 1;
}

async function currentBusinessDay(tx: Queryable): Promise<string> {
  const { rows } = await tx.query<{ day: string }>('select day::text as day from business_day');
  const row = rows[0];
  if (row === undefined) throw new Error('assertion: business_day has no row (migration 0002 inserts it)');
  return row.day;
}

/**
 * Creates the run for a business date with all its partitions pending, or resumes the date's existing run:
 * failed partitions go back to pending (their loans not yet closed are tried again; closed ones are skipped
 * by their markers). A run for another date that has not succeeded blocks a new date: finish it first.
 */
export async function startRun(db: Db, input: StartRunInput): Promise<StartedRun> {
  return db.transaction((tx) => startRunIn(tx, input));
}

/** `startRun` inside the caller's transaction (the API records its idempotency key in the same one). */
export async function startRunIn(tx: Queryable, input: StartRunInput): Promise<StartedRun> {
  const businessDay = checkBusinessDay(input.businessDay);
  await tx.query('select pg_advisory_xact_lock($1)', [RUN_LOCK_KEY]);
  const same = await tx.query<RunRow>(`select ${RUN_COLUMNS} from eod_runs where business_day = $1`, [
    businessDay,
  ]);
  const existing = same.rows[0];
  if (existing?.status === 'succeeded')
    return { run: toRun(existing), outcome: 'done' as const, daysToClose: 0 };
  const open = await tx.query<RunRow>(
    `select ${RUN_COLUMNS} from eod_runs where status <> 'succeeded' and business_day <> $1 order by business_day limit 1`,
    [businessDay],
  );
  const blocking = open.rows[0];
  if (blocking !== undefined) {
    throw new EodRunError(
      'eod_run_conflict',
      `the run ${blocking.run_id} for ${blocking.business_day} is ${blocking.status}; finish it first (lendguard eod --date ${blocking.business_day}), then run ${businessDay}`,
    );
  }
  const current = await currentBusinessDay(tx);
  const daysToClose =
    existing === undefined && input.today !== undefined
      ? checkEodDateInRange(businessDay, current, input.today)
      : Math.max(1, parseDate(businessDay) - parseDate(current) + 1);
  if (existing !== undefined) {
    await tx.query(
      `update eod_partitions set status = 'pending', claimed_by = null, lease_expires_at = null
        where run_id = $1 and status = 'failed'`,
      [existing.run_id],
    );
    const resumed = await tx.query<RunRow>(
      `update eod_runs set status = 'running', resumes = resumes + 1, updated_at = now(), finished_at = null
        where run_id = $1 returning ${RUN_COLUMNS}`,
      [existing.run_id],
    );
    return { run: toRun(resumed.rows[0]!), outcome: 'resumed' as const, daysToClose };
  }
  const runId = newId('eod');
  const inserted = await tx.query<RunRow>(
    `insert into eod_runs (run_id, business_day, status, partitions_total, batch_size, requested_by)
     values ($1, $2, 'running', $3, $4, $5) returning ${RUN_COLUMNS}`,
    [runId, businessDay, input.options.partitions, input.options.batchSize, input.requestedBy],
  );
  const ranges = partitionRanges(input.options.partitions);
  await tx.query(
    `insert into eod_partitions (run_id, partition_no, key_from, key_to, status)
     select $1, n - 1, f, t, 'pending'
       from unnest($2::int[], $3::int[]) with ordinality as r(f, t, n)`,
    [runId, ranges.map((r) => r.keyFrom), ranges.map((r) => r.keyTo)],
  );
  return { run: toRun(inserted.rows[0]!), outcome: 'created' as const, daysToClose };
}

export interface Claim {
  runId: string;
  businessDay: string;
  batchSize: number;
  partitionNo: number;
  keyFrom: number;
  keyTo: number;
  workerId: string;
  lease_ms: number;
}

/**
 * Claims one partition of a run: a pending one, or a running one whose lease has passed (its worker
 * died or stalled). The row lock lasts only this statement; what stays is a lease with an end time on
 * the database's clock, so nothing outlives a crash.
 */
export async function claimPartition(
  db: Queryable,
  runId: string,
  workerId: string,
  lease_ms: number,
): Promise<Claim | undefined> {
  const { rows } = await db.query<{
    partition_no: number;
    key_from: number;
    key_to: number;
    business_day: string;
    batch_size: number;
  }>(
    `update eod_partitions p
        set status = 'running', claimed_by = $2, claimed_at = now(), heartbeat_at = now(),
            lease_expires_at = now() + make_interval(secs => $3::double precision / 1000),
            claims = p.claims + 1, started_at = coalesce(p.started_at, now())
       from eod_runs r
      where r.run_id = p.run_id and r.status = 'running'
        and (p.run_id, p.partition_no) = (
          select run_id, partition_no from eod_partitions
           where run_id = $1
             and (status = 'pending' or (status = 'running' and lease_expires_at < now()))
           order by partition_no
           limit 1
           for update skip locked)
    returning p.partition_no, p.key_from, p.key_to, r.business_day::text as business_day, r.batch_size`,
    [runId, workerId, lease_ms],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return {
    runId,
    businessDay: row.business_day,
    batchSize: row.batch_size,
    partitionNo: row.partition_no,
    keyFrom: row.key_from,
    keyTo: row.key_to,
    workerId,
    lease_ms,
  };
}

export interface BatchCounts {
  loansClosed: number;
  loansAdvanced: number;
  eventsWritten: number;
}

/**
 * Runs `work` in one transaction that first renews the claim and locks the partition row. When the
 * claim has passed to another worker, nothing of `work` is committed (LeaseLostError): a stalled worker
 * can never write alongside the one that took over. The counts `work` returns are added to the partition.
 */
export async function withClaim<T extends BatchCounts>(
  db: Db,
  claim: Claim,
  work: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    const renewed = await tx.query(
      `update eod_partitions
          set heartbeat_at = now(),
              lease_expires_at = now() + make_interval(secs => $4::double precision / 1000)
        where run_id = $1 and partition_no = $2 and claimed_by = $3 and status = 'running'`,
      [claim.runId, claim.partitionNo, claim.workerId, claim.lease_ms],
    );
    if (renewed.rowCount !== 1) throw new LeaseLostError(claim.runId, claim.partitionNo, claim.workerId);
    const result = await work(tx);
    await tx.query(
      `update eod_partitions
          set loans_closed = loans_closed + $3, loans_advanced = loans_advanced + $4,
              events_written = events_written + $5
        where run_id = $1 and partition_no = $2`,
      [claim.runId, claim.partitionNo, result.loansClosed, result.loansAdvanced, result.eventsWritten],
    );
    return result;
  });
}

function errorEntry(claim: Claim, loanId: string | null, message: string): EodError {
  return {
    at: new Date().toISOString(),
    worker: claim.workerId,
    loanId,
    message: message.slice(0, EOD_BOUNDS.errorMessage_chars_max),
  };
}

/** Adds errors to the partition's list (the newest kept), under the claim. */
export async function appendPartitionErrors(
  tx: Queryable,
  claim: Claim,
  errors: readonly { loanId: string | null; message: string }[],
): Promise<void> {
  if (errors.length === 0) return;
  const entries = errors.map((e) => errorEntry(claim, e.loanId, e.message));
  await tx.query(
    `update eod_partitions
        set errors = (select coalesce(jsonb_agg(e order by o), '[]'::jsonb) from (
              select e, o from jsonb_array_elements(errors || $3::jsonb) with ordinality as x(e, o)
              order by o desc limit $4) kept)
      where run_id = $1 and partition_no = $2`,
    [claim.runId, claim.partitionNo, JSON.stringify(entries), EOD_BOUNDS.errorsKept_max],
  );
}

/**
 * Marks a claimed partition finished (succeeded, or failed when some loan could not be closed). The
 * counts of `finalCounts`, taken in the same transaction, are added exactly once: a partition finishes
 * once, however many times it was claimed.
 */
export async function finishPartition(
  db: Db,
  claim: Claim,
  status: 'succeeded' | 'failed',
  errors: readonly { loanId: string | null; message: string }[] = [],
  finalCounts?: (tx: Queryable) => Promise<BatchCounts>,
): Promise<void> {
  await withClaim(db, claim, async (tx) => {
    const counts = (await finalCounts?.(tx)) ?? { loansClosed: 0, loansAdvanced: 0, eventsWritten: 0 };
    await appendPartitionErrors(tx, claim, errors);
    await tx.query(
      `update eod_partitions set status = $3, finished_at = now(), lease_expires_at = null
        where run_id = $1 and partition_no = $2`,
      [claim.runId, claim.partitionNo, status],
    );
    return counts;
  });
}

export type AdvanceBusinessDay = (tx: Queryable, closedDay: string) => Promise<void>;

/**
 * When every partition has finished, settles the run: succeeded (and the system business day moves past
 * it, through `advance`) if all succeeded, failed otherwise. Safe to call from any worker, any number of
 * times: only the first call that finds the run complete changes it. Returns the run as it stands.
 */
export async function finishRunIfComplete(
  db: Db,
  runId: string,
  advance: AdvanceBusinessDay,
): Promise<EodRun> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [RUN_LOCK_KEY]);
    const run = (await tx.query<RunRow>(`select ${RUN_COLUMNS} from eod_runs where run_id = $1`, [runId]))
      .rows[0];
    if (run === undefined) throw new EodRunError('eod_run_not_found', `no EOD run ${runId}`);
    if (run.status !== 'running') return toRun(run);
    const { rows } = await tx.query<{ unfinished: number; failed: number }>(
      `select count(*) filter (where status in ('pending', 'running'))::int as unfinished,
              count(*) filter (where status = 'failed')::int as failed
         from eod_partitions where run_id = $1`,
      [runId],
    );
    const counts = rows[0]!;
    if (counts.unfinished > 0) return toRun(run);
    const status: EodRunStatus = counts.failed > 0 ? 'failed' : 'succeeded';
    // The run is settled before the day moves, in the same transaction: what the move does (line controls,
    // case refresh, early warnings) then reads every quiet loan as closed through this run's day, as every
    // read of a loan takes it (decision 0232), not through the day before.
    const done = await tx.query<RunRow>(
      `update eod_runs r
          set status = $2, finished_at = now(), updated_at = now(),
              loans_closed = s.closed, loans_advanced = s.advanced, events_written = s.events
         from (select coalesce(sum(loans_closed), 0) as closed, coalesce(sum(loans_advanced), 0) as advanced,
                      coalesce(sum(events_written), 0) as events
                 from eod_partitions where run_id = $1) s
        where r.run_id = $1`,
      [runId, status],
    );
    if (done.rowCount !== 1) throw new Error(`assertion: run ${runId} vanished while finishing`);
    if (status === 'succeeded') await advance(tx, run.business_day);
    const after = await tx.query<RunRow>(`select ${RUN_COLUMNS} from eod_runs where run_id = $1`, [runId]);
    return toRun(after.rows[0]!);
  });
}

export async function getRun(db: Queryable, runId: string): Promise<EodRunDetail | undefined> {
  const run = (await db.query<RunRow>(`select ${RUN_COLUMNS} from eod_runs where run_id = $1`, [runId]))
    .rows[0];
  if (run === undefined) return undefined;
  const parts = await db.query<PartitionRow>(
    `select ${PARTITION_COLUMNS} from eod_partitions where run_id = $1 order by partition_no`,
    [runId],
  );
  const partitions = parts.rows.map(toPartition);
  const base = toRun(run);
  // While a run is going, its totals are the sums of its partitions so far.
  if (base.status === 'running') {
    base.loansClosed = partitions.reduce((a, p) => a + p.loansClosed, 0);
    base.loansAdvanced = partitions.reduce((a, p) => a + p.loansAdvanced, 0);
    base.eventsWritten = partitions.reduce((a, p) => a + p.eventsWritten, 0);
  }
  return { ...base, partitions };
}

export async function findRunByDay(db: Queryable, businessDay: string): Promise<EodRun | undefined> {
  const run = (
    await db.query<RunRow>(`select ${RUN_COLUMNS} from eod_runs where business_day = $1`, [businessDay])
  ).rows[0];
  return run === undefined ? undefined : toRun(run);
}

/** The run that is not finished, if any (what an extra worker joins). */
export async function findOpenRun(db: Queryable): Promise<EodRun | undefined> {
  const run = (
    await db.query<RunRow>(
      `select ${RUN_COLUMNS} from eod_runs where status = 'running' order by business_day limit 1`,
    )
  ).rows[0];
  return run === undefined ? undefined : toRun(run);
}

export interface RunPage {
  items: EodRun[];
  more: boolean;
}

/** Runs newest first, `limit` at a time, after the run id of the previous page's last item. */
export async function listRuns(db: Queryable, limit: number, beforeRunId?: string): Promise<RunPage> {
  const { rows } = await db.query<RunRow>(
    `select ${RUN_COLUMNS} from eod_runs
      where ($1::text is null or run_id < $1)
      order by run_id desc limit $2`,
    [beforeRunId ?? null, limit + 1],
  );
  return { items: rows.slice(0, limit).map(toRun), more: rows.length > limit };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Frees at once the claims of workers known to be dead, instead of waiting for their leases: workers on
 * this host whose process is gone, and — on an embedded database, which one process owns at a time —
 * every claim not made by this process. Claims of other hosts are left to their leases. Returns the
 * partitions freed.
 */
export async function releaseDeadClaims(
  db: Db,
  runId: string,
  host: string,
  embedded: boolean,
): Promise<number[]> {
  const { rows } = await db.query<{ partition_no: number; claimed_by: string | null }>(
    `select partition_no, claimed_by from eod_partitions where run_id = $1 and status = 'running'`,
    [runId],
  );
  const dead = rows
    .filter((r) => {
      const [claimHost, pidText] = (r.claimed_by ?? '').split(':');
      const pid = Number(pidText);
      if (!Number.isInteger(pid) || pid <= 0) return embedded;
      if (pid === process.pid && claimHost === host) return false;
      if (embedded) return true;
      return claimHost === host && !processAlive(pid);
    })
    .map((r) => ({ partitionNo: r.partition_no, claimedBy: r.claimed_by }));
  const freed: number[] = [];
  for (const d of dead) {
    const res = await db.query(
      `update eod_partitions set status = 'pending', claimed_by = null, lease_expires_at = null
        where run_id = $1 and partition_no = $2 and status = 'running' and claimed_by is not distinct from $3`,
      [runId, d.partitionNo, d.claimedBy],
    );
    if (res.rowCount === 1) freed.push(d.partitionNo);
  }
  return freed;
}
