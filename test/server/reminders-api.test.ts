import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planReminderWave } from '../../src/jobs/index.js';
import { addDays } from '../../src/money/index.js';
import { closeLoansThrough, listWebhookSubscriptions, setBusinessDay } from '../../src/store/index.js';
import { bookWithLoans, DUE } from '../jobs/reminder-book.js';
import { backends, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import { auth, freshKey, startApi, type TestApi } from './helpers.js';

const X = 'a'.repeat(28);
const LOAN = `ln_${X}`;

describe('reminders and webhook subscriptions over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    const db = await openMigrated(backends[0]!);
    api = await startApi(db);
    await bookWithLoans(db, [X]);
    await db.transaction((tx) => closeLoansThrough(tx, [LOAN], addDays(DUE, -4)));
    await db.transaction((tx) => planReminderWave(tx, addDays(DUE, -3)));
    await db.transaction((tx) => setBusinessDay(tx, addDays(DUE, -3)));
  });
  afterAll(async () => {
    await api?.app.close();
    await api?.db.close();
  });

  const get = (url: string, token = api.tokens.collector) =>
    api.app.inject({ method: 'GET', url, headers: auth(token) });
  const write = (
    method: 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    token = api.tokens.admin,
    key = freshKey(),
  ) =>
    api.app.inject({
      method,
      url,
      headers: {
        ...auth(token),
        'idempotency-key': key,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });

  it('lists a loan’s reminders with stage, channel, scheduledAt and status', async () => {
    const res = await get(`/loans/${LOAN}/reminders`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: Record<string, unknown>[] };
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      stage: 't-3',
      channel: 'app-push',
      scheduledAt: '2026-02-07T02:00:00.000Z',
      status: 'planned',
      legallyRequired: false,
      dueDate: '2026-02-10',
      currency: 'CNY',
      lang: 'zh-CN',
      attempts: 0,
    });
    expect(String(body.items[0]?.amountDue)).toMatch(/^\d+\.\d\d$/);
  });

  it('cancels the reminders a repayment made moot', async () => {
    const listed = (await get(`/loans/${LOAN}/reminders`)).json() as { items: { amountDue: string }[] };
    const paid = await write(
      'POST',
      `/loans/${LOAN}/repayments`,
      { amount: listed.items[0]!.amountDue, excess: 'credit' },
      api.tokens.collector,
    );
    expect(paid.statusCode, paid.body).toBe(201);
    const after = (await get(`/loans/${LOAN}/reminders`)).json() as { items: Record<string, unknown>[] };
    expect(after.items[0]).toMatchObject({ stage: 't-3', status: 'cancelled', cancelReason: 'repaid' });
  });

  it('answers an unknown or malformed loan id with problem+json', async () => {
    expectProblem(await get(`/loans/ln_${'b'.repeat(28)}/reminders`), {
      status: 404,
      code: 'loan_not_found',
      says: /No loan/i,
    });
    expectProblem(await get('/loans/nope/reminders'), {
      status: 400,
      code: 'validation_failed',
      says: /loanId/,
    });
  });

  it('creates, reads, changes and removes a subscription; the secret is shown once', async () => {
    const key = freshKey();
    const body = {
      url: 'https://hooks.lender.test/lendguard',
      eventTypes: ['loan.past_due', 'reminder.failed'],
    };
    const created = await write('POST', '/webhook-subscriptions', body, api.tokens.admin, key);
    expect(created.statusCode, created.body).toBe(201);
    const sub = created.json() as { subscriptionId: string; secret: string };
    expect(sub.secret).toMatch(/^whsec_/);
    const replay = await write('POST', '/webhook-subscriptions', body, api.tokens.admin, key);
    expect(replay.statusCode).toBe(201);
    expect(replay.json()).not.toHaveProperty('secret');
    expect((replay.json() as { subscriptionId: string }).subscriptionId).toBe(sub.subscriptionId);

    const listed = await get('/webhook-subscriptions', api.tokens.auditor);
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(sub.secret);
    const paused = await write('PATCH', `/webhook-subscriptions/${sub.subscriptionId}`, { active: false });
    expect(paused.json()).toMatchObject({ active: false, eventTypes: ['loan.past_due', 'reminder.failed'] });
    const removed = await write('DELETE', `/webhook-subscriptions/${sub.subscriptionId}`);
    expect(removed.statusCode).toBe(204);
    expectProblem(await get(`/webhook-subscriptions/${sub.subscriptionId}`, api.tokens.admin), {
      status: 404,
      code: 'webhook_subscription_not_found',
      says: /GET \/webhook-subscriptions/,
    });
  });

  it.each([
    ['ftp://files.lender.test/x', /only http: and https:/],
    ['hooks.lender.test/x', /not an absolute URL/],
    ['https://user:pw@hooks.lender.test/x', /user name or password/],
    ['https://hooks.lender.test/x#frag', /fragment/],
  ])('refuses the webhook URL %s and writes nothing', async (url, says) => {
    const before = (await listWebhookSubscriptions(api.db)).length;
    expectProblem(await write('POST', '/webhook-subscriptions', { url, eventTypes: ['loan.past_due'] }), {
      status: 400,
      code: 'validation_failed',
      says,
      path: '/body/url',
    });
    expect((await listWebhookSubscriptions(api.db)).length).toBe(before);
  });

  it('refuses unknown event types and roles that may not subscribe', async () => {
    expectProblem(
      await write('POST', '/webhook-subscriptions', {
        url: 'https://h.test/x',
        eventTypes: ['loan.exploded'],
      }),
      {
        status: 400,
        code: 'validation_failed',
        says: /eventTypes/,
      },
    );
    expectProblem(
      await write(
        'POST',
        '/webhook-subscriptions',
        { url: 'https://h.test/x', eventTypes: ['loan.past_due'] },
        api.tokens.risk_analyst,
      ),
      { status: 403, code: 'forbidden', says: /webhooks\.manage|may not/ },
    );
    expectProblem(await get('/webhook-subscriptions', api.tokens.collector), {
      status: 403,
      code: 'forbidden',
      says: /./,
    });
  });
});
