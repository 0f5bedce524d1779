import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openDb } from '../../src/store/index.js';
import { capture } from './capture.js';

// The README's main command: the demo book, its EOD days and its decided applications, on PGlite.
describe('lendguard demo', () => {
  const parent = mkdtempSync(join(tmpdir(), 'lg-demo-'));
  const dir = join(parent, 'book');
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('builds a book with loans in several buckets and applications decided every way', async () => {
    const run = capture();
    expect(await main(['demo', '--no-serve', '--db', dir, '--seed', '7'], run.io), run.err()).toBe(0);
    expect(run.err()).toMatch(/applications decided/);
    expect(run.out() + run.err()).toMatch(/lgt_/);
    const db = await openDb({ kind: 'pglite', dataDir: dir });
    try {
      const buckets = await db.query<{ bucket: string }>(
        "select distinct state->>'bucket' as bucket from loans where status = 'active'",
      );
      expect(buckets.rows.length).toBeGreaterThanOrEqual(4);
      const outcomes = await db.query<{ outcome: string; n: number }>(
        'select outcome, count(*)::int as n from decisions group by outcome order by outcome',
      );
      expect(outcomes.rows.map((r) => r.outcome)).toEqual(['approve', 'decline', 'refer']);
      const flags = await db.query<{ n: number }>('select count(*)::int as n from review_flags');
      expect(flags.rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });
});
