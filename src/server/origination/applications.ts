import type { FastifyInstance } from 'fastify';
import { appendAudit, decisionOfApplication, findApplication } from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { KERNEL_MESSAGES } from '../http/kernel-messages.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import { allows } from '../http/roles.js';
import { bearerSecurity, idempotencyHeader, idParam, problemResponses } from '../http/schemas.js';
import { replayIfSeen } from '../http/writes.js';
import { applicationNotFound } from './problems.js';
import { applicationBody, applicationResponse, decisionResponse } from './schemas.js';
import { submitRequest } from './submission.js';
import { apiShape, maskApplication } from './support.js';

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
        return await submitRequest(deps, request, reply);
      } catch (error) {
        // A refusal before the key was looked up in the transaction: a key used before still replays its
        // first response.
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
        response: { 200: applicationResponse, ...problemResponses },
      },
    },
    async (request) => {
      const principal = request.principal!;
      const unmask = request.query.unmask;
      if (unmask && !allows('applications.unmask', principal.role)) {
        throw new ProblemError(
          'pii_forbidden',
          say(KERNEL_MESSAGES, 'pii_forbidden', { role: principal.role }),
          [fieldProblem('/query/unmask', say(KERNEL_MESSAGES, 'unmask_not_allowed'))],
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
}
