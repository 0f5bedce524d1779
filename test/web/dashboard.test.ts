import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/store/index.js';
import { auth, freshKey, idNumberFor, validCustomer } from '../server/helpers.js';
import {
  type Harness,
  openPage,
  screenshot,
  signedIn as signedInAs,
  skipBrowser,
  startHarness,
  unexpectedErrors,
} from './browser.js';

/** Labels the tests look for, as each language writes them. */
const LABELS = {
  'zh-CN': {
    portfolio: '资产组合',
    customers: '客户',
    audit: '审计日志',
    create: '新建客户',
    empty: '暂无借据',
  },
  en: {
    portfolio: 'Portfolio',
    customers: 'Customers',
    audit: 'Audit log',
    create: 'New customer',
    empty: 'No loans yet',
  },
} as const;
type Locale = keyof typeof LABELS;

describe.skipIf(skipBrowser)('dashboard in chromium', () => {
  let h: Harness;
  let seededId: string;
  const seededIdNumber = idNumberFor(1);

  beforeAll(async () => {
    h = await startHarness();
    const res = await h.api.app.inject({
      method: 'POST',
      url: '/customers',
      headers: { ...auth(h.api.tokens.risk_analyst), 'idempotency-key': freshKey() },
      payload: validCustomer({
        idNumber: seededIdNumber,
        name: '王小明',
        declaredMonthlyIncome: '1234567.8',
      }),
    });
    expect(res.statusCode, res.body).toBe(201);
    seededId = (res.json() as { customerId: string }).customerId;
  });
  afterAll(async () => {
    await h?.close();
  });

  const signedIn = (role: Role, locale: Locale) => signedInAs(h, role, locale);

  for (const locale of ['zh-CN', 'en'] as const) {
    it(`opens every page in ${locale}, formats money and dates the locale's way, with no console errors`, async () => {
      const { page, errors, context } = await signedIn('admin', locale);
      const l = LABELS[locale];
      expect(await page.locator('html').getAttribute('lang')).toBe(locale);

      await page.getByTestId('nav-portfolio').click();
      await page.getByTestId('page-portfolio').getByRole('heading', { name: l.portfolio }).waitFor();
      await page.getByTestId('portfolio-empty').getByText(l.empty).first().waitFor();
      await page.getByTestId('bucket-chart').locator('canvas').waitFor();
      await screenshot(page, `portfolio-${locale}`);

      await page.getByTestId('nav-customers').click();
      await page.getByTestId('page-customers').getByRole('heading', { name: l.customers }).waitFor();
      const row = page.getByTestId('customers-table').locator('tr', { hasText: seededId });
      // Money from the decimal string "1234567.80", grouped by the locale; never through a float.
      await row.getByText('¥1,234,567.80').waitFor();
      await row.getByText('王**').waitFor();
      await screenshot(page, `customers-${locale}`);

      await row.getByTestId('customer-link').click();
      await page.getByTestId('page-borrower').waitFor();
      await page.getByTestId('masked-tag').waitFor();
      expect(await page.getByTestId('customer-idNumber').textContent()).toBe(
        '440***********' + seededIdNumber.slice(-4),
      );
      await screenshot(page, `borrower-${locale}`);

      await page.getByTestId('nav-newCustomer').click();
      await page.getByTestId('page-create-customer').getByRole('heading', { name: l.create }).waitFor();
      await screenshot(page, `create-customer-${locale}`);

      await page.getByTestId('nav-audit').click();
      await page.getByTestId('page-audit').getByRole('heading', { name: l.audit }).waitFor();
      await page.getByTestId('audit-action-customer.create').first().waitFor();
      // antd's own labels switch too (the table's column filter, date pickers …); here: its empty-select text.
      await screenshot(page, `audit-log-${locale}`);

      // A client route loaded directly (reload) comes back to the same page.
      await page.reload();
      await page.getByTestId('page-audit').waitFor();

      expect(unexpectedErrors(errors)).toEqual([]);
      await context.close();
    });
  }

  it('remembers the language across visits', async () => {
    const first = await signedIn('finance', 'en');
    await first.page.getByTestId('language-switch').getByText('中文', { exact: true }).click();
    await first.page.getByTestId('nav-customers').getByText('客户').waitFor();
    await first.page.reload();
    await first.page.getByTestId('nav-customers').getByText('客户').waitFor();
    await first.context.close();
  });

  it('shows a wrong token the API refusal, and signs in with a right one', async () => {
    const { page, errors, context } = await openPage(h, 'en');
    await page.goto(`${h.baseUrl}/`);
    await page.getByTestId('login-token').fill('lgt_notARealToken');
    await page.getByTestId('login-submit').click();
    await page
      .getByTestId('problem')
      .getByText(/unknown, revoked or expired/)
      .waitFor();
    await page.getByTestId('login-token').fill(h.api.tokens.collector);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('role').getByText('Collector').waitFor();
    expect(unexpectedErrors(errors, [401])).toEqual([]);
    await context.close();
  });

  it('validates the new-customer form as the API does and shows the API message next to the field', async () => {
    const { page, errors, context } = await signedIn('risk_analyst', 'en');
    await page.getByTestId('nav-newCustomer').click();
    const fill = async (testId: string, value: string) => page.getByTestId(testId).fill(value);
    await fill('field-name', '赵六');
    await fill('field-idNumber', seededIdNumber); // valid, but belongs to the seeded customer already
    await fill('field-phone', '12345678901'); // wrong form: the second digit must be 3–9
    await fill('field-province', '广东省');
    await fill('field-city', '深圳市');
    await fill('field-detail', '南山区科技园 1 号');
    await fill('field-income', '8000.123');
    await page.getByTestId('add-contact').click();
    await fill('contact-0-name', '赵七');
    await fill('contact-0-phone', '13900002222');
    await page.getByTestId('create-submit').click();

    const explain = (testId: string) =>
      page
        .locator('.ant-form-item', { has: page.getByTestId(testId) })
        .locator('.ant-form-item-explain-error');
    await explain('field-phone')
      .getByText(/11 digits starting with 1/)
      .waitFor();
    await explain('field-income')
      .getByText(/at most 2 decimals/)
      .waitFor();
    await screenshot(page, 'create-customer-invalid-en');

    await fill('field-phone', '13711112222');
    await fill('field-income', '8000.12');
    await page.getByTestId('create-submit').click();
    // Only the server knows the ID number is taken: its problem+json message lands next to the field.
    await explain('field-idNumber').getByText(`belongs to ${seededId}`).waitFor();
    await page
      .getByTestId('problem')
      .getByText(/customer_exists/)
      .waitFor();
    await screenshot(page, 'create-customer-api-refusal-en');

    await fill('field-idNumber', idNumberFor(2));
    await page.getByTestId('create-submit').click();
    await page.getByTestId('page-borrower').waitFor();
    await page.getByTestId('masked-tag').waitFor();
    expect(await page.getByTestId('customer-phone').textContent()).toBe('137****2222');
    expect(unexpectedErrors(errors, [409])).toEqual([]);
    await context.close();
  });

  it('unmasks for an admin, says the read is audited, and the audit log shows it', async () => {
    const { page, errors, context } = await signedIn('admin', 'zh-CN');
    await page.goto(`${h.baseUrl}/app/customers/${seededId}`);
    await page.getByTestId('masked-tag').waitFor();
    await page.getByTestId('unmask').click();
    await page.getByTestId('unmasked-tag').waitFor();
    await page.getByTestId('unmasked-notice').getByText('审计日志').waitFor();
    expect(await page.getByTestId('customer-idNumber').textContent()).toBe(seededIdNumber);
    await screenshot(page, 'borrower-unmasked-zh-CN');

    await page.getByTestId('nav-audit').click();
    const readRow = page
      .getByTestId('audit-table')
      .locator('tr', { has: page.getByTestId('audit-action-customer.read_pii') });
    await readRow.first().getByText(seededId).waitFor();
    await readRow.first().getByText(h.api.userIds.admin).waitFor();
    await screenshot(page, 'audit-log-after-unmask-zh-CN');
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });

  it('hides what a finance user may not do, and the server refuses it anyway', async () => {
    const { page, errors, context } = await signedIn('finance', 'en');
    await page.getByTestId('nav-customers').waitFor();
    expect(await page.getByTestId('nav-audit').count()).toBe(0);
    expect(await page.getByTestId('nav-newCustomer').count()).toBe(0);
    await page.goto(`${h.baseUrl}/app/customers/${seededId}`);
    await page.getByTestId('masked-tag').waitFor();
    expect(await page.getByTestId('unmask').count()).toBe(0);
    await page.getByText('Your role sees personal data masked only.').waitFor();
    await page.goto(`${h.baseUrl}/app/audit`);
    await page.getByText('Your role may not open this page.').waitFor();
    await screenshot(page, 'finance-audit-forbidden-en');
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();

    const refused = await h.api.app.inject({
      method: 'GET',
      url: `/customers/${seededId}?unmask=true`,
      headers: auth(h.api.tokens.finance),
    });
    expect(refused.statusCode).toBe(403);
  });

  it('pages through customers with the API cursors and finds one by phone', async () => {
    for (let i = 10; i < 22; i += 1) {
      const res = await h.api.app.inject({
        method: 'POST',
        url: '/customers',
        headers: { ...auth(h.api.tokens.admin), 'idempotency-key': freshKey() },
        payload: validCustomer({ idNumber: idNumberFor(i), phone: `1390000${String(i).padStart(4, '0')}` }),
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const { page, errors, context } = await signedIn('collector', 'en');
    await page.getByTestId('nav-customers').click();
    await page.locator('.ant-select', { hasText: '20' }).click();
    await page.locator('.ant-select-item-option', { hasText: /^10$/ }).click();
    const rows = page.getByTestId('customers-table').locator('tbody tr');
    const ids = async () => rows.getByTestId('customer-link').allTextContents();
    await page.getByTestId('page-number').getByText('1', { exact: true }).waitFor();
    await rows.nth(9).waitFor();
    const first = await ids();
    expect(first).toHaveLength(10);
    await page.getByTestId('page-next').click();
    await page.getByTestId('page-number').getByText('2', { exact: true }).waitFor();
    await rows.getByText(/^cus_/).first().waitFor();
    await rows.getByText(first[0]!, { exact: true }).waitFor({ state: 'detached' });
    const second = await ids();
    expect(second.length).toBeGreaterThanOrEqual(3);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    await page.getByTestId('page-previous').click();
    await page.getByTestId('page-number').getByText('1', { exact: true }).waitFor();
    await rows.getByText(first[0]!).waitFor();
    expect(await ids()).toEqual(first);
    await screenshot(page, 'customers-paged-en');
    await page.getByTestId('customer-search').fill('13900000011');
    await page.getByTestId('customer-search-submit').click();
    await page.getByTestId('customers-table').getByText('139****0011').waitFor();
    expect(await page.getByTestId('customers-table').locator('tbody tr').count()).toBe(1);
    await page.getByTestId('customer-search').fill('12345');
    await page.getByTestId('customer-search-submit').click();
    await page.getByText(/an 18-character ID number or an 11-digit mobile number/).waitFor();
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });
});
