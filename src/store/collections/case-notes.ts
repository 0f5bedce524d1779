/**
 * store/collections: a case's notes (催记) and documents, both append-only (migration 0039, decision 0755).
 * A note's text is a PII ciphertext bound to its row; a document's bytes are kept with their SHA-256.
 */
import type { Day } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';
import { dayFromSql, sqlDate } from '../ledger/codec.js';
import type { PiiCipher } from '../pii-cipher.js';

/** Kinds of note a collector files: a call's summary, the borrower's hardship, a dispute, anything else. */
export const CASE_NOTE_CATEGORIES = ['call-summary', 'hardship', 'dispute', 'other'] as const;
export type CaseNoteCategory = (typeof CASE_NOTE_CATEGORIES)[number];

/** What a document on a case shows. */
export const CASE_DOCUMENT_KINDS = ['income-proof', 'hardship-proof', 'correspondence', 'other'] as const;
export type CaseDocumentKind = (typeof CASE_DOCUMENT_KINDS)[number];

export interface StoredCaseNote {
  readonly noteId: string;
  readonly caseId: string;
  readonly category: CaseNoteCategory;
  readonly text: string;
  /** The earlier note this one corrects, or null. */
  readonly correctsNoteId: string | null;
  readonly day: Day;
  readonly atMs: number;
  readonly author: string;
}

interface NoteRow {
  note_id: string;
  case_id: string;
  category: CaseNoteCategory;
  text_enc: string;
  corrects_note_id: string | null;
  day: string;
  at_ms: string | number;
  author: string;
}

const NOTE_COLUMNS = `note_id, case_id, category, text_enc, corrects_note_id, day::text as day,
  (extract(epoch from at) * 1000)::bigint as at_ms, author`;

/** Associated data of a note's ciphertext: it belongs to this note of this case only. */
export const noteAad = (caseId: string, noteId: string) => `collection_case_notes.text:${caseId}:${noteId}`;

function noteFromRow(cipher: PiiCipher, r: NoteRow): StoredCaseNote {
  return {
    noteId: r.note_id,
    caseId: r.case_id,
    category: r.category,
    text: cipher.decrypt(r.text_enc, noteAad(r.case_id, r.note_id)),
    correctsNoteId: r.corrects_note_id,
    day: dayFromSql(r.day),
    atMs: Number(r.at_ms),
    author: r.author,
  };
}

/** A case's notes, oldest first. */
export async function listCaseNotes(
  q: Queryable,
  cipher: PiiCipher,
  caseId: string,
  limit: number,
): Promise<StoredCaseNote[]> {
  const { rows } = await q.query<NoteRow>(
    `select ${NOTE_COLUMNS} from collection_case_notes where case_id = $1 order by at, note_id limit $2`,
    [caseId, limit],
  );
  return rows.map((r) => noteFromRow(cipher, r));
}

/** Whether `noteId` is a note of `caseId` (a correction may only name a note of its own case). */
export async function caseNoteExists(q: Queryable, caseId: string, noteId: string): Promise<boolean> {
  const { rows } = await q.query('select 1 from collection_case_notes where case_id = $1 and note_id = $2', [
    caseId,
    noteId,
  ]);
  return rows.length > 0;
}

export interface NewCaseNote {
  readonly caseId: string;
  readonly customerId: string;
  readonly category: CaseNoteCategory;
  readonly text: string;
  readonly correctsNoteId: string | null;
  readonly day: Day;
  readonly atMs: number;
  readonly author: string;
}

export async function insertCaseNote(
  q: Queryable,
  cipher: PiiCipher,
  n: NewCaseNote,
): Promise<StoredCaseNote> {
  const noteId = newId('cno');
  const { rows } = await q.query<NoteRow>(
    `insert into collection_case_notes (note_id, case_id, customer_id, category, text_enc, corrects_note_id, day, at, author)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning ${NOTE_COLUMNS}`,
    [
      noteId,
      n.caseId,
      n.customerId,
      n.category,
      cipher.encrypt(n.text, noteAad(n.caseId, noteId)),
      n.correctsNoteId,
      sqlDate(n.day),
      new Date(n.atMs).toISOString(),
      n.author,
    ],
  );
  return noteFromRow(cipher, rows[0] as NoteRow);
}

export interface StoredCaseDocument {
  readonly documentId: string;
  readonly caseId: string;
  readonly kind: CaseDocumentKind;
  readonly fileName: string;
  readonly contentType: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly day: Day;
  readonly atMs: number;
  readonly uploadedBy: string;
}

interface DocumentRow {
  document_id: string;
  case_id: string;
  kind: CaseDocumentKind;
  file_name: string;
  content_type: string;
  sha256: string;
  size_bytes: number;
  day: string;
  at_ms: string | number;
  uploaded_by: string;
}

const DOCUMENT_COLUMNS = `document_id, case_id, kind, file_name, content_type, sha256, size_bytes, day::text as day,
  (extract(epoch from at) * 1000)::bigint as at_ms, uploaded_by`;

function documentFromRow(r: DocumentRow): StoredCaseDocument {
  return {
    documentId: r.document_id,
    caseId: r.case_id,
    kind: r.kind,
    fileName: r.file_name,
    contentType: r.content_type,
    sha256: r.sha256,
    sizeBytes: Number(r.size_bytes),
    day: dayFromSql(r.day),
    atMs: Number(r.at_ms),
    uploadedBy: r.uploaded_by,
  };
}

/** A case's documents (without their bytes), oldest first. */
export async function listCaseDocuments(
  q: Queryable,
  caseId: string,
  limit: number,
): Promise<StoredCaseDocument[]> {
  const { rows } = await q.query<DocumentRow>(
    `select ${DOCUMENT_COLUMNS} from collection_case_documents where case_id = $1 order by at, document_id limit $2`,
    [caseId, limit],
  );
  return rows.map(documentFromRow);
}

/** One document of a case with its bytes, or undefined. */
export async function caseDocumentContent(
  q: Queryable,
  caseId: string,
  documentId: string,
): Promise<(StoredCaseDocument & { content: Buffer }) | undefined> {
  const { rows } = await q.query<DocumentRow & { content: Uint8Array }>(
    `select ${DOCUMENT_COLUMNS}, content from collection_case_documents where case_id = $1 and document_id = $2`,
    [caseId, documentId],
  );
  const r = rows[0];
  return r === undefined ? undefined : { ...documentFromRow(r), content: Buffer.from(r.content) };
}

export interface NewCaseDocument {
  readonly caseId: string;
  readonly customerId: string;
  readonly kind: CaseDocumentKind;
  readonly fileName: string;
  readonly contentType: string;
  readonly content: Buffer;
  readonly sha256: string;
  readonly day: Day;
  readonly atMs: number;
  readonly uploadedBy: string;
}

export async function insertCaseDocument(q: Queryable, n: NewCaseDocument): Promise<StoredCaseDocument> {
  const { rows } = await q.query<DocumentRow>(
    `insert into collection_case_documents
       (document_id, case_id, customer_id, kind, file_name, content_type, content, sha256, size_bytes, day, at, uploaded_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning ${DOCUMENT_COLUMNS}`,
    [
      newId('cdo'),
      n.caseId,
      n.customerId,
      n.kind,
      n.fileName,
      n.contentType,
      n.content,
      n.sha256,
      n.content.length,
      sqlDate(n.day),
      new Date(n.atMs).toISOString(),
      n.uploadedBy,
    ],
  );
  return documentFromRow(rows[0] as DocumentRow);
}
