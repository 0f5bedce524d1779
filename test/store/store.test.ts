import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendAudit,
  authenticateToken,
  CustomerExistsError,
  type Db,
  findCustomer,
  findIdempotency,
  generatePiiKey,
  insertCustomer,
  insertToken,
  insertUser,
  listCustomers,
  MigrationError,
  migrate,
  migrations,
  type NewCustomer,
  openPostgres,
  PiiCipher,
  purgeExpiredIdempotency,
  reencryptCustomers,
  revokeToken,
  saveIdempotency,
  schemaVersion,
  sqlState,
} from '../../src/store/index.js';
import { backends, dumpTables, TEST_PG_URL } from './backends.js';

const customer: NewCustomer = {
  name: '张三丰',
  idNumber: '11010519491231002X',
  phone: '13812345678',
  address: { province: '北京市', city: '北京市', detail: '朝阳区建国路 88 号' },
  contacts: [{ name: '李四', relation: 'friend', phone: '13900001111' }],
  declaredMonthlyIncome_fen: 1_200_000,
  externalRef: null,
};

describe.each(backends)('store on $name', (backend) => {
  let db: Db;
  const oldKey = generatePiiKey();
  const cipher = new PiiCipher(oldKey);

  beforeAll(async () => {
    db = await backend.open();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('migrates an empty database, and a second run applies nothing', async () => {
    expect(await schemaVersion(db)).toBe(0);
    const first = await migrate(db);
    expect(first.applied).toEqual(migrations.map((m) => m.version));
    const second = await migrate(db);
    expect(second.applied).toEqual([]);
    expect(await schemaVersion(db)).toBe(migrations.at(-1)!.version);
  });

  it('refuses to start when an applied migration was edited, and changes nothing', async () => {
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    const before = await dumpTables(db);
    await expect(migrate(db, edited)).rejects.toThrow(/was changed after it was applied/);
    await expect(migrate(db, edited)).rejects.toBeInstanceOf(MigrationError);
    expect(await dumpTables(db)).toEqual(before);
  });

  it('refuses a database migrated by a newer build', async () => {
    await expect(migrate(db, [])).rejects.toThrow(/does not know/);
  });

  it('applies a new migration forward only', async () => {
    const next = [
      ...migrations,
      { version: migrations.at(-1)!.version + 1, name: 'probe', sql: 'create table probe (x int);' },
    ];
    expect((await migrate(db, next)).applied).toEqual([migrations.at(-1)!.version + 1]);
    await db.query('insert into probe values (1)');
    // Removing it from the code afterwards is refused: the database is ahead.
    await expect(migrate(db)).rejects.toThrow(/does not know/);
    await db.query('drop table probe');
    await db.query('delete from schema_migrations where version = $1', [migrations.at(-1)!.version + 1]);
  });

  it('keeps audit_log append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const id = await appendAudit(db, {
      actorUserId: null,
      actorRole: 'system',
      action: 'test.probe',
      requestId: null,
      resourceType: 'test',
      resourceId: null,
      customerId: null,
      details: {},
    });
    await expect(db.query("update audit_log set action = 'x' where audit_id = $1", [id])).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query('delete from audit_log where audit_id = $1', [id])).rejects.toThrow(/append-only/);
    await expect(db.query('truncate audit_log')).rejects.toThrow(/append-only/);
    const { rows } = await db.query<{ n: number }>(
      'select count(*)::int8 as n from audit_log where audit_id = $1',
      [id],
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('stores personal data only as ciphertext and finds customers by blind index', async () => {
    const created = await insertCustomer(db, cipher, customer, 'usr_test');
    expect(created.name).toBe(customer.name);
    const raw = await db.query<Record<string, unknown>>('select * from customers where customer_id = $1', [
      created.customerId,
    ]);
    const text = JSON.stringify(raw.rows);
    for (const secret of ['张三丰', '11010519491231002X', '13812345678', '建国路', '李四', '13900001111']) {
      expect(text).not.toContain(secret);
    }
    const identities = JSON.stringify((await db.query('select * from customer_identities')).rows);
    expect(identities).not.toContain('13812345678');
    expect((await findCustomer(db, cipher, created.customerId))?.contacts).toEqual(customer.contacts);
    const byId = await listCustomers(db, cipher, { limit: 10, idNumber: '11010519491231002x' });
    expect(byId.items.map((c) => c.customerId)).toEqual([created.customerId]);
    const byPhone = await listCustomers(db, cipher, { limit: 10, phone: '138-1234-5678' });
    expect(byPhone.items.map((c) => c.customerId)).toEqual([created.customerId]);
    await expect(insertCustomer(db, cipher, customer, 'usr_test')).rejects.toBeInstanceOf(
      CustomerExistsError,
    );
  });

  it('re-encrypts under a new key and still finds customers by the old ID number', async () => {
    const newKey = generatePiiKey();
    const rotated = new PiiCipher(newKey, [oldKey]);
    expect(rotated.keyIds).toHaveLength(2);
    // Before re-encryption the rotated cipher still finds and reads rows written under the old key.
    const before = await listCustomers(db, rotated, { limit: 10, idNumber: customer.idNumber });
    expect(before.items[0]?.name).toBe(customer.name);
    expect(await reencryptCustomers(db, rotated, 1)).toBeGreaterThanOrEqual(1);
    const { rows } = await db.query<{ id_number_enc: string }>('select id_number_enc from customers');
    for (const r of rows) expect(PiiCipher.keyIdOf(r.id_number_enc)).toBe(rotated.activeKeyId);
    // The old key can now be dropped.
    const onlyNew = new PiiCipher(newKey);
    const found = await listCustomers(db, onlyNew, { limit: 10, idNumber: customer.idNumber });
    expect(found.items[0]?.name).toBe(customer.name);
    expect(await reencryptCustomers(db, rotated, 10)).toBe(0);
    await expect(findCustomer(db, cipher, found.items[0]!.customerId)).rejects.toThrow(/not configured/);
  });

  it('authenticates tokens by hash; revoked tokens no longer work', async () => {
    const user = await insertUser(db, { username: 'ops', displayName: 'Ops', role: 'admin' });
    const { token, secret } = await insertToken(db, { userId: user.userId, label: 'cli', expiresAt: null });
    const stored = JSON.stringify((await db.query('select * from api_tokens')).rows);
    expect(stored).not.toContain(secret);
    expect((await authenticateToken(db, secret))?.userId).toBe(user.userId);
    expect(await authenticateToken(db, `${secret}x`)).toBeUndefined();
    const expired = await insertToken(db, {
      userId: user.userId,
      label: 'old',
      expiresAt: new Date(Date.now() - 1000),
    });
    expect(await authenticateToken(db, expired.secret)).toBeUndefined();
    await revokeToken(db, user.userId, token.tokenId);
    expect(await authenticateToken(db, secret)).toBeUndefined();
  });

  it('rolls back a transaction that throws, and a duplicate idempotency key rolls back its write', async () => {
    const record = {
      userId: 'usr_x',
      key: 'k1',
      method: 'POST',
      route: '/customers',
      requestMac: 'm',
      fieldMacs: { '/a': 'h' },
      macKeyId: 'k',
      responseStatus: 201,
      responseBody: { ok: true },
      resourceLocation: null,
    };
    await saveIdempotency(db, record);
    const before = await dumpTables(db);
    const failure = await db
      .transaction(async (tx) => {
        await insertUser(tx, { username: 'dup', displayName: 'Dup', role: 'finance' });
        await saveIdempotency(tx, record);
      })
      .catch((e: unknown) => e);
    expect(sqlState(failure)).toBe('23505');
    expect(await dumpTables(db)).toEqual(before);
    expect((await findIdempotency(db, 'usr_x', 'k1'))?.responseBody).toEqual({ ok: true });
  });

  it('forgets expired idempotency records: not found, replaced on reuse, purged', async () => {
    const record = {
      userId: 'usr_y',
      key: 'old',
      method: 'POST',
      route: '/customers',
      requestMac: 'm1',
      fieldMacs: {},
      macKeyId: 'k',
      responseStatus: 201,
      responseBody: { first: true },
      resourceLocation: null,
    };
    await saveIdempotency(db, record);
    await db.query(
      "update idempotency_keys set expires_at = now() - interval '1 second' where user_id = 'usr_y'",
    );
    expect(await findIdempotency(db, 'usr_y', 'old')).toBeUndefined();
    await saveIdempotency(db, { ...record, responseBody: { second: true } });
    expect((await findIdempotency(db, 'usr_y', 'old'))?.responseBody).toEqual({ second: true });
    await db.query(
      "update idempotency_keys set expires_at = now() - interval '1 second' where user_id = 'usr_y'",
    );
    expect(await purgeExpiredIdempotency(db, 10)).toBe(1);
    expect(await purgeExpiredIdempotency(db, 10)).toBe(0);
  });
});

describe.each(backends)('migration 7 (idempotency records as text) on $name', (backend) => {
  it('converts the records stored before it: each replays the same response and names the same fields', async () => {
    const db = await backend.open();
    try {
      await migrate(
        db,
        migrations.filter((m) => m.version < 7),
      );
      const body = { loan: { loanId: 'ln_1', principal: '12000.00' }, amount: '1.00', events: [{ seq: 4 }] };
      const fieldMacs = { '/body/amount': 'mA', '/params/loanId': 'mL' };
      await db.query(
        `insert into idempotency_keys (user_id, idempotency_key, method, route, request_mac, field_macs,
           mac_key_id, response_status, response_body, resource_location, expires_at)
         values ('usr_1', 'k1', 'POST', '/loans/:loanId/repayments', 'mac', $1::jsonb, 'kid', 201, $2::jsonb,
           '/loans/ln_1', now() + interval '1 hour')`,
        [JSON.stringify(fieldMacs), JSON.stringify(body)],
      );
      expect((await migrate(db)).applied).toEqual(
        migrations.filter((m) => m.version >= 7).map((m) => m.version),
      );
      const record = await findIdempotency(db, 'usr_1', 'k1');
      expect(record?.responseBody).toEqual(body);
      expect(record?.fieldMacs).toEqual(fieldMacs);
      expect(record?.resourceLocation).toBe('/loans/ln_1');
    } finally {
      await db.close();
    }
  });

  it('stores the response text as it was sent', async () => {
    const db = await backend.open();
    try {
      await migrate(db);
      const text = '{"b":1,"a":"\u00e9 é","n":1.5}';
      await saveIdempotency(
        db,
        {
          userId: 'usr_1',
          key: 'k2',
          method: 'POST',
          route: '/x',
          requestMac: 'm',
          fieldMacs: { '/body/a': 'm' },
          macKeyId: 'kid',
          responseStatus: 201,
          responseBody: null,
          resourceLocation: null,
        },
        text,
      );
      const { rows } = await db.query<{ body: string }>('select response_body as body from idempotency_keys');
      expect(rows[0]?.body).toBe(text);
      expect((await findIdempotency(db, 'usr_1', 'k2'))?.responseBody).toEqual(JSON.parse(text));
    } finally {
      await db.close();
    }
  });
});

describe.each(backends.filter((b) => b.name === 'postgres'))('migrations on $name', (backend) => {
  it('two processes migrating one database at once apply each migration exactly once', async () => {
    const first = await backend.open();
    const { rows } = await first.query<{ schema: string }>('select current_schema() as schema');
    const second = await openPostgres({ url: TEST_PG_URL, schema: rows[0]!.schema, poolSize_max: 2 });
    try {
      const reports = await Promise.all([migrate(first), migrate(second)]);
      const applied = reports.flatMap((r) => r.applied).sort((a, b) => a - b);
      expect(applied).toEqual(migrations.map((m) => m.version));
      const count = await first.query<{ n: number }>('select count(*)::int8 as n from schema_migrations');
      expect(count.rows[0]?.n).toBe(migrations.length);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
