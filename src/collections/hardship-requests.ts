import { HARDSHIP_CAUSES, type HardshipCause } from './assessment.js';

/**
 * A borrower's own request for hardship help (困难申请) from the self-service portal: a payment holiday
 * (还款假期), a negotiated plan (协商分期) or a term extension (展期), with the cause, the monthly income they
 * declare and their reason in their own words. The request routes the case to the ability side of the
 * assessment (decision 0712) and asks a person for an offer; it changes nothing on the loan by itself. Pure.
 */
export const HARDSHIP_REQUEST_KINDS = ['payment-holiday', 'negotiated-plan', 'term-extension'] as const;
export type HardshipRequestKind = (typeof HARDSHIP_REQUEST_KINDS)[number];

/** Months a borrower may ask for, by kind: a holiday is short, a plan may run to five years (2011 Art. 70). */
export const HARDSHIP_MONTHS_MAX: Readonly<Record<HardshipRequestKind, number>> = Object.freeze({
  'payment-holiday': 6,
  'negotiated-plan': 60,
  'term-extension': 36,
});

export const HARDSHIP_REASON_CHARS = { min: 5, max: 1000 } as const;

export interface HardshipRequestInput {
  readonly kind: string;
  readonly months: number;
  readonly cause: string;
  readonly declaredMonthlyIncomeMinor: number;
  readonly reason: string;
}

/** One thing wrong with a request: the field (JSON pointer into the body), a stable reason code, the values seen. */
export interface HardshipIssue {
  readonly path: string;
  readonly reason: 'kind' | 'months' | 'cause' | 'income' | 'reason';
  readonly values: Readonly<Record<string, string | number>>;
}

/** Everything wrong with a request, in field order; empty when it can be recorded. */
export function checkHardshipRequest(input: HardshipRequestInput): HardshipIssue[] {
  const issues: HardshipIssue[] = [];
  const kind = (HARDSHIP_REQUEST_KINDS as readonly string[]).includes(input.kind)
    ? (input.kind as HardshipRequestKind)
    : undefined;
  if (kind === undefined)
    issues.push({ path: '/kind', reason: 'kind', values: { kinds: HARDSHIP_REQUEST_KINDS.join(', ') } });
  const max = kind === undefined ? 60 : HARDSHIP_MONTHS_MAX[kind];
  if (!Number.isSafeInteger(input.months) || input.months < 1 || input.months > max)
    issues.push({ path: '/months', reason: 'months', values: { max, kind: kind ?? '' } });
  if (!(HARDSHIP_CAUSES as readonly string[]).includes(input.cause))
    issues.push({ path: '/cause', reason: 'cause', values: { causes: HARDSHIP_CAUSES.join(', ') } });
  if (!Number.isSafeInteger(input.declaredMonthlyIncomeMinor) || input.declaredMonthlyIncomeMinor < 0)
    issues.push({ path: '/declaredMonthlyIncome', reason: 'income', values: {} });
  const chars = [...input.reason.trim()].length;
  if (chars < HARDSHIP_REASON_CHARS.min || chars > HARDSHIP_REASON_CHARS.max)
    issues.push({ path: '/reason', reason: 'reason', values: { ...HARDSHIP_REASON_CHARS } });
  return issues;
}

export function isHardshipCause(value: string): value is HardshipCause {
  return (HARDSHIP_CAUSES as readonly string[]).includes(value);
}
