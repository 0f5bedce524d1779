import { readdirSync } from 'node:fs';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WEB_ROOT, webRoutes } from '../../src/server/web/routes.js';
import type { Db } from '../../src/store/index.js';
import { openMigratedPglite } from '../support/pglite-template.js';
import { ensureWebBuilt } from '../web/browser.js';
import { startApi, type TestApi } from './helpers.js';

describe('the dashboard served by the API server', () => {
  let db: Db;
  let api: TestApi;

  beforeAll(async () => {
    ensureWebBuilt();
    db = await openMigratedPglite();
    api = await startApi(db);
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });
  const get = (url: string) => api.app.inject({ method: 'GET', url });

  it('sends / and /app to the app', async () => {
    for (const url of ['/', '/app']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(302);
      expect(res.headers.location).toBe('/app/');
    }
  });

  it('answers client routes with index.html, not cached, under a content security policy', async () => {
    for (const url of ['/app/', '/app/customers', '/app/customers/cus_123', '/app/audit?x=1']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('<div id="root"></div>');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
  });

  it('serves the hashed assets for a year and refuses missing files with a problem, not the app', async () => {
    const asset = readdirSync(`${DEFAULT_WEB_ROOT}/assets`).find((f) => f.endsWith('.js'));
    expect(asset).toBeDefined();
    const res = await get(`/app/assets/${asset}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toContain('immutable');
    for (const url of ['/app/assets/missing.js', '/app/missing.js', '/app/assets/../../package.json']) {
      const missing = await get(url);
      expect(missing.statusCode, url).toBe(404);
      expect(missing.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
  });

  it('leaves API paths, /docs and /openapi.json to the API', async () => {
    const customers = await get('/customers');
    expect(customers.statusCode).toBe(401);
    expect(customers.headers['content-type']).toMatch(/^application\/problem\+json/);
    const unknown = await get('/customers-page');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'route_not_found' });
    const docs = await get('/openapi.json');
    expect(docs.statusCode).toBe(200);
    const paths = Object.keys((docs.json() as { paths: Record<string, unknown> }).paths);
    expect(paths.filter((p) => p === '/' || p === '/app' || p.startsWith('/app/'))).toEqual([]);
    // A path that only begins with the same letters (/applications) is the API's.
    const application = await get('/applications/app_0192f3a4b5c6d7e8f9a0b1c2d3e4');
    expect(application.statusCode).toBe(401);
    expect(application.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await get('/docs')).statusCode).toBeLessThan(400);
  });

  it('says how to build the dashboard when it is not built', async () => {
    const bare = Fastify();
    await bare.register(async (scope) => webRoutes(scope, '/nonexistent/lendguard-web'));
    const res = await bare.inject({ method: 'GET', url: '/app/customers' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
    await bare.close();
  });
});
