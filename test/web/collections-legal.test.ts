import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EOD_OPTIONS_DEFAULT, ledgerEod, runEod } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import type { Role } from '../../src/store/index.js';
import { closeLoansThrough, setBusinessDay } from '../../src/store/index.js';
import { auth, freshKey, idNumberFor, validCustomer } from '../server/helpers.js';
import {
  type Harness,
  screenshot,
  settle,
  signedIn,
  skipBrowser,
  startHarness,
  unexpectedErrors,
} from './browser.js';

const LABELS = {
  'zh-CN': {
    panel: '法律诉讼',
    limitation: '诉讼时效届满日',
    awaiting: '待审批',
    approved: '已批准',
    selfApproval: '法律行动须由提议人以外的人审批',
    nav: '黑名单审议',
    noticed: '已告知',
    objected: '已异议',
    windowOpen: '借款人异议期尚未届满，须在异议期结束后决定',
    rejected: '未列入',
  },
  en: {
    panel: 'Legal escalation',
    limitation: 'Limitation period ends',
    awaiting: 'awaiting approval',
    approved: 'approved',
    selfApproval: 'A legal action is approved by someone other than the person who proposed it',
    nav: 'Blacklist proposals',
    noticed: 'notice sent',
    objected: 'objected',
    windowOpen: 'The borrower may still object: the decision waits for the window to end',
    rejected: 'rejected',
  },
} as const;

/*
 * Legal escalation and blacklist due process in the dashboard, over a case the EOD run opened (10,000.00
 * drawn on 2026-10-01, instalment 1 unpaid since 2026-11-01). For each language: a risk analyst proposes a
 * lawsuit on the case page and is refused the approval of their own proposal; an admin approves it; the
 * admin is refused listing a borrower while the objection window is open, and rejects the proposal.
 */
describe.skipIf(skipBrowser)('legal escalation and blacklist pages in chromium', () => {
  let h: Harness;
  const cases: Record<string, { caseId: string; customerId: string }> = {};

  const call = async (role: Role, method: 'POST' | 'GET', url: string, body?: unknown) => {
    const r = await h.api.app.inject({
      method,
      url,
      headers: { ...auth(h.api.tokens[role]), 'idempotency-key': freshKey() },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    expect(r.statusCode, r.body).toBeLessThan(300);
    return r.json() as Record<string, unknown>;
  };

  beforeAll(async () => {
    h = await startHarness(() => new Date('2026-11-05T04:00:00Z'));
    const db = h.api.db;
    await setBusinessDay(db, parseDate('2026-10-01'));
    await call('admin', 'POST', '/products', { id: 'cash-12m', termCount: 12 });
    const loans: string[] = [];
    for (const [locale, seq] of [
      ['zh-CN', 61],
      ['en', 62],
    ] as const) {
      const { customerId } = (await call(
        'admin',
        'POST',
        '/customers',
        validCustomer({ idNumber: idNumberFor(seq) }),
      )) as {
        customerId: string;
      };
      const { lineId } = (await call('admin', 'POST', `/customers/${customerId}/credit-lines`, {
        limit: '20000.00',
      })) as {
        lineId: string;
      };
      const { loanId } = (await call('admin', 'POST', `/credit-lines/${lineId}/drawdowns`, {
        amount: '10000.00',
        productId: 'cash-12m',
      })) as { loanId: string };
      loans.push(loanId);
      cases[locale] = { caseId: '', customerId };
    }
    await db.transaction((tx) => closeLoansThrough(tx, loans, parseDate('2026-11-03')));
    await setBusinessDay(db, parseDate('2026-11-04'));
    const run = await runEod(db, ledgerEod, {
      businessDay: '2026-11-04',
      requestedBy: 'test',
      workers: 1,
      options: EOD_OPTIONS_DEFAULT,
    });
    expect(run.status).toBe('succeeded');
    for (const c of Object.values(cases)) {
      const list = (await call('admin', 'GET', `/collections/cases?customerId=${c.customerId}`)) as {
        items: { caseId: string }[];
      };
      c.caseId = list.items[0]!.caseId;
    }
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    const L = LABELS[locale];
    it(`escalation on the case page and a blacklist decision, in ${locale}`, async () => {
      const { caseId, customerId } = cases[locale]!;
      const analyst = await signedIn(h, 'risk_analyst', locale);
      let page = analyst.page;
      await page.goto(`${h.baseUrl}/app/collections/${caseId}`);
      const panel = page.getByTestId('legal-panel');
      await panel.getByText(L.panel, { exact: true }).waitFor();
      await page.getByTestId('legal-limitation').getByText(L.limitation, { exact: false }).waitFor();
      await page.getByTestId('legal-reason').fill('恶意逾期：有能力偿还而拒不还款');
      await page.getByTestId('legal-venue').fill('杭州互联网法院');
      await page.getByTestId('legal-propose-submit').click();
      await page.getByTestId('legal-status').getByText(L.awaiting).waitFor();
      await settle(page);
      await page.getByTestId('legal-to-approved').click();
      await panel.getByText(L.selfApproval).first().waitFor();
      expect(unexpectedErrors(analyst.errors, [403])).toEqual([]);
      await analyst.context.close();

      const admin = await signedIn(h, 'admin', locale);
      page = admin.page;
      await page.goto(`${h.baseUrl}/app/collections/${caseId}`);
      await page.getByTestId('legal-to-approved').click();
      await page.getByTestId('legal-status').getByText(L.approved).waitFor();
      await screenshot(page, `collections-legal-${locale}`);

      const proposal = await call('risk_analyst', 'POST', '/blacklist-proposals', {
        customerId,
        source: 'fraud',
        reason: '设备指纹与欺诈名单一致',
        evidence: '反欺诈调查报告',
      });
      const id = proposal.proposalId as string;
      await page.getByTestId('nav-blacklistProposals').click();
      await page.getByTestId('page-blacklist-proposals').getByText(L.nav).first().waitFor();
      await page.getByTestId(`blacklist-status-${id}`).getByText(L.noticed).waitFor();
      await page.getByTestId(`blacklist-list-${id}`).click();
      await page.getByTestId('page-blacklist-proposals').getByText(L.windowOpen).first().waitFor();
      // The borrower objects inside the window: the decision may then come at once.
      await call('risk_analyst', 'POST', `/blacklist-proposals/${id}/objection`, {
        objection: '身份证曾遗失，已报案',
      });
      await page.reload();
      await page.getByTestId(`blacklist-status-${id}`).getByText(L.objected).waitFor();
      await page.getByTestId(`blacklist-reject-${id}`).click();
      await settle(page);
      await page.getByTestId('blacklist-filter').getByText(L.rejected, { exact: true }).click();
      await page.getByTestId(`blacklist-status-${id}`).getByText(L.rejected).waitFor();
      await screenshot(page, `blacklist-proposals-${locale}`);
      expect(unexpectedErrors(admin.errors, [409])).toEqual([]);
      await admin.context.close();
    });
  }

  it('an auditor reads the escalation but is offered no forms or buttons', async () => {
    const { page, errors, context } = await signedIn(h, 'auditor', 'en');
    await page.goto(`${h.baseUrl}/app/collections/${cases.en!.caseId}`);
    await page.getByTestId('legal-status').getByText(LABELS.en.approved).waitFor();
    expect(await page.getByTestId('legal-propose').count()).toBe(0);
    expect(await page.getByTestId('legal-to-filed').count()).toBe(0);
    expect(await page.getByTestId('legal-evidence').count()).toBe(0);
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });
});
