import {
  type Assessment,
  type AssessmentEvidence,
  type AssessmentSettings,
  type AssessmentVerdict,
  assessCase,
  type CaseCloseReason,
  type CaseFigures,
  type CaseLoan,
  type CaseObservation,
  type CaseSettings,
  type ContactOutcome,
  type ContactParty,
  cureProbability_bp,
  DEFAULT_CASE_SETTINGS,
  DEFAULT_PROMISE_SETTINGS,
  decidePromises,
  type HardshipCause,
  memoisedStrategy,
  monthlyInstallmentMinor,
  nextActionDue,
  type OpenCase,
  observationStep,
  type PromiseSettings,
  type PromiseToPay,
  paidToDateMinor,
  planCases,
  priorityMinor,
  type StrategyAction,
  type StrategyArm,
  type StrategyStep,
  strategyArmOf,
  strategyFacts,
} from '../../collections/index.js';
import { type Bucket, type LoanState, loanPosition } from '../../ledger/index.js';
import { type Day, formatDate } from '../../money/index.js';
import { caseRestructuringOf } from '../../reporting/index.js';
import { latestCustomerScores } from '../behaviour/scores.js';
import type { Db, Queryable } from '../db.js';
import { newId } from '../ids.js';
import { dayFromSql, fromJsonText, type LoanTerms, sqlDate } from '../ledger/index.js';
import { assessmentWeightsInForce } from './assessment-weights.js';
import { drawdownHistoriesOf, firstMissedDueDay } from './drawdown-history.js';
import {
  carryOutStepActions,
  DEFAULT_STEP_ACTION_STORE_SETTINGS,
  productOfText,
  type StepActionStoreSettings,
  type SteppedForAction,
} from './step-actions.js';
import { type StrategiesInForce, strategiesInForce } from './strategies.js';

/** A case as stored. */
export interface StoredCase {
  readonly caseId: string;
  readonly customerId: string;
  readonly status: 'open' | 'closed';
  readonly openedDay: string;
  readonly closedDay: string | null;
  readonly closeReason: CaseCloseReason | null;
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
  readonly strategyArm: StrategyArm;
  readonly strategyVersion: string | null;
  /** The strategy rule's code the case is at (its step). */
  readonly strategyStep: string | null;
  readonly nextAction: StrategyAction | null;
  readonly nextActionChannel: string | null;
  readonly nextActionReason: string | null;
  readonly nextActionDueDay: string | null;
  readonly behaviourScore: number | null;
  readonly assessment: Assessment | null;
  /** The assessment weights' version of the assessment ("shipped": the defaults). */
  readonly assessmentVersion: string | null;
  readonly assessmentOverride: AssessmentOverride | null;
  readonly vulnerabilities: readonly string[];
  readonly complaintOpen: boolean;
  readonly cure_bp: number;
  readonly priorityMinor: number;
  readonly openingOverdueMinor: number;
  readonly paidAtOpenMinor: number;
  readonly paidToDateMinor: number;
  readonly teamId: string | null;
  readonly agencyId: string | null;
}

/** A person's override of the assessment, with the note that says why (audited). */
export interface AssessmentOverride {
  readonly verdict: AssessmentVerdict;
  readonly note: string;
  readonly by: string;
  readonly day: string;
}

export interface CaseRow {
  case_id: string;
  customer_id: string;
  status: 'open' | 'closed';
  opened_day: string;
  closed_day: string | null;
  close_reason: CaseCloseReason | null;
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
  strategy_arm: StrategyArm;
  strategy_version: string | null;
  strategy_step: string | null;
  next_action: StrategyAction | null;
  next_action_channel: string | null;
  next_action_reason: string | null;
  next_action_due_day: string | null;
  behaviour_score: number | null;
  assessment: string | null;
  assessment_version: string | null;
  assessment_override: string | null;
  vulnerabilities: string[];
  complaint_open: boolean;
  cure_bp: number;
  priority_minor: string | number;
  opening_overdue_minor: string | number;
  paid_at_open_minor: string | number;
  paid_to_date_minor: string | number;
  team_id: string | null;
  agency_id: string | null;
}

export const CASE_COLUMNS = `case_id, customer_id, status, opened_day::text as opened_day, closed_day::text as closed_day,
  close_reason, bucket, max_days_past_due, overdue_minor, total_owed_minor, past_due_loan_ids::text as past_due_loan_ids,
  borrower_zone, lost_contact, assignee, updated_day::text as updated_day, row_version,
  strategy_arm, strategy_version, strategy_step, next_action, next_action_channel, next_action_reason,
  next_action_due_day::text as next_action_due_day, behaviour_score, assessment::text as assessment, assessment_version,
  assessment_override::text as assessment_override, vulnerabilities, complaint_open, cure_bp, priority_minor,
  opening_overdue_minor, paid_at_open_minor, paid_to_date_minor, team_id, agency_id`;

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
    strategyArm: r.strategy_arm,
    strategyVersion: r.strategy_version,
    strategyStep: r.strategy_step,
    nextAction: r.next_action,
    nextActionChannel: r.next_action_channel,
    nextActionReason: r.next_action_reason,
    nextActionDueDay: r.next_action_due_day,
    behaviourScore: r.behaviour_score,
    assessment: r.assessment === null ? null : (JSON.parse(r.assessment) as Assessment),
    assessmentVersion: r.assessment_version,
    assessmentOverride:
      r.assessment_override === null ? null : (JSON.parse(r.assessment_override) as AssessmentOverride),
    vulnerabilities: r.vulnerabilities ?? [],
    complaintOpen: r.complaint_open,
    cure_bp: Number(r.cure_bp),
    priorityMinor: Number(r.priority_minor),
    openingOverdueMinor: Number(r.opening_overdue_minor),
    paidAtOpenMinor: Number(r.paid_at_open_minor),
    paidToDateMinor: Number(r.paid_to_date_minor),
    teamId: r.team_id,
    agencyId: r.agency_id,
  };
}

/** The verdict in force: a person's override, else the assessment's. */
export function effectiveVerdict(c: StoredCase): AssessmentVerdict {
  return c.assessmentOverride?.verdict ?? c.assessment?.verdict ?? 'undetermined';
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
  /** Only the cases placed with this agency (an agency user's view). */
  readonly agencyId?: string;
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
  if (query.agencyId !== undefined) add('agency_id = ?', query.agencyId);
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
  /** Carrying out the steps (decision 0757); absent: the defaults. */
  readonly actions?: StepActionStoreSettings;
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
  /** Open cases whose strategy step was evaluated. */
  readonly stepped: number;
  /** Collection reminders queued by `reminder` steps (decision 0757). */
  readonly remindersQueued: number;
  /** Cases placed with an agency by `agency-placement` steps. */
  readonly placed: number;
  /** `agency-placement` steps left pending (no agency active). */
  readonly placementsPending: number;
  /** Legal escalation requests opened by `legal-review` steps, awaiting approval. */
  readonly legalRequests: number;
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

/** Rows written per statement by the bulk writers (a named bound on statement size). */
const CASE_ROWS_PER_STATEMENT_MAX = 5_000;
/** Strategy evaluations in flight at once (the rules engine evaluates off the main thread). */
const STRATEGY_EVALUATIONS_IN_FLIGHT_MAX = 2_000;

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Parts of a loan's stored state that nothing the refresh calls reads (the position, what was paid, the
 * instalment asked a month), left out of its read: they are about a third of the text parsed per loan. A
 * test compares the refresh's figures with the position of the whole state.
 */
const STATE_KEYS_NOT_READ = `{${[
  'bucketHistory',
  'delinquency',
  'settlement',
  'writtenOff',
  'lineId',
  'customerId',
  'seq',
  'startDay',
  'disbursedPrincipalMinor',
  'interestPostedTotalMinor',
  'interestWaivedTotalMinor',
  'feeChargedTotalMinor',
  'feeWaivedTotalMinor',
  'principalWaivedTotalMinor',
].join(',')}}`;

/**
 * A plan of `length` instalments holding only the one at `min(nextIndex, length - 1)` (the others are holes):
 * all the refresh reads of a plan is `plan[nextInstallmentIndex]` (the position) and that index bounded by the
 * last (`monthlyInstallmentMinor`).
 */
function planWithInstalment(length: number, nextIndex: number, instalment: string | null): LoanState['plan'] {
  const plan = new Array<LoanState['plan'][number]>(length);
  const at = Math.min(nextIndex, length - 1);
  if (at >= 0 && instalment !== null) plan[at] = fromJsonText<LoanState['plan'][number]>(instalment);
  return plan;
}

/**
 * Brings the cases of `customerIds` (or, when null, of every borrower with a loan past due or an open case)
 * up to date with the ledger once day `day` is closed: opens, updates and closes cases as the core plans,
 * decides their pending promises, then reads each open case's evidence and sets its assessment, priority
 * and the strategy's next step. Runs in the caller's transaction.
 */
export async function refreshCases(
  tx: Queryable,
  day: Day,
  customerIds: readonly string[] | null,
  settings: CaseRefreshSettings = DEFAULT_CASE_REFRESH_SETTINGS,
  options: RefreshOptions = {},
): Promise<CaseRefreshCounts> {
  return refreshScope(
    tx,
    day,
    customerIds === null ? { keyFrom: null, keyTo: null } : customerIds,
    settings,
    options,
  );
}

export interface RefreshOptions {
  /**
   * The day through which every loan counts as closed: a loan with nothing to do before its next event day is
   * not written by EOD (decision 0232), so its stored state lags, and its position is taken as of this day (up
   * to the eve of its next event), as every read of a loan takes it. EOD's refresh passes the day it closes,
   * whose run has not yet succeeded; absent, the day of the latest EOD run that succeeded.
   */
  readonly closedThrough?: Day;
}

/** Partition keys of `loans` (`hashtext(customer_id) & 1023`): a borrower's loans all have the borrower's. */
const PARTITION_KEY_MAX = 1023;

export interface PartitionedRefreshOptions extends RefreshOptions {
  /** Ranges of partition keys refreshed at once, each in its own transaction on its own connection. */
  readonly partitions: number;
  readonly settings?: CaseRefreshSettings;
}

/**
 * The refresh over every borrower, split by ranges of the borrowers' partition keys, each range in its own
 * transaction, the ranges run at once (on PostgreSQL each on its own connection, so the server's work of one
 * overlaps Node's of another). A borrower's case depends only on that borrower's loans, open case, promises
 * and evidence, so the ranges share no row and the result is the refresh's over every borrower. A range that
 * fails rolls back alone; the refresh is idempotent for a day (a case already brought to the day is written
 * again with the same figures and step, its version unmoved; a decided promise is no longer pending; one open
 * case per borrower stays enforced by `collection_cases_one_open`), so running it again completes the day.
 */
export async function refreshCasesPartitioned(
  db: Db,
  day: Day,
  options: PartitionedRefreshOptions,
): Promise<CaseRefreshCounts> {
  const n = Math.max(1, Math.min(PARTITION_KEY_MAX + 1, Math.floor(options.partitions)));
  const ranges: { keyFrom: number; keyTo: number }[] = [];
  for (let i = 0; i < n; i++)
    ranges.push({
      keyFrom: Math.floor((i * (PARTITION_KEY_MAX + 1)) / n),
      keyTo: Math.floor(((i + 1) * (PARTITION_KEY_MAX + 1)) / n) - 1,
    });
  const settled = await Promise.allSettled(
    ranges.map((range) =>
      db.transaction((tx) =>
        refreshScope(tx, day, range, options.settings ?? DEFAULT_CASE_REFRESH_SETTINGS, options),
      ),
    ),
  );
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  const total = {
    opened: 0,
    updated: 0,
    closed: 0,
    promisesKept: 0,
    promisesBroken: 0,
    stepped: 0,
    remindersQueued: 0,
    placed: 0,
    placementsPending: 0,
    legalRequests: 0,
  };
  for (const r of settled) {
    if (r.status !== 'fulfilled') continue;
    for (const k of Object.keys(total) as (keyof CaseRefreshCounts)[]) total[k] += r.value[k];
  }
  return total;
}

/** The borrowers a refresh covers: named ones, or every borrower (in a range of partition keys, or all). */
type RefreshScope = readonly string[] | { readonly keyFrom: number | null; readonly keyTo: number | null };

async function refreshScope(
  tx: Queryable,
  day: Day,
  customerIds: RefreshScope,
  settings: CaseRefreshSettings,
  options: RefreshOptions,
): Promise<CaseRefreshCounts> {
  const named = Array.isArray(customerIds);
  const range = named ? undefined : (customerIds as { keyFrom: number | null; keyTo: number | null });
  const ranged = range?.keyFrom != null && range.keyTo != null;
  // A case's borrower's partition key, as `loans.partition_key` is computed.
  const caseKeyInRange = '(hashtext(customer_id) & 1023) between $1::int and $2::int';
  const scope = named
    ? 'customer_id = any($1::text[])'
    : ranged
      ? `partition_key between $1::int and $2::int and customer_id in (
           select customer_id from loans
            where status = 'active' and bucket <> 'M0' and partition_key between $1::int and $2::int
           union select customer_id from collection_cases where status = 'open' and ${caseKeyInRange})`
      : `customer_id in (select customer_id from loans where status = 'active' and bucket <> 'M0'
                         union select customer_id from collection_cases where status = 'open')`;
  const params: unknown[] = named ? [customerIds] : ranged ? [range?.keyFrom, range?.keyTo] : [];
  const openScope = named ? ` and ${scope}` : ranged ? ` and ${caseKeyInRange}` : '';
  const closedThrough = options.closedThrough ?? (await lastSucceededEodDay(tx));
  const { loansByCustomer, borrowers } = await readBorrowerLoans(tx, scope, params, day, closedThrough);
  // Only what the refresh reads of each open case (not its stored assessment, contacts or notes). Over every
  // borrower the scope holds every open case's borrower, so it is left out (it would scan the loans again).
  const open = await tx.query<OpenCaseRow>(
    `select case_id, customer_id, opened_day::text as opened_day, bucket, max_days_past_due, overdue_minor,
            total_owed_minor, past_due_loan_ids::text as past_due_loan_ids, strategy_arm, behaviour_score,
            lost_contact, complaint_open, assessment_override->>'verdict' as override, paid_at_open_minor, agency_id
       from collection_cases where status = 'open'${openScope} for update`,
    params,
  );
  const stored = open.rows.map((r) => ({
    caseId: r.case_id,
    customerId: r.customer_id,
    openedDay: dayFromSql(r.opened_day),
    figures: {
      pastDueLoanIds: JSON.parse(r.past_due_loan_ids) as string[],
      maxDaysPastDue: r.max_days_past_due,
      bucket: r.bucket,
      overdueMinor: Number(r.overdue_minor),
      totalOwedMinor: Number(r.total_owed_minor),
    },
    strategyArm: r.strategy_arm,
    behaviourScore: r.behaviour_score,
    lostContact: r.lost_contact,
    complaintOpen: r.complaint_open,
    override: r.override,
    paidAtOpenMinor: Number(r.paid_at_open_minor),
    agencyId: r.agency_id,
  }));
  const openCases: OpenCase[] = stored;
  const plan = planCases(loansByCustomer, openCases, settings.cases);
  const dayText = sqlDate(day);
  const strategies = await strategiesInForce(tx);
  const weights = await assessmentWeightsInForce(tx);
  // What each borrower has paid to date (computed once per borrower, as their loans were read).
  const paidOf = (customerId: string) => (borrowers.get(customerId) ?? NO_LOANS).paid;
  const customerOf = new Map(openCases.map((c) => [c.caseId, c.customerId]));
  // Each borrower's latest behaviour score (its weakest line in the latest month scored by the day): it moves
  // the strategy's segment and the cure probability behind the priority, and is shown on the case.
  const scoreOf = await latestCustomerScores(
    tx,
    [...new Set([...openCases.map((c) => c.customerId), ...plan.open.map((o) => o.customerId)])],
    day,
  );

  // Promises of the cases that were open: decided from what the borrower paid, written in one statement.
  let kept = 0;
  let broken = 0;
  if (customerOf.size > 0) {
    const pending = await tx.query<PromiseRow>(
      `select promise_id, case_id, amount_minor, promised_day::text as promised_day, made_day::text as made_day,
              paid_baseline_minor, status
         from collection_promises where status = 'pending' and case_id = any($1::text[]) order by promise_id`,
      [[...customerOf.keys()]],
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
    const decided: { promiseId: string; status: 'kept' | 'broken'; day: string; paidMinor: number }[] = [];
    for (const [caseId, promises] of byCase) {
      const paid = paidOf(customerOf.get(caseId) as string);
      for (const d of decidePromises(promises, paid, day, settings.promises)) {
        decided.push({
          promiseId: d.promiseId,
          status: d.status,
          day: formatDate(d.day),
          paidMinor: d.paidMinor,
        });
        if (d.status === 'kept') kept++;
        else broken++;
      }
    }
    for (const part of chunks(decided, CASE_ROWS_PER_STATEMENT_MAX))
      await tx.query(
        `update collection_promises p set status = u.status, decided_day = u.day, paid_minor = u.paid
           from unnest($1::text[], $2::text[], $3::date[], $4::bigint[]) as u(promise_id, status, day, paid)
          where p.promise_id = u.promise_id and p.status = 'pending'`,
        [
          part.map((d) => d.promiseId),
          part.map((d) => d.status),
          part.map((d) => d.day),
          part.map((d) => d.paidMinor),
        ],
      );
  }

  // Every case open after the plan: its assessment, priority and the strategy's next step, computed first so
  // that each case is written once (new cases inserted whole; open ones updated with figures and step).
  const closed = new Set(plan.close.map((c) => c.caseId));
  const figuresOf = new Map(plan.update.map((u) => [u.caseId, u.figures]));
  const observingOf = new Map(plan.observing.map((o) => [o.caseId, o]));
  const subjects: StepSubject[] = [
    ...stored
      .filter((c) => !closed.has(c.caseId))
      .map((c) => ({
        caseId: c.caseId,
        customerId: c.customerId,
        openedDay: c.openedDay,
        figures: figuresOf.get(c.caseId) ?? c.figures,
        figuresChanged: figuresOf.has(c.caseId),
        isNew: false,
        arm:
          strategies.challenger === undefined
            ? c.strategyArm
            : strategyArmOf(c.caseId, strategies.challenger.share_bp),
        behaviourScore: scoreOf.get(c.customerId) ?? c.behaviourScore,
        lostContact: c.lostContact,
        complaintOpen: c.complaintOpen,
        override: c.override,
        paidAtOpenMinor: c.paidAtOpenMinor,
        agencyId: c.agencyId,
        observation: observingOf.get(c.caseId) ?? null,
      })),
    ...plan.open.map((o) => {
      const caseId = newId('cs');
      return {
        caseId,
        customerId: o.customerId,
        openedDay: day,
        figures: o.figures,
        figuresChanged: true,
        isNew: true,
        arm:
          strategies.challenger === undefined
            ? ('champion' as const)
            : strategyArmOf(caseId, strategies.challenger.share_bp),
        behaviourScore: scoreOf.get(o.customerId) ?? null,
        lostContact: false,
        complaintOpen: false,
        override: null,
        paidAtOpenMinor: paidOf(o.customerId),
        agencyId: null,
        observation: null,
      };
    }),
  ];
  const acting = await stepCases(
    tx,
    subjects,
    day,
    dayText,
    strategies,
    weights,
    borrowers,
    paidOf,
    settings.defaultBorrowerZone,
  );
  await closeCases(
    tx,
    plan.close.map((c) => ({
      caseId: c.caseId,
      figures: c.figures,
      reason: c.reason,
      paid: paidOf(customerOf.get(c.caseId)!),
    })),
    dayText,
  );
  // What the steps call for is carried out in this transaction, after the cases are written and closed.
  const actions = await carryOutStepActions(
    tx,
    day,
    acting,
    named
      ? { customerIds: customerIds as readonly string[] }
      : ranged
        ? { keyFrom: range!.keyFrom!, keyTo: range!.keyTo! }
        : 'all',
    settings.actions ?? DEFAULT_STEP_ACTION_STORE_SETTINGS,
  );
  return {
    opened: plan.open.length,
    updated: plan.update.length,
    closed: plan.close.length,
    promisesKept: kept,
    promisesBroken: broken,
    stepped: subjects.length,
    remindersQueued: actions.remindersQueued,
    placed: actions.placed,
    placementsPending: actions.placementsPending,
    legalRequests: actions.legalRequests,
  };
}

/**
 * Refreshes, in the caller's transaction, the open cases of these borrowers only (a ledger change outside EOD —
 * a restructuring, a write-off — may hold or close a case; it never opens one). Returns the counts.
 */
export async function refreshOpenCases(
  tx: Queryable,
  day: Day,
  customerIds: readonly string[],
  settings: CaseRefreshSettings = DEFAULT_CASE_REFRESH_SETTINGS,
): Promise<CaseRefreshCounts | null> {
  if (customerIds.length === 0) return null;
  const { rows } = await tx.query<{ customer_id: string }>(
    `select customer_id from collection_cases where status = 'open' and customer_id = any($1::text[])`,
    [[...new Set(customerIds)]],
  );
  if (rows.length === 0) return null;
  return refreshCases(
    tx,
    day,
    rows.map((r) => r.customer_id),
    settings,
  );
}

/** The business day of the latest EOD run that succeeded (null before the first). */
async function lastSucceededEodDay(tx: Queryable): Promise<Day | null> {
  const { rows } = await tx.query<{ day: string | null }>(
    `select max(business_day)::text as day from eod_runs where status = 'succeeded'`,
  );
  return rows[0]?.day == null ? null : dayFromSql(rows[0].day);
}

/** What the refresh keeps of a borrower's loans' states: the three figures it reads of them. */
interface BorrowerFigures {
  /** What the borrower has paid to date (`paidToDateMinor`). */
  readonly paid: number;
  /** The instalment the contracts ask a month (`monthlyInstallmentMinor`). */
  readonly monthlyInstallment: number;
  /** The oldest due date still unpaid and overdue (`firstMissedDueDay`). */
  readonly firstMissed: Day | null;
}

/** A borrower with no loan read (the figures of an empty list). */
const NO_LOANS: BorrowerFigures = Object.freeze({
  paid: paidToDateMinor([]),
  monthlyInstallment: monthlyInstallmentMinor([]),
  firstMissed: firstMissedDueDay([]),
});

/**
 * Reads the loans of the refresh's borrowers: each loan's position (what the plan reads) and, per borrower,
 * the figures the refresh reads of the states. A borrower's states are reduced to those figures as soon as
 * that borrower's rows are parsed, so the parsed states die young instead of living through the refresh.
 */
async function readBorrowerLoans(
  tx: Queryable,
  scope: string,
  params: readonly unknown[],
  day: Day,
  closedThrough: Day | null,
): Promise<{ loansByCustomer: Map<string, CaseLoan[]>; borrowers: Map<string, BorrowerFigures> }> {
  // The loan's terms in their two parts: loans of one product version carry the same product text, parsed
  // once per refresh (the state only reads it). Of the plan the refresh reads one instalment — the current
  // one (`plan[nextInstallmentIndex]`, the position's accrual and days past due), or the last when every
  // instalment is billed (what the contract asks a month) — so only that one is read and parsed, in its
  // place in an array of the plan's length. Each stored column is decompressed once per row, in the subquery
  // (`offset 0` keeps it from being flattened): every operator on a stored jsonb would decompress it again.
  const loans = await tx.query<{
    customer_id: string;
    loan_id: string;
    status: string;
    last_closed_day: string;
    state: string;
    product: string;
    plan_length: number | null;
    instalment: string | null;
  }>(
    `select customer_id, loan_id, status, last_closed_day::text as last_closed_day,
            (s - '${STATE_KEYS_NOT_READ}'::text[])::text as state,
            product::text as product, jsonb_array_length(plan) as plan_length,
            (plan->least((s->>'nextInstallmentIndex')::int, jsonb_array_length(plan) - 1))::text as instalment
       from (select customer_id, loan_id, status, last_closed_day, state || '{}'::jsonb as s,
                    terms->'product' as product, terms->'plan' as plan
               from loans where ${scope} offset 0) l`,
    params,
  );
  // Ordered here, not by the database: sorting the wide rows there spills them to disk on a large book.
  loans.rows.sort((a, b) => compareText(a.customer_id, b.customer_id) || compareText(a.loan_id, b.loan_id));
  const products = new Map<string, LoanTerms['product']>();
  const borrowers = new Map<string, BorrowerFigures>();
  let states: LoanState[] = [];
  let current: string | null = null;
  const summarise = () => {
    if (current !== null)
      borrowers.set(current, {
        paid: paidToDateMinor(states),
        monthlyInstallment: monthlyInstallmentMinor(states),
        firstMissed: firstMissedDueDay(states),
      });
  };
  const loansByCustomer = new Map<string, CaseLoan[]>();
  for (const r of loans.rows) {
    const product = productOfText(r.product, products);
    // The parsed daily part becomes the state itself (no copy of its fields).
    const state = fromJsonText<Omit<LoanState, 'plan' | 'product'>>(r.state) as {
      -readonly [K in keyof LoanState]: LoanState[K];
    };
    state.product = product;
    state.plan = planWithInstalment(r.plan_length ?? 0, state.nextInstallmentIndex, r.instalment);
    // The loan's marker as every read of a loan takes it (decision 0232): quiet days change nothing else.
    let closed = dayFromSql(r.last_closed_day);
    if (closedThrough !== null) closed = Math.max(closed, Math.min(state.nextEventDay - 1, closedThrough));
    if (closed > state.lastClosedDay) state.lastClosedDay = closed;
    if (r.customer_id !== current) {
      summarise();
      current = r.customer_id;
      states = [];
      loansByCustomer.set(r.customer_id, []);
    }
    states.push(state);
    // A written-off loan leaves the case (核销); a restructured one may hold it open through observation.
    const restructuring = state.restructuring === undefined ? undefined : caseRestructuringOf(state, day);
    loansByCustomer.get(r.customer_id)?.push({
      loanId: r.loan_id,
      position: loanPosition(state),
      ...(r.status === 'written-off' ? { writtenOff: true } : {}),
      ...(restructuring === undefined ? {} : { restructuring }),
    });
  }
  summarise();
  return { loansByCustomer, borrowers };
}

interface OpenCaseRow {
  case_id: string;
  customer_id: string;
  opened_day: string;
  bucket: Bucket;
  max_days_past_due: number;
  overdue_minor: string | number;
  total_owed_minor: string | number;
  past_due_loan_ids: string;
  strategy_arm: StrategyArm;
  behaviour_score: number | null;
  lost_contact: boolean;
  complaint_open: boolean;
  override: AssessmentVerdict | null;
  paid_at_open_minor: string | number;
  agency_id: string | null;
}

interface StepSubject {
  readonly caseId: string;
  readonly customerId: string;
  readonly openedDay: Day;
  readonly figures: CaseFigures;
  /** The figures differ from the stored ones (a new case, or the plan's update): the row's version moves. */
  readonly figuresChanged: boolean;
  /** Not yet stored: inserted whole. */
  readonly isNew: boolean;
  readonly arm: StrategyArm;
  readonly behaviourScore: number | null;
  readonly lostContact: boolean;
  readonly complaintOpen: boolean;
  readonly override: AssessmentVerdict | null;
  readonly paidAtOpenMinor: number;
  /** The agency the case is placed with (null for a new case). */
  readonly agencyId: string | null;
  /** Held open through a restructuring's observation: a fixed hold step, not the strategy's. */
  readonly observation: CaseObservation | null;
}

/**
 * The borrowers among `customerIds` whose industry (their monitoring profile's) is on the lender's shock list in
 * force on `day`: vulnerable for the strategy without a hardship application.
 */
async function customersInShockedIndustries(
  tx: Queryable,
  customerIds: readonly string[],
  day: Day,
): Promise<Set<string>> {
  if (customerIds.length === 0) return new Set();
  const { rows } = await tx.query<{ customer_id: string }>(
    `select m.customer_id from monitoring_profiles m
      where m.customer_id = any($1::text[])
        and m.industry in (select industry from industry_shocks
                            where ended_at is null and from_day <= $2::date
                              and (to_day is null or to_day >= $2::date))`,
    [customerIds, sqlDate(day)],
  );
  return new Set(rows.map((r) => r.customer_id));
}

/** Evidence of the cases, read in three set-based queries. */
async function evidenceOf(tx: Queryable, caseIds: readonly string[]) {
  const evidence = new Map<
    string,
    { hardships: { cause: HardshipCause; day: Day }[]; income: number | null; evasion: string[] }
  >();
  const contacts = new Map<string, AssessmentEvidence['contacts'][number][]>();
  const promises = new Map<string, { kept: number; broken: number }>();
  if (caseIds.length === 0) return { evidence, contacts, promises };
  const ids = [caseIds];
  const e = await tx.query<{
    case_id: string;
    kind: string;
    cause: HardshipCause | null;
    amount_minor: string | null;
    note: string | null;
    day: string;
  }>(
    `select case_id, kind, cause, amount_minor, note, day::text as day from collection_evidence
      where case_id = any($1::text[]) order by case_id, day, evidence_id`,
    ids,
  );
  for (const r of e.rows) {
    const x = evidence.get(r.case_id) ?? { hardships: [], income: null, evasion: [] };
    if (r.kind === 'hardship') x.hardships.push({ cause: r.cause as HardshipCause, day: dayFromSql(r.day) });
    else if (r.kind === 'income')
      x.income = Number(r.amount_minor); // the latest evidence wins
    else x.evasion.push(r.note ?? 'evasion');
    evidence.set(r.case_id, x);
  }
  const c = await tx.query<{ case_id: string; party: ContactParty; outcome: ContactOutcome; n: string }>(
    `select case_id, party, outcome, count(*)::text as n from collection_contacts
      where allowed and case_id = any($1::text[]) group by case_id, party, outcome`,
    ids,
  );
  for (const r of c.rows) {
    const list = contacts.get(r.case_id) ?? [];
    for (let i = 0; i < Number(r.n); i++) list.push({ party: r.party, outcome: r.outcome, allowed: true });
    contacts.set(r.case_id, list);
  }
  const p = await tx.query<{ case_id: string; kept: string; broken: string }>(
    `select case_id, count(*) filter (where status = 'kept')::text as kept,
            count(*) filter (where status = 'broken')::text as broken
       from collection_promises where case_id = any($1::text[]) group by case_id`,
    ids,
  );
  for (const r of p.rows) promises.set(r.case_id, { kept: Number(r.kept), broken: Number(r.broken) });
  return { evidence, contacts, promises };
}

interface SteppedCase {
  readonly subject: StepSubject;
  readonly version: string;
  readonly step: StrategyStep;
  readonly due: string;
  readonly assessment: Assessment;
  readonly cure: number;
  readonly priority: number;
  readonly paid: number;
  /** The assessment weights' version the assessment was made with. */
  readonly weightsVersion: string;
}

/**
 * Assesses each case, evaluates its arm's strategy, and writes each case once: a new case inserted with its
 * figures and step, an open one updated with both (its version moves only when its figures changed).
 */
async function stepCases(
  tx: Queryable,
  subjects: readonly StepSubject[],
  day: Day,
  dayText: string,
  strategies: StrategiesInForce,
  weights: { readonly version: string; readonly settings: AssessmentSettings },
  borrowers: ReadonlyMap<string, BorrowerFigures>,
  paidOf: (customerId: string) => number,
  zone: string,
): Promise<SteppedForAction[]> {
  const acting: SteppedForAction[] = [];
  // Each arm's strategy is evaluated once per distinct set of the facts it reads, for this refresh.
  const champion = memoisedStrategy(strategies.champion.strategy);
  const challenger =
    strategies.challenger === undefined ? undefined : memoisedStrategy(strategies.challenger.strategy);
  // What the assessment reads, each in one set-based read for every case of the refresh: read per batch of
  // evaluations, the reads that scan a table (the postings, the lines, the loans) scanned it once a batch.
  // A case opened in this refresh has no evidence, contacts or promises yet.
  const { evidence, contacts, promises } = await evidenceOf(
    tx,
    subjects.filter((s) => !s.isNew).map((s) => s.caseId),
  );
  const shocked = await customersInShockedIndustries(
    tx,
    subjects.map((s) => s.customerId),
    day,
  );
  // The drawdown pattern before default, read against each borrower's first missed due date.
  const firstMissed = new Map<string, Day>();
  for (const s of subjects) {
    const missed = (borrowers.get(s.customerId) ?? NO_LOANS).firstMissed;
    if (missed !== null) firstMissed.set(s.customerId, missed);
  }
  const drawdowns = await drawdownHistoriesOf(tx, firstMissed);
  const stepped: SteppedCase[] = [];
  for (const batch of chunks(subjects, STRATEGY_EVALUATIONS_IN_FLIGHT_MAX)) {
    const rows: SteppedCase[] = await Promise.all(
      batch.map(async (s) => {
        const paid = paidOf(s.customerId);
        const ev = evidence.get(s.caseId);
        const pr = promises.get(s.caseId) ?? { kept: 0, broken: 0 };
        const assessment = assessCase(
          {
            hardships: ev?.hardships ?? [],
            verifiedMonthlyIncomeMinor: ev?.income ?? null,
            monthlyInstallmentMinor: (borrowers.get(s.customerId) ?? NO_LOANS).monthlyInstallment,
            contacts: contacts.get(s.caseId) ?? [],
            promisesKept: pr.kept,
            promisesBroken: pr.broken,
            paidSinceOpenMinor: Math.max(0, paid - s.paidAtOpenMinor),
            overdueMinor: s.figures.overdueMinor,
            maxDaysPastDue: s.figures.maxDaysPastDue,
            lostContact: s.lostContact,
            evasionSigns: ev?.evasion ?? [],
            industryShocked: shocked.has(s.customerId),
            drawdowns: drawdowns.get(s.customerId) ?? null,
          },
          weights.settings,
        );
        const onChallenger = s.arm === 'challenger' && challenger !== undefined;
        const inForce = onChallenger ? strategies.challenger! : strategies.champion;
        const step =
          s.observation !== null
            ? observationStep(s.observation, day)
            : await (onChallenger ? challenger : champion)(
                strategyFacts({
                  bucket: s.figures.bucket,
                  maxDaysPastDue: s.figures.maxDaysPastDue,
                  overdueMinor: s.figures.overdueMinor,
                  totalOwedMinor: s.figures.totalOwedMinor,
                  behaviourScore: s.behaviourScore,
                  assessment: s.override ?? assessment.verdict,
                  vulnerabilities: assessment.vulnerabilities,
                  complaintOpen: s.complaintOpen,
                  lostContact: s.lostContact,
                  promisesBroken: pr.broken,
                  promisesKept: pr.kept,
                  openedDay: s.openedDay,
                  day,
                }),
              );
        const cure = cureProbability_bp(s.figures.bucket, s.behaviourScore);
        return {
          subject: s,
          version: inForce.version,
          step,
          due: formatDate(nextActionDue(step, day)),
          assessment,
          cure,
          priority: priorityMinor(s.figures.overdueMinor, cure),
          paid,
          weightsVersion: weights.version,
        };
      }),
    );
    for (const r of rows) stepped.push(r);
  }
  // Written once every case is evaluated (nothing evaluated reads what is written), in fewer statements.
  for (const part of chunks(
    stepped.filter((r) => r.subject.isNew),
    CASE_ROWS_PER_STATEMENT_MAX,
  ))
    await insertCases(tx, part, dayText, zone);
  for (const part of chunks(
    stepped.filter((r) => !r.subject.isNew),
    CASE_ROWS_PER_STATEMENT_MAX,
  ))
    await updateOpenCases(tx, part, dayText);
  // The steps a machine carries out (decision 0757), kept for after every case is written.
  for (const r of stepped)
    if (
      r.step.action === 'reminder' ||
      r.step.action === 'agency-placement' ||
      r.step.action === 'legal-review'
    )
      acting.push({
        caseId: r.subject.caseId,
        customerId: r.subject.customerId,
        step: r.step,
        complaintOpen: r.subject.complaintOpen,
        agencyId: r.subject.agencyId,
        figures: r.subject.figures,
      });
  return acting;
}

/**
 * A stepped case's written columns as one JSON object; a statement's rows go as one JSON array read by
 * `jsonb_to_recordset` (`STEPPED_COLUMNS`). Serialising one array natively costs a fraction of the driver's
 * escaping of twenty parallel arrays element by element, and the assessment and the loan ids travel as JSON
 * values rather than as text to parse again.
 */
function steppedRow(r: SteppedCase) {
  const s = r.subject;
  return {
    case_id: s.caseId,
    customer_id: s.customerId,
    changed: s.figuresChanged,
    bucket: s.figures.bucket,
    dpd: s.figures.maxDaysPastDue,
    overdue: s.figures.overdueMinor,
    owed: s.figures.totalOwedMinor,
    loans: s.figures.pastDueLoanIds,
    arm: s.arm,
    version: r.version,
    step: r.step.code,
    action: r.step.action,
    channel: r.step.channel,
    reason: r.step.reason,
    due: r.due,
    assessment: r.assessment,
    vulnerabilities: r.assessment.vulnerabilities,
    cure: r.cure,
    priority: r.priority,
    paid: r.paid,
    weights: r.weightsVersion,
    score: s.behaviourScore,
  };
}

/** The record `steppedRow` writes, as `jsonb_to_recordset` reads it. */
const STEPPED_COLUMNS = `u(case_id text, customer_id text, changed boolean, bucket text, dpd int, overdue bigint,
  owed bigint, loans jsonb, arm text, version text, step text, action text, channel text, reason text, due date,
  assessment jsonb, vulnerabilities text[], cure int, priority bigint, paid bigint, weights text, score int)`;

async function insertCases(tx: Queryable, part: readonly SteppedCase[], day: string, zone: string) {
  await tx.query(
    `insert into collection_cases (case_id, customer_id, status, opened_day, bucket, max_days_past_due,
        overdue_minor, total_owed_minor, past_due_loan_ids, borrower_zone, updated_day, strategy_arm,
        opening_overdue_minor, paid_at_open_minor, paid_to_date_minor, strategy_version, strategy_step,
        next_action, next_action_channel, next_action_reason, next_action_due_day, assessment, vulnerabilities,
        cure_bp, priority_minor, assessment_version, behaviour_score)
      select u.case_id, u.customer_id, 'open', $1::date, u.bucket, u.dpd, u.overdue, u.owed, u.loans, $2,
             $1::date, u.arm, u.overdue, u.paid, u.paid, u.version, u.step, u.action, u.channel, u.reason, u.due,
             u.assessment, u.vulnerabilities, u.cure, u.priority, u.weights, u.score
        from jsonb_to_recordset($3::jsonb) as ${STEPPED_COLUMNS}`,
    [day, zone, JSON.stringify(part.map(steppedRow))],
  );
}

/** Open cases that stay open: figures (when changed, with the row's version) and step in one statement. */
async function updateOpenCases(tx: Queryable, part: readonly SteppedCase[], day: string): Promise<void> {
  const { rowCount } = await tx.query(
    `update collection_cases c set
        bucket = u.bucket, max_days_past_due = u.dpd, overdue_minor = u.overdue, total_owed_minor = u.owed,
        past_due_loan_ids = case when u.changed then u.loans else c.past_due_loan_ids end,
        updated_day = case when u.changed then $1::date else c.updated_day end,
        row_version = c.row_version + case when u.changed then 1 else 0 end,
        updated_at = case when u.changed then now() else c.updated_at end,
        strategy_arm = u.arm, strategy_version = u.version, strategy_step = u.step,
        next_action = u.action, next_action_channel = u.channel, next_action_reason = u.reason,
        next_action_due_day = u.due, assessment = u.assessment, vulnerabilities = u.vulnerabilities,
        cure_bp = u.cure, priority_minor = u.priority, paid_to_date_minor = u.paid, assessment_version = u.weights,
        behaviour_score = u.score
      from jsonb_to_recordset($2::jsonb) as ${STEPPED_COLUMNS}
      where c.case_id = u.case_id and c.status = 'open'`,
    [day, JSON.stringify(part.map(steppedRow))],
  );
  if (rowCount !== part.length) throw new Error('assertion: an open case vanished while refreshing');
}

/** Cases the plan closes: their last figures and the reason. */
async function closeCases(
  tx: Queryable,
  changes: readonly {
    caseId: string;
    figures: CaseFigures;
    reason: CaseCloseReason;
    paid: number;
  }[],
  day: string,
): Promise<void> {
  for (const part of chunks(changes, CASE_ROWS_PER_STATEMENT_MAX)) {
    // A closed case keeps the loans it held (the list of past-due loans at the last update).
    const { rowCount } = await tx.query(
      `update collection_cases c set bucket = u.bucket, max_days_past_due = u.dpd, overdue_minor = u.overdue,
          total_owed_minor = u.owed, status = 'closed', closed_day = $1::date, close_reason = u.reason,
          paid_to_date_minor = u.paid, updated_day = $1::date, row_version = c.row_version + 1, updated_at = now()
        from unnest($2::text[], $3::text[], $4::int[], $5::bigint[], $6::bigint[], $7::text[], $8::bigint[])
          as u(case_id, bucket, dpd, overdue, owed, reason, paid)
        where c.case_id = u.case_id and c.status = 'open'`,
      [
        day,
        part.map((c) => c.caseId),
        part.map((c) => c.figures.bucket),
        part.map((c) => c.figures.maxDaysPastDue),
        part.map((c) => c.figures.overdueMinor),
        part.map((c) => c.figures.totalOwedMinor),
        part.map((c) => c.reason),
        part.map((c) => c.paid),
      ],
    );
    if (rowCount !== part.length) throw new Error('assertion: an open case vanished while refreshing');
  }
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

/**
 * The team whose lead is `leadUserId` and to whose member the borrower's open case is assigned (a team lead's
 * need to know: the cases their collectors work); null when there is none.
 */
export async function ledTeamOfOpenCase(
  q: Queryable,
  customerId: string,
  leadUserId: string,
): Promise<string | null> {
  const { rows } = await q.query<{ team_id: string }>(
    `select t.team_id from collection_cases c
       join collection_team_members m on m.user_id = c.assignee
       join collection_teams t on t.team_id = m.team_id
      where c.customer_id = $1 and c.status = 'open' and t.lead = $2
      order by t.team_id limit 1`,
    [customerId, leadUserId],
  );
  return rows[0]?.team_id ?? null;
}

/** True when the borrower has an open case placed with `agencyId` (an agency user's need to know). */
export async function hasPlacedOpenCase(
  q: Queryable,
  customerId: string,
  agencyId: string,
): Promise<boolean> {
  const { rows } = await q.query(
    `select 1 from collection_cases where customer_id = $1 and status = 'open' and agency_id = $2`,
    [customerId, agencyId],
  );
  return rows.length > 0;
}
