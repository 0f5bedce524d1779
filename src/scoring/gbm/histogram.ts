/**
 * Gradient/hessian histograms of a node's rows: which kernel to use for a feature list, and the builder that
 * runs it on the calling thread (`threads.ts` runs the same kernels on several).
 */
import { type BinnedMatrix, CODES_PER_WORD } from './binning.js';
import { accumulateBytes, accumulateWords } from './kernels.js';

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
  /**
   * When present, partitions `rows[start..end)` by a split exactly as `tree.ts` does (stable, missing rows to
   * the given side) and returns where the right side begins.
   */
  partition?(
    rows: Uint32Array,
    start: number,
    end: number,
    feature: number,
    threshold: number,
    missingLeft: boolean,
  ): number;
}

/** Views of a matrix's codes as 32-bit words (rows are padded to whole words). */
export function codeWords(matrix: BinnedMatrix): Uint32Array {
  const { codes } = matrix;
  return new Uint32Array(codes.buffer, codes.byteOffset, codes.byteLength / CODES_PER_WORD);
}

/**
 * Accumulates units `[unitStart, unitEnd)` of a plan into `histogram`: words of codes counted from the plan's
 * first word, or listed features. The one place both the calling thread and the training threads build from.
 */
export function accumulatePlan(
  histogram: Float64Array,
  matrix: BinnedMatrix,
  words: Uint32Array,
  plan: HistogramPlan,
  rows: Uint32Array,
  start: number,
  end: number,
  gradHess: Float64Array,
  unitStart: number,
  unitEnd: number,
): void {
  if (plan.byWords) {
    accumulateWords(
      histogram,
      words,
      matrix.rowStride / CODES_PER_WORD,
      matrix.laneSlots,
      gradHess,
      rows,
      start,
      end,
      plan.wordStart + unitStart,
      plan.wordStart + unitEnd,
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
      unitStart,
      unitEnd,
    );
  }
}

/** How many units a plan has: words of codes, or listed features. */
export function planUnits(plan: HistogramPlan): number {
  return plan.byWords ? plan.wordEnd - plan.wordStart : plan.columns.length;
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
    accumulatePlan(histogram, this.matrix, this.words, plan, rows, start, end, gradHess, 0, planUnits(plan));
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
