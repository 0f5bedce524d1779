import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SQLSTATE_UNIQUE_VIOLATION, sqlState } from '../../store/index.js';
import type { ServerConfig } from '../config.js';
import { databaseUnavailableProblem, staticFileProblem } from './edge.js';
import { describePattern } from './field-messages.js';
import { KERNEL_MESSAGES } from './kernel-messages.js';
import { type MessageParams, pickLanguage, say } from './messages.js';
import {
  type FieldProblem,
  fieldProblem,
  missingIdempotencyKey,
  ProblemError,
  problemBody,
  validationProblem,
} from './problem.js';

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

const PART_PREFIX: Record<string, string> = {
  body: '/body',
  querystring: '/query',
  params: '/path',
  headers: '/header',
};

/** Turns one schema violation into a field path and a sentence (in both languages) that says what to send. */
function describeIssue(context: string, issue: AjvIssue): FieldProblem {
  const base = `${PART_PREFIX[context] ?? `/${context}`}${issue.instancePath}`;
  const p = issue.params;
  const at = (path: string, key: keyof typeof KERNEL_MESSAGES, params: MessageParams = {}) =>
    fieldProblem(path, say(KERNEL_MESSAGES, key, params));
  switch (issue.keyword) {
    case 'required':
      return at(`${base}/${String(p.missingProperty)}`, 'field_required');
    case 'additionalProperties':
      return at(`${base}/${String(p.additionalProperty)}`, 'field_unknown');
    case 'type':
      return at(base || '/', 'field_type', { type: String(p.type) });
    case 'enum':
      return at(base, 'field_enum', { values: (p.allowedValues as unknown[]).map(String).join(', ') });
    case 'maxLength':
      return at(base, 'field_max_length', { limit: String(p.limit) });
    case 'minLength':
      return at(base, 'field_min_length', { limit: String(p.limit) });
    case 'maxItems':
      return at(base, 'field_max_items', { limit: String(p.limit) });
    case 'minItems':
      return at(base, 'field_min_items', { limit: String(p.limit) });
    case 'maximum':
      return at(base, 'field_maximum', { limit: String(p.limit) });
    case 'minimum':
      return at(base, 'field_minimum', { limit: String(p.limit) });
    case 'pattern':
      return fieldProblem(base, describePattern(base, String(p.pattern)));
    default:
      return issue.message === undefined ? at(base, 'field_invalid') : { path: base, message: issue.message };
  }
}

const FASTIFY_CODES: Record<string, (e: FastifyError, config: ServerConfig) => ProblemError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: (e) =>
    new ProblemError('malformed_json', say(KERNEL_MESSAGES, 'json_invalid', { reason: e.message })),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new ProblemError('malformed_json', say(KERNEL_MESSAGES, 'json_empty')),
  FST_ERR_CTP_BODY_TOO_LARGE: (_e, config) =>
    new ProblemError(
      'body_too_large',
      say(KERNEL_MESSAGES, 'body_too_large', { max: config.bodyLimit_bytes }),
    ),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new ProblemError('unsupported_media_type', say(KERNEL_MESSAGES, 'media_type')),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    new ProblemError('validation_failed', say(KERNEL_MESSAGES, 'content_length')),
};

function toProblem(error: FastifyError, config: ServerConfig): ProblemError | undefined {
  if (error instanceof ProblemError) return error;
  if (error.validation !== undefined) {
    const context = error.validationContext ?? 'body';
    const issues = error.validation as AjvIssue[];
    if (context === 'headers' && issues.some((i) => i.params.missingProperty === 'idempotency-key')) {
      return missingIdempotencyKey();
    }
    return validationProblem(issues.map((issue) => describeIssue(context, issue)));
  }
  const byCode = error.code === undefined ? undefined : FASTIFY_CODES[error.code];
  if (byCode !== undefined) return byCode(error, config);
  // JSON.parse protections (__proto__ / constructor keys) come as plain 400s.
  if (error.statusCode === 400 && /proto|constructor/i.test(error.message)) {
    return new ProblemError(
      'malformed_json',
      say(KERNEL_MESSAGES, 'json_refused', { reason: error.message }),
    );
  }
  const edge = databaseUnavailableProblem(error) ?? staticFileProblem(error);
  if (edge !== undefined) return edge;
  if (sqlState(error) === SQLSTATE_UNIQUE_VIOLATION) {
    return new ProblemError('conflict', say(KERNEL_MESSAGES, 'concurrent_change'));
  }
  return undefined;
}

/** Sends a problem in the request's language (Accept-Language; English by default). */
export async function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ProblemError) {
  for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value);
  const language = pickLanguage(request.headers['accept-language']);
  reply.header('content-language', language).header('vary', 'Accept-Language');
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send(problemBody(problem, request.id, language));
}

/** Every error leaves as problem+json. Unexpected ones are logged and answered without their details. */
export function registerErrorHandling(app: FastifyInstance, config: ServerConfig): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const problem = toProblem(error, config);
    if (problem !== undefined) {
      // Every 5xx is logged with its request id (the log holds no message text: see error-log.ts).
      if (problem.status >= 500) request.log.error({ err: error, code: problem.code }, 'request failed');
      return sendProblem(request, reply, problem);
    }
    request.log.error({ err: error }, 'unexpected failure');
    return sendProblem(
      request,
      reply,
      new ProblemError('internal_error', say(KERNEL_MESSAGES, 'internal_error', { requestId: request.id })),
    );
  });
  app.setNotFoundHandler(async (request, reply) =>
    sendProblem(
      request,
      reply,
      new ProblemError(
        'route_not_found',
        say(KERNEL_MESSAGES, 'route_not_found', {
          method: request.method,
          path: request.url.split('?')[0] ?? '',
        }),
      ),
    ),
  );
}
