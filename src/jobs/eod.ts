import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Db } from '../store/index.js';
import { EOD_BOUNDS, type EodOptions } from './config.js';
import { type EodRunDetail, getRun, releaseDeadClaims, type StartedRun, startRun } from './runs.js';
import { type EodLedger, newWorkerId, runWorker } from './worker.js';

export interface RunEodInput {
  businessDay: string;
  requestedBy: string;
  /** Worker processes; 1 works in this process. On an embedded database only 1 is possible. */
  workers: number;
  /**
   * Partitions each worker closes at once (EOD_BOUNDS.partitionsInFlight_default on a server); always 1
   * on an embedded database.
   */
  partitionsInFlight?: number;
  options: EodOptions;
  /** Today in the lender's zone: a new run's date must lie from the business day through it (edges give it). */
  today?: string;
  /** Where worker processes connect (a postgres:// URL); needed when workers > 1. */
  dbUrl?: string;
  /** Called with the run as it stands, every poll interval and once at the end. */
  onProgress?: (run: EodRunDetail) => void;
  /** Called once the run is created or found, before any work. */
  onStart?: (started: StartedRun) => void;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The module a worker process runs: the compiled .js next to this one, or the .ts source under tsx. */
function workerEntry(): { path: string; execArgv: string[] } {
  const js = fileURLToPath(new URL('./worker-process.js', import.meta.url));
  if (existsSync(js)) return { path: js, execArgv: [] };
  return {
    path: fileURLToPath(new URL('./worker-process.ts', import.meta.url)),
    execArgv: ['--import', 'tsx'],
  };
}

function startWorkerProcess(
  dbUrl: string,
  runId: string,
  lease_ms: number,
  partitionsInFlight: number,
): ChildProcess {
  const entry = workerEntry();
  return fork(entry.path, [], {
    execArgv: entry.execArgv,
    // The URL (with its password) travels in the environment, not on the command line (ps shows that).
    env: {
      ...process.env,
      LENDGUARD_EOD_DB: dbUrl,
      LENDGUARD_EOD_RUN: runId,
      LENDGUARD_EOD_LEASE_MS: String(lease_ms),
      LENDGUARD_EOD_PARTITIONS_IN_FLIGHT: String(partitionsInFlight),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

/**
 * Runs EOD for a business date to the end: creates the run (or resumes the date's unfinished one),
 * frees the claims of dead workers, lets the workers close the partitions, and returns the settled run.
 * With several workers, child processes do the work while this one watches; whatever they leave (a
 * crashed child's partition) this process finishes itself.
 */
export async function runEod(db: Db, ledger: EodLedger, input: RunEodInput): Promise<EodRunDetail> {
  const started = await startRun(db, {
    businessDay: input.businessDay,
    requestedBy: input.requestedBy,
    options: input.options,
    ...(input.today === undefined ? {} : { today: input.today }),
  });
  input.onStart?.(started);
  const runId = started.run.runId;
  const embedded = db.kind === 'pglite';
  const report = async () => {
    const detail = await getRun(db, runId);
    if (detail === undefined) throw new Error(`assertion: run ${runId} vanished`);
    input.onProgress?.(detail);
    return detail;
  };
  if (started.outcome === 'done') return report();

  const workers = embedded ? 1 : input.workers;
  const partitionsInFlight = embedded
    ? 1
    : (input.partitionsInFlight ?? EOD_BOUNDS.partitionsInFlight_default);
  if (workers > 1) {
    if (input.dbUrl === undefined) throw new Error('assertion: worker processes need the database URL');
    await releaseDeadClaims(db, runId, hostname(), embedded);
    const children = Array.from({ length: workers }, () =>
      startWorkerProcess(input.dbUrl!, runId, input.options.lease_ms, partitionsInFlight),
    );
    const exited = children.map(
      (child) => new Promise<void>((resolve) => child.once('exit', () => resolve())),
    );
    let allExited = false;
    void Promise.all(exited).then(() => {
      allExited = true;
    });
    while (!allExited) {
      await report();
      await Promise.race([sleep(EOD_BOUNDS.poll_ms), Promise.all(exited)]);
    }
  }
  // This process works until the run is settled: alone, or after its children, picking up what a
  // crashed worker left. Claims held by live workers elsewhere are waited for (or for their leases).
  const workerId = newWorkerId();
  for (;;) {
    await releaseDeadClaims(db, runId, hostname(), embedded);
    const poll = setInterval(() => {
      report().catch(() => {});
    }, EOD_BOUNDS.poll_ms * 4);
    let result: Awaited<ReturnType<typeof runWorker>>;
    try {
      result = await runWorker(db, ledger, runId, {
        workerId,
        lease_ms: input.options.lease_ms,
        partitionsInFlight,
      });
    } finally {
      clearInterval(poll);
    }
    if (result.run.status !== 'running') break;
    await report();
    await sleep(EOD_BOUNDS.poll_ms);
  }
  return report();
}
