import type { Catalogue } from '../http/messages.js';

/** The report routes' messages (decision 0412). */
export const REPORT_MESSAGES = {
  report_refused: { en: '{en_fault}', zh: '{zh_fault}' },
  month_end_not_a_date: {
    en: 'monthEnd must be a date YYYY-MM-DD, not "{text}"',
    zh: 'monthEnd 须为 YYYY-MM-DD 格式的日期，而不是 "{text}"',
  },
  not_a_date: { en: 'not a date', zh: '不是日期' },
  day_not_a_date: {
    en: '{name} must be a date YYYY-MM-DD, not "{text}"',
    zh: '{name} 须为 YYYY-MM-DD 格式的日期，而不是 "{text}"',
  },
  funding_outflows_invalid: {
    en: '{fault}; nothing was written',
    zh: '资金流出记录无效（{fault}）；未写入任何记录',
  },
  simulate_stress_only: {
    en: 'simulate is for the stress report, not {kind}',
    zh: '模拟(simulate)只用于压力测试报表，不用于 {kind}',
  },
  simulate_options_without_simulate: {
    en: '{field} goes with simulate=true',
    zh: '{field} 须与 simulate=true 一起使用',
  },
  simulate_document_unknown: {
    en: 'no shipped {field} "{id}"; GET /simulation/options lists them',
    zh: '没有名为 "{id}" 的内置{field}；可用 GET /simulation/options 查看',
  },
  ecl_posting_not_found: {
    en: 'the month end {monthEnd} has no ECL posting; post it with POST /reports/ecl/postings',
    zh: '月末 {monthEnd} 尚未计提预期信用损失；请用 POST /reports/ecl/postings 计提',
  },
} as const satisfies Catalogue;

/**
 * The report frame's and class overrides' refusals in Chinese, by code (the English keeps the job's or the
 * store's sentence with its values).
 */
export const REPORT_REFUSALS_ZH: Readonly<Record<string, string>> = {
  report_kind_unknown: '没有这种报表；报表种类为：{kinds}',
  report_not_available: '此版本尚未提供这种报表',
  report_date_invalid: 'asOf 须为 YYYY-MM-DD 格式的日期',
  report_month_not_closed: '该月末尚未日终关账：请先把日终批处理运行到该日',
  report_day_not_closed:
    '报表日期尚未日终关账：只能报告营业日之前已关账的日期；请选择更早的日期，或先把日终批处理运行到该日',
  report_scenario_unsupported: '这种报表不接受情景参数',
  report_scenario_unknown:
    '没有这个名称的情景：情景为情景文件中的 id（policies/scenarios，如 base、downturn）',
  report_grouping_unsupported:
    '只有账龄分析（vintage）与核销后回收曲线（recovery）可以分组，且只能按 product、channel 或 policy 分组',
  report_cell_not_found: '报表中没有这个单元格（或这种报表不支持下钻）',
  report_table_unknown: 'omit 所列的表这份报表没有：表名见报表的 tables[].name，多个以逗号分隔',
  not_a_month_end: '该日期不是月末最后一天',
  report_not_month_end: '该日期不是月末最后一天：预期信用损失按月末最后一天计提',
  ecl_posting_out_of_order:
    '已有更晚的月末计提了预期信用损失，账上的损失准备已是那个月末的；不能再补计更早的月末：请按月依次计提',
  class_override_loan_not_found: '该借据在此月末没有月末记录；请先生成该月末（以该日为 asOf 的任一报表）',
  class_override_below_floor: '人工认定的分类只能比规则给出的分类更差',
  class_override_exists: '该借据在此月末已有待审或已批准的人工认定',
  class_override_not_found: '没有这个人工认定',
  class_override_decided: '该人工认定已审批',
  class_override_by_proposer: '提出人工认定的人不能审批它：须由另一人审批',
};
