import type { Catalogue } from '../http/messages.js';

/** The origination routes' messages (decision 0412). */
export const ORIGINATION_MESSAGES = {
  application_not_found: {
    en: 'There is no application {applicationId}; check the id from POST /applications.',
    zh: '没有申请 {applicationId}；请核对 POST /applications 返回的编号。',
  },
  no_such_application: { en: 'no such application', zh: '没有这个申请' },
  decision_not_found: {
    en: 'There is no decision {decisionId}; check the id from POST /applications.',
    zh: '没有决策 {decisionId}；请核对 POST /applications 返回的编号。',
  },
  no_such_decision: { en: 'no such decision', zh: '没有这个决策' },
  policy_not_published: {
    en: 'No policy is in force for product "{productId}"; publish one (POST /policies, approve, publish) or apply for a product that has one.',
    zh: '产品 "{productId}" 没有生效的策略；请发布一个（POST /policies，审批，发布），或申请已有策略的产品。',
  },
  no_policy_for_product: { en: 'no policy in force for this product', zh: '该产品没有生效的策略' },
  policy_not_found: {
    en: 'There is no policy version {version}; list versions with GET /policies.',
    zh: '没有策略版本 {version}；用 GET /policies 列出版本。',
  },
  no_such_policy_version: { en: 'no such policy version', zh: '没有这个策略版本' },
  policy_status_conflict: {
    en: 'Policy version {version} is {status}; only a version that is {wanted} can be {action}.',
    zh: '策略版本 {version} 的状态为 {status}；只有 {wanted} 状态的版本可以执行 {action}。',
  },
  policy_status_is: { en: 'is {status}, not {wanted}', zh: '状态为 {status}，不是 {wanted}' },
  invitation_not_found: {
    en: 'There is no invitation {invitationId}; list them with GET /invitations.',
    zh: '没有邀请 {invitationId}；用 GET /invitations 列出。',
  },
  no_such_invitation: { en: 'no such invitation', zh: '没有这个邀请' },
  valid_from_after_expiry: {
    en: 'validFrom must come before expiresAt.',
    zh: 'validFrom 须早于 expiresAt。',
  },
  before_expiry: { en: 'must be before expiresAt', zh: '须早于 expiresAt' },
  blacklist_entry_not_found: {
    en: 'There is no blacklist entry {entryId}; list them with GET /blacklist.',
    zh: '没有黑名单条目 {entryId}；用 GET /blacklist 列出。',
  },
  no_such_entry: { en: 'no such entry', zh: '没有这个条目' },
  flag_not_found: {
    en: 'There is no review flag {flagId}; see GET /review-queue.',
    zh: '没有复核标记 {flagId}；见 GET /review-queue。',
  },
  no_such_flag: { en: 'no such flag', zh: '没有这个标记' },
  request_not_found: {
    en: 'There is no explanation request or objection {requestId}; list them with GET /decision-requests.',
    zh: '没有解释请求或异议 {requestId}；用 GET /decision-requests 列出。',
  },
  no_such_request: { en: 'no such request', zh: '没有这个请求' },
  policy_version_exists: {
    en: 'Policy version {version} exists already; give the new document another version label.',
    zh: '策略版本 {version} 已存在；请给新文档另一个版本标签。',
  },
  is_taken: { en: 'is taken', zh: '已被占用' },
  approval_by_author: {
    en: 'You wrote policy version {version}; another risk analyst or an admin must approve it.',
    zh: '策略版本 {version} 由你撰写；须由另一位风险分析师或管理员审批。',
  },
  no_application_on_file: {
    en: 'Customer {customerId} has no approved application on file to start from; re-assessment works on customers onboarded through POST /applications.',
    zh: '客户 {customerId} 没有可作为起点的已批准申请；重新评估只适用于通过 POST /applications 准入的客户。',
  },
  made_by_person: {
    en: 'Decision {decisionId} was made by a person ({person}); only an automated decision is reviewed.',
    zh: '决策 {decisionId} 由人工作出（{person}）；只复核自动决策。',
  },
  persons_decision: { en: "a person's decision", zh: '人工决策' },
  reviewed_already: {
    en: 'Decision {decisionId} was reviewed already by {person} at {at} ({outcome}, decision {laterId}); an automated decision is reviewed once.',
    zh: '决策 {decisionId} 已由 {person} 于 {at} 复核（{outcome}，决策 {laterId}）；自动决策只复核一次。',
  },
  superseded_by: { en: 'superseded by {laterId}', zh: '已被 {laterId} 取代' },
  approval_not_reviewed: {
    en: 'Decision {decisionId} approved the application; a person reviews referrals, and declines whose objection was overturned.',
    zh: '决策 {decisionId} 已批准该申请；人工只复核转人工的决策，以及异议被答复为推翻的拒绝。',
  },
  an_approval: { en: 'an approval', zh: '已批准' },
  decline_without_overturn: {
    en: 'Decision {decisionId} declined the application and no objection to it was answered "overturned"; record the objection (POST /decisions/{{id}}/objections) and answer it first.',
    zh: '决策 {decisionId} 拒绝了该申请，且没有被答复为“推翻”的异议；请先登记异议（POST /decisions/{{id}}/objections）并作出答复。',
  },
  decline_not_overturned: { en: 'a decline without an overturned objection', zh: '拒绝且无被推翻的异议' },
  request_answered: {
    en: 'Request {requestId} was answered by {person} at {at}; it is answered once.',
    zh: '请求 {requestId} 已由 {person} 于 {at} 答复；每个请求只答复一次。',
  },
  flag_resolved: {
    en: 'Flag {flagId} was resolved ({resolution}) by {person} at {at}.',
    zh: '标记 {flagId} 已由 {person} 于 {at} 处理（{resolution}）。',
  },
  new_applicant_customer: {
    en: 'There is no customer {customerId}; leave customerId out for a new applicant.',
    zh: '没有客户 {customerId}；新申请人请不填 customerId。',
  },
  mainland_mobile: {
    en: 'must be a mainland mobile number of 11 digits',
    zh: '须为 11 位中国大陆手机号',
  },
  decided_from_after_to: {
    en: 'decidedFrom {from} is after decidedTo {to}; swap them.',
    zh: 'decidedFrom {from} 晚于 decidedTo {to}；请对调两者。',
  },
  on_or_before_decided_to: { en: 'must be on or before decidedTo', zh: '须不晚于 decidedTo' },
  review_no_invitation: {
    en: 'The application took up no invitation, and a line opens only for an invited applicant; the application cannot be approved. Decline it, or invite the applicant again and let them apply.',
    zh: '该申请未使用任何邀请，而额度只为受邀申请人开立；不能批准。请拒绝，或重新邀请申请人再申请。',
  },
  review_invitation_status: {
    en: 'Invitation {invitationId} is {status}{en_by}; the application cannot be approved. Decline it, or invite the applicant again and let them apply.',
    zh: '邀请 {invitationId} 的状态为 {status}{zh_by}；不能批准该申请。请拒绝，或重新邀请申请人再申请。',
  },
  review_invitation_expired: {
    en: 'Invitation {invitationId} expired at {expiresAt}; the application cannot be approved. Decline it, or invite the applicant again and let them apply.',
    zh: '邀请 {invitationId} 已于 {expiresAt} 过期；不能批准该申请。请拒绝，或重新邀请申请人再申请。',
  },
  no_invitation_in_force: { en: 'no invitation in force', zh: '没有有效的邀请' },
  review_flag_confirmed: {
    en: 'The application cannot be approved: review flag {flags} was confirmed by {people}.',
    zh: '不能批准该申请：复核标记 {flags} 已由 {people} 确认。',
  },
  flag_is_confirmed: { en: 'flag {flagId} ({kind}) is confirmed', zh: '标记 {flagId}（{kind}）已确认' },
  review_limit_above_cap: {
    en: "limit {limit} yuan is above the cap of {cap} yuan the automated decision held to ({binding}; the caps are the income multiple, the policy maximum, the invitation's cap and the amount asked for).",
    zh: '额度 {limit} 元高于自动决策遵守的上限 {cap} 元（{binding}；上限为收入倍数、策略最高额、邀请的上限和申请金额）。',
  },
  limit_above_cap: { en: 'is above the cap of {cap} yuan', zh: '高于上限 {cap} 元' },
  review_rate_above_cap: {
    en: 'daily rate {rate} gives an APR above the cap of {aprCap} at some term offered; {highest} is the highest within it.',
    zh: '日利率 {rate} 在所提供的某个期限下年化利率超过上限 {aprCap}；上限内最高为 {highest}。',
  },
  rate_above_cap: {
    en: 'gives an APR above the cap; at most {highest}',
    zh: '年化利率超过上限；最高 {highest}',
  },
  rollback_without_earlier: {
    en: 'No version of product "{productId}" was in force before {version}, and the shipped pack is for another product; publish another version instead.',
    zh: '产品 "{productId}" 在 {version} 之前没有生效的版本，而随附的策略包属于另一产品；请改为发布另一个版本。',
  },
  entry_expiry_out_of_range: {
    en: '{field} must be after now and at most {days} days ahead (every entry ends).',
    zh: '{field} 须晚于现在，且至多在 {days} 天之后（每个条目都有期限）。',
  },
  in_next_days: { en: 'must be in the next {days} days', zh: '须在接下来的 {days} 天内' },
  reassessment_fix_fields: {
    en: 'Fix these fields and send again: {en_list}',
    zh: '请修正以下字段后重新提交：{zh_list}',
  },
  reassessment_no_policy: {
    en: 'No policy is in force for product "{productId}" of the customer\'s application; publish one first.',
    zh: '客户申请的产品 "{productId}" 没有生效的策略；请先发布一个。',
  },
  policy_fix_and_resend: {
    en: 'Fix the policy and send again: {en_list}',
    zh: '请修正策略后重新提交：{zh_list}',
  },
  reassessment_cannot_be_made: {
    en: 'The re-assessment cannot be made: {reason}{en_list}',
    zh: '无法进行重新评估：{reason}{zh_list}',
  },
  decision_failed: {
    en: 'The policy or model in force could not decide ({code}: {reason}); an analyst must fix or roll back the policy.',
    zh: '生效的策略或模型无法作出决策（{code}：{reason}）；须由分析师修正或回滚策略。',
  },
} as const satisfies Catalogue;
