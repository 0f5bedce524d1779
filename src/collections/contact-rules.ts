import { addDays, counted, invariant } from '../money/index.js';
import { instantAt, isoInZone, localTime } from './zone-time.js';

/**
 * The collection conduct rules (domain.md §7) as a check made before every contact attempt: the system
 * refuses what the rules forbid and says which rule and when contact is next allowed, rather than reporting
 * a breach afterwards. Sources: national standard on post-loan collection for internet consumer credit
 * (2025) — no collection 22:00–08:00, at most 3 live calls a day, third parties only when the debtor cannot
 * be reached; China Banking Association guideline (2026) — at most 6 unanswered dials a day to one number,
 * never tell third parties of the debt; NIFA convention (2018) — contacts only to restore contact. The
 * message cap and the cool-off while a complaint is open are the lender's settings.
 */

export type ContactChannel = 'call' | 'sms' | 'app' | 'email' | 'letter' | 'visit';
export type ContactParty = 'borrower' | 'contact';
export type ContactOutcome =
  /** The person answered (a live call) or was met (a visit). */
  | 'answered'
  /** Answered and promised to pay (a promise to pay is recorded with it). */
  | 'promise'
  /** Answered and refused to talk or to pay. */
  | 'refused'
  | 'no-answer'
  | 'wrong-number'
  /** A message or letter went out. */
  | 'sent'
  /** A message or letter could not be delivered (the channel gave up): it does not count towards the caps. */
  | 'undelivered';

export const CONTACT_CHANNELS: readonly ContactChannel[] = ['call', 'sms', 'app', 'email', 'letter', 'visit'];
export const CONTACT_PARTIES: readonly ContactParty[] = ['borrower', 'contact'];
export const CONTACT_OUTCOMES: readonly ContactOutcome[] = [
  'answered',
  'promise',
  'refused',
  'no-answer',
  'wrong-number',
  'sent',
  'undelivered',
];

/** Which outcomes a channel can have. */
export const OUTCOMES_BY_CHANNEL: Readonly<Record<ContactChannel, readonly ContactOutcome[]>> = {
  call: ['answered', 'promise', 'refused', 'no-answer', 'wrong-number'],
  visit: ['answered', 'promise', 'refused', 'no-answer'],
  sms: ['sent', 'undelivered'],
  app: ['sent', 'undelivered'],
  email: ['sent', 'undelivered'],
  letter: ['sent', 'undelivered'],
};

export interface ContactRules {
  /** Minutes after local midnight when contact must stop (22:00 → 1320). */
  readonly quietFromMinute: number;
  /** Minutes after local midnight when contact may resume (08:00 → 480). */
  readonly quietUntilMinute: number;
  /** Calls or visits that reached the borrower, per local day. */
  readonly answeredCallsPerDayMax: number;
  /** Dials that went unanswered, per local day. */
  readonly unansweredDialsPerDayMax: number;
  /** SMS, app and e-mail messages to the borrower per local day (the lender's setting). */
  readonly messagesPerDayMax: number;
  /**
   * The borrower counts as unreachable (third parties may then be contacted to restore contact) after this
   * many borrower calls in a row went unanswered or to a wrong number, or when a person marked the case so.
   */
  readonly unreachableAfterFailedCalls: number;
  /** Attempts to reach third parties per local day. */
  readonly thirdPartyAttemptsPerDayMax: number;
  /** No collection contact while a complaint on the case is open (the lender's setting). */
  readonly pauseWhileComplaintOpen: boolean;
}

export const DEFAULT_CONTACT_RULES: ContactRules = Object.freeze({
  quietFromMinute: 22 * 60,
  quietUntilMinute: 8 * 60,
  answeredCallsPerDayMax: 3,
  unansweredDialsPerDayMax: 6,
  messagesPerDayMax: 3,
  unreachableAfterFailedCalls: 6,
  thirdPartyAttemptsPerDayMax: 2,
  pauseWhileComplaintOpen: true,
});

export function checkContactRules(rules: ContactRules): ContactRules {
  const minute = (m: number) => Number.isInteger(m) && m >= 0 && m < 1440;
  invariant(
    minute(rules.quietFromMinute) && minute(rules.quietUntilMinute),
    'quiet hours must be minutes 0..1439',
  );
  for (const key of [
    'answeredCallsPerDayMax',
    'unansweredDialsPerDayMax',
    'messagesPerDayMax',
    'unreachableAfterFailedCalls',
    'thirdPartyAttemptsPerDayMax',
  ] as const) {
    invariant(
      Number.isSafeInteger(rules[key]) && rules[key] >= 0,
      `${key} must be a whole number, 0 or more`,
    );
  }
  // The law's limits are ceilings: a lender may be stricter, never looser.
  invariant(rules.answeredCallsPerDayMax <= 3, 'answeredCallsPerDayMax may not exceed the legal 3 a day');
  invariant(rules.unansweredDialsPerDayMax <= 6, 'unansweredDialsPerDayMax may not exceed the legal 6 a day');
  return rules;
}

/** An attempt already logged on the case (refused ones are logged too but do not count). */
export interface LoggedContact {
  readonly atMs: number;
  readonly channel: ContactChannel;
  readonly party: ContactParty;
  readonly outcome: ContactOutcome;
  readonly allowed: boolean;
}

export interface ContactRequest {
  readonly atMs: number;
  readonly channel: ContactChannel;
  readonly party: ContactParty;
}

export interface ContactCaseFacts {
  /** The borrower's IANA zone: the rules read the borrower's clock. */
  readonly zone: string;
  /** A person marked the borrower as lost contact (失联). */
  readonly lostContact: boolean;
  /** A complaint on the case is open. */
  readonly complaintOpen: boolean;
}

export type ContactRule =
  | 'quiet_hours'
  | 'answered_calls_per_day'
  | 'unanswered_dials_per_day'
  | 'messages_per_day'
  | 'third_party_only_when_unreachable'
  | 'third_party_attempts_per_day'
  | 'third_party_channel'
  | 'complaint_open';

/** Every rule, in the order the check applies them. */
export const CONTACT_RULES: readonly ContactRule[] = [
  'complaint_open',
  'quiet_hours',
  'third_party_channel',
  'third_party_only_when_unreachable',
  'third_party_attempts_per_day',
  'answered_calls_per_day',
  'unanswered_dials_per_day',
  'messages_per_day',
];

export type ContactDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly rule: ContactRule;
      readonly message: string;
      /** The first instant the same attempt would be allowed, or null when no time alone allows it. */
      readonly nextAllowedAtMs: number | null;
    };

const REACHED: ReadonlySet<ContactOutcome> = new Set(['answered', 'promise', 'refused']);
const FAILED: ReadonlySet<ContactOutcome> = new Set(['no-answer', 'wrong-number']);
const MESSAGES: ReadonlySet<ContactChannel> = new Set(['sms', 'app', 'email']);

function clock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

function inQuietHours(minute: number, rules: ContactRules): boolean {
  const { quietFromMinute: from, quietUntilMinute: until } = rules;
  if (from === until) return false;
  return from > until ? minute >= from || minute < until : minute >= from && minute < until;
}

/**
 * Whether the rules allow `request` now, given what the case's log holds before it. Only allowed attempts
 * count towards the caps; the borrower's day and hours are those of `facts.zone`.
 */
export function decideContact(
  request: ContactRequest,
  history: readonly LoggedContact[],
  facts: ContactCaseFacts,
  rules: ContactRules = DEFAULT_CONTACT_RULES,
): ContactDecision {
  const zone = facts.zone;
  const now = localTime(request.atMs, zone);
  const tomorrowOpen = instantAt(addDays(now.day, 1), rules.quietUntilMinute, zone);
  const refuse = (rule: ContactRule, message: string, nextAllowedAtMs: number | null): ContactDecision => ({
    allowed: false,
    rule,
    message,
    nextAllowedAtMs,
  });

  if (facts.complaintOpen && rules.pauseWhileComplaintOpen) {
    return refuse(
      'complaint_open',
      'a complaint on this case is open: collection contact waits until it is resolved',
      null,
    );
  }
  if (request.channel !== 'letter' && inQuietHours(now.minuteOfDay, rules)) {
    const opens =
      now.minuteOfDay < rules.quietUntilMinute
        ? instantAt(now.day, rules.quietUntilMinute, zone)
        : tomorrowOpen;
    return refuse(
      'quiet_hours',
      `no collection contact from ${clock(rules.quietFromMinute)} to ${clock(rules.quietUntilMinute)} in the borrower's time (${zone}); try again at ${isoInZone(opens, zone)}`,
      opens,
    );
  }

  const earlier = history.filter((h) => h.allowed && h.atMs <= request.atMs);
  const today = earlier.filter((h) => localTime(h.atMs, zone).day === now.day);
  const dialling = request.channel === 'call' || request.channel === 'visit';

  if (request.party === 'contact') {
    if (request.channel !== 'call' && request.channel !== 'sms') {
      return refuse(
        'third_party_channel',
        'a third party may only be called or sent an SMS, and only to restore contact with the borrower',
        null,
      );
    }
    const borrowerCalls = earlier.filter((h) => h.party === 'borrower' && h.channel === 'call');
    const lastCalls = borrowerCalls.slice(-rules.unreachableAfterFailedCalls);
    const unreachable =
      facts.lostContact ||
      (rules.unreachableAfterFailedCalls > 0 &&
        lastCalls.length === rules.unreachableAfterFailedCalls &&
        lastCalls.every((h) => FAILED.has(h.outcome)));
    if (!unreachable) {
      return refuse(
        'third_party_only_when_unreachable',
        `third parties may be contacted only when the borrower cannot be reached: mark the case as lost contact, or after ${counted(rules.unreachableAfterFailedCalls, 'borrower call')} in a row ${rules.unreachableAfterFailedCalls === 1 ? 'goes' : 'go'} unanswered`,
        null,
      );
    }
    const thirdToday = today.filter((h) => h.party === 'contact').length;
    if (thirdToday >= rules.thirdPartyAttemptsPerDayMax) {
      return refuse(
        'third_party_attempts_per_day',
        `${thirdToday} third-party attempts today; at most ${rules.thirdPartyAttemptsPerDayMax} a day`,
        tomorrowOpen,
      );
    }
    return { allowed: true };
  }

  if (dialling) {
    const reached = today.filter(
      (h) =>
        h.party === 'borrower' && (h.channel === 'call' || h.channel === 'visit') && REACHED.has(h.outcome),
    ).length;
    if (reached >= rules.answeredCallsPerDayMax) {
      return refuse(
        'answered_calls_per_day',
        `the borrower was reached ${counted(reached, 'time')} today; at most ${rules.answeredCallsPerDayMax} a day: try again tomorrow or write`,
        tomorrowOpen,
      );
    }
    const unanswered = today.filter(
      (h) => h.party === 'borrower' && h.channel === 'call' && FAILED.has(h.outcome),
    ).length;
    if (request.channel === 'call' && unanswered >= rules.unansweredDialsPerDayMax) {
      return refuse(
        'unanswered_dials_per_day',
        `${counted(unanswered, 'unanswered dial')} today; at most ${rules.unansweredDialsPerDayMax} a day: dial again tomorrow`,
        tomorrowOpen,
      );
    }
  }
  if (MESSAGES.has(request.channel)) {
    // A message the channel could not deliver never reached the borrower: it does not count.
    const messages = today.filter(
      (h) => h.party === 'borrower' && MESSAGES.has(h.channel) && h.outcome !== 'undelivered',
    ).length;
    if (messages >= rules.messagesPerDayMax) {
      return refuse(
        'messages_per_day',
        `${counted(messages, 'message')} went to the borrower today; at most ${rules.messagesPerDayMax} a day`,
        tomorrowOpen,
      );
    }
  }
  return { allowed: true };
}
