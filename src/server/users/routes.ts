import type { FastifyInstance } from 'fastify';
import {
  findAgency,
  findUser,
  findUserByName,
  insertToken,
  insertUser,
  listTokens,
  listUsers,
  ROLES,
  type Role,
  revokeToken,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError, validationProblem } from '../http/problem.js';
import {
  bearerSecurity,
  decodeCursor,
  encodeCursor,
  idempotencyHeader,
  idParam,
  pageQueryProperties,
  pageResponse,
  problemResponses,
} from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { USER_MESSAGES } from './messages.js';

/** Longest a token may live when created through the API. */
export const TOKEN_LIFETIME_DAYS_MAX = 366;
const MS_PER_DAY = 86_400_000;

const userSchema = {
  type: 'object',
  required: ['userId', 'username', 'displayName', 'role', 'createdAt', 'disabledAt'],
  properties: {
    userId: { type: 'string' },
    username: { type: 'string' },
    displayName: { type: 'string' },
    role: { type: 'string', enum: [...ROLES] },
    agencyId: {
      type: ['string', 'null'],
      description: 'The collection agency an agency user works for; null for staff',
    },
    createdAt: { type: 'string', format: 'date-time' },
    disabledAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

const tokenSchema = {
  type: 'object',
  required: ['tokenId', 'userId', 'label', 'createdAt', 'expiresAt', 'revokedAt'],
  properties: {
    tokenId: { type: 'string' },
    userId: { type: 'string' },
    label: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: ['string', 'null'], format: 'date-time' },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
    token: {
      type: 'string',
      description: 'The secret, shown once in the first response; a replay of the same request omits it',
    },
  },
} as const;

const userParams = idParam('userId', 'User id');

function userNotFound(userId: string): ProblemError {
  return new ProblemError('user_not_found', say(USER_MESSAGES, 'user_not_found', { userId }), [
    fieldProblem('/path/userId', say(USER_MESSAGES, 'no_such_user')),
  ]);
}

export async function userRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const common = { tags: ['users'], security: bearerSecurity };

  app.post<{ Body: { username: string; displayName: string; role: Role; agencyId?: string } }>(
    '/users',
    {
      config: { permission: 'users.manage' },
      schema: {
        ...common,
        summary: 'Create a user (no token yet)',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['username', 'displayName', 'role'],
          additionalProperties: false,
          properties: {
            username: {
              type: 'string',
              pattern: '^[a-z][a-z0-9_.-]{2,39}$',
              description: '3 to 40 characters: lower-case letters, digits, _ . -, starting with a letter',
            },
            displayName: { type: 'string', minLength: 1, maxLength: 80 },
            role: { type: 'string', enum: [...ROLES] },
            agencyId: {
              type: 'string',
              pattern: '^[a-z0-9][a-z0-9_-]{0,39}$',
              description: 'For role agency (required): the collection agency the user works for',
            },
          },
        },
        response: { 201: userSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      commitWrite(deps, request, reply, async (tx) => {
        if ((await findUserByName(tx, request.body.username)) !== undefined) {
          throw new ProblemError(
            'username_taken',
            say(USER_MESSAGES, 'username_taken', { username: request.body.username }),
            [fieldProblem('/body/username', say(USER_MESSAGES, 'taken'))],
          );
        }
        const { agencyId } = request.body;
        if (agencyId !== undefined && request.body.role !== 'agency')
          throw validationProblem([fieldProblem('/body/agencyId', say(USER_MESSAGES, 'not_for_this_role'))]);
        if (agencyId === undefined && request.body.role === 'agency')
          throw validationProblem([
            fieldProblem('/body/agencyId', say(USER_MESSAGES, 'required_for_agency')),
          ]);
        if (agencyId !== undefined && (await findAgency(tx, agencyId))?.active !== true)
          throw new ProblemError(
            'agency_not_found',
            say(USER_MESSAGES, 'user_agency_not_found', { agencyId }),
            [fieldProblem('/body/agencyId', say(USER_MESSAGES, 'no_such_agency'))],
          );
        const user = await insertUser(tx, request.body);
        return {
          status: 201,
          body: user,
          location: `/users/${user.userId}`,
          audit: [
            {
              action: 'user.create',
              resourceType: 'user',
              resourceId: user.userId,
              customerId: null,
              details: { role: user.role },
            },
          ],
        };
      }),
  );

  app.get<{ Querystring: { limit: number; cursor?: string } }>(
    '/users',
    {
      config: { permission: 'users.manage' },
      schema: {
        ...common,
        summary: 'List users',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: pageQueryProperties(deps.config),
        },
        response: { 200: pageResponse(userSchema), ...problemResponses },
      },
    },
    async (request) => {
      const page = await listUsers(
        deps.db,
        decodeCursor(request.query.cursor, 'string'),
        request.query.limit,
      );
      const last = page.items.at(-1);
      return { items: page.items, nextCursor: page.more && last ? encodeCursor(last.userId) : null };
    },
  );

  app.get<{ Params: { userId: string } }>(
    '/users/:userId',
    {
      config: { permission: 'users.manage' },
      schema: {
        ...common,
        summary: 'One user with their tokens (never the secrets)',
        params: userParams,
        response: {
          200: {
            type: 'object',
            required: ['user', 'tokens'],
            properties: { user: userSchema, tokens: { type: 'array', items: tokenSchema } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const user = await findUser(deps.db, request.params.userId);
      if (user === undefined) throw userNotFound(request.params.userId);
      return { user, tokens: await listTokens(deps.db, user.userId) };
    },
  );

  app.post<{ Params: { userId: string }; Body: { label: string; expiresInDays?: number } }>(
    '/users/:userId/tokens',
    {
      config: { permission: 'users.manage' },
      schema: {
        ...common,
        summary: 'Create an API token; the secret is in this response only',
        params: userParams,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['label'],
          additionalProperties: false,
          properties: {
            label: { type: 'string', minLength: 1, maxLength: 80, description: 'What the token is for' },
            expiresInDays: { type: 'integer', minimum: 1, maximum: TOKEN_LIFETIME_DAYS_MAX },
          },
        },
        response: { 201: tokenSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      commitWrite(deps, request, reply, async (tx) => {
        const user = await findUser(tx, request.params.userId);
        if (user === undefined) throw userNotFound(request.params.userId);
        const days = request.body.expiresInDays;
        const { token, secret } = await insertToken(tx, {
          userId: user.userId,
          label: request.body.label,
          expiresAt: days === undefined ? null : new Date(Date.now() + days * MS_PER_DAY),
        });
        return {
          status: 201,
          body: { ...token, token: secret },
          replayBody: token,
          location: `/users/${user.userId}`,
          audit: [
            {
              action: 'token.create',
              resourceType: 'api_token',
              resourceId: token.tokenId,
              customerId: null,
              details: { userId: user.userId },
            },
          ],
        };
      }),
  );

  app.delete<{ Params: { userId: string; tokenId: string } }>(
    '/users/:userId/tokens/:tokenId',
    {
      config: { permission: 'users.manage' },
      schema: {
        ...common,
        summary: 'Revoke an API token (at once; revoking twice is harmless)',
        params: {
          type: 'object',
          required: ['userId', 'tokenId'],
          additionalProperties: false,
          properties: {
            userId: userParams.properties.userId,
            tokenId: idParam('tokenId', 'Token id').properties.tokenId,
          },
        },
        headers: idempotencyHeader,
        response: { 200: tokenSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const sent = await commitWrite(deps, request, reply, async (tx) => {
        const token = await revokeToken(tx, request.params.userId, request.params.tokenId);
        if (token === undefined) {
          throw new ProblemError(
            'token_not_found',
            say(USER_MESSAGES, 'token_not_found', {
              userId: request.params.userId,
              tokenId: request.params.tokenId,
            }),
            [fieldProblem('/path/tokenId', say(USER_MESSAGES, 'no_such_token'))],
          );
        }
        // Every server process forgets the token before the answer goes out; once more after the commit
        // (below), for a request that cached it again in between from the not yet committed row.
        await deps.tokenRevoked(token.tokenId);
        return {
          status: 200,
          body: token,
          audit: [
            {
              action: 'token.revoke',
              resourceType: 'api_token',
              resourceId: token.tokenId,
              customerId: null,
              details: { userId: token.userId },
            },
          ],
        };
      });
      await deps.tokenRevoked(request.params.tokenId);
      return sent;
    },
  );
}
