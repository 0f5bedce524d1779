import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { KERNEL_MESSAGES } from '../http/kernel-messages.js';
import { say } from '../http/messages.js';
import { ProblemError } from '../http/problem.js';

/**
 * The dashboard (web/, built by `npm run build:web` into dist/web/). It lives under /app/ so that its
 * client routes never shadow an API path: /app/… answers index.html (the app routes in the browser),
 * /app/assets/… the built files, and / sends the browser to /app/. Nothing here needs a token; the
 * app calls the API with the user's own.
 */
export const WEB_PREFIX = '/app';

/** dist/web/ from both src/server/routes/ (tests) and dist/server/routes/ (the built command). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

/** Hashed asset names change with their content, so browsers may keep them for a year. */
const ASSET_MAX_AGE_S = 365 * 24 * 60 * 60;

/**
 * Scripts only from this server; inline styles allowed because antd writes its CSS at run time.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>Lendguard</title>
<p>The dashboard is not built on this installation. Run <code>npm run build</code> (or <code>npm run build:web</code>)
and restart <code>lendguard serve</code>. The API is available; see <a href="/docs">/docs</a>.</p>`;

const hidden = { hide: true } as const;
const open = { public: true } as const;

export async function webRoutes(app: FastifyInstance, root: string = DEFAULT_WEB_ROOT): Promise<void> {
  const built = existsSync(`${root}/index.html`);

  app.get('/', { config: open, schema: hidden }, async (_request, reply) => reply.redirect(`${WEB_PREFIX}/`));
  app.get(WEB_PREFIX, { config: open, schema: hidden }, async (_request, reply) =>
    reply.redirect(`${WEB_PREFIX}/`),
  );

  if (!built) {
    app.get(`${WEB_PREFIX}/*`, { config: open, schema: hidden }, async (_request, reply) =>
      reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE),
    );
    return;
  }

  // The static plugin's routes take no config of their own: mark every route of this scope public.
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), public: true };
  });
  await app.register(fastifyStatic, {
    root: `${root}/assets`,
    prefix: `${WEB_PREFIX}/assets/`,
    index: false,
    list: false,
    schemaHide: true,
    cacheControl: true,
    maxAge: ASSET_MAX_AGE_S * 1000,
    immutable: true,
  });

  const sendIndex = (reply: FastifyReply) =>
    reply
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .sendFile('index.html', root, { cacheControl: false });

  // Client routes get the app; a path that names a file (has an extension) and was not found is a 404.
  app.get<{ Params: { '*': string } }>(
    `${WEB_PREFIX}/*`,
    { config: open, schema: hidden },
    async (request, reply) => {
      const last = request.params['*'].split('/').at(-1) ?? '';
      if (last.includes('.')) {
        throw new ProblemError(
          'route_not_found',
          say(KERNEL_MESSAGES, 'file_not_found', { path: request.url.split('?')[0] ?? '' }),
        );
      }
      return sendIndex(reply);
    },
  );
}
