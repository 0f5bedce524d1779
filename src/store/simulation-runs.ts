import type { Queryable } from './db.js';

/**
 * Strategy-lab runs asked for over the API (migration 0029, decision 0901). The request and the result are
 * kept as JSON text, written once; progress is a count of borrowers simulated.
 */

export type SimulationRunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface SimulationRunRow {
  readonly runId: string;
  readonly status: SimulationRunStatus;
  readonly request: unknown;
  readonly requestedBy: string;
  readonly borrowersTotal: number;
  readonly borrowersDone: number;
  readonly result: unknown;
  readonly error: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

interface Row {
  run_id: string;
  status: SimulationRunStatus;
  request: string;
  requested_by: string;
  borrowers_total: number;
  borrowers_done: number;
  result: string | null;
  error: string | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

function toRun(r: Row, withResult: boolean): SimulationRunRow {
  return {
    runId: r.run_id,
    status: r.status,
    request: JSON.parse(r.request) as unknown,
    requestedBy: r.requested_by,
    borrowersTotal: Number(r.borrowers_total),
    borrowersDone: Number(r.borrowers_done),
    result: withResult && r.result !== null ? (JSON.parse(r.result) as unknown) : null,
    error: r.error,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
  };
}

export async function insertSimulationRun(
  q: Queryable,
  run: { runId: string; request: unknown; requestedBy: string; borrowersTotal: number },
): Promise<SimulationRunRow> {
  const { rows } = await q.query<Row>(
    `insert into simulation_runs (run_id, status, request, requested_by, borrowers_total)
     values ($1, 'queued', $2, $3, $4) returning *`,
    [run.runId, JSON.stringify(run.request), run.requestedBy, run.borrowersTotal],
  );
  return toRun(rows[0]!, false);
}

/** Runs not finished yet (queued or running), across every server process. */
export async function countOpenSimulationRuns(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number | string }>(
    "select count(*) as n from simulation_runs where status in ('queued', 'running')",
  );
  return Number(rows[0]!.n);
}

export async function getSimulationRun(q: Queryable, runId: string): Promise<SimulationRunRow | undefined> {
  const { rows } = await q.query<Row>('select * from simulation_runs where run_id = $1', [runId]);
  return rows[0] === undefined ? undefined : toRun(rows[0], true);
}

/** The newest runs first, without their results. */
export async function listSimulationRuns(q: Queryable, limit: number): Promise<SimulationRunRow[]> {
  const { rows } = await q.query<Row>(
    `select run_id, status, request, requested_by, borrowers_total, borrowers_done, null as result, error,
            created_at, updated_at, started_at, finished_at
       from simulation_runs order by created_at desc, run_id desc limit $1`,
    [limit],
  );
  return rows.map((r) => toRun(r, false));
}

/** Starts a queued run; false when it is no longer queued (given up as orphaned meanwhile). */
export async function markSimulationRunStarted(q: Queryable, runId: string): Promise<boolean> {
  const { rows } = await q.query<{ run_id: string }>(
    `update simulation_runs set status = 'running', started_at = now(), updated_at = now()
      where run_id = $1 and status = 'queued' returning run_id`,
    [runId],
  );
  return rows.length === 1;
}

/**
 * The working process's sign of life (decision 0903): moves `updated_at` of the runs it holds, queued or
 * running, to the database's clock.
 */
export async function touchSimulationRuns(q: Queryable, runIds: readonly string[]): Promise<void> {
  if (runIds.length === 0) return;
  await q.query(
    `update simulation_runs set updated_at = now()
      where run_id = any($1::text[]) and status in ('queued', 'running')`,
    [runIds],
  );
}

/**
 * Gives up the runs whose process has stopped (decision 0903): a run queued or running whose `updated_at` has
 * not moved for `staleSeconds` by the database's clock is marked failed with the reason. Returns their ids.
 */
export async function failOrphanedSimulationRuns(q: Queryable, staleSeconds: number): Promise<string[]> {
  const { rows } = await q.query<{ run_id: string }>(
    `update simulation_runs
        set status = 'failed', finished_at = now(), updated_at = now(),
            error = 'the server process working the run stopped: no sign of life for ' || $1::integer || ' seconds'
      where status in ('queued', 'running') and updated_at < now() - make_interval(secs => $1::integer)
      returning run_id`,
    [staleSeconds],
  );
  return rows.map((r) => r.run_id);
}

export async function recordSimulationProgress(q: Queryable, runId: string, done: number): Promise<void> {
  await q.query(
    "update simulation_runs set borrowers_done = $2, updated_at = now() where run_id = $1 and status = 'running'",
    [runId, done],
  );
}

export async function finishSimulationRun(
  q: Queryable,
  runId: string,
  outcome: { result: unknown } | { error: string },
): Promise<void> {
  if ('result' in outcome)
    await q.query(
      `update simulation_runs set status = 'succeeded', result = $2, borrowers_done = borrowers_total,
              finished_at = now(), updated_at = now() where run_id = $1`,
      [runId, JSON.stringify(outcome.result)],
    );
  else
    await q.query(
      `update simulation_runs set status = 'failed', error = $2, finished_at = now(), updated_at = now()
        where run_id = $1`,
      [runId, outcome.error],
    );
}
