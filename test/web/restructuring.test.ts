import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import { closeLoansThrough, type Role, setBusinessDay } from '../../src/store/index.js';
import { auth, freshKey, idNumberFor, json, validCustomer } from '../server/helpers.js';
import {
  choose,
  type Harness,
  screenshot,
  settle,
  signedIn,
  skipBrowser,
  startHarness,
  unexpectedErrors,
} from './browser.js';

const LABELS = {
  'zh-CN': {
    applied: '协商分期已生效',
    pending: '展期超过审批阈值，待另一人审批',
    kept: '按计划履约',
    specialMention: '关注',
    extension: '展期',
    approvedTag: '已生效',
  },
  en: {
    applied: 'Negotiated plan (协商分期) applied',
    pending: 'Term extension (展期) waits for approval by a second person',
    kept: 'Plan kept',
    specialMention: 'Special mention',
    extension: 'Term extension (展期)',
    approvedTag: 'Applied',
  },
} as const;

/*
 * The loan page's restructuring action, in both languages: a collector proposes a 协商分期 negotiated plan
 * for a loan 19 days past due — first one the borrower's income cannot carry (refused under the income
 * field, with the figures), then one it can (applied at once: the loan is current, restructured, 关注) —
 * and a 12-month extension, which waits for a second person; a risk analyst approves it from the same page.
 */
describe.skipIf(skipBrowser)('restructuring from the loan page in chromium', () => {
  let h: Harness;
  const loans: Record<'zh-CN' | 'en', string> = { 'zh-CN': '', en: '' };

  const call = (role: Role, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    h.api.app.inject({
      method,
      url,
      headers: { ...auth(h.api.tokens[role]), 'idempotency-key': freshKey() },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  beforeAll(async () => {
    h = await startHarness();
    const db = h.api.db;
    await setBusinessDay(db, parseDate('2026-01-10'));
    expect(
      (await call('risk_analyst', 'POST', '/products', { id: 'cash-12m', termCount: 12 })).statusCode,
    ).toBe(201);
    for (const [i, locale] of (['zh-CN', 'en'] as const).entries()) {
      const c = await call('admin', 'POST', '/customers', validCustomer({ idNumber: idNumberFor(40 + i) }));
      const l = await call(
        'risk_analyst',
        'POST',
        `/customers/${json(c).customerId as string}/credit-lines`,
        {
          limit: '20000.00',
        },
      );
      const d = await call('admin', 'POST', `/credit-lines/${json(l).lineId as string}/drawdowns`, {
        amount: '10000.00',
        productId: 'cash-12m',
      });
      loans[locale] = json(d).loanId as string;
    }
    await db.transaction((tx) => closeLoansThrough(tx, Object.values(loans), parseDate('2026-02-28')));
    await setBusinessDay(db, parseDate('2026-03-01'));
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    it(`proposes, refuses with the figures, applies and approves restructurings in ${locale}`, async () => {
      const l = LABELS[locale];
      const loanId = loans[locale];
      const { page, errors, context } = await signedIn(h, 'collector', locale);
      await page.goto(`${h.baseUrl}/app/loans/${loanId}`);
      const card = page.getByTestId('restructure-card');
      await card.waitFor();

      // Unaffordable: 3 months on 2,000.00 a month. The server's figures appear under the income field.
      await page.getByTestId('restructure-months').fill('3');
      await page.getByTestId('restructure-income').fill('2000.00');
      await page.getByTestId('restructure-submit').click();
      await card
        .locator('.ant-form-item-explain-error')
        .getByText(locale === 'zh-CN' ? /高于上限 50\.0%/ : /above the cap of 50\.0%/)
        .waitFor();
      expect(await page.getByTestId('restructure-done').count()).toBe(0);
      await screenshot(page, `restructure-refused-${locale}`);

      // Affordable: 14 months on 6,000.00 — applied at once.
      await settle(card);
      await page.getByTestId('restructure-months').fill('14');
      await page.getByTestId('restructure-income').fill('6000.00');
      await page.getByTestId('restructure-submit').click();
      await page.getByTestId('restructure-done').getByText(l.applied).waitFor();
      await page.getByTestId('loan-restructured').getByText(l.kept).waitFor();
      await page.getByTestId('loan-class').getByText(l.specialMention).waitFor();
      await page.getByTestId('restructuring-applied').first().waitFor();
      await screenshot(page, `restructure-applied-${locale}`);

      // 12 more months: above what one person may grant, so it waits.
      await settle(card);
      await choose(page, 'restructure-kind', l.extension);
      await page.getByTestId('restructure-extension').fill('12');
      await page.getByTestId('restructure-submit').click();
      await page.getByTestId('restructure-done').getByText(l.pending).waitFor();
      await page.getByTestId('restructuring-pending').waitFor();
      // A collector may not approve: no button.
      expect(await page.getByTestId('restructure-approve').count()).toBe(0);
      expect(unexpectedErrors(errors, [422])).toEqual([]);
      await context.close();

      const analyst = await signedIn(h, 'risk_analyst', locale);
      await analyst.page.goto(`${h.baseUrl}/app/loans/${loanId}`);
      await analyst.page.getByTestId('restructure-approve').click();
      await analyst.page.getByTestId('restructuring-pending').waitFor({ state: 'detached' });
      await expect.poll(() => analyst.page.getByTestId('restructuring-applied').count()).toBe(2);
      await screenshot(analyst.page, `restructure-approved-${locale}`);
      const after = json(await call('auditor', 'GET', `/loans/${loanId}/restructurings`));
      expect((after.items as { status: string; decidedBy: string }[]).map((r) => r.status)).toEqual([
        'applied',
        'applied',
      ]);
      expect(unexpectedErrors(analyst.errors)).toEqual([]);
      await analyst.context.close();
    });
  }
});
