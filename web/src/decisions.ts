import type { ItemOf, ResponseOf } from './api-types.js';
/** Shapes of the origination API the Decisions and Review queue pages read (docs/api.md, "Origination"). */

export type Outcome = 'approve' | 'decline' | 'refer';
export const OUTCOMES: readonly Outcome[] = ['approve', 'decline', 'refer'];
export const OUTCOME_COLORS: Record<Outcome, string> = { approve: 'green', decline: 'red', refer: 'orange' };

/** The 强开 detectors' kinds (src/origination, REVIEW_FLAG_KINDS). */
export const FLAG_KINDS = [
  'outside-invitation',
  'outside-invitation-terms',
  'shared-device',
  'shared-ip',
  'shared-sim',
  'shared-contact-numbers',
  'burst-from-source',
  'altered-between-retries',
  'velocity',
] as const;

export type DecisionListItem = ItemOf<'/decisions'>;
/**
 * A decision as `GET /decisions/{id}` answers it. The document leaves the sealed record, the model and the
 * score open (any object); the parts of them the pages read are typed here.
 */
export type DecisionDetail = Omit<ResponseOf<'/decisions/{decisionId}'>, 'record' | 'model' | 'score'> & {
  model?: { modelId?: string; kind?: string; version?: string };
  score?: { value?: number; probabilityBad?: number | string };
  /** The sealed record as made (amounts in fen); a person's decision keeps its note and caps in `review`. */
  record?: {
    /** The rules of the policy's graphs that fired, with what they gave (a cut-off's `result`). */
    rulesFired?: { ruleId?: string; outputs?: Record<string, unknown> }[];
    /** The measures derived from the application (amounts in fen). */
    derived?: Record<string, unknown>;
    review?: {
      note?: string | null;
      limitCap_fen?: number | null;
      caps?: { code: string; cap_fen: number }[];
    };
  };
};
export type FlagSummary = DecisionDetail['flags'][number];
export type ReviewFlag = ItemOf<'/review-queue'>;
export type DecisionRequest = ItemOf<'/decision-requests'>;

/**
 * A rate given as a decimal string ("0.0005") shown as a percentage ("0.05%") by moving the decimal point
 * two places in the text: no float rounding.
 */
export function percent(rate: string | null | undefined): string {
  if (rate === null || rate === undefined || !/^-?\d+(\.\d+)?$/.test(rate)) return '—';
  const negative = rate.startsWith('-');
  const [whole = '0', fraction = ''] = rate.replace('-', '').split('.');
  const digits = `${whole}${fraction.padEnd(2, '0')}`;
  const point = whole.length + 2;
  const intPart = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const fracPart = digits.slice(point).replace(/0+$/, '');
  return `${negative ? '-' : ''}${intPart}${fracPart === '' ? '' : `.${fracPart}`}%`;
}

/** Places of an annual rate as finance staff read it: 10.95%. */
export const APR_PERCENT_PLACES = 2;

/**
 * A rate as a percentage with exactly `places` decimals, rounded half-up in the text (bigint, no float):
 * "0.109499" → "10.95%", "0.24" → "24.00%". Anything that is not a decimal string is "—".
 */
export function percentFixed(rate: string | null | undefined, places: number = APR_PERCENT_PLACES): string {
  if (rate === null || rate === undefined || !/^-?\d+(\.\d+)?$/.test(rate)) return '—';
  const negative = rate.startsWith('-');
  const [whole = '0', fraction = ''] = rate.replace('-', '').split('.');
  // The rate scaled to hundredths of a percent … 10^places of a percent: keep places + 2 digits, round.
  const keep = places + 2;
  const kept = BigInt(`${whole}${fraction.slice(0, keep).padEnd(keep, '0')}`);
  const roundUp = (fraction[keep] ?? '0') >= '5' ? 1n : 0n;
  const scaled = (kept + roundUp).toString().padStart(places + 1, '0');
  const intPart = scaled.slice(0, scaled.length - places);
  const fracPart = scaled.slice(scaled.length - places);
  const zero = /^0+$/.test(`${intPart}${fracPart}`);
  return `${negative && !zero ? '-' : ''}${intPart}${places > 0 ? `.${fracPart}` : ''}%`;
}

/** An annual rate (APR) as finance staff read it: two decimals, "10.95%". */
export const aprPercent = (rate: string | null | undefined): string => percentFixed(rate, APR_PERCENT_PLACES);

/** The reasons a person gives for their decision (src/origination/review.ts, REVIEW_REASON_CODES). */
export const REVIEW_REASON_CODES = [
  'income-verified',
  'documents-received',
  'flag-cleared',
  'affordability-checked',
  'credit-history-acceptable',
  'objection-overturned',
  'income-not-verified',
  'documents-missing',
  'affordability-insufficient',
  'fraud-suspected',
  'other',
] as const;

/** Longest note a person may add to their decision (src/server/origination/decision-review.ts). */
export const REVIEW_NOTE_LENGTH_MAX = 2000;

/**
 * Whether a person may decide this decision, as the server judges it (decision 0524): an automated referral
 * not yet reviewed, or an automated decline whose objection was answered "overturned". A decline without
 * such an answer is 'needs-objection'; anything else (an approval, a person's decision, one reviewed
 * already) is 'no'.
 */
export function reviewable(
  d: Pick<DecisionDetail, 'outcome' | 'decidedBy' | 'supersededBy'>,
  requests: readonly Pick<DecisionRequest, 'kind' | 'objectionResult'>[],
): 'refer' | 'decline' | 'needs-objection' | 'no' {
  if ((d.decidedBy ?? null) !== null || (d.supersededBy ?? null) !== null) return 'no';
  if (d.outcome === 'refer') return 'refer';
  if (d.outcome !== 'decline') return 'no';
  return requests.some((r) => r.kind === 'objection' && r.objectionResult === 'overturned')
    ? 'decline'
    : 'needs-objection';
}
