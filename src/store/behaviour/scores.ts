import type { Day } from '../../money/index.js';
import type { BehaviourDistribution } from '../../monitoring/index.js';
import type { ReasonCode } from '../../scoring/index.js';
import { copyRows } from '../copy.js';
import type { Queryable } from '../db.js';
import { dayFromSql, sqlDate } from '../ledger/codec.js';

export interface BehaviourScoreRow {
  readonly customerId: string;
  readonly lineId: string;
  readonly score: number;
  readonly probabilityBad: number;
  readonly reasons: readonly ReasonCode[];
}

/** Removes a month's scores, so that a rerun of the month replaces them. */
export async function deleteMonthScores(q: Queryable, month: Day): Promise<void> {
  await q.query('delete from behaviour_scores where month = $1::date', [sqlDate(month)]);
}

/** Writes scored lines of a month (COPY); the month holds none of them yet (a rerun removes the month's first). */
export async function insertBehaviourScores(
  q: Queryable,
  month: Day,
  asOf: Day,
  modelId: string,
  rows: readonly BehaviourScoreRow[],
): Promise<void> {
  // COPY rather than arrays of text: an array literal escapes every quote of the reasons' JSON, which the
  // server then parses back. The probability goes as its shortest round-trip text, which the server reads
  // back as the same double.
  const month_ = sqlDate(month);
  const asOf_ = sqlDate(asOf);
  await copyRows(
    q,
    'behaviour_scores',
    ['customer_id', 'line_id', 'month', 'as_of', 'score', 'probability_bad', 'reasons', 'model_id'],
    rows.map((r) => [
      r.customerId,
      r.lineId,
      month_,
      asOf_,
      r.score,
      String(r.probabilityBad),
      JSON.stringify(r.reasons),
      modelId,
    ]),
  );
}

/** Every score of a month, in customer order (for the distribution). */
export async function monthScores(q: Queryable, month: Day): Promise<Float64Array> {
  const { rows } = await q.query<{ score: number }>(
    // In score order (the month's index): the mean is then the same sum however the rows were written.
    'select score from behaviour_scores where month = $1::date order by score',
    [sqlDate(month)],
  );
  return Float64Array.from(rows, (r) => r.score);
}

export interface StoredScoreMonth {
  readonly month: Day;
  readonly asOf: Day;
  readonly modelId: string;
  readonly distribution: BehaviourDistribution;
  readonly psiAlert: number;
  readonly createdAt: string;
}

export async function saveScoreMonth(
  q: Queryable,
  month: Day,
  asOf: Day,
  modelId: string,
  distribution: BehaviourDistribution,
  psiAlert: number,
): Promise<void> {
  await q.query(
    `insert into behaviour_score_months (month, as_of, model_id, lines, psi, psi_alert, alert, distribution)
     values ($1::date, $2::date, $3, $4, $5, $6, $7, $8::jsonb)
     on conflict (month) do update set as_of = excluded.as_of, model_id = excluded.model_id,
       lines = excluded.lines, psi = excluded.psi, psi_alert = excluded.psi_alert, alert = excluded.alert,
       distribution = excluded.distribution, created_at = now()`,
    [
      sqlDate(month),
      sqlDate(asOf),
      modelId,
      distribution.lines,
      distribution.psi,
      psiAlert,
      distribution.alert,
      JSON.stringify(distribution),
    ],
  );
}

/** Scored months, newest first (at most `limit`). */
export async function listScoreMonths(q: Queryable, limit = 36): Promise<StoredScoreMonth[]> {
  const { rows } = await q.query<{
    month: string;
    as_of: string;
    model_id: string;
    psi_alert: number;
    distribution: string;
    created_at: string;
  }>(
    `select month::text as month, as_of::text as as_of, model_id, psi_alert, distribution::text as distribution,
       to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at
     from behaviour_score_months order by month desc limit $1`,
    [limit],
  );
  return rows.map((r) => ({
    month: dayFromSql(r.month),
    asOf: dayFromSql(r.as_of),
    modelId: r.model_id,
    psiAlert: Number(r.psi_alert),
    distribution: JSON.parse(r.distribution) as BehaviourDistribution,
    createdAt: r.created_at,
  }));
}

export interface StoredLineScore {
  readonly customerId: string;
  readonly lineId: string;
  readonly month: Day;
  readonly asOf: Day;
  readonly score: number;
  readonly probabilityBad: number;
  readonly reasons: ReasonCode[];
  readonly modelId: string;
}

/** A line's scores, newest month first. */
export async function lineScores(q: Queryable, lineId: string, limit = 24): Promise<StoredLineScore[]> {
  const { rows } = await q.query<{
    customer_id: string;
    line_id: string;
    month: string;
    as_of: string;
    score: number;
    probability_bad: number;
    reasons: string;
    model_id: string;
  }>(
    `select customer_id, line_id, month::text as month, as_of::text as as_of, score, probability_bad,
       reasons::text as reasons, model_id
     from behaviour_scores where line_id = $1 order by month desc limit $2`,
    [lineId, limit],
  );
  return rows.map((r) => ({
    customerId: r.customer_id,
    lineId: r.line_id,
    month: dayFromSql(r.month),
    asOf: dayFromSql(r.as_of),
    score: Number(r.score),
    probabilityBad: Number(r.probability_bad),
    reasons: JSON.parse(r.reasons) as ReasonCode[],
    modelId: r.model_id,
  }));
}

/** Months of a customer's score history the API returns at most. */
export const CUSTOMER_SCORE_MONTHS_MAX = 24;

/**
 * A customer's scores, every line, over their newest `months` scored months: newest month first, the
 * lowest score (the riskiest line) first within a month. One indexed read (the key starts with customer_id).
 */
export async function customerScores(
  q: Queryable,
  customerId: string,
  months = CUSTOMER_SCORE_MONTHS_MAX,
): Promise<StoredLineScore[]> {
  const { rows } = await q.query<{
    customer_id: string;
    line_id: string;
    month: string;
    as_of: string;
    score: number;
    probability_bad: number;
    reasons: string;
    model_id: string;
  }>(
    `select customer_id, line_id, month::text as month, as_of::text as as_of, score, probability_bad,
       reasons::text as reasons, model_id
     from behaviour_scores
     where customer_id = $1
       and month >= coalesce((select min(m) from (select distinct month as m from behaviour_scores
                                                   where customer_id = $1 order by 1 desc limit $2) newest),
                             'infinity'::date)
     order by month desc, score, line_id`,
    [customerId, months],
  );
  return rows.map((r) => ({
    customerId: r.customer_id,
    lineId: r.line_id,
    month: dayFromSql(r.month),
    asOf: dayFromSql(r.as_of),
    score: Number(r.score),
    probabilityBad: Number(r.probability_bad),
    reasons: JSON.parse(r.reasons) as ReasonCode[],
    modelId: r.model_id,
  }));
}

/**
 * Whether the book knows a customer: a customer record, or a credit line of theirs (a book imported or
 * written in bulk carries lines whose customers are kept elsewhere).
 */
export async function customerInBook(q: Queryable, customerId: string): Promise<boolean> {
  const { rows } = await q.query(
    `select 1 from customers where customer_id = $1
     union all select 1 from credit_lines where customer_id = $1 limit 1`,
    [customerId],
  );
  return rows.length > 0;
}

/**
 * Each customer's behaviour score for collections: the lowest score of their lines in the latest month scored
 * by `day` (a case is per borrower; its weakest line speaks for it). Customers never scored are absent.
 */
export async function latestCustomerScores(
  q: Queryable,
  customerIds: readonly string[],
  day: Day,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (customerIds.length === 0) return out;
  const { rows } = await q.query<{ customer_id: string; score: number }>(
    `select distinct on (customer_id) customer_id, score
     from behaviour_scores
     where customer_id = any($1::text[]) and as_of <= $2::date
     order by customer_id, month desc, score`,
    [customerIds, sqlDate(day)],
  );
  for (const r of rows) out.set(r.customer_id, Number(r.score));
  return out;
}
