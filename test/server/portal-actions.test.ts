import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import {
  closeLoansThrough,
  type Db,
  getBusinessDay,
  type Role,
  refreshCases,
  setBusinessDay,
  setDemoCode,
} from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import {
  auth,
  createCash12mOverApi,
  freshKey,
  idNumberFor,
  json,
  startApi,
  type TestApi,
  validCustomer,
} from './helpers.js';

/*
 * What a borrower does in the portal: a hardship request routed to the collections case as inability
 * evidence, the offer a person makes and the borrower's acceptance (applied once), uploads for a health
 * review, reminder preferences within the lender's hours, explanations and objections, complaints. Two
 * borrowers each with a loan of 10,000.00 drawn 2026-01-10, left unpaid (past due from 02-11).
 */
describe.each(backends)('borrower actions in the portal, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  const borrowers: { customerId: string; loanId: string; token: string; lineId: string }[] = [];
  const DEMO_CODE = '135790';

  async function staff(role: Role, method: string, url: string, payload?: unknown, key = freshKey()) {
    return api.app.inject({
      method: method as 'GET',
      url,
      headers: { ...auth(api.tokens[role]), 'idempotency-key': key },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }
  async function portal(
    who: number,
    method: string,
    url: string,
    payload?: unknown,
    key: string | null = freshKey(),
  ) {
    return api.app.inject({
      method: method as 'GET',
      url,
      headers: {
        ...auth(borrowers[who]!.token),
        ...(key === null ? {} : { 'idempotency-key': key }),
      },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    await setBusinessDay(db, parseDate('2026-01-10'));
    await createCash12mOverApi(staff);
    await setDemoCode(db, api.cipher, DEMO_CODE);
    for (const [i, phone] of ['13711110001', '13711110002'].entries()) {
      const c = await staff(
        'admin',
        'POST',
        '/customers',
        validCustomer({ phone, idNumber: idNumberFor(300 + i) }),
      );
      expect(c.statusCode, c.body).toBe(201);
      const customerId = json(c).customerId as string;
      const l = await staff('risk_analyst', 'POST', `/customers/${customerId}/credit-lines`, {
        limit: '20000.00',
      });
      const lineId = json(l).lineId as string;
      const d = await staff('admin', 'POST', `/credit-lines/${lineId}/drawdowns`, {
        amount: '10000.00',
        productId: 'cash-12m',
      });
      expect(d.statusCode, d.body).toBe(201);
      const code = await api.app.inject({ method: 'POST', url: '/portal/sign-in/codes', payload: { phone } });
      expect(code.statusCode, code.body).toBeLessThan(300);
      const s = await api.app.inject({
        method: 'POST',
        url: '/portal/sign-in',
        payload: { challengeId: json(code).challengeId, code: DEMO_CODE },
      });
      expect(s.statusCode, s.body).toBe(200);
      borrowers.push({
        customerId,
        loanId: json(d).loanId as string,
        token: json(s).token as string,
        lineId,
      });
    }
    await setBusinessDay(db, parseDate('2026-03-01'));
    await db.transaction(async (tx) => {
      await closeLoansThrough(
        tx,
        borrowers.map((b) => b.loanId),
        parseDate('2026-02-28'),
      );
      await refreshCases(tx, await getBusinessDay(tx), null);
    });
  });
  afterAll(async () => {
    await setDemoCode(db, api.cipher, null);
    await api?.app.close();
    await db?.close();
  });

  const hardship = (loanId: string) => ({
    loanId,
    kind: 'negotiated-plan',
    months: 12,
    cause: 'unemployment',
    declaredMonthlyIncome: '8000.00',
    reason: '公司裁员，正在找新工作',
  });

  it('refuses a request without a borrower session, and a staff token', async () => {
    const none = await api.app.inject({ method: 'GET', url: '/portal/hardship-requests' });
    expect(none.statusCode).toBe(401);
    const staffToken = await api.app.inject({
      method: 'GET',
      url: '/portal/hardship-requests',
      headers: auth(api.tokens.admin),
    });
    expect(staffToken.statusCode).toBe(401);
  });

  it('refuses bad hardship requests with problem+json and writes nothing', async () => {
    const [a, b] = borrowers;
    const before = await count('select count(*) as n from portal_hardship_requests');
    const evidence = await count('select count(*) as n from collection_evidence');
    await expectProblem(await portal(0, 'POST', '/portal/hardship-requests', hardship(b!.loanId)), {
      status: 404,
      code: 'loan_not_found',
      says: /you have no loan/,
    });
    await expectProblem(
      await portal(0, 'POST', '/portal/hardship-requests', {
        ...hardship(a!.loanId),
        kind: 'payment-holiday',
        months: 9,
      }),
      { status: 400, code: 'validation_failed', path: '/body/months', says: /1 to 6/ },
    );
    await expectProblem(
      await portal(0, 'POST', '/portal/hardship-requests', { ...hardship(a!.loanId), reason: 'ok' }),
      { status: 400, code: 'validation_failed', path: '/body/reason', says: /5 to 1000 characters/ },
    );
    await expectProblem(
      await portal(0, 'POST', '/portal/hardship-requests', {
        ...hardship(a!.loanId),
        file: {
          name: 'payslip.exe',
          contentBase64: Buffer.from('MZ\u0090\u0000 not a pdf').toString('base64'),
        },
      }),
      { status: 400, code: 'file_invalid', path: '/body/file/contentBase64', says: /PDF, PNG or JPEG/ },
    );
    await expectProblem(await portal(0, 'POST', '/portal/hardship-requests', hardship(a!.loanId), null), {
      status: 400,
      code: 'idempotency_key_missing',
      says: /Idempotency-Key/,
    });
    expect(await count('select count(*) as n from portal_hardship_requests')).toBe(before);
    expect(await count('select count(*) as n from collection_evidence')).toBe(evidence);
  });

  let requestId = '';
  it('routes a hardship request to the open case as inability evidence, idempotently', async () => {
    const a = borrowers[0]!;
    const key = freshKey();
    const pdf = Buffer.from('%PDF-1.4\n% payslip\n').toString('base64');
    const body = { ...hardship(a.loanId), file: { name: 'payslip.pdf', contentBase64: pdf } };
    const first = await portal(0, 'POST', '/portal/hardship-requests', body, key);
    expect(first.statusCode, first.body).toBe(201);
    requestId = json(first).requestId as string;
    expect(json(first)).toMatchObject({
      status: 'received',
      routedAs: 'inability',
      declaredMonthlyIncome: '8000.00',
    });
    const again = await portal(0, 'POST', '/portal/hardship-requests', body, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(
      await count('select count(*) as n from portal_hardship_requests where customer_id = $1', [
        a.customerId,
      ]),
    ).toBe(1);
    const other = await portal(0, 'POST', '/portal/hardship-requests', { ...body, months: 24 }, key);
    await expectProblem(other, { status: 422, code: 'idempotency_key_reused', says: /months/ });
    await expectProblem(await portal(0, 'POST', '/portal/hardship-requests', hardship(a.loanId)), {
      status: 409,
      code: 'hardship_request_exists',
      says: /still waiting/,
    });
    // The collections case reads it: hardship evidence from the portal, and the assessment's reasons.
    const kase = json(first).caseId as string;
    const assessment = await staff('collector', 'GET', `/collections/cases/${kase}/assessment`);
    expect(assessment.statusCode, assessment.body).toBe(200);
    const ev = json(assessment).evidence as { kind: string; cause: string; actor: string }[];
    expect(ev).toContainEqual(
      expect.objectContaining({ kind: 'hardship', cause: 'unemployment', actor: `portal:${a.customerId}` }),
    );
    expect(JSON.stringify(json(assessment))).toMatch(/hardship/);
    // Staff see it and its file, as a PDF attachment.
    const list = await staff('collector', 'GET', '/hardship-requests?status=received');
    expect((json(list).items as { requestId: string }[]).map((r) => r.requestId)).toContain(requestId);
    const file = await staff('collector', 'GET', `/hardship-requests/${requestId}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toMatch(/attachment/);
  });

  it('shows the offer a person makes and applies it once when the borrower accepts', async () => {
    const a = borrowers[0]!;
    // Another borrower cannot see or answer it.
    await expectProblem(await portal(1, 'POST', `/portal/hardship-requests/${requestId}/accept`, {}), {
      status: 404,
      code: 'hardship_request_not_found',
      says: /no hardship request/,
    });
    await expectProblem(await portal(0, 'POST', `/portal/hardship-requests/${requestId}/accept`, {}), {
      status: 409,
      code: 'hardship_offer_not_open',
      says: /no offer waiting/,
    });
    const offer = await staff('collector', 'POST', `/hardship-requests/${requestId}/offer`, {
      kind: 'negotiated-plan',
      months: 6,
      monthlyIncome: '8000.00',
    });
    expect(offer.statusCode, offer.body).toBe(201);
    const mine = await portal(0, 'GET', '/portal/hardship-requests');
    const item = (json(mine).items as Record<string, unknown>[])[0]!;
    expect(item.status).toBe('offered');
    const terms = item.offer as Record<string, unknown>;
    expect((terms.installments as unknown[]).length).toBe(6);
    expect(terms.classFloor).toMatch(/special-mention|substandard|doubtful|loss|关注|次级/);
    expect(typeof terms.observationEndDate).toBe('string');
    const eventsBefore = await count('select count(*) as n from loan_events where loan_id = $1', [a.loanId]);
    const key = freshKey();
    const accept = await portal(0, 'POST', `/portal/hardship-requests/${requestId}/accept`, {}, key);
    expect(accept.statusCode, accept.body).toBe(200);
    expect(json(accept)).toMatchObject({ status: 'accepted', waitsForApproval: false });
    const replay = await portal(0, 'POST', `/portal/hardship-requests/${requestId}/accept`, {}, key);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    await expectProblem(await portal(0, 'POST', `/portal/hardship-requests/${requestId}/accept`, {}), {
      status: 409,
      code: 'hardship_offer_not_open',
      says: /no offer waiting/,
    });
    const restructured = await count(
      `select count(*) as n from loan_events where loan_id = $1 and type = 'LoanRestructured'`,
      [a.loanId],
    );
    expect(restructured).toBe(1);
    expect(
      await count('select count(*) as n from loan_events where loan_id = $1', [a.loanId]),
    ).toBeGreaterThan(eventsBefore);
    const rs = await staff('auditor', 'GET', `/loans/${a.loanId}/restructurings`);
    expect(json(rs).items).toEqual([
      expect.objectContaining({ status: 'applied', decidedBy: `portal:${a.customerId}` }),
    ]);
  });

  /** The borrower's own hardship request `id`, as their list shows it. */
  const mine = async (who: number, id: string) =>
    (json(await portal(who, 'GET', '/portal/hardship-requests')).items as { requestId: string }[]).find(
      (r) => r.requestId === id,
    );

  it('leaves an accepted offer above the thresholds to a second person, who applies it once', async () => {
    const b = borrowers[1]!;
    const asked = await portal(1, 'POST', '/portal/hardship-requests', {
      ...hardship(b.loanId),
      kind: 'term-extension',
      months: 12,
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const id = json(asked).requestId as string;
    const offer = await staff('collector', 'POST', `/hardship-requests/${id}/offer`, {
      kind: 'term-extension',
      extensionMonths: 12,
    });
    expect(offer.statusCode, offer.body).toBe(201);
    const accept = await portal(1, 'POST', `/portal/hardship-requests/${id}/accept`, {});
    expect(accept.statusCode, accept.body).toBe(200);
    expect(json(accept)).toMatchObject({ status: 'accepted', waitsForApproval: true });
    const restructured = () =>
      count(`select count(*) as n from loan_events where loan_id = $1 and type = 'LoanRestructured'`, [
        b.loanId,
      ]);
    expect(await restructured()).toBe(0);
    expect(await mine(1, id)).toMatchObject({
      status: 'accepted',
      restructuringStatus: 'pending',
    });
    const rsId = json(accept).restructuringId as string;
    const approve = await staff(
      'risk_analyst',
      'POST',
      `/loans/${b.loanId}/restructurings/${rsId}/approve`,
      {},
    );
    expect(approve.statusCode, approve.body).toBe(200);
    expect(await restructured()).toBe(1);
    // The borrower's view follows the second person's decision: waiting, then applied.
    expect(await mine(1, id)).toMatchObject({
      status: 'accepted',
      restructuringStatus: 'applied',
    });
    await expectProblem(await portal(1, 'POST', `/portal/hardship-requests/${id}/accept`, {}), {
      status: 409,
      code: 'hardship_offer_not_open',
      says: /no offer waiting/,
    });
  });

  it('explains only the borrower own decisions', async () => {
    const before = await count('select count(*) as n from decision_requests');
    await expectProblem(
      await portal(0, 'POST', '/portal/decisions/dec_0000000000000000000000000000/explanation', {}),
      { status: 404, code: 'decision_not_found', says: /you have no decision/ },
    );
    expect(await count('select count(*) as n from decision_requests')).toBe(before);
  });

  it('takes an upload a health review asks for, keeps it for staff, and refuses others', async () => {
    const b = borrowers[1]!;
    await db.query(
      `insert into review_requests (customer_id, request_id, request_key, document, segment, request_day, due_day, channel, status)
       values ($1, 'rvq_00000000000000000000000000a1', $2, 'income-evidence', '*', '2026-03-01', '2026-03-15', 'sms', 'open')`,
      [b.customerId, `rq-${b.customerId}`],
    );
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('data'),
    ]);
    await expectProblem(
      await portal(0, 'POST', '/portal/health-reviews/rvq_00000000000000000000000000a1/uploads', {
        file: { name: 'a.png', contentBase64: png.toString('base64') },
      }),
      { status: 404, code: 'review_request_not_found', says: /asks you for a document/ },
    );
    const big = Buffer.concat([png, Buffer.alloc(512 * 1024)]);
    const tooBig = await portal(
      1,
      'POST',
      '/portal/health-reviews/rvq_00000000000000000000000000a1/uploads',
      {
        file: { name: 'a.png', contentBase64: big.toString('base64') },
      },
    );
    expect(tooBig.statusCode).toBeGreaterThanOrEqual(400);
    expect(await count('select count(*) as n from portal_uploads')).toBe(0);
    const ok = await portal(1, 'POST', '/portal/health-reviews/rvq_00000000000000000000000000a1/uploads', {
      file: { name: '工资单.png', contentBase64: png.toString('base64') },
      note: '三月工资',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(json(ok)).toMatchObject({
      reviewRequestId: 'rvq_00000000000000000000000000a1',
      fileType: 'image/png',
      fileBytes: png.length,
    });
    const seen = await staff('collector', 'GET', `/customers/${b.customerId}/portal-uploads`);
    const upload = (json(seen).items as { uploadId: string }[])[0]!;
    const file = await staff(
      'collector',
      'GET',
      `/customers/${b.customerId}/portal-uploads/${upload.uploadId}/file`,
    );
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.rawPayload.equals(png)).toBe(true);
  });

  it('keeps reminder preferences within the lender hours and says what cannot be switched off', async () => {
    const get = await portal(0, 'GET', '/portal/reminder-preferences');
    expect(json(get)).toMatchObject({ optOuts: [], contactWindow: null, alwaysSent: ['negative-notice'] });
    await expectProblem(
      await portal(0, 'PUT', '/portal/reminder-preferences', {
        optOuts: [],
        contactWindow: { from: '07:00', to: '23:00' },
      }),
      { status: 400, code: 'validation_failed', path: '/body/contactWindow', says: /08:00 to 22:00/ },
    );
    await expectProblem(
      await portal(0, 'PUT', '/portal/reminder-preferences', { optOuts: ['pigeon'], contactWindow: null }),
      { status: 400, code: 'validation_failed', path: '/body/optOuts/0', says: /app-push, sms/ },
    );
    expect(await count('select count(*) as n from reminder_contacts')).toBe(0);
    const put = await portal(0, 'PUT', '/portal/reminder-preferences', {
      optOuts: ['sms'],
      contactWindow: { from: '12:00', to: '18:00' },
    });
    expect(put.statusCode, put.body).toBe(200);
    const row = await db.query<{ opt_outs: string[]; contact_start_minute: number }>(
      'select opt_outs, contact_start_minute from reminder_contacts where customer_id = $1',
      [borrowers[0]!.customerId],
    );
    expect(row.rows[0]).toMatchObject({ opt_outs: ['sms'], contact_start_minute: 720 });
  });

  it('objects to an automated line control through a complaint only its borrower sees', async () => {
    const a = borrowers[0]!;
    await db.query(
      `insert into credit_line_changes (customer_id, line_id, day, kind, from_status, to_status, from_limit_minor,
         to_limit_minor, source, code, reason)
       values ($1, $2, '2026-02-20', 'frozen', 'active', 'frozen', 2000000, 2000000, 'control', 'FREEZE_DPD', 'a loan past due')`,
      [a.customerId, a.lineId],
    );
    const list = await portal(0, 'GET', '/portal/decisions');
    const control = (json(list).items as Record<string, unknown>[]).find((d) => d.kind === 'line-control')!;
    expect(control.reasons).toEqual([
      { code: 'FREEZE_DPD', message: 'a loan past due', source: 'line-control', values: {} },
    ]);
    expect(control.explanation).toMatch(/^The line controls of the credit policy changed line/);
    // In Chinese: the explanation in Chinese words; a lender's own rule keeps its stored reason.
    const zh = await api.app.inject({
      method: 'GET',
      url: '/portal/decisions',
      headers: { ...auth(borrowers[0]!.token), 'accept-language': 'zh-CN' },
    });
    const zhControl = (json(zh).items as Record<string, unknown>[]).find((d) => d.kind === 'line-control')!;
    expect(zhControl.explanation).toMatch(/^信贷政策的额度管控规则于 2026-02-20 对额度 .*作出了调整（冻结）/);
    expect(zhControl.explanation).toMatch(/你可以提出异议/);
    await expectProblem(
      await portal(1, 'POST', `/portal/line-changes/${a.lineId}/${control.changeNo}/objections`, {
        statement: '我没有逾期，请人工复核',
      }),
      { status: 404, code: 'line_change_not_found', says: /no automated line change/ },
    );
    const objection = await portal(
      0,
      'POST',
      `/portal/line-changes/${a.lineId}/${control.changeNo}/objections`,
      {
        statement: '我没有逾期，请人工复核',
      },
    );
    expect(objection.statusCode, objection.body).toBe(201);
    expect(json(objection)).toMatchObject({ channel: 'app', category: 'service' });
    expect(json(objection).summary).toMatch(/PIPL Art\. 24/);
    const complaintId = json(objection).complaintId as string;
    const staffView = await staff('compliance', 'GET', `/complaints/${complaintId}`);
    expect(staffView.statusCode).toBe(200);
    const again = await portal(0, 'GET', '/portal/decisions');
    const withRequest = (json(again).items as Record<string, unknown>[]).find(
      (d) => d.kind === 'line-control',
    )!;
    expect(withRequest.requests).toEqual([expect.objectContaining({ complaintId, kind: 'objection' })]);
    await expectProblem(await portal(1, 'GET', `/portal/complaints/${complaintId}`), {
      status: 404,
      code: 'complaint_not_found',
      says: /you have no complaint/,
    });
  });

  it('files a complaint and follows it; the other borrower sees only their own', async () => {
    const filed = await portal(1, 'POST', '/portal/complaints', {
      category: 'collection_conduct',
      summary: '催收员晚上十一点打电话',
    });
    expect(filed.statusCode, filed.body).toBe(201);
    expect(json(filed)).toMatchObject({ channel: 'app', status: 'received' });
    await expectProblem(
      await portal(1, 'POST', '/portal/complaints', {
        category: 'service',
        summary: 'x',
        loanId: borrowers[0]!.loanId,
      }),
      { status: 404, code: 'loan_not_found', says: /you have no loan/ },
    );
    const mine = await portal(1, 'GET', '/portal/complaints');
    const ids = (json(mine).items as { customerId: string }[]).map((c) => c.customerId);
    expect(ids.length).toBe(1);
    expect(new Set(ids)).toEqual(new Set([borrowers[1]!.customerId]));
    const one = await portal(1, 'GET', `/portal/complaints/${json(filed).complaintId as string}`);
    expect(json(one).events).toEqual([expect.objectContaining({ action: 'received' })]);
  });
});
