import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { writeBook } from '../../../src/jobs/index.js';
import { parseDate } from '../../../src/money/index.js';
import {
  findUserByName,
  migrate,
  openDb,
  refreshCases,
  saveTeam,
  setBusinessDay,
} from '../../../src/store/index.js';
import { capture } from '../capture.js';

// `lendguard collections`: allocate the open cases of a small never-paying book, then a collector's list.
describe('lendguard collections', () => {
  const parent = mkdtempSync(join(tmpdir(), 'lg-collections-'));
  const dir = join(parent, 'book');
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  async function run(args: string[]) {
    const c = capture();
    const code = await main([...args, '--db', dir], c.io);
    return { code, out: c.out(), err: c.err() };
  }

  beforeAll(async () => {
    for (const [name, role] of [
      ['admin1', 'admin'],
      ['coll1', 'collector'],
      ['coll2', 'collector'],
    ]) {
      expect((await run(['users', 'create', '--username', name!, '--role', role!])).code).toBe(0);
    }
    const db = await openDb({ kind: 'pglite', dataDir: dir });
    try {
      await migrate(db);
      await writeBook(db, {
        seed: 5,
        customers: 4,
        loansPerCustomer_max: 1,
        drawFrom: parseDate('2026-08-05'),
        drawTo: parseDate('2026-08-20'),
        historyThrough: parseDate('2026-09-30'),
        behaviourShares: [['never', 1]],
      });
      await setBusinessDay(db, parseDate('2026-10-01'));
      await db.transaction((tx) => refreshCases(tx, parseDate('2026-09-30'), null));
      const ids = await Promise.all(
        ['coll1', 'coll2'].map(async (n) => (await findUserByName(db, n))!.userId),
      );
      await db.transaction((tx) =>
        saveTeam(tx, {
          teamId: 'early',
          name: 'Early',
          buckets: ['M1', 'M2', 'M3'],
          lead: null,
          members: ids.map((userId) => ({ userId, capacity: 10 })),
        }),
      );
    } finally {
      await db.close();
    }
  });

  it('allocates as an admin (refused to a collector), then prints each collector’s list', async () => {
    const refused = await run(['collections', 'allocate', '--as', 'coll1']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/has role collector/);
    const r = await run(['collections', 'allocate', '--as', 'admin1', '--json']);
    expect(r.code, r.err).toBe(0);
    const plan = JSON.parse(r.out) as { changes: unknown[]; loads: { cases: number }[]; unassigned: number };
    expect(plan.changes).toHaveLength(4);
    expect(plan.loads.map((l) => l.cases)).toEqual([2, 2]);
    const again = await run(['collections', 'allocate', '--as', 'admin1']);
    expect(again.out).toMatch(/0 case\(s\) \(re\)assigned, 4 kept, 0 waiting/);

    const list = await run(['collections', 'worklist', '--assignee', 'coll1', '--json']);
    expect(list.code, list.err).toBe(0);
    const items = JSON.parse(list.out).items as { priorityMinor: number; nextAction: string }[];
    expect(items).toHaveLength(2);
    expect(items[0]!.priorityMinor).toBeGreaterThanOrEqual(items[1]!.priorityMinor);
    expect(items.every((i) => i.nextAction !== null)).toBe(true);
    const table = await run(['collections', 'worklist', '--assignee', 'coll2']);
    expect(table.out).toMatch(/coll2 on 2026-10-01: 2 case\(s\)/);
  });
});
