import { randomUUID } from 'node:crypto';
import AjvCompiler from '@fastify/ajv-compiler';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { lenderToday } from '../jobs/index.js';
import type { Db, PiiCipher } from '../store/index.js';
import { auditRoutes } from './audit/routes.js';
import { collectionOperationsRoutes } from './collections/operations-routes.js';
import { collectionRoutes } from './collections/routes.js';
import { complaintRoutes } from './complaints/routes.js';
import { loadServerConfig, type ServerConfig } from './config.js';
import { creditReportRoutes } from './credit-reports/routes.js';
import { customerRoutes } from './customers/routes.js';
import { eodRunRoutes } from './eod/routes.js';
import { registerAuth } from './http/auth.js';
import type { ServerDeps } from './http/context.js';
import { registerEdge } from './http/edge.js';
import { serverLogger } from './http/error-log.js';
import { registerErrorHandling } from './http/errors.js';
import { registerJsonBody } from './http/json-body.js';
import { describeOperation } from './http/openapi-operations.js';
import { problemSchema } from './http/problem.js';
import { registerRateLimits } from './http/rate-limits.js';
import { TokenCache } from './http/token-cache.js';
import { registerIdempotency } from './http/writes.js';
import { loanImpactRoutes } from './impact/routes.js';
import { ledgerRoutes } from './ledger/index.js';
import { loanCountRoutes } from './ledger/loan-count-routes.js';
import { behaviourRoutes } from './monitoring/behaviour-routes.js';
import { monitoringRoutes } from './monitoring/routes.js';
import { originationApplicationRoutes } from './origination/applications.js';
import { originationBlacklistRoutes } from './origination/blacklist.js';
import { originationDecisionListRoutes } from './origination/decision-list.js';
import { originationDecisionReviewRoutes } from './origination/decision-review.js';
import { originationDecisionRoutes } from './origination/decisions.js';
import { originationInvitationRoutes } from './origination/invitations.js';
import { originationPolicyRoutes } from './origination/policies.js';
import { originationReassessmentRoutes } from './origination/reassess.js';
import { originationReviewRoutes } from './origination/review-queue.js';
import { portalActionRoutes } from './portal/actions/routes.js';
import { portalActionStaffRoutes } from './portal/actions/staff-routes.js';
import { registerBorrowerAuth } from './portal/auth.js';
import { portalPaymentRoutes } from './portal/payment-routes.js';
import { portalReadRoutes } from './portal/read-routes.js';
import { portalSignInRoutes } from './portal/sign-in-routes.js';
import { portfolioRoutes } from './portfolio/routes.js';
import { reminderRoutes } from './reminders/routes.js';
import { reportRoutes } from './reports/routes.js';
import { simulationRoutes } from './simulation/routes.js';
import { systemRoutes } from './system/routes.js';
import { userRoutes } from './users/routes.js';
import { webRoutes } from './web/routes.js';

export interface BuildServerOptions {
  db: Db;
  cipher: PiiCipher;
  config?: Partial<ServerConfig>;
  /**
   * Told of every token revoked through this server (several processes: tell the others); the revocation
   * is answered when the returned promise settles.
   */
  onTokenRevoked?: (tokenId: string) => Promise<void>;
  /** Where the log goes (default stderr… as Fastify's default, stdout); tests read it. */
  logStream?: NodeJS.WritableStream;
  /** The wall clock (default: the machine's); "today" is read from it in the lender's zone. */
  clock?: () => Date;
}

export const API_VERSION = '0.1.0';

export interface RouteInfo {
  method: string;
  /** Path in OpenAPI form: `/customers/{customerId}`. */
  path: string;
  /** Left out of the OpenAPI document (the document itself, the docs page's files). */
  hidden: boolean;
}

const routeLists = new WeakMap<FastifyInstance, RouteInfo[]>();
const tokenCaches = new WeakMap<FastifyInstance, TokenCache>();

/** The server's token cache: evict a token revoked elsewhere (another server process) with it. */
export function tokenCacheOf(app: FastifyInstance): TokenCache {
  const cache = tokenCaches.get(app);
  if (cache === undefined) throw new Error('assertion: a server built by buildServer has a token cache');
  return cache;
}

/** Every route the server answers, as registered: tests hold the OpenAPI document and docs to it. */
export function listRoutes(app: FastifyInstance): readonly RouteInfo[] {
  return routeLists.get(app) ?? [];
}

/**
 * Bodies are validated as sent: no type coercion (a number where a string belongs is an error) and
 * unknown fields refused, not stripped. Query strings and paths are text, so they are coerced.
 */
function validatorCompilers() {
  const factory = AjvCompiler();
  const strict = factory(
    {},
    { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: true } },
  );
  const lenient = factory(
    {},
    { customOptions: { coerceTypes: true, removeAdditional: false, useDefaults: true } },
  );
  return (route: { schema: object; httpPart?: string; method: string; url: string }) =>
    route.httpPart === 'body' ? strict(route as never) : lenient(route as never);
}

/** The HTTP API: one plugin per area, every request and response described by a schema. */
export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const config = loadServerConfig(options.config);
  const tokens = new TokenCache(config.tokenCacheTtl_ms);
  const clock = options.clock ?? (() => new Date());
  const deps: ServerDeps = {
    db: options.db,
    cipher: options.cipher,
    config,
    tokens,
    tokenRevoked: async (tokenId) => {
      tokens.evictToken(tokenId);
      await options.onTokenRevoked?.(tokenId);
    },
    now: clock,
    today: () => lenderToday(config.lenderTimeZone, clock()),
  };
  const app = Fastify({
    bodyLimit: config.bodyLimit_bytes,
    requestTimeout: config.requestTimeout_ms,
    genReqId: () => randomUUID(),
    logger: serverLogger(config.logRequests, options.logStream),
  });
  app.setValidatorCompiler(validatorCompilers());
  const routes: RouteInfo[] = [];
  routeLists.set(app, routes);
  tokenCaches.set(app, tokens);
  app.addHook('onRoute', (route) => {
    describeOperation(route);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({
        method,
        path: route.url.replace(/:([A-Za-z]+)/g, '{$1}'),
        hidden: route.schema?.hide === true || route.url.startsWith('/docs'),
      });
    }
  });
  app.addSchema(problemSchema);
  app.addHook('onSend', async (request, reply) => {
    reply.header('request-id', request.id);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Lendguard API',
        version: API_VERSION,
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
        description:
          'Credit risk for consumer loans. Amounts are decimal strings of yuan; errors are RFC 9457 problem+json with stable codes (docs/errors.md); every write takes an Idempotency-Key.',
      },
      servers: [{ url: 'http://127.0.0.1:8080', description: 'lendguard serve on its default address' }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'API token from an admin' },
          borrowerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'Borrower token (lgb_…) from POST /portal/sign-in; portal routes only',
          },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  // No validator badge: the page must not reach outside this server.
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { validatorUrl: null } });

  registerErrorHandling(app, config);
  registerJsonBody(app);
  registerEdge(app, deps, config);
  await registerRateLimits(app, deps);
  registerAuth(app, deps.db, tokens);
  registerBorrowerAuth(app, deps);
  registerIdempotency(app, deps);

  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  await app.register(async (scope) => systemRoutes(scope, deps));
  await app.register(async (scope) => userRoutes(scope, deps));
  await app.register(async (scope) => customerRoutes(scope, deps));
  await app.register(async (scope) => auditRoutes(scope, deps));
  await app.register(async (scope) => ledgerRoutes(scope, deps));
  await app.register(async (scope) => loanCountRoutes(scope, deps));
  await app.register(async (scope) => eodRunRoutes(scope, deps));
  await app.register(async (scope) => portfolioRoutes(scope, deps));
  await app.register(async (scope) => reportRoutes(scope, deps));
  await app.register(async (scope) => collectionRoutes(scope, deps));
  await app.register(async (scope) => complaintRoutes(scope, deps));
  await app.register(async (scope) => creditReportRoutes(scope, deps));
  await app.register(async (scope) => collectionOperationsRoutes(scope, deps));
  await app.register(async (scope) => loanImpactRoutes(scope, deps));
  await app.register(async (scope) => reminderRoutes(scope, deps));
  await app.register(async (scope) => behaviourRoutes(scope, deps));
  await app.register(async (scope) => monitoringRoutes(scope, deps));
  await app.register(async (scope) => originationApplicationRoutes(scope, deps));
  await app.register(async (scope) => originationDecisionRoutes(scope, deps));
  await app.register(async (scope) => originationDecisionListRoutes(scope, deps));
  await app.register(async (scope) => originationDecisionReviewRoutes(scope, deps));
  await app.register(async (scope) => originationPolicyRoutes(scope, deps));
  await app.register(async (scope) => originationReviewRoutes(scope, deps));
  await app.register(async (scope) => originationInvitationRoutes(scope, deps));
  await app.register(async (scope) => originationBlacklistRoutes(scope, deps));
  await app.register(async (scope) => originationReassessmentRoutes(scope, deps));
  await app.register(async (scope) => simulationRoutes(scope, deps));
  await app.register(async (scope) => portalSignInRoutes(scope, deps));
  await app.register(async (scope) => portalReadRoutes(scope, deps));
  await app.register(async (scope) => portalPaymentRoutes(scope, deps));
  await app.register(async (scope) => portalActionRoutes(scope, deps));
  await app.register(async (scope) => portalActionStaffRoutes(scope, deps));
  await app.register(async (scope) => webRoutes(scope));
  await app.ready();
  return app;
}
