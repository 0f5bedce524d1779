/**
 * Origination (授信): intake validation, policy as data (GoRules JDM graphs), invitation whitelist and 强开
 * detectors, blacklist check, scores with a challenger, decisions with reasons and re-assessment. Pure: the
 * business time, history facts, invitations, blacklist, policy and models come in as arguments.
 */
export {
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
export { checkBlacklist } from './blacklist.js';
export { challengerDecides, decide } from './decide.js';
export { deriveMeasures } from './derived.js';
export {
  isOriginationError,
  ORIGINATION_ERROR_CODES,
  OriginationError,
  type OriginationErrorCode,
} from './errors.js';
export { detectFraud } from './fraud.js';
export { checkInvitation, type InvitationCheck } from './invitation.js';
export { applicationFeatures, loadModel, scoreApplication } from './models.js';
export { type CompiledPolicy, compilePolicy, parsePolicy, policyRef } from './policy.js';
export { reassess } from './reassess.js';
export { canonicalJson, sealRecord, verifyRecord } from './record.js';
export * from './types.js';
