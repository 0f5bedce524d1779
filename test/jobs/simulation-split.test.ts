import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import {
  createSplitRun,
  InputFileError,
  runSimulation,
  SplitRunError,
  splitPartitions,
  workSplitRun,
} from '../../src/jobs/index.js';
import { emptyTotals, reportHtml, totalsFromText, totalsToText } from '../../src/simulation/index.js';
import {
  completeSplitPartition,
  type Db,
  type SplitClaim,
  splitPartitionTotals,
} from '../../src/store/index.js';
import { SCENARIO_DIR, strategyPath } from '../simulation/lab-helpers.js';
import { backends, openMigrated, TEST_PG_URL } from '../store/backends.js';

/**
 * A strategy-lab run split into partitions claimed through the database (decision 0909): the report is the
 * single machine's byte for byte, and a process killed mid-partition loses nothing and doubles nothing.
 */

const options = {
  scenario: `${SCENARIO_DIR}pandemic.json`,
  strategies: [strategyPath('default'), strategyPath('relief')],
  borrowers: 200,
  months: 4,
  seed: 11,
  replications: 2,
  startDate: '2027-01-01',
};

let single: Awaited<ReturnType<typeof runSimulation>> | undefined;
async function singleMachine() {
  single ??= await runSimulation({ ...options, workers: 0 });
  return single;
}

const splitInput = (runId: string, ranges: number) => ({
  ...options,
  runId,
  ranges,
  createdBy: 'test',
});

async function partitionRows(db: Db, runId: string) {
  const { rows } = await db.query<{
    partition_no: number;
    status: string;
    claims: number;
    claimed_by: string | null;
  }>(
    `select partition_no, status, claims, claimed_by from simulation_split_partitions
      where run_id = $1 order by partition_no`,
    [runId],
  );
  return rows;
}

describe('splitting a run into partitions', () => {
  it('covers every borrower of every strategy and replication once, in order', () => {
    const parts = splitPartitions(2, 2, 10, 3);
    expect(parts.map((p) => p.partitionNo)).toEqual(parts.map((_, i) => i));
    expect(parts.slice(0, 3).map((p) => [p.from, p.to])).toEqual([
      [0, 3],
      [3, 6],
      [6, 10],
    ]);
    expect(parts.map((p) => `${p.strategy}/${p.replication}`)).toEqual([
      ...['0/0', '0/0', '0/0', '0/1', '0/1', '0/1'],
      ...['1/0', '1/0', '1/0', '1/1', '1/1', '1/1'],
    ]);
    // Never an empty range: no more ranges than borrowers.
    expect(splitPartitions(1, 1, 2, 5).map((p) => [p.from, p.to])).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });

  it('writes totals exactly and reads them back, refusing what is not a whole number', () => {
    const t = emptyTotals(3, 2);
    t.series.cashIn_fen[1] = 9_007_199_254_740_991;
    t.byIndustry.餐饮 = {
      applications: 2,
      approvals: 1,
      disbursed_fen: 5,
      writtenOff_fen: 0,
      defaulted_fen: 0,
    };
    t.byIndustry.制造 = {
      applications: 1,
      approvals: 1,
      disbursed_fen: 7,
      writtenOff_fen: 1,
      defaulted_fen: 1,
    };
    t.exposures.set('drawn|default|M0|1|12|0.146000|salaried|manufacturing', [0, 100, 200]);
    t.exposures.set('undrawn|*|M0|1|12|0.146000|salaried|catering', [0, 0, 300]);
    t.chain.default = new Array<number>(3 * 36).fill(0);
    t.chain.default[36] = 4;
    t.workouts.push(10_000, 5_000, 146_000, 1, 10_020, 700);
    const text = totalsToText(t);
    expect(totalsToText(totalsFromText(text, 3, 2))).toBe(text);
    expect(text.indexOf('drawn|')).toBeLessThan(text.indexOf('undrawn|'));
    expect(text.indexOf('制造')).toBeLessThan(text.indexOf('餐饮'));
    t.series.fees_fen[0] = 0.5;
    expect(() => totalsToText(t)).toThrow(/not a whole number/);
    expect(() => totalsFromText(text, 4, 2)).toThrow(/expected 4 and 2/);
  });
});

describe.each(backends)('a run split across processes ($name)', (backend) => {
  it('gives the single machine’s report byte for byte, from processes working side by side', async () => {
    const db = await openMigrated(backend);
    try {
      const created = await createSplitRun(db, splitInput('side-by-side', 3));
      expect(created.outcome).toBe('created');
      expect(created.run.partitionsTotal).toBe(2 * 2 * 3);
      // The creator started again with the same inputs finds its run; other inputs are refused.
      expect((await createSplitRun(db, splitInput('side-by-side', 3))).outcome).toBe('exists');
      await expect(createSplitRun(db, { ...splitInput('side-by-side', 3), seed: 12 })).rejects.toThrow(
        /exists with other inputs: --seed is 12/,
      );
      const [a, b] = await Promise.all([
        workSplitRun(db, 'side-by-side', { workers: 0, workerId: 'host-a:1:1', poll_ms: 10 }),
        workSplitRun(db, 'side-by-side', { workers: 0, workerId: 'host-b:1:1', poll_ms: 10 }),
      ]);
      const expected = await singleMachine();
      expect(JSON.stringify(a)).toBe(JSON.stringify(expected));
      expect(JSON.stringify(b)).toBe(JSON.stringify(expected));
      expect(reportHtml(a)).toBe(reportHtml(expected));
      const rows = await partitionRows(db, 'side-by-side');
      expect(rows.every((r) => r.status === 'done' && r.claims === 1)).toBe(true);
      if (backend.name === 'postgres') {
        // Both processes claimed (on PGlite one connection serves both, and one may take them all).
        expect(new Set(rows.map((r) => r.claimed_by!.split('/')[0])).size).toBe(2);
      }
    } finally {
      await db.close();
    }
  }, 600_000);

  it('re-runs a partition whose lease passed and counts it once', async () => {
    const db = await openMigrated(backend);
    try {
      await createSplitRun(db, splitInput('crash', 2));
      // A process claims partition 0 and dies before writing its totals.
      let dead: SplitClaim | undefined;
      await expect(
        workSplitRun(db, 'crash', {
          workers: 0,
          workerId: 'host-a:1:1',
          beforeComplete: async (claim) => {
            dead = claim;
            throw new Error('killed');
          },
        }),
      ).rejects.toThrow('killed');
      expect(dead?.partitionNo).toBe(0);
      expect((await partitionRows(db, 'crash'))[0]).toMatchObject({ status: 'running', claims: 1 });
      // Its lease passes (on the database's clock).
      await db.query(
        `update simulation_split_partitions set lease_expires_at = now() - interval '1 second'
          where run_id = 'crash' and partition_no = 0`,
      );
      let staleRefused: boolean | undefined;
      const report = await workSplitRun(db, 'crash', {
        workers: 0,
        workerId: 'host-b:1:1',
        beforeComplete: async (claim) => {
          // The dead process's late write, after the partition passed to this one, is refused.
          if (claim.partitionNo === 0) staleRefused = !(await completeSplitPartition(db, dead!, '{}'));
        },
      });
      expect(staleRefused).toBe(true);
      expect(JSON.stringify(report)).toBe(JSON.stringify(await singleMachine()));
      const rows = await partitionRows(db, 'crash');
      expect(rows.map((r) => r.claims)).toEqual(rows.map((r) => (r.partition_no === 0 ? 2 : 1)));
      expect(rows.every((r) => r.status === 'done' && r.claimed_by?.startsWith('host-b'))).toBe(true);
      // A finished partition is not claimed again nor counted twice; the run's count is its partitions.
      expect(await completeSplitPartition(db, { ...dead!, workerId: rows[0]!.claimed_by! }, '{}')).toBe(
        false,
      );
      const run = await db.query<{ partitions_done: number; partitions_total: number }>(
        "select partitions_done, partitions_total from simulation_split_runs where run_id = 'crash'",
      );
      expect(run.rows[0]).toEqual({ partitions_done: 8, partitions_total: 8 });
      expect((await splitPartitionTotals(db, 'crash')).every((p) => p.totals?.startsWith('{"format"'))).toBe(
        true,
      );
      // A process joining the finished run gets the same report without running anything.
      const again = await workSplitRun(db, 'crash', { workers: 0, workerId: 'host-c:1:1' });
      expect(JSON.stringify(again)).toBe(JSON.stringify(report));
      expect((await partitionRows(db, 'crash')).map((r) => r.claims)).toEqual(rows.map((r) => r.claims));
    } finally {
      await db.close();
    }
  }, 600_000);

  it('refuses a process whose files differ from the run’s, and an unknown run', async () => {
    const db = await openMigrated(backend);
    try {
      await createSplitRun(db, { ...splitInput('files', 2), borrowers: 10, replications: 1 });
      const dir = mkdtempSync(join(tmpdir(), 'split-'));
      const scenario = JSON.parse(readFileSync(options.scenario, 'utf8')) as Record<string, unknown>;
      const changed = join(dir, 'scenario.json');
      writeFileSync(changed, JSON.stringify({ ...scenario, name: 'another' }));
      await expect(workSplitRun(db, 'files', { workers: 0, files: { scenario: changed } })).rejects.toThrow(
        InputFileError,
      );
      // The same document laid out otherwise is the same input.
      const same = join(dir, 'same.json');
      writeFileSync(same, JSON.stringify(scenario, null, 4));
      const report = await workSplitRun(db, 'files', { workers: 0, files: { scenario: same } });
      expect(report.run.borrowers).toBe(10);
      await expect(workSplitRun(db, 'nope', { workers: 0 })).rejects.toThrow(SplitRunError);
      expect((await partitionRows(db, 'files')).every((r) => r.status === 'done')).toBe(true);
    } finally {
      await db.close();
    }
  }, 600_000);
});

async function cli(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => {
    out += String(d);
  });
  stderr.on('data', (d) => {
    err += String(d);
  });
  const code = await main(args, { stdout, stderr });
  return { code, out, err };
}

const schemas: string[] = [];
afterAll(async () => {
  if (schemas.length === 0) return;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  for (const s of schemas) await admin.query(`drop schema if exists ${s} cascade`);
  await admin.end();
});

describe.each(backends)('lendguard simulate --run / --join ($name)', (backend) => {
  it('prints the single machine’s report', async () => {
    let dbArg: string;
    if (backend.name === 'postgres') {
      const schema = `lg_test_split_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: TEST_PG_URL });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
      schemas.push(schema);
      dbArg = `${TEST_PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    } else dbArg = join(mkdtempSync(join(tmpdir(), 'split-cli-')), 'data');
    const common = [
      '--strategy',
      strategyPath('default'),
      '--borrowers',
      '40',
      '--months',
      '3',
      '--seed',
      '9',
    ];
    const alone = await cli(['simulate', ...common, '--workers', '0', '--json']);
    expect(alone.code).toBe(0);
    const split = await cli([
      'simulate',
      ...common,
      '--workers',
      '0',
      '--json',
      '--db',
      dbArg,
      '--run',
      'cli-run',
      '--partitions',
      '3',
    ]);
    expect(split.err).toBe('');
    expect(split.code).toBe(0);
    expect(split.out).toBe(alone.out);
    const joined = await cli(['simulate', '--workers', '0', '--json', '--db', dbArg, '--join', 'cli-run']);
    expect(joined.code).toBe(0);
    expect(joined.out).toBe(alone.out);
    const other = await cli([
      'simulate',
      ...common.slice(0, 6),
      '--seed',
      '10',
      '--db',
      dbArg,
      '--run',
      'cli-run',
    ]);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/exists with other inputs: --seed is 10/);
    const both = await cli(['simulate', '--db', dbArg, '--run', 'a', '--join', 'a']);
    expect(both.code).toBe(2);
  }, 600_000);
});
