import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { writeBook } from '../../src/jobs/index.js';
import { addDays, parseDate } from '../../src/money/index.js';
import { closeLoansThrough, type Db, migrate, openPglite, setBusinessDay } from '../../src/store/index.js';

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => {
    out += String(c);
  });
  stderr.on('data', (c) => {
    err += String(c);
  });
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

const root = mkdtempSync(join(tmpdir(), 'lg-credit-report-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const MAY_END = parseDate('2026-05-31');

/** Closes every active loan of the book through May's end and opens June's first business day. */
async function closeThroughMay(db: Db): Promise<void> {
  const { rows } = await db.query<{ loan_id: string }>(`select loan_id from loans where status = 'active'`);
  await db.transaction((tx) =>
    closeLoansThrough(
      tx,
      rows.map((r) => r.loan_id),
      MAY_END,
    ),
  );
  await setBusinessDay(db, parseDate('2026-06-01'));
}

describe('lendguard credit-report', () => {
  it('builds May on the seeded book and exports the golden file; refuses a malformed month', {
    timeout: 300_000,
  }, async () => {
    const dir = join(root, 'book');
    const db = await openPglite({ dataDir: dir });
    await migrate(db);
    // The book of test/jobs/credit-report.test.ts: the same seed gives the same file.
    await writeBook(db, {
      seed: 17,
      customers: 40,
      loansPerCustomer_max: 2,
      drawFrom: parseDate('2026-01-05'),
      drawTo: parseDate('2026-04-20'),
      historyThrough: addDays(MAY_END, -1),
    });
    await closeThroughMay(db);
    await db.close();

    const bad = capture();
    expect(await main(['credit-report', 'build', '--month', '2026-13', '--db', dir], bad.io)).toBe(2);
    expect(bad.err()).toContain('month must be YYYY-MM');

    const build = capture();
    expect(
      await main(['credit-report', 'build', '--month', '2026-05', '--db', dir], build.io),
      build.err(),
    ).toBe(0);
    expect(build.out()).toMatch(/^2026-05: \d+ accounts, \d+ ready, \d+ held back/);
    expect(build.err()).toMatch(/built \d+ of \d+ accounts/);

    const file = join(root, 'may.csv');
    const alone = capture();
    expect(
      await main(
        ['credit-report', 'export', '--month', '2026-05', '--db', dir, '--identity', file],
        alone.io,
      ),
    ).toBe(2);
    expect(alone.err()).toContain('give --out too');
    // The seeded book has loans but no customer records: the identity segment cannot be built, and the
    // refusal marks nothing exported (the golden export below still carries every ready record).
    const noIdentity = capture();
    expect(
      await main(
        [
          'credit-report',
          'export',
          '--month',
          '2026-05',
          '--db',
          dir,
          '--out',
          file,
          '--identity',
          `${file}.id`,
        ],
        noIdentity.io,
      ),
    ).toBe(1);
    expect(noIdentity.err()).toContain('has no customer record');
    const exported = capture();
    expect(
      await main(['credit-report', 'export', '--month', '2026-05', '--db', dir, '--out', file], exported.io),
      exported.err(),
    ).toBe(0);
    expect(exported.out()).toMatch(/\d+ records? of 2026-05 to .*may\.csv \(batch crb_/);
    expect(readFileSync(file, 'utf8')).toBe(
      readFileSync(new URL('./golden/credit-report-2026-05.csv', import.meta.url), 'utf8'),
    );
  });

  it('counts one account and one record in the singular, two in the plural', {
    timeout: 120_000,
  }, async () => {
    const book = async (customers: number) => {
      const dir = join(root, `small-${customers}`);
      const db = await openPglite({ dataDir: dir });
      await migrate(db);
      await writeBook(db, {
        seed: 17,
        customers,
        loansPerCustomer_max: 1,
        drawFrom: parseDate('2026-03-02'),
        drawTo: parseDate('2026-03-03'),
        historyThrough: addDays(MAY_END, -1),
      });
      await closeThroughMay(db);
      await db.close();
      const build = capture();
      expect(
        await main(['credit-report', 'build', '--month', '2026-05', '--db', dir], build.io),
        build.err(),
      ).toBe(0);
      const out = join(root, `small-${customers}.csv`);
      const exported = capture();
      expect(
        await main(['credit-report', 'export', '--month', '2026-05', '--db', dir, '--out', out], exported.io),
        exported.err(),
      ).toBe(0);
      return { build, exported };
    };
    const one = await book(1);
    expect(one.build.out()).toMatch(/^2026-05: 1 account, /);
    expect(one.build.err().split('\n')).toContain('built 1 of 1 account');
    expect(one.exported.out()).toMatch(/^1 record of 2026-05 to .*small-1\.csv \(batch crb_/);
    const two = await book(2);
    expect(two.build.out()).toMatch(/^2026-05: 2 accounts, /);
    expect(two.build.err().split('\n')).toContain('built 2 of 2 accounts');
    expect(two.exported.out()).toMatch(/^2 records of 2026-05 to .*small-2\.csv \(batch crb_/);
  });
});
