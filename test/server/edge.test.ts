import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/index.js';
import { type Db, generatePiiKey, PiiCipher } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { auth, freshKey, idNumberFor, json, startApi, type TestApi, validCustomer } from './helpers.js';
import { applicant, apply, invite, ok, send } from './origination-helpers.js';

/** Raw HTTP over a socket: the path is sent as is (no client-side normalising of `..`). */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += String(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the edge of the API', () => {
  let db: Db;
  let api: TestApi;
  beforeAll(async () => {
    db = await openMigrated(backends[0]!);
    api = await startApi(db, {
      failedAuthPerAddress_max: 3,
      rateLimitPerToken_max: 40,
      unmaskAlertPeople_max: 1,
    });
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('marks every API answer no-store and nosniff, and takes the Bearer scheme in any case', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const res = await api.app.inject({
        method: 'GET',
        url: '/me',
        headers: { authorization: `${scheme} ${api.tokens.auditor}` },
      });
      expect(res.statusCode, scheme).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    const problem = await api.app.inject({ method: 'GET', url: '/customers' });
    expect(problem.statusCode).toBe(401);
    expect(problem.headers['cache-control']).toBe('no-store');
    expect(problem.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers a static path that leaves its folder with 403, not 500', async () => {
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (api.app.server.address() as AddressInfo).port;
    const res = await rawGet(port, '/docs/static/../../package.json');
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).code).toBe('forbidden');
  });

  it('keeps no applicant statement in the idempotency record, and replays without it', async () => {
    await invite(api, 31);
    const d = await apply(api, applicant(31));
    const key = freshKey();
    const statement = '我不同意这个决定，因为我的收入证明是真实的';
    const first = await ok(
      await send(
        api,
        'risk_analyst',
        'POST',
        `/decisions/${d.decisionId}/objections`,
        { channel: 'app', statement },
        key,
      ),
    );
    expect(first.statement).toBe(statement);
    const stored = await db.query<{ response_body: string }>(
      'select response_body::text as response_body from idempotency_keys where idempotency_key = $1',
      [key],
    );
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]!.response_body).not.toContain('收入证明');
    const replay = await send(
      api,
      'risk_analyst',
      'POST',
      `/decisions/${d.decisionId}/objections`,
      { channel: 'app', statement },
      key,
    );
    expect(replay.statusCode).toBe(201);
    expect(json(replay).requestId).toBe(first.requestId);
  });

  it('writes an alert to the audit log when one user unmasks more people than allowed in the window', async () => {
    const ids: string[] = [];
    for (const n of [41, 42]) {
      const res = await api.app.inject({
        method: 'POST',
        url: '/customers',
        headers: { ...auth(api.tokens.admin), 'idempotency-key': freshKey() },
        payload: validCustomer({ idNumber: idNumberFor(n), phone: `1381234${String(n).padStart(4, '0')}` }),
      });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(String(json(res).customerId));
    }
    const alerts = async () =>
      (
        await db.query<{ n: number }>(
          "select count(*)::int as n from audit_log where action = 'pii.unmask_alert'",
        )
      ).rows[0]!.n;
    const unmask = (id: string) =>
      api.app.inject({ method: 'GET', url: `/customers/${id}?unmask=true`, headers: auth(api.tokens.admin) });
    expect((await unmask(ids[0]!)).statusCode).toBe(200);
    expect((await unmask(ids[0]!)).statusCode).toBe(200);
    expect(await alerts()).toBe(0);
    expect((await unmask(ids[1]!)).statusCode).toBe(200);
    expect((await unmask(ids[1]!)).statusCode).toBe(200);
    expect(await alerts()).toBe(1);
  });

  it('answers 429 with Retry-After to an address after repeated failed authentication, and to a busy token', async () => {
    const bad = (n: number) =>
      api.app.inject({
        method: 'GET',
        url: '/me',
        remoteAddress: '10.9.9.9',
        headers: { authorization: `Bearer lg_${String(n).padStart(40, '0')}` },
      });
    for (let i = 0; i < 3; i += 1) expect((await bad(i)).statusCode).toBe(401);
    const limited = await bad(4);
    expect(limited.statusCode).toBe(429);
    expect(json(limited).code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    const other = await api.app.inject({ method: 'GET', url: '/me', headers: auth(api.tokens.finance) });
    expect(other.statusCode).toBe(200);

    let last = other;
    for (let i = 0; i < 45 && last.statusCode !== 429; i += 1) {
      last = await api.app.inject({ method: 'GET', url: '/me', headers: auth(api.tokens.collector) });
    }
    expect(last.statusCode).toBe(429);
    expect(json(last).code).toBe('rate_limited');
    expect(last.headers['retry-after']).toBeDefined();
  });

  it('logs every 5xx with its request id by default, without the error message', async () => {
    let log = '';
    const stream = new PassThrough();
    stream.on('data', (c) => {
      log += String(c);
    });
    const failing: Db = {
      ...db,
      query: async () => {
        throw new Error('value "13812345678" broke the query');
      },
      close: async () => {},
    };
    const server = await buildServer({ db: failing, cipher: api.cipher, logStream: stream });
    try {
      const res = await server.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(500);
      const requestId = String(json(res).requestId);
      expect(log).toContain(requestId);
      expect(log).toContain('"level":50');
      expect(log).not.toContain('13812345678');
    } finally {
      await server.close();
    }
  });

  it('answers 503 with Retry-After when the database refuses connections, and /health says so', async () => {
    // What node-postgres throws when the server refuses connections (a pool opened earlier, the server gone).
    const refused = () =>
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const down: Db = {
      ...db,
      query: async () => {
        throw refused();
      },
      transaction: async () => {
        throw refused();
      },
      close: async () => {},
    };
    const server = await buildServer({ db: down, cipher: new PiiCipher(generatePiiKey()) });
    try {
      const health = await server.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(503);
      expect(json(health).code).toBe('database_unavailable');
      expect(String(json(health).detail)).toMatch(/database cannot be reached/);
      expect(health.headers['retry-after']).toBeDefined();
    } finally {
      await server.close();
      await down.close();
    }
  });

  it('sheds load beyond the requests in flight with 503 and Retry-After', async () => {
    const server = await buildServer({ db, cipher: api.cipher, config: { requestsInFlight_max: 2 } });
    try {
      const answers = await Promise.all(
        Array.from({ length: 12 }, () => server.inject({ method: 'GET', url: '/health' })),
      );
      const shed = answers.filter((a) => a.statusCode === 503);
      expect(shed.length).toBeGreaterThan(0);
      expect(json(shed[0]!).code).toBe('server_overloaded');
      expect(shed[0]!.headers['retry-after']).toBeDefined();
      expect(answers.filter((a) => a.statusCode === 200).length).toBeGreaterThanOrEqual(2);
    } finally {
      await server.close();
    }
  });
});
