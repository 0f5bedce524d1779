import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBook } from '../../src/jobs/index.js';
import { addDays, parseDate } from '../../src/money/index.js';
import { setBusinessDay } from '../../src/store/index.js';
import { auth } from '../server/helpers.js';
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
    loansN: (n: number) => `${n} 笔贷款`,
    drill: (cohort: string, mob: string, group: string) => `放款月 ${cohort}，MOB${mob} — ${group}`,
    all: '全部贷款',
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
    loansN: (n: number) => `${n} ${n === 1 ? 'loan' : 'loans'}`,
    drill: (cohort: string, mob: string, group: string) => `Draw month ${cohort}, MOB${mob} — ${group}`,
    all: 'All loans',
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

  /** The API's answer to a GET, as finance reads it. */
  const read = async (url: string) => {
    const r = await h.api.app.inject({ method: 'GET', url, headers: auth(h.api.tokens.finance) });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Record<string, unknown>;
  };
  type Row = Record<string, string | number | null>;
  /** The figure of a segment's vintage with the most loans behind it: the latest draw month at its worst MOB. */
  const worstCell = async (by: string, segment: string) => {
    const report = await read(`/reports/vintage?asOf=2026-05-31${by === 'all' ? '' : `&by=${by}`}`);
    const table = (report.tables as { name: string; rows: Row[] }[]).find((t) => t.name === 'vintage-m2')!;
    let best: { row: string; column: string; cohort: string; value: number } | null = null;
    for (const r of table.rows.filter((x) => x.segment === segment))
      for (const [k, v] of Object.entries(r))
        if (/^mob\d+$/.test(k) && v !== null && (best === null || Number(v) > best.value))
          best = { row: String(r.row), column: k, cohort: String(r.cohort), value: Number(v) };
    expect(best?.value ?? 0).toBeGreaterThan(0);
    const q = new URLSearchParams({
      asOf: '2026-05-31',
      table: 'vintage-m2',
      row: best!.row,
      column: best!.column,
    });
    if (by !== 'all') q.set('by', by);
    const cell = await read(`/reports/vintage/cell?${q}`);
    return { ...best!, loans: cell.loans as number, loanIds: cell.loanIds as string[] };
  };

  for (const locale of ['zh-CN', 'en'] as const) {
    const L = LABELS[locale];
    it(`finance drills from a vintage figure to the loans behind it, kept in the address, in ${locale}`, async () => {
      const { page, errors, context } = await signedIn(h, 'finance', locale);
      const cell = await worstCell('all', 'all');
      await page.goto(`${h.baseUrl}/app/reports?view=vintage`);
      const matrix = page.getByTestId('vintage-all-matrix');
      const figure = matrix.getByTestId(`vintage-cell-${cell.row}-${cell.column}`);
      await figure.waitFor();
      // The figure shown is the report's.
      expect(await figure.textContent()).toBe(`${(cell.value * 100).toFixed(2)}%`);
      const asked = page.waitForResponse((r) => r.url().includes('/reports/vintage/cell?'));
      await figure.click();
      expect((await asked).status()).toBe(200);
      const drill = page.getByTestId('vintage-drill');
      await drill.getByText(L.drill(cell.cohort, cell.column.slice(3), L.all)).waitFor();
      // As many loans as the API answers, each a link to its loan page.
      expect(await page.getByTestId('vintage-drill-loans').textContent()).toBe(L.loansN(cell.loans));
      const first = page.getByTestId(`vintage-drill-loan-${cell.loanIds[0]}`);
      await first.waitFor();
      expect(await first.getAttribute('href')).toBe(`/app/loans/${cell.loanIds[0]}`);
      expect(await drill.locator('tbody tr.ant-table-row').count()).toBe(Math.min(cell.loans, 20));
      const address = new URL(page.url()).searchParams;
      expect([address.get('view'), address.get('row'), address.get('column')]).toEqual([
        'vintage',
        cell.row,
        cell.column,
      ]);
      await screenshot(page, `reports-vintage-drill-${locale}`);

      // The address opens the same loans again.
      await page.reload();
      await page.getByTestId('vintage-drill-loans').getByText(L.loansN(cell.loans)).waitFor();
      await page.getByTestId(`vintage-drill-loan-${cell.loanIds[0]}`).waitFor();

      // Grouped by product: a product's figure drills with the same grouping.
      const grouped = await worstCell('product', 'cash-12m');
      await page.getByTestId('vintage-by-product').getByText(L.byProduct).click();
      // Another grouping has other rows: the figure drilled into is dropped.
      await page.getByTestId('vintage-drill').waitFor({ state: 'detached' });
      const productFigure = page
        .getByTestId('vintage-cash-12m-matrix')
        .getByTestId(`vintage-cell-${grouped.row}-${grouped.column}`);
      await productFigure.click();
      await page
        .getByTestId('vintage-drill')
        .getByText(L.drill(grouped.cohort, grouped.column.slice(3), L.productGroup))
        .waitFor();
      expect(await page.getByTestId('vintage-drill-loans').textContent()).toBe(L.loansN(grouped.loans));
      await page.getByTestId(`vintage-drill-loan-${grouped.loanIds[0]}`).waitFor();
      expect(page.url()).toContain('by=product');
      // Cleared: the address no longer names a figure.
      await page.getByTestId('vintage-drill-close').click();
      await page.getByTestId('vintage-drill').waitFor({ state: 'detached' });
      expect(new URL(page.url()).searchParams.get('row')).toBeNull();
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
