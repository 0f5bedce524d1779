import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  type Db,
  hashToken,
  looksLikeToken,
  type Principal,
  principalOfTokenHash,
} from '../../store/index.js';
import { KERNEL_MESSAGES } from './kernel-messages.js';
import { say } from './messages.js';
import { ProblemError } from './problem.js';
import { allows, PERMISSIONS } from './roles.js';
import type { TokenCache } from './token-cache.js';

// The scheme is case-insensitive (RFC 9110 §11.1): "bearer" and "BEARER" are "Bearer".
const BEARER = /^Bearer +([A-Za-z0-9_-]{1,200})$/i;

function isPublic(request: FastifyRequest): boolean {
  if (request.routeOptions.config.public === true) return true;
  // Borrower portal routes answer to a borrower token, checked by their own hook (server/portal/auth.ts).
  if ((request.routeOptions.config as { borrower?: boolean }).borrower === true) return true;
  // The docs page's own routes (HTML, scripts, styles) are registered by the swagger-ui plugin.
  return request.routeOptions.url?.startsWith('/docs') === true;
}

/** The principal of a presented token: from the cache when it was found valid within its TTL. */
async function principalOf(db: Db, tokens: TokenCache, token: string): Promise<Principal | undefined> {
  if (!looksLikeToken(token)) return undefined;
  const hash = hashToken(token);
  const cached = tokens.get(hash);
  if (cached !== undefined) return cached;
  const found = await principalOfTokenHash(db, hash);
  if (found === undefined) return undefined;
  tokens.set(hash, found.principal, found.expires_ms);
  return found.principal;
}

/**
 * Authentication and authorisation before anything else runs (even before the body is read): a
 * Bearer API token names a user, the user's role must be granted the route's permission.
 */
export function registerAuth(app: FastifyInstance, db: Db, tokens: TokenCache): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    if (request.is404 || isPublic(request)) return;
    const header = request.headers.authorization;
    if (header === undefined) {
      throw new ProblemError('unauthenticated', say(KERNEL_MESSAGES, 'token_missing'), [], {
        'www-authenticate': 'Bearer',
      });
    }
    const match = BEARER.exec(header);
    const principal = match === null ? undefined : await principalOf(db, tokens, match[1]!);
    if (principal === undefined) {
      throw new ProblemError('unauthenticated', say(KERNEL_MESSAGES, 'token_invalid'), [], {
        'www-authenticate': 'Bearer error="invalid_token"',
      });
    }
    request.principal = principal;
    const permission = request.routeOptions.config.permission;
    if (permission === undefined || !allows(permission, principal.role)) {
      const roles = permission === undefined ? 'no role' : PERMISSIONS[permission].join(', ');
      throw new ProblemError(
        'forbidden',
        say(KERNEL_MESSAGES, 'role_forbidden', {
          role: principal.role,
          method: request.method,
          route: request.routeOptions.url ?? '',
          roles,
        }),
      );
    }
  });
}
