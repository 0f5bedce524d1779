import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { lenderToday, writeBook } from '../../src/jobs/index.js';
import { addDays, formatDate, parseDate } from '../../src/money/index.js';
import { migrate, openPglite, setFirstBusinessDay } from '../../src/store/index.js';

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

const root = mkdtempSync(join(tmpdir(), 'lg-eod-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('lendguard eod', () => {
  it('refuses more than one partition in flight on an embedded database, saying why, and what is out of range', async () => {
    const dir = join(root, 'in-flight');
    const embedded = capture();
    expect(
      await main(['eod', '--date', '2025-02-10', '--db', dir, '--partitions-in-flight', '2'], embedded.io),
    ).toBe(2);
    expect(embedded.err()).toMatch(
      /--partitions-in-flight 2 needs a PostgreSQL server .* one partition at a time/,
    );
    const tooMany = capture();
    expect(
      await main(
        [
          'eod',
          '--date',
          '2025-02-10',
          '--db',
          'postgres://127.0.0.1:1/none',
          '--partitions-in-flight',
          '99',
        ],
        tooMany.io,
      ),
    ).toBe(2);
    expect(tooMany.err()).toMatch(/--partitions-in-flight/);
  });

  it('checks --date before it creates a database folder', async () => {
    const dir = join(root, 'never-made');
    const bad = capture();
    expect(await main(['eod', '--date', '2025-02-30', '--db', dir], bad.io)).toBe(2);
    expect(bad.err()).toContain('--date');
    expect(existsSync(dir)).toBe(false);
  });

  it('sets the first business day with db migrate --business-day, refuses dates out of range, and refuses a new first day once loans exist', async () => {
    const dir = join(root, 'first-day');
    const today = lenderToday();
    const future = capture();
    expect(
      await main(
        ['db', 'migrate', '--db', dir, '--business-day', formatDate(addDays(parseDate(today), 1))],
        future.io,
      ),
    ).toBe(2);
    expect(future.err()).toContain('after today');
    const set = capture();
    expect(await main(['db', 'migrate', '--db', dir, '--business-day', '2025-01-02'], set.io)).toBe(0);
    expect(set.out()).toContain('the first business day is 2025-01-02');
    const db = await openPglite({ dataDir: dir });
    expect((await db.query<{ day: string }>('select day::text as day from business_day')).rows[0]!.day).toBe(
      '2025-01-02',
    );
    const book = await writeBook(db, {
      seed: 4,
      customers: 5,
      loansPerCustomer_max: 1,
      drawFrom: parseDate('2025-01-02'),
      drawTo: parseDate('2025-01-10'),
    });
    await db.close();

    const again = capture();
    expect(await main(['db', 'migrate', '--db', dir, '--business-day', '2025-01-01'], again.io)).toBe(2);
    expect(book).toMatchObject({ lines: 5, loans: 5 });
    expect(again.err()).toContain('the database has ledger activity already (5 credit lines, 5 loans);');

    const ahead = capture();
    expect(
      await main(['eod', '--date', formatDate(addDays(parseDate(today), 1)), '--db', dir], ahead.io),
    ).toBe(2);
    expect(ahead.err()).toContain(`dates from 2025-01-02 through ${today} can be closed`);
    const behind = capture();
    expect(await main(['eod', '--date', '2025-01-01', '--db', dir], behind.io)).toBe(2);
    expect(behind.err()).toContain('before the business day 2025-01-02');
    const check = await openPglite({ dataDir: dir });
    expect((await check.query<{ n: number }>('select count(*)::int as n from eod_runs')).rows[0]!.n).toBe(0);
    await check.close();

    const catchUp = capture();
    expect(await main(['eod', '--date', '2025-01-05', '--db', dir, '--no-progress'], catchUp.io)).toBe(0);
    expect(catchUp.err()).toContain('closing 4 business days through 2025-01-05');
  }, 60_000);

  it('closes a date, repeats as a no-op, and exits 1 listing the loan when a partition fails', async () => {
    const dir = join(root, 'book');
    const db = await openPglite({ dataDir: dir });
    await migrate(db);
    await setFirstBusinessDay(db, '2025-01-02', lenderToday());
    await writeBook(db, {
      seed: 9,
      customers: 20,
      loansPerCustomer_max: 2,
      drawFrom: parseDate('2025-01-02'),
      drawTo: parseDate('2025-01-30'),
    });
    const broken = (await db.query<{ loan_id: string }>('select loan_id from loans order by loan_id limit 1'))
      .rows[0]!.loan_id;
    await db.close();

    const first = capture();
    expect(
      await main(['eod', '--date', '2025-02-10', '--db', dir, '--json', '--partitions', '4'], first.io),
    ).toBe(0);
    const summary = JSON.parse(first.out()) as { status: string; loansClosed: number; partitions: unknown[] };
    expect(summary.status).toBe('succeeded');
    expect(summary.loansClosed).toBeGreaterThan(0);
    expect(summary.partitions).toHaveLength(4);

    const again = capture();
    expect(await main(['eod', '--date', '2025-02-10', '--db', dir], again.io)).toBe(0);
    expect(again.err()).toContain('had already succeeded');

    // A loan whose stored state cannot be read: its partition fails, the others succeed.
    const tamper = await openPglite({ dataDir: dir });
    await tamper.query(
      "update loans set state = 'null'::jsonb, next_event_day = '2025-02-11' where loan_id = $1",
      [broken],
    );
    await tamper.close();
    const failing = capture();
    expect(await main(['eod', '--date', '2025-02-11', '--db', dir, '--no-progress'], failing.io)).toBe(1);
    expect(failing.out()).toContain('EOD 2025-02-11 failed');
    expect(failing.err()).toContain(broken);
    expect(failing.err()).toContain('run the same command again');
    expect(failing.err()).toContain('EOD 2025-02-11 failed in 1 partition (errors above)');

    const later = capture();
    expect(await main(['eod', '--date', '2025-02-12', '--db', dir], later.io)).toBe(2);
    expect(later.err()).toContain('finish it first');
  }, 120_000);

  it('counts one partition and one loan in the singular, two in the plural', async () => {
    const close = async (n: number) => {
      const dir = join(root, `book-${n}`);
      const db = await openPglite({ dataDir: dir });
      await migrate(db);
      await setFirstBusinessDay(db, '2025-01-02', lenderToday());
      await writeBook(db, {
        seed: 9,
        customers: n,
        loansPerCustomer_max: 1,
        drawFrom: parseDate('2025-01-02'),
        drawTo: parseDate('2025-01-03'),
      });
      await db.close();
      const c = capture();
      const args = ['eod', '--date', '2025-02-10', '--db', dir, '--no-progress', '--partitions', String(n)];
      expect(await main(args, c.io), c.err()).toBe(0);
      return { started: c.err(), outcome: c.out() };
    };
    const one = await close(1);
    expect(one.started).toMatch(
      /^EOD 2025-02-10: started run \S+ \(1 partition, closing \d+ business days through 2025-02-10\)$/m,
    );
    expect(one.outcome).toMatch(/^EOD 2025-02-10 succeeded \(run \S+\): 1 loan closed, /m);
    const two = await close(2);
    expect(two.started).toMatch(
      /^EOD 2025-02-10: started run \S+ \(2 partitions, closing \d+ business days through 2025-02-10\)$/m,
    );
    expect(two.outcome).toMatch(/^EOD 2025-02-10 succeeded \(run \S+\): 2 loans closed, /m);
  }, 120_000);
});
