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

export interface DecisionListItem {
  decisionId: string;
  applicationId: string;
  decidedAt: string;
  outcome: Outcome;
  productId: string;
  channel?: string;
  limit: string;
  requestedLimit?: string;
  riskGrade: string | null;
  dailyRate: string | null;
  apr: string | null;
  policyVersion: string;
  modelVersion: string;
  customerId: string | null;
  flags: number;
  openFlags: number;
}

export interface FlagSummary {
  flagId: string;
  kind: string;
  severity: 'refuse' | 'review';
  summary: string;
  status: 'open' | 'resolved';
  evidence?: Record<string, unknown>;
}

export interface DecisionDetail {
  decisionId: string;
  applicationId: string;
  decidedAt: string;
  outcome: Outcome;
  limit: string;
  riskGrade: string | null;
  dailyRate: string | null;
  apr: string | null;
  termOptions?: { months?: number; method?: string; apr?: string; instalment?: string }[];
  reasons: { source: string; code: string; message: string; values?: Record<string, unknown> }[];
  flags: FlagSummary[];
  blacklistHits?: Record<string, unknown>[];
  policy: { policyId?: string; version?: string; documentHash?: string };
  model?: { modelId?: string; kind?: string; version?: string };
  score?: { value?: number; probabilityBad?: number | string };
  customerId: string | null;
  lineId?: string | null;
  contentHash: string;
  intact: boolean;
}

export interface ReviewFlag extends FlagSummary {
  applicationId: string;
  raisedAt: string;
  resolution?: 'cleared' | 'confirmed' | null;
  resolvedBy?: string | null;
  resolvedAt?: string | null;
  note?: string | null;
}

export interface DecisionRequest {
  requestId: string;
  kind: 'explanation' | 'objection';
  channel?: string;
  status: 'open' | 'answered';
  receivedAt: string;
  answer?: string | null;
  objectionResult?: string | null;
}

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
