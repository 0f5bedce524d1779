import { ID_PATTERN } from '../../store/index.js';
import { KERNEL_MESSAGES } from './kernel-messages.js';
import { type Message, say } from './messages.js';

/**
 * Field messages in words: what the field must be, never a regular expression a person has to decode.
 * `describePattern` serves the one mapping from schema errors to problems (errors.ts).
 */

/** The thing an id names, from its field name: `loanId` → "loan" / 借据, `lineId` → "credit line" / 授信额度. */
const ID_NOUNS: Record<string, { en: string; zh: string }> = {
  line: { en: 'credit line', zh: '授信额度' },
  loan: { en: 'loan', zh: '借据' },
  customer: { en: 'customer', zh: '客户' },
  user: { en: 'user', zh: '用户' },
  product: { en: 'product', zh: '产品' },
  application: { en: 'application', zh: '申请' },
  decision: { en: 'decision', zh: '决策' },
  policy: { en: 'policy', zh: '策略' },
  invitation: { en: 'invitation', zh: '邀请' },
  run: { en: 'EOD run', zh: '日终批处理' },
  entry: { en: 'blacklist entry', zh: '黑名单条目' },
  flag: { en: 'review flag', zh: '复核标记' },
  decisionRequest: { en: 'explanation request or objection', zh: '解释请求或异议' },
  request: { en: 'request', zh: '请求' },
  token: { en: 'token', zh: '令牌' },
};

function nounOfIdField(field: string): { en: string; zh: string } {
  const stem = field.replace(/Id$/, '');
  const en = stem.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return ID_NOUNS[stem] ?? { en, zh: en };
}

const WORDS_BY_PATTERN: Record<string, { en: string; zh: string }> = {
  '^1[3-9][0-9]{9}$': {
    en: 'a mainland mobile number: 11 digits starting 13 to 19, e.g. 13812345678',
    zh: '中国大陆手机号：以 13 至 19 开头的 11 位数字，例如 13812345678',
  },
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}$': {
    en: 'a date written YYYY-MM-DD, e.g. 2026-03-31',
    zh: '写作 YYYY-MM-DD 的日期，例如 2026-03-31',
  },
  '\\S': { en: 'text that is not blank', zh: '非空白文本' },
  '^[A-Za-z0-9_.:-]+$': { en: 'letters, digits and _ . : - only', zh: '只含字母、数字和 _ . : -' },
  '^[A-Za-z0-9_-]{4,40}$': { en: '4 to 40 letters, digits, _ or -', zh: '4 至 40 个字母、数字、_ 或 -' },
  '^[a-z][a-z0-9_.-]{2,39}$': {
    en: '3 to 40 lower-case letters, digits, _ . or -, starting with a letter',
    zh: '3 至 40 个小写字母、数字、_ . 或 -，以字母开头',
  },
  '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$': {
    en: 'up to 64 letters, digits, _ . or -, starting with a letter or digit',
    zh: '最多 64 个字母、数字、_ . 或 -，以字母或数字开头',
  },
  '^0\\.[0-9]{1,8}$': {
    en: 'a decimal below 1 with up to 8 places, e.g. "0.0005"',
    zh: '小于 1、最多 8 位小数的数，例如 "0.0005"',
  },
  '^M[0-7](,M[0-7]){0,7}$': {
    en: 'buckets M0 to M7 separated by commas, e.g. M1,M2',
    zh: '以逗号分隔的逾期阶段 M0 至 M7，例如 M1,M2',
  },
  '^[a-z_]+\\.[a-z_]+$': { en: 'an action such as customer.read', zh: '操作名，例如 customer.read' },
};

/** The message for a value that does not match `pattern` at the field named last in `path`. */
export function describePattern(path: string, pattern: string): Message {
  const field = path.split('/').at(-1) ?? '';
  if (pattern === ID_PATTERN) {
    const noun = nounOfIdField(field);
    return say(KERNEL_MESSAGES, 'field_id_form', { en_noun: noun.en, zh_noun: noun.zh });
  }
  const words = WORDS_BY_PATTERN[pattern];
  return words === undefined
    ? say(KERNEL_MESSAGES, 'field_pattern_unknown')
    : say(KERNEL_MESSAGES, 'field_pattern', { en_words: words.en, zh_words: words.zh });
}
