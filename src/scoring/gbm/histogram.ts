/**
 * Gradient/hessian histograms of a node's rows. The two kernels below are self-contained functions (no
 * imports, no closures, no inner functions) because histogram threads run the very same source text
 * (`threads.ts`); the serial builder calls them directly.
 *
 * Every histogram cell is summed in row order by exactly one caller, so how the work is split between threads
 * (by words of features, or by features) never changes a single bit of the result.
 */
import { type BinnedMatrix, CODES_PER_WORD } from './binning.js';

/**
 * Adds rows `rows[start..end)` into `histogram` for the features held in 32-bit words
 * `[wordStart, wordEnd)` of each row's codes. Two rows go through the loop at once: the additions into any one
 * cell still come in row order, and the two rows' independent updates keep the processor busy.
 * `gradHess` holds each row's gradient and hessian side by side; `laneSlots` is `BinnedMatrix.laneSlots`.
 */
export function accumulateWords(
  histogram: Float64Array,
  codeWords: Uint32Array,
  wordsPerRow: number,
  laneSlots: Int32Array,
  gradHess: Float64Array,
  rows: Uint32Array,
  start: number,
  end: number,
  wordStart: number,
  wordEnd: number,
): void {
  let i = start;
  for (; i + 1 < end; i += 2) {
    const r = rows[i]!;
    const q = rows[i + 1]!;
    const gr = gradHess[2 * r]!;
    const hr = gradHess[2 * r + 1]!;
    const gq = gradHess[2 * q]!;
    const hq = gradHess[2 * q + 1]!;
    const rBase = r * wordsPerRow;
    const qBase = q * wordsPerRow;
    for (let w = wordStart; w < wordEnd; w++) {
      const a = codeWords[rBase + w]!;
      const b = codeWords[qBase + w]!;
      const lane = w << 2;
      const s0 = laneSlots[lane]!;
      const s1 = laneSlots[lane + 1]!;
      const s2 = laneSlots[lane + 2]!;
      const s3 = laneSlots[lane + 3]!;
      let s = s0 + ((a & 255) << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
      s = s0 + ((b & 255) << 1);
      histogram[s]! += gq;
      histogram[s + 1]! += hq;
      s = s1 + (((a >>> 8) & 255) << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
      s = s1 + (((b >>> 8) & 255) << 1);
      histogram[s]! += gq;
      histogram[s + 1]! += hq;
      s = s2 + (((a >>> 16) & 255) << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
      s = s2 + (((b >>> 16) & 255) << 1);
      histogram[s]! += gq;
      histogram[s + 1]! += hq;
      s = s3 + ((a >>> 24) << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
      s = s3 + ((b >>> 24) << 1);
      histogram[s]! += gq;
      histogram[s + 1]! += hq;
    }
  }
  if (i < end) {
    const r = rows[i]!;
    const gr = gradHess[2 * r]!;
    const hr = gradHess[2 * r + 1]!;
    const rBase = r * wordsPerRow;
    for (let w = wordStart; w < wordEnd; w++) {
      const a = codeWords[rBase + w]!;
      const lane = w << 2;
      let s = laneSlots[lane]! + ((a & 255) << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
      s = laneSlots[lane + 1]! + (((a >>> 8) & 255) << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
      s = laneSlots[lane + 2]! + (((a >>> 16) & 255) << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
      s = laneSlots[lane + 3]! + ((a >>> 24) << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
    }
  }
}

/**
 * Adds rows `rows[start..end)` into `histogram` for the listed features `k` in `[listStart, listEnd)`:
 * `columns[k]` is the feature (its byte in a row) and `slots[k]` twice its first histogram slot. Used when a
 * tree is offered only some features, so that the others cost nothing.
 */
export function accumulateBytes(
  histogram: Float64Array,
  codes: Uint8Array,
  rowStride: number,
  columns: Int32Array,
  slots: Int32Array,
  gradHess: Float64Array,
  rows: Uint32Array,
  start: number,
  end: number,
  listStart: number,
  listEnd: number,
): void {
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    const gr = gradHess[2 * r]!;
    const hr = gradHess[2 * r + 1]!;
    const base = r * rowStride;
    for (let k = listStart; k < listEnd; k++) {
      const s = slots[k]! + (codes[base + columns[k]!]! << 1);
      histogram[s]! += gr;
      histogram[s + 1]! += hr;
    }
  }
}

/**
 * How a histogram over a feature list is built: whole words of codes when the words holding the listed
 * features hold few others (at most this many lanes per listed feature), else feature by feature.
 */
export const WORD_LANES_PER_FEATURE_MAX = 1.5;

/** The plan for one feature list: a word range, or the list itself. */
export interface HistogramPlan {
  /** True: accumulate words `[wordStart, wordEnd)`; false: accumulate the listed features byte by byte. */
  readonly byWords: boolean;
  readonly wordStart: number;
  readonly wordEnd: number;
  /** Features (bytes of a row) and twice their first slots, for the byte kernel. */
  readonly columns: Int32Array;
  readonly slots: Int32Array;
}

/** Chooses the kernel for a feature list (ascending feature numbers). */
export function planHistogram(matrix: BinnedMatrix, features: Int32Array): HistogramPlan {
  const columns = Int32Array.from(features);
  const slots = Int32Array.from(features, (f) => 2 * matrix.histogramOffsets[f]!);
  const first = features.length === 0 ? 0 : Math.floor(features[0]! / CODES_PER_WORD);
  const last = features.length === 0 ? 0 : Math.floor(features[features.length - 1]! / CODES_PER_WORD) + 1;
  const lanes = (last - first) * CODES_PER_WORD;
  const byWords = features.length > 0 && lanes <= WORD_LANES_PER_FEATURE_MAX * features.length;
  return { byWords, wordStart: first, wordEnd: last, columns, slots };
}

/** Builds the histogram of some rows of a node into a zeroed buffer. */
export interface HistogramBuilder {
  build(
    histogram: Float64Array,
    plan: HistogramPlan,
    rows: Uint32Array,
    start: number,
    end: number,
    gradHess: Float64Array,
  ): void;
}

/** Views of a matrix's codes as 32-bit words (rows are padded to whole words). */
export function codeWords(matrix: BinnedMatrix): Uint32Array {
  const { codes } = matrix;
  return new Uint32Array(codes.buffer, codes.byteOffset, codes.byteLength / CODES_PER_WORD);
}

/** Builds histograms on the calling thread. */
export class SerialHistograms implements HistogramBuilder {
  private readonly words: Uint32Array;

  constructor(private readonly matrix: BinnedMatrix) {
    this.words = codeWords(matrix);
  }

  build(
    histogram: Float64Array,
    plan: HistogramPlan,
    rows: Uint32Array,
    start: number,
    end: number,
    gradHess: Float64Array,
  ): void {
    const { matrix } = this;
    if (plan.byWords) {
      accumulateWords(
        histogram,
        this.words,
        matrix.rowStride / CODES_PER_WORD,
        matrix.laneSlots,
        gradHess,
        rows,
        start,
        end,
        plan.wordStart,
        plan.wordEnd,
      );
    } else {
      accumulateBytes(
        histogram,
        matrix.codes,
        matrix.rowStride,
        plan.columns,
        plan.slots,
        gradHess,
        rows,
        start,
        end,
        0,
        plan.columns.length,
      );
    }
  }
}

/** Adds the rows `rows[start..end)` into a zeroed histogram, only for the listed features (ascending). */
export function buildHistogram(
  histogram: Float64Array,
  matrix: BinnedMatrix,
  features: Int32Array,
  rows: Uint32Array,
  start: number,
  end: number,
  gradHess: Float64Array,
): void {
  new SerialHistograms(matrix).build(histogram, planHistogram(matrix, features), rows, start, end, gradHess);
}
