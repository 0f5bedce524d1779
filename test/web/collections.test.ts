import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EOD_OPTIONS_DEFAULT, ledgerEod, runEod } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import { closeLoansThrough, setBusinessDay } from '../../src/store/index.js';
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
    nav: '催收',
    title: '催收案件',
    thirdParty: '联系人（第三方）',
    thirdPartyRule: '仅在借款人失联时方可联系第三方',
    noTime: '仅等待时间并不能解除该限制。',
    allowed: '允许',
    pending: '待履行',
    stillPending: '尚未判定',
    addNote: '添加催记',
    hardship: '困难情况',
    upload: '上传',
    tooBig: '文件超过 2 MiB',
    notPdf: '不是 PDF、PNG 或 JPEG',
    holdTitle: '委外因召回暂停',
    held: (day: string, by: string) =>
      `策略步骤 CS_M4_AGENCY 不会将本案委外：本案于 ${day} 从 East Recovery (ag-east) 召回（the lender collects it in-house again），在案件离开该步骤之前，每次刷新都跳过委外。召回人：${by}。`,
    move: '若召回时选择“换一家机构”（place again），该步骤会将案件委托给另一家机构。',
    placed: '已执行',
    notYours:
      '本案件未分配给您：只有负责的催收员可以登记联系、记录承诺还款，以及查看和添加催记与材料。管理员可将其分配给您。',
  },
  en: {
    nav: 'Collections',
    title: 'Collection cases',
    thirdParty: 'Contact (third party)',
    thirdPartyRule: 'Third parties only when the borrower cannot be reached',
    noTime: 'Waiting alone will not allow it.',
    allowed: 'allowed',
    pending: 'pending',
    stillPending: 'is still pending',
    addNote: 'Add note',
    hardship: 'Hardship',
    upload: 'Upload',
    tooBig: 'The file is larger than 2 MiB',
    notPdf: 'is not a PDF, PNG or JPEG',
    holdTitle: 'Agency placement held by a recall',
    held: (day: string, by: string) =>
      `Step CS_M4_AGENCY does not place this case with an agency: it was recalled from East Recovery (ag-east) on ${day} (the lender collects it in-house again), and each refresh skips the placement until the case leaves the step. Recalled by ${by}.`,
    move: 'A recall made to move agencies (“place again”) would have had the step place it with another agency.',
    placed: 'done',
    notYours:
      'This case is not assigned to you: only its collector logs contact attempts and promises to pay, and reads and adds its notes and documents. An admin can assign it to you.',
  },
} as const;

/*
 * The collector's workbench over a case the EOD run opened: 10,000.00 drawn on 2026-10-01, instalment 1 unpaid
 * since 2026-11-01, the run of 2026-11-04 opens the case; the server's clock reads 12:00 in Shanghai on 11-05.
 */
describe.skipIf(skipBrowser)('collections pages in chromium', () => {
  let h: Harness;
  let caseId: string;
  let caseIds: Record<'zh-CN' | 'en', string>;
  /** A case at M4 that the strategy placed with an agency and an admin then took back (decision 0912). */
  let heldCaseId: string;
  /** A case assigned to another collector of the team. */
  let teammateCaseId: string;
  let recalledDate: string;

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
    // A borrower who drew in July and never paid: at M4 on 11-04, on the strategy's placement step.
    await setBusinessDay(db, parseDate('2026-07-01'));
    await post('/products', { id: 'cash-12m', termCount: 12 });
    const customers: string[] = [];
    const loans: string[] = [];
    const held = await post('/customers', validCustomer({ idNumber: idNumberFor(33) }));
    const heldLine = await post(`/customers/${held.customerId}/credit-lines`, { limit: '20000.00' });
    const heldLoan = await post(`/credit-lines/${heldLine.lineId}/drawdowns`, {
      amount: '10000.00',
      productId: 'cash-12m',
    });
    const agency = await h.api.app.inject({
      method: 'PUT',
      url: '/collections/agencies/ag-east',
      headers: { ...auth(h.api.tokens.admin), 'idempotency-key': freshKey() },
      payload: { name: 'East Recovery' },
    });
    expect(agency.statusCode, agency.body).toBe(200);
    await setBusinessDay(db, parseDate('2026-10-01'));
    const teammates = await post('/customers', validCustomer({ idNumber: idNumberFor(34) }));
    const teammatesLine = await post(`/customers/${teammates.customerId}/credit-lines`, {
      limit: '20000.00',
    });
    const teammatesLoan = await post(`/credit-lines/${teammatesLine.lineId}/drawdowns`, {
      amount: '10000.00',
      productId: 'cash-12m',
    });
    // One borrower per language: each run records its own promise (a case keeps one pending at a time).
    for (const n of [31, 32]) {
      const { customerId } = await post('/customers', validCustomer({ idNumber: idNumberFor(n) }));
      const { lineId } = await post(`/customers/${customerId}/credit-lines`, { limit: '20000.00' });
      const { loanId } = await post(`/credit-lines/${lineId}/drawdowns`, {
        amount: '10000.00',
        productId: 'cash-12m',
      });
      customers.push(customerId as string);
      loans.push(loanId as string);
    }
    await db.transaction((tx) =>
      closeLoansThrough(
        tx,
        [...loans, heldLoan.loanId as string, teammatesLoan.loanId as string],
        parseDate('2026-11-03'),
      ),
    );
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
    const items = (list.json() as { items: { caseId: string; customerId: string }[] }).items;
    const caseOf = (customerId: string) => items.find((c) => c.customerId === customerId)!.caseId;
    caseIds = { 'zh-CN': caseOf(customers[0]!), en: caseOf(customers[1]!) };
    caseId = caseIds['zh-CN'];
    // The run placed the M4 case with the agency; an admin takes it back with a reason.
    heldCaseId = caseOf(held.customerId as string);
    teammateCaseId = caseOf(teammates.customerId as string);
    const recall = await h.api.app.inject({
      method: 'POST',
      url: `/collections/cases/${heldCaseId}/recall`,
      headers: { ...auth(h.api.tokens.admin), 'idempotency-key': freshKey() },
      payload: { reason: 'the lender collects it in-house again' },
    });
    expect(recall.statusCode, recall.body).toBe(200);
    recalledDate = (recall.json() as { recalledDate: string }).recalledDate;
    // Notes and documents are the assigned collector’s: give the cases to the test collector.
    for (const id of [...Object.values(caseIds), heldCaseId]) {
      const r = await h.api.app.inject({
        method: 'PATCH',
        url: `/collections/cases/${id}`,
        headers: { ...auth(h.api.tokens.admin), 'idempotency-key': freshKey() },
        payload: { assignee: h.api.userIds.collector },
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    const teammate = await post('/users', {
      username: 'teammate',
      displayName: 'teammate',
      role: 'collector',
    });
    const assigned = await h.api.app.inject({
      method: 'PATCH',
      url: `/collections/cases/${teammateCaseId}`,
      headers: { ...auth(h.api.tokens.admin), 'idempotency-key': freshKey() },
      payload: { assignee: teammate.userId },
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    const L = LABELS[locale];
    it(`a collector works the case in ${locale}: logs a call, is refused a third party with the rule, records a promise`, async () => {
      const { page, errors, context } = await signedIn(h, 'collector', locale);
      const caseId = caseIds[locale];
      await page.getByTestId('nav-collections').click();
      await page.getByTestId('page-cases').getByText(L.title).waitFor();
      await page.getByTestId(`case-link-${caseId}`).click();
      await page.getByTestId('case-figures').waitFor();
      const before = await page.getByTestId('case-contacts').locator('tbody tr.ant-table-row').count();

      await page.getByTestId('attempt-submit').click();
      await expect
        .poll(() => page.getByTestId('case-contacts').locator('tbody tr.ant-table-row').count())
        .toBe(before + 1);
      await expect
        .poll(() => page.getByTestId('case-contacts').getByText(L.allowed).count())
        .toBeGreaterThan(0);

      await choose(page, 'attempt-party', L.thirdParty);
      await page.getByTestId('attempt-submit').click();
      const refused = page.getByTestId('contact-refused');
      await refused.getByText(L.thirdPartyRule).waitFor();
      expect(await page.getByTestId('contact-next-allowed').textContent()).toBe(L.noTime);
      await page.getByTestId('refused-third_party_only_when_unreachable').first().waitFor();

      await page.getByTestId('promise-amount').fill('950.00');
      const date = page.getByTestId('promise-date');
      await date.click();
      await date.fill('2026-11-07');
      // Enter confirms the date and submits the form, as a keyboard user would.
      await date.press('Enter');
      await page.getByTestId('case-promises').getByText(L.pending).first().waitFor();
      expect(await page.getByTestId('promise-form').locator('.ant-form-item-explain-error').count()).toBe(0);
      expect(await page.getByTestId('case-promises').locator('tbody tr.ant-table-row').count()).toBe(1);
      await screenshot(page, `collections-case-${locale}`);
      // A second promise while the first is pending is refused, in the reader's language, and not recorded.
      await page.getByTestId('promise-amount').fill('500.00');
      await date.click();
      await date.fill('2026-11-09');
      await date.press('Enter');
      await page.getByTestId('promise-form').getByTestId('problem').getByText(L.stillPending).waitFor();
      expect(await page.getByTestId('case-promises').locator('tbody tr.ant-table-row').count()).toBe(1);
      expect(unexpectedErrors(errors, [422])).toEqual([]);
      await context.close();
    });

    it(`a collector adds a note and uploads a document in ${locale}`, async () => {
      const { page, errors, context } = await signedIn(h, 'collector', locale);
      const caseId = caseIds[locale];
      await page.goto(`${h.baseUrl}/app/collections/${caseId}`);
      await page.getByTestId('case-notes').getByText(L.addNote).waitFor();
      const text =
        locale === 'en' ? 'Lost his job in October; call back Monday.' : '借款人十月失业，周一回电。';
      await page.getByTestId('note-text').fill(text);
      await choose(page, 'note-category', L.hardship);
      await page.getByTestId('note-submit').click();
      const notes = page.getByTestId('case-notes-list');
      await notes.getByText(text).waitFor();
      await notes.getByText(L.hardship).waitFor();
      expect(await page.getByTestId('note-text').inputValue()).toBe('');

      const pdf = Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1');
      await page
        .getByTestId('document-file')
        .setInputFiles({ name: 'payslip.pdf', mimeType: 'application/pdf', buffer: pdf });
      await page.getByTestId('document-submit').click();
      const documents = page.getByTestId('case-documents-list');
      await documents.getByText('payslip.pdf').waitFor();
      // A file that is not a PDF, PNG or JPEG is refused by the API in the reader's language.
      await page
        .getByTestId('document-file')
        .setInputFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('plain text') });
      await page.getByTestId('document-submit').click();
      await page.getByTestId('case-documents').getByTestId('problem').getByText(L.notPdf).waitFor();
      expect(await documents.locator('tbody tr.ant-table-row').count()).toBe(1);
      // Too large is refused before it is sent.
      await page.getByTestId('document-file').setInputFiles({
        name: 'big.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.concat([pdf, Buffer.alloc(2 * 1024 * 1024)]),
      });
      await page.getByTestId('document-help').getByText(L.tooBig).waitFor();
      expect(await page.getByTestId('document-submit').isDisabled()).toBe(true);
      // The download is the file as uploaded.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        documents.getByTestId('document-download').click(),
      ]);
      expect(download.suggestedFilename()).toBe('payslip.pdf');
      await screenshot(page, `collections-case-notes-${locale}`);
      expect(unexpectedErrors(errors, [400])).toEqual([]);
      await context.close();
    });
  }

  for (const locale of ['zh-CN', 'en'] as const) {
    const L = LABELS[locale];
    it(`a collector sees that a recall holds the case off its placement step in ${locale}`, async () => {
      const { page, errors, context } = await signedIn(h, 'collector', locale);
      const shown = page.waitForResponse(
        (r) => r.url().endsWith(`/collections/cases/${heldCaseId}`) && r.request().method() === 'GET',
      );
      await page.goto(`${h.baseUrl}/app/collections/${heldCaseId}`);
      const body = (await (await shown).json()) as { placementHold: { agencyId: string } | null };
      expect(body.placementHold).toMatchObject({ agencyId: 'ag-east', recalledDate, step: 'CS_M4_AGENCY' });
      const hold = page.getByTestId('case-placement-hold');
      await hold.getByText(L.holdTitle).waitFor();
      expect(await page.getByTestId('case-placement-hold-text').textContent()).toBe(
        L.held(recalledDate, h.api.userIds.admin),
      );
      expect(await page.getByTestId('case-placement-hold-move').textContent()).toBe(L.move);
      // The placement the step made before the recall is still listed, done.
      await page.getByTestId('case-step-actions').getByText(L.placed, { exact: true }).waitFor();
      await screenshot(page, `collections-case-hold-${locale}`);
      // A case nothing holds shows no such notice.
      await page.goto(`${h.baseUrl}/app/collections/${caseIds[locale]}`);
      await page.getByTestId('case-step').waitFor();
      await page.getByTestId('case-figures').waitFor();
      expect(await page.getByTestId('case-placement-hold').count()).toBe(0);
      expect(unexpectedErrors(errors)).toEqual([]);
      await context.close();
    });
  }

  for (const locale of ['zh-CN', 'en'] as const) {
    it(`a collector is offered no entry forms on a teammate's case, and says why, in ${locale}`, async () => {
      const { page, errors, context } = await signedIn(h, 'collector', locale);
      const forms = ['attempt-form', 'promise-form', 'note-form', 'document-form'];
      // Their own case: every form.
      await page.goto(`${h.baseUrl}/app/collections/${caseIds[locale]}`);
      await page.getByTestId('case-figures').waitFor();
      for (const form of forms) await page.getByTestId(form).waitFor();
      expect(await page.getByTestId('case-not-yours').count()).toBe(0);
      // A teammate's case: its figures and contact log, none of what the API would refuse (403), and why.
      await page.goto(`${h.baseUrl}/app/collections/${teammateCaseId}`);
      await page.getByTestId('case-figures').waitFor();
      await page.getByTestId('case-contacts').waitFor();
      await page.getByTestId('case-not-yours').getByText(LABELS[locale].notYours).waitFor();
      for (const form of forms) expect(await page.getByTestId(form).count(), form).toBe(0);
      // Its notes and documents are its collector's to read too: not asked for, so nothing is refused.
      expect(await page.getByTestId('case-notes').count()).toBe(0);
      expect(await page.getByTestId('case-documents').count()).toBe(0);
      expect(unexpectedErrors(errors)).toEqual([]);
      await context.close();
    });
  }

  it('an admin is offered the entry forms on a case assigned to a collector', async () => {
    const { page, errors, context } = await signedIn(h, 'admin', 'en');
    await page.goto(`${h.baseUrl}/app/collections/${teammateCaseId}`);
    await page.getByTestId('case-figures').waitFor();
    for (const form of ['attempt-form', 'promise-form', 'note-form', 'document-form']) {
      await page.getByTestId(form).waitFor();
    }
    expect(await page.getByTestId('case-not-yours').count()).toBe(0);
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });

  it('an auditor reads the case but is offered no entry forms', async () => {
    const { page, errors, context } = await signedIn(h, 'auditor', 'en');
    await page.goto(`${h.baseUrl}/app/collections/${caseId}`);
    await page.getByTestId('case-figures').waitFor();
    expect(await page.getByTestId('attempt-form').count()).toBe(0);
    expect(await page.getByTestId('promise-form').count()).toBe(0);
    // It reads notes and documents but adds none.
    await page.getByTestId('case-notes-list').waitFor();
    await page.getByTestId('case-documents-list').waitFor();
    expect(await page.getByTestId('note-form').count()).toBe(0);
    expect(await page.getByTestId('document-form').count()).toBe(0);
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });
});
