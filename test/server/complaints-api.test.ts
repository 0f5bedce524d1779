import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import { closeLoansThrough, type Db, type Role, setBusinessDay } from '../../src/store/index.js';
import { backends, dumpTables, openMigrated } from '../store/backends.js';
import {
  auth,
  callAs,
  closeDayOverApi,
  createCash12mOverApi,
  idNumberFor,
  json,
  startApi,
  type TestApi,
  validCustomer,
} from './helpers.js';

/*
 * A borrower past due complains. 10,000.00 drawn on 2026-10-01, instalment 1 unpaid from 2026-11-01; the EOD
 * run of 2026-11-04 opens the case. On Thursday 2026-11-05 the borrower phones the hotline about a collector's
 * conduct: the complaint is linked to the case, collection pauses (a call and a letter are refused with rule
 * complaint_open), and the acknowledge timer (1 business day) is due Friday. A fees complaint only limits
 * collection to letters. Resolving both lets the calls resume.
 */
describe.each(backends)('complaints over the API, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  const now = new Date('2026-11-05T04:00:00Z'); // 12:00 in Shanghai
  let loanId: string;
  let customerId: string;
  let otherCustomerId: string;
  let caseId: string;
  let conductId: string;
  let feesId: string;

  async function call(role: Role, method: string, url: string, payload?: unknown) {
    return callAs(api, role, method, url, payload);
  }

  async function closeDay(date: string) {
    return closeDayOverApi(call, date);
  }

  const attempt = (body: Record<string, unknown>) =>
    call('collector', 'POST', `/collections/cases/${caseId}/contact-attempts`, body);

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db, {}, () => now);
    await setBusinessDay(db, parseDate('2026-10-01'));
    const c = await call('admin', 'POST', '/customers', validCustomer({ idNumber: idNumberFor(31) }));
    customerId = json(c).customerId as string;
    const o = await call('admin', 'POST', '/customers', validCustomer({ idNumber: idNumberFor(32) }));
    otherCustomerId = json(o).customerId as string;
    await createCash12mOverApi(call);
    const l = await call('risk_analyst', 'POST', `/customers/${customerId}/credit-lines`, {
      limit: '20000.00',
    });
    const d = await call('admin', 'POST', `/credit-lines/${json(l).lineId as string}/drawdowns`, {
      amount: '10000.00',
      productId: 'cash-12m',
    });
    expect(d.statusCode, d.body).toBe(201);
    loanId = json(d).loanId as string;
    await db.transaction((tx) => closeLoansThrough(tx, [loanId], parseDate('2026-11-03')));
    await setBusinessDay(db, parseDate('2026-11-04'));
    await closeDay('2026-11-04');
    const cases = json(await call('collector', 'GET', `/collections/cases?customerId=${customerId}`));
    caseId = (cases.items as { caseId: string }[])[0]!.caseId;
    // The collector logs attempts on the case: it is assigned to them.
    const assigned = await call('admin', 'PATCH', `/collections/cases/${caseId}`, {
      assignee: api.userIds.collector,
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('a hotline complaint about conduct is linked to the case, its timers start, and collection pauses', async () => {
    expect(
      (
        await attempt({
          channel: 'call',
          party: 'borrower',
          outcome: 'no-answer',
          at: '2026-11-05T09:00:00+08:00',
        })
      ).statusCode,
    ).toBe(201);
    const r = await call('collector', 'POST', '/complaints', {
      customerId,
      loanId,
      channel: 'hotline',
      category: 'collection_conduct',
      summary: '催收员在晚上打电话给我的同事',
      receivedAt: '2026-11-05T10:00:00+08:00',
    });
    expect(r.statusCode, r.body).toBe(201);
    conductId = json(r).complaintId as string;
    expect(json(r)).toMatchObject({
      caseId,
      status: 'received',
      receivedDate: '2026-11-05',
      collectionWhileOpen: 'pause',
      sla: {
        acknowledge: { dueDate: '2026-11-06', state: 'due_soon', daysLeft: 1 },
        resolve: { dueDate: '2026-11-20', state: 'on_time', daysLeft: 15 },
        state: 'due_soon',
      },
    });

    for (const channel of ['call', 'letter'] as const) {
      const refused = await attempt({
        channel,
        party: 'borrower',
        outcome: channel === 'call' ? 'answered' : 'sent',
        at: '2026-11-05T11:00:00+08:00',
      });
      expect(refused.statusCode, refused.body).toBe(422);
      expect(json(refused)).toMatchObject({
        code: 'contact_refused',
        rule: 'complaint_open',
        nextAllowedAt: null,
      });
    }
    const detail = json(await call('auditor', 'GET', `/collections/cases/${caseId}`));
    expect((detail.contacts as { rule: string | null }[]).map((c) => c.rule)).toEqual([
      null,
      'complaint_open',
      'complaint_open',
    ]);
  });

  it('SLA timers follow the business day: overdue after the Friday passes, met once acknowledged', async () => {
    await setBusinessDay(db, parseDate('2026-11-09'));
    const late = json(await call('compliance', 'GET', `/complaints/${conductId}`));
    expect(late).toMatchObject({
      sla: { acknowledge: { state: 'overdue', daysLeft: -1 }, state: 'overdue' },
    });
    const listed = json(await call('collector', 'GET', '/complaints?open=true'));
    expect((listed.items as { sla: { state: string } }[])[0]!.sla.state).toBe('overdue');
    await setBusinessDay(db, parseDate('2026-11-05'));
    const ack = await call('compliance', 'POST', `/complaints/${conductId}/acknowledge`, { note: '已致电' });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(json(ack)).toMatchObject({
      status: 'acknowledged',
      acknowledgedDate: '2026-11-05',
      sla: { acknowledge: { state: 'met' }, resolve: { state: 'on_time' }, state: 'on_time' },
    });
    const again = await call('compliance', 'POST', `/complaints/${conductId}/acknowledge`, {});
    expect(again.statusCode).toBe(409);
    expect(json(again).code).toBe('complaint_status_conflict');
  });

  it('a fees complaint limits collection to letters; resolving both lets calls resume', async () => {
    const f = await call('compliance', 'POST', '/complaints', {
      customerId,
      channel: 'app',
      category: 'fees_interest',
      summary: '罚息算错了',
    });
    expect(f.statusCode, f.body).toBe(201);
    feesId = json(f).complaintId as string;
    expect(json(f).collectionWhileOpen).toBe('limit');

    const collectorResolve = await call('collector', 'POST', `/complaints/${conductId}/resolve`, {
      outcome: 'upheld',
      rootCause: 'collector_conduct',
      resolution: '已对催收员进行培训',
    });
    expect(collectorResolve.statusCode).toBe(403);
    const resolved = await call('compliance', 'POST', `/complaints/${conductId}/resolve`, {
      outcome: 'upheld',
      rootCause: 'collector_conduct',
      resolution: '已对催收员进行培训并致歉',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(json(resolved)).toMatchObject({ status: 'resolved', outcome: 'upheld', sla: { state: 'met' } });

    const call1 = await attempt({
      channel: 'call',
      party: 'borrower',
      outcome: 'answered',
      at: '2026-11-05T11:30:00+08:00',
    });
    expect(json(call1)).toMatchObject({ rule: 'complaint_open' });
    const letter = await attempt({
      channel: 'letter',
      party: 'borrower',
      outcome: 'sent',
      at: '2026-11-05T11:31:00+08:00',
    });
    expect(letter.statusCode, letter.body).toBe(201);

    await call('admin', 'POST', `/complaints/${feesId}/resolve`, {
      outcome: 'not_upheld',
      rootCause: 'borrower_misunderstanding',
      resolution: '罚息按合同计算，已解释',
    });
    const call2 = await attempt({
      channel: 'call',
      party: 'borrower',
      outcome: 'answered',
      at: '2026-11-05T11:45:00+08:00',
    });
    expect(call2.statusCode, call2.body).toBe(201);

    const detail = json(await call('auditor', 'GET', `/complaints/${conductId}`));
    expect((detail.events as { action: string }[]).map((e) => e.action)).toEqual([
      'received',
      'acknowledged',
      'resolved',
    ]);
    const byCase = json(await call('collector', 'GET', `/complaints?caseId=${caseId}`));
    expect((byCase.items as unknown[]).length).toBe(2); // both came in while the case was open
  });

  it('refuses bad input with a clear problem and writes nothing', async () => {
    const before = await dumpTables(db);
    const good = { customerId, channel: 'hotline', category: 'service', summary: '客服态度差' };
    const cases: [Role, string, string, Record<string, unknown>, number, string, string?][] = [
      [
        'collector',
        'POST',
        '/complaints',
        { ...good, customerId: 'cus_0000000000000000000000000000' },
        404,
        'customer_not_found',
      ],
      [
        'collector',
        'POST',
        '/complaints',
        { ...good, loanId: 'ln_0000000000000000000000000000' },
        400,
        'validation_failed',
        '/body/loanId',
      ],
      [
        'collector',
        'POST',
        '/complaints',
        { ...good, customerId: otherCustomerId, loanId },
        400,
        'validation_failed',
        '/body/loanId',
      ],
      [
        'collector',
        'POST',
        '/complaints',
        { ...good, channel: 'regulator_referral' },
        422,
        'complaint_invalid',
        '/body/regulatorReference',
      ],
      [
        'collector',
        'POST',
        '/complaints',
        { ...good, summary: '   ' },
        422,
        'complaint_invalid',
        '/body/summary',
      ],
      [
        'collector',
        'POST',
        '/complaints',
        { ...good, receivedAt: '2026-11-06T09:00:00+08:00' },
        422,
        'complaint_invalid',
        '/body/receivedAt',
      ],
      [
        'collector',
        'POST',
        '/complaints',
        // A mistyped year: more than 30 days (the default bound) before the business day.
        { ...good, receivedAt: '2020-11-05T10:00:00+08:00' },
        422,
        'complaint_invalid',
        '/body/receivedAt',
      ],
      ['collector', 'POST', '/complaints', { ...good, receivedAt: 'yesterday' }, 400, 'validation_failed'],
      ['collector', 'POST', '/complaints', { ...good, channel: 'fax' }, 400, 'validation_failed'],
      ['collector', 'POST', '/complaints', { ...good, category: undefined }, 400, 'validation_failed'],
      ['finance', 'POST', '/complaints', good, 403, 'forbidden'],
      [
        'compliance',
        'POST',
        '/complaints/cpl_0000000000000000000000000000/acknowledge',
        {},
        404,
        'complaint_not_found',
      ],
      [
        'compliance',
        'POST',
        `/complaints/${feesId}/resolve`,
        { outcome: 'upheld', rootCause: 'other', resolution: 'x' },
        409,
        'complaint_status_conflict',
      ],
      [
        'compliance',
        'POST',
        `/complaints/${feesId}/resolve`,
        { outcome: 'upheld', resolution: 'x' },
        400,
        'validation_failed',
      ],
    ];
    for (const [role, method, url, body, status, code, path] of cases) {
      const res = await call(role, method, url, body);
      expect(res.statusCode, `${url} ${JSON.stringify(body)}: ${res.body}`).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(json(res).code).toBe(code);
      if (path !== undefined) {
        expect((json(res).errors as { path: string }[]).map((e) => e.path)).toContain(path);
      }
    }
    const zh = await api.app.inject({
      method: 'GET',
      url: '/complaints/cpl_0000000000000000000000000000',
      headers: { ...auth(api.tokens.compliance), 'accept-language': 'zh-CN' },
    });
    expect(json(zh)).toMatchObject({ code: 'complaint_not_found', title: '没有这项投诉' });
    expect(await dumpTables(db)).toEqual(before);
  });

  it('the reputation view counts complaints per 10,000 active borrowers by category and month', async () => {
    const r = await call('auditor', 'GET', '/complaints/reputation?from=2026-10&to=2026-11');
    expect(r.statusCode, r.body).toBe(200);
    const view = json(r);
    expect(view.months).toEqual([
      { month: '2026-10', activeBorrowers: 1 },
      { month: '2026-11', activeBorrowers: 1 },
    ]);
    expect(view.cells).toContainEqual({
      month: '2026-11',
      category: 'all',
      count: 2,
      per10k: '20000.00',
      spike: false,
    });
    expect(view.rule).toMatch(/at least 5 complaints/);
    const bad = await call('auditor', 'GET', '/complaints/reputation?from=2026-12&to=2026-11');
    expect(json(bad).code).toBe('date_out_of_range');
    // Months that have not begun have no rates (they were answered with the active borrowers of today).
    const ahead = await call('auditor', 'GET', '/complaints/reputation?from=2027-01&to=2027-02');
    expect(ahead.statusCode, ahead.body).toBe(400);
    expect(json(ahead)).toMatchObject({
      code: 'date_out_of_range',
      errors: [{ path: '/query/to', message: 'must be 2026-11 or earlier' }],
    });
    expect(json(ahead).detail).toMatch(/to 2027-02 is after the business month 2026-11/);
  });
});
