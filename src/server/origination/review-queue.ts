import type { FastifyInstance } from 'fastify';
import { REVIEW_FLAG_KINDS } from '../../origination/index.js';
import { findFlag, listFlags, originationKeyOf, resolveFlag } from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
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
import { presentFlag } from './presenters.js';
import { flagResponse, TEXT } from './schemas.js';

export async function originationReviewRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const review = { tags: ['review queue'], security: bearerSecurity };
  const _lists = { tags: ['invitations and blacklist'], security: bearerSecurity };
  const _keyOf = originationKeyOf(deps.cipher);

  app.get<{ Querystring: { limit: number; cursor?: string; status: 'open' | 'resolved'; kind?: string } }>(
    '/review-queue',
    {
      config: { permission: 'review.read' },
      schema: {
        ...review,
        summary: '强开 flags with their evidence for an analyst; open ones unless ?status=resolved',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties(deps.config),
            status: { type: 'string', enum: ['open', 'resolved'], default: 'open' },
            kind: { type: 'string', enum: [...REVIEW_FLAG_KINDS] },
          },
        },
        response: { 200: pageResponse(flagResponse), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listFlags(
        deps.db,
        { status: q.status, ...(q.kind === undefined ? {} : { kind: q.kind }) },
        decodeCursor(q.cursor, 'string') ?? null,
        q.limit + 1,
      );
      const { rows: page, nextCursor } = keysetPage(rows, q.limit, (r) => r.flagId);
      return { items: page.map(presentFlag), nextCursor };
    },
  );

  app.post<{ Params: { flagId: string }; Body: { resolution: 'cleared' | 'confirmed'; note: string } }>(
    '/review-queue/:flagId/resolve',
    {
      config: { permission: 'review.resolve' },
      schema: {
        ...review,
        summary: 'Resolve a flag: cleared (not 强开) or confirmed, with a note; who and when are recorded',
        headers: idempotencyHeader,
        params: idParam('flagId', 'Review flag id'),
        body: {
          type: 'object',
          required: ['resolution', 'note'],
          additionalProperties: false,
          properties: { resolution: { type: 'string', enum: ['cleared', 'confirmed'] }, note: TEXT },
        },
        response: { 200: flagResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const found = await findFlag(tx, request.params.flagId, { forUpdate: true });
        if (found === undefined) {
          throw new ProblemError(
            'flag_not_found',
            say(ORIGINATION_MESSAGES, 'flag_not_found', { flagId: request.params.flagId }),
            [fieldProblem('/path/flagId', say(ORIGINATION_MESSAGES, 'no_such_flag'))],
          );
        }
        if (found.status !== 'open') {
          throw new ProblemError(
            'flag_resolved',
            say(ORIGINATION_MESSAGES, 'flag_resolved', {
              flagId: found.flagId,
              resolution: String(found.resolution),
              person: String(found.resolvedBy),
              at: String(found.resolvedAt),
            }),
          );
        }
        const resolved = await resolveFlag(
          tx,
          found.flagId,
          request.body.resolution,
          principal.userId,
          request.body.note,
        );
        return {
          status: 200,
          body: presentFlag(resolved),
          audit: [
            {
              action: 'review_flag.resolve',
              resourceType: 'review_flag',
              resourceId: found.flagId,
              customerId: null,
              details: {
                applicationId: found.applicationId,
                kind: found.kind,
                resolution: resolved.resolution,
              },
            },
          ],
        };
      });
    },
  );
}
