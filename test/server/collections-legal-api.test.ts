import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import {
  closeLoansThrough,
  type Db,
  type Role,
  refreshCases,
  setBusinessDay,
} from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { pdfText, readZip, sha256 } from './evidence-reader.js';
import { expectProblem } from './expect-problem.js';
import {
  callAs,
  createCash12mOverApi,
  idNumberFor,
  json,
  startApi,
  type TestApi,
  validCustomer,
} from './helpers.js';

/*
 * 张三 over the API, from lost contact to the court: he drew 20,000.00 on 2026-01-10 (12 monthly 等额本息
 * instalments at 0.05%/day), paid two instalments, then two small amounts, then nothing. Collectors lose
 * contact with him; a lawyer's letter reaches him on 2026-07-01. A collector proposes a lawsuit, a risk
 * analyst (not the proposer) approves it, it is filed at an internet court with its fee; the evidence
 * package is generated — twice, byte for byte the same — and checked; the loan is then written off through
 * the write-off routes while the lawsuit goes on to judgment and enforcement.
 */
describe.each(backends)('legal escalation of 张三 over the API, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  let customerId: string;
  let loanId: string;
  let caseId: string;
  let actionId: string;

  async function call(role: Role, method: string, url: string, payload?: unknown) {
    return callAs(api, role, method, url, payload);
  }
  async function onDay(day: string) {
    await setBusinessDay(db, parseDate(day));
    await db.transaction(async (tx) => {
      await closeLoansThrough(tx, [loanId], parseDate(day) - 1);
      await refreshCases(tx, parseDate(day) - 1, [customerId]);
    });
  }
  const rows = async (table: string) =>
    Number((await db.query<{ n: string }>(`select count(*)::text as n from ${table}`)).rows[0]!.n);

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    await setBusinessDay(db, parseDate('2026-01-10'));
    const c = await call(
      'admin',
      'POST',
      '/customers',
      validCustomer({ name: '张三', idNumber: idNumberFor(41) }),
    );
    customerId = json(c).customerId as string;
    await createCash12mOverApi(call);
    const l = await call('risk_analyst', 'POST', `/customers/${customerId}/credit-lines`, {
      limit: '50000.00',
    });
    const d = await call('admin', 'POST', `/credit-lines/${json(l).lineId as string}/drawdowns`, {
      amount: '20000.00',
      productId: 'cash-12m',
    });
    expect(d.statusCode, d.body).toBe(201);
    loanId = json(d).loanId as string;
    const plan = json(await call('collector', 'GET', `/loans/${loanId}/schedule`)).plan as {
      total: string;
      dueDate: string;
    }[];
    for (const i of [0, 1]) {
      await onDay(plan[i]!.dueDate);
      expect(
        (await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: plan[i]!.total }))
          .statusCode,
      ).toBe(201);
    }
    await onDay('2026-04-20');
    expect(
      (await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: '200.00' })).statusCode,
    ).toBe(201);
    await onDay('2026-05-25');
    expect(
      (await call('collector', 'POST', `/loans/${loanId}/repayments`, { amount: '150.00' })).statusCode,
    ).toBe(201);
    await onDay('2026-07-01');
    const cases = json(await call('collector', 'GET', `/collections/cases?loanId=${loanId}`)).items as {
      caseId: string;
    }[];
    expect(cases).toHaveLength(1);
    caseId = cases[0]!.caseId;
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('a claim above what the borrower owes on the case is refused, and nothing is written', async () => {
    const owed = json(await call('risk_analyst', 'GET', `/collections/cases/${caseId}`)).totalOwed as string;
    const oneFenMore = Math.round(Number(owed) * 100) + 1;
    const above = `${Math.floor(oneFenMore / 100)}.${String(oneFenMore % 100).padStart(2, '0')}`;
    const before = await rows('collection_legal_actions');
    // A court would be asked for more than the lender is owed (it was accepted, up to 1,000,000,000.00).
    for (const claimed of [above, '9999999.00']) {
      expectProblem(
        await call('risk_analyst', 'POST', `/collections/cases/${caseId}/legal/actions`, {
          path: 'lawsuit',
          reason: '恶意逾期',
          claimed,
        }),
        {
          status: 422,
          code: 'legal_action_invalid',
          says: new RegExp(`more than the borrower owes on the case, ${owed.replace('.', '\\.')}`),
          path: '/body/claimed',
        },
      );
    }
    expect(await rows('collection_legal_actions')).toBe(before);
  });

  it('lost contact, a demand that reached him, and a lawsuit approved by a second person', async () => {
    expect(
      (await call('collector', 'PATCH', `/collections/cases/${caseId}`, { lostContact: true })).statusCode,
    ).toBe(200);
    const demand = await call('collector', 'POST', `/collections/cases/${caseId}/legal/demands`, {
      date: '2026-07-01',
      channel: 'lawyer-letter',
      reachedDebtor: true,
      evidence: 'EMS 1190000000001 签收',
    });
    expect(demand.statusCode, demand.body).toBe(201);

    const proposed = await call('risk_analyst', 'POST', `/collections/cases/${caseId}/legal/actions`, {
      path: 'lawsuit',
      reason: '恶意逾期：失联，经营失败后未再还款',
      venue: '杭州互联网法院',
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const action = json(proposed);
    actionId = action.actionId as string;
    expect(action).toMatchObject({
      status: 'proposed',
      path: 'lawsuit',
      nextStatuses: ['approved', 'rejected', 'withdrawn'],
    });
    expect(Number(action.claimed)).toBeGreaterThan(15000);

    expectProblem(
      await call('risk_analyst', 'POST', `/collections/cases/${caseId}/legal/actions/${actionId}/steps`, {
        to: 'approved',
      }),
      {
        status: 403,
        code: 'legal_approval_by_proposer',
        says: /someone other than the person who proposed it/,
      },
    );
    expectProblem(
      await call('collector', 'POST', `/collections/cases/${caseId}/legal/actions/${actionId}/steps`, {
        to: 'approved',
      }),
      { status: 403, code: 'forbidden', says: /./ },
    );
    expectProblem(
      await call('admin', 'POST', `/collections/cases/${caseId}/legal/actions/${actionId}/steps`, {
        to: 'filed',
      }),
      {
        status: 409,
        code: 'legal_step_not_allowed',
        says: /can go to approved, rejected, withdrawn; not filed/,
      },
    );
    expectProblem(
      await call('collector', 'POST', `/collections/cases/${caseId}/legal/actions`, {
        path: 'arbitration',
        reason: 'x',
      }),
      {
        status: 409,
        code: 'legal_action_in_progress',
        says: /in progress/,
      },
    );
    const approved = await call(
      'admin',
      'POST',
      `/collections/cases/${caseId}/legal/actions/${actionId}/steps`,
      {
        to: 'approved',
        note: '证据充分',
      },
    );
    expect(approved.statusCode, approved.body).toBe(200);
    expect(json(approved)).toMatchObject({
      status: 'approved',
      approvedBy: api.userIds.admin,
      approvedDate: '2026-07-01',
    });
  });

  it('is filed with its fee; bad input gets a clear error and writes nothing', async () => {
    await onDay('2026-07-06');
    const filed = await call(
      'risk_analyst',
      'POST',
      `/collections/cases/${caseId}/legal/actions/${actionId}/steps`,
      {
        to: 'filed',
        reference: '(2026)浙0192民初1234号',
      },
    );
    expect(filed.statusCode, filed.body).toBe(200);
    const fee = await call(
      'risk_analyst',
      'POST',
      `/collections/cases/${caseId}/legal/actions/${actionId}/costs`,
      {
        kind: 'court-fee',
        amount: '1025.50',
        date: '2026-07-06',
      },
    );
    expect(fee.statusCode, fee.body).toBe(201);

    const before = {
      costs: await rows('collection_legal_costs'),
      steps: await rows('collection_legal_steps'),
      demands: await rows('collection_demands'),
      actions: await rows('collection_legal_actions'),
    };
    const costs = `/collections/cases/${caseId}/legal/actions/${actionId}/costs`;
    expectProblem(
      await call('risk_analyst', 'POST', costs, { kind: 'court-fee', amount: '-5.00', date: '2026-07-06' }),
      {
        status: 400,
        code: 'amount_invalid',
        says: /negative/,
        path: '/body/amount',
      },
    );
    expectProblem(
      await call('risk_analyst', 'POST', costs, { kind: 'court-fee', amount: '0.00', date: '2026-07-06' }),
      {
        status: 422,
        code: 'legal_cost_invalid',
        says: /more than 0\.00/,
        path: '/body/amount',
      },
    );
    expectProblem(
      await call('risk_analyst', 'POST', costs, { kind: 'lawyer-fee', amount: '800.00', date: '2026-06-30' }),
      {
        status: 422,
        code: 'legal_cost_invalid',
        says: /before 2026-07-01/,
        path: '/body/date',
      },
    );
    expectProblem(
      await call('risk_analyst', 'POST', costs, { kind: 'lawyer-fee', amount: '800.00', date: '2026-07-07' }),
      {
        status: 422,
        code: 'legal_cost_invalid',
        says: /after the business day/,
        path: '/body/date',
      },
    );
    expectProblem(
      await call('risk_analyst', 'POST', costs, { kind: 'lawyer-fee', amount: '800.00', date: '2026-13-01' }),
      {
        status: 400,
        code: 'validation_failed',
        says: /./,
        path: '/body/date',
      },
    );
    expectProblem(
      await call('risk_analyst', 'POST', `/collections/cases/${caseId}/legal/actions/${actionId}/steps`, {
        to: 'decided',
        date: '07/08/2026',
      }),
      { status: 400, code: 'validation_failed', says: /./, path: '/body/date' },
    );
    expectProblem(
      await call('risk_analyst', 'POST', `/collections/cases/${caseId}/legal/actions/${actionId}/steps`, {
        to: 'decided',
        date: '2026-07-05',
      }),
      { status: 422, code: 'legal_date_invalid', says: /before 2026-07-06/, path: '/body/date' },
    );
    const unknownCase = 'cc_0000000000000000000000000000';
    expectProblem(
      await call('risk_analyst', 'POST', `/collections/cases/${unknownCase}/legal/actions`, {
        path: 'lawsuit',
        reason: 'x',
      }),
      {
        status: 404,
        code: 'case_not_found',
        says: /no such collection case/,
      },
    );
    expectProblem(await call('risk_analyst', 'GET', `/collections/cases/${unknownCase}/legal`), {
      status: 404,
      code: 'case_not_found',
      says: /no such collection case/,
    });
    expectProblem(
      await call(
        'risk_analyst',
        'POST',
        `/collections/cases/${caseId}/legal/actions/lga_0000000000000000000000000000/costs`,
        {
          kind: 'court-fee',
          amount: '1.00',
          date: '2026-07-06',
        },
      ),
      { status: 404, code: 'legal_action_not_found', says: /has no legal action/ },
    );
    expectProblem(
      await call('collector', 'POST', `/collections/cases/${caseId}/legal/demands`, {
        date: '2026-07-07',
        channel: 'sms',
        reachedDebtor: true,
        evidence: 'x',
      }),
      { status: 422, code: 'demand_invalid', says: /between the case's opening/, path: '/body/date' },
    );
    expect({
      costs: await rows('collection_legal_costs'),
      steps: await rows('collection_legal_steps'),
      demands: await rows('collection_demands'),
      actions: await rows('collection_legal_actions'),
    }).toEqual(before);

    const overview = json(await call('auditor', 'GET', `/collections/cases/${caseId}/legal`));
    const [a] = overview.actions as Record<string, unknown>[];
    expect(a).toMatchObject({
      status: 'filed',
      reference: '(2026)浙0192民初1234号',
      venue: '杭州互联网法院',
      costTotal: '1025.50',
    });
    expect((a!.steps as { to: string }[]).map((s) => s.to)).toEqual(['proposed', 'approved', 'filed']);
    // The last instalment falls due on 2027-01-10: the period runs 3 years from there (Art. 189); the
    // demand and the filing came before it started and do not move it.
    expect(overview.limitation).toMatchObject({
      lastDueDate: '2027-01-10',
      endDate: '2030-01-10',
      expired: false,
    });
    expect(overview.demands).toMatchObject([
      { date: '2026-07-01', channel: 'lawyer-letter', reachedDebtor: true },
    ]);
  });

  it('the evidence package: PDFs whose hashes the manifest holds, Chinese and figures to the fen, the same bytes twice', async () => {
    const url = `/collections/cases/${caseId}/legal/evidence-package`;
    expectProblem(await call('collector', 'GET', url), { status: 403, code: 'forbidden', says: /./ });
    // The case's notes (encrypted at rest) and a document go into the package.
    const noteText = '张三来电称已搬家，新地址杭州市西湖区文三路 1 号；承认欠款\nsecond line 第二行';
    const note = await call('admin', 'POST', `/collections/cases/${caseId}/notes`, {
      text: noteText,
      category: 'call-summary',
    });
    expect(note.statusCode, note.body).toBe(201);
    const noteId = json(note).noteId as string;
    const letter = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n', 'latin1');
    const upload = await call('admin', 'POST', `/collections/cases/${caseId}/documents`, {
      kind: 'correspondence',
      fileName: '律师函签收回执.pdf',
      contentBase64: letter.toString('base64'),
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const documentId = json(upload).documentId as string;
    const documentEntry = `09-case-documents/001-${documentId}.pdf`;

    const first = await call('risk_analyst', 'GET', url);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['content-type']).toBe('application/zip');
    const bytes = first.rawPayload;
    expect(first.headers['x-package-sha256']).toBe(sha256(bytes));

    const { names, files } = await readZip(bytes);
    expect(names).toEqual([
      '01-contract-and-decision.pdf',
      '02-schedule.pdf',
      '03-statement-of-account.pdf',
      '04-postings.pdf',
      '05-repayments.pdf',
      '06-reminders-and-contacts.pdf',
      '07-notices-and-delivery.pdf',
      '08-case-notes-and-documents.pdf',
      documentEntry,
      'manifest.json',
      'SHA256SUMS',
    ]);
    const manifestBytes = files.get('manifest.json')!;
    expect(first.headers['x-manifest-sha256']).toBe(sha256(manifestBytes));
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as {
      caseId: string;
      asOf: string;
      actionId: string;
      files: { name: string; bytes: number; sha256: string }[];
    };
    expect(manifest).toMatchObject({ caseId, asOf: '2026-07-06', actionId });
    expect(manifest.files.map((f) => f.name)).toEqual(names.slice(0, 9));
    for (const f of manifest.files) {
      expect(files.get(f.name)!.length).toBe(f.bytes);
      expect(sha256(files.get(f.name)!)).toBe(f.sha256);
    }
    expect(files.get('SHA256SUMS')!.toString('utf8')).toBe(
      manifest.files.map((f) => `${f.sha256}  ${f.name}\n`).join(''),
    );

    const contract = (await pdfText(files.get('01-contract-and-decision.pdf')!)).join(' ');
    expect(contract).toContain('张三');
    expect(contract).toContain('借款合同与授信决策记录');
    expect(contract).toContain(idNumberFor(41));
    expect(contract).toContain('20000.00');

    const loan = json(await call('auditor', 'GET', `/loans/${loanId}`));
    const statement = await pdfText(files.get('03-statement-of-account.pdf')!);
    const text = statement.join(' ');
    expect(text).toContain('对账单');
    expect(text).toContain('当日罚息');
    // The statement's last day (2026-07-05, the last closed day) owes what the loan shows.
    const esc = (v: unknown) => String(v).replace('.', '\\.');
    // day, principal, overdue, the day's interest, the day's penalty, paid, owed, days past due
    expect(text).toMatch(
      new RegExp(
        `2026-07-05\\s+${esc(loan.outstandingPrincipal)}\\s+\\S+\\s+\\d+\\.\\d\\d\\s+\\d+\\.\\d\\d\\s+0\\.00\\s+${esc(loan.totalOwed)}\\s+\\d+`,
      ),
    );
    const repayments = (await pdfText(files.get('05-repayments.pdf')!)).join(' ');
    expect(repayments).toContain('200.00');
    expect(repayments).toContain('150.00');
    const notices = (await pdfText(files.get('07-notices-and-delivery.pdf')!)).join(' ');
    expect(notices).toContain('(2026)浙0192民初1234号');
    expect(notices).toContain('1025.50');
    const contacts = (await pdfText(files.get('06-reminders-and-contacts.pdf')!)).join(' ');
    expect(contacts).toContain('EMS 1190000000001 签收');

    // The document as uploaded, under the hash recorded at upload; the notes decrypted with author and time.
    expect(files.get(documentEntry)!.equals(letter)).toBe(true);
    expect(manifest.files.find((f) => f.name === documentEntry)!.sha256).toBe(json(upload).sha256);
    const notesPdf = (await pdfText(files.get('08-case-notes-and-documents.pdf')!)).join(' ');
    expect(notesPdf).toContain('新地址杭州市西湖区文三路');
    expect(notesPdf).toContain('第二行');
    expect(notesPdf).toContain(api.userIds.admin);
    expect(notesPdf).toContain(noteId);
    expect(notesPdf).toContain('律师函签收回执.pdf');
    expect(notesPdf).toContain(documentEntry);

    const second = await call('admin', 'GET', url);
    expect(second.rawPayload.equals(bytes)).toBe(true);
    const audit = await db.query<{ details: { noteIds: string[]; documentIds: string[] } }>(
      "select details from audit_log where action = 'collection.evidence_package' and resource_id = $1",
      [caseId],
    );
    expect(audit.rows).toHaveLength(2);
    for (const r of audit.rows) {
      expect(r.details).toMatchObject({ noteIds: [noteId], documentIds: [documentId] });
      expect(JSON.stringify(r.details)).not.toContain('文三路');
    }

    // Bytes that no longer match their recorded hash are not put before a court. The table refuses
    // updates, so the test lifts its trigger for the one statement that changes a byte, then puts it back.
    const overwrite = (content: Buffer) =>
      db.transaction(async (tx) => {
        const trigger = 'collection_case_documents_no_update_or_delete';
        await tx.query(`alter table collection_case_documents disable trigger ${trigger}`);
        await tx.query('update collection_case_documents set content = $2 where document_id = $1', [
          documentId,
          content,
        ]);
        await tx.query(`alter table collection_case_documents enable trigger ${trigger}`);
      });
    const tampered = Buffer.from(letter);
    tampered[12] = tampered[12]! ^ 1;
    await overwrite(tampered);
    expectProblem(await call('risk_analyst', 'GET', url), {
      status: 500,
      code: 'case_document_corrupt',
      says: new RegExp(documentId),
    });
    await overwrite(letter);
    expect((await call('risk_analyst', 'GET', url)).rawPayload.equals(bytes)).toBe(true);
  });

  it('the loan is written off through the write-off routes while the lawsuit goes on to enforcement', async () => {
    await onDay('2026-10-20');
    const proposed = await call('risk_analyst', 'POST', '/write-offs/proposals', {
      loans: [{ loanId, evidenceRef: `evidence package of case ${caseId}` }],
      note: '张三: business failed, lawsuit filed',
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const approved = await call(
      'finance',
      'POST',
      `/write-offs/proposals/${json(proposed).proposalId as string}/approve`,
      {},
    );
    expect(approved.statusCode, approved.body).toBe(200);
    expect(json(await call('auditor', 'GET', `/loans/${loanId}`)).status).toBe('written-off');

    const step = (to: string) =>
      call('risk_analyst', 'POST', `/collections/cases/${caseId}/legal/actions/${actionId}/steps`, { to });
    expect((await step('decided')).statusCode).toBe(200);
    const enforcing = await step('enforcing');
    expect(enforcing.statusCode, enforcing.body).toBe(200);
    expect(json(enforcing)).toMatchObject({ status: 'enforcing', nextStatuses: ['closed'] });
    const pkg = await call('risk_analyst', 'GET', `/collections/cases/${caseId}/legal/evidence-package`);
    expect(pkg.statusCode, pkg.body).toBe(200);
  });
});
