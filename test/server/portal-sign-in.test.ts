import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDispatcher } from '../../src/jobs/index.js';
import { DEFAULT_RETRY_POLICY } from '../../src/monitoring/index.js';
import { setDemoCode } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import { auth, freshKey, idNumberFor, startApi, type TestApi, validCustomer } from './helpers.js';

/** A stand-in for the lender's SMS gateway: a real HTTP endpoint that keeps what it is sent. */
function smsGateway(): Promise<{ server: Server; url: string; received: Record<string, unknown>[] }> {
  const received: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => {
      text += c;
    });
    req.on('end', () => {
      received.push({
        ...(JSON.parse(text) as Record<string, unknown>),
        signature: req.headers['lendguard-signature'],
      });
      res.writeHead(200).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`, received }),
    ),
  );
}

describe('borrower sign-in by phone and one-time code', () => {
  let api: TestApi;
  let gateway: Awaited<ReturnType<typeof smsGateway>>;
  let now = new Date('2026-03-02T02:00:00.000Z');
  const PHONE_A = '13700000001';
  const PHONE_B = '13700000002';
  let customerA = '';
  let customerB = '';

  beforeAll(async () => {
    const db = await openMigrated(backends[0]!);
    api = await startApi(db, {}, () => now);
    gateway = await smsGateway();
    for (const [i, phone] of [PHONE_A, PHONE_B].entries()) {
      const res = await api.app.inject({
        method: 'POST',
        url: '/customers',
        headers: {
          ...auth(api.tokens.admin),
          'idempotency-key': freshKey(),
          'content-type': 'application/json',
        },
        payload: JSON.stringify(validCustomer({ phone, idNumber: idNumberFor(100 + i) })),
      });
      expect(res.statusCode, res.body).toBe(201);
      if (i === 0) customerA = String(res.json().customerId);
      else customerB = String(res.json().customerId);
    }
  });
  afterAll(async () => {
    gateway?.server.close();
    await api?.app.close();
    await api?.db.close();
  });

  const tick = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  const askCode = (phone: string, remoteAddress = '10.0.0.1') =>
    api.app.inject({
      method: 'POST',
      url: '/portal/sign-in/codes',
      remoteAddress,
      headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' },
      payload: JSON.stringify({ phone }),
    });
  const signIn = (challengeId: string, code: string) =>
    api.app.inject({
      method: 'POST',
      url: '/portal/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ challengeId, code }),
    });
  /** Runs the outbox dispatcher once and returns the code texted to `phone` last. */
  const deliveredCode = async (phone: string): Promise<string> => {
    await runDispatcher(
      api.db,
      api.cipher,
      {
        webhooks: { sms: { url: gateway.url, secret: 's'.repeat(32), timeout_ms: 2_000 } },
        eventTimeout_ms: 2_000,
        retry: DEFAULT_RETRY_POLICY,
      },
      { untilIdle: true, now: () => now },
    );
    const last = gateway.received.filter((m) => (m.to as { phone?: string }).phone === phone).at(-1);
    expect(last, 'a text message reached the phone').toBeDefined();
    const body = String((last!.message as { body: string }).body);
    return /([0-9]{6})/.exec(body)![1]!;
  };
  /** A full sign-in of `phone`: ask, receive, answer. */
  const signInAs = async (phone: string): Promise<string> => {
    tick(61_000);
    const asked = await askCode(phone);
    expect(asked.statusCode, asked.body).toBe(202);
    const code = await deliveredCode(phone);
    const res = await signIn(String(asked.json().challengeId), code);
    expect(res.statusCode, res.body).toBe(200);
    return String(res.json().token);
  };

  it('texts a code through the SMS webhook adapter, signed, and signs the borrower in with it', async () => {
    const asked = await askCode(PHONE_A);
    expect(asked.statusCode, asked.body).toBe(202);
    const { challengeId } = asked.json() as { challengeId: string };
    const code = await deliveredCode(PHONE_A);
    const message = gateway.received.at(-1)!;
    expect(message).toMatchObject({
      channel: 'sms',
      kind: 'otp',
      to: { customerId: customerA, phone: PHONE_A },
    });
    expect(String(message.signature)).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(String((message.message as { body: string }).body)).toMatch(/验证码/);
    // The code is stored only as a keyed hash.
    const { rows } = await api.db.query<{ code_hash: string }>(
      'select code_hash from portal_otp_challenges where challenge_id = $1',
      [challengeId],
    );
    expect(rows[0]!.code_hash).not.toContain(code);

    const res = await signIn(challengeId, code);
    expect(res.statusCode, res.body).toBe(200);
    const { token, customerId } = res.json() as { token: string; customerId: string };
    expect(token).toMatch(/^lgb_/);
    expect(customerId).toBe(customerA);
    // Its text leaves the outbox once used.
    const outbox = await api.db.query<{ payload: { body: string } }>(
      'select payload from outbox_messages where idempotency_key = $1',
      [`otp:${challengeId}`],
    );
    expect(outbox.rows[0]!.payload.body).toBe('');

    const me = await api.app.inject({ method: 'GET', url: '/portal/me', headers: auth(token) });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({ customerId: customerA, phone: '137****0001' });
    const audit = await api.db.query<{ action: string; actor_role: string; customer_id: string }>(
      "select action, actor_role, customer_id from audit_log where action = 'portal.read'",
    );
    expect(audit.rows).toEqual([{ action: 'portal.read', actor_role: 'borrower', customer_id: customerA }]);

    // A used code does not sign in twice.
    expectProblem(await signIn(challengeId, code), {
      status: 400,
      code: 'portal_code_expired',
      says: /expired|used/,
    });
  });

  it('refuses a borrower token on staff routes and a staff token on portal routes', async () => {
    const token = await signInAs(PHONE_A);
    const staffRoute = await api.app.inject({ method: 'GET', url: '/customers', headers: auth(token) });
    expectProblem(staffRoute, { status: 401, code: 'unauthenticated', says: /token/ });
    const loans = await api.app.inject({
      method: 'GET',
      url: `/customers/${customerA}`,
      headers: auth(token),
    });
    expect(loans.statusCode).toBe(401);
    const portalRoute = await api.app.inject({
      method: 'GET',
      url: '/portal/me',
      headers: auth(api.tokens.admin),
    });
    expectProblem(portalRoute, { status: 401, code: 'unauthenticated', says: /sign in/i });
    expect((await api.app.inject({ method: 'GET', url: '/portal/me' })).statusCode).toBe(401);
  });

  it('counts wrong codes and stops the code after five, even for the right one', async () => {
    tick(61_000);
    const asked = await askCode(PHONE_B);
    const { challengeId } = asked.json() as { challengeId: string };
    const code = await deliveredCode(PHONE_B);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 1; left -= 1) {
      const res = await signIn(challengeId, wrong);
      expectProblem(res, {
        status: 400,
        code: 'portal_code_wrong',
        says: new RegExp(`${left} tries`),
        path: '/body/code',
      });
    }
    expectProblem(await signIn(challengeId, wrong), {
      status: 400,
      code: 'portal_code_attempts_exceeded',
      says: /5 times/,
    });
    expectProblem(await signIn(challengeId, code), {
      status: 400,
      code: 'portal_code_attempts_exceeded',
      says: /new code/,
    });
  });

  it('lets a code expire after five minutes', async () => {
    tick(61_000);
    const asked = await askCode(PHONE_B);
    const { challengeId } = asked.json() as { challengeId: string };
    const code = await deliveredCode(PHONE_B);
    tick(5 * 60_000);
    expectProblem(await signIn(challengeId, code), {
      status: 400,
      code: 'portal_code_expired',
      says: /expired/,
    });
  });

  it('does not send a code that expired before the dispatcher ran', async () => {
    tick(61_000);
    const before = gateway.received.length;
    const asked = await askCode(PHONE_B);
    expect(asked.statusCode).toBe(202);
    tick(5 * 60_000 + 1);
    await runDispatcher(
      api.db,
      api.cipher,
      {
        webhooks: { sms: { url: gateway.url, secret: 's'.repeat(32), timeout_ms: 2_000 } },
        eventTimeout_ms: 2_000,
        retry: DEFAULT_RETRY_POLICY,
      },
      { untilIdle: true, now: () => now },
    );
    expect(gateway.received.length).toBe(before);
  });

  it('answers an unknown number as a known one, and texts nothing', async () => {
    tick(61_000);
    const before = await api.db.query<{ n: number }>(
      "select count(*)::int as n from outbox_messages where kind = 'otp'",
    );
    const asked = await askCode('13999999999');
    expect(asked.statusCode).toBe(202);
    expect(Object.keys(asked.json()).sort()).toEqual(['challengeId', 'expiresAt', 'resendAfterSeconds']);
    const after = await api.db.query<{ n: number }>(
      "select count(*)::int as n from outbox_messages where kind = 'otp'",
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    expectProblem(await signIn(String(asked.json().challengeId), '123456'), {
      status: 400,
      code: 'portal_code_wrong',
      says: /not right/,
    });
  });

  it('rate-limits codes per phone (resend interval, hourly cap) and per address', async () => {
    tick(61 * 60_000);
    const phone = '13700000077';
    expect((await askCode(phone)).statusCode).toBe(202);
    const soon = await askCode(phone);
    expectProblem(soon, { status: 429, code: 'rate_limited', says: /请等待/ });
    expect(soon.headers['retry-after']).toBe('60');
    for (let i = 0; i < 4; i += 1) {
      tick(61_000);
      expect((await askCode(phone)).statusCode).toBe(202);
    }
    tick(61_000);
    expectProblem(await askCode(phone), { status: 429, code: 'rate_limited', says: /60 分钟内 5 次/ });

    for (let i = 0; i < 20; i += 1) {
      expect((await askCode(`1360000${String(i).padStart(4, '0')}`, '10.9.9.9')).statusCode).toBe(202);
    }
    expectProblem(await askCode('13600009999', '10.9.9.9'), {
      status: 429,
      code: 'rate_limited',
      says: /网络地址/,
    });
    expect((await askCode('13600009999', '10.9.9.8')).statusCode).toBe(202);
  });

  it('ends a session at sign-out, and at once when staff revoke it', async () => {
    tick(61 * 60_000);
    const token = await signInAs(PHONE_A);
    const out = await api.app.inject({ method: 'POST', url: '/portal/sign-out', headers: auth(token) });
    expect(out.statusCode, out.body).toBe(204);
    expect(
      (await api.app.inject({ method: 'GET', url: '/portal/me', headers: auth(token) })).statusCode,
    ).toBe(401);

    const second = await signInAs(PHONE_A);
    const listed = await api.app.inject({
      method: 'GET',
      url: `/customers/${customerA}/portal-sessions`,
      headers: auth(api.tokens.collector),
    });
    const live = (listed.json() as { items: { sessionId: string; revokedAt: string | null }[] }).items.find(
      (s) => s.revokedAt === null,
    )!;
    const forbidden = await api.app.inject({
      method: 'DELETE',
      url: `/customers/${customerA}/portal-sessions/${live.sessionId}`,
      headers: { ...auth(api.tokens.collector), 'idempotency-key': freshKey() },
    });
    expect(forbidden.statusCode).toBe(403);
    const wrongOwner = await api.app.inject({
      method: 'DELETE',
      url: `/customers/${customerB}/portal-sessions/${live.sessionId}`,
      headers: { ...auth(api.tokens.admin), 'idempotency-key': freshKey() },
    });
    expectProblem(wrongOwner, { status: 404, code: 'portal_session_not_found', says: /no portal session/ });
    const revoked = await api.app.inject({
      method: 'DELETE',
      url: `/customers/${customerA}/portal-sessions/${live.sessionId}`,
      headers: { ...auth(api.tokens.admin), 'idempotency-key': freshKey() },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ revokedBy: api.userIds.admin });
    expect(
      (await api.app.inject({ method: 'GET', url: '/portal/me', headers: auth(second) })).statusCode,
    ).toBe(401);
  });

  it('ends a session after thirty minutes', async () => {
    const token = await signInAs(PHONE_B);
    expect(
      (await api.app.inject({ method: 'GET', url: '/portal/me', headers: auth(token) })).statusCode,
    ).toBe(200);
    tick(30 * 60_000);
    expect(
      (await api.app.inject({ method: 'GET', url: '/portal/me', headers: auth(token) })).statusCode,
    ).toBe(401);
  });

  it('takes the fixed demo code only where the demo turned it on', async () => {
    tick(61 * 60_000);
    const first = await askCode(PHONE_B);
    expectProblem(await signIn(String(first.json().challengeId), '246810'), {
      status: 400,
      code: 'portal_code_wrong',
      says: /not right/,
    });
    await setDemoCode(api.db, api.cipher, '246810');
    const res = await signIn(String(first.json().challengeId), '246810');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ customerId: customerB });
    await setDemoCode(api.db, api.cipher, null);
  });
});
