import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Harness,
  screenshot,
  signedIn,
  skipBrowser,
  startHarness,
  unexpectedErrors,
} from './browser.js';

// The strategy lab page in both languages: a risk analyst picks two strategies, the pandemic scenario and the
// baseline population, runs them, watches the run and reads the comparison — losses, recoveries, roll rates —
// and how the three named borrowers fared under each. An auditor reads the page but has no form.
describe.skipIf(skipBrowser)('strategy lab in chromium', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  for (const [locale, L] of [
    [
      'zh-CN',
      {
        nav: '策略实验室',
        losses: '损失（核销减回收）',
        recovered: '诉讼回收',
        hardship: '困难申请',
        done: '已完成',
        zhang: '未提供流水的创业者',
        li: '受餐饮业停业影响',
        note: /审批(通过|拒绝|转人工)/,
      },
    ],
    [
      'en',
      {
        nav: 'Strategy lab',
        losses: 'Losses (written off less recovered)',
        recovered: 'Recovered through the courts',
        hardship: 'Hardship applications',
        done: 'Done',
        zhang: 'start-up founder without statements',
        li: 'exposed to any closure of catering',
        note: /decision (approve|decline|refer)/,
      },
    ],
  ] as const) {
    it(`runs two strategies and shows the comparison and the named borrowers (${locale})`, async () => {
      const { page, errors, context } = await signedIn(h, 'risk_analyst', locale);
      await page.getByTestId('nav-lab').click();
      await page.getByTestId('page-lab').getByRole('heading', { name: L.nav }).waitFor();
      // Two strategies are picked from the start (default, no-freeze); the scenario is chosen here.
      await page.getByTestId('lab-scenario').click();
      await page.locator('.ant-select-item-option').filter({ hasText: 'pandemic' }).click();
      await page.getByTestId('lab-borrowers').fill('20');
      await page.getByTestId('lab-months').fill('8');
      await page.getByTestId('lab-replications').fill('1');
      await page.getByTestId('lab-run').click();
      await page.getByTestId('lab-status-succeeded').waitFor({ timeout: 120_000 });
      expect(await page.getByTestId('lab-status-succeeded').textContent()).toBe(L.done);
      expect(page.url()).toMatch(/\/app\/lab\?run=sim_/);

      const losses = page.getByTestId('lab-figure-losses');
      await losses.getByText(L.losses).waitFor();
      expect(await losses.textContent()).toMatch(/¥/);
      await page.getByTestId('lab-figure-recovered').getByText(L.recovered).waitFor();
      // The borrower's evidence on a case is counted beside the other figures, as a count in each column.
      const hardship = page.getByTestId('lab-figure-hardshipApplications');
      await hardship.getByText(L.hardship, { exact: true }).waitFor();
      expect(await hardship.locator('td').nth(1).textContent()).toMatch(/^\d/);
      const headers = await page.getByTestId('lab-figures').locator('th').allTextContents();
      expect(headers).toContain('default');
      expect(headers).toContain('no-freeze');
      expect(headers).toContain('default − no-freeze');
      await page.getByTestId('lab-roll-rates').getByText('M0→M1').waitFor();
      for (const name of ['张三', '李四', '王五'])
        expect(
          await page.getByTestId(`lab-borrower-${name}`).locator('tbody tr').count(),
        ).toBeGreaterThanOrEqual(2);
      await page.getByTestId('lab-borrower-张三').getByText(L.zhang, { exact: false }).waitFor();
      await page.getByTestId('lab-borrower-李四').getByText(L.li, { exact: false }).waitFor();
      // A borrower's months, opened: the notes are in the page's language (the decision that opened the line).
      const zhang = page.getByTestId('lab-borrower-张三');
      await zhang.locator('.ant-table-row-expand-icon').first().click();
      await zhang.getByText(L.note).first().waitFor();
      await screenshot(page, `lab-${locale}`);
      expect(unexpectedErrors(errors)).toEqual([]);
      await context.close();
    }, 180_000);
  }

  it('shows an auditor the runs without the form to start one', async () => {
    const { page, errors, context } = await signedIn(h, 'auditor', 'en');
    await page.getByTestId('nav-lab').click();
    await page.getByTestId('page-lab').waitFor();
    await page.getByText('Strategy lab', { exact: true }).first().waitFor();
    expect(await page.getByTestId('lab-run').count()).toBe(0);
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });
});
