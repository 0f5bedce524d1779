import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { appendAudit, sqlState } from '../../store/index.js';
import type { ServerDeps } from './context.js';
import { KERNEL_MESSAGES } from './kernel-messages.js';
import { say } from './messages.js';
import { fieldProblem, ProblemError, validationProblem } from './problem.js';

/**
 * Checks every request meets at the edge, in one place for all routes: no control characters in any text,
 * no body where a route takes none, a bound on in-flight requests (load is shed with 503 before the
 * connection pool's wait runs out), standard response headers, and an audit row for a refused unmask.
 */

/** C0 controls but tab, line feed and carriage return, and DEL: never part of a name, address or note. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

const PARTS: readonly { part: 'body' | 'query' | 'params'; prefix: string }[] = [
  { part: 'body', prefix: '/body' },
  { part: 'query', prefix: '/query' },
  { part: 'params', prefix: '/path' },
];

const pointerPart = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Paths of every string (and key) holding a control character; the depth is bounded by the JSON parser. */
function controlCharacterPaths(value: unknown, pointer: string, out: string[]): void {
  if (out.length >= 20) return;
  if (typeof value === 'string') {
    if (CONTROL_CHARACTER.test(value)) out.push(pointer);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const path = `${pointer}/${pointerPart(key)}`;
    if (CONTROL_CHARACTER.test(key)) out.push(path);
    else controlCharacterPaths(child, path, out);
  }
}

/**
 * Whether any string or key holds a control character: the walk every request takes, building no
 * paths (they are built only for a request refused).
 */
function holdsControlCharacter(value: unknown): boolean {
  if (typeof value === 'string') return CONTROL_CHARACTER.test(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (const item of value) if (holdsControlCharacter(item)) return true;
    return false;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (CONTROL_CHARACTER.test(key) || holdsControlCharacter((value as Record<string, unknown>)[key]))
      return true;
  }
  return false;
}

export function controlCharacterProblem(request: FastifyRequest): ProblemError | undefined {
  if (!PARTS.some(({ part }) => holdsControlCharacter(request[part]))) return undefined;
  const paths: string[] = [];
  for (const { part, prefix } of PARTS) controlCharacterPaths(request[part], prefix, paths);
  if (paths.length === 0) return undefined;
  return validationProblem(
    paths.map((path) => fieldProblem(path, say(KERNEL_MESSAGES, 'field_control_characters'))),
  );
}

/** A route without a body schema takes no body: none, or an empty object `{}`. */
function unexpectedBodyProblem(request: FastifyRequest): ProblemError | undefined {
  const body = request.body;
  if (body === undefined || body === null) return undefined;
  if (request.routeOptions.schema?.body !== undefined) return undefined;
  const isEmptyObject = typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0;
  if (isEmptyObject) return undefined;
  return new ProblemError(
    'validation_failed',
    say(KERNEL_MESSAGES, 'no_body_route', { method: request.method, route: request.routeOptions.url ?? '' }),
    [fieldProblem('/body', say(KERNEL_MESSAGES, 'no_body_field'))],
  );
}

/** SQLSTATE classes and driver codes that mean the database cannot be reached or is out of connections. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
]);
const UNAVAILABLE_STATES = new Set(['53300', '57P01', '57P02', '57P03']);

/** Seconds a client is asked to wait before trying again after a 503. */
export const RETRY_AFTER_S = 2;

/** The database is down, refuses connections, or none came free in time: 503 with Retry-After. */
export function databaseUnavailableProblem(error: FastifyError | Error): ProblemError | undefined {
  const code = (error as { code?: unknown }).code;
  const state = sqlState(error);
  const poolTimeout = /timeout exceeded when trying to connect|Connection terminated/i.test(error.message);
  const unreachable =
    (typeof code === 'string' && UNREACHABLE_CODES.has(code)) ||
    (state !== undefined && (state.startsWith('08') || UNAVAILABLE_STATES.has(state))) ||
    poolTimeout;
  if (!unreachable) return undefined;
  return new ProblemError(
    'database_unavailable',
    say(KERNEL_MESSAGES, 'database_unavailable', { seconds: RETRY_AFTER_S }),
    [],
    { 'retry-after': String(RETRY_AFTER_S) },
  );
}

/** The static file server's own refusals (a path leaving its folder: 403; none: 404) keep their status. */
export function staticFileProblem(error: FastifyError): ProblemError | undefined {
  if (error.code === 'FST_STATIC_FORBIDDEN_PATH' || (error.statusCode === 403 && error.code === undefined)) {
    return new ProblemError('forbidden', say(KERNEL_MESSAGES, 'path_outside'));
  }
  return undefined;
}

export interface EdgeLimits {
  /** Requests one process works on at once; more are answered 503 at once instead of queueing for the pool. */
  readonly requestsInFlight_max: number;
}

export function registerEdge(app: FastifyInstance, deps: ServerDeps, limits: EdgeLimits): void {
  // These hooks run on every request: they take a callback rather than return a promise, so that each
  // costs a function call and not a promise and a microtask (docs/performance.md).
  let inFlight = 0;
  app.addHook('onRequest', (request, _reply, done) => {
    inFlight += 1;
    (request as { countedInFlight?: boolean }).countedInFlight = true;
    if (inFlight > limits.requestsInFlight_max) {
      done(
        new ProblemError(
          'server_overloaded',
          say(KERNEL_MESSAGES, 'server_overloaded', {
            max: limits.requestsInFlight_max,
            seconds: RETRY_AFTER_S,
          }),
          [],
          { 'retry-after': String(RETRY_AFTER_S) },
        ),
      );
      return;
    }
    done();
  });
  app.addHook('onResponse', (request, _reply, done) => {
    if ((request as { countedInFlight?: boolean }).countedInFlight === true) inFlight -= 1;
    done();
  });
  app.addHook('preValidation', (request, _reply, done) => {
    done(controlCharacterProblem(request) ?? unexpectedBodyProblem(request));
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    // Static files set their own caching; everything else (personal data included) is never stored.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
  app.addHook('onError', async (request, _reply, error) => {
    if (!(error instanceof ProblemError) || error.code !== 'pii_forbidden' || request.principal === null)
      return;
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    try {
      await appendAudit(deps.db, {
        actorUserId: request.principal.userId,
        actorRole: request.principal.role,
        requestId: request.id,
        action: 'pii.unmask_refused',
        resourceType: request.routeOptions.url ?? 'unknown',
        resourceId: Object.values(params)[0] ?? null,
        customerId: params.customerId ?? null,
        details: { method: request.method, route: request.routeOptions.url },
      });
    } catch (auditError) {
      request.log.error({ err: auditError }, 'a refused unmask could not be audited');
    }
  });
}
