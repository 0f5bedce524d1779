import type { Catalogue } from '../http/messages.js';

/** The user and token routes' messages (decision 0412). */
export const USER_MESSAGES = {
  user_not_found: {
    en: 'There is no user {userId}; list users with GET /users.',
    zh: '没有用户 {userId}；用 GET /users 列出用户。',
  },
  no_such_user: { en: 'no such user', zh: '没有这个用户' },
  username_taken: {
    en: 'The username {username} is taken; choose another.',
    zh: '用户名 {username} 已被占用；请另选一个。',
  },
  taken: { en: 'taken', zh: '已被占用' },
  token_not_found: {
    en: 'User {userId} has no token {tokenId}; see GET /users/{userId}.',
    zh: '用户 {userId} 没有令牌 {tokenId}；见 GET /users/{userId}。',
  },
  no_such_token: { en: 'no such token for this user', zh: '该用户没有这个令牌' },
  user_agency_not_found: {
    en: 'There is no active collection agency {agencyId}; register it with PUT /collections/agencies/{agencyId}.',
    zh: '没有启用的委外催收机构 {agencyId}；用 PUT /collections/agencies/{agencyId} 登记。',
  },
  not_for_this_role: { en: 'not for this role', zh: '不适用于此角色' },
  required_for_agency: { en: 'required for role agency', zh: 'agency 角色必填' },
  no_such_agency: { en: 'no such active agency', zh: '没有这个启用的机构' },
} as const satisfies Catalogue;
