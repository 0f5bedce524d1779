import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RESTRUCTURING_POLICY } from '../../src/ledger/index.js';
import { parseDate } from '../../src/money/index.js';
import { loadServerConfig } from '../../src/server/index.js';
import { closeLoansThrough, type Db, type Role, setBusinessDay } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import {
  auth,
  createCash12mOverApi,
  freshKey,
  idNumberFor,
  json,
  startApi,
  type TestApi,
  validCustomer,
} from './helpers.js';

/*
 * POST /loans/{loanId}/restructurings: bad input answered with problem+json and nothing written;
 * maker-checker above the lender's thresholds; idempotent like the other loan commands.
 * Two loans of 10,000.00 drawn 2026-01-10 on 12 monthly 等额本息 instalments at 0.05%/day: one left unpaid
 * (past due from 02-11), one current.
 */
describe.each(backends)('restructuring over the API, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  let pastDueLoan: string;
  let currentLoan: string;

  async function call(role: Role, method: string, url: string, payload?: unknown, key = freshKey()) {
    return api.app.inject({
      method: method as 'GET',
      url,
      headers: { ...auth(api.tokens[role]), 'idempotency-key': key },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }

  async function drawLoan(sequence: number): Promise<string> {
    const c = await call('admin', 'POST', '/customers', validCustomer({ idNumber: idNumberFor(sequence) }));
    const l = await call('risk_analyst', 'POST', `/customers/${json(c).customerId as string}/credit-lines`, {
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
    api = await startApi(db);
    await setBusinessDay(db, parseDate('2026-01-10'));
    await createCash12mOverApi(call);
    pastDueLoan = await drawLoan(21);
    currentLoan = await drawLoan(22);
    await setBusinessDay(db, parseDate('2026-02-09'));
    await call('collector', 'POST', `/loans/${currentLoan}/repayments`, { amount: '923.38' });
    await setBusinessDay(db, parseDate('2026-03-01'));
    await db.transaction((tx) => closeLoansThrough(tx, [pastDueLoan, currentLoan], parseDate('2026-02-28')));
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  const negotiated = { kind: 'negotiated-plan', months: 12, monthlyIncome: '8000.00' };

  it('refuses bad input with problem+json and writes nothing', async () => {
    const before = json(await call('auditor', 'GET', `/loans/${pastDueLoan}/events?limit=200`));
    const cases: [string, Role, string, unknown, Parameters<typeof expectProblem>[1]][] = [
      [
        'a negotiated plan for a loan not past due',
        'collector',
        currentLoan,
        negotiated,
        {
          status: 422,
          code: 'ledger_refused',
          says: /not past due.*restructure_not_past_due/,
          path: '/body/kind',
        },
      ],
      [
        'more than 60 months',
        'collector',
        pastDueLoan,
        { ...negotiated, months: 61 },
        {
          status: 422,
          code: 'ledger_refused',
          says: /months must be a whole number from 1 to 60/,
          path: '/body/months',
        },
      ],
      [
        'an unaffordable plan, with the figures',
        'collector',
        pastDueLoan,
        { ...negotiated, months: 3, monthlyIncome: '2000.00' },
        {
          status: 422,
          code: 'ledger_refused',
          says: /largest instalment of the new plan, 3\d{3}\.\d\d, is 1\d\d\.\d% of the monthly income 2000\.00, above the cap of 50\.0%/,
          path: '/body/monthlyIncome',
        },
      ],
      [
        'no income for a negotiated plan',
        'collector',
        pastDueLoan,
        { kind: 'negotiated-plan', months: 12 },
        {
          status: 422,
          code: 'ledger_refused',
          says: /monthlyIncomeMinor is required/,
          path: '/body/monthlyIncome',
        },
      ],
      [
        'a rate that is not lower',
        'collector',
        currentLoan,
        { kind: 'rate-reduction', rate: '0.0006' },
        {
          status: 422,
          code: 'ledger_refused',
          says: /not below the current rate 0\.0005/,
          path: '/body/rate',
        },
      ],
      [
        'an unknown kind',
        'collector',
        pastDueLoan,
        { kind: 'forgive-everything' },
        { status: 400, code: 'validation_failed', says: /kind/ },
      ],
      [
        'a bad down payment',
        'collector',
        pastDueLoan,
        { ...negotiated, downPayment: '12.345' },
        { status: 400, code: 'amount_invalid', says: /downPayment/, path: '/body/downPayment' },
      ],
      [
        'a role that may not restructure',
        'finance',
        pastDueLoan,
        negotiated,
        { status: 403, code: 'forbidden', says: /may not POST/ },
      ],
      [
        'an unknown loan',
        'collector',
        'loan_0192f3a4b5c6d7e8f9a0b1c2d3e4',
        negotiated,
        { status: 404, code: 'loan_not_found', says: /no loan/ },
      ],
    ];
    for (const [what, role, loanId, body, problem] of cases) {
      const res = await call(role, 'POST', `/loans/${loanId}/restructurings`, body);
      expectProblem(res, problem);
      expect(res.statusCode, what).toBe(problem.status);
    }
    const after = json(await call('auditor', 'GET', `/loans/${pastDueLoan}/events?limit=200`));
    expect(after.items).toEqual(before.items);
    const list = json(await call('auditor', 'GET', `/loans/${pastDueLoan}/restructurings`));
    expect(list.items).toEqual([]);
  });

  it('above the thresholds a request waits; its proposer cannot approve it; another user applies it', async () => {
    // 12 more months: maturity moves later by more than the 6 months a single person may grant.
    const key = freshKey();
    const proposed = await call(
      'collector',
      'POST',
      `/loans/${currentLoan}/restructurings`,
      {
        kind: 'term-extension',
        extensionMonths: 12,
        note: 'income fell',
      },
      key,
    );
    expect(proposed.statusCode, proposed.body).toBe(202);
    const pending = json(proposed);
    expect(pending).toMatchObject({
      status: 'pending',
      kind: 'term-extension',
      monthsExtended: 12,
      needsApproval: true,
    });
    // The same request again answers the same (idempotent), creating nothing new.
    const again = await call(
      'collector',
      'POST',
      `/loans/${currentLoan}/restructurings`,
      {
        kind: 'term-extension',
        extensionMonths: 12,
        note: 'income fell',
      },
      key,
    );
    expect(again.statusCode).toBe(202);
    expect(json(again).restructuringId).toBe(pending.restructuringId);
    const loan = json(await call('auditor', 'GET', `/loans/${currentLoan}`));
    expect(loan.restructuring).toBeUndefined();

    const id = pending.restructuringId as string;
    const url = `/loans/${currentLoan}/restructurings/${id}/approve`;
    expectProblem(await call('collector', 'POST', url, {}), {
      status: 403,
      code: 'forbidden',
      says: /may not POST/,
    });
    // The approver must be another person than the proposer: make the proposal as a risk analyst too.
    const own = json(
      await call('risk_analyst', 'POST', `/loans/${currentLoan}/restructurings`, {
        kind: 'term-extension',
        extensionMonths: 9,
      }),
    );
    expect(own.status).toBe('pending');
    expectProblem(
      await call(
        'risk_analyst',
        'POST',
        `/loans/${currentLoan}/restructurings/${own.restructuringId as string}/approve`,
        {},
      ),
      { status: 403, code: 'restructuring_approval_by_proposer', says: /another risk analyst or an admin/ },
    );
    const rejected = await call(
      'admin',
      'POST',
      `/loans/${currentLoan}/restructurings/${own.restructuringId as string}/reject`,
      {
        note: 'one extension is enough',
      },
    );
    expect(json(rejected)).toMatchObject({ status: 'rejected', note: 'one extension is enough' });

    const approved = await call('risk_analyst', 'POST', url, { note: 'checked income statement' });
    expect(approved.statusCode, approved.body).toBe(200);
    const body = json(approved);
    expect(body).toMatchObject({
      status: 'applied',
      decidedBy: api.userIds.risk_analyst,
      proposedBy: api.userIds.collector,
    });
    expect((body.events as { type: string }[]).map((e) => e.type)).toContain('LoanRestructured');
    expect(body.loan).toMatchObject({
      restructuring: { status: 'active', latestKind: 'term-extension', specialTransactionCode: '1' },
    });
    const schedule = json(await call('auditor', 'GET', `/loans/${currentLoan}/schedule`));
    expect((schedule.plan as unknown[]).length).toBe(1 + 11 + 12);
    expectProblem(await call('admin', 'POST', url, {}), {
      status: 409,
      code: 'restructuring_status_conflict',
      says: /is applied; only a pending one/,
    });
    const list = json(await call('auditor', 'GET', `/loans/${currentLoan}/restructurings`));
    expect((list.items as { status: string }[]).map((r) => r.status)).toEqual(['applied', 'rejected']);
  });

  it('below the thresholds a negotiated plan applies at once', async () => {
    const res = await call('collector', 'POST', `/loans/${pastDueLoan}/restructurings`, {
      kind: 'negotiated-plan',
      months: 14,
      monthlyIncome: '6000.00',
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = json(res);
    expect(body).toMatchObject({ status: 'applied', needsApproval: false, monthsExtended: 3 });
    expect(body.loan).toMatchObject({
      daysPastDue: 0,
      bucket: 'M0',
      restructuring: {
        status: 'active',
        latestKind: 'negotiated-plan',
        specialTransactionCode: '14',
        daysPastDueBefore: 19,
        inObservation: true,
        assetClass: 'special-mention',
      },
    });
    const journal = await call('finance', 'GET', '/trial-balance');
    expect(journal.statusCode, journal.body).toBe(200);
  });
});

describe('the restructuring settings of the server', () => {
  it('checks the policy once at start and names what is wrong', () => {
    expect(() =>
      loadServerConfig({
        restructuringPolicy: { ...DEFAULT_RESTRUCTURING_POLICY, affordabilityRatioMax: '1.5' },
      }),
    ).toThrow(/restructuringPolicy: affordabilityRatioMax must be a decimal above 0 and at most 1/);
    expect(() => loadServerConfig({ restructuringApprovalForgivenAbove_fen: -1 })).toThrow(
      /restructuringApprovalForgivenAbove_fen must be a whole number of 0 or more/,
    );
    expect(loadServerConfig({}).restructuringPolicy.negotiatedMonthsMax).toBe(60);
  });
});
