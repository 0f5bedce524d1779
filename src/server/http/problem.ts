import { KERNEL_MESSAGES } from './kernel-messages.js';
import { type Language, type Message, render, say } from './messages.js';

/**
 * Errors as RFC 9457 problem details (application/problem+json). Every code the API can answer with is
 * listed here, once, with its HTTP status and title; docs/errors.md lists the same codes (a test keeps
 * the two in step). Codes are never reused for another meaning.
 */
export const PROBLEM_CODES = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  amount_invalid: { status: 400, title: 'An amount is not a valid decimal string' },
  cursor_invalid: { status: 400, title: 'The pagination cursor is not valid' },
  date_out_of_range: { status: 400, title: 'A date is outside the range this request allows' },
  product_invalid: { status: 400, title: 'The product document is not valid' },
  idempotency_key_missing: { status: 400, title: 'A write needs an Idempotency-Key header' },
  idempotency_key_invalid: { status: 400, title: 'The Idempotency-Key header is not valid' },
  unauthenticated: { status: 401, title: 'No valid API token' },
  forbidden: { status: 403, title: 'Your role may not do this' },
  pii_forbidden: { status: 403, title: 'Your role may not see unmasked personal data' },
  route_not_found: { status: 404, title: 'No such route' },
  customer_not_found: { status: 404, title: 'No such customer' },
  user_not_found: { status: 404, title: 'No such user' },
  token_not_found: { status: 404, title: 'No such token' },
  product_not_found: { status: 404, title: 'No such product' },
  line_not_found: { status: 404, title: 'No such credit line' },
  loan_not_found: { status: 404, title: 'No such loan' },
  restructuring_not_found: { status: 404, title: 'No such restructuring' },
  restructuring_status_conflict: { status: 409, title: "The restructuring's status does not allow this" },
  restructuring_approval_by_proposer: {
    status: 403,
    title: 'A restructuring is approved by someone other than the person who proposed it',
  },
  settlement_offer_not_found: { status: 404, title: 'No such settlement offer' },
  settlement_offer_status_conflict: {
    status: 409,
    title: "The settlement offer's status does not allow this",
  },
  settlement_approval_by_proposer: {
    status: 403,
    title: 'A settlement offer is approved by someone other than the person who proposed it',
  },
  eod_run_not_found: { status: 404, title: 'No such EOD run' },
  eod_run_conflict: { status: 409, title: 'Another EOD run must finish first' },
  simulation_run_not_found: { status: 404, title: 'No such strategy-lab run' },
  simulation_too_large: { status: 400, title: 'The strategy-lab run is larger than the API runs' },
  simulation_busy: { status: 409, title: 'Too many strategy-lab runs are queued or running' },
  customer_exists: { status: 409, title: 'A customer with this ID number exists already' },
  username_taken: { status: 409, title: 'The username is taken' },
  conflict: { status: 409, title: 'The request conflicts with a concurrent change' },
  line_status_conflict: { status: 409, title: "The credit line's status does not allow this" },
  line_frozen: { status: 409, title: 'The credit line is frozen: no drawdown until it is unfrozen' },
  loan_settled: { status: 409, title: 'The loan is settled' },
  limit_exceeded: { status: 422, title: 'The drawdown is above the available amount' },
  ledger_refused: { status: 422, title: 'The ledger refused the change' },
  idempotency_key_reused: { status: 422, title: 'The Idempotency-Key was used for a different request' },
  body_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'The request body must be application/json' },
  application_invalid: { status: 400, title: 'The application is not valid' },
  policy_invalid: { status: 400, title: 'The policy document is not valid' },
  reassessment_invalid: { status: 400, title: 'The re-assessment cannot be made from these facts' },
  approval_by_author: { status: 403, title: 'A policy version is approved by someone other than its author' },
  application_not_found: { status: 404, title: 'No such application' },
  decision_not_found: { status: 404, title: 'No such decision' },
  policy_not_found: { status: 404, title: 'No such policy version' },
  flag_not_found: { status: 404, title: 'No such review flag' },
  invitation_not_found: { status: 404, title: 'No such invitation' },
  blacklist_entry_not_found: { status: 404, title: 'No such blacklist entry' },
  webhook_subscription_not_found: { status: 404, title: 'No such webhook subscription' },
  cadence_invalid: { status: 400, title: 'The reminder cadence is not valid' },
  cadence_not_found: { status: 404, title: 'No such reminder cadence version' },
  cadence_status_conflict: { status: 409, title: "The cadence version's status does not allow this" },
  decision_request_not_found: { status: 404, title: 'No such explanation request or objection' },
  policy_version_exists: { status: 409, title: 'A policy version with this label exists already' },
  policy_status_conflict: { status: 409, title: "The policy version's status does not allow this" },
  flag_resolved: { status: 409, title: 'The review flag is resolved already' },
  request_answered: { status: 409, title: 'The request is answered already' },
  no_application_on_file: { status: 409, title: 'The customer has no approved application to re-assess' },
  decision_not_reviewable: {
    status: 409,
    title: 'A person reviews only a referral or an overturned decline',
  },
  decision_reviewed: { status: 409, title: 'The decision was reviewed by a person already' },
  review_flag_confirmed: { status: 409, title: 'A confirmed review flag blocks the approval' },
  review_invitation_not_in_force: { status: 409, title: 'The approval needs an invitation in force' },
  case_not_found: { status: 404, title: 'No such collection case' },
  case_closed: { status: 409, title: 'The collection case is closed' },
  case_document_not_found: { status: 404, title: 'No such document on this collection case' },
  case_document_invalid: { status: 400, title: 'The uploaded case document cannot be accepted' },
  contact_refused: { status: 422, title: 'The collection conduct rules refuse this contact' },
  promise_invalid: { status: 422, title: 'The promise to pay cannot be recorded' },
  complaint_not_found: { status: 404, title: 'No such complaint' },
  complaint_status_conflict: { status: 409, title: "The complaint's status does not allow this" },
  complaint_invalid: { status: 422, title: 'The complaint cannot be recorded as given' },
  credit_record_not_found: { status: 404, title: 'No credit-report record of this loan for this month' },
  dispute_not_found: { status: 404, title: 'No such credit-report objection' },
  dispute_status_conflict: { status: 409, title: "The objection's status does not allow this" },
  strategy_invalid: { status: 400, title: 'The collection strategy is not valid' },
  strategy_not_found: { status: 404, title: 'No such collection strategy version' },
  strategy_status_conflict: { status: 409, title: "The strategy version's status does not allow this" },
  assessment_weights_invalid: { status: 400, title: 'The assessment weights are not usable' },
  assessment_weights_not_found: { status: 404, title: 'No such assessment weights version' },
  assessment_weights_status_conflict: {
    status: 409,
    title: "The assessment weights version's status does not allow this",
  },
  agency_not_found: { status: 404, title: 'No such collection agency' },
  case_placement_conflict: { status: 409, title: "The case's placement with an agency does not allow this" },
  legal_action_not_found: { status: 404, title: 'No such legal action on this case' },
  legal_action_invalid: { status: 422, title: 'The legal action cannot be proposed' },
  legal_action_in_progress: { status: 409, title: 'The case has a legal action in progress' },
  legal_step_not_allowed: { status: 409, title: "The legal action's status does not allow this step" },
  legal_approval_by_proposer: {
    status: 403,
    title: 'A legal action is approved by someone other than the person who proposed it',
  },
  legal_date_invalid: { status: 422, title: 'The date of the legal step is out of range' },
  legal_cost_invalid: { status: 422, title: 'The cost of the legal action cannot be recorded' },
  demand_invalid: { status: 422, title: 'The demand for payment cannot be recorded' },
  blacklist_proposal_not_found: { status: 404, title: 'No such blacklist proposal' },
  blacklist_proposal_invalid: { status: 422, title: 'The blacklist proposal cannot be made' },
  blacklist_proposal_in_progress: { status: 409, title: 'The borrower has a blacklist proposal in progress' },
  blacklist_step_not_allowed: { status: 409, title: "The blacklist proposal's status does not allow this" },
  blacklist_self_decision: {
    status: 403,
    title: 'A blacklist proposal is decided by someone other than the person who proposed it',
  },
  blacklist_objection_window_open: {
    status: 409,
    title: 'The borrower may still object: the decision waits for the window to end',
  },
  review_limit_above_cap: { status: 422, title: "The limit is above the automated decision's cap" },
  review_rate_above_cap: { status: 422, title: "The daily rate puts the APR above the policy's cap" },
  policy_not_published: { status: 422, title: 'No policy is in force for this product' },
  internal_error: { status: 500, title: 'Internal error' },
  decision_failed: { status: 500, title: 'The policy or model in force could not decide' },
  case_document_corrupt: {
    status: 500,
    title: "A case document's bytes no longer match the SHA-256 recorded at upload",
  },
  server_busy: { status: 503, title: 'Too many writes are waiting' },
  server_overloaded: { status: 503, title: 'Too many requests are in progress' },
  database_unavailable: { status: 503, title: 'The database cannot be reached' },
  rate_limited: { status: 429, title: 'Too many requests' },
  portal_code_wrong: { status: 400, title: 'The sign-in code is not right' },
  portal_code_expired: { status: 400, title: 'The sign-in code has expired or was used' },
  portal_code_attempts_exceeded: { status: 400, title: 'The sign-in code was typed wrong too often' },
  portal_session_not_found: { status: 404, title: 'No such portal session' },
  portal_payments_unavailable: { status: 503, title: 'Portal repayments are not set up' },
  portal_quote_changed: { status: 409, title: 'The amount due changed since it was quoted' },
  portal_payment_not_found: { status: 404, title: 'No such payment' },
  portal_callback_signature_invalid: {
    status: 401,
    title: 'The payment callback is not signed by the gateway',
  },
  portal_callback_mismatch: { status: 409, title: 'The payment callback does not match the payment' },
  body_too_deep: { status: 400, title: 'The request body is nested too deeply' },
  loan_written_off: { status: 409, title: 'The loan is written off' },
  write_off_not_eligible: { status: 422, title: 'The loan is not a write-off candidate under the rule' },
  write_off_already_proposed: { status: 409, title: 'The loan is in an open write-off proposal already' },
  write_off_proposal_not_found: { status: 404, title: 'No such write-off proposal' },
  write_off_proposal_decided: { status: 409, title: 'The write-off proposal is decided already' },
  signal_not_found: { status: 404, title: 'No such signal' },
  signal_status_conflict: { status: 409, title: "The signal's status does not allow this" },
  industry_shock_not_found: { status: 404, title: 'No such shock-list entry in force' },
  early_warning_invalid: { status: 400, title: 'The early-warning document is not valid' },
  early_warning_not_found: { status: 404, title: 'No such early-warning version' },
  early_warning_status_conflict: {
    status: 409,
    title: "The early-warning version's status does not allow this",
  },
  early_warning_approval_by_author: {
    status: 403,
    title: 'An early-warning version is approved by someone other than its author',
  },
  write_off_by_proposer: {
    status: 403,
    title: 'A write-off proposal is approved or rejected by someone other than its proposer',
  },
  report_kind_unknown: { status: 404, title: 'No such report kind' },
  report_not_available: { status: 501, title: 'This report kind is not available in this version' },
  report_date_invalid: { status: 400, title: 'The report date is not a date' },
  report_month_not_closed: { status: 409, title: 'The month end is not closed yet' },
  report_day_not_closed: { status: 409, title: 'The report day is not closed yet' },
  report_scenario_unsupported: { status: 422, title: 'This report kind takes no scenario' },
  report_scenario_unknown: { status: 400, title: 'No scenario has this name' },
  report_grouping_unsupported: {
    status: 422,
    title: 'This report kind takes no grouping, or not this one',
  },
  report_cell_not_found: { status: 404, title: 'The report has no such cell' },
  report_table_unknown: { status: 400, title: 'The report has no table of this name' },
  report_not_month_end: { status: 400, title: "The day is not a month's last day" },
  ecl_posting_not_found: { status: 404, title: 'The month end has no ECL posting' },
  ecl_posting_out_of_order: {
    status: 409,
    title: 'A later month end is posted already',
  },
  funding_outflows_invalid: { status: 400, title: 'A funding outflow is not valid' },
  class_override_loan_not_found: { status: 404, title: 'The loan has no month-end row at this month end' },
  class_override_below_floor: { status: 422, title: 'A manual class may only be worse than the rules give' },
  class_override_exists: {
    status: 409,
    title: 'The loan has an open or approved override for this month end already',
  },
  class_override_not_found: { status: 404, title: 'No such class override' },
  class_override_decided: { status: 409, title: 'The class override is decided already' },
  class_override_by_proposer: {
    status: 403,
    title: 'A class override is approved or rejected by someone other than its proposer',
  },
  limit_proposal_not_found: { status: 404, title: 'No such limit-review proposal' },
  limit_proposal_not_pending: { status: 409, title: 'The limit-review proposal is decided already' },
  limit_review_same_person: {
    status: 403,
    title: 'A limit-review proposal is approved or rejected by someone other than its proposer',
  },
  // The borrower's actions in the portal (docs/portal-actions.md).
  hardship_request_not_found: { status: 404, title: 'No such hardship request' },
  hardship_request_exists: { status: 409, title: 'The loan has a hardship request still waiting' },
  hardship_offer_not_open: { status: 409, title: 'The hardship request has no offer waiting for an answer' },
  file_invalid: { status: 400, title: 'The uploaded file cannot be accepted' },
  review_request_not_found: { status: 404, title: 'No such health-review request' },
  review_request_closed: { status: 409, title: 'The health-review request has its document already' },
  line_change_not_found: { status: 404, title: 'No such automated line change' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

/**
 * The titles in Chinese, for answers to `Accept-Language: zh-CN` (decision 0412). Typed by the codes, so a
 * new code does not compile without its Chinese title.
 */
export const PROBLEM_TITLES_ZH: Readonly<Record<ProblemCode, string>> = {
  restructuring_not_found: '没有这项重组',
  signal_not_found: '没有这个预警信号',
  signal_status_conflict: '该预警信号的状态不允许此操作',
  industry_shock_not_found: '冲击名单上没有这个有效条目',
  early_warning_invalid: '预警策略文档无效',
  early_warning_not_found: '没有这个预警策略版本',
  early_warning_status_conflict: '该预警策略版本的状态不允许此操作',
  early_warning_approval_by_author: '预警策略版本须由作者以外的人审批',
  restructuring_status_conflict: '该重组的状态不允许此操作',
  restructuring_approval_by_proposer: '重组须由提议人以外的人审批',
  settlement_offer_not_found: '没有这个结清方案',
  settlement_offer_status_conflict: '该结清方案的状态不允许此操作',
  settlement_approval_by_proposer: '结清方案须由提议人以外的人审批',
  case_not_found: '没有这个催收案件',
  case_closed: '催收案件已结案',
  case_document_not_found: '该催收案件没有这个文件',
  case_document_invalid: '上传的案件文件无法接收',
  contact_refused: '催收行为规范不允许此次联系',
  complaint_not_found: '没有这项投诉',
  complaint_status_conflict: '该投诉的状态不允许此操作',
  complaint_invalid: '投诉信息有误，无法登记',
  credit_record_not_found: '该借据在该月没有征信报送记录',
  dispute_not_found: '没有这项征信异议',
  dispute_status_conflict: '该异议的状态不允许此操作',
  promise_invalid: '无法登记该承诺还款',
  strategy_invalid: '催收策略无效',
  strategy_not_found: '没有这个催收策略版本',
  strategy_status_conflict: '该策略版本的状态不允许此操作',
  assessment_weights_invalid: '还款能力与意愿评估的权重不可用',
  assessment_weights_not_found: '没有这个评估权重版本',
  assessment_weights_status_conflict: '该评估权重版本的状态不允许此操作',
  agency_not_found: '没有这个委外催收机构',
  case_placement_conflict: '案件的委外状态不允许此操作',
  legal_action_not_found: '该案件没有这个法律行动',
  legal_action_invalid: '无法提议该法律行动',
  legal_action_in_progress: '该案件已有进行中的法律行动',
  legal_step_not_allowed: '法律行动当前状态不允许此步骤',
  legal_approval_by_proposer: '法律行动须由提议人以外的人审批',
  legal_date_invalid: '法律行动步骤的日期超出允许范围',
  legal_cost_invalid: '无法登记该法律费用',
  demand_invalid: '无法登记该催告',
  blacklist_proposal_not_found: '没有这个黑名单提议',
  blacklist_proposal_invalid: '无法提出该黑名单提议',
  blacklist_proposal_in_progress: '该借款人已有进行中的黑名单提议',
  blacklist_step_not_allowed: '黑名单提议当前状态不允许此操作',
  blacklist_self_decision: '黑名单提议须由提议人以外的人决定',
  blacklist_objection_window_open: '借款人异议期尚未届满，须在异议期结束后决定',
  loan_written_off: '借据已核销',
  line_frozen: '授信额度已冻结',
  webhook_subscription_not_found: '没有这个 Webhook 订阅',
  cadence_invalid: '提醒节奏无效',
  cadence_not_found: '没有这个提醒节奏版本',
  cadence_status_conflict: '该提醒节奏版本的状态不允许此操作',
  write_off_not_eligible: '按核销规则该借据不是核销候选',
  write_off_already_proposed: '该借据已在未决的核销提议中',
  write_off_proposal_not_found: '没有这项核销提议',
  write_off_proposal_decided: '该核销提议已有决定',
  write_off_by_proposer: '核销提议须由提议人以外的人审批',
  validation_failed: '请求无效',
  malformed_json: '请求体不是有效的 JSON',
  amount_invalid: '金额不是有效的十进制字符串',
  cursor_invalid: '分页游标无效',
  date_out_of_range: '日期超出本请求允许的范围',
  product_invalid: '产品定义无效',
  idempotency_key_missing: '写操作需要 Idempotency-Key 请求头',
  idempotency_key_invalid: 'Idempotency-Key 请求头无效',
  unauthenticated: '没有有效的 API 令牌',
  forbidden: '你的角色无权执行此操作',
  pii_forbidden: '你的角色无权查看未脱敏的个人信息',
  route_not_found: '没有这个路由',
  customer_not_found: '没有这个客户',
  user_not_found: '没有这个用户',
  token_not_found: '没有这个令牌',
  product_not_found: '没有这个产品',
  line_not_found: '没有这个授信额度',
  loan_not_found: '没有这笔借据',
  eod_run_not_found: '没有这次日终批处理',
  eod_run_conflict: '须等另一次日终批处理结束',
  simulation_run_not_found: '没有这次策略实验',
  simulation_too_large: '策略实验规模超过 API 允许的上限',
  simulation_busy: '排队或运行中的策略实验过多',
  customer_exists: '该证件号码的客户已存在',
  username_taken: '用户名已被占用',
  conflict: '请求与同时进行的修改冲突',
  line_status_conflict: '授信额度的状态不允许此操作',
  loan_settled: '借据已结清',
  limit_exceeded: '借款金额超过可用额度',
  ledger_refused: '账务拒绝了此变更',
  idempotency_key_reused: '该 Idempotency-Key 已用于另一个请求',
  body_too_large: '请求体过大',
  unsupported_media_type: '请求体必须是 application/json',
  application_invalid: '申请无效',
  policy_invalid: '策略文档无效',
  reassessment_invalid: '无法根据这些事实重新评估',
  approval_by_author: '策略版本须由作者以外的人审批',
  application_not_found: '没有这个申请',
  decision_not_found: '没有这个决策',
  policy_not_found: '没有这个策略版本',
  flag_not_found: '没有这个复核标记',
  invitation_not_found: '没有这个邀请',
  blacklist_entry_not_found: '没有这个黑名单条目',
  decision_request_not_found: '没有这个解释请求或异议',
  policy_version_exists: '该标签的策略版本已存在',
  policy_status_conflict: '策略版本的状态不允许此操作',
  flag_resolved: '复核标记已处理',
  request_answered: '该请求已答复',
  no_application_on_file: '该客户没有可重新评估的已批准申请',
  decision_not_reviewable: '人工只复核转人工的决策或被推翻的拒绝',
  decision_reviewed: '该决策已由人工复核',
  review_flag_confirmed: '已确认的复核标记阻止批准',
  review_invitation_not_in_force: '批准需要一个有效的邀请',
  review_limit_above_cap: '额度高于自动决策的上限',
  review_rate_above_cap: '该日利率使年化利率高于策略上限',
  policy_not_published: '该产品没有生效的策略',
  internal_error: '内部错误',
  decision_failed: '生效的策略或模型无法作出决策',
  case_document_corrupt: '案件文件的内容与上传时记录的 SHA-256 不符',
  server_busy: '等待中的写操作过多',
  server_overloaded: '处理中的请求过多',
  database_unavailable: '无法连接数据库',
  rate_limited: '请求过于频繁',
  portal_code_wrong: '验证码不正确',
  portal_code_expired: '验证码已过期或已使用',
  portal_code_attempts_exceeded: '验证码输错次数过多',
  portal_session_not_found: '没有这个门户会话',
  portal_payments_unavailable: '未配置在线还款',
  portal_quote_changed: '应还金额在报价后已变化',
  portal_payment_not_found: '没有这笔还款',
  portal_callback_signature_invalid: '支付回调未经通道签名',
  portal_callback_mismatch: '支付回调与该笔还款不符',
  body_too_deep: '请求体嵌套过深',
  report_kind_unknown: '没有这种报表',
  report_not_available: '此版本尚未提供这种报表',
  report_date_invalid: '报表日期不是有效日期',
  report_month_not_closed: '该月末尚未日终关账',
  report_day_not_closed: '报表日期尚未日终关账',
  report_scenario_unsupported: '这种报表不接受情景参数',
  report_scenario_unknown: '没有这个名称的情景',
  report_grouping_unsupported: '这种报表不接受该分组方式',
  report_cell_not_found: '报表中没有这个单元格',
  report_table_unknown: '报表中没有这个名称的表',
  report_not_month_end: '该日期不是月末最后一天',
  ecl_posting_not_found: '该月末尚未计提预期信用损失',
  ecl_posting_out_of_order: '已有更晚的月末计提了预期信用损失',
  funding_outflows_invalid: '资金流出记录无效',
  class_override_loan_not_found: '该贷款在此月末没有月末记录',
  class_override_below_floor: '人工认定的分类只能比规则分类更差',
  class_override_exists: '该贷款在此月末已有待审或已批准的人工认定',
  class_override_not_found: '没有这个人工认定',
  class_override_decided: '该人工认定已审批',
  class_override_by_proposer: '人工认定须由提出人以外的人审批',
  limit_proposal_not_found: '没有这项额度调整提议',
  limit_proposal_not_pending: '该额度调整提议已被处理',
  limit_review_same_person: '额度调整提议须由提议人以外的人批准或驳回',
  hardship_request_not_found: '没有这项困难申请',
  hardship_request_exists: '该借据已有尚在处理的困难申请',
  hardship_offer_not_open: '该困难申请没有待答复的方案',
  file_invalid: '上传的文件无法接收',
  review_request_not_found: '没有这项健康检查请求',
  review_request_closed: '该健康检查请求已收到材料',
  line_change_not_found: '没有这项自动额度调整',
};

export function problemTitle(code: ProblemCode, language: Language): string {
  return language === 'zh-CN' ? PROBLEM_TITLES_ZH[code] : PROBLEM_CODES[code].title;
}

/** Base of the `type` URI; the fragment is the code, documented in docs/errors.md. */
export const PROBLEM_TYPE_BASE = 'https://lendguard.dev/problems/';

export interface FieldProblem {
  /** JSON pointer into the request, prefixed by its part: `/body/phone`, `/query/limit`, `/header/…`. */
  path: string;
  /** The message in English (logs, tests, the CLI); the answer is in the request's language. */
  message: string;
  /** The message in every language; absent only where an engine's own sentence is passed on. */
  text?: Message;
}

/** A field problem whose message comes from a catalogue. */
export function fieldProblem(path: string, text: Message): FieldProblem {
  return { path, message: render(text, 'en'), text };
}

/** The field's message in `language`. */
export function fieldMessage(problem: FieldProblem, language: Language): string {
  return problem.text === undefined ? problem.message : render(problem.text, language);
}

/**
 * A coded refusal. `detail` is a catalogue message (put in the request's language when answered) or, where
 * no catalogue message exists yet, an English sentence; then a Chinese answer carries the code's Chinese
 * title with the English sentence after it, so nothing said is lost.
 */
export class ProblemError extends Error {
  readonly status: number;
  readonly title: string;
  /** The detail in English. */
  readonly detail: string;
  readonly detailText: Message | undefined;
  constructor(
    readonly code: ProblemCode,
    detail: string | Message,
    readonly errors: readonly FieldProblem[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    const english = typeof detail === 'string' ? detail : render(detail, 'en');
    super(english);
    this.name = 'ProblemError';
    this.detail = english;
    this.detailText = typeof detail === 'string' ? undefined : detail;
    this.status = PROBLEM_CODES[code].status;
    this.title = PROBLEM_CODES[code].title;
  }

  /** The detail in `language`. */
  detailIn(language: Language): string {
    if (this.detailText !== undefined) return render(this.detailText, language);
    return language === 'zh-CN' ? `${PROBLEM_TITLES_ZH[this.code]}：${this.detail}` : this.detail;
  }
}

/** The detail of a validation problem: every field with its message, in `language`. */
export function fieldList(errors: readonly FieldProblem[], language: Language): string {
  return errors
    .map((e) => `${e.path}: ${fieldMessage(e, language)}`)
    .join(language === 'zh-CN' ? '；' : '; ');
}

/** A problem whose detail lists its fields, in the language of the answer. */
export function fieldsProblem(
  code: ProblemCode,
  lead: keyof typeof KERNEL_MESSAGES,
  errors: readonly FieldProblem[],
) {
  return new FieldListProblem(code, lead, errors);
}

class FieldListProblem extends ProblemError {
  constructor(
    code: ProblemCode,
    readonly lead: keyof typeof KERNEL_MESSAGES,
    errors: readonly FieldProblem[],
  ) {
    super(code, say(KERNEL_MESSAGES, lead, { fields: fieldList(errors, 'en') }), errors);
  }
  override detailIn(language: Language): string {
    return render(say(KERNEL_MESSAGES, this.lead, { fields: fieldList(this.errors, language) }), language);
  }
}

export function validationProblem(errors: readonly FieldProblem[]): ProblemError {
  return fieldsProblem('validation_failed', 'fix_fields', errors);
}

export function missingIdempotencyKey(): ProblemError {
  return new ProblemError('idempotency_key_missing', say(KERNEL_MESSAGES, 'idempotency_key_missing'), [
    fieldProblem('/header/idempotency-key', say(KERNEL_MESSAGES, 'required_on_writes')),
  ]);
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  requestId: string;
  errors?: FieldProblem[];
}

/** The answer's body in `language` (English unless the request asked for Chinese). */
export function problemBody(p: ProblemError, requestId: string, language: Language = 'en'): ProblemBody {
  return {
    type: `${PROBLEM_TYPE_BASE}${p.code}`,
    title: problemTitle(p.code, language),
    status: p.status,
    detail: p.detailIn(language),
    code: p.code,
    requestId,
    ...(p.errors.length > 0
      ? { errors: p.errors.map((e) => ({ path: e.path, message: fieldMessage(e, language) })) }
      : {}),
  };
}

/** JSON schema of a problem body, registered once and referenced by every route's 4xx/5xx response. */
export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details; `code` is stable and listed in docs/errors.md',
  required: ['type', 'title', 'status', 'detail', 'code', 'requestId'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', enum: Object.keys(PROBLEM_CODES) },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;
