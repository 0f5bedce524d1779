import type { CollectionsInputError } from '../../collections/index.js';
import { literal, type Message, say, withEnglish } from '../http/messages.js';
import { fieldProblem, type ProblemCode, ProblemError } from '../http/problem.js';
import { COLLECTIONS_MESSAGES } from './messages.js';

/**
 * Chinese for the refusals of the collections core (legal, blacklist, promises), keyed by their
 * stable codes, or by `code.field` where one code covers several fields. The core writes its English sentence
 * with the values at fault (dates, statuses); the Chinese says what is wrong and keeps that sentence after it
 * for the values.
 */
export const COLLECTIONS_REFUSALS_ZH: Readonly<Record<string, string>> = {
  legal_path_invalid: '法律途径无效：须为支付令、诉讼、仲裁或公证债权文书',
  legal_claim_invalid: '请求金额须大于 0.00',
  legal_reason_missing: '提议须写明理由',
  legal_step_not_allowed: '法律行动当前状态不允许此步骤',
  legal_self_approval: '法律行动须由提议人以外的人审批',
  legal_date_invalid: '步骤日期须在该行动最近一步与营业日之间',
  legal_cost_invalid: '费用须大于 0.00、类型有效，且日期在提议日与营业日之间',
  demand_invalid: '催告须写明证据、方式有效，且日期在立案日与营业日之间',
  blacklist_proposal_invalid: '黑名单提议须写明来源、理由和证据',
  blacklist_step_not_allowed: '黑名单提议当前状态不允许此操作',
  blacklist_self_decision: '黑名单提议须由提议人以外的人决定',
  blacklist_objection_window_open: '借款人异议期尚未届满，须在异议期结束后决定',
  'promise_invalid.amount': '承诺还款金额须大于 0',
  'promise_invalid.promisedDate': '承诺还款日期须不早于营业日，且不超过允许的最长天数；更长的请约定分期计划',
};

export function collectionsRefusal(error: CollectionsInputError): Message {
  const zh = COLLECTIONS_REFUSALS_ZH[`${error.code}.${error.field}`] ?? COLLECTIONS_REFUSALS_ZH[error.code];
  const chinese = zh === undefined ? literal(error.message) : `${zh}（${literal(error.message)}）`;
  return withEnglish(`collections.${error.code}`, error.message, chinese);
}

/** A core refusal as problem+json under `code`, the field at fault named under `fieldBase`. */
export function refusalProblem(
  code: ProblemCode,
  error: CollectionsInputError,
  fieldBase = '/body',
): ProblemError {
  const text = collectionsRefusal(error);
  return new ProblemError(code, text, [fieldProblem(`${fieldBase}/${error.field}`, text)]);
}

/** The problem for a case id that names no collection case. */
export function caseNotFound(caseId: string): ProblemError {
  return new ProblemError('case_not_found', say(COLLECTIONS_MESSAGES, 'case_not_found', { caseId }));
}

/**
 * An agency's user sees a case only while it is placed with their agency: any other case is not found to
 * them (its existence is not disclosed). Staff roles pass.
 */
export function inAgencyScope<T extends { caseId: string; agencyId: string | null }>(
  principal: { role: string; agencyId?: string | null },
  kase: T,
): T {
  if (principal.role !== 'agency') return kase;
  if (kase.agencyId === null || kase.agencyId !== (principal.agencyId ?? null))
    throw caseNotFound(kase.caseId);
  return kase;
}
