import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ServerConfig } from '../../src/server/index.js';
import { buildServer } from '../../src/server/index.js';
import {
  type Db,
  generatePiiKey,
  insertToken,
  insertUser,
  PiiCipher,
  type Role,
} from '../../src/store/index.js';

export interface TestApi {
  app: FastifyInstance;
  db: Db;
  cipher: PiiCipher;
  /** One token per role, made directly in the store. */
  tokens: Record<Role, string>;
  userIds: Record<Role, string>;
}

export async function startApi(
  db: Db,
  config: Partial<ServerConfig> = {},
  clock?: () => Date,
): Promise<TestApi> {
  const cipher = new PiiCipher(generatePiiKey());
  const tokens = {} as Record<Role, string>;
  const userIds = {} as Record<Role, string>;
  for (const role of [
    'admin',
    'risk_analyst',
    'collector',
    'finance',
    'auditor',
    'compliance',
    'agency',
  ] as const) {
    const user = await insertUser(db, { username: `${role.replace('_', '-')}-1`, displayName: role, role });
    tokens[role] = (await insertToken(db, { userId: user.userId, label: 'test', expiresAt: null })).secret;
    userIds[role] = user.userId;
  }
  const app = await buildServer({ db, cipher, config, ...(clock === undefined ? {} : { clock }) });
  return { app, db, cipher, tokens, userIds };
}

let keySeq = 0;
export function freshKey(): string {
  keySeq += 1;
  return `test-${process.pid}-${Date.now()}-${keySeq}`;
}

export const auth = (token: string) => ({ authorization: `Bearer ${token}` });

export function json(res: LightMyRequestResponse): Record<string, unknown> {
  return res.json() as Record<string, unknown>;
}

/** A request to the API as `role`, with a fresh idempotency key and `payload` as the JSON body if given. */
export function callAs(
  api: TestApi,
  role: Role,
  method: string,
  url: string,
  payload?: unknown,
): Promise<LightMyRequestResponse> {
  return api.app.inject({
    method: method as 'GET',
    url,
    headers: { ...auth(api.tokens[role]), 'idempotency-key': freshKey() },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

/**
 * Closes the business day `date` with an EOD run started over the API as admin, polling it every 50 ms (at
 * most `polls` times) until it has succeeded.
 */
export async function closeDayOverApi(
  call: (role: Role, method: string, url: string, payload?: unknown) => Promise<LightMyRequestResponse>,
  date: string,
  polls = 200,
): Promise<void> {
  const started = await call('admin', 'POST', '/eod-runs', { businessDate: date });
  expect([200, 202], started.body).toContain(started.statusCode);
  const runId = json(started).runId as string;
  for (let i = 0; i < polls; i++) {
    const run = json(await call('admin', 'GET', `/eod-runs/${runId}`));
    if (run.status === 'succeeded') return;
    expect(run.status).toBe('running');
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`EOD run for ${date} did not finish`);
}

/** A request as a user of a role (callAs bound to an API). */
export type CallAsRole = (
  role: Role,
  method: string,
  url: string,
  payload?: unknown,
) => Promise<LightMyRequestResponse>;

/** The product most API tests draw on, `cash-12m` (12 equal instalments), created by a risk analyst. */
export async function createCash12mOverApi(call: CallAsRole): Promise<void> {
  const res = await call('risk_analyst', 'POST', '/products', { id: 'cash-12m', termCount: 12 });
  expect(res.statusCode, res.body).toBe(201);
}

/**
 * A new customer (ID number by `idSequence`) with a credit line of `limit` and one drawdown of `amount` on
 * `productId` (which must exist), over the API; each step is expected to succeed.
 */
export async function drawLoanOverApi(
  call: CallAsRole,
  idSequence: number,
  { limit = '20000.00', amount = '10000.00', productId = 'cash-12m' } = {},
): Promise<{ customerId: string; lineId: string; loanId: string }> {
  const c = await call('admin', 'POST', '/customers', validCustomer({ idNumber: idNumberFor(idSequence) }));
  expect(c.statusCode, c.body).toBe(201);
  const customerId = json(c).customerId as string;
  const l = await call('risk_analyst', 'POST', `/customers/${customerId}/credit-lines`, { limit });
  expect(l.statusCode, l.body).toBe(201);
  const lineId = json(l).lineId as string;
  const d = await call('admin', 'POST', `/credit-lines/${lineId}/drawdowns`, { amount, productId });
  expect(d.statusCode, d.body).toBe(201);
  return { customerId, lineId, loanId: json(d).loanId as string };
}

export const validCustomer = (overrides: Record<string, unknown> = {}) => ({
  name: '张三丰',
  idNumber: '11010519491231002X',
  phone: '13812345678',
  address: { province: '北京市', city: '北京市', detail: '朝阳区建国路 88 号' },
  contacts: [{ name: '李四', relation: 'friend', phone: '13900001111' }],
  declaredMonthlyIncome: '12000.50',
  ...overrides,
});

/** Valid ID numbers (checksums right) for creating several customers. */
export function idNumberFor(sequence: number): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const body = `44030519900101${String(sequence).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += weights[i]! * Number(body[i]);
  return body + '10X98765432'[sum % 11];
}
