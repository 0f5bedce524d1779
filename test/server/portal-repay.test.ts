import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from '../../src/jobs/index.js';
import { addDays } from '../../src/money/index.js';
import { testGateway } from '../../src/server/portal/gateway.js';
import { closeLoansThrough, setBusinessDay, setTestGateway } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import { auth, freshKey, startApi, type TestApi } from './helpers.js';
import { borrowerToken, customerWithPhone, DUE, loanFor } from './portal-helpers.js';

describe('a borrower repays from the portal through the payment gateway', () => {
  let api: TestApi;
  let base = '';
  let tokenA = '';
  let tokenB = '';
  let loanA = '';
  const NOW = new Date('2026-03-22T02:00:00Z');

  beforeAll(async () => {
    const db = await openMigrated(backends[0]!);
    api = await startApi(db, {}, () => NOW);
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    const a = await customerWithPhone(api, '13400000001', 301);
    await customerWithPhone(api, '13400000002', 302);
    ({ loanId: loanA } = await loanFor(api, a, 'c'.repeat(28)));
    await db.transaction((tx) => closeLoansThrough(tx, [loanA], addDays(DUE, 39)));
    await db.transaction((tx) => setBusinessDay(tx, addDays(DUE, 40)));
    tokenA = await borrowerToken(api, '13400000001');
    tokenB = await borrowerToken(api, '13400000002');
  });
  afterAll(async () => {
    await api?.app.close();
    await api?.db.close();
  });

  const get = (url: string, token = tokenA) => api.app.inject({ method: 'GET', url, headers: auth(token) });
  const start = (body: unknown, key = freshKey(), token = tokenA) =>
    api.app.inject({
      method: 'POST',
      url: `/portal/loans/${loanA}/payments`,
      headers: { ...auth(token), 'idempotency-key': key, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  const quote = async () =>
    (await get(`/portal/loans/${loanA}/repayment-quote`)).json() as {
      options: { purpose: string; amount: string }[];
    };
  const amountFor = async (purpose: string) =>
    (await quote()).options.find((o) => o.purpose === purpose)!.amount;
  const callback = (text: string, headers: Record<string, string>) =>
    fetch(`${base}/portal/payment-callbacks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: text,
    });
  const signed = (text: string, secret = testGateway(api.cipher).callbackSecret) => {
    const timestamp = String(Math.floor(NOW.getTime() / 1000));
    return { 'lendguard-timestamp': timestamp, 'lendguard-signature': signBody(secret, timestamp, text) };
  };
  const ledgerFacts = async () => {
    const { rows } = await api.db.query<{ n: number; seq: number }>(
      `select (select count(*)::int from loan_events where loan_id = $1) as n,
              (select count(*)::int from ledger_commands where client_id like 'portal:%') as seq`,
      [loanA],
    );
    return rows[0]!;
  };

  it('refuses to start a repayment where no gateway is set up', async () => {
    const amount = await amountFor('overdue');
    expectProblem(await start({ purpose: 'overdue', amount }), {
      status: 503,
      code: 'portal_payments_unavailable',
      says: /no payment gateway/,
    });
    await setTestGateway(api.db, true);
  });

  it('takes only the amount quoted, and the same key gives the same payment', async () => {
    expectProblem(await start({ purpose: 'overdue', amount: '1.00' }), {
      status: 409,
      code: 'portal_quote_changed',
      says: /is now/,
      path: '/body/amount',
    });
    const amount = await amountFor('overdue');
    const key = freshKey();
    const first = await start({ purpose: 'overdue', amount }, key);
    expect(first.statusCode, first.body).toBe(201);
    const again = await start({ purpose: 'overdue', amount }, key);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().paymentId).toBe(first.json().paymentId);
    expect(first.json()).toMatchObject({ status: 'pending', purpose: 'overdue', amount });
    expect(String(first.json().payUrl)).toMatch(/^\/test-gateway\/payments\/pay_/);
  });

  it('refuses unsigned, badly signed and altered callbacks and writes nothing', async () => {
    const amount = await amountFor('overdue');
    const payment = (await start({ purpose: 'overdue', amount })).json() as { paymentId: string };
    const page = (await (await fetch(`${base}/test-gateway/payments/${payment.paymentId}`)).json()) as {
      amount: string;
    };
    const text = JSON.stringify({
      paymentId: payment.paymentId,
      gatewayPaymentId: `tgw_${payment.paymentId.slice(4)}`,
      status: 'paid',
      amount: page.amount,
      currency: 'CNY',
    });
    const before = await ledgerFacts();
    const unsigned = await callback(text, {});
    expect(unsigned.status).toBe(400);
    const forged = await callback(text, signed(text, 'not-the-gateway-secret-0123456789'));
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { code: string }).code).toBe('portal_callback_signature_invalid');
    const altered = text.replace(page.amount, '99999.00');
    expect((await callback(altered, signed(text))).status).toBe(401);
    const stale = signed(text);
    stale['lendguard-timestamp'] = String(Number(stale['lendguard-timestamp']) - 3600);
    expect((await callback(text, stale)).status).toBe(401);
    expect(await ledgerFacts()).toEqual(before);
    const status = (await get(`/portal/payments/${payment.paymentId}`)).json() as { status: string };
    expect(status.status).toBe('pending');
  });

  it('posts a paid payment as one repayment, however often the gateway calls back', async () => {
    const overdueBefore = ((await get('/portal/loans')).json() as { items: { overdue: { total: string } }[] })
      .items[0]!.overdue.total;
    expect(Number(overdueBefore)).toBeGreaterThan(0);
    const amount = await amountFor('overdue');
    const payment = (await start({ purpose: 'overdue', amount })).json() as { paymentId: string };
    const before = await ledgerFacts();
    const paid = await fetch(`${base}/test-gateway/payments/${payment.paymentId}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'paid' }),
    });
    expect(paid.status, await paid.clone().text()).toBe(200);
    expect(await paid.json()).toMatchObject({ status: 'paid', repeated: false });
    const after = await ledgerFacts();
    expect(after.seq).toBe(before.seq + 1);
    expect(after.n).toBeGreaterThan(before.n);
    const loan = (await get('/portal/loans')).json() as {
      items: { overdue: { total: string }; loan: { daysPastDue: number } }[];
    };
    expect(loan.items[0]!.overdue.total).toBe('0.00');
    expect(loan.items[0]!.loan.daysPastDue).toBe(0);

    // The gateway calls again with the same outcome: answered, nothing posted twice.
    const text = JSON.stringify({
      paymentId: payment.paymentId,
      gatewayPaymentId: `tgw_${payment.paymentId.slice(4)}`,
      status: 'paid',
      amount,
      currency: 'CNY',
    });
    const repeat = await callback(text, signed(text));
    expect(repeat.status).toBe(200);
    expect(await repeat.json()).toMatchObject({ repeated: true });
    expect(await ledgerFacts()).toEqual(after);
    // An outcome that contradicts the recorded one is refused.
    const contrary = text.replace('"paid"', '"failed"');
    expect((await callback(contrary, signed(contrary))).status).toBe(409);
    expect((await get(`/portal/payments/${payment.paymentId}`)).json()).toMatchObject({ status: 'paid' });
  });

  it('keeps another borrower out of a payment', async () => {
    const amount = await amountFor('payoff');
    const payment = (await start({ purpose: 'payoff', amount })).json() as { paymentId: string };
    expectProblem(await get(`/portal/payments/${payment.paymentId}`, tokenB), {
      status: 404,
      code: 'portal_payment_not_found',
      says: /no such payment/,
    });
    expect((await start({ purpose: 'payoff', amount }, freshKey(), tokenB)).statusCode).toBe(404);
  });

  it('settles the whole loan at the payoff quote', async () => {
    const amount = await amountFor('payoff');
    const payment = (await start({ purpose: 'payoff', amount })).json() as { paymentId: string };
    const paid = await fetch(`${base}/test-gateway/payments/${payment.paymentId}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'paid' }),
    });
    expect(paid.status, await paid.clone().text()).toBe(200);
    const loan = (await get(`/portal/loans/${loanA}`)).json() as {
      loan: { status: string; totalOwed: string };
    };
    expect(loan.loan).toMatchObject({ status: 'settled', totalOwed: '0.00' });
  });
});
