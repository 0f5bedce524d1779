import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { generatePiiKey } from '../../src/store/index.js';
import { backends, TEST_PG_URL } from '../store/backends.js';
import { capture } from './capture.js';

const root = mkdtempSync(join(tmpdir(), 'lg-serve-edge-'));

describe('serve and demo on a busy port', () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen({ port: 0, host: '127.0.0.1' }, () => resolve()));
    port = (busy.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => busy.close(() => resolve()));
    rmSync(root, { recursive: true, force: true });
  });

  it('demo refuses with exit 2 and the --port fix before it builds anything', async () => {
    const dir = join(root, 'demo');
    const out = capture();
    expect(await main(['demo', '--db', dir, '--port', String(port)], out.io)).toBe(2);
    expect(out.err()).toContain(`port ${port} on 127.0.0.1 is in use`);
    expect(out.err()).toContain('--port');
    expect(out.err()).not.toContain('    at ');
    expect(existsSync(dir)).toBe(false);
  });

  it('serve refuses with exit 2 and the --port fix, not a stack trace', async () => {
    const out = capture();
    expect(await main(['serve', '--db', join(root, 'serve'), '--port', String(port)], out.io)).toBe(2);
    expect(out.err()).toContain('give another with --port');
    expect(out.err()).not.toContain('    at ');
  }, 120_000);
});

const postgres = backends.some((b) => b.name === 'postgres');

describe.runIf(postgres)('serve with a migrating role apart from the serving role', () => {
  const schema = `lg_test_${randomBytes(6).toString('hex')}`;
  const url = `${TEST_PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
  });
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  });

  it('refuses to serve as the role that owns the tables', async () => {
    const saved = process.env.LENDGUARD_PII_KEY;
    process.env.LENDGUARD_PII_KEY = generatePiiKey().toString('base64');
    const out = capture();
    expect(await main(['serve', '--db', url, '--migrate-url', url, '--port', '0'], out.io)).toBe(2);
    expect(out.err()).toMatch(/refusing to serve: the role \w+ (is a superuser|owns the tables)/);
    expect(out.err()).toContain('docs/security.md');
    if (saved === undefined) delete process.env.LENDGUARD_PII_KEY;
    else process.env.LENDGUARD_PII_KEY = saved;
  }, 60_000);
});
