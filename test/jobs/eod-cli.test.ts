import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { writeBook } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import { migrate, openPglite } from '../../src/store/index.js';

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

  it('closes a date, repeats as a no-op, and exits 1 listing the loan when a partition fails', async () => {
    const dir = join(root, 'book');
    const db = await openPglite({ dataDir: dir });
    await migrate(db);
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

    const later = capture();
    expect(await main(['eod', '--date', '2025-02-12', '--db', dir], later.io)).toBe(2);
    expect(later.err()).toContain('finish it first');
  }, 120_000);
});
