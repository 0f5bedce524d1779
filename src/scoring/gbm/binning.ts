import { gbmAssert } from './errors.js';

/** Bin code of a missing value. Value bins are numbered 1..valueBins in rising order of value. */
export const MISSING_BIN = 0;

/** Rows looked at to place the cuts of one feature; more adds time, not accuracy worth having. */
export const BIN_SAMPLE_ROWS_MAX = 200_000;

/** Bytes of codes read at once when building histograms: rows are padded to a multiple of this. */
export const CODES_PER_WORD = 4;

/**
 * The training matrix after binning: one byte per cell, row-major so that building a histogram reads each
 * row's codes contiguously, four at a time as 32-bit words. Each row is padded with missing codes to a whole
 * number of words; a padding byte counts into a histogram slot of its own that no split reads. The bytes live
 * in a `SharedArrayBuffer` so that histogram threads can read them without a copy.
 */
export interface BinnedMatrix {
  readonly rowCount: number;
  readonly featureCount: number;
  /** Bytes per row: `featureCount` rounded up to a multiple of `CODES_PER_WORD`. */
  readonly rowStride: number;
  /** `codes[row * rowStride + feature]`: 0 for missing, else 1..valueBins of that feature; padding is 0. */
  readonly codes: Uint8Array;
  /**
   * The same codes feature by feature, `columnCodes[feature * rowCount + row]`: partitioning a node's rows by
   * one feature then reads one byte per row instead of a whole row's line of memory.
   */
  readonly columnCodes: Uint8Array;
  /** Per feature, the ascending cut values; value bin b (1-based) holds `cuts[b-2] < v <= cuts[b-1]`. */
  readonly cuts: readonly Float64Array[];
  /** Per feature, its first slot in a histogram (slots = bins, the missing bin included). */
  readonly histogramOffsets: Int32Array;
  /**
   * Histogram slots: every feature's bins, then one slot per padding byte of a row. A histogram holds two
   * numbers per slot (gradient sum, hessian sum).
   */
  readonly histogramSlots: number;
  /**
   * Per byte position of a 32-bit word of codes (`4·word + k` for the byte at bit shift 8k, whatever the
   * platform's byte order), twice the histogram slot of bin 0 of the feature found there.
   */
  readonly laneSlots: Int32Array;
}

/**
 * Cut points that split the observed values of one feature into at most `valueBinsMax` bins of roughly equal
 * row count. Every distinct value gets its own bin when there are few enough; cuts sit midway between
 * neighbouring observed values so that unseen values fall on the nearer side.
 */
export function findCuts(values: Float64Array, valueBinsMax: number): Float64Array {
  gbmAssert(valueBinsMax >= 2, 'at least two value bins');
  const stride = Math.max(1, Math.ceil(values.length / BIN_SAMPLE_ROWS_MAX));
  const sample = new Float64Array(Math.ceil(values.length / stride));
  let taken = 0;
  for (let i = 0; i < values.length; i += stride) {
    const v = values[i]!;
    if (!Number.isNaN(v)) sample[taken++] = v;
  }
  const sorted = sample.subarray(0, taken).sort();
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (distinct.length > 0 && distinct[distinct.length - 1] === v) counts[counts.length - 1]! += 1;
    else {
      distinct.push(v);
      counts.push(1);
    }
  }
  if (distinct.length <= 1) return new Float64Array(0);
  const cuts: number[] = [];
  if (distinct.length <= valueBinsMax) {
    for (let i = 0; i + 1 < distinct.length; i++) cuts.push(midpoint(distinct[i]!, distinct[i + 1]!));
    return Float64Array.from(cuts);
  }
  // Equal-frequency cuts: close a bin once the running count passes the next quantile target, never
  // splitting one distinct value across bins.
  const total = sorted.length;
  let cumulative = 0;
  let nextBin = 1;
  for (let i = 0; i + 1 < distinct.length && nextBin < valueBinsMax; i++) {
    cumulative += counts[i]!;
    if (cumulative >= (nextBin * total) / valueBinsMax) {
      cuts.push(midpoint(distinct[i]!, distinct[i + 1]!));
      while (nextBin < valueBinsMax && cumulative >= (nextBin * total) / valueBinsMax) nextBin++;
    }
  }
  return Float64Array.from(cuts);
}

/** A cut between two observed values a < b with a <= cut < b, finite whenever a is. */
function midpoint(a: number, b: number): number {
  const mid = a + (b - a) / 2;
  if (!Number.isFinite(mid) || mid >= b || mid < a) return a;
  return mid;
}

/** Bin code of one value given a feature's cuts: 0 for missing, else 1 + (number of cuts below the value). */
export function binOf(cuts: Float64Array, value: number): number {
  if (Number.isNaN(value)) return MISSING_BIN;
  let low = 0;
  let high = cuts.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (cuts[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low + 1;
}

/** Cuts for every feature, learned from the given rows' values. */
export function learnCuts(columns: readonly Float64Array[], maxBins: number): Float64Array[] {
  return columns.map((column) => findCuts(column, maxBins - 1));
}

/** Applies cuts to columns: the byte matrix every tree is grown on. */
export function binMatrix(columns: readonly Float64Array[], cuts: readonly Float64Array[]): BinnedMatrix {
  const featureCount = columns.length;
  gbmAssert(cuts.length === featureCount, 'one cut list per column');
  const rowCount = featureCount === 0 ? 0 : columns[0]!.length;
  const rowStride = Math.ceil(featureCount / CODES_PER_WORD) * CODES_PER_WORD;
  const codes = new Uint8Array(new SharedArrayBuffer(rowCount * rowStride));
  const columnCodes = new Uint8Array(rowCount * featureCount);
  const histogramOffsets = new Int32Array(featureCount);
  let slots = 0;
  for (let f = 0; f < featureCount; f++) {
    const column = columns[f]!;
    const featureCuts = cuts[f]!;
    gbmAssert(column.length === rowCount, 'columns of equal length');
    gbmAssert(featureCuts.length <= 253, 'value bins fit a byte beside the missing bin');
    histogramOffsets[f] = slots;
    slots += featureCuts.length + 2;
    const column0 = f * rowCount;
    // binOf without its branches: the cuts padded with +∞ to a power of two, and a fixed number of halving
    // steps, each adding its step when the probed cut lies below the value. The codes are binOf's exactly
    // (the number of cuts below the value, plus one); only a missing value takes a branch, and it is rare.
    let size = 1;
    while (size < featureCuts.length + 1) size *= 2;
    const padded = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
    padded.set(featureCuts);
    for (let r = 0; r < rowCount; r++) {
      const v = column[r]!;
      let code = MISSING_BIN;
      if (!Number.isNaN(v)) {
        let below = 0;
        for (let step = size >> 1; step > 0; step >>= 1) below += step & -(padded[below + step - 1]! < v);
        code = below + 1;
      }
      codes[r * rowStride + f] = code;
      columnCodes[column0 + r] = code;
    }
  }
  // Padding bytes (always the missing code 0) each count into a slot past the features' slots.
  const featureSlots = slots;
  slots += rowStride - featureCount;
  const littleEndian = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
  const laneSlots = new Int32Array(rowStride);
  for (let lane = 0; lane < rowStride; lane++) {
    const k = lane % CODES_PER_WORD;
    const byte = lane - k + (littleEndian ? k : CODES_PER_WORD - 1 - k);
    laneSlots[lane] =
      2 * (byte < featureCount ? histogramOffsets[byte]! : featureSlots + byte - featureCount);
  }
  return {
    rowCount,
    featureCount,
    rowStride,
    codes,
    columnCodes,
    cuts,
    histogramOffsets,
    histogramSlots: slots,
    laneSlots,
  };
}

/** Value bins of a feature (the missing bin not counted). */
export function valueBinCount(matrix: BinnedMatrix, feature: number): number {
  return matrix.cuts[feature]!.length + 1;
}
