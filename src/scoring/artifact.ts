import { type CrossValidatedAuc, crossValidate } from './cv.js';
import type { Dataset, ReasonCode, Target } from './dataset.js';
import { ScoringError } from './errors.js';
import { type GbmModelBody, type GbmOptions, scoreChallenger, trainChallenger } from './gbm/index.js';
import { type GbmSetting, type GbmTuning, tuneChallenger } from './gbm/tune.js';
import { auc, brier, gini, ks } from './metrics.js';
import {
  checkScaling,
  DEFAULT_SCALING,
  roundHalfUp,
  type Scaling,
  type ScorecardBody,
  type ScorecardOptions,
  scoreFromProbability,
  scoreScorecard,
  trainScorecard,
} from './scorecard.js';
import { selectRows } from './table.js';
import { type ScorecardTuning, tuneScorecard } from './tuning.js';

/** Name of the model document format; a file without it is not a Lendguard scoring model. */
export const MODEL_FORMAT = 'lendguard.scoring-model';
/**
 * Newest version of the envelope; the loader refuses versions it does not know. Version 2 adds per-bin log-odds
 * adjustments to scorecard features (bin refinement, decision 0530); a document without them is written as
 * version 1, so that a card or boosted model without them reads the same in older releases (decision 0530).
 */
export const MODEL_FORMAT_VERSION = 2;
/** Versions the loader reads. */
export const MODEL_FORMAT_VERSIONS: readonly number[] = [1, 2];
/** Reason codes given per scored row unless asked otherwise. */
export const DEFAULT_REASON_COUNT = 4;
/** Seed of every random choice in training unless one is given (the command line's `--seed` default). */
export const DEFAULT_TRAINING_SEED = 42;

export type ModelKind = 'scorecard' | 'gbm';

export interface ColumnSummary {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  readonly missingShare: number;
  readonly min?: number;
  readonly max?: number;
  readonly mean?: number;
  readonly levels?: number;
}

export interface ModelMetrics {
  readonly rows: number;
  readonly bads: number;
  readonly auc: number;
  readonly ks: number;
  readonly gini: number;
  readonly brier: number;
}

/** The versioned model document: everything needed to score, explain and audit a model. */
export interface ModelArtifact {
  readonly format: typeof MODEL_FORMAT;
  readonly formatVersion: 1 | typeof MODEL_FORMAT_VERSION;
  readonly kind: ModelKind;
  readonly target: { readonly column: string; readonly badValue: string };
  /** Input columns the scorer reads, with the kind they must be read as. */
  readonly features: { readonly name: string; readonly kind: 'numeric' | 'categorical' }[];
  readonly scaling: Scaling;
  readonly seed: number;
  readonly options: { readonly scorecard?: Partial<ScorecardOptions>; readonly gbm?: Partial<GbmOptions> };
  readonly training: {
    readonly rows: number;
    readonly bads: number;
    readonly badRate: number;
    readonly excluded: string[];
    readonly columns: ColumnSummary[];
  };
  /** Measured on the training rows (in-sample): use `score evaluate` on held-out data for an honest figure. */
  readonly trainingMetrics: ModelMetrics;
  readonly scorecard?: ScorecardBody;
  readonly gbm?: GbmModelBody;
  /** Present when training chose its settings by cross-validation: the search and its reasons. */
  readonly tuning?: { readonly scorecard?: ScorecardTuning; readonly gbm?: GbmTuning };
  /** Present when `score train --cv K` measured the recipe by stratified k-fold cross-validation. */
  readonly crossValidation?: CrossValidatedAuc;
}

export interface TrainRequest {
  readonly kind: ModelKind;
  readonly target: { readonly column: string; readonly badValue: string };
  readonly excluded: readonly string[];
  readonly seed: number;
  readonly scaling?: Scaling;
  readonly scorecard?: Partial<ScorecardOptions>;
  readonly gbm?: Partial<GbmOptions>;
  /**
   * Choose settings by stratified k-fold cross-validation (this many folds, seeded by `seed`): for a scorecard the
   * trend rule, bins, minimum bin share, IV and correlation thresholds and L2 penalty; for a boosted model the
   * round count by k-fold early stopping and, on small data, depth, learning rate and minimum child weight.
   */
  readonly tuneFolds?: number;
}

export interface ScoredModelRows {
  /** Integer score: scorecard points, or the boosted model's probability mapped through the same scaling. */
  readonly score: Float64Array;
  readonly probabilityBad: Float64Array;
  readonly reasons: ReasonCode[][];
}

function summarise(data: Dataset): ColumnSummary[] {
  return data.columns.map((c): ColumnSummary => {
    const n = data.rowCount;
    if (c.kind === 'categorical') {
      let missing = 0;
      for (let i = 0; i < n; i++) if (c.codes[i]! < 0) missing++;
      return { name: c.name, kind: c.kind, missingShare: n ? missing / n : 0, levels: c.levels.length };
    }
    let missing = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = c.values[i]!;
      if (Number.isNaN(v)) {
        missing++;
        continue;
      }
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    const seen = n - missing;
    return seen
      ? { name: c.name, kind: c.kind, missingShare: missing / n, min, max, mean: sum / seen }
      : { name: c.name, kind: c.kind, missingShare: n ? 1 : 0 };
  });
}

export function measure(scored: Pick<ScoredModelRows, 'probabilityBad'>, target: Target): ModelMetrics {
  let bads = 0;
  for (let i = 0; i < target.length; i++) bads += target[i]!;
  const a = auc(scored.probabilityBad, target);
  return {
    rows: target.length,
    bads,
    auc: a,
    ks: ks(scored.probabilityBad, target),
    gini: gini(a),
    brier: brier(scored.probabilityBad, target),
  };
}

/** Trains a model on `data` (feature columns only: the target and excluded columns already removed). */
export function trainModel(data: Dataset, target: Target, request: TrainRequest): ModelArtifact {
  if (data.rowCount === 0) throw new ScoringError('EMPTY_DATA', 'no rows to train on');
  if (data.columns.length === 0)
    throw new ScoringError(
      'NO_FEATURES',
      'no feature columns left after removing the target and excluded columns',
    );
  const scaling = checkScaling(request.scaling ?? DEFAULT_SCALING);
  let bads = 0;
  for (let i = 0; i < target.length; i++) bads += target[i]!;
  const base: Omit<ModelArtifact, 'kind' | 'features' | 'options' | 'trainingMetrics'> = {
    format: MODEL_FORMAT,
    formatVersion: 1,
    target: { column: request.target.column, badValue: request.target.badValue },
    scaling,
    seed: request.seed,
    training: {
      rows: data.rowCount,
      bads,
      badRate: bads / data.rowCount,
      excluded: [...request.excluded],
      columns: summarise(data),
    },
  };
  let artifact: ModelArtifact;
  let tuning: ModelArtifact['tuning'];
  if (request.kind === 'scorecard') {
    let chosen = request.scorecard ?? {};
    if (request.tuneFolds !== undefined) {
      const tuned = tuneScorecard(data, target, chosen, request.tuneFolds, request.seed);
      chosen = tuned.options;
      tuning = { scorecard: tuned.tuning };
    }
    const options = { ...chosen, scaling };
    const card = trainScorecard(data, target, options, request.seed);
    const kinds = new Map(data.columns.map((c) => [c.name, c.kind] as const));
    artifact = {
      ...base,
      // Only a card with per-bin adjustments needs a reader that knows them.
      formatVersion: card.features.some((f) => f.adjustments) ? MODEL_FORMAT_VERSION : 1,
      kind: 'scorecard',
      features: card.features.map((f) => ({ name: f.name, kind: kinds.get(f.name)! })),
      options: { scorecard: chosen },
      trainingMetrics: {
        rows: 0,
        bads: 0,
        auc: Number.NaN,
        ks: Number.NaN,
        gini: Number.NaN,
        brier: Number.NaN,
      },
      scorecard: card,
    };
  } else {
    let chosen = request.gbm ?? {};
    if (request.tuneFolds !== undefined) {
      const fixed = new Set(
        (['maxDepth', 'learningRate', 'minChildWeight'] as const).filter((k) => chosen[k] !== undefined),
      ) as Set<keyof GbmSetting>;
      const tuned = tuneChallenger(data, target, chosen, fixed, request.tuneFolds, request.seed);
      chosen = tuned.options;
      tuning = { gbm: tuned.tuning };
    }
    const body = trainChallenger(data, target, chosen, request.seed);
    artifact = {
      ...base,
      kind: 'gbm',
      features: body.features.map((f) => ({ name: f.name, kind: f.kind })),
      options: { gbm: chosen },
      trainingMetrics: {
        rows: 0,
        bads: 0,
        auc: Number.NaN,
        ks: Number.NaN,
        gini: Number.NaN,
        brier: Number.NaN,
      },
      gbm: body,
    };
  }
  const trained = { ...artifact, trainingMetrics: measure(scoreModel(artifact, data, 0), target) };
  return tuning ? { ...trained, tuning } : trained;
}

/**
 * Stratified k-fold cross-validated AUC of a training request: in each fold the whole recipe (tuning included,
 * if asked) is trained on the other folds and scores the held-out one. Folds come from `seed`.
 */
export function crossValidateModel(
  data: Dataset,
  target: Target,
  request: TrainRequest,
  folds: number,
  seed: number,
): CrossValidatedAuc {
  return crossValidate(target, folds, seed, (train, test) => {
    const model = trainModel(
      selectRows(data, train),
      Uint8Array.from(train, (r) => target[r]!),
      request,
    );
    return scoreModel(model, selectRows(data, test), 0).probabilityBad;
  });
}

/**
 * Scores a batch (or a single row: a Dataset of one row). Columns are found by name; order and extra columns do
 * not matter. Reason-code contributions are in points lost for both kinds (the boosted model's TreeSHAP log-odds
 * times the scaling factor PDO / ln 2), rounded to 0.01.
 */
export function scoreModel(
  model: ModelArtifact,
  data: Dataset,
  reasonCount = DEFAULT_REASON_COUNT,
): ScoredModelRows {
  if (model.kind === 'scorecard') {
    if (!model.scorecard)
      throw new ScoringError('INVALID_MODEL', 'the scorecard model has no "scorecard" section');
    return scoreScorecard(model.scorecard, data, reasonCount);
  }
  if (!model.gbm) throw new ScoringError('INVALID_MODEL', 'the gbm model has no "gbm" section');
  const factor = model.scaling.pdo / Math.LN2;
  const out = scoreChallenger(model.gbm, data, reasonCount);
  const score = new Float64Array(out.probabilityBad.length);
  for (let i = 0; i < score.length; i++)
    score[i] = roundHalfUp(scoreFromProbability(model.scaling, out.probabilityBad[i]!));
  const reasons = out.reasons.map((row) =>
    row.map((r) => ({
      feature: r.feature,
      value: r.value,
      contribution: Math.round(r.contribution * factor * 100) / 100,
    })),
  );
  return { score, probabilityBad: out.probabilityBad, reasons };
}

/** Serialises a model; NaN metrics (e.g. AUC of a one-class sample) are written as null. */
export function serialiseModel(model: ModelArtifact): string {
  return `${JSON.stringify(model, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 1)}\n`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses and checks a model document; refuses other formats and unknown versions with a precise message. */
export function parseModel(text: string): ModelArtifact {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new ScoringError(
      'UNKNOWN_MODEL_FORMAT',
      `the model file is not JSON (${(error as Error).message}); give a file written by "score train"`,
    );
  }
  if (!isRecord(doc) || doc.format !== MODEL_FORMAT) {
    throw new ScoringError(
      'UNKNOWN_MODEL_FORMAT',
      `the model file's format is ${isRecord(doc) ? JSON.stringify(doc.format) : 'missing'}, not "${MODEL_FORMAT}"; give a file written by "score train"`,
    );
  }
  if (!MODEL_FORMAT_VERSIONS.includes(doc.formatVersion as number)) {
    throw new ScoringError(
      'UNSUPPORTED_MODEL_VERSION',
      `the model file has format version ${JSON.stringify(doc.formatVersion)}, but this version of Lendguard reads versions ${MODEL_FORMAT_VERSIONS.join(' and ')} only; retrain the model or use the matching Lendguard version`,
    );
  }
  if (doc.kind !== 'scorecard' && doc.kind !== 'gbm') {
    throw new ScoringError(
      'INVALID_MODEL',
      `the model's kind is ${JSON.stringify(doc.kind)}; expected "scorecard" or "gbm"`,
    );
  }
  if (!Array.isArray(doc.features) || !isRecord(doc.scaling) || !isRecord(doc.target)) {
    throw new ScoringError(
      'INVALID_MODEL',
      'the model file lacks its features, scaling or target; it is damaged — retrain it',
    );
  }
  if (doc.kind === 'scorecard' && !isRecord(doc.scorecard)) {
    throw new ScoringError(
      'INVALID_MODEL',
      'the scorecard model has no "scorecard" section; it is damaged — retrain it',
    );
  }
  if (doc.kind === 'gbm' && !isRecord(doc.gbm)) {
    throw new ScoringError('INVALID_MODEL', 'the gbm model has no "gbm" section; it is damaged — retrain it');
  }
  return doc as unknown as ModelArtifact;
}

/** Column kinds the data must be read with to score this model (and the target, read as text). */
export function columnKindsFor(
  model: ModelArtifact,
  withTarget: string | undefined,
): Map<string, 'numeric' | 'categorical'> {
  const kinds = new Map<string, 'numeric' | 'categorical'>(model.features.map((f) => [f.name, f.kind]));
  if (withTarget) kinds.set(withTarget, 'categorical');
  return kinds;
}
