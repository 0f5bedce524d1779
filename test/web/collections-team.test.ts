import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EOD_OPTIONS_DEFAULT, ledgerEod, runEod } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import { closeLoansThrough, saveTeam, setBusinessDay } from '../../src/store/index.js';
import { auth, freshKey, idNumberFor, validCustomer } from '../server/helpers.js';
import {
  choose,
  type Harness,
  screenshot,
  signedIn,
  skipBrowser,
  startHarness,
  unexpectedErrors,
} from './browser.js';

const LABELS = {
  'zh-CN': {
    title: '催收团队',
    sms: '提醒',
    verdict: '还款意愿不足',
    team: '早期组',
    export: '导出 Excel',
    done: '已执行',
  },
  en: {
    title: 'Collections team',
    sms: 'Reminder',
    verdict: 'Unwilling to pay',
    team: 'Early',
    export: 'Export to Excel',
    done: 'done',
  },
} as const;

/*
 * The team lead's page and the case page's strategy card over a case the EOD run opened (as in
 * collections.test.ts): an admin allocates from the team page, the collector finds the case on today's list,
 * exports it, and on the case page overrides the assessment with a note and previews a negotiation offer.
 */
describe.skipIf(skipBrowser)('collections team page in chromium', () => {
  let h: Harness;
  let caseId: string;

  const post = async (url: string, body: unknown) => {
    const r = await h.api.app.inject({
      method: 'POST',
      url,
      headers: { ...auth(h.api.tokens.admin), 'idempotency-key': freshKey() },
      payload: body as object,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as Record<string, string>;
  };

  beforeAll(async () => {
    h = await startHarness(() => new Date('2026-11-05T04:00:00Z'));
    const db = h.api.db;
    await setBusinessDay(db, parseDate('2026-10-01'));
    const { customerId } = await post('/customers', validCustomer({ idNumber: idNumberFor(41) }));
    await post('/products', { id: 'cash-12m', termCount: 12 });
    const { lineId } = await post(`/customers/${customerId}/credit-lines`, { limit: '20000.00' });
    const { loanId } = await post(`/credit-lines/${lineId}/drawdowns`, {
      amount: '10000.00',
      productId: 'cash-12m',
    });
    await db.transaction((tx) => closeLoansThrough(tx, [loanId as string], parseDate('2026-11-03')));
    await setBusinessDay(db, parseDate('2026-11-04'));
    const run = await runEod(db, ledgerEod, {
      businessDay: '2026-11-04',
      requestedBy: 'test',
      workers: 1,
      options: EOD_OPTIONS_DEFAULT,
    });
    expect(run.status).toBe('succeeded');
    const list = await h.api.app.inject({
      method: 'GET',
      url: '/collections/cases',
      headers: auth(h.api.tokens.admin),
    });
    caseId = (list.json() as { items: { caseId: string }[] }).items[0]!.caseId;
    await db.transaction((tx) =>
      saveTeam(tx, {
        teamId: 'early',
        name: 'Early',
        buckets: ['M1', 'M2'],
        lead: h.api.userIds.collector,
        members: [{ userId: h.api.userIds.collector, capacity: 20 }],
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('an admin allocates from the team page; the case lands on the collector’s team row', async () => {
    const { page, errors, context } = await signedIn(h, 'admin', 'en');
    await page.getByTestId('nav-collectionsTeam').click();
    await page.getByTestId('page-team').getByText(LABELS.en.title).waitFor();
    await page.getByTestId('team-allocate').click();
    await expect
      .poll(async () => (await page.getByTestId('team-collectors').textContent()) ?? '')
      .toContain(h.api.userIds.collector);
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    const L = LABELS[locale];
    it(`the collector works today’s list in ${locale}: export, then override and offer on the case`, async () => {
      const { page, errors, context } = await signedIn(h, 'collector', locale);
      await page.getByTestId('nav-collectionsTeam').click();
      await page.getByTestId('page-team').getByText(L.title).waitFor();
      await page.getByTestId(`worklist-${caseId}`).waitFor();
      expect(await page.getByTestId('team-worklist').getByText(L.sms).count()).toBeGreaterThan(0);
      expect(await page.getByTestId('team-teams').getByText('Early').count()).toBe(1);
      const download = page.waitForEvent('download');
      await page.getByTestId('team-export').click();
      expect((await download).suggestedFilename()).toMatch(/^worklist-.*\.xlsx$/);
      await screenshot(page, `collections-team-${locale}`);

      await page.getByTestId(`worklist-${caseId}`).click();
      await page.getByTestId('case-strategy').waitFor();
      expect(await page.getByTestId('case-step').textContent()).toBe('CS_M1_SMS');
      // The refresh carried the step out: its reminder is queued, shown in the page's language.
      const action = page.getByTestId('case-step-actions').locator('tbody tr.ant-table-row').first();
      await action.waitFor();
      expect(await action.textContent()).toContain('CS_M1_SMS');
      expect(await action.textContent()).toContain(L.sms);
      expect(await action.textContent()).toContain(L.done);
      await choose(page, 'override-verdict', L.verdict);
      await page.getByTestId('override-note').fill(`refuses to pay (${locale})`);
      await page.getByTestId('override-submit').click();
      await page.getByTestId('case-verdict').getByText(L.verdict).waitFor();
      // Both languages override the same case: the verdict may already read as the earlier run left it, so
      // wait for this run's note rather than reading the override line at once.
      await page.getByTestId('case-override').getByText(`refuses to pay (${locale})`).waitFor();
      expect(await page.getByTestId('case-override').textContent()).toContain(`refuses to pay (${locale})`);

      await page.getByTestId('offer-income').fill('3000.00');
      await page.getByTestId('offer-preview').click();
      await page.getByTestId('offer-table').locator('tbody tr.ant-table-row').first().waitFor();
      await screenshot(page, `collections-case-strategy-${locale}`);
      expect(unexpectedErrors(errors)).toEqual([]);
      await context.close();
    });
  }
});
