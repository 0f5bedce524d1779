/**
 * collections/ (催收): collection stages by delinquency bucket, the conduct limits on contacting a borrower
 * (quiet hours, attempts per day, third parties) and the limitation period (诉讼时效) of a debt (pure core).
 */

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
export { CollectionsInputError } from './errors.js';
export {
  DEFAULT_LIMITATION_SETTINGS,
  type LimitationInput,
  type LimitationPeriod,
  type LimitationSettings,
  limitationPeriod,
} from './limitation.js';
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
export { instantAt, isKnownZone, isoInZone, type LocalTime, localTime } from './zone-time.js';
