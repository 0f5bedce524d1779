import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMonth, reviewLimits, scoreBehaviourMonth, writeBook } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import { type Role, setBusinessDay } from '../../src/store/index.js';
import {
  type Harness,
  screenshot,
  settle,
  signedIn as signedInAs,
  skipBrowser,
  startHarness,
  unexpectedErrors,
} from './browser.js';

// The behaviour-score page in both languages: the months with their PSI and distribution; a risk analyst's
// proposals cannot be approved by herself, and an admin approves them in bulk.
describe.skipIf(skipBrowser)('behaviour score and limit review in chromium', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await writeBook(h.api.db, {
      seed: 11,
      customers: 40,
      loansPerCustomer_max: 3,
      drawFrom: parseDate('2025-09-01'),
      drawTo: parseDate('2026-06-15'),
      historyThrough: parseDate('2026-06-30'),
      behaviourShares: [
        ['on_time', 0.6],
        ['late', 0.15],
        ['stops', 0.15],
        ['never', 0.1],
      ],
    });
    await setBusinessDay(h.api.db, parseDate('2026-07-01'));
    await scoreBehaviourMonth(h.api.db, parseMonth('2026-05'));
    await scoreBehaviourMonth(h.api.db, parseMonth('2026-06'), { psiAlert: 0.0001 });
    await reviewLimits(h.api.db, parseMonth('2026-06'), h.api.userIds.risk_analyst);
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  const signedIn = (role: Role, locale: 'zh-CN' | 'en') => signedInAs(h, role, locale);

  it('shows the months, their PSI and alert, and the distribution (zh-CN)', async () => {
    const w = await signedIn('risk_analyst', 'zh-CN');
    await w.page.getByText('行为评分', { exact: true }).first().click();
    const months = w.page.getByTestId('behaviour-months');
    await months.getByText('2026-06').waitFor();
    await months.getByText('2026-05').waitFor();
    await w.page.getByTestId('alert-2026-06').waitFor();
    expect(await w.page.getByTestId('alert-2026-06').textContent()).toContain('预警');
    await w.page.getByTestId('behaviour-distribution').getByText('2026-06 分数分布').waitFor();
    const bands = w.page.getByTestId('behaviour-distribution').locator('tbody tr.ant-table-row');
    expect(await bands.count()).toBe(10);
    // Her own proposals: she may not decide them.
    const proposals = w.page.getByTestId('limit-proposals');
    await proposals.locator('tbody tr.ant-table-row').first().waitFor();
    await proposals.locator('thead .ant-checkbox-input').check();
    await proposals.getByText('所选包含本人提出的建议：须由他人决定').waitFor();
    expect(await w.page.getByTestId('proposals-approve').isDisabled()).toBe(true);
    await screenshot(w.page, 'behaviour-zh-CN');
    expect(unexpectedErrors(w.errors)).toEqual([]);
    await w.context.close();
  });

  it('an admin approves the selected proposals in bulk (en); the lines change', async () => {
    const { rows: before } = await h.api.db.query<{ n: number }>(
      `select count(*)::int as n from limit_review_proposals where status = 'proposed'`,
    );
    expect(before[0]!.n).toBeGreaterThan(1);
    const w = await signedIn('admin', 'en');
    await w.page.goto(`${h.baseUrl}/app/behaviour`);
    await w.page.getByText('Behaviour score (行为评分) and limit review').waitFor();
    const proposals = w.page.getByTestId('limit-proposals');
    const rows = proposals.locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    await settle(w.page);
    await rows.nth(0).locator('.ant-checkbox-input').check();
    await rows.nth(1).locator('.ant-checkbox-input').check();
    const approve = w.page.getByTestId('proposals-approve');
    expect(await approve.textContent()).toContain('Approve 2 selected');
    await approve.click();
    await w.page.getByText('2 proposals decided: applied').waitFor();
    await screenshot(w.page, 'behaviour-approved-en');
    expect(unexpectedErrors(w.errors)).toEqual([]);
    await w.context.close();
    const { rows: applied } = await h.api.db.query<{ n: number }>(
      `select count(*)::int as n from limit_review_proposals where status = 'applied'`,
    );
    expect(applied[0]!.n).toBe(2);
    const { rows: changes } = await h.api.db.query<{ n: number }>(
      `select count(*)::int as n from credit_line_changes where code like 'LR_%'`,
    );
    expect(changes[0]!.n).toBe(2);
  });
});
