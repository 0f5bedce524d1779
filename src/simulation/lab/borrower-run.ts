import {
  assessCase,
  type CaseLoan,
  type CompiledStrategy,
  caseFigures,
  checkNewPromise,
  decideContact,
  decidePromises,
  evaluateStrategy,
  type HardshipCause,
  instantAt,
  type LoggedContact,
  monthlyInstallmentMinor,
  type OpenCase,
  observationStep,
  type PromiseToPay,
  paidToDateMinor,
  planCases,
  type StrategyFacts,
  type StrategyStep,
  strategyFactKey,
  strategyFacts,
} from '../../collections/index.js';
import {
  BUCKETS,
  bucketRank,
  type CreditLineState,
  closedState,
  closedStep,
  commandedStep,
  DEFAULT_PRODUCT,
  drawdown,
  isLedgerInputError,
  type LoanEvent,
  type LoanPosition,
  type LoanState,
  loanPosition,
  nominalAnnualRateOf,
  openLine,
  type Product,
  parseProduct,
  planWriteOff,
  principalOf,
  syncLoanPrincipal,
} from '../../ledger/index.js';
import { addMonths, type Day, formatDate } from '../../money/index.js';
import {
  type BehaviourFold,
  type BehaviourLine,
  type BehaviourLoan,
  behaviourFeatures,
  behaviourFoldEvents,
  behaviourFoldStart,
  behaviourLoanOfFold,
  type CompiledLineControls,
  cadenceFor,
  evaluateLineControls,
  isScorable,
  type LineControlDecision,
  type LineControlFacts,
  lineControlFactsOf,
  planLineControl,
  planReminders,
  type ReminderBorrower,
  type ReminderLoanFacts,
  scoreBehaviour,
} from '../../monitoring/index.js';
import {
  type CompiledPolicy,
  type Decision,
  decisionContent,
  type ModelSet,
  SEGMENT_OF,
  withEvaluationMemo,
} from '../../origination/index.js';
import {
  type AssetClass,
  assetClassRank,
  caseRestructuringOf,
  eclStage,
  enteredMinorOf,
  firstDaysPastDueOfStage,
  horizonOf,
  isFpd30Row,
  isNegativeStatusCode,
  isNonPerforming,
  isVintageBad,
  loanCreditReportStatus,
  type MonthEndLoan,
  monthEndLoanOf,
  monthKeyOfDay,
  reminderLoanFacts,
} from '../../reporting/index.js';
import { applicationOf, invitationOf, normal, type SimBorrower } from './borrowers.js';
import { KEY_SEPARATOR, LAB_PRODUCT } from './ecl.js';
import { type LabNote, type LabNoteCode, labNoteEnglish } from './notes.js';
import type { PopulationSpec } from './population.js';
import { conditionsFor, type ScenarioSpec } from './scenario.js';
import type { ResolvedStrategy, StepWork } from './strategy.js';
import { CHAIN_STATES, industryOf, keptIn, keyed, ROLL_FROM, ROLL_TO, type Totals } from './totals.js';

/**
 * One borrower through the run, month by month and, around each due date, day by day: the real origination
 * decision, drawdowns on a real credit line, the ledger's planner for every repayment, restructuring and
 * write-off, the line controls after the first missed day and at month end, the reminder planner, collection
 * cases, contact rules and promises — with the borrower's own evidence on the case (hardship applications,
 * verified income, lost contact, the behaviour score; decision 0916) — and the reporting core's classification,
 * IFRS 9 stage and credit-report status at each month end. Pure: the borrower's generator, the strategy's documents and the start day come in.
 */

export interface RunContext {
  readonly population: PopulationSpec;
  readonly scenario: ScenarioSpec;
  readonly strategy: ResolvedStrategy;
  readonly months: number;
  /** First day of the run (the first of a month). */
  readonly startDay: Day;
}

/** One month of a traced borrower (the archetypes). */
export interface TraceRow {
  readonly month: number;
  readonly income_fen: number;
  readonly paid_fen: number;
  readonly owed_fen: number;
  readonly daysPastDue: number;
  readonly line: string;
  readonly reminders: number;
  readonly calls: number;
  readonly creditReport: string;
  readonly assetClass: string;
  /** What happened in the month, in English (the reports' words)… */
  readonly events: readonly string[];
  /** …and as data, for a reader in another language. */
  readonly notes: readonly LabNote[];
}

/** A month's notes as the row carries them: in English and as data. */
function noted(notes: readonly LabNote[]): { events: string[]; notes: readonly LabNote[] } {
  return { events: notes.map(labNoteEnglish), notes };
}

const ZONE = 'Asia/Shanghai';
const REMINDER_BORROWER: ReminderBorrower = { timeZone: ZONE, lang: 'zh-CN', optOuts: [] };

interface Slot {
  state: LoanState;
  /** The state whose principal the line last took in (null: none yet): the same state, nothing to sync. */
  synced: LoanState | null;
  /** The position of `positionFor` (see positionOf). */
  position: LoanPosition | null;
  positionFor: LoanState | null;
  defaulted: boolean;
  restructured: boolean;
  /** The lab month (0-based) the loan was drawn in: its vintage cohort. */
  cohort: number;
  /** The loan's row at the last month end (reporting's monthEndLoanOf), null when it was not in the book. */
  row: MonthEndLoan | null;
  /** Its chain state (MARKOV_STATES index) at the last month end, −1 before its first. */
  chain: number;
  /** Seen at a month end at or past M4 (the chain's default, absorbing). */
  chainDefault: boolean;
  /** Counted as a first-payment default (FPD30). */
  fpd: boolean;
  /** Its workout once defaulted: default day, EAD at default, then (day, amount) of each payment after. */
  workout: number[] | null;
  /** Every event the ledger wrote for the loan, in order: its behaviour history is folded from them. */
  log: LoanEvent[];
  /** The behaviour history's fold over the first `folded` events of the log (null: not begun). */
  fold: BehaviourFold | null;
  folded: number;
}

const products = new Map<string, Product>();
function productFor(dailyRate: string, months: number): Product {
  const key = `${dailyRate}/${months}`;
  let p = products.get(key);
  if (p === undefined) {
    p = parseProduct({
      ...DEFAULT_PRODUCT,
      id: LAB_PRODUCT,
      termCount: months,
      rate: { value: dailyRate, per: 'day' },
    });
    products.set(key, p);
  }
  return p;
}

/** The line-control table's answer depends only on the facts its tables read: answers are kept by those facts. */
const lineControlMemo = new WeakMap<
  CompiledLineControls,
  { fields: string[] | null; answers: Map<string, LineControlDecision> }
>();
function lineDecision(
  controls: CompiledLineControls,
  facts: LineControlFacts,
): LineControlDecision | Promise<LineControlDecision> {
  let memo = lineControlMemo.get(controls);
  if (memo === undefined) {
    const fields: string[] = [];
    let simple = true;
    for (const node of controls.graph.nodes as {
      type?: string;
      content?: { inputs?: { field?: string }[] };
    }[]) {
      if (node.type !== 'decisionTableNode') continue;
      for (const input of node.content?.inputs ?? []) {
        if (typeof input.field === 'string' && input.field in facts) fields.push(input.field);
        else simple = false;
      }
    }
    memo = { fields: simple ? fields : null, answers: new Map() };
    lineControlMemo.set(controls, memo);
  }
  const f = facts as unknown as Record<string, unknown>;
  let key: string;
  if (memo.fields === null) key = JSON.stringify(facts);
  else {
    // The values joined by '|' (a loop rather than map and join: this runs twice per borrower-month).
    key = '';
    for (let i = 0; i < memo.fields.length; i += 1)
      key += i === 0 ? String(f[memo.fields[i]!]) : `|${String(f[memo.fields[i]!])}`;
  }
  // A kept answer is given as it is (no promise): twice per borrower-month, the month loop then goes on
  // without waiting for a turn of the event loop.
  const kept = memo.answers.get(key);
  if (kept !== undefined) return kept;
  const answers = memo.answers;
  return evaluateLineControls(controls, facts).then((answer) => {
    if (answers.size < 10_000) answers.set(key, answer);
    return answer;
  });
}

/**
 * The collection strategy's step for a case's facts, evaluated by collections' own evaluation and kept under
 * the key the refresh's memoisedStrategy uses (strategyFactKey: the facts the graph reads, a number it only
 * compares with constants by its place among them): two cases with the same key get the same step, as a
 * direct evaluation would give them. A kept step is given as it is (no promise), so the month goes on without
 * waiting for a turn of the event loop.
 */
const caseStepMemo = new WeakMap<
  CompiledStrategy,
  { keyOf: (facts: StrategyFacts) => string; steps: Map<string, StrategyStep> }
>();
/** Steps kept per strategy at most (the same bound as the line controls' answers, ten times over). */
const CASE_STEPS_KEPT_MAX = 100_000;
function caseStep(strategy: CompiledStrategy, facts: StrategyFacts): StrategyStep | Promise<StrategyStep> {
  let memo = caseStepMemo.get(strategy);
  if (memo === undefined) {
    memo = { keyOf: strategyFactKey(strategy.graph), steps: new Map() };
    caseStepMemo.set(strategy, memo);
  }
  const key = memo.keyOf(facts);
  const kept = memo.steps.get(key);
  if (kept !== undefined) return kept;
  const steps = memo.steps;
  return evaluateStrategy(strategy, facts).then((step) => {
    if (steps.size < CASE_STEPS_KEPT_MAX) steps.set(key, step);
    return step;
  });
}

/** The exposure arrays of totals by the borrower profile's key part, then by the rest of the key as a number. */
const profileCells = new WeakMap<Totals, Map<string, Map<number, number[]>>>();
function cellsOf(totals: Totals, profileKey: string): Map<number, number[]> {
  let byProfile = profileCells.get(totals);
  if (byProfile === undefined) {
    byProfile = new Map();
    profileCells.set(totals, byProfile);
  }
  let cells = byProfile.get(profileKey);
  if (cells === undefined) {
    cells = new Map();
    byProfile.set(profileKey, cells);
  }
  return cells;
}

/** An offer is made, and a restructuring dated, this many days after the cycle day (the case's refresh is the day before). */
const OFFER_DAYS_AFTER_DUE = 2;

/** A `hold` step's work: none. */
const NO_WORK: StepWork = { messages: 0, calls: 0, letters: 0 };

/** What has cut the borrower's ability to pay in a month, as the lab models it. */
export interface AbilityFall {
  /** An illness this month (income halved, costs up). */
  readonly ill: boolean;
  /** The scenario shocks the borrower's industry this month (closure, recovery, downturn). */
  readonly industryShocked: boolean;
  /** The job or clients lost, or the business failed (drawn or scripted), and not come back. */
  readonly lost: boolean;
  /** The borrower's income process is a business: a loss is a business failure, otherwise unemployment. */
  readonly business: boolean;
  /** A scripted fall in income (王五's) in force. */
  readonly incomeFell: boolean;
}

/**
 * The hardship causes (assessment's HARDSHIP_CAUSES) the borrower can give this month, in the order an
 * application gives them: the vulnerable ones first (illness, the industry shock), then the loss of the job or
 * business, then any other fall in income. Empty when the borrower's ability has not fallen.
 */
export function hardshipCausesOf(f: AbilityFall): HardshipCause[] {
  const causes: HardshipCause[] = [];
  if (f.ill) causes.push('illness');
  if (f.industryShocked) causes.push('shock-industry');
  if (f.lost) causes.push(f.business ? 'business-failure' : 'unemployment');
  if (f.incomeFell) causes.push('other');
  return causes;
}

/**
 * The models a decision needs in the lab. A challenger in shadow is scored and recorded but never changes the
 * served decision, and the lab reads only the served decision: it is left out, which halves the policy's work.
 * A challenger that serves a share (split) is kept.
 */
const servingModels = new WeakMap<ResolvedStrategy, ModelSet>();
function modelsFor(strategy: ResolvedStrategy): ModelSet {
  let models = servingModels.get(strategy);
  if (models === undefined) {
    const mode = strategy.policy.document.settings.challenger.mode;
    models = mode === 'split' ? strategy.models : { champion: strategy.models.champion };
    servingModels.set(strategy, models);
  }
  return models;
}

/**
 * The policy as the lab evaluates it: the same graphs, their evaluations kept by the exact facts each graph
 * reads (withEvaluationMemo), since many applicants share them (the limit and price tables read the risk grade
 * and income; the cut-offs the score and segment).
 */
const memoPolicies = new WeakMap<ResolvedStrategy, CompiledPolicy>();
function policyFor(strategy: ResolvedStrategy): CompiledPolicy {
  let policy = memoPolicies.get(strategy);
  if (policy === undefined) {
    policy = withEvaluationMemo(strategy.policy);
    memoPolicies.set(strategy, policy);
  }
  return policy;
}

/**
 * The loan's position, kept on its slot with the state it was worked out for: a state handed out by the ledger
 * never changes, so neither does its position, and a month asks for the same loan's position several times.
 */
function positionOf(s: Slot): LoanPosition {
  if (s.positionFor !== s.state) {
    s.position = loanPosition(s.state);
    s.positionFor = s.state;
  }
  return s.position!;
}

function owedNow(s: Slot): number {
  const p = positionOf(s);
  return (
    p.overduePrincipalMinor +
    p.overdueInterestMinor +
    p.overdueFeeMinor +
    p.duePrincipalMinor +
    p.dueInterestMinor +
    p.dueFeeMinor +
    p.penaltyOutstandingMinor
  );
}

function overdueNow(s: Slot): number {
  const p = positionOf(s);
  return p.overduePrincipalMinor + p.overdueInterestMinor + p.overdueFeeMinor + p.penaltyOutstandingMinor;
}

const isoAt = (day: Day, clock: string) => `${formatDate(day)}T${clock}+08:00`;

/** A decision as the lab reads it: the real decision's content, not sealed into a record (the lab keeps none). */
export type LabDecision = Omit<Decision, 'contentHash'>;

/**
 * The borrower's application through the real decision, or null when the borrower applies after the run's
 * last month. Depends on the borrower alone (no draw from its generator), so a part may decide several
 * borrowers at once and simulate them one by one after.
 */
export async function decideBorrower(ctx: RunContext, b: SimBorrower): Promise<LabDecision | null> {
  const applyMonth = b.applyMonth + 1;
  if (applyMonth > ctx.months) return null;
  const applyDay = addMonths(ctx.startDay, applyMonth - 1) + b.cycleDay - 1;
  const application = applicationOf(b, isoAt(applyDay, '09:58:00'));
  return decisionContent(application, {
    businessTime: isoAt(applyDay, '10:00:00'),
    policy: policyFor(ctx.strategy),
    models: modelsFor(ctx.strategy),
    invitations: [
      invitationOf(b, application, isoAt(applyDay - 30, '00:00:00'), isoAt(applyDay + 30, '23:59:59')),
    ],
    blacklist: [],
    history: { recentApplications: [] },
  });
}

/** Each lab month's first day (index m, 1-based, through months + 1), the same for every borrower of a run. */
const monthStarts = new WeakMap<RunContext, Day[]>();
function monthStartsOf(ctx: RunContext): Day[] {
  let starts = monthStarts.get(ctx);
  if (starts === undefined) {
    starts = [ctx.startDay];
    for (let m = 1; m <= ctx.months + 2; m += 1) starts.push(addMonths(ctx.startDay, m - 1));
    monthStarts.set(ctx, starts);
  }
  return starts;
}

/**
 * Simulates one borrower; adds what happened into `totals`; returns the month rows when `trace` is set.
 * `decided`: the borrower's decision from decideBorrower, when the caller has it already.
 */
export async function simulateBorrower(
  ctx: RunContext,
  b: SimBorrower,
  rand: () => number,
  totals: Totals,
  trace = false,
  decided?: LabDecision | null,
): Promise<TraceRow[]> {
  const { strategy, months, population } = ctx;
  const behaviour = population.behaviour;
  const coll = strategy.file.collections;
  const rows: TraceRow[] = [];
  const ind = industryOf(totals, b.industry);
  const starts = monthStartsOf(ctx);
  const cycle = (m: number): Day => starts[m]! + b.cycleDay - 1;
  const applyMonth = b.applyMonth + 1;
  if (applyMonth > months) return rows;

  // Application, through the real decision.
  const applyDay = cycle(applyMonth);
  totals.series.applications[applyMonth - 1]! += 1;
  ind.applications += 1;
  const decision = decided ?? (await decideBorrower(ctx, b))!;
  const approved =
    decision.limit_fen > 0 &&
    decision.dailyRate !== null &&
    (decision.outcome === 'approve' ||
      (decision.outcome === 'refer' && strategy.file.origination.referred === 'approve'));
  // The month notes are read only when the borrower is traced: otherwise none is made.
  const reasonCodes = trace
    ? decision.reasons
        .filter((r) => r.source !== 'score')
        .map((r) => r.code)
        .slice(0, 3)
        .join(', ')
    : '';
  const decisionNote: LabNote = approved
    ? {
        code: 'decision_limit',
        params: { outcome: decision.outcome, limit: decision.limit_fen / 100, reasons: reasonCodes },
      }
    : { code: 'decision', params: { outcome: decision.outcome, reasons: reasonCodes } };
  if (!approved) {
    if (trace) {
      for (let m = applyMonth; m <= months; m += 1)
        rows.push({
          month: m,
          income_fen: 0,
          paid_fen: 0,
          owed_fen: 0,
          daysPastDue: 0,
          line: 'none',
          reminders: 0,
          calls: 0,
          creditReport: '-',
          assetClass: '-',
          ...noted(m === applyMonth ? [decisionNote] : []),
        });
    }
    return rows;
  }
  totals.series.approvals[applyMonth - 1]! += 1;
  ind.approvals += 1;
  let termMonths = Number.NEGATIVE_INFINITY;
  for (const t of decision.termOptions) termMonths = Math.max(termMonths, t.months);
  const product = productFor(decision.dailyRate!, termMonths);
  let line: CreditLineState = openLine({
    lineId: `line-${b.customerId}`,
    customerId: b.customerId,
    limitMinor: decision.limit_fen,
    day: applyDay,
  }).line;
  let frozenByControls = false;
  /** The line's limit through time, as the behaviour history reads it: at opening, then each change. */
  const limits: { day: Day; limitMinor: number }[] = [{ day: applyDay, limitMinor: line.limitMinor }];
  const slots: Slot[] = [];
  let loanSeq = 0;
  let monthEvents: LabNote[] = [decisionNote];
  const note = (code: LabNoteCode, params: LabNote['params'] = {}): void => {
    if (trace) monthEvents.push({ code, params });
  };
  let monthCashIn = 0;

  /** The line in step with every loan's principal; a loan whose state is the one last synced has not moved. */
  const syncLine = (day: Day): void => {
    for (const s of slots) {
      if (s.state === s.synced) continue;
      line = syncLoanPrincipal(line, s.state.loanId, principalOf(s.state, positionOf(s)), day).line;
      s.synced = s.state;
    }
  };
  const draw = (
    amount: number,
    day: Day,
    why: 'drew_first' | 'drew_past_due' | 'drew_to_pay' | 'drew_spending',
  ): boolean => {
    syncLine(day);
    const available = line.limitMinor - line.usedMinor;
    const principal = Math.floor(Math.min(amount, available) / 10_000) * 10_000;
    if (principal < 100_000) return false;
    const m = monthOf(day);
    if (line.status !== 'active') {
      totals.series.drawsRefused[m - 1]! += 1;
      note('draw_refused', { status: line.status });
      return false;
    }
    loanSeq += 1;
    // Loan ids need only be unique on the borrower's line (one borrower is simulated at a time), so every
    // borrower's loans are numbered alike: the line's per-loan map then has the same few shapes for every
    // borrower instead of a new object shape per loan of the run.
    const r = drawdown(line, {
      loanId: `loan-${loanSeq}`,
      product,
      principalMinor: principal,
      day,
    });
    line = r.line;
    slots.push({
      log: [...r.loan.events],
      fold: null,
      folded: 0,
      state: r.loan.state,
      synced: null,
      position: null,
      positionFor: null,
      defaulted: false,
      restructured: false,
      cohort: m - 1,
      row: null,
      chain: -1,
      chainDefault: false,
      fpd: false,
      workout: null,
    });
    totals.cohortLoans[m - 1]! += 1;
    totals.cohortDisbursed_fen[m - 1]! += principal;
    totals.series.draws[m - 1]! += 1;
    totals.series.disbursed_fen[m - 1]! += principal;
    ind.disbursed_fen += principal;
    note(why, { amount: principal / 100 });
    return true;
  };
  const monthOf = (day: Day): number => {
    let m = 1;
    while (m < months && cycle(m + 1) <= day) m += 1;
    return m;
  };
  // The loans still running. The arrays here and below are built from an empty literal rather than by filter or
  // map: those give an empty result another representation than a full one, and each new representation met
  // throws away this long function's compiled code (about a second to compile again); a literal's site settles
  // on one representation for all.
  const active = (): Slot[] => {
    const out: Slot[] = [];
    for (const s of slots) if (s.state.status === 'active') out.push(s);
    return out;
  };
  /** The slot's state after a ledger step, the step's events kept on its log. */
  const stepped = (s: Slot, r: { state: LoanState; events: readonly LoanEvent[] }): void => {
    s.state = r.state;
    for (const e of r.events) s.log.push(e);
  };
  const closeAll = (day: Day) => {
    for (const s of active()) if (s.state.lastClosedDay < day) stepped(s, closedStep(s.state, day));
  };
  let payCount = 0;
  const payLoan = (s: Slot, amount: number, day: Day): number => {
    if (amount <= 0 || s.state.status !== 'active') return 0;
    // Closed to the eve first: a credit balance may settle the loan on its last due date.
    if (s.state.lastClosedDay < day - 1) stepped(s, closedStep(s.state, day - 1));
    if (s.state.status !== 'active') return 0;
    payCount += 1;
    try {
      stepped(
        s,
        commandedStep(s.state, {
          type: 'repay',
          amountMinor: amount,
          day,
          clientId: `${s.state.loanId}-p${payCount}`,
          excess: 'credit',
        }),
      );
    } catch (error) {
      // The day's start settled the loan (money paid ahead covered its last instalment): nothing to pay.
      if (isLedgerInputError(error) && error.code === 'loan_settled') return 0;
      throw error;
    }
    monthCashIn += amount;
    if (s.workout !== null) s.workout.push(day, amount);
    return amount;
  };
  /** Pays up to `budget` of what is overdue, oldest loans first; returns what was paid. */
  const payOverdue = (budget: number, day: Day): number => {
    let paid = 0;
    for (const s of active()) {
      if (budget - paid <= 0) break;
      const owed = s.state.lastClosedDay < day ? overdueNow(s) : 0;
      paid += payLoan(s, Math.min(owed, budget - paid), day);
    }
    return paid;
  };
  /** The line controls on `day`; a promise only when the table had to be evaluated (see lineDecision). */
  const applyLineControls = (day: Day): Promise<void> | undefined => {
    // A settled loan owes nothing and is not past due: it adds nothing to the facts, and is left out.
    // Each loan's position is the one kept on its slot (the same as the facts would work out again).
    const loans: LoanState[] = [];
    const positions: LoanPosition[] = [];
    for (const s of slots)
      if (s.state.status !== 'settled') {
        loans.push(s.state);
        positions.push(positionOf(s));
      }
    const facts = lineControlFactsOf(line, loans, positions);
    const d = lineDecision(strategy.lineControls, facts);
    if (d instanceof Promise) return d.then((answer) => lineControlsDecided(answer, day));
    lineControlsDecided(d, day);
    return undefined;
  };
  const lineControlsDecided = (d: LineControlDecision, day: Day): void => {
    const plan = planLineControl(line, d, frozenByControls, day);
    for (const c of plan.changes) {
      if (c.kind === 'limit-changed') limits.push({ day: c.day, limitMinor: c.toLimitMinor });
      if (c.kind === 'frozen') frozenByControls = true;
      if (c.kind === 'unfrozen') frozenByControls = false;
      note('line_change', { kind: c.kind, code: c.code });
    }
    line = plan.line;
  };
  const cost = (m: number, fen: number) => {
    totals.series.collectionCost_fen[m - 1]! += fen;
  };
  const reminderCost = (m: number, planned: readonly { status: string; channel: string }[]): number => {
    let n = 0;
    for (const r of planned) {
      if (r.status !== 'planned') continue;
      n += 1;
      cost(m, coll.costs_fen[r.channel as keyof typeof coll.costs_fen] ?? 0);
    }
    totals.series.reminders[m - 1]! += n;
    return n;
  };

  // What the reporting core reads at each month end (roll rates, vintages, the ECL's chain and exposures): the
  // loan's month-end row as the month-end job makes it, summed as the store sums the rows.
  const eclSettings = strategy.ecl.settings;
  const rateText = Number(nominalAnnualRateOf(product)).toFixed(6);
  const rateMicro = Math.round(Number(rateText) * 1_000_000);
  const profileKey = `${KEY_SEPARATOR}${rateText}${KEY_SEPARATOR}${b.occupation}${KEY_SEPARATOR}${b.industry}`;
  const chainOf = keyed(totals.chain, LAB_PRODUCT, months * CHAIN_STATES * CHAIN_STATES);
  const defaultDpd = firstDaysPastDueOfStage(3, eclSettings.staging.ifrs9);
  const monthEndKey = (day: Day) => monthKeyOfDay(day);
  // The exposure arrays of this borrower's profile, by a number made of the key's other parts (no key text
  // is built for a group met before).
  const cells = cellsOf(totals, profileKey);
  const cellOf = (kind: 0 | 1, rank: number, stage: number, horizon: number): number[] => {
    const code = ((kind * 8 + rank) * 4 + stage) * 128 + horizon;
    let cell = cells.get(code);
    if (cell === undefined) {
      const key =
        kind === 0
          ? `drawn${KEY_SEPARATOR}${LAB_PRODUCT}${KEY_SEPARATOR}${BUCKETS[rank]!}${KEY_SEPARATOR}${stage}${KEY_SEPARATOR}${horizon}${profileKey}`
          : `undrawn${KEY_SEPARATOR}*${KEY_SEPARATOR}${BUCKETS[rank]!}${KEY_SEPARATOR}${stage}${KEY_SEPARATOR}${horizon}${profileKey}`;
      cell = keptIn(totals.exposures, key, months);
      cells.set(code, cell);
    }
    return cell;
  };
  /** One loan at the month end of lab month idx (0-based) on `day`; returns its row (null: not in the book). */
  const reportLoan = (s: Slot, idx: number, day: Day): MonthEndLoan | null => {
    const row = s.state.status === 'active' ? monthEndLoanOf(s.state, day) : null;
    const before = s.row;
    if (before !== null) {
      const from = ROLL_FROM * idx + bucketRank(before.bucket);
      totals.rollLoans[from * ROLL_TO + (row === null ? ROLL_TO - 1 : bucketRank(row.bucket))]! += 1;
      totals.rollBalance_fen[from * ROLL_TO + (row === null ? ROLL_TO - 1 : bucketRank(row.bucket))]! +=
        before.outstandingPrincipalMinor;
      if (row !== null) {
        const entered = enteredMinorOf(before, row);
        if (entered !== 0) totals.rollEntered_fen[ROLL_FROM * idx + bucketRank(row.bucket)]! += entered;
      }
    }
    let state: number;
    if (row !== null) {
      const k = idx - s.cohort;
      if (k >= 0) {
        const at = (s.cohort * months + k) * 2;
        if (isVintageBad(row, 0)) totals.vintageBad_fen[at]! += row.outstandingPrincipalMinor;
        if (isVintageBad(row, 1)) totals.vintageBad_fen[at + 1]! += row.outstandingPrincipalMinor;
      }
      if (!s.fpd && isFpd30Row(row)) {
        s.fpd = true;
        totals.cohortFpd30[s.cohort]! += 1;
      }
      const rank = bucketRank(row.bucket);
      const p = positionOf(s);
      if (rank >= 4 && !s.chainDefault) {
        s.chainDefault = true;
        s.workout = [Math.min(day, day - (row.daysPastDue - defaultDpd)), p.totalOwedMinor];
      }
      state = s.chainDefault ? 4 : rank;
      if (p.totalOwedMinor > 0) {
        const r = s.state.restructuring;
        const latest = r?.records.at(-1)?.day ?? null;
        const stage = eclStage(
          {
            daysPastDue: row.daysPastDue,
            restructured: latest !== null && day - latest < 365,
            restructuringBroken: r?.status === 'broken',
            watchlist: line.status === 'frozen',
          },
          eclSettings.staging,
        ).stage;
        const lastDue = s.state.plan.at(-1)?.dueDay ?? day;
        // The measurement reads the remaining months only through the horizon: the key holds the horizon.
        const horizon = horizonOf(
          { kind: 'drawn', remainingMonths: Math.max(1, monthEndKey(lastDue) - monthEndKey(day)) },
          stage,
          eclSettings,
        );
        cellOf(0, rank, stage, horizon)[idx]! += p.totalOwedMinor;
      }
    } else state = s.state.status === 'written-off' || s.chainDefault ? 4 : 5;
    if (s.chain >= 0 && s.chain < 4) chainOf[(idx * CHAIN_STATES + s.chain) * CHAIN_STATES + state]! += 1;
    s.chain = state;
    s.row = row;
    return row;
  };
  /** The line's undrawn limit as an exposure at the month end (an active line with loans), after its loans'. */
  const reportLine = (idx: number): void => {
    if (line.status !== 'active' || slots.length === 0) return;
    let used = 0;
    let worst = 0;
    let dpd = 0;
    let writtenOff = false;
    for (const s of slots) {
      if (s.state.status === 'written-off') writtenOff = true;
      if (s.row === null) continue;
      used += principalOf(s.state, positionOf(s));
      worst = Math.max(worst, bucketRank(s.row.bucket));
      dpd = Math.max(dpd, s.row.daysPastDue);
    }
    const undrawn = Math.max(0, line.limitMinor - used);
    if (undrawn === 0) return;
    const stage = eclStage({ daysPastDue: dpd, writtenOff }, eclSettings.staging).stage;
    const horizon = horizonOf({ kind: 'undrawn', remainingMonths: 1 }, stage, eclSettings);
    cellOf(1, worst, stage, horizon)[idx]! += undrawn;
  };
  /**
   * The behaviour score (行为评分) as the monthly job gives it for the month ending `asOf`: the line's history
   * folded from its loans' ledger events (monitoring/behaviour), its features as of that day and the
   * scorecard's score; null when there is no model or the line has no open loan then (not scored). The
   * borrower has one line, so its score is the lowest of the borrower's lines.
   */
  const behaviourScoreAsOf = (asOf: Day): number | null => {
    const model = strategy.behaviourModel;
    if (model === null) return null;
    const loans: BehaviourLoan[] = [];
    for (const s of slots) {
      if (s.fold === null) s.fold = behaviourFoldStart();
      if (s.folded < s.log.length) {
        behaviourFoldEvents(s.fold, s.folded === 0 ? s.log : s.log.slice(s.folded));
        s.folded = s.log.length;
      }
      loans.push(behaviourLoanOfFold(s.fold));
    }
    const history: BehaviourLine = {
      customerId: b.customerId,
      lineId: line.lineId,
      openedDay: applyDay,
      limits,
      loans,
    };
    if (!isScorable(history, asOf)) return null;
    return scoreBehaviour(model, [behaviourFeatures(history, asOf)])[0]!.score;
  };
  const flushWorkouts = (): void => {
    for (const s of slots) {
      const w = s.workout;
      if (w === null) continue;
      totals.workouts.push(w[0]!, w[1]!, rateMicro, (w.length - 2) / 2);
      for (let i = 2; i < w.length; i += 1) totals.workouts.push(w[i]!);
    }
  };

  // The first drawdown on the day the line opens.
  draw(Math.round(decision.limit_fen * behaviour.drawShare), applyDay, 'drew_first');

  const segment = SEGMENT_OF[b.occupation];
  const cadence = cadenceFor(strategy.cadence, product.id, segment);
  const stages = cadence?.stages ?? [];
  const preDueOffsets = [
    ...new Set(stages.filter((s) => s.anchor === 'due' && s.offsetDays <= 0).map((s) => s.offsetDays)),
  ].sort((x, y) => x - y);
  const postDueOffsets = [
    ...new Set(stages.filter((s) => s.anchor === 'due' && s.offsetDays > 0).map((s) => s.offsetDays)),
  ].sort((x, y) => x - y);
  const noticeOffsets = [
    ...new Set(stages.filter((s) => s.anchor === 'negative-notice').map((s) => s.offsetDays)),
  ];

  let savings = Math.round(b.income_fen * behaviour.savingsMonths * b.ability);
  let assets = b.assets_fen;
  let lost = false;
  let illMonths = 0;
  let fallFactor = 1;
  let openCase: OpenCase | null = null;
  let caseSeq = 0;
  // What the open case holds of the borrower's own evidence: hardship applications (one per cause), the income
  // verified with one (the latest; null: none), unanswered calls in a row, and whether it is marked lost contact.
  let caseHardships: { cause: HardshipCause; day: Day }[] = [];
  let caseIncome: number | null = null;
  let caseUnanswered = 0;
  let caseLost = false;
  let caseScore: number | null = null;
  let sued: number | null = null;
  // What the open case knows: its contacts, promises, what was paid when it opened, its last step, whether it
  // is placed with an agency; and a complaint made in a month, open at the next month's refresh.
  let caseContacts: { party: 'borrower'; outcome: LoggedContact['outcome']; allowed: true }[] = [];
  let caseKept = 0;
  let caseBroken = 0;
  let casePaidAtOpen = 0;
  let caseStepCode: string | null = null;
  let placed = false;
  let complaintCarried = false;
  let negative = false;
  let paidTotals = { interest: 0, penalty: 0, fees: 0 };

  for (let m = applyMonth + 1; m <= months; m += 1) {
    const D = cycle(m);
    const E = cycle(m + 1) - 1;
    monthEvents = [];
    monthCashIn = 0;
    let callsThisMonth = 0;
    let remindersThisMonth = 0;
    let paidThisMonth = 0;
    // Income this month, by the borrower's process, the scenario and the borrower's own events.
    const cond = conditionsFor(ctx.scenario, m, b.group, b.occupation, b.industry);
    for (const e of b.events) {
      if (e.month !== m) continue;
      if (e.kind === 'income-fall') fallFactor = e.factor ?? 0.6;
      else lost = true;
      if (e.kind === 'income-fall') note('income_falls', { percent: Math.round((e.factor ?? 0.6) * 100) });
      else note('shock', { kind: e.kind });
    }
    if (b.archetype === null) {
      if (!lost && rand() < b.lossMonthly * cond.lossMultiplier) {
        lost = true;
        note(b.process === 'business' ? 'business_fails' : 'loses_job');
      } else if (lost && rand() < b.recoveryMonthly) {
        lost = false;
        note('income_back');
      }
      if (illMonths === 0 && rand() < population.illnessMonthly * cond.illnessMultiplier) {
        illMonths = 3;
        note('illness');
      }
    }
    const noise =
      b.volatility > 0 ? Math.exp(b.volatility * normal(rand) - (b.volatility * b.volatility) / 2) : 1;
    let income = lost
      ? b.income_fen * b.incomeAfterLoss
      : b.income_fen * fallFactor * cond.incomeFactor * noise;
    let expenses = b.expenses_fen * (1 + behaviour.expenseShock * (1 - b.ability) * Math.abs(normal(rand)));
    const ill = illMonths > 0;
    if (illMonths > 0) {
      income *= 0.5;
      expenses += b.income_fen * 0.2;
      illMonths -= 1;
    }
    if (cond.closed) note('industry_closed', { industry: b.industry });
    income = Math.round(income);
    let cash = savings + income - Math.round(expenses) - b.debtPayment_fen;

    // Reminders before and on the due date, from the real planner.
    closeAll(D - 1);
    if (m === applyMonth + 1) {
      // The application month's end (the eve of the first due date): the loans' first month-end rows.
      for (const s of slots) reportLoan(s, applyMonth - 1, D - 1);
      reportLine(applyMonth - 1);
    }
    const dueFacts: ReminderLoanFacts[] = [];
    for (const s of active())
      dueFacts.push(reminderLoanFacts(s.state, D - 1, REMINDER_BORROWER, segment, undefined, false));
    let preDue = 0;
    if (dueFacts.length > 0)
      for (const off of preDueOffsets)
        preDue += reminderCost(
          m,
          planReminders({ document: strategy.cadence, day: D + off, loans: dueFacts, withoutText: true }),
        );
    remindersThisMonth += preDue;

    // The due date: pay, pay part, draw to pay, or miss. The borrower decides on the cycle day; an instalment
    // of a restructured plan (made on the offer day, two days after the cycle day, so falling due up to two days
    // after it) is paid on its own due day, what the ledger bills that day (the plan's figure is only
    // an estimate of the interest), so that a borrower who pays pays it on time.
    const owedByLoan: { s: Slot; amount: number; day: Day }[] = [];
    let due = 0;
    for (const s of active()) {
      if (s.state.restructuring !== undefined) {
        const item = s.state.plan.find((p) => p.dueDay > D && p.dueDay <= D + OFFER_DAYS_AFTER_DUE);
        if (item !== undefined) {
          const billedOn = loanPosition(closedState(s.state, item.dueDay));
          const billed =
            billedOn.overduePrincipalMinor +
            billedOn.overdueInterestMinor +
            billedOn.overdueFeeMinor +
            billedOn.duePrincipalMinor +
            billedOn.dueInterestMinor +
            billedOn.dueFeeMinor +
            billedOn.penaltyOutstandingMinor;
          owedByLoan.push({ s, amount: billed, day: item.dueDay });
          due += billed;
          continue;
        }
      }
      const item = s.state.plan.find((p) => p.dueDay === D);
      const amount = owedNow(s) + (item?.totalMinor ?? 0);
      owedByLoan.push({ s, amount, day: D });
      due += amount;
    }
    const pastDue = active().some((s) => positionOf(s).daysPastDue > 0);
    // A borrower already past due who can still draw spends what is drawn on getting by (a stated assumption:
    // the money does not come back to pay the arrears); this is the exposure a freeze at the first missed day saves.
    if (pastDue && line.status === 'active' && rand() < behaviour.drawWhenPastDue)
      draw(Math.round((line.limitMinor - line.usedMinor) * behaviour.drawShare), D, 'drew_past_due');
    if (due > 0) {
      const forgot = rand() < behaviour.forgetWithoutReminder * (1 - behaviour.reminderEffect) ** preDue;
      const willing = rand() >= (1 - b.willingness) * behaviour.skipWhenAble;
      if (!pastDue && willing && !forgot && cash < due && rand() < behaviour.drawWhenShort) {
        if (draw(due - Math.max(0, cash), D, 'drew_to_pay')) cash += due - Math.max(0, cash);
      }
      let budget = 0;
      if (willing && !forgot) {
        if (cash >= due) budget = due;
        else if (cash >= due * 0.1) budget = Math.floor(Math.max(0, cash) * behaviour.partPayWhenShort);
      }
      for (const { s, amount, day } of owedByLoan) {
        const pay = Math.min(amount, budget);
        if (pay <= 0) break;
        const paid = payLoan(s, pay, day);
        budget -= paid;
        cash -= paid;
        paidThisMonth += paid;
      }
      if (paidThisMonth === 0) note(forgot ? 'forgot_due_date' : 'missed_instalment');
      else if (paidThisMonth < due) note('paid_part', { paid: paidThisMonth / 100, due: due / 100 });
    }
    // A draw for spending while current (on the cycle day, so that every loan of the line falls due on it).
    if (due === 0 || paidThisMonth >= due) {
      if (rand() < behaviour.drawMonthly)
        draw(Math.round((line.limitMinor - line.usedMinor) * behaviour.drawShare), D, 'drew_spending');
    }
    // End of day: the first missed day, line controls.
    closeAll(D + 1);
    const controlled = applyLineControls(D + 1);
    if (controlled !== undefined) await controlled;

    // Collections: the case (as the product's refresh plans it: written-off loans and restructurings under
    // observation given), reminders after the due date, the collection strategy's step and its work — messages,
    // letters, offers, calls and promises, an agency, the law.
    const caseDay = D + 1;
    const caseLoans: CaseLoan[] = slots.map((s) => {
      const restructuring =
        s.state.restructuring === undefined ? undefined : caseRestructuringOf(s.state, caseDay);
      return {
        loanId: s.state.loanId,
        position: positionOf(s),
        ...(s.state.status === 'written-off' ? { writtenOff: true } : {}),
        ...(restructuring === undefined ? {} : { restructuring }),
      };
    });
    const plan = planCases(new Map([[b.customerId, caseLoans]]), openCase === null ? [] : [openCase], {
      openFromDaysPastDue: coll.caseOpenFromDaysPastDue,
    });
    for (const o of plan.open) {
      caseSeq += 1;
      openCase = {
        caseId: `case-${b.customerId}-${caseSeq}`,
        customerId: b.customerId,
        openedDay: caseDay,
        figures: o.figures,
      };
      caseContacts = [];
      caseKept = 0;
      caseBroken = 0;
      casePaidAtOpen = paidToDateMinor(slots.map((s) => s.state));
      caseStepCode = null;
      placed = false;
      caseHardships = [];
      caseIncome = null;
      caseUnanswered = 0;
      caseLost = false;
      caseScore = null;
      note('case_opened');
    }
    for (const u of plan.update) if (openCase !== null) openCase = { ...openCase, figures: u.figures };
    if (plan.close.length > 0) openCase = null;
    const observation = plan.observing[0];
    const complaintAtRefresh = complaintCarried;
    complaintCarried = false;

    if (openCase !== null) {
      const figures = caseFigures(caseLoans);
      const facts: ReminderLoanFacts[] = [];
      for (const s of active())
        facts.push(reminderLoanFacts(s.state, caseDay, REMINDER_BORROWER, segment, undefined, false));
      for (const off of postDueOffsets)
        if (D + off < E)
          remindersThisMonth += reminderCost(
            m,
            planReminders({ document: strategy.cadence, day: D + off, loans: facts, withoutText: true }),
          );
      for (const off of noticeOffsets) {
        const notice = facts.find((f) => f.negativeNotice !== null)?.negativeNotice;
        if (notice !== undefined && notice !== null) {
          const day = notice.deadlineDay + off;
          if (day > D && day < E)
            remindersThisMonth += reminderCost(
              m,
              planReminders({ document: strategy.cadence, day, loans: facts, withoutText: true }),
            );
        }
      }
      // The case's step: on hold while a restructuring is under observation (CS_RESTRUCTURING_OBSERVATION, as
      // the refresh does), otherwise the collection strategy's, on the case's facts and the real assessment.
      let step: StrategyStep;
      if (observation !== undefined) step = observationStep(observation, caseDay);
      else {
        // A borrower whose ability fell applies for hardship (困难申请), giving a cause not yet given on the case,
        // on the refresh day, before the case is assessed: recorded on the case as the portal records one. With
        // income evidence (always with statements), the collector records the month's income as verified.
        for (const cause of hardshipCausesOf({
          ill,
          industryShocked: cond.shocked,
          lost,
          business: b.process === 'business',
          incomeFell: fallFactor < 1,
        })) {
          if (caseHardships.some((h) => h.cause === cause)) continue;
          if (rand() < behaviour.hardshipBase + behaviour.hardshipWillingness * b.willingness) {
            caseHardships.push({ cause, day: caseDay });
            totals.series.hardshipApplications[m - 1]! += 1;
            note('hardship_applied', { cause });
            if (b.statements || rand() < behaviour.incomeEvidenced) {
              caseIncome = income;
              totals.series.incomeVerified[m - 1]! += 1;
              note('income_verified', { amount: income / 100 });
            }
          }
          break;
        }
        const assessment = assessCase({
          hardships: caseHardships,
          verifiedMonthlyIncomeMinor: caseIncome,
          // What the loans ask a month, as the product's refresh reads it; read only against verified income.
          monthlyInstallmentMinor:
            caseIncome === null
              ? 0
              : monthlyInstallmentMinor(
                  slots.map((s) => s.state),
                  slots.map(positionOf),
                ),
          contacts: caseContacts,
          promisesKept: caseKept,
          promisesBroken: caseBroken,
          paidSinceOpenMinor: Math.max(0, paidToDateMinor(slots.map((s) => s.state)) - casePaidAtOpen),
          overdueMinor: figures.overdueMinor,
          maxDaysPastDue: figures.maxDaysPastDue,
          lostContact: caseLost,
          // Signs of evasion are what a person records (moved, assets transferred): the lab's borrower shows none.
          evasionSigns: [],
          // The scenario's shock stands for the lender's shock list of industries.
          industryShocked: cond.shocked,
        });
        // The borrower's behaviour score of the month just ended (the eve of the cycle day is the lab's month
        // end), as the monthly job scores it and the refresh reads the latest; read only where it is used.
        const score = behaviourScoreAsOf(D - 1);
        if (score !== null) {
          totals.series.scoredCases[m - 1]! += 1;
          if (score !== caseScore) note('behaviour_score', { score });
        }
        caseScore = score;
        const decided = caseStep(
          strategy.collectionStrategy,
          strategyFacts({
            bucket: figures.bucket,
            maxDaysPastDue: figures.maxDaysPastDue,
            overdueMinor: figures.overdueMinor,
            totalOwedMinor: figures.totalOwedMinor,
            behaviourScore: score,
            assessment: assessment.verdict,
            vulnerabilities: assessment.vulnerabilities,
            complaintOpen: complaintAtRefresh,
            lostContact: caseLost,
            promisesBroken: caseBroken,
            promisesKept: caseKept,
            openedDay: openCase.openedDay,
            day: caseDay,
          }),
        );
        step = decided instanceof Promise ? await decided : decided;
      }
      if (step.code !== caseStepCode) note('collection_step', { code: step.code, action: step.action });
      caseStepCode = step.code;
      const work = step.action === 'hold' ? NO_WORK : coll.work[step.action];
      const cashBeforeWork = monthCashIn;
      const maxDpdNow = figures.maxDaysPastDue;
      const owedNowAll = active().reduce((x, s) => x + positionOf(s).totalOwedMinor, 0);

      // Messages on the step's channel and letters.
      if (work.messages > 0) {
        const channel = step.channel === 'app' ? 'app-push' : (step.channel ?? 'sms');
        remindersThisMonth += work.messages;
        totals.series.reminders[m - 1]! += work.messages;
        cost(m, coll.costs_fen[channel] * work.messages);
      }
      if (work.letters > 0) {
        totals.series.letters[m - 1]! += work.letters;
        cost(m, coll.costs_fen.letter * work.letters);
      }
      // A negotiation step: a payment holiday (relief when the borrower's industry is shocked) or an
      // instalment plan, once per loan.
      const offerKind: 'payment-holiday' | 'negotiated-plan' | null =
        step.action !== 'negotiation-offer'
          ? null
          : coll.holiday.offer && (!coll.holiday.onlyShocked || cond.shocked)
            ? 'payment-holiday'
            : coll.negotiatedPlan.offer
              ? 'negotiated-plan'
              : null;
      const offerDay = D + OFFER_DAYS_AFTER_DUE;
      if (offerKind !== null)
        for (const s of active()) {
          if (s.restructured || positionOf(s).daysPastDue === 0) continue;
          const kind = offerKind;
          if (rand() >= behaviour.acceptBase + behaviour.acceptWillingness * b.willingness) {
            totals.series.offersDeclined[m - 1]! += 1;
            note('declined_offer', { kind });
            s.restructured = true;
            continue;
          }
          try {
            stepped(
              s,
              commandedStep(s.state, {
                type: 'restructure',
                kind,
                day: offerDay,
                clientId: `${s.state.loanId}-r`,
                ...(kind === 'payment-holiday'
                  ? { holidayMonths: coll.holiday.months, relief: cond.shocked }
                  : { months: coll.negotiatedPlan.months, monthlyIncomeMinor: Math.max(income, 1) }),
              }),
            );
            totals.series[kind === 'payment-holiday' ? 'holidays' : 'plans'][m - 1]! += 1;
            if (kind === 'payment-holiday') note('payment_holiday', { months: coll.holiday.months });
            else note('negotiated_plan', { months: coll.negotiatedPlan.months });
          } catch (error) {
            if (!isLedgerInputError(error)) throw error;
            totals.series.offersRefusedByRules[m - 1]! += 1;
            note('offer_refused', { kind, code: error.code });
          }
          s.restructured = true;
        }
      // An agency placement: the agency reaches part of the assets when the case is placed, and works it.
      if (step.action === 'agency-placement' && !placed) {
        placed = true;
        totals.series.agencyPlacements[m - 1]! += 1;
        const day = offerDay;
        let left = Math.min(owedNowAll, Math.round(assets * coll.agency.recoveryShareOfAssets));
        const reach = left;
        for (const s of active()) {
          if (left <= 0 || s.state.lastClosedDay >= day) continue;
          left -= payLoan(s, Math.min(positionOf(s).totalOwedMinor, left), day);
        }
        assets -= reach - left;
        note('agency_placed', { amount: (reach - left) / 100 });
      }
      // A legal review: a lawsuit when the strategy file's thresholds allow.
      if (
        step.action === 'legal-review' &&
        sued === null &&
        coll.legal.sue &&
        maxDpdNow >= coll.legal.fromDaysPastDue &&
        owedNowAll >= coll.legal.minOwed_fen
      ) {
        sued = m;
        totals.series.lawsuits[m - 1]! += 1;
        cost(m, coll.costs_fen.lawsuit);
        note('lawsuit_filed');
      }
      // Calls within the contact rules (an agency's are paid by its commission); promises kept or broken by
      // the ledger.
      const callsPlanned = work.calls;
      const callCost = step.action === 'agency-placement' ? 0 : coll.costs_fen.call;
      const log: LoggedContact[] = [];
      let complaintOpen = complaintAtRefresh;
      let pending: PromiseToPay | null = null;
      let contacted = remindersThisMonth > preDue;
      const resolvePromise = (day: Day) => {
        if (pending === null || pending.promisedDay > day) return;
        const p = pending;
        if (cash >= p.amountMinor && rand() < b.willingness * behaviour.keepPromise) {
          const paid = payOverdue(p.amountMinor, p.promisedDay);
          paidThisMonth += paid;
          cash -= paid;
        }
        const [decided] = decidePromises([p], paidToDateMinor(slots.map((s) => s.state)), p.promisedDay);
        if (decided !== undefined) {
          totals.series[decided.status === 'kept' ? 'promisesKept' : 'promisesBroken'][m - 1]! += 1;
          if (decided.status === 'kept') caseKept += 1;
          else caseBroken += 1;
          note('promise', { status: decided.status });
        }
        pending = null;
      };
      for (let k = 0; k < callsPlanned; k += 1) {
        const day = D + 3 + 2 * k;
        if (day >= E) break;
        resolvePromise(day - 1);
        if (active().every((s) => positionOf(s).daysPastDue === 0 && s.state.lastClosedDay < day)) break;
        const atMs = instantAt(day, 10 * 60, ZONE);
        const allowed = decideContact({ atMs, channel: 'call', party: 'borrower' }, log, {
          zone: ZONE,
          lostContact: caseLost,
          complaintOpen,
        });
        if (!allowed.allowed) continue;
        callsThisMonth += 1;
        cost(m, callCost);
        const answered = rand() < behaviour.answerBase + behaviour.answerWillingness * b.willingness;
        let outcome: LoggedContact['outcome'] = answered ? 'answered' : 'no-answer';
        if (answered) {
          contacted = true;
          if (
            rand() <
            behaviour.complaintPerCall * (1 - b.willingness) * (1 + Math.max(0, callsThisMonth - 4))
          ) {
            complaintOpen = true;
            complaintCarried = true;
            totals.series.complaints[m - 1]! += 1;
            note('complained');
          }
          const overdue = active().reduce((x, s) => x + (s.state.lastClosedDay < day ? overdueNow(s) : 0), 0);
          if (pending === null && overdue > 0 && rand() < behaviour.promiseWhenAnswered) {
            const promisedDay = Math.min(day + 7, E - 1);
            checkNewPromise(overdue, promisedDay, day);
            pending = {
              promiseId: `${b.customerId}-${m}-${k}`,
              amountMinor: overdue,
              promisedDay,
              madeDay: day,
              paidBaselineMinor: paidToDateMinor(slots.map((s) => s.state)),
              status: 'pending',
            };
            outcome = 'promise';
            totals.series.promises[m - 1]! += 1;
          } else if (rand() < (1 - b.willingness) * behaviour.refuseWhenUnwilling) outcome = 'refused';
        }
        log.push({ atMs, channel: 'call', party: 'borrower', outcome, allowed: true });
        caseContacts.push({ party: 'borrower', outcome, allowed: true });
        // Lost contact (失联): the collector marks the case after so many unanswered calls in a row (across the
        // case's refreshes), as a person marks it in the product; an answered call restores it.
        if (outcome === 'no-answer') {
          caseUnanswered += 1;
          const after = behaviour.lostContactAfterUnanswered;
          if (!caseLost && after > 0 && caseUnanswered >= after) {
            caseLost = true;
            totals.series.lostContacts[m - 1]! += 1;
            note('lost_contact', { calls: caseUnanswered });
          }
        } else {
          caseUnanswered = 0;
          if (caseLost) {
            caseLost = false;
            note('contact_restored');
          }
        }
      }
      resolvePromise(E - 1);
      // A late payment after the reminders and calls, when there is money and will.
      const cureDay = Math.min(D + 3 + Math.floor(rand() * 12), E - 1);
      const overdue = active().reduce((x, s) => x + (s.state.lastClosedDay < cureDay ? overdueNow(s) : 0), 0);
      if (
        overdue > 0 &&
        cash >= overdue &&
        rand() < b.willingness * behaviour.cureAfterContact * (contacted ? 1 : 0.4)
      ) {
        const paid = payOverdue(overdue, cureDay);
        paidThisMonth += paid;
        cash -= paid;
        note('paid_arrears_late');
      }
      totals.series.calls[m - 1]! += callsThisMonth;
      // The agency's commission on what the borrower paid while the case is placed.
      if (placed) cost(m, Math.round((monthCashIn - cashBeforeWork) * coll.agency.commissionShare));
    }
    if (sued !== null && m === sued + coll.legal.monthsToJudgment) {
      const day = E - 1;
      const owedAll = active().reduce(
        (x, s) => x + (s.state.lastClosedDay < day ? positionOf(s).totalOwedMinor : 0),
        0,
      );
      const reach = Math.min(owedAll, Math.round(assets * coll.legal.recoveryShareOfAssets));
      if (reach > 0) {
        let left = reach;
        for (const s of active()) {
          if (left <= 0 || s.state.lastClosedDay >= day) continue;
          const owed = positionOf(s).totalOwedMinor;
          left -= payLoan(s, Math.min(owed, left), day);
        }
        assets -= reach - left;
        totals.series.recovered_fen[m - 1]! += reach - left;
        note('judgement_enforced', { amount: (reach - left) / 100 });
      }
    }

    // Month end: write-offs, the close, line controls again, and the reports.
    closeAll(E - 1);
    for (const s of active()) {
      const p = positionOf(s);
      if (p.daysPastDue + 1 >= coll.writeOffDaysPastDue) {
        stepped(
          s,
          planWriteOff(s.state, null, {
            day: E,
            clientId: `${s.state.loanId}-wo`,
            evidenceRef: 'simulation',
          }),
        );
        totals.series.writtenOff_fen[m - 1]! += p.outstandingPrincipalMinor;
        ind.writtenOff_fen += p.outstandingPrincipalMinor;
        note('written_off', { amount: p.outstandingPrincipalMinor / 100 });
      }
    }
    closeAll(E);
    syncLine(E);
    const controlledEnd = applyLineControls(E);
    if (controlledEnd !== undefined) await controlledEnd;
    let maxDpd = 0;
    let owedEnd = 0;
    let worstClass = 'normal';
    let report = '-';
    const pi = { interest: 0, penalty: 0, fees: 0 };
    for (const s of slots) {
      pi.interest += s.state.interestPaidTotalMinor;
      pi.penalty += s.state.penaltyPaidMinor;
      pi.fees += s.state.feePaidTotalMinor;
      const row = reportLoan(s, m - 1, E);
      if (s.state.status === 'active') {
        const p = positionOf(s);
        maxDpd = Math.max(maxDpd, p.daysPastDue);
        owedEnd += p.totalOwedMinor;
        totals.series.outstanding_fen[m - 1]! += p.outstandingPrincipalMinor;
        // The class of the month-end row: classifyLoan at the month end, as the month-end job classifies.
        const assetClass = row!.assetClass;
        if (isNonPerforming(assetClass)) totals.series.npl_fen[m - 1]! += p.outstandingPrincipalMinor;
        if (assetClassRank(assetClass) > assetClassRank(worstClass as AssetClass)) worstClass = assetClass;
        if (p.daysPastDue > 30) totals.series.dpd30_fen[m - 1]! += p.outstandingPrincipalMinor;
        if (p.daysPastDue > 90) {
          totals.series.dpd90_fen[m - 1]! += p.outstandingPrincipalMinor;
          if (!s.defaulted) {
            s.defaulted = true;
            totals.series.defaulted_fen[m - 1]! += p.outstandingPrincipalMinor;
            ind.defaulted_fen += p.outstandingPrincipalMinor;
          }
        }
      }
      if (s.state.status === 'settled') continue;
      const code = loanCreditReportStatus(s.state, E, true);
      if (report === '-' || isNegativeStatusCode(code)) report = code;
      if (isNegativeStatusCode(code) && !negative) {
        negative = true;
        totals.series.negativeReportBorrowers[m - 1]! += 1;
      }
    }
    reportLine(m - 1);
    totals.series.interest_fen[m - 1]! += pi.interest - paidTotals.interest;
    totals.series.penalty_fen[m - 1]! += pi.penalty - paidTotals.penalty;
    totals.series.fees_fen[m - 1]! += pi.fees - paidTotals.fees;
    paidTotals = pi;
    totals.series.cashIn_fen[m - 1]! += monthCashIn;
    if (maxDpd > 0) totals.series.pastDueBorrowers[m - 1]! += 1;
    if (openCase !== null && caseLost) totals.series.lostContactBorrowers[m - 1]! += 1;
    savings = Math.min(Math.max(0, cash), Math.round(b.income_fen * behaviour.savingsMonths * 2));
    if (trace)
      rows.push({
        month: m,
        income_fen: income,
        paid_fen: monthCashIn,
        owed_fen: owedEnd,
        daysPastDue: maxDpd,
        line: line.status,
        reminders: remindersThisMonth,
        calls: callsThisMonth,
        creditReport: report,
        assetClass: worstClass,
        ...noted(monthEvents),
      });
  }
  flushWorkouts();
  if (trace && rows.length > 0 && rows[0]!.month !== applyMonth)
    rows.unshift({
      month: applyMonth,
      income_fen: b.income_fen,
      paid_fen: 0,
      owed_fen: 0,
      daysPastDue: 0,
      line: 'active',
      reminders: 0,
      calls: 0,
      creditReport: '-',
      assetClass: 'normal',
      ...noted([
        decisionNote,
        ...slots.slice(0, 1).map(
          (s): LabNote => ({
            code: 'drew_first',
            params: { amount: s.state.disbursedPrincipalMinor / 100 },
          }),
        ),
      ]),
    });
  return rows;
}
