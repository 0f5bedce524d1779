import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EOD_OPTIONS_DEFAULT, ledgerEod, runEod } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import { closeLoansThrough, setBusinessDay } from '../../src/store/index.js';
import { auth, freshKey, idNumberFor, validCustomer } from '../server/helpers.js';
import {
  type Harness,
  screenshot,
  signedIn,
  skipBrowser,
  startHarness,
  unexpectedErrors,
} from './browser.js';

const LABELS = {
  'zh-CN': {
    title: '投诉',
    dueSoon: '即将到期',
    paused: '暂停催收',
    acknowledged: '已回复受理',
    resolved: '已办结',
    rates: '投诉率',
    rule: '预警规则',
  },
  en: {
    title: 'Complaints',
    dueSoon: 'Due soon',
    paused: 'Collection paused',
    acknowledged: 'Acknowledged',
    resolved: 'Resolved',
    rates: 'Complaint rates',
    rule: 'Alert rule',
  },
} as const;

/*
 * A borrower whose case the EOD run of 2026-11-04 opened complains by phone about a collector on Thursday
 * 2026-11-05 (the server's clock reads 12:00 in Shanghai): the compliance officer sees the complaint due soon,
 * collection paused, acknowledges and resolves it, then looks at the complaint rates.
 */
describe.skipIf(skipBrowser)('complaints pages in chromium', () => {
  let h: Harness;
  let customerId: string;

  const post = async (url: string, body: unknown) => {
    const r = await h.api.app.inject({
      method: 'POST',
      url,
      headers: { ...auth(h.api.tokens.admin), 'idempotency-key': freshKey() },
      payload: body as object,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as Record<string, string>;
  };

  beforeAll(async () => {
    h = await startHarness(() => new Date('2026-11-05T04:00:00Z'));
    const db = h.api.db;
    await setBusinessDay(db, parseDate('2026-10-01'));
    ({ customerId } = (await post('/customers', validCustomer({ idNumber: idNumberFor(41) }))) as {
      customerId: string;
    });
    await post('/products', { id: 'cash-12m', termCount: 12 });
    const { lineId } = await post(`/customers/${customerId}/credit-lines`, { limit: '20000.00' });
    const { loanId } = await post(`/credit-lines/${lineId}/drawdowns`, {
      amount: '10000.00',
      productId: 'cash-12m',
    });
    await db.transaction((tx) => closeLoansThrough(tx, [loanId as string], parseDate('2026-11-03')));
    await setBusinessDay(db, parseDate('2026-11-04'));
    const run = await runEod(db, ledgerEod, {
      businessDay: '2026-11-04',
      requestedBy: 'test',
      workers: 1,
      options: EOD_OPTIONS_DEFAULT,
    });
    expect(run.status).toBe('succeeded');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    const L = LABELS[locale];
    it(`compliance handles a complaint in ${locale}: SLA state, collection paused, acknowledged, resolved; the rates`, async () => {
      const { complaintId } = await post('/complaints', {
        customerId,
        channel: 'hotline',
        category: 'collection_conduct',
        summary: `催收员语气恶劣 (${locale})`,
      });
      const { page, errors, context } = await signedIn(h, 'compliance', locale);
      await page.getByTestId('nav-complaints').click();
      await page.getByTestId('page-complaints').getByText(L.title, { exact: true }).first().waitFor();
      expect(await page.getByTestId(`sla-${complaintId}`).textContent()).toBe(L.dueSoon);
      await page.getByTestId(`complaint-link-${complaintId}`).click();
      await page.getByTestId('complaint-facts').waitFor();
      expect(await page.getByTestId('collection-while-open').textContent()).toBe(L.paused);
      await screenshot(page, `complaint-${locale}`);

      await page.getByTestId('acknowledge').click();
      await expect.poll(() => page.getByTestId('complaint-status').textContent()).toBe(L.acknowledged);
      await page.getByTestId('resolve-text').fill('已致歉并培训催收员');
      await page.getByTestId('resolve-submit').click();
      await expect.poll(() => page.getByTestId('complaint-status').textContent()).toBe(L.resolved);
      await page.getByTestId('complaint-outcome').waitFor();
      expect(await page.getByTestId('complaint-handle').count()).toBe(0);
      expect(await page.getByTestId('complaint-events').locator('tbody tr.ant-table-row').count()).toBe(3);

      await page.getByTestId('nav-complaints').click();
      await page.getByTestId('reputation-link').click();
      await page.getByTestId('page-reputation').getByText(L.rates).waitFor();
      await page.getByTestId('reputation-chart').locator('canvas').waitFor();
      expect(await page.getByTestId('reputation-rule').textContent()).toContain(L.rule);
      await screenshot(page, `complaint-rates-${locale}`);
      expect(unexpectedErrors(errors)).toEqual([]);
      await context.close();
    });
  }

  it('an auditor reads complaints but is offered no intake or handling', async () => {
    const { page, errors, context } = await signedIn(h, 'auditor', 'en');
    await page.getByTestId('nav-complaints').click();
    await page.getByTestId('complaints-table').waitFor();
    expect(await page.getByTestId('complaint-intake').count()).toBe(0);
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });
});
