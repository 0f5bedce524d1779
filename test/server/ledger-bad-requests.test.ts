import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import { type Db, type Role, setBusinessDay } from '../../src/store/index.js';
import { backends, dumpTables, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import { auth, freshKey, idNumberFor, json, startApi, type TestApi, validCustomer } from './helpers.js';

/** Bad requests on the ledger routes: each a 4xx problem that says what to fix, and nothing written. */
interface BadRequest {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  url: (f: Fixtures) => string;
  as?: Role | { authorization: string } | null;
  payload?: unknown;
  rawBody?: string;
  contentType?: string;
  idempotencyKey?: string | null;
  status: number;
  code: string;
  says: RegExp;
  path?: string;
}

interface Fixtures {
  customerId: string;
  lineId: string;
  loanId: string;
  frozenLineId: string;
}

const BUSINESS_DAY = '2026-06-15';
const INJECTION = "x' OR '1'='1'; DROP TABLE loans; --";
const UNKNOWN_LOAN = 'ln_0192f3a4b5c6d7e8f9a0b1c2d3e4';
const UNKNOWN_LINE = 'cl_0192f3a4b5c6d7e8f9a0b1c2d3e4';
const repay = (f: Fixtures) => `/loans/${f.loanId}/repayments`;
const draw = (f: Fixtures) => `/credit-lines/${f.lineId}/drawdowns`;

const cases: BadRequest[] = [
  // Malformed bodies
  {
    name: 'repayment: malformed JSON',
    method: 'POST',
    url: repay,
    as: 'collector',
    rawBody: '{"amount": "1.00",',
    status: 400,
    code: 'malformed_json',
    says: /not valid JSON/,
  },
  {
    name: 'repayment: empty body',
    method: 'POST',
    url: repay,
    as: 'collector',
    rawBody: '',
    status: 400,
    code: 'malformed_json',
    says: /empty/,
  },
  {
    name: 'repayment: array body',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: [{ amount: '1.00' }],
    status: 400,
    code: 'validation_failed',
    says: /must be of type object/,
  },
  {
    name: 'repayment: text/plain body',
    method: 'POST',
    url: repay,
    as: 'collector',
    rawBody: 'amount=1',
    contentType: 'text/plain',
    status: 415,
    code: 'unsupported_media_type',
    says: /application\/json/,
  },
  {
    name: 'repayment: __proto__ key',
    method: 'POST',
    url: repay,
    as: 'collector',
    rawBody: '{"amount":"1.00","__proto__":{"x":1}}',
    status: 400,
    code: 'malformed_json',
    says: /Remove that key|__proto__|proto/,
  },
  {
    name: 'drawdown: oversized body',
    method: 'POST',
    url: draw,
    as: 'admin',
    payload: { amount: '1.00', productId: 'cash-6m', pad: 'x'.repeat(70_000) },
    status: 413,
    code: 'body_too_large',
    says: /larger than \d+ bytes/,
  },
  // Wrong types and missing fields
  {
    name: 'repayment: amount as number',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: 100 },
    status: 400,
    code: 'validation_failed',
    says: /must be of type string/,
    path: '/body/amount',
  },
  {
    name: 'repayment: amount missing',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: {},
    status: 400,
    code: 'validation_failed',
    says: /is required/,
    path: '/body/amount',
  },
  {
    name: 'repayment: unknown field',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: '1.00', currency: 'USD' },
    status: 400,
    code: 'validation_failed',
    says: /not a known field/,
    path: '/body/currency',
  },
  {
    name: 'repayment: excess not in enum',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: '1.00', excess: 'refund' },
    status: 400,
    code: 'validation_failed',
    says: /prepay, credit/,
    path: '/body/excess',
  },
  {
    name: 'waiver: component principal',
    method: 'POST',
    url: (f) => `/loans/${f.loanId}/waivers`,
    as: 'risk_analyst',
    payload: { amount: '1.00', component: 'principal' },
    status: 400,
    code: 'validation_failed',
    says: /penalty, interest, fee/,
    path: '/body/component',
  },
  {
    name: 'drawdown: productVersion as string',
    method: 'POST',
    url: draw,
    as: 'admin',
    payload: { amount: '1.00', productId: 'cash-6m', productVersion: '1' },
    status: 400,
    code: 'validation_failed',
    says: /must be of type integer/,
    path: '/body/productVersion',
  },
  {
    name: 'line: limit as boolean',
    method: 'POST',
    url: (f) => `/customers/${f.customerId}/credit-lines`,
    as: 'risk_analyst',
    payload: { limit: true },
    status: 400,
    code: 'validation_failed',
    says: /must be of type string/,
    path: '/body/limit',
  },
  {
    name: 'product: not an object document',
    method: 'POST',
    url: () => '/products',
    as: 'risk_analyst',
    payload: { id: 'p-bad', termCount: 'twelve' },
    status: 400,
    code: 'product_invalid',
    says: /termCount/,
    path: '/body/termCount',
  },
  {
    name: 'product: unknown field',
    method: 'POST',
    url: () => '/products',
    as: 'risk_analyst',
    payload: { id: 'p-bad', colour: 'red' },
    status: 400,
    code: 'product_invalid',
    says: /colour/,
  },
  {
    name: 'product: id with spaces',
    method: 'POST',
    url: () => '/products',
    as: 'risk_analyst',
    payload: { id: 'bad id' },
    status: 400,
    code: 'validation_failed',
    says: /wrong form/,
    path: '/body/id',
  },
  // Amounts
  {
    name: 'repayment: negative amount',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: '-5.00' },
    status: 400,
    code: 'amount_invalid',
    says: /must not be negative/,
    path: '/body/amount',
  },
  {
    name: 'repayment: zero amount',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: '0.00' },
    status: 400,
    code: 'amount_invalid',
    says: /above 0\.00/,
    path: '/body/amount',
  },
  {
    name: 'repayment: three decimals',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: '1.005' },
    status: 400,
    code: 'amount_invalid',
    says: /more than 2 decimal/,
    path: '/body/amount',
  },
  {
    name: 'repayment: exponent',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: '1e3' },
    status: 400,
    code: 'amount_invalid',
    says: /exponent/,
    path: '/body/amount',
  },
  {
    name: 'repayment: huge amount',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: '99999999999999999999.00' },
    status: 400,
    code: 'amount_invalid',
    says: /above the maximum/,
    path: '/body/amount',
  },
  {
    name: 'repayment: amount with spaces',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: ' 10.00' },
    status: 400,
    code: 'amount_invalid',
    says: /decimal string/,
    path: '/body/amount',
  },
  {
    name: 'drawdown: above available',
    method: 'POST',
    url: draw,
    as: 'admin',
    payload: { amount: '50000.00', productId: 'cash-6m' },
    status: 422,
    code: 'limit_exceeded',
    says: /available 4000\.00/,
    path: '/body/amount',
  },
  {
    name: 'drawdown: one fen over available',
    method: 'POST',
    url: draw,
    as: 'admin',
    payload: { amount: '4000.01', productId: 'cash-6m' },
    status: 422,
    code: 'limit_exceeded',
    says: /draw at most 4000\.00/,
  },
  {
    name: 'line: negative limit',
    method: 'PATCH',
    url: (f) => `/credit-lines/${f.lineId}`,
    as: 'risk_analyst',
    payload: { limit: '-1.00' },
    status: 400,
    code: 'amount_invalid',
    says: /negative/,
    path: '/body/limit',
  },
  {
    name: 'waiver: more than owed',
    method: 'POST',
    url: (f) => `/loans/${f.loanId}/waivers`,
    as: 'risk_analyst',
    payload: { amount: '999.00', component: 'penalty' },
    status: 422,
    code: 'ledger_refused',
    says: /waive at most/,
    path: '/body/amount',
  },
  // Unknown ids
  {
    name: 'loan: an id that is no loan id says so in words',
    method: 'GET',
    url: () => '/loans/not-a-loan',
    as: 'collector',
    status: 400,
    code: 'validation_failed',
    says: /no such loan \(loan ids are a short prefix/,
    path: '/path/loanId',
  },
  {
    name: 'repayment: a negative amount must be positive',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: '-100.00' },
    status: 400,
    code: 'amount_invalid',
    says: /must be positive/,
    path: '/body/amount',
  },
  {
    name: 'repayment: NUL in the amount',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: '1\u0000' },
    status: 400,
    code: 'validation_failed',
    says: /control character/,
    path: '/body/amount',
  },
  {
    name: 'repayment: unknown loan',
    method: 'POST',
    url: () => `/loans/${UNKNOWN_LOAN}/repayments`,
    as: 'collector',
    payload: { amount: '1.00' },
    status: 404,
    code: 'loan_not_found',
    says: /GET \/loans/,
  },
  {
    name: 'loan: malformed id',
    method: 'GET',
    url: () => '/loans/12345',
    as: 'collector',
    status: 400,
    code: 'validation_failed',
    says: /wrong form/,
    path: '/path/loanId',
  },
  {
    name: 'drawdown: unknown line',
    method: 'POST',
    url: () => `/credit-lines/${UNKNOWN_LINE}/drawdowns`,
    as: 'admin',
    payload: { amount: '1.00', productId: 'cash-6m' },
    status: 404,
    code: 'line_not_found',
    says: /GET \/credit-lines/,
  },
  {
    name: 'drawdown: unknown product',
    method: 'POST',
    url: draw,
    as: 'admin',
    payload: { amount: '1.00', productId: 'no-such-product' },
    status: 404,
    code: 'product_not_found',
    says: /GET \/products/,
    path: '/body/productId',
  },
  {
    name: 'drawdown: unknown product version',
    method: 'POST',
    url: draw,
    as: 'admin',
    payload: { amount: '1.00', productId: 'cash-6m', productVersion: 99 },
    status: 404,
    code: 'product_not_found',
    says: /GET \/products/,
  },
  {
    name: 'line: unknown customer',
    method: 'POST',
    url: () => '/customers/cus_0192f3a4b5c6d7e8f9a0b1c2d3e4/credit-lines',
    as: 'risk_analyst',
    payload: { limit: '100.00' },
    status: 404,
    code: 'customer_not_found',
    says: /GET \/customers/,
  },
  {
    name: 'schedule: unknown loan',
    method: 'GET',
    url: () => `/loans/${UNKNOWN_LOAN}/schedule`,
    as: 'collector',
    status: 404,
    code: 'loan_not_found',
    says: /GET \/loans/,
  },
  {
    name: 'product: unknown id',
    method: 'GET',
    url: () => '/products/none-such',
    as: 'auditor',
    status: 404,
    code: 'product_not_found',
    says: /GET \/products/,
  },
  // Dates
  {
    name: 'repayment: future effective date',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: '1.00', effectiveDate: '2026-06-16' },
    status: 400,
    code: 'date_out_of_range',
    says: /on or before 2026-06-15/,
    path: '/body/effectiveDate',
  },
  {
    name: 'repayment: backdated beyond bound',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: '1.00', effectiveDate: '2026-01-01' },
    status: 400,
    code: 'date_out_of_range',
    says: /more than 90 days/,
    path: '/body/effectiveDate',
  },
  {
    name: 'repayment: date that does not exist',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: '1.00', effectiveDate: '2026-02-30' },
    status: 400,
    code: 'validation_failed',
    says: /does not exist/,
    path: '/body/effectiveDate',
  },
  {
    name: 'repayment: date in wrong form',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: '1.00', effectiveDate: '15/06/2026' },
    status: 400,
    code: 'validation_failed',
    says: /wrong form/,
    path: '/body/effectiveDate',
  },
  {
    name: 'repayment: before the loan began',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: '1.00', effectiveDate: '2026-05-01' },
    status: 422,
    code: 'ledger_refused',
    says: /drawdown day|before loan/,
  },
  {
    name: 'loan: asOf not yet closed',
    method: 'GET',
    url: (f) => `/loans/${f.loanId}?asOf=2027-01-01`,
    as: 'auditor',
    status: 400,
    code: 'date_out_of_range',
    says: /end-of-day step through/,
    path: '/query/asOf',
  },
  {
    name: 'loan: asOf year 9999',
    method: 'GET',
    url: (f) => `/loans/${f.loanId}?asOf=9999-01-01`,
    as: 'auditor',
    status: 400,
    code: 'validation_failed',
    says: /outside 1900-01-01/,
  },
  {
    name: 'postings: from after to',
    method: 'GET',
    url: () => '/postings?from=2026-06-10&to=2026-06-01',
    as: 'finance',
    status: 400,
    code: 'date_out_of_range',
    says: /swap them/,
  },
  {
    name: 'payoff quote: before drawdown',
    method: 'GET',
    url: (f) => `/loans/${f.loanId}/payoff-quote?date=2026-01-01`,
    as: 'collector',
    status: 400,
    code: 'date_out_of_range',
    says: /after the drawdown day/,
  },
  {
    name: 'trial balance: month 13',
    method: 'GET',
    url: () => '/trial-balance?date=2026-13-01',
    as: 'finance',
    status: 400,
    code: 'validation_failed',
    says: /months run 01 to 12/,
  },
  // Injection strings
  {
    name: 'loans: injection in customerId filter',
    method: 'GET',
    url: () => `/loans?customerId=${encodeURIComponent(INJECTION)}`,
    as: 'auditor',
    status: 400,
    code: 'validation_failed',
    says: /wrong form/,
    path: '/query/customerId',
  },
  {
    name: 'drawdown: injection in productId',
    method: 'POST',
    url: draw,
    as: 'admin',
    payload: { amount: '1.00', productId: INJECTION },
    status: 400,
    code: 'validation_failed',
    says: /wrong form/,
    path: '/body/productId',
  },
  {
    name: 'repayment: injection in amount',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: INJECTION },
    status: 400,
    code: 'validation_failed',
    says: /at most 24 characters/,
  },
  {
    name: 'postings: made-up cursor',
    method: 'GET',
    url: () => "/postings?cursor=' OR 1=1 --",
    as: 'finance',
    status: 400,
    code: 'cursor_invalid',
    says: /nextCursor/,
  },
  // Line state
  {
    name: 'drawdown: frozen line',
    method: 'POST',
    url: (f) => `/credit-lines/${f.frozenLineId}/drawdowns`,
    as: 'admin',
    payload: { amount: '1.00', productId: 'cash-6m' },
    status: 409,
    code: 'line_frozen',
    says: /frozen.*until an operator unfreezes it/,
  },
  {
    name: 'freeze: already frozen',
    method: 'POST',
    url: (f) => `/credit-lines/${f.frozenLineId}/freeze`,
    as: 'risk_analyst',
    payload: {},
    status: 409,
    code: 'line_status_conflict',
    says: /already frozen/,
  },
  {
    name: 'unfreeze: not frozen',
    method: 'POST',
    url: (f) => `/credit-lines/${f.lineId}/unfreeze`,
    as: 'risk_analyst',
    payload: {},
    status: 409,
    code: 'line_status_conflict',
    says: /not frozen/,
  },
  // Roles and tokens
  {
    name: 'repayment: no token',
    method: 'POST',
    url: repay,
    as: null,
    payload: { amount: '1.00' },
    status: 401,
    code: 'unauthenticated',
    says: /Bearer/,
  },
  {
    name: 'repayment: made-up token',
    method: 'POST',
    url: repay,
    as: { authorization: 'Bearer lgt_madeup' },
    payload: { amount: '1.00' },
    status: 401,
    code: 'unauthenticated',
    says: /token/,
  },
  {
    name: 'repayment by an auditor',
    method: 'POST',
    url: repay,
    as: 'auditor',
    payload: { amount: '1.00' },
    status: 403,
    code: 'forbidden',
    says: /auditor/,
  },
  {
    name: 'repayment by a risk analyst',
    method: 'POST',
    url: repay,
    as: 'risk_analyst',
    payload: { amount: '1.00' },
    status: 403,
    code: 'forbidden',
    says: /risk_analyst/,
  },
  {
    name: 'drawdown by a collector',
    method: 'POST',
    url: draw,
    as: 'collector',
    payload: { amount: '1.00', productId: 'cash-6m' },
    status: 403,
    code: 'forbidden',
    says: /collector/,
  },
  {
    name: 'product by finance',
    method: 'POST',
    url: () => '/products',
    as: 'finance',
    payload: { id: 'p-x' },
    status: 403,
    code: 'forbidden',
    says: /finance/,
  },
  {
    name: 'postings by a collector',
    method: 'GET',
    url: () => '/postings',
    as: 'collector',
    status: 403,
    code: 'forbidden',
    says: /collector/,
  },
  {
    name: 'trial balance by a risk analyst',
    method: 'GET',
    url: () => '/trial-balance',
    as: 'risk_analyst',
    status: 403,
    code: 'forbidden',
    says: /risk_analyst/,
  },
  {
    name: 'limit change by a collector',
    method: 'PATCH',
    url: (f) => `/credit-lines/${f.lineId}`,
    as: 'collector',
    payload: { limit: '1.00' },
    status: 403,
    code: 'forbidden',
    says: /collector/,
  },
  // Idempotency header
  {
    name: 'repayment: no Idempotency-Key',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: '1.00' },
    idempotencyKey: null,
    status: 400,
    code: 'idempotency_key_missing',
    says: /Idempotency-Key/,
  },
  {
    name: 'repayment: Idempotency-Key with spaces',
    method: 'POST',
    url: repay,
    as: 'collector',
    payload: { amount: '1.00' },
    idempotencyKey: 'a key with spaces',
    status: 400,
    code: 'idempotency_key_invalid',
    says: /UUID/,
  },
  // Pagination
  {
    name: 'loans: limit above the maximum',
    method: 'GET',
    url: () => '/loans?limit=5000',
    as: 'auditor',
    status: 400,
    code: 'validation_failed',
    says: /at most 200/,
    path: '/query/limit',
  },
  {
    name: 'events: limit zero',
    method: 'GET',
    url: (f) => `/loans/${f.loanId}/events?limit=0`,
    as: 'auditor',
    status: 400,
    code: 'validation_failed',
    says: /at least 1/,
  },
];

describe.each(backends)('bad ledger requests on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  let fixtures: Fixtures;

  async function post(role: Role, url: string, payload: object) {
    const res = await api.app.inject({
      method: 'POST',
      url,
      headers: { ...auth(api.tokens[role]), 'idempotency-key': freshKey() },
      payload,
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return json(res);
  }

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    await setBusinessDay(db, parseDate('2026-06-01'));
    const customerId = (await post('admin', '/customers', validCustomer({ idNumber: idNumberFor(7) })))
      .customerId as string;
    await post('risk_analyst', '/products', { id: 'cash-6m', termCount: 6 });
    const lineId = (
      await post('risk_analyst', `/customers/${customerId}/credit-lines`, { limit: '10000.00' })
    ).lineId as string;
    const loanId = (
      await post('admin', `/credit-lines/${lineId}/drawdowns`, { amount: '6000.00', productId: 'cash-6m' })
    ).loanId as string;
    const frozenLineId = (
      await post('risk_analyst', `/customers/${customerId}/credit-lines`, { limit: '500.00' })
    ).lineId as string;
    await post('risk_analyst', `/credit-lines/${frozenLineId}/freeze`, { reason: 'review' });
    await setBusinessDay(db, parseDate(BUSINESS_DAY));
    fixtures = { customerId, lineId, loanId, frozenLineId };
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('$name → $status $code, database unchanged', async (c) => {
    const as = c.as === undefined ? 'admin' : c.as;
    const headers: Record<string, string> = {};
    if (typeof as === 'string') Object.assign(headers, auth(api.tokens[as]));
    else if (as !== null) Object.assign(headers, as);
    if (c.idempotencyKey !== null && c.method !== 'GET')
      headers['idempotency-key'] = c.idempotencyKey ?? freshKey();
    if (c.rawBody !== undefined) headers['content-type'] = c.contentType ?? 'application/json';
    const before = await dumpTables(db);
    const res = await api.app.inject({
      method: c.method,
      url: c.url(fixtures),
      headers,
      ...(c.rawBody !== undefined
        ? { payload: c.rawBody }
        : c.payload !== undefined
          ? { payload: c.payload as object }
          : {}),
    });
    expectProblem(res, c);
    expect(await dumpTables(db)).toEqual(before);
  });
});
