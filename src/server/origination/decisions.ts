import type { FastifyInstance } from 'fastify';
import {
  answerDecisionRequest,
  findDecision,
  findDecisionRequest,
  insertDecisionRequest,
  listDecisionRequests,
  listFlags,
  newId,
  type Queryable,
  reviewOf,
  type StoredDecision,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError, validationProblem } from '../http/problem.js';
import {
  bearerSecurity,
  decodeCursor,
  idempotencyHeader,
  idParam,
  keysetPage,
  pageQueryProperties,
  pageResponse,
  problemResponses,
} from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { ORIGINATION_MESSAGES } from './messages.js';
import { type DecisionExtras, explanationOf, presentDecision, presentRequest } from './presenters.js';
import { decisionNotFound } from './problems.js';
import { decisionResponse, requestBody, requestResponse, STATEMENT } from './schemas.js';

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

export async function originationDecisionRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const common = { tags: ['origination'], security: bearerSecurity };

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
    Params: { decisionRequestId: string };
    Body: { answer: string; objectionResult?: 'upheld' | 'overturned' };
  }>(
    '/decision-requests/:decisionRequestId/answer',
    {
      config: { permission: 'decisions.requests' },
      schema: {
        ...common,
        summary:
          'Answer an explanation request, or an objection with its result (upheld: the decision stands; overturned: it is reconsidered)',
        headers: idempotencyHeader,
        params: idParam('decisionRequestId', 'Explanation request or objection id'),
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
        const found = await findDecisionRequest(tx, deps.cipher, request.params.decisionRequestId, {
          forUpdate: true,
        });
        if (found === undefined) {
          throw new ProblemError(
            'decision_request_not_found',
            say(ORIGINATION_MESSAGES, 'request_not_found', { requestId: request.params.decisionRequestId }),
            [fieldProblem('/path/decisionRequestId', say(ORIGINATION_MESSAGES, 'no_such_request'))],
          );
        }
        if (found.status !== 'open') {
          throw new ProblemError(
            'request_answered',
            say(ORIGINATION_MESSAGES, 'request_answered', {
              requestId: found.requestId,
              person: String(found.answeredBy),
              at: String(found.answeredAt),
            }),
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
