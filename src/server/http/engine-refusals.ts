import { literal, type Message, type MessageParams, templateParams, withEnglish } from './messages.js';

/**
 * Chinese for the refusals the ledger and money engines raise, keyed by their stable codes. The engines
 * write their English sentences themselves (with the values at fault); the Chinese names the field and
 * says what to fix. A test reads the engines' sources and checks every code they raise is here.
 */
export const ENGINE_REFUSALS_ZH: Readonly<Record<string, string>> = {
  not_importable: '该借据无法导入',
  report_input_invalid: '报表参数或情景文件无效',
  settlement_valid_through_invalid: '减免结清的有效期无效：须在营业日之后',
  settlement_in_force: '该借据已有生效中的减免结清方案',
  settlement_not_below_owed: '减免结清金额须低于所欠金额',
  recovery_backdated: '已核销借据的收回款不能倒签日期',
  recovery_above_claim: '收回款超过已核销且尚未收回的金额；超出部分应退还借款人',
  restructure_field_missing: '重组请求缺少必填字段',
  restructure_field_invalid: '重组请求的字段无效',
  restructure_months_invalid: '重组期数无效：协商分期最长 60 个月',
  rate_invalid: '利率无效',
  restructure_rate_not_lower: '降息后的利率必须低于现行利率',
  restructure_holiday_interest_basis: '该产品按期计息，无法对延期期间计息；请选择延期期间免息，或改用展期',
  restructure_kind_invalid: '重组类型无效：协商分期、展期、延期还款或降息',
  restructure_needs_monthly_plan: '展期、延期还款和降息仅适用于按月还款的借据；请改用协商分期',
  down_payment_settles_loan: '首付款已足以结清全部欠款；请作为还款登记',
  restructure_first_due_passed: '新计划的首期还款日已过；请换一天重组',
  restructure_unaffordable: '新计划的月供超过借款人月收入的可负担上限',
  restructure_not_past_due: '协商分期仅适用于已逾期的借据',
  restructure_settlement_in_force:
    '该借据有生效中的减免结清方案（有效至 {validThrough}）；须待其还清或失效后再重组',
  restructure_nothing_to_replan: '没有可重新安排的本金；请减免或收回欠款',
  restructuring_policy_invalid: '重组政策设置无效',
  amount_negative: '必须为正数：不能为负；请写作 "1234.56" 的形式',
  amount_not_positive: '金额必须大于 0',
  amount_too_large: '超过允许的最大金额 {max}',
  amount_too_precise: '小数位过多；金额以元为单位，精确到分（0.01）',
  amount_zero: '必须大于 0.00；请以元为单位发送金额，例如 "100.00"',
  apr_above_cap: '年化利率高于上限',
  client_id_invalid: '客户端指令编号无效',
  client_id_missing: '缺少客户端指令编号',
  date_out_of_range: '日期超出允许范围',
  day_already_closed: '该日已日终关账；请用营业日或之后的日期',
  day_before_start: '日期早于借据的起始日',
  day_not_closed: '该日尚未日终关账',
  day_not_next: '日终只能关闭下一个营业日',
  duplicate_fee: '费用重复',
  invalid_amount: '不是有效金额；请以元为单位、最多两位小数书写，例如 "1234.56"',
  invalid_bucket_bounds: '逾期阶段的天数边界无效',
  invalid_charge_off_days: '核销天数无效',
  invalid_date: '不是有效日期；请写作 YYYY-MM-DD，例如 2026-03-31',
  invalid_decimal: '不是有效的十进制数',
  invalid_due_days: '还款日无效',
  invalid_rate: '不是有效利率；例如 "0.0005/day" 或 "0.18/year"',
  invalid_type: '类型不正确',
  invalid_value: '取值不在允许范围内',
  line_already_frozen: '授信额度已冻结',
  line_amount_invalid: '授信额度金额无效',
  line_closed: '授信额度已关闭',
  line_event_out_of_order: '授信额度的事件日期早于已有事件',
  line_frozen: '授信额度已冻结，不能借款',
  line_id_missing: '缺少授信额度编号',
  line_id_taken: '授信额度编号已被占用',
  line_limit_exceeded: '借款金额超过可用额度',
  line_not_found: '没有这个授信额度',
  line_not_frozen: '授信额度未冻结',
  loan_id_taken: '借据编号已被占用',
  loan_not_found: '没有这笔借据',
  loan_not_written_off: '借据未核销',
  loan_settled: '借据已结清',
  loan_written_off: '借据已核销',
  maturity_out_of_range: '到期日超出允许范围',
  not_a_permutation: '须恰好列出每一项一次',
  out_of_range: '超出允许范围',
  principal_out_of_range: '本金超出产品允许的范围',
  rate_above_apr_cap: '利率使年化利率高于上限',
  rate_implausible: '利率不合常理；请检查单位（按日或按年）',
  rate_negative: '利率不能为负',
  rate_out_of_range: '利率超出允许范围',
  refund_exceeds_credit: '退款金额超过贷方余额',
  start_out_of_range: '起始日超出允许范围',
  unknown_field: '不是已知字段；请删除',
  upfront_fee_exceeds_principal: '前置费用超过本金',
  waiver_exceeds_owed: '减免金额超过应还金额',
  write_off_backdated: '核销日期不能早于已记账日期',
  write_off_evidence_missing: '核销需要证据说明',
};

/**
 * Refusals that are only useful with their figures: Chinese templates over the values the engine quotes
 * (its error's `params`). Without those values the engine's English sentence follows the Chinese.
 */
export const ENGINE_REFUSALS_WITH_FIGURES_ZH: Readonly<Record<string, string>> = {
  restructure_unaffordable:
    '新计划最大一期的月供 {largest} 占月收入 {income} 的 {percent}%，高于上限 {capPercent}%；请增加期数、降低利率或提高首付款',
  settlement_not_below_owed: '减免结清金额须低于借据 {loanId} 在 {day} 所欠的 {owed}；全额结清请登记还款',
  recovery_above_claim:
    '收回款 {amount} 超过已核销且尚未收回的 {claim}：最多登记 {claim}，超出部分应退还借款人',
};

/**
 * An engine's refusal as a message: its own English sentence, and the Chinese for its code (with the
 * field at fault named first when there is one). A code without Chinese keeps its English in both.
 */
export function engineRefusal(
  code: string,
  english: string,
  field = '',
  params: MessageParams = {},
): Message {
  const figures = ENGINE_REFUSALS_WITH_FIGURES_ZH[code];
  const zh0 = ENGINE_REFUSALS_ZH[code];
  const zh =
    figures === undefined || zh0 === undefined
      ? zh0
      : templateParams(figures).every((name) => params[name] !== undefined)
        ? figures
        : `${zh0}（${literal(english)}）`;
  const chinese = zh === undefined ? literal(english) : field === '' ? zh : `${literal(field)}：${zh}`;
  return withEnglish(`engine.${code}`, english, chinese, params);
}
