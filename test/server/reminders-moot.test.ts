import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChannelConfig, planReminderWave, runDispatcher, signBody } from '../../src/jobs/index.js';
import { drawdown, openLine, parseProduct } from '../../src/ledger/index.js';
import { addDays, formatDate, parseDate } from '../../src/money/index.js';
import { testGateway } from '../../src/server/portal/gateway.js';
import {
  applyLoanCommand,
  closeLoansThrough,
  findProduct,
  insertLine,
  insertLoan,
  insertProductVersion,
  listLoanReminders,
  saveLine,
  setBusinessDay,
  setTestGateway,
} from '../../src/store/index.js';
import { startReceiver } from '../jobs/receivers.js';
import { backends, openMigrated } from '../store/backends.js';
import { auth, freshKey, startApi, type TestApi } from './helpers.js';
import { borrowerToken, customerWithPhone, DUE, loanFor } from './portal-helpers.js';

/*
 * Every change of what a loan owes cancels the reminders it made moot, in the change's own transaction, and
 * the dispatcher checks again right before sending: a T0 reminder (09:00 Shanghai on the due date, 01:00Z)
 * planned at the day's open is not sent to a borrower who paid through the portal, whose loan was
 * restructured, or whose loan was written off before it went out. The SMS gateway counts what it receives.
 */
const SMS_SECRET = 'sms-secret-0123456789abcdef';
const T0_SENT_AT = new Date(`${formatDate(DUE)}T01:00:01Z`);
const key = (loanId: string, due = DUE) => `reminder:${loanId}/t0/${formatDate(due)}`;

async function stagesOf(api: TestApi, loanId: string) {
  return (await listLoanReminders(api.db, loanId, 20)).map((r) => [r.stageId, r.status, r.cancelReason]);
}

describe('a change of what is owed cancels the reminders it made moot', () => {
  let api: TestApi;
  let sms: Awaited<ReturnType<typeof startReceiver>>;
  const NOW = new Date(`${formatDate(DUE)}T00:30:00Z`);
  let paid = '';
  let kept = '';
  let restructured = '';
  let silent = '';
  let token = '';

  beforeAll(async () => {
    const db = await openMigrated(backends[0]!);
    api = await startApi(db, {}, () => NOW);
    sms = await startReceiver(() => SMS_SECRET);
    const customers = [];
    for (const [i, phone] of ['13500000001', '13500000002', '13500000003', '13500000004'].entries())
      customers.push(await customerWithPhone(api, phone, 401 + i));
    paid = (await loanFor(api, customers[0]!, 'a'.repeat(28))).loanId;
    kept = (await loanFor(api, customers[1]!, 'b'.repeat(28))).loanId;
    restructured = (await loanFor(api, customers[2]!, 'c'.repeat(28))).loanId;
    silent = (await loanFor(api, customers[3]!, 'd'.repeat(28))).loanId;
    const loans = [paid, kept, restructured, silent];
    await db.transaction((tx) => closeLoansThrough(tx, loans, addDays(DUE, -1)));
    const wave = await db.transaction((tx) => planReminderWave(tx, DUE));
    expect(wave.remindersPlanned).toBe(4);
    await db.transaction((tx) => setBusinessDay(tx, DUE));
    await setTestGateway(db, true);
    token = await borrowerToken(api, '13500000001');
  });
  afterAll(async () => {
    await sms?.close();
    await api?.app.close();
    await api?.db.close();
  });

  it('a payment through the portal gateway cancels the T0 reminder in its transaction', async () => {
    const quote = await api.app.inject({
      method: 'GET',
      url: `/portal/loans/${paid}/repayment-quote`,
      headers: auth(token),
    });
    const amount = (quote.json() as { options: { purpose: string; amount: string }[] }).options.find(
      (o) => o.purpose === 'instalment',
    )!.amount;
    const started = await api.app.inject({
      method: 'POST',
      url: `/portal/loans/${paid}/payments`,
      headers: { ...auth(token), 'idempotency-key': freshKey(), 'content-type': 'application/json' },
      payload: JSON.stringify({ purpose: 'instalment', amount }),
    });
    expect(started.statusCode, started.body).toBe(201);
    const payment = started.json() as { paymentId: string };
    const stored = await api.db.query<{ gateway_payment_id: string }>(
      'select gateway_payment_id from portal_payments where payment_id = $1',
      [payment.paymentId],
    );
    const text = JSON.stringify({
      paymentId: payment.paymentId,
      gatewayPaymentId: stored.rows[0]!.gateway_payment_id,
      status: 'paid',
      amount,
      currency: 'CNY',
    });
    const timestamp = String(Math.floor(NOW.getTime() / 1000));
    const callback = await api.app.inject({
      method: 'POST',
      url: '/portal/payment-callbacks',
      headers: {
        'content-type': 'application/json',
        'lendguard-timestamp': timestamp,
        'lendguard-signature': signBody(testGateway(api.cipher).callbackSecret, timestamp, text),
      },
      payload: text,
    });
    expect(callback.statusCode, callback.body).toBe(200);
    expect(await stagesOf(api, paid)).toEqual([['t0', 'cancelled', 'repaid']]);
  });

  it('a restructuring applied at once cancels the reminders of the old plan', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: `/loans/${restructured}/restructurings`,
      headers: {
        ...auth(api.tokens.collector),
        'idempotency-key': freshKey(),
        'content-type': 'application/json',
      },
      payload: JSON.stringify({ kind: 'payment-holiday', holidayMonths: 1, holidayInterest: 'accrue' }),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(await stagesOf(api, restructured)).toEqual([['t0', 'cancelled', 'restructured']]);
  });

  it('the dispatcher checks again before sending: a change that cancelled nothing still stops the reminder', async () => {
    // A repayment written straight to the ledger, as no route does: nothing cancelled its reminder.
    await api.db.transaction((tx) =>
      applyLoanCommand(tx, silent, {
        type: 'repay',
        amountMinor: 200_000,
        day: DUE,
        clientId: 'test:silent',
        excess: 'credit',
      }),
    );
    expect(await stagesOf(api, silent)).toEqual([['t0', 'planned', null]]);

    const config = parseChannelConfig(
      { sms: { url: sms.url, secretEnv: 'TEST_SMS_SECRET', timeout_ms: 2000 } },
      { TEST_SMS_SECRET: SMS_SECRET },
    );
    const report = await runDispatcher(api.db, api.cipher, config, {
      untilIdle: true,
      now: () => T0_SENT_AT,
    });
    expect(report).toMatchObject({ sent: 1, cancelled: 1, retried: 0, dead: 0 });
    expect(await stagesOf(api, silent)).toEqual([['t0', 'cancelled', 'repaid']]);
    // The gateway received the one reminder still owed, and none of the moot ones.
    expect([...sms.byKey.entries()]).toEqual([[key(kept), 1]]);
    expect(await stagesOf(api, kept)).toEqual([['t0', 'sent', null]]);
  });
});

describe('a write-off cancels the reminders of its instalments', () => {
  let api: TestApi;
  let sms: Awaited<ReturnType<typeof startReceiver>>;
  let loanId = '';
  /** A 12-month loan drawn 2026-01-10 and never paid: 212 days past due on its eighth due date. */
  const DAY = parseDate('2026-09-10');

  beforeAll(async () => {
    const db = await openMigrated(backends[0]!);
    api = await startApi(db);
    sms = await startReceiver(() => SMS_SECRET);
    const customerId = await customerWithPhone(api, '13600000001', 501);
    await insertProductVersion(db, parseProduct({ id: 'p12', termCount: 12 }), 'usr_test');
    loanId = `ln_${'e'.repeat(28)}`;
    await db.transaction(async (tx) => {
      const product = (await findProduct(tx, 'p12'))!;
      const drawn = parseDate('2026-01-10');
      const line = await insertLine(
        tx,
        openLine({ lineId: `cl_${'e'.repeat(28)}`, customerId, limitMinor: 5_000_000, day: drawn }).line,
      );
      const r = drawdown(line.state, {
        loanId,
        product: product.product,
        principalMinor: 600_000,
        day: drawn,
      });
      await saveLine(tx, line, r.line);
      await insertLoan(tx, { productVersion: product.version, opened: r.loan });
    });
    await db.transaction((tx) => closeLoansThrough(tx, [loanId], addDays(DAY, -1)));
    await db.transaction((tx) => planReminderWave(tx, DAY));
    await db.transaction((tx) => setBusinessDay(tx, DAY));
  });
  afterAll(async () => {
    await sms?.close();
    await api?.app.close();
    await api?.db.close();
  });

  it('approved by a second person: the T0 reminder of the day is cancelled and never sent', async () => {
    const before = await listLoanReminders(api.db, loanId, 20);
    expect(before.find((r) => r.stageId === 't0')).toMatchObject({ status: 'planned' });
    const call = (token: string, url: string, body: unknown) =>
      api.app.inject({
        method: 'POST',
        url,
        headers: { ...auth(token), 'idempotency-key': freshKey(), 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    const proposed = await call(api.tokens.risk_analyst, '/write-offs/proposals', {
      loans: [{ loanId, evidenceRef: 'CASE-2026-0910' }],
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const { proposalId } = proposed.json() as { proposalId: string };
    const approved = await call(api.tokens.finance, `/write-offs/proposals/${proposalId}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);

    const after = await listLoanReminders(api.db, loanId, 20);
    expect(after.filter((r) => r.status !== 'cancelled')).toEqual([]);
    expect(after.find((r) => r.stageId === 't0')).toMatchObject({ cancelReason: 'written-off' });
    const config = parseChannelConfig(
      { sms: { url: sms.url, secretEnv: 'TEST_SMS_SECRET', timeout_ms: 2000 } },
      { TEST_SMS_SECRET: SMS_SECRET },
    );
    const report = await runDispatcher(api.db, api.cipher, config, {
      untilIdle: true,
      now: () => new Date(`${formatDate(DAY)}T03:00:00Z`),
    });
    expect(report).toMatchObject({ sent: 0, cancelled: 0 });
    expect(sms.requests).toBe(0);
    expect(sms.byKey.has(key(loanId, DAY))).toBe(false);
  });
});
