import type { Day } from '../../money/index.js';
import type { PlannedReviewRequest, ReviewDocumentKind } from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';
import { dayFromSql, sqlDate } from '../ledger/codec.js';

/** A health-review request with the delivery status of its message. */
export interface StoredReviewRequest {
  requestId: string;
  customerId: string;
  document: ReviewDocumentKind;
  segment: string;
  requestDay: Day;
  dueDay: Day;
  channel: string;
  status: 'open' | 'received';
  documentId: string | null;
  /** The outbox message's status: pending, sent, dead, cancelled (null when none was queued). */
  delivery: string | null;
}

/**
 * Stores the planned requests and, for each one stored, its message in the reminder outbox (kind
 * `reminder`, key `review:<requestKey>`), in the caller's transaction. A request key stored already is
 * left as it is. Returns the requests written.
 */
export async function insertReviewRequests(
  q: Queryable,
  planned: readonly PlannedReviewRequest[],
  zones: ReadonlyMap<string, string>,
  /** When each customer's message may go out (epoch ms). */
  sendAtMs: (customerId: string) => number,
): Promise<number> {
  if (planned.length === 0) return 0;
  const { rows } = await q.query<{ request_key: string; request_id: string }>(
    `insert into review_requests (customer_id, request_id, request_key, document, segment, request_day, due_day, channel, status)
     select u.customer_id, u.request_id, u.request_key, u.document, u.segment, u.request_day, u.due_day, u.channel, 'open'
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::date[], $8::text[])
       as u(customer_id, request_id, request_key, document, segment, request_day, due_day, channel)
     on conflict do nothing
     returning request_key, request_id`,
    [
      planned.map((p) => p.customerId),
      planned.map(() => newId('rvq')),
      planned.map((p) => p.requestKey),
      planned.map((p) => p.document),
      planned.map((p) => p.segment),
      planned.map((p) => sqlDate(p.requestDay)),
      planned.map((p) => sqlDate(p.dueDay)),
      planned.map((p) => p.channel),
    ],
  );
  const written = new Map(rows.map((r) => [r.request_key, r.request_id]));
  const toSend = planned.filter((p) => written.has(p.requestKey));
  if (toSend.length > 0)
    await q.query(
      `insert into outbox_messages (idempotency_key, kind, channel, customer_id, reminder_key, payload, contact_zone,
         status, next_attempt_at)
       select 'reminder:review:' || u.key, 'reminder', u.channel, u.customer_id, 'review:' || u.key, u.payload::jsonb,
         u.zone, 'pending', to_timestamp(u.at_ms / 1000.0)
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
         as u(key, channel, customer_id, payload, zone, at_ms)
       on conflict (idempotency_key) do nothing`,
      [
        toSend.map((p) => p.requestKey),
        toSend.map((p) => p.channel),
        toSend.map((p) => p.customerId),
        toSend.map((p) =>
          JSON.stringify({
            reminderKey: `review:${p.requestKey}`,
            requestId: written.get(p.requestKey),
            customerId: p.customerId,
            stageId: `health-review:${p.document}`,
            channel: p.channel,
            legallyRequired: false,
            lang: p.lang,
            subject: p.subject,
            body: p.body,
            dueDate: sqlDate(p.dueDay),
          }),
        ),
        toSend.map((p) => zones.get(p.customerId) ?? null),
        toSend.map((p) => sendAtMs(p.customerId)),
      ],
    );
  return rows.length;
}

interface RequestRow {
  request_id: string;
  customer_id: string;
  document: ReviewDocumentKind;
  segment: string;
  request_day: string;
  due_day: string;
  channel: string;
  status: 'open' | 'received';
  document_id: string | null;
  delivery: string | null;
}
const REQUEST_COLUMNS = `r.request_id, r.customer_id, r.document, r.segment, r.request_day::text as request_day,
  r.due_day::text as due_day, r.channel, r.status, r.document_id,
  (select o.status from outbox_messages o where o.idempotency_key = 'reminder:review:' || r.request_key) as delivery`;
const requestFromRow = (r: RequestRow): StoredReviewRequest => ({
  requestId: r.request_id,
  customerId: r.customer_id,
  document: r.document,
  segment: r.segment,
  requestDay: dayFromSql(r.request_day),
  dueDay: dayFromSql(r.due_day),
  channel: r.channel,
  status: r.status,
  documentId: r.document_id,
  delivery: r.delivery,
});

export async function listReviewRequests(q: Queryable, customerId: string): Promise<StoredReviewRequest[]> {
  const { rows } = await q.query<RequestRow>(
    `select ${REQUEST_COLUMNS} from review_requests r where r.customer_id = $1 order by r.request_day, r.request_id`,
    [customerId],
  );
  return rows.map(requestFromRow);
}

/** What the planner needs per customer: the last document received of each kind and the kinds asked for. */
export async function reviewStateOf(
  q: Queryable,
  customerIds: readonly string[],
): Promise<
  Map<string, { lastReceived: Partial<Record<ReviewDocumentKind, Day>>; open: ReviewDocumentKind[] }>
> {
  const out = new Map<
    string,
    { lastReceived: Partial<Record<ReviewDocumentKind, Day>>; open: ReviewDocumentKind[] }
  >();
  const of = (id: string) => {
    let s = out.get(id);
    if (s === undefined) {
      s = { lastReceived: {}, open: [] };
      out.set(id, s);
    }
    return s;
  };
  const docs = await q.query<{ customer_id: string; kind: ReviewDocumentKind; day: string }>(
    `select customer_id, kind, max(received_day)::text as day from review_documents
     where customer_id = any($1::text[]) group by customer_id, kind`,
    [customerIds],
  );
  for (const r of docs.rows) of(r.customer_id).lastReceived[r.kind] = dayFromSql(r.day);
  const open = await q.query<{ customer_id: string; document: ReviewDocumentKind }>(
    `select distinct customer_id, document from review_requests where customer_id = any($1::text[]) and status = 'open'`,
    [customerIds],
  );
  for (const r of open.rows) of(r.customer_id).open.push(r.document);
  return out;
}

export interface ReviewDocumentInput {
  customerId: string;
  kind: ReviewDocumentKind;
  receivedDay: Day;
  figures: Record<string, unknown>;
  validUntilDay: Day;
  file: { name: string; bytes: Buffer; sha256: string } | null;
  createdBy: string;
}

export interface StoredReviewDocument {
  documentId: string;
  customerId: string;
  kind: ReviewDocumentKind;
  receivedDay: Day;
  figures: Record<string, unknown>;
  validUntilDay: Day;
  fileName: string | null;
  fileSha256: string | null;
  fileBytes: number | null;
  requestId: string | null;
  reassessmentId: string | null;
  createdBy: string;
}

/**
 * Records a document received and closes the open request for its kind (the oldest), in the caller's
 * transaction.
 */
export async function insertReviewDocument(
  q: Queryable,
  d: ReviewDocumentInput,
): Promise<StoredReviewDocument> {
  const documentId = newId('rvd');
  const req = await q.query<{ request_id: string }>(
    `update review_requests set status = 'received', document_id = $3
     where (customer_id, request_id) = (select customer_id, request_id from review_requests
       where customer_id = $1 and document = $2 and status = 'open' order by request_day, request_id limit 1 for update)
     returning request_id`,
    [d.customerId, d.kind, documentId],
  );
  const requestId = req.rows[0]?.request_id ?? null;
  await q.query(
    `insert into review_documents (customer_id, document_id, kind, received_day, figures, valid_until_day, file_name,
       file_sha256, file_bytes, request_id, created_by)
     values ($1, $2, $3, $4::date, $5::jsonb, $6::date, $7, $8, $9, $10, $11)`,
    [
      d.customerId,
      documentId,
      d.kind,
      sqlDate(d.receivedDay),
      JSON.stringify(d.figures),
      sqlDate(d.validUntilDay),
      d.file?.name ?? null,
      d.file?.sha256 ?? null,
      d.file?.bytes ?? null,
      requestId,
      d.createdBy,
    ],
  );
  return {
    documentId,
    customerId: d.customerId,
    kind: d.kind,
    receivedDay: d.receivedDay,
    figures: d.figures,
    validUntilDay: d.validUntilDay,
    fileName: d.file?.name ?? null,
    fileSha256: d.file?.sha256 ?? null,
    fileBytes: d.file?.bytes.length ?? null,
    requestId,
    reassessmentId: null,
    createdBy: d.createdBy,
  };
}

export async function setDocumentReassessment(
  q: Queryable,
  customerId: string,
  documentId: string,
  reassessmentId: string,
): Promise<void> {
  await q.query(
    'update review_documents set reassessment_id = $3 where customer_id = $1 and document_id = $2',
    [customerId, documentId, reassessmentId],
  );
}

export async function listReviewDocuments(q: Queryable, customerId: string): Promise<StoredReviewDocument[]> {
  const { rows } = await q.query<{
    document_id: string;
    customer_id: string;
    kind: ReviewDocumentKind;
    received_day: string;
    figures: string;
    valid_until_day: string;
    file_name: string | null;
    file_sha256: string | null;
    file_size: number | null;
    request_id: string | null;
    reassessment_id: string | null;
    created_by: string;
  }>(
    `select document_id, customer_id, kind, received_day::text as received_day, figures::text as figures,
       valid_until_day::text as valid_until_day, file_name, file_sha256, octet_length(file_bytes) as file_size,
       request_id, reassessment_id, created_by
     from review_documents where customer_id = $1 order by received_day, created_at, document_id`,
    [customerId],
  );
  return rows.map((r) => ({
    documentId: r.document_id,
    customerId: r.customer_id,
    kind: r.kind,
    receivedDay: dayFromSql(r.received_day),
    figures: JSON.parse(r.figures) as Record<string, unknown>,
    validUntilDay: dayFromSql(r.valid_until_day),
    fileName: r.file_name,
    fileSha256: r.file_sha256,
    fileBytes: r.file_size === null ? null : Number(r.file_size),
    requestId: r.request_id,
    reassessmentId: r.reassessment_id,
    createdBy: r.created_by,
  }));
}
