import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATION_ORPHANED_AFTER_SECONDS } from '../../src/server/simulation/routes.js';
import {
  type Db,
  insertSimulationRun,
  markSimulationRunStarted,
  newId,
  type Role,
  touchSimulationRuns,
} from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { auth, freshKey, json, startApi, type TestApi } from './helpers.js';

/*
 * A run whose server process died stays queued or running in the table (decision 0903). Rows are written here
 * as another process would have written them — accepted, started, its last sign of life some minutes ago — and
 * then the server starts: it fails those runs with the reason, and they no longer count against the two runs
 * allowed at once. A run still showing signs of life (another process at work) is left alone.
 */
describe.each(backends)('strategy-lab runs orphaned by a stopped process, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  const request = {
    strategies: ['default'],
    scenario: 'base',
    population: 'baseline',
    borrowers: 10,
    months: 3,
  };

  const call = (role: Role, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    api.app.inject({
      method,
      url,
      headers: { ...auth(api.tokens[role]), 'idempotency-key': freshKey() },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  /** A run as another server process writes it; `silentFor` seconds since its last sign of life. */
  async function runOfAnotherProcess(status: 'queued' | 'running', silentFor: number): Promise<string> {
    const runId = newId('sim');
    await insertSimulationRun(db, { runId, request, requestedBy: 'usr_elsewhere', borrowersTotal: 10 });
    if (status === 'running') expect(await markSimulationRunStarted(db, runId)).toBe(true);
    await db.query(
      `update simulation_runs set updated_at = now() - make_interval(secs => $2::integer) where run_id = $1`,
      [runId, silentFor],
    );
    return runId;
  }
  const statusOf = async (runId: string) =>
    (
      await db.query<{ status: string; error: string | null }>(
        'select status, error from simulation_runs where run_id = $1',
        [runId],
      )
    ).rows[0]!;

  let deadRunning: string;
  let deadQueued: string;
  let alive: string;

  beforeAll(async () => {
    db = await openMigrated(backend);
    deadRunning = await runOfAnotherProcess('running', 600);
    deadQueued = await runOfAnotherProcess('queued', SIMULATION_ORPHANED_AFTER_SECONDS + 5);
    alive = await runOfAnotherProcess('running', 2);
    api = await startApi(db);
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('fails at start the runs whose process stopped, with the reason, and leaves a live one running', async () => {
    for (const runId of [deadRunning, deadQueued]) {
      const row = await statusOf(runId);
      expect(row.status, runId).toBe('failed');
      expect(row.error).toMatch(/server process working the run stopped: no sign of life for 60 seconds/);
    }
    expect(await statusOf(alive)).toEqual({ status: 'running', error: null });
  });

  it('no longer counts them against the runs allowed at once', async () => {
    const started = await call('risk_analyst', 'POST', '/simulation/runs', request);
    expect(started.statusCode, started.body).toBe(202);
    const runId = (json(started) as { runId: string }).runId;
    for (let i = 0; i < 300; i += 1) {
      const detail = json(await call('auditor', 'GET', `/simulation/runs/${runId}`));
      if (detail.status !== 'queued' && detail.status !== 'running') {
        expect(detail.status, String(detail.error)).toBe('succeeded');
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the run did not finish');
  }, 60_000);

  it('fails a run found orphaned when polled, while a sign of life keeps a run held', async () => {
    const lateDead = await runOfAnotherProcess('running', 120);
    const detail = json(await call('auditor', 'GET', `/simulation/runs/${lateDead}`));
    expect(detail).toMatchObject({ status: 'failed', error: expect.stringMatching(/no sign of life/) });
    expect(detail.finishedAt).not.toBeNull();

    const kept = await runOfAnotherProcess('running', 120);
    await touchSimulationRuns(db, [kept]);
    const list = json(await call('auditor', 'GET', '/simulation/runs')) as {
      items: { runId: string; status: string }[];
    };
    expect(list.items.find((r) => r.runId === kept)?.status).toBe('running');
    expect(list.items.find((r) => r.runId === alive)?.status).toBe('running');
  });
});
