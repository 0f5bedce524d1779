import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import {
  blacklistMatches,
  type Db,
  ENCRYPTED_COLUMNS,
  findBlacklistEntry,
  findCustomer,
  generatePiiKey,
  insertBlacklistEntry,
  insertCaseNote,
  insertCustomer,
  listCaseNotes,
  originationKeyOf,
  PiiCipher,
  type Queryable,
  reencryptColumn,
  reencryptCustomers,
  reencryptPiiColumns,
  reminderEmailOf,
  saveReminderContact,
} from '../../src/store/index.js';
import { idNumberFor } from '../server/helpers.js';
import { backends, openMigrated } from './backends.js';

/**
 * A key rotation leaves nothing under the old key: `lendguard db reencrypt-pii` rewrites customers and every
 * other ciphertext column (case notes among them, whose table is otherwise append-only) and the blacklist's
 * blind indexes, a batch per transaction; after it the old key can be removed and everything still reads.
 */
describe.each(backends)('re-encryption of every PII column, on $name', (backend) => {
  let db: Db;
  const oldKey = generatePiiKey();
  const newKey = generatePiiKey();
  const before = new PiiCipher(oldKey);
  const rotated = new PiiCipher(newKey, [oldKey]);
  const after = new PiiCipher(newKey);
  const caseId = 'cc_reenc_1';
  let customerId = '';
  const noteTexts = ['借款人称下周一还款，电话 13812345678', '第二条', '第三条：已核实地址'];
  const idNumber = idNumberFor(77);

  beforeAll(async () => {
    db = await openMigrated(backend);
    const c = await insertCustomer(
      db,
      before,
      {
        name: '张三丰',
        idNumber,
        phone: '13812345678',
        address: { province: '北京市', city: '北京市', detail: '朝阳区建国路 88 号' },
        contacts: [{ name: '李四', relation: 'friend', phone: '13900001111' }],
        declaredMonthlyIncome_fen: 1_200_000,
        externalRef: null,
      },
      'usr_test',
    );
    customerId = c.customerId;
    await db.query(
      `insert into collection_cases (case_id, customer_id, status, opened_day, bucket, max_days_past_due,
         overdue_minor, total_owed_minor, past_due_loan_ids, borrower_zone, updated_day)
       values ($1, $2, 'open', '2026-11-01', 'M1', 5, 100, 1000, '[]', 'Asia/Shanghai', '2026-11-01')`,
      [caseId, customerId],
    );
    for (const [i, text] of noteTexts.entries())
      await insertCaseNote(db, before, {
        caseId,
        customerId,
        category: 'call-summary',
        text,
        correctsNoteId: null,
        day: parseDate('2026-11-02'),
        atMs: Date.parse('2026-11-02T02:00:00Z') + i,
        author: 'usr_test',
      });
    await saveReminderContact(db, before, {
      customerId,
      timeZone: 'Asia/Shanghai',
      lang: 'zh-CN',
      segment: '*',
      optOuts: [],
      email: 'zhang.san@example.cn',
    });
    await insertBlacklistEntry(
      db,
      before,
      {
        entryId: 'ble_reenc_1',
        subject: 'id-number',
        key: originationKeyOf(before)('id-number', idNumber),
        value: idNumber,
        reason: 'court list',
        source: 'court-dishonest-debtor',
        evidence: '(2026)京01执1号',
        expiresAt: '2030-01-01T00:00:00Z',
      },
      'usr_test',
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  it('covers every column that holds a ciphertext', async () => {
    const { rows } = await db.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns
        where table_schema = current_schema() and column_name like '%\\_enc' order by 1, 2`,
    );
    const covered = new Set([
      ...ENCRYPTED_COLUMNS.map((c) => `${c.table}.${c.column}`),
      ...['name_enc', 'id_number_enc', 'phone_enc', 'address_detail_enc', 'contacts_enc'].map(
        (c) => `customers.${c}`,
      ),
    ]);
    const found = rows.map((r) => `${r.table_name}.${r.column_name}`);
    expect(found.length).toBeGreaterThan(10);
    expect(found.filter((c) => !covered.has(c))).toEqual([]);
  });

  it('migration 42 gives the compliance report its indexes by time', async () => {
    const { rows } = await db.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes
        where schemaname = current_schema() and indexname in ('collection_contacts_at', 'complaints_customer_received')
        order by indexname`,
    );
    expect(rows.map((r) => r.indexname)).toEqual(['collection_contacts_at', 'complaints_customer_received']);
    expect(rows[0]!.indexdef).toMatch(/\(at, case_id\)/);
    expect(rows[1]!.indexdef).toMatch(/\(customer_id, received_at\)/);
  });

  it('notes stay append-only: an update may only move a ciphertext to another key', async () => {
    const { rows } = await db.query<{ note_id: string; text_enc: string }>(
      'select note_id, text_enc from collection_case_notes order by note_id limit 1',
    );
    const note = rows[0]!;
    await expect(
      db.query("update collection_case_notes set category = 'other' where note_id = $1", [note.note_id]),
    ).rejects.toThrow(/append-only/);
    // Another text under the same key is an edit, not a rotation.
    const edit = before.encrypt('altered', `collection_case_notes.text:${caseId}:${note.note_id}`);
    await expect(
      db.query('update collection_case_notes set text_enc = $2 where note_id = $1', [note.note_id, edit]),
    ).rejects.toThrow(/append-only/);
    await expect(
      db.query('delete from collection_case_notes where note_id = $1', [note.note_id]),
    ).rejects.toThrow(/append-only/);
  });

  it('rotates, re-encrypts in batches (stopping half way is safe), and the old key can go', async () => {
    // A run stopped after one batch of one note leaves the rest to the next run.
    const notes = ENCRYPTED_COLUMNS.find((c) => c.table === 'collection_case_notes')!;
    await reencryptColumnOnce(notes);
    const mixed = await db.query<{ text_enc: string }>('select text_enc from collection_case_notes');
    expect(new Set(mixed.rows.map((r) => PiiCipher.keyIdOf(r.text_enc)))).toEqual(
      new Set([before.activeKeyId, rotated.activeKeyId]),
    );
    // Mid-rotation everything reads with both keys configured.
    expect((await listCaseNotes(db, rotated, caseId, 10)).map((n) => n.text)).toEqual(noteTexts);

    expect(await reencryptCustomers(db, rotated, 2)).toBe(1);
    const report = await reencryptPiiColumns(db, rotated, 2);
    const rowsOf = (table: string) => report.find((r) => r.table === table)!.rows;
    expect(rowsOf('collection_case_notes')).toBe(2);
    expect(rowsOf('reminder_contacts')).toBe(1);
    expect(rowsOf('blacklist_entries')).toBe(1);
    // A second run finds nothing left.
    expect((await reencryptPiiColumns(db, rotated, 2)).every((r) => r.rows === 0)).toBe(true);

    // Nothing in the database is under the old key any more.
    for (const spec of ENCRYPTED_COLUMNS) {
      const { rows } = await db.query<{ enc: string | null }>(
        `select ${spec.column} as enc from ${spec.table}`,
      );
      for (const r of rows) if (r.enc !== null) expect(PiiCipher.keyIdOf(r.enc)).toBe(after.activeKeyId);
    }
    const keys = await db.query<{ key: string }>('select key from blacklist_entries');
    for (const r of keys.rows) expect(r.key.startsWith(`${after.activeKeyId}:`)).toBe(true);

    // With the old key removed, the notes, the e-mail address, the customer and the blacklist entry read
    // and match as before.
    expect((await listCaseNotes(db, after, caseId, 10)).map((n) => n.text)).toEqual(noteTexts);
    expect(await reminderEmailOf(db, after, customerId)).toBe('zhang.san@example.cn');
    expect((await findCustomer(db, after, customerId))?.idNumber).toBe(idNumber);
    expect((await findBlacklistEntry(db, after, 'ble_reenc_1'))?.value).toBe(idNumber);
    const hits = await blacklistMatches(
      db,
      [{ subject: 'id-number', key: originationKeyOf(after)('id-number', idNumber) }],
      '2027-01-01T00:00:00Z',
    );
    expect(hits.map((h) => h.entryId)).toEqual(['ble_reenc_1']);
    // And the old key alone reads nothing.
    await expect(listCaseNotes(db, before, caseId, 10)).rejects.toThrow(/not configured/);
  });

  /** One transaction of one row, then a crash: what a run stopped after its first batch leaves behind. */
  async function reencryptColumnOnce(spec: (typeof ENCRYPTED_COLUMNS)[number]): Promise<void> {
    let batches = 0;
    const crashing = {
      transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
        batches += 1;
        if (batches > 1) return Promise.reject(new Error('stopped'));
        return db.transaction(work);
      },
    };
    await expect(reencryptColumn(crashing, rotated, spec, 1)).rejects.toThrow('stopped');
  }
});
