import { describe, expect, it } from 'vitest';
import {
  binMatrix,
  GbmError,
  learnCuts,
  PARALLEL_ROWS_MIN,
  planHistogram,
  SeededRandom,
  SerialHistograms,
  TrainingThreadStalledError,
  TrainingThreads,
  trainGbmMatrix,
} from '../../../src/scoring/gbm/index.js';
import { computeGradients } from '../../../src/scoring/gbm/kernels.js';

function shared<T extends Float64Array | Uint32Array | Uint8Array | Int32Array>(
  make: new (buffer: SharedArrayBuffer) => T,
  bytesPerElement: number,
  length: number,
): T {
  return new make(new SharedArrayBuffer(length * bytesPerElement));
}

/** Columns with missing values, a few low-cardinality ones, and a target that depends on three of them. */
function data(rows: number, features: number, seed: number): { columns: Float64Array[]; y: Uint8Array } {
  const random = new SeededRandom(seed);
  const columns = Array.from({ length: features }, (_, f) =>
    Float64Array.from({ length: rows }, () => {
      if (random.next() < 0.07) return Number.NaN;
      return f % 3 === 2 ? Math.floor(random.next() * 5) : random.next() * 100;
    }),
  );
  const y = Uint8Array.from({ length: rows }, (_, r) => {
    const a = columns[0]![r]!;
    const b = columns[1]![r]!;
    const c = columns[2]![r]!;
    const risk = 0.1 + (Number.isNaN(a) ? 0.2 : a / 400) + (b > 50 ? 0.15 : 0) + (c === 3 ? 0.2 : 0);
    return random.next() < risk ? 1 : 0;
  });
  return { columns, y };
}

/** Whether two float arrays hold the same bytes: equal bit for bit (−0 and NaN included). */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  const bytes = (v: Float64Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return bytes(a).equals(bytes(b));
}

describe('training threads', () => {
  const rowCount = PARALLEL_ROWS_MIN + 10_000;

  it('build the same histograms and gradients as one thread, bit for bit', () => {
    const { columns, y } = data(rowCount, 11, 3);
    const matrix = binMatrix(columns, learnCuts(columns, 255));
    const random = new SeededRandom(7);
    const margin = shared(Float64Array, 8, rowCount);
    for (let r = 0; r < rowCount; r++) margin[r] = (random.next() - 0.5) * 6;
    const sharedY = shared(Uint8Array, 1, rowCount);
    sharedY.set(y);
    const trainRows = shared(Uint32Array, 4, rowCount);
    for (let r = 0; r < rowCount; r++) trainRows[r] = r;
    const gradHess = shared(Float64Array, 8, 2 * rowCount);
    // A node's rows: an ascending subset, as partitioning leaves them.
    const rows = shared(Uint32Array, 4, rowCount);
    let nodeRows = 0;
    for (let r = 0; r < rowCount; r++) if (random.next() < 0.6) rows[nodeRows++] = r;
    const pool = TrainingThreads.start(
      { matrix, gradHess, rows, margin, y: sharedY, trainRows, hessianMin: 1e-16 },
      2,
    );
    expect(pool).not.toBeNull();
    try {
      expect(pool!.threadCount).toBe(2);
      pool!.gradients();
      const serialGradients = new Float64Array(2 * rowCount);
      computeGradients(serialGradients, margin, y, trainRows, 0, rowCount, 1e-16);
      expect(sameBits(gradHess, serialGradients)).toBe(true);
      expect(serialGradients.some((v) => v !== 0)).toBe(true);
      const serial = new SerialHistograms(matrix);
      const featureLists = [
        Int32Array.from(columns.keys()), // every feature: whole words of codes
        Int32Array.from([0, 1, 2, 3, 5, 6, 7]), // most features: still by words
        Int32Array.from([1, 4, 9]), // few features: feature by feature
      ];
      for (const features of featureLists) {
        const plan = planHistogram(matrix, features);
        for (const [start, end] of [
          [0, nodeRows],
          [1, nodeRows - 1],
          [500, 500 + 9_001],
        ] as const) {
          const threaded = new Float64Array(matrix.histogramSlots * 2);
          const alone = new Float64Array(matrix.histogramSlots * 2);
          pool!.build(threaded, plan, rows, start, end, gradHess);
          serial.build(alone, plan, rows, start, end, gradHess);
          expect(sameBits(threaded, alone)).toBe(true);
          expect(alone.some((v) => v !== 0)).toBe(true);
        }
      }
      expect(planHistogram(matrix, featureLists[0]!).byWords).toBe(true);
      expect(planHistogram(matrix, featureLists[2]!).byWords).toBe(false);
    } finally {
      pool!.close();
    }
  });

  it('train the same model on one thread and on two, with sampling and early stopping', () => {
    const { columns, y } = data(rowCount, 9, 4);
    const options = {
      trees: 12,
      maxDepth: 4,
      subsample: 0.9,
      colsampleByTree: 0.7,
      earlyStoppingRounds: 5,
      validationShare: 0.2,
      monotone: { f0: 1 as const },
    };
    const one = trainGbmMatrix(columns, y, options, 11, undefined, { nthread: 1 });
    const two = trainGbmMatrix(columns, y, options, 11, undefined, { nthread: 2 });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    const all = trainGbmMatrix(columns, y, { ...options, subsample: 1, colsampleByTree: 1 }, 11, undefined, {
      nthread: 2,
    });
    const alone = trainGbmMatrix(
      columns,
      y,
      { ...options, subsample: 1, colsampleByTree: 1 },
      11,
      undefined,
      {
        nthread: 1,
      },
    );
    expect(JSON.stringify(all)).toBe(JSON.stringify(alone));
  });

  it('train the same model on one thread and on two with k-fold early stopping', () => {
    const { columns, y } = data(rowCount, 7, 5);
    const options = { trees: 8, subsample: 0.8, colsampleByTree: 0.6, earlyStoppingRounds: 3, cvFolds: 3 };
    const one = trainGbmMatrix(columns, y, options, 13, undefined, { nthread: 1 });
    const two = trainGbmMatrix(columns, y, options, 13, undefined, { nthread: 2 });
    expect(one.foldBestRounds).toHaveLength(3);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  });

  it('end in an error, not an endless wait, when a worker is gone', async () => {
    const { columns, y } = data(rowCount, 5, 6);
    const matrix = binMatrix(columns, learnCuts(columns, 255));
    const margin = shared(Float64Array, 8, rowCount);
    const sharedY = shared(Uint8Array, 1, rowCount);
    sharedY.set(y);
    const trainRows = shared(Uint32Array, 4, rowCount);
    for (let r = 0; r < rowCount; r++) trainRows[r] = r;
    const gradHess = shared(Float64Array, 8, 2 * rowCount);
    const rows = shared(Uint32Array, 4, rowCount);
    const stall_ms = 200;
    const pool = TrainingThreads.start(
      { matrix, gradHess, rows, margin, y: sharedY, trainRows, hessianMin: 1e-16 },
      2,
      stall_ms,
    );
    expect(pool).not.toBeNull();
    // Stop the worker behind the pool's back, as running out of memory would.
    const [worker] = (pool as unknown as { workers: import('node:worker_threads').Worker[] }).workers;
    await worker!.terminate();
    expect(() => pool!.gradients()).toThrowError(TrainingThreadStalledError);
    pool!.close();
  });

  it('refuses a thread count that is not a whole number in range', () => {
    const { columns, y } = data(200, 3, 5);
    for (const nthread of [-1, 1.5, 1000]) {
      expect(() => trainGbmMatrix(columns, y, { trees: 1 }, 1, undefined, { nthread })).toThrowError(
        GbmError,
      );
    }
  });
});
