/**
 * A case's notes (催记) and documents (decision 0755): what a collector writes down beyond the note of a
 * contact attempt, and the files a borrower or collector brings (income proof, hardship proof, letters).
 * Both are append-only. They are read and written by whoever may read and work the case, with one more
 * bound: a collector only on the cases assigned to them, since notes and documents hold the borrower's
 * circumstances. Files come as JSON with base64 content, as the portal's uploads do (decision 0646); their
 * type is read from their first bytes, never from their name.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { isoInZone } from '../../collections/index.js';
import { formatDate } from '../../money/index.js';
import {
  appendAudit,
  CASE_DOCUMENT_KINDS,
  CASE_NOTE_CATEGORIES,
  type CaseDocumentKind,
  type CaseNoteCategory,
  caseDocumentContent,
  caseNoteExists,
  findCase,
  getBusinessDay,
  ID_PATTERN,
  insertCaseDocument,
  insertCaseNote,
  listCaseDocuments,
  listCaseNotes,
  type Queryable,
  type StoredCase,
  type StoredCaseDocument,
  type StoredCaseNote,
} from '../../store/index.js';
import { businessNow } from '../http/business-clock.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError, validationProblem } from '../http/problem.js';
import { bearerSecurity, idempotencyHeader, idParam, problemResponses } from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { sniffType } from '../portal/actions/files.js';
import { caseClosed, caseNotFound, inAgencyScope, refuseCollectorOffCase } from './legal-messages.js';
import { CASE_NOTES_MESSAGES as M } from './notes-messages.js';

const tags = ['collections'];
const caseParams = idParam('caseId', 'Collection case id');
const documentParams = {
  type: 'object',
  required: ['caseId', 'documentId'],
  additionalProperties: false,
  properties: {
    ...caseParams.properties,
    documentId: idParam('documentId', 'Case document id').properties.documentId,
  },
} as const;

/** A note's text, in characters. */
export const CASE_NOTE_CHARS_MAX = 2000;
/** Notes and documents a case lists at most (oldest first). */
export const CASE_NOTES_LISTED_MAX = 1000;
/** A document's size, decoded. */
export const CASE_DOCUMENT_BYTES_MAX = 2 * 1024 * 1024;
/** Base64 of a document a few bytes over the bound still reaches the check that names the size. */
const CONTENT_BASE64_CHARS_MAX = Math.ceil((CASE_DOCUMENT_BYTES_MAX + 3) / 3) * 4;
/** The upload's body: the base64 and a little JSON around it. */
const DOCUMENT_BODY_BYTES_MAX = CONTENT_BASE64_CHARS_MAX + 4096;

const noteSchema = {
  type: 'object',
  required: ['noteId', 'caseId', 'category', 'text', 'correctsNoteId', 'date', 'at', 'author'],
  properties: {
    noteId: { type: 'string' },
    caseId: { type: 'string' },
    category: { type: 'string', enum: [...CASE_NOTE_CATEGORIES] },
    text: { type: 'string' },
    correctsNoteId: { type: ['string', 'null'], description: 'The earlier note this one corrects' },
    date: { type: 'string', format: 'date', description: 'Business day it was written on' },
    at: { type: 'string', format: 'date-time', description: "Instant, in the lender's zone" },
    author: { type: 'string', description: 'User id' },
  },
} as const;

const documentSchema = {
  type: 'object',
  required: [
    'documentId',
    'caseId',
    'kind',
    'fileName',
    'contentType',
    'sha256',
    'sizeBytes',
    'date',
    'at',
    'uploadedBy',
  ],
  properties: {
    documentId: { type: 'string' },
    caseId: { type: 'string' },
    kind: { type: 'string', enum: [...CASE_DOCUMENT_KINDS] },
    fileName: { type: 'string' },
    contentType: { type: 'string', enum: ['application/pdf', 'image/png', 'image/jpeg'] },
    sha256: { type: 'string', description: 'Hex SHA-256 of the bytes' },
    sizeBytes: { type: 'integer' },
    date: { type: 'string', format: 'date' },
    at: { type: 'string', format: 'date-time' },
    uploadedBy: { type: 'string', description: 'User id' },
  },
} as const;

const listOf = (items: object) =>
  ({
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items } },
  }) as const;

type Principal = { userId: string; role: string; agencyId?: string | null };

/**
 * The case as the caller may see it: unknown or another agency's case is not found (its existence is not
 * disclosed, as on the case itself); a collector is refused a case assigned to someone else.
 */
function inNotesScope(principal: Principal, kase: StoredCase | undefined, caseId: string): StoredCase {
  if (kase === undefined) throw caseNotFound(caseId);
  const seen = inAgencyScope(principal, kase);
  refuseCollectorOffCase(principal, seen, say(M, 'not_your_case', { caseId }));
  return seen;
}

function presentNote(n: StoredCaseNote, zone: string) {
  return {
    noteId: n.noteId,
    caseId: n.caseId,
    category: n.category,
    text: n.text,
    correctsNoteId: n.correctsNoteId,
    date: formatDate(n.day),
    at: isoInZone(n.atMs, zone),
    author: n.author,
  };
}

function presentDocument(d: StoredCaseDocument, zone: string) {
  return {
    documentId: d.documentId,
    caseId: d.caseId,
    kind: d.kind,
    fileName: d.fileName,
    contentType: d.contentType,
    sha256: d.sha256,
    sizeBytes: d.sizeBytes,
    date: formatDate(d.day),
    at: isoInZone(d.atMs, zone),
    uploadedBy: d.uploadedBy,
  };
}

function documentRefused(
  path: string,
  key: 'document_base64' | 'document_empty' | 'document_too_big' | 'document_type',
  params: Record<string, string | number> = {},
): ProblemError {
  const fill = (template: string) =>
    template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
  return new ProblemError(
    'case_document_invalid',
    say(M, 'document_invalid', {
      en_fault: `${path} ${fill(M[key].en)}`,
      zh_fault: `${path} ${fill(M[key].zh)}`,
    }),
    [fieldProblem(path, say(M, key, params))],
  );
}

/** The decoded, checked file, or a `case_document_invalid` problem naming the field. */
function readDocument(contentBase64: string): { content: Buffer; type: string; sha256: string } {
  const path = '/body/contentBase64';
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(contentBase64) || contentBase64.length % 4 !== 0)
    throw documentRefused(path, 'document_base64');
  const content = Buffer.from(contentBase64, 'base64');
  if (content.length === 0) throw documentRefused(path, 'document_empty');
  if (content.length > CASE_DOCUMENT_BYTES_MAX)
    throw documentRefused(path, 'document_too_big', { bytes: content.length, max: CASE_DOCUMENT_BYTES_MAX });
  const type = sniffType(content);
  if (type === undefined)
    throw documentRefused(path, 'document_type', { seen: content.subarray(0, 4).toString('hex') || '-' });
  return { content, type, sha256: createHash('sha256').update(content).digest('hex') };
}

function attachment(name: string): string {
  // The name is the uploader's: only its safe characters go into the header.
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'document';
  return `attachment; filename="${safe}"; filename*=UTF-8''${encodeURIComponent(name.slice(0, 120))}`;
}

export async function caseNotesRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const zone = deps.config.lenderTimeZone;

  app.get<{ Params: { caseId: string } }>(
    '/collections/cases/:caseId/notes',
    {
      config: { permission: 'collections.placed.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: `A case's notes (催记), oldest first (at most ${CASE_NOTES_LISTED_MAX}); a correction is a later note naming the one it corrects`,
        params: caseParams,
        response: { 200: listOf(noteSchema), ...problemResponses },
      },
    },
    async (request) => {
      const caseId = request.params.caseId;
      inNotesScope(request.principal!, await findCase(deps.db, caseId), caseId);
      const notes = await listCaseNotes(deps.db, deps.cipher, caseId, CASE_NOTES_LISTED_MAX);
      return { items: notes.map((n) => presentNote(n, zone)) };
    },
  );

  app.post<{
    Params: { caseId: string };
    Body: { text: string; category?: CaseNoteCategory; correctsNoteId?: string };
  }>(
    '/collections/cases/:caseId/notes',
    {
      config: { permission: 'collections.placed.work' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Add a note (催记) to an open case: append-only, its author and the business day and instant recorded; to correct a note, add one naming it',
        params: caseParams,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['text'],
          additionalProperties: false,
          properties: {
            text: { type: 'string', minLength: 1, maxLength: CASE_NOTE_CHARS_MAX },
            category: { type: 'string', enum: [...CASE_NOTE_CATEGORIES], default: 'other' },
            correctsNoteId: {
              type: 'string',
              pattern: ID_PATTERN,
              description: 'An earlier note of this case that this one corrects',
            },
          },
        },
        response: { 201: noteSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      if (b.text.trim() === '') {
        throw validationProblem([fieldProblem('/body/text', say(M, 'note_text_blank'))]);
      }
      const principal = request.principal!;
      const caseId = request.params.caseId;
      const atMs = Date.parse(await businessNow(deps));
      return commitWrite(deps, request, reply, async (tx) => {
        const kase = await openInScope(tx, principal, caseId);
        if (b.correctsNoteId !== undefined && !(await caseNoteExists(tx, caseId, b.correctsNoteId))) {
          throw validationProblem([fieldProblem('/body/correctsNoteId', say(M, 'corrected_note_unknown'))]);
        }
        const note = await insertCaseNote(tx, deps.cipher, {
          caseId,
          customerId: kase.customerId,
          category: b.category ?? 'other',
          text: b.text,
          correctsNoteId: b.correctsNoteId ?? null,
          day: await getBusinessDay(tx),
          atMs,
          author: principal.userId,
        });
        const body = presentNote(note, zone);
        return {
          status: 201,
          body,
          // The idempotency record keeps no personal data: a replay answers without the note's words (the
          // list has them).
          replayBody: { ...body, text: '' },
          location: `/collections/cases/${caseId}/notes`,
          audit: [
            {
              action: 'collection.case_note',
              resourceType: 'collection_case',
              resourceId: caseId,
              customerId: kase.customerId,
              // Ids and sizes only: the text may name people.
              details: {
                noteId: note.noteId,
                category: note.category,
                correctsNoteId: note.correctsNoteId,
                chars: [...b.text].length,
              },
            },
          ],
        };
      });
    },
  );

  app.get<{ Params: { caseId: string } }>(
    '/collections/cases/:caseId/documents',
    {
      config: { permission: 'collections.placed.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: `A case's documents, oldest first (at most ${CASE_NOTES_LISTED_MAX}), without their bytes`,
        params: caseParams,
        response: { 200: listOf(documentSchema), ...problemResponses },
      },
    },
    async (request) => {
      const caseId = request.params.caseId;
      inNotesScope(request.principal!, await findCase(deps.db, caseId), caseId);
      const documents = await listCaseDocuments(deps.db, caseId, CASE_NOTES_LISTED_MAX);
      return { items: documents.map((d) => presentDocument(d, zone)) };
    },
  );

  app.post<{
    Params: { caseId: string };
    Body: { kind: CaseDocumentKind; fileName: string; contentBase64: string };
  }>(
    '/collections/cases/:caseId/documents',
    {
      config: { permission: 'collections.placed.work' },
      bodyLimit: DOCUMENT_BODY_BYTES_MAX,
      schema: {
        tags,
        security: bearerSecurity,
        summary: `Upload a document to an open case (JSON, the file in base64): PDF, PNG or JPEG by its first bytes, at most ${CASE_DOCUMENT_BYTES_MAX} bytes; kept with its SHA-256`,
        params: caseParams,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['kind', 'fileName', 'contentBase64'],
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: [...CASE_DOCUMENT_KINDS] },
            fileName: {
              type: 'string',
              minLength: 1,
              maxLength: 120,
              pattern: '^[^/\\\\\\u0000-\\u001f]+$',
            },
            contentBase64: {
              type: 'string',
              maxLength: CONTENT_BASE64_CHARS_MAX,
              description: `The file, base64; PDF, PNG or JPEG, at most ${CASE_DOCUMENT_BYTES_MAX} bytes decoded`,
            },
          },
        },
        response: { 201: documentSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const file = readDocument(b.contentBase64);
      const principal = request.principal!;
      const caseId = request.params.caseId;
      const atMs = Date.parse(await businessNow(deps));
      return commitWrite(deps, request, reply, async (tx) => {
        const kase = await openInScope(tx, principal, caseId);
        const document = await insertCaseDocument(tx, {
          caseId,
          customerId: kase.customerId,
          kind: b.kind,
          fileName: b.fileName,
          contentType: file.type,
          content: file.content,
          sha256: file.sha256,
          day: await getBusinessDay(tx),
          atMs,
          uploadedBy: principal.userId,
        });
        return {
          status: 201,
          body: presentDocument(document, zone),
          location: `/collections/cases/${caseId}/documents/${document.documentId}`,
          audit: [
            {
              action: 'collection.case_document',
              resourceType: 'collection_case',
              resourceId: caseId,
              customerId: kase.customerId,
              details: {
                documentId: document.documentId,
                kind: document.kind,
                contentType: document.contentType,
                sha256: document.sha256,
                sizeBytes: document.sizeBytes,
              },
            },
          ],
        };
      });
    },
  );

  app.get<{ Params: { caseId: string; documentId: string } }>(
    '/collections/cases/:caseId/documents/:documentId',
    {
      config: { permission: 'collections.placed.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'One document of a case, as an attachment of its checked type (header digest: its SHA-256); every download is audited',
        params: documentParams,
        response: {
          200: {
            description: 'The bytes, as application/pdf, image/png or image/jpeg',
            content: {
              'application/pdf': { schema: { type: 'string', format: 'binary' } },
              'image/png': { schema: { type: 'string', format: 'binary' } },
              'image/jpeg': { schema: { type: 'string', format: 'binary' } },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { caseId, documentId } = request.params;
      const principal = request.principal!;
      const kase = inNotesScope(principal, await findCase(deps.db, caseId), caseId);
      const document = await caseDocumentContent(deps.db, caseId, documentId);
      if (document === undefined) {
        throw new ProblemError(
          'case_document_not_found',
          say(M, 'document_not_found', { caseId, documentId }),
        );
      }
      // Written before the bytes leave: no audit entry, no download.
      await appendAudit(deps.db, {
        actorUserId: principal.userId,
        actorRole: principal.role,
        requestId: request.id,
        action: 'collection.case_document_download',
        resourceType: 'collection_case',
        resourceId: caseId,
        customerId: kase.customerId,
        details: { documentId, sha256: document.sha256 },
      });
      return reply
        .header('content-type', document.contentType)
        .header('content-disposition', attachment(document.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('digest', `sha-256=${Buffer.from(document.sha256, 'hex').toString('base64')}`)
        .send(document.content);
    },
  );
}

/** The open case, locked, as the caller may work it. */
async function openInScope(tx: Queryable, principal: Principal, caseId: string): Promise<StoredCase> {
  const kase = inNotesScope(principal, await findCase(tx, caseId, true), caseId);
  if (kase.status !== 'open') {
    throw caseClosed(kase);
  }
  return kase;
}
