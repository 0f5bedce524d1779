import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBook } from '../../src/jobs/index.js';
import { addDays, parseDate } from '../../src/money/index.js';
import { setBusinessDay } from '../../src/store/index.js';
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
    nav: '报表',
    title: '月末报表',
    classTitle: '贷款五级分类',
    normal: '正常',
    npl: '不良率',
    loans: '笔贷款',
    recoveryNone: '最近24个月没有核销的贷款。',
    byProduct: '产品',
    productGroup: '产品：cash-12m',
    channelGroup: '渠道：unknown',
  },
  en: {
    nav: 'Reports',
    title: 'Month-end reports',
    classTitle: 'Five-category classification',
    normal: 'Normal',
    npl: 'NPL ratio',
    loans: 'loans',
    recoveryNone: 'No loan was written off in the last 24 months.',
    byProduct: 'Product',
    productGroup: 'Product: cash-12m',
    channelGroup: 'Channel: unknown',
  },
} as const;

const TODAY = parseDate('2026-06-15');

/* A seeded book closed through 2026-06-11; the business day 2026-06-12, so the latest month end is 05-31. */
describe.skipIf(skipBrowser)('report pages in chromium', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    await writeBook(h.api.db, {
      seed: 23,
      customers: 40,
      loansPerCustomer_max: 3,
      drawFrom: addDays(TODAY, -400),
      drawTo: addDays(TODAY, -10),
      historyThrough: addDays(TODAY, -4),
    });
    await setBusinessDay(h.api.db, parseDate('2026-06-12'));
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    const L = LABELS[locale];
    it(`finance reads the class table, the NPL trend, the roll-rate heat map with its loans and the vintages in ${locale}`, async () => {
      const { page, errors, context } = await signedIn(h, 'finance', locale);
      await page.getByTestId('nav-reports').click();
      await page.getByTestId('page-reports').getByText(L.title).waitFor();
      await page.getByTestId('report-title').getByText(L.classTitle).waitFor();
      expect(await page.getByTestId('report-as-of').inputValue()).toBe('2026-05-31');
      await page.getByTestId('class-table').getByText(L.normal, { exact: true }).waitFor();
      await page.getByTestId('figure-nplRatio').getByText(L.npl).waitFor();
      await page.getByTestId('npl-trend').locator('canvas').first().waitFor();
      await screenshot(page, `reports-classification-${locale}`);

      await page.getByTestId('report-view-roll-rates').click();
      const heatmap = page.getByTestId('roll-rate-heatmap');
      await heatmap.locator('canvas').first().waitFor();
      await page.getByTestId('indicators-table').getByText('2026-05-31').waitFor();
      // The top-left cell (M0 → M0): most current loans stay current.
      const box = await heatmap.boundingBox();
      expect(box).not.toBeNull();
      await page.mouse.click((box?.x ?? 0) + 48 + 12, (box?.y ?? 0) + 16 + 12);
      await page.getByTestId('drill').getByText(L.loans).waitFor();
      expect(await page.getByTestId('drill').locator('a').count()).toBeGreaterThan(0);
      await screenshot(page, `reports-roll-rates-${locale}`);

      await page.getByTestId('report-view-vintage').click();
      await page.getByTestId('vintage-curves').locator('canvas').first().waitFor();
      await page.getByTestId('fpd-table').locator('tbody tr.ant-table-row').first().waitFor();
      // The seeded book has no write-offs: the recovery curves say so in the page's language.
      await page.getByTestId('recovery-none').getByText(L.recoveryNone).waitFor();
      await screenshot(page, `reports-vintage-${locale}`);
      expect(unexpectedErrors(errors)).toEqual([]);
      await context.close();
    });
  }

  for (const locale of ['zh-CN', 'en'] as const) {
    const L = LABELS[locale];
    it(`finance groups the vintages by product and by channel, kept in the address, in ${locale}`, async () => {
      const { page, errors, context } = await signedIn(h, 'finance', locale);
      await page.getByTestId('nav-reports').click();
      await page.getByTestId('report-view-vintage').click();
      await page.getByTestId('vintage-curves').locator('canvas').first().waitFor();
      const asked: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/reports/')) asked.push(new URL(r.url()).search);
      });
      await page.getByTestId('vintage-by-product').getByText(L.byProduct).click();
      // One card per product of the seeded book, each with its curves and its FPD30 rows only.
      for (const product of ['cash-12m', 'cash-3m', 'cash-6m']) {
        await page.getByTestId(`vintage-${product}-curves`).locator('canvas').first().waitFor();
        const rows = page.getByTestId(`vintage-${product}-table`).locator('tbody tr.ant-table-row');
        await rows.first().waitFor();
        expect(await rows.count()).toBeGreaterThan(0);
        for (const text of await rows.locator('td:first-child').allInnerTexts()) expect(text).toBe(product);
      }
      await page.getByTestId('vintage-cash-12m-group').getByText(L.productGroup).first().waitFor();
      expect(await page.getByTestId('vintage-curves').count()).toBe(0);
      expect(asked.filter((q) => q.includes('by=product')).length).toBe(2);
      expect(page.url()).toContain('view=vintage&by=product');
      // No write-offs in the seeded book: the grouped recovery curves say so too.
      await page.getByTestId('recovery-none').getByText(L.recoveryNone).waitFor();
      await screenshot(page, `reports-vintage-by-product-${locale}`);

      // The address keeps the grouping: a reload opens the vintages by product.
      await page.reload();
      await page.getByTestId('vintage-cash-6m-curves').locator('canvas').first().waitFor();

      // Another view and back: the grouping is still the one chosen.
      await page.getByTestId('report-view-roll-rates').click();
      await page.getByTestId('roll-rate-heatmap').locator('canvas').first().waitFor();
      await page.getByTestId('report-view-vintage').click();
      await page.getByTestId('vintage-cash-3m-curves').locator('canvas').first().waitFor();

      // By channel: the seeded loans have no applications, so one segment, unknown.
      await page.getByTestId('vintage-by-channel').click();
      await page.getByTestId('vintage-unknown-group').getByText(L.channelGroup).first().waitFor();
      expect(page.url()).toContain('by=channel');
      await page.getByTestId('vintage-by-all').click();
      await page.getByTestId('vintage-curves').locator('canvas').first().waitFor();
      expect(page.url()).not.toContain('by=');
      expect(unexpectedErrors(errors)).toEqual([]);
      await context.close();
    });
  }

  it('a collector has no reports in the menu and is refused the page', async () => {
    const { page, errors, context } = await signedIn(h, 'collector', 'en');
    expect(await page.getByTestId('nav-reports').count()).toBe(0);
    await page.goto(`${h.baseUrl}/app/reports`);
    await page.getByText('Your role may not open this page.').waitFor();
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });
});
