import type { Catalogue } from '../http/messages.js';

/** The reminder and webhook routes' messages (decision 0412). */
export const REMINDER_MESSAGES = {
  webhook_subscription_not_found: {
    en: 'No webhook subscription {subscriptionId}. List them with GET /webhook-subscriptions.',
    zh: '没有 webhook 订阅 {subscriptionId}；用 GET /webhook-subscriptions 列出。',
  },
  subscription_does_not_exist: { en: 'does not exist', zh: '不存在' },
  url_too_long: { en: 'must be at most {max} characters', zh: '最多 {max} 个字符' },
  url_not_absolute: {
    en: 'is not an absolute URL; write it as https://host/path',
    zh: '不是绝对 URL；请写成 https://host/path',
  },
  url_protocol: {
    en: 'uses {protocol} — only http: and https: are sent to',
    zh: '使用了 {protocol}——只向 http: 和 https: 地址发送',
  },
  url_no_host: { en: 'has no host', zh: '没有主机名' },
  url_credentials: {
    en: 'carries a user name or password; remove them — each delivery is signed with its secret instead',
    zh: '包含用户名或密码；请删除——每次投递改用订阅的密钥签名',
  },
  url_fragment: {
    en: 'has a #fragment, which is never sent; remove it',
    zh: '包含 #片段，而片段从不发送；请删除',
  },
  cadence_invalid: {
    en: 'The cadence document is not valid; fix the {en_fields} named in errors and draft it again.',
    zh: '提醒节奏文档无效；请修改 errors 中列出的 {zh_count} 处后重新起草。',
  },
  cadence_not_found: {
    en: 'No reminder cadence version {version}. List them with GET /reminder-cadences.',
    zh: '没有提醒节奏版本 {version}；用 GET /reminder-cadences 列出。',
  },
  cadence_not_draft: {
    en: 'Cadence version {version} is {status}; only a draft can be approved. Draft a new version.',
    zh: '提醒节奏版本 {version} 的状态为 {status}；只有草稿可以审批。请起草新版本。',
  },
  cadence_own_draft: {
    en: 'You wrote cadence version {version}; another person must approve it.',
    zh: '提醒节奏版本 {version} 由您起草，须由另一人审批。',
  },
} as const satisfies Catalogue;
