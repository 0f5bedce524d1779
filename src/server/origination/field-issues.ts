import type { FieldIssue, OriginationIssueKey } from '../../origination/index.js';
import { ENGINE_REFUSALS_ZH } from '../http/engine-refusals.js';
import { fill, literal, type Message } from '../http/messages.js';

/**
 * Chinese for the field issues the origination core raises when it reads an application or a policy
 * document, keyed by the issue's stable `key`; templates quote the issue's `params` (`{max}`, `{got}`…). The
 * core writes the English; a test reads the core's sources and checks every key it uses is here.
 */
export const ORIGINATION_ISSUES_ZH: Readonly<Record<OriginationIssueKey, string>> = {
  not_object: '须为对象，字段为 {known}',
  unknown_field: '不是已知字段；请删除（已知字段：{known}）',
  text_required: '必填；请填写文本',
  text_blank: '须为非空文本',
  text_long: '长 {length} 个字符；最多接受 {max} 个',
  choice_required: '必填；请选择 {choices} 之一',
  choice_invalid: '取值 {got} 无效；请选择 {choices} 之一',
  amount_required: '必填；请以字符串写出以元为单位的金额，例如 "1234.56"',
  amount_not_string: '金额须为以元为单位的字符串，例如 "1234.56"（不能是 JSON 数字）',
  count_required: '必填；请填写 0 至 {max} 的整数',
  count_invalid: '取值 {got} 无效；请填写 0 至 {max} 的整数',
  instant_required: '必填；请填写带时区的时间，例如 "2026-11-28T09:30:00+08:00"',
  instant_invalid: '取值 {got} 无效；请填写带时区的时间，例如 "2026-11-28T09:30:00+08:00"',
  date_required: '必填；请写作 YYYY-MM-DD 的日期',
  date_invalid: '取值 {got} 无效；请写作 YYYY-MM-DD 的日期',
  list_required: '必填；请给出列表',
  list_invalid: '须为列表',
  list_long: '含 {length} 项；最多接受 {max} 项',
  id_number_form: '须为 18 位居民身份证号码：17 位数字加一位数字或 X',
  id_number_check: '校验码（第 18 位）不正确；请检查号码是否输错',
  birth_date_mismatch: '与身份证号码中的出生日期不一致；请核对两者',
  phone_form: '须为以 1 开头的 11 位中国大陆手机号，例如 13800138000',
  lenders_order: '较长期间的放贷机构数不能更少：须满足 lenders3m ≤ lenders6m ≤ lenders12m',
  period_months_zero: '至少为 1：报表覆盖的月数',
  limit_zero: '须大于 0',
  term_range: '须为 1 至 {max} 个月',
  business_required: '经营者必填：请给出企业名称和行业（超过策略门槛时还需经营计划和报表）',
  policy_not_object: '须为对象',
  policy_unknown_setting: '不是策略设置；请删除（已知设置：{known}）',
  policy_whole_number: '取值 {got} 无效；请填写 {min} 至 {max} 的整数',
  policy_number: '取值 {got} 无效；请填写 {min} 至 {max} 的数',
  policy_fraud_required: '必填：强开识别规则的阈值',
  policy_challenger_required: '必填：{ "mode": "off" | "shadow" | "split", "share": 0..1 }',
  policy_challenger_mode: '取值 {got} 无效；请填写 "off"、"shadow" 或 "split"',
  policy_required: '必填',
  policy_product_required: '必填：授信额度所属的产品',
  policy_apr_cap: '取值 {got} 无效；请填写大于 0 且不超过 "{ceiling}" 的小数字符串（24% 为监管上限）',
  policy_term_options: '须为非空的整月列表，每项 1 至 {max}，例如 [3, 6, 12]',
  policy_boolean: '须为 true 或 false',
  policy_limit_order: '不能高于 limitMax_fen',
  policy_graph_form: '须为 JDM 决策图：{ "nodes": [...], "edges": [...] }',
  policy_table_form: '决策表须有输入、输出和规则',
  policy_hit_policy: '须为 "first" 或 "collect"',
  policy_expression: '表达式 {expression} 无法解析（{problem}）；请修正其语法',
  policy_format: '取值 {got} 无效；策略文件的 "format" 为 "{format}"',
  policy_format_version: '取值 {got} 无效；本版本读取格式版本 {version}',
  policy_graphs_required: '必填：{names} 各一个决策图',
  policy_engine_refused: '被规则引擎拒绝：{reason}',
};

/** An issue's message in both languages: the core's English, and Chinese from its key when it has one. */
export function issueText(issue: FieldIssue): Message | undefined {
  const key = issue.key;
  if (key === undefined) return undefined;
  const zh = key.startsWith('engine.')
    ? ENGINE_REFUSALS_ZH[key.slice(7)]
    : ORIGINATION_ISSUES_ZH[key as OriginationIssueKey];
  if (zh === undefined) return undefined;
  return {
    key: `origination.${key}`,
    texts: { en: literal(issue.message), zh: literal(fill(zh, issue.params ?? {})) },
    params: {},
  };
}
