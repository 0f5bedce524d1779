import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import { closeLoansThrough, type Db, type Role, setBusinessDay } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import { callAs, idNumberFor, json, startApi, type TestApi, validCustomer } from './helpers.js';

/*
 * The compliance report over the API. A case opens on 2026-11-04 (as in collections-api.test.ts); on 11-05
 * the collector reaches the borrower three times and a fourth call is refused. A call at 23:30 on 11-04,
 * logged as allowed by an import, is the planted breach: the report lists the refusal and that breach, and
 * the Excel export reads back the same.
 */
describe.each(backends)('the compliance report over the API, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  const now = new Date('2026-11-05T04:00:00Z'); // 12:00 in Shanghai
  let caseId: string;
  let customerId: string;
  let refusedId: string;

  async function call(role: Role, method: string, url: string, payload?: unknown) {
    return callAs(api, role, method, url, payload);
  }

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db, {}, () => now);
    await setBusinessDay(db, parseDate('2026-10-01'));
    customerId = json(await call('admin', 'POST', '/customers', validCustomer({ idNumber: idNumberFor(61) })))
      .customerId as string;
    expect((await call('admin', 'POST', '/products', { id: 'cash-12m', termCount: 12 })).statusCode).toBe(
      201,
    );
    const l = await call('admin', 'POST', `/customers/${customerId}/credit-lines`, { limit: '20000.00' });
    const d = await call('admin', 'POST', `/credit-lines/${json(l).lineId as string}/drawdowns`, {
      amount: '10000.00',
      productId: 'cash-12m',
    });
    const loanId = json(d).loanId as string;
    await db.transaction((tx) => closeLoansThrough(tx, [loanId], parseDate('2026-11-03')));
    await setBusinessDay(db, parseDate('2026-11-04'));
    const started = await call('admin', 'POST', '/eod-runs', { businessDate: '2026-11-04' });
    const runId = json(started).runId as string;
    for (let i = 0; i < 200; i++) {
      if (json(await call('admin', 'GET', `/eod-runs/${runId}`)).status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    caseId = (
      json(await call('admin', 'GET', `/collections/cases?loanId=${loanId}`)).items as {
        caseId: string;
      }[]
    )[0]!.caseId;
    // The collector logs attempts on the case: it is assigned to them.
    const assigned = await call('admin', 'PATCH', `/collections/cases/${caseId}`, {
      assignee: api.userIds.collector,
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    for (const at of ['09:00', '09:10', '09:20', '09:30']) {
      const r = await call('collector', 'POST', `/collections/cases/${caseId}/contact-attempts`, {
        channel: 'call',
        party: 'borrower',
        outcome: 'answered',
        at: `2026-11-05T${at}:00+08:00`,
      });
      if (at === '09:30') refusedId = json(r).attemptId as string;
    }
    // An imported record: logged as allowed, at 23:30 in the borrower's time the day before.
    await db.query(
      `insert into collection_contacts (attempt_id, case_id, at, channel, party, outcome, allowed, rule, actor)
       values ('ca_imported_0001', $1, '2026-11-04T23:30:00+08:00', 'call', 'borrower', 'answered', true, null, 'import')`,
      [caseId],
    );
  }, 120_000);
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('lists the refusal by rule, collector and day, and the planted breach with its rule', async () => {
    const r = await call('compliance', 'GET', '/collections/compliance?from=2026-11-04&to=2026-11-05');
    expect(r.statusCode, r.body).toBe(200);
    const report = json(r);
    expect(report).toMatchObject({
      from: '2026-11-04',
      to: '2026-11-05',
      zone: 'Asia/Shanghai',
      totals: { attempts: 5, allowed: 4, refused: 1, breaches: 1 },
      refusalsTruncated: false,
    });
    expect(report.refusals).toEqual([
      {
        attemptId: refusedId,
        caseId,
        customerId,
        at: '2026-11-05T09:30:00+08:00',
        channel: 'call',
        party: 'borrower',
        collector: api.userIds.collector,
        rule: 'answered_calls_per_day',
      },
    ]);
    expect(report.breaches).toEqual([
      {
        attemptId: 'ca_imported_0001',
        caseId,
        customerId,
        at: '2026-11-04T23:30:00+08:00',
        channel: 'call',
        party: 'borrower',
        collector: 'import',
        rule: 'quiet_hours',
        outcome: 'answered',
        message: expect.stringMatching(/no collection contact from 22:00 to 08:00/),
      },
    ]);
    const rules = report.byRule as { rule: string; refused: number; breaches: number }[];
    expect(rules.filter((x) => x.refused + x.breaches > 0)).toEqual([
      { rule: 'quiet_hours', refused: 0, breaches: 1 },
      { rule: 'answered_calls_per_day', refused: 1, breaches: 0 },
    ]);
    // A refusal and a breach weigh the same; ties go by id.
    expect(report.byCollector).toEqual([
      { collector: 'import', attempts: 1, refused: 0, breaches: 1 },
      { collector: api.userIds.collector, attempts: 4, refused: 1, breaches: 0 },
    ]);
    expect(report.byDay).toEqual([
      { date: '2026-11-04', attempts: 1, refused: 0, breaches: 1 },
      { date: '2026-11-05', attempts: 4, refused: 1, breaches: 0 },
    ]);
    // The default window ends on the business day.
    const byDefault = json(await call('auditor', 'GET', '/collections/compliance'));
    expect(byDefault).toMatchObject({ from: '2026-10-07', to: '2026-11-05' });
    expect(
      (await call('admin', 'GET', '/collections/compliance?from=2026-11-05&to=2026-11-05')).json(),
    ).toMatchObject({ totals: { attempts: 4, refused: 1, breaches: 0 } });
  });

  it('is the compliance team’s, admins’ and auditors’ only', async () => {
    for (const role of ['collector', 'risk_analyst', 'finance', 'agency'] as const) {
      expect((await call(role, 'GET', '/collections/compliance')).statusCode, role).toBe(403);
      expect((await call(role, 'GET', '/collections/compliance/export')).statusCode, role).toBe(403);
    }
  });

  it('refuses bad dates with problem+json naming the field', async () => {
    expectProblem(await call('compliance', 'GET', '/collections/compliance?from=2026-02-30'), {
      status: 400,
      code: 'validation_failed',
      says: /from/,
      path: '/query/from',
    });
    expectProblem(await call('compliance', 'GET', '/collections/compliance?to=yesterday'), {
      status: 400,
      code: 'validation_failed',
      says: /to/,
    });
    expectProblem(await call('compliance', 'GET', '/collections/compliance?from=2026-11-06&to=2026-11-05'), {
      status: 400,
      code: 'date_out_of_range',
      says: /on or before to/,
      path: '/query/from',
    });
    expectProblem(
      await call('compliance', 'GET', '/collections/compliance/export?from=2026-01-01&to=2026-11-05'),
      { status: 400, code: 'date_out_of_range', says: /at most 92 days/, path: '/query/from' },
    );
  });

  it('exports the report as a workbook that reads back the same, in Chinese', async () => {
    const x = await call(
      'compliance',
      'GET',
      '/collections/compliance/export?from=2026-11-04&to=2026-11-05&lang=zh-CN',
    );
    expect(x.statusCode, x.body).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect(x.headers['content-disposition']).toContain('compliance-2026-11-04-2026-11-05.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual([
      '概要',
      '按规则',
      '按催收员',
      '按日',
      '拒绝记录',
      '违规记录',
    ]);
    const [summary, byRule, , byDay, refusals, breaches] = book.worksheets;
    expect(summary!.getRow(2).values).toEqual([
      undefined,
      '2026-11-04 – 2026-11-05',
      'Asia/Shanghai',
      5,
      4,
      1,
      1,
    ]);
    expect(byRule!.getRow(1).getCell(1).value).toBe('规则');
    expect(byRule!.getRow(3).values).toEqual([undefined, '22:00–08:00 禁止催收', 0, 1]);
    expect(byDay!.rowCount).toBe(3);
    expect(refusals!.rowCount).toBe(2);
    expect(refusals!.getRow(2).getCell(1).value).toBe(refusedId);
    expect(refusals!.getRow(2).getCell(8).value).toBe('每日接通次数上限');
    expect(breaches!.rowCount).toBe(2);
    expect(breaches!.getRow(2).getCell(1).value).toBe('ca_imported_0001');
    expect(breaches!.getRow(2).getCell(4).value).toBe('2026-11-04T23:30:00+08:00');

    const en = await call('auditor', 'GET', '/collections/compliance/export?from=2026-11-04&to=2026-11-05');
    const enBook = new ExcelJS.Workbook();
    await enBook.xlsx.load(en.rawPayload as unknown as ArrayBuffer);
    expect(enBook.worksheets[5]!.name).toBe('Breaches');
    expect(enBook.worksheets[5]!.getRow(2).getCell(8).value).toBe('quiet_hours');
  });
});
