import { evaluateExpressionSync } from '@gorules/zen-engine';
import { SIGNAL_FACT_NAMES, type SignalFactName, sampleFacts } from './facts.js';

/**
 * 预警策略: the early-warning document. Its `rules` are conditions over a customer's facts (GoRules ZEN
 * expressions, e.g. `revenueChange != null and revenueChange <= -0.2`), each raising a signal with a
 * severity, the facts shown as evidence, an owner queue and an action; its `healthReviews` are the periodic
 * requests for documents per segment. Versioned with maker-checker by the shell (decision 0640).
 */
export const SIGNAL_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type SignalSeverity = (typeof SIGNAL_SEVERITIES)[number];

/** What a signal makes happen besides being on the watchlist. */
export const SIGNAL_ACTIONS = ['none', 'reassess', 'freeze-line', 'offer-plan-adjustment'] as const;
export type SignalAction = (typeof SIGNAL_ACTIONS)[number];

/** The restructurings a signal may offer (the ledger's kinds that need no figures from a person). */
export const OFFER_KINDS = ['term-extension', 'payment-holiday', 'negotiated-plan'] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

/** The documents a health review asks for. */
export const REVIEW_DOCUMENT_KINDS = ['business-statements', 'income-evidence'] as const;
export type ReviewDocumentKind = (typeof REVIEW_DOCUMENT_KINDS)[number];

export const REVIEW_CHANNELS = ['sms', 'email', 'app-push', 'letter'] as const;
export type ReviewChannel = (typeof REVIEW_CHANNELS)[number];

/** A proactive offer of a plan adjustment (a restructuring proposed for a person to approve). */
export interface PlanOffer {
  readonly kind: OfferKind;
  /** term-extension: months added; payment-holiday: months without instalments; negotiated-plan: months of the new plan. */
  readonly months: number;
}

export interface SignalRule {
  /** Stable code, e.g. EW_FALLING_REVENUE; a signal is kept per customer and code. */
  readonly code: string;
  /** What the signal is about (utilisation-spike, partial-payments, income-drop …), for grouping. */
  readonly kind: string;
  /** A ZEN expression over the facts that is true when the signal is raised. */
  readonly when: string;
  readonly severity: SignalSeverity;
  /** Who works it: a queue name such as risk-review, limit-review, customer-care. */
  readonly queue: string;
  readonly action: SignalAction;
  readonly offer?: PlanOffer;
  /** Facts shown with the signal as its evidence. */
  readonly evidence: readonly SignalFactName[];
  readonly reason: { readonly en: string; readonly 'zh-CN': string };
}

export interface HealthReviewSchedule {
  /** Segment the schedule applies to: an occupation such as business-owner or freelancer. */
  readonly segment: string;
  readonly document: ReviewDocumentKind;
  /** A request every so many months after the last document received (or the line opened). */
  readonly everyMonths: number;
  /** Days the borrower has to send it; after that the request is overdue (and a signal fact). */
  readonly dueDays: number;
  readonly channel: ReviewChannel;
  /** Months a document received stays valid as evidence. */
  readonly validMonths: number;
  readonly templates: {
    readonly en: { readonly subject: string; readonly body: string };
    readonly 'zh-CN': { readonly subject: string; readonly body: string };
  };
}

export interface EarlyWarningDocument {
  readonly format: 'lendguard.early-warning';
  readonly formatVersion: 1;
  readonly rules: readonly SignalRule[];
  readonly healthReviews: readonly HealthReviewSchedule[];
}

export interface EarlyWarningIssue {
  /** JSON pointer of the field at fault. */
  readonly path: string;
  readonly message: string;
}

export type EarlyWarningParse =
  | { readonly ok: true; readonly document: EarlyWarningDocument }
  | { readonly ok: false; readonly issues: readonly EarlyWarningIssue[] };

/** Named bounds of a document. */
export const EARLY_WARNING_BOUNDS = {
  rules_max: 100,
  expression_chars_max: 500,
  text_chars_max: 500,
  reviews_max: 20,
  offer_months_max: 60,
  every_months_max: 24,
  due_days_max: 180,
} as const;

const CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
const NAME = /^[a-z][a-z0-9-]{0,63}$/;
const PLACEHOLDERS = new Set(['document', 'dueDate']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Identifiers an expression uses (outside string literals), for the unknown-fact check. */
function identifiersOf(expression: string): string[] {
  const bare = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const words = bare.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  const keywords = new Set(['and', 'or', 'not', 'null', 'true', 'false', 'in', 'abs', 'len', 'contains']);
  return words.filter((w) => !keywords.has(w));
}

function checkExpression(expression: unknown, path: string, issues: EarlyWarningIssue[]): void {
  if (typeof expression !== 'string' || expression.trim() === '') {
    issues.push({ path, message: 'must be a ZEN expression over the facts, e.g. "utilisation >= 0.9"' });
    return;
  }
  if (expression.length > EARLY_WARNING_BOUNDS.expression_chars_max) {
    issues.push({ path, message: `is longer than ${EARLY_WARNING_BOUNDS.expression_chars_max} characters` });
    return;
  }
  const unknown = identifiersOf(expression).filter((w) => !SIGNAL_FACT_NAMES.includes(w as SignalFactName));
  if (unknown.length > 0) {
    issues.push({
      path,
      message: `uses ${unknown.map((u) => `"${u}"`).join(', ')}, which is not a fact; facts are ${SIGNAL_FACT_NAMES.join(', ')}`,
    });
    return;
  }
  let result: unknown;
  try {
    result = evaluateExpressionSync(expression, sampleFacts());
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const source = /"source":"([^"]*)"/.exec(text)?.[1] ?? text.split('\n')[0];
    issues.push({ path, message: `is not a valid expression: ${source}` });
    return;
  }
  if (typeof result !== 'boolean')
    issues.push({ path, message: 'must give true or false (a condition), not a value' });
}

function text(
  v: unknown,
  path: string,
  issues: EarlyWarningIssue[],
  max: number = EARLY_WARNING_BOUNDS.text_chars_max,
) {
  if (typeof v !== 'string' || v.trim() === '' || v.length > max)
    issues.push({ path, message: `must be a non-empty text of at most ${max} characters` });
}

function oneOf<T extends string>(
  v: unknown,
  allowed: readonly T[],
  path: string,
  issues: EarlyWarningIssue[],
) {
  if (!allowed.includes(v as T))
    issues.push({ path, message: `is ${JSON.stringify(v)}; give one of ${allowed.join(', ')}` });
}

function wholeIn(v: unknown, min: number, max: number, path: string, issues: EarlyWarningIssue[]) {
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max)
    issues.push({ path, message: `must be a whole number from ${min} to ${max}` });
}

function checkRule(rule: unknown, path: string, issues: EarlyWarningIssue[], codes: Set<string>): void {
  if (!isObj(rule)) {
    issues.push({
      path,
      message: 'must be an object: code, kind, when, severity, queue, action, evidence, reason',
    });
    return;
  }
  const known = ['code', 'kind', 'when', 'severity', 'queue', 'action', 'offer', 'evidence', 'reason'];
  for (const k of Object.keys(rule))
    if (!known.includes(k))
      issues.push({ path: `${path}/${k}`, message: `is not a field of a rule (${known.join(', ')})` });
  if (typeof rule.code !== 'string' || !CODE.test(rule.code))
    issues.push({
      path: `${path}/code`,
      message: 'must be upper-case letters, digits and _ (e.g. EW_INCOME_DROP)',
    });
  else if (codes.has(rule.code))
    issues.push({ path: `${path}/code`, message: `${rule.code} is used by another rule` });
  else codes.add(rule.code);
  if (typeof rule.kind !== 'string' || !NAME.test(rule.kind))
    issues.push({
      path: `${path}/kind`,
      message: 'must be lower-case letters, digits and - (e.g. income-drop)',
    });
  checkExpression(rule.when, `${path}/when`, issues);
  oneOf(rule.severity, SIGNAL_SEVERITIES, `${path}/severity`, issues);
  if (typeof rule.queue !== 'string' || !NAME.test(rule.queue))
    issues.push({
      path: `${path}/queue`,
      message: 'must be lower-case letters, digits and - (e.g. risk-review)',
    });
  oneOf(rule.action, SIGNAL_ACTIONS, `${path}/action`, issues);
  if (rule.action === 'offer-plan-adjustment') {
    if (!isObj(rule.offer))
      issues.push({
        path: `${path}/offer`,
        message: 'an offer-plan-adjustment rule needs an offer: { kind, months }',
      });
    else {
      oneOf(rule.offer.kind, OFFER_KINDS, `${path}/offer/kind`, issues);
      wholeIn(rule.offer.months, 1, EARLY_WARNING_BOUNDS.offer_months_max, `${path}/offer/months`, issues);
    }
  } else if (rule.offer !== undefined)
    issues.push({ path: `${path}/offer`, message: 'only an offer-plan-adjustment rule has an offer' });
  if (!Array.isArray(rule.evidence) || rule.evidence.length === 0)
    issues.push({
      path: `${path}/evidence`,
      message: 'must list the facts shown as evidence (at least one)',
    });
  else
    rule.evidence.forEach((f, i) => {
      if (!SIGNAL_FACT_NAMES.includes(f as SignalFactName))
        issues.push({ path: `${path}/evidence/${i}`, message: `${JSON.stringify(f)} is not a fact` });
    });
  if (!isObj(rule.reason))
    issues.push({ path: `${path}/reason`, message: 'must give the reason in en and zh-CN' });
  else {
    text(rule.reason.en, `${path}/reason/en`, issues);
    text(rule.reason['zh-CN'], `${path}/reason/zh-CN`, issues);
  }
}

function checkTemplate(t: unknown, path: string, issues: EarlyWarningIssue[]): void {
  if (!isObj(t)) {
    issues.push({ path, message: 'must be { subject, body }' });
    return;
  }
  text(t.subject, `${path}/subject`, issues, 200);
  text(t.body, `${path}/body`, issues, 2000);
  for (const field of ['subject', 'body'] as const) {
    const s = t[field];
    if (typeof s !== 'string') continue;
    for (const m of s.matchAll(/\{([^}]*)\}/g))
      if (!PLACEHOLDERS.has(m[1] ?? ''))
        issues.push({
          path: `${path}/${field}`,
          message: `{${m[1]}} is not a placeholder; use {document} or {dueDate}`,
        });
  }
}

function checkReview(r: unknown, path: string, issues: EarlyWarningIssue[], seen: Set<string>): void {
  if (!isObj(r)) {
    issues.push({
      path,
      message: 'must be an object: segment, document, everyMonths, dueDays, channel, validMonths, templates',
    });
    return;
  }
  if (typeof r.segment !== 'string' || !NAME.test(r.segment))
    issues.push({
      path: `${path}/segment`,
      message: 'must be a segment such as business-owner or freelancer',
    });
  oneOf(r.document, REVIEW_DOCUMENT_KINDS, `${path}/document`, issues);
  const key = `${String(r.segment)}/${String(r.document)}`;
  if (seen.has(key)) issues.push({ path, message: `a schedule for ${key} exists already` });
  seen.add(key);
  wholeIn(r.everyMonths, 1, EARLY_WARNING_BOUNDS.every_months_max, `${path}/everyMonths`, issues);
  wholeIn(r.dueDays, 1, EARLY_WARNING_BOUNDS.due_days_max, `${path}/dueDays`, issues);
  wholeIn(r.validMonths, 1, EARLY_WARNING_BOUNDS.every_months_max * 2, `${path}/validMonths`, issues);
  oneOf(r.channel, REVIEW_CHANNELS, `${path}/channel`, issues);
  if (!isObj(r.templates))
    issues.push({ path: `${path}/templates`, message: 'must give en and zh-CN templates' });
  else {
    checkTemplate(r.templates.en, `${path}/templates/en`, issues);
    checkTemplate(r.templates['zh-CN'], `${path}/templates/zh-CN`, issues);
  }
}

/** Checks an early-warning document; every problem is named by its JSON pointer. */
export function parseEarlyWarningDocument(raw: unknown): EarlyWarningParse {
  const issues: EarlyWarningIssue[] = [];
  if (!isObj(raw)) return { ok: false, issues: [{ path: '', message: 'must be a JSON object' }] };
  if (raw.format !== 'lendguard.early-warning')
    issues.push({ path: '/format', message: 'must be "lendguard.early-warning"' });
  if (raw.formatVersion !== 1) issues.push({ path: '/formatVersion', message: 'must be 1' });
  for (const k of Object.keys(raw))
    if (!['format', 'formatVersion', 'rules', 'healthReviews'].includes(k))
      issues.push({
        path: `/${k}`,
        message: 'is not a field of the document (format, formatVersion, rules, healthReviews)',
      });
  if (
    !Array.isArray(raw.rules) ||
    raw.rules.length === 0 ||
    raw.rules.length > EARLY_WARNING_BOUNDS.rules_max
  )
    issues.push({ path: '/rules', message: `must list 1 to ${EARLY_WARNING_BOUNDS.rules_max} rules` });
  else {
    const codes = new Set<string>();
    raw.rules.forEach((r, i) => {
      checkRule(r, `/rules/${i}`, issues, codes);
    });
  }
  if (!Array.isArray(raw.healthReviews) || raw.healthReviews.length > EARLY_WARNING_BOUNDS.reviews_max)
    issues.push({
      path: '/healthReviews',
      message: `must list at most ${EARLY_WARNING_BOUNDS.reviews_max} schedules`,
    });
  else {
    const seen = new Set<string>();
    raw.healthReviews.forEach((r, i) => {
      checkReview(r, `/healthReviews/${i}`, issues, seen);
    });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, document: raw as unknown as EarlyWarningDocument };
}
