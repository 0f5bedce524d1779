import type { Queryable } from '../db.js';

const TS = (c: string) => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${c}`;

/** The link between an automated decision and the person's decision that superseded it. */
export interface StoredDecisionReview {
  applicationId: string;
  /** The automated decision. */
  supersedes: string;
  /** The person's decision. */
  decisionId: string;
  outcome: 'approve' | 'decline';
  decidedBy: string;
  decidedAt: string;
}

interface ReviewRow {
  application_id: string;
  supersedes: string;
  decision_id: string;
  outcome: 'approve' | 'decline';
  decided_by: string;
  decided_at: string;
}

const COLUMNS = `application_id, supersedes, decision_id, outcome, decided_by, ${TS('decided_at')}`;

function fromRow(r: ReviewRow): StoredDecisionReview {
  return {
    applicationId: r.application_id,
    supersedes: r.supersedes,
    decisionId: r.decision_id,
    outcome: r.outcome,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
  };
}

/** Links a person's decision to the automated one; a second review of the same decision violates the primary key. */
export async function insertDecisionReview(q: Queryable, review: StoredDecisionReview): Promise<void> {
  await q.query(
    `insert into decision_reviews (application_id, supersedes, decision_id, outcome, decided_by, decided_at)
     values ($1, $2, $3, $4, $5, $6)`,
    [
      review.applicationId,
      review.supersedes,
      review.decisionId,
      review.outcome,
      review.decidedBy,
      review.decidedAt,
    ],
  );
}

/** The person's decision that superseded an automated decision, if any. */
export async function reviewOf(
  q: Queryable,
  automatedDecisionId: string,
): Promise<StoredDecisionReview | undefined> {
  const { rows } = await q.query<ReviewRow>(`select ${COLUMNS} from decision_reviews where supersedes = $1`, [
    automatedDecisionId,
  ]);
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

/** True when an objection to the decision was answered `overturned`. */
export async function objectionOverturned(q: Queryable, decisionId: string): Promise<boolean> {
  const { rows } = await q.query<{ n: number }>(
    `select count(*)::int as n from decision_requests
      where decision_id = $1 and kind = 'objection' and objection_result = 'overturned'`,
    [decisionId],
  );
  return (rows[0]?.n ?? 0) > 0;
}

/** What the review reads of an application besides its decision: the applicant's key and the amount asked for. */
export async function applicationTerms(
  q: Queryable,
  applicationId: string,
): Promise<{ applicantKey: string; requestedLimit_fen: number; lineId: string | null } | undefined> {
  const { rows } = await q.query<{
    applicant_key: string;
    requested_limit_fen: string;
    line_id: string | null;
  }>(
    'select applicant_key, requested_limit_fen::text as requested_limit_fen, line_id from applications where application_id = $1',
    [applicationId],
  );
  const r = rows[0];
  return r === undefined
    ? undefined
    : { applicantKey: r.applicant_key, requestedLimit_fen: Number(r.requested_limit_fen), lineId: r.line_id };
}
