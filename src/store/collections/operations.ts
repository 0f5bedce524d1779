import {
  type AllocatableCase,
  type AllocationPlan,
  type ArmCaseResult,
  type AssessmentVerdict,
  allocateCases,
  type HardshipCause,
  type Team,
} from '../../collections/index.js';
import type { Bucket } from '../../ledger/index.js';
import { type Day, formatDate } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';
import { CASE_COLUMNS, type CaseRow, caseFromRow, type StoredCase } from './cases.js';
import type { StoredPlacement } from './placements.js';

export {
  type LatestRecall,
  loadLatestRecalls,
  placeCase,
  type StoredPlacement,
} from './placements.js';

// ---------------------------------------------------------------------------------------------------------
// Evidence and the assessment override

export type EvidenceInput =
  | { readonly kind: 'hardship'; readonly cause: HardshipCause; readonly note: string | null }
  | { readonly kind: 'income'; readonly amountMinor: number; readonly note: string | null }
  | { readonly kind: 'evasion'; readonly note: string };

export interface StoredEvidence {
  readonly evidenceId: string;
  readonly caseId: string;
  readonly kind: 'hardship' | 'income' | 'evasion';
  readonly cause: string | null;
  readonly amountMinor: number | null;
  readonly note: string | null;
  readonly day: string;
  readonly actor: string;
}

export async function addEvidence(
  q: Queryable,
  caseId: string,
  input: EvidenceInput,
  day: Day,
  actor: string,
): Promise<StoredEvidence> {
  const evidenceId = newId('cev');
  const cause = input.kind === 'hardship' ? input.cause : null;
  const amount = input.kind === 'income' ? input.amountMinor : null;
  await q.query(
    `insert into collection_evidence (evidence_id, case_id, kind, cause, amount_minor, note, day, actor)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [evidenceId, caseId, input.kind, cause, amount, input.note, formatDate(day), actor],
  );
  return {
    evidenceId,
    caseId,
    kind: input.kind,
    cause,
    amountMinor: amount,
    note: input.note,
    day: formatDate(day),
    actor,
  };
}

export async function listEvidence(q: Queryable, caseId: string): Promise<StoredEvidence[]> {
  const { rows } = await q.query<{
    evidence_id: string;
    case_id: string;
    kind: StoredEvidence['kind'];
    cause: string | null;
    amount_minor: string | null;
    note: string | null;
    day: string;
    actor: string;
  }>(
    `select evidence_id, case_id, kind, cause, amount_minor, note, day::text as day, actor
       from collection_evidence where case_id = $1 order by day, evidence_id`,
    [caseId],
  );
  return rows.map((r) => ({
    evidenceId: r.evidence_id,
    caseId: r.case_id,
    kind: r.kind,
    cause: r.cause,
    amountMinor: r.amount_minor === null ? null : Number(r.amount_minor),
    note: r.note,
    day: r.day,
    actor: r.actor,
  }));
}

/** Sets (or, with a null verdict, clears) a person's override of the assessment. */
export async function overrideAssessment(
  q: Queryable,
  caseId: string,
  verdict: AssessmentVerdict | null,
  note: string,
  by: string,
  day: Day,
): Promise<StoredCase> {
  const value = verdict === null ? null : JSON.stringify({ verdict, note, by, day: formatDate(day) });
  const { rows } = await q.query<CaseRow>(
    `update collection_cases set assessment_override = $2::jsonb, row_version = row_version + 1, updated_at = now()
      where case_id = $1 returning ${CASE_COLUMNS}`,
    [caseId, value],
  );
  if (rows[0] === undefined) throw new Error(`assertion: case ${caseId} vanished`);
  return caseFromRow(rows[0]);
}

// ---------------------------------------------------------------------------------------------------------
// Teams, collectors and allocation

export interface StoredTeam {
  readonly teamId: string;
  readonly name: string;
  readonly buckets: readonly Bucket[];
  readonly lead: string | null;
  readonly members: readonly { readonly userId: string; readonly capacity: number }[];
}

/** Creates or replaces a team: its buckets, lead and members with their capacity. */
export async function saveTeam(q: Queryable, team: StoredTeam): Promise<StoredTeam> {
  await q.query(
    `insert into collection_teams (team_id, name, buckets, lead) values ($1, $2, $3::text[], $4)
     on conflict (team_id) do update set name = excluded.name, buckets = excluded.buckets, lead = excluded.lead`,
    [team.teamId, team.name, team.buckets, team.lead],
  );
  await q.query('delete from collection_team_members where team_id = $1', [team.teamId]);
  for (const m of team.members) {
    await q.query(
      `insert into collection_team_members (user_id, team_id, capacity) values ($1, $2, $3)
       on conflict (user_id) do update set team_id = excluded.team_id, capacity = excluded.capacity`,
      [m.userId, team.teamId, m.capacity],
    );
  }
  return team;
}

export async function listTeams(q: Queryable): Promise<StoredTeam[]> {
  const teams = await q.query<{ team_id: string; name: string; buckets: string[]; lead: string | null }>(
    'select team_id, name, buckets, lead from collection_teams order by team_id',
  );
  const members = await q.query<{ user_id: string; team_id: string; capacity: number }>(
    'select user_id, team_id, capacity from collection_team_members order by team_id, user_id',
  );
  return teams.rows.map((t) => ({
    teamId: t.team_id,
    name: t.name,
    buckets: t.buckets as Bucket[],
    lead: t.lead,
    members: members.rows
      .filter((m) => m.team_id === t.team_id)
      .map((m) => ({ userId: m.user_id, capacity: Number(m.capacity) })),
  }));
}

/**
 * Rows written per allocation statement (a named bound). Each statement is a hash join over a scan of every
 * case, so a book's allocation is written in one statement up to this many changes (three arrays of ids,
 * a few MB of parameters) rather than scanning every case once per 5,000 (decision 0752).
 */
const ASSIGNMENTS_PER_STATEMENT_MAX = 100_000;

/**
 * Allocates every open case to the teams' collectors (the core's allocateCases) and writes the changes in
 * the caller's transaction. Cases placed with an agency are left alone.
 *
 * Concurrent writers of cases wait from the read to the commit, as when each open case was locked by the
 * read (`for update`), but through one table lock (`share row exclusive`: other writers and other
 * allocations wait, readers do not, nor the foreign-key checks of a contact or a promise logged meanwhile):
 * locking each row wrote every open case once more before the update wrote it again (decision 0752).
 * A case is written only when its assignee or team changes.
 */
export async function allocateOpenCases(q: Queryable, day: Day): Promise<AllocationPlan> {
  const teams = await listTeams(q);
  await q.query('lock table collection_cases in share row exclusive mode');
  const { rows } = await q.query<{
    case_id: string;
    bucket: Bucket;
    overdue_minor: string;
    priority_minor: string;
    assignee: string | null;
    team_id: string | null;
    agency_id: string | null;
  }>(
    // No order: the core orders the cases itself (priority, then case id).
    `select case_id, bucket, overdue_minor, priority_minor, assignee, team_id, agency_id from collection_cases
      where status = 'open'`,
  );
  const cases: AllocatableCase[] = rows.map((r) => ({
    caseId: r.case_id,
    bucket: r.bucket,
    overdueMinor: Number(r.overdue_minor),
    priorityMinor: Number(r.priority_minor),
    assignee: r.assignee,
    placedWithAgency: r.agency_id !== null,
  }));
  const coreTeams: Team[] = teams.map((t) => ({
    teamId: t.teamId,
    buckets: t.buckets,
    collectors: t.members,
  }));
  const plan = allocateCases(cases, coreTeams);
  // Only the cases whose assignee or team changes are written (the rows cannot change meanwhile: the lock).
  // The test is made here, not in the update: a join filter there turns the plan into a walk of the whole
  // primary key with a random read of every case.
  const current = new Map(rows.map((r) => [r.case_id, r]));
  const writes = plan.changes.filter((c) => {
    const r = current.get(c.caseId)!;
    return r.assignee !== c.assignee || r.team_id !== c.teamId;
  });
  for (let i = 0; i < writes.length; i += ASSIGNMENTS_PER_STATEMENT_MAX) {
    const part = writes.slice(i, i + ASSIGNMENTS_PER_STATEMENT_MAX);
    await q.query(
      `update collection_cases c set assignee = u.assignee, team_id = u.team_id, updated_day = $1::date,
          row_version = c.row_version + 1, updated_at = now()
        from unnest($2::text[], $3::text[], $4::text[]) as u(case_id, assignee, team_id)
        where c.case_id = u.case_id and c.status = 'open'`,
      [formatDate(day), part.map((c) => c.caseId), part.map((c) => c.assignee), part.map((c) => c.teamId)],
    );
  }
  // Kept cases carry their team too (a team set up after the case was assigned by hand).
  await q.query(
    `update collection_cases c set team_id = m.team_id from collection_team_members m
      where c.status = 'open' and c.assignee = m.user_id and c.team_id is distinct from m.team_id`,
  );
  return plan;
}

// ---------------------------------------------------------------------------------------------------------
// Today's work list

export interface WorklistItem {
  readonly kase: StoredCase;
  readonly nextPromiseDay: string | null;
}

/**
 * A collector's open cases in today's order (collections/allocation worklistOrder, done by the database):
 * promises due by today first (earliest first), then actions due by today, then the rest; within each,
 * highest priority first, then the case id.
 */
export async function worklist(
  q: Queryable,
  assignee: string,
  day: Day,
  limit: number,
): Promise<WorklistItem[]> {
  // The order is decided from the work-list index alone (priority, case id, next action's day) and each
  // case's earliest pending promise; only the rows shown are then read from the table.
  const order = (promise: string, due: string, priority: string, id: string) =>
    `case when ${promise} <= $2::date then 0 when ${due} <= $2::date then 1 else 2 end,
     case when ${promise} <= $2::date then ${promise} end, ${priority} desc, ${id}`;
  const { rows } = await q.query<CaseRow & { next_promise_day: string | null }>(
    `with k as (
       select c.case_id as k_id, c.priority_minor as k_priority, c.next_action_due_day as k_due,
              p.next_promise_day as k_promise
         from collection_cases c
         left join lateral (select min(promised_day) as next_promise_day from collection_promises
                             where collection_promises.case_id = c.case_id and status = 'pending') p on true
        where c.status = 'open' and c.assignee = $1
        order by ${order('p.next_promise_day', 'c.next_action_due_day', 'c.priority_minor', 'c.case_id')}
        limit $3)
     select ${CASE_COLUMNS}, k.k_promise::text as next_promise_day
       from k join collection_cases on collection_cases.case_id = k.k_id
      order by ${order('k.k_promise', 'k.k_due', 'k.k_priority', 'k.k_id')}`,
    [assignee, formatDate(day), limit],
  );
  return rows.map((r) => ({ kase: caseFromRow(r), nextPromiseDay: r.next_promise_day }));
}

// ---------------------------------------------------------------------------------------------------------
// Agencies (委外): placement, recall and results

export async function saveAgency(
  q: Queryable,
  agencyId: string,
  name: string,
  active: boolean,
): Promise<void> {
  await q.query(
    `insert into collection_agencies (agency_id, name, active) values ($1, $2, $3)
     on conflict (agency_id) do update set name = excluded.name, active = excluded.active`,
    [agencyId, name, active],
  );
}

export async function findAgency(
  q: Queryable,
  agencyId: string,
): Promise<{ agencyId: string; name: string; active: boolean } | undefined> {
  const { rows } = await q.query<{ agency_id: string; name: string; active: boolean }>(
    'select agency_id, name, active from collection_agencies where agency_id = $1',
    [agencyId],
  );
  const r = rows[0];
  return r === undefined ? undefined : { agencyId: r.agency_id, name: r.name, active: r.active };
}

/**
 * Recalls a placed case, recording what the borrower paid while it was placed. Taken back with a reason, the
 * case is held off the strategy step it is on (that step does not place it again); recalled to move it to
 * another agency (`placeAgain`), the placement step places it again with another agency (decision 0912).
 */
export async function recallCase(
  q: Queryable,
  kase: StoredCase,
  reason: string,
  day: Day,
  by: string,
  placeAgain = false,
): Promise<StoredPlacement | undefined> {
  const { rows } = await q.query<{
    placement_id: string;
    agency_id: string;
    placed_day: string;
    recovered: string;
  }>(
    `update collection_placements set recalled_day = $2, recall_reason = $3, recalled_by = $4,
        recovered_minor = greatest(0, $5 - paid_at_placement), place_again = $6,
        hold_step = case when $6 then null
                         else (select strategy_step from collection_cases where case_id = $1) end
      where case_id = $1 and recalled_day is null
      returning placement_id, agency_id, placed_day::text as placed_day, recovered_minor::text as recovered`,
    [kase.caseId, formatDate(day), reason, by, kase.paidToDateMinor, placeAgain],
  );
  const r = rows[0];
  if (r === undefined) return undefined;
  await q.query(
    `update collection_cases set agency_id = null, row_version = row_version + 1, updated_at = now() where case_id = $1`,
    [kase.caseId],
  );
  return {
    placementId: r.placement_id,
    caseId: kase.caseId,
    agencyId: r.agency_id,
    placedDay: r.placed_day,
    recalledDay: formatDate(day),
    recallReason: reason,
    recoveredMinor: Number(r.recovered),
    placeAgain,
  };
}

/** An agency's results: cases placed, still placed, and paid by the borrowers while placed. */
export async function agencyResults(q: Queryable): Promise<
  {
    agencyId: string;
    name: string;
    placed: number;
    active: number;
    recoveredMinor: number;
  }[]
> {
  const { rows } = await q.query<{
    agency_id: string;
    name: string;
    placed: string;
    active: string;
    recovered: string;
  }>(
    `select a.agency_id, a.name, count(p.placement_id)::text as placed,
            count(p.placement_id) filter (where p.recalled_day is null)::text as active,
            coalesce(sum(case when p.recalled_day is null then greatest(0, c.paid_to_date_minor - p.paid_at_placement)
                              else p.recovered_minor end), 0)::text as recovered
       from collection_agencies a
       left join collection_placements p on p.agency_id = a.agency_id
       left join collection_cases c on c.case_id = p.case_id
      group by a.agency_id, a.name order by a.agency_id`,
  );
  return rows.map((r) => ({
    agencyId: r.agency_id,
    name: r.name,
    placed: Number(r.placed),
    active: Number(r.active),
    recoveredMinor: Number(r.recovered),
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Results: champion against challenger, and the team lead's view

/** Cases opened from `fromDay` with what the arms compare on. */
export async function armCaseResults(q: Queryable, fromDay: Day): Promise<ArmCaseResult[]> {
  const { rows } = await q.query<{
    strategy_arm: 'champion' | 'challenger';
    status: 'open' | 'closed';
    close_reason: string | null;
    opening_overdue_minor: string;
    recovered: string;
    kept: string;
    broken: string;
  }>(
    `select c.strategy_arm, c.status, c.close_reason, c.opening_overdue_minor,
            greatest(0, c.paid_to_date_minor - c.paid_at_open_minor)::text as recovered,
            coalesce(p.kept, 0)::text as kept, coalesce(p.broken, 0)::text as broken
       from collection_cases c
       left join (select case_id, count(*) filter (where status = 'kept') as kept,
                         count(*) filter (where status = 'broken') as broken
                    from collection_promises group by case_id) p on p.case_id = c.case_id
      where c.opened_day >= $1::date`,
    [formatDate(fromDay)],
  );
  return rows.map((r) => ({
    arm: r.strategy_arm,
    status: r.status,
    closeReason: r.close_reason,
    openingOverdueMinor: Number(r.opening_overdue_minor),
    recoveredMinor: Number(r.recovered),
    promisesKept: Number(r.kept),
    promisesBroken: Number(r.broken),
  }));
}

/** Per collector (and so per team): what the team lead's view shows. */
export interface CollectorFigures {
  readonly userId: string;
  readonly teamId: string | null;
  readonly openCases: number;
  readonly openOverdueMinor: number;
  /** Allowed attempts logged by the collector in the window, and those that reached the borrower. */
  readonly attempts: number;
  readonly reached: number;
  readonly promisesMade: number;
  readonly promisesKept: number;
  readonly promisesBroken: number;
  /** Cases assigned to the collector closed in the window (cured, paid off or a restructuring kept; not written off). */
  readonly casesCured: number;
  /** Paid on the collector's cases since each opened. */
  readonly recoveredMinor: number;
}

export async function collectorFigures(q: Queryable, fromDay: Day): Promise<CollectorFigures[]> {
  const from = formatDate(fromDay);
  const { rows } = await q.query<{
    user_id: string;
    team_id: string | null;
    open_cases: string;
    open_overdue: string;
    attempts: string;
    reached: string;
    made: string;
    kept: string;
    broken: string;
    cured: string;
    recovered: string;
  }>(
    `with people as (
        select user_id, team_id from collection_team_members
        union select distinct assignee, null from collection_cases
               where assignee is not null and assignee not in (select user_id from collection_team_members)
     )
     select p.user_id, p.team_id,
        (select count(*) from collection_cases c where c.assignee = p.user_id and c.status = 'open')::text as open_cases,
        (select coalesce(sum(overdue_minor), 0) from collection_cases c
          where c.assignee = p.user_id and c.status = 'open')::text as open_overdue,
        (select count(*) from collection_contacts k where k.actor = p.user_id and k.allowed
            and k.at >= $1::date)::text as attempts,
        (select count(*) from collection_contacts k where k.actor = p.user_id and k.allowed and k.party = 'borrower'
            and k.outcome in ('answered', 'promise', 'refused') and k.at >= $1::date)::text as reached,
        (select count(*) from collection_promises r where r.actor = p.user_id and r.made_day >= $1::date)::text as made,
        (select count(*) from collection_promises r where r.actor = p.user_id and r.status = 'kept'
            and r.made_day >= $1::date)::text as kept,
        (select count(*) from collection_promises r where r.actor = p.user_id and r.status = 'broken'
            and r.made_day >= $1::date)::text as broken,
        (select count(*) from collection_cases c where c.assignee = p.user_id and c.status = 'closed'
            and c.close_reason <> 'written-off' and c.closed_day >= $1::date)::text as cured,
        (select coalesce(sum(greatest(0, c.paid_to_date_minor - c.paid_at_open_minor)), 0) from collection_cases c
          where c.assignee = p.user_id and (c.status = 'open' or c.closed_day >= $1::date))::text as recovered
       from people p order by p.team_id nulls last, p.user_id`,
    [from],
  );
  return rows.map((r) => ({
    userId: r.user_id,
    teamId: r.team_id,
    openCases: Number(r.open_cases),
    openOverdueMinor: Number(r.open_overdue),
    attempts: Number(r.attempts),
    reached: Number(r.reached),
    promisesMade: Number(r.made),
    promisesKept: Number(r.kept),
    promisesBroken: Number(r.broken),
    casesCured: Number(r.cured),
    recoveredMinor: Number(r.recovered),
  }));
}

/**
 * Roll and cure of the cases opened from `fromDay` (cases open in M1 at the default threshold): rolled = still
 * open and now beyond M1; cured = closed other than by write-off (cured, paid off, a restructuring kept).
 */
export async function rollAndCure(
  q: Queryable,
  fromDay: Day,
): Promise<{ cases: number; rolled: number; cured: number }> {
  const { rows } = await q.query<{ cases: string; rolled: string; cured: string }>(
    `select count(*)::text as cases,
            count(*) filter (where status = 'open' and bucket not in ('M0', 'M1'))::text as rolled,
            count(*) filter (where status = 'closed' and close_reason <> 'written-off')::text as cured
       from collection_cases where opened_day >= $1::date`,
    [formatDate(fromDay)],
  );
  const r = rows[0]!;
  return { cases: Number(r.cases), rolled: Number(r.rolled), cured: Number(r.cured) };
}
