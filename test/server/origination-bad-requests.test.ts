import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readShippedPolicy } from '../../src/server/origination/support.js';
import type { Db, Role } from '../../src/store/index.js';
import { backends, dumpTables, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import { auth, freshKey, startApi, type TestApi } from './helpers.js';
import { applicant, apply, invite, ok, patched, send } from './origination-helpers.js';

/** Bad requests on the origination routes: each a 4xx problem that says what to fix, and nothing written. */
interface BadRequest {
  name: string;
  method: 'GET' | 'POST';
  url: (f: Fixtures) => string;
  as?: Role;
  payload?: (f: Fixtures) => unknown;
  rawBody?: string;
  status: number;
  code: string;
  says: RegExp;
  path?: string;
  /** The one row the refusal leaves: an audit entry with this action (nothing else changes). */
  audits?: string;
}

interface Fixtures {
  decisionId: string;
  customerId: string;
  flagId: string;
  draft: string;
  published: string;
}

const UNKNOWN = (prefix: string) => `${prefix}_0192f3a4b5c6d7e8f9a0b1c2d3e4`;
const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();
const APPLY = () => '/applications';
const app = (patch: Record<string, unknown>) => () => patched(applicant(900), patch);

const cases: BadRequest[] = [
  // Malformed
  {
    name: 'application: malformed JSON',
    method: 'POST',
    url: APPLY,
    rawBody: '{"productId": "default",',
    status: 400,
    code: 'malformed_json',
    says: /not valid JSON/,
  },
  {
    name: 'application: an array instead of an object',
    method: 'POST',
    url: APPLY,
    payload: () => [applicant(900)],
    status: 400,
    code: 'validation_failed',
    says: /must be of type object/,
  },
  {
    name: 'application: applicationId sent by the client',
    method: 'POST',
    url: APPLY,
    payload: app({ applicationId: 'app-mine' }),
    status: 400,
    code: 'validation_failed',
    says: /set by the server/,
    path: '/body/applicationId',
  },
  // Wrong types and missing fields
  {
    name: 'application: requestedLimit as a number',
    method: 'POST',
    url: APPLY,
    payload: app({ requestedLimit: 30000 }),
    status: 400,
    code: 'validation_failed',
    says: /must be of type string/,
    path: '/body/requestedLimit',
  },
  {
    name: 'application: identity as a string',
    method: 'POST',
    url: APPLY,
    payload: app({ identity: '王小明' }),
    status: 400,
    code: 'validation_failed',
    says: /must be of type object/,
    path: '/body/identity',
  },
  {
    name: 'application: income missing',
    method: 'POST',
    url: APPLY,
    payload: () => {
      const { income: _drop, ...rest } = applicant(900);
      return rest;
    },
    status: 400,
    code: 'application_invalid',
    says: /income/,
    path: '/body/income',
  },
  {
    name: 'application: unknown field deep inside',
    method: 'POST',
    url: APPLY,
    payload: app({ employment: { salary: '1' } }),
    status: 400,
    code: 'application_invalid',
    says: /remove it/,
    path: '/body/employment/salary',
  },
  {
    name: 'application: unknown occupation',
    method: 'POST',
    url: APPLY,
    payload: app({ employment: { occupation: 'astronaut' } }),
    status: 400,
    code: 'application_invalid',
    says: /salaried/,
    path: '/body/employment/occupation',
  },
  {
    name: 'application: over-precise amount',
    method: 'POST',
    url: APPLY,
    payload: app({ monthlyExpenses: '4000.005' }),
    status: 400,
    code: 'application_invalid',
    says: /decimal|fen|0\.01/,
    path: '/body/monthlyExpenses',
  },
  {
    name: 'application: negative income evidence amount',
    method: 'POST',
    url: APPLY,
    payload: app({ income: { evidence: [{ kind: 'payslip', monthlyAmount: '-1.00' }] } }),
    status: 400,
    code: 'application_invalid',
    says: /negative|sign/,
    path: '/body/income/evidence/0/monthlyAmount',
  },
  {
    name: 'application: ID number with a wrong check character',
    method: 'POST',
    url: APPLY,
    payload: app({ identity: { idNumber: '440305199001010001' } }),
    status: 400,
    code: 'application_invalid',
    says: /check/,
    path: '/body/identity/idNumber',
  },
  {
    name: 'application: birth date not the one in the ID number',
    method: 'POST',
    url: APPLY,
    payload: app({ identity: { birthDate: '1991-01-01' } }),
    status: 400,
    code: 'application_invalid',
    says: /birth date/,
    path: '/body/identity/birthDate',
  },
  // Unknown ids
  {
    name: 'application: unknown customerId',
    method: 'POST',
    url: APPLY,
    payload: app({ customerId: UNKNOWN('cus') }),
    status: 404,
    code: 'customer_not_found',
    says: /no customer/,
    path: '/body/customerId',
  },
  {
    name: 'application: product without a policy in force',
    method: 'POST',
    url: APPLY,
    payload: app({ productId: 'no-such-product' }),
    status: 422,
    code: 'policy_not_published',
    says: /publish one/,
    path: '/body/productId',
  },
  {
    name: 'unknown application',
    method: 'GET',
    url: () => `/applications/${UNKNOWN('app')}`,
    as: 'auditor',
    status: 404,
    code: 'application_not_found',
    says: /no application/,
  },
  {
    name: 'unknown decision',
    method: 'GET',
    url: () => `/decisions/${UNKNOWN('dec')}`,
    as: 'auditor',
    status: 404,
    code: 'decision_not_found',
    says: /no decision/,
  },
  {
    name: 'explanation of an unknown decision',
    method: 'POST',
    url: () => `/decisions/${UNKNOWN('dec')}/explanation`,
    payload: () => ({ channel: 'app' }),
    status: 404,
    code: 'decision_not_found',
    says: /no decision/,
  },
  {
    name: 'unknown policy version',
    method: 'POST',
    url: () => '/policies/9999.1/approve',
    payload: () => ({}),
    status: 404,
    code: 'policy_not_found',
    says: /GET \/policies/,
  },
  {
    name: 'resolving an unknown flag',
    method: 'POST',
    url: () => `/review-queue/${UNKNOWN('flg')}/resolve`,
    payload: () => ({ resolution: 'cleared', note: 'x' }),
    status: 404,
    code: 'flag_not_found',
    says: /review-queue/,
  },
  {
    name: 're-assessing an unknown customer',
    method: 'POST',
    url: () => `/customers/${UNKNOWN('cus')}/reassessments`,
    payload: () => ({ bureau: {} }),
    status: 404,
    code: 'customer_not_found',
    says: /no customer/,
  },
  // Other field problems on the other routes
  {
    name: 'objection without a statement',
    method: 'POST',
    url: (f) => `/decisions/${f.decisionId}/objections`,
    payload: () => ({ channel: 'app' }),
    status: 400,
    code: 'validation_failed',
    says: /is required/,
    path: '/body/statement',
  },
  {
    name: 'flag resolution not in the list',
    method: 'POST',
    url: (f) => `/review-queue/${f.flagId}/resolve`,
    payload: () => ({ resolution: 'ignored', note: 'x' }),
    status: 400,
    code: 'validation_failed',
    says: /cleared, confirmed/,
    path: '/body/resolution',
  },
  {
    name: 'policy with a setting out of range',
    method: 'POST',
    url: () => '/policies',
    payload: () => {
      const p = readShippedPolicy();
      return { ...p, version: 'bad-1', settings: { ...p.settings, aprCap: '0.36' } };
    },
    status: 400,
    code: 'policy_invalid',
    says: /aprCap/,
  },
  {
    name: 'publishing a draft',
    method: 'POST',
    url: (f) => `/policies/${f.draft}/publish`,
    payload: () => ({}),
    status: 409,
    code: 'policy_status_conflict',
    says: /only a version that is approved can be published/,
  },
  {
    name: 'approving one’s own draft',
    method: 'POST',
    url: (f) => `/policies/${f.draft}/approve`,
    as: 'risk_analyst',
    payload: () => ({}),
    status: 403,
    code: 'approval_by_author',
    says: /another risk analyst or an admin/,
  },
  {
    name: 'invitation with an over-precise cap',
    method: 'POST',
    url: () => '/invitations',
    payload: () => ({
      idNumber: (applicant(900).identity as { idNumber: string }).idNumber,
      productIds: ['default'],
      limitCap: '100.001',
      expiresAt: inAYear(),
    }),
    status: 400,
    code: 'amount_invalid',
    says: /more than 2 decimal places/,
    path: '/body/limitCap',
  },
  {
    name: 'blacklist entry that never expires',
    method: 'POST',
    url: () => '/blacklist',
    payload: () => ({
      subject: 'phone',
      value: '13800000900',
      reason: 'fraud',
      source: 'internal-review',
      evidence: 'case 1',
      expiresAt: '2999-01-01T00:00:00Z',
    }),
    status: 400,
    code: 'date_out_of_range',
    says: /every entry ends/,
    path: '/body/expiresAt',
  },
  {
    name: 'blacklist entry with a malformed phone',
    method: 'POST',
    url: () => '/blacklist',
    payload: () => ({
      subject: 'phone',
      value: '12345',
      reason: 'fraud',
      source: 'internal-review',
      evidence: 'case 1',
      expiresAt: inAYear(),
    }),
    status: 400,
    code: 'validation_failed',
    says: /mobile number/,
    path: '/body/value',
  },
  {
    name: 're-assessment with an unknown field',
    method: 'POST',
    url: (f) => `/customers/${f.customerId}/reassessments`,
    payload: () => ({ salary: '1.00' }),
    status: 400,
    code: 'validation_failed',
    says: /not a known field/,
    path: '/body/salary',
  },
  {
    name: 're-assessment with an over-precise new debt',
    method: 'POST',
    url: (f) => `/customers/${f.customerId}/reassessments`,
    payload: () => ({ newDebts: [{ kind: 'consumer-loan', outstanding: '1.001', monthlyPayment: '1.00' }] }),
    status: 400,
    code: 'reassessment_invalid',
    says: /newDebts\/0\/outstanding/,
    path: '/body/newDebts/0/outstanding',
  },
  // Wrong role
  {
    name: 'application by a collector',
    method: 'POST',
    url: APPLY,
    as: 'collector',
    payload: () => applicant(900),
    status: 403,
    code: 'forbidden',
    says: /collector/,
  },
  {
    name: 'policy draft by an auditor',
    method: 'POST',
    url: () => '/policies',
    as: 'auditor',
    payload: () => ({}),
    status: 403,
    code: 'forbidden',
    says: /auditor/,
  },
  {
    name: 'review queue by finance',
    method: 'GET',
    url: () => '/review-queue',
    as: 'finance',
    status: 403,
    code: 'forbidden',
    says: /finance/,
  },
  {
    name: 'blacklist entry by an auditor',
    method: 'POST',
    url: () => '/blacklist',
    as: 'auditor',
    payload: () => ({}),
    status: 403,
    code: 'forbidden',
    says: /auditor/,
  },
  {
    name: 'unmasked application for an auditor',
    method: 'GET',
    url: () => `/applications/${UNKNOWN('app')}?unmask=true`,
    as: 'auditor',
    status: 403,
    code: 'pii_forbidden',
    says: /drop \?unmask=true/,
    audits: 'pii.unmask_refused',
  },
  {
    name: 'NUL in the application channel',
    method: 'POST',
    url: () => '/applications',
    payload: () => ({ ...applicant(990), channel: 'app\u0000' }),
    status: 400,
    code: 'validation_failed',
    says: /control character/,
    path: '/body/channel',
  },
  {
    name: 'NUL in a blacklist reason and evidence',
    method: 'POST',
    url: () => '/blacklist',
    payload: () => ({
      subject: 'phone',
      value: '13900000990',
      reason: 'fraud\u0000',
      source: 'internal-review',
      evidence: 'case\u0000 1',
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    }),
    status: 400,
    code: 'validation_failed',
    says: /\/body\/reason: holds a control character.*\/body\/evidence/,
  },
];

describe.each(backends)('bad origination requests on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  let fixtures: Fixtures;

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    await invite(api, 901);
    const approved = await apply(api, applicant(901));
    const declined = await apply(api, applicant(902));
    const shipped = readShippedPolicy();
    await ok(await send(api, 'risk_analyst', 'POST', '/policies', { ...shipped, version: 'draft-1' }));
    fixtures = {
      decisionId: declined.decisionId,
      customerId: approved.customerId!,
      flagId: declined.flags[0]!.flagId,
      draft: 'draft-1',
      published: shipped.version,
    };
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('has at least 20 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('$name → $status $code, database unchanged', async (c) => {
    const headers: Record<string, string> = { ...auth(api.tokens[c.as ?? 'admin']) };
    if (c.method !== 'GET') headers['idempotency-key'] = freshKey();
    if (c.rawBody !== undefined) headers['content-type'] = 'application/json';
    const before = await dumpTables(db);
    const payload = c.payload?.(fixtures);
    const res = await api.app.inject({
      method: c.method,
      url: c.url(fixtures),
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
