import type { Day } from '../../money/index.js';
import type { LimitProposal } from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
import { dayFromSql, sqlDate } from '../ledger/codec.js';

/** Proposals listed per page at most; proposals decided per request at most. */
export const LIMIT_PROPOSALS_PAGE_MAX = 500;
export const LIMIT_PROPOSALS_DECIDED_MAX = 1_000;

export interface ScoredLine {
  readonly customerId: string;
  readonly lineId: string;
  readonly score: number;
  readonly probabilityBad: number;
  readonly limitMinor: number;
  readonly usedMinor: number;
  readonly status: 'active' | 'frozen' | 'closed';
}

/** A page of a month's scored lines with their lines as they stand, after `afterKey` (customer, line). */
export async function scoredLinesPage(
  q: Queryable,
  month: Day,
  after: { customerId: string; lineId: string },
  limit: number,
): Promise<ScoredLine[]> {
  const { rows } = await q.query<{
    customer_id: string;
    line_id: string;
    score: number;
    probability_bad: number;
    limit_minor: number;
    used_minor: number;
    status: ScoredLine['status'];
  }>(
    `select s.customer_id, s.line_id, s.score, s.probability_bad, l.limit_minor, l.used_minor, l.status
     from behaviour_scores s join credit_lines l on l.customer_id = s.customer_id and l.line_id = s.line_id
     where s.month = $1::date and (s.customer_id, s.line_id) > ($2, $3)
     order by s.customer_id, s.line_id limit $4`,
    [sqlDate(month), after.customerId, after.lineId, limit],
  );
  return rows.map((r) => ({
    customerId: r.customer_id,
    lineId: r.line_id,
    score: Number(r.score),
    probabilityBad: Number(r.probability_bad),
    limitMinor: Number(r.limit_minor),
    usedMinor: Number(r.used_minor),
    status: r.status,
  }));
}

export type ProposalStatus = 'proposed' | 'applied' | 'rejected' | 'superseded';

export interface StoredLimitProposal extends LimitProposal {
  readonly proposalId: string;
  readonly customerId: string;
  readonly lineId: string;
  readonly month: Day;
  readonly score: number;
  readonly policyVersion: string;
  readonly status: ProposalStatus;
  readonly proposedBy: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly createdAt: string;
}

/** Id of a month's proposal for a line: one per line and month. */
export function proposalIdOf(month: Day, lineId: string): string {
  return `lr-${sqlDate(month).slice(0, 7)}-${lineId}`;
}

/** Removes a month's proposals nobody decided yet, so that a rerun of the review replaces them. */
export async function deletePendingProposals(q: Queryable, month: Day): Promise<void> {
  await q.query(`delete from limit_review_proposals where month = $1::date and status = 'proposed'`, [
    sqlDate(month),
  ]);
}

export async function insertProposals(
  q: Queryable,
  month: Day,
  rows: readonly (LimitProposal & {
    customerId: string;
    lineId: string;
    score: number;
    policyVersion: string;
  })[],
  proposedBy: string,
): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `insert into limit_review_proposals (customer_id, proposal_id, line_id, month, action, from_limit_minor,
       to_limit_minor, score, code, reason, policy_version, status, proposed_by)
     select c, p, l, $1::date, a, f, t, s, cd, r, v, 'proposed', $12
     from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::int[], $9::text[],
       $10::text[], $11::text[]) as u(c, p, l, a, f, t, s, cd, r, v)
     on conflict (customer_id, line_id, month) do nothing`,
    [
      sqlDate(month),
      rows.map((r) => r.customerId),
      rows.map((r) => proposalIdOf(month, r.lineId)),
      rows.map((r) => r.lineId),
      rows.map((r) => r.action),
      rows.map((r) => r.fromLimitMinor),
      rows.map((r) => r.toLimitMinor),
      rows.map((r) => r.score),
      rows.map((r) => r.code),
      rows.map((r) => r.reason),
      rows.map((r) => r.policyVersion),
      proposedBy,
    ],
  );
}

const COLUMNS = `customer_id, proposal_id, line_id, month::text as month, action, from_limit_minor, to_limit_minor, score,
  code, reason, policy_version, status, proposed_by, decided_by,
  to_char(decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as decided_at,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at`;

interface Row {
  customer_id: string;
  proposal_id: string;
  line_id: string;
  month: string;
  action: LimitProposal['action'];
  from_limit_minor: number;
  to_limit_minor: number;
  score: number;
  code: string;
  reason: string;
  policy_version: string;
  status: ProposalStatus;
  proposed_by: string;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
}

function fromRow(r: Row): StoredLimitProposal {
  return {
    proposalId: r.proposal_id,
    customerId: r.customer_id,
    lineId: r.line_id,
    month: dayFromSql(r.month),
    action: r.action,
    fromLimitMinor: Number(r.from_limit_minor),
    toLimitMinor: Number(r.to_limit_minor),
    score: Number(r.score),
    code: r.code,
    reason: r.reason,
    policyVersion: r.policy_version,
    status: r.status,
    proposedBy: r.proposed_by,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    createdAt: r.created_at,
  };
}

export interface ProposalQuery {
  readonly month?: Day;
  readonly status?: ProposalStatus;
  /** Keyset: proposals after this id. */
  readonly after?: string;
  readonly limit: number;
}

export async function listProposals(q: Queryable, query: ProposalQuery): Promise<StoredLimitProposal[]> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from limit_review_proposals
     where ($1::date is null or month = $1::date) and ($2::text is null or status = $2) and proposal_id > $3
     order by proposal_id limit $4`,
    [
      query.month === undefined ? null : sqlDate(query.month),
      query.status ?? null,
      query.after ?? '',
      Math.min(query.limit, LIMIT_PROPOSALS_PAGE_MAX),
    ],
  );
  return rows.map(fromRow);
}

/** Proposals by id, locked for the decision, in id order. */
export async function lockProposals(q: Queryable, ids: readonly string[]): Promise<StoredLimitProposal[]> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from limit_review_proposals where proposal_id = any($1::text[]) order by proposal_id for update`,
    [ids],
  );
  return rows.map(fromRow);
}

export async function setProposalStatus(
  q: Queryable,
  p: { customerId: string; proposalId: string },
  status: Exclude<ProposalStatus, 'proposed'>,
  decidedBy: string,
): Promise<void> {
  await q.query(
    `update limit_review_proposals set status = $3, decided_by = $4, decided_at = now()
     where customer_id = $1 and proposal_id = $2`,
    [p.customerId, p.proposalId, status, decidedBy],
  );
}
