import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Role } from '../../src/store/index.js';
import { auth, freshKey, idNumberFor, type TestApi } from './helpers.js';

/**
 * A distinct applicant for each `n`: ID number (born 1990-01-01), phone, device, IP, SIM, contacts and install
 * source all derived from `n`, so that no two applicants share anything unless a test makes them.
 */
export function applicant(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const digits = String(n).padStart(8, '0');
  return {
    productId: 'default',
    requestedLimit: '30000.00',
    channel: 'app',
    identity: {
      name: '王小明',
      idNumber: idNumberFor(n),
      phone: `138${digits}`,
      birthDate: '1990-01-01',
    },
    address: { province: '北京市', city: '北京市', detail: `朝阳区建国路 ${n} 号` },
    contacts: [
      { name: '王大明', relation: 'parent', phone: `137${digits}` },
      { name: '李华', relation: 'spouse', phone: `136${digits}` },
    ],
    maritalStatus: 'married',
    housing: 'owner',
    dependants: 1,
    employment: {
      occupation: 'salaried',
      industry: 'information-technology',
      employer: '某科技有限公司',
      monthsInRole: 62,
    },
    income: {
      declaredMonthly: '15000.00',
      evidence: [{ kind: 'payslip', monthlyAmount: '14800.00', documentRef: `doc-${n}` }],
    },
    monthlyExpenses: '4000.00',
    assets: [
      { kind: 'property', value: '1200000.00' },
      { kind: 'deposit', value: '80000.00' },
    ],
    debts: [{ kind: 'mortgage', outstanding: '600000.00', monthlyPayment: '4200.00' }],
    bureau: {
      outstandingBalance: '600000.00',
      lenders3m: 0,
      lenders6m: 1,
      lenders12m: 1,
      worstDaysPastDue: 0,
      overdueMonths24m: 0,
      historyMonths: 96,
    },
    device: {
      deviceId: `dev-${digits}`,
      ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
      sim: `898600${digits}000000`,
      installSource: `store-${n}`,
      capturedAt: new Date().toISOString(),
    },
    ...overrides,
  };
}

/** Deep-merges `patch` into `base` (objects merged, everything else replaced). */
export function patched(
  base: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const b = out[k];
    out[k] =
      v !== null &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      b !== null &&
      typeof b === 'object' &&
      !Array.isArray(b)
        ? patched(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

export async function send(
  api: TestApi,
  role: Role,
  method: 'GET' | 'POST',
  url: string,
  payload?: object,
  key: string = freshKey(),
): Promise<LightMyRequestResponse> {
  return api.app.inject({
    method,
    url,
    headers: { ...auth(api.tokens[role]), ...(method === 'POST' ? { 'idempotency-key': key } : {}) },
    ...(payload === undefined ? {} : { payload }),
  });
}

export async function ok(res: LightMyRequestResponse, status = 201): Promise<Record<string, unknown>> {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as Record<string, unknown>;
}

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

/** Invites applicant `n` for the default product through any channel. */
export async function invite(api: TestApi, n: number, overrides: Record<string, unknown> = {}) {
  return ok(
    await send(api, 'risk_analyst', 'POST', '/invitations', {
      idNumber: idNumberFor(n),
      productIds: ['default'],
      limitCap: '50000.00',
      expiresAt: inAYear(),
      ...overrides,
    }),
  );
}

export interface DecisionBody {
  decisionId: string;
  applicationId: string;
  outcome: 'approve' | 'decline' | 'refer';
  limit: string;
  lineId: string | null;
  customerId: string | null;
  reasons: { source: string; code: string; message: string }[];
  flags: {
    flagId: string;
    kind: string;
    severity: string;
    summary: string;
    evidence: Record<string, unknown>;
  }[];
  blacklistHits: { entryId: string; explanation: string }[];
  policy: { version: string };
  intact: boolean;
}

export async function apply(api: TestApi, body: Record<string, unknown>, role: Role = 'risk_analyst') {
  return (await ok(await send(api, role, 'POST', '/applications', body))) as unknown as DecisionBody;
}
