import { type CurrencyCode, type Day, formatDate, formatMinor } from '../../money/index.js';
import type {
  LineNoticeField,
  LineNoticeKind,
  LineNotices,
  LineNoticeTemplate,
  ReminderChannel,
  ReminderLang,
} from './cadence.js';
import type { ReminderBorrower } from './planner.js';
import { type ContactHours, nextContactInstant } from './zone-time.js';

/**
 * Line notices (额度变动通知): a change to a borrower's credit line — frozen, unfrozen, limit changed,
 * closed — reaches the borrower as a message in their language through the reminder channels and the
 * outbox, as reminders do (decision 0623). The words are data in the cadence document (`lineNotices`);
 * a document without them uses `DEFAULT_LINE_NOTICES`.
 */
export const DEFAULT_LINE_NOTICES: Readonly<Record<LineNoticeKind, LineNoticeTemplate>> = {
  frozen: {
    channel: 'sms',
    templates: {
      'zh-CN': {
        subject: '您的授信额度已冻结',
        body: '您的授信额度（{lineId}）自{changeDate}起冻结，暂不能借款。原因：{reason}。结清逾期款项后将自动恢复。',
      },
      en: {
        subject: 'Your credit line is frozen',
        body: 'Your credit line ({lineId}) is frozen from {changeDate}: no new drawdowns. Reason: {reason}. It reopens once what is past due is paid.',
      },
    },
  },
  unfrozen: {
    channel: 'sms',
    templates: {
      'zh-CN': {
        subject: '您的授信额度已恢复',
        body: '您的授信额度（{lineId}）自{changeDate}起恢复使用，可用额度上限 {limit} {currency}。',
      },
      en: {
        subject: 'Your credit line is open again',
        body: 'Your credit line ({lineId}) is open again from {changeDate}, with a limit of {limit} {currency}.',
      },
    },
  },
  'limit-changed': {
    channel: 'sms',
    templates: {
      'zh-CN': {
        subject: '您的授信额度已调整',
        body: '您的授信额度（{lineId}）自{changeDate}起由 {previousLimit} {currency} 调整为 {limit} {currency}。原因：{reason}。',
      },
      en: {
        subject: 'Your credit limit has changed',
        body: 'The limit of your credit line ({lineId}) changed from {previousLimit} to {limit} {currency} on {changeDate}. Reason: {reason}.',
      },
    },
  },
  closed: {
    channel: 'sms',
    templates: {
      'zh-CN': {
        subject: '您的授信额度已关闭',
        body: '您的授信额度（{lineId}）自{changeDate}起关闭，已借款项按原合同继续还款。原因：{reason}。',
      },
      en: {
        subject: 'Your credit line is closed',
        body: 'Your credit line ({lineId}) is closed from {changeDate}; loans already drawn run on as agreed. Reason: {reason}.',
      },
    },
  },
};

/** One change of a line, as its history records it. */
export interface LineNoticeChange {
  readonly kind: LineNoticeKind;
  readonly fromLimitMinor: number;
  readonly toLimitMinor: number;
  readonly code: string;
  readonly reason: string;
  readonly day: Day;
}

export interface PlanLineNoticesInput {
  readonly customerId: string;
  readonly lineId: string;
  readonly currency: CurrencyCode;
  readonly changes: readonly LineNoticeChange[];
  readonly borrower: ReminderBorrower;
  /** The document's `lineNotices`, or undefined for the defaults. */
  readonly notices: LineNotices | undefined;
  readonly hours: ContactHours;
  /** When the change was made (ms since the epoch): the notice goes at once, within contact hours. */
  readonly atMs: number;
}

export interface PlannedLineNotice {
  /** Stable per change: the same change noticed twice is one message (the outbox's key). */
  readonly reminderKey: string;
  readonly customerId: string;
  readonly lineId: string;
  readonly kind: LineNoticeKind;
  readonly channel: ReminderChannel;
  readonly lang: ReminderLang;
  readonly subject: string;
  readonly body: string;
  readonly scheduledAtMs: number;
}

function render(text: string, values: Readonly<Record<LineNoticeField, string>>): string {
  return text.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) =>
    name in values ? values[name as LineNoticeField] : whole,
  );
}

/**
 * The notices of a line's changes: one per change, in the borrower's language, on the notice's channel,
 * at the first contact instant from `atMs`. A change on a channel the borrower opted out of gets none
 * (a line notice is a service message, not a notice the law requires); the line's history still shows it.
 */
export function planLineNotices(input: PlanLineNoticesInput): PlannedLineNotice[] {
  const out: PlannedLineNotice[] = [];
  const scheduledAtMs = nextContactInstant(input.atMs, input.borrower.timeZone, input.hours);
  for (const change of input.changes) {
    const notice = input.notices?.[change.kind] ?? DEFAULT_LINE_NOTICES[change.kind];
    if (input.borrower.optOuts.includes(notice.channel)) continue;
    const lang = input.borrower.lang;
    const template = notice.templates[lang];
    const values: Record<LineNoticeField, string> = {
      lineId: input.lineId,
      reason: change.reason,
      limit: formatMinor(change.toLimitMinor, input.currency),
      previousLimit: formatMinor(change.fromLimitMinor, input.currency),
      currency: input.currency,
      changeDate: formatDate(change.day),
    };
    out.push({
      reminderKey: `line:${input.lineId}:${change.kind}:${formatDate(change.day)}:${change.code}:${change.toLimitMinor}`,
      customerId: input.customerId,
      lineId: input.lineId,
      kind: change.kind,
      channel: notice.channel,
      lang,
      subject: render(template.subject, values),
      body: render(template.body, values),
      scheduledAtMs,
    });
  }
  return out;
}

/**
 * Contact defaults for line notices when no cadence is published: those of the shipped cadence
 * (policies/reminders/default-cadence.json), which a test keeps equal.
 */
export const LINE_NOTICE_CONTACT_DEFAULTS: {
  readonly timeZone: string;
  readonly lang: ReminderLang;
  readonly hours: ContactHours;
} = { timeZone: 'Asia/Shanghai', lang: 'zh-CN', hours: { startMinute: 8 * 60, endMinute: 22 * 60 } };
