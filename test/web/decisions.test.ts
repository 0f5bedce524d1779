import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/store/index.js';
import { applicant, apply, type DecisionBody, invite, patched } from '../server/origination-helpers.js';
import {
  type Harness,
  screenshot,
  signedIn as signedInAs,
  skipBrowser,
  startHarness,
  unexpectedErrors,
} from './browser.js';

const LABELS = {
  'zh-CN': {
    decisions: '授信决策',
    review: '复核队列',
    approve: '批准',
    decline: '拒绝',
    refer: '转人工',
    sharedContacts: '联系人号码共用',
    intact: '完整未改',
    resolve: '处理',
    noteRequired: '请填写备注',
    otherApplicants: '其他申请人数',
    cutoffSource: '评分准入',
    cutoffText: (score: number, grade: string) => `评分 ${score}，客群 受薪：通过（风险等级 ${grade}）`,
    deciding: '决定性原因',
    occupation: '受薪人士',
    notCustomer: '尚未成为客户',
    decisionRecorded: '记录授信决策',
    verifiedIncome: '核实月收入',
    resourceDecision: '决策',
    outcomeKey: '结果',
  },
  en: {
    decisions: 'Decisions',
    review: 'Review queue',
    approve: 'Approve',
    decline: 'Decline',
    refer: 'Refer',
    sharedContacts: 'Shared contact numbers',
    intact: 'Intact',
    resolve: 'Resolve',
    noteRequired: 'Write a note',
    otherApplicants: 'Other applicants',
    cutoffSource: 'Score cut-off',
    cutoffText: (score: number, grade: string) =>
      `score ${score} gives "pass" for segment employed (risk grade ${grade})`,
    deciding: 'Decided by this',
    occupation: 'Salaried',
    notCustomer: 'Not a customer yet',
    decisionRecorded: 'Recorded decision',
    verifiedIncome: 'Verified monthly income',
    resourceDecision: 'Decision',
    outcomeKey: 'Outcome',
  },
} as const;
type Locale = keyof typeof LABELS;

describe.skipIf(skipBrowser)('decisions and the review queue in chromium', () => {
  let h: Harness;
  let approved: DecisionBody;
  let declined: DecisionBody;
  let referred: DecisionBody;

  beforeAll(async () => {
    h = await startHarness();
    await invite(h.api, 701);
    approved = await apply(h.api, applicant(701)); // invited salaried applicant
    // Four uninvited applicants naming one contact are declined (outside any invitation); an invited one
    // naming it too is referred to an analyst for the shared contact numbers.
    const contacts = { contacts: [{ name: '赵六', relation: 'friend', phone: '13512345678' }] };
    for (const n of [702, 703, 704, 705]) declined = await apply(h.api, patched(applicant(n), contacts));
    await invite(h.api, 706);
    referred = await apply(h.api, patched(applicant(706), contacts));
    expect(approved.outcome).toBe('approve');
    expect(declined.outcome).toBe('decline');
    expect(referred.outcome).toBe('refer');
    expect(referred.flags.map((f) => f.kind)).toEqual(['shared-contact-numbers']);
  });
  afterAll(async () => {
    await h?.close();
  });

  const signedIn = (role: Role, locale: Locale) => signedInAs(h, role, locale);

  for (const locale of ['zh-CN', 'en'] as const) {
    it(`lists decisions and opens one with its reasons and versions in ${locale}`, async () => {
      const { page, errors, context } = await signedIn('auditor', locale);
      const l = LABELS[locale];
      await page.getByTestId('nav-decisions').click();
      await page.getByTestId('page-decisions').getByRole('heading', { name: l.decisions }).waitFor();
      const table = page.getByTestId('decisions-table');
      await table.getByTestId(`decision-link-${approved.decisionId}`).waitFor();
      await table.getByTestId(`decision-link-${referred.decisionId}`).waitFor();
      expect(await table.getByTestId('outcome-approve').first().textContent()).toBe(l.approve);
      expect(await table.getByTestId('outcome-decline').first().textContent()).toBe(l.decline);
      expect(await table.getByTestId('outcome-refer').first().textContent()).toBe(l.refer);
      await screenshot(page, `decisions-${locale}`);
      // The outcome filter asks the server for approvals only.
      await page.getByTestId('decisions-outcome').click();
      await page.locator('.ant-select-item-option').filter({ hasText: l.approve }).click();
      await table.getByTestId(`decision-link-${referred.decisionId}`).waitFor({ state: 'detached' });
      await table.getByTestId(`decision-link-${declined.decisionId}`).waitFor({ state: 'detached' });

      await table.getByTestId(`decision-link-${approved.decisionId}`).click();
      const detail = page.getByTestId('page-decision');
      await detail.waitFor();
      expect(await detail.getByTestId('decision-intact').textContent()).toBe(l.intact);
      expect(await detail.getByTestId('decision-policy').textContent()).toContain(approved.policy.version);
      const reasons = detail.getByTestId('decision-reasons');
      for (const reason of approved.reasons.slice(0, 3))
        await reasons.getByText(reason.code, { exact: true }).first().waitFor();
      // Reasons in the page's language; the values they saw as a list, amounts in yuan, never fen.
      await reasons.getByText(l.cutoffSource, { exact: true }).first().waitFor();
      // The score is the shipped scorecard's for this applicant (read from the decision, so a retrained card moves it).
      const scored = approved as unknown as { score: { value: number }; riskGrade: string };
      await reasons.getByText(l.cutoffText(scored.score.value, scored.riskGrade)).first().waitFor();
      await reasons.getByTestId('reason-values').getByText('¥30,000.00').first().waitFor();
      await reasons.getByTestId('reason-values').getByText(l.verifiedIncome).first().waitFor();
      const reasonsText = (await reasons.textContent()) ?? '';
      expect(reasonsText).not.toContain('_fen');
      expect(reasonsText).not.toContain('3000000');
      expect(reasonsText).not.toContain('{');
      if (locale === 'zh-CN') {
        // No English of the kinds the record holds: the server's sentences, segments, model features and
        // their categories, open intervals, rule messages.
        for (const stray of [
          /gives/,
          /employed/,
          /Seniority|Expenses|Income|Assets|Home\b|Marital|Job\b/,
          /\binf\b/,
          /\bin \[/,
          /parents|owner|rent\b/,
        ])
          expect(reasonsText).not.toMatch(stray);
      } else {
        expect(reasonsText).toContain('gives');
      }
      // The APR to two decimals (the record says 0.073000).
      await detail.getByText('7.30%', { exact: true }).first().waitFor();
      expect(await detail.getByTestId('deciding-reason').count()).toBe(0);
      await screenshot(page, `decision-${locale}`);

      // A decline: no limit (—, not ¥0.00), and the reason that decided it marked.
      await page.goto(`${h.baseUrl}/app/decisions/${declined.decisionId}`);
      await page.getByTestId('page-decision').waitFor();
      expect(await page.getByTestId('decision-limit').textContent()).toBe('—');
      const decidingRow = page.getByTestId('decision-reasons').locator('tr', {
        has: page.getByTestId('deciding-reason'),
      });
      await decidingRow.getByText(l.deciding).waitFor();
      await decidingRow.getByText('FLAG_OUTSIDE_INVITATION').waitFor();
      expect(await page.getByTestId('deciding-reason').count()).toBe(1);
      await screenshot(page, `decision-declined-${locale}`);

      // The referred decision shows its 强开 flag with the evidence, the application and the applicant.
      await page.goto(`${h.baseUrl}/app/decisions/${referred.decisionId}`);
      const flags = page.getByTestId('decision-flags');
      await flags.getByText(l.sharedContacts).waitFor();
      await flags.getByTestId('flag-evidence').getByText(l.otherApplicants).waitFor();
      const application = page.getByTestId('application-card');
      await application.getByTestId('application-occupation').getByText(l.occupation).waitFor();
      await application.getByText(l.notCustomer).waitFor();
      expect(await application.getByTestId('application-income').textContent()).toBe('¥15,000.00');
      expect(await application.getByTestId('application-verified-income').textContent()).toBe('¥14,800.00');
      expect(await application.getByTestId('application-dti').textContent()).toBe('28.4%');
      await application.getByTestId('application-bureau').getByText('¥600,000.00').waitFor();
      expect(await application.getByTestId('application-name').textContent()).toMatch(/^王\*+$/);
      await screenshot(page, `decision-referred-${locale}`);

      // Audit actions in words.
      await page.getByTestId('nav-audit').click();
      await page
        .getByTestId('audit-action-decision.record')
        .first()
        .getByText(l.decisionRecorded, { exact: true })
        .waitFor();
      // The resource an entry is about, in words, with its id.
      await page.getByText(`${l.resourceDecision} ${approved.decisionId}`).first().waitFor();
      // Its details in words: the outcome by its label, never the record's raw JSON.
      const details = (await page.getByTestId('audit-details').allTextContents()).join('\n');
      expect(details).toContain(`${l.outcomeKey}: `);
      expect(details).not.toContain('{"');
      if (locale === 'zh-CN') expect(details).not.toMatch(/outcome|contentHash|approve|decline/);
      expect(unexpectedErrors(errors)).toEqual([]);
      await context.close();
    });
  }

  it('resolves a flag in the review queue and sees it leave the open list', async () => {
    const { page, errors, context } = await signedIn('risk_analyst', 'zh-CN');
    const l = LABELS['zh-CN'];
    const flag = referred.flags[0]!;
    await page.getByTestId('nav-review').click();
    await page.getByTestId('page-review').getByRole('heading', { name: l.review }).waitFor();
    const row = page.locator('tr', { has: page.getByTestId(`flag-${flag.flagId}`) });
    await row.locator('.ant-table-row-expand-icon').click();
    const form = page.getByTestId(`resolve-form-${flag.flagId}`);
    await form.getByTestId('resolve-submit').click();
    await form.getByText(l.noteRequired).waitFor();
    await form.getByText('排除（非强开）').click();
    await form.getByTestId('resolve-note').fill('老客户，设备为家庭共用');
    await screenshot(page, 'review-queue-zh-CN');
    await form.getByTestId('resolve-submit').click();
    await page.getByTestId(`flag-${flag.flagId}`).waitFor({ state: 'detached' });

    // A flag resolved by someone else while the page was open: the server's problem shows at the form.
    const other = declined.flags[0]!;
    const otherRow = page.locator('tr', { has: page.getByTestId(`flag-${other.flagId}`) });
    await otherRow.locator('.ant-table-row-expand-icon').click();
    const otherForm = page.getByTestId(`resolve-form-${other.flagId}`);
    await otherForm.getByText('确认强开').click();
    await otherForm.getByTestId('resolve-note').fill('同一联系人被多人填写');
    const first = await h.api.app.inject({
      method: 'POST',
      url: `/review-queue/${other.flagId}/resolve`,
      headers: { authorization: `Bearer ${h.api.tokens.admin}`, 'idempotency-key': `k-${other.flagId}` },
      payload: { resolution: 'confirmed', note: 'seen first by admin' },
    });
    expect(first.statusCode, first.body).toBe(200);
    await otherForm.getByTestId('resolve-submit').click();
    await otherForm
      .getByTestId('problem')
      .getByText(/flag_resolved/)
      .waitFor();
    await screenshot(page, 'review-queue-problem-zh-CN');
    expect(unexpectedErrors(errors, [409])).toEqual([]);
    await context.close();
    const res = await h.api.app.inject({
      method: 'GET',
      url: '/review-queue?status=resolved&limit=200',
      headers: { authorization: `Bearer ${h.api.tokens.auditor}` },
    });
    const resolved = (res.json() as { items: { flagId: string; resolution: string }[] }).items;
    expect(resolved.find((f) => f.flagId === flag.flagId)?.resolution).toBe('cleared');
  });

  it('offers no resolve form to an auditor and no decisions to finance', async () => {
    const auditor = await signedIn('auditor', 'en');
    await auditor.page.getByTestId('nav-review').click();
    await auditor.page.getByTestId('page-review').waitFor();
    expect(await auditor.page.getByTestId('resolve-submit').count()).toBe(0);
    await auditor.context.close();
    const finance = await signedIn('finance', 'en');
    expect(await finance.page.getByTestId('nav-decisions').count()).toBe(0);
    expect(await finance.page.getByTestId('nav-review').count()).toBe(0);
    await finance.context.close();
  });
});
