import type { FastifyInstance } from 'fastify';
import { ID_PATTERN, listAudit } from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import {
  bearerSecurity,
  decodeCursor,
  encodeCursor,
  pageQueryProperties,
  pageResponse,
  problemResponses,
} from '../http/schemas.js';

const auditSchema = {
  type: 'object',
  required: [
    'auditId',
    'occurredAt',
    'actorUserId',
    'actorRole',
    'action',
    'requestId',
    'resourceType',
    'resourceId',
    'customerId',
    'details',
  ],
  properties: {
    auditId: { type: 'integer' },
    occurredAt: { type: 'string', format: 'date-time' },
    actorUserId: { type: ['string', 'null'] },
    actorRole: { type: 'string' },
    action: { type: 'string' },
    requestId: { type: ['string', 'null'] },
    resourceType: { type: 'string' },
    resourceId: { type: ['string', 'null'] },
    customerId: { type: ['string', 'null'] },
    details: { type: 'object', additionalProperties: true },
  },
} as const;

export async function auditRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get<{
    Querystring: {
      limit: number;
      cursor?: string;
      action?: string;
      actorUserId?: string;
      customerId?: string;
    };
  }>(
    '/audit-log',
    {
      config: { permission: 'audit.read' },
      schema: {
        summary: 'The append-only audit log, newest first',
        tags: ['audit'],
        security: bearerSecurity,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties(deps.config),
            action: {
              type: 'string',
              pattern: '^[a-z_]+\\.[a-z_]+$',
              maxLength: 64,
              description: 'e.g. customer.read_pii',
            },
            actorUserId: { type: 'string', pattern: ID_PATTERN },
            customerId: { type: 'string', pattern: ID_PATTERN },
          },
        },
        response: { 200: pageResponse(auditSchema), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await listAudit(deps.db, {
        limit: q.limit,
        ...(q.cursor === undefined ? {} : { beforeId: decodeCursor(q.cursor, 'number') }),
        ...(q.action === undefined ? {} : { action: q.action }),
        ...(q.actorUserId === undefined ? {} : { actorUserId: q.actorUserId }),
        ...(q.customerId === undefined ? {} : { customerId: q.customerId }),
      });
      const last = page.items.at(-1);
      return { items: page.items, nextCursor: page.more && last ? encodeCursor(last.auditId) : null };
    },
  );
}
