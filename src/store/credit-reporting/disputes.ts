import type { Day } from '../../money/index.js';
import type { DisputeStatus } from '../../reporting/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';
import { sqlDate } from '../ledger/index.js';

/** An objection (异议) to a month's record. */
export interface StoredDispute {
  readonly disputeId: string;
  readonly customerId: string;
  readonly loanId: string;
  readonly month: string;
  readonly claim: string;
  readonly receivedDay: string;
  readonly replyByDay: string;
  readonly status: DisputeStatus;
  readonly finding: string | null;
  readonly correctedStatus: string | null;
  readonly decidedDay: string | null;
  readonly createdBy: string;
}

interface DisputeRow {
  dispute_id: string;
  customer_id: string;
  loan_id: string;
  month: string;
  claim: string;
  received_day: string;
  reply_by_day: string;
  status: DisputeStatus;
  finding: string | null;
  corrected_status: string | null;
  decided_day: string | null;
  created_by: string;
}

const COLUMNS = `dispute_id, customer_id, loan_id, month, claim, received_day::text as received_day,
  reply_by_day::text as reply_by_day, status, finding, corrected_status, decided_day::text as decided_day, created_by`;

function fromRow(r: DisputeRow): StoredDispute {
  return {
    disputeId: r.dispute_id,
    customerId: r.customer_id,
    loanId: r.loan_id,
    month: r.month,
    claim: r.claim,
    receivedDay: r.received_day,
    replyByDay: r.reply_by_day,
    status: r.status,
    finding: r.finding,
    correctedStatus: r.corrected_status,
    decidedDay: r.decided_day,
    createdBy: r.created_by,
  };
}

export interface DisputeEvent {
  readonly seq: number;
  readonly action: string;
  readonly day: string;
  readonly actor: string;
  readonly details: Record<string, unknown>;
}

async function addEvent(
  tx: Queryable,
  disputeId: string,
  action: string,
  day: Day,
  actor: string,
  details: Record<string, unknown>,
): Promise<void> {
  await tx.query(
    `insert into credit_report_dispute_events (dispute_id, seq, action, day, actor, details)
     select $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5 from credit_report_dispute_events where dispute_id = $1`,
    [disputeId, action, sqlDate(day), actor, JSON.stringify(details)],
  );
}

export async function insertDispute(
  tx: Queryable,
  d: {
    customerId: string;
    loanId: string;
    month: string;
    claim: string;
    receivedDay: Day;
    replyByDay: Day;
    actor: string;
  },
): Promise<StoredDispute> {
  const { rows } = await tx.query<DisputeRow>(
    `insert into credit_report_disputes (dispute_id, customer_id, loan_id, month, claim, received_day, reply_by_day, status, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, 'received', $8) returning ${COLUMNS}`,
    [
      newId('crd'),
      d.customerId,
      d.loanId,
      d.month,
      d.claim,
      sqlDate(d.receivedDay),
      sqlDate(d.replyByDay),
      d.actor,
    ],
  );
  const stored = fromRow(rows[0] as DisputeRow);
  await addEvent(tx, stored.disputeId, 'received', d.receivedDay, d.actor, { claim: d.claim });
  return stored;
}

export async function findDispute(
  q: Queryable,
  disputeId: string,
  forUpdate = false,
): Promise<StoredDispute | undefined> {
  const { rows } = await q.query<DisputeRow>(
    `select ${COLUMNS} from credit_report_disputes where dispute_id = $1${forUpdate ? ' for update' : ''}`,
    [disputeId],
  );
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

export async function listDisputes(
  q: Queryable,
  filter: { status?: DisputeStatus; loanId?: string; limit: number },
): Promise<StoredDispute[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.status !== undefined) {
    params.push(filter.status);
    where.push(`status = $${params.length}`);
  }
  if (filter.loanId !== undefined) {
    params.push(filter.loanId);
    where.push(`loan_id = $${params.length}`);
  }
  params.push(filter.limit);
  const { rows } = await q.query<DisputeRow>(
    `select ${COLUMNS} from credit_report_disputes ${where.length === 0 ? '' : `where ${where.join(' and ')}`}
      order by reply_by_day, dispute_id limit $${params.length}`,
    params,
  );
  return rows.map(fromRow);
}

/** Moves an objection on and records the step (who, when, what was found). */
export async function updateDispute(
  tx: Queryable,
  disputeId: string,
  status: DisputeStatus,
  day: Day,
  actor: string,
  details: { finding?: string; correctedStatus?: string },
): Promise<StoredDispute> {
  const decided = status === 'corrected' || status === 'rejected';
  const { rows } = await tx.query<DisputeRow>(
    `update credit_report_disputes set status = $2, finding = coalesce($3, finding),
       corrected_status = coalesce($4, corrected_status), decided_day = $5
     where dispute_id = $1 returning ${COLUMNS}`,
    [
      disputeId,
      status,
      details.finding ?? null,
      details.correctedStatus ?? null,
      decided ? sqlDate(day) : null,
    ],
  );
  await addEvent(tx, disputeId, status, day, actor, { ...details });
  return fromRow(rows[0] as DisputeRow);
}

export async function disputeEvents(q: Queryable, disputeId: string): Promise<DisputeEvent[]> {
  const { rows } = await q.query<{
    seq: number;
    action: string;
    day: string;
    actor: string;
    details: Record<string, unknown> | string;
  }>(
    `select seq, action, day::text as day, actor, details from credit_report_dispute_events where dispute_id = $1 order by seq`,
    [disputeId],
  );
  return rows.map((r) => ({
    ...r,
    details: typeof r.details === 'string' ? (JSON.parse(r.details) as Record<string, unknown>) : r.details,
  }));
}
