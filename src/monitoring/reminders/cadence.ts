import { type CurrencyCode, isCurrencyCode } from '../../money/index.js';
import { type ContactHours, isTimeZone, parseClock } from './zone-time.js';

/**
 * Reminder cadences (多阶段提醒) as data: which message goes out on which day around a due date, through
 * which channel, in which words. A cadence document is versioned and approved by a second person before
 * it is used (decision 0611); `parseCadenceDocument` is the one gate every document passes.
 */

/** Ways a reminder reaches a borrower. `call-task` and `letter` are handed to a vendor by webhook. */
export const REMINDER_CHANNELS = ['app-push', 'sms', 'email', 'call-task', 'letter'] as const;
export type ReminderChannel = (typeof REMINDER_CHANNELS)[number];

export const REMINDER_LANGS = ['zh-CN', 'en'] as const;
export type ReminderLang = (typeof REMINDER_LANGS)[number];

/**
 * What a stage's day is counted from:
 * - `due`: the instalment's due date (T); T−3 is offset −3, T+7 is +7;
 * - `negative-notice`: the last day the lender may give the notice before the first negative credit report
 *   (征信业管理条例 Art. 15, reporting/ negativeNoticeDeadline); offset 0 is that day, −2 two days before.
 */
export type ReminderAnchor = 'due' | 'negative-notice';

/** Placeholders a template may use, filled by the planner. */
export const TEMPLATE_FIELDS = [
  'amountDue',
  'currency',
  'dueDate',
  'daysPastDue',
  'negativeReportDate',
  'consequence',
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

export interface ReminderTemplate {
  readonly subject: string;
  readonly body: string;
}

export interface ReminderStage {
  /** Stable name, unique in its cadence: `t-3`, `legal-negative-notice`, `m2-letter`. */
  readonly stageId: string;
  readonly anchor: ReminderAnchor;
  readonly offsetDays: number;
  readonly channel: ReminderChannel;
  /** Wanted send time on the day, in the lender's zone; moved into the borrower's contact hours. */
  readonly sendAt: string;
  /**
   * A notice the law requires (the notice before the first negative report): it is sent whatever the
   * borrower opted out of and whatever the daily cap.
   */
  readonly legallyRequired: boolean;
  readonly templates: Readonly<Record<ReminderLang, ReminderTemplate>>;
}

export interface ReminderCadence {
  readonly cadenceId: string;
  /** The product it serves, or `*` for every product without its own. */
  readonly productId: string;
  /** The customer segment it serves, or `*`. */
  readonly segment: string;
  readonly stages: readonly ReminderStage[];
}

export interface CadenceDocument {
  /** The lender's zone, in which stage send times are written (Asia/Shanghai by default). */
  readonly lenderTimeZone: string;
  /** Language and zone of a borrower who set none. */
  readonly defaultContact: { readonly timeZone: string; readonly lang: ReminderLang };
  /** Contact hours in the borrower's zone: 08:00–22:00 by default (collection rules, domain.md §7). */
  readonly contactHours: { readonly start: string; readonly end: string };
  /** Reminders that may be opted out of, per customer and business day; legally required ones are not counted. */
  readonly capPerCustomerPerDay: number;
  readonly currency: CurrencyCode;
  readonly cadences: readonly ReminderCadence[];
  /** Words and channel of the notice of each line change; the defaults (line-notices.ts) where absent. */
  readonly lineNotices?: LineNotices;
}

/** Line notices (decision 0623): the kinds of line change a borrower is told of, and their placeholders. */
export const LINE_NOTICE_KINDS = ['frozen', 'unfrozen', 'limit-changed', 'closed'] as const;
export type LineNoticeKind = (typeof LINE_NOTICE_KINDS)[number];

/** Placeholders a line notice may use. */
export const LINE_NOTICE_FIELDS = [
  'lineId',
  'reason',
  'limit',
  'previousLimit',
  'currency',
  'changeDate',
] as const;
export type LineNoticeField = (typeof LINE_NOTICE_FIELDS)[number];

export interface LineNoticeTemplate {
  readonly channel: ReminderChannel;
  readonly templates: Readonly<Record<ReminderLang, ReminderTemplate>>;
}

export type LineNotices = Readonly<Partial<Record<LineNoticeKind, LineNoticeTemplate>>>;

/** A document that passed `parseCadenceDocument`, with its parsed clock times. */
export interface ParsedCadenceDocument extends CadenceDocument {
  readonly hours: ContactHours;
}

export interface CadenceIssue {
  /** JSON pointer into the document. */
  readonly path: string;
  readonly message: string;
}

export type CadenceParse =
  | { readonly ok: true; readonly document: ParsedCadenceDocument }
  | { readonly ok: false; readonly issues: readonly CadenceIssue[] };

/** Named bounds of a document. */
export const CADENCE_BOUNDS = {
  cadences_max: 200,
  stages_max: 30,
  offsetDays_abs_max: 400,
  template_chars_max: 2000,
  capPerCustomerPerDay_max: 50,
} as const;

const ID = /^[a-z0-9][a-z0-9._+-]{0,63}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Placeholders `{name}` of a template text; braces must pair. */
export function templateFields(text: string): { fields: string[]; unbalanced: boolean } {
  const fields: string[] = [];
  const re = /\{([^{}]*)\}/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) fields.push(m[1] ?? '');
  const stripped = text.replace(re, '');
  return { fields, unbalanced: stripped.includes('{') || stripped.includes('}') };
}

function checkTemplate(
  text: unknown,
  path: string,
  required: readonly TemplateField[],
  issues: CadenceIssue[],
) {
  if (typeof text !== 'string' || text.trim() === '') {
    issues.push({ path, message: 'must be a non-empty text' });
    return;
  }
  if (text.length > CADENCE_BOUNDS.template_chars_max) {
    issues.push({ path, message: `must be at most ${CADENCE_BOUNDS.template_chars_max} characters` });
  }
  const { fields, unbalanced } = templateFields(text);
  if (unbalanced)
    issues.push({ path, message: 'has a "{" or "}" without its pair; write placeholders as {amountDue}' });
  for (const f of fields) {
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(f)) {
      issues.push({
        path,
        message: `uses unknown placeholder {${f}}; known: ${TEMPLATE_FIELDS.map((x) => `{${x}}`).join(', ')}`,
      });
    }
  }
  for (const f of required) {
    if (!fields.includes(f)) issues.push({ path, message: `must state {${f}}` });
  }
}

function parseStage(raw: unknown, path: string, issues: CadenceIssue[]): ReminderStage | undefined {
  if (!isRecord(raw)) {
    issues.push({ path, message: 'must be an object' });
    return undefined;
  }
  const before = issues.length;
  const { stageId, anchor, offsetDays, channel, sendAt, legallyRequired, templates } = raw;
  if (typeof stageId !== 'string' || !ID.test(stageId)) {
    issues.push({ path: `${path}/stageId`, message: 'must be 1–64 of a-z, 0-9, ".", "_", "+", "-"' });
  }
  if (anchor !== 'due' && anchor !== 'negative-notice') {
    issues.push({ path: `${path}/anchor`, message: 'must be "due" or "negative-notice"' });
  }
  if (!Number.isInteger(offsetDays) || Math.abs(offsetDays as number) > CADENCE_BOUNDS.offsetDays_abs_max) {
    issues.push({
      path: `${path}/offsetDays`,
      message: `must be a whole number of days within ±${CADENCE_BOUNDS.offsetDays_abs_max}`,
    });
  }
  if (anchor === 'negative-notice' && typeof offsetDays === 'number' && offsetDays > 0) {
    issues.push({
      path: `${path}/offsetDays`,
      message: 'a notice before the first negative report cannot come after its deadline; use 0 or less',
    });
  }
  if (typeof channel !== 'string' || !(REMINDER_CHANNELS as readonly string[]).includes(channel)) {
    issues.push({
      path: `${path}/channel`,
      message: `unknown channel ${JSON.stringify(channel)}; use one of ${REMINDER_CHANNELS.join(', ')}`,
    });
  }
  if (typeof sendAt !== 'string' || parseClock(sendAt) === undefined) {
    issues.push({ path: `${path}/sendAt`, message: 'must be a time "HH:MM" (24-hour)' });
  }
  if (typeof legallyRequired !== 'boolean') {
    issues.push({ path: `${path}/legallyRequired`, message: 'must be true or false' });
  }
  if (anchor === 'negative-notice' && legallyRequired !== true) {
    issues.push({
      path: `${path}/legallyRequired`,
      message:
        'the notice before the first negative report is required by law (征信业管理条例 Art. 15): set it true',
    });
  }
  const required: TemplateField[] = ['amountDue', 'dueDate'];
  if (anchor === 'negative-notice') required.push('negativeReportDate');
  if (!isRecord(templates)) {
    issues.push({ path: `${path}/templates`, message: 'must hold "zh-CN" and "en" templates' });
  } else {
    for (const key of Object.keys(templates)) {
      if (!(REMINDER_LANGS as readonly string[]).includes(key)) {
        issues.push({ path: `${path}/templates/${key}`, message: 'unknown language; use "zh-CN" and "en"' });
      }
    }
    for (const lang of REMINDER_LANGS) {
      const t = templates[lang];
      if (!isRecord(t)) {
        issues.push({ path: `${path}/templates/${lang}`, message: 'must be {"subject", "body"}' });
        continue;
      }
      checkTemplate(t.subject, `${path}/templates/${lang}/subject`, [], issues);
      checkTemplate(t.body, `${path}/templates/${lang}/body`, required, issues);
    }
  }
  if (issues.length > before) return undefined;
  return raw as unknown as ReminderStage;
}

function checkNoticeText(text: unknown, path: string, issues: CadenceIssue[]): void {
  if (typeof text !== 'string' || text.trim() === '') {
    issues.push({ path, message: 'must be a non-empty text' });
    return;
  }
  if (text.length > CADENCE_BOUNDS.template_chars_max)
    issues.push({ path, message: `must be at most ${CADENCE_BOUNDS.template_chars_max} characters` });
  const { fields, unbalanced } = templateFields(text);
  if (unbalanced)
    issues.push({ path, message: 'has a "{" or "}" without its pair; write placeholders as {limit}' });
  for (const f of fields)
    if (!(LINE_NOTICE_FIELDS as readonly string[]).includes(f))
      issues.push({
        path,
        message: `uses unknown placeholder {${f}}; known: ${LINE_NOTICE_FIELDS.map((x) => `{${x}}`).join(', ')}`,
      });
}

/** Validates a cadence document's `lineNotices` (path `/lineNotices`); pushes every problem found. */
export function checkLineNotices(raw: unknown, issues: CadenceIssue[]): void {
  if (raw === undefined) return;
  if (!isRecord(raw)) {
    issues.push({
      path: '/lineNotices',
      message: `must be an object keyed by ${LINE_NOTICE_KINDS.join(', ')}`,
    });
    return;
  }
  for (const [kind, notice] of Object.entries(raw)) {
    const path = `/lineNotices/${kind}`;
    if (!(LINE_NOTICE_KINDS as readonly string[]).includes(kind)) {
      issues.push({ path, message: `unknown line change; use ${LINE_NOTICE_KINDS.join(', ')}` });
      continue;
    }
    if (!isRecord(notice)) {
      issues.push({ path, message: 'must be {"channel", "templates"}' });
      continue;
    }
    if (
      typeof notice.channel !== 'string' ||
      !(REMINDER_CHANNELS as readonly string[]).includes(notice.channel)
    )
      issues.push({
        path: `${path}/channel`,
        message: `unknown channel ${JSON.stringify(notice.channel)}; use one of ${REMINDER_CHANNELS.join(', ')}`,
      });
    const templates = notice.templates;
    if (!isRecord(templates)) {
      issues.push({ path: `${path}/templates`, message: 'must hold "zh-CN" and "en" templates' });
      continue;
    }
    for (const key of Object.keys(templates))
      if (!(REMINDER_LANGS as readonly string[]).includes(key))
        issues.push({ path: `${path}/templates/${key}`, message: 'unknown language; use "zh-CN" and "en"' });
    for (const lang of REMINDER_LANGS) {
      const t = templates[lang];
      if (!isRecord(t)) {
        issues.push({ path: `${path}/templates/${lang}`, message: 'must be {"subject", "body"}' });
        continue;
      }
      checkNoticeText(t.subject, `${path}/templates/${lang}/subject`, issues);
      checkNoticeText(t.body, `${path}/templates/${lang}/body`, issues);
    }
  }
}

/** Validates a cadence document: every problem at once, each with its place and what to write instead. */
export function parseCadenceDocument(raw: unknown): CadenceParse {
  const issues: CadenceIssue[] = [];
  if (!isRecord(raw)) return { ok: false, issues: [{ path: '', message: 'must be a JSON object' }] };
  const hoursRaw = raw.contactHours;
  let hours: ContactHours | undefined;
  if (!isRecord(hoursRaw)) {
    issues.push({ path: '/contactHours', message: 'must be {"start": "08:00", "end": "22:00"}' });
  } else {
    const start = typeof hoursRaw.start === 'string' ? parseClock(hoursRaw.start) : undefined;
    const end = typeof hoursRaw.end === 'string' ? parseClock(hoursRaw.end) : undefined;
    if (start === undefined) issues.push({ path: '/contactHours/start', message: 'must be "HH:MM"' });
    if (end === undefined) issues.push({ path: '/contactHours/end', message: 'must be "HH:MM"' });
    if (start !== undefined && end !== undefined) {
      if (start >= end)
        issues.push({ path: '/contactHours', message: 'start must come before end on the same day' });
      else hours = { startMinute: start, endMinute: end };
    }
  }
  if (typeof raw.lenderTimeZone !== 'string' || !isTimeZone(raw.lenderTimeZone)) {
    issues.push({ path: '/lenderTimeZone', message: 'must be an IANA time zone such as "Asia/Shanghai"' });
  }
  const contact = raw.defaultContact;
  if (!isRecord(contact)) {
    issues.push({
      path: '/defaultContact',
      message: 'must be {"timeZone": "Asia/Shanghai", "lang": "zh-CN"}',
    });
  } else {
    if (typeof contact.timeZone !== 'string' || !isTimeZone(contact.timeZone)) {
      issues.push({
        path: '/defaultContact/timeZone',
        message: 'must be an IANA time zone such as "Asia/Shanghai"',
      });
    }
    if (typeof contact.lang !== 'string' || !(REMINDER_LANGS as readonly string[]).includes(contact.lang)) {
      issues.push({ path: '/defaultContact/lang', message: 'must be "zh-CN" or "en"' });
    }
  }
  const cap = raw.capPerCustomerPerDay;
  if (
    !Number.isInteger(cap) ||
    (cap as number) < 1 ||
    (cap as number) > CADENCE_BOUNDS.capPerCustomerPerDay_max
  ) {
    issues.push({
      path: '/capPerCustomerPerDay',
      message: `must be a whole number 1–${CADENCE_BOUNDS.capPerCustomerPerDay_max}`,
    });
  }
  if (typeof raw.currency !== 'string' || !isCurrencyCode(raw.currency)) {
    issues.push({ path: '/currency', message: 'must be a known currency code such as "CNY"' });
  }
  const cadences = raw.cadences;
  if (!Array.isArray(cadences) || cadences.length === 0 || cadences.length > CADENCE_BOUNDS.cadences_max) {
    issues.push({ path: '/cadences', message: `must list 1–${CADENCE_BOUNDS.cadences_max} cadences` });
  } else {
    const served = new Set<string>();
    const ids = new Set<string>();
    cadences.forEach((c, i) => {
      const path = `/cadences/${i}`;
      if (!isRecord(c)) {
        issues.push({ path, message: 'must be an object' });
        return;
      }
      if (typeof c.cadenceId !== 'string' || !ID.test(c.cadenceId)) {
        issues.push({ path: `${path}/cadenceId`, message: 'must be 1–64 of a-z, 0-9, ".", "_", "+", "-"' });
      } else if (ids.has(c.cadenceId)) {
        issues.push({ path: `${path}/cadenceId`, message: `"${c.cadenceId}" is used twice` });
      } else ids.add(c.cadenceId);
      if (typeof c.productId !== 'string' || c.productId === '') {
        issues.push({ path: `${path}/productId`, message: 'must be a product id or "*"' });
      }
      if (typeof c.segment !== 'string' || c.segment === '') {
        issues.push({ path: `${path}/segment`, message: 'must be a segment name or "*"' });
      }
      const key = `${String(c.productId)}\u0000${String(c.segment)}`;
      if (served.has(key)) {
        issues.push({
          path,
          message: `another cadence already serves product ${String(c.productId)}, segment ${String(c.segment)}`,
        });
      }
      served.add(key);
      const stages = c.stages;
      if (!Array.isArray(stages) || stages.length === 0 || stages.length > CADENCE_BOUNDS.stages_max) {
        issues.push({ path: `${path}/stages`, message: `must list 1–${CADENCE_BOUNDS.stages_max} stages` });
        return;
      }
      const stageIds = new Set<string>();
      stages.forEach((s, j) => {
        const stage = parseStage(s, `${path}/stages/${j}`, issues);
        if (stage === undefined) return;
        if (stageIds.has(stage.stageId)) {
          issues.push({ path: `${path}/stages/${j}/stageId`, message: `"${stage.stageId}" is used twice` });
        }
        stageIds.add(stage.stageId);
      });
    });
  }
  checkLineNotices(raw.lineNotices, issues);
  if (issues.length > 0 || hours === undefined) return { ok: false, issues };
  return { ok: true, document: { ...(raw as unknown as CadenceDocument), hours } };
}

/** The cadence for a loan: its product and segment, then its product for any segment, then `*`, `*`. */
export function cadenceFor(
  document: CadenceDocument,
  productId: string,
  segment: string,
): ReminderCadence | undefined {
  const find = (p: string, s: string) => document.cadences.find((c) => c.productId === p && c.segment === s);
  return find(productId, segment) ?? find(productId, '*') ?? find('*', segment) ?? find('*', '*');
}

/** Whether a zone name is usable for a borrower (re-exported for the shell's validation). */
export function isContactTimeZone(name: string): boolean {
  return isTimeZone(name);
}
