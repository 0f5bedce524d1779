import { describe, expect, it } from 'vitest';
import {
  binMatrix,
  learnCuts,
  planHistogram,
  SeededRandom,
  SerialHistograms,
  trainGbmMatrix,
  WasmHistograms,
} from '../../../src/scoring/gbm/index.js';
import { computeGradients } from '../../../src/scoring/gbm/kernels.js';

/** Columns with missing values, ties and a few low-cardinality ones; a target that depends on three. */
function data(rows: number, features: number, seed: number): { columns: Float64Array[]; y: Uint8Array } {
  const random = new SeededRandom(seed);
  const columns = Array.from({ length: features }, (_, f) =>
    Float64Array.from({ length: rows }, () => {
      if (random.next() < 0.07) return Number.NaN;
      if (f % 4 === 3) return Math.floor(random.next() * 4);
      return f % 3 === 2 ? Math.floor(random.next() * 300) : random.next() * 100;
    }),
  );
  const y = Uint8Array.from({ length: rows }, (_, r) => {
    const a = columns[0]![r]!;
    const b = columns[1]![r]!;
    const c = columns[3]![r]!;
    const risk = 0.1 + (Number.isNaN(a) ? 0.2 : a / 400) + (b > 50 ? 0.15 : 0) + (c === 2 ? 0.2 : 0);
    return random.next() < risk ? 1 : 0;
  });
  return { columns, y };
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  const bytes = (v: Float64Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return bytes(a).equals(bytes(b));
}

describe('WebAssembly histograms', () => {
  it('give the JavaScript kernel’s histograms bit for bit, for every feature list and row range', () => {
    for (const features of [4, 11, 30]) {
      const rowCount = 3_001;
      const { columns, y } = data(rowCount, features, features);
      const matrix = binMatrix(columns, learnCuts(columns, 255));
      const wasm = WasmHistograms.forMatrix(matrix);
      expect(wasm).not.toBeNull();
      const random = new SeededRandom(17);
      const margin = Float64Array.from({ length: rowCount }, () => (random.next() - 0.5) * 6);
      const all = Uint32Array.from({ length: rowCount }, (_, r) => r);
      computeGradients(wasm!.gradHess, margin, y, all, 0, rowCount, 1e-16);
      const serial = new SerialHistograms(matrix);
      const rows = new Uint32Array(rowCount);
      let nodeRows = 0;
      for (let r = 0; r < rowCount; r++) if (random.next() < 0.55) rows[nodeRows++] = r;
      const lists = [
        Int32Array.from({ length: features }, (_, f) => f),
        Int32Array.from({ length: features - 1 }, (_, f) => f + 1),
        Int32Array.from([features - 1]),
      ];
      for (const list of lists) {
        const plan = planHistogram(matrix, list);
        for (const [start, end] of [
          [0, nodeRows],
          [1, nodeRows - 1],
          [7, 8],
          [5, 5],
        ] as const) {
          const fast = new Float64Array(matrix.histogramSlots * 2);
          const alone = new Float64Array(matrix.histogramSlots * 2);
          wasm!.build(fast, plan, rows, start, end, wasm!.gradHess);
          serial.build(alone, plan, rows, start, end, wasm!.gradHess);
          expect(sameBits(fast, alone)).toBe(true);
          if (end > start) expect(alone.some((v) => v !== 0)).toBe(true);
        }
      }
      // Gradients held elsewhere are read where they are, by the JavaScript kernel.
      const elsewhere = Float64Array.from(wasm!.gradHess, (v) => v * 2);
      const plan = planHistogram(matrix, lists[0]!);
      const fast = new Float64Array(matrix.histogramSlots * 2);
      const alone = new Float64Array(matrix.histogramSlots * 2);
      wasm!.build(fast, plan, rows, 0, nodeRows, elsewhere);
      serial.build(alone, plan, rows, 0, nodeRows, elsewhere);
      expect(sameBits(fast, alone)).toBe(true);
    }
  });

  it('partition a node’s rows stably, missing rows to the split’s side', () => {
    const rowCount = 2_500;
    const { columns } = data(rowCount, 7, 9);
    const matrix = binMatrix(columns, learnCuts(columns, 255));
    const wasm = WasmHistograms.forMatrix(matrix)!;
    const random = new SeededRandom(4);
    const all: number[] = [];
    for (let r = 0; r < rowCount; r++) if (random.next() < 0.7) all.push(r);
    for (let feature = 0; feature < 7; feature++) {
      for (const threshold of [1, 2, 3, 40, 254]) {
        for (const missingLeft of [false, true]) {
          const rows = Uint32Array.from([7, 7, ...all, 7]);
          const start = 2;
          const end = 2 + all.length;
          const code = (r: number) => matrix.columnCodes[feature * rowCount + r]!;
          const goesLeft = (r: number) => (code(r) === 0 ? missingLeft : code(r) <= threshold);
          const expected = [...all.filter(goesLeft), ...all.filter((r) => !goesLeft(r))];
          const middle = wasm.partition(rows, start, end, feature, threshold, missingLeft);
          expect(middle).toBe(start + all.filter(goesLeft).length);
          expect(Array.from(rows.subarray(start, end))).toEqual(expected);
          expect([rows[0], rows[1], rows[end]]).toEqual([7, 7, 7]);
        }
      }
    }
  });

  it('train the model the JavaScript kernel trains, byte for byte', () => {
    // Below the threads' row minimum two threads fall back to the JavaScript kernel on the calling thread, while
    // one thread uses the WebAssembly loop.
    const { columns, y } = data(4_000, 13, 5);
    for (const options of [
      { trees: 15, maxDepth: 3 },
      { trees: 10, maxDepth: 5, subsample: 0.8, colsampleByTree: 0.6, earlyStoppingRounds: 4 },
      { trees: 8, maxDepth: 4, maxLeaves: 6, monotone: { f0: 1 as const } },
    ]) {
      const wasm = trainGbmMatrix(columns, y, options, 3, undefined, { nthread: 1 });
      const js = trainGbmMatrix(columns, y, options, 3, undefined, { nthread: 2 });
      expect(JSON.stringify(wasm)).toBe(JSON.stringify(js));
      expect(wasm.trees.some((tree) => tree.left.length > 1)).toBe(true);
    }
  });
});
