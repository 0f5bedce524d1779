/**
 * Month-end portfolio rows (migration 0017): written by the month-end job from the loans' month-end snapshots,
 * read by every portfolio report. Also the manual class overrides, proposed by one person and decided by
 * another.
 */
import type { Bucket, LoanState } from '../../ledger/index.js';
import type { Day } from '../../money/index.js';
import type { AssetClass, ClassOverride, MonthEndLoan, VintageLoan } from '../../reporting/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';
import { dayFromSql, fromJsonText, sqlDate } from '../ledger/codec.js';
import { loanOriginationJoinSql } from './origination.js';

/** Month-end snapshots read per statement while a month end is built. */
export const MONTH_END_SNAPSHOTS_PER_PAGE = 5_000;
/** Rows inserted per statement. */
const MONTH_END_ROWS_PER_INSERT = 5_000;

/** Loans in the book at `monthEnd` whose end-of-day step has not closed it yet (a month end not closed). */
export async function loansNotClosedThrough(q: Queryable, monthEnd: Day): Promise<number> {
  const { rows } = await q.query<{ n: string }>(
    `select count(*)::text as n from loans
     where status = 'active' and opened_day <= $1::date and last_closed_day < $1::date`,
    [sqlDate(monthEnd)],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * One page of the loans' states closed through `monthEnd` (their month-end snapshots, the latest of the day
 * when a loan has several), in (customer, loan) order after the given key.
 */
export async function monthEndSnapshotPage(
  q: Queryable,
  monthEnd: Day,
  after: { customerId: string; loanId: string } | null,
  limit: number = MONTH_END_SNAPSHOTS_PER_PAGE,
): Promise<LoanState[]> {
  const { rows } = await q.query<{ state: string }>(
    `select distinct on (customer_id, loan_id) state::text as state
     from loan_snapshots
     where day = $1::date and (customer_id, loan_id) > ($2, $3)
     order by customer_id, loan_id, seq desc
     limit $4`,
    [sqlDate(monthEnd), after?.customerId ?? '', after?.loanId ?? '', limit],
  );
  return rows.map((r) => fromJsonText<LoanState>(r.state));
}

/** Replaces the rows of one month end (a rebuild gives the same rows) and records the build. */
export async function replaceMonthEnd(
  tx: Queryable,
  monthEnd: Day,
  rows: readonly (MonthEndLoan & { readonly receivableMinor?: number })[],
  builtBy: string,
): Promise<void> {
  const day = sqlDate(monthEnd);
  await tx.query('delete from loan_month_ends where month_end = $1::date', [day]);
  for (let i = 0; i < rows.length; i += MONTH_END_ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + MONTH_END_ROWS_PER_INSERT);
    await tx.query(
      `insert into loan_month_ends (customer_id, loan_id, month_end, product_id, opened_day, disbursed_minor,
         days_past_due, bucket, outstanding_principal_minor, oldest_overdue_installment, class_by_dpd,
         asset_class, class_reasons, receivable_minor)
       select c, l, $1::date, p, o, d, dpd, b, op, oi, cd, ac, cr, rm
       from unnest($2::text[], $3::text[], $4::text[], $5::date[], $6::bigint[], $7::int[], $8::text[],
                   $9::bigint[], $10::int[], $11::text[], $12::text[], $13::text[], $14::bigint[])
         as t(c, l, p, o, d, dpd, b, op, oi, cd, ac, cr, rm)`,
      [
        day,
        chunk.map((r) => r.customerId),
        chunk.map((r) => r.loanId),
        chunk.map((r) => r.productId),
        chunk.map((r) => sqlDate(r.openedDay)),
        chunk.map((r) => String(r.disbursedMinor)),
        chunk.map((r) => r.daysPastDue),
        chunk.map((r) => r.bucket),
        chunk.map((r) => String(r.outstandingPrincipalMinor)),
        chunk.map((r) => r.oldestOverdueInstallment),
        chunk.map((r) => r.classByDaysPastDue),
        chunk.map((r) => r.assetClass),
        chunk.map((r) => r.classReasons.join(',')),
        chunk.map((r) => (r.receivableMinor === undefined ? null : String(r.receivableMinor))),
      ],
    );
  }
  await tx.query(
    `insert into month_end_builds (month_end, loans, built_by) values ($1::date, $2, $3)
     on conflict (month_end) do update set loans = excluded.loans, built_by = excluded.built_by, built_at = now()`,
    [day, rows.length, builtBy],
  );
}

/** Whether the month end is built with its rows' carrying amounts (migration 0047): monthEndBalances reads them. */
export async function monthEndHasBalances(q: Queryable, monthEnd: Day): Promise<boolean> {
  const built = await q.query<{ n: string }>(
    `select count(*)::text as n from month_end_builds b where b.month_end = $1::date
       and not exists (select 1 from loan_month_ends m where m.month_end = $1::date and m.receivable_minor is null)`,
    [sqlDate(monthEnd)],
  );
  return Number(built.rows[0]?.n ?? 0) > 0;
}

/**
 * Each loan's gross carrying amount and principal at a built month end, by loan (loans not in the book then
 * are absent: they hold nothing). Null when the month end is not built or was built before its rows kept the
 * carrying amount (migration 0047).
 */
export async function monthEndBalances(
  q: Queryable,
  monthEnd: Day,
): Promise<Map<string, { receivableMinor: number; principalMinor: number }> | null> {
  const day = sqlDate(monthEnd);
  if (!(await monthEndHasBalances(q, monthEnd))) return null;
  const { rows } = await q.query<{ loan_id: string; r: string; p: string }>(
    `select loan_id, receivable_minor::text as r, outstanding_principal_minor::text as p
     from loan_month_ends where month_end = $1::date`,
    [day],
  );
  const out = new Map<string, { receivableMinor: number; principalMinor: number }>();
  for (const r of rows) out.set(r.loan_id, { receivableMinor: Number(r.r), principalMinor: Number(r.p) });
  return out;
}

/** The month ends among `monthEnds` already built. */
export async function builtMonthEnds(q: Queryable, monthEnds: readonly Day[]): Promise<Set<Day>> {
  const { rows } = await q.query<{ d: string }>(
    'select month_end::text as d from month_end_builds where month_end = any($1::date[])',
    [monthEnds.map(sqlDate)],
  );
  return new Set(rows.map((r) => dayFromSql(r.d)));
}

export interface MonthEndDbRow {
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
  asset_class: string;
  class_reasons: string;
}

/** A stored month-end row as the reports take it. */
export function monthEndLoanOf(r: MonthEndDbRow): MonthEndLoan {
  return {
    customerId: r.customer_id,
    loanId: r.loan_id,
    productId: r.product_id,
    openedDay: dayFromSql(r.opened_day),
    disbursedMinor: Number(r.disbursed_minor),
    daysPastDue: r.days_past_due,
    bucket: r.bucket as Bucket,
    outstandingPrincipalMinor: Number(r.outstanding_principal_minor),
    oldestOverdueInstallment: r.oldest_overdue_installment,
    classByDaysPastDue: r.class_by_dpd as AssetClass,
    assetClass: r.asset_class as AssetClass,
    classReasons: r.class_reasons === '' ? [] : r.class_reasons.split(','),
  };
}

/** The rows of one month end, in loan order. */
export async function readMonthEnd(q: Queryable, monthEnd: Day): Promise<MonthEndLoan[]> {
  const { rows } = await q.query<MonthEndDbRow>(
    `select customer_id, loan_id, product_id, opened_day::text as opened_day, disbursed_minor::text as disbursed_minor,
       days_past_due, bucket, outstanding_principal_minor::text as outstanding_principal_minor,
       oldest_overdue_installment, class_by_dpd, asset_class, class_reasons
     from loan_month_ends where month_end = $1::date order by loan_id`,
    [sqlDate(monthEnd)],
  );
  return rows.map(monthEndLoanOf);
}

/**
 * Loans drawn in [fromDay, toDay] (settled and written-off ones too): a vintage's cohorts, with the channel and
 * approving policy version of the application that opened each loan's line (null when there is none).
 */
export async function readDrawnLoans(q: Queryable, fromDay: Day, toDay: Day): Promise<VintageLoan[]> {
  const { rows } = await q.query<{
    loan_id: string;
    product_id: string;
    opened_day: string;
    principal_minor: string;
    channel: string | null;
    policy_version: string | null;
  }>(
    `select l.loan_id, l.product_id, l.opened_day::text as opened_day, l.principal_minor::text as principal_minor,
       o.channel, o.policy_version
     from loans l ${loanOriginationJoinSql('l')}
     where l.opened_day between $1::date and $2::date order by l.loan_id`,
    [sqlDate(fromDay), sqlDate(toDay)],
  );
  return rows.map((r) => ({
    loanId: r.loan_id,
    productId: r.product_id,
    openedDay: dayFromSql(r.opened_day),
    disbursedMinor: Number(r.principal_minor),
    channel: r.channel,
    policyVersion: r.policy_version,
  }));
}

/** An expected refusal of an override step, with a stable code and the HTTP status. */
export class ClassOverrideError extends Error {
  constructor(
    readonly code: string,
    readonly status: 404 | 409 | 422,
    message: string,
  ) {
    super(message);
    this.name = 'ClassOverrideError';
  }
}

export interface StoredClassOverride {
  overrideId: string;
  customerId: string;
  loanId: string;
  monthEnd: Day;
  assetClass: AssetClass;
  rulesClass: AssetClass;
  reason: string;
  status: 'proposed' | 'approved' | 'rejected';
  proposedBy: string;
  decidedBy: string | null;
  decisionNote: string | null;
}

interface OverrideDbRow {
  override_id: string;
  customer_id: string;
  loan_id: string;
  month_end: string;
  asset_class: string;
  rules_class: string;
  reason: string;
  status: string;
  proposed_by: string;
  decided_by: string | null;
  decision_note: string | null;
}

const OVERRIDE_COLUMNS = `override_id, customer_id, loan_id, month_end::text as month_end, asset_class, rules_class,
  reason, status, proposed_by, decided_by, decision_note`;

function overrideOf(r: OverrideDbRow): StoredClassOverride {
  return {
    overrideId: r.override_id,
    customerId: r.customer_id,
    loanId: r.loan_id,
    monthEnd: dayFromSql(r.month_end),
    assetClass: r.asset_class as AssetClass,
    rulesClass: r.rules_class as AssetClass,
    reason: r.reason,
    status: r.status as StoredClassOverride['status'],
    proposedBy: r.proposed_by,
    decidedBy: r.decided_by,
    decisionNote: r.decision_note,
  };
}

/** The month-end row an override would change, or undefined when the loan was not in the book then. */
export async function findMonthEndLoan(
  q: Queryable,
  loanId: string,
  monthEnd: Day,
): Promise<{ customerId: string; assetClass: AssetClass } | undefined> {
  const { rows } = await q.query<{ customer_id: string; asset_class: string }>(
    'select customer_id, asset_class from loan_month_ends where loan_id = $1 and month_end = $2::date',
    [loanId, sqlDate(monthEnd)],
  );
  const r = rows[0];
  return r === undefined ? undefined : { customerId: r.customer_id, assetClass: r.asset_class as AssetClass };
}

export async function insertClassOverride(
  tx: Queryable,
  input: {
    customerId: string;
    loanId: string;
    monthEnd: Day;
    assetClass: AssetClass;
    rulesClass: AssetClass;
    reason: string;
    proposedBy: string;
  },
): Promise<StoredClassOverride> {
  const { rows } = await tx.query<OverrideDbRow>(
    `insert into loan_class_overrides (override_id, customer_id, loan_id, month_end, asset_class, rules_class, reason,
       status, proposed_by)
     values ($1, $2, $3, $4::date, $5, $6, $7, 'proposed', $8)
     on conflict do nothing
     returning ${OVERRIDE_COLUMNS}`,
    [
      newId('cov'),
      input.customerId,
      input.loanId,
      sqlDate(input.monthEnd),
      input.assetClass,
      input.rulesClass,
      input.reason,
      input.proposedBy,
    ],
  );
  const r = rows[0];
  if (r === undefined) {
    throw new ClassOverrideError(
      'class_override_exists',
      409,
      `loan ${input.loanId} already has an open or approved override for this month end`,
    );
  }
  return overrideOf(r);
}

export async function findClassOverride(
  q: Queryable,
  overrideId: string,
): Promise<StoredClassOverride | undefined> {
  const { rows } = await q.query<OverrideDbRow>(
    `select ${OVERRIDE_COLUMNS} from loan_class_overrides where override_id = $1 for update`,
    [overrideId],
  );
  return rows[0] === undefined ? undefined : overrideOf(rows[0]);
}

export async function decideClassOverride(
  tx: Queryable,
  overrideId: string,
  decision: 'approved' | 'rejected',
  decidedBy: string,
  note: string | null,
): Promise<StoredClassOverride> {
  const o = await findClassOverride(tx, overrideId);
  if (o === undefined)
    throw new ClassOverrideError('class_override_not_found', 404, `no override ${overrideId}`);
  if (o.status !== 'proposed') {
    throw new ClassOverrideError(
      'class_override_decided',
      409,
      `override ${overrideId} is already ${o.status}`,
    );
  }
  if (o.proposedBy === decidedBy) {
    throw new ClassOverrideError(
      'class_override_by_proposer',
      409,
      'the person who proposed an override cannot decide it: a second person must',
    );
  }
  const { rows } = await tx.query<OverrideDbRow>(
    `update loan_class_overrides set status = $2, decided_by = $3, decided_at = now(), decision_note = $4
     where override_id = $1 returning ${OVERRIDE_COLUMNS}`,
    [overrideId, decision, decidedBy, note],
  );
  return overrideOf(rows[0] as OverrideDbRow);
}

/** The approved overrides of a month end, as the classification reads them. */
export async function approvedOverrides(q: Queryable, monthEnd: Day): Promise<ClassOverride[]> {
  const { rows } = await q.query<OverrideDbRow>(
    `select ${OVERRIDE_COLUMNS} from loan_class_overrides where month_end = $1::date and status = 'approved'
     order by loan_id`,
    [sqlDate(monthEnd)],
  );
  return rows.map((r) => ({
    loanId: r.loan_id,
    assetClass: r.asset_class as AssetClass,
    reason: r.reason,
    proposedBy: r.proposed_by,
    approvedBy: r.decided_by ?? '',
  }));
}
