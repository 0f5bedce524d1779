/**
 * Training threads: `worker_threads` that build histograms (each thread a share of the features) and compute
 * gradients (each thread a share of the rows) on memory shared with the calling thread, which takes a share
 * itself and then waits. The workers run the source text of the kernels in `kernels.ts`, so the model does not
 * depend on the number of threads, bit for bit. This is the only part of the trainer that touches the
 * platform (threads, the core count); it changes how fast a model is trained, never which model.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type BinnedMatrix, CODES_PER_WORD } from './binning.js';
import { gbmAssert } from './errors.js';
import {
  accumulatePlan,
  codeWords,
  type HistogramBuilder,
  type HistogramPlan,
  planUnits,
} from './histogram.js';
import { accumulateBytes, accumulateWords, computeGradients } from './kernels.js';

/** Training rows below which no thread is started: waking threads would cost more than they save. */
export const PARALLEL_ROWS_MIN = 50_000;
/** Rows of one histogram below which it is built on the calling thread alone. */
export const PARALLEL_BUILD_ROWS_MIN = 8_192;
/** How long a new thread may take to start before training goes on without threads. */
export const THREAD_START_TIMEOUT_MS = 30_000;
/**
 * How long the calling thread waits for a worker to finish one job before it gives up. A job is one
 * histogram or one share of the gradients (milliseconds at a million rows), so only a worker that is gone —
 * killed, or out of memory — reaches this bound; the wait then ends in an error instead of never.
 */
export const THREAD_JOB_STALL_MAX_MS = 120_000;
/** The wait for a job is cut into slices of this length, so that the stall bound is checked. */
const THREAD_JOB_WAIT_SLICE_MS = 1_000;

/** A training thread stopped answering: the run cannot finish on threads. */
export class TrainingThreadStalledError extends Error {
  constructor(stall_ms: number) {
    super(
      `a training thread gave no answer for ${stall_ms} ms (it may have run out of memory or been stopped); ` +
        'train again, with nthread: 1 to train on the calling thread alone',
    );
    this.name = 'TrainingThreadStalledError';
  }
}

/** Threads used when the caller does not say: one per core the process may use. */
export function defaultThreadCount(): number {
  return availableParallelism();
}

// Control block: one line of 16 Int32 cells per worker, so that workers never write to the same cache line.
const CELLS = 16;
const SEQ = 0;
const DONE = 1;
const KIND = 2;
const START = 3;
const END = 4;
const UNIT_START = 5;
const UNIT_END = 6;
const FAILED = 7;
const READY = 8;
const KIND_WORDS = 1;
const KIND_BYTES = 2;
const KIND_GRADIENTS = 3;
const KIND_STOP = 4;

/** The worker's program: the kernels' own source, then a loop that waits for a job, runs it and reports. */
function workerSource(): string {
  return `'use strict';
const { workerData: d } = require('node:worker_threads');
${accumulateWords.toString()}
${accumulateBytes.toString()}
${computeGradients.toString()}
const control = d.control;
const base = d.index * ${CELLS};
const words = new Uint32Array(d.codes.buffer, d.codes.byteOffset, d.codes.byteLength / ${CODES_PER_WORD});
Atomics.store(control, base + ${READY}, 1);
Atomics.notify(control, base + ${READY});
let seen = 0;
for (;;) {
  Atomics.wait(control, base + ${SEQ}, seen);
  const seq = Atomics.load(control, base + ${SEQ});
  if (seq === seen) continue;
  seen = seq;
  const kind = control[base + ${KIND}];
  if (kind === ${KIND_STOP}) break;
  const start = control[base + ${START}];
  const end = control[base + ${END}];
  const unitStart = control[base + ${UNIT_START}];
  const unitEnd = control[base + ${UNIT_END}];
  try {
    if (kind === ${KIND_WORDS}) {
      accumulateWords(d.histogram, words, d.wordsPerRow, d.laneSlots, d.gradHess, d.rows, start, end, unitStart, unitEnd);
    } else if (kind === ${KIND_BYTES}) {
      accumulateBytes(d.histogram, d.codes, d.rowStride, d.columns, d.slots, d.gradHess, d.rows, start, end, unitStart, unitEnd);
    } else if (kind === ${KIND_GRADIENTS}) {
      computeGradients(d.gradHess, d.margin, d.y, d.trainRows, start, end, d.hessianMin);
    }
  } catch (error) {
    Atomics.store(control, base + ${FAILED}, 1);
  }
  Atomics.store(control, base + ${DONE}, seq);
  Atomics.notify(control, base + ${DONE});
}
`;
}

/** Shared arrays one boosting run trains on. */
export interface ThreadedRun {
  readonly matrix: BinnedMatrix;
  /** Gradient and hessian per row side by side (shared memory). */
  readonly gradHess: Float64Array;
  /** The tree workspace's row list (shared memory). */
  readonly rows: Uint32Array;
  /** Margins per row (shared memory). */
  readonly margin: Float64Array;
  /** Labels per row (shared memory). */
  readonly y: Uint8Array;
  /** Rows whose gradients are computed (shared memory). */
  readonly trainRows: Uint32Array;
  readonly hessianMin: number;
}

function isShared(array: ArrayBufferView): boolean {
  return array.buffer instanceof SharedArrayBuffer;
}

/** Start and end of share `part` of `parts` equal shares of `[low, high)`. */
function share(low: number, high: number, part: number, parts: number): [number, number] {
  const size = high - low;
  return [low + Math.floor((size * part) / parts), low + Math.floor((size * (part + 1)) / parts)];
}

/** A pool of `threads − 1` workers plus the calling thread. Close it when training ends. */
export class TrainingThreads implements HistogramBuilder {
  private readonly workers: Worker[] = [];
  private readonly control: Int32Array;
  private readonly out: Float64Array;
  private readonly columns: Int32Array;
  private readonly slots: Int32Array;
  private readonly words: Uint32Array;
  private lastPlan: HistogramPlan | null = null;
  private seq = 0;

  private constructor(
    private readonly run: ThreadedRun,
    workerCount: number,
    private readonly stallMax_ms: number,
  ) {
    const { matrix } = run;
    this.control = new Int32Array(new SharedArrayBuffer(workerCount * CELLS * Int32Array.BYTES_PER_ELEMENT));
    this.out = new Float64Array(
      new SharedArrayBuffer(matrix.histogramSlots * 2 * Float64Array.BYTES_PER_ELEMENT),
    );
    this.columns = new Int32Array(new SharedArrayBuffer(matrix.featureCount * Int32Array.BYTES_PER_ELEMENT));
    this.slots = new Int32Array(new SharedArrayBuffer(matrix.featureCount * Int32Array.BYTES_PER_ELEMENT));
    this.words = codeWords(matrix);
    const source = workerSource();
    for (let index = 0; index < workerCount; index++) {
      const worker = new Worker(source, {
        eval: true,
        execArgv: [],
        workerData: {
          index,
          control: this.control,
          codes: matrix.codes,
          rowStride: matrix.rowStride,
          wordsPerRow: matrix.rowStride / CODES_PER_WORD,
          laneSlots: matrix.laneSlots,
          histogram: this.out,
          columns: this.columns,
          slots: this.slots,
          gradHess: run.gradHess,
          rows: run.rows,
          margin: run.margin,
          y: run.y,
          trainRows: run.trainRows,
          hessianMin: run.hessianMin,
        },
      });
      worker.unref();
      this.workers.push(worker);
    }
  }

  /**
   * Starts `threads − 1` workers for a run, or returns null (train on the calling thread) when one thread is
   * asked for, the run is small, the arrays are not shared, or a worker fails to start in time.
   */
  static start(
    run: ThreadedRun,
    threads: number,
    stallMax_ms: number = THREAD_JOB_STALL_MAX_MS,
  ): TrainingThreads | null {
    if (threads <= 1 || run.trainRows.length < PARALLEL_ROWS_MIN) return null;
    const arrays = [run.matrix.codes, run.gradHess, run.rows, run.margin, run.y, run.trainRows];
    if (!arrays.every(isShared)) return null;
    const pool = new TrainingThreads(run, threads - 1, stallMax_ms);
    for (let index = 0; index < pool.workers.length; index++) {
      const cell = index * CELLS + READY;
      if (Atomics.wait(pool.control, cell, 0, THREAD_START_TIMEOUT_MS) === 'timed-out') {
        pool.close();
        return null;
      }
    }
    return pool;
  }

  get threadCount(): number {
    return this.workers.length + 1;
  }

  build(
    histogram: Float64Array,
    plan: HistogramPlan,
    rows: Uint32Array,
    start: number,
    end: number,
    gradHess: Float64Array,
  ): void {
    const units = planUnits(plan);
    const parts = Math.min(this.threadCount, units);
    if (
      end - start < PARALLEL_BUILD_ROWS_MIN ||
      parts < 2 ||
      rows !== this.run.rows ||
      gradHess !== this.run.gradHess
    ) {
      this.buildHere(histogram, plan, rows, start, end, gradHess, 0, units);
      return;
    }
    if (!plan.byWords && plan !== this.lastPlan) {
      this.columns.set(plan.columns);
      this.slots.set(plan.slots);
    }
    this.lastPlan = plan;
    const out = this.out;
    out.fill(0);
    const kind = plan.byWords ? KIND_WORDS : KIND_BYTES;
    // Words are numbered within the row, listed features within the plan's list.
    const first = plan.byWords ? plan.wordStart : 0;
    for (let part = 1; part < parts; part++) {
      const [unitStart, unitEnd] = share(0, units, part, parts);
      this.post(part - 1, kind, start, end, first + unitStart, first + unitEnd);
    }
    const [unitStart, unitEnd] = share(0, units, 0, parts);
    this.buildHere(out, plan, rows, start, end, gradHess, unitStart, unitEnd);
    this.wait(parts - 1);
    histogram.set(out);
  }

  /** Gradients and hessians of `trainRows` from the margins, the rows shared out between the threads. */
  gradients(): void {
    const { run } = this;
    const n = run.trainRows.length;
    const parts = this.threadCount;
    for (let part = 1; part < parts; part++) {
      const [start, end] = share(0, n, part, parts);
      this.post(part - 1, KIND_GRADIENTS, start, end, 0, 0);
    }
    const [start, end] = share(0, n, 0, parts);
    computeGradients(run.gradHess, run.margin, run.y, run.trainRows, start, end, run.hessianMin);
    this.wait(parts - 1);
  }

  /** Stops the workers; the pool cannot be used afterwards. */
  close(): void {
    for (let index = 0; index < this.workers.length; index++) this.post(index, KIND_STOP, 0, 0, 0, 0);
    this.workers.length = 0;
  }

  /** Ends the workers at once (after a stall): the pool cannot be used afterwards. */
  private abandon(): void {
    for (const worker of this.workers) void worker.terminate();
    this.workers.length = 0;
  }

  /** Builds units `[unitStart, unitEnd)` of a plan on the calling thread. */
  private buildHere(
    histogram: Float64Array,
    plan: HistogramPlan,
    rows: Uint32Array,
    start: number,
    end: number,
    gradHess: Float64Array,
    unitStart: number,
    unitEnd: number,
  ): void {
    accumulatePlan(
      histogram,
      this.run.matrix,
      this.words,
      plan,
      rows,
      start,
      end,
      gradHess,
      unitStart,
      unitEnd,
    );
  }

  private post(
    worker: number,
    kind: number,
    start: number,
    end: number,
    unitStart: number,
    unitEnd: number,
  ): void {
    const { control } = this;
    const base = worker * CELLS;
    control[base + KIND] = kind;
    control[base + START] = start;
    control[base + END] = end;
    control[base + UNIT_START] = unitStart;
    control[base + UNIT_END] = unitEnd;
    // The sequence number is stored last and atomically: a worker that sees it also sees the job's cells.
    Atomics.store(control, base + SEQ, this.seq + 1);
    Atomics.notify(control, base + SEQ);
  }

  /** Waits for the first `count` workers to finish the job just posted. */
  private wait(count: number): void {
    const { control } = this;
    const seq = this.seq + 1;
    for (let worker = 0; worker < count; worker++) {
      const cell = worker * CELLS + DONE;
      let waited_ms = 0;
      for (let done = Atomics.load(control, cell); done !== seq; done = Atomics.load(control, cell)) {
        const slice_ms = Math.min(THREAD_JOB_WAIT_SLICE_MS, this.stallMax_ms);
        if (Atomics.wait(control, cell, done, slice_ms) === 'timed-out') {
          waited_ms += slice_ms;
          if (waited_ms >= this.stallMax_ms) {
            this.abandon();
            throw new TrainingThreadStalledError(this.stallMax_ms);
          }
        }
      }
      gbmAssert(control[worker * CELLS + FAILED] === 0, 'a training thread finished its job');
    }
    this.seq = seq;
  }
}
