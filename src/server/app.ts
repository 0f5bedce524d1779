import { randomUUID } from 'node:crypto';
import AjvCompiler from '@fastify/ajv-compiler';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { lenderToday } from '../jobs/index.js';
import type { Db, PiiCipher } from '../store/index.js';
import { registerAuth } from './auth.js';
import { loadServerConfig, type ServerConfig } from './config.js';
import type { ServerDeps } from './context.js';
import { registerErrorHandling } from './errors.js';
import { registerEdge } from './hardening/edge.js';
import { serverLogger } from './hardening/error-log.js';
import { describeOperation } from './hardening/openapi-operations.js';
import { registerRateLimits } from './hardening/rate-limits.js';
import { registerJsonBody } from './json-body.js';
import { problemSchema } from './problem.js';
import { auditRoutes } from './routes/audit.js';
import { customerRoutes } from './routes/customers.js';
import { eodRunRoutes } from './routes/eod-runs.js';
import { ledgerLineRoutes } from './routes/ledger-lines.js';
import { ledgerLoanRoutes } from './routes/ledger-loans.js';
import { loanImpactRoutes } from './routes/loan-impact.js';
import { originationApplicationRoutes } from './routes/origination-applications.js';
import { originationDecisionListRoutes } from './routes/origination-decision-list.js';
import { originationDecisionReviewRoutes } from './routes/origination-decision-review.js';
import { originationPolicyRoutes } from './routes/origination-policies.js';
import { originationReassessmentRoutes } from './routes/origination-reassess.js';
import { originationReviewRoutes } from './routes/origination-review.js';
import { portfolioRoutes } from './routes/portfolio.js';
import { systemRoutes } from './routes/system.js';
import { userRoutes } from './routes/users.js';
import { webRoutes } from './routes/web.js';
import { TokenCache } from './token-cache.js';
import { registerIdempotency } from './writes.js';

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
  registerIdempotency(app, deps);

  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  await app.register(async (scope) => systemRoutes(scope, deps));
  await app.register(async (scope) => userRoutes(scope, deps));
  await app.register(async (scope) => customerRoutes(scope, deps));
  await app.register(async (scope) => auditRoutes(scope, deps));
  await app.register(async (scope) => ledgerLineRoutes(scope, deps));
  await app.register(async (scope) => ledgerLoanRoutes(scope, deps));
  await app.register(async (scope) => eodRunRoutes(scope, deps));
  await app.register(async (scope) => portfolioRoutes(scope, deps));
  await app.register(async (scope) => loanImpactRoutes(scope, deps));
  await app.register(async (scope) => originationApplicationRoutes(scope, deps));
  await app.register(async (scope) => originationDecisionListRoutes(scope, deps));
  await app.register(async (scope) => originationDecisionReviewRoutes(scope, deps));
  await app.register(async (scope) => originationPolicyRoutes(scope, deps));
  await app.register(async (scope) => originationReviewRoutes(scope, deps));
  await app.register(async (scope) => originationReassessmentRoutes(scope, deps));
  await app.register(async (scope) => webRoutes(scope));
  await app.ready();
  return app;
}
