import {
  type CaseFigures,
  type CaseLoan,
  type CaseSettings,
  DEFAULT_CASE_SETTINGS,
  DEFAULT_PROMISE_SETTINGS,
  decidePromises,
  type OpenCase,
  type PromiseSettings,
  type PromiseToPay,
  paidToDateMinor,
  planCases,
} from '../../collections/index.js';
import { type Bucket, type LoanState, loanPosition } from '../../ledger/index.js';
import { type Day, formatDate } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';
import { dayFromSql, loanStateFromColumns, sqlDate } from '../ledger/index.js';

/** A case as stored. */
export interface StoredCase {
  readonly caseId: string;
  readonly customerId: string;
  readonly status: 'open' | 'closed';
  readonly openedDay: string;
  readonly closedDay: string | null;
  readonly closeReason: 'cured' | 'paid-off' | null;
  readonly bucket: Bucket;
  readonly maxDaysPastDue: number;
  readonly overdueMinor: number;
  readonly totalOwedMinor: number;
  readonly pastDueLoanIds: readonly string[];
  readonly borrowerZone: string;
  readonly lostContact: boolean;
  readonly assignee: string | null;
  readonly updatedDay: string;
  readonly rowVersion: number;
}

interface CaseRow {
  case_id: string;
  customer_id: string;
  status: 'open' | 'closed';
  opened_day: string;
  closed_day: string | null;
  close_reason: 'cured' | 'paid-off' | null;
  bucket: Bucket;
  max_days_past_due: number;
  overdue_minor: string | number;
  total_owed_minor: string | number;
  past_due_loan_ids: string;
  borrower_zone: string;
  lost_contact: boolean;
  assignee: string | null;
  updated_day: string;
  row_version: string | number;
}

export const CASE_COLUMNS = `case_id, customer_id, status, opened_day::text as opened_day, closed_day::text as closed_day,
  close_reason, bucket, max_days_past_due, overdue_minor, total_owed_minor, past_due_loan_ids::text as past_due_loan_ids,
  borrower_zone, lost_contact, assignee, updated_day::text as updated_day, row_version`;

export function caseFromRow(r: CaseRow): StoredCase {
  return {
    caseId: r.case_id,
    customerId: r.customer_id,
    status: r.status,
    openedDay: r.opened_day,
    closedDay: r.closed_day,
    closeReason: r.close_reason,
    bucket: r.bucket,
    maxDaysPastDue: r.max_days_past_due,
    overdueMinor: Number(r.overdue_minor),
    totalOwedMinor: Number(r.total_owed_minor),
    pastDueLoanIds: JSON.parse(r.past_due_loan_ids) as string[],
    borrowerZone: r.borrower_zone,
    lostContact: r.lost_contact,
    assignee: r.assignee,
    updatedDay: r.updated_day,
    rowVersion: Number(r.row_version),
  };
}

export async function findCase(
  q: Queryable,
  caseId: string,
  forUpdate = false,
): Promise<StoredCase | undefined> {
  const { rows } = await q.query<CaseRow>(
    `select ${CASE_COLUMNS} from collection_cases where case_id = $1${forUpdate ? ' for update' : ''}`,
    [caseId],
  );
  return rows[0] === undefined ? undefined : caseFromRow(rows[0]);
}

export interface CaseQuery {
  readonly status?: 'open' | 'closed';
  readonly customerId?: string;
  readonly loanId?: string;
  readonly assignee?: string;
  readonly bucket?: Bucket;
  readonly limit: number;
  /** Keyset: cases after this (max days past due, case id) in the list's order. */
  readonly after?: { readonly maxDaysPastDue: number; readonly caseId: string };
}

/** Cases, worst first (days past due, then id), filtered. */
export async function listCases(q: Queryable, query: CaseQuery): Promise<StoredCase[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (query.status !== undefined) add('status = ?', query.status);
  if (query.customerId !== undefined) add('customer_id = ?', query.customerId);
  // A loan's cases are its borrower's (one case covers all of a borrower's loans).
  if (query.loanId !== undefined)
    add('customer_id in (select customer_id from loans where loan_id = ?)', query.loanId);
  if (query.assignee !== undefined) add('assignee = ?', query.assignee);
  if (query.bucket !== undefined) add('bucket = ?', query.bucket);
  if (query.after !== undefined) {
    params.push(query.after.maxDaysPastDue, query.after.caseId);
    where.push(`(max_days_past_due, case_id) < ($${params.length - 1}, $${params.length})`);
  }
  params.push(query.limit);
  const { rows } = await q.query<CaseRow>(
    `select ${CASE_COLUMNS} from collection_cases ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
      order by max_days_past_due desc, case_id desc limit $${params.length}`,
    params,
  );
  return rows.map(caseFromRow);
}

export interface CasePatch {
  readonly assignee?: string | null;
  readonly lostContact?: boolean;
  readonly borrowerZone?: string;
}

export async function patchCase(
  q: Queryable,
  caseId: string,
  patch: CasePatch,
  day: Day,
): Promise<StoredCase> {
  const { rows } = await q.query<CaseRow>(
    `update collection_cases set
        assignee = case when $2::boolean then $3 else assignee end,
        lost_contact = coalesce($4, lost_contact),
        borrower_zone = coalesce($5, borrower_zone),
        updated_day = $6, row_version = row_version + 1, updated_at = now()
      where case_id = $1 returning ${CASE_COLUMNS}`,
    [
      caseId,
      patch.assignee !== undefined,
      patch.assignee ?? null,
      patch.lostContact ?? null,
      patch.borrowerZone ?? null,
      sqlDate(day),
    ],
  );
  if (rows[0] === undefined) throw new Error(`assertion: case ${caseId} vanished`);
  return caseFromRow(rows[0]);
}

/** Settings of the case refresh that the store needs. */
export interface CaseRefreshSettings {
  readonly cases: CaseSettings;
  readonly promises: PromiseSettings;
  /** Zone a new case assumes for the borrower until someone sets theirs. */
  readonly defaultBorrowerZone: string;
}

export const DEFAULT_CASE_REFRESH_SETTINGS: CaseRefreshSettings = Object.freeze({
  cases: DEFAULT_CASE_SETTINGS,
  promises: DEFAULT_PROMISE_SETTINGS,
  defaultBorrowerZone: 'Asia/Shanghai',
});

export interface CaseRefreshCounts {
  readonly opened: number;
  readonly updated: number;
  readonly closed: number;
  readonly promisesKept: number;
  readonly promisesBroken: number;
}

interface PromiseRow {
  promise_id: string;
  case_id: string;
  amount_minor: string | number;
  promised_day: string;
  made_day: string;
  paid_baseline_minor: string | number;
  status: 'pending';
}

/**
 * Brings the cases of `customerIds` (or, when null, of every borrower with a loan past due or an open case)
 * up to date with the ledger once day `day` is closed: opens, updates and closes cases as the core plans,
 * and decides their pending promises. Runs in the caller's transaction.
 */
export async function refreshCases(
  tx: Queryable,
  day: Day,
  customerIds: readonly string[] | null,
  settings: CaseRefreshSettings = DEFAULT_CASE_REFRESH_SETTINGS,
): Promise<CaseRefreshCounts> {
  const scope =
    customerIds === null
      ? `customer_id in (select customer_id from loans where status = 'active' and bucket <> 'M0'
                         union select customer_id from collection_cases where status = 'open')`
      : 'customer_id = any($1::text[])';
  const params = customerIds === null ? [] : [customerIds];
  const loans = await tx.query<{ customer_id: string; loan_id: string; state: string; terms: string }>(
    `select customer_id, loan_id, state::text as state, terms::text as terms from loans where ${scope}
      order by customer_id, loan_id`,
    params,
  );
  const statesByCustomer = new Map<string, LoanState[]>();
  const loansByCustomer = new Map<string, CaseLoan[]>();
  for (const r of loans.rows) {
    const state = loanStateFromColumns(r.state, r.terms);
    let states = statesByCustomer.get(r.customer_id);
    if (states === undefined) {
      states = [];
      statesByCustomer.set(r.customer_id, states);
      loansByCustomer.set(r.customer_id, []);
    }
    states.push(state);
    loansByCustomer.get(r.customer_id)?.push({ loanId: r.loan_id, position: loanPosition(state) });
  }
  const open = await tx.query<CaseRow>(
    `select ${CASE_COLUMNS} from collection_cases where status = 'open' and ${scope} for update`,
    params,
  );
  const openCases: OpenCase[] = open.rows.map((r) => {
    const c = caseFromRow(r);
    return {
      caseId: c.caseId,
      customerId: c.customerId,
      openedDay: dayFromSql(c.openedDay),
      figures: {
        pastDueLoanIds: c.pastDueLoanIds,
        maxDaysPastDue: c.maxDaysPastDue,
        bucket: c.bucket,
        overdueMinor: c.overdueMinor,
        totalOwedMinor: c.totalOwedMinor,
      },
    };
  });
  const plan = planCases(loansByCustomer, openCases, settings.cases);
  const dayText = sqlDate(day);
  for (const o of plan.open) {
    await insertCase(tx, newId('cs'), o.customerId, o.figures, dayText, settings.defaultBorrowerZone);
  }
  for (const u of plan.update) await writeFigures(tx, u.caseId, u.figures, dayText, null);
  for (const c of plan.close) await writeFigures(tx, c.caseId, c.figures, dayText, c.reason);

  // Promises of the cases that were open: decided from what the borrower paid.
  const caseCustomer = new Map(openCases.map((c) => [c.caseId, c.customerId]));
  let kept = 0;
  let broken = 0;
  if (caseCustomer.size > 0) {
    const pending = await tx.query<PromiseRow>(
      `select promise_id, case_id, amount_minor, promised_day::text as promised_day, made_day::text as made_day,
              paid_baseline_minor, status
         from collection_promises where status = 'pending' and case_id = any($1::text[]) order by promise_id`,
      [[...caseCustomer.keys()]],
    );
    const byCase = new Map<string, PromiseToPay[]>();
    for (const r of pending.rows) {
      const list = byCase.get(r.case_id) ?? [];
      list.push({
        promiseId: r.promise_id,
        amountMinor: Number(r.amount_minor),
        promisedDay: dayFromSql(r.promised_day),
        madeDay: dayFromSql(r.made_day),
        paidBaselineMinor: Number(r.paid_baseline_minor),
        status: 'pending',
      });
      byCase.set(r.case_id, list);
    }
    for (const [caseId, promises] of byCase) {
      const paid = paidToDateMinor(statesByCustomer.get(caseCustomer.get(caseId) as string) ?? []);
      for (const d of decidePromises(promises, paid, day, settings.promises)) {
        await tx.query(
          `update collection_promises set status = $2, decided_day = $3, paid_minor = $4
            where promise_id = $1 and status = 'pending'`,
          [d.promiseId, d.status, formatDate(d.day), d.paidMinor],
        );
        if (d.status === 'kept') kept++;
        else broken++;
      }
    }
  }
  return {
    opened: plan.open.length,
    updated: plan.update.length,
    closed: plan.close.length,
    promisesKept: kept,
    promisesBroken: broken,
  };
}

async function insertCase(
  tx: Queryable,
  caseId: string,
  customerId: string,
  f: CaseFigures,
  day: string,
  zone: string,
): Promise<void> {
  await tx.query(
    `insert into collection_cases (case_id, customer_id, status, opened_day, bucket, max_days_past_due,
        overdue_minor, total_owed_minor, past_due_loan_ids, borrower_zone, updated_day)
      values ($1, $2, 'open', $3, $4, $5, $6, $7, $8::jsonb, $9, $3)`,
    [
      caseId,
      customerId,
      day,
      f.bucket,
      f.maxDaysPastDue,
      f.overdueMinor,
      f.totalOwedMinor,
      JSON.stringify(f.pastDueLoanIds),
      zone,
    ],
  );
}

async function writeFigures(
  tx: Queryable,
  caseId: string,
  f: CaseFigures,
  day: string,
  closeReason: 'cured' | 'paid-off' | null,
): Promise<void> {
  // A closed case keeps the loans it held (the list of past-due loans at the last update).
  const { rowCount } = await tx.query(
    `update collection_cases set bucket = $2, max_days_past_due = $3, overdue_minor = $4, total_owed_minor = $5,
        past_due_loan_ids = case when $7::text is null then $6::jsonb else past_due_loan_ids end,
        status = case when $7::text is null then status else 'closed' end,
        closed_day = case when $7::text is null then null else $8::date end,
        close_reason = $7, updated_day = $8, row_version = row_version + 1, updated_at = now()
      where case_id = $1 and status = 'open'`,
    [
      caseId,
      f.bucket,
      f.maxDaysPastDue,
      f.overdueMinor,
      f.totalOwedMinor,
      JSON.stringify(f.pastDueLoanIds),
      closeReason,
      day,
    ],
  );
  if (rowCount !== 1) throw new Error(`assertion: open case ${caseId} vanished while refreshing`);
}

/** True when the borrower has an open collection case assigned to `userId` (a collector's need to know). */
export async function hasAssignedOpenCase(
  q: Queryable,
  customerId: string,
  userId: string,
): Promise<boolean> {
  const { rows } = await q.query(
    `select 1 from collection_cases where customer_id = $1 and status = 'open' and assignee = $2`,
    [customerId, userId],
  );
  return rows.length > 0;
}
