import {
  type AgencyLoad,
  type CaseFigures,
  chooseAgency,
  collectionReminder,
  collectionReminderDay,
  DEFAULT_STEP_ACTION_SETTINGS,
  type LegalPath,
  planStepActions,
  type StepAction,
  type StepActionSettings,
  type StrategyStep,
} from '../../collections/index.js';
import type { LoanState } from '../../ledger/index.js';
import { type Day, formatDate } from '../../money/index.js';
import type { PlannedReminder } from '../../monitoring/index.js';
import { reminderLoanFacts } from '../../reporting/index.js';
import { appendAudit } from '../audit.js';
import type { Queryable } from '../db.js';
import { dayFromSql, fromJsonText } from '../ledger/index.js';
import {
  cadenceInForce,
  countPlannedOnDay,
  insertPlannedReminders,
  loadReminderBorrowers,
} from '../reminders/index.js';
import { insertLegalAction } from './legal.js';
import { loadLatestRecalls, placeCase } from './placements.js';

/** Settings of carrying out the steps that the store needs. */

/**
 * The outcome texts a step's action is stored with (English; the dashboard shows them in Chinese by these
 * shapes, web/src/step-outcomes.ts, and a test holds the two together).
 */
export const STEP_OUTCOMES = {
  reminderQueued: (channel: string) => `reminder queued on ${channel}`,
  reminderNotSent: (reason: string) => `reminder recorded, not sent: ${reason}`,
  noAgency: () => 'pending placement: no collection agency is active; register or activate one (委外)',
  noOtherAgency: (agencyId: string) =>
    `pending placement: no active agency other than ${agencyId}, which the case was recalled from to move it; register or activate one (委外)`,
  placedWith: (agencyId: string) => `placed with ${agencyId}`,
  legalProposed: () => 'legal escalation proposed: awaiting a person’s approval',
} as const;

export interface StepActionStoreSettings extends StepActionSettings {
  /** The path a legal-review step proposes; the approver may reject it and propose another. */
  readonly legalPath: LegalPath;
}

export const DEFAULT_STEP_ACTION_STORE_SETTINGS: StepActionStoreSettings = Object.freeze({
  ...DEFAULT_STEP_ACTION_SETTINGS,
  legalPath: 'payment-order',
});

/** Who the actions are recorded as made by: the strategy, never a person (a person approves legal steps). */
export const STRATEGY_ACTOR = 'strategy';

/** A case whose step the refresh just decided and wrote, with what carrying it out needs. */
export interface SteppedForAction {
  readonly caseId: string;
  readonly customerId: string;
  readonly step: StrategyStep;
  readonly complaintOpen: boolean;
  /** The agency the case was placed with before the refresh (null for a new case). */
  readonly agencyId: string | null;
  readonly figures: CaseFigures;
}

export interface StepActionCounts {
  readonly remindersQueued: number;
  readonly placed: number;
  readonly placementsPending: number;
  readonly legalRequests: number;
  readonly dropped: number;
}

/** An action row as stored (the case view lists them). */
export interface StoredStepAction {
  readonly actionKey: string;
  readonly caseId: string;
  readonly kind: StepAction['kind'];
  readonly stepCode: string;
  readonly day: string;
  readonly status: 'done' | 'pending' | 'dropped';
  readonly outcome: string;
  readonly reference: string | null;
}

/** The borrowers a refresh covers, as the drop of moot pending actions needs them. */
export type StepActionScope =
  | { readonly customerIds: readonly string[] }
  | { readonly keyFrom: number; readonly keyTo: number }
  | 'all';

interface Outcome {
  readonly action: StepAction;
  readonly status: 'done' | 'pending';
  readonly outcome: string;
  readonly reference: string | null;
}

/**
 * Carries out the steps the refresh decided (decision 0757), in the refresh's transaction: the core plans the
 * actions with their idempotency keys; an action whose key is already done is skipped, so a refresh run again
 * does nothing twice. A pending action the case has left (another step, or the case closed) is dropped.
 */
export async function carryOutStepActions(
  tx: Queryable,
  day: Day,
  cases: readonly SteppedForAction[],
  scope: StepActionScope,
  settings: StepActionStoreSettings = DEFAULT_STEP_ACTION_STORE_SETTINGS,
): Promise<StepActionCounts> {
  const dropped = await dropMootPending(tx, day, scope);
  await releaseRecallHolds(tx, scope);
  const counts = { remindersQueued: 0, placed: 0, placementsPending: 0, legalRequests: 0, dropped };
  const acting = cases.filter(
    (c) =>
      c.step.action === 'reminder' ||
      c.step.action === 'agency-placement' ||
      c.step.action === 'legal-review',
  );
  if (acting.length === 0) return counts;
  const lastReminder = new Map<string, Day>();
  const reminding = acting.filter((c) => c.step.action === 'reminder');
  if (reminding.length > 0) {
    const { rows } = await tx.query<{ case_id: string; day: string }>(
      `select a.case_id, max(a.day)::text as day from collection_step_actions a
         join unnest($1::text[], $2::text[]) as u(case_id, step_code)
           on a.case_id = u.case_id and a.step_code = u.step_code
        where a.kind = 'reminder' and a.status = 'done'
        group by a.case_id`,
      [reminding.map((c) => c.caseId), reminding.map((c) => c.step.code)],
    );
    for (const r of rows) lastReminder.set(r.case_id, dayFromSql(r.day));
  }
  const legalLive = new Set(
    (
      await tx.query<{ case_id: string }>(
        `select case_id from collection_legal_actions where case_id = any($1::text[])
            and status not in ('rejected', 'withdrawn', 'closed', 'objected')`,
        [acting.filter((c) => c.step.action === 'legal-review').map((c) => c.caseId)],
      )
    ).rows.map((r) => r.case_id),
  );
  // The latest recall of each case a placement step acts on (decision 0912).
  const placing = acting.filter((c) => c.step.action === 'agency-placement' && c.agencyId === null);
  const lastRecall = await loadLatestRecalls(
    tx,
    placing.map((c) => c.caseId),
  );
  const plan = planStepActions(
    acting.map((c) => ({
      caseId: c.caseId,
      customerId: c.customerId,
      step: c.step,
      complaintOpen: c.complaintOpen,
      agencyId: c.agencyId,
      legalActionLive: legalLive.has(c.caseId),
      lastReminderDay: lastReminder.get(c.caseId) ?? null,
      lastRecall: lastRecall.get(c.caseId) ?? null,
    })),
    day,
    settings,
  );
  if (plan.carryOut.length === 0) return counts;
  const { rows: doneRows } = await tx.query<{ action_key: string }>(
    `select action_key from collection_step_actions where action_key = any($1::text[]) and status = 'done'`,
    [plan.carryOut.map((a) => a.key)],
  );
  const done = new Set(doneRows.map((r) => r.action_key));
  const todo = plan.carryOut.filter((a) => !done.has(a.key));
  if (todo.length === 0) return counts;
  const byCase = new Map(acting.map((c) => [c.caseId, c]));
  const outcomes: Outcome[] = [];

  // Reminders: through the reminder machinery (reminders and their outbox messages, in this transaction).
  const reminders = todo.filter((a) => a.kind === 'reminder');
  if (reminders.length > 0) {
    const { version, document } = await cadenceInForce(tx);
    const customers = [...new Set(reminders.map((a) => a.customerId))];
    const contacts = await loadReminderBorrowers(tx, customers, document.defaultContact);
    const plannedToday = await countPlannedOnDay(tx, collectionReminderDay(day), customers);
    const loanIds = [...new Set(reminders.flatMap((a) => byCase.get(a.caseId)!.figures.pastDueLoanIds))];
    // What a reminder reads of a loan is its state, its product, and of its plan the instalment due next and
    // the last one (`reminderLoanFacts`): only those are read, each product text parsed once.
    const { rows } = await tx.query<ReminderLoanRow>(
      `select loan_id, s::text as state, product::text as product, jsonb_array_length(plan) as plan_length,
              (plan->((s->>'nextInstallmentIndex')::int))::text as next,
              (plan->(jsonb_array_length(plan) - 1))::text as last
         from (select loan_id, state || '{}'::jsonb as s, terms->'product' as product, terms->'plan' as plan
                 from loans where loan_id = any($1::text[]) offset 0) l`,
      [loanIds],
    );
    // Each loan is parsed when its case's reminder is planned (a loan is in one case), not all of them first:
    // parsed states that die young cost the garbage collector little, tens of thousands kept alive a lot.
    const loanRows = new Map(rows.map((r) => [r.loan_id, r]));
    const products = new Map<string, LoanState['product']>();
    const planned: PlannedReminder[] = [];
    for (const a of reminders) {
      const c = byCase.get(a.caseId)!;
      const contact = contacts.get(a.customerId)!;
      // The loan longest past due (then the lowest id) carries the reminder and its moot check.
      const facts = c.figures.pastDueLoanIds
        .map((id) => {
          const row = loanRows.get(id);
          return row === undefined ? undefined : reminderStateOf(row, products);
        })
        .filter((state) => state !== undefined && state.status === 'active')
        .map((state) => reminderLoanFacts(state!, day, contact.borrower, contact.segment))
        .sort((x, y) => y.daysPastDue - x.daysPastDue || (x.loanId < y.loanId ? -1 : 1))[0];
      const reminder =
        facts === undefined
          ? null
          : collectionReminder({
              action: a,
              loan: facts,
              overdueMinor: c.figures.overdueMinor,
              daysPastDue: c.figures.maxDaysPastDue,
              document,
              day,
              plannedToday: plannedToday.get(a.customerId) ?? 0,
              settings,
            });
      if (reminder === null) continue;
      if (reminder.status === 'planned')
        plannedToday.set(a.customerId, (plannedToday.get(a.customerId) ?? 0) + 1);
      planned.push(reminder);
      outcomes.push({
        action: a,
        status: 'done',
        outcome:
          reminder.status === 'planned'
            ? STEP_OUTCOMES.reminderQueued(reminder.channel)
            : STEP_OUTCOMES.reminderNotSent(String(reminder.cancelReason)),
        reference: reminder.reminderKey,
      });
      if (reminder.status === 'planned') counts.remindersQueued++;
    }
    const zones = new Map([...contacts].map(([id, x]) => [id, x.borrower.timeZone]));
    await insertPlannedReminders(tx, planned, version, zones);
  }

  // Placements: with the active agency carrying the fewest open cases; none active leaves the action pending.
  const placements = todo.filter((a) => a.kind === 'agency-placement');
  if (placements.length > 0) {
    const { rows } = await tx.query<{ agency_id: string; n: string }>(
      `select a.agency_id, count(c.case_id)::text as n from collection_agencies a
         left join collection_cases c on c.agency_id = a.agency_id and c.status = 'open'
        where a.active group by a.agency_id`,
    );
    const loads: AgencyLoad[] = rows.map((r) => ({ agencyId: r.agency_id, placedOpen: Number(r.n) }));
    const paid = new Map(
      (
        await tx.query<{ case_id: string; paid: string; agency_id: string | null }>(
          `select case_id, paid_to_date_minor::text as paid, agency_id from collection_cases
            where case_id = any($1::text[]) for update`,
          [placements.map((a) => a.caseId)],
        )
      ).rows.map((r) => [r.case_id, r]),
    );
    for (const a of placements) {
      const row = paid.get(a.caseId);
      if (row === undefined || row.agency_id !== null) continue;
      // A case recalled to move agencies goes to another agency than the one it left.
      const agencyId = chooseAgency(
        a.notAgency === undefined ? loads : loads.filter((l) => l.agencyId !== a.notAgency),
      );
      if (agencyId === null) {
        outcomes.push({
          action: a,
          status: 'pending',
          outcome:
            a.notAgency === undefined || loads.length === 0
              ? STEP_OUTCOMES.noAgency()
              : STEP_OUTCOMES.noOtherAgency(a.notAgency),
          reference: null,
        });
        counts.placementsPending++;
        continue;
      }
      const p = await placeCase(
        tx,
        { caseId: a.caseId, paidToDateMinor: Number(row.paid) },
        agencyId,
        day,
        STRATEGY_ACTOR,
      );
      const i = loads.findIndex((l) => l.agencyId === agencyId);
      loads[i] = { agencyId, placedOpen: loads[i]!.placedOpen + 1 };
      await appendAudit(tx, {
        actorUserId: null,
        actorRole: 'system',
        requestId: null,
        action: 'collection.placement',
        resourceType: 'collection_case',
        resourceId: a.caseId,
        customerId: a.customerId,
        details: { agencyId, placementId: p.placementId, step: a.stepCode, by: STRATEGY_ACTOR },
      });
      outcomes.push({
        action: a,
        status: 'done',
        outcome: STEP_OUTCOMES.placedWith(agencyId),
        reference: p.placementId,
      });
      counts.placed++;
    }
  }

  // Legal review: a request awaiting a person's approval, never an escalation.
  for (const a of todo.filter((x) => x.kind === 'legal-review')) {
    const c = byCase.get(a.caseId)!;
    if (c.figures.totalOwedMinor <= 0) continue;
    const action = await insertLegalAction(tx, {
      caseId: a.caseId,
      customerId: a.customerId,
      path: settings.legalPath,
      // As a person's proposal defaults: everything the borrower owes on the case.
      claimedMinor: c.figures.totalOwedMinor,
      reason: `strategy step ${a.stepCode}: ${a.reason}`,
      venue: null,
      proposedBy: STRATEGY_ACTOR,
      day,
    });
    await appendAudit(tx, {
      actorUserId: null,
      actorRole: 'system',
      requestId: null,
      action: 'collection.legal_proposed',
      resourceType: 'collection_legal_action',
      resourceId: action.actionId,
      customerId: a.customerId,
      details: { caseId: a.caseId, path: settings.legalPath, step: a.stepCode, by: STRATEGY_ACTOR },
    });
    outcomes.push({
      action: a,
      status: 'done',
      outcome: STEP_OUTCOMES.legalProposed(),
      reference: action.actionId,
    });
    counts.legalRequests++;
  }

  if (outcomes.length > 0)
    await tx.query(
      `insert into collection_step_actions (action_key, case_id, customer_id, kind, step_code, day, status, outcome,
          reference, updated_day)
       select u.key, u.case_id, u.customer_id, u.kind, u.step, $1::date, u.status, u.outcome, u.reference, $1::date
         from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
           as u(key, case_id, customer_id, kind, step, status, outcome, reference)
       on conflict (action_key) do update set status = excluded.status, outcome = excluded.outcome,
          reference = excluded.reference, updated_day = excluded.updated_day, updated_at = now()
        where collection_step_actions.status <> 'done'`,
      [
        formatDate(day),
        outcomes.map((o) => o.action.key),
        outcomes.map((o) => o.action.caseId),
        outcomes.map((o) => o.action.customerId),
        outcomes.map((o) => o.action.kind),
        outcomes.map((o) => o.action.stepCode),
        outcomes.map((o) => o.status),
        outcomes.map((o) => o.outcome),
        outcomes.map((o) => o.reference),
      ],
    );
  return counts;
}

/** A loan as the reminders of the steps read it: its state, product text and two instalments of its plan. */
interface ReminderLoanRow {
  loan_id: string;
  state: string;
  product: string;
  plan_length: number | null;
  next: string | null;
  last: string | null;
}

/** A loan's product from its stored text, parsed once per distinct text (many loans share a product). */
export function productOfText(
  text: string,
  products: Map<string, LoanState['product']>,
): LoanState['product'] {
  let product = products.get(text);
  if (product === undefined) {
    product = fromJsonText<LoanState['product']>(text);
    products.set(text, product);
  }
  return product;
}

/**
 * The loan's state with its product and a plan of its length holding the instalment due next and the last one
 * (the others are holes): all `reminderLoanFacts` reads of a plan. Products are parsed once per text.
 */
function reminderStateOf(row: ReminderLoanRow, products: Map<string, LoanState['product']>): LoanState {
  const product = productOfText(row.product, products);
  const state = fromJsonText<Omit<LoanState, 'plan' | 'product'>>(row.state) as {
    -readonly [K in keyof LoanState]: LoanState[K];
  };
  const plan = new Array<LoanState['plan'][number]>(row.plan_length ?? 0);
  if (row.last !== null) plan[plan.length - 1] = fromJsonText(row.last);
  if (row.next !== null) plan[state.nextInstallmentIndex] = fromJsonText(row.next);
  state.product = product;
  state.plan = plan;
  return state;
}

/**
 * Pending actions whose case has left the step (another step or action, or closed) are dropped: a case that
 * moves off a step gets nothing more of it.
 */
async function dropMootPending(tx: Queryable, day: Day, scope: StepActionScope): Promise<number> {
  const params: unknown[] = [formatDate(day)];
  let where = '';
  if (scope !== 'all' && 'customerIds' in scope) {
    params.push(scope.customerIds);
    where = ' and a.customer_id = any($2::text[])';
  } else if (scope !== 'all') {
    params.push(scope.keyFrom, scope.keyTo);
    where = ' and (hashtext(a.customer_id) & 1023) between $2::int and $3::int';
  }
  const r = await tx.query(
    `update collection_step_actions a set status = 'dropped', updated_day = $1::date, updated_at = now(),
        outcome = case when c.status = 'closed' then 'dropped: the case closed'
                       else 'dropped: the case left the step' end
       from collection_cases c
      where a.case_id = c.case_id and a.status = 'pending'${where}
        and (c.status = 'closed' or c.strategy_step is distinct from a.step_code
             or c.next_action is distinct from a.kind)`,
    params,
  );
  return r.rowCount;
}

/**
 * A recall with a reason holds the case off the step it was on (decision 0912); once the case is on another
 * step, or closed, the hold ends, so a placement step reached later places it.
 */
async function releaseRecallHolds(tx: Queryable, scope: StepActionScope): Promise<void> {
  const params: unknown[] = [];
  let where = '';
  if (scope !== 'all' && 'customerIds' in scope) {
    params.push(scope.customerIds);
    where = ' and c.customer_id = any($1::text[])';
  } else if (scope !== 'all') {
    params.push(scope.keyFrom, scope.keyTo);
    where = ' and (hashtext(c.customer_id) & 1023) between $1::int and $2::int';
  }
  await tx.query(
    `update collection_placements p set hold_step = null
       from collection_cases c
      where p.case_id = c.case_id and p.hold_step is not null${where}
        and (c.status = 'closed' or c.strategy_step is distinct from p.hold_step)`,
    params,
  );
}

/** A case's carried-out and pending actions, newest first. */
export async function listStepActions(q: Queryable, caseId: string): Promise<StoredStepAction[]> {
  const { rows } = await q.query<{
    action_key: string;
    case_id: string;
    kind: StepAction['kind'];
    step_code: string;
    day: string;
    status: StoredStepAction['status'];
    outcome: string;
    reference: string | null;
  }>(
    `select action_key, case_id, kind, step_code, day::text as day, status, outcome, reference
       from collection_step_actions where case_id = $1 order by day desc, action_key`,
    [caseId],
  );
  return rows.map((r) => ({
    actionKey: r.action_key,
    caseId: r.case_id,
    kind: r.kind,
    stepCode: r.step_code,
    day: r.day,
    status: r.status,
    outcome: r.outcome,
    reference: r.reference,
  }));
}
