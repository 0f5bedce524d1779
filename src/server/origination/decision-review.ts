import type { FastifyInstance } from 'fastify';
import {
  type Decision,
  invitationNotInForce,
  type PolicySettings,
  REVIEW_REASON_CODES,
  type ReviewContext,
  ReviewError,
  type ReviewInput,
  type ReviewReasonCode,
  reviewDecision,
} from '../../origination/index.js';
import {
  type ApprovalPlan,
  applicationTerms,
  findApplication,
  findDecision,
  findInvitation,
  insertDecision,
  insertDecisionReview,
  listFlags,
  newId,
  objectionOverturned,
  openApprovedLine,
  policyDocument,
  type Queryable,
  reviewOf,
  type StoredDecision,
  type StoredFlag,
  type StoredInvitation,
} from '../../store/index.js';
import { amountSchema } from '../http/amount.js';
import { businessNow } from '../http/business-clock.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError, validationProblem } from '../http/problem.js';
import { bearerSecurity, idempotencyHeader, idParam, problemResponses } from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { requestAmount } from '../ledger/index.js';
import { ORIGINATION_MESSAGES } from './messages.js';
import { presentDecision } from './presenters.js';
import { decisionNotFound } from './problems.js';
import { decisionResponse } from './schemas.js';
import { originationAssets } from './support.js';

/** Longest note a person may add to their reasons. */
export const REVIEW_NOTE_LENGTH_MAX = 2000;

interface ReviewBody {
  outcome: 'approve' | 'decline';
  limit?: string;
  dailyRate?: string;
  reasons: ReviewReasonCode[];
  note?: string;
}

const reviewBody = {
  type: 'object',
  required: ['outcome', 'reasons'],
  additionalProperties: false,
  properties: {
    outcome: { type: 'string', enum: ['approve', 'decline'] },
    limit: {
      ...amountSchema,
      description:
        'Approve only: the limit granted, yuan; at most the lowest of the caps the automated decision held to ' +
        "(income multiple, policy maximum, the invitation's cap, the amount asked for)",
    },
    dailyRate: {
      type: 'string',
      pattern: '^0\\.[0-9]{1,8}$',
      description:
        "Approve only: 日利率; the automated decision's rate when left out; refused when the APR at any term would pass the policy's cap",
    },
    reasons: {
      type: 'array',
      minItems: 1,
      maxItems: REVIEW_REASON_CODES.length,
      uniqueItems: true,
      items: { type: 'string', enum: [...REVIEW_REASON_CODES] },
    },
    note: { type: 'string', minLength: 1, maxLength: REVIEW_NOTE_LENGTH_MAX, pattern: '\\S' },
  },
} as const;

/** The settings of the policy version the automated decision was made under (the shipped pack or a stored one). */
async function settingsOf(q: Queryable, deps: ServerDeps, decision: Decision): Promise<PolicySettings> {
  const shipped = originationAssets(deps).shippedPolicy;
  if (shipped.ref.documentHash === decision.policy.documentHash) return shipped.document.settings;
  const document = await policyDocument(q, decision.policy.version);
  if (document === undefined) throw new Error(`assertion: policy ${decision.policy.version} vanished`);
  return document.settings;
}

/** The body's fields that belong together: a limit to approve, none to decline, a note for "other". */
function checkReviewBody(body: ReviewBody): void {
  if (body.outcome === 'approve' && body.limit === undefined)
    throw validationProblem([{ path: '/body/limit', message: 'is required to approve: the limit granted' }]);
  if (body.outcome === 'decline') {
    const extra = (['limit', 'dailyRate'] as const).filter((f) => body[f] !== undefined);
    if (extra.length > 0)
      throw validationProblem(
        extra.map((f) => ({ path: `/body/${f}`, message: 'belongs to an approval only; remove it' })),
      );
  }
  if (body.reasons.includes('other') && body.note === undefined)
    throw validationProblem([
      { path: '/body/note', message: 'is required when the reasons include "other"' },
    ]);
}

/** A person reviews an automated referral, or a decline whose objection was overturned, once. */
async function checkReviewable(tx: Queryable, stored: StoredDecision): Promise<void> {
  const automated = stored.decision;
  if (automated.decidedBy !== undefined)
    throw new ProblemError(
      'decision_not_reviewable',
      say(ORIGINATION_MESSAGES, 'made_by_person', {
        decisionId: stored.decisionId,
        person: automated.decidedBy,
      }),
      [fieldProblem('/path/decisionId', say(ORIGINATION_MESSAGES, 'persons_decision'))],
    );
  const earlier = await reviewOf(tx, stored.decisionId);
  if (earlier !== undefined)
    throw new ProblemError(
      'decision_reviewed',
      say(ORIGINATION_MESSAGES, 'reviewed_already', {
        decisionId: stored.decisionId,
        person: String(earlier.decidedBy),
        at: String(earlier.decidedAt),
        outcome: earlier.outcome,
        laterId: earlier.decisionId,
      }),
      [
        fieldProblem(
          '/path/decisionId',
          say(ORIGINATION_MESSAGES, 'superseded_by', { laterId: earlier.decisionId }),
        ),
      ],
    );
  if (automated.outcome === 'approve')
    throw new ProblemError(
      'decision_not_reviewable',
      say(ORIGINATION_MESSAGES, 'approval_not_reviewed', { decisionId: stored.decisionId }),
      [fieldProblem('/path/decisionId', say(ORIGINATION_MESSAGES, 'an_approval'))],
    );
  if (automated.outcome === 'decline' && !(await objectionOverturned(tx, stored.decisionId)))
    throw new ProblemError(
      'decision_not_reviewable',
      say(ORIGINATION_MESSAGES, 'decline_without_overturn', { decisionId: stored.decisionId }),
      [fieldProblem('/path/decisionId', say(ORIGINATION_MESSAGES, 'decline_not_overturned'))],
    );
}

/** A line opens only for an invited applicant within the invitation's terms, whoever approves. */
function checkInvitationInForce(
  invitation: StoredInvitation | undefined,
  automated: Decision,
  body: ReviewBody,
  now_ms: number,
): void {
  const ended = invitationNotInForce(invitation, new Date(now_ms).toISOString());
  if (ended !== undefined)
    throw new ProblemError('review_invitation_not_in_force', invitationEnded(invitation), [
      fieldProblem('/body/outcome', say(ORIGINATION_MESSAGES, 'no_invitation_in_force')),
    ]);
  if (automated.dailyRate === null && body.dailyRate === undefined)
    throw validationProblem([
      {
        path: '/body/dailyRate',
        message: 'is required: the automated decision declined and gave no daily rate',
      },
    ]);
}

/** Why the invitation is not in force, in the catalogue's words (the core decides that it is not). */
function invitationEnded(invitation: StoredInvitation | undefined) {
  if (invitation === undefined) return say(ORIGINATION_MESSAGES, 'review_no_invitation');
  if (invitation.status !== 'active') {
    const by = invitation.usedByApplication;
    return say(ORIGINATION_MESSAGES, 'review_invitation_status', {
      invitationId: invitation.invitationId,
      status: invitation.status,
      en_by: by === null ? '' : ` (by application ${by})`,
      zh_by: by === null ? '' : `（被申请 ${by} 使用）`,
    });
  }
  return say(ORIGINATION_MESSAGES, 'review_invitation_expired', {
    invitationId: invitation.invitationId,
    expiresAt: invitation.expiresAt,
  });
}

/** No approval over a review flag a person confirmed. */
function checkNoConfirmedFlag(flags: readonly StoredFlag[]): void {
  const confirmed = flags.filter((f) => f.resolution === 'confirmed');
  if (confirmed.length > 0)
    throw new ProblemError(
      'review_flag_confirmed',
      say(ORIGINATION_MESSAGES, 'review_flag_confirmed', {
        flags: confirmed.map((f) => `${f.flagId} (${f.kind}: ${f.summary})`).join(', '),
        people: confirmed.map((f) => f.resolvedBy).join(', '),
      }),
      confirmed.map((f) =>
        fieldProblem(
          '/body/outcome',
          say(ORIGINATION_MESSAGES, 'flag_is_confirmed', { flagId: f.flagId, kind: f.kind }),
        ),
      ),
    );
}

/** The person's decision from the core, its refusals as problems naming the field. */
function personsDecision(automated: Decision, person: ReviewInput, context: ReviewContext): Decision {
  try {
    return reviewDecision(automated, person, context);
  } catch (error) {
    if (error instanceof ReviewError && error.code === 'review_rate_missing')
      throw validationProblem([{ path: `/body/${error.field}`, message: error.message }]);
    if (error instanceof ReviewError && error.code === 'review_limit_above_cap') {
      const p = error.params;
      throw new ProblemError(
        'review_limit_above_cap',
        say(ORIGINATION_MESSAGES, 'review_limit_above_cap', {
          limit: p.limit ?? '',
          cap: p.cap ?? '',
          binding: p.binding ?? '',
        }),
        [fieldProblem('/body/limit', say(ORIGINATION_MESSAGES, 'limit_above_cap', { cap: p.cap ?? '' }))],
      );
    }
    if (error instanceof ReviewError && error.code === 'review_rate_above_cap') {
      const p = error.params;
      throw new ProblemError(
        'review_rate_above_cap',
        say(ORIGINATION_MESSAGES, 'review_rate_above_cap', {
          rate: p.rate ?? '',
          aprCap: p.aprCap ?? '',
          highest: p.highest ?? '',
        }),
        [
          fieldProblem(
            '/body/dailyRate',
            say(ORIGINATION_MESSAGES, 'rate_above_cap', { highest: p.highest ?? '' }),
          ),
        ],
      );
    }
    throw error;
  }
}

/** The new decision, the review tying it to the automated one and, on approval, the line opened. */
async function recordReview(
  tx: Queryable,
  deps: ServerDeps,
  stored: StoredDecision,
  decision: Decision,
  outcome: ReviewBody['outcome'],
  userId: string,
): Promise<{ decisionId: string; approval: ApprovalPlan | undefined }> {
  const decisionId = newId('dec');
  await insertDecision(tx, decisionId, decision);
  await insertDecisionReview(tx, {
    applicationId: stored.applicationId,
    supersedes: stored.decisionId,
    decisionId,
    outcome,
    decidedBy: userId,
    decidedAt: decision.decidedAt,
  });
  if (decision.outcome !== 'approve') return { decisionId, approval: undefined };
  const application = await findApplication(tx, deps.cipher, stored.applicationId);
  if (application === undefined) throw new Error(`assertion: application ${stored.applicationId} vanished`);
  const approval = await openApprovedLine(tx, deps.cipher, {
    application: application.application,
    limit_fen: decision.limit_fen,
    invitationId: decision.invitationId,
    decisionId,
    userId,
  });
  return { decisionId, approval };
}

/** The response and audit entries of a review. */
function reviewOutcome(
  stored: StoredDecision,
  decisionId: string,
  decision: Decision,
  reasons: readonly ReviewReasonCode[],
  flags: readonly StoredFlag[],
  approval: ApprovalPlan | undefined,
) {
  const customerId = approval?.customerId ?? null;
  return {
    status: 201,
    body: presentDecision(decisionId, decision, {
      customerId,
      lineId: approval?.lineId ?? null,
      supersededBy: null,
      flags: flags.map((f) => ({
        flagId: f.flagId,
        kind: f.kind,
        severity: f.severity,
        summary: f.summary,
        status: f.status,
        evidence: f.evidence,
      })),
    }),
    location: `/decisions/${decisionId}`,
    audit: [
      {
        action: 'decision.review',
        resourceType: 'decision',
        resourceId: decisionId,
        customerId,
        details: {
          supersedes: stored.decisionId,
          automatedOutcome: stored.decision.outcome,
          outcome: decision.outcome,
          limitMinor: decision.limit_fen,
          reasons,
          contentHash: decision.contentHash,
        },
      },
      ...(approval?.audit ?? []),
    ],
  };
}

export async function originationDecisionReviewRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.post<{ Params: { decisionId: string }; Body: ReviewBody }>(
    '/decisions/:decisionId/review',
    {
      config: { permission: 'decisions.review' },
      schema: {
        tags: ['origination'],
        security: bearerSecurity,
        summary:
          'A person decides a referred application, or a declined one whose objection was overturned: a new sealed ' +
          'decision that supersedes the automated one; an approval opens the credit line',
        headers: idempotencyHeader,
        params: idParam('decisionId', 'The automated decision to review'),
        body: reviewBody,
        response: { 201: decisionResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const principal = request.principal!;
      checkReviewBody(body);
      const limit_fen = body.limit === undefined ? undefined : requestAmount(deps, body.limit, '/body/limit');
      return commitWrite(deps, request, reply, async (tx) => {
        const decidedAt = await businessNow(deps, tx);
        const stored = await findDecision(tx, request.params.decisionId);
        if (stored === undefined) throw decisionNotFound(request.params.decisionId);
        const automated = stored.decision;
        const terms = await applicationTerms(tx, stored.applicationId);
        if (terms === undefined) throw new Error(`assertion: application ${stored.applicationId} vanished`);
        // The applicant's applications and reviews take turns: two analysts at once, or a new application
        // of the same applicant, see each other's customer and line.
        await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
          `applicant:${terms.applicantKey}`,
        ]);
        await checkReviewable(tx, stored);
        const invitation =
          automated.invitationId === null
            ? undefined
            : await findInvitation(tx, deps.cipher, automated.invitationId);
        if (body.outcome === 'approve')
          checkInvitationInForce(invitation, automated, body, Date.parse(decidedAt));
        const flags = await listFlags(
          tx,
          { applicationId: stored.applicationId },
          null,
          deps.config.pageSize_max,
        );
        if (body.outcome === 'approve') checkNoConfirmedFlag(flags);
        const decision = personsDecision(
          automated,
          {
            outcome: body.outcome,
            ...(limit_fen === undefined ? {} : { limit_fen }),
            ...(body.dailyRate === undefined ? {} : { dailyRate: body.dailyRate }),
            reasonCodes: body.reasons,
            note: body.note ?? null,
            decidedBy: principal.userId,
            decidedAt,
          },
          {
            automatedDecisionId: stored.decisionId,
            settings: await settingsOf(tx, deps, automated),
            invitationCap_fen: invitation?.limitCap_fen ?? null,
            requestedLimit_fen: terms.requestedLimit_fen,
          },
        );
        const { decisionId, approval } = await recordReview(
          tx,
          deps,
          stored,
          decision,
          body.outcome,
          principal.userId,
        );
        return reviewOutcome(stored, decisionId, decision, body.reasons, flags, approval);
      });
    },
  );
}
