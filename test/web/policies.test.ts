import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readShippedPolicy, SHIPPED_POLICY_DIR } from '../../src/server/index.js';
import type { Role } from '../../src/store/index.js';
import {
  applicant,
  apply,
  type DecisionBody,
  invite,
  ok,
  patched,
  send,
} from '../server/origination-helpers.js';
import {
  type Harness,
  screenshot,
  settle,
  signedIn as signedInAs,
  skipBrowser,
  startHarness,
  unexpectedErrors,
} from './browser.js';

const LABELS = {
  'zh-CN': {
    policies: '策略版本',
    draft: '草稿',
    approved: '已审批',
    published: '已发布',
    inForce: '生效中',
    knockout: '准入拒绝规则',
  },
  en: {
    policies: 'Policy versions',
    draft: 'Draft',
    approved: 'Approved',
    published: 'Published',
    inForce: 'In force',
    knockout: 'Knock-out rules',
  },
} as const;
type Locale = keyof typeof LABELS;

/** The shipped pack's files as an analyst keeps them in a folder: policy.json naming one file per graph. */
const PACK_FILES = [
  'policy.json',
  'knockout.json',
  'cutoffs.json',
  'limits.json',
  'pricing.json',
  'referral.json',
  'linecontrols.json',
];
const PACK_VERSION = (
  JSON.parse(readFileSync(join(SHIPPED_POLICY_DIR, 'policy.json'), 'utf8')) as { version: string }
).version;

/** A business owner without plan and statements: the shipped policy refers them (REF_BUSINESS_DOCUMENTS). */
const businessOwner = (n: number) =>
  patched(applicant(n), {
    requestedLimit: '80000.00',
    employment: { occupation: 'business-owner', industry: 'catering', monthsInRole: 48 },
    income: {
      declaredMonthly: '20000.00',
      evidence: [{ kind: 'bank-statement', monthlyAmount: '18000.00' }],
    },
    business: { name: '小明餐馆', industry: 'catering' },
  });

describe.skipIf(skipBrowser)('policy versions and a person’s decision in chromium', () => {
  let h: Harness;
  let referred: DecisionBody;
  let seeded: string;

  beforeAll(async () => {
    h = await startHarness();
    // One version drafted by an admin beforehand, so the list has something before the analyst drafts.
    seeded = 'seed-1';
    await ok(await send(h.api, 'admin', 'POST', '/policies', { ...readShippedPolicy(), version: seeded }));
    await invite(h.api, 801, { limitCap: '100000.00' });
    referred = await apply(h.api, businessOwner(801));
    expect(referred.outcome, JSON.stringify(referred.reasons)).toBe('refer');
  });
  afterAll(async () => {
    await h?.close();
  });

  const signedIn = (role: Role, locale: Locale) => signedInAs(h, role, locale);

  it('an analyst drafts a version, may not approve it, and a second user approves, publishes and rolls it back', async () => {
    // The analyst sees the list and drafts.
    const analyst = await signedIn('risk_analyst', 'en');
    const a = analyst.page;
    let l: (typeof LABELS)[Locale] = LABELS.en;
    await a.getByTestId('nav-policies').click();
    await a.getByTestId('page-policies').getByRole('heading', { name: l.policies }).waitFor();
    await a.getByTestId(`policy-link-${seeded}`).waitFor();
    expect(await a.getByTestId('policies-table').getByTestId('policy-status-draft').textContent()).toBe(
      l.draft,
    );
    await a.getByTestId('policies-none-in-force').waitFor();
    await a.getByTestId('policies-new').click();
    const draft = a.getByTestId('page-policy-draft');
    await draft.waitFor();

    // A document the server refuses: each field's problem is listed under its own name.
    const bad = readShippedPolicy() as unknown as { settings: Record<string, unknown> };
    const refused = {
      ...bad,
      version: 'bad-1',
      settings: { ...bad.settings, aprCap: '0.30', reasonCount: 50 },
    };
    await draft.getByTestId('policy-draft-text').fill(JSON.stringify(refused));
    await settle(draft);
    await draft.getByTestId('policy-draft-submit').click();
    await draft
      .getByTestId('problem')
      .getByText(/policy_invalid/)
      .waitFor();
    const fields = draft.getByTestId('policy-draft-fields');
    await fields.getByTestId('policy-field-settings.aprCap').waitFor();
    await fields.getByTestId('policy-field-settings.reasonCount').waitFor();
    await screenshot(a, 'policy-draft-problem-en');

    // The pack's files uploaded together become one document with its graphs inline.
    await draft.locator('input[type=file]').setInputFiles(PACK_FILES.map((f) => join(SHIPPED_POLICY_DIR, f)));
    await draft.getByTestId('policy-draft-loaded').getByText('knockout.json', { exact: false }).waitFor();
    expect(await draft.getByTestId('policy-draft-text').inputValue()).toContain('"decisionTableNode"');
    await settle(draft);
    await draft.getByTestId('policy-draft-submit').click();
    const detail = a.getByTestId('page-policy');
    await detail.getByRole('heading', { name: `Policy version ${PACK_VERSION}` }).waitFor();
    expect(await detail.getByTestId('policy-status-draft').textContent()).toBe(l.draft);
    expect(await detail.getByTestId('policy-author').textContent()).toContain(h.api.userIds.risk_analyst);
    await detail.getByTestId('trail-draft').waitFor();
    // A readable summary: every graph with its tables and rules; the raw JSON folded away.
    await detail.getByTestId('policy-graph-knockout').getByText(l.knockout).waitFor();
    await detail.getByTestId('policy-graph-knockout').click();
    await detail.getByText('KO_MINOR', { exact: false }).first().waitFor();
    expect(await detail.getByTestId('policy-json').count()).toBe(0);
    await detail.getByTestId('policy-raw').getByText('The document as JSON').click();
    await detail.getByTestId('policy-json').waitFor();
    await screenshot(a, 'policy-draft-en');

    // Maker-checker: the author's own approval is refused with the server's message.
    await detail.getByTestId('policy-author-hint').waitFor();
    await detail.getByTestId('policy-approve').click();
    const modal = a.getByTestId('policy-action-modal');
    await modal.waitFor();
    await settle(a);
    await a.getByTestId('policy-action-ok').click();
    await modal
      .getByTestId('problem')
      .getByText(/approval_by_author/)
      .waitFor();
    await modal.getByText('another risk analyst or an admin must approve it', { exact: false }).waitFor();
    await screenshot(a, 'policy-own-approval-en');
    expect(unexpectedErrors(analyst.errors, [403, 400])).toEqual([]);
    await analyst.context.close();
    const stillDraft = await ok(await send(h.api, 'auditor', 'GET', `/policies/${PACK_VERSION}`), 200);
    expect(stillDraft.status).toBe('draft');

    // A second user approves and publishes it, in Chinese.
    const admin = await signedIn('admin', 'zh-CN');
    const p = admin.page;
    l = LABELS['zh-CN'];
    await p.getByTestId('nav-policies').click();
    await p.getByTestId('page-policies').getByRole('heading', { name: l.policies }).waitFor();
    await p.getByTestId(`policy-link-${PACK_VERSION}`).click();
    const page = p.getByTestId('page-policy');
    await page.getByTestId('policy-status-draft').waitFor();
    expect(await page.getByTestId('policy-author-hint').count()).toBe(0);
    await page.getByTestId('policy-approve').click();
    await p.getByTestId('policy-action-note').fill('已复核：与默认策略包一致');
    await settle(p);
    await p.getByTestId('policy-action-ok').click();
    await page.getByTestId('policy-status-approved').waitFor();
    expect(await page.getByTestId('policy-status-approved').textContent()).toBe(l.approved);
    expect(await page.getByTestId('policy-approver').textContent()).toContain(h.api.userIds.admin);
    await page.getByTestId('trail-approve').waitFor();
    await page.getByText('已复核：与默认策略包一致').waitFor();
    await page.getByTestId('policy-publish').click();
    await settle(p);
    await p.getByTestId('policy-action-ok').click();
    await page.getByTestId('policy-in-force').waitFor();
    expect(await page.getByTestId('policy-status-published').textContent()).toBe(l.published);
    await page.getByTestId('trail-publish').waitFor();
    await screenshot(p, 'policy-published-zh-CN');
    await p.getByTestId('nav-policies').click();
    expect(await p.getByTestId(`policy-in-force-${PACK_VERSION}`).textContent()).toBe(l.inForce);
    expect(await p.getByTestId('policies-none-in-force').count()).toBe(0);
    await screenshot(p, 'policies-zh-CN');

    // Roll back: the shipped pack decides again and the version is retired.
    await p.getByTestId(`policy-link-${PACK_VERSION}`).click();
    await page.getByTestId('policy-rollback').click();
    await p.getByTestId('policy-action-note').fill('回滚演练');
    await settle(p);
    await p.getByTestId('policy-action-ok').click();
    await page.getByTestId('policy-status-retired').waitFor();
    expect(await page.getByTestId('policy-in-force').count()).toBe(0);
    await page.getByTestId('trail-rollback').waitFor();
    expect(unexpectedErrors(admin.errors)).toEqual([]);
    await admin.context.close();
    const after = await ok(await send(h.api, 'auditor', 'GET', `/policies/${PACK_VERSION}`), 200);
    expect(after.status).toBe('retired');
    expect(after.approvedBy).toBe(h.api.userIds.admin);
  });

  it('a person decides a referred application and lands on the new decision', async () => {
    const { page, errors, context } = await signedIn('risk_analyst', 'zh-CN');
    await page.goto(`${h.baseUrl}/app/decisions/${referred.decisionId}`);
    const card = page.getByTestId('person-decision');
    await card.waitFor();
    // Nothing chosen: the form says what is missing before anything is sent.
    await settle(card);
    await card.getByTestId('person-decision-submit').click();
    await card.getByText('请选择批准或拒绝').waitFor();
    await card.getByTestId('person-decision-approve').click();
    await card.getByTestId('person-decision-limit').fill('1000.001');
    await card.getByTestId('person-decision-reasons').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '所需材料已收到并核对' }).click();
    await card.getByTestId('person-decision-note').fill('已收到经营计划与近六个月流水');
    await settle(card);
    await card.getByTestId('person-decision-submit').click();
    await card.getByText('应为以元为单位的金额，最多两位小数', { exact: false }).waitFor();

    // Above the caps the automated decision held to: the server's message under the limit field, in Chinese.
    await card.getByTestId('person-decision-limit').fill('90000.00');
    await settle(card);
    await card.getByTestId('person-decision-submit').click();
    await settle(page);
    await page.getByTestId('person-decision-confirm').click();
    await card
      .getByTestId('problem')
      .getByText(/review_limit_above_cap/)
      .waitFor();
    await card
      .locator('.ant-form-item-explain-error')
      .getByText(/高于上限/)
      .waitFor();
    await screenshot(page, 'person-decision-problem-zh-CN');
    // The refused attempt's dialog closes with an animation: until it is gone its button would take the
    // next click and send the refused values again.
    await page.getByTestId('person-decision-confirm').waitFor({ state: 'detached' });

    await card.getByTestId('person-decision-limit').fill('50000.00');
    await settle(card);
    await card.getByTestId('person-decision-submit').click();
    await settle(page);
    await page.getByTestId('person-decision-confirm').click();
    await page.getByTestId('decision-supersedes').waitFor();
    expect(await page.getByTestId('decision-supersedes').textContent()).toBe(referred.decisionId);
    expect(page.url()).not.toContain(referred.decisionId);
    expect(await page.getByTestId('decision-decided-by').textContent()).toBe(h.api.userIds.risk_analyst);
    expect(await page.getByTestId('decision-limit').textContent()).toBe('¥50,000.00');
    expect(await page.getByTestId('outcome-approve').textContent()).toBe('批准');
    expect(await page.getByTestId('decision-review-note').textContent()).toBe('已收到经营计划与近六个月流水');
    await page.getByTestId('decision-reasons').getByText('REVIEW_DOCUMENTS_RECEIVED').waitFor();
    expect(await page.getByTestId('person-decision').count()).toBe(0);
    await screenshot(page, 'person-decision-zh-CN');
    const newId = page.url().split('/').pop()!;

    // The automated decision links to the person's decision and offers no second review.
    await page.getByTestId('decision-supersedes').click();
    await page.getByTestId('decision-superseded-by').waitFor();
    await page.getByTestId('decision-superseded').getByText(newId, { exact: false }).waitFor();
    expect(await page.getByTestId('person-decision').count()).toBe(0);
    await page.getByTestId('decision-superseded-by').click();
    await page.getByTestId('decision-decided-by').waitFor();
    expect(unexpectedErrors(errors, [422])).toEqual([]);
    await context.close();
    const stored = await ok(await send(h.api, 'auditor', 'GET', `/decisions/${referred.decisionId}`), 200);
    expect(stored.supersededBy).toBe(newId);
  });

  it('a person approves a declined application only once an objection to it was overturned', async () => {
    await invite(h.api, 803);
    const declined = await apply(h.api, patched(applicant(803), { bureau: { worstDaysPastDue: 120 } }));
    expect(declined.outcome).toBe('decline');
    const { page, errors, context } = await signedIn('risk_analyst', 'en');
    await page.goto(`${h.baseUrl}/app/decisions/${declined.decisionId}`);
    const card = page.getByTestId('person-decision');
    await card
      .getByText('only after an objection to it is recorded and answered', { exact: false })
      .waitFor();
    expect(await card.getByTestId('person-decision-submit').count()).toBe(0);

    const objection = await ok(
      await send(h.api, 'risk_analyst', 'POST', `/decisions/${declined.decisionId}/objections`, {
        channel: 'phone',
        statement: '逾期是银行系统错误，已有更正证明',
      }),
    );
    await ok(
      await send(h.api, 'admin', 'POST', `/decision-requests/${objection.requestId}/answer`, {
        answer: 'The bureau corrected the record; the decision is reconsidered.',
        objectionResult: 'overturned',
      }),
      200,
    );
    await page.reload();
    await card.getByText('was answered “overturned”', { exact: false }).waitFor();
    await card.getByTestId('person-decision-approve').click();
    await card.getByTestId('person-decision-limit').fill('10000.00');
    await card.getByTestId('person-decision-reasons').click();
    await page
      .locator('.ant-select-item-option')
      .filter({ hasText: 'The applicant’s objection upheld' })
      .click();
    await card.getByTestId('person-decision-note').fill('The bureau corrected the 120 days past due.');
    // A decline gave no daily rate to keep: the form asks for one before sending.
    await settle(card);
    await card.getByTestId('person-decision-submit').click();
    await card.locator('.ant-form-item-explain-error').getByText('A decimal below 1').waitFor();
    await card.getByTestId('person-decision-rate').fill('0.0003');
    await settle(card);
    await card.getByTestId('person-decision-submit').click();
    await settle(page);
    await page.getByTestId('person-decision-confirm').click();
    await page.getByTestId('decision-supersedes').waitFor();
    expect(await page.getByTestId('decision-supersedes').textContent()).toBe(declined.decisionId);
    expect(await page.getByTestId('decision-limit').textContent()).toBe('¥10,000.00');
    expect(await page.getByTestId('outcome-approve').textContent()).toBe('Approve');
    await page.getByText('0.03%').first().waitFor();
    await screenshot(page, 'person-decision-overturned-en');
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });

  it('shows neither the menu nor the actions to roles without the permission', async () => {
    // Finance may not read policies: no menu entry, and the address says so.
    const finance = await signedIn('finance', 'en');
    expect(await finance.page.getByTestId('nav-policies').count()).toBe(0);
    await finance.page.goto(`${h.baseUrl}/app/policies`);
    await finance.page.getByText('Your role may not open this page.').waitFor();
    await finance.page.goto(`${h.baseUrl}/app/policies/drafts/new`);
    await finance.page.getByText('Your role may not open this page.').waitFor();
    expect(unexpectedErrors(finance.errors)).toEqual([]);
    await finance.context.close();

    // An auditor reads policies and decisions but drafts, approves and decides nothing.
    const auditor = await signedIn('auditor', 'en');
    const p = auditor.page;
    await p.getByTestId('nav-policies').click();
    await p.getByTestId(`policy-link-${seeded}`).click();
    await p.getByTestId('page-policy').getByTestId('policy-status-draft').waitFor();
    expect(await p.getByTestId('policy-actions').count()).toBe(0);
    expect(await p.getByTestId('policy-approve').count()).toBe(0);
    await p.getByTestId('nav-policies').click();
    await p.getByTestId('page-policies').waitFor();
    expect(await p.getByTestId('policies-new').count()).toBe(0);
    await p.goto(`${h.baseUrl}/app/policies/drafts/new`);
    await p.getByText('Your role may not open this page.').waitFor();
    // A fresh referral: an auditor is offered no person's decision on it.
    await invite(h.api, 802, { limitCap: '100000.00' });
    const other = await apply(h.api, businessOwner(802));
    expect(other.outcome).toBe('refer');
    await p.goto(`${h.baseUrl}/app/decisions/${other.decisionId}`);
    await p.getByTestId('page-decision').waitFor();
    await p.getByTestId('decision-reasons').waitFor();
    expect(await p.getByTestId('person-decision').count()).toBe(0);
    expect(unexpectedErrors(auditor.errors)).toEqual([]);
    await auditor.context.close();
  });
});
