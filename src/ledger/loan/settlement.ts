import { AMOUNT_MINOR_MAX, type Day, formatDate, formatMinor, invariant } from '../../money/index.js';
import { LedgerInputError } from '../errors.js';
import { penaltyOutstandingMinor } from './accrual.js';
import { allocatePayment } from './allocation.js';
import type { EventBuilder } from './builder.js';
import { emitAccrued } from './eod.js';
import type { InstallmentAllocation, LoanEvent } from './events.js';
import { reamortise } from './reamortise.js';
import { countedTowardsOffer, settlementOf } from './settlement-types.js';
import type { LoanState } from './state.js';

/**
 * 减免结清 negotiated settlement: the lender agrees to take less than is owed, paid by a date. Paid in full
 * by then, the rest is forgiven (posted as waivers) and the loan settles; not paid by then, the offer lapses
 * and the loan owes what it owed. The offer, its lapse and its completion are events of the loan's log, so a
 * replay gives the same answer as the day-by-day run. See decision 0370.
 */

/** The client-id suffix of the waivers a completed settlement makes ('#' is never in a client's id; derived from the repayment that paid it). */
const SETTLEMENT_WAIVER_SUFFIX = '#settlement';

/** True for a waiver made by a completed settlement (re-made on replay, never re-run on its own). */
export function isSettlementWaiver(e: LoanEvent): boolean {
  return (
    (e.type === 'Waived' || e.type === 'PrincipalWaived') && e.clientId.endsWith(SETTLEMENT_WAIVER_SUFFIX)
  );
}

/** What the borrower owes on `day` once the day has begun and interest is quoted to it (gross of credit). */
export function owedOn(state: LoanState, interestToDayMinor: number): number {
  let owed =
    state.notDuePrincipalMinor +
    state.pendingUpfrontFeeMinor +
    penaltyOutstandingMinor(state) +
    state.periodInterestPostedMinor -
    state.periodInterestPrepaidMinor +
    interestToDayMinor;
  for (const d of state.dues) owed += d.principalMinor + d.interestMinor + d.feeMinor;
  return owed;
}

export interface OfferSettlementInput {
  readonly offerMinor: number;
  readonly validThroughDay: Day;
  readonly day: Day;
  readonly clientId: string;
}

/**
 * Emits the offer on a loan whose day `input.day` has begun (the caller ran the start of the day). Interest and
 * penalty are posted to the day so that what was owed is stated in posted amounts.
 */
export function emitSettlementOffer(b: EventBuilder, input: OfferSettlementInput): void {
  const s0 = b.state;
  if (
    !Number.isSafeInteger(input.offerMinor) ||
    input.offerMinor <= 0 ||
    input.offerMinor > AMOUNT_MINOR_MAX
  ) {
    throw new LedgerInputError(
      'amount_not_positive',
      'offerMinor',
      `offerMinor must be a whole number of fen above 0, got ${input.offerMinor}; e.g. 500000 for 5,000.00 yuan`,
    );
  }
  if (!Number.isSafeInteger(input.validThroughDay) || input.validThroughDay < input.day) {
    throw new LedgerInputError(
      'settlement_valid_through_invalid',
      'validThrough',
      `the offer must be valid through ${formatDate(input.day)} or later; give the last day the borrower may pay`,
    );
  }
  if (settlementOf(s0) !== null) {
    throw new LedgerInputError(
      'settlement_in_force',
      'loanId',
      `loan ${s0.loanId} already has a settlement offer valid through ${formatDate(settlementOf(s0)!.validThroughDay)}; wait until it is paid or lapses`,
    );
  }
  emitAccrued(b, input.day, 'waiver');
  const owedMinor = owedOn(b.state, 0);
  if (input.offerMinor >= owedMinor) {
    throw new LedgerInputError(
      'settlement_not_below_owed',
      'offerMinor',
      `a settlement must be below the ${owedMinor} fen owed on loan ${s0.loanId} on ${formatDate(input.day)}; for the full amount take a repayment`,
      { owed: formatMinor(owedMinor), loanId: s0.loanId, day: formatDate(input.day) },
    );
  }
  b.emit({
    type: 'SettlementOffered',
    day: input.day,
    clientId: input.clientId,
    offerMinor: input.offerMinor,
    validThroughDay: input.validThroughDay,
    owedMinor,
    discountMinor: owedMinor - input.offerMinor,
    creditMinor: b.state.creditMinor,
  });
}

/** True when a repayment of `amountMinor` on `day` completes the offer in force. */
export function settlementCompletedBy(state: LoanState, amountMinor: number, day: Day): boolean {
  const offer = settlementOf(state);
  return (
    offer !== null &&
    day <= offer.validThroughDay &&
    countedTowardsOffer(offer) + amountMinor >= offer.offerMinor
  );
}

/**
 * After a repayment (or the offer itself): when what counts towards the offer in force — the credit held
 * when it was made and the repayments since — reaches its amount on or before its last day, the credit
 * balance pays what is still owed (it is the borrower's money, counted towards the offer: left as credit
 * it would be refunded after the rest was forgiven), and everything still owed after it is forgiven —
 * penalty, interest (the current period's accrued interest is billed with its instalment first, so that it
 * can be paid or waived), fees, then principal — and the loan settles. Only money beyond everything owed
 * stays a credit balance.
 */
export function completeSettlementIfPaid(b: EventBuilder, day: Day, clientId: string): void {
  const offer = settlementOf(b.state);
  if (offer === null || countedTowardsOffer(offer) < offer.offerMinor || day > offer.validThroughDay) return;
  const ref = `${clientId}${SETTLEMENT_WAIVER_SUFFIX}`;
  let s = b.state;
  let waived = 0;
  // Interest of the current period posted but not yet billed: bill the coming instalment now.
  const next = s.plan[s.nextInstallmentIndex];
  const accrued = s.periodInterestPostedMinor - s.periodInterestPrepaidMinor;
  if (accrued > 0 && next !== undefined && next.startDay < day && day < next.dueDay) {
    b.emit({
      type: 'InstallmentDue',
      day,
      installmentNumber: next.number,
      principalMinor: next.principalMinor,
      interestMinor: accrued,
      // Billed only so that its interest to the day can be forgiven: the instalment's own fee is not owed
      // before its due date (as in a payoff quote), so it is neither charged nor counted as forgiven.
      feeMinor: s.pendingUpfrontFeeMinor,
      final: s.nextInstallmentIndex === s.plan.length - 1,
      billedEarly: { dueDay: next.dueDay, interestThroughDay: day },
    });
    s = b.state;
  }
  invariant(
    s.periodInterestPostedMinor === s.periodInterestPrepaidMinor,
    () => `loan ${s.loanId}: interest posted but not billed is left at settlement`,
  );
  // The upfront fee not yet billed is owed at payoff (decision 0340), so it is billed to be forgiven.
  const nextItem = s.plan[s.nextInstallmentIndex];
  if (s.pendingUpfrontFeeMinor > 0 && nextItem !== undefined) {
    b.emit({
      type: 'UpfrontFeeBilled',
      day,
      installmentNumber: nextItem.number,
      feeMinor: s.pendingUpfrontFeeMinor,
    });
    s = b.state;
  }
  // The credit balance pays what is owed before anything is forgiven: the bills, then principal not yet due.
  if (s.creditMinor > 0) {
    const a = allocatePayment(s, s.creditMinor, true, 0);
    const used = s.creditMinor - a.leftoverMinor;
    if (used > 0) {
      const notDue = a.byInstallment.find((l) => l.installmentNumber === 0);
      b.emit({
        type: 'CreditApplied',
        day,
        amountMinor: used,
        allocation: a.allocation,
        byInstallment: a.byInstallment,
        reamortisation: reamortise(s, s.notDuePrincipalMinor - (notDue?.principalMinor ?? 0)),
      });
      s = b.state;
    }
  }
  const penalty = penaltyOutstandingMinor(s);
  if (penalty > 0) {
    b.emit({
      type: 'Waived',
      day,
      clientId: ref,
      component: 'penalty',
      amountMinor: penalty,
      byInstallment: [],
    });
    waived += penalty;
  }
  for (const component of ['interest', 'fee'] as const) {
    const lines: InstallmentAllocation[] = [];
    let total = 0;
    for (const d of b.state.dues) {
      const take = component === 'interest' ? d.interestMinor : d.feeMinor;
      if (take === 0) continue;
      total += take;
      lines.push({
        installmentNumber: d.installmentNumber,
        penaltyMinor: 0,
        feeMinor: component === 'fee' ? take : 0,
        interestMinor: component === 'interest' ? take : 0,
        principalMinor: 0,
      });
    }
    if (total > 0) {
      b.emit({ type: 'Waived', day, clientId: ref, component, amountMinor: total, byInstallment: lines });
      waived += total;
    }
  }
  s = b.state;
  const principalLines: InstallmentAllocation[] = [];
  let principal = 0;
  for (const d of s.dues) {
    if (d.principalMinor === 0) continue;
    principal += d.principalMinor;
    principalLines.push({
      installmentNumber: d.installmentNumber,
      penaltyMinor: 0,
      feeMinor: 0,
      interestMinor: 0,
      principalMinor: d.principalMinor,
    });
  }
  if (s.notDuePrincipalMinor > 0) {
    principal += s.notDuePrincipalMinor;
    principalLines.push({
      installmentNumber: 0,
      penaltyMinor: 0,
      feeMinor: 0,
      interestMinor: 0,
      principalMinor: s.notDuePrincipalMinor,
    });
  }
  if (principal > 0) {
    b.emit({
      type: 'PrincipalWaived',
      day,
      clientId: ref,
      amountMinor: principal,
      byInstallment: principalLines,
      reamortisation: reamortise(s, 0),
    });
    waived += principal;
  }
  b.emit({
    type: 'SettlementCompleted',
    day,
    offerSeq: offer.offerSeq,
    paidMinor: offer.paidMinor,
    waivedMinor: waived,
  });
}
