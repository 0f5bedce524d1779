import type { Locale } from './money.js';

/**
 * Chinese for the reasons the shipped line-control and limit-review tables (policies/default) and the shipped
 * collection strategy (policies/collections/default-strategy.json) give, keyed by
 * the table's English text exactly. A table's reason is data, written in one language; a lender's own table,
 * or a shipped reason edited (another threshold, say), is shown as written rather than with a translation of
 * something else. A test holds this list to the shipped tables.
 */
export const SHIPPED_REASONS_ZH: Readonly<Record<string, string>> = {
  'a loan on the line is in M7 (over 180 days past due): the line is closed':
    '该额度下有借款逾期进入 M7（逾期超过 180 天）：额度已关闭',
  'a loan on the line is in M3 or worse (61+ days past due): the limit is cut to the outstanding and drawdowns are frozen until every past-due instalment is repaid':
    '该额度下有借款逾期达到 M3 或以上（逾期 61 天以上）：额度降至未还本金，暂停借款，直至还清所有逾期款项',
  'an instalment on the line is past due: drawdowns are frozen until every past-due instalment is repaid':
    '该额度下有一期还款已逾期：暂停借款，直至还清所有逾期款项',
  'no instalment on the line is past due': '该额度下没有逾期的还款',
  'the line is not active: the limit review leaves it to the line controls':
    '额度不在正常状态：额度评估不作调整，交由额度管控处理',
  'behaviour score below 480: drawdowns frozen until a review': '行为评分低于 480：暂停借款，待复核',
  'a high-severity early-warning signal is open: limit cut by 30% (never below what is drawn)':
    '存在未处理的高等级预警信号：额度下调 30%（不低于已借金额）',
  'behaviour score below 540: limit cut by 30% (never below what is drawn)':
    '行为评分低于 540：额度下调 30%（不低于已借金额）',
  'an early-warning signal is open: no raise until it is resolved': '存在未处理的预警信号：处理完毕前不提额',
  'behaviour score 615 or more and at least 30% of the limit in use: limit raised by 20%':
    '行为评分不低于 615 且额度使用率不低于 30%：额度上调 20%',
  'no limit change': '额度不变',
  'a complaint is open: collection waits until it is resolved': '有未处理的投诉：暂停催收，待投诉处理完毕',
  'a vulnerable borrower (illness, disaster, shock industry): offer relief or a negotiated plan, never an agency or court':
    '特殊困难借款人（疾病、灾害、受冲击行业）：提供纾困或协商分期，不委外、不起诉',
  'assessed unwilling to pay (恶意逾期) from M3: legal review':
    '经评估有还款能力但拒不还款（恶意逾期），M3 起：法务审核',
  'assessed unable to pay: offer a negotiated plan (协商分期) the borrower can afford':
    '经评估无力还款：提供借款人负担得起的协商分期',
  'M4 and later (over 90 days): place with a collection agency (委外)':
    'M4 及以后（逾期超过 90 天）：委外催收',
  'assessed unwilling to pay: a formal demand letter (it also restarts the limitation period)':
    '经评估拒不还款：发送正式催收函（同时中断诉讼时效）',
  'M3 (61–90 days): a formal demand letter, then calls': 'M3（逾期 61–90 天）：先发正式催收函，再电话催收',
  'lost contact (失联): call the contacts to restore contact, never disclosing the debt':
    '失联：致电联系人以恢复联系，不得透露欠款',
  'M2 (31–60 days): a collector calls': 'M2（逾期 31–60 天）：催收员电话催收',
  'a promise was broken: a collector calls': '承诺还款未兑现：催收员电话催收',
  'M1, a small amount and a good behaviour score: an app reminder, a call in two days if unpaid':
    'M1、金额较小且行为评分良好：App 提醒，两天后仍未还款则电话催收',
  'M1: an SMS reminder, then a call the next day': 'M1：短信提醒，次日电话催收',
  'no other rule applies: a collector calls': '无其他规则适用：催收员电话催收',
};

/** A line-control, limit-review or collection-strategy reason in the UI's language where the shipped table's text has one. */
export function policyReason(text: string, locale: Locale): string {
  if (locale !== 'zh-CN') return text;
  return Object.hasOwn(SHIPPED_REASONS_ZH, text) ? SHIPPED_REASONS_ZH[text]! : text;
}
