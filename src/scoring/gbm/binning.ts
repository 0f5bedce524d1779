import { gbmAssert } from './errors.js';

/** Bin code of a missing value. Value bins are numbered 1..valueBins in rising order of value. */
export const MISSING_BIN = 0;

/** Rows looked at to place the cuts of one feature; more adds time, not accuracy worth having. */
export const BIN_SAMPLE_ROWS_MAX = 200_000;

/**
 * The training matrix after binning: one byte per cell, row-major so that building a histogram reads each
 * row's codes contiguously.
 */
export interface BinnedMatrix {
  readonly rowCount: number;
  readonly featureCount: number;
  /** `codes[row * featureCount + feature]`: 0 for missing, else 1..valueBins of that feature. */
  readonly codes: Uint8Array;
  /** Per feature, the ascending cut values; value bin b (1-based) holds `cuts[b-2] < v <= cuts[b-1]`. */
  readonly cuts: readonly Float64Array[];
  /** Per feature, its first slot in a histogram (slots = bins, the missing bin included). */
  readonly histogramOffsets: Int32Array;
  /** Histogram slots over all features. */
  readonly histogramSlots: number;
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
  const codes = new Uint8Array(rowCount * featureCount);
  const histogramOffsets = new Int32Array(featureCount);
  let slots = 0;
  for (let f = 0; f < featureCount; f++) {
    const column = columns[f]!;
    const featureCuts = cuts[f]!;
    gbmAssert(column.length === rowCount, 'columns of equal length');
    gbmAssert(featureCuts.length <= 253, 'value bins fit a byte beside the missing bin');
    histogramOffsets[f] = slots;
    slots += featureCuts.length + 2;
    for (let r = 0; r < rowCount; r++) codes[r * featureCount + f] = binOf(featureCuts, column[r]!);
  }
  return { rowCount, featureCount, codes, cuts, histogramOffsets, histogramSlots: slots };
}

/** Value bins of a feature (the missing bin not counted). */
export function valueBinCount(matrix: BinnedMatrix, feature: number): number {
  return matrix.cuts[feature]!.length + 1;
}
