import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import {
  closeLoansThrough,
  type Db,
  type Role,
  refreshCases,
  setBusinessDay,
} from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
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
 * 张三's story over the API: his small business failed. He drew 20,000.00 on 2026-01-10 (12 monthly 等额本息
 * instalments at 0.05%/day), paid the first two instalments, then only two small amounts while collectors
 * tried to reach him, and nothing after. Past 180 days he is a write-off candidate; a risk analyst proposes
 * him with the case file's reference, the same analyst cannot approve, finance approves. The loan leaves the
 * books (write-off loss, principal in the memo), accrues nothing, shows 呆账 B to the credit bureau — and a
 * small amount he pays later is booked as recovery income.
 */
describe.each(backends)('write-off and recovery over the API, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  let customerId: string;
  let loanId: string;
  let lineId: string;
  let otherLoanId: string;

  async function call(role: Role, method: string, url: string, payload?: unknown) {
    return callAs(api, role, method, url, payload);
  }
  /** The business day `day`, the loans closed through the day before and their cases refreshed, as EOD does. */
  async function onDay(day: string) {
    await setBusinessDay(db, parseDate(day));
    await db.transaction(async (tx) => {
      await closeLoansThrough(tx, [loanId, otherLoanId], parseDate(day) - 1);
      await refreshCases(tx, parseDate(day) - 1, null);
    });
  }
  const casesOf = async (id: string) =>
    json(await call('auditor', 'GET', `/collections/cases?loanId=${id}`)).items as Record<string, unknown>[];

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    await setBusinessDay(db, parseDate('2026-01-10'));
    const c = await call(
      'admin',
      'POST',
      '/customers',
      validCustomer({ name: '张三', idNumber: idNumberFor(31) }),
    );
    customerId = json(c).customerId as string;
    await createCash12mOverApi(call);
    const l = await call('risk_analyst', 'POST', `/customers/${customerId}/credit-lines`, {
      limit: '50000.00',
    });
    lineId = json(l).lineId as string;
    const d = await call('admin', 'POST', `/credit-lines/${lineId}/drawdowns`, {
      amount: '20000.00',
      productId: 'cash-12m',
    });
    expect(d.statusCode, d.body).toBe(201);
    loanId = json(d).loanId as string;
    // A second loan of his, paid on time: never a candidate.
    const d2 = await call('admin', 'POST', `/credit-lines/${lineId}/drawdowns`, {
      amount: '1000.00',
      productId: 'cash-12m',
    });
    otherLoanId = json(d2).loanId as string;
    await setBusinessDay(db, parseDate('2026-01-11'));
    const paidOff = await call('collector', 'POST', `/loans/${otherLoanId}/repayments`, {
      amount: '1001.00',
    });
    expect(paidOff.statusCode, paidOff.body).toBe(201);
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('张三: past due, collection attempts, written off by a second person, then a small recovery', async () => {
    const plan = json(await call('collector', 'GET', `/loans/${loanId}/schedule`)).plan as {
      total: string;
      dueDate: string;
    }[];
    for (const i of [0, 1]) {
      await onDay(plan[i]!.dueDate);
      const paid = await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: plan[i]!.total });
      expect(paid.statusCode, paid.body).toBe(201);
    }
    // The business fails: two small payments after calls from collectors, then nothing.
    await onDay('2026-04-20');
    expect(
      (await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: '200.00' })).statusCode,
    ).toBe(201);
    await onDay('2026-05-25');
    expect(
      (await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: '150.00' })).statusCode,
    ).toBe(201);

    // 2026-10-01: instalment 3 (due 04-10) is 173 days past due — not yet a candidate.
    await onDay('2026-10-01');
    let candidates = json(await call('finance', 'GET', '/write-offs/candidates'));
    expect(candidates.rule).toMatchObject({ version: 1, daysPastDueMin: 180, assetClassMin: 'loss' });
    expect((candidates.items as { loanId: string }[]).map((c) => c.loanId)).toEqual([]);
    const early = await call('risk_analyst', 'POST', '/write-offs/proposals', {
      loans: [{ loanId, evidenceRef: 'CASE-2026-0413' }],
    });
    expectProblem(early, {
      status: 422,
      code: 'write_off_not_eligible',
      says: /not a write-off candidate.*days past due/,
      path: '/body/loans/0/loanId',
    });

    await onDay('2026-10-20');
    candidates = json(await call('finance', 'GET', '/write-offs/candidates'));
    const items = candidates.items as {
      loanId: string;
      daysPastDue: number;
      assetClass: string;
      principal: string;
      total: string;
    }[];
    expect(items.map((c) => c.loanId)).toEqual([loanId]);
    expect(items[0]).toMatchObject({ daysPastDue: 192, assetClass: 'loss' });
    const loanBefore = json(await call('auditor', 'GET', `/loans/${loanId}`));
    expect(loanBefore.creditReportStatus).toBe('7');
    expect(await casesOf(loanId)).toEqual([
      expect.objectContaining({ status: 'open', bucket: 'M7', pastDueLoanIds: [loanId] }),
    ]);

    const proposed = await call('risk_analyst', 'POST', '/write-offs/proposals', {
      loans: [{ loanId, evidenceRef: 'CASE-2026-0413: 3 visits, 41 calls, business deregistered' }],
      note: '张三: business failed, no assets found',
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const proposal = json(proposed);
    expect(proposal).toMatchObject({
      status: 'proposed',
      proposedBy: api.userIds.risk_analyst,
      total: items[0]!.total,
    });
    const proposalId = proposal.proposalId as string;
    // In an open proposal it is no candidate, and cannot be proposed twice.
    expect(json(await call('finance', 'GET', '/write-offs/candidates')).items).toEqual([]);
    expectProblem(
      await call('finance', 'POST', '/write-offs/proposals', { loans: [{ loanId, evidenceRef: 'X' }] }),
      { status: 409, code: 'write_off_already_proposed', says: /already in an open write-off proposal/ },
    );

    // Maker-checker: the proposer may not approve (nor reject) it.
    const self = await call('risk_analyst', 'POST', `/write-offs/proposals/${proposalId}/approve`, {});
    expectProblem(self, { status: 403, code: 'write_off_by_proposer', says: /second person.*another user/ });
    expect(json(await call('auditor', 'GET', `/loans/${loanId}`)).status).toBe('active');
    expectProblem(await call('collector', 'POST', `/write-offs/proposals/${proposalId}/approve`, {}), {
      status: 403,
      code: 'forbidden',
      says: /./,
    });

    const approved = await call('finance', 'POST', `/write-offs/proposals/${proposalId}/approve`, {
      note: 'checked the file',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(json(approved)).toMatchObject({
      status: 'approved',
      decidedBy: api.userIds.finance,
      decidedOn: '2026-10-20',
    });
    expectProblem(await call('admin', 'POST', `/write-offs/proposals/${proposalId}/reject`, {}), {
      status: 409,
      code: 'write_off_proposal_decided',
      says: /already approved/,
    });

    const written = json(await call('auditor', 'GET', `/loans/${loanId}`));
    expect(written).toMatchObject({ status: 'written-off', creditReportStatus: 'B' });
    // His collection case closes with the write-off (核销), in the approval's transaction.
    expect(await casesOf(loanId)).toEqual([
      expect.objectContaining({ status: 'closed', closeReason: 'written-off', closedDate: '2026-10-20' }),
    ]);
    const writeOff = written.writeOff as Record<string, string>;
    expect(writeOff).toMatchObject({
      writtenOffOn: '2026-10-20',
      recovered: '0.00',
      writtenOff: items[0]!.total,
    });
    expect(writeOff.principalClaimed).toBe(items[0]!.principal);
    const events = json(await call('auditor', 'GET', `/loans/${loanId}/events?limit=200`)).items as {
      type: string;
    }[];
    expect(events.at(-1)?.type).toBe('LoanWrittenOff');

    // Nothing accrues afterwards: a month of EOD adds no event.
    await onDay('2026-11-30');
    const later = json(await call('auditor', 'GET', `/loans/${loanId}/events?limit=200`)).items as unknown[];
    expect(later.length).toBe(events.length);
    // The end of day opens no new case for the written-off loan.
    expect((await casesOf(loanId)).map((c) => c.status)).toEqual(['closed']);
    // Waivers are refused; a payment he makes is a recovery.
    expectProblem(
      await call('risk_analyst', 'POST', `/loans/${loanId}/waivers`, {
        amount: '1.00',
        component: 'penalty',
      }),
      { status: 409, code: 'loan_written_off', says: /written off/ },
    );
    const recovered = await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: '300.00' });
    expect(recovered.statusCode, recovered.body).toBe(201);
    expect((json(recovered).events as { type: string }[]).map((e) => e.type)).toEqual([
      'RecoveredAfterWriteOff',
    ]);
    const after = json(await call('auditor', 'GET', `/loans/${loanId}`)).writeOff as Record<string, string>;
    expect(after.recovered).toBe('300.00');

    const tb = json(await call('auditor', 'GET', '/trial-balance'));
    expect(tb.balanced).toBe(true);
    const accounts = tb.accounts as { account: string; debit: string; credit: string }[];
    const account = (name: string) => accounts.find((a) => a.account === name);
    expect(account('recoveriesIncome')).toMatchObject({ debit: '0.00', credit: '300.00' });
    expect(account('writeOffLoss')).toMatchObject({ debit: items[0]!.total, credit: '0.00' });
  });

  it('a second recovery the same day is booked; one beyond what is still claimed is refused and writes nothing', async () => {
    const view = async () =>
      json(await call('auditor', 'GET', `/loans/${loanId}`)).writeOff as Record<string, string>;
    const eventCount = async () =>
      (json(await call('auditor', 'GET', `/loans/${loanId}/events?limit=200`)).items as unknown[]).length;
    // The 300.00 above was booked today; a second payment the same day was refused as a backdated one.
    const second = await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: '200.00' });
    expect(second.statusCode, second.body).toBe(201);
    expect((json(second).events as { type: string }[]).map((e) => e.type)).toEqual([
      'RecoveredAfterWriteOff',
    ]);
    const before = await view();
    expect(before.recovered).toBe('500.00');
    const claimFen = Math.round(Number(before.writtenOff) * 100) - 50_000;
    const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
    const events = await eventCount();
    // More than is still claimed (it was taken: 99,999.00 against a claim of a few thousand).
    for (const amount of [yuan(claimFen + 1), '99999.00']) {
      expectProblem(await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount }), {
        status: 422,
        code: 'ledger_refused',
        says: new RegExp(`at most the ${yuan(claimFen).replace('.', '\\.')} still claimed`),
        path: '/body/amount',
      });
    }
    expect(await eventCount()).toBe(events);
    expect(await view()).toEqual(before);
    // Exactly what is still claimed is taken, and nothing is claimed afterwards.
    const rest = await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: yuan(claimFen) });
    expect(rest.statusCode, rest.body).toBe(201);
    expect(await view()).toMatchObject({ recovered: before.writtenOff, principalClaimed: '0.00' });
    const tb = json(await call('auditor', 'GET', '/trial-balance'));
    expect(tb.balanced).toBe(true);
    const recoveries = (tb.accounts as { account: string; credit: string }[]).find(
      (a) => a.account === 'recoveriesIncome',
    );
    expect(recoveries?.credit).toBe(before.writtenOff);
  });

  it('refuses bad requests with a problem that says what to fix', async () => {
    expectProblem(await call('risk_analyst', 'POST', '/write-offs/proposals', { loans: [] }), {
      status: 400,
      code: 'validation_failed',
      says: /loans/,
      path: '/body/loans',
    });
    expectProblem(
      await call('risk_analyst', 'POST', '/write-offs/proposals', {
        loans: [{ loanId: otherLoanId, evidenceRef: '  ' }],
      }),
      { status: 400, code: 'validation_failed', says: /./, path: '/body/loans/0/evidenceRef' },
    );
    expectProblem(
      await call('risk_analyst', 'POST', '/write-offs/proposals', { loans: [{ loanId: otherLoanId }] }),
      {
        status: 400,
        code: 'validation_failed',
        says: /evidenceRef/,
      },
    );
    expectProblem(
      await call('risk_analyst', 'POST', '/write-offs/proposals', {
        loans: [{ loanId: 'lon_nosuchloan', evidenceRef: 'CASE-1' }],
      }),
      { status: 404, code: 'loan_not_found', says: /no such loan/, path: '/body/loans/0/loanId' },
    );
    expectProblem(
      await call('risk_analyst', 'POST', '/write-offs/proposals', {
        loans: [
          { loanId: otherLoanId, evidenceRef: 'A' },
          { loanId: otherLoanId, evidenceRef: 'B' },
        ],
      }),
      { status: 400, code: 'validation_failed', says: /named twice/, path: '/body/loans/1/loanId' },
    );
    expectProblem(
      await call('risk_analyst', 'POST', '/write-offs/proposals', {
        loans: [{ loanId: otherLoanId, evidenceRef: 'A' }],
      }),
      {
        status: 422,
        code: 'write_off_not_eligible',
        says: /not a write-off candidate .*: the loan is settled/,
      },
    );
    expectProblem(
      await call('collector', 'POST', '/write-offs/proposals', { loans: [{ loanId, evidenceRef: 'A' }] }),
      {
        status: 403,
        code: 'forbidden',
        says: /./,
      },
    );
    const missing = 'wop_0000000000000000000000000000';
    expectProblem(await call('finance', 'POST', `/write-offs/proposals/${missing}/approve`, {}), {
      status: 404,
      code: 'write_off_proposal_not_found',
      says: /no such write-off proposal/,
      path: '/path/proposalId',
    });
    expectProblem(await call('finance', 'GET', '/write-offs/proposals/not-an-id'), {
      status: 400,
      code: 'validation_failed',
      says: /./,
      path: '/path/proposalId',
    });
    expectProblem(await call('finance', 'GET', '/write-offs/candidates?limit=0'), {
      status: 400,
      code: 'validation_failed',
      says: /./,
      path: '/query/limit',
    });
    expectProblem(await call('finance', 'POST', `/write-offs/proposals/${missing}/approve`, { extra: 1 }), {
      status: 400,
      code: 'validation_failed',
      says: /./,
    });
    const list = json(await call('auditor', 'GET', '/write-offs/proposals?status=approved'));
    expect((list.items as unknown[]).length).toBe(1);
  });
});
