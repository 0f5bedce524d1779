import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/money/index.js';
import { closeLoansThrough, refreshCases, setBusinessDay, setDemoCode } from '../../src/store/index.js';
import { auth, freshKey } from '../server/helpers.js';
import { customerWithPhone, DUE, loanFor } from '../server/portal-helpers.js';
import { type AxeViolation, axeViolations } from './axe.js';
import { type Harness, skipBrowser, startHarness, unexpectedErrors } from './browser.js';

/*
 * The borrower's action pages at a phone's size, in Chinese and in English: sign in, ask for hardship help,
 * accept the offer a person makes (through the staff API) and see the new schedule; set reminder
 * preferences (a window the API refuses is explained in the page's language); file a complaint and see it.
 */
describe.skipIf(skipBrowser)('borrower action pages (H5) in chromium', () => {
  let h: Harness;
  const phones = { 'zh-CN': '13300000011', en: '13300000012' } as const;
  const customers: Record<string, string> = {};
  const loans: Record<string, string> = {};
  beforeAll(async () => {
    h = await startHarness(() => new Date('2026-03-22T02:00:00Z'));
    for (const [i, locale] of (['zh-CN', 'en'] as const).entries()) {
      const customerId = await customerWithPhone(h.api, phones[locale], 411 + i);
      customers[locale] = customerId;
      loans[locale] = (await loanFor(h.api, customerId, String(i + 3).repeat(28))).loanId;
    }
    const day = addDays(DUE, 40);
    await h.api.db.transaction(async (tx) => {
      await closeLoansThrough(tx, Object.values(loans), addDays(DUE, 39));
      await setBusinessDay(tx, day);
      await refreshCases(tx, day, null);
    });
    await setDemoCode(h.api.db, h.api.cipher, '246810');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  async function staff(method: 'GET' | 'POST', url: string, payload?: unknown) {
    const res = await h.api.app.inject({
      method,
      url,
      headers: { ...auth(h.api.tokens.collector), 'idempotency-key': freshKey() },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.json() as Record<string, unknown>, text: res.body };
  }

  /** Picks an option of the antd select labelled `label`. */
  async function choose(page: Page, label: string, option: string) {
    // The select's input is the labelled element (found by its label); the box around it takes the tap.
    await page.locator('.ant-select', { has: page.getByLabel(label, { exact: true }) }).click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
      .first()
      .click();
    await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
  }

  for (const [locale, L] of [
    [
      'zh-CN',
      {
        phone: '手机号码',
        code: '六位验证码',
        months: '月数',
        cause: '无法按计划还款的原因',
        causeOption: '失业',
        income: '目前月收入（元）',
        reason: '情况说明',
        noReviews: '我们没有要求您提供材料。',
        noDecisions: '没有对您作出的自动化决策。',
        file: '证明材料（选填）',
        network: '网络连接失败',
        observation: '观察期',
        sent: '申请已提交',
        offered: '方案待您答复',
        classFloor: '关注',
        accepted: '您已接受方案，新的还款计划如下。',
        sms: '短信',
        windowUse: '限定提醒时段',
        from: '开始',
        to: '结束',
        tooShort: '须至少 120 分钟',
        alwaysSent: '首次向征信机构报送逾期信息前的告知',
        saved: '已保存',
        category: '投诉类别',
        categoryOption: '催收行为',
        summary: '投诉内容',
        complaintText: '催收员晚上十一点打电话',
        complaintSent: '投诉已受理',
        received: '已收到',
      },
    ],
    [
      'en',
      {
        phone: 'Mobile phone number',
        code: 'Six-digit code',
        months: 'Months',
        cause: 'Why you cannot pay as planned',
        causeOption: 'Lost my job',
        income: 'Your monthly income now (¥)',
        reason: 'Tell us what happened',
        noReviews: 'We have not asked you for any document.',
        noDecisions: 'There are no automated decisions about you.',
        file: 'Supporting document (optional)',
        network: 'The connection failed',
        observation: 'observation period',
        sent: 'Your request was sent',
        offered: 'Offer waiting for your answer',
        classFloor: 'Special mention',
        accepted: 'You accepted the offer. Your new schedule is below.',
        sms: 'Text message (SMS)',
        windowUse: 'Limit reminders to a time of day',
        from: 'From',
        to: 'To',
        tooShort: 'must be at least 120 minutes long',
        alwaysSent: 'Notice before we first report an overdue payment',
        saved: 'Saved',
        category: 'What it is about',
        categoryOption: 'How collectors treated me',
        summary: 'What happened',
        complaintText: 'A collector called me at eleven at night',
        complaintSent: 'Your complaint was received',
        received: 'Received',
      },
    ],
  ] as const) {
    it(`asks for hardship help, accepts the offer, sets reminders and complains (${locale}, 390×844)`, async () => {
      const context = await h.browser.newContext({
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        locale,
        timezoneId: 'Asia/Shanghai',
        // The server's CSP allows only its own scripts; axe-core is injected inline for the check.
        bypassCSP: true,
      });
      // Every page visited is checked with axe-core (WCAG 2 A and AA), the findings asserted at the end.
      const violations: AxeViolation[] = [];
      const check = async (where: string) => violations.push(...(await axeViolations(page, where)));
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
      const writes: { url: string; key: string | undefined; language: string | undefined }[] = [];
      page.on('request', (r) => {
        if (r.method() !== 'GET' && r.url().includes('/portal/') && !r.url().includes('/sign-in'))
          writes.push({
            url: r.url(),
            key: r.headers()['idempotency-key'],
            language: r.headers()['accept-language'],
          });
      });
      // Scripts as strings: the tests compile without the DOM library.
      await page.addInitScript(`localStorage.setItem('lendguard.locale', ${JSON.stringify(locale)})`);
      await page.goto(`${h.baseUrl}/app/portal`);
      await page.getByLabel(L.phone).fill(phones[locale]);
      await page.getByTestId('portal-submit').click();
      await page.getByLabel(L.code).fill('246810');
      await page.getByTestId('portal-submit').click();

      // ---- hardship help: the observation period explained before applying
      await page.getByTestId('act-open-menu').click();
      await page.getByTestId('act-menu-hardship').waitFor();
      await check('actions menu');
      await page.getByTestId('act-menu-hardship').click();
      await page.getByTestId('act-apply').click();
      expect(await page.getByTestId('act-observation').textContent()).toContain(L.observation);
      await check('hardship (apply)');
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await page.getByLabel(L.months, { exact: true }).fill('6');
      await choose(page, L.cause, L.causeOption);
      await page.getByLabel(L.income, { exact: true }).fill('8000.00');
      await page
        .getByLabel(L.reason, { exact: true })
        .fill(locale === 'zh-CN' ? '公司裁员，正在找新工作' : 'I was laid off and am looking for work');
      await page.getByLabel(L.file, { exact: true }).setInputFiles({
        name: 'letter.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
      });
      await page.getByTestId('act-submit').click();
      await expect.poll(() => page.getByTestId('act-sent').textContent()).toContain(L.sent);
      const requestId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
      const mine = await staff('GET', '/hardship-requests?status=received');
      expect(mine.body.items).toContainEqual(
        expect.objectContaining({
          requestId,
          loanId: loans[locale],
          kind: 'negotiated-plan',
          months: 6,
          file: expect.objectContaining({ name: 'letter.pdf', type: 'application/pdf' }),
        }),
      );

      // ---- a person offers a negotiated plan; the borrower sees its terms and accepts
      const offer = await staff('POST', `/hardship-requests/${requestId}/offer`, {
        kind: 'negotiated-plan',
        months: 6,
        monthlyIncome: '8000.00',
      });
      expect(offer.status, offer.text).toBe(201);
      await page.reload();
      await expect.poll(() => page.getByTestId('act-hardship-status').textContent()).toBe(L.offered);
      const terms = (
        (await staff('GET', `/hardship-requests?status=offered`)).body.items as {
          requestId: string;
          offer: { installments: { dueDate: string }[]; observationEndDate: string };
        }[]
      ).find((r) => r.requestId === requestId)!.offer;
      expect(terms.installments.length).toBe(6);
      expect(await page.getByTestId('act-offer-schedule').locator('tbody tr.ant-table-row').count()).toBe(6);
      expect(await page.getByTestId('act-observation-end').textContent()).toBe(terms.observationEndDate);
      expect(await page.getByTestId('act-class-floor').textContent()).toContain(L.classFloor);
      await check('hardship (offer)');
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await page.getByTestId('act-accept').click();
      await page.getByTestId('act-confirm').click();
      await expect.poll(() => page.getByTestId('act-answered').textContent()).toBe(L.accepted);
      const schedule = page.getByTestId('act-current-schedule');
      await schedule.locator('tbody tr.ant-table-row').first().waitFor();
      await check('hardship (accepted)');
      const shown = await schedule.locator('tbody').textContent();
      for (const i of terms.installments) expect(shown).toContain(i.dueDate);
      const restructured = await h.api.db.query<{ n: string }>(
        `select count(*) as n from loan_events where loan_id = $1 and type = 'LoanRestructured'`,
        [loans[locale]],
      );
      expect(Number(restructured.rows[0]!.n)).toBe(1);
      await page.screenshot({
        path: `test-output/screenshots/portal-actions-offer-${locale}.png`,
        fullPage: true,
      });

      // ---- reminder preferences: a too-short window is refused in the page's language, then saved
      await page.getByTestId('act-back').click();
      await page.getByTestId('act-back').click();
      await page.getByTestId('act-menu-reminders').click();
      expect(await page.getByTestId('act-always-sent').textContent()).toContain(L.alwaysSent);
      await check('reminders');
      const sms = page.getByLabel(L.sms, { exact: true });
      expect(await sms.isChecked()).toBe(true);
      await page.getByText(L.sms, { exact: true }).click();
      await expect.poll(() => sms.isChecked()).toBe(false);
      await page.getByLabel(L.windowUse, { exact: true }).click();
      await page.getByLabel(L.from, { exact: true }).selectOption('12:00');
      await page.getByLabel(L.to, { exact: true }).selectOption('13:00');
      await page.getByTestId('act-save').click();
      await expect.poll(() => page.getByTestId('act-error').textContent()).toContain(L.tooShort);
      await check('reminders (refused)');
      await page.getByLabel(L.to, { exact: true }).selectOption('18:00');
      await page.getByTestId('act-save').click();
      await expect.poll(() => page.getByTestId('act-saved').textContent()).toBe(L.saved);
      const stored = await h.api.db.query<{ opt_outs: string[]; s: number; e: number }>(
        'select opt_outs, contact_start_minute as s, contact_end_minute as e from reminder_contacts where customer_id = $1',
        [customers[locale]],
      );
      expect(stored.rows).toEqual([{ opt_outs: ['sms'], s: 720, e: 1080 }]);

      // ---- a complaint, filed and listed with its status
      await page.getByTestId('act-back').click();
      // The pages with nothing to show yet say so (this borrower has no review request or automated decision).
      await page.getByTestId('act-menu-uploads').click();
      await page.getByText(L.noReviews, { exact: true }).waitFor();
      await check('uploads (none asked)');
      await page.getByTestId('act-back').click();
      await page.getByTestId('act-menu-decisions').click();
      await page.getByText(L.noDecisions, { exact: true }).waitFor();
      await check('decisions (none)');
      await page.getByTestId('act-back').click();
      await page.getByTestId('act-menu-complaints').click();
      await page.getByTestId('act-complaint-submit').waitFor();
      await check('complaints (form)');
      await choose(page, L.category, L.categoryOption);
      await page.getByLabel(L.summary, { exact: true }).fill(L.complaintText);
      // The first answer is lost on the way back (the server has acted): the page says so, and sending again
      // carries the same key, so the server answers with the first result instead of filing a second one.
      let lost = false;
      await page.route('**/portal/complaints', async (route) => {
        if (route.request().method() !== 'POST' || lost) return route.continue();
        lost = true;
        await route.fetch();
        return route.abort('failed');
      });
      await page.getByTestId('act-complaint-submit').click();
      await expect.poll(() => page.getByTestId('act-error').textContent()).toContain(L.network);
      await page.getByTestId('act-complaint-submit').click();
      await expect
        .poll(() => page.getByTestId('act-complaint-sent').textContent())
        .toContain(L.complaintSent);
      const filed = writes.filter((w) => w.url.endsWith('/portal/complaints'));
      expect(filed.length).toBe(2);
      expect(filed[1]!.key).toBe(filed[0]!.key);
      const complaints = await h.api.db.query<{ n: string }>(
        'select count(*) as n from complaints where customer_id = $1',
        [customers[locale]],
      );
      expect(Number(complaints.rows[0]!.n)).toBe(1);
      const listed = page.getByTestId('act-complaint');
      await expect.poll(() => listed.count()).toBe(1);
      expect(await listed.getByTestId('act-complaint-summary').textContent()).toBe(L.complaintText);
      expect(await listed.getByTestId('act-complaint-status').textContent()).toBe(L.received);
      await listed.getByTestId('act-complaint-open').click();
      await expect
        .poll(() => page.getByTestId('act-complaint-detail').textContent())
        .toContain(L.complaintText);
      expect(await page.getByTestId('act-complaint-history').textContent()).toContain(L.received);
      await check('complaint (detail)');
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await page.screenshot({ path: `test-output/screenshots/portal-actions-${locale}.png`, fullPage: true });

      // Every write carried an idempotency key and the chosen language; the refused save and its retry
      // with another window are two requests with two keys, no key served two different requests.
      expect(writes.length).toBeGreaterThanOrEqual(5);
      for (const w of writes) {
        expect(w.key).toMatch(/^web-[0-9a-f]{32}$/);
        expect(w.language).toBe(locale);
      }
      const keysByUrl = new Map<string, Set<string>>();
      for (const w of writes) keysByUrl.set(w.key!, (keysByUrl.get(w.key!) ?? new Set()).add(w.url));
      for (const urls of keysByUrl.values()) expect(urls.size).toBe(1);
      expect(unexpectedErrors(errors, [400]).filter((e) => !e.includes('net::ERR_FAILED'))).toEqual([]);
      expect(violations).toEqual([]);
      await context.close();
    }, 180_000);
  }
});
