import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBook } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import { setBusinessDay } from '../../src/store/index.js';
import { auth, freshKey } from '../server/helpers.js';
import {
  type Harness,
  screenshot,
  settle,
  signedIn,
  skipBrowser,
  startHarness,
  unexpectedErrors,
} from './browser.js';

// Finance posts a month end's ECL and enters funding outflows; a cadence drafted by one analyst is approved
// by another person. One browser, three sign-ins, every step inside the app without reloading.
describe.skipIf(skipBrowser)('ECL postings, funding outflows and reminder cadences in chromium', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    // A small book drawn in January and February, closed through May.
    await writeBook(h.api.db, {
      seed: 23,
      customers: 6,
      loansPerCustomer_max: 1,
      drawFrom: parseDate('2026-01-05'),
      drawTo: parseDate('2026-02-20'),
      historyThrough: parseDate('2026-05-31'),
    });
    await setBusinessDay(h.api.db, parseDate('2026-06-01'));
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it('finance posts a closed month (an open one refused with the server’s detail) and enters outflows', async () => {
    const w = await signedIn(h, 'finance', 'zh-CN');
    const page = w.page;
    await page.getByTestId('nav-eclPostings').click();
    await page.getByText('尚无已计提的月末').waitFor();

    // June is not closed: the server's problem detail is shown, and nothing is posted.
    await page.getByTestId('ecl-month').fill('2026-06');
    await page.getByTestId('ecl-post').click();
    await page.getByTestId('problem').waitFor();
    expect(await page.getByTestId('problem').textContent()).toMatch(
      /report_month_not_closed.*该月末尚未日终关账/,
    );
    await page.getByTestId('ecl-month').fill('April');
    await page.getByTestId('ecl-post').click();
    await page.getByTestId('ecl-month-error').getByText('请按 YYYY-MM 输入月份').waitFor();

    await page.getByTestId('ecl-month').fill('2026-04');
    await page.getByTestId('ecl-post').click();
    const shown = page.getByTestId('ecl-posting');
    await shown.getByText('2026-04-30 减值准备计提').waitFor();
    await shown.getByText('本次计提').waitFor();
    const roll = page.getByTestId('ecl-roll-forward');
    await roll.getByText('期初余额').waitFor();
    await roll.getByText('期末余额').waitFor();
    // The entry's lines, or the note that the allowance did not move (then the list says there is no entry).
    const journal = page.getByTestId('ecl-journal');
    await journal.getByText('借方').waitFor();
    if ((await journal.locator('tbody tr.ant-table-row').count()) === 0) {
      await journal.getByText('无分录：减值准备未变动').waitFor();
      await page.getByTestId('ecl-postings').getByText('无（未变动）').waitFor();
    } else await journal.getByText('lossAllowance').waitFor();
    await page.getByTestId('ecl-postings').getByText('2026-04-30').waitFor();
    await screenshot(page, 'ecl-postings-zh-CN');

    // Posting April again writes nothing and says so.
    await page.getByTestId('ecl-post').click();
    await page.getByText('2026-04-30 已计提过，未写入任何内容').waitFor();
    expect(await page.getByTestId('ecl-postings').locator('tbody tr.ant-table-row').count()).toBe(1);

    // Funding outflows: the dashboard's own check, then the server's refusal placed at its row, then stored.
    await page.getByTestId('nav-fundingOutflows').click();
    await page.getByText('尚无资金流出').waitFor();
    await page.getByTestId('funding-day-0').fill('2026-07-10');
    await page.getByTestId('funding-amount-0').fill('1.234');
    await page.getByTestId('funding-label-0').fill('银行借款到期');
    await page.getByTestId('funding-submit').click();
    await page.getByTestId('funding-error-0').getByText('金额须为最多两位小数的元').waitFor();
    await page.getByTestId('funding-amount-0').fill('150000');
    await page.getByTestId('funding-add').click();
    await page.getByTestId('funding-day-1').fill('2026-07-32');
    await page.getByTestId('funding-amount-1').fill('10.5');
    await page.getByTestId('funding-label-1').fill('ABS coupon');
    await page.getByTestId('funding-submit').click();
    await page.getByTestId('funding-error-1').waitFor();
    await page.getByTestId('problem').waitFor();
    expect(await page.getByTestId('funding-list').getByText('银行借款到期').count()).toBe(0);
    await page.getByTestId('funding-day-1').fill('2026-07-31');
    await page.getByTestId('funding-submit').click();
    const list = page.getByTestId('funding-list');
    await list.getByText('银行借款到期').waitFor();
    await list.getByText('¥150,000.00').waitFor();
    await list.getByText('¥10.50').waitFor();
    await screenshot(page, 'funding-outflows-zh-CN');

    // The same pages in English, switched in place.
    await page.getByTestId('language-switch').getByText('English', { exact: true }).click();
    await page.getByText('Funding outflows (资金流出)').waitFor();
    await page.getByTestId('nav-eclPostings').click();
    await page.getByText('Month ends posted').waitFor();
    await page.getByTestId('ecl-show-2026-04-30').click();
    await page.getByTestId('ecl-roll-forward').getByText('Opening').waitFor();
    await page.getByTestId('ecl-journal').getByText('Debit').waitFor();
    expect(unexpectedErrors(w.errors, [400, 409])).toEqual([]);
    await w.context.close();
  }, 300_000);

  it('an analyst may not approve her own cadence draft; another person publishes it', async () => {
    const document = (
      await h.api.app.inject({
        method: 'GET',
        url: '/reminder-cadences/shipped',
        headers: auth(h.api.tokens.risk_analyst),
      })
    ).json().document as object;
    const drafted = await h.api.app.inject({
      method: 'POST',
      url: '/reminder-cadences',
      headers: { ...auth(h.api.tokens.risk_analyst), 'idempotency-key': freshKey() },
      payload: { document, note: 'copy of the shipped cadence' },
    });
    expect(drafted.statusCode, drafted.body).toBe(201);
    const version = (drafted.json() as { version: string }).version;

    const analyst = await signedIn(h, 'risk_analyst', 'en');
    await analyst.page.getByTestId('nav-reminderCadences').click();
    await analyst.page.getByTestId('cadences-shipped').waitFor();
    await analyst.page.getByTestId(`cadence-own-${version}`).waitFor();
    await settle(analyst.page);
    await analyst.page.getByTestId(`cadence-approve-${version}`).click();
    await analyst.page
      .getByTestId('problem')
      .getByText(/approval_by_author/)
      .waitFor();
    await screenshot(analyst.page, 'reminder-cadences-own-en');
    expect(unexpectedErrors(analyst.errors, [403])).toEqual([]);
    await analyst.context.close();

    const admin = await signedIn(h, 'admin', 'zh-CN');
    await admin.page.getByTestId('nav-reminderCadences').click();
    await admin.page.getByTestId('cadences-table').getByText('草稿').waitFor();
    await settle(admin.page);
    await admin.page.getByTestId(`cadence-approve-${version}`).click();
    await admin.page.getByTestId('cadences-table').getByText('已发布').waitFor();
    await admin.page.getByTestId('cadences-table').getByText('生效中').waitFor();
    expect(await admin.page.getByTestId('cadences-shipped').count()).toBe(0);
    await admin.page.getByTestId(`cadence-view-${version}`).click();
    await admin.page.getByTestId('cadence-document').waitFor();
    await screenshot(admin.page, 'reminder-cadences-zh-CN');
    expect(unexpectedErrors(admin.errors)).toEqual([]);
    await admin.context.close();
  }, 300_000);
});
