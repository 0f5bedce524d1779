import { basename } from 'node:path';
import type { Worker } from 'node:worker_threads';
import {
  addTotals,
  buildReport,
  emptyTotals,
  type RunContext,
  type RunPart,
  runPart,
  type SimulationReport,
  type Totals,
  traceArchetypes,
} from '../../simulation/index.js';
import { moduleWorker } from '../module-worker.js';
import { contextFor, type SimulationArgs } from './files.js';

/**
 * Runs a simulation: every strategy over the same borrowers and replications, split into parts run by
 * worker threads (or in this thread with `workers: 0`). Parts add up to the same totals in any order, so
 * the report does not depend on the number of workers.
 */
export interface SimulationOptions {
  readonly population?: string;
  readonly scenario?: string;
  readonly strategies: readonly string[];
  readonly borrowers: number;
  readonly months: number;
  readonly seed: number;
  readonly replications: number;
  readonly startDate: string;
  readonly workers: number;
  /** Stops the run: its workers are ended and the run rejects. */
  readonly signal?: AbortSignal;
}

interface Task {
  readonly id: number;
  readonly strategy: number;
  readonly part: RunPart;
}

/**
 * The young generation of each worker's heap (MiB). A borrower-month allocates many short-lived objects; with
 * V8's default young generation they are collected several times as often, and garbage collection was about a
 * seventh of a worker's time. A larger nursery costs memory, not results (decision 0906).
 */
const WORKER_YOUNG_GENERATION_MB = Number(process.env.LENDGUARD_LAB_YOUNG_MB ?? 64);

/** The worker's module: compiled JavaScript when built; the TypeScript source through tsx otherwise. */
function newWorker(runs: SimulationArgs[]): Worker {
  const options = {
    workerData: { runs },
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  };
  return moduleWorker(new URL('./worker.js', import.meta.url), options);
}

function tasksOf(options: SimulationOptions, chunks: number): Task[] {
  const tasks: Task[] = [];
  const size = Math.max(1, Math.ceil(options.borrowers / chunks));
  options.strategies.forEach((_, strategy) => {
    for (let replication = 0; replication < options.replications; replication += 1)
      for (let from = 0; from < options.borrowers; from += size)
        tasks.push({
          id: tasks.length,
          strategy,
          part: { seed: options.seed, replication, from, to: Math.min(options.borrowers, from + size) },
        });
  });
  return tasks;
}

async function inWorkers(
  runs: SimulationArgs[],
  tasks: readonly Task[],
  workers: number,
  onProgress: (n: number) => void,
  signal?: AbortSignal,
): Promise<Map<number, Totals>> {
  const results = new Map<number, Totals>();
  let next = 0;
  signal?.throwIfAborted();
  const pool = Array.from({ length: Math.min(workers, tasks.length) }, () => newWorker(runs));
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal?.reason ?? new Error('the run was stopped'));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  try {
    const working = Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              const task = tasks[next];
              next += 1;
              if (task === undefined) {
                worker.postMessage({ type: 'stop' });
                resolve();
              } else worker.postMessage({ type: 'task', task });
            };
            worker.on(
              'message',
              (m: { type: string; n?: number; id?: number; totals?: Totals; message?: string }) => {
                if (m.type === 'progress') onProgress(m.n ?? 0);
                else if (m.type === 'done') {
                  results.set(m.id!, m.totals!);
                  send();
                } else if (m.type === 'error') reject(new Error(m.message));
              },
            );
            worker.on('error', reject);
            send();
          }),
      ),
    );
    await Promise.race([working, aborted]);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}

export async function runSimulation(
  options: SimulationOptions,
  onProgress: (n: number) => void = () => {},
): Promise<SimulationReport> {
  const runs: SimulationArgs[] = options.strategies.map((strategy) => ({
    ...(options.population === undefined ? {} : { population: options.population }),
    ...(options.scenario === undefined ? {} : { scenario: options.scenario }),
    strategy,
    months: options.months,
    startDate: options.startDate,
  }));
  // Read every file here first: a bad file is reported before any worker starts.
  const contexts = runs.map(contextFor);
  const tasks = tasksOf(options, Math.max(1, options.workers) * 4);
  let results: Map<number, Totals>;
  if (options.workers <= 0) {
    results = new Map();
    for (const task of tasks) {
      options.signal?.throwIfAborted();
      let reported = 0;
      results.set(
        task.id,
        await runPart(contexts[task.strategy]!, task.part, (done) => {
          onProgress(done - reported);
          reported = done;
        }),
      );
    }
  } else {
    results = await inWorkers(runs, tasks, options.workers, onProgress, options.signal);
  }
  const reps = contexts.map((ctx, strategy) => {
    const out: Totals[] = [];
    for (let replication = 0; replication < options.replications; replication += 1) {
      const t = emptyTotals(options.months, ctx.population.applicationMonths);
      for (const task of tasks)
        if (task.strategy === strategy && task.part.replication === replication)
          addTotals(t, results.get(task.id)!);
      out.push(t);
    }
    return out;
  });
  return reportOf(contexts, reps, { ...runLabels(options, contexts[0]!), ...runSize(options) });
}

/** The report's names of the population and the scenario: the spec's name, and the file read if any. */
export function runLabels(
  files: { readonly population?: string; readonly scenario?: string },
  ctx: RunContext,
): { population: string; scenario: string } {
  return {
    population:
      files.population === undefined
        ? ctx.population.name
        : `${ctx.population.name} (${basename(files.population)})`,
    scenario:
      files.scenario === undefined ? ctx.scenario.name : `${ctx.scenario.name} (${basename(files.scenario)})`,
  };
}

function runSize(options: Omit<SimulationReport['run'], 'population' | 'scenario'>) {
  return {
    borrowers: options.borrowers,
    months: options.months,
    seed: options.seed,
    replications: options.replications,
    startDate: options.startDate,
  };
}

/**
 * The report of a run from its totals, per strategy and replication, added up in a fixed order; the
 * archetypes are traced here. A run split across machines (split.ts) ends here too, so its report is the
 * one a single machine gives.
 */
export async function reportOf(
  contexts: readonly RunContext[],
  reps: readonly (readonly Totals[])[],
  run: SimulationReport['run'],
): Promise<SimulationReport> {
  const out = await Promise.all(
    contexts.map(async (ctx, strategy) => ({
      name: ctx.strategy.name,
      reps: reps[strategy]!,
      archetypes: await traceArchetypes(ctx, run.seed),
      ecl: ctx.strategy.ecl,
    })),
  );
  return buildReport({ ...run, ...runSize(run) }, out);
}

/** Runs parts one at a time, in a worker thread of its own or (threaded false) in this thread. */
export interface PartRunner {
  run(strategy: number, part: RunPart, onProgress: (n: number) => void): Promise<Totals>;
  close(): Promise<void>;
}

export function partRunner(runs: readonly SimulationArgs[], threaded: boolean): PartRunner {
  if (!threaded) {
    const contexts = new Map<number, RunContext>();
    return {
      async run(strategy, part, onProgress) {
        let ctx = contexts.get(strategy);
        if (ctx === undefined) {
          ctx = contextFor(runs[strategy]!);
          contexts.set(strategy, ctx);
        }
        let reported = 0;
        return runPart(ctx, part, (done) => {
          onProgress(done - reported);
          reported = done;
        });
      },
      async close() {},
    };
  }
  const worker = newWorker([...runs]);
  let pending:
    | { resolve: (t: Totals) => void; reject: (e: Error) => void; onProgress: (n: number) => void }
    | undefined;
  const fail = (error: Error) => {
    const p = pending;
    pending = undefined;
    p?.reject(error);
  };
  worker.on('message', (m: { type: string; n?: number; totals?: Totals; message?: string }) => {
    if (m.type === 'progress') pending?.onProgress(m.n ?? 0);
    else if (m.type === 'done') {
      const p = pending;
      pending = undefined;
      p?.resolve(m.totals!);
    } else if (m.type === 'error') fail(new Error(m.message));
  });
  worker.on('error', fail);
  worker.on('exit', () => fail(new Error('the worker thread stopped')));
  return {
    run(strategy, part, onProgress) {
      if (pending !== undefined) throw new Error('assertion: a part runner runs one part at a time');
      return new Promise<Totals>((resolve, reject) => {
        pending = { resolve, reject, onProgress };
        worker.postMessage({ type: 'task', task: { id: 0, strategy, part } });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
