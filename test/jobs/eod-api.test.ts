import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lenderToday, writeBook } from '../../src/jobs/index.js';
import { addDays, formatDate, parseDate } from '../../src/money/index.js';
import { type Db, listLoans, setFirstBusinessDay } from '../../src/store/index.js';
import { auth, freshKey, json, startApi, type TestApi } from '../server/helpers.js';
import { backends, openMigrated } from '../store/backends.js';

async function waitSettled(api: TestApi, runId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 600; i += 1) {
    const res = await api.app.inject({
      method: 'GET',
      url: `/eod-runs/${runId}`,
      headers: auth(api.tokens.auditor),
    });
    expect(res.statusCode).toBe(200);
    const body = json(res);
    if (body.status !== 'running') return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`run ${runId} did not settle`);
}

describe.each(backends)('EOD runs over HTTP on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  beforeAll(async () => {
    db = await openMigrated(backend);
    await setFirstBusinessDay(db, '2025-01-02', lenderToday());
    await writeBook(db, {
      seed: 3,
      customers: 30,
      loansPerCustomer_max: 2,
      drawFrom: parseDate('2025-01-02'),
      drawTo: parseDate('2025-02-27'),
    });
    api = await startApi(db);
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('starts a run (202), works it in the background, shows partitions, and repeats or refuses by date', async () => {
    const post = (token: string, body: Record<string, unknown>, key = freshKey()) =>
      api.app.inject({
        method: 'POST',
        url: '/eod-runs',
        headers: { ...auth(token), 'idempotency-key': key },
        payload: body,
      });
    expect((await post(api.tokens.collector, { businessDate: '2025-03-10' })).statusCode).toBe(403);
    expect((await post(api.tokens.risk_analyst, { businessDate: '2025-03-10' })).statusCode).toBe(403);
    const bad = await post(api.tokens.finance, { businessDate: '2025-02-30' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).code).toBe('validation_failed');

    const key = freshKey();
    const started = await post(
      api.tokens.finance,
      { businessDate: '2025-03-10', partitions: 4, batchSize: 7 },
      key,
    );
    expect(started.statusCode).toBe(202);
    const run = json(started);
    expect(run.status).toBe('running');
    expect(started.headers.location).toBe(`/eod-runs/${String(run.runId)}`);

    const done = await waitSettled(api, String(run.runId));
    expect(done.status).toBe('succeeded');
    expect(done.businessDate).toBe('2025-03-10');
    const partitions = done.partitions as Record<string, unknown>[];
    expect(partitions).toHaveLength(4);
    expect(partitions.every((p) => p.status === 'succeeded' && (p.claims as number) >= 1)).toBe(true);
    const closed = partitions.reduce((a, p) => a + (p.loansClosed as number), 0);
    expect(closed).toBe(done.loansClosed);
    // Every loan is closed through the date: those with work by the engine, the others implied by the
    // run's success (their rows are not written, decision 0232).
    const loans = await db.query<{ behind: number }>(
      "select count(*)::int as behind from loans where last_closed_day < '2025-03-10' and next_event_day <= '2025-03-10'",
    );
    expect(loans.rows[0]!.behind).toBe(0);
    const listed = await listLoans(db, {}, null, 1_000);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((l) => l.state.lastClosedDay >= parseDate('2025-03-10'))).toBe(true);

    // The same key replays the first answer; a new request for the closed date answers 200 with the run.
    const replay = await post(
      api.tokens.finance,
      { businessDate: '2025-03-10', partitions: 4, batchSize: 7 },
      key,
    );
    expect(replay.statusCode).toBe(202);
    expect(json(replay).runId).toBe(run.runId);
    const again = await post(api.tokens.admin, { businessDate: '2025-03-10' });
    expect(again.statusCode).toBe(200);
    expect(json(again).status).toBe('succeeded');

    const list = await api.app.inject({
      method: 'GET',
      url: '/eod-runs?limit=1',
      headers: auth(api.tokens.risk_analyst),
    });
    expect(list.statusCode).toBe(200);
    expect((json(list).items as unknown[]).length).toBe(1);
    const missing = await api.app.inject({
      method: 'GET',
      url: '/eod-runs/eod_0000000000000000000000000000',
      headers: auth(api.tokens.admin),
    });
    expect(missing.statusCode).toBe(404);
    expect(json(missing).code).toBe('eod_run_not_found');
  });

  it('refuses a date after today or before the business day with the allowed range, and catches up several days', async () => {
    const post = (body: Record<string, unknown>) =>
      api.app.inject({
        method: 'POST',
        url: '/eod-runs',
        headers: { ...auth(api.tokens.finance), 'idempotency-key': freshKey() },
        payload: body,
      });
    const today = lenderToday();
    const count = async () =>
      (
        await db.query<{ n: number; day: string }>(
          'select (select count(*) from eod_runs)::int as n, (select day::text from business_day) as day',
        )
      ).rows[0]!;
    const before = await count();
    expect(before.day).toBe('2025-03-11');
    const tomorrow = formatDate(addDays(parseDate(today), 1));
    for (const businessDate of ['2031-06-30', tomorrow, '2025-03-01']) {
      const res = await post({ businessDate });
      expect(res.statusCode, businessDate).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = json(res);
      expect(problem.code).toBe('date_out_of_range');
      expect(problem.errors).toEqual([
        { path: '/body/businessDate', message: `must be from 2025-03-11 through ${today}` },
      ]);
    }
    expect(await count()).toEqual(before);

    const caught = await post({ businessDate: '2025-03-13', partitions: 2 });
    expect(caught.statusCode).toBe(202);
    expect(json(caught).daysToClose).toBe(3);
    const done = await waitSettled(api, String(json(caught).runId));
    expect(done.status).toBe('succeeded');
    expect((await count()).day).toBe('2025-03-14');
  });

  it('refuses a new date while an earlier run is failed, with eod_run_conflict', async () => {
    await db.query(
      `insert into eod_runs (run_id, business_day, status, partitions_total, batch_size, requested_by)
       values ('eod_1111111111111111111111111111', '2025-03-11', 'failed', 1, 1, 'test')`,
    );
    const res = await api.app.inject({
      method: 'POST',
      url: '/eod-runs',
      headers: { ...auth(api.tokens.admin), 'idempotency-key': freshKey() },
      payload: { businessDate: '2025-03-12' },
    });
    expect(res.statusCode).toBe(409);
    expect(json(res).code).toBe('eod_run_conflict');
    expect(String(json(res).detail)).toContain('2025-03-11');
  });
});
