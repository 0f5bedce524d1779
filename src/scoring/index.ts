/**
 * Credit scoring: columnar data, optimal WoE binning, feature selection, logistic regression, integer-point
 * scorecards with reason codes, the boosted challenger, validation and monitoring measures, and the versioned
 * model document with its scorer. Pure: no I/O, no clock; every random choice comes from a seed argument.
 */
export {
  type ColumnSummary,
  columnKindsFor,
  crossValidateModel,
  DEFAULT_REASON_COUNT,
  DEFAULT_TRAINING_SEED,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelArtifact,
  type ModelKind,
  type ModelMetrics,
  measure,
  parseModel,
  type ScoredModelRows,
  scoreModel,
  serialiseModel,
  type TrainRequest,
  trainModel,
} from './artifact.js';
export {
  assignBins,
  type Bin,
  type BinningOptions,
  binCategorical,
  binColumn,
  binNumeric,
  DEFAULT_BINNING_OPTIONS,
  type FeatureBinning,
  optimalMerge,
  type ResolvedTrend,
  type Trend,
} from './binning/index.js';
export {
  type CrossValidatedAuc,
  CV_FOLDS_MAX,
  crossValidate,
  DEFAULT_CV_FOLDS,
  foldRows,
  stratifiedFolds,
} from './cv.js';
export type {
  CategoricalColumn,
  Column,
  Dataset,
  NumericColumn,
  ReasonCode,
  Target,
} from './dataset.js';
export { ScoringError, type ScoringErrorCode } from './errors.js';
export {
  GBM_GRID,
  GBM_TUNE_ROWS_MAX,
  GbmError,
  type GbmModelBody,
  type GbmOptions,
  type GbmTuning,
  SeededRandom,
  scoreChallenger,
  stratifiedFoldsOf,
  trainChallenger,
  tuneChallenger,
} from './gbm/index.js';
export {
  DEFAULT_LOGISTIC_OPTIONS,
  fitLogistic,
  type LogisticFit,
  type LogisticOptions,
  predictLogistic,
} from './logistic.js';
export {
  type AucWithError,
  auc,
  aucDeLong,
  type Band,
  brier,
  bucketCounts,
  gini,
  KS_BOOTSTRAP_RESAMPLES,
  type KsWithError,
  ks,
  ksBootstrap,
  NORMAL_95,
  type PsiBand,
  psiBand,
  psiFromCounts,
  quantileCuts,
  rocCurve,
  scoreBands,
} from './metrics.js';
export { seededRandom, stratifiedSplit } from './random.js';
export { type ReportInput, renderReport } from './report-html.js';
export {
  DEFAULT_SCALING,
  type Scaling,
  type ScorecardBody,
  type ScorecardOptions,
  scoreFromProbability,
  scoreScorecard,
  trainScorecard,
} from './scorecard.js';
export {
  type Criterion,
  DEFAULT_SELECTION_OPTIONS,
  type FeatureDecision,
  type SelectionOptions,
  type Stepwise,
  selectFeatures,
} from './selection.js';
export {
  findColumn,
  MISSING_TEXTS,
  selectRows,
  TableBuilder,
  type TableOptions,
  targetFromColumn,
  withoutColumns,
} from './table.js';
export {
  SCORECARD_GRID,
  type ScorecardSetting,
  type ScorecardTuning,
  type TrendRule,
  tuneScorecard,
} from './tuning.js';
export { informationValue, WOE_PSEUDO_COUNT, woe } from './woe.js';
