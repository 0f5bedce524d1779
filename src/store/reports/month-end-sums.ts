/**
 * The portfolio reports' sums over the month-end rows (migration 0017), computed in the database: the book at
 * each month end, the loans moving between consecutive month ends, the classes after approved overrides, and
 * a vintage's cohorts and balances by months on book. The reports are aggregates of these narrow rows, so a
 * report of a million loans reads a few hundred sums, not millions of rows; reporting/ draws the same report
 * from these sums as from the rows (the golden tests hold both to the same figures).
 */
import { type Bucket, bucketRank } from '../../ledger/index.js';
import type { Day } from '../../money/index.js';
import {
  ASSET_CLASSES,
  type AssetClass,
  type ClassGroup,
  type ClassifiedLoan,
  type MonthBook,
  monthKeyOfDay,
  type RollTarget,
  type TransitionGroup,
  VINTAGE_THRESHOLDS,
  type VintageBadGroup,
  type VintageBy,
  type VintageCohortGroup,
} from '../../reporting/index.js';
import type { Queryable } from '../db.js';
import { dayFromSql, sqlDate } from '../ledger/codec.js';
import { monthEndLoanOf } from './month-ends.js';
import { loanOriginationJoinSql } from './origination.js';

/** The first day of a date's month, in SQL (date_part is a float: cheaper per row than extract's numeric). */
const firstOfMonthSql = (column: string) => `(${column} - date_part('day', ${column})::int + 1)`;

const rankSql = (column: string) => `substr(${column}, 2)::int`;

/** The five classes in rank order, as a SQL array literal (the values are the project's own constants). */
const CLASS_ARRAY = `array[${ASSET_CLASSES.map((c) => `'${c}'`).join(',')}]`;

/** The class after an approved override that is not better than the rules' class (as applyOverrides). */
const EFFECTIVE_CLASS = `case when o.asset_class is not null
    and array_position(${CLASS_ARRAY}, o.asset_class) >= array_position(${CLASS_ARRAY}, r.asset_class)
  then o.asset_class else r.asset_class end`;

/** A vintage segment's SQL: the product, or the channel / policy version of the loan's origination. */
function vintageSegmentSql(by: VintageBy, loan: string): { expr: string; join: string } {
  if (by === 'product') return { expr: `${loan}.product_id`, join: '' };
  return {
    expr: by === 'channel' ? 'o.channel' : 'o.policy_version',
    join: loanOriginationJoinSql(loan),
  };
}

/** The book at each of `monthEnds` (zeros for a month end without rows), in the order given. */
export async function monthBookSums(q: Queryable, monthEnds: readonly Day[]): Promise<MonthBook[]> {
  const { rows } = await q.query<{ m: string; loans: number; bal: string; p30: string; p90: string }>(
    `select month_end::text as m, count(*)::int as loans,
       sum(outstanding_principal_minor)::text as bal,
       coalesce(sum(outstanding_principal_minor) filter (where days_past_due > 30), 0)::text as p30,
       coalesce(sum(outstanding_principal_minor) filter (where days_past_due > 90), 0)::text as p90
     from loan_month_ends where month_end = any($1::date[]) group by month_end`,
    [monthEnds.map(sqlDate)],
  );
  const byDay = new Map(rows.map((r) => [dayFromSql(r.m), r]));
  return monthEnds.map((d) => {
    const r = byDay.get(d);
    return {
      monthEnd: d,
      loans: r?.loans ?? 0,
      balanceMinor: BigInt(r?.bal ?? 0),
      par30BalanceMinor: BigInt(r?.p30 ?? 0),
      par90BalanceMinor: BigInt(r?.p90 ?? 0),
    };
  });
}

/** The month end after a month end, in SQL: the first day of the month after next, less a day. */
const nextMonthEndSql = (column: string) => `((${column} + 1 + interval '1 month')::date - 1)`;

/**
 * The loans moving between consecutive month ends (`monthEnds` oldest first, each the month end after the one
 * before; element i of the answer is the transition from `monthEnds[i]` to `monthEnds[i + 1]`): grouped by the
 * bucket at the earlier one and the bucket at the later one (or `out` when the loan has no row then).
 */
export async function transitionSums(q: Queryable, monthEnds: readonly Day[]): Promise<TransitionGroup[][]> {
  const befores = monthEnds.slice(0, -1);
  const afters = monthEnds.slice(1);
  const { rows } = await q.query<{
    before: string;
    from_bucket: string;
    to_bucket: string;
    loans: number;
    bal: string;
    entered: string;
  }>(
    `select a.month_end::text as before, a.bucket as from_bucket, coalesce(b.bucket, 'out') as to_bucket,
       count(*)::int as loans, sum(a.outstanding_principal_minor)::text as bal,
       coalesce(sum(b.outstanding_principal_minor)
         filter (where ${rankSql('b.bucket')} = ${rankSql('a.bucket')} + 1), 0)::text as entered
     from loan_month_ends a
     left join loan_month_ends b
       on b.loan_id = a.loan_id and b.month_end = ${nextMonthEndSql('a.month_end')}
         and b.month_end = any($2::date[])
     where a.month_end = any($1::date[])
     group by 1, 2, 3`,
    [befores.map(sqlDate), afters.map(sqlDate)],
  );
  const index = new Map(befores.map((d, i) => [d, i]));
  const out: TransitionGroup[][] = befores.map(() => []);
  for (const r of rows) {
    const i = index.get(dayFromSql(r.before)) as number;
    out[i]?.push({
      from: r.from_bucket as Bucket,
      to: r.to_bucket as RollTarget,
      loans: r.loans,
      balanceMinor: BigInt(r.bal),
      enteredBalanceMinor: BigInt(r.entered),
    });
  }
  return out;
}

/** Each month end's loans by class after approved overrides and by more than 90 days past due or not. */
export async function classGroupSums(
  q: Queryable,
  monthEnds: readonly Day[],
): Promise<Map<Day, ClassGroup[]>> {
  const { rows } = await q.query<{
    m: string;
    asset_class: string;
    over90: boolean;
    loans: number;
    bal: string;
    restructured: number;
  }>(
    `select r.month_end::text as m, ${EFFECTIVE_CLASS} as asset_class, r.days_past_due > 90 as over90,
       count(*)::int as loans, sum(r.outstanding_principal_minor)::text as bal,
       count(*) filter (where r.class_reasons <> '')::int as restructured
     from loan_month_ends r
     left join loan_class_overrides o
       on o.loan_id = r.loan_id and o.month_end = r.month_end and o.status = 'approved'
     where r.month_end = any($1::date[])
     group by 1, 2, 3`,
    [monthEnds.map(sqlDate)],
  );
  const out = new Map<Day, ClassGroup[]>(monthEnds.map((d) => [d, []]));
  for (const r of rows) {
    out.get(dayFromSql(r.m))?.push({
      assetClass: r.asset_class as AssetClass,
      over90: r.over90,
      loans: r.loans,
      balanceMinor: BigInt(r.bal),
      restructured: r.restructured,
    });
  }
  return out;
}

/** The loans of a month end whose class an approved override changed (made worse), in loan order. */
export async function overriddenMonthEndLoans(q: Queryable, monthEnd: Day): Promise<ClassifiedLoan[]> {
  const { rows } = await q.query<{
    customer_id: string;
    loan_id: string;
    product_id: string;
    opened_day: string;
    disbursed_minor: string;
    days_past_due: number;
    bucket: string;
    outstanding_principal_minor: string;
    oldest_overdue_installment: number | null;
    class_by_dpd: string;
    rules_class: string;
    class_reasons: string;
    asset_class: string;
    reason: string;
    proposed_by: string;
    decided_by: string | null;
  }>(
    `select r.customer_id, r.loan_id, r.product_id, r.opened_day::text as opened_day,
       r.disbursed_minor::text as disbursed_minor, r.days_past_due, r.bucket,
       r.outstanding_principal_minor::text as outstanding_principal_minor, r.oldest_overdue_installment,
       r.class_by_dpd, r.asset_class as rules_class, r.class_reasons,
       o.asset_class, o.reason, o.proposed_by, o.decided_by
     from loan_month_ends r
     join loan_class_overrides o
       on o.loan_id = r.loan_id and o.month_end = r.month_end and o.status = 'approved'
     where r.month_end = $1::date
       and array_position(${CLASS_ARRAY}, o.asset_class) >= array_position(${CLASS_ARRAY}, r.asset_class)
     order by r.loan_id`,
    [sqlDate(monthEnd)],
  );
  return rows.map((r) => ({
    row: monthEndLoanOf({ ...r, asset_class: r.rules_class }),
    assetClass: r.asset_class as AssetClass,
    override: {
      loanId: r.loan_id,
      assetClass: r.asset_class as AssetClass,
      reason: r.reason,
      proposedBy: r.proposed_by,
      approvedBy: r.decided_by ?? '',
    },
  }));
}

/**
 * A vintage's cohorts: the loans drawn in [fromDay, toDay] by segment (product, channel or policy version)
 * and draw month, their disbursed principal, and how many were seen at one of `monthEnds` more than 30 days
 * past due with the first instalment the oldest overdue (FPD30).
 */
export async function vintageCohortSums(
  q: Queryable,
  fromDay: Day,
  toDay: Day,
  monthEnds: readonly Day[],
  by: VintageBy = 'product',
): Promise<VintageCohortGroup[]> {
  const seg = vintageSegmentSql(by, 'l');
  const { rows } = await q.query<{
    segment: string | null;
    cohort: string;
    loans: number;
    disbursed: string;
    fpd: number;
  }>(
    `with fpd as (
       select distinct loan_id from loan_month_ends
       where month_end = any($3::date[]) and days_past_due > 30 and oldest_overdue_installment = 1
     )
     select ${seg.expr} as segment, ${firstOfMonthSql('l.opened_day')}::text as cohort, count(*)::int as loans,
       sum(l.principal_minor)::text as disbursed, count(f.loan_id)::int as fpd
     from loans l left join fpd f on f.loan_id = l.loan_id
     ${seg.join}
     where l.opened_day between $1::date and $2::date
     group by 1, 2`,
    [sqlDate(fromDay), sqlDate(toDay), monthEnds.map(sqlDate)],
  );
  return rows.map((r) => ({
    segment: r.segment,
    month: monthKeyOfDay(dayFromSql(r.cohort)),
    loans: r.loans,
    disbursedMinor: BigInt(r.disbursed),
    fpd30Loans: r.fpd,
  }));
}

/**
 * A vintage's numerators: the balance at `monthEnds` of the loans drawn in [fromDay, toDay] at or past each
 * threshold (VINTAGE_THRESHOLDS), by the loan's segment (product, channel or policy version), draw month and
 * months on book.
 */
export async function vintageBadSums(
  q: Queryable,
  fromDay: Day,
  toDay: Day,
  monthEnds: readonly Day[],
  by: VintageBy = 'product',
): Promise<VintageBadGroup[]> {
  const seg = vintageSegmentSql(by, 'x');
  const sums = VINTAGE_THRESHOLDS.map(
    (t, i) =>
      `coalesce(sum(r.outstanding_principal_minor) filter (where ${rankSql('r.bucket')} >= ${bucketRank(t)}), 0)::text as bad${i}`,
  ).join(', ');
  // Grouped by plain dates (the draw month's first day, the month end): the month keys are computed here,
  // once per group, not per row.
  const { rows } = await q.query<Record<string, string>>(
    `with l as (
       select x.loan_id, ${seg.expr} as segment, ${firstOfMonthSql('x.opened_day')} as cohort
       from loans x ${seg.join}
       where x.opened_day between $1::date and $2::date
     )
     select l.segment, l.cohort::text as cohort, r.month_end::text as month_end, ${sums}
     from loan_month_ends r join l on l.loan_id = r.loan_id
     where r.month_end = any($3::date[])
     group by 1, 2, 3`,
    [sqlDate(fromDay), sqlDate(toDay), monthEnds.map(sqlDate)],
  );
  return rows.map((r) => {
    const month = monthKeyOfDay(dayFromSql(r.cohort as string));
    return {
      segment: (r.segment ?? null) as string | null,
      month,
      mob: monthKeyOfDay(dayFromSql(r.month_end as string)) - month,
      badMinor: VINTAGE_THRESHOLDS.map((_, i) => BigInt(r[`bad${i}`] as string)),
    };
  });
}
