import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { writeBook } from '../../src/jobs/book.js';
import { addDays, parseDate } from '../../src/money/index.js';
import { migrate, openDb } from '../../src/store/index.js';
import { capture } from './capture.js';

const parent = mkdtempSync(join(tmpdir(), 'lg-ecl-'));
const dir = join(parent, 'data');
const TODAY = parseDate('2026-06-15');
const fen = (yuan: unknown) => {
  const text = String(yuan);
  const [whole = '0', part = '00'] = text.replace('-', '').split('.');
  const v = Number(whole) * 100 + Number(part);
  return text.startsWith('-') ? -v : v;
};

async function run(args: readonly string[]) {
  const c = capture();
  const code = await main([...args, '--db', dir], c.io);
  return { code, out: c.out(), err: c.err() };
}

async function written(): Promise<number[]> {
  const db = await openDb({ kind: 'pglite', dataDir: dir });
  try {
    const out: number[] = [];
    for (const sql of [
      'select count(*)::int as n from ecl_postings',
      'select count(*)::int as n from ecl_runs',
      `select count(*)::int as n from postings where loan_id like 'ecl:%'`,
      `select count(*)::int as n from audit_log where action = 'ecl.post'`,
    ]) {
      const { rows } = await db.query<{ n: number }>(sql);
      out.push(rows[0]?.n ?? -1);
    }
    return out;
  } finally {
    await db.close();
  }
}

describe('lendguard ecl post / show', () => {
  beforeAll(async () => {
    const db = await openDb({ kind: 'pglite', dataDir: dir });
    try {
      await migrate(db);
      await writeBook(db, {
        seed: 9,
        customers: 30,
        loansPerCustomer_max: 3,
        drawFrom: addDays(TODAY, -400),
        drawTo: addDays(TODAY, -10),
        historyThrough: addDays(TODAY, -4),
      });
      await db.query(`update business_day set day = '2026-06-12'`);
    } finally {
      await db.close();
    }
  }, 600_000);
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('refuses a month end not closed yet and one that is not a month end, writing nothing', async () => {
    const open = await run(['ecl', 'post', '--month-end', '2026-06-30']);
    expect(open.code).not.toBe(0);
    expect(open.err).toMatch(/2026-06-30 is not closed: the business day is 2026-06-12/);
    const mid = await run(['ecl', 'post', '--month-end', '2026-05-15']);
    expect(mid.code).not.toBe(0);
    expect(mid.err).toMatch(/not a month end/);
    const none = await run(['ecl', 'show', '--month-end', '2026-04-30']);
    expect(none.code).not.toBe(0);
    expect(none.err).toMatch(/no ECL posting/);
    expect(await written()).toEqual([0, 0, 0, 0]);
  });

  it('posts month N once; the report of month N+1 rolls forward from it to the fen', async () => {
    const first = await run(['ecl', 'post', '--month-end', '2026-04-30']);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/posted the ECL of 2026-04-30/);
    expect(await written()).toEqual([1, 1, 1, 1]);

    const again = await run(['ecl', 'post', '--month-end', '2026-04-30', '--json']);
    expect(again.code, again.err).toBe(0);
    const april = JSON.parse(again.out) as { alreadyPosted: boolean; closing: string; opening: string };
    expect(april.alreadyPosted).toBe(true);
    expect(await written()).toEqual([1, 1, 1, 1]);
    const text = await run(['ecl', 'post', '--month-end', '2026-04-30']);
    expect(text.out).toMatch(/2026-04-30 was posted already: nothing written/);

    const show = await run(['ecl', 'show', '--month-end', '2026-04-30', '--json']);
    expect(JSON.parse(show.out)).toEqual(april);

    const report = await run(['report', 'ecl', '--as-of', '2026-05-31', '--json']);
    expect(report.code, report.err).toBe(0);
    const may = JSON.parse(report.out) as {
      summary: { key: string; value: string }[];
      tables: { name: string; rows: Record<string, string>[] }[];
    };
    const lines = may.tables.find((t) => t.name === 'roll-forward')?.rows ?? [];
    const opening = lines.find((l) => l.movement === 'opening');
    const closing = lines.find((l) => l.movement === 'closing');
    expect(opening?.total).toBe(april.closing);
    expect(closing?.total).toBe(may.summary.find((f) => f.key === 'ecl')?.value);
    const moves = lines.filter((l) => l.movement !== 'opening' && l.movement !== 'closing');
    expect(fen(opening?.total) + moves.reduce((a, l) => a + fen(l.total), 0)).toBe(fen(closing?.total));
  });
});

describe('lendguard ecl post on a book of one or two customers', () => {
  afterAll(() => rmSync(join(parent, 'small'), { recursive: true, force: true }));

  /** The exposures of the posting of 2026-04-30 on a fresh book of `customers` customers, and its exposures line. */
  async function exposuresLine(customers: number): Promise<{ exposures: number; line: string | undefined }> {
    const small = join(parent, 'small', String(customers));
    const db = await openDb({ kind: 'pglite', dataDir: small });
    try {
      await migrate(db);
      await writeBook(db, {
        seed: 9,
        customers,
        loansPerCustomer_max: 1,
        drawFrom: addDays(TODAY, -100),
        drawTo: addDays(TODAY, -90),
        historyThrough: addDays(TODAY, -4),
      });
      await db.query(`update business_day set day = '2026-06-12'`);
    } finally {
      await db.close();
    }
    const c = capture();
    const code = await main(['ecl', 'post', '--month-end', '2026-04-30', '--db', small], c.io);
    expect(code, c.err()).toBe(0);
    const show = capture();
    expect(await main(['ecl', 'show', '--month-end', '2026-04-30', '--json', '--db', small], show.io)).toBe(
      0,
    );
    const { exposures } = JSON.parse(show.out()) as { exposures: number };
    return {
      exposures,
      line: c
        .out()
        .split('\n')
        .find((l) => l.startsWith('  journal posting ')),
    };
  }

  it('counts one exposure in the singular, more in the plural', async () => {
    const one = await exposuresLine(1);
    expect(one.exposures).toBe(1);
    expect(one.line).toMatch(/; 1 exposure; scenarios /);
    const more = await exposuresLine(2);
    expect(more.exposures).toBeGreaterThan(1);
    expect(more.line).toContain(`; ${more.exposures} exposures; scenarios `);
  }, 120_000);
});
