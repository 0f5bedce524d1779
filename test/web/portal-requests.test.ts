import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/money/index.js';
import { closeLoansThrough, refreshCases, setBusinessDay, setDemoCode } from '../../src/store/index.js';
import { auth, freshKey } from '../server/helpers.js';
import { applicant } from '../server/origination-helpers.js';
import { borrowerToken, customerWithPhone, DUE, loanFor } from '../server/portal-helpers.js';
import { type AxeViolation, axeViolations } from './axe.js';
import { type Harness, skipBrowser, startHarness, unexpectedErrors } from './browser.js';

/*
 * The borrower's pages reached and used at a phone's size, in Chinese and in English:
 * - with the keyboard only: sign in with phone and code and open the loan (Tab and Enter), every control
 *   focused showing a visible ring;
 * - a document a health review asks for, uploaded; an origination decision explained and objected to; a
 *   hardship offer declined (nothing changes on the loan).
 * Every page is checked with axe-core (WCAG 2 A and AA).
 */
describe.skipIf(skipBrowser)(
  'borrower portal: keyboard, uploads, decisions, declining (H5) in chromium',
  () => {
    let h: Harness;
    const LOCALES = ['zh-CN', 'en'] as const;
    type Locale = (typeof LOCALES)[number];
    const phones = { 'zh-CN': '13300000021', en: '13300000022' } as const;
    const seqs = { 'zh-CN': 421, en: 422 } as const;
    // The keyboard test signs in borrowers of its own (the server's clock stands still, so a phone that was
    // sent a code is not sent another within the test run).
    const keyboardPhones = { 'zh-CN': '13300000023', en: '13300000024' } as const;
    const keyboardLoans = {} as Record<Locale, string>;
    const customers = {} as Record<Locale, string>;
    const loans = {} as Record<Locale, string>;
    const reviewRequests = {
      'zh-CN': 'rvq_00000000000000000000000000b1',
      en: 'rvq_00000000000000000000000000b2',
    };
    const decisions = {} as Record<Locale, string>;
    const hardship = {} as Record<Locale, string>;

    async function staff(
      role: 'collector' | 'risk_analyst',
      method: 'GET' | 'POST',
      url: string,
      body?: unknown,
    ) {
      const res = await h.api.app.inject({
        method,
        url,
        headers: { ...auth(h.api.tokens[role]), 'idempotency-key': freshKey() },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return { status: res.statusCode, body: res.json() as Record<string, unknown>, text: res.body };
    }

    beforeAll(async () => {
      h = await startHarness(() => new Date('2026-03-22T02:00:00Z'));
      for (const [i, locale] of LOCALES.entries()) {
        customers[locale] = await customerWithPhone(h.api, phones[locale], seqs[locale]);
        loans[locale] = (await loanFor(h.api, customers[locale], String(i + 5).repeat(28))).loanId;
        const own = await customerWithPhone(h.api, keyboardPhones[locale], seqs[locale] + 10);
        keyboardLoans[locale] = (await loanFor(h.api, own, String(i + 7).repeat(28))).loanId;
      }
      const day = addDays(DUE, 40);
      await h.api.db.transaction(async (tx) => {
        await closeLoansThrough(
          tx,
          [...Object.values(loans), ...Object.values(keyboardLoans)],
          addDays(DUE, 39),
        );
        await setBusinessDay(tx, day);
        await refreshCases(tx, day, null);
      });
      for (const locale of LOCALES) {
        // A health review's request for income evidence (as the review job files it).
        await h.api.db.query(
          `insert into review_requests (customer_id, request_id, request_key, document, segment, request_day, due_day, channel, status)
         values ($1, $2, $3, 'income-evidence', '*', '2026-03-20', '2026-04-03', 'sms', 'open')`,
          [customers[locale], reviewRequests[locale], `rq-${customers[locale]}`],
        );
        // An origination decision about the same person (an application for a new line).
        const applied = await staff(
          'risk_analyst',
          'POST',
          '/applications',
          applicant(seqs[locale], {
            device: {
              deviceId: `dev-${seqs[locale]}`,
              ip: `10.0.1.${seqs[locale] % 256}`,
              sim: `898600${seqs[locale]}000000000`,
              installSource: 'store',
              capturedAt: '2026-03-22T01:00:00Z',
            },
          }),
        );
        expect(applied.status, applied.text).toBe(201);
        // The application is linked to the borrower's customer record as the store does for a known applicant.
        const linked = await h.api.db.query(
          'update applications set customer_id = $1 where application_id = $2 and customer_id is null',
          [customers[locale], applied.body.applicationId],
        );
        expect(linked.rowCount).toBe(1);
        decisions[locale] = applied.body.decisionId as string;
        // A hardship request the borrower sent, and the negotiated plan a person offers for it.
        const token = await borrowerToken(h.api, phones[locale]);
        const asked = await h.api.app.inject({
          method: 'POST',
          url: '/portal/hardship-requests',
          headers: { ...auth(token), 'idempotency-key': freshKey() },
          payload: {
            loanId: loans[locale],
            kind: 'negotiated-plan',
            months: 6,
            cause: 'unemployment',
            declaredMonthlyIncome: '8000.00',
            reason: '公司裁员，正在找新工作',
          },
        });
        expect(asked.statusCode, asked.body).toBe(201);
        hardship[locale] = asked.json().requestId as string;
        const offer = await staff('collector', 'POST', `/hardship-requests/${hardship[locale]}/offer`, {
          kind: 'negotiated-plan',
          months: 6,
          monthlyIncome: '8000.00',
        });
        expect(offer.status, offer.text).toBe(201);
        // The code sent for that sign-in is moved back past the resend interval, so the page may ask again.
        await h.api.db.query(
          `update portal_otp_challenges set created_at = created_at - interval '10 minutes'`,
        );
      }
      await setDemoCode(h.api.db, h.api.cipher, '246810');
    }, 180_000);
    afterAll(async () => {
      await h?.close();
    });

    async function phonePage(
      locale: Locale,
    ): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
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
      await page.addInitScript(`localStorage.setItem('lendguard.locale', ${JSON.stringify(locale)})`);
      return { context, page, errors };
    }

    /** The focused element: its test id, id and whether it shows an outline at least 2px wide. */
    const focused = (page: Page) =>
      page.evaluate<{ testId: string | null; id: string; ring: boolean }>(`(() => {
      const el = document.activeElement;
      if (el === null || el === document.body) return { testId: null, id: '', ring: false };
      const s = getComputedStyle(el);
      return {
        testId: el.getAttribute('data-testid'),
        id: el.id,
        ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
      };
    })()`);

    /** Presses Tab until `match` holds for the focused element (at most 30 times); each stop shows a ring. */
    async function tabTo(page: Page, match: (f: { testId: string | null; id: string }) => boolean) {
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        if (f.testId === null && f.id === '') continue;
        expect(f.ring, `focus ring on ${f.testId ?? f.id}`).toBe(true);
        if (match(f)) return;
      }
      throw new Error('never reached by Tab');
    }

    const impact = { 'zh-CN': '如果继续逾期', en: 'If you stay overdue' } as const;

    for (const locale of LOCALES) {
      it(`signs in and opens the loan with the keyboard only (${locale}, 390×844)`, async () => {
        const { context, page, errors } = await phonePage(locale);
        await page.goto(`${h.baseUrl}/app/portal`);
        await page.getByTestId('portal-submit').waitFor();
        await tabTo(page, (f) => f.id === 'portal-phone');
        await page.keyboard.type(keyboardPhones[locale]);
        await page.keyboard.press('Enter');
        await page.getByTestId('portal-code').waitFor();
        await tabTo(page, (f) => f.id === 'portal-code');
        await page.keyboard.type('246810');
        await page.keyboard.press('Enter');
        await page.getByTestId('portal-open-loan').waitFor();
        await tabTo(page, (f) => f.testId === 'portal-open-loan');
        await page.keyboard.press('Enter');
        await page.getByTestId('portal-impact').getByText(impact[locale]).waitFor();
        expect(new URL(page.url()).pathname).toBe(`/app/portal/loans/${keyboardLoans[locale]}`);
        expect(unexpectedErrors(errors)).toEqual([]);
        await context.close();
      }, 120_000);
    }

    for (const [locale, L] of [
      [
        'zh-CN',
        {
          phone: '手机号码',
          code: '六位验证码',
          uploadFile: '要提交的文件',
          uploaded: '已提交：工资单.png',
          statement: '异议理由',
          objection: '我的收入足够，请人工复核',
          objected: '您的异议已记录，工作人员复核后会答复您。',
          declined: '您已拒绝方案，借款没有任何变化。',
        },
      ],
      [
        'en',
        {
          phone: 'Mobile phone number',
          code: 'Six-digit code',
          uploadFile: 'File to send',
          uploaded: 'Sent: payslip.png',
          statement: 'Why you object',
          objection: 'My income is enough, please have a person look again',
          objected: 'Your objection was recorded. A person will review it and reply.',
          declined: 'You declined the offer. Nothing changed on your loan.',
        },
      ],
    ] as const) {
      it(`uploads a review document, questions a decision and declines an offer (${locale}, 390×844)`, async () => {
        const { context, page, errors } = await phonePage(locale);
        const violations: AxeViolation[] = [];
        const check = async (where: string) => violations.push(...(await axeViolations(page, where)));
        const count = async (sql: string, params: unknown[]) =>
          Number((await h.api.db.query<{ n: string }>(sql, params)).rows[0]!.n);
        await page.goto(`${h.baseUrl}/app/portal`);
        await page.getByLabel(L.phone).fill(phones[locale]);
        await page.getByTestId('portal-submit').click();
        await page.getByLabel(L.code).fill('246810');
        await page.getByTestId('portal-submit').click();
        await page.getByTestId('act-open-menu').click();

        // ---- the document a health review asks for
        await page.getByTestId('act-menu-uploads').click();
        const request = page.getByTestId('act-review-request');
        await request.waitFor();
        await check('uploads (asked)');
        const png = Buffer.concat([
          Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
          Buffer.from('payslip'),
        ]);
        const name = locale === 'zh-CN' ? '工资单.png' : 'payslip.png';
        await request
          .getByLabel(L.uploadFile, { exact: true })
          .setInputFiles({ name, mimeType: 'image/png', buffer: png });
        // The page reads the file before it can send it; it names the file once read.
        await expect.poll(() => request.textContent()).toContain(name);
        await request.getByTestId('act-upload').click();
        await expect.poll(() => page.getByTestId('act-uploaded').textContent()).toBe(L.uploaded);
        await expect.poll(() => page.getByTestId('act-upload-item').count()).toBe(1);
        await check('uploads (sent)');
        const stored = await h.api.db.query<{ review_request_id: string; file_bytes: number }>(
          'select review_request_id, file_bytes from portal_uploads where customer_id = $1',
          [customers[locale]],
        );
        expect(stored.rows).toEqual([{ review_request_id: reviewRequests[locale], file_bytes: png.length }]);
        const listed = await staff('collector', 'GET', `/customers/${customers[locale]}/portal-uploads`);
        expect(listed.body.items).toEqual([expect.objectContaining({ fileName: name })]);

        // ---- the origination decision: an explanation from its stored reasons, then an objection
        await page.getByTestId('act-back').click();
        await page.getByTestId('act-menu-decisions').click();
        const decision = page.getByTestId('act-decision');
        await expect.poll(() => decision.count()).toBe(1);
        await check('decisions');
        await decision.getByTestId('act-explain').click();
        const explanation = decision.getByTestId('act-explanation');
        await explanation.waitFor();
        expect((await explanation.textContent())!.length).toBeGreaterThan(10);
        await check('decisions (explained)');
        await decision.getByTestId('act-object').click();
        await decision.getByLabel(L.statement, { exact: true }).fill(L.objection);
        await check('decisions (objecting)');
        await decision.getByTestId('act-object-send').click();
        await expect.poll(() => decision.getByTestId('act-objected').textContent()).toBe(L.objected);
        await check('decisions (objected)');
        const queued = await h.api.db.query<{ kind: string; status: string }>(
          'select kind, status from decision_requests where decision_id = $1 order by received_at',
          [decisions[locale]],
        );
        expect(queued.rows.map((r) => r.kind)).toEqual(['explanation', 'objection']);

        // ---- the hardship offer, declined: nothing changes on the loan
        await page.getByTestId('act-back').click();
        await page.getByTestId('act-menu-hardship').click();
        await page.getByTestId('act-see-offer').click();
        await page.getByTestId('act-offer-schedule').waitFor();
        await page.getByTestId('act-decline').click();
        await page.getByTestId('act-confirm').waitFor();
        await check('hardship (declining)');
        await page.getByTestId('act-confirm').click();
        await expect.poll(() => page.getByTestId('act-answered').textContent()).toBe(L.declined);
        await check('hardship (declined)');
        const after = await staff('collector', 'GET', '/hardship-requests?status=declined');
        expect(after.body.items).toContainEqual(expect.objectContaining({ requestId: hardship[locale] }));
        expect(
          await count(
            `select count(*) as n from loan_events where loan_id = $1 and type = 'LoanRestructured'`,
            [loans[locale]],
          ),
        ).toBe(0);
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
        await page.screenshot({
          path: `test-output/screenshots/portal-requests-${locale}.png`,
          fullPage: true,
        });

        expect(unexpectedErrors(errors)).toEqual([]);
        expect(violations).toEqual([]);
        await context.close();
      }, 180_000);
    }
  },
);
