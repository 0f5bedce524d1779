import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSimulation } from '../../src/jobs/index.js';
import { presentReport } from '../../src/server/simulation/present.js';
import type { Db, Role } from '../../src/store/index.js';
import { SCENARIO_DIR, SIM_DIR, strategyPath } from '../simulation/lab-helpers.js';
import { backends, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import { auth, freshKey, json, startApi, type TestApi } from './helpers.js';

/*
 * The strategy lab over HTTP: a risk analyst asks for the default strategy against the one that freezes only
 * at M4, on the pandemic scenario; the run is queued, worked in the background and polled until its comparison
 * is there — the same comparison the lab gives for the same request in this thread. Bounds, unknown names,
 * repeated strategies, an unknown run and the roles are refused with problem+json.
 */
describe.each(backends)('strategy lab over the API, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  const now = new Date('2027-03-15T04:00:00Z');

  const call = (role: Role, method: 'GET' | 'POST', url: string, payload?: unknown, language = 'en') =>
    api.app.inject({
      method,
      url,
      headers: { ...auth(api.tokens[role]), 'idempotency-key': freshKey(), 'accept-language': language },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db, {}, () => now);
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('lists what a run may name: the shipped strategies, scenarios and population, and the bounds', async () => {
    const res = await call('auditor', 'GET', '/simulation/options');
    expect(res.statusCode, res.body).toBe(200);
    const o = json(res) as {
      strategies: { id: string }[];
      scenarios: { id: string }[];
      populations: { id: string }[];
      bounds: { borrowerMonths_max: number };
    };
    expect(o.strategies.map((s) => s.id)).toEqual(['default', 'no-freeze', 'relief', 'statements']);
    expect(o.scenarios.map((s) => s.id)).toEqual(['base', 'downturn', 'pandemic', 'rates-up']);
    expect(o.populations.map((s) => s.id)).toEqual(['baseline']);
    expect(o.bounds.borrowerMonths_max).toBeGreaterThan(0);
  });

  it('runs a comparison in the background and answers it when polled, as the lab computes it', async () => {
    const request = {
      strategies: ['default', 'no-freeze'],
      scenario: 'pandemic',
      borrowers: 12,
      months: 6,
      replications: 2,
      seed: 5,
      startDate: '2027-01-01',
    };
    const started = await call('risk_analyst', 'POST', '/simulation/runs', request);
    expect(started.statusCode, started.body).toBe(202);
    const run = json(started) as { runId: string; status: string; borrowersTotal: number };
    expect(run.status).toBe('queued');
    expect(run.borrowersTotal).toBe(12 * 2 * 2);
    expect(started.headers.location).toBe(`/simulation/runs/${run.runId}`);

    let detail: Record<string, unknown> = {};
    for (let i = 0; i < 600; i += 1) {
      detail = json(await call('auditor', 'GET', `/simulation/runs/${run.runId}`));
      if (detail.status === 'succeeded' || detail.status === 'failed') break;
      expect(['queued', 'running']).toContain(detail.status);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(detail.status, String(detail.error)).toBe('succeeded');
    expect(detail.borrowersDone).toBe(48);
    const expected = presentReport(
      await runSimulation({
        scenario: `${SCENARIO_DIR}pandemic.json`,
        population: `${SIM_DIR}population-baseline.json`,
        strategies: [strategyPath('default'), strategyPath('no-freeze')],
        borrowers: 12,
        months: 6,
        seed: 5,
        replications: 2,
        startDate: '2027-01-01',
        workers: 0,
      }),
    );
    expect(detail.result).toEqual(JSON.parse(JSON.stringify(expected)));
    const result = detail.result as ReturnType<typeof presentReport>;
    expect(result.strategies.map((s) => s.name)).toEqual(['default', 'no-freeze']);
    // Amounts are decimal strings of yuan; ratios are numbers.
    expect(result.strategies[0]!.metrics.losses!.mean).toMatch(/^-?\d+\.\d\d$/);
    expect(typeof result.strategies[0]!.metrics.lossRate!.mean).toBe('number');
    expect(Object.keys(result.strategies[0]!.rollRates)).toEqual(['M0→M1', 'M1→M2', 'M2→M3', 'M3→M4']);
    expect(result.difference?.a).toBe('default');
    expect(result.borrowers.map((b) => b.name)).toEqual(['张三', '李四', '王五']);
    expect(result.borrowers[1]!.strategies.map((s) => s.strategy)).toEqual(['default', 'no-freeze']);
    expect(result.borrowers[1]!.strategies[0]!.months.some((m) => m.events.includes('catering closed'))).toBe(
      true,
    );

    const list = json(await call('risk_analyst', 'GET', '/simulation/runs')) as {
      items: { runId: string }[];
    };
    expect(list.items.map((r) => r.runId)).toContain(run.runId);
    expect(list.items[0]).not.toHaveProperty('result');
  }, 120_000);

  it('refuses runs too large, unknown documents, a strategy named twice and an unknown run', async () => {
    expectProblem(
      await call('risk_analyst', 'POST', '/simulation/runs', {
        strategies: ['default', 'relief'],
        borrowers: 20_000,
        months: 36,
        replications: 5,
      }),
      { status: 400, code: 'simulation_too_large', says: /7200000 borrower-months/, path: '/body/borrowers' },
    );
    const zh = await call(
      'risk_analyst',
      'POST',
      '/simulation/runs',
      { strategies: ['default'], borrowers: 20_000, months: 36, replications: 5 },
      'zh-CN',
    );
    expect(zh.statusCode).toBe(400);
    expect((zh.json() as { detail: string }).detail).toMatch(/实验规模过大/);
    expectProblem(
      await call('risk_analyst', 'POST', '/simulation/runs', {
        strategies: ['../../etc/passwd'],
        borrowers: 10,
        months: 6,
      }),
      {
        status: 400,
        code: 'validation_failed',
        says: /must be one of: default, no-freeze/,
        path: '/body/strategies/0',
      },
    );
    expectProblem(
      await call('risk_analyst', 'POST', '/simulation/runs', {
        strategies: ['default', 'default'],
        borrowers: 10,
        months: 6,
      }),
      { status: 400, code: 'validation_failed', says: /once/, path: '/body/strategies' },
    );
    expectProblem(await call('risk_analyst', 'GET', '/simulation/runs/sim_0000000000000000000000000000'), {
      status: 404,
      code: 'simulation_run_not_found',
      says: /GET \/simulation\/runs/,
    });
  });

  it('lets risk analysts and admins run, auditors read, and no one else', async () => {
    for (const role of ['collector', 'finance', 'auditor', 'compliance'] as const) {
      const res = await call(role, 'POST', '/simulation/runs', {
        strategies: ['default'],
        borrowers: 10,
        months: 3,
      });
      expect(res.statusCode, role).toBe(403);
    }
    for (const role of ['collector', 'finance'] as const)
      expect((await call(role, 'GET', '/simulation/runs')).statusCode, role).toBe(403);
  });
});
