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
    expect(again.out).toMatch(/0 cases \(re\)assigned, 4 kept, 0 waiting/);

    const list = await run(['collections', 'worklist', '--assignee', 'coll1', '--json']);
    expect(list.code, list.err).toBe(0);
    const items = JSON.parse(list.out).items as { priorityMinor: number; nextAction: string }[];
    expect(items).toHaveLength(2);
    expect(items[0]!.priorityMinor).toBeGreaterThanOrEqual(items[1]!.priorityMinor);
    expect(items.every((i) => i.nextAction !== null)).toBe(true);
    const table = await run(['collections', 'worklist', '--assignee', 'coll2']);
    expect(table.out).toMatch(/coll2 on 2026-10-01: 2 cases/);
  });

  it('counts one case in the singular when it allocates and lists, two in the plural', async () => {
    const unassign = async (n: number) => {
      const db = await openDb({ kind: 'pglite', dataDir: dir });
      try {
        const { rows } = await db.query<{ case_id: string; username: string }>(
          `select c.case_id, u.username from collection_cases c join users u on u.user_id = c.assignee
           where c.status = 'open' order by u.username, c.case_id limit $1`,
          [n],
        );
        for (const r of rows) {
          await db.query('update collection_cases set assignee = null where case_id = $1', [r.case_id]);
        }
        return rows[0]!.username;
      } finally {
        await db.close();
      }
    };
    const allocated = async () => {
      const r = await run(['collections', 'allocate', '--as', 'admin1']);
      expect(r.code, r.err).toBe(0);
      return r.out.split('\n').find((l) => l.startsWith('2026-10-01: '));
    };
    // One of a collector's two cases is taken off: the list shows one, and the allocation assigns one.
    const who = await unassign(1);
    const list = await run(['collections', 'worklist', '--assignee', who]);
    expect(list.code, list.err).toBe(0);
    expect(list.out.split('\n')).toContain(`${who} on 2026-10-01: 1 case`);
    expect(await allocated()).toBe('2026-10-01: 1 case (re)assigned, 3 kept, 0 waiting for capacity');
    await unassign(2);
    expect(await allocated()).toBe('2026-10-01: 2 cases (re)assigned, 2 kept, 0 waiting for capacity');
  });

  it('prints the compliance report: a planted 23:30 call is a breach, a refused attempt is counted', async () => {
    const db = await openDb({ kind: 'pglite', dataDir: dir });
    try {
      const caseId = (await db.query<{ case_id: string }>('select case_id from collection_cases limit 1'))
        .rows[0]!.case_id;
      await db.query(
        `insert into collection_contacts (attempt_id, case_id, at, channel, party, outcome, allowed, rule, actor) values
           ('ca_cli_1', $1, '2026-10-01T23:30:00+08:00', 'call', 'borrower', 'answered', true, null, 'import'),
           ('ca_cli_2', $1, '2026-10-01T07:00:00+08:00', 'sms', 'borrower', 'sent', false, 'quiet_hours', 'coll1')`,
        [caseId],
      );
    } finally {
      await db.close();
    }
    const r = await run([
      'collections',
      'compliance',
      '--from',
      '2026-10-01',
      '--to',
      '2026-10-01',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as {
      attempts: number;
      refused: number;
      breaches: { attemptId: string; rule: string; at: string }[];
    };
    expect(report).toMatchObject({ attempts: 2, refused: 1 });
    expect(report.breaches).toEqual([
      expect.objectContaining({
        attemptId: 'ca_cli_1',
        rule: 'quiet_hours',
        at: '2026-10-01T23:30:00+08:00',
      }),
    ]);
    const table = await run(['collections', 'compliance', '--from', '2026-10-01', '--to', '2026-10-01']);
    expect(table.out).toMatch(/2 attempts, 1 refused, 1 breach$/m);
    const bad = await run(['collections', 'compliance', '--from', '2026-10-02', '--to', '2026-10-01']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/on or before --to/);
  });

  it('counts one attempt and one breach in the singular, two in the plural', async () => {
    const plant = async (attemptId: string, at: string) => {
      const db = await openDb({ kind: 'pglite', dataDir: dir });
      try {
        const caseId = (await db.query<{ case_id: string }>('select case_id from collection_cases limit 1'))
          .rows[0]!.case_id;
        await db.query(
          `insert into collection_contacts (attempt_id, case_id, at, channel, party, outcome, allowed, rule, actor)
           values ($1, $2, $3, 'call', 'borrower', 'answered', true, null, 'import')`,
          [attemptId, caseId, at],
        );
      } finally {
        await db.close();
      }
    };
    const summary = async () => {
      const r = await run(['collections', 'compliance', '--from', '2026-09-30', '--to', '2026-09-30']);
      expect(r.code, r.err).toBe(0);
      return r.out.split('\n').find((l) => l.startsWith('2026-09-30 to 2026-09-30'));
    };
    // Calls at 23:30 and 23:40, inside the quiet hours: each is a breach.
    await plant('ca_cli_3', '2026-09-30T23:30:00+08:00');
    expect(await summary()).toMatch(/^2026-09-30 to 2026-09-30 \(.+\): 1 attempt, 0 refused, 1 breach$/);
    await plant('ca_cli_4', '2026-09-30T23:40:00+08:00');
    expect(await summary()).toMatch(/^2026-09-30 to 2026-09-30 \(.+\): 2 attempts, 0 refused, 2 breaches$/);
  });
});
