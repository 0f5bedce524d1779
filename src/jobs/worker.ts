import { hostname } from 'node:os';
import type { Db, Queryable } from '../store/index.js';
import {
  type AdvanceBusinessDay,
  appendPartitionErrors,
  type Claim,
  claimPartition,
  type EodRun,
  finishPartition,
  finishRunIfComplete,
  LeaseLostError,
  withClaim,
} from './runs.js';

/** A loan the batch could not close: it stays behind its marker and the partition ends failed. */
export interface LoanFailure {
  loanId: string;
  message: string;
}

export interface ClosedBatch {
  /** Loans whose marker now stands on the business day. */
  loansClosed: number;
  eventsWritten: number;
  /** Loans read by the batch (closed or failed); fewer than the limit means the range is done. */
  loansSeen: number;
  /** The greatest loan id read: the next batch starts after it. */
  lastLoanId: string | null;
  failures: LoanFailure[];
}

/**
 * What the batch needs from the ledger store. Each call runs inside the batch's transaction; the ledger
 * decides what to do per loan from its marker, so calling again after a crash repeats nothing.
 */
export interface EodLedger {
  /**
   * How many loans of the key range have nothing to do through `day` and are not closed through it.
   * They are not written: they count as closed once the run succeeds (decision 0232).
   */
  countQuiet(tx: Queryable, range: KeyRange, day: string): Promise<number>;
  /** Closes up to `limit` loans of the key range, in loan id order after `afterLoanId`, whose marker is before `day`. */
  closeBatch(
    tx: Queryable,
    range: KeyRange,
    day: string,
    limit: number,
    afterLoanId: string | null,
  ): Promise<ClosedBatch>;
  /** Moves the system business day past `closedDay` (never backwards). */
  advanceBusinessDay: AdvanceBusinessDay;
}

export interface KeyRange {
  keyFrom: number;
  keyTo: number;
}

/** A worker's name in claims: host, process and a counter, so that one process may run several. */
let workerCounter = 0;
export function newWorkerId(): string {
  workerCounter += 1;
  return `${hostname()}:${process.pid}:${workerCounter}`;
}

export interface WorkerOptions {
  workerId?: string;
  lease_ms: number;
  /**
   * Partitions this worker closes at once, each on its own connection (default 1): while one waits for
   * the database, another's loans are computed, so one process keeps more than one core busy.
   */
  partitionsInFlight?: number;
  /** Stops claiming new partitions (the current one is finished or left to its lease). */
  signal?: AbortSignal;
}

export interface WorkerReport {
  workerId: string;
  partitionsFinished: number;
  partitionsLost: number;
  run: EodRun;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Closes every loan of one claimed partition, batch by batch, then marks it finished. */
async function closePartition(db: Db, ledger: EodLedger, claim: Claim): Promise<void> {
  const range = { keyFrom: claim.keyFrom, keyTo: claim.keyTo };
  const failed: LoanFailure[] = [];
  let after: string | null = null;
  for (;;) {
    const from = after;
    const batch = await withClaim(db, claim, async (tx) => {
      const closed = await ledger.closeBatch(tx, range, claim.businessDay, claim.batchSize, from);
      await appendPartitionErrors(tx, claim, closed.failures);
      return { ...closed, loansAdvanced: 0 };
    });
    failed.push(...batch.failures);
    after = batch.lastLoanId;
    if (batch.loansSeen < claim.batchSize) break;
  }
  // Loans with nothing to do are counted, not written, when the partition finishes (once per partition).
  await finishPartition(db, claim, failed.length === 0 ? 'succeeded' : 'failed', [], async (tx) => ({
    loansClosed: 0,
    loansAdvanced: await ledger.countQuiet(tx, range, claim.businessDay),
    eventsWritten: 0,
  }));
}

/**
 * Claims partitions of the run one after another until none is left, closing each; then settles the
 * run if it is complete. A partition taken over by another worker (this one stalled past its lease) is
 * dropped without writing. Any other failure is recorded on the partition, which ends failed.
 */
export async function runWorker(
  db: Db,
  ledger: EodLedger,
  runId: string,
  options: WorkerOptions,
): Promise<WorkerReport> {
  const workerId = options.workerId ?? newWorkerId();
  const inFlight = options.partitionsInFlight ?? 1;
  if (!Number.isInteger(inFlight) || inFlight < 1)
    throw new Error(`assertion: a worker closes at least one partition at a time, not ${inFlight}`);
  let partitionsFinished = 0;
  let partitionsLost = 0;
  // Each slot claims under a name of its own (the worker's, then /n): a claim names one holder.
  const slot = async (name: string) => {
    while (options.signal?.aborted !== true) {
      const claim = await claimPartition(db, runId, name, options.lease_ms);
      if (claim === undefined) break;
      try {
        await closePartition(db, ledger, claim);
        partitionsFinished += 1;
      } catch (error) {
        if (error instanceof LeaseLostError) {
          partitionsLost += 1;
          continue;
        }
        // The partition fails with the reason; a later `eod` for the date tries it again.
        try {
          await finishPartition(db, claim, 'failed', [{ loanId: null, message: messageOf(error) }]);
          partitionsFinished += 1;
        } catch (recording) {
          if (!(recording instanceof LeaseLostError)) throw recording;
          partitionsLost += 1;
        }
      }
    }
  };
  const slots = await Promise.allSettled(
    Array.from({ length: inFlight }, (_, i) => slot(inFlight === 1 ? workerId : `${workerId}/${i + 1}`)),
  );
  for (const s of slots) if (s.status === 'rejected') throw s.reason;
  const run = await finishRunIfComplete(db, runId, ledger.advanceBusinessDay);
  return { workerId, partitionsFinished, partitionsLost, run };
}
