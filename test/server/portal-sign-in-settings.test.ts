import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PORTAL_SIGN_IN_SETTINGS } from '../../src/server/portal/sign-in-settings.js';
import { backends, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import { startApi, type TestApi } from './helpers.js';

/*
 * The portal's sign-in bounds come from the server's settings (`portalSignIn`): a lender allowing a code every
 * 30 seconds but only 2 an hour per phone gets exactly that, not the defaults (one a minute, 5 an hour).
 */
describe('borrower sign-in bounds from the server settings', () => {
  let api: TestApi;
  let now = new Date('2026-03-02T02:00:00.000Z');

  beforeAll(async () => {
    const db = await openMigrated(backends[0]!);
    api = await startApi(
      db,
      {
        portalSignIn: {
          ...DEFAULT_PORTAL_SIGN_IN_SETTINGS,
          resendInterval_ms: 30_000,
          codesPerPhone_max: 2,
          codeTtl_ms: 10 * 60_000,
        },
      },
      () => now,
    );
  });
  afterAll(async () => {
    await api?.app.close();
    await api?.db.close();
  });

  const askCode = (phone: string) =>
    api.app.inject({
      method: 'POST',
      url: '/portal/sign-in/codes',
      remoteAddress: '10.0.0.1',
      headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' },
      payload: JSON.stringify({ phone }),
    });

  it('applies the configured resend interval, hourly cap per phone and code lifetime', async () => {
    const phone = '13700000088';
    const first = await askCode(phone);
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toMatchObject({ resendAfterSeconds: 30 });
    expect(Date.parse(String(first.json().expiresAt)) - now.getTime()).toBe(10 * 60_000);

    now = new Date(now.getTime() + 20_000);
    const soon = await askCode(phone);
    expectProblem(soon, { status: 429, code: 'rate_limited', says: /请等待/ });
    expect(soon.headers['retry-after']).toBe('10');

    now = new Date(now.getTime() + 11_000);
    expect((await askCode(phone)).statusCode).toBe(202);
    now = new Date(now.getTime() + 31_000);
    expectProblem(await askCode(phone), { status: 429, code: 'rate_limited', says: /60 分钟内 2 次/ });
  });
});
