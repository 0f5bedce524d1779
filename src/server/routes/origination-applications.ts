import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type Application,
  type Decision,
  type DecisionContext,
  decide,
  type PersonalDataKind,
  type ReviewFlag,
  retryFactsOf,
  validateApplication,
  verifyRecord,
} from '../../origination/index.js';
import {
  answerDecisionRequest,
  appendAudit,
  applicantLockKey,
  applicationWriteOf,
  blacklistMatches,
  dayFromSql,
  decisionOfApplication,
  findApplication,
  findCustomer,
  findDecision,
  findDecisionRequest,
  historyKeysOf,
  insertApplication,
  insertDecision,
  insertDecisionRequest,
  insertFlags,
  insertHistory,
  invitationsOf,
  listDecisionRequests,
  listFlags,
  loadHistory,
  lockApplication,
  newId,
  normaliseIdNumber,
  originationKeyCandidates,
  originationKeyOf,
  pastApplicationOf,
  type Queryable,
  readForApplication,
  reviewOf,
  SQLSTATE_UNIQUE_VIOLATION,
  type StoredDecision,
  type StoredDecisionRequest,
  sqlState,
  writeApplication,
} from '../../store/index.js';
import type { ServerDeps } from '../context.js';
import { businessNow } from '../hardening/business-clock.js';
import { type ApprovalAudit, openApprovedLine, planApprovedLine } from '../origination-approval.js';
import {
  apiShape,
  applicationTurn,
  blacklistKeysOf,
  HISTORY_ROWS_PER_KEY_MAX,
  historySince,
  maskApplication,
  originationAssets,
  originationProblem,
  policyInForce,
  policyOfPublished,
  yuan,
} from '../origination-support.js';
import { ProblemError, validationProblem } from '../problem.js';
import { allows } from '../roles.js';
import {
  bearerSecurity,
  decodeCursor,
  idempotencyHeader,
  idParam,
  keysetPage,
  pageQueryProperties,
  pageResponse,
  problemResponses,
} from '../schemas.js';
import {
  commitWrite,
  replayIfSeen,
  type SealedWrite,
  sealWrite,
  sendSealed,
  type WriteOutcome,
} from '../writes.js';

/** Longest applicant statement or analyst answer kept. */
export const STATEMENT_LENGTH_MAX = 2000;
/** Fields of an application the server sets itself. */
const SERVER_FIELDS = ['applicationId', 'submittedAt'] as const;

const openObject = (description: string) =>
  ({ type: 'object', additionalProperties: true, description }) as const;
const nullableString = { type: ['string', 'null'] } as const;

const applicationBody = {
  type: 'object',
  description:
    'An application (docs/api.md, "Origination"): amounts are yuan strings, every field is checked by the ' +
    'origination core and refused field by field with application_invalid. applicationId and submittedAt are ' +
    'set by the server.',
  properties: {
    productId: { type: 'string', description: 'Product applied for (the policy in force for it decides)' },
    customerId: { type: 'string', description: 'The customer id when the applicant is a customer already' },
    invitationCode: { type: 'string', description: 'Code of the invitation (白名单) taken up' },
    requestedLimit: { type: 'string', description: 'Limit asked for, yuan, e.g. "20000.00"' },
    channel: { type: 'string', description: 'app, h5, partner:<id> …' },
    identity: openObject('name, idNumber, phone, birthDate (personal data: encrypted, masked)'),
    address: openObject('province, city, detail'),
    contacts: { type: 'array', items: openObject('name, relation, phone') },
    maritalStatus: { type: 'string' },
    housing: { type: 'string' },
    dependants: { type: 'integer' },
    employment: openObject('occupation, industry, employer, monthsInRole'),
    income: openObject('declaredMonthly and evidence [{kind, monthlyAmount, documentRef}]'),
    monthlyExpenses: { type: 'string' },
    assets: { type: 'array', items: openObject('kind, value') },
    debts: { type: 'array', items: openObject('kind, outstanding, monthlyPayment') },
    bureau: openObject('征信 summary: outstandingBalance, lenders3m/6m/12m, worstDaysPastDue, …'),
    device: openObject('deviceId, ip, sim, installSource, capturedAt'),
    business: openObject('Business owners: name, industry, plan, statements'),
  },
} as const;

const flagSummary = {
  type: 'object',
  required: ['flagId', 'kind', 'severity', 'summary', 'status'],
  properties: {
    flagId: { type: 'string' },
    kind: { type: 'string' },
    severity: { type: 'string', enum: ['refuse', 'review'] },
    summary: { type: 'string' },
    status: { type: 'string', enum: ['open', 'resolved'] },
    evidence: openObject('What the detector saw'),
  },
} as const;

export const decisionResponse = {
  type: 'object',
  required: [
    'decisionId',
    'applicationId',
    'decidedAt',
    'outcome',
    'limit',
    'reasons',
    'flags',
    'policy',
    'contentHash',
    'intact',
    'record',
  ],
  properties: {
    decisionId: { type: 'string' },
    applicationId: { type: 'string' },
    decidedAt: { type: 'string' },
    outcome: { type: 'string', enum: ['approve', 'decline', 'refer'] },
    limit: { type: 'string', description: 'Limit granted, yuan ("0.00" unless approved)' },
    riskGrade: nullableString,
    dailyRate: { ...nullableString, description: '日利率, decimal string' },
    apr: { ...nullableString, description: 'APR including all fees at the longest term' },
    termOptions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          months: { type: 'integer' },
          method: { type: 'string' },
          apr: { type: 'string' },
          instalment: { type: 'string' },
        },
      },
    },
    reasons: {
      type: 'array',
      items: {
        type: 'object',
        required: ['source', 'code', 'message'],
        properties: {
          source: { type: 'string' },
          code: { type: 'string' },
          message: { type: 'string' },
          values: openObject('The values the rule saw'),
        },
      },
    },
    flags: { type: 'array', items: flagSummary },
    blacklistHits: {
      type: 'array',
      items: openObject('entryId, subject, reason, source, evidence, expiresAt, explanation'),
    },
    policy: {
      type: 'object',
      properties: {
        policyId: { type: 'string' },
        version: { type: 'string' },
        documentHash: { type: 'string' },
      },
    },
    model: openObject('modelId, kind, version of the model that decided'),
    score: openObject('value and probabilityBad'),
    customerId: nullableString,
    lineId: { ...nullableString, description: 'The credit line the approval opened' },
    contentHash: { type: 'string', description: 'sha256 of the canonical JSON of record' },
    intact: { type: 'boolean', description: 'record still matches contentHash' },
    supersedes: {
      ...nullableString,
      description: "On a person's decision: the automated decision it replaces (POST /decisions/{id}/review)",
    },
    decidedBy: { ...nullableString, description: "On a person's decision: the user who made it" },
    supersededBy: {
      ...nullableString,
      description: 'On an automated decision a person decided after: the decision that replaces it',
    },
    record: openObject('The immutable decision record as made (amounts in fen)'),
  },
} as const;

const requestResponse = {
  type: 'object',
  required: ['requestId', 'decisionId', 'applicationId', 'kind', 'status', 'receivedAt'],
  properties: {
    requestId: { type: 'string' },
    decisionId: { type: 'string' },
    applicationId: { type: 'string' },
    kind: { type: 'string', enum: ['explanation', 'objection'] },
    channel: { type: 'string' },
    statement: { ...nullableString, description: "The applicant's words (shown to roles that may answer)" },
    receivedAt: { type: 'string' },
    recordedBy: { type: 'string' },
    status: { type: 'string', enum: ['open', 'answered'] },
    draftExplanation: {
      type: 'string',
      description: 'The decision explained from its record, to answer with',
    },
    answer: nullableString,
    objectionResult: { type: ['string', 'null'], enum: ['upheld', 'overturned', null] },
    answeredBy: nullableString,
    answeredAt: nullableString,
  },
} as const;

const CHANNEL = { type: 'string', enum: ['app', 'phone', 'letter', 'email', 'in-person', 'other'] } as const;
const STATEMENT = { type: 'string', minLength: 1, maxLength: STATEMENT_LENGTH_MAX, pattern: '\\S' } as const;

const applicationNotFound = (id: string) =>
  new ProblemError(
    'application_not_found',
    `There is no application ${id}; check the id from POST /applications.`,
    [{ path: '/path/applicationId', message: 'no such application' }],
  );
export const decisionNotFound = (id: string) =>
  new ProblemError(
    'decision_not_found',
    `There is no decision ${id}; check the id from POST /applications.`,
    [{ path: '/path/decisionId', message: 'no such decision' }],
  );

interface DecisionExtras {
  customerId: string | null;
  lineId: string | null;
  /** The person's decision that replaced this one, if any. */
  supersededBy?: string | null;
  flags: readonly {
    flagId: string;
    kind: string;
    severity: 'refuse' | 'review';
    summary: string;
    status: 'open' | 'resolved';
    evidence: unknown;
  }[];
}

export function presentDecision(decisionId: string, d: Decision, extras: DecisionExtras) {
  return {
    decisionId,
    applicationId: d.applicationId,
    decidedAt: d.decidedAt,
    outcome: d.outcome,
    limit: yuan(d.limit_fen),
    riskGrade: d.riskGrade,
    dailyRate: d.dailyRate,
    apr: d.apr,
    termOptions: apiShape(d.termOptions),
    reasons: d.reasons,
    flags: extras.flags,
    blacklistHits: d.blacklistHits,
    policy: d.policy,
    model: d.score.model,
    score: { value: d.score.score, probabilityBad: d.score.probabilityBad },
    customerId: extras.customerId,
    lineId: extras.lineId,
    contentHash: d.contentHash,
    intact: verifyRecord(d),
    supersedes: d.supersedes ?? null,
    decidedBy: d.decidedBy ?? null,
    supersededBy: extras.supersededBy ?? null,
    record: d,
  };
}

/** The decision explained from its record in plain language: what an answer to an explanation request starts from. */
export function explanationOf(d: Decision): string {
  const lines = [
    d.decidedBy !== undefined
      ? `Decision: ${d.outcome} on ${d.decidedAt}, limit ${yuan(d.limit_fen)} yuan, made by a person reviewing ` +
        `the automated decision ${d.supersedes} (policy ${d.policy.policyId} ${d.policy.version}).`
      : `Decision: ${d.outcome} on ${d.decidedAt}, limit ${yuan(d.limit_fen)} yuan, made automatically under policy ` +
        `${d.policy.policyId} ${d.policy.version} with model ${d.score.model.modelId} (${d.score.model.version}); ` +
        `score ${d.score.score}.`,
    ...d.reasons.map((r) => `- ${r.message}`),
    ...d.blacklistHits.map((h) => `- ${h.explanation}`),
  ];
  if (d.flags.length > 0)
    lines.push(
      `- The application was sent for review by an analyst (${d.flags.map((f) => f.kind).join(', ')}).`,
    );
  if (d.decidedBy === undefined)
    lines.push('You may object to this decision and ask for a person to review it.');
  return lines.join('\n');
}

function presentRequest(r: StoredDecisionRequest, draft?: string) {
  return {
    requestId: r.requestId,
    decisionId: r.decisionId,
    applicationId: r.applicationId,
    kind: r.kind,
    channel: r.channel,
    statement: r.statement,
    receivedAt: r.receivedAt,
    recordedBy: r.recordedBy,
    status: r.status,
    ...(draft === undefined ? {} : { draftExplanation: draft }),
    answer: r.answer,
    objectionResult: r.objectionResult,
    answeredBy: r.answeredBy,
    answeredAt: r.answeredAt,
  };
}

async function decisionExtras(
  q: Queryable,
  stored: StoredDecision,
  deps: ServerDeps,
): Promise<DecisionExtras> {
  const application = await q.query<{ customer_id: string | null; line_id: string | null }>(
    'select customer_id, line_id from applications where application_id = $1',
    [stored.applicationId],
  );
  const flags = await listFlags(q, { applicationId: stored.applicationId }, null, deps.config.pageSize_max);
  const review = await reviewOf(q, stored.decisionId);
  return {
    customerId: application.rows[0]?.customer_id ?? null,
    lineId: application.rows[0]?.line_id ?? null,
    supersededBy: review?.decisionId ?? null,
    flags: flags.map((f) => ({
      flagId: f.flagId,
      kind: f.kind,
      severity: f.severity,
      summary: f.summary,
      status: f.status,
      evidence: f.evidence,
    })),
  };
}

const policyNotPublished = (productId: string) =>
  new ProblemError(
    'policy_not_published',
    `No policy is in force for product "${productId}"; publish one (POST /policies, approve, publish) or apply for a product that has one.`,
    [{ path: '/body/productId', message: 'no policy in force for this product' }],
  );

/** The origination key function for one request: each value's blind index is computed once. */
function requestKeyOf(deps: ServerDeps) {
  const keyOf = originationKeyOf(deps.cipher);
  const known = new Map<string, string>();
  return (kind: PersonalDataKind, value: string): string => {
    const id = `${kind}\u0000${value}`;
    let key = known.get(id);
    if (key === undefined) {
      key = keyOf(kind, value);
      known.set(id, key);
    }
    return key;
  };
}

async function decideOrProblem(application: Application, context: DecisionContext): Promise<Decision> {
  try {
    return await decide(application, context);
  } catch (error) {
    throw originationProblem(error);
  }
}

/** The response, audit entries and location of a decided application, whichever path stored it. */
function applicationOutcome(
  application: Application,
  decisionId: string,
  decision: Decision,
  flags: readonly { flagId: string; flag: ReviewFlag }[],
  approval: { customerId: string; lineId: string; audit: readonly ApprovalAudit[] } | undefined,
): WriteOutcome<ReturnType<typeof presentDecision>> {
  const customerId = approval?.customerId ?? null;
  const audit: ApprovalAudit[] = [
    {
      action: 'application.create',
      resourceType: 'application',
      resourceId: application.applicationId,
      customerId,
      details: { productId: application.productId, channel: application.channel },
    },
    {
      action: 'decision.record',
      resourceType: 'decision',
      resourceId: decisionId,
      customerId,
      details: {
        outcome: decision.outcome,
        policyVersion: decision.policy.version,
        modelVersion: decision.score.model.version,
        flags: flags.map((f) => f.flag.kind),
        contentHash: decision.contentHash,
      },
    },
    ...(approval?.audit ?? []),
  ];
  return {
    status: 201,
    body: presentDecision(decisionId, decision, {
      customerId,
      lineId: approval?.lineId ?? null,
      flags: flags.map(({ flagId, flag }) => ({
        flagId,
        kind: flag.kind,
        severity: flag.severity,
        summary: flag.summary,
        status: 'open' as const,
        evidence: flag.evidence,
      })),
    }),
    location: `/decisions/${decisionId}`,
    audit,
  };
}

/** Thrown inside the short path's transaction to roll it back when the general path must answer. */
const DECLINED = Symbol('declined');

/**
 * A new applicant's application in three statements under both locks (decision 0525): lock (with the policy
 * in force), read, decide in memory, write. Undefined when the general path must answer instead: the
 * Idempotency-Key was used before, or a row it writes was stored meanwhile by another request.
 */
async function submitInOneWrite(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  application: Application,
  applicantKey: string,
  keyOf: (kind: PersonalDataKind, value: string) => string,
): Promise<SealedWrite | undefined> {
  const principal = request.principal;
  const idem = request.idempotency;
  if (principal === null || idem === null)
    throw new Error('assertion: a write runs only after auth and idempotency');
  const submittedAt = application.submittedAt;
  try {
    return await deps.db.transaction(async (tx) => {
      const published = await lockApplication(tx, {
        userId: principal.userId,
        idempotencyKey: idem.key,
        applicantKey,
        productId: application.productId,
      });
      const policy = await policyOfPublished(tx, deps, application.productId, published);
      if (policy === undefined) throw policyNotPublished(application.productId);
      const draftPast = pastApplicationOf(application, keyOf, 'refer');
      const reads = await readForApplication(tx, deps.cipher, {
        userId: principal.userId,
        idempotencyKey: idem.key,
        applicantKey,
        applicantKeyCandidates: originationKeyCandidates(
          deps.cipher,
          'id-number',
          application.identity.idNumber,
        ),
        blacklistKeys: blacklistKeysOf(deps.cipher, application),
        at: submittedAt,
        historyKeys: historyKeysOf(draftPast),
        historySince: historySince(policy.document.settings, submittedAt),
        historyRowsPerKey_max: HISTORY_ROWS_PER_KEY_MAX,
        customerIdKeys: deps.cipher.blindIndexCandidates(
          'id_number',
          normaliseIdNumber(application.identity.idNumber),
        ),
      });
      if (reads === undefined) throw DECLINED;
      const decision = await decideOrProblem(application, {
        businessTime: submittedAt,
        policy,
        models: originationAssets(deps).models,
        invitations: reads.invitations,
        blacklist: reads.blacklist,
        history: { recentApplications: reads.history },
        keyOf,
      });
      const decisionId = newId('dec');
      const flags = decision.flags.map((flag) => ({ flagId: newId('flg'), flag }));
      const approval =
        decision.outcome === 'approve'
          ? planApprovedLine(deps, {
              application,
              limit_fen: decision.limit_fen,
              invitationId: decision.invitationId,
              decisionId,
              existingCustomerId: reads.existingCustomerId,
              businessDay: dayFromSql(reads.businessDay),
            })
          : undefined;
      const sealed = sealWrite(
        request,
        reply,
        applicationOutcome(application, decisionId, decision, flags, approval),
      );
      const past = { ...draftPast, outcome: decision.outcome };
      await writeApplication(
        tx,
        applicationWriteOf(deps.cipher, {
          application,
          applicantKey,
          submittedAt,
          decisionId,
          decision,
          flags,
          past,
          ...(approval === undefined ? {} : { approval: approval.write }),
          audit: sealed.audit,
          idempotency: sealed.idempotency,
          responseText: sealed.responseText,
        }),
      );
      return sealed;
    });
  } catch (error) {
    if (error === DECLINED || sqlState(error) === SQLSTATE_UNIQUE_VIOLATION) return undefined;
    throw error;
  }
}

export async function originationApplicationRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const common = { tags: ['origination'], security: bearerSecurity };

  app.post<{ Body: Record<string, unknown> }>(
    '/applications',
    {
      config: { permission: 'applications.create', idempotencyInTransaction: true },
      schema: {
        ...common,
        summary:
          'Submit an application: validated, checked against invitations, blacklist and 强开 patterns, scored and ' +
          'decided under the policy in force; an approval opens a credit line',
        headers: idempotencyHeader,
        body: applicationBody,
        response: { 201: decisionResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      try {
        const body = request.body;
        const serverSet = SERVER_FIELDS.filter((f) => f in body);
        if (serverSet.length > 0) {
          throw validationProblem(
            serverSet.map((f) => ({ path: `/body/${f}`, message: 'is set by the server; remove it' })),
          );
        }
        const submittedAt = await businessNow(deps);
        let application: Application;
        try {
          application = validateApplication({ ...body, applicationId: newId('app'), submittedAt });
        } catch (error) {
          throw originationProblem(error);
        }
        const principal = request.principal!;
        const keyOf = requestKeyOf(deps);
        const applicantKey = keyOf('id-number', application.identity.idNumber);
        // A new applicant (no customerId) in three statements; the general path for the rest and whatever
        // the short one declines (decision 0525).
        if (application.customerId === undefined) {
          const sealed = await applicationTurn(deps, () =>
            submitInOneWrite(deps, request, reply, application, applicantKey, keyOf),
          );
          if (sealed !== undefined) return sendSealed(reply, sealed);
        }
        const policy = await policyInForce(deps.db, deps, application.productId);
        if (policy === undefined) throw policyNotPublished(application.productId);
        const { models } = originationAssets(deps);
        return applicationTurn(deps, () =>
          commitWrite(deps, request, reply, async (tx) => {
            // One applicant's applications take turns, so velocity and retries see each other.
            await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
              applicantLockKey(applicantKey),
            ]);
            if (application.customerId !== undefined) {
              const customer = await findCustomer(tx, deps.cipher, application.customerId);
              if (customer === undefined) {
                throw new ProblemError(
                  'customer_not_found',
                  `There is no customer ${application.customerId}; leave customerId out for a new applicant.`,
                  [{ path: '/body/customerId', message: 'no such customer' }],
                );
              }
              if (customer.idNumber !== application.identity.idNumber) {
                throw validationProblem([
                  {
                    path: '/body/customerId',
                    message: 'belongs to another ID number than identity.idNumber',
                  },
                ]);
              }
            }
            const draftPast = pastApplicationOf(application, keyOf, 'refer');
            const keys = historyKeysOf(draftPast);
            const invitations = await invitationsOf(
              tx,
              deps.cipher,
              applicantKey,
              originationKeyCandidates(deps.cipher, 'id-number', application.identity.idNumber),
            );
            const blacklist = await blacklistMatches(
              tx,
              blacklistKeysOf(deps.cipher, application),
              submittedAt,
            );
            const recentApplications = await loadHistory(
              tx,
              deps.cipher,
              keys,
              historySince(policy.document.settings, submittedAt),
              HISTORY_ROWS_PER_KEY_MAX,
            );
            const decision = await decideOrProblem(application, {
              businessTime: submittedAt,
              policy,
              models,
              invitations,
              blacklist,
              history: { recentApplications },
              keyOf,
            });
            const decisionId = newId('dec');
            await insertApplication(tx, deps.cipher, application, applicantKey, principal.userId);
            await insertDecision(tx, decisionId, decision);
            const flags = decision.flags.map((flag) => ({ flagId: newId('flg'), flag }));
            await insertFlags(tx, application.applicationId, flags);
            await insertHistory(
              tx,
              deps.cipher,
              { ...draftPast, outcome: decision.outcome },
              retryFactsOf(application),
            );
            const approval =
              decision.outcome === 'approve'
                ? await openApprovedLine(tx, deps, {
                    application,
                    limit_fen: decision.limit_fen,
                    invitationId: decision.invitationId,
                    decisionId,
                    userId: principal.userId,
                  })
                : undefined;
            return applicationOutcome(application, decisionId, decision, flags, approval);
          }),
        );
      } catch (error) {
        // A refusal before the transaction (the request's key is looked up in it): a key used before
        // still replays its first response.
        if (error instanceof ProblemError && (await replayIfSeen(deps, request, reply))) return reply;
        throw error;
      }
    },
  );

  app.get<{ Params: { applicationId: string }; Querystring: { unmask: boolean } }>(
    '/applications/:applicationId',
    {
      config: { permission: 'applications.read' },
      schema: {
        ...common,
        summary: 'One application with its decision; personal data masked unless ?unmask=true (audited)',
        params: idParam('applicationId', 'Application id'),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { unmask: { type: 'boolean', default: false } },
        },
        response: {
          200: {
            type: 'object',
            required: ['applicationId', 'masked', 'application', 'decisionId', 'outcome'],
            properties: {
              applicationId: { type: 'string' },
              masked: { type: 'boolean' },
              application: openObject('The application as submitted (amounts in yuan), masked unless asked'),
              decisionId: nullableString,
              outcome: nullableString,
              customerId: nullableString,
              lineId: nullableString,
              createdAt: { type: 'string' },
              createdBy: { type: 'string' },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const principal = request.principal!;
      const unmask = request.query.unmask;
      if (unmask && !allows('applications.unmask', principal.role)) {
        throw new ProblemError(
          'pii_forbidden',
          `Your role ${principal.role} may not see unmasked personal data; drop ?unmask=true to get the masked view.`,
          [{ path: '/query/unmask', message: 'not allowed for your role' }],
        );
      }
      const stored = await findApplication(deps.db, deps.cipher, request.params.applicationId);
      if (stored === undefined) throw applicationNotFound(request.params.applicationId);
      const decision = await decisionOfApplication(deps.db, stored.applicationId);
      if (unmask) {
        // Written before the data leaves: no audit entry, no unmasked read.
        await appendAudit(deps.db, {
          actorUserId: principal.userId,
          actorRole: principal.role,
          action: 'application.read_pii',
          requestId: request.id,
          resourceType: 'application',
          resourceId: stored.applicationId,
          customerId: stored.customerId,
          details: { fields: ['identity', 'address', 'contacts', 'device'] },
        });
      }
      return {
        applicationId: stored.applicationId,
        masked: !unmask,
        application: unmask ? apiShape(stored.application) : maskApplication(stored.application),
        decisionId: decision?.decisionId ?? null,
        outcome: decision?.decision.outcome ?? null,
        customerId: stored.customerId,
        lineId: stored.lineId,
        createdAt: stored.createdAt,
        createdBy: stored.createdBy,
      };
    },
  );

  app.get<{ Params: { decisionId: string } }>(
    '/decisions/:decisionId',
    {
      config: { permission: 'decisions.read' },
      schema: {
        ...common,
        summary:
          'One decision: outcome, limit, price, reasons, flags, policy and model versions, the sealed record',
        params: idParam('decisionId', 'Decision id'),
        response: { 200: decisionResponse, ...problemResponses },
      },
    },
    async (request) => {
      const stored = await findDecision(deps.db, request.params.decisionId);
      if (stored === undefined) throw decisionNotFound(request.params.decisionId);
      return presentDecision(stored.decisionId, stored.decision, await decisionExtras(deps.db, stored, deps));
    },
  );

  const requestBody = (statementRequired: boolean) =>
    ({
      type: 'object',
      required: statementRequired ? ['channel', 'statement'] : ['channel'],
      additionalProperties: false,
      properties: { channel: CHANNEL, statement: STATEMENT },
    }) as const;

  for (const kind of ['explanation', 'objection'] as const) {
    const path = kind === 'explanation' ? 'explanation' : 'objections';
    app.post<{ Params: { decisionId: string }; Body: { channel: string; statement?: string } }>(
      `/decisions/:decisionId/${path}`,
      {
        config: { permission: 'decisions.requests' },
        schema: {
          ...common,
          summary:
            kind === 'explanation'
              ? "Record an applicant's request to have the decision explained (PIPL Art. 24); answered later"
              : "Record an applicant's objection to the decision (PIPL Art. 24); answered later by a person",
          headers: idempotencyHeader,
          params: idParam('decisionId', 'Decision id'),
          body: requestBody(kind === 'objection'),
          response: { 201: requestResponse, ...problemResponses },
        },
      },
      async (request, reply) => {
        const principal = request.principal!;
        return commitWrite(deps, request, reply, async (tx) => {
          const stored = await findDecision(tx, request.params.decisionId);
          if (stored === undefined) throw decisionNotFound(request.params.decisionId);
          const created = await insertDecisionRequest(
            tx,
            deps.cipher,
            {
              requestId: newId('req'),
              applicationId: stored.applicationId,
              decisionId: stored.decisionId,
              kind,
              channel: request.body.channel,
              statement: request.body.statement ?? null,
            },
            principal.userId,
          );
          return {
            status: 201,
            body: presentRequest(created, explanationOf(stored.decision)),
            // The idempotency record keeps no personal data: a replay answers without the statement.
            replayBody: { ...presentRequest(created, explanationOf(stored.decision)), statement: null },
            location: `/decision-requests/${created.requestId}`,
            audit: [
              {
                action: `decision.${kind}_request`,
                resourceType: 'decision_request',
                resourceId: created.requestId,
                customerId: null,
                details: { decisionId: stored.decisionId, channel: created.channel },
              },
            ],
          };
        });
      },
    );
  }

  app.get<{
    Querystring: { limit: number; cursor?: string; status?: string; kind?: string; decisionId?: string };
  }>(
    '/decision-requests',
    {
      config: { permission: 'decisions.requests' },
      schema: {
        ...common,
        summary: 'Explanation requests and objections, open ones first to answer',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties(deps.config),
            status: { type: 'string', enum: ['open', 'answered'] },
            kind: { type: 'string', enum: ['explanation', 'objection'] },
            decisionId: idParam('decisionId', 'Decision id').properties.decisionId,
          },
        },
        response: { 200: pageResponse(requestResponse), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listDecisionRequests(
        deps.db,
        deps.cipher,
        {
          ...(q.status === undefined ? {} : { status: q.status }),
          ...(q.kind === undefined ? {} : { kind: q.kind }),
          ...(q.decisionId === undefined ? {} : { decisionId: q.decisionId }),
        },
        decodeCursor(q.cursor, 'string') ?? null,
        q.limit + 1,
      );
      const { rows: page, nextCursor } = keysetPage(rows, q.limit, (r) => r.requestId);
      return { items: page.map((r) => presentRequest(r)), nextCursor };
    },
  );

  app.post<{
    Params: { requestId: string };
    Body: { answer: string; objectionResult?: 'upheld' | 'overturned' };
  }>(
    '/decision-requests/:requestId/answer',
    {
      config: { permission: 'decisions.requests' },
      schema: {
        ...common,
        summary:
          'Answer an explanation request, or an objection with its result (upheld: the decision stands; overturned: it is reconsidered)',
        headers: idempotencyHeader,
        params: idParam('requestId', 'Explanation request or objection id'),
        body: {
          type: 'object',
          required: ['answer'],
          additionalProperties: false,
          properties: {
            answer: STATEMENT,
            objectionResult: { type: 'string', enum: ['upheld', 'overturned'] },
          },
        },
        response: { 200: requestResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const found = await findDecisionRequest(tx, deps.cipher, request.params.requestId, {
          forUpdate: true,
        });
        if (found === undefined) {
          throw new ProblemError(
            'decision_request_not_found',
            `There is no explanation request or objection ${request.params.requestId}; list them with GET /decision-requests.`,
            [{ path: '/path/requestId', message: 'no such request' }],
          );
        }
        if (found.status !== 'open') {
          throw new ProblemError(
            'request_answered',
            `Request ${found.requestId} was answered by ${found.answeredBy} at ${found.answeredAt}; it is answered once.`,
          );
        }
        const result = request.body.objectionResult;
        if (found.kind === 'objection' && result === undefined) {
          throw validationProblem([
            { path: '/body/objectionResult', message: 'is required for an objection: upheld or overturned' },
          ]);
        }
        if (found.kind === 'explanation' && result !== undefined) {
          throw validationProblem([
            { path: '/body/objectionResult', message: 'belongs to objections only; remove it' },
          ]);
        }
        const answered = await answerDecisionRequest(
          tx,
          deps.cipher,
          found.requestId,
          request.body.answer,
          result ?? null,
          principal.userId,
        );
        return {
          status: 200,
          body: presentRequest(answered),
          audit: [
            {
              action: `decision.${found.kind}_answer`,
              resourceType: 'decision_request',
              resourceId: found.requestId,
              customerId: null,
              details: { decisionId: found.decisionId, ...(result === undefined ? {} : { result }) },
            },
          ],
        };
      });
    },
  );
}
