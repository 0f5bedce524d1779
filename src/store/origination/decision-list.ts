import type { DecisionOutcome } from '../../origination/index.js';
import type { Queryable } from '../db.js';

/** One row of the decision list: what a reviewer scans, with no personal data. */
export interface DecisionListRow {
  decisionId: string;
  applicationId: string;
  decidedAt: string;
  outcome: DecisionOutcome;
  productId: string;
  channel: string;
  limit_fen: number;
  requestedLimit_fen: number;
  riskGrade: string | null;
  dailyRate: string | null;
  apr: string | null;
  policyVersion: string;
  modelVersion: string;
  customerId: string | null;
  flags: number;
  openFlags: number;
}

export interface DecisionListFilter {
  outcome?: DecisionOutcome;
  productId?: string;
  /** First day decided, Asia/Shanghai calendar (YYYY-MM-DD), inclusive. */
  decidedFrom?: string;
  /** Last day decided, Asia/Shanghai calendar, inclusive. */
  decidedTo?: string;
  /** true: only decisions with a 强开 flag still open; false: only those without. */
  hasOpenFlags?: boolean;
}

/** The keyset position after which the next page starts (newest first). */
export interface DecisionListAfter {
  decidedAt: string;
  decisionId: string;
}

interface Row {
  decision_id: string;
  application_id: string;
  decided_at: string;
  outcome: DecisionOutcome;
  product_id: string;
  channel: string;
  limit_fen: string | number;
  requested_limit_fen: string | number;
  risk_grade: string | null;
  daily_rate: string | null;
  apr: string | null;
  policy_version: string;
  model_version: string;
  customer_id: string | null;
  flags: string | number;
  open_flags: string | number;
}

/**
 * Decisions newest first (decided_at, then decision id, both descending), filtered, `limit` rows after
 * `after`. Decision times are written from ISO instants with milliseconds, the precision the cursor carries.
 */
export async function listDecisions(
  q: Queryable,
  filter: DecisionListFilter,
  after: DecisionListAfter | null,
  limit: number,
): Promise<DecisionListRow[]> {
  const { rows } = await q.query<Row>(
    `select d.decision_id, d.application_id,
            to_char(d.decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as decided_at,
            d.outcome, a.product_id, a.channel, d.limit_fen, a.requested_limit_fen, d.risk_grade,
            d.record->>'dailyRate' as daily_rate, d.record->>'apr' as apr, d.policy_version, d.model_version,
            a.customer_id, coalesce(f.flags, 0) as flags, coalesce(f.open_flags, 0) as open_flags
       from decisions d
       join applications a on a.application_id = d.application_id
       left join lateral (
         select count(*) as flags, count(*) filter (where rf.status = 'open') as open_flags
           from review_flags rf where rf.application_id = d.application_id
       ) f on true
      where ($1::text is null or d.outcome = $1)
        and ($2::text is null or a.product_id = $2)
        and ($3::date is null or d.decided_at >= ($3::date::timestamp at time zone 'Asia/Shanghai'))
        and ($4::date is null or d.decided_at < (($4::date + 1)::timestamp at time zone 'Asia/Shanghai'))
        and ($5::boolean is null or (coalesce(f.open_flags, 0) > 0) = $5)
        and ($6::timestamptz is null
             or (d.decided_at, d.decision_id) < ($6::timestamptz, $7::text))
      order by d.decided_at desc, d.decision_id desc
      limit $8`,
    [
      filter.outcome ?? null,
      filter.productId ?? null,
      filter.decidedFrom ?? null,
      filter.decidedTo ?? null,
      filter.hasOpenFlags ?? null,
      after?.decidedAt ?? null,
      after?.decisionId ?? null,
      limit,
    ],
  );
  return rows.map((r) => ({
    decisionId: r.decision_id,
    applicationId: r.application_id,
    decidedAt: r.decided_at,
    outcome: r.outcome,
    productId: r.product_id,
    channel: r.channel,
    limit_fen: Number(r.limit_fen),
    requestedLimit_fen: Number(r.requested_limit_fen),
    riskGrade: r.risk_grade,
    dailyRate: r.daily_rate,
    apr: r.apr,
    policyVersion: r.policy_version,
    modelVersion: r.model_version,
    customerId: r.customer_id,
    flags: Number(r.flags),
    openFlags: Number(r.open_flags),
  }));
}
