import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessInstant, LENDER_TIME_ZONE_DEFAULT } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  blacklistMatches,
  closeLoansThrough,
  type Db,
  originationKeyOf,
  type Role,
  refreshCases,
  setBusinessDay,
} from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import { callAs, idNumberFor, json, startApi, type TestApi, validCustomer } from './helpers.js';

/*
 * Blacklisting with due process over the API. 赵六 stopped paying; a lawsuit against him was approved. A risk
 * analyst proposes listing him: the notice goes out through the reminder outbox at once and a 15-day
 * objection window opens; nobody can decide inside it, and the proposer never can; after it an admin lists
 * him, and the blacklist origination checks finds his ID number until the entry expires. Removal for
 * repayment waits until he has repaid; then the entry ends. 钱七, proposed from a fraud finding, objects
 * inside the window and the objection is upheld at once: no entry is written.
 */
describe.each(backends)('blacklist due process over the API, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  const people: Record<string, { customerId: string; loanId: string; idNumber: string }> = {};
  let proposalId: string;

  async function call(role: Role, method: string, url: string, payload?: unknown) {
    return callAs(api, role, method, url, payload);
  }
  async function onDay(day: string) {
    await setBusinessDay(db, parseDate(day));
    const loans = Object.values(people).map((p) => p.loanId);
    await db.transaction(async (tx) => {
      await closeLoansThrough(tx, loans, parseDate(day) - 1);
      await refreshCases(tx, parseDate(day) - 1, null);
    });
  }
  /** The entries origination finds on `day` at this moment of the wall clock (the business clock's instant). */
  const listedAt = (idNumber: string, day: string) =>
    blacklistMatches(
      db,
      [{ subject: 'id-number', key: originationKeyOf(api.cipher)('id-number', idNumber) }],
      businessInstant(day, LENDER_TIME_ZONE_DEFAULT, new Date()),
    );
  const count = async (table: string) =>
    Number((await db.query<{ n: string }>(`select count(*)::text as n from ${table}`)).rows[0]!.n);

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    await setBusinessDay(db, parseDate('2026-03-01'));
    expect(
      (await call('risk_analyst', 'POST', '/products', { id: 'cash-6m', termCount: 6 })).statusCode,
    ).toBe(201);
    for (const [name, seq] of [
      ['赵六', 51],
      ['钱七', 52],
    ] as const) {
      const idNumber = idNumberFor(seq);
      const c = await call('admin', 'POST', '/customers', validCustomer({ name, idNumber }));
      const customerId = json(c).customerId as string;
      const l = await call('risk_analyst', 'POST', `/customers/${customerId}/credit-lines`, {
        limit: '9000.00',
      });
      const d = await call('admin', 'POST', `/credit-lines/${json(l).lineId as string}/drawdowns`, {
        amount: '6000.00',
        productId: 'cash-6m',
      });
      expect(d.statusCode, d.body).toBe(201);
      people[name] = { customerId, loanId: json(d).loanId as string, idNumber };
    }
    await onDay('2026-05-10');
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('赵六: notice, window, a second person lists him, origination finds him, removal after repayment', async () => {
    const { customerId, loanId, idNumber } = people.赵六!;
    const caseId = (
      json(await call('collector', 'GET', `/collections/cases?customerId=${customerId}`)).items as {
        caseId: string;
      }[]
    )[0]!.caseId;
    const action = json(
      await call('collector', 'POST', `/collections/cases/${caseId}/legal/actions`, {
        path: 'payment-order',
        reason: '恶意逾期',
      }),
    );
    const actionUrl = `/collections/cases/${caseId}/legal/actions/${action.actionId as string}/steps`;
    expect((await call('risk_analyst', 'POST', actionUrl, { to: 'approved' })).statusCode).toBe(200);

    expectProblem(
      await call('risk_analyst', 'POST', '/blacklist-proposals', {
        customerId,
        source: 'legal',
        reason: '恶意逾期',
        evidence: '支付令申请',
      }),
      {
        status: 422,
        code: 'blacklist_proposal_invalid',
        says: /approved legal action/,
        path: '/body/actionId',
      },
    );
    expectProblem(
      await call('collector', 'POST', '/blacklist-proposals', {
        customerId,
        source: 'fraud',
        reason: 'x',
        evidence: 'y',
      }),
      { status: 403, code: 'forbidden', says: /./ },
    );
    const proposed = await call('risk_analyst', 'POST', '/blacklist-proposals', {
      customerId,
      source: 'legal',
      actionId: action.actionId,
      reason: '有能力偿还而恶意逾期，已申请支付令',
      evidence: '支付令申请书；催告函 EMS 签收',
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const p = json(proposed);
    proposalId = p.proposalId as string;
    expect(p).toMatchObject({
      status: 'noticed',
      caseId,
      noticeDate: '2026-05-10',
      objectionUntil: '2026-05-25',
      entryId: null,
      notice: { channel: 'sms', status: 'planned', sentAt: null },
    });
    expect((p.steps as { step: string }[]).map((s) => s.step)).toEqual(['proposed', 'notice-queued']);
    const outbox = await db.query<{ payload: { subject: string; body: string; legallyRequired: boolean } }>(
      "select payload from outbox_messages where kind = 'reminder' and reminder_key = $1",
      [(p.notice as { reminderKey: string }).reminderKey],
    );
    expect(outbox.rows).toHaveLength(1);
    expect(outbox.rows[0]!.payload.subject).toContain('黑名单');
    expect(outbox.rows[0]!.payload.body).toContain('2026-05-25');
    expect(outbox.rows[0]!.payload.legallyRequired).toBe(true);
    expectProblem(
      await call('risk_analyst', 'POST', '/blacklist-proposals', {
        customerId,
        source: 'fraud',
        reason: 'x',
        evidence: 'y',
      }),
      { status: 409, code: 'blacklist_proposal_in_progress', says: /in progress/ },
    );

    const decide = (role: Role, outcome = 'list') =>
      call(role, 'POST', `/blacklist-proposals/${proposalId}/decision`, {
        outcome,
        note: '证据充分，异议期内无异议',
      });
    expectProblem(await decide('admin'), {
      status: 409,
      code: 'blacklist_objection_window_open',
      says: /may object until 2026-05-25/,
    });
    await onDay('2026-05-26');
    const entriesBefore = await count('blacklist_entries');
    expectProblem(await decide('risk_analyst'), {
      status: 403,
      code: 'blacklist_self_decision',
      says: /someone other than the person who proposed it/,
    });
    expect(await count('blacklist_entries')).toBe(entriesBefore);
    expect(await listedAt(idNumber, '2026-05-26')).toEqual([]);
    const listed = await decide('admin');
    expect(listed.statusCode, listed.body).toBe(200);
    const l = json(listed);
    expect(l).toMatchObject({ status: 'listed', decidedBy: api.userIds.admin, expiresDate: '2028-05-25' });
    const hits = await listedAt(idNumber, '2026-05-26');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({
      entryId: l.entryId,
      source: 'internal-review',
      reason: '有能力偿还而恶意逾期，已申请支付令',
    });
    expect(await listedAt(idNumber, '2028-05-26')).toEqual([]);
    const list = json(await call('auditor', 'GET', '/blacklist?active=true')).items as { entryId: string }[];
    expect(list.map((e) => e.entryId)).toContain(l.entryId);

    const remove = () =>
      call('admin', 'POST', `/blacklist-proposals/${proposalId}/removal`, {
        reason: 'repaid',
        note: '已结清',
      });
    expectProblem(await remove(), { status: 409, code: 'blacklist_step_not_allowed', says: /still owes/ });
    const quote = json(await call('collector', 'GET', `/loans/${loanId}/payoff-quote`));
    const paid = await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: quote.total });
    expect(paid.statusCode, paid.body).toBe(201);
    // Removal on repayment: the repayment itself ends the listing; there is nothing left for a person to remove.
    const removed = await call('auditor', 'GET', `/blacklist-proposals/${proposalId}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(json(removed)).toMatchObject({
      status: 'removed',
      removalReason: 'repaid',
      removedDate: '2026-05-26',
      removedBy: 'system:repaid',
    });
    expectProblem(await remove(), { status: 409, code: 'blacklist_step_not_allowed', says: /only a listed/ });
    expect(await listedAt(idNumber, '2026-05-26')).toEqual([]);
    expect((json(removed).steps as { step: string }[]).map((s) => s.step)).toEqual([
      'proposed',
      'notice-queued',
      'listed',
      'removed',
    ]);
    const audit = await db.query<{ action: string }>(
      'select action from audit_log where resource_id = $1 order by audit_id',
      [proposalId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'blacklist.proposed',
      'blacklist.listed',
      'blacklist.removed',
    ]);
  });

  it('钱七: a fraud finding, an objection inside the window, upheld at once; no entry', async () => {
    const { customerId, idNumber } = people.钱七!;
    const proposed = await call('risk_analyst', 'POST', '/blacklist-proposals', {
      customerId,
      source: 'fraud',
      reason: '疑似冒用身份',
      evidence: '设备指纹与欺诈名单一致',
      channel: 'email',
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const id = json(proposed).proposalId as string;
    expectProblem(
      await call('risk_analyst', 'POST', `/blacklist-proposals/${id}/objection`, { objection: ' ' }),
      {
        status: 400,
        code: 'validation_failed',
        says: /./,
        path: '/body/objection',
      },
    );
    const objected = await call('risk_analyst', 'POST', `/blacklist-proposals/${id}/objection`, {
      objection: '本人身份证曾遗失，已报案，附报案回执',
    });
    expect(objected.statusCode, objected.body).toBe(200);
    expect(json(objected).status).toBe('objected');
    const rejected = await call('admin', 'POST', `/blacklist-proposals/${id}/decision`, {
      outcome: 'reject',
      note: '异议成立',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(json(rejected)).toMatchObject({ status: 'rejected', entryId: null });
    expect(await listedAt(idNumber, '2026-05-26')).toEqual([]);
    expectProblem(await call('admin', 'POST', `/blacklist-proposals/${id}/withdraw`, { note: 'x' }), {
      status: 409,
      code: 'blacklist_step_not_allowed',
      says: /only an undecided proposal/,
    });
    const missing = 'blp_0000000000000000000000000000';
    expectProblem(await call('admin', 'POST', `/blacklist-proposals/${missing}/withdraw`, { note: 'x' }), {
      status: 404,
      code: 'blacklist_proposal_not_found',
      says: /no such blacklist proposal/,
    });
    const page = json(await call('auditor', 'GET', '/blacklist-proposals?status=rejected')).items as {
      proposalId: string;
    }[];
    expect(page.map((x) => x.proposalId)).toEqual([id]);
  });
});
