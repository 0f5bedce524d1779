/**
 * collections/ (催收): collection stages by delinquency bucket, the conduct limits on contacting a borrower
 * (quiet hours, attempts per day, third parties) and the limitation period (诉讼时效) of a debt (pure core).
 */
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
  DEFAULT_LIMITATION_SETTINGS,
  type LimitationInput,
  type LimitationPeriod,
  type LimitationSettings,
  limitationPeriod,
} from './limitation.js';
