import type { Reassessment } from '../../origination/index.js';
import type { Queryable } from '../db.js';
import type { PiiCipher } from '../pii-cipher.js';

const TS = (c: string) => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${c}`;

// ---------------------------------------------------------------------------------------------------------
// Explanation requests and objections (PIPL Art. 24)

export type DecisionRequestKind = 'explanation' | 'objection';

export interface StoredDecisionRequest {
  requestId: string;
  applicationId: string;
  decisionId: string;
  kind: DecisionRequestKind;
  channel: string;
  statement: string | null;
  receivedAt: string;
  recordedBy: string;
  status: 'open' | 'answered';
  answer: string | null;
  objectionResult: 'upheld' | 'overturned' | null;
  answeredBy: string | null;
  answeredAt: string | null;
}

interface RequestRow {
  request_id: string;
  application_id: string;
  decision_id: string;
  kind: DecisionRequestKind;
  channel: string;
  statement_enc: string | null;
  received_at: string;
  recorded_by: string;
  status: 'open' | 'answered';
  answer: string | null;
  objection_result: 'upheld' | 'overturned' | null;
  answered_by: string | null;
  answered_at: string | null;
}

const COLUMNS = `request_id, application_id, decision_id, kind, channel, statement_enc, ${TS('received_at')},
  recorded_by, status, answer, objection_result, answered_by, ${TS('answered_at')}`;
export const statementAad = (requestId: string) => `decision_requests.${requestId}.statement`;

function fromRow(cipher: PiiCipher, r: RequestRow): StoredDecisionRequest {
  return {
    requestId: r.request_id,
    applicationId: r.application_id,
    decisionId: r.decision_id,
    kind: r.kind,
    channel: r.channel,
    statement: r.statement_enc === null ? null : cipher.decrypt(r.statement_enc, statementAad(r.request_id)),
    receivedAt: r.received_at,
    recordedBy: r.recorded_by,
    status: r.status,
    answer: r.answer,
    objectionResult: r.objection_result,
    answeredBy: r.answered_by,
    answeredAt: r.answered_at,
  };
}

export async function insertDecisionRequest(
  q: Queryable,
  cipher: PiiCipher,
  input: {
    requestId: string;
    applicationId: string;
    decisionId: string;
    kind: DecisionRequestKind;
    channel: string;
    statement: string | null;
  },
  recordedBy: string,
): Promise<StoredDecisionRequest> {
  const { rows } = await q.query<RequestRow>(
    `insert into decision_requests (application_id, request_id, decision_id, kind, channel, statement_enc,
       recorded_by, status)
     values ($1, $2, $3, $4, $5, $6, $7, 'open') returning ${COLUMNS}`,
    [
      input.applicationId,
      input.requestId,
      input.decisionId,
      input.kind,
      input.channel,
      input.statement === null ? null : cipher.encrypt(input.statement, statementAad(input.requestId)),
      recordedBy,
    ],
  );
  return fromRow(cipher, rows[0]!);
}

export async function findDecisionRequest(
  q: Queryable,
  cipher: PiiCipher,
  requestId: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredDecisionRequest | undefined> {
  const { rows } = await q.query<RequestRow>(
    `select ${COLUMNS} from decision_requests where request_id = $1 ${options.forUpdate === true ? 'for update' : ''}`,
    [requestId],
  );
  return rows[0] === undefined ? undefined : fromRow(cipher, rows[0]);
}

export async function listDecisionRequests(
  q: Queryable,
  cipher: PiiCipher,
  filter: { status?: string; kind?: string; decisionId?: string },
  afterId: string | null,
  limit: number,
): Promise<StoredDecisionRequest[]> {
  const { rows } = await q.query<RequestRow>(
    `select ${COLUMNS} from decision_requests
      where ($1::text is null or status = $1) and ($2::text is null or kind = $2)
        and ($3::text is null or decision_id = $3) and ($4::text is null or request_id > $4)
      order by request_id limit $5`,
    [filter.status ?? null, filter.kind ?? null, filter.decisionId ?? null, afterId, limit],
  );
  return rows.map((r) => fromRow(cipher, r));
}

export async function answerDecisionRequest(
  q: Queryable,
  cipher: PiiCipher,
  requestId: string,
  answer: string,
  objectionResult: 'upheld' | 'overturned' | null,
  answeredBy: string,
): Promise<StoredDecisionRequest> {
  const { rows } = await q.query<RequestRow>(
    `update decision_requests set status = 'answered', answer = $2, objection_result = $3, answered_by = $4,
       answered_at = now()
      where request_id = $1 and status = 'open' returning ${COLUMNS}`,
    [requestId, answer, objectionResult, answeredBy],
  );
  if (rows[0] === undefined) throw new Error(`assertion: request ${requestId} was not open`);
  return fromRow(cipher, rows[0]);
}

// ---------------------------------------------------------------------------------------------------------
// Re-assessments (append-only)

export interface StoredReassessment {
  reassessmentId: string;
  customerId: string;
  applicationId: string;
  createdBy: string;
  reassessment: Reassessment;
}

export const changesAad = (reassessmentId: string) => `reassessments.${reassessmentId}.changes`;

export async function insertReassessment(
  q: Queryable,
  cipher: PiiCipher,
  input: { reassessmentId: string; applicationId: string; reassessment: Reassessment; changes: unknown },
  createdBy: string,
): Promise<void> {
  const r = input.reassessment;
  await q.query(
    `insert into reassessments (customer_id, reassessment_id, application_id, assessed_at, action,
       previous_limit_fen, limit_fen, record, content_hash, changes_enc, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11)`,
    [
      r.customerId,
      input.reassessmentId,
      input.applicationId,
      r.assessedAt,
      r.action,
      r.previousLimit_fen,
      r.limit_fen,
      JSON.stringify(r),
      r.contentHash,
      cipher.encrypt(JSON.stringify(input.changes), changesAad(input.reassessmentId)),
      createdBy,
    ],
  );
}

export async function listReassessments(
  q: Queryable,
  customerId: string,
  afterId: string | null,
  limit: number,
): Promise<StoredReassessment[]> {
  const { rows } = await q.query<{
    reassessment_id: string;
    customer_id: string;
    application_id: string;
    created_by: string;
    record: string;
  }>(
    `select reassessment_id, customer_id, application_id, created_by, record::text as record from reassessments
      where customer_id = $1 and ($2::text is null or reassessment_id > $2)
      order by reassessment_id limit $3`,
    [customerId, afterId, limit],
  );
  return rows.map((r) => ({
    reassessmentId: r.reassessment_id,
    customerId: r.customer_id,
    applicationId: r.application_id,
    createdBy: r.created_by,
    reassessment: JSON.parse(r.record) as Reassessment,
  }));
}
