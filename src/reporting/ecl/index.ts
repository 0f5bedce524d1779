/** reporting/ecl/: IFRS 9 expected credit loss — staging, PD chains, LGD, EAD, scenarios, roll-forward (pure). */
export {
  basePd,
  buildEclModel,
  DEFAULT_ECL_SETTINGS,
  type EclExposure,
  type EclModel,
  type EclModelInput,
  type EclRow,
  type EclScenarioFigures,
  type EclSettings,
  eclUnderWeights,
  exposureAtDefault,
  horizonOf,
  measureEcl,
  measureExposure,
  measureStagedExposure,
  shiftedWeights,
} from './ecl.js';
export {
  buildEclReport,
  type EclReportInput,
  ratioText,
  rollForwardTable,
  WEIGHT_SHIFT_MICRO,
} from './ecl-report.js';
export {
  type EclLenderSettings,
  parseEclLenderSettings,
  withLenderSettings,
  withLenderWeights,
} from './lender-settings.js';
export {
  DEFAULT_LGD_SETTINGS,
  estimateLgd,
  type LgdEstimate,
  type LgdSettings,
  type Workout,
} from './lgd.js';
export {
  clampMicro,
  formatMicro,
  MICRO_ONE,
  type Micro,
  mulMicro,
  parseMicro,
  probabilityMicro,
  ReportInputError,
} from './micro.js';
export {
  type ProvisionPosition,
  provisionPosting,
  provisionRollForward,
  ROLL_FORWARD_MOVEMENTS,
  type RollForward,
  type RollForwardDetail,
  type RollForwardLine,
  type RollForwardMovement,
} from './roll-forward.js';
export {
  type BorrowerProfile,
  DEFAULT_SENSITIVITIES,
  parseScenario,
  parseSensitivities,
  type Scenario,
  ScenarioFileError,
  type ScenarioIssue,
  type Sensitivities,
  SHOCK_KINDS,
  type Shock,
  scenarioPdMultiplier,
  weightedScenarioSet,
} from './scenarios.js';
export { DEFAULT_ECL_STAGING, type EclStagingInput, type EclStagingSettings, eclStage } from './staging.js';
export {
  cumulativePd,
  DEFAULT_TRANSITION_SETTINGS,
  discountedPd,
  estimateTransitions,
  estimateTransitionsOfCounts,
  LIVE_STATES,
  type LiveState,
  MARKOV_STATES,
  type MarkovState,
  type MonthEndPath,
  markovStateOfBucket,
  POOLED_SEGMENT,
  stateDistribution,
  type TransitionMatrix,
  type TransitionSettings,
} from './transitions.js';
