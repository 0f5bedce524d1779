import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimPartition,
  type EodLedger,
  finishRunIfComplete,
  getRun,
  LeaseLostError,
  partitionRanges,
  releaseDeadClaims,
  runWorker,
  startRun,
  withClaim,
} from '../../src/jobs/index.js';
import type { Db } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';

const noAdvance = async () => {};

describe('partition ranges', () => {
  it('cover the 1,024 keys exactly once, in order, for any count', () => {
    for (const count of [1, 3, 7, 64, 1000, 1024]) {
      const ranges = partitionRanges(count);
      expect(ranges).toHaveLength(count);
      expect(ranges[0]!.keyFrom).toBe(0);
      expect(ranges.at(-1)!.keyTo).toBe(1023);
      for (let i = 1; i < ranges.length; i += 1) expect(ranges[i]!.keyFrom).toBe(ranges[i - 1]!.keyTo + 1);
    }
  });
});

describe.each(backends)('EOD claims on $name', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await openMigrated(backend);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('hands each partition to one worker; an expired lease is taken over and the old holder writes nothing', async () => {
    const { run } = await startRun(db, {
      businessDay: '2030-01-01',
      requestedBy: 'test',
      options: { batchSize: 10, partitions: 2 },
    });
    const a = (await claimPartition(db, run.runId, 'host:1:1', 60_000))!;
    const b = (await claimPartition(db, run.runId, 'host:2:1', 60_000))!;
    expect([a.partitionNo, b.partitionNo].sort()).toEqual([0, 1]);
    expect(await claimPartition(db, run.runId, 'host:3:1', 60_000)).toBeUndefined();

    // a's worker stalls: its lease passes and another worker takes the partition over.
    await db.query(
      "update eod_partitions set lease_expires_at = now() - interval '1 second' where run_id = $1 and partition_no = $2",
      [run.runId, a.partitionNo],
    );
    const c = (await claimPartition(db, run.runId, 'host:3:1', 60_000))!;
    expect(c.partitionNo).toBe(a.partitionNo);
    await expect(
      withClaim(db, a, async () => ({ loansClosed: 5, loansAdvanced: 0, eventsWritten: 5 })),
    ).rejects.toBeInstanceOf(LeaseLostError);
    await withClaim(db, c, async () => ({ loansClosed: 2, loansAdvanced: 3, eventsWritten: 4 }));
    const detail = (await getRun(db, run.runId))!;
    const p = detail.partitions[a.partitionNo]!;
    expect(p).toMatchObject({
      claimedBy: 'host:3:1',
      claims: 2,
      loansClosed: 2,
      loansAdvanced: 3,
      eventsWritten: 4,
    });
    // Not complete while a partition runs.
    expect((await finishRunIfComplete(db, run.runId, noAdvance)).status).toBe('running');
  });

  it('frees the claims of dead processes on this host at once, and leaves other hosts to their leases', async () => {
    const { run } = await startRun(db, {
      businessDay: '2030-02-01',
      requestedBy: 'test',
      options: { batchSize: 10, partitions: 3 },
    }).catch(async () => {
      // The run of 2030-01-01 above is still going; settle it first.
      await db.query("update eod_runs set status = 'succeeded' where business_day = '2030-01-01'");
      return startRun(db, {
        businessDay: '2030-02-01',
        requestedBy: 'test',
        options: { batchSize: 10, partitions: 3 },
      });
    });
    const deadPid = 2_147_000_000;
    await claimPartition(db, run.runId, `here:${deadPid}:1`, 60_000);
    await claimPartition(db, run.runId, `here:${process.pid}:1`, 60_000);
    await claimPartition(db, run.runId, `elsewhere:${deadPid}:1`, 60_000);
    const freed = await releaseDeadClaims(db, run.runId, 'here', false);
    expect(freed).toEqual([0]);
    const embedded = await releaseDeadClaims(db, run.runId, 'here', true);
    expect(embedded).toEqual([2]);
  });

  it('closes several partitions at once under names of their own, each exactly once', async () => {
    await db.query("update eod_runs set status = 'succeeded' where status <> 'succeeded'");
    let runId = '';
    let open = 0;
    let openMax = 0;
    const closed: number[] = [];
    const holders = new Set<string>();
    const ledger: EodLedger = {
      countQuiet: async () => 0,
      async closeBatch(tx, range, _day, _limit, after) {
        if (after !== null)
          return { loansClosed: 0, eventsWritten: 0, loansSeen: 0, lastLoanId: after, failures: [] };
        open += 1;
        openMax = Math.max(openMax, open);
        const { rows } = await tx.query<{ claimed_by: string }>(
          'select claimed_by from eod_partitions where run_id = $1 and key_from = $2',
          [runId, range.keyFrom],
        );
        for (const r of rows) holders.add(r.claimed_by);
        await new Promise((resolve) => setTimeout(resolve, 20));
        closed.push(range.keyFrom);
        open -= 1;
        return { loansClosed: 1, eventsWritten: 1, loansSeen: 1, lastLoanId: 'ln_x', failures: [] };
      },
      advanceBusinessDay: noAdvance,
    };
    const { run } = await startRun(db, {
      businessDay: '2030-04-01',
      requestedBy: 'test',
      options: { batchSize: 10, partitions: 8 },
    });
    runId = run.runId;
    const report = await runWorker(db, ledger, run.runId, {
      workerId: `here:${process.pid}:9`,
      lease_ms: 60_000,
      partitionsInFlight: 3,
    });
    expect(report.run.status).toBe('succeeded');
    expect(report.partitionsFinished).toBe(8);
    expect([...closed].sort((a, b) => a - b)).toEqual(
      (await getRun(db, run.runId))!.partitions.map((p) => p.keyFrom),
    );
    // On PGlite one connection serialises the transactions; on a server three run at once.
    expect(openMax).toBeLessThanOrEqual(3);
    if (backend.name === 'postgres') expect(openMax).toBe(3);
    // Each of the three claimed at least one of the eight partitions, under its own name.
    expect([...holders].sort()).toEqual([1, 2, 3].map((i) => `here:${process.pid}:9/${i}`));
  });

  it('fails a partition whose loan is refused, keeps the others, and a resume tries only what is left', async () => {
    await db.query("update eod_runs set status = 'succeeded' where status <> 'succeeded'");
    let refuse = true;
    const seen: string[] = [];
    const ledger: EodLedger = {
      countQuiet: async () => 1,
      async closeBatch(_tx, range, _day, _limit, after) {
        if (after !== null)
          return { loansClosed: 0, eventsWritten: 0, loansSeen: 0, lastLoanId: after, failures: [] };
        seen.push(`${range.keyFrom}`);
        const failures = refuse && range.keyFrom === 0 ? [{ loanId: 'ln_bad', message: 'refused' }] : [];
        return { loansClosed: 1, eventsWritten: 2, loansSeen: 1, lastLoanId: 'ln_x', failures };
      },
      advanceBusinessDay: noAdvance,
    };
    const { run } = await startRun(db, {
      businessDay: '2030-03-01',
      requestedBy: 'test',
      options: { batchSize: 10, partitions: 2 },
    });
    const first = await runWorker(db, ledger, run.runId, { lease_ms: 60_000 });
    expect(first.run.status).toBe('failed');
    const detail = (await getRun(db, run.runId))!;
    expect(detail.partitions.map((p) => p.status)).toEqual(['failed', 'succeeded']);
    expect(detail.partitions[0]!.errors[0]).toMatchObject({ loanId: 'ln_bad', message: 'refused' });

    refuse = false;
    seen.length = 0;
    const again = await startRun(db, {
      businessDay: '2030-03-01',
      requestedBy: 'test',
      options: { batchSize: 10, partitions: 2 },
    });
    expect(again.outcome).toBe('resumed');
    const second = await runWorker(db, ledger, run.runId, { lease_ms: 60_000 });
    expect(second.run.status).toBe('succeeded');
    expect(seen).toEqual(['0']);
    expect(second.run.resumes).toBe(1);
    const done = await startRun(db, {
      businessDay: '2030-03-01',
      requestedBy: 'test',
      options: { batchSize: 10, partitions: 2 },
    });
    expect(done.outcome).toBe('done');
  });
});
