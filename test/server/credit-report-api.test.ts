import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCreditReportMonth, exportCreditReportMonth } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  closeLoansThrough,
  type Db,
  monthRecords,
  type Role,
  setBusinessDay,
} from '../../src/store/index.js';
import { backends, dumpTables, openMigrated } from '../store/backends.js';
import {
  callAs,
  createCash12mOverApi,
  idNumberFor,
  json,
  startApi,
  type TestApi,
  validCustomer,
} from './helpers.js';

/*
 * Three borrowers of a 12-month cash loan. 甲 draws 10,000.00 on 2026-03-01 and misses every instalment; 乙
 * draws the same, misses April and agrees a negotiated plan (协商还款) on 2026-05-05; 丙 drew on 2025-10-01,
 * never paid, and is written off (核销) on 2026-05-05 after a second person's approval. May's month-end job
 * reports 乙 with special transaction 14, 丙 as bad debt B with 核销 code 8, and holds 甲's first negative record
 * back (no notice). 甲 objects (异议); the objection is investigated and the record corrected, going out again
 * as a correction line.
 */
describe.each(backends)('credit reporting over the API, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  const loans: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  let disputeId: string;

  async function call(role: Role, method: string, url: string, payload?: unknown) {
    return callAs(api, role, method, url, payload);
  }

  async function drawFor(seq: number): Promise<string> {
    const c = await call('admin', 'POST', '/customers', validCustomer({ idNumber: idNumberFor(seq) }));
    const customerId = json(c).customerId as string;
    const l = await call('risk_analyst', 'POST', `/customers/${customerId}/credit-lines`, {
      limit: '20000.00',
    });
    const d = await call('admin', 'POST', `/credit-lines/${json(l).lineId as string}/drawdowns`, {
      amount: '10000.00',
      productId: 'cash-12m',
    });
    expect(d.statusCode, d.body).toBe(201);
    return json(d).loanId as string;
  }

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db, {}, () => new Date('2026-06-01T04:00:00Z'));
    await setBusinessDay(db, parseDate('2025-10-01'));
    await createCash12mOverApi(call);
    loans.c = await drawFor(51);
    await setBusinessDay(db, parseDate('2026-03-01'));
    loans.a = await drawFor(52);
    loans.b = await drawFor(53);
    await db.transaction((tx) => closeLoansThrough(tx, Object.values(loans), parseDate('2026-05-04')));
    await setBusinessDay(db, parseDate('2026-05-05'));
    const restructured = await call('collector', 'POST', `/loans/${loans.b}/restructurings`, {
      kind: 'negotiated-plan',
      months: 12,
      monthlyIncome: '8000.00',
    });
    expect(restructured.statusCode, restructured.body).toBe(201);
    const proposed = await call('risk_analyst', 'POST', '/write-offs/proposals', {
      loans: [{ loanId: loans.c, evidenceRef: 'CASE-2026-0505' }],
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const approved = await call(
      'finance',
      'POST',
      `/write-offs/proposals/${json(proposed).proposalId}/approve`,
      {},
    );
    expect(approved.statusCode, approved.body).toBe(200);
    await db.transaction((tx) => closeLoansThrough(tx, [loans.a, loans.b], parseDate('2026-05-31')));
    await setBusinessDay(db, parseDate('2026-06-01'));
    await buildCreditReportMonth(db, '2026-05');
  }, 120_000);
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('the month-end records carry 协商还款 (14) and 核销 (8, bad debt B); a first negative record without notice is held', async () => {
    const records = new Map((await monthRecords(db, '2026-05')).map((r) => [r.record.loanId, r]));
    const b = records.get(loans.b)!;
    expect(b.record.specials.map((s) => [s.kind, s.code])).toEqual([['negotiated-plan', '14']]);
    expect(b.record.statusCode).toBe('N'); // the new plan's first instalment falls due 06-05: nothing past due
    const c = records.get(loans.c)!;
    expect(c.record).toMatchObject({ statusCode: 'B' });
    expect(c.record.specials.map((s) => [s.kind, s.code])).toEqual([['write-off', '8']]);
    expect(c.record.grid.slice(-3)).toBe('56B'); // 150 and 180 days past due at the ends of March and April
    const a = records.get(loans.a)!;
    expect(a).toMatchObject({ status: 'held', holdReason: 'negative_notice_not_sent' });
    expect(a.record.statusCode).toBe('2');
  });

  it('an objection is received, investigated and corrected; the correction goes out as an X line', async () => {
    const r = await call('compliance', 'POST', '/credit-reports/disputes', {
      loanId: loans.a,
      month: '2026-05',
      claim: '四月份已通过银行转账还款，逾期记录有误',
    });
    expect(r.statusCode, r.body).toBe(201);
    disputeId = json(r).disputeId as string;
    expect(json(r)).toMatchObject({
      status: 'received',
      receivedDate: '2026-06-01',
      replyBy: '2026-06-21',
      overdue: false,
    });

    const early = await call('compliance', 'POST', `/credit-reports/disputes/${disputeId}/correct`, {
      statusCode: 'N',
      finding: 'x',
    });
    expect(early.statusCode).toBe(409);
    expect(json(early).code).toBe('dispute_status_conflict');

    const inv = await call('compliance', 'POST', `/credit-reports/disputes/${disputeId}/investigate`, {
      finding: '调取银行流水核实',
    });
    expect(inv.statusCode, inv.body).toBe(200);
    expect(json(inv).status).toBe('investigating');
    const flagged = json(await call('auditor', 'GET', `/credit-reports/disputes/${disputeId}`));
    expect(flagged.record).toMatchObject({ disputed: true, statusCode: '2', release: 'held' });

    const fixed = await call('compliance', 'POST', `/credit-reports/disputes/${disputeId}/correct`, {
      statusCode: 'N',
      finding: '还款 4 月 1 日已到账，系入账延误',
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(json(fixed)).toMatchObject({
      status: 'corrected',
      correctedStatus: 'N',
      decidedDate: '2026-06-01',
    });
    const detail = json(await call('auditor', 'GET', `/credit-reports/disputes/${disputeId}`));
    expect((detail.events as { action: string }[]).map((e) => e.action)).toEqual([
      'received',
      'investigating',
      'corrected',
    ]);
    expect(detail.record).toMatchObject({ disputed: false, statusCode: 'N', release: 'ready', version: 2 });
    const audit = json(await call('admin', 'GET', '/audit-log?action=credit_report.dispute_corrected'));
    expect((audit.items as unknown[]).length).toBe(1);

    const out = await exportCreditReportMonth(db, '2026-05', 'test');
    const line = out.text.split('\n').find((l) => l.includes(`,${loans.a},`))!;
    expect(line.startsWith('X,2026-05,')).toBe(true);
    // The version (field 17) before the 60-month grid (field 18).
    expect(line.split(',')[16]).toBe('2');
    expect(line.split(',')).toHaveLength(18);
    expect(line.split(',')[13]).toBe('N');
  });

  it('a rejected objection keeps the record; bad input gets a clear problem and writes nothing', async () => {
    const r = await call('admin', 'POST', '/credit-reports/disputes', {
      loanId: loans.c,
      month: '2026-05',
      claim: '我没有借过这笔钱',
      receivedDate: '2026-05-28',
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = json(r).disputeId as string;
    expect(json(r).replyBy).toBe('2026-06-17');
    await call('compliance', 'POST', `/credit-reports/disputes/${id}/investigate`, {});
    const rejected = await call('compliance', 'POST', `/credit-reports/disputes/${id}/reject`, {
      finding: '合同与放款凭证核实无误',
    });
    expect(json(rejected)).toMatchObject({ status: 'rejected', finding: '合同与放款凭证核实无误' });
    expect(json(await call('auditor', 'GET', `/credit-reports/disputes/${id}`)).record).toMatchObject({
      statusCode: 'B',
      disputed: false,
      version: 1,
    });
    const listed = json(await call('risk_analyst', 'GET', `/credit-reports/disputes?status=rejected`));
    expect((listed.items as { disputeId: string }[]).map((d) => d.disputeId)).toEqual([id]);

    const before = await dumpTables(db);
    const cases: [Role, string, Record<string, unknown>, number, string][] = [
      [
        'compliance',
        '/credit-reports/disputes',
        { loanId: loans.a, month: '2026-04', claim: 'x' },
        404,
        'credit_record_not_found',
      ],
      [
        'compliance',
        '/credit-reports/disputes',
        { loanId: loans.a, month: '2026-5', claim: 'x' },
        400,
        'validation_failed',
      ],
      [
        'compliance',
        '/credit-reports/disputes',
        { loanId: loans.a, month: '2026-05', claim: 'x', receivedDate: '2026-06-02' },
        400,
        'date_out_of_range',
      ],
      [
        'compliance',
        '/credit-reports/disputes',
        { loanId: loans.a, month: '2026-05', claim: '  ' },
        400,
        'validation_failed',
      ],
      [
        'collector',
        '/credit-reports/disputes',
        { loanId: loans.a, month: '2026-05', claim: 'x' },
        403,
        'forbidden',
      ],
      [
        'compliance',
        `/credit-reports/disputes/${disputeId}/reject`,
        { finding: 'x' },
        409,
        'dispute_status_conflict',
      ],
      [
        'compliance',
        '/credit-reports/disputes/crd_0000000000000000000000000000/investigate',
        {},
        404,
        'dispute_not_found',
      ],
      [
        'compliance',
        `/credit-reports/disputes/${id}/correct`,
        { statusCode: 'Q', finding: 'x' },
        400,
        'validation_failed',
      ],
    ];
    for (const [role, url, body, status, code] of cases) {
      const res = await call(role, 'POST', url, body);
      expect(res.statusCode, `${url} ${res.body}`).toBe(status);
      expect(json(res).code).toBe(code);
    }
    expect(await dumpTables(db)).toEqual(before);
  });
});
