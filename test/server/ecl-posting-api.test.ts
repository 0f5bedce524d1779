import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBook } from '../../src/jobs/index.js';
import { addDays, parseDate } from '../../src/money/index.js';
import { type Db, setBusinessDay } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import { auth, freshKey, startApi, type TestApi } from './helpers.js';

const TODAY = parseDate('2026-06-15');
const fen = (yuan: unknown) => {
  const [whole = '0', part = '00'] = String(yuan).replace('-', '').split('.');
  const v = Number(whole) * 100 + Number(part.padEnd(2, '0'));
  return String(yuan).startsWith('-') ? -v : v;
};

interface Posting {
  monthEnd: string;
  alreadyPosted: boolean;
  postingNo: number | null;
  opening: string;
  closing: string;
  used: string;
  charge: string;
  exposures: number | null;
}

describe.each(backends)('ECL posting API on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  const post = (monthEnd: unknown, token: string = api.tokens.finance, key: string = freshKey()) =>
    api.app.inject({
      method: 'POST',
      url: '/reports/ecl/postings',
      headers: { ...auth(token), 'idempotency-key': key },
      payload: { monthEnd } as object,
    });
  const get = (url: string, token: string = api.tokens.finance) =>
    api.app.inject({ method: 'GET', url, headers: auth(token) });

  /** Rows of every table a posting writes to, and the audit entries of postings. */
  async function written(): Promise<number[]> {
    const counts: number[] = [];
    for (const sql of [
      'select count(*)::int as n from ecl_postings',
      'select count(*)::int as n from ecl_runs',
      'select count(*)::int as n from ecl_run_exposures',
      `select count(*)::int as n from postings where loan_id like 'ecl:%'`,
      `select count(*)::int as n from audit_log where action = 'ecl.post'`,
    ]) {
      const { rows } = await db.query<{ n: number }>(sql);
      counts.push(rows[0]?.n ?? -1);
    }
    return counts;
  }

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    await writeBook(db, {
      seed: 17,
      customers: 40,
      loansPerCustomer_max: 3,
      drawFrom: addDays(TODAY, -420),
      drawTo: addDays(TODAY, -10),
      historyThrough: addDays(TODAY, -4),
    });
    await setBusinessDay(db, parseDate('2026-06-12'));
  }, 600_000);
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('refuses a month end not closed yet, and writes nothing', async () => {
    const before = await written();
    expectProblem(await post('2026-06-30'), {
      status: 409,
      code: 'report_month_not_closed',
      says: /2026-06-30 is not closed: the business day is 2026-06-12/,
      path: '/body/monthEnd',
    });
    expect(await written()).toEqual(before);
  });

  it('refuses a day that is not a month end, a text that is not a date, and a role that may not post', async () => {
    expectProblem(await post('2026-04-15'), {
      status: 400,
      code: 'report_not_month_end',
      says: /not a month end.*2026-04-30/,
      path: '/body/monthEnd',
    });
    expectProblem(await post('April'), {
      status: 400,
      code: 'validation_failed',
      says: /monthEnd must be a date/,
      path: '/body/monthEnd',
    });
    expectProblem(await post('2026-04-30', api.tokens.risk_analyst), {
      status: 403,
      code: 'forbidden',
      says: /./,
    });
    expectProblem(await get('/reports/ecl/postings/2026-04-30'), {
      status: 404,
      code: 'ecl_posting_not_found',
      says: /2026-04-30 has no ECL posting/,
    });
    expect(await written()).toEqual([0, 0, 0, 0, 0]);
  });

  it('posts month N; the ECL report of month N+1 rolls forward from it and closes to the fen', async () => {
    const res = await post('2026-04-30');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.location).toBe('/reports/ecl/postings/2026-04-30');
    const april = res.json() as Posting;
    expect(april).toMatchObject({ monthEnd: '2026-04-30', alreadyPosted: false, opening: '0.00' });
    expect(fen(april.closing)).toBeGreaterThan(0);
    expect(fen(april.opening) - fen(april.used) + fen(april.charge)).toBe(fen(april.closing));
    expect(april.exposures).toBeGreaterThan(10);
    expect((await get('/reports/ecl/postings/2026-04-30')).json()).toEqual({ ...april, alreadyPosted: true });

    const { rows: audit } = await db.query<{ resource_id: string; details: { closingMinor: number } }>(
      `select resource_id, details from audit_log where action = 'ecl.post'`,
    );
    expect(audit).toEqual([
      expect.objectContaining({
        resource_id: '2026-04-30',
        details: expect.objectContaining({ closingMinor: fen(april.closing) }),
      }),
    ]);

    // April's own report (measured the same way) has the ECL the posting booked.
    const aprilReport = (await get('/reports/ecl?asOf=2026-04-30')).json() as {
      summary: { key: string; value: string }[];
    };
    expect(aprilReport.summary.find((f) => f.key === 'ecl')?.value).toBe(april.closing);

    const may = (await get('/reports/ecl?asOf=2026-05-31')).json() as {
      summary: { key: string; value: string }[];
      tables: { name: string; rows: Record<string, string>[] }[];
    };
    const lines = may.tables.find((t) => t.name === 'roll-forward')?.rows;
    expect(lines, 'the May report has a roll-forward').toBeDefined();
    const opening = lines!.find((l) => l.movement === 'opening')!;
    const closing = lines!.find((l) => l.movement === 'closing')!;
    expect(opening.total).toBe(april.closing);
    expect(closing.total).toBe(may.summary.find((f) => f.key === 'ecl')?.value);
    const moves = lines!.filter((l) => l.movement !== 'opening' && l.movement !== 'closing');
    expect(moves.length).toBeGreaterThan(0);
    for (const key of ['stage-1', 'stage-2', 'stage-3', 'total']) {
      expect(fen(opening[key]) + moves.reduce((a, l) => a + fen(l[key]), 0), key).toBe(fen(closing[key]));
    }
  });

  it('a repeat post of a posted month writes nothing and says so', async () => {
    const before = await written();
    expect(before).toEqual([1, 1, before[2], 1, 1]);
    const again = await post('2026-04-30');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ monthEnd: '2026-04-30', alreadyPosted: true });
    expect(await written()).toEqual(before);
  });

  it('the same Idempotency-Key replays the first answer', async () => {
    const key = freshKey();
    const first = await post('2026-05-31', api.tokens.admin, key);
    expect(first.statusCode, first.body).toBe(201);
    const replay = await post('2026-05-31', api.tokens.admin, key);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    const may = first.json() as Posting;
    const april = (await get('/reports/ecl/postings/2026-04-30')).json() as Posting;
    expect(may.opening).toBe(april.closing);
  });

  it("shows a month's roll-forward and journal lines, and lists the posted months newest first", async () => {
    type Line = { movement: string; stage1: string; stage2: string; stage3: string; total: string };
    const may = (await get('/reports/ecl/postings/2026-05-31')).json() as Posting & {
      rollForward: Line[];
      journal: { account: string; debit: string | null; credit: string | null }[];
    };
    const line = (m: string) => may.rollForward.find((l) => l.movement === m)!;
    expect(line('closing').total).toBe(may.closing);
    const moves = may.rollForward.filter((l) => l.movement !== 'opening' && l.movement !== 'closing');
    for (const key of ['stage1', 'stage2', 'stage3', 'total'] as const) {
      expect(fen(line('opening')[key]) + moves.reduce((a, l) => a + fen(l[key]), 0), key).toBe(
        fen(line('closing')[key]),
      );
    }
    // The journal entry balances, and moves the allowance by the charge less what the write-offs used.
    const debit = may.journal.reduce((a, l) => a + (l.debit === null ? 0 : fen(l.debit)), 0);
    const credit = may.journal.reduce((a, l) => a + (l.credit === null ? 0 : fen(l.credit)), 0);
    expect(debit).toBe(credit);
    expect(may.journal.length > 0).toBe(may.postingNo !== null);

    const list = (await get('/reports/ecl/postings', api.tokens.auditor)).json() as { items: Posting[] };
    expect(list.items.map((p) => p.monthEnd)).toEqual(['2026-05-31', '2026-04-30']);
    expect(list.items[0]).toMatchObject({ closing: may.closing, alreadyPosted: true });
    expect(list.items[0]).not.toHaveProperty('rollForward');
  });
  it('refuses a month end earlier than one posted, writes nothing, and the allowance stays the latest ECL', async () => {
    const before = await written();
    const allowance = async () => {
      const tb = (await get('/trial-balance')).json() as {
        accounts: { account: string; debit: string; credit: string }[];
      };
      const row = tb.accounts.find((a) => a.account === 'lossAllowance');
      return row === undefined ? 0 : fen(row.credit) - fen(row.debit);
    };
    const may = (await get('/reports/ecl/postings/2026-05-31')).json() as Posting;
    expect(await allowance()).toBe(fen(may.closing));
    expectProblem(await post('2026-03-31'), {
      status: 409,
      code: 'ecl_posting_out_of_order',
      says: /2026-05-31 is posted already, so 2026-03-31 can no longer be/,
      path: '/body/monthEnd',
    });
    expect(await written()).toEqual(before);
    expect(await allowance()).toBe(fen(may.closing));
    // A posted month asked again still answers what was posted.
    const april = await post('2026-04-30');
    expect(april.statusCode, april.body).toBe(200);
    expect(april.json()).toMatchObject({ alreadyPosted: true });
  });
});
