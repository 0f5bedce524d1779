/**
 * store/portal-actions: a borrower's hardship requests (with the offer a person made on one) and the files
 * they upload for a health review. Rows are keyed by customer first (co-located with the customer's loans).
 */
import type { HardshipCause, HardshipRequestKind } from '../../collections/index.js';
import type { Day } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';
import { dayFromSql, sqlDate } from '../ledger/codec.js';
import type { PiiCipher } from '../pii-cipher.js';

export type HardshipRequestStatus = 'received' | 'offered' | 'accepted' | 'declined';

export interface UploadedFile {
  name: string;
  type: string;
  content: Buffer;
  sha256: string;
}

export interface StoredHardshipRequest {
  customerId: string;
  requestId: string;
  loanId: string;
  kind: HardshipRequestKind;
  months: number;
  cause: HardshipCause;
  declaredMonthlyIncomeMinor: number;
  reason: string;
  file: { name: string; type: string; sha256: string; bytes: number } | null;
  status: HardshipRequestStatus;
  caseId: string | null;
  evidenceId: string | null;
  restructuringId: string | null;
  /** The offer's restructuring as it stands: pending (a second person decides), applied or rejected. */
  restructuringStatus: 'pending' | 'applied' | 'rejected' | null;
  offerTerms: Record<string, unknown> | null;
  offeredBy: string | null;
  offeredDay: Day | null;
  answeredDay: Day | null;
  receivedDay: Day;
}

interface Row {
  customer_id: string;
  request_id: string;
  loan_id: string;
  kind: HardshipRequestKind;
  months: number;
  cause: HardshipCause;
  declared_monthly_income_minor: string;
  reason_enc: string;
  file_name: string | null;
  file_type: string | null;
  file_sha256: string | null;
  file_bytes: number | null;
  status: HardshipRequestStatus;
  case_id: string | null;
  evidence_id: string | null;
  restructuring_id: string | null;
  offer_terms: string | Record<string, unknown> | null;
  offered_by: string | null;
  offered_day: string | null;
  answered_day: string | null;
  received_day: string;
  restructuring_status: 'pending' | 'applied' | 'rejected' | null;
}

const COLUMNS = `customer_id, request_id, loan_id, kind, months, cause, declared_monthly_income_minor, reason_enc,
  file_name, file_type, file_sha256, file_bytes, status, case_id, evidence_id, restructuring_id, offer_terms,
  offered_by, offered_day::text as offered_day, answered_day::text as answered_day,
  received_day::text as received_day,
  (select x.status from loan_restructurings x
    where x.restructuring_id = portal_hardship_requests.restructuring_id) as restructuring_status`;

/** Associated data of the reason's ciphertext: it belongs to this request only. */
export const reasonAad = (requestId: string) => `portal_hardship_requests.reason:${requestId}`;

function fromRow(cipher: PiiCipher, r: Row): StoredHardshipRequest {
  return {
    customerId: r.customer_id,
    requestId: r.request_id,
    loanId: r.loan_id,
    kind: r.kind,
    months: r.months,
    cause: r.cause,
    declaredMonthlyIncomeMinor: Number(r.declared_monthly_income_minor),
    reason: cipher.decrypt(r.reason_enc, reasonAad(r.request_id)),
    file:
      r.file_sha256 === null
        ? null
        : {
            name: r.file_name ?? '',
            type: r.file_type ?? '',
            sha256: r.file_sha256,
            bytes: r.file_bytes ?? 0,
          },
    status: r.status,
    caseId: r.case_id,
    evidenceId: r.evidence_id,
    restructuringId: r.restructuring_id,
    restructuringStatus: r.restructuring_status,
    offerTerms:
      r.offer_terms === null
        ? null
        : typeof r.offer_terms === 'string'
          ? (JSON.parse(r.offer_terms) as Record<string, unknown>)
          : r.offer_terms,
    offeredBy: r.offered_by,
    offeredDay: r.offered_day === null ? null : dayFromSql(r.offered_day),
    answeredDay: r.answered_day === null ? null : dayFromSql(r.answered_day),
    receivedDay: dayFromSql(r.received_day),
  };
}

export interface NewHardshipRequest {
  customerId: string;
  loanId: string;
  kind: HardshipRequestKind;
  months: number;
  cause: HardshipCause;
  declaredMonthlyIncomeMinor: number;
  reason: string;
  file: UploadedFile | null;
  caseId: string | null;
  evidenceId: string | null;
  receivedDay: Day;
}

/**
 * Records a request; a loan with a request still waiting (received or offered) refuses a second one through
 * a unique index: the caller checks first, the index keeps two racing writers honest.
 */
export async function insertHardshipRequest(
  q: Queryable,
  cipher: PiiCipher,
  n: NewHardshipRequest,
): Promise<StoredHardshipRequest> {
  const requestId = newId('hsr');
  const { rows } = await q.query<Row>(
    `insert into portal_hardship_requests (customer_id, request_id, loan_id, kind, months, cause,
       declared_monthly_income_minor, reason_enc, file_name, file_type, file_content, file_sha256, file_bytes, status,
       case_id, evidence_id, received_day)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'received', $14, $15, $16::date)
     returning ${COLUMNS}`,
    [
      n.customerId,
      requestId,
      n.loanId,
      n.kind,
      n.months,
      n.cause,
      n.declaredMonthlyIncomeMinor,
      cipher.encrypt(n.reason, reasonAad(requestId)),
      n.file?.name ?? null,
      n.file?.type ?? null,
      n.file?.content ?? null,
      n.file?.sha256 ?? null,
      n.file?.content.length ?? null,
      n.caseId,
      n.evidenceId,
      sqlDate(n.receivedDay),
    ],
  );
  return fromRow(cipher, rows[0] as Row);
}

export async function findHardshipRequest(
  q: Queryable,
  cipher: PiiCipher,
  requestId: string,
  options: { customerId?: string; forUpdate?: boolean } = {},
): Promise<StoredHardshipRequest | undefined> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from portal_hardship_requests where request_id = $1 and ($2::text is null or customer_id = $2)
     ${options.forUpdate === true ? 'for update' : ''}`,
    [requestId, options.customerId ?? null],
  );
  return rows[0] === undefined ? undefined : fromRow(cipher, rows[0]);
}

/** A loan's request still waiting for an offer or an answer, if any. */
export async function openHardshipRequestOfLoan(q: Queryable, loanId: string): Promise<string | undefined> {
  const { rows } = await q.query<{ request_id: string }>(
    `select request_id from portal_hardship_requests where loan_id = $1 and status in ('received', 'offered')`,
    [loanId],
  );
  return rows[0]?.request_id;
}

export async function listHardshipRequests(
  q: Queryable,
  cipher: PiiCipher,
  filter: { customerId?: string; status?: HardshipRequestStatus; limit: number },
): Promise<StoredHardshipRequest[]> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from portal_hardship_requests
      where ($1::text is null or customer_id = $1) and ($2::text is null or status = $2)
      order by created_at desc, request_id desc limit $3`,
    [filter.customerId ?? null, filter.status ?? null, filter.limit],
  );
  return rows.map((r) => fromRow(cipher, r));
}

export async function hardshipFile(
  q: Queryable,
  customerId: string,
  requestId: string,
): Promise<{ name: string; type: string; content: Buffer; sha256: string } | undefined> {
  const { rows } = await q.query<{
    file_name: string;
    file_type: string;
    file_content: Buffer;
    file_sha256: string;
  }>(
    `select file_name, file_type, file_content, file_sha256 from portal_hardship_requests
      where customer_id = $1 and request_id = $2 and file_content is not null`,
    [customerId, requestId],
  );
  const r = rows[0];
  return r === undefined
    ? undefined
    : { name: r.file_name, type: r.file_type, content: Buffer.from(r.file_content), sha256: r.file_sha256 };
}

/** Records the offer a person made (a pending restructuring) with its terms as planned. */
export async function offerOnHardshipRequest(
  q: Queryable,
  cipher: PiiCipher,
  r: StoredHardshipRequest,
  offer: { restructuringId: string; terms: Record<string, unknown>; by: string; day: Day },
): Promise<StoredHardshipRequest> {
  const { rows } = await q.query<Row>(
    `update portal_hardship_requests set status = 'offered', restructuring_id = $3, offer_terms = $4::jsonb,
       offered_by = $5, offered_day = $6::date
     where customer_id = $1 and request_id = $2 and status = 'received' returning ${COLUMNS}`,
    [
      r.customerId,
      r.requestId,
      offer.restructuringId,
      JSON.stringify(offer.terms),
      offer.by,
      sqlDate(offer.day),
    ],
  );
  if (rows[0] === undefined) throw new Error('assertion: the request was locked as received');
  return fromRow(cipher, rows[0]);
}

/** Records the borrower's answer on an offered request (the caller holds it locked). */
export async function answerHardshipOffer(
  q: Queryable,
  cipher: PiiCipher,
  r: StoredHardshipRequest,
  answer: 'accepted' | 'declined',
  day: Day,
): Promise<StoredHardshipRequest> {
  const { rows } = await q.query<Row>(
    `update portal_hardship_requests set status = $3, answered_day = $4::date
     where customer_id = $1 and request_id = $2 and status = 'offered' returning ${COLUMNS}`,
    [r.customerId, r.requestId, answer, sqlDate(day)],
  );
  if (rows[0] === undefined) throw new Error('assertion: the request was locked as offered');
  return fromRow(cipher, rows[0]);
}

// ---------------------------------------------------------------------------------------------------------
// Uploads for a health review

export interface StoredUpload {
  customerId: string;
  uploadId: string;
  reviewRequestId: string;
  document: string;
  fileName: string;
  fileType: string;
  fileSha256: string;
  fileBytes: number;
  note: string | null;
  receivedDay: Day;
}

interface UploadRow {
  customer_id: string;
  upload_id: string;
  review_request_id: string;
  document: string;
  file_name: string;
  file_type: string;
  file_sha256: string;
  file_bytes: number;
  note: string | null;
  received_day: string;
}

const UPLOAD_COLUMNS = `customer_id, upload_id, review_request_id, document, file_name, file_type, file_sha256,
  file_bytes, note, received_day::text as received_day`;

function uploadFromRow(r: UploadRow): StoredUpload {
  return {
    customerId: r.customer_id,
    uploadId: r.upload_id,
    reviewRequestId: r.review_request_id,
    document: r.document,
    fileName: r.file_name,
    fileType: r.file_type,
    fileSha256: r.file_sha256,
    fileBytes: r.file_bytes,
    note: r.note,
    receivedDay: dayFromSql(r.received_day),
  };
}

/** The customer's health-review request, if it is theirs: its document kind and status. */
export async function reviewRequestOf(
  q: Queryable,
  customerId: string,
  requestId: string,
): Promise<{ document: string; status: string } | undefined> {
  const { rows } = await q.query<{ document: string; status: string }>(
    'select document, status from review_requests where customer_id = $1 and request_id = $2',
    [customerId, requestId],
  );
  return rows[0];
}

export async function insertUpload(
  q: Queryable,
  u: {
    customerId: string;
    reviewRequestId: string;
    document: string;
    file: UploadedFile;
    note: string | null;
    day: Day;
  },
): Promise<StoredUpload> {
  const { rows } = await q.query<UploadRow>(
    `insert into portal_uploads (customer_id, upload_id, review_request_id, document, file_name, file_type, file_content,
       file_sha256, file_bytes, note, received_day)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::date) returning ${UPLOAD_COLUMNS}`,
    [
      u.customerId,
      newId('upl'),
      u.reviewRequestId,
      u.document,
      u.file.name,
      u.file.type,
      u.file.content,
      u.file.sha256,
      u.file.content.length,
      u.note,
      sqlDate(u.day),
    ],
  );
  return uploadFromRow(rows[0] as UploadRow);
}

export async function listUploads(q: Queryable, customerId: string): Promise<StoredUpload[]> {
  const { rows } = await q.query<UploadRow>(
    `select ${UPLOAD_COLUMNS} from portal_uploads where customer_id = $1 order by created_at, upload_id`,
    [customerId],
  );
  return rows.map(uploadFromRow);
}

export async function uploadFile(
  q: Queryable,
  customerId: string,
  uploadId: string,
): Promise<{ name: string; type: string; content: Buffer; sha256: string } | undefined> {
  const { rows } = await q.query<{
    file_name: string;
    file_type: string;
    file_content: Buffer;
    file_sha256: string;
  }>(
    'select file_name, file_type, file_content, file_sha256 from portal_uploads where customer_id = $1 and upload_id = $2',
    [customerId, uploadId],
  );
  const r = rows[0];
  return r === undefined
    ? undefined
    : { name: r.file_name, type: r.file_type, content: Buffer.from(r.file_content), sha256: r.file_sha256 };
}
