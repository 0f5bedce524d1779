import type { FastifyServerOptions } from 'fastify';

/**
 * The server's log. Every 5xx is logged by default (level `error`) with its request id, method, route and
 * the error's kind, code and stack frames, so that the request id a client quotes can be found. Messages
 * are left out: a database error's message can quote the values of a row. `logRequests` adds one line per
 * request at `info`.
 */
export function serverLogger(
  logRequests: boolean,
  stream?: NodeJS.WritableStream,
): FastifyServerOptions['logger'] {
  return {
    level: logRequests ? 'info' : 'error',
    ...(stream === undefined ? {} : { stream }),
    serializers: {
      // Paths only: query strings can carry personal data (?idNumber=…).
      req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
      err: (err: Error & { code?: unknown }) => ({
        type: err.name,
        message: '(left out: it may quote personal data)',
        ...(typeof err.code === 'string' ? { code: err.code } : {}),
        stack: (err.stack ?? '')
          .split('\n')
          .filter((line) => line.trimStart().startsWith('at '))
          .slice(0, 12)
          .join('\n'),
      }),
    },
  } as FastifyServerOptions['logger'];
}
