/**
 * collections/ (催收): collection stages by delinquency bucket, the conduct limits on contacting a borrower
 * (quiet hours, attempts per day, third parties), the limitation period (诉讼时效) of a debt, strategies as
 * GoRules graphs with champion/challenger, the ability/willingness assessment and work allocation (pure core).
 */

export {
  type AllocatableCase,
  type AllocationPlan,
  type AllocationReason,
  type Assignment,
  allocateCases,
  CURE_SCORE_SCALING,
  cureProbability_bp,
  DEFAULT_CURE_BP_BY_BUCKET,
  priorityMinor,
  type Team,
  type WorklistEntry,
  worklistOrder,
} from './allocation.js';
export {
  ASSESSMENT_VERDICTS,
  type Assessment,
  type AssessmentEvidence,
  type AssessmentReason,
  type AssessmentSettings,
  type AssessmentVerdict,
  assessCase,
  DEFAULT_ASSESSMENT_SETTINGS,
  HARDSHIP_CAUSES,
  type HardshipCause,
  VULNERABLE_CAUSES,
} from './assessment.js';
export {
  type CaseCloseReason,
  type CaseFigures,
  type CaseLoan,
  type CasePlan,
  type CaseSettings,
  caseFigures,
  checkCaseSettings,
  DEFAULT_CASE_SETTINGS,
  type OpenCase,
  planCases,
} from './cases.js';
export {
  type CollectionChannel,
  type CollectionConductLimits,
  type CollectionStage,
  type CollectionStageId,
  type ContactAttempt,
  type ContactRefusal,
  checkCollectionStages,
  collectionStageForBucket,
  contactRefusal,
  DEFAULT_COLLECTION_CONDUCT_LIMITS,
  DEFAULT_COLLECTION_STAGES,
  isQuietHour,
  LEGAL_PATH_FACTS,
  LEGAL_PATHS,
  type LegalPath,
  type LegalPathFacts,
} from './collection-stages.js';
export {
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  CONTACT_PARTIES,
  type ContactCaseFacts,
  type ContactChannel,
  type ContactDecision,
  type ContactOutcome,
  type ContactParty,
  type ContactRequest,
  type ContactRule,
  type ContactRules,
  checkContactRules,
  DEFAULT_CONTACT_RULES,
  decideContact,
  type LoggedContact,
  OUTCOMES_BY_CHANNEL,
} from './contact-rules.js';
export { DEFAULT_COLLECTION_STRATEGY } from './default-strategy.js';
export { CollectionsInputError } from './errors.js';
export {
  DEFAULT_LIMITATION_SETTINGS,
  type LimitationInput,
  type LimitationPeriod,
  type LimitationSettings,
  limitationPeriod,
} from './limitation.js';
export {
  type LoanOffer,
  type NegotiationOffer,
  negotiationOffer,
  OFFER_MONTHS,
} from './negotiation.js';
export {
  checkNewPromise,
  DEFAULT_PROMISE_SETTINGS,
  decidePromises,
  type PromiseDecision,
  type PromiseSettings,
  type PromiseStatus,
  type PromiseToPay,
  paidToDateMinor,
} from './promises.js';
export {
  type ArmCaseResult,
  type ArmResults,
  type CompiledStrategy,
  compareArms,
  compileStrategy,
  evaluateStrategy,
  fnv1a32,
  nextActionDue,
  ratio4,
  STRATEGY_ACTIONS,
  STRATEGY_DUE_IN_DAYS_MAX,
  STRATEGY_REMINDER_CHANNELS,
  STRATEGY_SHARE_BP_MAX,
  type StrategyAction,
  type StrategyArm,
  StrategyError,
  type StrategyFacts,
  type StrategyReminderChannel,
  type StrategyStep,
  strategyArmOf,
  strategyFacts,
} from './strategy.js';
export { instantAt, isKnownZone, isoInZone, type LocalTime, localTime } from './zone-time.js';
