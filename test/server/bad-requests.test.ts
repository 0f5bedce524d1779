import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Role } from '../../src/store/index.js';
import { backends, dumpTables, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import { auth, freshKey, idNumberFor, startApi, type TestApi, validCustomer } from './helpers.js';

interface BadRequest {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  url: string | ((f: Fixtures) => string);
  /** Who calls: a role's token, a literal Authorization header, or nobody. */
  as?: Role | { authorization: string } | null;
  payload?: unknown;
  rawBody?: string;
  contentType?: string;
  idempotencyKey?: string | null | ((f: Fixtures) => string);
  status: number;
  code: string;
  /** The detail or a field message must say this: what is wrong and how to fix it. */
  says: RegExp;
  path?: string;
  /** The one row the refusal leaves: an audit entry with this action (nothing else changes). */
  audits?: string;
}

interface Fixtures {
  customerId: string;
  adminUserId: string;
  takenIdNumber: string;
  usedKey: string;
}

const body = (overrides: Record<string, unknown>) =>
  validCustomer({ idNumber: idNumberFor(900), ...overrides });
const withAddress = (address: Record<string, unknown>) => body({ address });
const INJECTION = "x' OR '1'='1'; DROP TABLE customers; --";

const cases: BadRequest[] = [
  // Malformed bodies
  {
    name: 'malformed JSON',
    method: 'POST',
    url: '/customers',
    rawBody: '{"name": "张三",',
    status: 400,
    code: 'malformed_json',
    says: /not valid JSON \(.*position|not valid JSON \(.*JSON/,
  },
  {
    name: 'empty JSON body',
    method: 'POST',
    url: '/customers',
    rawBody: '',
    status: 400,
    code: 'malformed_json',
    says: /empty/,
  },
  {
    name: 'array instead of object',
    method: 'POST',
    url: '/customers',
    payload: [body({})],
    status: 400,
    code: 'validation_failed',
    says: /must be of type object/,
  },
  {
    name: 'prototype pollution key',
    method: 'POST',
    url: '/customers',
    rawBody: '{"__proto__": {"admin": true}}',
    status: 400,
    code: 'malformed_json',
    says: /Remove that key/,
  },
  {
    name: 'prototype pollution key spelled with an escape',
    method: 'POST',
    url: '/customers',
    rawBody: '{"name": "x", "\\u005f_proto__": {"admin": true}}',
    status: 400,
    code: 'malformed_json',
    says: /Remove that key/,
  },
  {
    name: 'constructor key deep inside',
    method: 'POST',
    url: '/customers',
    rawBody: '{"address": {"detail": {"constructor": 1}}}',
    status: 400,
    code: 'malformed_json',
    says: /Remove that key/,
  },
  {
    name: 'not JSON content type',
    method: 'POST',
    url: '/customers',
    rawBody: 'name=x',
    contentType: 'text/plain',
    status: 415,
    code: 'unsupported_media_type',
    says: /application\/json/,
  },
  {
    name: 'oversized body',
    method: 'POST',
    url: '/customers',
    payload: body({ name: 'x'.repeat(70_000) }),
    status: 413,
    code: 'body_too_large',
    says: /larger than 65536 bytes/,
  },
  {
    name: 'unknown field',
    method: 'POST',
    url: '/customers',
    payload: body({ nickname: 'x' }),
    status: 400,
    code: 'validation_failed',
    says: /not a known field/,
    path: '/body/nickname',
  },
  {
    name: 'missing required field',
    method: 'POST',
    url: '/customers',
    payload: (() => {
      const b: Record<string, unknown> = body({});
      delete b.phone;
      return b;
    })(),
    status: 400,
    code: 'validation_failed',
    says: /is required/,
    path: '/body/phone',
  },
  // Wrong types
  {
    name: 'name is a number',
    method: 'POST',
    url: '/customers',
    payload: body({ name: 42 }),
    status: 400,
    code: 'validation_failed',
    says: /must be of type string/,
    path: '/body/name',
  },
  {
    name: 'phone is a number',
    method: 'POST',
    url: '/customers',
    payload: body({ phone: 13812345678 }),
    status: 400,
    code: 'validation_failed',
    says: /must be of type string/,
    path: '/body/phone',
  },
  {
    name: 'contacts is an object',
    method: 'POST',
    url: '/customers',
    payload: body({ contacts: { name: 'x' } }),
    status: 400,
    code: 'validation_failed',
    says: /must be of type array/,
    path: '/body/contacts',
  },
  {
    name: 'amount is a number',
    method: 'POST',
    url: '/customers',
    payload: body({ declaredMonthlyIncome: 1200 }),
    status: 400,
    code: 'validation_failed',
    says: /must be of type string/,
    path: '/body/declaredMonthlyIncome',
  },
  // Strings out of bounds
  {
    name: 'empty name',
    method: 'POST',
    url: '/customers',
    payload: body({ name: '' }),
    status: 400,
    code: 'validation_failed',
    says: /at least 1 characters/,
    path: '/body/name',
  },
  {
    name: 'blank name',
    method: 'POST',
    url: '/customers',
    payload: body({ name: '   ' }),
    status: 400,
    code: 'validation_failed',
    says: /wrong form/,
    path: '/body/name',
  },
  {
    name: 'name too long',
    method: 'POST',
    url: '/customers',
    payload: body({ name: '张'.repeat(65) }),
    status: 400,
    code: 'validation_failed',
    says: /at most 64 characters/,
    path: '/body/name',
  },
  {
    name: 'phone of wrong form',
    method: 'POST',
    url: '/customers',
    payload: body({ phone: '12345' }),
    status: 400,
    code: 'validation_failed',
    says: /wrong form/,
    path: '/body/phone',
  },
  {
    name: 'ID number too short',
    method: 'POST',
    url: '/customers',
    payload: body({ idNumber: '1101051949' }),
    status: 400,
    code: 'validation_failed',
    says: /at least 18 characters/,
    path: '/body/idNumber',
  },
  {
    name: 'ID number with letters',
    method: 'POST',
    url: '/customers',
    payload: body({ idNumber: '11010519491231ABCX' }),
    status: 400,
    code: 'validation_failed',
    says: /17 digits then a digit or X/,
    path: '/body/idNumber',
  },
  {
    name: 'ID number with wrong check character',
    method: 'POST',
    url: '/customers',
    payload: body({ idNumber: '110105194912310021' }),
    status: 400,
    code: 'validation_failed',
    says: /check character/,
    path: '/body/idNumber',
  },
  // Dates out of range
  {
    name: 'ID number born in the future',
    method: 'POST',
    url: '/customers',
    payload: body({ idNumber: '110105209912310011' }),
    status: 400,
    code: 'validation_failed',
    says: /outside 1900-01-01 to/,
    path: '/body/idNumber',
  },
  {
    name: 'ID number born before 1900',
    method: 'POST',
    url: '/customers',
    payload: body({ idNumber: '110105189912310011' }),
    status: 400,
    code: 'validation_failed',
    says: /outside 1900-01-01/,
    path: '/body/idNumber',
  },
  {
    name: 'ID number with 31 February',
    method: 'POST',
    url: '/customers',
    payload: body({ idNumber: '110105199902310011' }),
    status: 400,
    code: 'validation_failed',
    says: /not a calendar date/,
    path: '/body/idNumber',
  },
  // Nested objects
  {
    name: 'address without detail',
    method: 'POST',
    url: '/customers',
    payload: withAddress({ province: '广东省', city: '深圳市' }),
    status: 400,
    code: 'validation_failed',
    says: /is required/,
    path: '/body/address/detail',
  },
  {
    name: 'address with extra field',
    method: 'POST',
    url: '/customers',
    payload: withAddress({ province: '广东省', city: '深圳市', detail: 'x', zip: '518000' }),
    status: 400,
    code: 'validation_failed',
    says: /not a known field/,
    path: '/body/address/zip',
  },
  {
    name: 'too many contacts',
    method: 'POST',
    url: '/customers',
    payload: body({
      contacts: Array.from({ length: 6 }, () => ({ name: '李四', relation: 'friend', phone: '13900001111' })),
    }),
    status: 400,
    code: 'validation_failed',
    says: /at most 5 items/,
    path: '/body/contacts',
  },
  {
    name: 'contact relation unknown',
    method: 'POST',
    url: '/customers',
    payload: body({ contacts: [{ name: '李四', relation: 'boss', phone: '13900001111' }] }),
    status: 400,
    code: 'validation_failed',
    says: /must be one of: spouse/,
    path: '/body/contacts/0/relation',
  },
  {
    name: 'contact phone of wrong form',
    method: 'POST',
    url: '/customers',
    payload: body({ contacts: [{ name: '李四', relation: 'friend', phone: '0755-1234' }] }),
    status: 400,
    code: 'validation_failed',
    says: /wrong form/,
    path: '/body/contacts/0/phone',
  },
  // Amounts
  {
    name: 'negative amount',
    method: 'POST',
    url: '/customers',
    payload: body({ declaredMonthlyIncome: '-100.00' }),
    status: 400,
    code: 'amount_invalid',
    says: /must not be negative/,
    path: '/body/declaredMonthlyIncome',
  },
  {
    name: 'over-precise amount',
    method: 'POST',
    url: '/customers',
    payload: body({ declaredMonthlyIncome: '100.005' }),
    status: 400,
    code: 'amount_invalid',
    says: /more than 2 decimal places/,
    path: '/body/declaredMonthlyIncome',
  },
  {
    name: 'amount in exponent notation',
    method: 'POST',
    url: '/customers',
    payload: body({ declaredMonthlyIncome: '1e6' }),
    status: 400,
    code: 'amount_invalid',
    says: /exponent/,
    path: '/body/declaredMonthlyIncome',
  },
  {
    name: 'huge amount',
    method: 'POST',
    url: '/customers',
    payload: body({ declaredMonthlyIncome: '99999999999999999999.99' }),
    status: 400,
    code: 'amount_invalid',
    says: /above the maximum 1000000000\.00/,
    path: '/body/declaredMonthlyIncome',
  },
  {
    name: 'amount with thousands separator',
    method: 'POST',
    url: '/customers',
    payload: body({ declaredMonthlyIncome: '12,000.00' }),
    status: 400,
    code: 'amount_invalid',
    says: /like "1234.56"/,
    path: '/body/declaredMonthlyIncome',
  },
  {
    name: 'amount with spaces',
    method: 'POST',
    url: '/customers',
    payload: body({ declaredMonthlyIncome: ' 12.00' }),
    status: 400,
    code: 'amount_invalid',
    says: /decimal string/,
    path: '/body/declaredMonthlyIncome',
  },
  // Injection strings where they do not belong
  {
    name: 'injection in customer id',
    method: 'GET',
    url: `/customers/${encodeURIComponent(INJECTION)}`,
    status: 400,
    code: 'validation_failed',
    says: /wrong form/,
    path: '/path/customerId',
  },
  {
    name: 'injection in phone filter',
    method: 'GET',
    url: `/customers?phone=${encodeURIComponent(INJECTION)}`,
    status: 400,
    code: 'validation_failed',
    says: /wrong form/,
    path: '/query/phone',
  },
  {
    name: 'injection in external reference',
    method: 'POST',
    url: '/customers',
    payload: body({ externalRef: INJECTION }),
    status: 400,
    code: 'validation_failed',
    says: /wrong form/,
    path: '/body/externalRef',
  },
  {
    name: 'injection in audit action filter',
    as: 'auditor',
    method: 'GET',
    url: `/audit-log?action=${encodeURIComponent(INJECTION)}`,
    status: 400,
    code: 'validation_failed',
    says: /wrong form/,
    path: '/query/action',
  },
  {
    name: 'injection in username',
    as: 'admin',
    method: 'POST',
    url: '/users',
    payload: { username: INJECTION, displayName: 'x', role: 'admin' },
    status: 400,
    code: 'validation_failed',
    says: /wrong form/,
    path: '/body/username',
  },
  // Query parameters
  {
    name: 'limit zero',
    method: 'GET',
    url: '/customers?limit=0',
    status: 400,
    code: 'validation_failed',
    says: /at least 1/,
    path: '/query/limit',
  },
  {
    name: 'limit above the page bound',
    method: 'GET',
    url: '/customers?limit=201',
    status: 400,
    code: 'validation_failed',
    says: /at most 200/,
    path: '/query/limit',
  },
  {
    name: 'limit not a number',
    method: 'GET',
    url: '/customers?limit=ten',
    status: 400,
    code: 'validation_failed',
    says: /must be of type integer/,
    path: '/query/limit',
  },
  {
    name: 'made-up cursor',
    method: 'GET',
    url: '/customers?cursor=bm90LWEtY3Vyc29y',
    status: 400,
    code: 'cursor_invalid',
    says: /nextCursor from the previous page/,
    path: '/query/cursor',
  },
  {
    name: 'unknown query parameter',
    method: 'GET',
    url: '/customers?sort=name',
    status: 400,
    code: 'validation_failed',
    says: /not a known field/,
    path: '/query/sort',
  },
  {
    name: 'unmask not a boolean',
    method: 'GET',
    url: (f) => `/customers/${f.customerId}?unmask=perhaps`,
    status: 400,
    code: 'validation_failed',
    says: /must be of type boolean/,
    path: '/query/unmask',
  },
  // Unknown ids
  {
    name: 'unknown customer',
    method: 'GET',
    url: '/customers/cus_00000000000000000000000000ff',
    status: 404,
    code: 'customer_not_found',
    says: /GET \/customers/,
  },
  {
    name: 'token for an unknown user',
    method: 'POST',
    url: '/users/usr_00000000000000000000000000ff/tokens',
    as: 'admin',
    payload: { label: 'x' },
    status: 404,
    code: 'user_not_found',
    says: /GET \/users/,
  },
  {
    name: 'revoke an unknown token',
    method: 'DELETE',
    url: (f) => `/users/${f.adminUserId}/tokens/tok_00000000000000000000000000ff`,
    as: 'admin',
    status: 404,
    code: 'token_not_found',
    says: /has no token/,
  },
  {
    name: 'unknown route',
    method: 'POST',
    url: '/loans/abc/explode',
    status: 404,
    code: 'route_not_found',
    says: /see \/docs/,
  },
  // Users and tokens
  {
    name: 'unknown role',
    method: 'POST',
    url: '/users',
    as: 'admin',
    payload: { username: 'new-user', displayName: 'x', role: 'superuser' },
    status: 400,
    code: 'validation_failed',
    says: /must be one of: admin/,
    path: '/body/role',
  },
  {
    name: 'token lifetime zero',
    method: 'POST',
    url: (f) => `/users/${f.adminUserId}/tokens`,
    as: 'admin',
    payload: { label: 'x', expiresInDays: 0 },
    status: 400,
    code: 'validation_failed',
    says: /at least 1/,
    path: '/body/expiresInDays',
  },
  {
    name: 'token lifetime too long',
    method: 'POST',
    url: (f) => `/users/${f.adminUserId}/tokens`,
    as: 'admin',
    payload: { label: 'x', expiresInDays: 5000 },
    status: 400,
    code: 'validation_failed',
    says: /at most 366/,
    path: '/body/expiresInDays',
  },
  {
    name: 'username taken',
    method: 'POST',
    url: '/users',
    as: 'admin',
    payload: { username: 'admin-1', displayName: 'x', role: 'admin' },
    status: 409,
    code: 'username_taken',
    says: /choose another/,
    path: '/body/username',
  },
  // Conflicts
  {
    name: 'duplicate ID number',
    method: 'POST',
    url: '/customers',
    payload: null as unknown as undefined,
    status: 409,
    code: 'customer_exists',
    says: /use that customer/,
    path: '/body/idNumber',
  },
  {
    name: 'idempotency key reused with another body',
    as: 'admin',
    method: 'POST',
    url: '/customers',
    payload: body({ idNumber: idNumberFor(901) }),
    idempotencyKey: (f) => f.usedKey,
    status: 422,
    code: 'idempotency_key_reused',
    says: /use a new key/,
    path: '/body/idNumber',
  },
  // Idempotency header
  {
    name: 'missing Idempotency-Key',
    method: 'POST',
    url: '/customers',
    payload: body({}),
    idempotencyKey: null,
    status: 400,
    code: 'idempotency_key_missing',
    says: /Idempotency-Key/,
    path: '/header/idempotency-key',
  },
  {
    name: 'Idempotency-Key with spaces',
    method: 'POST',
    url: '/customers',
    payload: body({}),
    idempotencyKey: 'my key',
    status: 400,
    code: 'idempotency_key_invalid',
    says: /a UUID will do/,
  },
  {
    name: 'Idempotency-Key too long',
    method: 'POST',
    url: '/customers',
    payload: body({}),
    idempotencyKey: 'k'.repeat(129),
    status: 400,
    code: 'idempotency_key_invalid',
    says: /1 to 128 characters/,
  },
  // Missing or wrong role
  {
    name: 'no token',
    method: 'POST',
    url: '/customers',
    as: null,
    payload: body({}),
    status: 401,
    code: 'unauthenticated',
    says: /Authorization: Bearer/,
  },
  {
    name: 'unknown token',
    method: 'GET',
    url: '/customers',
    as: { authorization: 'Bearer lgt_forged' },
    status: 401,
    code: 'unauthenticated',
    says: /ask an admin/,
  },
  {
    name: 'finance creating a customer',
    method: 'POST',
    url: '/customers',
    as: 'finance',
    payload: body({}),
    status: 403,
    code: 'forbidden',
    says: /needs admin, risk_analyst/,
  },
  {
    name: 'collector reading the audit log',
    method: 'GET',
    url: '/audit-log',
    as: 'collector',
    status: 403,
    code: 'forbidden',
    says: /needs admin, auditor/,
  },
  {
    name: 'risk analyst creating a user',
    method: 'POST',
    url: '/users',
    as: 'risk_analyst',
    payload: { username: 'sneaky', displayName: 'x', role: 'admin' },
    status: 403,
    code: 'forbidden',
    says: /needs admin/,
  },
  {
    name: 'auditor unmasking personal data',
    method: 'GET',
    url: (f) => `/customers/${f.customerId}?unmask=true`,
    as: 'auditor',
    status: 403,
    code: 'pii_forbidden',
    says: /drop \?unmask=true/,
    audits: 'pii.unmask_refused',
  },
  // Control characters, anywhere in any string field, are refused at the edge
  {
    name: 'NUL in a customer name',
    method: 'POST',
    url: '/customers',
    payload: body({ name: '张\u0000三' }),
    status: 400,
    code: 'validation_failed',
    says: /control character/,
    path: '/body/name',
  },
  {
    name: 'NUL in an address province',
    method: 'POST',
    url: '/customers',
    payload: withAddress({ province: '北京\u0000', city: '北京市', detail: 'x 路 1 号' }),
    status: 400,
    code: 'validation_failed',
    says: /control character/,
    path: '/body/address/province',
  },
  {
    name: 'escape character in an address city',
    method: 'POST',
    url: '/customers',
    payload: withAddress({ province: '北京市', city: '北京\u001b[31m', detail: 'x 路 1 号' }),
    status: 400,
    code: 'validation_failed',
    says: /control character/,
    path: '/body/address/city',
  },
  {
    name: 'NUL in a user display name',
    as: 'admin',
    method: 'POST',
    url: '/users',
    payload: { username: 'nul-user', displayName: 'a\u0000b', role: 'collector' },
    status: 400,
    code: 'validation_failed',
    says: /control character/,
    path: '/body/displayName',
  },
  {
    name: 'NUL in a query parameter',
    method: 'GET',
    url: '/audit-log?action=a%00b',
    as: 'auditor',
    status: 400,
    code: 'validation_failed',
    says: /control character/,
    path: '/query/action',
  },
  // Depth and bodies where none belongs
  {
    name: 'body nested 5,000 levels deep',
    method: 'POST',
    url: '/customers',
    rawBody: `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
    status: 400,
    code: 'body_too_deep',
    says: /more than 32 levels/,
    path: '/body',
  },
  {
    name: 'body nested 40 levels in arrays',
    method: 'POST',
    url: '/customers',
    rawBody: `{"name":${'['.repeat(40)}${']'.repeat(40)}}`,
    status: 400,
    code: 'body_too_deep',
    says: /more than 32 levels/,
  },
  {
    name: 'a body sent to a route that takes none (revoke a token)',
    method: 'DELETE',
    url: (f) => `/users/${f.adminUserId}/tokens/tok_00000000000000000000000000ff`,
    as: 'admin',
    payload: { reason: 'x'.repeat(1_000) },
    status: 400,
    code: 'validation_failed',
    says: /takes no body/,
    path: '/body',
  },
];

describe.each(backends)('bad requests on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  let fixtures: Fixtures;

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    const takenIdNumber = idNumberFor(902);
    const usedKey = freshKey();
    const created = await api.app.inject({
      method: 'POST',
      url: '/customers',
      headers: { ...auth(api.tokens.admin), 'idempotency-key': usedKey },
      payload: validCustomer({ idNumber: takenIdNumber }),
    });
    expect(created.statusCode, created.body).toBe(201);
    fixtures = {
      customerId: (created.json() as { customerId: string }).customerId,
      adminUserId: api.userIds.admin,
      takenIdNumber,
      usedKey,
    };
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('$name → $status $code, database unchanged', async (c) => {
    const payload =
      c.name === 'duplicate ID number' ? validCustomer({ idNumber: fixtures.takenIdNumber }) : c.payload;
    const as = c.as === undefined ? 'risk_analyst' : c.as;
    const headers: Record<string, string> = {};
    if (typeof as === 'string') Object.assign(headers, auth(api.tokens[as]));
    else if (as !== null) Object.assign(headers, as);
    const key = typeof c.idempotencyKey === 'function' ? c.idempotencyKey(fixtures) : c.idempotencyKey;
    if (key !== null && c.method !== 'GET') headers['idempotency-key'] = key ?? freshKey();
    if (c.rawBody !== undefined) headers['content-type'] = c.contentType ?? 'application/json';
    const before = await dumpTables(db);
    const res = await api.app.inject({
      method: c.method,
      url: typeof c.url === 'function' ? c.url(fixtures) : c.url,
      headers,
      ...(c.rawBody !== undefined
        ? { payload: c.rawBody }
        : payload !== undefined
          ? { payload: payload as object }
          : {}),
    });
    expectProblem(res, c);
    const after = await dumpTables(db);
    if (c.audits !== undefined) {
      const added = (after.audit_log ?? []).slice((before.audit_log ?? []).length) as { action: string }[];
      expect(added.map((row) => row.action)).toEqual([c.audits]);
      after.audit_log = before.audit_log ?? [];
    }
    expect(after).toEqual(before);
  });
});
