import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import {
  appendAudit,
  hashBorrowerToken,
  looksLikeBorrowerToken,
  sessionOfTokenHash,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { ProblemError } from '../http/problem.js';
import { PORTAL_MESSAGES } from './messages.js';

/**
 * Borrower authentication (docs/portal.md, decision 1000). Portal routes carry `config.borrower` and are
 * passed by the staff check; each must take `requireBorrower` as a hook (checked when the route is added,
 * so a portal route without it does not start). A borrower token (`lgb_`) is refused on staff routes by
 * the staff check, a staff token (`lgt_`) on portal routes here.
 */

/** Who is signed in on a portal request. */
export interface BorrowerIdentity {
  customerId: string;
  sessionId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    borrower: BorrowerIdentity | null;
  }
  interface FastifyInstance {
    borrowerDeps: ServerDeps;
  }
  interface FastifyContextConfig {
    /** A borrower portal route: no staff token; `requireBorrower` decides. */
    borrower?: boolean;
  }
}

const BEARER = /^Bearer +([A-Za-z0-9_-]{1,200})$/i;

/** The portal's security requirement in the OpenAPI document. */
export const borrowerSecurity = [{ borrowerAuth: [] }];

/**
 * The hook of every portal route that acts for a signed-in borrower: a live borrower session (known,
 * unrevoked, unexpired, looked up each time so that a sign-out or a revocation takes effect at once)
 * sets `request.borrower`; anything else is 401.
 */
export async function requireBorrower(request: FastifyRequest): Promise<void> {
  const deps = request.server.borrowerDeps;
  const header = request.headers.authorization;
  if (header === undefined) {
    throw new ProblemError('unauthenticated', say(PORTAL_MESSAGES, 'borrower_token_missing'), [], {
      'www-authenticate': 'Bearer',
    });
  }
  const token = BEARER.exec(header)?.[1];
  const session =
    token === undefined || !looksLikeBorrowerToken(token)
      ? undefined
      : await sessionOfTokenHash(deps.db, hashBorrowerToken(token), deps.now());
  if (session === undefined) {
    throw new ProblemError('unauthenticated', say(PORTAL_MESSAGES, 'borrower_token_invalid'), [], {
      'www-authenticate': 'Bearer error="invalid_token"',
    });
  }
  request.borrower = { customerId: session.customerId, sessionId: session.sessionId };
}

function hooksOf(route: RouteOptions): unknown[] {
  const list = (h: unknown) => (h === undefined ? [] : Array.isArray(h) ? h : [h]);
  return [...list(route.onRequest), ...list(route.preValidation), ...list(route.preHandler)];
}

/** Makes `requireBorrower` work in every scope, and refuses to start with a portal route left open. */
export function registerBorrowerAuth(app: FastifyInstance, deps: ServerDeps): void {
  app.decorateRequest('borrower', null);
  app.decorate('borrowerDeps', deps);
  app.addHook('onRoute', (route) => {
    if (route.config?.borrower !== true) return;
    if (!hooksOf(route).includes(requireBorrower)) {
      throw new Error(`assertion: portal route ${route.url} must take requireBorrower as a hook`);
    }
  });
}

/** The signed-in borrower of a request that passed `requireBorrower`. */
export function borrowerOf(request: FastifyRequest): BorrowerIdentity {
  const b = request.borrower;
  if (b === null) throw new Error('assertion: a portal route runs after requireBorrower');
  return b;
}

/**
 * A borrower's read of their own personal data, audited as a staff read is: before the data leaves, with
 * the fields named and never their values.
 */
export async function auditBorrowerRead(
  deps: ServerDeps,
  request: FastifyRequest,
  resourceType: string,
  resourceId: string,
  fields: readonly string[],
): Promise<void> {
  const { customerId, sessionId } = borrowerOf(request);
  await appendAudit(deps.db, {
    actorUserId: customerId,
    actorRole: 'borrower',
    action: 'portal.read',
    requestId: request.id,
    resourceType,
    resourceId,
    customerId,
    details: { sessionId, fields: [...fields] },
  });
}
