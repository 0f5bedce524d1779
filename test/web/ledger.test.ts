import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EOD_OPTIONS_DEFAULT, ledgerEod, runEod, writeBook } from '../../src/jobs/index.js';
import { addDays, formatDate, parseDate } from '../../src/money/index.js';
import { seededRandom, syntheticCustomer } from '../../src/simulation/index.js';
import { insertCustomer, type Role, setBusinessDay } from '../../src/store/index.js';
import { auth } from '../server/helpers.js';
import {
  type Harness,
  screenshot,
  settle,
  signedIn as signedInAs,
  skipBrowser,
  startHarness,
  unexpectedErrors,
} from './browser.js';

/** The test book's business day: a year of loans, closed through it. */
const CLOSED = parseDate('2026-06-10');

const LABELS = {
  'zh-CN': {
    portfolio: '资产组合',
    loans: '借据',
    eod: '日终批处理',
    loan: '借据',
    loading: '正在加载资产组合…',
    bucket: '逾期阶段',
    schedulePrincipal: '应还本金',
    total: (n: number) => `共 ${n} 笔`,
    nextAction: '下一步',
    pickDate: '请选择日期',
    weekday: '一',
    stage: /^第 [123] 阶段$/,
    creditStatus: /^([1-7] 逾期|N 正常|\* 当月无还款)/,
  },
  en: {
    portfolio: 'Portfolio',
    loans: 'Loans',
    eod: 'End-of-day runs',
    loan: 'Loan',
    loading: 'Loading the portfolio…',
    bucket: 'Bucket',
    schedulePrincipal: 'Principal due',
    total: (n: number) => `${n} ${n === 1 ? 'loan' : 'loans'}`,
    nextAction: 'Next action',
    pickDate: 'Select date',
    weekday: 'Mo',
    stage: /^Stage [123]$/,
    creditStatus: /^([1-7] — |N — normal|\* — nothing due)/,
  },
} as const;

/** Text of the server's that must never reach a Chinese page: English legal citations, borrower-facing words. */
const NOT_CHINESE = [/Art\./, /national standard/, /guideline \(/, /你的/, /Select date/];
type Locale = keyof typeof LABELS;

/** Money as the dashboard writes it in both languages: ¥ and grouped yuan, two decimals. */
function shownMoney(amount: string): string {
  const [whole, fraction = ''] = amount.split('.');
  return `¥${BigInt(whole ?? '0').toLocaleString('en')}.${fraction.padEnd(2, '0')}`;
}

interface ApiLoan {
  loanId: string;
  customerId: string;
  openedOn: string;
  bucket: string;
  outstandingPrincipal: string;
  totalOwed: string;
  status: string;
}

describe.skipIf(skipBrowser)('dashboard ledger pages in chromium', () => {
  let h: Harness;

  const apiGet = async <T>(url: string): Promise<T> => {
    const res = await h.api.app.inject({ method: 'GET', url, headers: auth(h.api.tokens.admin) });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json() as T;
  };

  beforeAll(async () => {
    h = await startHarness();
    const rand = seededRandom(4242);
    const customerIds: string[] = [];
    for (let i = 0; i < 30; i++) {
      customerIds.push(
        (await insertCustomer(h.api.db, h.api.cipher, syntheticCustomer(rand, i), 'test')).customerId,
      );
    }
    await writeBook(h.api.db, {
      seed: 4242,
      customers: customerIds.length,
      customerIds,
      loansPerCustomer_max: 2,
      drawFrom: addDays(CLOSED, -300),
      drawTo: addDays(CLOSED, -40),
      historyThrough: addDays(CLOSED, -1),
    });
    const run = await runEod(h.api.db, ledgerEod, {
      businessDay: formatDate(CLOSED),
      requestedBy: 'test',
      workers: 1,
      options: EOD_OPTIONS_DEFAULT,
    });
    expect(run.status).toBe('succeeded');
    await setBusinessDay(h.api.db, CLOSED);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  const signedIn = (role: Role, locale: Locale) => signedInAs(h, role, locale);

  /** Types a date into an antd date picker and confirms it. */
  async function pickDate(page: Page, testId: string, date: string): Promise<void> {
    // antd puts the test id on the input itself.
    const input = page.getByTestId(testId);
    await input.click();
    await input.fill(date);
    await input.press('Enter');
  }

  for (const locale of ['zh-CN', 'en'] as const) {
    it(`shows the book's figures in ${locale}, links each to its loans, and opens every ledger page`, async () => {
      const { page, errors, context } = await signedIn('admin', locale);
      const l = LABELS[locale];
      const summary = await apiGet<{
        outstandingPrincipal: string;
        buckets: { bucket: string; loans: number }[];
      }>('/portfolio/summary');

      // While the figures load the page says so, and shows neither "no loans" nor ¥0.00 buckets.
      let release: () => void = () => {};
      const held = new Promise<void>((done) => {
        release = done;
      });
      await page.route('**/portfolio/summary', async (route) => {
        await held;
        await route.continue();
      });
      // Signing in landed on the portfolio already: load it again with its summary held back.
      await page.goto(`${h.baseUrl}/app/`);
      await page.getByTestId('page-portfolio').getByRole('heading', { name: l.portfolio }).waitFor();
      await page.getByTestId('portfolio-loading').getByText(l.loading).waitFor();
      expect(await page.getByTestId('portfolio-empty').count()).toBe(0);
      expect(await page.getByTestId('bucket-table').count()).toBe(0);
      release();
      await page.getByTestId('portfolio-loading').waitFor({ state: 'detached' });
      await page.getByTestId('bucket-table').locator('th').getByText(l.bucket, { exact: true }).waitFor();
      await page
        .getByTestId('page-portfolio')
        .getByText(shownMoney(summary.outstandingPrincipal))
        .first()
        .waitFor();
      await page.getByTestId('bucket-chart').locator('canvas').waitFor();
      await page.getByTestId('trend-chart').locator('canvas').waitFor();
      await screenshot(page, `ledger-portfolio-${locale}`);

      // A bucket's figure opens exactly the loans behind it.
      const bucket = summary.buckets.find((b) => b.bucket !== 'M0' && b.loans > 0 && b.loans <= 20)!;
      expect(bucket, 'the test book has a small past-due bucket').toBeDefined();
      await page.getByTestId(`bucket-link-${bucket.bucket}`).click();
      await page.getByTestId('page-loans').getByRole('heading', { name: l.loans }).waitFor();
      const rows = page.getByTestId('loans-table').getByTestId('loan-link');
      await expect.poll(() => rows.count()).toBe(bucket.loans);
      expect(new URL(page.url()).searchParams.get('bucket')).toBe(bucket.bucket);
      await page.getByTestId('loans-total').getByText(l.total(bucket.loans)).waitFor();
      await screenshot(page, `ledger-loans-${locale}`);

      await rows.first().click();
      await page.getByTestId('page-loan').getByRole('heading', { name: l.loan }).first().waitFor();
      await page.getByTestId('loan-balances').waitFor();
      await page.getByTestId('schedule').locator('.ant-table-row').first().waitFor();
      await page
        .getByTestId('schedule')
        .locator('th')
        .getByText(l.schedulePrincipal, { exact: true })
        .first()
        .waitFor();
      await page.getByTestId('event-LoanOpened').first().waitFor();
      await page.getByTestId('postings').locator('.ant-table-row').first().waitFor();
      await page.getByTestId('impact-table').locator('.ant-table-row').first().waitFor();
      // The milestones speak to staff: what happened, what comes next, and the next action with its date.
      const impact = page.getByTestId('impact');
      await impact.getByTestId('milestone-next-action').getByText(l.nextAction).waitFor();
      await impact.getByTestId('milestone-next-action-tag').waitFor();
      expect(await impact.getByTestId('milestone-next').count()).toBeGreaterThan(0);
      if (locale === 'zh-CN') {
        const text = (await impact.textContent()) ?? '';
        for (const pattern of NOT_CHINESE) expect(text, String(pattern)).not.toMatch(pattern);
      }
      // Credit-report status codes and IFRS 9 stages in words of the page's language.
      const impactRow = page.getByTestId('impact-table').locator('.ant-table-row').last();
      const cells = await impactRow.locator('td').allTextContents();
      expect(cells[3]).toMatch(l.creditStatus);
      expect(cells[5]).toMatch(l.stage);
      // antd's date picker speaks the page's language: its placeholder and the calendar's weekdays.
      const asOf = page.getByTestId('as-of-picker');
      expect(await asOf.getAttribute('placeholder')).toBe(l.pickDate);
      await asOf.click();
      await page
        .locator('.ant-picker-dropdown:visible .ant-picker-content th')
        .getByText(l.weekday, { exact: true })
        .waitFor();
      await page.keyboard.press('Escape');
      await screenshot(page, `ledger-loan-${locale}`);

      await page.getByTestId('loan-borrower-link').click();
      await page.getByTestId('page-borrower').waitFor();
      await page.getByTestId('borrower-lines').locator('.ant-table-row').first().waitFor();
      await page.getByTestId('borrower-loan-link').first().waitFor();
      await screenshot(page, `ledger-borrower-${locale}`);

      await page.getByTestId('nav-eod').click();
      await page.getByTestId('page-eod').getByRole('heading', { name: l.eod }).waitFor();
      await page.getByTestId('eod-run-detail').getByTestId('eod-status-succeeded').first().waitFor();
      await screenshot(page, `ledger-eod-${locale}`);

      expect(unexpectedErrors(errors)).toEqual([]);
      await context.close();
    });
  }

  for (const locale of ['zh-CN', 'en'] as const) {
    it(`lists active loans by default with their total, sorts by days past due and overdue principal, and fits 1440 px in ${locale}`, async () => {
      const { page, errors, context } = await signedIn('collector', locale);
      await page.setViewportSize({ width: 1440, height: 900 });
      const l = LABELS[locale];
      const active = await apiGet<{ count: number }>('/loans/count?status=active');
      const all = await apiGet<{ count: number }>('/loans/count');
      expect(active.count).toBeLessThan(all.count);
      await page.getByTestId('nav-loans').click();
      await page.getByTestId('loans-total').getByText(l.total(active.count)).waitFor();
      const table = page.getByTestId('loans-table');
      await table.getByTestId('loan-link').first().waitFor();
      // Nothing scrolls sideways: neither the page nor the table.
      const overflow = await page.evaluate(() => {
        const d = (
          globalThis as unknown as {
            document: {
              documentElement: { scrollWidth: number; clientWidth: number };
              querySelector(s: string): { scrollWidth: number; clientWidth: number } | null;
            };
          }
        ).document;
        const content =
          d.querySelector('[data-testid="loans-table"] .ant-table-content') ??
          d.querySelector('[data-testid="loans-table"] .ant-table-body');
        return {
          page: d.documentElement.scrollWidth - d.documentElement.clientWidth,
          table: content === null ? 0 : content.scrollWidth - content.clientWidth,
        };
      });
      expect(overflow).toEqual({ page: 0, table: 0 });
      await screenshot(page, `ledger-loans-1440-${locale}`);

      // Days past due, most first (the column's second click), as the API orders them.
      const header = (name: string) => table.locator('th', { has: page.locator(`text=${name}`) }).first();
      const dpdHeader = header(locale === 'en' ? 'Days past due' : '逾期天数');
      await dpdHeader.click();
      await page.waitForURL(/sort=daysPastDue&order=asc/);
      await dpdHeader.click();
      await page.waitForURL(/sort=daysPastDue&order=desc/);
      const worst = await apiGet<{ items: { loanId: string }[] }>(
        '/loans?status=active&sort=daysPastDue&order=desc&limit=20',
      );
      await expect
        .poll(() => table.getByTestId('loan-link').allTextContents())
        .toEqual(worst.items.map((x) => x.loanId));
      const dpds = (await table.getByTestId('loan-dpd').allTextContents()).map((x) =>
        Number(x.replace(/,/g, '')),
      );
      expect(dpds[0]).toBeGreaterThan(0);
      expect([...dpds].sort((a, b) => b - a)).toEqual(dpds);

      const overdueHeader = header(locale === 'en' ? 'Overdue principal' : '逾期本金');
      await overdueHeader.click();
      await page.waitForURL(/sort=overduePrincipal&order=asc/);
      await overdueHeader.click();
      await page.waitForURL(/sort=overduePrincipal&order=desc/);
      const most = await apiGet<{ items: { loanId: string }[] }>(
        '/loans?status=active&sort=overduePrincipal&order=desc&limit=20',
      );
      await expect
        .poll(() => table.getByTestId('loan-link').allTextContents())
        .toEqual(most.items.map((x) => x.loanId));
      expect(unexpectedErrors(errors)).toEqual([]);
      await context.close();
    });
  }

  it('shows a refusal from the server in Chinese on a Chinese page, its code unchanged', async () => {
    const { page, errors, context } = await signedIn('collector', 'zh-CN');
    const list = await apiGet<{ items: ApiLoan[] }>('/loans?status=active&limit=1');
    const loan = list.items[0]!;
    await page.goto(`${h.baseUrl}/app/loans/${loan.loanId}`);
    await page.getByTestId('repayment-amount').fill('500.00');
    await pickDate(page, 'repayment-date', formatDate(addDays(CLOSED, 3)));
    await page.getByTestId('repayment-submit').click();
    const problem = page.getByTestId('repayment-card').getByTestId('problem');
    await problem.waitFor();
    const said = (await problem.textContent()) ?? '';
    expect(said).toContain('(date_out_of_range)');
    expect(said).toContain(`晚于营业日 ${formatDate(CLOSED)}`);
    expect(said).not.toMatch(/business day|must be|cannot/);
    await page
      .getByTestId('repayment-form')
      .locator('.ant-form-item-explain-error')
      .filter({ hasText: `不得晚于 ${formatDate(CLOSED)}` })
      .waitFor();
    await screenshot(page, 'ledger-repayment-refused-zh-CN');
    expect(unexpectedErrors(errors, [400])).toEqual([]);
    await context.close();
  });

  it('records a repayment, checking the form as the API does, and the balance shown changes', async () => {
    const { page, errors, context } = await signedIn('collector', 'en');
    const list = await apiGet<{ items: ApiLoan[] }>(
      '/loans?status=active&sort=outstandingPrincipal&order=desc&limit=1',
    );
    const loan = list.items[0]!;
    await page.goto(`${h.baseUrl}/app/loans/${loan.loanId}`);
    const outstanding = page.getByTestId('loan-outstanding');
    await expect.poll(() => outstanding.textContent()).toBe(shownMoney(loan.outstandingPrincipal));
    // A collector records repayments but does not read the journal.
    expect(await page.getByTestId('postings').count()).toBe(0);

    // Refused in the browser, as the API would: three decimals.
    await page.getByTestId('repayment-amount').fill('12.345');
    await page.getByTestId('repayment-submit').click();
    await page.getByText('must be a decimal string of yuan with at most 2 decimals').waitFor();

    // Refused by the server only (a date after the business day): its message sits under the date field.
    await page.getByTestId('repayment-amount').fill('500.00');
    await pickDate(page, 'repayment-date', formatDate(addDays(CLOSED, 3)));
    await page.getByTestId('repayment-submit').click();
    await page.getByTestId('repayment-card').getByTestId('problem').waitFor();
    await page
      .getByTestId('repayment-form')
      .locator('.ant-form-item-explain-error')
      .filter({ hasText: `must be on or before ${formatDate(CLOSED)}` })
      .waitFor();
    await screenshot(page, 'ledger-repayment-refused-en');

    // Dated the business day this time (a fresh form).
    await page.reload();
    await expect.poll(() => outstanding.textContent()).toBe(shownMoney(loan.outstandingPrincipal));
    await page.getByTestId('repayment-amount').fill('500.00');
    await page.getByTestId('repayment-submit').click();
    await page.getByTestId('repayment-done').waitFor();
    const after = await apiGet<ApiLoan>(`/loans/${loan.loanId}`);
    expect(after.outstandingPrincipal).not.toBe(loan.outstandingPrincipal);
    await expect.poll(() => outstanding.textContent()).toBe(shownMoney(after.outstandingPrincipal));
    await screenshot(page, 'ledger-repayment-done-en');

    // The payoff quote is the server's.
    await page.getByTestId('payoff-submit').click();
    const quote = await apiGet<{ total: string }>(`/loans/${loan.loanId}/payoff-quote`);
    await expect.poll(() => page.getByTestId('payoff-total').textContent()).toBe(shownMoney(quote.total));

    expect(unexpectedErrors(errors, [400])).toEqual([]);
    await context.close();
  });

  it('replays a loan as it stood on a picked day', async () => {
    const { page, errors, context } = await signedIn('risk_analyst', 'zh-CN');
    const list = await apiGet<{ items: ApiLoan[] }>(
      '/loans?status=active&bucket=M1,M2,M3,M4,M5,M6,M7&limit=1',
    );
    const loan = list.items[0]!;
    const day = formatDate(addDays(CLOSED, -35));
    expect(parseDate(loan.openedOn)).toBeLessThan(parseDate(day));
    const then = await apiGet<ApiLoan>(`/loans/${loan.loanId}?asOf=${day}`);
    const now = await apiGet<ApiLoan>(`/loans/${loan.loanId}`);
    expect(then.totalOwed).not.toBe(now.totalOwed);

    await page.goto(`${h.baseUrl}/app/loans/${loan.loanId}`);
    const total = page.getByTestId('loan-total-owed');
    await expect.poll(() => total.textContent()).toBe(shownMoney(now.totalOwed));
    await pickDate(page, 'as-of-picker', day);
    await page.getByTestId('as-of-notice').waitFor();
    await expect.poll(() => total.textContent()).toBe(shownMoney(then.totalOwed));
    await expect
      .poll(() => page.getByTestId('loan-outstanding').textContent())
      .toBe(shownMoney(then.outstandingPrincipal));
    await screenshot(page, 'ledger-as-of-zh-CN');
    await page.getByTestId('as-of-now').click();
    await expect.poll(() => total.textContent()).toBe(shownMoney(now.totalOwed));

    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });

  it('starts an EOD run and watches it to the end; a role that may not start one is not offered it', async () => {
    const { page, errors, context } = await signedIn('finance', 'en');
    await page.getByTestId('nav-eod').click();
    await page.getByTestId('page-eod').waitFor();
    await page
      .getByTestId('eod-range')
      .getByText(`From ${formatDate(CLOSED)} (the business day)`)
      .waitFor();
    // The calendar offers no day before the business day and none after today.
    await page.getByTestId('eod-date').click();
    const dropdown = page.locator('.ant-picker-dropdown:visible');
    await dropdown
      .locator(`td[title="${formatDate(addDays(CLOSED, -1))}"].ant-picker-cell-disabled`)
      .waitFor();
    await dropdown.locator(`td[title="${formatDate(CLOSED)}"]:not(.ant-picker-cell-disabled)`).waitFor();
    await page.keyboard.press('Escape');
    // The book's business day is still open (the test set it after closing it): a run for the day after it
    // closes two days, and says so before it starts; cancelling starts nothing.
    const next = formatDate(addDays(CLOSED, 1));
    await pickDate(page, 'eod-date', next);
    await page.getByTestId('eod-range').getByText('2 days will be closed').waitFor();
    // Enter in the date field submits the form, as the Start button does: the question comes first.
    await page.getByText('Close 2 days?').waitFor();
    await page
      .getByTestId('eod-confirm-body')
      .getByText(`from ${formatDate(CLOSED)} to ${next}`)
      .waitFor();
    await settle(page);
    await page.getByTestId('eod-confirm-cancel').click();
    await page.getByText('Close 2 days?').waitFor({ state: 'hidden' });
    const runsBefore = await apiGet<{ items: unknown[] }>('/eod-runs?limit=50');
    await page.getByTestId('eod-start').click();
    await settle(page);
    await page.getByTestId('eod-confirm-ok').click();
    const detail = page.getByTestId('eod-run-detail');
    await detail.getByText(next).waitFor();
    await detail.getByTestId('eod-status-succeeded').first().waitFor();
    expect((await apiGet<{ items: unknown[] }>('/eod-runs?limit=50')).items).toHaveLength(
      runsBefore.items.length + 1,
    );
    await screenshot(page, 'ledger-eod-run-en');
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();

    // In Chinese, one day (the business day the run moved on to) starts at once, without asking.
    const zh = await signedIn('finance', 'zh-CN');
    await zh.page.getByTestId('nav-eod').click();
    const open = formatDate(addDays(CLOSED, 2));
    await zh.page.getByTestId('eod-range').getByText(`可选 ${open}（营业日）`).waitFor();
    await zh.page.getByTestId('eod-date').click();
    await zh.page
      .locator('.ant-picker-dropdown:visible .ant-picker-content th')
      .getByText('一', { exact: true })
      .waitFor();
    await zh.page.keyboard.press('Escape');
    // Before it starts, the range says in Chinese how many days the picked date closes.
    await zh.page.getByTestId('eod-date').click();
    await zh.page.locator(`.ant-picker-dropdown:visible td[title="${open}"]`).click();
    await zh.page.getByTestId('eod-range').getByText('将关闭 1 天').waitFor();
    // Enter submits the form: one day starts without a question. (The count is not awaited after the
    // submission: once the run succeeds the business day moves on and the range no longer shows it.)
    await pickDate(zh.page, 'eod-date', open);
    const zhDetail = zh.page.getByTestId('eod-run-detail');
    await zhDetail.getByText(open).waitFor();
    await zhDetail.getByTestId('eod-status-succeeded').first().waitFor();
    expect(await zh.page.getByTestId('eod-confirm-ok').count()).toBe(0);
    await screenshot(zh.page, 'ledger-eod-run-zh-CN');
    expect(unexpectedErrors(zh.errors)).toEqual([]);
    await zh.context.close();

    const auditor = await signedIn('auditor', 'en');
    await auditor.page.getByTestId('nav-eod').click();
    await auditor.page.getByTestId('page-eod').waitFor();
    expect(await auditor.page.getByTestId('eod-start').count()).toBe(0);
    expect(unexpectedErrors(auditor.errors)).toEqual([]);
    await auditor.context.close();
  });
});
