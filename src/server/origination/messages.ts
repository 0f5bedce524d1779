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
} as const satisfies Catalogue;
