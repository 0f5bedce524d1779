import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { earlyWarningInForce, evaluateCustomers, monitorAfterEod } from '../../src/jobs/index.js';
import { addDays, addMonths, formatDate } from '../../src/money/index.js';
import { type Db, getBusinessDay, type Role } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { auth, freshKey, json, startApi, type TestApi } from './helpers.js';
import { applicant, apply, invite, patched } from './origination-helpers.js';

/*
 * The three borrowers the project started from, as early-warning scenarios over the API:
 * - 张三 runs a shop: his quarterly statements show revenue falling and cash running out, which raises a
 *   signal and a re-assessment on arrival.
 * - 李四's restaurant: catering joins the lender's shock list (a pandemic), which raises a signal and offers
 *   him a payment holiday, pending a person's approval.
 * - 王五's income falls: he declares it, a signal offers a longer term, a risk analyst approves it, and his
 *   plan is adjusted before he is ever past due.
 */
type Signal = {
  signalId: string;
  code: string;
  severity: string;
  action: string;
  actionStatus: string;
  actionRef: string | null;
  actionNote: string | null;
  status: string;
  evidence: Record<string, unknown>;
  queue: string;
};

describe.each(backends)('early warning for 张三, 李四 and 王五 on $name', (backend) => {
  let db: Db;
  let api: TestApi;

  async function call(role: Role, method: string, url: string, payload?: unknown) {
    return api.app.inject({
      method: method as 'GET',
      url,
      headers: { ...auth(api.tokens[role]), ...(method === 'GET' ? {} : { 'idempotency-key': freshKey() }) },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }
  async function ok(res: Awaited<ReturnType<typeof call>>, status = 201) {
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as Record<string, unknown>;
  }

  /** An approved applicant with a line and one loan of ¥10,000 drawn on it. */
  async function borrower(n: number, body: Record<string, unknown>) {
    await invite(api, n);
    const d = await apply(api, body);
    expect(d.outcome, JSON.stringify(d.reasons)).toBe('approve');
    const loan = await ok(
      await call('admin', 'POST', `/credit-lines/${d.lineId}/drawdowns`, {
        amount: '10000.00',
        productId: 'default',
      }),
    );
    return { customerId: d.customerId as string, lineId: d.lineId as string, loanId: loan.loanId as string };
  }

  const business = (industry: string) => ({
    name: `${industry} shop`,
    industry,
    statements: {
      periodMonths: 12,
      monthlyRevenue: '80000.00',
      monthlyCosts: '60000.00',
      monthlyOperatingCashFlow: '18000.00',
      cashBalance: '150000.00',
      monthlyDebtService: '3000.00',
      monthsTrading: 48,
    },
  });
  const businessOwner = (n: number, industry: string) =>
    patched(applicant(n), {
      requestedLimit: '50000.00',
      employment: { occupation: 'business-owner', industry, monthsInRole: 48 },
      income: {
        declaredMonthly: '20000.00',
        evidence: [{ kind: 'bank-statement', monthlyAmount: '18000.00' }],
      },
      business: business(industry),
    });

  const signalsOf = async (customerId: string) =>
    (await ok(await call('collector', 'GET', `/customers/${customerId}/signals`), 200)).items as Signal[];

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    await ok(await call('risk_analyst', 'POST', '/products', { id: 'default', termCount: 12 }));
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('张三: statements showing falling revenue raise a signal and a re-assessment on arrival', async () => {
    const zhang = await borrower(701, businessOwner(701, 'retail'));
    const file = Buffer.from('张三 Q2 statements').toString('base64');
    const res = await ok(
      await call('collector', 'POST', `/customers/${zhang.customerId}/review-documents`, {
        kind: 'business-statements',
        statements: {
          periodMonths: 3,
          monthlyRevenue: '50000.00',
          monthlyCosts: '60000.00',
          monthlyOperatingCashFlow: '-10000.00',
          cashBalance: '40000.00',
        },
        file: { name: 'q2.pdf', contentBase64: file },
      }),
    );
    const reassessmentId = res.reassessmentId as string;
    expect(reassessmentId).toMatch(/^rea_/);
    const signals = res.signals as Signal[];
    expect(signals.map((s) => s.code).sort()).toEqual(['EW_CASH_RUNWAY', 'EW_FALLING_REVENUE']);
    const falling = signals.find((s) => s.code === 'EW_FALLING_REVENUE')!;
    expect(falling).toMatchObject({
      severity: 'high',
      action: 'reassess',
      actionStatus: 'done',
      queue: 'risk-review',
    });
    expect(falling.actionRef).toBe(reassessmentId);
    expect(falling.evidence).toEqual({ revenueChange: -0.375, cashRunwayMonths: 4 });
    // The re-assessment is on the customer's record, made from the new statements.
    const reassessments = await ok(
      await call('auditor', 'GET', `/customers/${zhang.customerId}/reassessments`),
      200,
    );
    const rea = (reassessments.items as { reassessmentId: string; reasons: { code: string }[] }[])[0]!;
    expect(rea.reassessmentId).toBe(reassessmentId);
    expect(rea.reasons.map((r) => r.code)).toContain('CHANGE_BUSINESS');
    // The document is kept with its figures and the file's hash.
    const reviews = await ok(
      await call('auditor', 'GET', `/customers/${zhang.customerId}/health-reviews`),
      200,
    );
    const doc = (reviews.documents as Record<string, unknown>[])[0]!;
    expect(doc.figures).toMatchObject({ monthlyRevenue: '50000.00', monthlyOperatingCashFlow: '-10000.00' });
    expect((doc.file as { bytes: number }).bytes).toBe(Buffer.from('张三 Q2 statements').length);
    expect(doc.reassessmentId).toBe(reassessmentId);
    // On the watchlist, most severe first; resolving takes it off, and the same evidence does not raise it again.
    const watch = (await ok(await call('auditor', 'GET', '/signals'), 200)).items as Signal[];
    expect(watch.map((s) => s.signalId)).toContain(falling.signalId);
    await ok(await call('collector', 'POST', `/signals/${falling.signalId}/acknowledge`, {}), 200);
    const resolved = await ok(
      await call('risk_analyst', 'POST', `/signals/${falling.signalId}/resolve`, { note: 'limit reviewed' }),
      200,
    );
    expect(resolved.status).toBe('resolved');
    const again = await call('risk_analyst', 'POST', `/signals/${falling.signalId}/resolve`, {
      note: 'twice',
    });
    expect(again.statusCode).toBe(409);
    expect(json(again).code).toBe('signal_status_conflict');
    await db.transaction((tx) => getBusinessDay(tx).then((day) => monitorAfterEod(tx, day)));
    expect((await signalsOf(zhang.customerId)).filter((s) => s.code === 'EW_FALLING_REVENUE')).toHaveLength(
      1,
    );
  });

  it('李四: catering on the shock list raises a signal and offers a payment holiday', async () => {
    const li = await borrower(702, businessOwner(702, 'catering'));
    const res = await ok(
      await call('risk_analyst', 'POST', '/industry-shocks', {
        industry: 'catering',
        reason: 'pandemic closures',
      }),
    );
    expect(res.customersEvaluated).toBeGreaterThanOrEqual(1);
    const shock = (await signalsOf(li.customerId)).find((s) => s.code === 'EW_INDUSTRY_SHOCK')!;
    expect(shock).toMatchObject({
      action: 'offer-plan-adjustment',
      actionStatus: 'done',
      actionNote: '1 restructuring offered, pending approval',
      status: 'open',
    });
    expect(shock.evidence).toMatchObject({ industry: 'catering', industryShocked: true, daysPastDue: 0 });
    const offers = (await ok(await call('auditor', 'GET', `/loans/${li.loanId}/restructurings`), 200))
      .items as {
      restructuringId: string;
      status: string;
      kind: string;
      proposedBy: string;
    }[];
    expect(offers).toEqual([
      expect.objectContaining({
        restructuringId: shock.actionRef,
        status: 'pending',
        kind: 'payment-holiday',
        proposedBy: 'early-warning',
      }),
    ]);
    const list = (await ok(await call('auditor', 'GET', '/industry-shocks'), 200)).items as {
      industry: string;
    }[];
    expect(list.map((s) => s.industry)).toContain('catering');
  });

  it('王五: a declared income drop leads to a plan adjustment before he is past due', async () => {
    const wang = await borrower(703, applicant(703));
    const res = await ok(
      await call('collector', 'POST', `/customers/${wang.customerId}/income-declarations`, {
        declaredMonthly: '8000.00',
        note: 'salary cut by half',
      }),
    );
    const [drop] = res.signals as Signal[];
    expect(drop).toMatchObject({
      code: 'EW_INCOME_DROP',
      action: 'offer-plan-adjustment',
      actionStatus: 'done',
      actionNote: '1 restructuring offered, pending approval',
    });
    expect(drop!.evidence).toEqual({ declaredIncomeChange: -0.4667, daysPastDue: 0 });
    const approved = await ok(
      await call(
        'risk_analyst',
        'POST',
        `/loans/${wang.loanId}/restructurings/${drop!.actionRef}/approve`,
        {},
      ),
      200,
    );
    expect(approved).toMatchObject({ status: 'applied', kind: 'term-extension', monthsExtended: 6 });
    const loan = await ok(await call('auditor', 'GET', `/loans/${wang.loanId}`), 200);
    expect(loan.daysPastDue).toBe(0);
  });

  it('a freeze-line rule freezes the line at once and counts it in the singular', async () => {
    const zhao = await borrower(706, applicant(706));
    const ew = await earlyWarningInForce(db);
    const base = ew.document.rules.find((r) => r.code === 'EW_INCOME_DROP')!;
    const document = {
      ...ew.document,
      rules: [
        {
          ...base,
          code: 'EW_TEST_FREEZE',
          when: 'openLoans > 0',
          action: 'freeze-line' as const,
          offer: undefined,
        },
      ],
    };
    const day = await getBusinessDay(db);
    const run = await db.transaction((tx) =>
      evaluateCustomers(tx, [zhao.customerId], day, { version: ew.version, document }, 'test'),
    );
    expect(run.linesFrozen).toBe(1);
    const freeze = (await signalsOf(zhao.customerId)).find((s) => s.code === 'EW_TEST_FREEZE');
    expect(freeze).toMatchObject({
      actionStatus: 'done',
      actionRef: zhao.lineId,
      actionNote: '1 line frozen',
    });
  });

  it('health reviews: a business owner is asked for statements each quarter; an overdue request becomes a signal', async () => {
    const shop = await borrower(704, businessOwner(704, 'retail'));
    await ok(
      await call('collector', 'POST', `/customers/${shop.customerId}/income-declarations`, {
        declaredMonthly: '20000.00',
      }),
    );
    const today = await getBusinessDay(db);
    const quarter = addMonths(today, 3);
    await db.transaction((tx) => monitorAfterEod(tx, quarter));
    const reviews = await ok(
      await call('auditor', 'GET', `/customers/${shop.customerId}/health-reviews`),
      200,
    );
    const [request] = reviews.requests as {
      document: string;
      status: string;
      dueDate: string;
      delivery: string;
    }[];
    expect(request).toMatchObject({
      document: 'business-statements',
      status: 'open',
      delivery: 'pending',
      dueDate: formatDate(addDays(quarter, 30)),
    });
    const outbox = await db.query<{ payload: { body: string } }>(
      `select payload from outbox_messages where customer_id = $1 and reminder_key like 'review:%'`,
      [shop.customerId],
    );
    expect(outbox.rows).toHaveLength(1);
    // The same day again asks nothing twice; past the due date the request is a signal.
    await db.transaction((tx) => monitorAfterEod(tx, quarter));
    await db.transaction((tx) => monitorAfterEod(tx, addDays(quarter, 31)));
    const overdue = (await signalsOf(shop.customerId)).find((s) => s.code === 'EW_STATEMENTS_OVERDUE');
    expect(overdue?.evidence).toEqual({ statementsOverdueDays: 1 });
    expect(
      (await db.query(`select 1 from review_requests where customer_id = $1`, [shop.customerId])).rows,
    ).toHaveLength(1);
  });

  it('bad input gets a clear error and nothing is written', async () => {
    const c = await borrower(705, applicant(705));
    const before = await db.query(
      'select (select count(*) from review_documents) as d, (select count(*) from signals) as s, (select count(*) from income_declarations) as i',
    );
    const bad = async (url: string, payload: unknown, status: number, code: string, path?: string) => {
      const res = await call('risk_analyst', 'POST', url, payload);
      expect(res.statusCode, res.body).toBe(status);
      const body = json(res);
      expect(body.code).toBe(code);
      if (path !== undefined) expect(JSON.stringify(body.errors)).toContain(path);
    };
    const docs = `/customers/${c.customerId}/review-documents`;
    await bad(docs, { kind: 'business-statements' }, 400, 'validation_failed', '/body/statements');
    await bad(
      docs,
      { kind: 'income-evidence', income: { evidenceKind: 'payslip', monthlyAmount: '12.345' } },
      400,
      'amount_invalid',
    );
    await bad(
      docs,
      {
        kind: 'income-evidence',
        income: { evidenceKind: 'payslip', monthlyAmount: '9000.00' },
        file: { name: 'a.pdf', contentBase64: '@@@' },
      },
      400,
      'validation_failed',
      '/body/file/contentBase64',
    );
    await bad(
      `/customers/cus_${'0'.repeat(28)}/review-documents`,
      { kind: 'income-evidence', income: { evidenceKind: 'payslip', monthlyAmount: '9000.00' } },
      404,
      'customer_not_found',
    );
    await bad(
      `/customers/${c.customerId}/income-declarations`,
      { declaredMonthly: 'lots' },
      400,
      'amount_invalid',
    );
    await bad(
      '/industry-shocks',
      { industry: 'catering', reason: 'x', fromDate: '2026-02-30' },
      400,
      'validation_failed',
      '/body/fromDate',
    );
    const ew = (await ok(await call('auditor', 'GET', '/early-warning'), 200)).document as {
      rules: Record<string, unknown>[];
    };
    const broken = { ...ew, rules: [{ ...ew.rules[0], when: 'utilisation >= salary' }] };
    await bad(
      '/early-warning/versions',
      { document: broken },
      400,
      'early_warning_invalid',
      '/body/document/rules/0/when',
    );
    const after = await db.query(
      'select (select count(*) from review_documents) as d, (select count(*) from signals) as s, (select count(*) from income_declarations) as i',
    );
    expect(after.rows).toEqual(before.rows);
    expect((await db.query('select count(*)::int as n from early_warning_versions')).rows[0]).toEqual({
      n: 0,
    });
  });

  it('the early-warning document is versioned with maker-checker', async () => {
    const ew = (await ok(await call('auditor', 'GET', '/early-warning'), 200)) as {
      version: string;
      document: { rules: { code: string; when: string }[] };
    };
    expect(ew.version).toBe('shipped');
    const document = {
      ...ew.document,
      rules: ew.document.rules.map((r) =>
        r.code === 'EW_INCOME_DROP' ? { ...r, when: r.when.replace('-0.2', '-0.1') } : r,
      ),
    };
    const draft = await ok(
      await call('risk_analyst', 'POST', '/early-warning/versions', {
        document,
        note: 'earlier income alert',
      }),
    );
    const own = await call('risk_analyst', 'POST', `/early-warning/versions/${draft.version}/approve`, {});
    expect(own.statusCode).toBe(403);
    expect(json(own).code).toBe('early_warning_approval_by_author');
    await ok(await call('admin', 'POST', `/early-warning/versions/${draft.version}/approve`, {}), 200);
    expect((await ok(await call('auditor', 'GET', '/early-warning'), 200)).version).toBe(draft.version);
  });
});
