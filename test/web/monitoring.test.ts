import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import { setBusinessDay } from '../../src/store/index.js';
import { auth, freshKey, idNumberFor, validCustomer } from '../server/helpers.js';
import {
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
    title: '预警监控名单',
    reason: '借款人申报收入较上次下降20%及以上',
    acknowledged: '已认领',
    resolved: '已解决',
    history: '额度与状态变更记录',
    reminders: '还款提醒',
    sent: '已发送',
    planned: '待发送',
    frozen: '已冻结',
    byPerson: '人工',
  },
  en: {
    title: 'Early-warning watchlist',
    reason: 'The borrower declared an income 20% or more below the last',
    acknowledged: 'acknowledged',
    resolved: 'resolved',
    history: 'Limit and status history',
    reminders: 'Reminders',
    sent: 'sent',
    planned: 'planned',
    frozen: 'Frozen',
    byPerson: 'A person',
  },
} as const;

/*
 * A borrower who declares ¥20,000 a month and then ¥8,000: the income-drop signal on the watchlist (evidence,
 * queue, the offer made), acknowledged and resolved; his line frozen by an operator, with its history on the
 * line page; and his loan's reminders with their delivery status on the loan page.
 */
describe.skipIf(skipBrowser)('monitoring pages in chromium', () => {
  let h: Harness;
  const ids = {
    zh: { customerId: '', lineId: '', loanId: '' },
    en: { customerId: '', lineId: '', loanId: '' },
  };

  const post = async (url: string, body: unknown, status = 201) => {
    const r = await h.api.app.inject({
      method: 'POST',
      url,
      headers: { ...auth(h.api.tokens.admin), 'idempotency-key': freshKey() },
      payload: body as object,
    });
    expect(r.statusCode, r.body).toBe(status);
    return r.json() as Record<string, string>;
  };

  async function borrower(n: number) {
    const { customerId } = await post('/customers', validCustomer({ idNumber: idNumberFor(n) }));
    const { lineId } = await post(`/customers/${customerId}/credit-lines`, { limit: '20000.00' });
    const { loanId } = await post(`/credit-lines/${lineId}/drawdowns`, {
      amount: '10000.00',
      productId: 'cash-12m',
    });
    await post(`/customers/${customerId}/income-declarations`, { declaredMonthly: '20000.00' });
    await post(`/customers/${customerId}/income-declarations`, { declaredMonthly: '8000.00' });
    await post(`/credit-lines/${lineId}/freeze`, { reason: 'income under review' }, 200);
    for (const [stage, status] of [
      ['t-3', 'sent'],
      ['t-1', 'planned'],
    ] as const)
      await h.api.db.query(
        `insert into reminders (customer_id, loan_id, reminder_key, cadence_version, cadence_id, stage_id, channel,
           legally_required, anchor_due_day, plan_day, scheduled_at, amount_due_minor, currency, lang, subject, body, status)
         values ($1, $2, $2 || '/' || $3, 'shipped', '*', $3, 'sms', false, '2026-11-01', '2026-10-29', '2026-10-29T02:00:00Z',
           94733, 'CNY', 'zh-CN', 's', 'b', $4)`,
        [customerId, loanId, stage, status],
      );
    return { customerId: customerId as string, lineId: lineId as string, loanId: loanId as string };
  }

  beforeAll(async () => {
    h = await startHarness();
    await setBusinessDay(h.api.db, parseDate('2026-10-01'));
    await post('/products', { id: 'cash-12m', termCount: 12 });
    ids.zh = await borrower(41);
    ids.en = await borrower(42);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    const L = LABELS[locale];
    it(`works a signal from the watchlist, reads the line's history and the loan's reminders in ${locale}`, async () => {
      const mine = locale === 'zh-CN' ? ids.zh : ids.en;
      const { page, errors, context } = await signedIn(h, 'risk_analyst', locale);
      await page.getByTestId('nav-watchlist').click();
      await page.getByTestId('page-watchlist').getByText(L.title).waitFor();
      const row = page.locator('tr.signal-EW_INCOME_DROP', { hasText: mine.customerId });
      await row.getByText(L.reason).waitFor();
      expect(await row.getByTestId('evidence-declaredIncomeChange').textContent()).toBe(
        'declaredIncomeChange: -60.0%',
      );
      await row.getByText('customer-care').waitFor();
      await row.locator('[data-testid^="ack-"]').click();
      await row.getByText(L.acknowledged).waitFor();
      await row.locator('[data-testid^="resolve-"]').click();
      await settle(page);
      await page.getByTestId('resolve-note').fill('term extension agreed');
      await page.locator('#resolve-ok').click();
      await page
        .getByTestId('watchlist-status')
        .getByText(locale === 'zh-CN' ? '已解决' : 'Resolved')
        .click();
      await page
        .locator('tr.signal-EW_INCOME_DROP', { hasText: mine.customerId })
        .getByText(L.resolved)
        .waitFor();
      await screenshot(page, `monitoring-watchlist-${locale}`);

      await page.goto(`${h.baseUrl}/app/loans/${mine.loanId}`);
      const reminders = page.getByTestId('loan-reminders');
      await reminders.getByText(L.reminders, { exact: true }).waitFor();
      await reminders.getByTestId('reminder-status-t-3').waitFor();
      expect(await reminders.getByTestId('reminder-status-t-3').textContent()).toBe(L.sent);
      expect(await reminders.getByTestId('reminder-status-t-1').textContent()).toBe(L.planned);
      await page.getByTestId('loan-line-link').click();
      await page.getByTestId('page-line').getByText(L.history).waitFor();
      expect(await page.getByTestId('line-status').textContent()).toBe(L.frozen);
      await page.getByTestId('line-history').getByText(L.byPerson).waitFor();
      expect(await page.getByTestId('line-freeze').textContent()).toBe('income under review');
      await page.getByTestId('line-history').getByText('OPERATOR_FROZEN: income under review').waitFor();
      await screenshot(page, `monitoring-line-${locale}`);
      expect(unexpectedErrors(errors)).toEqual([]);
      await context.close();
    });
  }

  it('an auditor reads the watchlist but is offered no buttons', async () => {
    const { page, errors, context } = await signedIn(h, 'auditor', 'en');
    await page.goto(`${h.baseUrl}/app/watchlist`);
    await page.getByTestId('watchlist-table').waitFor();
    await settle(page);
    expect(await page.getByTestId('watchlist-table').getByRole('button').count()).toBe(0);
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });
});
