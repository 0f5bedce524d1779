import type { CollectionsInputError } from '../../collections/index.js';
import { fill, literal, type Message, say, withEnglish } from '../http/messages.js';
import { fieldProblem, type ProblemCode, ProblemError } from '../http/problem.js';
import { CLOSE_REASONS_ZH, COLLECTIONS_MESSAGES } from './messages.js';

/**
 * Chinese for the refusals of the collections core (legal, blacklist, promises), keyed by their stable
 * codes: `code#variant` where one code and field have several sentences, `code.field` where one code
 * covers several fields, else `code`. Templates quote the core's values (`{businessDay}`, `{status}`…), so
 * a Chinese answer carries the same figures as the English one, in Chinese words.
 */
export const COLLECTIONS_REFUSALS_ZH: Readonly<Record<string, string>> = {
  legal_path_invalid: '法律途径无效：须为支付令、诉讼、仲裁或公证债权文书（{allowed}），收到的是 {got}',
  'legal_claim_invalid#above_owed':
    '请求金额 {claimed} 超过借款人在本案中的全部欠款 {owed}；最多请求 {owed}（法律行动的费用另行登记）',
  legal_claim_invalid: '请求金额须大于 0.00',
  legal_reason_missing: '提议须写明理由',
  'legal_step_not_allowed#step': '处于「{status}」状态的{path}只能转为 {allowed}，不能转为 {to}',
  'legal_step_not_allowed#final': '处于「{status}」状态的{path}已是终结状态，不能再转为 {to}',
  legal_step_not_allowed: '法律行动当前状态不允许此步骤',
  legal_self_approval: '法律行动须由提议人以外的人审批',
  'legal_date_invalid#after_today': '步骤日期不能晚于营业日',
  'legal_date_invalid#before_latest': '步骤日期不能早于该行动最近一步的日期 {earliest}',
  legal_date_invalid: '步骤日期须在该行动最近一步与营业日之间',
  'legal_cost_invalid#kind': '费用类型须为 {allowed} 之一，收到的是 {got}',
  'legal_cost_invalid#amount': '费用金额须大于 0.00',
  'legal_cost_invalid#closed': '该行动已「{status}」，不能再为其登记费用',
  'legal_cost_invalid#after_today': '费用日期不能晚于营业日',
  'legal_cost_invalid#before_latest': '费用日期不能早于提议日 {earliest}',
  legal_cost_invalid: '费用须大于 0.00、类型有效，且日期在提议日与营业日之间',
  'demand_invalid#channel': '催告方式须为 {allowed} 之一，收到的是 {got}',
  'demand_invalid#evidence': '催告须记录证据（送达回执、录音编号）',
  'demand_invalid#date': '催告日期须在立案日 {openedDay} 与营业日之间',
  demand_invalid: '催告须写明证据、方式有效，且日期在立案日与营业日之间',
  'blacklist_proposal_invalid#source': '来源须为 {allowed} 之一',
  'blacklist_proposal_invalid#blank': '黑名单提议须写明 {field}：每个条目都需要理由和证据',
  blacklist_proposal_invalid: '黑名单提议须写明来源、理由和证据',
  'blacklist_step_not_allowed#objection_status': '只能在提议等待决定时登记异议；该提议现为「{status}」',
  'blacklist_step_not_allowed#objection_late': '异议期已于 {objectionUntil} 结束；列入后的异议按移出申请处理',
  'blacklist_step_not_allowed#decided': '该提议现为「{status}」，已经决定过',
  'blacklist_step_not_allowed#withdraw_status': '只能撤回尚未决定的提议；该提议现为「{status}」',
  'blacklist_step_not_allowed#remove_status': '只能移出已列入的条目；该提议现为「{status}」',
  'blacklist_step_not_allowed#removal_reason': '移出理由须为 {allowed} 之一',
  'blacklist_step_not_allowed#still_owes': '借款人仍有逾期欠款：因还清而移出须等到还清之后',
  blacklist_step_not_allowed: '黑名单提议当前状态不允许此操作',
  blacklist_self_decision: '黑名单提议须由提议人以外的人决定',
  blacklist_objection_window_open: '借款人可在 {objectionUntil} 前提出异议，须从次日起再决定',
  'promise_invalid#above_owed':
    '承诺还款金额 {amount} 超过 {promisedDate} 还清全部借款所需的 {owed}；最多承诺 {owed}',
  'promise_invalid#pending':
    '已有一笔 {pendingAmount}、约定 {pendingDate} 的承诺还款尚未判定：还款到位即为履约，{decidedBy} 日终仍未还款即为违约；判定后再登记新的承诺',
  'promise_invalid.amount': '承诺还款金额须大于 0',
  'promise_invalid#past': '承诺还款日期 {promisedDate} 已过；营业日为 {businessDay}',
  'promise_invalid#too_far': '承诺还款最多约定在 {maxDays} 天内（{lastDay} 之前）；更长的请约定分期计划',
  'promise_invalid.promisedDate': '承诺还款日期须不早于营业日，且不超过允许的最长天数；更长的请约定分期计划',
};

/** Statuses and paths quoted in a Chinese refusal, in the words the dashboard uses. */
const VALUES_ZH: Readonly<Record<string, string>> = {
  'payment-order': '支付令',
  lawsuit: '诉讼',
  arbitration: '仲裁',
  'notarised-instrument': '公证债权文书',
  proposed: '待审批',
  approved: '已批准',
  rejected: '已驳回',
  filed: '已立案',
  objected: '已异议',
  decided: '已决定',
  enforcing: '强制执行中',
  closed: '已结案',
  withdrawn: '已撤回',
  noticed: '已告知',
  listed: '已列入',
  removed: '已移出',
  reason: '理由',
  evidence: '证据',
};

const TRANSLATED_PARAMS: ReadonlySet<string> = new Set(['status', 'path', 'field']);

function chineseParams(params: Readonly<Record<string, string | number>>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    out[name] =
      TRANSLATED_PARAMS.has(name) && typeof value === 'string' ? (VALUES_ZH[value] ?? value) : value;
  }
  return out;
}

export function collectionsRefusal(error: CollectionsInputError): Message {
  const zh =
    (error.variant === '' ? undefined : COLLECTIONS_REFUSALS_ZH[`${error.code}#${error.variant}`]) ??
    COLLECTIONS_REFUSALS_ZH[`${error.code}.${error.field}`] ??
    COLLECTIONS_REFUSALS_ZH[error.code];
  if (zh === undefined)
    return withEnglish(`collections.${error.code}`, error.message, literal(error.message));
  // The Chinese template names its values; both languages are filled from the same figures.
  return {
    key: `collections.${error.code}`,
    texts: { en: literal(error.message), zh: literal(fill(zh, chineseParams(error.params))) },
    params: {},
  };
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

/** The refusal of a write to a closed case: when it closed and why, in both languages. */
export function caseClosed(
  kase: { readonly caseId: string; readonly closedDay: unknown; readonly closeReason: string | null },
  message: 'case_closed' | 'case_closed_on' = 'case_closed',
): ProblemError {
  const reason = String(kase.closeReason);
  return new ProblemError(
    'case_closed',
    say(COLLECTIONS_MESSAGES, message, {
      caseId: kase.caseId,
      closedDay: String(kase.closedDay),
      en_reason: reason,
      zh_reason: CLOSE_REASONS_ZH[reason] ?? reason,
    }),
  );
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

/**
 * A collector works a case's borrower only while the case is assigned to them: its notes and documents,
 * its contact attempts and promises to pay. Other roles with the route's permission (an admin, an agency on
 * its placed cases) work any case in their scope. Refused with `forbidden` and `message`, nothing written.
 */
export function refuseCollectorOffCase(
  principal: { userId: string; role: string },
  kase: { assignee: string | null },
  message: Message,
): void {
  if (principal.role === 'collector' && kase.assignee !== principal.userId) {
    throw new ProblemError('forbidden', message);
  }
}
