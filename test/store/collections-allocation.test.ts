import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AllocatableCase, allocateCases } from '../../src/collections/index.js';
import type { Bucket } from '../../src/ledger/index.js';
import { parseDate } from '../../src/money/index.js';
import { allocateOpenCases, type Db, saveTeam } from '../../src/store/index.js';
import { backends, openMigrated } from './backends.js';

const BUCKETS: readonly Bucket[] = ['M0', 'M1', 'M2', 'M3'];
const caseId = (i: number) => `cas_${String(i).padStart(4, '0')}`;

interface Row {
  case_id: string;
  status: string;
  assignee: string | null;
  team_id: string | null;
  updated_day: string;
  row_version: string;
}

/**
 * What the allocation writes is exactly the core's plan (decision 0752): every open case not with an agency
 * ends with the plan's collector and team, closed and placed cases are untouched, and a case is written
 * (its row version moved) only when its assignee or team changes.
 */
describe.each(backends)('allocating the open cases on $name', (backend) => {
  let db: Db;
  const rows = async () =>
    (
      await db.query<Row>(
        `select case_id, status, assignee, team_id, updated_day::text as updated_day, row_version::text as row_version
           from collection_cases order by case_id`,
      )
    ).rows;

  beforeAll(async () => {
    db = await openMigrated(backend);
    // 90 cases: buckets M0 (no team) to M3, some closed, some with an agency, some already assigned —
    // to a member of the right team, of the wrong team, or to someone in no team.
    for (let i = 0; i < 90; i++) {
      const bucket = BUCKETS[i % 4]!;
      const closed = i % 11 === 10;
      const assignee = i % 5 === 0 ? 'usr_a1' : i % 7 === 0 ? 'usr_b1' : i % 13 === 0 ? 'usr_gone' : null;
      await db.query(
        `insert into collection_cases (case_id, customer_id, status, opened_day, closed_day, close_reason, bucket,
            max_days_past_due, overdue_minor, total_owed_minor, past_due_loan_ids, borrower_zone, updated_day,
            priority_minor, assignee, team_id, agency_id)
         values ($1, $2, $3, '2026-01-01', $4, $5, $6, 10, $7, $7, '[]', 'Asia/Shanghai', '2026-01-01', $8, $9,
            $10, $11)`,
        [
          caseId(i),
          `cus_${i}`,
          closed ? 'closed' : 'open',
          closed ? '2026-01-05' : null,
          closed ? 'cured' : null,
          bucket,
          10_000 + ((i * 7_919) % 50_000),
          (i * 104_729) % 90_000,
          assignee,
          i % 17 === 0 ? 'stale' : null,
          i % 19 === 3 ? 'agy_1' : null,
        ],
      );
    }
    await saveTeam(db, {
      teamId: 'a',
      name: 'a',
      buckets: ['M1'],
      lead: null,
      members: [
        { userId: 'usr_a1', capacity: 6 },
        { userId: 'usr_a2', capacity: 8 },
      ],
    });
    await saveTeam(db, {
      teamId: 'b',
      name: 'b',
      buckets: ['M2', 'M3'],
      lead: null,
      members: [
        { userId: 'usr_b1', capacity: 9 },
        { userId: 'usr_b2', capacity: 9 },
        { userId: 'usr_b3', capacity: 3 },
      ],
    });
  }, 300_000);
  afterAll(async () => {
    await db.close();
  });

  it('writes the core plan and nothing else', async () => {
    const before = await rows();
    const open = (
      await db.query<{
        case_id: string;
        bucket: Bucket;
        overdue_minor: string;
        priority_minor: string;
        assignee: string | null;
        agency_id: string | null;
      }>(
        `select case_id, bucket, overdue_minor, priority_minor, assignee, agency_id from collection_cases
          where status = 'open'`,
      )
    ).rows;
    const cases: AllocatableCase[] = open.map((r) => ({
      caseId: r.case_id,
      bucket: r.bucket,
      overdueMinor: Number(r.overdue_minor),
      priorityMinor: Number(r.priority_minor),
      assignee: r.assignee,
      placedWithAgency: r.agency_id !== null,
    }));
    const expected = allocateCases(cases, [
      {
        teamId: 'a',
        buckets: ['M1'],
        collectors: [
          { userId: 'usr_a1', capacity: 6 },
          { userId: 'usr_a2', capacity: 8 },
        ],
      },
      {
        teamId: 'b',
        buckets: ['M2', 'M3'],
        collectors: [
          { userId: 'usr_b1', capacity: 9 },
          { userId: 'usr_b2', capacity: 9 },
          { userId: 'usr_b3', capacity: 3 },
        ],
      },
    ]);

    const plan = await db.transaction((tx) => allocateOpenCases(tx, parseDate('2026-02-01')));
    expect(plan).toEqual(expected);
    expect(plan.changes.length).toBeGreaterThan(20);
    expect(plan.kept).toBeGreaterThan(0);

    const change = new Map(plan.changes.map((c) => [c.caseId, c]));
    const memberTeam = new Map([
      ['usr_a1', 'a'],
      ['usr_a2', 'a'],
      ['usr_b1', 'b'],
      ['usr_b2', 'b'],
      ['usr_b3', 'b'],
    ]);
    const after = await rows();
    for (const [i, b] of before.entries()) {
      const a = after[i]!;
      const c = change.get(b.case_id);
      const assignee = c === undefined ? b.assignee : c.assignee;
      // A kept case carries its collector's team.
      const team =
        c !== undefined
          ? c.teamId
          : b.status === 'open' && b.assignee !== null
            ? (memberTeam.get(b.assignee) ?? b.team_id)
            : b.team_id;
      expect([a.case_id, a.assignee, a.team_id]).toEqual([b.case_id, assignee, team]);
      const written = assignee !== b.assignee || (c !== undefined && c.teamId !== b.team_id);
      expect([a.case_id, a.row_version, a.updated_day]).toEqual(
        written
          ? [b.case_id, String(Number(b.row_version) + 1), '2026-02-01']
          : [b.case_id, b.row_version, b.updated_day],
      );
    }
  });

  it('a second allocation keeps every case and writes none', async () => {
    const before = await rows();
    const plan = await db.transaction((tx) => allocateOpenCases(tx, parseDate('2026-02-02')));
    expect(plan.changes.filter((c) => c.assignee !== null)).toEqual([]);
    expect(await rows()).toEqual(before);
  });
});
