import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Db } from '../../src/store/index.js';
import { capture } from '../cli/capture.js';
import { backends, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import { auth, freshKey, startApi, type TestApi } from './helpers.js';

describe('funding outflows by API', () => {
  let db: Db;
  let api: TestApi;
  const post = (outflows: unknown, token: string = api.tokens.finance) =>
    api.app.inject({
      method: 'POST',
      url: '/reports/funding-outflows',
      headers: { ...auth(token), 'idempotency-key': freshKey() },
      payload: { outflows } as object,
    });
  const stored = async () =>
    (
      await db.query<{ day: string; amount: string; label: string }>(
        `select day::text as day, amount_minor::text as amount, label from funding_outflows order by day`,
      )
    ).rows;

  beforeAll(async () => {
    db = await openMigrated(backends[0]!);
    api = await startApi(db);
  }, 120_000);
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('refuses a bad row with its position, writing nothing', async () => {
    expectProblem(
      await post([
        { day: '2026-07-10', amount: '100.00', label: 'bank loan' },
        { day: '2026-07-32', amount: '5.00', label: 'bad day' },
      ]),
      { status: 400, code: 'funding_outflows_invalid', says: /funding outflow 2/, path: '/body/outflows/1' },
    );
    expectProblem(await post([{ day: '2026-07-10', amount: '0.00', label: 'nothing' }]), {
      status: 400,
      code: 'funding_outflows_invalid',
      says: /amount must be above 0/,
      path: '/body/outflows/0',
    });
    expectProblem(await post([{ day: '2026-07-10', amount: '1.5', label: 'x' }]), {
      status: 400,
      code: 'validation_failed',
      says: /./,
    });
    expectProblem(await post([{ day: '2026-07-10', amount: '1.50', label: 'x' }], api.tokens.risk_analyst), {
      status: 403,
      code: 'forbidden',
      says: /./,
    });
    expect(await stored()).toEqual([]);
  });

  it('stores valid rows, with an audit entry', async () => {
    const res = await post([
      { day: '2026-07-10', amount: '43210.98', label: 'bank loan repayment' },
      { day: '2026-08-01', amount: '100.00', label: 'ABS coupon' },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ stored: 2 });
    expect(await stored()).toEqual([
      { day: '2026-07-10', amount: '4321098', label: 'bank loan repayment' },
      { day: '2026-08-01', amount: '10000', label: 'ABS coupon' },
    ]);
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from audit_log where action = 'funding.import'`,
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('lists the stored outflows by day, in a range of days', async () => {
    const list = async (query: string, token: string = api.tokens.auditor) =>
      api.app.inject({ method: 'GET', url: `/reports/funding-outflows${query}`, headers: auth(token) });
    const all = await list('');
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json()).toEqual({
      items: [
        expect.objectContaining({ day: '2026-07-10', amount: '43210.98', label: 'bank loan repayment' }),
        expect.objectContaining({ day: '2026-08-01', amount: '100.00', label: 'ABS coupon' }),
      ],
      truncated: false,
    });
    const july = (await list('?from=2026-07-01&to=2026-07-31')).json() as { items: { enteredBy: string }[] };
    expect(july.items).toHaveLength(1);
    expect(july.items[0]?.enteredBy).toBeTruthy();
    expectProblem(await list('?from=July'), {
      status: 400,
      code: 'validation_failed',
      says: /from must be a date/,
      path: '/query/from',
    });
  });
});

describe('lendguard funding import', () => {
  const parent = mkdtempSync(join(tmpdir(), 'lg-funding-'));
  const dir = join(parent, 'data');
  afterAll(() => rmSync(parent, { recursive: true, force: true }));
  const run = async (args: string[]) => {
    const c = capture();
    const code = await main([...args, '--db', dir], c.io);
    return { code, out: c.out(), err: c.err() };
  };

  it('stores a CSV, and refuses a bad one naming the row', async () => {
    const bad = join(parent, 'bad.csv');
    writeFileSync(bad, 'day,amount,label\n2026-07-10,100.00,bank loan\n2026-07-11,12.345,too fine\n');
    const refused = await run(['funding', 'import', '--file', bad]);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/funding outflow 2: amount "12.345" is not yuan with at most two places/);
    const good = join(parent, 'good.csv');
    writeFileSync(good, 'day,amount,label\n2026-07-10,100.00,bank loan\n2026-07-11,12.34,fee\n');
    const ok = await run(['funding', 'import', '--file', good, '--json']);
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(ok.out)).toEqual({ stored: 2 });
    const json = join(parent, 'more.json');
    writeFileSync(json, '[{"day":"2026-09-01","amount":"5.00","label":"x"}');
    const notJson = await run(['funding', 'import', '--file', json]);
    expect(notJson.code).not.toBe(0);
    expect(notJson.err).toMatch(/not JSON/);
  }, 120_000);
});
