import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';

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

type LogMethod = (...args: unknown[]) => void;
const LOG_METHODS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/**
 * Each request's logger carries its request id. When only errors are logged (`logRequests` off), the
 * pino child holding that id is made on the request's first line at an enabled level, not for every
 * request: nearly all requests log nothing, and making a child costs each of them CPU
 * (docs/performance.md). What is logged is the same, with the same request id. With `logRequests` on
 * (every request logs) Fastify's own factory is kept.
 */
export function requestLoggerFactory(logRequests: boolean): FastifyServerOptions['childLoggerFactory'] {
  if (logRequests) return undefined;
  return (logger, bindings, options) => {
    // A route's own log level makes a child with other levels: make it as Fastify would.
    if (options.level !== undefined) return logger.child(bindings, options);
    let child: FastifyBaseLogger | undefined;
    const real = () => {
      child ??= logger.child(bindings, options);
      return child;
    };
    const lazy: Record<string, unknown> = {
      level: logger.level,
      silent: () => {},
      child: (...args: Parameters<FastifyBaseLogger['child']>) => real().child(...args),
    };
    for (const name of LOG_METHODS) {
      const enabled =
        (logger as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.(name) ?? true;
      lazy[name] = enabled ? (...args: unknown[]) => (real()[name] as LogMethod)(...args) : () => {};
    }
    return lazy as unknown as FastifyBaseLogger;
  };
}
