import {
  assignBins,
  type BinningOptions,
  binColumn,
  describeValue,
  type FeatureBinning,
  resolveBinningOptions,
} from './binning/index.js';
import type { Column, Dataset, ReasonCode, Target } from './dataset.js';
import { ScoringError } from './errors.js';
import { normalTwoSidedP } from './linalg.js';
import type { LogisticOptions } from './logistic.js';
import { DEFAULT_REFINE_OPTIONS, type RefinementRecord, type RefineOptions, refineCard } from './refine.js';
import { type FeatureDecision, type SelectionOptions, selectFeatures } from './selection.js';
import { findColumn } from './table.js';

/** Points scaling: `basePoints` at good:bad odds of `baseOdds`, and `pdo` more points each time the odds double. */
export interface Scaling {
  readonly basePoints: number;
  readonly baseOdds: number;
  readonly pdo: number;
}

export const DEFAULT_SCALING: Scaling = { basePoints: 600, baseOdds: 50, pdo: 20 };

/** Probabilities are clamped to [ε, 1 − ε] before turning into points, so a score is always finite. */
export const PROBABILITY_CLAMP = 1e-12;

export function checkScaling(s: Scaling): Scaling {
  if (!(Number.isFinite(s.basePoints) && s.baseOdds > 0 && s.pdo > 0)) {
    throw new ScoringError('INVALID_OPTION', 'scaling needs finite base points, base odds > 0 and PDO > 0');
  }
  return s;
}

function scalingFactor(s: Scaling): number {
  return s.pdo / Math.LN2;
}

function scalingOffset(s: Scaling): number {
  return s.basePoints - scalingFactor(s) * Math.log(s.baseOdds);
}

/** Half-up rounding to an integer (ties go towards +∞). */
export function roundHalfUp(x: number): number {
  return Math.floor(x + 0.5);
}

/** Score (real) from a probability of bad: offset + factor · ln(good:bad odds). */
export function scoreFromProbability(s: Scaling, probabilityBad: number): number {
  const p = Math.min(1 - PROBABILITY_CLAMP, Math.max(PROBABILITY_CLAMP, probabilityBad));
  return scalingOffset(s) + scalingFactor(s) * Math.log((1 - p) / p);
}

export interface ScorecardOptions {
  readonly binning: Partial<BinningOptions>;
  readonly selection: Partial<SelectionOptions>;
  readonly logistic: Partial<LogisticOptions>;
  /** Per-bin adjustments of the log-odds, penalised towards the WoE line (`refine.ts`); `l2Grid: []` turns off. */
  readonly refine: Partial<RefineOptions>;
  readonly scaling: Scaling;
}

export interface ScorecardFeature {
  readonly name: string;
  readonly binning: FeatureBinning;
  readonly coefficient: number;
  readonly standardError: number;
  readonly pValue: number;
  /** Integer points of each bin, in the order of `binning.bins`; the feature's best bin has the most. */
  readonly points: number[];
  /**
   * Log-odds adjustment of each bin, added to coefficient · WoE (bin refinement); absent when the card was not
   * refined, which means 0 for every bin.
   */
  readonly adjustments?: number[];
}

export interface ScorecardBody {
  readonly intercept: number;
  readonly interceptStandardError: number;
  /** Integer points every row starts with (intercept and offset); the score is this plus the bins' points. */
  readonly basePoints: number;
  readonly features: ScorecardFeature[];
  readonly selection: FeatureDecision[];
  /** Bins and IV of every candidate feature, selected or not (for the report). */
  readonly candidateIv: { feature: string; iv: number; bins: number; notes: string[] }[];
  readonly fit: {
    readonly deviance: number;
    readonly nullDeviance: number;
    readonly aic: number;
    readonly bic: number;
    readonly iterations: number;
    readonly converged: boolean;
    readonly gradientMax: number;
    readonly warnings: string[];
  };
  /** Smallest and largest total score the card can give. */
  readonly scoreRange: { min: number; max: number };
  /** How the bins were refined after selection, and why (absent in cards trained before refinement existed). */
  readonly refinement?: RefinementRecord;
}

/** WoE of each row for one feature. */
export function woeColumn(binning: FeatureBinning, column: Column): Float64Array {
  const bins = assignBins(binning, column);
  const woes = binning.bins.map((b) => b.woe);
  const out = new Float64Array(bins.length);
  for (let i = 0; i < bins.length; i++) out[i] = woes[bins[i]!]!;
  return out;
}

/**
 * Integer points per bin that keep the card's total range: each feature's real points are shifted so its worst bin
 * has 0; the integer ranges are shared out by largest remainder so that they sum to the rounded total range; bins
 * inside a feature are scaled to that integer range and rounded half-up; the constant is rounded half-up.
 */
function integerPoints(
  scaling: Scaling,
  intercept: number,
  logOdds: readonly (readonly number[])[],
): { base: number; points: number[][] } {
  const factor = scalingFactor(scaling);
  const real = logOdds.map((bins) => bins.map((v) => -factor * v));
  const mins = real.map((r) => Math.min(...r));
  const ranges = real.map((r, j) => Math.max(...r) - mins[j]!);
  const constant = scalingOffset(scaling) - factor * intercept + mins.reduce((a, b) => a + b, 0);
  const totalRange = roundHalfUp(ranges.reduce((a, b) => a + b, 0));
  const floors = ranges.map((r) => Math.floor(r));
  let left = totalRange - floors.reduce((a, b) => a + b, 0);
  const order = ranges
    .map((r, j) => ({ j, rem: r - Math.floor(r) }))
    .sort((a, b) => b.rem - a.rem || a.j - b.j);
  const integerRanges = [...floors];
  for (const { j } of order) {
    if (left <= 0) break;
    integerRanges[j]!++;
    left--;
  }
  const points = real.map((r, j) =>
    r.map((v) => (ranges[j]! > 0 ? roundHalfUp(((v - mins[j]!) * integerRanges[j]!) / ranges[j]!) : 0)),
  );
  return { base: roundHalfUp(constant), points };
}

export function trainScorecard(
  data: Dataset,
  target: Target,
  options: Partial<ScorecardOptions> = {},
  seed = 0,
): ScorecardBody {
  const scaling = checkScaling(options.scaling ?? DEFAULT_SCALING);
  const binningOptions = resolveBinningOptions(options.binning);
  if (data.columns.length === 0)
    throw new ScoringError('NO_FEATURES', 'no feature columns: the data holds only the target');
  const binnings = new Map<string, FeatureBinning>();
  const candidates = data.columns.map((column) => {
    const binning = binColumn(column, target, binningOptions);
    binnings.set(column.name, binning);
    return { name: column.name, iv: binning.iv, woe: woeColumn(binning, column) };
  });
  const selection = selectFeatures(candidates, target, options.selection, options.logistic, seed);
  const fit = selection.fit;
  const chosen = selection.selected.map((name) => binnings.get(name)!);
  const refineOptions = { ...DEFAULT_REFINE_OPTIONS, ...options.refine };
  const refined = refineCard(
    chosen.map((binning) => {
      const ordered: number[] = [];
      binning.bins.forEach((b, k) => {
        if (b.kind === 'range' || b.kind === 'categories') ordered.push(k);
      });
      return {
        bins: assignBins(binning, data.columns.find((c) => c.name === binning.feature)!),
        woe: binning.bins.map((b) => b.woe),
        ordered,
        direction:
          binning.trend === 'ascending' ? 1 : binning.trend === 'descending' ? -1 : (0 as 1 | -1 | 0),
      };
    }),
    target,
    { intercept: fit.intercept, coefficients: fit.coefficients },
    refineOptions,
    seed,
  );
  const final = refined.fit;
  const intercept = final ? final.intercept : fit.intercept;
  const coefficients = final ? final.coefficients : fit.coefficients;
  const standardErrors = final ? final.standardErrors : fit.standardErrors;
  const logOdds = chosen.map((binning, j) =>
    binning.bins.map((bin, b) => coefficients[j]! * bin.woe + (final ? final.adjustments[j]![b]! : 0)),
  );
  const { base, points } = integerPoints(scaling, intercept, logOdds);
  const features = chosen.map(
    (binning, j): ScorecardFeature => ({
      name: binning.feature,
      binning,
      coefficient: coefficients[j]!,
      standardError: standardErrors[j + 1]!,
      pValue: final ? normalTwoSidedP(coefficients[j]! / standardErrors[j + 1]!) : fit.pValues[j + 1]!,
      points: points[j]!,
      ...(final ? { adjustments: final.adjustments[j]! } : {}),
    }),
  );
  const min = base + points.reduce((a, p) => a + Math.min(...p), 0);
  const max = base + points.reduce((a, p) => a + Math.max(...p), 0);
  return {
    intercept,
    interceptStandardError: standardErrors[0]!,
    basePoints: base,
    features,
    selection: selection.decisions,
    candidateIv: [...binnings.values()]
      .map((b) => ({ feature: b.feature, iv: b.iv, bins: b.bins.length, notes: b.notes }))
      .sort((a, b) => b.iv - a.iv),
    fit: {
      deviance: fit.deviance,
      nullDeviance: fit.nullDeviance,
      aic: fit.aic,
      bic: fit.bic,
      iterations: fit.iterations,
      converged: fit.converged,
      gradientMax: fit.gradientMax,
      warnings: fit.warnings,
    },
    scoreRange: { min, max },
    refinement: refined.record,
  };
}

export interface ScoredRows {
  /** Integer points. */
  readonly score: Float64Array;
  readonly probabilityBad: Float64Array;
  readonly reasons: ReasonCode[][];
}

function columnFor(data: Dataset, name: string): Column {
  const column = findColumn(data, name);
  if (!column) {
    throw new ScoringError(
      'MISSING_FEATURE_COLUMN',
      `the model needs column "${name}", which the data does not have`,
    );
  }
  return column;
}

/**
 * Scores every row: total points, probability of bad (from the exact logistic model, not the rounded points) and
 * the top `reasonCount` reason codes — the features where the row lost most points against that feature's best bin.
 */
export function scoreScorecard(card: ScorecardBody, data: Dataset, reasonCount: number): ScoredRows {
  const n = data.rowCount;
  const score = new Float64Array(n).fill(card.basePoints);
  const eta = new Float64Array(n).fill(card.intercept);
  const columns = card.features.map((f) => columnFor(data, f.name));
  const assigned = card.features.map((f, j) => assignBins(f.binning, columns[j]!));
  card.features.forEach((f, j) => {
    const bins = assigned[j]!;
    const logOdds = f.binning.bins.map((b, k) => f.coefficient * b.woe + (f.adjustments?.[k] ?? 0));
    for (let i = 0; i < n; i++) {
      const b = bins[i]!;
      score[i]! += f.points[b]!;
      eta[i]! += logOdds[b]!;
    }
  });
  const probabilityBad = new Float64Array(n);
  for (let i = 0; i < n; i++) probabilityBad[i] = 1 / (1 + Math.exp(-eta[i]!));
  const best = card.features.map((f) => f.points.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY));
  const reasons: ReasonCode[][] = [];
  const lost: { j: number; loss: number }[] = [];
  for (let i = 0; i < n; i++) {
    if (reasonCount === 0) {
      reasons.push([]);
      continue;
    }
    lost.length = 0;
    for (let j = 0; j < card.features.length; j++) {
      const loss = best[j]! - card.features[j]!.points[assigned[j]![i]!]!;
      if (loss > 0) lost.push({ j, loss });
    }
    lost.sort((a, b) => b.loss - a.loss || a.j - b.j);
    reasons.push(
      lost.slice(0, reasonCount).map(({ j, loss }) => {
        const f = card.features[j]!;
        return {
          feature: f.name,
          value: describeValue(f.binning, columns[j]!, i, assigned[j]![i]!),
          contribution: loss,
        };
      }),
    );
  }
  return { score, probabilityBad, reasons };
}
