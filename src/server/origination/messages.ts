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
    en: 'Policy version {version} is {status}; only a {wanted} version can be {action}.',
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
} as const satisfies Catalogue;
