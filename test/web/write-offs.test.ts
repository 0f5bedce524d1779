import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBook } from '../../src/jobs/index.js';
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

// The write-off page in both languages: a risk analyst proposes the candidates with their evidence, may not
// decide her own proposal, and finance approves it.
describe.skipIf(skipBrowser)('write-offs (核销) in chromium', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    // Two customers who never pay, drawn in January; the book closed through 2026-09-30.
    await writeBook(h.api.db, {
      seed: 11,
      customers: 2,
      loansPerCustomer_max: 1,
      drawFrom: parseDate('2026-01-05'),
      drawTo: parseDate('2026-01-20'),
      historyThrough: parseDate('2026-09-30'),
      behaviourShares: [['never', 1]],
    });
    await setBusinessDay(h.api.db, parseDate('2026-10-01'));
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  const signedIn = (role: Role, locale: 'zh-CN' | 'en') => signedInAs(h, role, locale);

  for (const [locale, L] of [
    [
      'zh-CN',
      {
        nav: '核销管理',
        loss: '损失',
        propose: '提交 2 笔核销申请',
        own: '本人提交，须由他人审批',
        approved: '已批准',
        none: '暂无符合核销规则的借据',
      },
    ],
  ] as const) {
    it(`proposes, refuses the proposer, approves by finance (${locale})`, async () => {
      const analyst = await signedIn('risk_analyst', locale);
      const page = analyst.page;
      await page
        .getByRole('link', { name: L.nav })
        .or(page.getByText(L.nav, { exact: true }))
        .first()
        .click();
      const candidates = page.getByTestId('write-off-candidates');
      await candidates.getByText(L.loss).first().waitFor();
      const rows = candidates.locator('tbody tr.ant-table-row');
      expect(await rows.count()).toBe(2);
      await candidates.locator('thead .ant-checkbox-input').check();
      const propose = page.getByTestId('write-off-propose');
      expect(await propose.isDisabled()).toBe(true);
      for (const input of await candidates.locator('input[data-testid^="evidence-"]').all())
        await input.fill('CASE-2026-77');
      expect(await propose.textContent()).toContain(L.propose);
      await propose.click();
      const proposals = page.getByTestId('write-off-proposals');
      await proposals.getByText(L.own).waitFor();
      await candidates.getByText(L.none).waitFor();
      await screenshot(page, `write-offs-proposed-${locale}`);
      expect(unexpectedErrors(analyst.errors)).toEqual([]);
      await analyst.context.close();

      const finance = await signedIn('finance', locale);
      await finance.page.goto(`${h.baseUrl}/app/write-offs`);
      const list = finance.page.getByTestId('write-off-proposals');
      const approve = list.locator('button[data-testid^="approve-"]');
      await approve.first().waitFor();
      await settle(finance.page);
      await approve.first().click();
      await list.getByText(L.approved).waitFor();
      await screenshot(finance.page, `write-offs-approved-${locale}`);
      expect(unexpectedErrors(finance.errors)).toEqual([]);
      await finance.context.close();
      const { rows: after } = await h.api.db.query<{ n: number }>(
        "select count(*)::int as n from loans where status = 'written-off'",
      );
      expect(after[0]!.n).toBe(2);
    });
  }

  it('shows the page in English with its labels', async () => {
    const w = await signedIn('auditor', 'en');
    await w.page.goto(`${h.baseUrl}/app/write-offs`);
    await w.page.getByText('Write-offs (核销)').waitFor();
    await w.page.getByTestId('write-off-proposals').getByText('Approved').waitFor();
    expect(await w.page.getByTestId('write-off-propose').count()).toBe(0);
    expect(unexpectedErrors(w.errors)).toEqual([]);
    await w.context.close();
  });
});
