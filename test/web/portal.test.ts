import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate } from '../../src/money/index.js';
import { closeLoansThrough, setBusinessDay, setDemoCode, setTestGateway } from '../../src/store/index.js';
import { customerWithPhone, DUE, loanFor } from '../server/portal-helpers.js';
import { axeViolations } from './axe.js';
import { type Harness, screenshot, skipBrowser, startHarness, unexpectedErrors } from './browser.js';

// The borrower's mobile pages at a phone's size, in Chinese and in English: sign in with phone and code,
// see what is overdue and what staying overdue would mean, repay the overdue amount through the test gateway.
describe.skipIf(skipBrowser)('borrower portal (H5) in chromium', () => {
  let h: Harness;
  const phones = { 'zh-CN': '13300000001', en: '13300000002' } as const;
  beforeAll(async () => {
    h = await startHarness(() => new Date('2026-03-22T02:00:00Z'));
    const loans: string[] = [];
    for (const [i, locale] of (['zh-CN', 'en'] as const).entries()) {
      const customerId = await customerWithPhone(h.api, phones[locale], 401 + i);
      loans.push((await loanFor(h.api, customerId, String(i + 1).repeat(28))).loanId);
    }
    await h.api.db.transaction((tx) => closeLoansThrough(tx, loans, addDays(DUE, 39)));
    await setBusinessDay(h.api.db, addDays(DUE, 40));
    await setDemoCode(h.api.db, h.api.cipher, '246810');
    await setTestGateway(h.api.db, true);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  for (const [locale, L] of [
    [
      'zh-CN',
      {
        phone: '手机号码',
        code: '六位验证码',
        overdue: /已逾期 \d+ 天/,
        title: /\d{4}-\d{2}-\d{2} 借款 ¥[\d,]+\.\d{2}/,
        planOverdue: '已逾期',
        planComing: '未到期',
        impact: '如果继续逾期',
        paid: '还款成功',
      },
    ],
    [
      'en',
      {
        phone: 'Mobile phone number',
        code: 'Six-digit code',
        overdue: /\d+ days overdue/,
        title: /Loan of ¥[\d,]+\.\d{2} drawn on \d{4}-\d{2}-\d{2}/,
        planOverdue: 'Overdue',
        planComing: 'Not yet due',
        impact: 'If you stay overdue',
        paid: 'Repayment received',
      },
    ],
  ] as const) {
    it(`signs in, shows the overdue loan and repays it (${locale}, 390×844)`, async () => {
      const context = await h.browser.newContext({
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        locale,
        timezoneId: 'Asia/Shanghai',
        // The server's CSP allows only its own scripts; axe-core is injected inline for the check.
        bypassCSP: true,
      });
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
      await page.addInitScript(`localStorage.setItem('lendguard.locale', '${locale}')`);
      await page.goto(`${h.baseUrl}/app/portal`);
      // Every page visited is checked with axe-core (WCAG 2 A and AA), the findings asserted at the end.
      const violations = [];
      // Inputs are labelled: found by their label's words.
      await page.getByLabel(L.phone).waitFor();
      violations.push(...(await axeViolations(page, 'sign-in (phone)')));
      await page.getByLabel(L.phone).fill(phones[locale]);
      await page.getByTestId('portal-submit').click();
      await page.getByLabel(L.code).fill('246810');
      violations.push(...(await axeViolations(page, 'sign-in (code)')));
      await page.getByTestId('portal-submit').click();

      await expect.poll(() => page.getByTestId('portal-overdue').textContent()).toMatch(L.overdue);
      await page.getByTestId('portal-next-due').waitFor();
      // The loan is named by what was drawn and when; in arrears the next payment is the instalment still to
      // come (the overdue one is in the alert above), not the overdue instalment again.
      expect(await page.getByTestId('portal-loan-title').textContent()).toMatch(L.title);
      expect(await page.getByTestId('portal-next-due').textContent()).not.toContain(formatDate(DUE));
      violations.push(...(await axeViolations(page, 'home')));
      // Nothing wider than the phone.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

      await page.getByTestId('portal-open-loan').click();
      await page.getByTestId('portal-impact').getByText(L.impact).waitFor();
      expect(await page.getByTestId('portal-impact-row').count()).toBeGreaterThan(3);
      // The plan says of each instalment whether it is overdue or still to come (none is paid here).
      const statuses = await page.getByTestId('portal-plan-status').allTextContents();
      expect(statuses[0]).toBe(L.planOverdue);
      expect(statuses.at(-1)).toBe(L.planComing);
      expect(statuses.every((x) => x === L.planOverdue || x === L.planComing)).toBe(true);
      violations.push(...(await axeViolations(page, 'loan')));

      await page.getByTestId('portal-repay').click();
      await page.getByTestId('portal-quote').waitFor();
      violations.push(...(await axeViolations(page, 'repay (quote)')));
      await page.getByTestId('portal-option-overdue').click();
      await page.getByTestId('portal-confirm').click();
      await page.getByTestId('portal-pay').waitFor();
      violations.push(...(await axeViolations(page, 'repay (confirm)')));
      await page.getByTestId('portal-pay').click();
      await expect.poll(() => page.getByTestId('portal-result').textContent()).toBe(L.paid);
      violations.push(...(await axeViolations(page, 'repay (result)')));
      await screenshot(page, `portal-${locale}`);

      // No staff token was ever stored by the portal.
      expect(await page.evaluate('JSON.stringify({ ...localStorage, ...sessionStorage })')).not.toMatch(
        /lgt_/,
      );
      expect(unexpectedErrors(errors)).toEqual([]);
      expect(violations).toEqual([]);
      await context.close();
    }, 120_000);
  }
});
