import type { Catalogue } from '../http/messages.js';

/** The complaint routes' messages (decision 0412). */
export const COMPLAINT_MESSAGES = {
  complaint_invalid: { en: '{en_fault}', zh: '{zh_fault}' },
  complaint_not_found: { en: 'no such complaint {complaintId}', zh: '没有投诉 {complaintId}' },
  cannot_be_acknowledged: {
    en: 'complaint {complaintId} cannot be acknowledged: {en_fault}',
    zh: '投诉 {complaintId} 无法确认受理：{zh_fault}',
  },
  cannot_be_resolved: {
    en: 'complaint {complaintId} cannot be resolved: {en_fault}',
    zh: '投诉 {complaintId} 无法办结：{zh_fault}',
  },
  cursor_invalid: { en: 'The cursor is not one this list gave out.', zh: '该游标不是此列表给出的。' },
  reputation_span: {
    en: 'from must not be after to, and a view spans at most {months} months',
    zh: 'from 不能晚于 to，且一次最多查看 {months} 个月',
  },
  reputation_to_ahead: {
    en: 'to {to} is after the business month {month}: the view shows months that have begun; give {month} or earlier',
    zh: 'to {to} 晚于营业月 {month}：只能查看已经开始的月份；请给 {month} 或更早的月份',
  },
  reputation_to: { en: 'must be {month} or earlier', zh: '须为 {month} 或更早' },
  reputation_from: { en: '1 to {months} months up to to', zh: '须为截至 to 的 1 至 {months} 个月' },
  received_ahead: {
    en: 'receivedAt {receivedAt} is ahead of now',
    zh: '接收时间 receivedAt {receivedAt} 晚于现在',
  },
  not_later_than_now: { en: 'must not be later than now', zh: '不能晚于现在' },
  customer_not_found: { en: 'no such customer {customerId}', zh: '没有客户 {customerId}' },
  loan_of_customer: { en: 'must be a loan of customer {customerId}', zh: '须为客户 {customerId} 的借据' },
  resolution_says: { en: 'must say what was decided', zh: '须写明处理结果' },
} as const satisfies Catalogue;

/**
 * The complaint core's refusals in Chinese, by code (the English keeps the core's sentence with its values).
 */
export const COMPLAINT_REFUSALS_ZH: Readonly<Record<string, string>> = {
  complaint_channel: '投诉渠道无效',
  complaint_category: '投诉类别无效',
  complaint_summary: '投诉摘要须写明投诉内容，长度 1 至 2000 个字符',
  complaint_received_ahead: '投诉的接收日期须不晚于营业日',
  complaint_received_too_early: '投诉须在接收后规定天数内登记，接收日期过早',
  complaint_reference_missing: '监管转办的投诉须填写监管机构的转办编号',
};

/** Why a complaint cannot move on, in Chinese, by its status now. */
export const COMPLAINT_STATUS_ZH: Readonly<Record<string, string>> = {
  resolved: '该投诉已办结',
  acknowledged: '该投诉已确认受理',
};
