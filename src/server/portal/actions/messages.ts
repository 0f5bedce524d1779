import type { Catalogue } from '../../http/messages.js';

/** The borrower's actions in the portal and the staff routes that serve them (decision 0412). */
export const PORTAL_ACTION_MESSAGES = {
  not_signed_in: { en: 'sign in to the portal first', zh: '请先登录自助服务' },
  loan_not_found: { en: 'you have no loan {loanId}', zh: '您没有借据 {loanId}' },
  loan_settled: {
    en: 'loan {loanId} is repaid in full: there is nothing to ease',
    zh: '借据 {loanId} 已结清，无需申请',
  },
  kind: { en: 'must be one of {kinds}', zh: '须为以下之一：{kinds}' },
  months: { en: 'must be a whole number of months from 1 to {max}', zh: '须为 1 至 {max} 的整月数' },
  cause: { en: 'must be one of {causes}', zh: '须为以下之一：{causes}' },
  income: { en: 'must be a monthly income of zero or more yuan', zh: '须为不小于零的月收入（元）' },
  reason: {
    en: 'say in {min} to {max} characters what happened',
    zh: '请用 {min} 至 {max} 个字说明情况',
  },
  hardship_exists: {
    en: 'loan {loanId} has a hardship request {requestId} still waiting; follow it instead',
    zh: '借据 {loanId} 已有尚在处理的困难申请 {requestId}，请查看该申请',
  },
  hardship_not_found: { en: 'no hardship request {requestId}', zh: '没有困难申请 {requestId}' },
  no_offer_open: {
    en: 'hardship request {requestId} has no offer waiting for an answer (it is {status})',
    zh: '困难申请 {requestId} 没有待答复的方案（当前状态：{status}）',
  },
  offer_withdrawn: {
    en: 'the offer on hardship request {requestId} was withdrawn (restructuring {restructuringId} is {status})',
    zh: '困难申请 {requestId} 的方案已撤回（重组 {restructuringId} 状态：{status}）',
  },
  offer_made_already: {
    en: 'hardship request {requestId} has an offer already (it is {status})',
    zh: '困难申请 {requestId} 已给出方案（当前状态：{status}）',
  },
  file_invalid: { en: 'the file cannot be accepted: {en_fault}', zh: '文件无法接收：{zh_fault}' },
  file_base64: { en: 'is not base64 text', zh: '不是 base64 文本' },
  file_empty: { en: 'is empty', zh: '是空文件' },
  file_too_big: { en: 'is larger than {max} bytes', zh: '超过 {max} 字节' },
  file_type: {
    en: 'must be a PDF, PNG or JPEG file (the content says {seen})',
    zh: '须为 PDF、PNG 或 JPEG 文件（文件内容为 {seen}）',
  },
  review_request_not_found: {
    en: 'no health-review request {requestId} asks you for a document',
    zh: '没有向您索取材料的健康检查请求 {requestId}',
  },
  review_request_closed: {
    en: 'health-review request {requestId} has its document already',
    zh: '健康检查请求 {requestId} 已收到材料',
  },
  pref_channel: { en: 'must be one of {channels}', zh: '须为以下之一：{channels}' },
  pref_window_outside: {
    en: 'must lie within the hours reminders may be sent, {from} to {to}, and start before it ends',
    zh: '须在允许发送提醒的时段 {from} 至 {to} 之内，且开始早于结束',
  },
  pref_window_short: { en: 'must be at least {minutes} minutes long', zh: '须至少 {minutes} 分钟' },
  pref_clock: { en: 'must be a time "HH:MM" (24-hour)', zh: '须为 24 小时制时间 "HH:MM"' },
  decision_not_found: { en: 'you have no decision {decisionId}', zh: '您没有决定 {decisionId}' },
  line_change_not_found: {
    en: 'you have no automated line change {lineId}/{changeNo}',
    zh: '您没有自动额度调整 {lineId}/{changeNo}',
  },
  line_objection_summary: {
    en: 'Objection to the automated line change {lineId}/{changeNo} ({code}, {day}) under PIPL Art. 24: {statement}',
    zh: '依《个人信息保护法》第二十四条对自动额度调整 {lineId}/{changeNo}（{code}，{day}）提出异议：{statement}',
  },
  complaint_not_found: { en: 'you have no complaint {complaintId}', zh: '您没有投诉 {complaintId}' },
  complaint_invalid: { en: '{en_fault}', zh: '{zh_fault}' },
} as const satisfies Catalogue;
