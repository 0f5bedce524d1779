import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_COLLECTION_STRATEGY } from '../../src/collections/index.js';
import { parseDate } from '../../src/money/index.js';
import { closeLoansThrough, type Db, type Role, setBusinessDay } from '../../src/store/index.js';
import { backends, dumpTables, openMigrated } from '../store/backends.js';
import {
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
 * Collection operations over the API. 李四 draws 10,000.00 on 2026-10-01 (12 monthly instalments); instalment
 * 1 falls due on 11-01 unpaid and the EOD run of 11-04 opens the case, whose first step comes from the shipped
 * strategy. A risk analyst drafts a challenger, an admin approves it for every case; 李四 files a hardship
 * application (illness) with her income, and the EOD run of 11-05 assesses her unable to pay, marks her
 * vulnerable and sets the challenger's step. Then: the override, the negotiation offer, a team and the
 * allocation, today's list and its Excel export, an agency placement and recall, and a repayment that closes
 * the case at once.
 */
describe.each(backends)('collection operations over the API, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  let now = new Date('2026-11-05T04:00:00Z');
  let loanId: string;
  let caseId: string;
  let challenger: string;

  async function call(role: Role, method: string, url: string, payload?: unknown) {
    return callAs(api, role, method, url, payload);
  }

  async function closeDay(date: string) {
    return closeDayOverApi(call, date);
  }

  const kase = async () => json(await call('auditor', 'GET', `/collections/cases/${caseId}`));

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db, {}, () => now);
    await setBusinessDay(db, parseDate('2026-10-01'));
    const c = await call('admin', 'POST', '/customers', validCustomer({ idNumber: idNumberFor(31) }));
    const customerId = json(c).customerId as string;
    await createCash12mOverApi(call);
    const l = await call('risk_analyst', 'POST', `/customers/${customerId}/credit-lines`, {
      limit: '20000.00',
    });
    const d = await call('admin', 'POST', `/credit-lines/${json(l).lineId as string}/drawdowns`, {
      amount: '10000.00',
      productId: 'cash-12m',
    });
    loanId = json(d).loanId as string;
    await db.transaction((tx) => closeLoansThrough(tx, [loanId], parseDate('2026-11-03')));
    await setBusinessDay(db, parseDate('2026-11-04'));
    await closeDay('2026-11-04');
    const list = json(await call('auditor', 'GET', `/collections/cases?loanId=${loanId}`));
    caseId = (list.items as { caseId: string }[])[0]!.caseId;
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('the EOD run sets the first step from the shipped strategy, with priority and an assessment', async () => {
    const c = await kase();
    expect(c).toMatchObject({
      strategyArm: 'champion',
      strategyVersion: 'shipped',
      strategyStep: 'CS_M1_SMS',
      nextAction: 'reminder',
      nextActionChannel: 'sms',
      nextActionDueDate: '2026-11-05',
      verdict: 'undetermined',
      cureProbability: '0.6000',
      behaviourScore: null,
      vulnerabilities: [],
      recovered: '0.00',
    });
    // Priority = overdue × 0.6, in fen, rounded down.
    const overdueFen = Math.round(Number(c.overdue) * 100);
    expect(Math.round(Number(c.priority) * 100)).toBe(Math.floor((overdueFen * 6000) / 10000));
  });

  it('strategies are drafted, checked and approved by a second person, as champion or challenger', async () => {
    const bad = JSON.parse(JSON.stringify(DEFAULT_COLLECTION_STRATEGY));
    bad.nodes[1].content.rules[0].out1 = '"threaten"';
    const before = await dumpTables(db);
    const refused = await call('risk_analyst', 'POST', '/collections/strategies', { graph: bad });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(json(refused)).toMatchObject({ code: 'strategy_invalid' });
    expect((json(refused).errors as { path: string }[])[0]!.path).toBe(
      '/body/graph/nodes[1]/content/rules[0]/out1',
    );
    expect(await dumpTables(db)).toEqual(before);

    const graph = JSON.parse(JSON.stringify(DEFAULT_COLLECTION_STRATEGY));
    graph.nodes[1].content.rules[1].out3 = '"CS_VULNERABLE_RELIEF_B"';
    const drafted = await call('risk_analyst', 'POST', '/collections/strategies', { graph, note: 'B test' });
    expect(drafted.statusCode, drafted.body).toBe(201);
    challenger = json(drafted).version as string;
    const own = await call('risk_analyst', 'POST', `/collections/strategies/${challenger}/approve`, {
      arm: 'challenger',
      challengerShare_bp: 10_000,
    });
    expect(own.statusCode).toBe(403);
    expect(json(own).code).toBe('approval_by_author');
    const noShare = await call('admin', 'POST', `/collections/strategies/${challenger}/approve`, {
      arm: 'challenger',
    });
    expect(noShare.statusCode).toBe(400);
    const ok = await call('admin', 'POST', `/collections/strategies/${challenger}/approve`, {
      arm: 'challenger',
      challengerShare_bp: 10_000,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json(ok)).toMatchObject({ status: 'published', arm: 'challenger', challengerShare_bp: 10_000 });
    const again = await call('admin', 'POST', `/collections/strategies/${challenger}/approve`, {
      arm: 'champion',
    });
    expect(json(again).code).toBe('strategy_status_conflict');
    const versions = json(await call('auditor', 'GET', '/collections/strategies')).items as unknown[];
    expect(versions).toHaveLength(1);
  });

  it('evidence is read by the next refresh: inability, vulnerable, the challenger’s step', async () => {
    const noCause = await call('collector', 'POST', `/collections/cases/${caseId}/evidence`, {
      kind: 'hardship',
    });
    expect(noCause.statusCode).toBe(400);
    const h = await call('collector', 'POST', `/collections/cases/${caseId}/evidence`, {
      kind: 'hardship',
      cause: 'illness',
      note: 'in hospital since October',
    });
    expect(h.statusCode, h.body).toBe(201);
    const i = await call('collector', 'POST', `/collections/cases/${caseId}/evidence`, {
      kind: 'income',
      amount: '3000.00',
    });
    expect(i.statusCode, i.body).toBe(201);
    now = new Date('2026-11-06T02:00:00Z');
    await closeDay('2026-11-05');
    const c = await kase();
    expect(c).toMatchObject({
      strategyArm: 'challenger',
      strategyVersion: challenger,
      strategyStep: 'CS_VULNERABLE_RELIEF_B',
      nextAction: 'negotiation-offer',
      verdict: 'inability',
      vulnerabilities: ['illness'],
    });
    const a = json(await call('collector', 'GET', `/collections/cases/${caseId}/assessment`));
    expect((a.assessment as { reasons: { code: string }[] }).reasons.map((r) => r.code)).toEqual([
      'AS_HARDSHIP',
      'AS_INCOME_AMPLE_NO_PAYMENT',
    ]);
    expect(a.evidence).toHaveLength(2);

    const results = json(await call('auditor', 'GET', '/collections/strategies/results?from=2026-11-01'));
    expect(results.arms).toEqual([
      expect.objectContaining({ arm: 'champion', cases: 0, cureRate: null }),
      expect.objectContaining({ arm: 'challenger', cases: 1, cured: 0, cureRate: '0.0000' }),
    ]);
  });

  it('a person overrides the assessment with a note, audited; the offer is previewed by the ledger', async () => {
    const short = await call('collector', 'POST', `/collections/cases/${caseId}/assessment-override`, {
      verdict: 'unwillingness',
      note: 'no',
    });
    expect(short.statusCode).toBe(400);
    const o = await call('collector', 'POST', `/collections/cases/${caseId}/assessment-override`, {
      verdict: 'unwillingness',
      note: 'seen travelling abroad while claiming illness',
    });
    expect(o.statusCode, o.body).toBe(200);
    expect(json(o)).toMatchObject({
      verdict: 'unwillingness',
      assessmentOverride: { verdict: 'unwillingness', by: api.userIds.collector },
    });
    const audit = json(await call('auditor', 'GET', '/audit-log?action=collection.assessment_override'));
    expect(JSON.stringify(audit)).toContain('collection.assessment_override');

    const offer = await call('collector', 'GET', `/collections/cases/${caseId}/negotiation-offer`);
    expect(offer.statusCode, offer.body).toBe(200);
    const loans = json(offer).loans as { loanId: string; months: number; installment: string }[];
    expect(json(offer).monthlyIncome).toBe('3000.00');
    expect(loans).toHaveLength(1);
    expect(loans[0]!.loanId).toBe(loanId);
    // The shortest plan whose instalment is at most half the income (the ledger's affordability cap).
    expect(loans[0]!.months).toBeGreaterThanOrEqual(6);
    expect(Number(loans[0]!.installment)).toBeLessThanOrEqual(1500);
    const tooPoor = json(
      await call('collector', 'GET', `/collections/cases/${caseId}/negotiation-offer?monthlyIncome=50.00`),
    );
    expect((tooPoor.loans as { months: null; refusal: string }[])[0]).toMatchObject({ months: null });
    // No income at all is a bad figure, not a 200 whose refusals name the ledger's internal field.
    const none = await call(
      'collector',
      'GET',
      `/collections/cases/${caseId}/negotiation-offer?monthlyIncome=0.00`,
    );
    expect(none.statusCode, none.body).toBe(400);
    expect(json(none)).toMatchObject({ code: 'amount_invalid', errors: [{ path: '/query/monthlyIncome' }] });
    expect(none.body).not.toMatch(/monthlyIncomeMinor/);
  });

  it('teams and allocation put the case on the collector’s list for today, exported to Excel', async () => {
    const notAdmin = await call('collector', 'PUT', '/collections/teams/early', {
      name: 'Early',
      buckets: ['M1', 'M2'],
      members: [],
    });
    expect(notAdmin.statusCode).toBe(403);
    const badMember = await call('admin', 'PUT', '/collections/teams/early', {
      name: 'Early',
      buckets: ['M1'],
      members: [{ userId: api.userIds.auditor, capacity: 5 }],
    });
    expect(badMember.statusCode).toBe(400);
    const t = await call('admin', 'PUT', '/collections/teams/early', {
      name: 'Early',
      buckets: ['M1', 'M2'],
      lead: api.userIds.collector,
      members: [{ userId: api.userIds.collector, capacity: 50 }],
    });
    expect(t.statusCode, t.body).toBe(200);
    const taken = await call('admin', 'PUT', '/collections/teams/late', {
      name: 'Late',
      buckets: ['M2'],
      members: [],
    });
    expect(json(taken).code).toBe('validation_failed');
    const a = await call('admin', 'POST', '/collections/allocations');
    expect(a.statusCode, a.body).toBe(200);
    expect(json(a)).toMatchObject({ changed: 1, kept: 0, unassigned: 0 });
    expect((json(a).loads as { cases: number }[])[0]).toMatchObject({
      userId: api.userIds.collector,
      cases: 1,
    });

    const list = json(await call('collector', 'GET', '/collections/worklist'));
    expect(list).toMatchObject({ assignee: api.userIds.collector, date: '2026-11-06' });
    expect((list.items as { caseId: string; teamId: string }[]).map((i) => [i.caseId, i.teamId])).toEqual([
      [caseId, 'early'],
    ]);
    const forbidden = await call('collector', 'GET', `/collections/worklist?assignee=${api.userIds.admin}`);
    expect(forbidden.statusCode).toBe(403);

    const x = await call('collector', 'GET', '/collections/worklist/export?lang=zh-CN');
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('催收清单 2026-11-06');
    expect(sheet.getRow(1).getCell(2).value).toBe('案件');
    expect(sheet.getRow(2).getCell(2).value).toBe(caseId);
    expect(sheet.getRow(2).getCell(12).value).toBe('还款意愿不足');
    expect(sheet.rowCount).toBe(2);
  });

  it('an agency takes the case off the in-house list until recalled, with its results', async () => {
    expect(
      (await call('admin', 'PUT', '/collections/agencies/ag-east', { name: 'East Recovery' })).statusCode,
    ).toBe(200);
    const unknown = await call('admin', 'POST', `/collections/cases/${caseId}/placement`, {
      agencyId: 'ag-none',
    });
    expect(json(unknown).code).toBe('agency_not_found');
    const p = await call('admin', 'POST', `/collections/cases/${caseId}/placement`, { agencyId: 'ag-east' });
    expect(p.statusCode, p.body).toBe(201);
    expect(json(await call('collector', 'GET', '/collections/worklist')).items).toEqual([]);
    const twice = await call('admin', 'POST', `/collections/cases/${caseId}/placement`, {
      agencyId: 'ag-east',
    });
    expect(json(twice).code).toBe('case_placement_conflict');
    const bad = await call('admin', 'POST', `/collections/cases/${caseId}/recall`, {
      reason: 'quarterly review',
      placeAgain: 'yes',
    });
    expect(bad.statusCode).toBe(400);
    const r = await call('admin', 'POST', `/collections/cases/${caseId}/recall`, {
      reason: 'quarterly review',
    });
    expect(r.statusCode, r.body).toBe(200);
    // Taken back, not moved: the strategy's placement step does not place it again (decision 0912).
    expect(json(r)).toMatchObject({
      agencyId: 'ag-east',
      recalledDate: '2026-11-06',
      recovered: '0.00',
      placeAgain: false,
    });
    const agencies = json(await call('auditor', 'GET', '/collections/agencies')).items;
    expect(agencies).toEqual([
      { agencyId: 'ag-east', name: 'East Recovery', placed: 1, active: 0, recovered: '0.00' },
    ]);
    const re = await call('admin', 'POST', '/collections/allocations');
    expect(json(re)).toMatchObject({ changed: 1 });
  });

  it('a repayment that cures the borrower closes the case at once, and the team view counts it', async () => {
    const paid = await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: '1200.00' });
    expect(paid.statusCode, paid.body).toBe(201);
    const c = await kase();
    expect(c).toMatchObject({ status: 'closed', closeReason: 'cured', closedDate: '2026-11-06' });
    const view = json(await call('collector', 'GET', '/collections/team-view?from=2026-11-01'));
    // A window starting after the business day has seen nothing: refused, not answered with zeros.
    for (const url of [
      '/collections/team-view?from=2030-01-01',
      '/collections/strategies/results?from=2030-01-01',
    ]) {
      const ahead = await call('auditor', 'GET', url);
      expect(ahead.statusCode, ahead.body).toBe(400);
      expect(json(ahead)).toMatchObject({
        code: 'date_out_of_range',
        errors: [
          { path: '/query/from', message: expect.stringMatching(/after the business day 2026-11-06/) },
        ],
      });
    }
    expect(view.teams).toEqual([expect.objectContaining({ teamId: 'early', collectors: 1, casesCured: 1 })]);
    expect(view.collectors).toEqual([
      expect.objectContaining({ userId: api.userIds.collector, casesCured: 1, openCases: 0 }),
    ]);
    expect(view.book).toMatchObject({ casesOpened: 1, cured: 1, cureRate: '1.0000' });
    const results = json(await call('auditor', 'GET', '/collections/strategies/results?from=2026-11-01'));
    expect((results.arms as { cured: number; recovered: string }[])[1]).toMatchObject({ cured: 1 });
    expect(Number((results.arms as { recovered: string }[])[1]!.recovered)).toBeGreaterThan(0);
  });
});
