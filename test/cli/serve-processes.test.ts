import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startProcesses } from '../../src/cli/commands/serve.js';
import { main } from '../../src/cli/main.js';
import type { RunningProcesses } from '../../src/cli/serve-processes.js';
import { generatePiiKey, insertToken, insertUser, migrate, openPostgres } from '../../src/store/index.js';
import { backends, TEST_PG_URL } from '../store/backends.js';
import { capture } from './capture.js';

/** One request on a new connection (the primary process hands each connection to the next server process). */
function send(url: string, method: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers, agent: false }, (res) => {
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

describe('lendguard serve --processes', () => {
  it('refuses more than one process on the embedded database, saying why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lendguard-processes-'));
    try {
      const out = capture();
      expect(await main(['serve', '--db', dir, '--port', '0', '--processes', '2'], out.io)).toBe(2);
      expect(out.err()).toMatch(/--processes 2 needs a PostgreSQL server .* leave --processes at 1/);
      const zero = capture();
      expect(await main(['serve', '--db', dir, '--processes', '0'], zero.io)).toBe(2);
      expect(zero.err()).toMatch(/--processes must be a whole number from 1 to 64/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const onServer = backends.some((b) => b.name === 'postgres');
  describe.runIf(onServer)('on the PostgreSQL server', () => {
    const schema = `lg_test_${randomBytes(6).toString('hex')}`;
    const url = new URL(TEST_PG_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const savedKey = process.env.LENDGUARD_PII_KEY;
    let running: RunningProcesses | undefined;
    afterAll(async () => {
      await running?.close();
      const admin = new pg.Client({ connectionString: TEST_PG_URL });
      await admin.connect();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
      if (savedKey === undefined) delete process.env.LENDGUARD_PII_KEY;
      else process.env.LENDGUARD_PII_KEY = savedKey;
    });

    it('serves from two processes on one port; a token revoked through one is refused by both at once', async () => {
      const admin = new pg.Client({ connectionString: TEST_PG_URL });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
      process.env.LENDGUARD_PII_KEY = generatePiiKey().toString('base64');
      const db = await openPostgres({ url: TEST_PG_URL, schema });
      await migrate(db);
      const ops = await insertUser(db, { username: 'ops', displayName: 'ops', role: 'admin' });
      const opsToken = (await insertToken(db, { userId: ops.userId, label: 'test', expiresAt: null })).secret;
      const user = await insertUser(db, { username: 'auditor', displayName: 'auditor', role: 'auditor' });
      const issued = await insertToken(db, { userId: user.userId, label: 'test', expiresAt: null });
      await db.close();

      const logs = capture();
      running = await startProcesses(
        { db: url.toString(), port: 0, host: '127.0.0.1', processes: 2 },
        logs.io,
      );
      expect(logs.err()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ with 2 server processes/);
      expect(running.pids()).toHaveLength(2);
      const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
      // Several new connections: both processes answer, and both now hold the token in their cache.
      for (let i = 0; i < 6; i++) {
        expect((await send(running.url, 'GET', '/me', bearer(issued.secret))).status).toBe(200);
      }
      const revoked = await send(
        running.url,
        'DELETE',
        `/users/${user.userId}/tokens/${issued.token.tokenId}`,
        {
          ...bearer(opsToken),
          'idempotency-key': 'revoke-1',
        },
      );
      expect(revoked.status, revoked.body).toBe(200);
      // The other process was told: no request succeeds with the token, whichever process answers.
      for (let i = 0; i < 6; i++) {
        expect((await send(running.url, 'GET', '/me', bearer(issued.secret))).status).toBe(401);
      }
      expect((await send(running.url, 'GET', '/me', bearer(opsToken))).status).toBe(200);
    });
  });
});
