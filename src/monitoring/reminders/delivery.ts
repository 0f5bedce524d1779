import { invariant } from '../../money/index.js';

/**
 * Delivery rules shared by every channel (decision 0613): the business events a lender may subscribe to,
 * what a webhook address must look like, and when a failed message is tried again.
 */

export const BUSINESS_EVENT_TYPES = [
  'loan.past_due',
  'bucket.changed',
  'line.frozen',
  'line.limit_changed',
  'reminder.failed',
] as const;
export type BusinessEventType = (typeof BUSINESS_EVENT_TYPES)[number];

export function isBusinessEventType(value: string): value is BusinessEventType {
  return (BUSINESS_EVENT_TYPES as readonly string[]).includes(value);
}

/** Longest webhook address accepted. */
export const WEBHOOK_URL_CHARS_MAX = 2000;

/**
 * Why a webhook address is unusable, or undefined when it is fine: an absolute http(s) URL with a host,
 * without user:password (the signature authenticates) and without a fragment.
 */
export function webhookUrlProblem(text: string): string | undefined {
  return webhookUrlFault(text)?.message;
}

/** What is wrong with a webhook URL, by code (for callers that word it in another language) and in English. */
export type WebhookUrlFaultCode =
  | 'too_long'
  | 'not_absolute'
  | 'protocol'
  | 'no_host'
  | 'credentials'
  | 'fragment';

export function webhookUrlFault(
  text: string,
): { code: WebhookUrlFaultCode; message: string; protocol?: string } | undefined {
  if (text.length > WEBHOOK_URL_CHARS_MAX)
    return { code: 'too_long', message: `must be at most ${WEBHOOK_URL_CHARS_MAX} characters` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { code: 'not_absolute', message: 'is not an absolute URL; write it as https://host/path' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return {
      code: 'protocol',
      message: `uses ${url.protocol} — only http: and https: are sent to`,
      protocol: url.protocol,
    };
  if (url.hostname === '') return { code: 'no_host', message: 'has no host' };
  if (url.username !== '' || url.password !== '') {
    return {
      code: 'credentials',
      message:
        'carries a user name or password; remove them — each delivery is signed with its secret instead',
    };
  }
  if (url.hash !== '')
    return { code: 'fragment', message: 'has a #fragment, which is never sent; remove it' };
  return undefined;
}

/** Retries of a message: exponential backoff with a ceiling, then the dead-letter state. */
export interface RetryPolicy {
  readonly attempts_max: number;
  readonly backoffBase_ms: number;
  readonly backoffMax_ms: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  attempts_max: 8,
  backoffBase_ms: 1_000,
  backoffMax_ms: 3_600_000,
});

/**
 * After attempt `attempt` (1-based) failed: the delay before the next one (base × 2^(attempt−1), at most the
 * ceiling), or null when the attempts are used up and the message is dead-lettered.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number | null {
  invariant(Number.isInteger(attempt) && attempt >= 1, 'attempts are counted from 1');
  if (attempt >= policy.attempts_max) return null;
  return Math.min(policy.backoffMax_ms, policy.backoffBase_ms * 2 ** (attempt - 1));
}
