import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { appendAudit, type Principal } from '../../store/index.js';
import type { ServerDeps } from './context.js';
import { KERNEL_MESSAGES } from './kernel-messages.js';
import { type Message, say } from './messages.js';
import { ProblemError } from './problem.js';

/**
 * Throttles, per server process (several processes multiply the allowance; docs/security.md):
 * - requests per API token in a window (@fastify/rate-limit, after authentication, keyed by token id);
 * - failed authentications per client address: past the bound an address is answered 429 before its token
 *   is looked up, so guessing tokens costs no database work;
 * - an alert row in the audit log when one user unmasks more than a configured number of people in a window.
 */

interface WindowCount {
  count: number;
  resetAt_ms: number;
}

/** Addresses (or users) tracked at most; the oldest are forgotten first. */
const TRACKED_MAX = 50_000;

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > TRACKED_MAX) map.delete(map.keys().next().value as string);
}

function retryAfterS(resetAt_ms: number, now_ms: number): string {
  return String(Math.max(1, Math.ceil((resetAt_ms - now_ms) / 1000)));
}

function rateLimited(detail: Message, retryAfter: string): ProblemError {
  return new ProblemError('rate_limited', detail, [], { 'retry-after': retryAfter });
}

export async function registerRateLimits(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const config = deps.config;
  const now = () => deps.now().getTime();

  const failures = new Map<string, WindowCount>();
  // The hooks below run on every request: they take a callback rather than return a promise, so that each
  // costs a function call and not a promise and a microtask (docs/performance.md).
  app.addHook('onRequest', (request, _reply, done) => {
    const seen = failures.get(request.ip);
    if (seen === undefined || seen.resetAt_ms <= now()) {
      done();
      return;
    }
    if (seen.count >= config.failedAuthPerAddress_max) {
      done(
        rateLimited(
          say(KERNEL_MESSAGES, 'rate_limited_auth', {
            max: config.failedAuthPerAddress_max,
            window: config.rateLimitWindow_ms / 1000,
          }),
          retryAfterS(seen.resetAt_ms, now()),
        ),
      );
      return;
    }
    done();
  });

  /** Counts a failed authentication of the request's address. */
  const countFailure = (request: FastifyRequest) => {
    const t = now();
    const seen = failures.get(request.ip);
    const fresh = seen === undefined || seen.resetAt_ms <= t;
    remember(failures, request.ip, {
      count: fresh ? 1 : seen.count + 1,
      resetAt_ms: fresh ? t + config.rateLimitWindow_ms : seen.resetAt_ms,
    });
  };

  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: config.rateLimitPerToken_max,
    timeWindow: config.rateLimitWindow_ms,
    // Public routes (health, documents) and the dashboard's files are not limited per token.
    allowList: (request: FastifyRequest) => request.principal === null,
    keyGenerator: (request: FastifyRequest) => `token:${request.principal?.tokenId ?? request.ip}`,
    errorResponseBuilder: (_request, context) =>
      rateLimited(
        say(KERNEL_MESSAGES, 'rate_limited_token', {
          max: context.max,
          window: Math.round(config.rateLimitWindow_ms / 1000),
          seconds: Math.max(1, Math.ceil(context.ttl / 1000)),
        }),
        String(Math.max(1, Math.ceil(context.ttl / 1000))),
      ),
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
    },
    addHeaders: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
      'retry-after': false,
    },
  });

  const unmasked = new Map<string, { people: Set<string>; resetAt_ms: number; alerted: boolean }>();
  /** Counts the people one user unmasked in the window; the first request past the bound writes an alert. */
  const unmaskAlert = async (request: FastifyRequest, principal: Principal, person: string) => {
    const t = now();
    let seen = unmasked.get(principal.userId);
    if (seen === undefined || seen.resetAt_ms <= t) {
      seen = { people: new Set(), resetAt_ms: t + config.unmaskAlertWindow_ms, alerted: false };
    }
    seen.people.add(person);
    remember(unmasked, principal.userId, seen);
    if (seen.alerted || seen.people.size <= config.unmaskAlertPeople_max) return;
    seen.alerted = true;
    try {
      await appendAudit(deps.db, {
        actorUserId: principal.userId,
        actorRole: principal.role,
        requestId: request.id,
        action: 'pii.unmask_alert',
        resourceType: 'user',
        resourceId: principal.userId,
        customerId: null,
        details: {
          peopleUnmasked: seen.people.size,
          threshold: config.unmaskAlertPeople_max,
          window_ms: config.unmaskAlertWindow_ms,
        },
      });
    } catch (error) {
      request.log.error({ err: error }, 'the unmask alert could not be audited');
    }
  };

  // One hook after each response for both: a failed authentication, and a 200 that unmasked a person.
  app.addHook('onResponse', (request, reply, done) => {
    if (reply.statusCode === 401) {
      countFailure(request);
      done();
      return;
    }
    const principal = request.principal;
    if (principal === null || reply.statusCode !== 200) return done();
    if ((request.query as { unmask?: unknown } | undefined)?.unmask !== true) return done();
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    const person = Object.values(params)[0];
    if (person === undefined) return done();
    unmaskAlert(request, principal, person).then(() => done(), done);
  });
}
