/**
 * Decision reasons, review evidence and legal sources as staff read them: the values a rule saw as a list
 * with amounts in yuan (the record keeps fen), the reasons and sources in the UI's language, and the reason
 * that decided a decline. Pure: the pages pass in their translator and money formatter.
 */
import { aprPercent, type DecisionDetail, percent } from './decisions.js';
import { en, type MessageKey } from './messages.js';
import type { Locale } from './money.js';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;
type Money = (yuan: string) => string;

/** Whether the dashboard has a label for this key (both tables have every key; a test checks). */
const known = (key: string): key is MessageKey => Object.hasOwn(en, key);

/** Fen (an integer) as a decimal string of yuan, exactly. */
export function fenToYuanText(fen: number): string {
  const negative = fen < 0;
  const abs = BigInt(Math.abs(Math.trunc(fen)));
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** Keys with a label of their own (`valueKey.<key>`), after any `_fen` is taken off. */
const LABELLED_KEYS = new Set([
  'score.value',
  'applicant.segment',
  'limit',
  'riskGrade',
  'income.verified',
  'income.verifiedMonthly',
  'requestedLimit',
  'verifiedMonthlyIncome',
  'incomeMultipleMax',
  'limitMax',
  'limitMin',
  'cap',
  'apr',
  'dailyRate',
  'value',
  'feature',
  'pointsLost',
  'channel',
  'installSource',
  'window_days',
  'applicantsMax',
  'applicationIds',
  'otherApplicants',
  'entryId',
  'subject',
  'source',
  'expiresAt',
  'deviceId',
  'ip',
  'count',
  'windowDays',
  'reason',
  'evidence',
  'applications',
]);

/** A label the dashboard has for `prefix.value`, else the value itself (a code the dashboard does not know). */
export function labelOf(prefix: string, value: string, t: Translate): string {
  const key = `${prefix}.${value}`;
  return known(key) ? t(key) : value;
}

/** A model feature's value as the score reason records it: a bin (`4 in [3.5, 5.5)`) or a category. */
export function featureValueText(feature: string, value: string, t: Translate): string {
  const bin = /^(.*) in ([[(][^\])]*[\])])$/.exec(value);
  if (bin !== null) {
    return t('feature.interval', { value: bin[1] ?? '', interval: (bin[2] ?? '').replaceAll('inf', '∞') });
  }
  return labelOf(`featureValue.${feature}`, value, t);
}

/** Values whose codes the dashboard puts in words: which label table each key's value is looked up in. */
const VALUE_TABLES: Record<string, string> = {
  feature: 'feature',
  'applicant.segment': 'segment',
  subject: 'blacklistSubject',
  source: 'blacklistSource',
};

export interface ValueEntry {
  /** The key as the record has it (`limit_fen`). */
  key: string;
  label: string;
  text: string;
}

/**
 * The values a rule or flag saw, one entry each: `…_fen` amounts in yuan, booleans as yes/no, lists joined,
 * nested objects as `key: value` pairs; keys the dashboard knows get their label.
 */
export function valueEntries(values: unknown, t: Translate, money: Money): ValueEntry[] {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return [];
  const show = (v: unknown): string => {
    if (v === null || v === undefined) return t('common.none');
    if (typeof v === 'boolean') return t(v ? 'value.yes' : 'value.no');
    if (Array.isArray(v)) return v.map(show).join(', ');
    if (typeof v === 'object')
      return Object.entries(v as Record<string, unknown>)
        .map(([k, x]) => `${k}: ${show(x)}`)
        .join('; ');
    return String(v);
  };
  return Object.entries(values as Record<string, unknown>).map(([key, v]) => {
    const fen = key.endsWith('_fen');
    const base = fen ? key.slice(0, -'_fen'.length) : key;
    const label = LABELLED_KEYS.has(base) ? t(`valueKey.${base}` as MessageKey) : base;
    const table = VALUE_TABLES[base];
    const feature = (values as Record<string, unknown>).feature;
    const text =
      table !== undefined && typeof v === 'string'
        ? labelOf(table, v, t)
        : base === 'value' && typeof feature === 'string' && typeof v === 'string'
          ? featureValueText(feature, v, t)
          : fen && typeof v === 'number' && Number.isSafeInteger(v)
            ? money(fenToYuanText(v))
            : base === 'apr' && typeof v === 'string'
              ? aprPercent(v)
              : base === 'dailyRate' && typeof v === 'string'
                ? percent(v)
                : show(v);
    return { key, label, text };
  });
}

type Reason = DecisionDetail['reasons'][number];
/** The rules that fired, as the sealed record keeps them. */
function rulesFired(d: Pick<DecisionDetail, 'record'>) {
  const fired = d.record?.rulesFired;
  return Array.isArray(fired) ? fired : [];
}

const flagCode = (kind: string) => `FLAG_${kind.toUpperCase().replaceAll('-', '_')}`;

/**
 * Which reason decided a decline (its index), or -1: the first reason that refuses, in the order the
 * policy applies them (src/origination/outcome.ts): a blacklist hit, a flag that refuses, a knock-out
 * rule, a score cut-off that declines, a limit below the smallest line; on a person's decision, the
 * person's first reason.
 */
export function decidingReasonIndex(
  d: Pick<DecisionDetail, 'outcome' | 'reasons' | 'flags' | 'record' | 'decidedBy'>,
): number {
  if (d.outcome !== 'decline') return -1;
  const refusingFlags = new Set(d.flags.filter((f) => f.severity === 'refuse').map((f) => flagCode(f.kind)));
  const decliningCutoffs = new Set(
    rulesFired(d)
      .filter((r) => r.outputs?.result === 'decline' && typeof r.ruleId === 'string')
      .map((r) => r.ruleId),
  );
  return d.reasons.findIndex(
    (r) =>
      (r.source === 'blacklist' && (r.values as { subject?: unknown } | undefined)?.subject !== 'ip') ||
      ((r.source === 'invitation' || r.source === 'fraud') && refusingFlags.has(r.code)) ||
      r.source === 'knockout' ||
      (r.source === 'cutoff' && decliningCutoffs.has(r.code)) ||
      r.code === 'LIMIT_BELOW_MINIMUM' ||
      (r.source === 'review' && d.decidedBy != null),
  );
}

const KNOWN_SOURCES = new Set([
  'blacklist',
  'invitation',
  'fraud',
  'knockout',
  'cutoff',
  'referral',
  'limit',
  'cap',
  'pricing',
  'score',
  'review',
]);

export function reasonSourceLabel(source: string, t: Translate): string {
  return KNOWN_SOURCES.has(source) ? t(`reasonSource.${source}` as MessageKey) : source;
}

const FLAG_KIND_OF_CODE = (code: string) =>
  code
    .replace(/^FLAG_/, '')
    .toLowerCase()
    .replaceAll('_', '-');

/**
 * A reason in the UI's language. English shows the server's own words; Chinese builds the sentence from
 * the reason's source, code and values, and falls back to the server's words for a reason it does not know.
 */
export function reasonText(
  r: Reason,
  d: Pick<DecisionDetail, 'riskGrade' | 'record'>,
  locale: Locale,
  t: Translate,
  money: Money,
  percent: (rate: string) => string,
): string {
  if (locale === 'en') return r.message;
  const v = (r.values ?? {}) as Record<string, unknown>;
  const yuan = (key: string) =>
    typeof v[key] === 'number' ? money(fenToYuanText(v[key] as number)) : t('common.none');
  const grade = String(v.riskGrade ?? d.riskGrade ?? '');
  switch (r.source) {
    case 'cutoff': {
      const rule = rulesFired(d).find((x) => x.ruleId === r.code);
      const result = String(rule?.outputs?.result ?? '');
      return t('reasonText.cutoff', {
        score: String(v['score.value'] ?? ''),
        segment: labelOf('segment', String(v['applicant.segment'] ?? ''), t),
        result: ['pass', 'refer', 'decline'].includes(result)
          ? t(`cutResult.${result}` as MessageKey)
          : result,
        grade,
      });
    }
    case 'limit':
      if (r.code === 'LIMIT_BELOW_MINIMUM')
        return t('reasonText.limitBelowMinimum', { limit: yuan('limit_fen'), minimum: yuan('limitMin_fen') });
      return t('reasonText.limit', { limit: yuan('limit_fen'), grade });
    case 'cap':
      if (r.code === 'CAP_INCOME_MULTIPLE')
        return t('reasonText.capIncome', { multiple: String(v.incomeMultipleMax ?? '') });
      if (r.code === 'CAP_POLICY_MAXIMUM') return t('reasonText.capPolicy');
      if (r.code === 'CAP_REQUESTED') return t('reasonText.capRequested');
      return t('reasonText.cap', { cap: yuan('cap_fen') });
    case 'pricing':
      return t('reasonText.pricing', {
        grade,
        dailyRate: typeof v.dailyRate === 'string' ? percent(v.dailyRate) : '',
        apr: typeof v.apr === 'string' ? percent(v.apr) : '',
      });
    case 'score':
      return t('reasonText.score', {
        feature: labelOf('feature', String(v.feature ?? ''), t),
        value: featureValueText(String(v.feature ?? ''), String(v.value ?? ''), t),
        points: String(v.pointsLost ?? ''),
      });
    case 'blacklist':
      return t('reasonText.blacklist', { subject: labelOf('blacklistSubject', String(v.subject ?? ''), t) });
    case 'invitation':
    case 'fraud': {
      const key = `flag.${FLAG_KIND_OF_CODE(r.code)}`;
      return known(key) ? t(key) : r.message;
    }
    case 'knockout':
    case 'referral':
      // A rule of the policy: the dashboard's own words for the codes it knows, else the code.
      return known(`ruleReason.${r.code}`)
        ? t(`ruleReason.${r.code}` as MessageKey)
        : t('reasonText.rule', { code: r.code });
    case 'review':
      return known(`reviewReason.${r.code}`) ? t(`reviewReason.${r.code}` as MessageKey) : r.message;
    default:
      return r.message;
  }
}

/** Fragments of the legal sources the server cites, in Chinese (the law names are Chinese already). */
const SOURCE_PHRASES: [RegExp, string][] = [
  [/national standard \((\d{4})\)/g, '国家标准（$1）'],
  [/collection guideline \((\d{4})\)/g, '催收指引（$1）'],
  [/NIFA collection convention \((\d{4})\)/g, '中国互联网金融协会催收公约（$1）'],
  [/PBOC 个人征信 repayment status codes/g, '人民银行个人征信还款状态代码'],
  [/internet courts in Beijing, Guangzhou, Hangzhou/g, '北京、广州、杭州互联网法院'],
  [/the award is final and enforced by a court/g, '裁决为终局裁决，由法院执行'],
  [/enforcement certificate from the notary/g, '公证机构出具执行证书'],
  [/Arts?\. ([\d–, ]+\d)/g, '第 $1 条'],
  [/§([A-Z]?\d[\d.]*)/g, '第 $1 段'],
  [/CAS 22/g, '企业会计准则第 22 号'],
  [/ \((\d{4})\)/g, '（$1）'],
  [/\(([^()]+)\)/g, '（$1）'],
  [/; /g, '；'],
  [/: /g, '：'],
];

/** A legal source as the server cites it ("征信业管理条例 Art. 15"), in the UI's language. */
export function legalSource(source: string, locale: Locale): string {
  if (locale === 'en') return source;
  let text = source;
  for (const [pattern, replacement] of SOURCE_PHRASES) text = text.replace(pattern, replacement);
  // Within "第 188, 189, 195 条" the list separator is the Chinese one.
  return text.replace(/第 ([\d–, ]+) 条/g, (_m, list: string) => `第 ${list.replaceAll(', ', '、')} 条`);
}

/**
 * An audit entry's details in words: known keys labelled, `…Minor` amounts in yuan, outcomes, flags,
 * roles and blacklist subjects and sources by their labels; other values as they are (ids, hashes).
 */
export function auditDetailsText(details: unknown, t: Translate, money: Money, separator: string): string {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return '';
  const word = (key: string, v: unknown): string => {
    if (v === null || v === undefined) return t('common.none');
    if (Array.isArray(v)) return v.map((x) => word(key, x)).join(', ');
    if (typeof v === 'object') return JSON.stringify(v);
    if (key.endsWith('Minor') && typeof v === 'number' && Number.isSafeInteger(v))
      return money(fenToYuanText(v));
    const text = String(v);
    const table = AUDIT_VALUE_TABLES[key];
    return table === undefined ? text : labelOf(table, text, t);
  };
  return Object.entries(details as Record<string, unknown>)
    .map(([key, v]) => `${labelOf('auditKey', key, t)}: ${word(key, v)}`)
    .join(separator);
}

const AUDIT_VALUE_TABLES: Record<string, string> = {
  outcome: 'outcome',
  flags: 'flag',
  role: 'role',
  subject: 'blacklistSubject',
  source: 'blacklistSource',
};
