import { addDays, addMonths, type Day, formatDate, formatMinor, invariant } from '../money/index.js';
import { LEGAL_PATH_FACTS, type LegalPath } from './collection-stages.js';
import { CollectionsInputError } from './errors.js';
import { DEFAULT_LIMITATION_SETTINGS, type LimitationSettings, limitationPeriod } from './limitation.js';

/**
 * Legal escalation (法律诉讼) of a collection case (domain.md §9): a person proposes a path — payment order
 * (支付令), lawsuit (诉讼), arbitration (仲裁) or a notarised debt instrument — a second person approves it,
 * and the action then moves through filing, the court's (or arbitrator's, or notary's) decision and
 * enforcement (强制执行) to its close. Each step is a dated, attributed event; costs are dated amounts.
 *
 * Every function here is pure: the business day and the actors come in as arguments.
 */

export const LEGAL_STATUSES = [
  'proposed',
  'approved',
  'rejected',
  'filed',
  'objected',
  'decided',
  'enforcing',
  'closed',
  'withdrawn',
] as const;
export type LegalStatus = (typeof LEGAL_STATUSES)[number];

/**
 * Where each status may go. `objected` exists only on a payment order: the debtor's objection within 15
 * days ends it (民事诉讼法 Art. 228) and the lender proposes a lawsuit as a new action. `decided` is the
 * order, judgment, award or enforcement certificate in force; `enforcing` is the application to the court
 * for 强制执行.
 */
const NEXT: Readonly<Record<LegalStatus, readonly LegalStatus[]>> = {
  proposed: ['approved', 'rejected', 'withdrawn'],
  approved: ['filed', 'withdrawn'],
  rejected: [],
  filed: ['decided', 'objected', 'withdrawn'],
  objected: ['closed'],
  decided: ['enforcing', 'closed'],
  enforcing: ['closed'],
  closed: [],
  withdrawn: [],
};

/** Statuses from which no step leads on. */
export const LEGAL_FINAL_STATUSES: readonly LegalStatus[] = LEGAL_STATUSES.filter(
  (s) => NEXT[s].length === 0,
);

export const LEGAL_COST_KINDS = [
  'court-fee',
  'arbitration-fee',
  'lawyer-fee',
  'notary-fee',
  'enforcement-fee',
  'service-fee',
  'other',
] as const;
export type LegalCostKind = (typeof LEGAL_COST_KINDS)[number];

/** How a demand for payment (催告) was made. */
export const DEMAND_CHANNELS = ['letter', 'lawyer-letter', 'sms', 'email', 'call', 'visit', 'app'] as const;
export type DemandChannel = (typeof DEMAND_CHANNELS)[number];

export interface LegalActionState {
  readonly path: LegalPath;
  readonly status: LegalStatus;
  readonly proposedBy: string;
  readonly proposedDay: Day;
  /** Day of the latest step: a later step may not be dated before it. */
  readonly lastStepDay: Day;
}

export interface LegalStepRequest {
  readonly to: LegalStatus;
  readonly day: Day;
  readonly actor: string;
}

export interface LegalStepPlan {
  readonly from: LegalStatus;
  readonly to: LegalStatus;
  readonly day: Day;
  readonly actor: string;
  /** Set on approval: the approver (never the proposer). */
  readonly approvedBy: string | null;
  /** Deadlines the law sets from this step, if any (a payment order's issue and objection windows). */
  readonly deadlines: readonly { readonly name: string; readonly day: Day }[];
}

/** Which steps the status allows next (for the dashboard's buttons). */
export function nextLegalStatuses(state: Pick<LegalActionState, 'path' | 'status'>): LegalStatus[] {
  return NEXT[state.status].filter((s) => s !== 'objected' || state.path === 'payment-order');
}

/**
 * Checks a proposal: a known path, a positive claim no larger than what the borrower owes on the case
 * (`owedMinor`, when given: a court is never asked for more than the lender is owed; the action's own costs are
 * recorded on it), a reason; the day is the business day.
 */
export function checkLegalProposal(input: {
  readonly path: string;
  readonly claimedMinor: number;
  readonly reason: string;
  readonly owedMinor?: number;
}): void {
  if (!LEGAL_PATH_FACTS.some((f) => f.path === input.path)) {
    throw new CollectionsInputError(
      'legal_path_invalid',
      'path',
      `path must be one of ${LEGAL_PATH_FACTS.map((f) => f.path).join(', ')}; got ${input.path}`,
      { allowed: LEGAL_PATH_FACTS.map((f) => f.path).join(', '), got: input.path },
    );
  }
  if (!Number.isSafeInteger(input.claimedMinor) || input.claimedMinor <= 0) {
    throw new CollectionsInputError(
      'legal_claim_invalid',
      'claimed',
      'the amount claimed must be more than 0.00',
    );
  }
  if (input.owedMinor !== undefined && input.claimedMinor > input.owedMinor) {
    const claimed = formatMinor(input.claimedMinor);
    const owed = formatMinor(input.owedMinor);
    throw new CollectionsInputError(
      'legal_claim_invalid',
      'claimed',
      `the amount claimed, ${claimed}, is more than the borrower owes on the case, ${owed}; claim at most ${owed} (the action's costs are recorded on it)`,
      { claimed, owed },
      'above_owed',
    );
  }
  if (input.reason.trim().length === 0) {
    throw new CollectionsInputError('legal_reason_missing', 'reason', 'a proposal states its reason');
  }
}

/**
 * Plans one step of an action: the status must allow it, the day must fall between the last step and the
 * business day, and an approval must come from someone other than the proposer (maker-checker).
 */
export function planLegalStep(state: LegalActionState, step: LegalStepRequest, today: Day): LegalStepPlan {
  const allowed = nextLegalStatuses(state);
  if (!allowed.includes(step.to)) {
    throw new CollectionsInputError(
      'legal_step_not_allowed',
      'to',
      `a legal action (${state.path}) in status ${state.status} can go to ${allowed.length === 0 ? 'no other status' : allowed.join(', ')}; not ${step.to}`,
      { path: state.path, status: state.status, allowed: allowed.join(', '), to: step.to },
      allowed.length === 0 ? 'final' : 'step',
    );
  }
  if (step.to === 'approved' && step.actor === state.proposedBy) {
    throw new CollectionsInputError(
      'legal_self_approval',
      'actor',
      'the escalation must be approved by someone other than the person who proposed it',
    );
  }
  checkDayInWindow(step.day, state.lastStepDay, today, 'date', 'the step');
  return {
    from: state.status,
    to: step.to,
    day: step.day,
    actor: step.actor,
    approvedBy: step.to === 'approved' ? step.actor : null,
    deadlines: deadlinesOf(state.path, step.to, step.day),
  };
}

function deadlinesOf(path: LegalPath, to: LegalStatus, day: Day): { name: string; day: Day }[] {
  const facts = LEGAL_PATH_FACTS.find((f) => f.path === path);
  if (facts === undefined) return [];
  if (to === 'filed' && facts.issueDays !== undefined)
    return [{ name: 'issue-by', day: addDays(day, facts.issueDays) }];
  if (to === 'decided' && facts.objectionDays !== undefined)
    return [{ name: 'objection-until', day: addDays(day, facts.objectionDays) }];
  return [];
}

/**
 * A cost (诉讼费, 律师费 …) of an action: more than 0.00, incurred on a day between the action's proposal
 * and the business day (a cost dated before the action existed, or in the future, is refused).
 */
export function checkLegalCost(
  cost: { readonly kind: string; readonly amountMinor: number; readonly day: Day },
  state: Pick<LegalActionState, 'status' | 'proposedDay'>,
  today: Day,
): void {
  if (!(LEGAL_COST_KINDS as readonly string[]).includes(cost.kind)) {
    throw new CollectionsInputError(
      'legal_cost_invalid',
      'kind',
      `kind must be one of ${LEGAL_COST_KINDS.join(', ')}; got ${cost.kind}`,
      { allowed: LEGAL_COST_KINDS.join(', '), got: cost.kind },
      'kind',
    );
  }
  if (!Number.isSafeInteger(cost.amountMinor) || cost.amountMinor <= 0) {
    throw new CollectionsInputError(
      'legal_cost_invalid',
      'amount',
      'a cost must be more than 0.00',
      {},
      'amount',
    );
  }
  if (state.status === 'rejected' || state.status === 'withdrawn') {
    throw new CollectionsInputError(
      'legal_cost_invalid',
      'actionId',
      `the action was ${state.status}: no cost is incurred on it`,
      { status: state.status },
      'closed',
    );
  }
  checkDayInWindow(cost.day, state.proposedDay, today, 'date', 'a cost', 'legal_cost_invalid');
}

function checkDayInWindow(
  day: Day,
  earliest: Day,
  today: Day,
  field: string,
  what: string,
  code = 'legal_date_invalid',
): void {
  if (day > today) {
    throw new CollectionsInputError(
      code,
      field,
      `${what} cannot be dated after the business day`,
      {},
      'after_today',
    );
  }
  if (day < earliest) {
    throw new CollectionsInputError(
      code,
      field,
      `${what} cannot be dated before ${describeDay(earliest)}, the action's latest recorded day`,
      { earliest: describeDay(earliest) },
      'before_latest',
    );
  }
}

const describeDay = (day: Day): string => formatDate(day);

/** A demand for payment (催告) and whether it restarts the limitation period (民法典 Art. 195). */
export interface Demand {
  readonly day: Day;
  readonly channel: DemandChannel;
  /** Only a demand that reached the debtor (with evidence) interrupts the period. */
  readonly reachedDebtor: boolean;
}

export function checkDemand(
  demand: { readonly day: Day; readonly channel: string; readonly evidence: string },
  openedDay: Day,
  today: Day,
): void {
  if (!(DEMAND_CHANNELS as readonly string[]).includes(demand.channel)) {
    throw new CollectionsInputError(
      'demand_invalid',
      'channel',
      `channel must be one of ${DEMAND_CHANNELS.join(', ')}; got ${demand.channel}`,
      { allowed: DEMAND_CHANNELS.join(', '), got: demand.channel },
      'channel',
    );
  }
  if (demand.evidence.trim().length === 0) {
    throw new CollectionsInputError(
      'demand_invalid',
      'evidence',
      'a demand records its evidence (delivery receipt, recording id)',
      {},
      'evidence',
    );
  }
  if (demand.day > today || demand.day < openedDay) {
    throw new CollectionsInputError(
      'demand_invalid',
      'date',
      `a demand is dated between the case's opening (${describeDay(openedDay)}) and the business day`,
      { openedDay: describeDay(openedDay) },
      'date',
    );
  }
}

export interface LegalLimitationInput {
  /** Last due date over the borrower's loans (the period of an instalment debt runs from it, Art. 189). */
  readonly lastDueDay: Day;
  readonly accelerationDay?: Day;
  readonly demands: readonly Demand[];
  /**
   * Days the lender filed a payment order, lawsuit or arbitration (Art. 195 (3)): these interrupt the
   * period as a demand does.
   */
  readonly filingDays: readonly Day[];
  /** Days the debtor agreed to pay (a promise to pay, Art. 195 (2)). */
  readonly acknowledgementDays?: readonly Day[];
}

export interface LegalLimitation {
  readonly startDay: Day;
  readonly endDay: Day;
  readonly restartedBy: readonly Day[];
  readonly ignoredDays: readonly Day[];
  /** Days left after today (0 on the last day; negative once run out). */
  readonly daysLeft: number;
  readonly expired: boolean;
  /** The last day a filing still interrupts the period. */
  readonly fileBy: Day;
}

/** The limitation period of a case's claim on `today`, with every interruption of Art. 195 counted. */
export function legalLimitation(
  input: LegalLimitationInput,
  today: Day,
  settings: LimitationSettings = DEFAULT_LIMITATION_SETTINGS,
): LegalLimitation {
  const interruptions = [
    ...input.demands.filter((d) => d.reachedDebtor).map((d) => d.day),
    ...input.filingDays,
    ...(input.acknowledgementDays ?? []),
  ];
  const period = limitationPeriod(
    {
      lastDueDay: input.lastDueDay,
      ...(input.accelerationDay === undefined ? {} : { accelerationDay: input.accelerationDay }),
      demandDays: interruptions,
    },
    settings,
  );
  invariant(period.endDay >= addMonths(period.startDay, settings.years * 12), 'limitation end before start');
  return {
    startDay: period.startDay,
    endDay: period.endDay,
    restartedBy: period.restartedBy,
    ignoredDays: period.ignoredDemands,
    daysLeft: period.endDay - today,
    expired: today > period.endDay,
    fileBy: period.endDay,
  };
}
