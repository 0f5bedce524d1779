import type {
  DemandChannel,
  LegalCostKind,
  LegalPath,
  LegalStatus,
  LegalStepPlan,
} from '../../collections/index.js';
import { type Day, formatDate } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';
import { dayFromSql } from '../ledger/index.js';

/** A legal action (法律诉讼) of a collection case, as stored. */
export interface StoredLegalAction {
  readonly actionId: string;
  readonly caseId: string;
  readonly customerId: string;
  readonly path: LegalPath;
  readonly status: LegalStatus;
  readonly claimedMinor: number;
  readonly reason: string;
  readonly venue: string | null;
  readonly reference: string | null;
  readonly proposedBy: string;
  readonly proposedDay: Day;
  readonly approvedBy: string | null;
  readonly approvedDay: Day | null;
  readonly lastStepDay: Day;
}

export interface StoredLegalStep {
  readonly actionId: string;
  readonly seq: number;
  readonly day: Day;
  readonly from: LegalStatus | null;
  readonly to: LegalStatus;
  readonly actor: string;
  readonly note: string | null;
  readonly deadlines: readonly { name: string; day: Day }[];
}

export interface StoredLegalCost {
  readonly costId: string;
  readonly actionId: string;
  readonly kind: LegalCostKind;
  readonly amountMinor: number;
  readonly day: Day;
  readonly note: string | null;
  readonly actor: string;
}

export interface StoredDemand {
  readonly demandId: string;
  readonly caseId: string;
  readonly customerId: string;
  readonly day: Day;
  readonly channel: DemandChannel;
  readonly reachedDebtor: boolean;
  readonly evidence: string;
  readonly actor: string;
}

interface ActionRow {
  action_id: string;
  case_id: string;
  customer_id: string;
  path: LegalPath;
  status: LegalStatus;
  claimed_minor: string | number;
  reason: string;
  venue: string | null;
  reference: string | null;
  proposed_by: string;
  proposed_day: string;
  approved_by: string | null;
  approved_day: string | null;
  last_step_day: string;
}

const ACTION_COLUMNS = `action_id, case_id, customer_id, path, status, claimed_minor, reason, venue, reference, proposed_by,
  proposed_day::text, approved_by, approved_day::text, last_step_day::text`;

function actionFromRow(r: ActionRow): StoredLegalAction {
  return {
    actionId: r.action_id,
    caseId: r.case_id,
    customerId: r.customer_id,
    path: r.path,
    status: r.status,
    claimedMinor: Number(r.claimed_minor),
    reason: r.reason,
    venue: r.venue,
    reference: r.reference,
    proposedBy: r.proposed_by,
    proposedDay: dayFromSql(r.proposed_day),
    approvedBy: r.approved_by,
    approvedDay: r.approved_day === null ? null : dayFromSql(r.approved_day),
    lastStepDay: dayFromSql(r.last_step_day),
  };
}

export async function insertLegalAction(
  q: Queryable,
  a: {
    caseId: string;
    customerId: string;
    path: LegalPath;
    claimedMinor: number;
    reason: string;
    venue: string | null;
    proposedBy: string;
    day: Day;
  },
): Promise<StoredLegalAction> {
  const actionId = newId('lga');
  const { rows } = await q.query<ActionRow>(
    `insert into collection_legal_actions (action_id, case_id, customer_id, path, status, claimed_minor, reason, venue,
       proposed_by, proposed_day, last_step_day)
     values ($1, $2, $3, $4, 'proposed', $5, $6, $7, $8, $9, $9) returning ${ACTION_COLUMNS}`,
    [
      actionId,
      a.caseId,
      a.customerId,
      a.path,
      a.claimedMinor,
      a.reason,
      a.venue,
      a.proposedBy,
      formatDate(a.day),
    ],
  );
  await insertStep(
    q,
    actionId,
    1,
    { from: null, to: 'proposed', day: a.day, actor: a.proposedBy, deadlines: [] },
    a.reason,
  );
  return actionFromRow(rows[0]!);
}

async function insertStep(
  q: Queryable,
  actionId: string,
  seq: number,
  s: {
    from: LegalStatus | null;
    to: LegalStatus;
    day: Day;
    actor: string;
    deadlines: readonly { name: string; day: Day }[];
  },
  note: string | null,
): Promise<void> {
  await q.query(
    `insert into collection_legal_steps (step_id, action_id, seq, day, from_status, to_status, actor, note, deadlines)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
    [
      newId('lgs'),
      actionId,
      seq,
      formatDate(s.day),
      s.from,
      s.to,
      s.actor,
      note,
      JSON.stringify(s.deadlines.map((d) => ({ name: d.name, date: formatDate(d.day) }))),
    ],
  );
}

export async function findLegalAction(
  q: Queryable,
  actionId: string,
  forUpdate = false,
): Promise<StoredLegalAction | undefined> {
  const { rows } = await q.query<ActionRow>(
    `select ${ACTION_COLUMNS} from collection_legal_actions where action_id = $1${forUpdate ? ' for update' : ''}`,
    [actionId],
  );
  return rows[0] === undefined ? undefined : actionFromRow(rows[0]);
}

export async function listLegalActions(q: Queryable, caseId: string): Promise<StoredLegalAction[]> {
  const { rows } = await q.query<ActionRow>(
    `select ${ACTION_COLUMNS} from collection_legal_actions where case_id = $1 order by proposed_day, action_id`,
    [caseId],
  );
  return rows.map(actionFromRow);
}

/** Writes a planned step: the action's new status (and approver, venue, reference) and the step's row. */
export async function applyLegalStep(
  q: Queryable,
  action: StoredLegalAction,
  plan: LegalStepPlan,
  extra: { note: string | null; venue?: string; reference?: string },
): Promise<StoredLegalAction> {
  const { rows } = await q.query<ActionRow>(
    `update collection_legal_actions
        set status = $2, last_step_day = $3, approved_by = coalesce($4, approved_by),
            approved_day = case when $4::text is null then approved_day else $3::date end,
            venue = coalesce($5, venue), reference = coalesce($6, reference), row_version = row_version + 1
      where action_id = $1 returning ${ACTION_COLUMNS}`,
    [
      action.actionId,
      plan.to,
      formatDate(plan.day),
      plan.approvedBy,
      extra.venue ?? null,
      extra.reference ?? null,
    ],
  );
  const { rows: seqRows } = await q.query<{ n: number }>(
    'select coalesce(max(seq), 0)::int as n from collection_legal_steps where action_id = $1',
    [action.actionId],
  );
  await insertStep(q, action.actionId, (seqRows[0]?.n ?? 0) + 1, plan, extra.note);
  return actionFromRow(rows[0]!);
}

interface StepRow {
  action_id: string;
  seq: number;
  day: string;
  from_status: LegalStatus | null;
  to_status: LegalStatus;
  actor: string;
  note: string | null;
  deadlines: { name: string; date: string }[];
}

export async function listLegalSteps(q: Queryable, actionIds: readonly string[]): Promise<StoredLegalStep[]> {
  if (actionIds.length === 0) return [];
  const { rows } = await q.query<StepRow>(
    `select action_id, seq, day::text, from_status, to_status, actor, note, deadlines from collection_legal_steps
      where action_id = any($1::text[]) order by action_id, seq`,
    [actionIds],
  );
  return rows.map((r) => ({
    actionId: r.action_id,
    seq: r.seq,
    day: dayFromSql(r.day),
    from: r.from_status,
    to: r.to_status,
    actor: r.actor,
    note: r.note,
    deadlines: r.deadlines.map((d) => ({ name: d.name, day: dayFromSql(d.date) })),
  }));
}

export async function insertLegalCost(
  q: Queryable,
  c: {
    actionId: string;
    kind: LegalCostKind;
    amountMinor: number;
    day: Day;
    note: string | null;
    actor: string;
  },
): Promise<StoredLegalCost> {
  const costId = newId('lgc');
  await q.query(
    `insert into collection_legal_costs (cost_id, action_id, kind, amount_minor, day, note, actor)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [costId, c.actionId, c.kind, c.amountMinor, formatDate(c.day), c.note, c.actor],
  );
  return { costId, ...c };
}

export async function listLegalCosts(q: Queryable, actionIds: readonly string[]): Promise<StoredLegalCost[]> {
  if (actionIds.length === 0) return [];
  const { rows } = await q.query<{
    cost_id: string;
    action_id: string;
    kind: LegalCostKind;
    amount_minor: string | number;
    day: string;
    note: string | null;
    actor: string;
  }>(
    `select cost_id, action_id, kind, amount_minor, day::text, note, actor from collection_legal_costs
      where action_id = any($1::text[]) order by day, cost_id`,
    [actionIds],
  );
  return rows.map((r) => ({
    costId: r.cost_id,
    actionId: r.action_id,
    kind: r.kind,
    amountMinor: Number(r.amount_minor),
    day: dayFromSql(r.day),
    note: r.note,
    actor: r.actor,
  }));
}

export async function insertDemand(q: Queryable, d: Omit<StoredDemand, 'demandId'>): Promise<StoredDemand> {
  const demandId = newId('dmd');
  await q.query(
    `insert into collection_demands (demand_id, case_id, customer_id, day, channel, reached_debtor, evidence, actor)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [demandId, d.caseId, d.customerId, formatDate(d.day), d.channel, d.reachedDebtor, d.evidence, d.actor],
  );
  return { demandId, ...d };
}

/** Every demand made of the borrower, over all their cases (the limitation period is the claim's). */
export async function listDemands(q: Queryable, customerId: string): Promise<StoredDemand[]> {
  const { rows } = await q.query<{
    demand_id: string;
    case_id: string;
    customer_id: string;
    day: string;
    channel: DemandChannel;
    reached_debtor: boolean;
    evidence: string;
    actor: string;
  }>(
    `select demand_id, case_id, customer_id, day::text, channel, reached_debtor, evidence, actor from collection_demands
      where customer_id = $1 order by day, demand_id`,
    [customerId],
  );
  return rows.map((r) => ({
    demandId: r.demand_id,
    caseId: r.case_id,
    customerId: r.customer_id,
    day: dayFromSql(r.day),
    channel: r.channel,
    reachedDebtor: r.reached_debtor,
    evidence: r.evidence,
    actor: r.actor,
  }));
}

/** Days the borrower's actions were filed (they interrupt the limitation period, 民法典 Art. 195 (3)). */
export async function filingDaysOf(q: Queryable, customerId: string): Promise<Day[]> {
  const { rows } = await q.query<{ day: string }>(
    `select s.day::text from collection_legal_steps s join collection_legal_actions a using (action_id)
      where a.customer_id = $1 and s.to_status = 'filed' order by s.day`,
    [customerId],
  );
  return rows.map((r) => dayFromSql(r.day));
}
