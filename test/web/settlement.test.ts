import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import { closeLoansThrough, type Role, setBusinessDay } from '../../src/store/index.js';
import { auth, freshKey, idNumberFor, json, validCustomer } from '../server/helpers.js';
import {
  type Harness,
  screenshot,
  settle,
  signedIn,
  skipBrowser,
  startHarness,
  submitted,
  unexpectedErrors,
} from './browser.js';

const LABELS = {
  'zh-CN': {
    pending: /减免.+超过审批阈值，结清金额.+6,000\.00.+待另一人审批/,
    offered: '已生效',
    inForce: '有效中',
    completed: '已还清，贷款结清',
    settled: '已结清',
    declined: '借款人已拒绝',
    accepted: '借款人已接受',
    inForceRefusal: /已有生效中的减免结清方案/,
  },
  en: {
    pending: /above the threshold: the offer of .*6,000\.00 waits for approval by a second person/,
    offered: 'Offered',
    inForce: 'In force',
    completed: 'Paid: loan settled',
    settled: 'Settled',
    declined: 'Borrower declined',
    accepted: 'Borrower accepted',
    inForceRefusal: /already has a settlement offer valid through/,
  },
} as const;

/*
 * The loan page's settlement action (减免结清), in both languages: a collector offers 6,000.00 on a 10,000.00
 * loan 19 days past due — a discount above what one person may grant, so it waits; the collector has no
 * approve button; a risk analyst approves it from the same page (made against what is owed that day, in
 * force); a second offer while it is in force is refused with the engine's reason; the analyst records the
 * borrower declining, then accepting; the borrower pays the offer and the page shows it paid and the loan
 * settled.
 */
describe.skipIf(skipBrowser)('settlement offers from the loan page in chromium', () => {
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
      const c = await call('admin', 'POST', '/customers', validCustomer({ idNumber: idNumberFor(50 + i) }));
      const l = await call(
        'risk_analyst',
        'POST',
        `/customers/${json(c).customerId as string}/credit-lines`,
        { limit: '20000.00' },
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
    it(`proposes, approves, refuses a second and shows a paid settlement in ${locale}`, async () => {
      const l = LABELS[locale];
      const loanId = loans[locale];
      const { page, errors, context } = await signedIn(h, 'collector', locale);
      await page.goto(`${h.baseUrl}/app/loans/${loanId}`);
      const card = page.getByTestId('settlement-card');
      await card.waitFor();

      // Not an amount: refused in the form, nothing sent.
      await page.getByTestId('settlement-offer').fill('6,000');
      await page.getByTestId('settlement-submit').click();
      await card.locator('.ant-form-item-explain-error').first().waitFor();
      expect(await page.getByTestId('settlement-done').count()).toBe(0);

      // 6,000.00 by the default last day: the discount is above 1,000.00, so it waits for a second person.
      await settle(card);
      await page.getByTestId('settlement-offer').fill('6000.00');
      await submitted(page, page.getByTestId('settlement-submit'), 'POST', '/settlement-offers');
      await page.getByTestId('settlement-done').getByText(l.pending).waitFor();
      await page.getByTestId('settlement-pending').waitFor();
      expect(await page.getByTestId('settlement-approve').count()).toBe(0);
      await screenshot(page, `settlement-pending-${locale}`);
      expect(unexpectedErrors(errors)).toEqual([]);
      await context.close();

      const analyst = await signedIn(h, 'risk_analyst', locale);
      const p = analyst.page;
      await p.goto(`${h.baseUrl}/app/loans/${loanId}`);
      await p.getByTestId('settlement-approve').click();
      await p.getByTestId('settlement-pending').waitFor({ state: 'detached' });
      const made = p.getByTestId('settlement-offered');
      await made.getByText(l.offered, { exact: true }).waitFor();
      await made.getByTestId('settlement-outcome').getByText(l.inForce).waitFor();

      // The borrower first declines, then calls back and accepts: the latest answer is shown.
      await p.getByTestId('settlement-declined').click();
      await made.getByTestId('settlement-borrower-response').getByText(l.declined).waitFor();
      await p.getByTestId('settlement-accepted').click();
      await made.getByTestId('settlement-borrower-response').getByText(l.accepted).waitFor();

      // A second offer while one is in force: the engine's refusal, nothing written.
      const card2 = p.getByTestId('settlement-card');
      await p.getByTestId('settlement-offer').fill('7000.00');
      await p.getByTestId('settlement-submit').click();
      await card2.getByText(l.inForceRefusal).first().waitFor();
      await screenshot(p, `settlement-in-force-${locale}`);
      const listed = json(await call('auditor', 'GET', `/loans/${loanId}/settlement-offers`)).items as {
        status: string;
        outcome: string | null;
        offer: string;
        borrowerResponse: { answer: string } | null;
      }[];
      expect(listed.map((o) => [o.status, o.outcome, o.offer, o.borrowerResponse?.answer])).toEqual([
        ['offered', 'in-force', '6000.00', 'accepted'],
      ]);

      // The borrower pays the offer: the rest is forgiven and the loan settles.
      const paid = await call('admin', 'POST', `/loans/${loanId}/repayments`, { amount: '6000.00' });
      expect(paid.statusCode).toBe(201);
      await p.reload();
      await p.getByTestId('settlement-outcome').getByText(l.completed).waitFor();
      await p.getByTestId('loan-balances').getByText(l.settled).waitFor();
      expect(await p.getByTestId('settlement-card').count()).toBe(0);
      // Paid: no answer to record any more; the accepted answer stays.
      expect(await p.getByTestId('settlement-accepted').count()).toBe(0);
      await p.getByTestId('settlement-borrower-response').getByText(l.accepted).waitFor();
      await screenshot(p, `settlement-completed-${locale}`);
      expect(unexpectedErrors(analyst.errors, [422])).toEqual([]);
      await analyst.context.close();
    });
  }
});
