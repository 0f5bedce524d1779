import type { ContactRule, StrategyError } from '../../collections/index.js';
import type { StrategyVersionError } from '../../store/index.js';
import type { Catalogue } from '../http/messages.js';

/**
 * The collection routes' messages (decision 0412): cases, contact, promises, operations (strategies, teams,
 * work lists, agencies), legal escalation and blacklist due process. The core's coded refusals are worded by
 * code in `legal-messages.ts`.
 */
export const COLLECTIONS_MESSAGES = {
  case_not_found: { en: 'no such collection case {caseId}', zh: '没有催收案件 {caseId}' },
  case_closed: {
    en: 'case {caseId} was closed on {closedDay} ({en_reason}); a new case opens if the borrower falls past due again',
    zh: '案件 {caseId} 已于 {closedDay} 结案（{zh_reason}）；借款人再次逾期时会开立新案件',
  },
  case_closed_on: {
    en: 'case {caseId} was closed on {closedDay} ({en_reason})',
    zh: '案件 {caseId} 已于 {closedDay} 结案（{zh_reason}）',
  },
  time_zone_invalid: {
    en: 'must be an IANA time zone such as Asia/Shanghai or America/New_York',
    zh: '须为 IANA 时区，例如 Asia/Shanghai 或 America/New_York',
  },
  admin_assigns: {
    en: 'Only an admin assigns cases; a collector may mark lost contact or set the zone.',
    zh: '只有管理员可以分派案件；催收员可以标记失联或设置时区。',
  },
  not_your_case: {
    en: 'case {caseId} is not assigned to you: its contact attempts and promises to pay are logged by the collector it is assigned to',
    zh: '案件 {caseId} 未分派给您：其联系尝试和还款承诺由负责该案件的催收员登记',
  },
  not_a_collector: { en: 'must be the user id of a collector', zh: '须为催收员的用户编号' },
  outcome_of_channel: {
    en: 'an attempt on the channel {channel} has one of these outcomes: {outcomes}',
    zh: '{channel} 的结果须为以下之一：{outcomes}',
  },
  attempt_not_today: {
    en: 'an attempt is logged on the business day {day} ({zone}), when it is made, not ahead of it; got {at}',
    zh: '联系尝试须在进行时于营业日 {day}（{zone}）登记，不能提前；收到的是 {at}',
  },
  attempt_on_day: { en: 'must be on {day} and not later than now', zh: '须在 {day} 当天且不晚于现在' },
  contact_refused: { en: '{en_fault}', zh: '{zh_fault}' },
  cursor_invalid: {
    en: 'The cursor is not one this list gave out; pass nextCursor unchanged.',
    zh: '该游标不是此列表给出的；请原样传回 nextCursor。',
  },
  strategy_invalid: { en: '{en_fault}', zh: '{zh_fault}' },
  strategy_issue: { en: '{en_fault}', zh: '策略图此处有误：{zh_fault}' },
  strategy_refused: { en: '{en_fault}', zh: '{zh_fault}' },
  strategy_not_found: { en: 'no strategy version {version}', zh: '没有催收策略版本 {version}' },
  weights_issue: { en: '{fault}', zh: '权重此处有误：{fault}' },
  weights_invalid: {
    en: 'The assessment weights are invalid; fix each path in errors and submit the draft again.',
    zh: '评估权重无效：请按 errors 中各项修改后重新提交。',
  },
  weights_not_found: {
    en: 'There is no assessment weights version {version}; list them with GET /collections/assessment-weights.',
    zh: '没有评估权重版本 {version}；用 GET /collections/assessment-weights 列出。',
  },
  weights_not_draft: {
    en: 'Assessment weights version {version} is {status}; only a draft can be approved.',
    zh: '评估权重版本 {version} 的状态为 {status}；只有草稿可以审批。',
  },
  weights_own_draft: {
    en: 'You wrote assessment weights version {version}; another person must approve it.',
    zh: '评估权重版本 {version} 由您编写，须由另一人审批。',
  },
  admin_sets_teams: { en: 'Only an admin sets teams.', zh: '只有管理员可以设置催收团队。' },
  admin_allocates: { en: 'Only an admin allocates cases.', zh: '只有管理员可以分配案件。' },
  admin_registers_agencies: {
    en: 'Only an admin registers agencies.',
    zh: '只有管理员可以登记委外催收机构。',
  },
  admin_places: {
    en: 'Only an admin places cases with agencies.',
    zh: '只有管理员可以将案件委外。',
  },
  admin_recalls: {
    en: 'Only an admin recalls cases from agencies.',
    zh: '只有管理员可以从委外机构收回案件。',
  },
  hardship_cause: {
    en: 'a hardship names its cause: one of {causes}',
    zh: '经济困难须注明原因，取值之一：{causes}',
  },
  income_needs_amount: {
    en: 'income evidence needs the verified monthly income as an amount',
    zh: '收入证据须以金额给出核实的月收入',
  },
  required_for_income: { en: 'is required for income', zh: '收入证据必须填写此项' },
  evasion_note: {
    en: 'say what was seen (a sign of evasion needs a note)',
    zh: '请写明所见情况（逃避还款的迹象须附说明）',
  },
  no_income_evidence: {
    en: 'no income evidence on the case: give the verified monthly income',
    zh: '案件没有收入证据：请给出核实的月收入',
  },
  bucket_taken: { en: '{bucket} is worked by team {teamId} already', zh: '{bucket} 已由团队 {teamId} 负责' },
  team_view_from_ahead: {
    en: 'from {from} is after the business day {businessDay}: the view covers days that have happened; give {businessDay} or earlier',
    zh: 'from {from} 晚于营业日 {businessDay}：只能查看已经过去的日子；请给 {businessDay} 或更早的日期',
  },
  compliance_window: {
    en: 'a compliance report covers from {from} to {to}: from must be on or before to, and a report spans at most {days} days',
    zh: '合规报告期间为 {from} 至 {to}：from 不能晚于 to，且一次最多 {days} 天',
  },
  compliance_from: {
    en: 'must be on or before to, at most {days} days before it',
    zh: '须不晚于 to，且最多早于 to {days} 天',
  },
  worklist_own: {
    en: 'A collector reads their own list; a team lead reads the lists of their team.',
    zh: '催收员只能查看自己的作业清单；组长可查看本组成员的清单。',
  },
  worklist_export_own: {
    en: 'A collector exports their own list; a team lead the lists of their team.',
    zh: '催收员只能导出自己的作业清单；组长可导出本组成员的清单。',
  },
  agency_not_found: { en: 'no active agency {agencyId}', zh: '没有在用的委外催收机构 {agencyId}' },
  not_an_active_agency: { en: 'not an active agency', zh: '不是在用的委外催收机构' },
  case_placed: {
    en: 'case {caseId} is placed with {agencyId} already; recall it first',
    zh: '案件 {caseId} 已委外给 {agencyId}；请先收回',
  },
  case_not_placed: { en: 'case {caseId} is not placed with an agency', zh: '案件 {caseId} 未委外' },
  case_document_corrupt: {
    en: 'document {documentId} of case {caseId} does not match the SHA-256 recorded at upload ({sha256}); the evidence package is not made',
    zh: '案件 {caseId} 的文件 {documentId} 与上传时记录的 SHA-256（{sha256}）不符；不生成证据材料',
  },
  legal_action_not_found: {
    en: 'case {caseId} has no legal action {actionId}',
    zh: '案件 {caseId} 没有法律行动 {actionId}',
  },
  legal_on_open_case: {
    en: 'case {caseId} was closed on {closedDay}; a legal action is proposed on an open case',
    zh: '案件 {caseId} 已于 {closedDay} 结案；法律行动只能在未结案件上提议',
  },
  legal_action_in_progress: {
    en: 'case {caseId} has legal action {actionId} ({path}, {status}) in progress; close or withdraw it first',
    zh: '案件 {caseId} 有进行中的法律行动 {actionId}（{path}，{status}）；请先结束或撤回',
  },
  blacklist_proposal_not_found: {
    en: 'no such blacklist proposal {proposalId}',
    zh: '没有黑名单提议 {proposalId}',
  },
  customer_not_found: { en: 'no such customer {customerId}', zh: '没有客户 {customerId}' },
  legal_source_needs_action: {
    en: 'a proposal from legal names an approved legal action of this borrower in actionId',
    zh: '来源为法律途径的提议须在 actionId 中写明该借款人一项已批准的法律行动',
  },
  approved_action_of_borrower: {
    en: 'must be an approved legal action of the borrower',
    zh: '须为该借款人已批准的法律行动',
  },
  blacklist_in_progress: {
    en: 'the borrower has blacklist proposal {proposalId} ({status}) in progress',
    zh: '该借款人有进行中的黑名单提议 {proposalId}（{status}）',
  },
  no_loan_for_notice: {
    en: 'the borrower has no loan to address the notice through; list an applicant with POST /blacklist',
    zh: '该借款人没有可据以送达通知的借据；申请人请用 POST /blacklist 列入黑名单',
  },
  borrower_with_loan: { en: 'must be a borrower with a loan', zh: '须为有借据的借款人' },
} as const satisfies Catalogue;

/** Why a case was closed, in Chinese (the English says the code). */
export const CLOSE_REASONS_ZH: Readonly<Record<string, string>> = {
  cured: '逾期已还清',
  'paid-off': '借款已全部结清',
  'written-off': '逾期借款已核销',
  'restructuring-kept': '重组后的还款计划已按约履行至观察期结束',
};

/** The contact rules' refusals in Chinese, by rule (the English keeps the rules' sentence with its figures). */
export const CONTACT_REFUSALS_ZH: Readonly<Record<ContactRule, string>> = {
  complaint_open: '该案件有未处理完的投诉：投诉解决前暂停催收联系',
  quiet_hours: '现在是借款人当地时间的禁止催收时段；请在允许时段再联系',
  third_party_channel: '第三方只能通过电话或短信联系，且仅用于恢复与借款人的联系',
  third_party_only_when_unreachable:
    '只有联系不上借款人时才能联系第三方：请将案件标记为失联，或在借款人电话连续未接通达到次数后再联系',
  third_party_attempts_per_day: '今天联系第三方的次数已达每日上限；请明天再试',
  answered_calls_per_day: '今天与借款人接通的次数已达每日上限；请明天再试或改为书面联系',
  unanswered_dials_per_day: '今天未接通的拨打次数已达每日上限；请明天再拨',
  messages_per_day: '今天发给借款人的信息已达每日上限',
};

/** The strategy store's and engine's refusals in Chinese, by code. */
export const STRATEGY_REFUSALS_ZH: Readonly<
  Record<StrategyError['code'] | StrategyVersionError['code'], string>
> = {
  strategy_invalid: '催收策略无效：请按 errors 中各项修改后重新提交',
  strategy_evaluation_failed: '催收策略无法求值：请检查决策图',
  strategy_not_found: '没有这个催收策略版本；用 GET /collections/strategies 列出',
  strategy_not_draft: '只有草稿状态的策略版本可以审批',
  strategy_own_draft: '策略版本由您编写，须由另一人审批',
  strategy_share_invalid: '挑战者策略须给出分得案件的比例（0 至 10000 个基点）；冠军策略不设比例',
};
