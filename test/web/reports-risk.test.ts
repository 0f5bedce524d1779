import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFundingOutflows, loadReport, postMonthEndEcl, writeBook } from '../../src/jobs/index.js';
import { addDays, parseDate } from '../../src/money/index.js';
import type { Report } from '../../src/reporting/index.js';
import { setBusinessDay } from '../../src/store/index.js';
import { pdfText } from '../server/evidence-reader.js';
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
    ecl: 'IFRS 9 预期信用损失',
    stageChart: '阶段划分',
    stageCol: '阶段',
    rollForward: '损失准备变动（自上月末）',
    opening: '期初余额',
    closing: '期末余额',
    stress: '压力测试',
    stressChart: '各情景下预期信用损失',
    liquidity: '流动性:预期回款与资金流出',
    liquidityChart: '各情景按月预期回款',
    outflow: '债券兑付',
    riskTitle: '月度风险报告 — 2026-05-31',
  },
  en: {
    ecl: 'IFRS 9 expected credit loss',
    stageChart: 'Stage split',
    stageCol: 'Stage',
    rollForward: 'Loss allowance roll-forward from the previous month end',
    opening: 'Opening',
    closing: 'Closing',
    stress: 'Stress tests',
    stressChart: 'ECL and 12-month losses',
    liquidity: 'Liquidity: expected cash-in against funding outflows',
    liquidityChart: 'Expected cash-in by month',
    outflow: '债券兑付',
    riskTitle: 'Monthly risk report — 2026-05-31',
  },
} as const;

const TODAY = parseDate('2026-06-15');
const AS_OF = '2026-05-31';

/** A table's cells in page order, each with the thousands separators taken out. */
async function cellsOf(page: import('playwright-core').Page, testId: string): Promise<string[]> {
  const texts = await page.getByTestId(testId).locator('tbody tr.ant-table-row td').allInnerTexts();
  return texts.map((t) => t.replace(/[,\s¥]/g, ''));
}

/*
 * A seeded book closed through 2026-06-11 with the April ECL run stored (so May has a roll-forward) and a
 * funding outflow in June; the pages must show the figures the API computes for 2026-05-31.
 */
describe.skipIf(skipBrowser)('ECL, stress and liquidity pages in chromium', () => {
  let h: Harness;
  let ecl: Report;
  let stress: Report;
  let liquidity: Report;

  beforeAll(async () => {
    h = await startHarness();
    await writeBook(h.api.db, {
      seed: 29,
      customers: 40,
      loansPerCustomer_max: 3,
      drawFrom: addDays(TODAY, -400),
      drawTo: addDays(TODAY, -10),
      historyThrough: addDays(TODAY, -4),
    });
    await setBusinessDay(h.api.db, parseDate('2026-06-12'));
    await postMonthEndEcl(h.api.db, parseDate('2026-04-30'));
    await importFundingOutflows(
      h.api.db,
      JSON.stringify([{ day: '2026-06-20', amount: '50000.00', label: '债券兑付' }]),
      'json',
      'test',
    );
    ecl = await loadReport(h.api.db, 'ecl', { asOf: AS_OF });
    stress = await loadReport(h.api.db, 'stress', { asOf: AS_OF });
    liquidity = await loadReport(h.api.db, 'liquidity', { asOf: AS_OF });
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  const tableRows = (r: Report, name: string) => r.tables.find((t) => t.name === name)?.rows ?? [];

  for (const locale of ['zh-CN', 'en'] as const) {
    const L = LABELS[locale];
    it(`finance reads ECL by stage with its roll-forward, the stress results and the cash-in in ${locale}`, async () => {
      const { page, errors, context } = await signedIn(h, 'finance', locale);
      await page.getByTestId('nav-reports').click();
      await page.getByTestId('report-as-of').waitFor();
      // The month end is filled in once the business day is read.
      await expect.poll(() => page.getByTestId('report-as-of').inputValue()).toBe(AS_OF);

      await page.getByTestId('report-view-ecl').click();
      await page.getByTestId('report-title').getByText(L.ecl).waitFor();
      await page.getByText(L.stageChart).waitFor();
      await page.getByTestId('ecl-by-stage').locator('canvas').first().waitFor();
      // The stage table carries the server's figures, stage by stage (EAD and ECL columns).
      const stages = tableRows(ecl, 'stages');
      expect(stages.map((r) => r.stage)).toEqual([1, 2, 3]);
      const cells = await cellsOf(page, 'stage-table');
      expect(cells.length).toBe(stages.length * 6);
      stages.forEach((r, i) => {
        expect(cells[i * 6]).toBe(String(r.stage));
        expect(cells[i * 6 + 1]).toBe(String(r.exposures));
        expect(cells[i * 6 + 3]).toBe(String(r.ead));
        expect(cells[i * 6 + 4]).toBe(String(r.ecl));
      });
      // The roll-forward from April's stored run: a waterfall and the table, opening to closing.
      const rf = tableRows(ecl, 'roll-forward');
      expect(rf.length).toBe(9);
      await page.getByText(L.rollForward, { exact: true }).waitFor();
      await page.getByTestId('ecl-waterfall').locator('canvas').first().waitFor();
      const rfTable = page.getByTestId('roll-forward-table');
      await rfTable.getByText(L.opening, { exact: true }).waitFor();
      await rfTable.getByText(L.closing, { exact: true }).waitFor();
      const rfCells = await cellsOf(page, 'roll-forward-table');
      expect(rfCells[rfCells.length - 1]).toBe(String(rf[rf.length - 1]?.total));
      expect(rf[rf.length - 1]?.total).toBe(ecl.summary.find((f) => f.key === 'ecl')?.value);
      await screenshot(page, `reports-ecl-${locale}`);

      await page.getByTestId('report-view-stress').click();
      await page.getByTestId('report-title').getByText(L.stress).waitFor();
      await page.getByText(L.stressChart).waitFor();
      await page.getByTestId('stress-chart').locator('canvas').first().waitFor();
      const scenarios = tableRows(stress, 'scenarios');
      expect(scenarios.map((r) => r.scenario)).toEqual(
        expect.arrayContaining(['base', 'downturn', 'pandemic']),
      );
      const stressCells = await cellsOf(page, 'stress-table');
      scenarios.forEach((r, i) => {
        expect(stressCells[i * 8]).toBe(String(r.scenario));
        expect(stressCells[i * 8 + 2]).toBe(String(r.ecl));
      });
      await screenshot(page, `reports-stress-${locale}`);

      await page.getByTestId('report-view-liquidity').click();
      await page.getByTestId('report-title').getByText(L.liquidity).waitFor();
      await page.getByText(L.liquidityChart).waitFor();
      await page.getByTestId('liquidity-chart').locator('canvas').first().waitFor();
      await page.getByTestId('liquidity-outflows').getByText(L.outflow).waitFor();
      const months = tableRows(liquidity, 'months');
      const monthCells = await cellsOf(page, 'liquidity-months');
      const width = liquidity.tables.find((t) => t.name === 'months')?.columns.length ?? 0;
      expect(monthCells.length).toBe(months.length * width);
      expect(monthCells[0]).toBe(String(months[0]?.period));
      expect(monthCells[3]).toBe(String(months[0]?.scheduled));
      await screenshot(page, `reports-liquidity-${locale}`);

      // The monthly risk report of the same month end, in the reader's language, as a PDF download.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('risk-report-pdf').click(),
      ]);
      expect(download.suggestedFilename()).toBe(`risk-report-${AS_OF}-${locale}.pdf`);
      const bytes = readFileSync(await download.path());
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = (await pdfText(bytes)).join('\n');
      expect(text).toContain(L.riskTitle);
      expect(text).toContain(
        new Intl.NumberFormat('en-US', { minimumFractionDigits: 2 }).format(
          Number(ecl.summary.find((f) => f.key === 'ecl')?.value),
        ),
      );
      expect(unexpectedErrors(errors)).toEqual([]);
      await context.close();
    });
  }
});
