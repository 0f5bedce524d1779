import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  addTotals,
  emptyTotals,
  type SimulationReport,
  type Totals,
  totalsFromText,
  totalsToText,
} from '../../simulation/index.js';
import {
  claimSplitPartition,
  completeSplitPartition,
  type Db,
  getSplitRun,
  insertSplitRun,
  renewSplitClaim,
  type SplitClaim,
  type SplitPartition,
  type SplitRunRow,
  saveSplitReport,
  splitPartitionTotals,
  splitRunProgress,
} from '../../store/index.js';
import { InputFileError } from '../input-file-error.js';
import { newWorkerId } from '../worker.js';
import { contextFor, type InputDigests, inputDigests, type SimulationArgs } from './files.js';
import { type PartRunner, partRunner, reportOf, runLabels } from './run.js';

/**
 * A strategy-lab run split across machines (decision 0909). One process creates the run in the database:
 * its inputs (content digests of the files, seed, size) and its partitions, ranges of borrowers of one
 * strategy and one replication. Any number of processes, on any machines, claim partitions with a lease (as
 * EOD does), run them and write each partition's totals in the transaction that ends the claim. When every
 * partition is done, any of them adds the totals up in partition order and builds the report: the one a
 * single machine gives for the same seed, byte for byte, because each borrower's draws depend only on the
 * seed, the replication and the borrower's number, and totals are whole numbers.
 */

export const SPLIT_BOUNDS = {
  /** A claim's lease; the holder renews it every third of it while the partition runs. */
  lease_ms_default: 60_000,
  /** How often a process with nothing to claim looks again (for leases that pass, and for the end). */
  poll_ms_default: 2_000,
  partitions_max: 10_000,
} as const;

/** A run that cannot be created or joined as asked: the message says why and what to do. */
export class SplitRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SplitRunError';
  }
}

export const SPLIT_RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

interface SplitInputs {
  readonly lendguard: string;
  readonly paths: { readonly population?: string; readonly scenario?: string; readonly strategies: string[] };
  readonly digests: InputDigests;
  readonly labels: { readonly population: string; readonly scenario: string };
}

function lendguardVersion(): string {
  // src/jobs/simulation and dist/jobs/simulation both sit three levels below the package root.
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export interface SplitRunInput {
  readonly runId: string;
  readonly population?: string;
  readonly scenario?: string;
  readonly strategies: readonly string[];
  readonly borrowers: number;
  readonly months: number;
  readonly seed: number;
  readonly replications: number;
  readonly startDate: string;
  /** Borrower ranges per strategy and replication (fewer when there are fewer borrowers). */
  readonly ranges: number;
  readonly createdBy: string;
}

/** Borrowers [0, n) in `ranges` ranges as even as can be, for every strategy and replication, numbered in order. */
export function splitPartitions(
  strategies: number,
  replications: number,
  borrowers: number,
  ranges: number,
): SplitPartition[] {
  const k = Math.max(1, Math.min(ranges, borrowers));
  const out: SplitPartition[] = [];
  for (let strategy = 0; strategy < strategies; strategy += 1)
    for (let replication = 0; replication < replications; replication += 1)
      for (let i = 0; i < k; i += 1)
        out.push({
          partitionNo: out.length,
          strategy,
          replication,
          from: Math.floor((i * borrowers) / k),
          to: Math.floor(((i + 1) * borrowers) / k),
        });
  return out;
}

function describeDifference(
  run: SplitRunRow,
  input: SplitRunInput,
  digests: InputDigests,
): string | undefined {
  const stored = run.inputs as SplitInputs;
  const size: [string, unknown, unknown][] = [
    ['--borrowers', run.borrowers, input.borrowers],
    ['--months', run.months, input.months],
    ['--seed', run.seed, input.seed],
    ['--replications', run.replications, input.replications],
    ['--start', run.startDate, input.startDate],
    ['strategies', run.strategies, input.strategies.length],
  ];
  for (const [name, was, is] of size)
    if (was !== is) return `${name} is ${String(is)}, the run's is ${String(was)}`;
  return digestDifference(stored.digests, digests);
}

function digestDifference(stored: InputDigests, now: InputDigests): string | undefined {
  if (stored.population !== now.population) return 'the population file differs from the run’s';
  if (stored.scenario !== now.scenario) return 'the scenario file differs from the run’s';
  for (let i = 0; i < stored.strategies.length; i += 1)
    if (stored.strategies[i] !== now.strategies[i])
      return `the ${i === 0 ? '--strategy' : '--against'} file (or a document it names) differs from the run’s`;
  return undefined;
}

/**
 * Creates a split run, or finds the run of that id made of the same inputs (a creator started again). A run
 * of that id made otherwise is refused, nothing written.
 */
export async function createSplitRun(
  db: Db,
  input: SplitRunInput,
): Promise<{ outcome: 'created' | 'exists'; run: SplitRunRow }> {
  if (!SPLIT_RUN_ID_PATTERN.test(input.runId))
    throw new SplitRunError(
      `run id "${input.runId}" must be 1 to 64 letters, digits, dots, hyphens or underscores, starting with a letter or digit`,
    );
  const paths = {
    ...(input.population === undefined ? {} : { population: resolve(input.population) }),
    ...(input.scenario === undefined ? {} : { scenario: resolve(input.scenario) }),
    strategies: input.strategies.map((s) => resolve(s)),
  };
  const runs = argsOf(paths, input.months, input.startDate);
  // Reading every file here first: a bad file is reported before anything is written.
  const contexts = runs.map(contextFor);
  const digests = inputDigests(paths);
  const inputs: SplitInputs = {
    lendguard: lendguardVersion(),
    paths,
    digests,
    labels: runLabels(input, contexts[0]!),
  };
  const partitions = splitPartitions(
    input.strategies.length,
    input.replications,
    input.borrowers,
    input.ranges,
  );
  if (partitions.length > SPLIT_BOUNDS.partitions_max)
    throw new SplitRunError(
      `the run would have ${partitions.length} partitions (ranges × replications × strategies); at most ${SPLIT_BOUNDS.partitions_max}`,
    );
  const outcome = await insertSplitRun(
    db,
    {
      runId: input.runId,
      inputs,
      seed: input.seed,
      borrowers: input.borrowers,
      months: input.months,
      replications: input.replications,
      startDate: input.startDate,
      strategies: input.strategies.length,
      ranges: Math.min(input.ranges, input.borrowers),
      createdBy: input.createdBy,
    },
    partitions,
  );
  const run = (await getSplitRun(db, input.runId))!;
  if (outcome === 'exists') {
    const difference = describeDifference(run, input, digests);
    if (difference !== undefined)
      throw new SplitRunError(
        `run "${input.runId}" exists with other inputs: ${difference}; choose another --run id`,
      );
  }
  return { outcome, run };
}

function argsOf(
  paths: { readonly population?: string; readonly scenario?: string; readonly strategies: readonly string[] },
  months: number,
  startDate: string,
): SimulationArgs[] {
  return paths.strategies.map((strategy) => ({
    ...(paths.population === undefined ? {} : { population: paths.population }),
    ...(paths.scenario === undefined ? {} : { scenario: paths.scenario }),
    strategy,
    months,
    startDate,
  }));
}

export interface SplitWorkOptions {
  /** Worker threads, each running one claimed partition at a time; 0 runs one partition at a time here. */
  readonly workers: number;
  readonly lease_ms?: number;
  readonly poll_ms?: number;
  readonly workerId?: string;
  /**
   * Where this machine has the run's files, when not where the creator had them; their content must be the
   * same (the digests are compared).
   */
  readonly files?: {
    readonly population?: string;
    readonly scenario?: string;
    readonly strategies?: readonly string[];
  };
  /** Borrower-runs finished by any process: (done, total), now and then. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
  /**
   * Test hook: called with each claim before its totals are written; a rejection leaves the claim open, as
   * a process killed mid-partition would.
   */
  readonly beforeComplete?: (claim: SplitClaim) => Promise<void>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((res) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      res();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Joins a split run: claims and runs partitions until none is left to claim, waits for the partitions other
 * processes hold (taking over any whose lease passes), then merges and returns the report (kept in the run;
 * the first process to merge writes it, every process returns the same).
 */
export async function workSplitRun(
  db: Db,
  runId: string,
  options: SplitWorkOptions,
): Promise<SimulationReport> {
  const run = await getSplitRun(db, runId);
  if (run === undefined)
    throw new SplitRunError(`no split run "${runId}" in this database; create it with --run`);
  const inputs = run.inputs as SplitInputs;
  if (inputs.lendguard !== lendguardVersion())
    throw new SplitRunError(
      `run "${runId}" was created by lendguard ${inputs.lendguard}; this is ${lendguardVersion()}: every process of a run must run the same version`,
    );
  const given = options.files ?? {};
  const paths = {
    ...(inputs.paths.population === undefined
      ? {}
      : { population: given.population ?? inputs.paths.population }),
    ...(inputs.paths.scenario === undefined ? {} : { scenario: given.scenario ?? inputs.paths.scenario }),
    strategies: inputs.paths.strategies.map((p, i) => given.strategies?.[i] ?? p),
  };
  const difference = digestDifference(inputs.digests, inputDigests(paths));
  if (difference !== undefined)
    throw new InputFileError(`run "${runId}": ${difference}; give this machine the run's files`);
  const runs = argsOf(paths, run.months, run.startDate);
  const contexts = runs.map(contextFor);
  const lease_ms = options.lease_ms ?? SPLIT_BOUNDS.lease_ms_default;
  const poll_ms = options.poll_ms ?? SPLIT_BOUNDS.poll_ms_default;
  const workerId = options.workerId ?? newWorkerId();
  const total = run.borrowers * run.replications * run.strategies;

  let counted = (await splitRunProgress(db, runId)).borrowersDone;
  options.onProgress?.(counted, total);
  const slots = Math.max(1, options.workers);
  const runners: PartRunner[] = Array.from({ length: slots }, () => partRunner(runs, options.workers > 0));
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      await Promise.all(
        runners.map(async (runner, slot) => {
          for (;;) {
            options.signal?.throwIfAborted();
            const claim = await claimSplitPartition(db, runId, `${workerId}/${slot}`, lease_ms);
            if (claim === undefined) return;
            const renew = setInterval(
              () => void renewSplitClaim(db, claim, lease_ms).catch(() => {}),
              Math.max(1, Math.floor(lease_ms / 3)),
            );
            let totals: Totals;
            let mine = 0;
            try {
              totals = await runner.run(
                claim.strategy,
                { seed: run.seed, replication: claim.replication, from: claim.from, to: claim.to },
                (n) => {
                  mine += n;
                  options.onProgress?.(counted + mine, total);
                },
              );
              await options.beforeComplete?.(claim);
            } finally {
              clearInterval(renew);
            }
            // Ends the claim with the totals; when the lease passed and another took it, nothing is written.
            await completeSplitPartition(db, claim, totalsToText(totals));
            counted = Math.max(counted, (await splitRunProgress(db, runId)).borrowersDone);
            options.onProgress?.(counted, total);
          }
        }),
      );
      const progress = await splitRunProgress(db, runId);
      counted = progress.borrowersDone;
      options.onProgress?.(counted, total);
      if (progress.partitionsDone === progress.partitionsTotal) break;
      // Other processes hold the rest: look again once in a while (a lease that passes is claimed above).
      await sleep(poll_ms, options.signal);
    }
  } finally {
    await Promise.all(runners.map((r) => r.close()));
  }

  const parts = await splitPartitionTotals(db, runId);
  const reps = contexts.map((ctx) =>
    Array.from({ length: run.replications }, () => emptyTotals(run.months, ctx.population.applicationMonths)),
  );
  for (const p of parts) {
    const ctx = contexts[p.strategy]!;
    if (p.totals === null) throw new Error(`assertion: partition ${p.partitionNo} of ${runId} has no totals`);
    addTotals(
      reps[p.strategy]![p.replication]!,
      totalsFromText(p.totals, run.months, ctx.population.applicationMonths),
    );
  }
  const report = await reportOf(contexts, reps, {
    ...inputs.labels,
    borrowers: run.borrowers,
    months: run.months,
    seed: run.seed,
    replications: run.replications,
    startDate: run.startDate,
  });
  const text = JSON.stringify(report);
  const kept = await saveSplitReport(db, runId, text);
  return kept === text ? report : (JSON.parse(kept) as SimulationReport);
}
