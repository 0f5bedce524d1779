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
} as const satisfies Catalogue;
