import { describe, expect, it } from 'vitest';
import { progressLine } from '../../../src/cli/commands/eod.js';
import type { EodPartition, EodRunDetail } from '../../../src/jobs/index.js';

/** The EOD progress line's English counts: partitions, loans closed and events, one and more. */
describe('EOD progress line', () => {
  const partition = (partitionNo: number): EodPartition => ({
    partitionNo,
    keyFrom: partitionNo * 100,
    keyTo: partitionNo * 100 + 99,
    status: 'succeeded',
    claimedBy: 'w1',
    claimedAt: null,
    heartbeatAt: null,
    leaseExpiresAt: null,
    claims: 1,
    loansClosed: 0,
    loansAdvanced: 0,
    eventsWritten: 0,
    errors: [],
    startedAt: null,
    finishedAt: null,
  });
  const run = (n: number): EodRunDetail => ({
    runId: 'run-1',
    businessDay: '2026-06-12',
    status: 'succeeded',
    partitionsTotal: n,
    batchSize: 500,
    requestedBy: 'ops',
    resumes: 0,
    loansClosed: n,
    loansAdvanced: 0,
    eventsWritten: n,
    startedAt: '2026-06-12T00:00:00.000Z',
    updatedAt: '2026-06-12T00:00:01.000Z',
    finishedAt: '2026-06-12T00:00:01.000Z',
    partitions: Array.from({ length: n }, (_, i) => partition(i)),
  });

  it('counts one partition, loan and event in the singular, two in the plural', () => {
    expect(progressLine(run(1), 1000)).toBe(
      `[${'='.repeat(30)}] 1/1 partition, 1 loan closed, 0 advanced, 1 event, 1 loans/s, 0 running, 0 failed #`,
    );
    expect(progressLine(run(2), 1000)).toBe(
      `[${'='.repeat(30)}] 2/2 partitions, 2 loans closed, 0 advanced, 2 events, 2 loans/s, 0 running, 0 failed ##`,
    );
  });
});
