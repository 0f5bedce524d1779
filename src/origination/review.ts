import { formatMinor } from '../money/index.js';
import { quote } from './pricing.js';
import { sealRecord } from './record.js';
import type { Decision, DecisionReason, Invitation, PolicySettings } from './types.js';

/**
 * A person's decision on an application the automation referred, or declined and then saw overturned on
 * objection (PIPL Art. 24). Pure: the shell passes the automated decision, the policy settings it was made
 * under and the caps it read (invitation, amount asked for); the result is a new sealed decision record.
 */

/** Reasons a person may give, each a stable code; `other` needs a note. */
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
export type ReviewReasonCode = (typeof REVIEW_REASON_CODES)[number];

const REASON_TEXT: Record<ReviewReasonCode, string> = {
  'income-verified': 'the income was verified by a person',
  'documents-received': 'the documents asked for were received and checked',
  'flag-cleared': 'the review flags were looked into and cleared',
  'affordability-checked': 'the applicant can afford the line on a closer look',
  'credit-history-acceptable': 'the credit history is acceptable on a closer look',
  'objection-overturned': "the applicant's objection was upheld by a person",
  'income-not-verified': 'the income could not be verified',
  'documents-missing': 'the documents asked for were not supplied',
  'affordability-insufficient': 'the applicant cannot afford a line',
  'fraud-suspected': 'fraud is suspected',
  other: 'see the note',
};

export type ReviewErrorCode = 'review_limit_above_cap' | 'review_rate_above_cap' | 'review_rate_missing';

/** An expected refusal of a person's decision, with a stable code. */
export class ReviewError extends Error {
  constructor(
    readonly code: ReviewErrorCode,
    message: string,
    readonly field: 'limit' | 'dailyRate',
    /** The figures the message names, for callers that word it in another language. */
    readonly params: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ReviewError';
  }
}

export interface ReviewInput {
  readonly outcome: 'approve' | 'decline';
  /** Approve only: the limit granted, fen. */
  readonly limit_fen?: number;
  /** Approve only: 日利率; defaults to the automated decision's. */
  readonly dailyRate?: string;
  readonly reasonCodes: readonly ReviewReasonCode[];
  readonly note: string | null;
  readonly decidedBy: string;
  readonly decidedAt: string;
}

export interface ReviewContext {
  readonly automatedDecisionId: string;
  readonly settings: PolicySettings;
  /** The invitation's limit cap when the automated decision took one up, fen. */
  readonly invitationCap_fen: number | null;
  /** The amount the applicant asked for, fen. */
  readonly requestedLimit_fen: number;
}

export interface LimitCap {
  readonly code: string;
  readonly cap_fen: number;
}

/**
 * The caps the automated decision held its limit under, recomputed from its record: the income multiple of
 * the verified monthly income, the policy maximum, the invitation's cap and the amount asked for. The limit
 * matrix is not among them: a person may grant more than the score band gives, never more than these.
 */
export function reviewCaps(automated: Decision, context: ReviewContext): LimitCap[] {
  const caps: LimitCap[] = [
    {
      code: 'CAP_INCOME_MULTIPLE',
      cap_fen: Math.floor(context.settings.incomeMultipleMax * automated.derived.verifiedMonthlyIncome_fen),
    },
    { code: 'CAP_POLICY_MAXIMUM', cap_fen: context.settings.limitMax_fen },
    { code: 'CAP_REQUESTED', cap_fen: context.requestedLimit_fen },
  ];
  if (context.invitationCap_fen !== null)
    caps.push({ code: 'CAP_INVITATION', cap_fen: context.invitationCap_fen });
  return caps;
}

const yuanText = (fen: number) => formatMinor(fen);

/** The person's decision as a new sealed record that supersedes the automated one. */
export function reviewDecision(automated: Decision, input: ReviewInput, context: ReviewContext): Decision {
  const reasons: DecisionReason[] = input.reasonCodes.map((code) => ({
    source: 'review',
    code: `REVIEW_${code.toUpperCase().replaceAll('-', '_')}`,
    message: code === 'other' && input.note !== null ? input.note : REASON_TEXT[code],
    values: { decidedBy: input.decidedBy },
  }));
  const automatedRef = {
    decisionId: context.automatedDecisionId,
    outcome: automated.outcome,
    limit_fen: automated.limit_fen,
    contentHash: automated.contentHash,
  };
  const common = {
    format: 'lendguard.decision' as const,
    formatVersion: 1 as const,
    applicationId: automated.applicationId,
    decidedAt: input.decidedAt,
    riskGrade: automated.riskGrade,
    rulesFired: [],
    score: automated.score,
    flags: [],
    blacklistHits: [],
    derived: automated.derived,
    invitationId: automated.invitationId,
    policy: automated.policy,
    supersedes: context.automatedDecisionId,
    decidedBy: input.decidedBy,
  };
  if (input.outcome === 'decline') {
    return sealRecord({
      ...common,
      outcome: 'decline',
      limit_fen: 0,
      dailyRate: null,
      apr: null,
      termOptions: [],
      reasons,
      review: {
        reasonCodes: input.reasonCodes,
        note: input.note,
        automated: automatedRef,
        limitCap_fen: null,
        caps: [],
      },
    }) as Decision;
  }
  const caps = reviewCaps(automated, context);
  const limitCap_fen = Math.min(...caps.map((c) => c.cap_fen));
  const limit_fen = input.limit_fen ?? 0;
  if (limit_fen > limitCap_fen) {
    const binding = caps.filter((c) => c.cap_fen === limitCap_fen).map((c) => c.code);
    throw new ReviewError(
      'review_limit_above_cap',
      `limit ${yuanText(limit_fen)} yuan is above the cap of ${yuanText(limitCap_fen)} yuan the automated decision held to ` +
        `(${binding.join(', ')}; the caps are the income multiple, the policy maximum, the invitation's cap and the amount asked for)`,
      'limit',
      { limit: yuanText(limit_fen), cap: yuanText(limitCap_fen), binding: binding.join(', ') },
    );
  }
  const rate = input.dailyRate ?? automated.dailyRate;
  if (rate === null)
    throw new ReviewError(
      'review_rate_missing',
      'is required: the automated decision declined and gave no daily rate',
      'dailyRate',
    );
  const price = quote(context.settings, rate, limit_fen, input.decidedAt);
  if (price.capped)
    throw new ReviewError(
      'review_rate_above_cap',
      `daily rate ${rate} gives an APR above the cap of ${context.settings.aprCap} at some term offered; ` +
        `${price.dailyRate} is the highest within it`,
      'dailyRate',
      { rate: String(rate), aprCap: String(context.settings.aprCap), highest: String(price.dailyRate) },
    );
  return sealRecord({
    ...common,
    outcome: 'approve',
    limit_fen,
    dailyRate: price.dailyRate,
    apr: price.apr,
    termOptions: price.termOptions,
    reasons,
    review: { reasonCodes: input.reasonCodes, note: input.note, automated: automatedRef, limitCap_fen, caps },
  }) as Decision;
}

/**
 * Why a person's approval cannot open a line under the application's invitation, or undefined when the
 * invitation is in force at `at` (an ISO instant): a line opens only for an invited applicant within the
 * invitation's terms, whoever approves.
 */
export function invitationNotInForce(
  invitation:
    | (Pick<Invitation, 'invitationId' | 'status' | 'expiresAt'> & { usedByApplication: string | null })
    | undefined,
  at: string,
): string | undefined {
  if (invitation === undefined)
    return 'The application took up no invitation, and a line opens only for an invited applicant';
  if (invitation.status !== 'active') {
    const by =
      invitation.usedByApplication === null ? '' : ` (by application ${invitation.usedByApplication})`;
    return `Invitation ${invitation.invitationId} is ${invitation.status}${by}`;
  }
  if (Date.parse(invitation.expiresAt) <= Date.parse(at))
    return `Invitation ${invitation.invitationId} expired at ${invitation.expiresAt}`;
  return undefined;
}
