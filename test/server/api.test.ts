import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes, PERMISSIONS } from '../../src/server/index.js';
import { type Db, migrations, ROLES, type Role } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { auth, freshKey, idNumberFor, json, startApi, type TestApi, validCustomer } from './helpers.js';

describe.each(backends)('HTTP API on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  let seq = 100;
  const nextIdNumber = () => idNumberFor(seq++);

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  const post = (url: string, role: Role, payload: unknown, key: string | null = freshKey()) =>
    api.app.inject({
      method: 'POST',
      url,
      headers: { ...auth(api.tokens[role]), ...(key === null ? {} : { 'idempotency-key': key }) },
      payload: payload as Record<string, unknown>,
    });
  const get = (url: string, role: Role) =>
    api.app.inject({ method: 'GET', url, headers: auth(api.tokens[role]) });
  const createCustomer = async (overrides: Record<string, unknown> = {}) => {
    const res = await post(
      '/customers',
      'risk_analyst',
      validCustomer({ idNumber: nextIdNumber(), ...overrides }),
    );
    expect(res.statusCode, res.body).toBe(201);
    return json(res);
  };

  describe('authentication', () => {
    it('answers /health without a token', async () => {
      const res = await api.app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(200);
      expect(json(res)).toMatchObject({
        status: 'ok',
        database: backend.name,
        schemaVersion: migrations.at(-1)!.version,
      });
    });

    it('refuses a request with no token, a malformed header or an unknown token', async () => {
      for (const authorization of [
        undefined,
        'Basic abc',
        'Bearer',
        'Bearer lgt_unknown',
        `Bearer ${api.tokens.admin}x`,
      ]) {
        const res = await api.app.inject({
          method: 'GET',
          url: '/customers',
          headers: authorization === undefined ? {} : { authorization },
        });
        expect(res.statusCode, authorization).toBe(401);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(json(res).code).toBe('unauthenticated');
      }
    });

    it('tells a user who they are', async () => {
      const res = await get('/me', 'collector');
      expect(json(res)).toMatchObject({ userId: api.userIds.collector, role: 'collector' });
    });

    it('issues a token once, lists it without the secret, and stops honouring it once revoked', async () => {
      const user = await post('/users', 'admin', {
        username: 'ana.lee',
        displayName: 'Ana Lee',
        role: 'finance',
      });
      expect(user.statusCode, user.body).toBe(201);
      const userId = json(user).userId as string;
      const key = freshKey();
      const created = await post(
        `/users/${userId}/tokens`,
        'admin',
        { label: 'laptop', expiresInDays: 30 },
        key,
      );
      expect(created.statusCode).toBe(201);
      const secret = json(created).token as string;
      expect(secret).toMatch(/^lgt_/);
      // A replay of the same request gives the same token record but not the secret again.
      const replay = await post(
        `/users/${userId}/tokens`,
        'admin',
        { label: 'laptop', expiresInDays: 30 },
        key,
      );
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(json(replay).tokenId).toBe(json(created).tokenId);
      expect(json(replay).token).toBeUndefined();
      const listed = await get(`/users/${userId}`, 'admin');
      expect(listed.body).not.toContain(secret);
      expect((await api.app.inject({ method: 'GET', url: '/me', headers: auth(secret) })).statusCode).toBe(
        200,
      );
      const revoked = await api.app.inject({
        method: 'DELETE',
        url: `/users/${userId}/tokens/${json(created).tokenId as string}`,
        headers: { ...auth(api.tokens.admin), 'idempotency-key': freshKey() },
      });
      expect(revoked.statusCode, revoked.body).toBe(200);
      expect(json(revoked).revokedAt).not.toBeNull();
      expect((await api.app.inject({ method: 'GET', url: '/me', headers: auth(secret) })).statusCode).toBe(
        401,
      );
    });
  });

  describe('roles', () => {
    const probes: { permission: keyof typeof PERMISSIONS; method: 'GET' | 'POST'; url: string }[] = [
      { permission: 'customers.create', method: 'POST', url: '/customers' },
      { permission: 'customers.read', method: 'GET', url: '/customers' },
      { permission: 'users.manage', method: 'GET', url: '/users' },
      { permission: 'users.manage', method: 'POST', url: '/users' },
      { permission: 'audit.read', method: 'GET', url: '/audit-log' },
      { permission: 'self.read', method: 'GET', url: '/me' },
      { permission: 'loans.read', method: 'GET', url: '/loans' },
      { permission: 'products.read', method: 'GET', url: '/products' },
      { permission: 'collections.placed.read', method: 'GET', url: '/collections/cases' },
      { permission: 'collections.read', method: 'GET', url: '/collections/agencies' },
    ];
    it.each(probes)('$method $url is open exactly to the roles of $permission', async (probe) => {
      for (const role of ROLES) {
        const res = await api.app.inject({
          method: probe.method,
          url: probe.url,
          headers: { ...auth(api.tokens[role]), 'idempotency-key': freshKey() },
          ...(probe.method === 'POST' ? { payload: {} } : {}),
        });
        const allowed = (PERMISSIONS[probe.permission] as readonly Role[]).includes(role);
        if (allowed) {
          expect(res.statusCode, `${role}: ${res.body}`).not.toBe(403);
        } else {
          expect(res.statusCode, role).toBe(403);
          expect(json(res).code).toBe('forbidden');
          expect(json(res).detail).toContain(role);
        }
      }
    });
  });

  describe('personal data', () => {
    it('masks personal data in every response unless a permitted role asks, and audits the unmasked read', async () => {
      const created = await createCustomer({ name: '欧阳娜娜', phone: '13698765432' });
      expect(created).toMatchObject({
        masked: true,
        name: '欧***',
        phone: '136****5432',
        address: { province: '北京市', city: '北京市' },
      });
      expect(created.idNumber).toMatch(/^440\*{11}[0-9X]{4}$/);
      expect(JSON.stringify(created)).not.toContain('建国路');
      const id = created.customerId as string;
      for (const role of ROLES) {
        const masked = await get(`/customers/${id}`, role);
        // An agency's user finds only the borrowers of cases placed with their agency.
        if (role === 'agency') {
          expect(masked.statusCode).toBe(404);
          continue;
        }
        expect(masked.statusCode).toBe(200);
        expect(json(masked).masked).toBe(true);
        expect(masked.body).not.toContain('欧阳娜娜');
      }
      const before = (
        await db.query(`select count(*)::int8 as n from audit_log where action = 'customer.read_pii'`)
      ).rows;
      const unmasked = await get(`/customers/${id}?unmask=true`, 'risk_analyst');
      expect(json(unmasked)).toMatchObject({ masked: false, name: '欧阳娜娜', phone: '13698765432' });
      const entries = await get(`/audit-log?action=customer.read_pii&customerId=${id}`, 'auditor');
      const items = json(entries).items as Record<string, unknown>[];
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        actorUserId: api.userIds.risk_analyst,
        actorRole: 'risk_analyst',
        resourceId: id,
        requestId: unmasked.headers['request-id'],
      });
      const refused = await get(`/customers/${id}?unmask=true`, 'finance');
      expect(refused.statusCode).toBe(403);
      expect(json(refused).code).toBe('pii_forbidden');
      const after = (
        await db.query(`select count(*)::int8 as n from audit_log where action = 'customer.read_pii'`)
      ).rows;
      expect((after[0] as { n: number }).n).toBe((before[0] as { n: number }).n + 1);
    });

    it('never writes personal data into the audit log', async () => {
      await createCustomer({ name: '王小明', phone: '13512340000' });
      const text = JSON.stringify((await db.query('select * from audit_log')).rows);
      for (const secret of ['王小明', '13512340000', '建国路', '李四', '13900001111'])
        expect(text).not.toContain(secret);
    });

    it('finds a customer by ID number or phone', async () => {
      const idNumber = nextIdNumber();
      const created = await createCustomer({ idNumber, phone: '13711112222' });
      const byId = json(await get(`/customers?idNumber=${idNumber.toLowerCase()}`, 'finance'));
      expect((byId.items as { customerId: string }[]).map((c) => c.customerId)).toEqual([created.customerId]);
      const byPhone = json(await get('/customers?phone=13711112222', 'collector'));
      expect((byPhone.items as { customerId: string }[]).map((c) => c.customerId)).toEqual([
        created.customerId,
      ]);
    });

    it('refuses a second customer with the same ID number, naming the first', async () => {
      const idNumber = nextIdNumber();
      const first = await createCustomer({ idNumber });
      const second = await post('/customers', 'admin', validCustomer({ idNumber }));
      expect(second.statusCode).toBe(409);
      expect(json(second).code).toBe('customer_exists');
      expect(json(second).detail).toContain(first.customerId as string);
    });
  });

  describe('audit', () => {
    it('records every write with who, what, when and the request id', async () => {
      const res = await post('/customers', 'risk_analyst', validCustomer({ idNumber: nextIdNumber() }));
      const id = json(res).customerId as string;
      const entries = json(await get(`/audit-log?customerId=${id}`, 'admin')).items as Record<
        string,
        unknown
      >[];
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        action: 'customer.create',
        actorUserId: api.userIds.risk_analyst,
        actorRole: 'risk_analyst',
        resourceType: 'customer',
        resourceId: id,
        requestId: res.headers['request-id'],
      });
      expect(Date.parse(entries[0]!.occurredAt as string)).not.toBeNaN();
    });

    it('pages through the audit log newest first', async () => {
      const first = json(await get('/audit-log?limit=2', 'auditor'));
      const items = first.items as { auditId: number }[];
      expect(items).toHaveLength(2);
      expect(items[0]!.auditId).toBeGreaterThan(items[1]!.auditId);
      const second = json(await get(`/audit-log?limit=2&cursor=${first.nextCursor as string}`, 'auditor'));
      expect((second.items as { auditId: number }[])[0]!.auditId).toBeLessThan(items[1]!.auditId);
    });
  });

  describe('idempotency', () => {
    it('replays the first response for a repeated key and body, and creates one customer', async () => {
      const key = freshKey();
      const body = validCustomer({ idNumber: nextIdNumber() });
      const first = await post('/customers', 'admin', body, key);
      const again = await post('/customers', 'admin', body, key);
      expect(first.statusCode).toBe(201);
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers.location).toBe(first.headers.location);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const rows = await db.query('select 1 from customers where customer_id = $1', [json(first).customerId]);
      expect(rows.rows).toHaveLength(1);
    });

    it('refuses a reused key with a different body and names the differing fields', async () => {
      const key = freshKey();
      const body = validCustomer({ idNumber: nextIdNumber() });
      expect((await post('/customers', 'admin', body, key)).statusCode).toBe(201);
      const other = await post('/customers', 'admin', { ...body, phone: '13800000000', name: '赵六' }, key);
      expect(other.statusCode).toBe(422);
      expect(json(other).code).toBe('idempotency_key_reused');
      expect((json(other).errors as { path: string }[]).map((e) => e.path)).toEqual([
        '/body/name',
        '/body/phone',
      ]);
      expect(other.body).not.toContain('13800000000');
    });

    it('scopes keys per user', async () => {
      const key = freshKey();
      const a = await post('/customers', 'admin', validCustomer({ idNumber: nextIdNumber() }), key);
      const b = await post('/customers', 'risk_analyst', validCustomer({ idNumber: nextIdNumber() }), key);
      expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
      expect(json(a).customerId).not.toBe(json(b).customerId);
    });

    it('needs a key on every write', async () => {
      const res = await post('/customers', 'admin', validCustomer({ idNumber: nextIdNumber() }), null);
      expect(res.statusCode).toBe(400);
      expect(json(res).code).toBe('idempotency_key_missing');
    });

    it('gives concurrent duplicates one write and the same answer', async () => {
      const key = freshKey();
      const body = validCustomer({ idNumber: nextIdNumber() });
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => post('/customers', 'admin', body, key)),
      );
      for (const a of answers) expect(a.statusCode, a.body).toBe(201);
      const ids = new Set(answers.map((a) => json(a).customerId));
      expect(ids.size).toBe(1);
      const rows = await db.query('select 1 from customers where customer_id = $1', [[...ids][0]]);
      expect(rows.rows).toHaveLength(1);
    });
  });

  describe('pagination', () => {
    it('pages customers with a bounded limit and an opaque cursor', async () => {
      for (let i = 0; i < 3; i += 1) await createCustomer();
      const seen = new Set<string>();
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/customers?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`;
        const page = json(await get(url, 'finance'));
        const items = page.items as { customerId: string }[];
        expect(items.length).toBeLessThanOrEqual(2);
        for (const c of items) {
          expect(seen.has(c.customerId)).toBe(false);
          seen.add(c.customerId);
        }
        cursor = page.nextCursor as string | null;
        pages += 1;
      } while (cursor !== null && pages < 100);
      const total = (await db.query<{ n: number }>('select count(*)::int8 as n from customers')).rows[0]!.n;
      expect(seen.size).toBe(total);
      // The last page is known as last (no empty page follows it).
      expect(pages).toBe(Math.ceil(total / 2));
    });
  });

  describe('OpenAPI and docs', () => {
    it('serves a valid OpenAPI 3.1 document listing every route', async () => {
      const res = await api.app.inject({ method: 'GET', url: '/openapi.json' });
      const doc = res.json() as {
        openapi: string;
        paths: Record<string, Record<string, { security?: unknown }>>;
      };
      expect(doc.openapi).toBe('3.1.0');
      const result = await new Validator().validate(doc);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
      const routes = listRoutes(api.app).filter((r) => !r.hidden);
      expect(routes.length).toBeGreaterThanOrEqual(9);
      for (const r of routes) {
        const op = doc.paths[r.path]?.[r.method.toLowerCase()];
        expect(op, `${r.method} ${r.path}`).toBeDefined();
        if (r.path !== '/health') expect(op?.security, `${r.method} ${r.path}`).toBeDefined();
      }
    });

    it('documents every route in docs/api.md', () => {
      const text = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
      for (const r of listRoutes(api.app).filter((x) => !x.hidden))
        expect(text).toContain(`${r.method} ${r.path}`);
    });

    it('serves a docs page and its assets from this server', async () => {
      const page = await api.app.inject({ method: 'GET', url: '/docs/' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const scripts = [...page.body.matchAll(/src="\.\/([^"]+)"/g)].map((m) => m[1]!);
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) {
        const asset = await api.app.inject({ method: 'GET', url: `/docs/${script}` });
        expect(asset.statusCode, script).toBe(200);
      }
      expect(page.body).not.toMatch(/src="https?:/);
    });
  });
});
