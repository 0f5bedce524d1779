import { AMOUNT_MINOR_MAX, type Day, formatDate, invariant } from '../../money/index.js';
import { DEFAULT_DELINQUENCY_SETTINGS, type DelinquencySettings } from '../delinquency.js';
import { LedgerInputError } from '../errors.js';
import type { Product } from '../product.js';
import { buildSchedule } from '../schedule.js';
import type { Installment, Schedule } from '../schedule-types.js';
import { penaltyOutstandingMinor, postableThrough } from './accrual.js';
import { allocatePayment } from './allocation.js';
import { EventBuilder } from './builder.js';
import { closeThrough, emitAccrued, emitBucketChange, emitSettledIfPaid, startDay } from './eod.js';
import type { InstallmentAllocation, LoanEvent, LoanOpened } from './events.js';
import { openedState } from './fold.js';
import { reamortise } from './reamortise.js';
import {
  completeSettlementIfPaid,
  emitSettlementOffer,
  type OfferSettlementInput,
  settlementCompletedBy,
} from './settlement.js';
import type { LoanState } from './state.js';
import { recoverWrittenOff } from './write-off.js';

export interface OpenLoanInput {
  readonly loanId: string;
  readonly customerId: string;
  readonly lineId: string;
  /** A validated product (`parseProduct`). */
  readonly product: Product;
  readonly principalMinor: number;
  /** Drawdown day; interest runs from it. */
  readonly day: Day;
  readonly clientId?: string;
  readonly delinquency?: DelinquencySettings;
  /**
   * The schedule, when the caller already has it (`buildSchedule(product, principalMinor, day)`, e.g. many
   * drawdowns of one amount on one day); built here otherwise.
   */
  readonly schedule?: Schedule;
}

export interface CommandResult {
  readonly state: LoanState;
  readonly events: LoanEvent[];
}

/** 放款: a drawdown becomes a loan with the product's schedule. */
export function openLoan(input: OpenLoanInput): CommandResult {
  const schedule = input.schedule ?? buildSchedule(input.product, input.principalMinor, input.day);
  invariant(
    schedule.principalMinor === input.principalMinor && schedule.startDay === input.day,
    'the schedule given is for another principal or start day',
  );
  const event: LoanOpened = {
    type: 'LoanOpened',
    loanId: input.loanId,
    seq: 1,
    day: input.day,
    clientId: input.clientId ?? `open:${input.loanId}`,
    customerId: input.customerId,
    lineId: input.lineId,
    product: input.product,
    delinquency: input.delinquency ?? DEFAULT_DELINQUENCY_SETTINGS,
    principalMinor: input.principalMinor,
    upfrontFeeMinor: schedule.upfrontFeeMinor,
    installments: schedule.installments,
  };
  return { state: openedState(event), events: [event] };
}

export function checkAmount(amountMinor: number, field: string): void {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0 || amountMinor > AMOUNT_MINOR_MAX) {
    throw new LedgerInputError(
      'amount_not_positive',
      field,
      `${field} must be a whole number of fen above 0, got ${amountMinor}; e.g. 10000 for 100.00 yuan`,
    );
  }
}

/** Refuses a command on a loan that is written off or settled; `what` names the command, singular ("repayment"). */
export function checkActive(state: LoanState, what: string): void {
  if (state.status === 'written-off') {
    throw new LedgerInputError(
      'loan_written_off',
      'loanId',
      `loan ${state.loanId} is written off; ${what}s cannot be applied to it (money received is booked as a recovery)`,
    );
  }
  if (state.status === 'settled') {
    throw new LedgerInputError(
      'loan_settled',
      'loanId',
      `loan ${state.loanId} is settled; ${what}s cannot be applied to it (refund a credit balance with refundCredit)`,
    );
  }
}

/**
 * Brings the loan to the start of business day `day`: closes the days before it (a command on a loan that is
 * behind runs its end-of-day steps first) and runs the start-of-day step. A day already closed is refused:
 * use `repayBackdated`, which replays from the last snapshot before it.
 */
export function begin(state: LoanState, day: Day, clientId: string): EventBuilder {
  if (day < state.startDay) {
    throw new LedgerInputError(
      'day_before_start',
      'day',
      `day ${formatDate(day)} is before loan ${state.loanId} began on ${formatDate(state.startDay)}; give a day on or after it`,
    );
  }
  if (day <= state.lastClosedDay) {
    throw new LedgerInputError(
      'day_already_closed',
      'day',
      `day ${formatDate(day)} is already closed for loan ${state.loanId} (closed through ${formatDate(state.lastClosedDay)}); apply command ${clientId} with repayBackdated, which replays the loan from that day`,
    );
  }
  const b = new EventBuilder(state);
  closeThrough(b, day - 1);
  startDay(b, day);
  return b;
}

/**
 * Bills the upfront fee not yet billed, when the plan is about to end before the instalment that would have
 * billed it (payoff or principal forgiven before the first due date). See decision 0340.
 */
function emitUpfrontFeeIfPending(b: EventBuilder, day: Day): void {
  const s = b.state;
  const next = s.plan[s.nextInstallmentIndex];
  if (s.pendingUpfrontFeeMinor === 0 || next === undefined) return;
  b.emit({
    type: 'UpfrontFeeBilled',
    day,
    installmentNumber: next.number,
    feeMinor: s.pendingUpfrontFeeMinor,
  });
}

/** The instalment a payment on `day` may pay before its due date, and the last day of interest it charges. */
interface ComingInstallment {
  readonly item: Installment;
  readonly interestThroughDay: Day;
}

/**
 * 主动还款: the instalment a payment made inside its period (after its start, before its due date) pays first,
 * when the payment leaves money after the bills. It is billed on the payment day, its due date kept, and only
 * what is left is early repayment. Its interest runs to its due date (`to-due-date`, the default: the
 * amount quoted is the amount charged) or to the payment day (`to-payment-date`), per the product. None for
 * pay-any-time loans, whose one instalment at maturity is not one a borrower pays ahead. See decision 0360.
 */
function comingInstallment(s: LoanState, day: Day): ComingInstallment | undefined {
  if (s.product.method === 'pay-any-time') return undefined;
  const item = s.plan[s.nextInstallmentIndex];
  if (item === undefined || item.startDay >= day || day >= item.dueDay) return undefined;
  // Loans opened before the setting existed carry products without it: they take the default.
  const interestThroughDay = s.product.earlyInstallmentInterest === 'to-payment-date' ? day : item.dueDay;
  return { item, interestThroughDay };
}

/** What a `prepay` payment of `amountMinor` on `day` does first: pay off the loan, pay the coming instalment, or neither. */
function earlyPaymentKind(s: LoanState, amountMinor: number, day: Day): 'payoff' | 'installment' | 'none' {
  const postable = postableThrough(s, day);
  let billed = penaltyOutstandingMinor(s) + postable.penaltyMinor;
  for (const d of s.dues) billed += d.principalMinor + d.interestMinor + d.feeMinor;
  const rest =
    billed +
    s.notDuePrincipalMinor +
    s.periodInterestPostedMinor +
    postable.interestMinor -
    s.periodInterestPrepaidMinor;
  if (amountMinor >= rest) return 'payoff';
  return amountMinor > billed ? 'installment' : 'none';
}

/** Bills the coming instalment on the payment day (after its interest is posted through `interestThroughDay`). */
function emitEarlyBill(b: EventBuilder, day: Day, coming: ComingInstallment): void {
  const s = b.state;
  const { item, interestThroughDay } = coming;
  b.emit({
    type: 'InstallmentDue',
    day,
    installmentNumber: item.number,
    principalMinor: item.principalMinor,
    interestMinor: s.periodInterestPostedMinor - s.periodInterestPrepaidMinor,
    feeMinor: item.feeMinor + s.pendingUpfrontFeeMinor,
    final: s.nextInstallmentIndex === s.plan.length - 1,
    billedEarly: { dueDay: item.dueDay, interestThroughDay },
  });
}

/**
 * The smallest payment on business day `day` that pays everything billed and the instalment coming due, as
 * `repay` applies it: the bills (with penalty to the day), then the coming instalment's principal, fee and
 * interest (to its due date or to the day, per the product). On a due date, or with no instalment in its
 * period, the bills alone. For reminders and tests: paying this on `day` leaves the coming instalment settled.
 */
export function installmentPaymentMinor(state: LoanState, day: Day): number {
  if (state.status === 'settled') return 0;
  const b = begin(state, day, 'quote');
  if (b.state.status === 'settled') return 0;
  const coming = comingInstallment(b.state, day);
  emitAccrued(b, day, 'repayment', coming?.interestThroughDay ?? day);
  if (coming !== undefined) emitEarlyBill(b, day, coming);
  const s = b.state;
  let total = penaltyOutstandingMinor(s);
  for (const d of s.dues) total += d.principalMinor + d.interestMinor + d.feeMinor;
  return total;
}

export interface RepayInput {
  readonly amountMinor: number;
  readonly day: Day;
  readonly clientId: string;
  /**
   * Money beyond the dues: `prepay` (default) repays accrued interest and then principal early; `credit`
   * keeps it as a credit balance that pays the next dues when they fall due. Money beyond everything owed
   * always becomes a credit balance (refundable with `refundCredit`).
   */
  readonly excess?: 'prepay' | 'credit';
}

/** 还款: a repayment on business day `day` (on time, late, partial, early or more than owed). */
export function repay(state: LoanState, input: RepayInput): CommandResult {
  checkAmount(input.amountMinor, 'amountMinor');
  // Money received on a written-off loan is a recovery (已核销贷款收回), posted to recoveries income.
  if (state.status === 'written-off') return recoverWrittenOff(state, input);
  checkActive(state, 'repayment');
  const b = begin(state, input.day, input.clientId);
  checkActive(b.state, 'repayment');
  const excess = input.excess ?? 'prepay';
  const kind = excess === 'prepay' ? earlyPaymentKind(b.state, input.amountMinor, input.day) : 'none';
  const completesSettlement = settlementCompletedBy(b.state, input.amountMinor, input.day);
  // Money beyond the bills pays the instalment coming due before anything is repaid early — unless the
  // payment completes a settlement, which charges interest only to the day (the rest is forgiven).
  const coming =
    kind === 'installment' && !completesSettlement ? comingInstallment(b.state, input.day) : undefined;
  emitAccrued(b, input.day, 'repayment', coming?.interestThroughDay ?? input.day);
  if (coming !== undefined) emitEarlyBill(b, input.day, coming);
  // A payment that would repay all the principal ends the plan: the upfront fee is billed first.
  if (kind === 'payoff') emitUpfrontFeeIfPending(b, input.day);
  const s = b.state;
  const accrued = s.periodInterestPostedMinor - s.periodInterestPrepaidMinor;
  // The payment that completes a settlement goes to what is owed whatever `excess` says: kept as a credit
  // balance, it would be refunded after the rest was forgiven, and the lender would receive less than the
  // offer while forgiving more than the stated discount.
  const a = allocatePayment(s, input.amountMinor, excess === 'prepay' || completesSettlement, accrued);
  const notDue = a.byInstallment.find((l) => l.installmentNumber === 0);
  const principalLeft = s.notDuePrincipalMinor - (notDue?.principalMinor ?? 0);
  b.emit({
    type: 'Repaid',
    day: input.day,
    clientId: input.clientId,
    amountMinor: input.amountMinor,
    excess,
    allocation: a.allocation,
    creditMinor: a.leftoverMinor,
    byInstallment: a.byInstallment,
    reamortisation: reamortise(s, principalLeft),
  });
  completeSettlementIfPaid(b, input.day, input.clientId);
  emitBucketChange(b, input.day);
  emitSettledIfPaid(b, input.day);
  return { state: b.state, events: b.events };
}

/**
 * 减免结清: offers to settle the loan for `offerMinor` (below what is owed on the day) paid by
 * `validThroughDay`; repayments made meanwhile count towards it (see `settlement.ts`).
 */
export function offerSettlement(state: LoanState, input: OfferSettlementInput): CommandResult {
  checkActive(state, 'settlement offer');
  const b = begin(state, input.day, input.clientId);
  checkActive(b.state, 'settlement offer');
  emitSettlementOffer(b, input);
  // A credit balance held when the offer is made counts towards it: one that reaches it settles the loan now.
  completeSettlementIfPaid(b, input.day, input.clientId);
  emitBucketChange(b, input.day);
  emitSettledIfPaid(b, input.day);
  return { state: b.state, events: b.events };
}

export interface WaiveInput {
  readonly component: 'penalty' | 'interest' | 'fee';
  readonly amountMinor: number;
  readonly day: Day;
  readonly clientId: string;
}

/**
 * 减免: forgives penalty (posted to date), or billed interest or fees (oldest instalment first). Never
 * principal: that takes `waivePrincipal`. More than is owed is refused.
 */
export function waive(state: LoanState, input: WaiveInput): CommandResult {
  checkAmount(input.amountMinor, 'amountMinor');
  checkActive(state, 'waiver');
  const b = begin(state, input.day, input.clientId);
  emitAccrued(b, input.day, 'waiver');
  const s = b.state;
  let owed = 0;
  const byInstallment: InstallmentAllocation[] = [];
  if (input.component === 'penalty') {
    owed = penaltyOutstandingMinor(s);
  } else {
    let left = input.amountMinor;
    for (const d of s.dues) {
      const has = input.component === 'interest' ? d.interestMinor : d.feeMinor;
      owed += has;
      const take = Math.min(left, has);
      left -= take;
      if (take > 0) {
        byInstallment.push({
          installmentNumber: d.installmentNumber,
          penaltyMinor: 0,
          feeMinor: input.component === 'fee' ? take : 0,
          interestMinor: input.component === 'interest' ? take : 0,
          principalMinor: 0,
        });
      }
    }
  }
  if (input.amountMinor > owed) {
    throw new LedgerInputError(
      'waiver_exceeds_owed',
      'amountMinor',
      `a waiver of ${input.amountMinor} fen of ${input.component} exceeds the ${owed} fen owed on loan ${s.loanId} on ${formatDate(input.day)}; waive at most ${owed}`,
    );
  }
  b.emit({
    type: 'Waived',
    day: input.day,
    clientId: input.clientId,
    component: input.component,
    amountMinor: input.amountMinor,
    byInstallment,
  });
  emitBucketChange(b, input.day);
  emitSettledIfPaid(b, input.day);
  return { state: b.state, events: b.events };
}

/**
 * 本金减免: forgives principal explicitly (debt relief, 债务减免): due principal oldest first, then principal
 * not yet due, re-amortising the rest of the plan.
 */
export function waivePrincipal(
  state: LoanState,
  input: { amountMinor: number; day: Day; clientId: string },
): CommandResult {
  checkAmount(input.amountMinor, 'amountMinor');
  checkActive(state, 'principal waiver');
  const b = begin(state, input.day, input.clientId);
  let owed = b.state.notDuePrincipalMinor;
  for (const d of b.state.dues) owed += d.principalMinor;
  if (input.amountMinor > owed) {
    throw new LedgerInputError(
      'waiver_exceeds_owed',
      'amountMinor',
      `a principal waiver of ${input.amountMinor} fen exceeds the ${owed} fen of principal outstanding on loan ${b.state.loanId}; waive at most ${owed}`,
    );
  }
  // Forgiving all the principal ends the plan: the upfront fee is billed (it can be waived as a fee).
  if (input.amountMinor === owed) emitUpfrontFeeIfPending(b, input.day);
  const s = b.state;
  let left = input.amountMinor;
  const byInstallment: InstallmentAllocation[] = [];
  for (const d of s.dues) {
    const take = Math.min(left, d.principalMinor);
    left -= take;
    if (take > 0) {
      byInstallment.push({
        installmentNumber: d.installmentNumber,
        penaltyMinor: 0,
        feeMinor: 0,
        interestMinor: 0,
        principalMinor: take,
      });
    }
  }
  if (left > 0) {
    byInstallment.push({
      installmentNumber: 0,
      penaltyMinor: 0,
      feeMinor: 0,
      interestMinor: 0,
      principalMinor: left,
    });
  }
  b.emit({
    type: 'PrincipalWaived',
    day: input.day,
    clientId: input.clientId,
    amountMinor: input.amountMinor,
    byInstallment,
    reamortisation: reamortise(s, s.notDuePrincipalMinor - left),
  });
  emitBucketChange(b, input.day);
  emitSettledIfPaid(b, input.day);
  return { state: b.state, events: b.events };
}

/**
 * Pays a credit balance back to the borrower. Allowed on a settled loan. The amount is checked against the
 * credit as it stands after the start of the refund day (dues falling due that day take the credit first).
 */
export function refundCredit(
  state: LoanState,
  input: { amountMinor: number; day: Day; clientId: string },
): CommandResult {
  checkAmount(input.amountMinor, 'amountMinor');
  let b: EventBuilder;
  if (state.status === 'settled') {
    // Nothing accrues on a settled loan, so no end-of-day step is needed; only the order of days is kept.
    if (input.day < state.lastEventDay) {
      throw new LedgerInputError(
        'day_already_closed',
        'day',
        `loan ${state.loanId} has events up to ${formatDate(state.lastEventDay)}; a refund must be dated on or after it`,
      );
    }
    b = new EventBuilder(state);
  } else {
    b = begin(state, input.day, input.clientId);
  }
  // Checked once the day has begun: an instalment falling due today is paid from the credit first.
  const creditMinor = b.state.creditMinor;
  if (input.amountMinor > creditMinor) {
    throw new LedgerInputError(
      'refund_exceeds_credit',
      'amountMinor',
      `a refund of ${input.amountMinor} fen exceeds the ${creditMinor} fen credit balance of loan ${state.loanId} on ${formatDate(input.day)} (after what falls due that day); refund at most ${creditMinor}`,
    );
  }
  b.emit({
    type: 'CreditRefunded',
    day: input.day,
    clientId: input.clientId,
    amountMinor: input.amountMinor,
  });
  return { state: b.state, events: b.events };
}
