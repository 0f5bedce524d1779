import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startService } from '../../src/cli/commands/serve.js';
import { main } from '../../src/cli/main.js';
import { generatePiiKey, insertCustomer, migrations, openPglite, PiiCipher } from '../../src/store/index.js';
import { idNumberFor } from '../server/helpers.js';
import { capture } from './capture.js';

describe('serve, db migrate and users create on an embedded data folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lendguard-cli-'));
  const saved = { key: process.env.LENDGUARD_PII_KEY, file: process.env.LENDGUARD_PII_KEY_FILE };
  delete process.env.LENDGUARD_PII_KEY;
  delete process.env.LENDGUARD_PII_KEY_FILE;
  afterAll(() => {
    if (saved.key !== undefined) process.env.LENDGUARD_PII_KEY = saved.key;
    if (saved.file !== undefined) process.env.LENDGUARD_PII_KEY_FILE = saved.file;
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrates once, then has nothing to apply', async () => {
    const first = capture();
    expect(await main(['db', 'migrate', '--db', dir, '--json'], first.io), first.err()).toBe(0);
    expect(JSON.parse(first.out())).toMatchObject({
      database: 'pglite',
      applied: migrations.map((m) => m.version),
      schemaVersion: migrations.at(-1)!.version,
    });
    const second = capture();
    expect(await main(['db', 'migrate', '--db', dir], second.io)).toBe(0);
    expect(second.out()).toContain(`nothing to apply; schema is at version ${migrations.at(-1)!.version} `);
  });

  it('refuses a bad role or username with a message that says what to send', async () => {
    const badRole = capture();
    expect(
      await main(['users', 'create', '--username', 'ops', '--role', 'root', '--db', dir], badRole.io),
    ).toBe(2);
    expect(badRole.err()).toMatch(/--role must be one of admin, risk_analyst/);
    const badName = capture();
    expect(
      await main(['users', 'create', '--username', 'X', '--role', 'admin', '--db', dir], badName.io),
    ).toBe(2);
    expect(badName.err()).toMatch(/--username "X" must be 3 to 40 characters/);
    const badPort = capture();
    expect(await main(['serve', '--port', 'eighty', '--db', dir], badPort.io)).toBe(2);
    expect(badPort.err()).toMatch(/--port must be a whole number/);
  });

  it('creates the first admin, prints the token once, and the served API accepts it', async () => {
    const created = capture();
    expect(
      await main(
        ['users', 'create', '--username', 'ops', '--role', 'admin', '--db', dir, '--json'],
        created.io,
      ),
    ).toBe(0);
    const token = (JSON.parse(created.out()) as { token: { token: string } }).token.token;
    expect(token).toMatch(/^lgt_/);
    const logs = capture();
    const service = await startService({ db: dir, port: 0, host: '127.0.0.1' }, logs.io);
    try {
      // The embedded key file was generated at first start, readable by its owner only.
      expect(statSync(join(dir, 'pii.key')).mode & 0o777).toBe(0o600);
      expect(logs.err()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ \(database pglite/);
      const health = await fetch(`${service.url}/health`);
      expect(await health.json()).toMatchObject({
        status: 'ok',
        database: 'pglite',
        schemaVersion: migrations.at(-1)!.version,
      });
      const me = await fetch(`${service.url}/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(await me.json()).toMatchObject({ username: 'ops', role: 'admin' });
      const audit = await fetch(`${service.url}/audit-log?action=user.create`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const entries = (await audit.json()) as { items: { actorRole: string; details: { via?: string } }[] };
      expect(entries.items[0]).toMatchObject({ actorRole: 'system', details: { via: 'cli' } });

      // While the server holds the folder, a second process is refused rather than corrupting it.
      const locked = capture();
      const lockedStatus = await main(
        ['users', 'create', '--username', 'ops2', '--role', 'auditor', '--db', dir],
        locked.io,
      );
      expect(lockedStatus, locked.out() + locked.err()).toBe(2);
      expect(locked.err()).toMatch(/in use by process/);
    } finally {
      await service.close();
    }
    const again = capture();
    expect(
      await main(['users', 'create', '--username', 'ops', '--role', 'admin', '--db', dir], again.io),
    ).toBe(2);
    expect(again.err()).toMatch(/username ops is taken/);
  });
});

describe('db reencrypt-pii and serve on an embedded data folder: counts of one and two', () => {
  const parent = mkdtempSync(join(tmpdir(), 'lendguard-reencrypt-'));
  const saved = {
    key: process.env.LENDGUARD_PII_KEY,
    retired: process.env.LENDGUARD_PII_RETIRED_KEYS,
    file: process.env.LENDGUARD_PII_KEY_FILE,
  };
  const restore = (name: string, value: string | undefined) => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  afterAll(() => {
    restore('LENDGUARD_PII_KEY', saved.key);
    restore('LENDGUARD_PII_RETIRED_KEYS', saved.retired);
    restore('LENDGUARD_PII_KEY_FILE', saved.file);
    rmSync(parent, { recursive: true, force: true });
  });

  /** The lines `db reencrypt-pii` prints after `customers` customers were written under a key since retired. */
  async function reencrypt(customers: number): Promise<{ lines: string[]; keyId: string }> {
    const dir = join(parent, String(customers));
    const oldKey = generatePiiKey();
    const newKey = generatePiiKey();
    delete process.env.LENDGUARD_PII_KEY_FILE;
    delete process.env.LENDGUARD_PII_RETIRED_KEYS;
    process.env.LENDGUARD_PII_KEY = oldKey.toString('base64');
    const migrated = capture();
    expect(await main(['db', 'migrate', '--db', dir], migrated.io), migrated.err()).toBe(0);
    const db = await openPglite({ dataDir: dir });
    try {
      for (let i = 0; i < customers; i++)
        await insertCustomer(
          db,
          new PiiCipher(oldKey),
          {
            name: '张三丰',
            idNumber: idNumberFor(90 + i),
            phone: '13812345678',
            address: { province: '北京市', city: '北京市', detail: '朝阳区建国路 88 号' },
            contacts: [],
            declaredMonthlyIncome_fen: 1_200_000,
            externalRef: null,
          },
          'usr_test',
        );
    } finally {
      await db.close();
    }
    process.env.LENDGUARD_PII_KEY = newKey.toString('base64');
    process.env.LENDGUARD_PII_RETIRED_KEYS = oldKey.toString('base64');
    const r = capture();
    expect(await main(['db', 'reencrypt-pii', '--db', dir], r.io), r.err()).toBe(0);
    return { lines: r.out().trimEnd().split('\n'), keyId: new PiiCipher(newKey).activeKeyId };
  }

  it('counts one customer and one row in the singular, two in the plural', async () => {
    const one = await reencrypt(1);
    expect(one.lines).toEqual([
      `re-encrypted 1 customer under key ${one.keyId}`,
      `re-encrypted 1 row in all under key ${one.keyId}`,
    ]);
    const two = await reencrypt(2);
    expect(two.lines).toEqual([
      `re-encrypted 2 customers under key ${two.keyId}`,
      `re-encrypted 2 rows in all under key ${two.keyId}`,
    ]);
  }, 120_000);

  it('serve counts one expired idempotency record purged in the singular, two in the plural', async () => {
    const dir = join(parent, 'serve');
    delete process.env.LENDGUARD_PII_KEY_FILE;
    delete process.env.LENDGUARD_PII_RETIRED_KEYS;
    process.env.LENDGUARD_PII_KEY = generatePiiKey().toString('base64');
    const migrated = capture();
    expect(await main(['db', 'migrate', '--db', dir], migrated.io), migrated.err()).toBe(0);
    const purgedOnStart = async (expired: number) => {
      const db = await openPglite({ dataDir: dir });
      try {
        for (let i = 0; i < expired; i++)
          await db.query(
            `insert into idempotency_keys (user_id, idempotency_key, method, route, request_mac, field_macs,
               mac_key_id, response_status, response_body, resource_location, expires_at)
             values ('usr_test', $1, 'POST', '/x', 'mac', '{}', 'k', 200, '{}', null, now() - interval '1 hour')`,
            [`expired-${expired}-${i}`],
          );
      } finally {
        await db.close();
      }
      const logs = capture();
      const service = await startService({ db: dir, port: 0, host: '127.0.0.1' }, logs.io);
      await service.close();
      return logs.err();
    };
    expect(await purgedOnStart(1)).toMatch(/, 1 expired idempotency record purged, PII key /);
    expect(await purgedOnStart(2)).toMatch(/, 2 expired idempotency records purged, PII key /);
  }, 120_000);
});
