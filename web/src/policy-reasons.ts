import type { Locale } from './money.js';

/**
 * Chinese for the reasons the shipped line-control and limit-review tables give (policies/default), keyed by
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
};

/** A line-control or limit-review reason in the UI's language where the shipped table's text has one. */
export function policyReason(text: string, locale: Locale): string {
  if (locale !== 'zh-CN') return text;
  return Object.hasOwn(SHIPPED_REASONS_ZH, text) ? SHIPPED_REASONS_ZH[text]! : text;
}
