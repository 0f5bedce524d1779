import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readShippedPolicy } from '../../src/server/origination/support.js';
import type { Db, Role } from '../../src/store/index.js';
import { backends, dumpTables, openMigrated } from '../store/backends.js';
import { type ExpectedProblem, expectProblem } from './expect-problem.js';
import { freshKey, json, startApi, type TestApi } from './helpers.js';
import { applicant, apply, type DecisionBody, invite, ok, patched, send } from './origination-helpers.js';

/** A business owner without plan and statements: the shipped policy refers them (REF_BUSINESS_DOCUMENTS). */
const businessOwner = (n: number) =>
  patched(applicant(n), {
    requestedLimit: '80000.00',
    employment: { occupation: 'business-owner', industry: 'catering', monthsInRole: 48 },
    income: {
      declaredMonthly: '20000.00',
      evidence: [{ kind: 'bank-statement', monthlyAmount: '18000.00' }],
    },
    business: { name: '小明餐馆', industry: 'catering' },
  });

const REQUESTED_FEN = 8_000_000;
const INVITATION_CAP_FEN = 10_000_000;
const yuan = (fen: number) => (fen / 100).toFixed(2);

interface ReviewedBody extends DecisionBody {
  supersedes: string | null;
  supersededBy: string | null;
  decidedBy: string | null;
  dailyRate: string | null;
  record: {
    review: {
      limitCap_fen: number;
      caps: { code: string; cap_fen: number }[];
      automated: { decisionId: string };
    };
    derived: { verifiedMonthlyIncome_fen: number };
  };
}

describe.each(backends)('a person decides a referred or objected-to application on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  let seq = 600;

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  const linesOfApplication = async (applicationId: string) =>
    (
      await db.query(
        `select l.line_id, l.limit_minor from credit_lines l
           join applications a on a.customer_id = l.customer_id where a.application_id = $1`,
        [applicationId],
      )
    ).rows;

  /** A fresh referred application (invited, cap 100,000 yuan). */
  async function referred(): Promise<DecisionBody> {
    const n = seq++;
    await invite(api, n, { limitCap: yuan(INVITATION_CAP_FEN) });
    const d = await apply(api, businessOwner(n));
    expect(d.outcome, JSON.stringify(d.reasons)).toBe('refer');
    expect(d.reasons.map((r) => r.code)).toContain('REF_BUSINESS_DOCUMENTS');
    return d;
  }

  /** A fresh invited applicant declined by a knock-out rule (120 days past due). */
  async function declined(): Promise<DecisionBody> {
    const n = seq++;
    await invite(api, n);
    const d = await apply(api, patched(applicant(n), { bureau: { worstDaysPastDue: 120 } }));
    expect(d.outcome, JSON.stringify(d.reasons)).toBe('decline');
    return d;
  }

  /** The cap the automated decision held to, from its record and the shipped policy. */
  async function capOf(decisionId: string): Promise<number> {
    const d = json(await send(api, 'auditor', 'GET', `/decisions/${decisionId}`)) as unknown as ReviewedBody;
    const settings = readShippedPolicy().settings;
    return Math.min(
      Math.floor(settings.incomeMultipleMax * d.record.derived.verifiedMonthlyIncome_fen),
      settings.limitMax_fen,
      REQUESTED_FEN,
      INVITATION_CAP_FEN,
    );
  }

  const review = (decisionId: string, body: object, role: Role = 'risk_analyst', key = freshKey()) =>
    send(api, role, 'POST', `/decisions/${decisionId}/review`, body, key);

  /** A refusal: the expected problem, and not a row changed anywhere. */
  async function refused(
    request: () => Promise<LightMyRequestResponse>,
    expected: ExpectedProblem,
  ): Promise<void> {
    const before = await dumpTables(db);
    expectProblem(await request(), expected);
    expect(await dumpTables(db)).toEqual(before);
  }

  it('refer → approve: a new sealed decision that supersedes the referral and opens one line', async () => {
    const d = await referred();
    const cap = await capOf(d.decisionId);
    const limit = Math.floor(cap / 2 / 100) * 100;
    const res = await review(d.decisionId, {
      outcome: 'approve',
      limit: yuan(limit),
      reasons: ['documents-received', 'income-verified'],
      note: '营业执照和流水已核对',
    });
    const r = (await ok(res)) as unknown as ReviewedBody;
    expect(r).toMatchObject({
      outcome: 'approve',
      limit: yuan(limit),
      supersedes: d.decisionId,
      decidedBy: api.userIds.risk_analyst,
      supersededBy: null,
      intact: true,
    });
    expect(r.decisionId).not.toBe(d.decisionId);
    expect(r.lineId).not.toBeNull();
    expect(r.reasons.map((x) => x.code)).toEqual(['REVIEW_DOCUMENTS_RECEIVED', 'REVIEW_INCOME_VERIFIED']);
    expect(r.record.review.automated.decisionId).toBe(d.decisionId);
    expect(r.record.review.limitCap_fen).toBe(cap);
    expect(res.headers.location).toBe(`/decisions/${r.decisionId}`);

    const lines = await linesOfApplication(d.applicationId);
    expect(lines).toHaveLength(1);
    expect(Number(lines[0]!.limit_minor)).toBe(limit);
    const automated = json(await send(api, 'auditor', 'GET', `/decisions/${d.decisionId}`));
    expect(automated).toMatchObject({
      outcome: 'refer',
      supersededBy: r.decisionId,
      supersedes: null,
      intact: true,
    });
    const person = json(await send(api, 'auditor', 'GET', `/decisions/${r.decisionId}`));
    expect(person).toMatchObject({
      supersedes: d.decisionId,
      decidedBy: api.userIds.risk_analyst,
      intact: true,
    });
    const application = json(await send(api, 'auditor', 'GET', `/applications/${d.applicationId}`));
    expect(application).toMatchObject({ decisionId: r.decisionId, outcome: 'approve', lineId: r.lineId });
    const invitation = await db.query(
      'select status, used_by_application from invitations where used_by_application = $1',
      [d.applicationId],
    );
    expect(invitation.rows).toEqual([{ status: 'used', used_by_application: d.applicationId }]);
    const audit = await db.query(
      `select action from audit_log where resource_id = any($1::text[]) order by 1`,
      [[r.decisionId, r.lineId]],
    );
    expect(audit.rows.map((a) => (a as { action: string }).action)).toEqual([
      'credit_line.open',
      'decision.review',
    ]);
  });

  it('refer → decline: no line, and the automated decision stays as it was', async () => {
    const d = await referred();
    const before = json(await send(api, 'auditor', 'GET', `/decisions/${d.decisionId}`));
    const r = (await ok(
      await review(d.decisionId, { outcome: 'decline', reasons: ['documents-missing'] }, 'admin'),
    )) as unknown as ReviewedBody;
    expect(r).toMatchObject({
      outcome: 'decline',
      limit: '0.00',
      lineId: null,
      decidedBy: api.userIds.admin,
    });
    expect(await linesOfApplication(d.applicationId)).toHaveLength(0);
    const after = json(await send(api, 'auditor', 'GET', `/decisions/${d.decisionId}`));
    expect(after.record).toEqual(before.record);
    expect(after.supersededBy).toBe(r.decisionId);
  });

  it('decline → objection overturned → approve opens the line; not before the objection is answered', async () => {
    const d = await declined();
    const body = {
      outcome: 'approve',
      limit: '10000.00',
      dailyRate: '0.0003',
      reasons: ['objection-overturned'],
    };
    await refused(() => review(d.decisionId, body), {
      status: 409,
      code: 'decision_not_reviewable',
      says: /no objection to it was answered "overturned"/,
    });
    const objection = await ok(
      await send(api, 'risk_analyst', 'POST', `/decisions/${d.decisionId}/objections`, {
        channel: 'phone',
        statement: '逾期是银行系统错误，已有更正证明',
      }),
    );
    await refused(() => review(d.decisionId, body), {
      status: 409,
      code: 'decision_not_reviewable',
      says: /overturned/,
    });
    await ok(
      await send(api, 'admin', 'POST', `/decision-requests/${objection.requestId}/answer`, {
        answer: 'The bureau corrected the record; the decision is reconsidered.',
        objectionResult: 'overturned',
      }),
      200,
    );
    const { dailyRate: _rate, ...withoutRate } = body;
    await refused(() => review(d.decisionId, withoutRate), {
      status: 400,
      code: 'validation_failed',
      says: /gave no daily rate/,
      path: '/body/dailyRate',
    });
    const r = (await ok(await review(d.decisionId, body))) as unknown as ReviewedBody;
    expect(r).toMatchObject({
      outcome: 'approve',
      limit: '10000.00',
      dailyRate: '0.0003',
      supersedes: d.decisionId,
    });
    expect(await linesOfApplication(d.applicationId)).toHaveLength(1);
  });

  it('refuses a decline reviewed while its objection was upheld, and a declined one approved without a rate', async () => {
    const d = await declined();
    const objection = await ok(
      await send(api, 'risk_analyst', 'POST', `/decisions/${d.decisionId}/objections`, {
        channel: 'app',
        statement: '请人工复核',
      }),
    );
    await ok(
      await send(api, 'admin', 'POST', `/decision-requests/${objection.requestId}/answer`, {
        answer: 'The record is right.',
        objectionResult: 'upheld',
      }),
      200,
    );
    await refused(() => review(d.decisionId, { outcome: 'decline', reasons: ['other'], note: 'x' }), {
      status: 409,
      code: 'decision_not_reviewable',
      says: /overturned/,
    });
  });

  it('refuses to review an approval, or a decision made by a person', async () => {
    const n = seq++;
    await invite(api, n);
    const approved = await apply(api, applicant(n));
    expect(approved.outcome).toBe('approve');
    await refused(() => review(approved.decisionId, { outcome: 'decline', reasons: ['fraud-suspected'] }), {
      status: 409,
      code: 'decision_not_reviewable',
      says: /approved the application/,
      path: '/path/decisionId',
    });
    const d = await referred();
    const r = await ok(await review(d.decisionId, { outcome: 'decline', reasons: ['documents-missing'] }));
    await refused(
      () => review(String(r.decisionId), { outcome: 'decline', reasons: ['documents-missing'] }),
      {
        status: 409,
        code: 'decision_not_reviewable',
        says: /made by a person/,
      },
    );
  });

  it('reviews a decision once: a second review is refused naming the first', async () => {
    const d = await referred();
    const first = await ok(
      await review(d.decisionId, { outcome: 'decline', reasons: ['documents-missing'] }),
    );
    await refused(
      () =>
        review(
          d.decisionId,
          { outcome: 'approve', limit: '1000.00', reasons: ['documents-received'] },
          'admin',
        ),
      {
        status: 409,
        code: 'decision_reviewed',
        says: new RegExp(`reviewed already .*${String(first.decisionId)}`),
      },
    );
  });

  it('holds the limit to the cap: at the cap it approves, one fen above is refused with the cap named', async () => {
    const d = await referred();
    const cap = await capOf(d.decisionId);
    await refused(
      () => review(d.decisionId, { outcome: 'approve', limit: yuan(cap + 1), reasons: ['income-verified'] }),
      {
        status: 422,
        code: 'review_limit_above_cap',
        says: new RegExp(`above the cap of ${yuan(cap).replace('.', '\\.')} yuan`),
        path: '/body/limit',
      },
    );
    const r = await ok(
      await review(d.decisionId, { outcome: 'approve', limit: yuan(cap), reasons: ['income-verified'] }),
    );
    expect(r.limit).toBe(yuan(cap));
  });

  it('refuses an approval once the invitation is no longer in force, and still takes a decline', async () => {
    const d = await referred();
    const automated = json(await send(api, 'auditor', 'GET', `/decisions/${d.decisionId}`));
    const invitationId = (automated.record as { invitationId: string }).invitationId;
    expect(invitationId).toMatch(/^inv/);
    await ok(await send(api, 'risk_analyst', 'POST', `/invitations/${invitationId}/expire`, {}), 200);
    await refused(
      () => review(d.decisionId, { outcome: 'approve', limit: '1000.00', reasons: ['documents-received'] }),
      {
        status: 409,
        code: 'review_invitation_not_in_force',
        says: new RegExp(`Invitation ${invitationId} is revoked`),
      },
    );
    await ok(await review(d.decisionId, { outcome: 'decline', reasons: ['documents-missing'] }));
  });

  it('refuses a daily rate that puts the APR above the cap', async () => {
    const d = await referred();
    await refused(
      () =>
        review(d.decisionId, {
          outcome: 'approve',
          limit: '1000.00',
          dailyRate: '0.01',
          reasons: ['income-verified'],
        }),
      { status: 422, code: 'review_rate_above_cap', says: /APR above the cap/, path: '/body/dailyRate' },
    );
  });

  it('a confirmed flag blocks approval (named), an open one stays open, a decline still goes through', async () => {
    const base = seq;
    seq += 10;
    const shared = {
      contacts: [{ name: '赵六', relation: 'friend', phone: `1351234${String(base).padStart(4, '0')}` }],
    };
    for (let i = 1; i <= 4; i++) await apply(api, patched(applicant(base + i), shared));
    await invite(api, base);
    const d = await apply(api, patched(applicant(base), shared));
    expect(d.outcome, JSON.stringify(d.reasons)).toBe('refer');
    const flag = d.flags.find((f) => f.kind === 'shared-contact-numbers')!;
    expect(flag).toBeDefined();
    await ok(
      await send(api, 'risk_analyst', 'POST', `/review-queue/${flag.flagId}/resolve`, {
        resolution: 'confirmed',
        note: 'one agent filing for several people',
      }),
      200,
    );
    await refused(
      () => review(d.decisionId, { outcome: 'approve', limit: '1000.00', reasons: ['flag-cleared'] }),
      {
        status: 409,
        code: 'review_flag_confirmed',
        says: new RegExp(`${flag.flagId} \\(shared-contact-numbers`),
      },
    );
    await ok(await review(d.decisionId, { outcome: 'decline', reasons: ['fraud-suspected'] }));
  });

  it('leaves an open flag open when a person approves', async () => {
    const base = seq;
    seq += 10;
    const shared = {
      contacts: [{ name: '赵六', relation: 'friend', phone: `1351234${String(base).padStart(4, '0')}` }],
    };
    for (let i = 1; i <= 4; i++) await apply(api, patched(applicant(base + i), shared));
    await invite(api, base);
    const d = await apply(api, patched(applicant(base), shared));
    expect(d.outcome).toBe('refer');
    const r = await ok(
      await review(d.decisionId, { outcome: 'approve', limit: '1000.00', reasons: ['flag-cleared'] }),
    );
    const flags = r.flags as { kind: string; status: string }[];
    expect(flags.find((f) => f.kind === 'shared-contact-numbers')?.status).toBe('open');
  });

  it('opens the line once under a repeated Idempotency-Key, and once when two analysts decide at once', async () => {
    const d = await referred();
    const body = { outcome: 'approve', limit: '5000.00', reasons: ['documents-received'] };
    const key = freshKey();
    const first = await review(d.decisionId, body, 'risk_analyst', key);
    const again = await review(d.decisionId, body, 'risk_analyst', key);
    expect(first.statusCode, first.body).toBe(201);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(json(again).decisionId).toBe(json(first).decisionId);
    expect(await linesOfApplication(d.applicationId)).toHaveLength(1);

    const e = await referred();
    const both = await Promise.all([
      review(e.decisionId, body, 'risk_analyst'),
      review(e.decisionId, { ...body, limit: '6000.00' }, 'admin'),
    ]);
    expect(both.map((b) => b.statusCode).sort()).toEqual([201, 409]);
    expect(json(both.find((b) => b.statusCode === 409)!).code).toBe('decision_reviewed');
    expect(await linesOfApplication(e.applicationId)).toHaveLength(1);
    const reviews = await db.query('select decision_id from decision_reviews where supersedes = $1', [
      e.decisionId,
    ]);
    expect(reviews.rows).toHaveLength(1);
  });

  it('refuses roles without decisions.review, and bad bodies, writing nothing', async () => {
    const d = await referred();
    const good = { outcome: 'approve', limit: '1000.00', reasons: ['income-verified'] };
    for (const role of ['collector', 'finance', 'auditor'] as const)
      await refused(() => review(d.decisionId, good, role), { status: 403, code: 'forbidden', says: /role/ });
    const bad: [object, ExpectedProblem][] = [
      [
        { ...good, limit: undefined },
        { status: 400, code: 'validation_failed', says: /required to approve/, path: '/body/limit' },
      ],
      [
        { outcome: 'decline', limit: '1.00', reasons: ['documents-missing'] },
        { status: 400, code: 'validation_failed', says: /approval only/, path: '/body/limit' },
      ],
      [
        { ...good, reasons: [] },
        { status: 400, code: 'validation_failed', says: /at least 1 items/, path: '/body/reasons' },
      ],
      [
        { ...good, reasons: ['gut-feeling'] },
        { status: 400, code: 'validation_failed', says: /must be one of/ },
      ],
      [
        { ...good, reasons: ['other'] },
        { status: 400, code: 'validation_failed', says: /"other"/, path: '/body/note' },
      ],
      [
        { ...good, limit: '0.00' },
        { status: 400, code: 'amount_invalid', says: /above 0/, path: '/body/limit' },
      ],
      [
        { ...good, outcome: 'refer' },
        { status: 400, code: 'validation_failed', says: /must be one of/ },
      ],
    ];
    for (const [body, expected] of bad) await refused(() => review(d.decisionId, body), expected);
    await refused(() => review('dec_0192f3a4b5c6d7e8f9a0b1c2d3e4', good), {
      status: 404,
      code: 'decision_not_found',
      says: /no decision/,
    });
  });
});
