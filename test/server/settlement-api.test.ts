import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
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
 * POST /loans/{loanId}/settlement-offers (减免结清): bad input answered with problem+json and nothing written;
 * maker-checker above the approval threshold (1,000.00 yuan forgiven by default); paid by its last day the
 * loan settles, unpaid the offer lapses. Two loans of 10,000.00 drawn 2026-01-10 on 12 monthly 等额本息
 * instalments at 0.05%/day, left unpaid, so past due from 2026-02-11.
 */
describe.each(backends)('settlement offers over the API, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  let paidLoan: string;
  let lapsedLoan: string;

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

  const events = async (loanId: string) =>
    (json(await call('auditor', 'GET', `/loans/${loanId}/events?limit=200`)).items as unknown[]).length;
  const offers = async (loanId: string) =>
    json(await call('auditor', 'GET', `/loans/${loanId}/settlement-offers`)).items as Record<
      string,
      unknown
    >[];

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    await setBusinessDay(db, parseDate('2026-01-10'));
    await createCash12mOverApi(call);
    paidLoan = await drawLoan(31);
    lapsedLoan = await drawLoan(32);
    await setBusinessDay(db, parseDate('2026-03-01'));
    await db.transaction((tx) => closeLoansThrough(tx, [paidLoan, lapsedLoan], parseDate('2026-02-28')));
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('refuses bad input with problem+json and writes nothing', async () => {
    const before = await events(paidLoan);
    const cases: [string, unknown, Parameters<typeof expectProblem>[1]][] = [
      [
        'an offer not below what is owed',
        { offer: '20000.00', validThrough: '2026-03-20' },
        { status: 422, code: 'ledger_refused', says: /must be below the \d+ fen owed/, path: '/body/offer' },
      ],
      [
        'a last day before the business day',
        { offer: '5000.00', validThrough: '2026-02-27' },
        {
          status: 400,
          code: 'date_out_of_range',
          says: /validThrough 2026-02-27 is outside 2026-03-01 to 2026-05-30/,
          path: '/body/validThrough',
        },
      ],
      [
        'a last day beyond the longest validity',
        { offer: '5000.00', validThrough: '2026-06-30' },
        { status: 400, code: 'date_out_of_range', says: /at most 90 days/, path: '/body/validThrough' },
      ],
      [
        'an amount with three decimals',
        { offer: '5000.005', validThrough: '2026-03-20' },
        { status: 400, code: 'amount_invalid', says: /more than 2 decimal places/, path: '/body/offer' },
      ],
      [
        'no last day',
        { offer: '5000.00' },
        { status: 400, code: 'validation_failed', says: /validThrough/, path: '/body/validThrough' },
      ],
    ];
    for (const [name, body, expected] of cases) {
      const res = await call('collector', 'POST', `/loans/${paidLoan}/settlement-offers`, body);
      expect.soft(res.statusCode, name).toBe(expected.status);
      expectProblem(res, expected);
    }
    expectProblem(
      await call('collector', 'POST', '/loans/ln_0192f3a4b5c6d7e8f9a0b1c2d3e4/settlement-offers', {
        offer: '5000.00',
        validThrough: '2026-03-20',
      }),
      { status: 404, code: 'loan_not_found', says: /no loan/i },
    );
    expect(await events(paidLoan)).toBe(before);
    expect(await offers(paidLoan)).toEqual([]);
  });

  it('makes a small discount at once; paid in full by its last day, the loan settles', async () => {
    // A large discount first, to learn what is owed: it waits for approval and is then rejected.
    const probe = await call('collector', 'POST', `/loans/${paidLoan}/settlement-offers`, {
      offer: '100.00',
      validThrough: '2026-03-20',
    });
    expect(probe.statusCode, probe.body).toBe(202);
    const pending = json(probe);
    expect(pending).toMatchObject({ status: 'pending', needsApproval: true, offer: '100.00', outcome: null });
    const owed_fen = Math.round(Number(pending.owed) * 100);
    const rejected = await call(
      'risk_analyst',
      'POST',
      `/loans/${paidLoan}/settlement-offers/${pending.offerId as string}/reject`,
      {
        note: 'too deep',
      },
    );
    expect(json(rejected)).toMatchObject({ status: 'rejected', decidedBy: expect.any(String) });

    const offer_fen = owed_fen - 50_000; // 500.00 below what is owed: under the threshold
    const offer = (offer_fen / 100).toFixed(2);
    const key = freshKey();
    const made = await call(
      'collector',
      'POST',
      `/loans/${paidLoan}/settlement-offers`,
      { offer, validThrough: '2026-03-20' },
      key,
    );
    expect(made.statusCode, made.body).toBe(201);
    const body = json(made);
    expect(body).toMatchObject({
      status: 'offered',
      outcome: 'in-force',
      offer,
      discount: '500.00',
      needsApproval: false,
    });
    expect(body.owed).toBe(pending.owed);
    // The same request again answers the same offer and writes nothing more.
    const again = await call(
      'collector',
      'POST',
      `/loans/${paidLoan}/settlement-offers`,
      { offer, validThrough: '2026-03-20' },
      key,
    );
    expect(json(again).offerId).toBe(body.offerId);
    expect((await offers(paidLoan)).length).toBe(2);

    // Two repayments that together reach the offer settle the loan; the discount is waived.
    await setBusinessDay(db, parseDate('2026-03-05'));
    const first = await call('collector', 'POST', `/loans/${paidLoan}/repayments`, { amount: '3000.00' });
    expect(first.statusCode, first.body).toBe(201);
    const rest = ((offer_fen - 300_000) / 100).toFixed(2);
    const second = await call('collector', 'POST', `/loans/${paidLoan}/repayments`, { amount: rest });
    expect(second.statusCode, second.body).toBe(201);
    const loan = json(await call('auditor', 'GET', `/loans/${paidLoan}`));
    expect(loan.status).toBe('settled');
    const listed = (await offers(paidLoan)).find((o) => o.offerId === body.offerId);
    expect(listed).toMatchObject({ status: 'offered', outcome: 'completed' });
  });

  it('waits for a second person above the threshold; unpaid by its last day, it lapses and the loan owes in full', async () => {
    const proposed = await call('collector', 'POST', `/loans/${lapsedLoan}/settlement-offers`, {
      offer: '6000.00',
      validThrough: '2026-03-10',
    });
    expect(proposed.statusCode, proposed.body).toBe(202);
    const offerId = json(proposed).offerId as string;
    const before = await events(lapsedLoan);
    // The proposer may not approve it, even with the approval role.
    const byAnalyst = await call('risk_analyst', 'POST', `/loans/${lapsedLoan}/settlement-offers`, {
      offer: '6500.00',
      validThrough: '2026-03-10',
    });
    expect(byAnalyst.statusCode, byAnalyst.body).toBe(202);
    expectProblem(
      await call(
        'risk_analyst',
        'POST',
        `/loans/${lapsedLoan}/settlement-offers/${json(byAnalyst).offerId as string}/approve`,
        {},
      ),
      { status: 403, code: 'settlement_approval_by_proposer', says: /another risk analyst or an admin/ },
    );
    // A collector may not approve at all.
    expect(
      (await call('collector', 'POST', `/loans/${lapsedLoan}/settlement-offers/${offerId}/approve`, {}))
        .statusCode,
    ).toBe(403);
    expect(await events(lapsedLoan)).toBe(before);

    await setBusinessDay(db, parseDate('2026-03-02'));
    const approved = await call(
      'risk_analyst',
      'POST',
      `/loans/${lapsedLoan}/settlement-offers/${offerId}/approve`,
      {
        note: 'hardship shown',
      },
    );
    expect(approved.statusCode, approved.body).toBe(200);
    expect(json(approved)).toMatchObject({
      status: 'offered',
      outcome: 'in-force',
      offer: '6000.00',
      decidedDate: '2026-03-02',
    });
    // Another offer while one is in force is refused by the engine.
    expectProblem(
      await call('collector', 'POST', `/loans/${lapsedLoan}/settlement-offers`, {
        offer: '6000.00',
        validThrough: '2026-03-20',
      }),
      {
        status: 422,
        code: 'ledger_refused',
        says: /already has a settlement offer valid through 2026-03-10/,
      },
    );
    expectProblem(
      await call('admin', 'POST', `/loans/${lapsedLoan}/settlement-offers/${offerId}/approve`, {}),
      { status: 409, code: 'settlement_offer_status_conflict', says: /is offered; only a pending one/ },
    );

    // The borrower's answer, recorded by staff: the latest is listed; the loan is unchanged.
    const respond = (role: Role, id: string, payload: unknown) =>
      call(role, 'POST', `/loans/${lapsedLoan}/settlement-offers/${id}/borrower-response`, payload);
    const eventsBefore = await events(lapsedLoan);
    const declined = await respond('collector', offerId, { answer: 'declined' });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(json(declined).borrowerResponse).toMatchObject({ answer: 'declined', recordedDate: '2026-03-02' });
    expect((await respond('collector', offerId, { answer: 'accepted' })).statusCode).toBe(200);
    expect((await offers(lapsedLoan)).find((o) => o.offerId === offerId)?.borrowerResponse).toMatchObject({
      answer: 'accepted',
      recordedDate: '2026-03-02',
    });
    expect(await events(lapsedLoan)).toBe(eventsBefore);
    expect((await respond('finance', offerId, { answer: 'accepted' })).statusCode).toBe(403);
    expectProblem(await respond('collector', offerId, { answer: 'maybe' }), {
      status: 400,
      code: 'validation_failed',
      says: /answer/,
    });
    expectProblem(await respond('collector', json(byAnalyst).offerId as string, { answer: 'accepted' }), {
      status: 409,
      code: 'settlement_offer_status_conflict',
      says: /is not in force \(pending\)/,
    });
    expectProblem(await respond('collector', 'SO_nope', { answer: 'accepted' }), {
      status: 404,
      code: 'settlement_offer_not_found',
      says: /has no settlement offer SO_nope/,
    });

    await setBusinessDay(db, parseDate('2026-03-12'));
    await db.transaction((tx) => closeLoansThrough(tx, [lapsedLoan], parseDate('2026-03-11')));
    expect((await offers(lapsedLoan)).find((o) => o.offerId === offerId)).toMatchObject({
      outcome: 'lapsed',
    });
    expectProblem(
      await call('collector', 'POST', `/loans/${lapsedLoan}/settlement-offers/${offerId}/borrower-response`, {
        answer: 'accepted',
      }),
      { status: 409, code: 'settlement_offer_status_conflict', says: /is not in force \(lapsed\)/ },
    );
    const loan = json(await call('auditor', 'GET', `/loans/${lapsedLoan}`));
    expect(loan.status).not.toBe('settled');
  });
});
