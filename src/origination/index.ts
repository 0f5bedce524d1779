/**
 * Origination (授信): intake validation, policy as data (GoRules JDM graphs), invitation whitelist and 强开
 * detectors, blacklist check, scores with a challenger, decisions with reasons and re-assessment. Pure: the
 * business time, history facts, invitations, blacklist, policy and models come in as arguments.
 */
export {
  APPLICATION_AMOUNT_MAX_FEN,
  idNumberCheckCharacter,
  instantMs,
  PERSONAL_DATA_FIELDS,
  validateApplication,
} from './application.js';
export {
  type BacktestCase,
  type BacktestOptions,
  type BacktestReport,
  type BacktestSegment,
  type BacktestSide,
  backtest,
} from './backtest.js';
export { checkBlacklist, entryInForce } from './blacklist.js';
export { EMPTY_BOOK, type OwnBook, ownBookOf } from './book.js';
export { CASE_COLUMNS, type CaseRecord, casesFromRecords } from './cases.js';
export { challengerDecides, decide, decisionContent } from './decide.js';
export { ageInYears, deriveMeasures, plannedInstalment, verifiedMonthlyIncome } from './derived.js';
export {
  isOriginationError,
  ORIGINATION_ERROR_CODES,
  OriginationError,
  type OriginationErrorCode,
} from './errors.js';
export { policyFacts, SEGMENT_OF, type Segment } from './facts.js';
export { detectFraud, EVIDENCE_IDS_MAX } from './fraud.js';
export { checkInvitation, type InvitationCheck } from './invitation.js';
export { identityKey, pastApplicationOf, retryFactsOf } from './keys.js';
export {
  ADVERSE_RECORD_DPD,
  applicationFeatures,
  loadModel,
  MODEL_MONEY_UNIT_FEN,
  scoreApplication,
} from './models.js';
export {
  APR_CAP_CEILING,
  type CompiledPolicy,
  compilePolicy,
  evaluateGraph,
  evaluateGraphs,
  factPathsRead,
  type GraphEvaluation,
  LIMIT_REVIEW_GRAPH,
  LINE_CONTROLS_GRAPH,
  POLICY_FORMAT,
  POLICY_FORMAT_VERSION,
  POLICY_STAGES,
  parsePolicy,
  policyRef,
  TERM_MAX_MONTHS,
  withEvaluationMemo,
} from './policy.js';
export { type PriceQuote, quote } from './pricing.js';
export { applyChanges, reassess } from './reassess.js';
export { canonicalJson, sealRecord, sha256Hex, verifyRecord } from './record.js';
export {
  invitationNotInForce,
  type LimitCap,
  REVIEW_REASON_CODES,
  type ReviewContext,
  ReviewError,
  type ReviewErrorCode,
  type ReviewInput,
  type ReviewReasonCode,
  reviewCaps,
  reviewDecision,
} from './review.js';
export {
  compileRuleTables,
  evaluateRuleTables,
  type RuleCells,
  type RuleTableIssue,
  type RuleTableSpec,
  unquoteCell,
} from './rule-tables.js';
export {
  type ApplicantAddress,
  type ApplicantContact,
  type Application,
  ASSET_KINDS,
  type Asset,
  type AssetKind,
  BLACKLIST_SUBJECTS,
  type BlacklistEntry,
  type BlacklistHit,
  type BlacklistSource,
  type BlacklistSubject,
  type BureauSummary,
  type BusinessFacts,
  type BusinessPlan,
  type ChallengerMode,
  type ChallengerRecord,
  type ChallengerSettings,
  CONTACT_RELATIONS,
  type CompiledPolicyHandle,
  type ContactRelation,
  DEBT_KINDS,
  type Debt,
  type DebtKind,
  type Decision,
  type DecisionContext,
  type DecisionOutcome,
  type DecisionReason,
  type DerivedMeasures,
  type DeviceFacts,
  type Employment,
  type FieldIssue,
  type FinancialChanges,
  type FinancialStatements,
  type FiredRule,
  type FraudSettings,
  type HistoryFacts,
  HOUSINGS,
  type Housing,
  type Identity,
  INCOME_EVIDENCE_KINDS,
  type Income,
  type IncomeEvidence,
  type IncomeEvidenceKind,
  type Invitation,
  type JdmGraph,
  type JsonValue,
  type KeyOf,
  type LoadedModel,
  MARITAL_STATUSES,
  type MaritalStatus,
  type ModelRef,
  type ModelSet,
  OCCUPATIONS,
  type Occupation,
  ORIGINATION_ISSUE_KEYS,
  type OriginationIssueKey,
  type PastApplication,
  type PersonalDataField,
  type PersonalDataKind,
  POLICY_GRAPH_NAMES,
  type PolicyDocument,
  type PolicyGraphName,
  type PolicyRef,
  type PolicySettings,
  type PolicyVersion,
  type PolicyVersionStatus,
  REVIEW_FLAG_KINDS,
  type ReasonSource,
  type Reassessment,
  type ReassessmentAction,
  type ReassessmentContext,
  type ReassessmentInput,
  type RetryFacts,
  type ReviewFlag,
  type ReviewFlagKind,
  type ReviewFlagSeverity,
  type ReviewRecord,
  type ScoreReason,
  type ScoreResult,
  type TermOption,
} from './types.js';
