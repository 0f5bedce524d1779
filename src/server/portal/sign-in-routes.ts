import { randomInt, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  addressIndexOf,
  appendAudit,
  consumeChallenge,
  countWrongAnswer,
  demoCodeHash,
  demoCodeHashSet,
  enqueueOtpMessage,
  findCustomer,
  findCustomerIdByPhone,
  insertBorrowerSession,
  insertChallenge,
  listBorrowerSessions,
  lockChallenge,
  newChallengeId,
  otpCodeHash,
  phoneIndexOf,
  recentChallenges,
  revokeBorrowerSession,
  scrubOtpMessage,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { maskPhone } from '../http/masking.js';
import { pickLanguage, render, say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import { bearerSecurity, idempotencyHeader, idParam, problemResponses } from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { auditBorrowerRead, borrowerOf, borrowerSecurity, requireBorrower } from './auth.js';
import { PORTAL_MESSAGES } from './messages.js';
import { DEFAULT_PORTAL_SIGN_IN_SETTINGS } from './sign-in-settings.js';

/** Bounds of borrower sign-in by default (decision 1000); the server's `portalSignIn` setting may change them. */
export const PORTAL_SIGN_IN_BOUNDS = DEFAULT_PORTAL_SIGN_IN_SETTINGS;

const PHONE = {
  type: 'string',
  pattern: '^1[3-9][0-9]{9}$',
  description: 'Mainland mobile number, 11 digits',
} as const;

const sessionSchema = {
  type: 'object',
  required: ['sessionId', 'customerId', 'createdAt', 'expiresAt', 'revokedAt', 'revokedBy'],
  properties: {
    sessionId: { type: 'string' },
    customerId: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
    revokedBy: {
      type: ['string', 'null'],
      description: '"borrower" for a sign-out, otherwise the staff user who revoked it',
    },
  },
} as const;

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function rateLimited(detail: ReturnType<typeof say>, retryAfter_ms: number): ProblemError {
  return new ProblemError('rate_limited', detail, [], {
    'retry-after': String(Math.max(1, Math.ceil(retryAfter_ms / 1000))),
  });
}

type Verdict =
  | { kind: 'signed_in'; customerId: string; token: string; sessionId: string; expiresAt: string }
  | { kind: 'unknown' | 'expired' | 'exhausted' }
  | { kind: 'wrong'; remaining: number };

export async function portalSignInRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const B = deps.config.portalSignIn;
  const common = { tags: ['portal'] };

  app.post<{ Body: { phone: string } }>(
    '/portal/sign-in/codes',
    {
      config: { public: true },
      schema: {
        ...common,
        security: [],
        summary:
          'Send a one-time sign-in code by text message to a borrower’s phone (the answer is the same whether or not the number is a borrower’s)',
        body: {
          type: 'object',
          required: ['phone'],
          additionalProperties: false,
          properties: { phone: PHONE },
        },
        response: {
          202: {
            type: 'object',
            required: ['challengeId', 'expiresAt', 'resendAfterSeconds'],
            properties: {
              challengeId: {
                type: 'string',
                description: 'Send it back with the code to POST /portal/sign-in',
              },
              expiresAt: { type: 'string', format: 'date-time' },
              resendAfterSeconds: { type: 'integer' },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const now = deps.now();
      const phoneIndex = phoneIndexOf(deps.cipher, request.body.phone);
      const addressIndex = addressIndexOf(deps.cipher, request.ip);
      const language = pickLanguage(request.headers['accept-language']);
      const challengeId = newChallengeId(now);
      const expiresAt = new Date(now.getTime() + B.codeTtl_ms);
      await deps.db.transaction(async (tx) => {
        // Two requests for one phone at once are counted one after the other.
        await tx.query('select pg_advisory_xact_lock(hashtext($1))', [phoneIndex]);
        const since = new Date(now.getTime() - B.rateWindow_ms);
        const seen = await recentChallenges(tx, phoneIndex, addressIndex, since);
        if (seen.lastByPhoneAt !== null) {
          const wait = seen.lastByPhoneAt.getTime() + B.resendInterval_ms - now.getTime();
          if (wait > 0) {
            throw rateLimited(
              say(PORTAL_MESSAGES, 'phone_resend_too_soon', {
                interval: B.resendInterval_ms / 1000,
                seconds: Math.ceil(wait / 1000),
              }),
              wait,
            );
          }
        }
        const window = { max: 0, window: B.rateWindow_ms / 60_000, seconds: B.rateWindow_ms / 1000 };
        if (seen.byPhone >= B.codesPerPhone_max) {
          throw rateLimited(
            say(PORTAL_MESSAGES, 'phone_rate_limited', { ...window, max: B.codesPerPhone_max }),
            B.rateWindow_ms,
          );
        }
        if (seen.byAddress >= B.codesPerAddress_max) {
          throw rateLimited(
            say(PORTAL_MESSAGES, 'address_rate_limited', { ...window, max: B.codesPerAddress_max }),
            B.rateWindow_ms,
          );
        }
        const owner = (await findCustomerIdByPhone(tx, deps.cipher, request.body.phone)) ?? null;
        const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
        await insertChallenge(tx, {
          challengeId,
          phoneIndex,
          addressIndex,
          customerId: owner,
          codeHash: otpCodeHash(deps.cipher, challengeId, code),
          expiresAt,
          createdAt: now,
        });
        // A number that is no borrower's gets no message, and the same answer: nothing tells who borrows.
        if (owner !== null) {
          const body = render(
            say(PORTAL_MESSAGES, 'otp_sms_body', { code, minutes: B.codeTtl_ms / 60_000 }),
            language,
          );
          await enqueueOtpMessage(tx, { challengeId, customerId: owner, body, expiresAt, now });
        }
        await appendAudit(tx, {
          actorUserId: owner,
          actorRole: 'borrower',
          action: 'portal.code_requested',
          requestId: request.id,
          resourceType: 'portal_challenge',
          resourceId: challengeId,
          customerId: owner,
          details: { matched: owner !== null },
        });
      });
      reply.code(202);
      return {
        challengeId,
        expiresAt: expiresAt.toISOString(),
        resendAfterSeconds: B.resendInterval_ms / 1000,
      };
    },
  );

  app.post<{ Body: { challengeId: string; code: string } }>(
    '/portal/sign-in',
    {
      config: { public: true },
      schema: {
        ...common,
        security: [],
        summary: 'Sign a borrower in with the code from the text message: a short-lived borrower token',
        body: {
          type: 'object',
          required: ['challengeId', 'code'],
          additionalProperties: false,
          properties: {
            challengeId: { type: 'string', minLength: 1, maxLength: 64 },
            code: { type: 'string', pattern: '^[0-9]{6}$', description: 'Six digits' },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['token', 'sessionId', 'customerId', 'expiresAt'],
            properties: {
              token: {
                type: 'string',
                description: 'Borrower token (lgb_…): "Authorization: Bearer <token>"',
              },
              sessionId: { type: 'string' },
              customerId: { type: 'string' },
              expiresAt: { type: 'string', format: 'date-time' },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const now = deps.now();
      const { challengeId, code } = request.body;
      // A wrong answer is counted in its own committed transaction, then refused.
      const verdict = await deps.db.transaction(async (tx): Promise<Verdict> => {
        const c = await lockChallenge(tx, challengeId);
        if (c === undefined) return { kind: 'unknown' };
        if (c.consumedAt !== null || c.expiresAt.getTime() <= now.getTime()) return { kind: 'expired' };
        if (c.attempts >= B.codeAttempts_max) return { kind: 'exhausted' };
        const demo = await demoCodeHashSet(tx);
        const right =
          c.customerId !== null &&
          (sameHash(otpCodeHash(deps.cipher, challengeId, code), c.codeHash) ||
            (demo !== null && sameHash(demoCodeHash(deps.cipher, code), demo)));
        if (!right || c.customerId === null) {
          const attempts = await countWrongAnswer(tx, challengeId);
          if (attempts >= B.codeAttempts_max) {
            await scrubOtpMessage(tx, challengeId);
            return { kind: 'exhausted' };
          }
          return { kind: 'wrong', remaining: B.codeAttempts_max - attempts };
        }
        await consumeChallenge(tx, challengeId, now);
        await scrubOtpMessage(tx, challengeId);
        const { session, token } = await insertBorrowerSession(tx, {
          customerId: c.customerId,
          expiresAt: new Date(now.getTime() + B.sessionTtl_ms),
          now,
        });
        await appendAudit(tx, {
          actorUserId: c.customerId,
          actorRole: 'borrower',
          action: 'portal.sign_in',
          requestId: request.id,
          resourceType: 'portal_session',
          resourceId: session.sessionId,
          customerId: c.customerId,
          details: { challengeId },
        });
        return {
          kind: 'signed_in',
          customerId: c.customerId,
          token,
          sessionId: session.sessionId,
          expiresAt: session.expiresAt,
        };
      });
      switch (verdict.kind) {
        case 'signed_in':
          return {
            token: verdict.token,
            sessionId: verdict.sessionId,
            customerId: verdict.customerId,
            expiresAt: verdict.expiresAt,
          };
        case 'unknown':
        case 'expired':
          throw new ProblemError('portal_code_expired', say(PORTAL_MESSAGES, 'code_expired'), [
            fieldProblem('/body/challengeId', say(PORTAL_MESSAGES, 'challenge_field')),
          ]);
        case 'exhausted':
          throw new ProblemError(
            'portal_code_attempts_exceeded',
            say(PORTAL_MESSAGES, 'code_attempts_exceeded', { max: B.codeAttempts_max }),
          );
        case 'wrong':
          throw new ProblemError(
            'portal_code_wrong',
            say(PORTAL_MESSAGES, 'code_wrong', { remaining: verdict.remaining }),
            [fieldProblem('/body/code', say(PORTAL_MESSAGES, 'code_field'))],
          );
      }
    },
  );

  app.post(
    '/portal/sign-out',
    {
      config: { borrower: true },
      preHandler: requireBorrower,
      schema: {
        ...common,
        security: borrowerSecurity,
        summary: 'End this borrower session at once',
        response: { 204: { type: 'null' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { customerId, sessionId } = borrowerOf(request);
      await deps.db.transaction(async (tx) => {
        await revokeBorrowerSession(tx, customerId, sessionId, 'borrower', deps.now());
        await appendAudit(tx, {
          actorUserId: customerId,
          actorRole: 'borrower',
          action: 'portal.sign_out',
          requestId: request.id,
          resourceType: 'portal_session',
          resourceId: sessionId,
          customerId,
          details: {},
        });
      });
      reply.code(204);
      return null;
    },
  );

  app.get(
    '/portal/me',
    {
      config: { borrower: true },
      preHandler: requireBorrower,
      schema: {
        ...common,
        security: borrowerSecurity,
        summary: 'Who is signed in: the borrower’s name and masked phone, and the session’s end',
        response: {
          200: {
            type: 'object',
            required: ['customerId', 'name', 'phone', 'sessionId', 'expiresAt'],
            properties: {
              customerId: { type: 'string' },
              name: { type: 'string' },
              phone: { type: 'string', description: 'Masked: 138****5678' },
              sessionId: { type: 'string' },
              expiresAt: { type: 'string', format: 'date-time' },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { customerId, sessionId } = borrowerOf(request);
      const customer = await findCustomer(deps.db, deps.cipher, customerId);
      if (customer === undefined) throw new Error('assertion: a session belongs to a customer');
      const session = (await listBorrowerSessions(deps.db, customerId)).find(
        (s) => s.sessionId === sessionId,
      );
      await auditBorrowerRead(deps, request, 'customer', customerId, ['name', 'phone']);
      return {
        customerId,
        name: customer.name,
        phone: maskPhone(customer.phone),
        sessionId,
        expiresAt: session?.expiresAt ?? deps.now().toISOString(),
      };
    },
  );

  const sessionParams = {
    type: 'object',
    required: ['customerId', 'sessionId'],
    additionalProperties: false,
    properties: {
      customerId: idParam('customerId', 'Customer id').properties.customerId,
      sessionId: idParam('sessionId', 'Portal session id').properties.sessionId,
    },
  } as const;

  app.get<{ Params: { customerId: string } }>(
    '/customers/:customerId/portal-sessions',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['customers'],
        security: bearerSecurity,
        summary: "A borrower's portal sessions, newest first (at most 100)",
        params: idParam('customerId', 'Customer id'),
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: sessionSchema } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => ({ items: await listBorrowerSessions(deps.db, request.params.customerId) }),
  );

  app.delete<{ Params: { customerId: string; sessionId: string } }>(
    '/customers/:customerId/portal-sessions/:sessionId',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['customers'],
        security: bearerSecurity,
        summary: 'Revoke a borrower portal session (at once; revoking twice is harmless)',
        params: sessionParams,
        headers: idempotencyHeader,
        response: { 200: sessionSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { customerId, sessionId } = request.params;
      const principal = request.principal!;
      const sent = await commitWrite(deps, request, reply, async (tx) => {
        const session = await revokeBorrowerSession(tx, customerId, sessionId, principal.userId, deps.now());
        if (session === undefined) {
          throw new ProblemError(
            'portal_session_not_found',
            say(PORTAL_MESSAGES, 'session_not_found', { customerId, sessionId }),
            [fieldProblem('/path/sessionId', say(PORTAL_MESSAGES, 'no_such_session'))],
          );
        }
        return {
          status: 200,
          body: session,
          audit: [
            {
              action: 'portal.session_revoke',
              resourceType: 'portal_session',
              resourceId: sessionId,
              customerId,
              details: {},
            },
          ],
        };
      });
      return sent;
    },
  );
}
