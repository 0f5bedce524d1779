import type {
  ComplaintCategory,
  ComplaintChannel,
  ComplaintCount,
  ComplaintOutcome,
  ComplaintRootCause,
  ComplaintStatus,
  MonthActivity,
  OpenComplaintFacts,
} from '../../collections/index.js';
import type { Day } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';
import { sqlDate } from '../ledger/index.js';

/** A complaint as stored. */
export interface StoredComplaint {
  readonly complaintId: string;
  readonly customerId: string;
  readonly loanId: string | null;
  readonly caseId: string | null;
  readonly channel: ComplaintChannel;
  readonly category: ComplaintCategory;
  readonly summary: string;
  readonly regulatorReference: string | null;
  readonly receivedAt: string;
  readonly receivedDay: string;
  readonly status: ComplaintStatus;
  readonly acknowledgedDay: string | null;
  readonly acknowledgedBy: string | null;
  readonly resolvedDay: string | null;
  readonly resolvedBy: string | null;
  readonly outcome: ComplaintOutcome | null;
  readonly rootCause: ComplaintRootCause | null;
  readonly resolution: string | null;
  readonly createdBy: string;
}

interface ComplaintRow {
  complaint_id: string;
  customer_id: string;
  loan_id: string | null;
  case_id: string | null;
  channel: ComplaintChannel;
  category: ComplaintCategory;
  summary: string;
  regulator_reference: string | null;
  received_at: Date | string;
  received_day: string;
  status: ComplaintStatus;
  acknowledged_day: string | null;
  acknowledged_by: string | null;
  resolved_day: string | null;
  resolved_by: string | null;
  outcome: ComplaintOutcome | null;
  root_cause: ComplaintRootCause | null;
  resolution: string | null;
  created_by: string;
}

const COLUMNS = `complaint_id, customer_id, loan_id, case_id, channel, category, summary, regulator_reference,
  received_at, received_day::text as received_day, status, acknowledged_day::text as acknowledged_day,
  acknowledged_by, resolved_day::text as resolved_day, resolved_by, outcome, root_cause, resolution, created_by`;

function fromRow(r: ComplaintRow): StoredComplaint {
  return {
    complaintId: r.complaint_id,
    customerId: r.customer_id,
    loanId: r.loan_id,
    caseId: r.case_id,
    channel: r.channel,
    category: r.category,
    summary: r.summary,
    regulatorReference: r.regulator_reference,
    receivedAt: new Date(r.received_at).toISOString(),
    receivedDay: r.received_day,
    status: r.status,
    acknowledgedDay: r.acknowledged_day,
    acknowledgedBy: r.acknowledged_by,
    resolvedDay: r.resolved_day,
    resolvedBy: r.resolved_by,
    outcome: r.outcome,
    rootCause: r.root_cause,
    resolution: r.resolution,
    createdBy: r.created_by,
  };
}

export interface ComplaintEvent {
  readonly seq: number;
  readonly action: string;
  readonly day: string;
  readonly actor: string;
  readonly details: Record<string, unknown>;
}

async function addEvent(
  tx: Queryable,
  complaintId: string,
  action: string,
  day: Day,
  actor: string,
  details: Record<string, unknown>,
): Promise<void> {
  await tx.query(
    `insert into complaint_events (complaint_id, seq, action, day, actor, details)
     select $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5 from complaint_events where complaint_id = $1`,
    [complaintId, action, sqlDate(day), actor, JSON.stringify(details)],
  );
}

export interface NewComplaint {
  readonly customerId: string;
  readonly loanId: string | null;
  readonly channel: ComplaintChannel;
  readonly category: ComplaintCategory;
  readonly summary: string;
  readonly regulatorReference: string | null;
  readonly receivedAtMs: number;
  readonly receivedDay: Day;
  readonly actor: string;
}

/**
 * Records a complaint checked by the core, linked to the borrower's open collection case if there is one,
 * with its first event.
 */
export async function insertComplaint(tx: Queryable, c: NewComplaint): Promise<StoredComplaint> {
  const complaintId = newId('cpl');
  const { rows } = await tx.query<ComplaintRow>(
    `insert into complaints (complaint_id, customer_id, loan_id, case_id, channel, category, summary, regulator_reference,
        received_at, received_day, status, created_by)
     values ($1, $2, $3, (select case_id from collection_cases where customer_id = $2 and status = 'open'),
        $4, $5, $6, $7, $8, $9, 'received', $10)
     returning ${COLUMNS}`,
    [
      complaintId,
      c.customerId,
      c.loanId,
      c.channel,
      c.category,
      c.summary,
      c.regulatorReference,
      new Date(c.receivedAtMs).toISOString(),
      sqlDate(c.receivedDay),
      c.actor,
    ],
  );
  const stored = fromRow(rows[0] as ComplaintRow);
  await addEvent(tx, complaintId, 'received', c.receivedDay, c.actor, {
    channel: c.channel,
    category: c.category,
    caseId: stored.caseId,
  });
  return stored;
}

export async function findComplaint(
  q: Queryable,
  complaintId: string,
  forUpdate = false,
): Promise<StoredComplaint | undefined> {
  const { rows } = await q.query<ComplaintRow>(
    `select ${COLUMNS} from complaints where complaint_id = $1${forUpdate ? ' for update' : ''}`,
    [complaintId],
  );
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

export async function complaintEvents(q: Queryable, complaintId: string): Promise<ComplaintEvent[]> {
  const { rows } = await q.query<{
    seq: number;
    action: string;
    day: string;
    actor: string;
    details: Record<string, unknown> | string;
  }>(
    `select seq, action, day::text as day, actor, details from complaint_events where complaint_id = $1 order by seq`,
    [complaintId],
  );
  return rows.map((r) => ({
    ...r,
    details: typeof r.details === 'string' ? (JSON.parse(r.details) as Record<string, unknown>) : r.details,
  }));
}

export interface ComplaintQuery {
  readonly status?: ComplaintStatus;
  readonly open?: boolean;
  readonly customerId?: string;
  readonly caseId?: string;
  readonly category?: ComplaintCategory;
  /** Keyset: complaints received before this one (newest first). */
  readonly after?: { receivedAt: string; complaintId: string };
  readonly limit: number;
}

/** Complaints, newest first. */
export async function listComplaints(q: Queryable, query: ComplaintQuery): Promise<StoredComplaint[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (query.status !== undefined) add('status = ?', query.status);
  if (query.open === true) where.push(`status <> 'resolved'`);
  if (query.open === false) where.push(`status = 'resolved'`);
  if (query.customerId !== undefined) add('customer_id = ?', query.customerId);
  if (query.caseId !== undefined) add('case_id = ?', query.caseId);
  if (query.category !== undefined) add('category = ?', query.category);
  if (query.after !== undefined) {
    params.push(query.after.receivedAt, query.after.complaintId);
    where.push(`(received_at, complaint_id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(query.limit);
  const { rows } = await q.query<ComplaintRow>(
    `select ${COLUMNS} from complaints ${where.length === 0 ? '' : `where ${where.join(' and ')}`}
     order by received_at desc, complaint_id desc limit $${params.length}`,
    params,
  );
  return rows.map(fromRow);
}

/** The borrower's open complaints, as the contact rules read them. */
export async function openComplaintFacts(q: Queryable, customerId: string): Promise<OpenComplaintFacts[]> {
  const { rows } = await q.query<{ channel: ComplaintChannel; category: ComplaintCategory }>(
    `select channel, category from complaints where customer_id = $1 and status <> 'resolved'`,
    [customerId],
  );
  return rows;
}

export async function acknowledgeComplaint(
  tx: Queryable,
  complaintId: string,
  day: Day,
  actor: string,
  note: string | null,
): Promise<StoredComplaint> {
  const { rows } = await tx.query<ComplaintRow>(
    `update complaints set status = 'acknowledged', acknowledged_day = $2, acknowledged_by = $3,
       row_version = row_version + 1
     where complaint_id = $1 and status = 'received' returning ${COLUMNS}`,
    [complaintId, sqlDate(day), actor],
  );
  if (rows[0] === undefined) throw new Error(`assertion: complaint ${complaintId} was not received`);
  await addEvent(tx, complaintId, 'acknowledged', day, actor, note === null ? {} : { note });
  return fromRow(rows[0]);
}

export interface ComplaintResolution {
  readonly outcome: ComplaintOutcome;
  readonly rootCause: ComplaintRootCause;
  readonly resolution: string;
}

/** Resolves a complaint; one still unacknowledged is acknowledged by the resolution the same day. */
export async function resolveComplaint(
  tx: Queryable,
  complaintId: string,
  day: Day,
  actor: string,
  r: ComplaintResolution,
): Promise<StoredComplaint> {
  const { rows } = await tx.query<ComplaintRow>(
    `update complaints set status = 'resolved', resolved_day = $2, resolved_by = $3, outcome = $4, root_cause = $5,
       resolution = $6, acknowledged_day = coalesce(acknowledged_day, $2),
       acknowledged_by = coalesce(acknowledged_by, $3), row_version = row_version + 1
     where complaint_id = $1 and status <> 'resolved' returning ${COLUMNS}`,
    [complaintId, sqlDate(day), actor, r.outcome, r.rootCause, r.resolution],
  );
  if (rows[0] === undefined) throw new Error(`assertion: complaint ${complaintId} was resolved already`);
  await addEvent(tx, complaintId, 'resolved', day, actor, { ...r });
  return fromRow(rows[0]);
}

/**
 * The reputation view's inputs for months `from`..`to` (first days of months): borrowers with a loan
 * outstanding at some time in each month — opened by the month's end and not settled or written off before
 * it began (the loan's last event day is the settlement or write-off) — and complaints received per
 * month and category.
 */
export async function reputationInputs(
  q: Queryable,
  fromMonthStart: Day,
  toMonthStart: Day,
): Promise<{ activity: MonthActivity[]; counts: ComplaintCount[] }> {
  const activity = await q.query<{ month: string; active: string | number }>(
    `with months as (
       select m::date as month_start, (m + interval '1 month' - interval '1 day')::date as month_end
         from generate_series($1::date, $2::date, interval '1 month') as m)
     select to_char(months.month_start, 'YYYY-MM') as month,
            (select count(distinct l.customer_id) from loans l
              where l.opened_day <= months.month_end
                and (l.status = 'active'
                     or date '1970-01-01' + (l.state->>'lastEventDay')::integer >= months.month_start)) as active
       from months order by 1`,
    [sqlDate(fromMonthStart), sqlDate(toMonthStart)],
  );
  const counts = await q.query<{ month: string; category: ComplaintCategory; n: string | number }>(
    `select to_char(received_day, 'YYYY-MM') as month, category, count(*) as n from complaints
      where received_day >= $1::date and received_day < ($2::date + interval '1 month')
      group by 1, 2 order by 1, 2`,
    [sqlDate(fromMonthStart), sqlDate(toMonthStart)],
  );
  return {
    activity: activity.rows.map((r) => ({ month: r.month, activeBorrowers: Number(r.active) })),
    counts: counts.rows.map((r) => ({ month: r.month, category: r.category, count: Number(r.n) })),
  };
}

/** Whether the customer exists and, when a loan is named, whether it is theirs. */
export async function complaintSubject(
  q: Queryable,
  customerId: string,
  loanId: string | null,
): Promise<'ok' | 'no_customer' | 'loan_not_theirs'> {
  const { rows } = await q.query<{ customer: boolean; loan: boolean }>(
    `select exists (select 1 from customers where customer_id = $1) as customer,
            exists (select 1 from loans where customer_id = $1 and loan_id = $2) as loan`,
    [customerId, loanId ?? ''],
  );
  const r = rows[0];
  if (r === undefined || !r.customer) return 'no_customer';
  if (loanId !== null && !r.loan) return 'loan_not_theirs';
  return 'ok';
}
