import type { FastifyInstance } from 'fastify';
import { ROLES, schemaVersion } from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { bearerSecurity, problemResponses } from '../http/schemas.js';

export async function systemRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get(
    '/health',
    {
      config: { public: true },
      schema: {
        summary: 'Liveness and database check',
        tags: ['system'],
        response: {
          200: {
            type: 'object',
            required: ['status', 'database', 'schemaVersion'],
            properties: {
              status: { type: 'string', enum: ['ok'] },
              database: { type: 'string', enum: ['pglite', 'postgres'] },
              schemaVersion: { type: 'integer' },
            },
          },
          ...problemResponses,
        },
      },
    },
    async () => ({ status: 'ok', database: deps.db.kind, schemaVersion: await schemaVersion(deps.db) }),
  );

  app.get(
    '/me',
    {
      config: { permission: 'self.read' },
      schema: {
        summary: 'The user behind the presented token',
        tags: ['users'],
        security: bearerSecurity,
        response: {
          200: {
            type: 'object',
            required: ['userId', 'username', 'role', 'tokenId'],
            properties: {
              userId: { type: 'string' },
              username: { type: 'string' },
              role: { type: 'string', enum: [...ROLES] },
              tokenId: { type: 'string' },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => request.principal,
  );
}
