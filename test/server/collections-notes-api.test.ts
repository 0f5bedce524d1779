import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import { closeLoansThrough, type Db, listAudit, type Role, setBusinessDay } from '../../src/store/index.js';
import { backends, dumpTables, openMigrated } from '../store/backends.js';
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

/**
 * A case's notes (催记) and documents (decision 0755): append-only, encrypted notes, files checked by their
 * first bytes, the case's access rules plus a collector's bound to their own cases, and audit entries.
 */
describe.each(backends)('case notes and documents over the API, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  const now = new Date('2026-11-05T04:00:00Z');
  const cases: { caseId: string; customerId: string; loanId: string }[] = [];
  let otherCollector = '';
  let eastAgency = '';
  let westAgency = '';

  const call = (token: string, method: string, url: string, payload?: unknown) =>
    api.app.inject({
      method: method as 'GET',
      url,
      headers: { ...auth(token), 'idempotency-key': freshKey() },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const as = (role: Role, method: string, url: string, payload?: unknown) =>
    call(api.tokens[role], method, url, payload);

  async function userToken(username: string, role: Role, agencyId?: string): Promise<string> {
    const u = await as('admin', 'POST', '/users', {
      username,
      displayName: username,
      role,
      ...(agencyId === undefined ? {} : { agencyId }),
    });
    expect(u.statusCode, u.body).toBe(201);
    const t = await as('admin', 'POST', `/users/${json(u).userId as string}/tokens`, { label: 't' });
    expect(t.statusCode, t.body).toBe(201);
    return json(t).token as string;
  }

  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n', 'latin1');
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from('not really an image, but its signature is that of a PNG'),
  ]);

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db, {}, () => now);
    await setBusinessDay(db, parseDate('2026-10-01'));
    await createCash12mOverApi(as);
    for (const n of [51, 52]) {
      const c = await as('admin', 'POST', '/customers', validCustomer({ idNumber: idNumberFor(n) }));
      const customerId = json(c).customerId as string;
      const l = await as('risk_analyst', 'POST', `/customers/${customerId}/credit-lines`, {
        limit: '20000.00',
      });
      const d = await as('admin', 'POST', `/credit-lines/${json(l).lineId as string}/drawdowns`, {
        amount: '10000.00',
        productId: 'cash-12m',
      });
      cases.push({ caseId: '', customerId, loanId: json(d).loanId as string });
    }
    await db.transaction((tx) =>
      closeLoansThrough(
        tx,
        cases.map((c) => c.loanId),
        parseDate('2026-11-03'),
      ),
    );
    await setBusinessDay(db, parseDate('2026-11-04'));
    const started = await as('admin', 'POST', '/eod-runs', { businessDate: '2026-11-04' });
    const runId = json(started).runId as string;
    for (let i = 0; i < 400; i++) {
      const run = json(await as('admin', 'GET', `/eod-runs/${runId}`));
      if (run.status === 'succeeded') break;
      expect(run.status).toBe('running');
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const c of cases) {
      const list = json(await as('auditor', 'GET', `/collections/cases?loanId=${c.loanId}`));
      c.caseId = (list.items as { caseId: string }[])[0]!.caseId;
    }
    for (const [id, name] of [
      ['ag-east', 'East Recovery'],
      ['ag-west', 'West Recovery'],
    ])
      expect((await as('admin', 'PUT', `/collections/agencies/${id}`, { name })).statusCode).toBe(200);
    const placed = await as('admin', 'POST', `/collections/cases/${cases[0]!.caseId}/placement`, {
      agencyId: 'ag-east',
    });
    expect(placed.statusCode, placed.body).toBeLessThan(300);
    // Case 0 is placed with the east agency (a placement leaves it with no collector); case 1 is the test
    // collector's.
    const assigned = await as('admin', 'PATCH', `/collections/cases/${cases[1]!.caseId}`, {
      assignee: api.userIds.collector,
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    otherCollector = await userToken('collector-2', 'collector');
    eastAgency = await userToken('east-1', 'agency', 'ag-east');
    westAgency = await userToken('west-1', 'agency', 'ag-west');
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('a note is kept encrypted, listed with its author and day, and corrected by a later note', async () => {
    const caseId = cases[1]!.caseId;
    const text = '借款人张三称本月失业，下周一回电；电话 13812345678';
    const first = await as('collector', 'POST', `/collections/cases/${caseId}/notes`, {
      text,
      category: 'call-summary',
    });
    expect(first.statusCode, first.body).toBe(201);
    const note = json(first);
    expect(note).toMatchObject({
      caseId,
      category: 'call-summary',
      text,
      correctsNoteId: null,
      date: '2026-11-05',
      author: api.userIds.collector,
    });
    // At rest the text is a ciphertext bound to its row.
    const stored = await db.query<{ text_enc: string }>(
      'select text_enc from collection_case_notes where note_id = $1',
      [note.noteId],
    );
    expect(stored.rows[0]!.text_enc).toMatch(/^v1\./);
    expect(JSON.stringify(await dumpTables(db))).not.toContain('13812345678');

    const correction = await as('admin', 'POST', `/collections/cases/${caseId}/notes`, {
      text: 'Correction: the call back is on Tuesday.',
      correctsNoteId: note.noteId,
    });
    expect(correction.statusCode, correction.body).toBe(201);
    expect(json(correction)).toMatchObject({ category: 'other', correctsNoteId: note.noteId });

    const placed = await call(eastAgency, 'POST', `/collections/cases/${cases[0]!.caseId}/notes`, {
      text: 'Agency visit planned.',
      category: 'other',
    });
    expect(placed.statusCode, placed.body).toBe(201);
    expect(json(await call(eastAgency, 'GET', `/collections/cases/${cases[0]!.caseId}/notes`)).items).toEqual(
      [json(placed)],
    );

    const list = await as('auditor', 'GET', `/collections/cases/${caseId}/notes`);
    expect(list.statusCode, list.body).toBe(200);
    expect((json(list).items as { noteId: string }[]).map((n) => n.noteId)).toEqual([
      note.noteId,
      json(correction).noteId,
    ]);

    const audit = (await listAudit(db, { limit: 100 })).items;
    const written = audit.filter((a) => a.action === 'collection.case_note');
    expect(written).toHaveLength(3);
    expect(new Set(written.map((a) => a.resourceId))).toEqual(new Set([caseId, cases[0]!.caseId]));
    expect(JSON.stringify(written)).not.toContain('13812345678');

    // Append-only in the database as well.
    await expect(
      db.query("update collection_case_notes set category = 'other' where note_id = $1", [note.noteId]),
    ).rejects.toThrow(/append-only/);
  });

  it('bad notes and notes out of scope write nothing', async () => {
    const mine = cases[1]!.caseId;
    const placedCase = cases[0]!.caseId;
    const before = await dumpTables(db);
    const blank = await as('collector', 'POST', `/collections/cases/${mine}/notes`, { text: '   ' });
    expect(blank.statusCode, blank.body).toBe(400);
    expect(json(blank).errors).toEqual([expect.objectContaining({ path: '/body/text' })]);
    const long = await as('collector', 'POST', `/collections/cases/${mine}/notes`, {
      text: 'x'.repeat(2001),
    });
    expect(long.statusCode).toBe(400);
    const category = await as('collector', 'POST', `/collections/cases/${mine}/notes`, {
      text: 'ok',
      category: 'gossip',
    });
    expect(category.statusCode).toBe(400);
    const corrects = await as('collector', 'POST', `/collections/cases/${mine}/notes`, {
      text: 'ok',
      correctsNoteId: 'cno_0000000000000000000000000000',
    });
    expect(corrects.statusCode, corrects.body).toBe(400);
    expect(json(corrects).errors).toEqual([expect.objectContaining({ path: '/body/correctsNoteId' })]);
    const unknown = await as('admin', 'POST', '/collections/cases/cs_0000000000000000000000000000/notes', {
      text: 'ok',
    });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).code).toBe('case_not_found');
    // Another collector: refused on a case assigned to someone else, and on a case with no collector.
    for (const caseId of [mine, placedCase]) {
      const other = await call(otherCollector, 'POST', `/collections/cases/${caseId}/notes`, { text: 'ok' });
      expect(other.statusCode, other.body).toBe(403);
      expect(json(other).code).toBe('forbidden');
      expect((await call(otherCollector, 'GET', `/collections/cases/${caseId}/notes`)).statusCode).toBe(403);
    }
    // Another agency: the case is not found to it; nor is a case not placed with the agency.
    const west = await call(westAgency, 'POST', `/collections/cases/${placedCase}/notes`, { text: 'ok' });
    expect(west.statusCode).toBe(404);
    expect(json(west).code).toBe('case_not_found');
    expect((await call(westAgency, 'GET', `/collections/cases/${placedCase}/notes`)).statusCode).toBe(404);
    expect((await call(eastAgency, 'GET', `/collections/cases/${mine}/notes`)).statusCode).toBe(404);
    // Read-only roles cannot write.
    expect((await as('auditor', 'POST', `/collections/cases/${mine}/notes`, { text: 'ok' })).statusCode).toBe(
      403,
    );
    const after = await dumpTables(db);
    expect(after.collection_case_notes).toEqual(before.collection_case_notes);
    expect(after.collection_case_documents).toEqual(before.collection_case_documents);
    expect(
      after.audit_log?.filter((a) => (a as { action: string }).action.startsWith('collection.')),
    ).toEqual(before.audit_log?.filter((a) => (a as { action: string }).action.startsWith('collection.')));
  });

  it('a document is checked by its first bytes, kept with its SHA-256 and downloaded as it was sent', async () => {
    const caseId = cases[1]!.caseId;
    const up = await as('collector', 'POST', `/collections/cases/${caseId}/documents`, {
      kind: 'income-proof',
      fileName: '工资流水.pdf',
      contentBase64: pdf.toString('base64'),
    });
    expect(up.statusCode, up.body).toBe(201);
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    expect(json(up)).toMatchObject({
      caseId,
      kind: 'income-proof',
      fileName: '工资流水.pdf',
      contentType: 'application/pdf',
      sha256,
      sizeBytes: pdf.length,
      date: '2026-11-05',
      uploadedBy: api.userIds.collector,
    });
    const img = await as('admin', 'POST', `/collections/cases/${caseId}/documents`, {
      kind: 'hardship-proof',
      fileName: 'letter.png',
      contentBase64: png.toString('base64'),
    });
    expect(img.statusCode, img.body).toBe(201);
    expect(json(img).contentType).toBe('image/png');
    const agencyUp = await call(eastAgency, 'POST', `/collections/cases/${cases[0]!.caseId}/documents`, {
      kind: 'correspondence',
      fileName: 'reply.pdf',
      contentBase64: pdf.toString('base64'),
    });
    expect(agencyUp.statusCode, agencyUp.body).toBe(201);

    const list = await as('risk_analyst', 'GET', `/collections/cases/${caseId}/documents`);
    expect(list.statusCode, list.body).toBe(200);
    expect((json(list).items as { documentId: string }[]).map((d) => d.documentId)).toEqual([
      json(up).documentId,
      json(img).documentId,
    ]);
    const down = await as(
      'collector',
      'GET',
      `/collections/cases/${caseId}/documents/${json(up).documentId}`,
    );
    expect(down.statusCode).toBe(200);
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(down.headers['content-disposition']).toMatch(/^attachment; /);
    expect(down.rawPayload.equals(pdf)).toBe(true);
    const audit = (await listAudit(db, { limit: 200 })).items;
    expect(audit.filter((a) => a.action === 'collection.case_document')).toHaveLength(3);
    const downloads = audit.filter((a) => a.action === 'collection.case_document_download');
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.details).toMatchObject({ documentId: json(up).documentId, sha256 });

    const missing = await as(
      'collector',
      'GET',
      `/collections/cases/${caseId}/documents/cdo_0000000000000000000000000000`,
    );
    expect(missing.statusCode).toBe(404);
    expect(json(missing).code).toBe('case_document_not_found');
    // Another case's document is not found under this case.
    expect(
      (await as('admin', 'GET', `/collections/cases/${cases[0]!.caseId}/documents/${json(up).documentId}`))
        .statusCode,
    ).toBe(404);
    expect(
      (await call(otherCollector, 'GET', `/collections/cases/${caseId}/documents/${json(up).documentId}`))
        .statusCode,
    ).toBe(403);
    expect(
      (await call(westAgency, 'GET', `/collections/cases/${caseId}/documents/${json(up).documentId}`))
        .statusCode,
    ).toBe(404);
  });

  it('an empty, too large, unknown-type or out-of-scope document writes nothing', async () => {
    const caseId = cases[1]!.caseId;
    const before = await dumpTables(db);
    const send = (token: string, contentBase64: string, id = caseId) =>
      call(token, 'POST', `/collections/cases/${id}/documents`, {
        kind: 'other',
        fileName: 'x.pdf',
        contentBase64,
      });
    const tok = api.tokens.collector;
    const empty = await send(tok, '');
    expect(empty.statusCode, empty.body).toBe(400);
    expect(json(empty).code).toBe('case_document_invalid');
    const tooBig = Buffer.alloc(2 * 1024 * 1024 + 1, 0x20);
    pdf.copy(tooBig);
    const big = await send(tok, tooBig.toString('base64'));
    expect(big.statusCode, big.body.slice(0, 300)).toBe(400);
    expect(json(big).code).toBe('case_document_invalid');
    expect(json(big).errors).toEqual([expect.objectContaining({ path: '/body/contentBase64' })]);
    const text = await send(tok, Buffer.from('MZ just an executable').toString('base64'));
    expect(text.statusCode).toBe(400);
    expect(json(text).code).toBe('case_document_invalid');
    const notBase64 = await send(tok, '%%%%');
    expect(json(notBase64).code).toBe('case_document_invalid');
    const zh = await api.app.inject({
      method: 'POST',
      url: `/collections/cases/${caseId}/documents`,
      headers: { ...auth(tok), 'idempotency-key': freshKey(), 'accept-language': 'zh-CN' },
      payload: { kind: 'other', fileName: 'x.pdf', contentBase64: Buffer.from('hello').toString('base64') },
    });
    expect(json(zh).title).toBe('上传的案件文件无法接收');
    expect(json(zh).detail).toContain('不是 PDF、PNG 或 JPEG');
    const badKind = await call(tok, 'POST', `/collections/cases/${caseId}/documents`, {
      kind: 'selfie',
      fileName: 'x.pdf',
      contentBase64: pdf.toString('base64'),
    });
    expect(badKind.statusCode).toBe(400);
    const unknown = await send(api.tokens.admin, pdf.toString('base64'), 'cs_0000000000000000000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).code).toBe('case_not_found');
    expect((await send(otherCollector, pdf.toString('base64'))).statusCode).toBe(403);
    expect((await send(westAgency, pdf.toString('base64'), cases[0]!.caseId)).statusCode).toBe(404);
    const after = await dumpTables(db);
    expect(after.collection_case_documents).toEqual(before.collection_case_documents);
    expect(after.collection_case_notes).toEqual(before.collection_case_notes);
    expect(
      after.audit_log?.filter((a) => (a as { action: string }).action.startsWith('collection.')),
    ).toEqual(before.audit_log?.filter((a) => (a as { action: string }).action.startsWith('collection.')));
  });
});
