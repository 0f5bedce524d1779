import type { Db, Queryable } from './db.js';

/**
 * Strategy-lab runs split across machines (migration 0044, decision 0909). Any process may claim a partition
 * (borrowers [from, to) of one strategy and one replication): a pending one, or a running one whose lease has
 * passed on the database's clock — its process died or stalled. A partition ends once: its totals are written
 * in the transaction that ends the claim, and only by the claim's holder.
 */

export interface SplitRunRow {
  readonly runId: string;
  /** What the run was made of (JSON): content digests of its files, the paths read, the report's labels. */
  readonly inputs: unknown;
  readonly seed: number;
  readonly borrowers: number;
  readonly months: number;
  readonly replications: number;
  readonly startDate: string;
  readonly strategies: number;
  readonly ranges: number;
  readonly partitionsTotal: number;
  readonly partitionsDone: number;
  readonly report: string | null;
  readonly createdBy: string;
}

export interface SplitPartition {
  readonly partitionNo: number;
  readonly strategy: number;
  readonly replication: number;
  readonly from: number;
  readonly to: number;
}

export interface SplitClaim extends SplitPartition {
  readonly runId: string;
  readonly workerId: string;
  /** How many times the partition has been claimed, this claim included. */
  readonly claims: number;
}

interface RunRow {
  run_id: string;
  inputs: string;
  seed: number | string;
  borrowers: number;
  months: number;
  replications: number;
  start_date: string;
  strategies: number;
  ranges: number;
  partitions_total: number;
  partitions_done: number;
  report: string | null;
  created_by: string;
}

function toRun(r: RunRow): SplitRunRow {
  return {
    runId: r.run_id,
    inputs: JSON.parse(r.inputs) as unknown,
    seed: Number(r.seed),
    borrowers: r.borrowers,
    months: r.months,
    replications: r.replications,
    startDate: r.start_date,
    strategies: r.strategies,
    ranges: r.ranges,
    partitionsTotal: r.partitions_total,
    partitionsDone: r.partitions_done,
    report: r.report,
    createdBy: r.created_by,
  };
}

export interface NewSplitRun {
  readonly runId: string;
  readonly inputs: unknown;
  readonly seed: number;
  readonly borrowers: number;
  readonly months: number;
  readonly replications: number;
  readonly startDate: string;
  readonly strategies: number;
  readonly ranges: number;
  readonly createdBy: string;
}

/**
 * Creates the run and its partitions in one transaction; 'exists' (nothing written) when a run of that id is
 * there already.
 */
export async function insertSplitRun(
  db: Db,
  run: NewSplitRun,
  partitions: readonly SplitPartition[],
): Promise<'created' | 'exists'> {
  return db.transaction(async (tx) => {
    const inserted = await tx.query(
      `insert into simulation_split_runs
         (run_id, inputs, seed, borrowers, months, replications, start_date, strategies, ranges,
          partitions_total, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       on conflict (run_id) do nothing returning run_id`,
      [
        run.runId,
        JSON.stringify(run.inputs),
        run.seed,
        run.borrowers,
        run.months,
        run.replications,
        run.startDate,
        run.strategies,
        run.ranges,
        partitions.length,
        run.createdBy,
      ],
    );
    if (inserted.rows.length === 0) return 'exists';
    await tx.query(
      `insert into simulation_split_partitions
         (run_id, partition_no, strategy, replication, borrower_from, borrower_to)
       select $1, n, s, r, f, t
         from unnest($2::int[], $3::int[], $4::int[], $5::int[], $6::int[]) as x(n, s, r, f, t)`,
      [
        run.runId,
        partitions.map((p) => p.partitionNo),
        partitions.map((p) => p.strategy),
        partitions.map((p) => p.replication),
        partitions.map((p) => p.from),
        partitions.map((p) => p.to),
      ],
    );
    return 'created';
  });
}

export async function getSplitRun(q: Queryable, runId: string): Promise<SplitRunRow | undefined> {
  const { rows } = await q.query<RunRow>('select * from simulation_split_runs where run_id = $1', [runId]);
  return rows[0] === undefined ? undefined : toRun(rows[0]);
}

/**
 * Claims the first partition (by number) that is pending or whose lease has passed. The row lock lasts only
 * this statement (`for update skip locked`: claimers never wait for each other); what stays is the lease.
 */
export async function claimSplitPartition(
  q: Queryable,
  runId: string,
  workerId: string,
  lease_ms: number,
): Promise<SplitClaim | undefined> {
  const { rows } = await q.query<{
    partition_no: number;
    strategy: number;
    replication: number;
    borrower_from: number;
    borrower_to: number;
    claims: number;
  }>(
    `update simulation_split_partitions p
        set status = 'running', claimed_by = $2, claims = p.claims + 1,
            lease_expires_at = now() + make_interval(secs => $3::double precision / 1000)
      where (p.run_id, p.partition_no) = (
          select run_id, partition_no from simulation_split_partitions
           where run_id = $1
             and (status = 'pending' or (status = 'running' and lease_expires_at < now()))
           order by partition_no
           limit 1
           for update skip locked)
    returning p.partition_no, p.strategy, p.replication, p.borrower_from, p.borrower_to, p.claims`,
    [runId, workerId, lease_ms],
  );
  const r = rows[0];
  if (r === undefined) return undefined;
  return {
    runId,
    workerId,
    partitionNo: r.partition_no,
    strategy: r.strategy,
    replication: r.replication,
    from: r.borrower_from,
    to: r.borrower_to,
    claims: r.claims,
  };
}

/** Moves the claim's lease on; false when the claim is no longer this worker's (it passed to another). */
export async function renewSplitClaim(q: Queryable, claim: SplitClaim, lease_ms: number): Promise<boolean> {
  const { rowCount } = await q.query(
    `update simulation_split_partitions
        set lease_expires_at = now() + make_interval(secs => $4::double precision / 1000)
      where run_id = $1 and partition_no = $2 and claimed_by = $3 and status = 'running'`,
    [claim.runId, claim.partitionNo, claim.workerId, lease_ms],
  );
  return rowCount === 1;
}

/**
 * Ends the claim with the partition's totals, and counts the partition done on the run, in one transaction.
 * False (nothing written) when the claim has passed to another worker meanwhile: that worker's totals count,
 * never both.
 */
export async function completeSplitPartition(db: Db, claim: SplitClaim, totals: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const done = await tx.query(
      `update simulation_split_partitions
          set status = 'done', totals = $4, finished_at = now(), lease_expires_at = null
        where run_id = $1 and partition_no = $2 and claimed_by = $3 and status = 'running'`,
      [claim.runId, claim.partitionNo, claim.workerId, totals],
    );
    if (done.rowCount !== 1) return false;
    await tx.query(
      'update simulation_split_runs set partitions_done = partitions_done + 1 where run_id = $1',
      [claim.runId],
    );
    return true;
  });
}

export interface SplitRunProgress {
  readonly partitionsTotal: number;
  readonly partitionsDone: number;
  /** Borrower-runs finished (borrowers × replications × strategies at the end). */
  readonly borrowersDone: number;
}

export async function splitRunProgress(q: Queryable, runId: string): Promise<SplitRunProgress> {
  const { rows } = await q.query<{
    total: number | string;
    done: number | string;
    borrowers: number | string;
  }>(
    `select count(*) as total, count(*) filter (where status = 'done') as done,
            coalesce(sum(borrower_to - borrower_from) filter (where status = 'done'), 0) as borrowers
       from simulation_split_partitions where run_id = $1`,
    [runId],
  );
  const r = rows[0]!;
  return {
    partitionsTotal: Number(r.total),
    partitionsDone: Number(r.done),
    borrowersDone: Number(r.borrowers),
  };
}

/** Every partition with its totals text (null until done), in partition order. */
export async function splitPartitionTotals(
  q: Queryable,
  runId: string,
): Promise<(SplitPartition & { totals: string | null })[]> {
  const { rows } = await q.query<{
    partition_no: number;
    strategy: number;
    replication: number;
    borrower_from: number;
    borrower_to: number;
    totals: string | null;
  }>(
    `select partition_no, strategy, replication, borrower_from, borrower_to, totals
       from simulation_split_partitions where run_id = $1 order by partition_no`,
    [runId],
  );
  return rows.map((r) => ({
    partitionNo: r.partition_no,
    strategy: r.strategy,
    replication: r.replication,
    from: r.borrower_from,
    to: r.borrower_to,
    totals: r.totals,
  }));
}

/** Keeps the merged report (the first written stays) and returns the one kept. */
export async function saveSplitReport(q: Queryable, runId: string, report: string): Promise<string> {
  const { rows } = await q.query<{ report: string }>(
    `update simulation_split_runs
        set report = coalesce(report, $2), finished_at = coalesce(finished_at, now())
      where run_id = $1 and partitions_done = partitions_total returning report`,
    [runId, report],
  );
  if (rows[0] === undefined) throw new Error(`assertion: split run ${runId} is not finished`);
  return rows[0].report;
}
