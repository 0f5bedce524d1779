import type { Day } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { dayFromSql, fromJsonText, sqlDate } from '../ledger/codec.js';

/**
 * What the month-end risk reports (ECL, stress, liquidity) read of the book as of a day: each loan's terms
 * and key events, its daily receivable, principal and cash movements from the journal, and the credit lines.
 * Plain rows; src/jobs/reports/ turns them into the core's inputs.
 */
export interface ReportLoanRow {
  loanId: string;
  customerId: string;
  lineId: string;
  productId: string;
  openedDay: Day;
  /** The product document as the loan's terms hold it. */
  product: unknown;
  /** The plan's instalments (dueDay, principal, interest, fee, total) as the terms hold them now. */
  plan: { number: number; dueDay: Day; principalMinor: number; totalMinor: number }[];
  occupation: string | null;
  /** The borrower's industry from the monitoring profile (the latest approved application's), when known. */
  industry: string | null;
}

export interface ReportLoanEvent {
  loanId: string;
  seq: number;
  day: Day;
  type: string;
  toBucket: string | null;
  daysPastDue: number | null;
  fromSeq: number | null;
  toSeq: number | null;
}

/** One loan's journal movements on one day: receivables (all five accounts), principal and cash received. */
export interface ReportJournalDay {
  loanId: string;
  day: Day;
  receivableNetMinor: number;
  principalNetMinor: number;
  cashInMinor: number;
}

export interface ReportLineRow {
  customerId: string;
  lineId: string;
  limitMinor: number;
  status: string;
}

const int = (v: string | number | null): number => (v === null ? 0 : Number(v));

export async function loadReportLoans(q: Queryable, asOf: Day): Promise<ReportLoanRow[]> {
  const { rows } = await q.query<{
    loan_id: string;
    customer_id: string;
    line_id: string;
    product_id: string;
    opened_day: string;
    terms: string;
    occupation: string | null;
    industry: string | null;
  }>(
    `select l.loan_id, l.customer_id, l.line_id, l.product_id, l.opened_day::text as opened_day,
       coalesce(l.terms, jsonb_build_object('plan', l.state->'plan', 'product', l.state->'product'))::text as terms,
       (select a.occupation from applications a where a.customer_id = l.customer_id
         order by a.submitted_at desc limit 1) as occupation,
       (select nullif(m.industry, '') from monitoring_profiles m where m.customer_id = l.customer_id) as industry
     from loans l where l.opened_day <= $1::date order by l.loan_id`,
    [sqlDate(asOf)],
  );
  return rows.map((r) => {
    const terms = fromJsonText<{
      product: unknown;
      plan: { number: number; dueDay: Day; principalMinor: number; totalMinor: number }[];
    }>(r.terms);
    return {
      loanId: r.loan_id,
      customerId: r.customer_id,
      lineId: r.line_id,
      productId: r.product_id,
      openedDay: dayFromSql(r.opened_day),
      product: terms.product,
      plan: (terms.plan ?? []).map((p) => ({
        number: p.number,
        dueDay: p.dueDay,
        principalMinor: p.principalMinor,
        totalMinor: p.totalMinor,
      })),
      occupation: r.occupation,
      industry: r.industry,
    };
  });
}

/** A loan's product document as its terms hold it (or its state, for a loan drawn before terms were kept). */
const PRODUCT_SQL = "(case when l.terms is null then l.state->'product' else l.terms->'product' end)";

/**
 * loadReportLoans narrowed to what the ECL reads of the terms: the product and the plan's last instalment only
 * (`plan` holds that one instalment). Loans share a handful of product documents (about 600 characters each),
 * so each loan's row carries only its document's 64-bit hash (jsonb_hash_extended) beside its product id, and
 * each distinct (product id, hash) document is read once, from one of its loans, and parsed once: the rows the
 * server sorts and sends are a third of the width. Equal documents have equal hashes; two different documents
 * of one product with the same 64-bit hash would be taken as one.
 */
export async function loadReportLoanKeys(q: Queryable, asOf: Day): Promise<ReportLoanRow[]> {
  const { rows } = await q.query<{
    loan_id: string;
    customer_id: string;
    line_id: string;
    product_id: string;
    opened_day: string;
    product_hash: string | null;
    last: string | null;
    occupation: string | null;
    industry: string | null;
  }>(
    `select l.loan_id, l.customer_id, l.line_id, l.product_id, l.opened_day::text as opened_day,
       jsonb_hash_extended(${PRODUCT_SQL}, 0)::text as product_hash,
       (case when l.terms is null then l.state->'plan' else l.terms->'plan' end -> -1)::text as last,
       o.occupation, nullif(m.industry, '') as industry
     from loans l
       left join (select distinct on (a.customer_id) a.customer_id, a.occupation from applications a
                  order by a.customer_id, a.submitted_at desc) o on o.customer_id = l.customer_id
       left join monitoring_profiles m on m.customer_id = l.customer_id
     where l.opened_day <= $1::date order by l.loan_id`,
    [sqlDate(asOf)],
  );
  const documentKey = (r: { product_id: string; product_hash: string | null }) =>
    r.product_hash === null ? null : `${r.product_id}\u0000${r.product_hash}`;
  const readFrom = new Map<string, { customerId: string; loanId: string }>();
  for (const r of rows) {
    const key = documentKey(r);
    if (key !== null && !readFrom.has(key))
      readFrom.set(key, { customerId: r.customer_id, loanId: r.loan_id });
  }
  const products = new Map<string, unknown>();
  if (readFrom.size > 0) {
    const keys = [...readFrom.entries()];
    const documents = await q.query<{ loan_id: string; product: string }>(
      `select l.loan_id, ${PRODUCT_SQL}::text as product
       from loans l join unnest($1::text[], $2::text[]) as k(customer_id, loan_id)
         on k.customer_id = l.customer_id and k.loan_id = l.loan_id`,
      [keys.map(([, k]) => k.customerId), keys.map(([, k]) => k.loanId)],
    );
    const byLoan = new Map(documents.rows.map((d) => [d.loan_id, d.product]));
    for (const [key, { loanId }] of keys) {
      const text = byLoan.get(loanId);
      if (text !== undefined) products.set(key, fromJsonText<unknown>(text));
    }
  }
  return rows.map((r) => {
    const key = documentKey(r);
    const product = key === null ? undefined : products.get(key);
    const last =
      r.last === null
        ? undefined
        : fromJsonText<{ number: number; dueDay: Day; principalMinor: number; totalMinor: number }>(r.last);
    return {
      loanId: r.loan_id,
      customerId: r.customer_id,
      lineId: r.line_id,
      productId: r.product_id,
      openedDay: dayFromSql(r.opened_day),
      product,
      plan:
        last === undefined
          ? []
          : [
              {
                number: last.number,
                dueDay: last.dueDay,
                principalMinor: last.principalMinor,
                totalMinor: last.totalMinor,
              },
            ],
      occupation: r.occupation,
      industry: r.industry,
    };
  });
}

/**
 * The events the reports read (delinquency, settlement, write-off, restructuring, corrections) through `asOf`,
 * in no particular order (each loan's are put in day and sequence order where they are used: book-inputs'
 * effectiveEvents), the day as days since 1970-01-01 (a Day) counted by the server.
 */
export async function loadReportLoanEvents(q: Queryable, asOf: Day): Promise<ReportLoanEvent[]> {
  const { rows } = await q.query<{
    loan_id: string;
    seq: number;
    day: number;
    type: string;
    to_bucket: string | null;
    dpd: number | null;
    from_seq: number | null;
    to_seq: number | null;
  }>(
    `select loan_id, seq, day - date '1970-01-01' as day, type, payload->>'toBucket' as to_bucket,
       (payload->>'daysPastDue')::int as dpd, (payload->>'fromSeq')::int as from_seq,
       (payload->>'toSeq')::int as to_seq
     from loan_events
     where type in ('DelinquencyChanged', 'LoanSettled', 'LoanWrittenOff', 'LoanRestructured',
                    'RestructuringBroken', 'EventsSuperseded')
       and (day <= $1::date or type = 'EventsSuperseded')`,
    [sqlDate(asOf)],
  );
  return rows.map((r) => ({
    loanId: r.loan_id,
    seq: r.seq,
    day: r.day,
    type: r.type,
    toBucket: r.to_bucket,
    daysPastDue: r.dpd,
    fromSeq: r.from_seq,
    toSeq: r.to_seq,
  }));
}

/**
 * Each loan's journal movements per day through `asOf` (the ECL's own monthly entries are not a loan's), of
 * every loan or of the loans given.
 * Each posting's lines are summed in a one-row subquery, then the postings by loan and day: the same sums as
 * grouping every line, but the planner no longer counts a hundred lines a posting (its guess for
 * jsonb_array_elements), whose inflated cost had PostgreSQL compile the statement with JIT (seconds).
 */
export async function loadReportJournalDays(
  q: Queryable,
  asOf: Day,
  loans?: readonly { readonly customerId: string; readonly loanId: string }[],
): Promise<ReportJournalDay[]> {
  // The loans given (each once) are joined by the postings' (customer, loan) index: a few loans read only theirs.
  const only =
    loans === undefined
      ? ''
      : 'join unnest($2::text[], $3::text[]) as k(customer_id, loan_id) on k.customer_id = p.customer_id and k.loan_id = p.loan_id';
  const { rows } = await q.query<{ loan_id: string; day: string; rec: string; pri: string; cash: string }>(
    `select p.loan_id, p.day::text as day,
       coalesce(sum(s.rec), 0)::text as rec,
       coalesce(sum(s.pri), 0)::text as pri,
       coalesce(sum(s.cash), 0)::text as cash
     from postings p ${only} cross join lateral (
       select sum(coalesce((l->>'debitMinor')::bigint, 0) - coalesce((l->>'creditMinor')::bigint, 0))
           filter (where l->>'account' in ('principalCurrent', 'principalOverdue', 'interestReceivable',
                                           'penaltyReceivable', 'feeReceivable')) as rec,
         sum(coalesce((l->>'debitMinor')::bigint, 0) - coalesce((l->>'creditMinor')::bigint, 0))
           filter (where l->>'account' in ('principalCurrent', 'principalOverdue')) as pri,
         sum((l->>'debitMinor')::bigint) filter (where l->>'account' = 'cashClearing') as cash
       from jsonb_array_elements(p.lines) as l) s
     where p.day <= $1::date and p.customer_id <> ''
     group by p.loan_id, p.day order by p.loan_id, p.day`,
    loans === undefined
      ? [sqlDate(asOf)]
      : [sqlDate(asOf), loans.map((l) => l.customerId), loans.map((l) => l.loanId)],
  );
  return rows.map((r) => ({
    loanId: r.loan_id,
    day: dayFromSql(r.day),
    receivableNetMinor: int(r.rec),
    principalNetMinor: int(r.pri),
    cashInMinor: int(r.cash),
  }));
}

export async function loadReportLines(q: Queryable): Promise<ReportLineRow[]> {
  const { rows } = await q.query<{
    customer_id: string;
    line_id: string;
    limit_minor: string | number;
    status: string;
  }>('select customer_id, line_id, limit_minor, status from credit_lines order by line_id');
  return rows.map((r) => ({
    customerId: r.customer_id,
    lineId: r.line_id,
    limitMinor: int(r.limit_minor),
    status: r.status,
  }));
}

/**
 * What the ECL staging reads besides the ledger (IFRS 9 §5.5.9, significant increase in credit risk): each
 * line's PD at origination (the approving decision's score), its PD now (the latest behaviour score as of the
 * day), and the borrowers with a high or critical early-warning signal live on the day (the watch list).
 */
export interface ReportRiskFacts {
  readonly originationPdByLine: ReadonlyMap<string, number>;
  readonly currentPdByLine: ReadonlyMap<string, number>;
  readonly watchedCustomers: ReadonlySet<string>;
}

export async function loadReportRiskFacts(q: Queryable, asOf: Day): Promise<ReportRiskFacts> {
  const day = sqlDate(asOf);
  const origination = await q.query<{ line_id: string; pd: number | string | null }>(
    `select distinct on (a.line_id) a.line_id, (d.record->'score'->>'probabilityBad')::float8 as pd
       from applications a join decisions d on d.application_id = a.application_id
      where a.line_id is not null and d.outcome = 'approve' and d.decided_at::date <= $1::date
      order by a.line_id, d.decided_at desc`,
    [day],
  );
  const current = await q.query<{ line_id: string; pd: number | string }>(
    `select distinct on (line_id) line_id, probability_bad as pd from behaviour_scores
      where as_of <= $1::date order by line_id, month desc`,
    [day],
  );
  const watched = await q.query<{ customer_id: string }>(
    `select distinct customer_id from signals
      where severity in ('high', 'critical') and raised_day <= $1::date
        and (status in ('open', 'acknowledged') or coalesce(cleared_day, resolved_at::date) > $1::date)`,
    [day],
  );
  const pds = (rows: { line_id: string; pd: number | string | null }[]) =>
    new Map(rows.filter((r) => r.pd !== null).map((r) => [r.line_id, Number(r.pd)]));
  return {
    originationPdByLine: pds(origination.rows),
    currentPdByLine: pds(current.rows),
    watchedCustomers: new Set(watched.rows.map((r) => r.customer_id)),
  };
}
