import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SQLSTATE_UNIQUE_VIOLATION, sqlState } from '../../store/index.js';
import type { ServerConfig } from '../config.js';
import { databaseUnavailableProblem, staticFileProblem } from './edge.js';
import { describePattern } from './field-messages.js';
import {
  type FieldProblem,
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

/** Turns one schema violation into a field path and a sentence that says what to send. */
function describeIssue(context: string, issue: AjvIssue): FieldProblem {
  const base = `${PART_PREFIX[context] ?? `/${context}`}${issue.instancePath}`;
  const p = issue.params;
  switch (issue.keyword) {
    case 'required':
      return { path: `${base}/${String(p.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return {
        path: `${base}/${String(p.additionalProperty)}`,
        message: 'is not a known field; remove it (check the spelling against /openapi.json)',
      };
    case 'type':
      return { path: base || '/', message: `must be of type ${String(p.type)}` };
    case 'enum':
      return {
        path: base,
        message: `must be one of: ${(p.allowedValues as unknown[]).map(String).join(', ')}`,
      };
    case 'maxLength':
      return { path: base, message: `must be at most ${String(p.limit)} characters long` };
    case 'minLength':
      return { path: base, message: `must be at least ${String(p.limit)} characters long` };
    case 'maxItems':
      return { path: base, message: `must have at most ${String(p.limit)} items` };
    case 'minItems':
      return { path: base, message: `must have at least ${String(p.limit)} items` };
    case 'maximum':
    case 'minimum':
      return {
        path: base,
        message: `must be ${issue.keyword === 'maximum' ? 'at most' : 'at least'} ${String(p.limit)}`,
      };
    case 'pattern':
      return { path: base, message: describePattern(base, String(p.pattern)) };
    default:
      return { path: base, message: issue.message ?? 'is not valid' };
  }
}

const FASTIFY_CODES: Record<string, (e: FastifyError, config: ServerConfig) => ProblemError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: (e) =>
    new ProblemError('malformed_json', `The body is not valid JSON (${e.message}); send one JSON object.`),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    new ProblemError('malformed_json', 'The body is empty but Content-Type says JSON; send one JSON object.'),
  FST_ERR_CTP_BODY_TOO_LARGE: (_e, config) =>
    new ProblemError('body_too_large', `The body is larger than ${config.bodyLimit_bytes} bytes; send less.`),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new ProblemError(
      'unsupported_media_type',
      'Send the body as JSON with "Content-Type: application/json".',
    ),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    new ProblemError(
      'validation_failed',
      'The Content-Length header does not match the body; send it again.',
    ),
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
    return new ProblemError('malformed_json', `The body was refused: ${error.message}. Remove that key.`);
  }
  const edge = databaseUnavailableProblem(error) ?? staticFileProblem(error);
  if (edge !== undefined) return edge;
  if (sqlState(error) === SQLSTATE_UNIQUE_VIOLATION) {
    return new ProblemError(
      'conflict',
      'Another request changed the same record at the same time; send yours again.',
    );
  }
  return undefined;
}

export async function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ProblemError) {
  for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value);
  return reply.code(problem.status).type('application/problem+json').send(problemBody(problem, request.id));
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
      new ProblemError(
        'internal_error',
        `Something failed inside the server; quote request id ${request.id} when reporting it.`,
      ),
    );
  });
  app.setNotFoundHandler(async (request, reply) =>
    sendProblem(
      request,
      reply,
      new ProblemError(
        'route_not_found',
        `There is no route ${request.method} ${request.url.split('?')[0]}; see /docs for the list.`,
      ),
    ),
  );
}
