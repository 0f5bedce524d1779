import type { Bucket } from '../../ledger/index.js';
import { DAY_MAX, type Day, endOfMonth, startOfMonth } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { sqlDate } from './codec.js';
import { LOAN_COLUMNS, type LoanRow, loanFromRow, type StoredLoan } from './loan-rows.js';

/**
 * Read-only questions about the whole book, answered by SQL aggregates over the columns migration 0005
 * keeps from each loan's state (bucket, outstanding and overdue principal) and over the journal: the
 * loan list with its filters and sort orders, the portfolio summary and its month-end trend. Nothing here
 * loads every loan.
 */

export type LoanSort = 'loanId' | 'openedDay' | 'outstandingPrincipal' | 'overduePrincipal' | 'daysPastDue';
export type SortOrder = 'asc' | 'desc';

/**
 * The days-past-due order's key: 0 for a loan with nothing overdue, else `DAY_MAX + 1 - the due day of its
 * oldest overdue instalment` (positive, larger when it fell due earlier). Every active loan is closed through
 * the same business day, where DPD is that day minus the same due day, so this orders active loans as their
 * days past due do, read from the stored state alone (the closed-day column of a quiet loan may lag).
 */
const OVERDUE_SINCE_KEY_BASE = DAY_MAX + 1;
const DAYS_PAST_DUE_KEY = `(case when (state->'dues'->0->>'overdue')::boolean
  then ${OVERDUE_SINCE_KEY_BASE} - (state->'dues'->0->>'dueDay')::int else 0 end)`;

/**
 * The sort column (or expression) of each order. loanId, openedDay and outstandingPrincipal have an index
 * on (column, loan_id) (loans_loan, migration 0005); overduePrincipal and daysPastDue are read by a scan of
 * the filtered rows (the dashboard's collection views, usually filtered to past-due buckets).
 */
const SORT_COLUMN: Record<LoanSort, string> = {
  loanId: 'loan_id',
  openedDay: 'opened_day',
  outstandingPrincipal: 'outstanding_principal_minor',
  overduePrincipal: 'overdue_principal_minor',
  daysPastDue: DAYS_PAST_DUE_KEY,
};

/** Where the previous page ended: the last row's sort value (none for loanId) and its loan id. */
export interface LoanListAfter {
  value: string | number | null;
  loanId: string;
}

export interface LoanListQuery {
  customerId?: string;
  lineId?: string;
  status?: 'active' | 'settled' | 'written-off';
  productId?: string;
  /** Loans in any of these buckets. */
  buckets?: readonly Bucket[];
  /** Drawn on or after / on or before (inclusive). */
  drawnFrom?: Day;
  drawnTo?: Day;
  /** A loan id or a customer id, matched exactly. */
  search?: string;
  sort: LoanSort;
  order: SortOrder;
  after: LoanListAfter | null;
  limit: number;
}

/** The key a page's last row leaves for the next page. */
export function loanListKey(loan: StoredLoan, sort: LoanSort): LoanListAfter {
  if (sort === 'openedDay') return { value: sqlDate(loan.state.startDay), loanId: loan.loanId };
  if (sort === 'outstandingPrincipal') {
    let principal = loan.state.notDuePrincipalMinor;
    for (const d of loan.state.dues) principal += d.principalMinor;
    return { value: principal, loanId: loan.loanId };
  }
  if (sort === 'overduePrincipal') {
    let overdue = 0;
    for (const d of loan.state.dues) if (d.overdue) overdue += d.principalMinor;
    return { value: overdue, loanId: loan.loanId };
  }
  if (sort === 'daysPastDue') {
    const oldest = loan.state.dues[0];
    const value = oldest?.overdue === true ? OVERDUE_SINCE_KEY_BASE - oldest.dueDay : 0;
    return { value, loanId: loan.loanId };
  }
  return { value: null, loanId: loan.loanId };
}

/** The conditions of the list's filters (everything but the sort and the cursor). */
function loanListFilters(
  query: LoanListFilter,
  where: string[],
  param: (value: unknown, cast?: string) => string,
) {
  if (query.customerId !== undefined) where.push(`customer_id = ${param(query.customerId)}`);
  if (query.lineId !== undefined) where.push(`line_id = ${param(query.lineId)}`);
  if (query.status !== undefined) where.push(`status = ${param(query.status)}`);
  if (query.productId !== undefined) where.push(`product_id = ${param(query.productId)}`);
  if (query.buckets !== undefined && query.buckets.length > 0) {
    where.push(
      query.buckets.length === 1
        ? `bucket = ${param(query.buckets[0])}`
        : `bucket = any(${param(query.buckets, '::text[]')})`,
    );
  }
  if (query.drawnFrom !== undefined) where.push(`opened_day >= ${param(sqlDate(query.drawnFrom), '::date')}`);
  if (query.drawnTo !== undefined) where.push(`opened_day <= ${param(sqlDate(query.drawnTo), '::date')}`);
  if (query.search !== undefined) {
    const s = param(query.search);
    where.push(`(loan_id = ${s} or customer_id = ${s})`);
  }
}

type LoanListFilter = Omit<LoanListQuery, 'sort' | 'order' | 'after' | 'limit'>;

function sqlParams() {
  const params: unknown[] = [];
  const param = (value: unknown, cast = '') => {
    params.push(value);
    return `$${params.length}${cast}`;
  };
  return { params, param };
}

/** How many loans the list's filters match (the dashboard shows the total above the pages). */
export async function countLoans(q: Queryable, query: LoanListFilter): Promise<number> {
  const where: string[] = [];
  const { params, param } = sqlParams();
  loanListFilters(query, where, param);
  const { rows } = await q.query<{ n: string | number }>(
    `select count(*) as n from loans ${where.length > 0 ? `where ${where.join(' and ')}` : ''}`,
    params,
  );
  return safeMinor(rows[0]?.n ?? 0, 'loan count');
}

/**
 * One keyset page of loans in the requested order (loan id breaks ties, so the order is total). Filters
 * become plain conditions, so the planner can walk the matching index of migration 0005.
 */
export async function listLoansPage(q: Queryable, query: LoanListQuery): Promise<StoredLoan[]> {
  const where: string[] = [];
  const { params, param } = sqlParams();
  loanListFilters(query, where, param);
  const column = SORT_COLUMN[query.sort];
  const direction = query.order === 'desc' ? 'desc' : 'asc';
  const beyond = query.order === 'desc' ? '<' : '>';
  if (query.after !== null) {
    if (query.sort === 'loanId') where.push(`loan_id ${beyond} ${param(query.after.loanId)}`);
    else {
      const cast =
        query.sort === 'openedDay' ? '::date' : query.sort === 'daysPastDue' ? '::int' : '::bigint';
      where.push(
        `(${column}, loan_id) ${beyond} (${param(query.after.value, cast)}, ${param(query.after.loanId)})`,
      );
    }
  }
  const orderBy =
    query.sort === 'loanId' ? `loan_id ${direction}` : `${column} ${direction}, loan_id ${direction}`;
  const { rows } = await q.query<LoanRow>(
    `select ${LOAN_COLUMNS} from loans ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
     order by ${orderBy} limit ${param(query.limit)}`,
    params,
  );
  return rows.map(loanFromRow);
}

// ---------------------------------------------------------------------------------------------------
// Portfolio

/** Active loans of one product in one bucket. */
export interface PortfolioCell {
  productId: string;
  bucket: Bucket;
  loans: number;
  outstandingPrincipalMinor: number;
  overduePrincipalMinor: number;
}

function safeMinor(value: string | number, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`assertion: ${what} ${value} is not a safe integer of fen`);
  return n;
}

/** Active loans counted and summed by product and bucket: one pass over the table's plain columns. */
export async function portfolioCells(q: Queryable): Promise<PortfolioCell[]> {
  const { rows } = await q.query<{
    product_id: string;
    bucket: Bucket;
    loans: string | number;
    outstanding: string | number;
    overdue: string | number;
  }>(
    `select product_id, bucket, count(*) as loans,
       coalesce(sum(outstanding_principal_minor), 0)::text as outstanding,
       coalesce(sum(overdue_principal_minor), 0)::text as overdue
     from loans where status = 'active' and bucket is not null
     group by product_id, bucket order by product_id, bucket`,
  );
  return rows.map((r) => ({
    productId: r.product_id,
    bucket: r.bucket,
    loans: safeMinor(r.loans, 'loan count'),
    outstandingPrincipalMinor: safeMinor(r.outstanding, 'outstanding principal'),
    overduePrincipalMinor: safeMinor(r.overdue, 'overdue principal'),
  }));
}

/** One point of the trend: a month end (or the last day given, inside its month). */
export interface TrendPoint {
  /** First day of the month. */
  monthStart: Day;
  /** The day the balances are as of: the month's last day, or `throughDay` in its own month. */
  day: Day;
  /** Journal balance of 贷款本金—正常 + 贷款本金—逾期 at the end of `day`. */
  outstandingPrincipalMinor: number;
  /** Journal balance of 贷款本金—逾期 at the end of `day`. */
  overduePrincipalMinor: number;
  /** Loans drawn from `monthStart` through `day`, and their principal. */
  loansDrawn: number;
  drawnPrincipalMinor: number;
}

/** Longest trend served (three years of month ends). */
export const TREND_MONTHS_MAX = 36;

/**
 * Month-end balances of the principal accounts from the journal (exact, as the books carry them, with
 * backdated corrections included on the days they are dated), and the drawdowns of each month, for the
 * `months` months ending with `throughDay`'s month.
 */
export async function portfolioTrend(q: Queryable, throughDay: Day, months: number): Promise<TrendPoint[]> {
  const monthStarts: Day[] = [];
  let m = startOfMonth(throughDay);
  for (let i = 0; i < months; i++) {
    monthStarts.unshift(m);
    m = startOfMonth(m - 1);
  }
  const first = monthStarts[0] as Day;
  const through = sqlDate(throughDay);
  const moves = await q.query<{ month: string; principal: string; overdue: string }>(
    `select case when p.day < $2::date then 'opening' else date_trunc('month', p.day)::date::text end as month,
       coalesce(sum(coalesce((l->>'debitMinor')::bigint, 0) - coalesce((l->>'creditMinor')::bigint, 0)), 0)::text
         as principal,
       coalesce(sum(coalesce((l->>'debitMinor')::bigint, 0) - coalesce((l->>'creditMinor')::bigint, 0))
         filter (where l->>'account' = 'principalOverdue'), 0)::text as overdue
     from postings p cross join lateral jsonb_array_elements(p.lines) as l
     where p.day <= $1::date and l->>'account' in ('principalCurrent', 'principalOverdue')
     group by 1`,
    [through, sqlDate(first)],
  );
  const drawn = await q.query<{ month: string; loans: string | number; principal: string }>(
    `select date_trunc('month', opened_day)::date::text as month, count(*) as loans,
       sum(principal_minor)::text as principal
     from loans where opened_day >= $2::date and opened_day <= $1::date group by 1`,
    [through, sqlDate(first)],
  );
  const moveByMonth = new Map(moves.rows.map((r) => [r.month, r]));
  const drawnByMonth = new Map(drawn.rows.map((r) => [r.month, r]));
  // Postings before the first month give the opening balances.
  const opening = moveByMonth.get('opening');
  let principal = opening === undefined ? 0 : safeMinor(opening.principal, 'principal balance');
  let overdue = opening === undefined ? 0 : safeMinor(opening.overdue, 'overdue balance');
  return monthStarts.map((start) => {
    const key = sqlDate(start);
    const move = moveByMonth.get(key);
    if (move !== undefined) {
      principal += safeMinor(move.principal, 'principal movement');
      overdue += safeMinor(move.overdue, 'overdue movement');
    }
    const d = drawnByMonth.get(key);
    return {
      monthStart: start,
      day: Math.min(endOfMonth(start), throughDay),
      outstandingPrincipalMinor: principal,
      overduePrincipalMinor: overdue,
      loansDrawn: d === undefined ? 0 : safeMinor(d.loans, 'loan count'),
      drawnPrincipalMinor: d === undefined ? 0 : safeMinor(d.principal, 'drawn principal'),
    };
  });
}
