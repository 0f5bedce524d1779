import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/server/http/roles.js';
import { readShippedPolicy } from '../../src/server/origination/support.js';
import { type Db, ROLES, type Role } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { freshKey, json, startApi, type TestApi } from './helpers.js';
import { applicant, apply, type DecisionBody, invite, ok, patched, send } from './origination-helpers.js';

const BUSINESS = {
  name: '小明餐馆',
  industry: 'catering',
  plan: {
    purpose: 'a second kitchen',
    projectedMonthlyRevenue: '90000.00',
    projectedMonthlyCosts: '70000.00',
    monthsToBreakEven: 0,
  },
  statements: {
    periodMonths: 12,
    monthlyRevenue: '80000.00',
    monthlyCosts: '60000.00',
    monthlyOperatingCashFlow: '18000.00',
    cashBalance: '150000.00',
    monthlyDebtService: '3000.00',
    monthsTrading: 48,
  },
};

const businessOwner = (n: number, business: Record<string, unknown>) =>
  patched(applicant(n), {
    requestedLimit: '80000.00',
    employment: { occupation: 'business-owner', industry: 'catering', monthsInRole: 48 },
    income: {
      declaredMonthly: '20000.00',
      evidence: [{ kind: 'bank-statement', monthlyAmount: '18000.00' }],
    },
    business,
  });

/** A copy of the shipped policy under another version label, with settings changed. */
function policyVersion(version: string, settings: Record<string, unknown> = {}) {
  const shipped = readShippedPolicy();
  return { ...shipped, version, settings: patched(shipped.settings as never, settings) };
}

async function publish(api: TestApi, version: string, settings: Record<string, unknown> = {}) {
  await ok(await send(api, 'risk_analyst', 'POST', '/policies', policyVersion(version, settings)));
  await ok(await send(api, 'admin', 'POST', `/policies/${version}/approve`, {}), 200);
  await ok(await send(api, 'risk_analyst', 'POST', `/policies/${version}/publish`, {}), 200);
}

describe.each(backends)('origination over HTTP on $name', (backend) => {
  let db: Db;
  let api: TestApi;

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  const linesOf = async (customerId: string) =>
    (await db.query('select line_id, limit_minor from credit_lines where customer_id = $1', [customerId]))
      .rows;

  describe('roles', () => {
    const probes: { permission: keyof typeof PERMISSIONS; method: 'GET' | 'POST'; url: string }[] = [
      { permission: 'applications.create', method: 'POST', url: '/applications' },
      { permission: 'decisions.requests', method: 'GET', url: '/decision-requests' },
      { permission: 'policies.draft', method: 'POST', url: '/policies' },
      { permission: 'policies.read', method: 'GET', url: '/policies' },
      { permission: 'review.read', method: 'GET', url: '/review-queue' },
      { permission: 'invitations.manage', method: 'POST', url: '/invitations' },
      { permission: 'invitations.read', method: 'GET', url: '/invitations' },
      { permission: 'blacklist.manage', method: 'POST', url: '/blacklist' },
      { permission: 'blacklist.read', method: 'GET', url: '/blacklist' },
    ];
    it.each(probes)('$method $url is open exactly to the roles of $permission', async (probe) => {
      for (const role of ROLES) {
        // Empty bodies: an allowed role is refused for the body (4xx other than 403), and nothing is written.
        const res = await send(api, role, probe.method, probe.url, probe.method === 'POST' ? {} : undefined);
        if ((PERMISSIONS[probe.permission] as readonly Role[]).includes(role)) {
          expect(res.statusCode, `${role}: ${res.body}`).not.toBe(403);
        } else {
          expect(res.statusCode, role).toBe(403);
          expect(json(res).code).toBe('forbidden');
        }
      }
    });
  });

  describe('representative applicants', () => {
    it('approves an invited salaried applicant and opens one line at the decided limit', async () => {
      const invitation = await invite(api, 101);
      const d = await apply(api, applicant(101));
      expect(d.outcome).toBe('approve');
      expect(d.flags).toEqual([]);
      expect(d.intact).toBe(true);
      expect(d.reasons.map((r) => r.source)).toContain('cutoff');
      expect(d.reasons.map((r) => r.source)).toContain('score');
      const line = json(await send(api, 'auditor', 'GET', `/credit-lines/${d.lineId}`));
      expect(line.limit).toBe(d.limit);
      expect(line.customerId).toBe(d.customerId);
      expect(await linesOf(d.customerId!)).toHaveLength(1);
      const inv = json(await send(api, 'auditor', 'GET', '/invitations?status=used'));
      expect((inv.items as { invitationId: string }[]).map((i) => i.invitationId)).toContain(
        invitation.invitationId,
      );
      // The stored record is the one answered, and still matches its hash.
      const again = json(await send(api, 'auditor', 'GET', `/decisions/${d.decisionId}`));
      expect(again.contentHash).toBe((d as unknown as { contentHash: string }).contentHash);
      expect(again.intact).toBe(true);
      expect(again.lineId).toBe(d.lineId);
    });

    it('decides a freelancer in the self-employed segment with the income cap named', async () => {
      await invite(api, 102);
      const d = await apply(
        api,
        patched(applicant(102), {
          employment: { occupation: 'freelancer', industry: 'design', monthsInRole: 30 },
          income: {
            declaredMonthly: '6000.00',
            evidence: [{ kind: 'bank-statement', monthlyAmount: '5000.00' }],
          },
        }),
      );
      const cutoff = d.reasons.find((r) => r.source === 'cutoff');
      expect(cutoff?.message).toMatch(/self-employed/);
      if (d.outcome === 'approve') {
        // Four times the verified 5,000 yuan a month at most.
        expect(Number(d.limit)).toBeLessThanOrEqual(20000);
        expect(d.reasons.map((r) => r.code)).toContain('CAP_INCOME_MULTIPLE');
      }
    });

    it('lends to a business owner with plan and statements, and refers one without them', async () => {
      await invite(api, 103, { limitCap: '100000.00' });
      await invite(api, 104, { limitCap: '100000.00' });
      const withStatements = await apply(api, businessOwner(103, BUSINESS));
      const without = await apply(api, businessOwner(104, { name: '小明餐馆', industry: 'catering' }));
      expect(withStatements.outcome).toBe('approve');
      expect(withStatements.reasons.map((r) => r.code)).not.toContain('REF_BUSINESS_DOCUMENTS');
      expect(without.outcome).not.toBe('approve');
      expect(without.lineId).toBeNull();
      const documents = without.reasons.find((r) => r.code === 'REF_BUSINESS_DOCUMENTS');
      expect(documents?.message).toMatch(/business plan and financial statements/);
    });

    it('declines a blacklisted applicant with the entry explained, and not once the entry is ended', async () => {
      await invite(api, 105);
      const entry = await ok(
        await send(api, 'risk_analyst', 'POST', '/blacklist', {
          subject: 'id-number',
          value: (applicant(105).identity as { idNumber: string }).idNumber,
          reason: 'loan fraud confirmed',
          source: 'internal-review',
          evidence: 'case 2026-114',
          expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
        }),
      );
      expect(entry.value).toMatch(/^440\*+\d{3}[0-9X]$/);
      const d = await apply(api, applicant(105));
      expect(d.outcome).toBe('decline');
      expect(d.lineId).toBeNull();
      expect(d.blacklistHits.map((h) => h.entryId)).toEqual([entry.entryId]);
      expect(d.blacklistHits[0]!.explanation.length).toBeGreaterThan(10);
      await ok(await send(api, 'risk_analyst', 'POST', `/blacklist/${entry.entryId}/expire`, {}), 200);
      const after = await apply(api, applicant(105));
      expect(after.blacklistHits).toEqual([]);
      expect(after.outcome).toBe('approve');
    });

    it('masks the application unless an allowed role asks, and audits the unmasked read', async () => {
      await invite(api, 106);
      const d = await apply(api, applicant(106));
      const masked = json(await send(api, 'auditor', 'GET', `/applications/${d.applicationId}`));
      expect(masked.masked).toBe(true);
      const app = masked.application as Record<string, Record<string, string>>;
      expect(app.identity!.idNumber).toMatch(/^440\*+/);
      expect(app.identity!.name).toBe('王**');
      expect(app.address!.detail).toBeUndefined();
      expect(app.device!.deviceId).toContain('*');
      expect(JSON.stringify(masked)).not.toContain('13800000106');
      const denied = await send(api, 'auditor', 'GET', `/applications/${d.applicationId}?unmask=true`);
      expect(denied.statusCode).toBe(403);
      expect(json(denied).code).toBe('pii_forbidden');
      const plain = json(
        await send(api, 'risk_analyst', 'GET', `/applications/${d.applicationId}?unmask=true`),
      );
      expect((plain.application as Record<string, Record<string, string>>).identity!.phone).toBe(
        '13800000106',
      );
      const audit = await db.query<{ action: string }>(
        "select action from audit_log where resource_id = $1 and action = 'application.read_pii'",
        [d.applicationId],
      );
      expect(audit.rows).toHaveLength(1);
      // Personal data is not stored in the clear.
      const raw = await db.query<{ body_enc: string }>(
        'select body_enc from applications where application_id = $1',
        [d.applicationId],
      );
      expect(raw.rows[0]!.body_enc).not.toContain('13800000106');
    });

    it('keeps decisions immutable in the database', async () => {
      await expect(db.query("update decisions set outcome = 'approve'")).rejects.toThrow(/append-only/);
      await expect(db.query('delete from decisions')).rejects.toThrow(/append-only/);
    });
  });

  describe('强开 patterns go to the review queue with their evidence', () => {
    beforeAll(async () => {
      // Small thresholds so that each pattern needs a handful of applications.
      await publish(api, 'fraud-test', {
        fraud: { sharedIpApplicantsMax: 2, burstApplicationsMax: 3 },
      });
    });

    const flagged = async (d: DecisionBody, kind: string) => {
      const flag = d.flags.find((f) => f.kind === kind);
      expect(flag, `${kind} in ${JSON.stringify(d.flags)}`).toBeDefined();
      expect(d.outcome).not.toBe('approve');
      const queue = json(await send(api, 'auditor', 'GET', `/review-queue?kind=${kind}&limit=200`));
      const item = (queue.items as { flagId: string; applicationId: string; evidence: object }[]).find(
        (f) => f.flagId === flag!.flagId,
      );
      expect(item?.applicationId).toBe(d.applicationId);
      expect(Object.keys(item!.evidence).length).toBeGreaterThan(0);
      return flag!;
    };

    it('an application outside any invitation', async () => {
      await flagged(await apply(api, applicant(201)), 'outside-invitation');
    });

    it('an application outside the invitation terms', async () => {
      await invite(api, 202, { channels: ['h5'] });
      await flagged(await apply(api, applicant(202)), 'outside-invitation-terms');
    });

    for (const [kind, field, others] of [
      ['shared-device', 'deviceId', 3],
      ['shared-ip', 'ip', 3],
      ['shared-sim', 'sim', 2],
    ] as const) {
      it(`a ${field} shared across many applicants`, async () => {
        const base = kind === 'shared-device' ? 210 : kind === 'shared-ip' ? 220 : 230;
        const shared = { device: { [field]: `shared-${kind}` } };
        for (let i = 1; i <= others; i++) await apply(api, patched(applicant(base + i), shared));
        await invite(api, base);
        const flag = await flagged(await apply(api, patched(applicant(base), shared)), kind);
        expect(JSON.stringify(flag.evidence)).toMatch(new RegExp(String(others)));
      });
    }

    it('a burst of applications from one source', async () => {
      const source = { device: { installSource: 'partner:burst' } };
      for (let i = 1; i <= 3; i++) await apply(api, patched(applicant(240 + i), source));
      await flagged(await apply(api, patched(applicant(240), source)), 'burst-from-source');
    });

    it('the same contact numbers named by many applicants', async () => {
      const contacts = { contacts: [{ name: '赵六', relation: 'friend', phone: '13512345678' }] };
      for (let i = 1; i <= 4; i++) await apply(api, patched(applicant(250 + i), contacts));
      await flagged(await apply(api, patched(applicant(250), contacts)), 'shared-contact-numbers');
    });

    it('answers altered between retries', async () => {
      await apply(api, applicant(260));
      const retry = await apply(api, patched(applicant(260), { income: { declaredMonthly: '45000.00' } }));
      const flag = await flagged(retry, 'altered-between-retries');
      expect(JSON.stringify(flag.evidence)).toMatch(/declaredMonthlyIncome/);
    });

    it('velocity above the limit', async () => {
      for (let i = 0; i < 3; i++) await apply(api, applicant(270));
      await flagged(await apply(api, applicant(270)), 'velocity');
    });

    it('resolves a flag once, with who, when and a note', async () => {
      const d = await apply(api, applicant(280));
      const flagId = d.flags[0]!.flagId;
      const resolved = await ok(
        await send(api, 'risk_analyst', 'POST', `/review-queue/${flagId}/resolve`, {
          resolution: 'confirmed',
          note: 'no invitation was ever issued',
        }),
        200,
      );
      expect(resolved).toMatchObject({
        status: 'resolved',
        resolution: 'confirmed',
        resolvedBy: api.userIds.risk_analyst,
      });
      const again = await send(api, 'admin', 'POST', `/review-queue/${flagId}/resolve`, {
        resolution: 'cleared',
        note: 'x',
      });
      expect(again.statusCode).toBe(409);
      expect(json(again).code).toBe('flag_resolved');
      const open = json(await send(api, 'auditor', 'GET', '/review-queue?limit=200'));
      expect((open.items as { flagId: string }[]).map((f) => f.flagId)).not.toContain(flagId);
    });
  });

  describe('policy versions: maker-checker, publish, roll back', () => {
    it('refuses approval by the author and publication before approval', async () => {
      await ok(await send(api, 'risk_analyst', 'POST', '/policies', policyVersion('mc-1')));
      const early = await send(api, 'risk_analyst', 'POST', '/policies/mc-1/publish', {});
      expect(early.statusCode).toBe(409);
      expect(json(early).code).toBe('policy_status_conflict');
      const own = await send(api, 'risk_analyst', 'POST', '/policies/mc-1/approve', {});
      expect(own.statusCode).toBe(403);
      expect(json(own).code).toBe('approval_by_author');
      const status = json(await send(api, 'auditor', 'GET', '/policies/mc-1'));
      expect(status.status).toBe('draft');
      const dup = await send(api, 'admin', 'POST', '/policies', policyVersion('mc-1'));
      expect(json(dup).code).toBe('policy_version_exists');
    });

    it('decides under the published version, and a roll back restores the previous version', async () => {
      await publish(api, 'rb-1');
      await invite(api, 301);
      const first = await apply(api, applicant(301));
      expect(first.policy.version).toBe('rb-1');
      expect(first.limit).toBe('30000.00');

      await publish(api, 'rb-2', { limitMax_fen: 1_000_000 });
      await invite(api, 302);
      const second = await apply(api, applicant(302));
      expect(second.policy.version).toBe('rb-2');
      expect(second.limit).toBe('10000.00');

      const rolled = await ok(
        await send(api, 'admin', 'POST', '/policies/rb-2/rollback', { note: 'limits too low' }),
        200,
      );
      expect(rolled).toMatchObject({ version: 'rb-1', status: 'published' });
      await invite(api, 303);
      const third = await apply(api, applicant(303));
      expect(third.policy.version).toBe('rb-1');
      expect(third.limit).toBe(first.limit);

      const rb2 = json(await send(api, 'auditor', 'GET', '/policies/rb-2'));
      expect(rb2.status).toBe('retired');
      expect(rb2.rolledBackAt).not.toBeNull();
      expect((rb2.trail as { action: string }[]).map((t) => t.action)).toEqual([
        'draft',
        'approve',
        'publish',
        'rollback',
      ]);
      expect(rb2.approvedBy).toBe(api.userIds.admin);
      expect(rb2.createdBy).toBe(api.userIds.risk_analyst);
    });
  });

  describe('idempotency', () => {
    it('opens exactly one credit line under a repeated Idempotency-Key, also when sent at once', async () => {
      for (const [n, parallel] of [
        [401, false],
        [402, true],
      ] as const) {
        await invite(api, n);
        const key = freshKey();
        const body = applicant(n);
        const answers = parallel
          ? await Promise.all(
              [1, 2, 3, 4].map(() => send(api, 'risk_analyst', 'POST', '/applications', body, key)),
            )
          : [
              await send(api, 'risk_analyst', 'POST', '/applications', body, key),
              await send(api, 'risk_analyst', 'POST', '/applications', body, key),
            ];
        for (const a of answers) expect(a.statusCode, a.body).toBe(201);
        const decisions = new Set(answers.map((a) => json(a).decisionId));
        expect(decisions.size).toBe(1);
        expect(answers.some((a) => a.headers['idempotent-replayed'] === 'true')).toBe(true);
        const customerId = json(answers[0]!).customerId as string;
        expect(await linesOf(customerId)).toHaveLength(1);
        const apps = await db.query('select 1 from applications where customer_id = $1', [customerId]);
        expect(apps.rows).toHaveLength(1);
      }
    });

    it('a used key replays or is refused as reused even where the request itself would be refused first', async () => {
      const key = freshKey();
      const body = applicant(403);
      const first = await ok(await send(api, 'risk_analyst', 'POST', '/applications', body, key));
      // Refused for its shape (a server-set field) before any transaction: the key's reuse is what is named.
      const reused = await send(
        api,
        'risk_analyst',
        'POST',
        '/applications',
        { ...body, applicationId: 'x' },
        key,
      );
      expect(reused.statusCode, reused.body).toBe(422);
      expect(json(reused).code).toBe('idempotency_key_reused');
      // Another applicant under the same key: found in the transaction, refused as reused, nothing written.
      const before = await db.query('select count(*)::int as n from applications');
      const other = await send(api, 'risk_analyst', 'POST', '/applications', applicant(404), key);
      expect(json(other).code).toBe('idempotency_key_reused');
      expect((await db.query('select count(*)::int as n from applications')).rows).toEqual(before.rows);
      // The same request again: the first answer.
      const again = await send(api, 'risk_analyst', 'POST', '/applications', body, key);
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(json(again).decisionId).toBe(first.decisionId);
    });
  });

  describe('explanations and objections (PIPL Art. 24)', () => {
    it('records an explanation request with a draft from the record, and answers it once', async () => {
      const d = await apply(api, applicant(501));
      const req = await ok(
        await send(api, 'risk_analyst', 'POST', `/decisions/${d.decisionId}/explanation`, { channel: 'app' }),
      );
      expect(req.status).toBe('open');
      expect(req.draftExplanation).toMatch(/decline|refer/);
      expect(req.draftExplanation).toMatch(/object/);
      const answered = await ok(
        await send(api, 'risk_analyst', 'POST', `/decision-requests/${req.requestId}/answer`, {
          answer: String(req.draftExplanation),
        }),
        200,
      );
      expect(answered).toMatchObject({ status: 'answered', answeredBy: api.userIds.risk_analyst });
      const twice = await send(api, 'admin', 'POST', `/decision-requests/${req.requestId}/answer`, {
        answer: 'x',
      });
      expect(json(twice).code).toBe('request_answered');
    });

    it('records an objection and answers it with a result', async () => {
      const d = await apply(api, applicant(502));
      const objection = await ok(
        await send(api, 'admin', 'POST', `/decisions/${d.decisionId}/objections`, {
          channel: 'phone',
          statement: '我有邀请码，请人工复核',
        }),
      );
      const noResult = await send(api, 'admin', 'POST', `/decision-requests/${objection.requestId}/answer`, {
        answer: 'reviewed',
      });
      expect(json(noResult).code).toBe('validation_failed');
      const answered = await ok(
        await send(api, 'risk_analyst', 'POST', `/decision-requests/${objection.requestId}/answer`, {
          answer: 'An analyst reviewed the application: no invitation was issued to you.',
          objectionResult: 'upheld',
        }),
        200,
      );
      expect(answered.objectionResult).toBe('upheld');
      const list = json(await send(api, 'admin', 'GET', `/decision-requests?decisionId=${d.decisionId}`));
      expect((list.items as { statement: string }[])[0]!.statement).toBe('我有邀请码，请人工复核');
    });
  });

  describe('re-assessment', () => {
    it('gives a new limit and price with reasons from new facts, and records it', async () => {
      await invite(api, 601);
      const d = await apply(api, applicant(601));
      expect(d.outcome).toBe('approve');
      const debt = await ok(
        await send(api, 'risk_analyst', 'POST', `/customers/${d.customerId}/reassessments`, {
          newDebts: [{ kind: 'consumer-loan', outstanding: '200000.00', monthlyPayment: '9000.00' }],
          income: { declaredMonthly: '9000.00', evidence: [{ kind: 'payslip', monthlyAmount: '9000.00' }] },
        }),
      );
      const codes = (debt.reasons as { code: string }[]).map((r) => r.code);
      expect(codes).toContain('CHANGE_NEW_DEBT');
      expect(codes).toContain('CHANGE_INCOME');
      expect(debt.previousLimit).toBe(d.limit);
      expect(Number(debt.limit)).toBeLessThanOrEqual(Number(d.limit));
      expect(debt.intact).toBe(true);
      const list = json(await send(api, 'auditor', 'GET', `/customers/${d.customerId}/reassessments`));
      expect((list.items as { reassessmentId: string }[]).map((r) => r.reassessmentId)).toEqual([
        debt.reassessmentId,
      ]);
      // The line itself is left as it was: monitoring decides what to apply.
      expect(json(await send(api, 'auditor', 'GET', `/credit-lines/${d.lineId}`)).limit).toBe(d.limit);
    });
  });
});
