import type { LimitReviewJobError } from '../../jobs/index.js';
import type { EarlyWarningError } from '../../store/index.js';
import type { Catalogue } from '../http/messages.js';

/** The monitoring routes' messages (decision 0412): signals, early-warning versions, evidence, shocks. */
export const MONITORING_MESSAGES = {
  customer_not_found: { en: 'No customer {customerId}.', zh: '没有客户 {customerId}。' },
  does_not_exist: { en: 'does not exist', zh: '不存在' },
  signal_not_found: {
    en: 'No signal {signalId}. The watchlist is GET /signals.',
    zh: '没有预警信号 {signalId}。预警名单见 GET /signals。',
  },
  early_warning_refused: { en: '{en_fault}', zh: '{zh_fault}' },
  early_warning_issue: { en: '{en_fault}', zh: '预警策略文档此处有误：{zh_fault}' },
  statements_only: {
    en: 'business-statements carry "statements" (and no "income")',
    zh: '经营流水类证据须填写 "statements"（且不填 "income"）',
  },
  income_only: {
    en: 'income-evidence carries "income" (and no "statements")',
    zh: '收入证明类证据须填写 "income"（且不填 "statements"）',
  },
  not_base64: { en: 'is not base64', zh: '不是 base64 编码' },
  file_size: { en: 'must hold 1 to {max} bytes', zh: '大小须为 1 至 {max} 字节' },
  only_open_acknowledged: {
    en: 'Signal {signalId} is {status}; only an open signal can be acknowledged.',
    zh: '预警信号 {signalId} 的状态为 {status}；只有待处理的信号可以确认。',
  },
  only_open_resolved: {
    en: 'Signal {signalId} is {status}; only an open or acknowledged signal can be resolved.',
    zh: '预警信号 {signalId} 的状态为 {status}；只有待处理或已确认的信号可以解除。',
  },
  action_not_pending: {
    en: "Signal {signalId}'s action is {actionStatus}; only a pending or failed action is carried out.",
    zh: '预警信号 {signalId} 的处置状态为 {actionStatus}；只有待执行或执行失败的处置可以执行。',
  },
  not_a_date: { en: 'is not a calendar date (YYYY-MM-DD)', zh: '不是有效日期（YYYY-MM-DD）' },
  before_from_date: { en: 'is before fromDate', zh: '早于 fromDate' },
  before_entry_from_date: {
    en: "is before the entry's fromDate {fromDate}",
    zh: '早于该条目的 fromDate {fromDate}',
  },
  shock_not_found: {
    en: 'No shock-list entry {shockId} in force. List them with GET /industry-shocks.',
    zh: '冲击名单上没有有效条目 {shockId}。用 GET /industry-shocks 列出。',
  },
  ended_or_missing: { en: 'does not exist or has ended', zh: '不存在或已结束' },
  limit_review_refused: { en: '{en_fault}', zh: '{zh_fault}' },
} as const satisfies Catalogue;

/** The early-warning store's refusals in Chinese, by code (the English keeps the store's sentence). */
export const EARLY_WARNING_REFUSALS_ZH: Readonly<Record<EarlyWarningError['code'], string>> = {
  early_warning_invalid: '预警策略文档无效：请按 errors 中各项修改后重新提交',
  early_warning_not_found: '没有这个预警策略版本；用 GET /early-warning/versions 列出',
  early_warning_not_draft: '只有草稿状态的预警策略版本可以审批',
  early_warning_own_draft: '预警策略版本由您编写，须由另一人审批',
};

/** The limit review's refusals in Chinese, by code (the English keeps the job's sentence with its values). */
export const LIMIT_REVIEW_REFUSALS_ZH: Readonly<Record<LimitReviewJobError['code'], string>> = {
  behaviour_month_not_scored: '该月尚无行为评分；请先运行 "lendguard monitoring score --month <月份>"',
  limit_proposal_not_found: '没有这项额度调整提议；用 GET /limit-reviews/proposals 列出',
  limit_proposal_not_pending: '该额度调整提议已被处理；本次未作任何决定',
  limit_review_same_person: '额度调整提议由您提出，须由另一人批准或驳回（双人复核）；本次未作任何决定',
};
