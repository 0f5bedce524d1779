import { type Day, invariant } from '../../money/index.js';
import { recordBucket } from '../delinquency.js';
import {
  interestExactThrough,
  penaltyBaseOf,
  penaltyExactThrough,
  penaltyOutstandingMinor,
} from './accrual.js';
import { nextEventDayOf } from './days-past-due.js';
import type { InstallmentAllocation, LoanEvent, LoanOpened, Reamortisation } from './events.js';
import { assertStateInvariants } from './invariants.js';
import { addExact, NOTHING, penaltyFactor, times } from './rates.js';
import { applyRestructured, applyRestructuringBroken, noteMissedInstallment } from './restructure-fold.js';
import { settlementOf } from './settlement-types.js';
import type { DueItem, LoanState } from './state.js';
import { type Mutable, updated } from './update.js';

type Draft = Mutable<LoanState>;

/** The state right after the drawdown. */
export function openedState(event: LoanOpened): LoanState {
  const state: LoanState = {
    loanId: event.loanId,
    customerId: event.customerId,
    lineId: event.lineId,
    product: event.product,
    delinquency: event.delinquency,
    startDay: event.day,
    disbursedPrincipalMinor: event.principalMinor,
    status: 'active',
    seq: event.seq,
    lastEventDay: event.day,
    lastClosedDay: event.day - 1,
    nextEventDay: event.day,
    plan: event.installments,
    nextInstallmentIndex: 0,
    notDuePrincipalMinor: event.principalMinor,
    dues: [],
    flatInterestBaseMinor: event.product.method === 'flat-rate' ? event.principalMinor : 0,
    pendingUpfrontFeeMinor: event.upfrontFeeMinor,
    accrualSegmentDay: event.day,
    periodInterestExact: NOTHING,
    periodInterestPostedMinor: 0,
    periodInterestPrepaidMinor: 0,
    penaltyAccrualDay: event.day,
    penaltyExact: NOTHING,
    penaltyBaseMinor: 0,
    penaltyPostedMinor: 0,
    penaltyPaidMinor: 0,
    penaltyWaivedMinor: 0,
    interestPostedTotalMinor: 0,
    interestPaidTotalMinor: 0,
    interestWaivedTotalMinor: 0,
    feeChargedTotalMinor: 0,
    feePaidTotalMinor: 0,
    feeWaivedTotalMinor: 0,
    principalPaidTotalMinor: 0,
    principalWaivedTotalMinor: 0,
    creditMinor: 0,
    bucket: 'M0',
    bucketHistory: [{ bucket: 'M0', enteredDay: event.day, leftDay: null }],
    settlement: null,
    writtenOff: null,
  };
  return updated(state, { nextEventDay: nextEventDayOf(state, event.day) });
}

function notDueLine(lines: readonly InstallmentAllocation[]): InstallmentAllocation | undefined {
  return lines.find((l) => l.installmentNumber === 0);
}

/** Applies payments or waivers per instalment to the dues; line 0 is not-yet-due principal (and interest). */
function reduceDues(
  dues: readonly DueItem[],
  lines: readonly InstallmentAllocation[],
  what: string,
): DueItem[] {
  const next = dues.map((d) => ({ ...d }));
  for (const line of lines) {
    if (line.installmentNumber === 0) continue;
    const item = next.find((d) => d.installmentNumber === line.installmentNumber);
    invariant(
      item !== undefined,
      () => `${what} for instalment ${line.installmentNumber}, which is not owed`,
    );
    item.principalMinor -= line.principalMinor;
    item.interestMinor -= line.interestMinor;
    item.feeMinor -= line.feeMinor;
    invariant(
      item.principalMinor >= 0 && item.interestMinor >= 0 && item.feeMinor >= 0,
      () => `${what} exceeds what instalment ${line.installmentNumber} owes`,
    );
  }
  return next.filter((d) => d.principalMinor + d.interestMinor + d.feeMinor > 0);
}

/** Penalty accumulated through `day` (so the base may change after it). */
function penaltyThrough(s: Draft, day: Day): void {
  if (day <= s.penaltyAccrualDay) return;
  s.penaltyExact = penaltyExactThrough(s, day);
  s.penaltyAccrualDay = day;
}

/** Interest accumulated through `day` (so the not-due principal may change after it). */
function interestThrough(s: Draft, day: Day): void {
  // An instalment billed early with its interest to its due date leaves the segment ahead of the day: the
  // days up to it are charged already, so nothing accrues before it.
  if (day <= s.accrualSegmentDay) return;
  s.periodInterestExact = interestExactThrough(s, day);
  s.accrualSegmentDay = day;
}

function rebase(s: Draft): void {
  s.penaltyBaseMinor = penaltyBaseOf(s, s.dues, penaltyOutstandingMinor(s));
}

/** Early principal: interest is accumulated to the day, then the not-due principal drops and the plan changes. */
function applyNotDue(
  s: Draft,
  day: Day,
  line: InstallmentAllocation | undefined,
  reamortisation: Reamortisation | null,
): void {
  if (line === undefined) return;
  interestThrough(s, day);
  s.periodInterestPrepaidMinor += line.interestMinor;
  s.notDuePrincipalMinor -= line.principalMinor;
  invariant(s.notDuePrincipalMinor >= 0, 'not-due principal became negative');
  invariant(
    s.periodInterestPrepaidMinor <= s.periodInterestPostedMinor,
    'interest paid early exceeds the interest accrued and posted',
  );
  if (reamortisation !== null) {
    let planned = 0;
    for (const item of reamortisation.installments) planned += item.principalMinor;
    invariant(planned === s.notDuePrincipalMinor, 'the re-amortised plan does not sum to the principal left');
    s.plan = [...s.plan.slice(0, s.nextInstallmentIndex), ...reamortisation.installments];
    // A flat-rate plan re-made over the principal left charges its interest on that principal.
    if (s.product.method === 'flat-rate') s.flatInterestBaseMinor = s.notDuePrincipalMinor;
  }
}

/**
 * Folds the settlement's part of an event. Returns true for the settlement's own events (nothing else to
 * fold); for a repayment, it counts the amount towards the offer in force and returns false.
 */
function applySettlement(s: Draft, event: LoanEvent): boolean {
  switch (event.type) {
    case 'SettlementOffered':
      invariant(settlementOf(s) === null, () => `loan ${s.loanId}: a settlement offer is already in force`);
      invariant(
        event.creditMinor === undefined || event.creditMinor === s.creditMinor,
        () => `loan ${s.loanId}: the credit held at the offer differs`,
      );
      s.settlement = {
        offerSeq: event.seq,
        offerMinor: event.offerMinor,
        validThroughDay: event.validThroughDay,
        paidMinor: 0,
        creditAtOfferMinor: event.creditMinor ?? 0,
      };
      return true;
    case 'SettlementLapsed':
    case 'SettlementCompleted': {
      const offer = settlementOf(s);
      invariant(
        offer !== null && offer.offerSeq === event.offerSeq,
        () => `loan ${s.loanId}: offer #${event.offerSeq} is not in force`,
      );
      invariant(offer.paidMinor === event.paidMinor, () => `loan ${s.loanId}: paid under the offer differs`);
      s.settlement = null;
      return true;
    }
    case 'Repaid': {
      const offer = settlementOf(s);
      if (offer !== null) s.settlement = { ...offer, paidMinor: offer.paidMinor + event.amountMinor };
      return false;
    }
    default:
      return false;
  }
}

/** Applies the event to a fresh copy of the state (`s`), in place. */
function applyTo(s: Draft, event: LoanEvent): void {
  switch (event.type) {
    case 'LoanOpened':
      invariant(false, 'a loan is opened only once');
      return;
    case 'Accrued':
      penaltyThrough(s, event.day);
      s.periodInterestPostedMinor += event.interestMinor;
      s.interestPostedTotalMinor += event.interestMinor;
      s.penaltyPostedMinor += event.penaltyMinor;
      rebase(s);
      return;
    case 'InstallmentDue': {
      const item = s.plan[s.nextInstallmentIndex];
      invariant(
        item !== undefined && item.number === event.installmentNumber,
        () => `instalment ${event.installmentNumber} is not the next one due`,
      );
      invariant(
        event.interestMinor === s.periodInterestPostedMinor - s.periodInterestPrepaidMinor,
        'billed interest is not the interest posted for the period less interest paid early',
      );
      if (event.principalMinor + event.interestMinor + event.feeMinor > 0) {
        s.dues = [
          ...s.dues,
          {
            installmentNumber: event.installmentNumber,
            dueDay: event.billedEarly?.dueDay ?? event.day,
            principalMinor: event.principalMinor,
            interestMinor: event.interestMinor,
            feeMinor: event.feeMinor,
            overdue: false,
          },
        ];
      }
      invariant(
        event.billedEarly === undefined ||
          (event.billedEarly.dueDay === item.dueDay &&
            event.day < item.dueDay &&
            event.billedEarly.interestThroughDay >= event.day &&
            event.billedEarly.interestThroughDay <= item.dueDay),
        () => `instalment ${event.installmentNumber} billed early with inconsistent days`,
      );
      s.nextInstallmentIndex += 1;
      s.notDuePrincipalMinor -= event.principalMinor;
      s.pendingUpfrontFeeMinor = 0;
      s.feeChargedTotalMinor += event.feeMinor;
      s.accrualSegmentDay = event.billedEarly?.interestThroughDay ?? event.day;
      s.periodInterestExact = NOTHING;
      s.periodInterestPostedMinor = 0;
      s.periodInterestPrepaidMinor = 0;
      invariant(s.notDuePrincipalMinor >= 0, 'billed more principal than is outstanding');
      return;
    }
    case 'UpfrontFeeBilled': {
      const item = s.plan[s.nextInstallmentIndex];
      invariant(
        item !== undefined && item.number === event.installmentNumber,
        () => `upfront fee billed with instalment ${event.installmentNumber}, which is not the next one due`,
      );
      invariant(
        event.feeMinor === s.pendingUpfrontFeeMinor && event.feeMinor > 0,
        'billed upfront fee is not the fee pending',
      );
      s.dues = [
        ...s.dues,
        {
          installmentNumber: event.installmentNumber,
          dueDay: event.day,
          principalMinor: 0,
          interestMinor: 0,
          feeMinor: event.feeMinor,
          overdue: false,
        },
      ];
      s.pendingUpfrontFeeMinor = 0;
      s.feeChargedTotalMinor += event.feeMinor;
      return;
    }
    case 'InstallmentOverdue': {
      // Penalty runs from the day after the due date; grace only decides whether it is charged at all.
      penaltyThrough(s, event.day - 1);
      const item = s.dues.find((d) => d.installmentNumber === event.installmentNumber);
      invariant(
        item !== undefined && !item.overdue,
        () => `instalment ${event.installmentNumber} is not due`,
      );
      s.dues = s.dues.map((d) => (d === item ? { ...d, overdue: true } : d));
      noteMissedInstallment(s, event);
      const itemBase = penaltyBaseOf(s, [{ ...item, overdue: true }], 0);
      s.penaltyExact = addExact(
        s.penaltyExact,
        times(itemBase, penaltyFactor(s.product, item.dueDay, event.day - 1)),
      );
      rebase(s);
      return;
    }
    case 'DelinquencyChanged':
      invariant(event.fromBucket === s.bucket, 'bucket change does not start from the current bucket');
      s.bucket = event.toBucket;
      s.bucketHistory = recordBucket(s.bucketHistory, event.day, event.toBucket);
      return;
    case 'Repaid':
    case 'CreditApplied': {
      const a = event.allocation;
      const credit = event.type === 'Repaid' ? event.creditMinor : 0;
      invariant(
        a.penaltyMinor + a.feeMinor + a.interestMinor + a.principalMinor + credit === event.amountMinor,
        'repayment allocation does not sum to the amount',
      );
      penaltyThrough(s, event.day);
      applyNotDue(
        s,
        event.day,
        notDueLine(event.byInstallment),
        event.type === 'Repaid' ? event.reamortisation : (event.reamortisation ?? null),
      );
      s.dues = reduceDues(s.dues, event.byInstallment, 'payment');
      s.penaltyPaidMinor += a.penaltyMinor;
      s.feePaidTotalMinor += a.feeMinor;
      s.interestPaidTotalMinor += a.interestMinor;
      s.principalPaidTotalMinor += a.principalMinor;
      s.creditMinor += event.type === 'Repaid' ? event.creditMinor : -event.amountMinor;
      invariant(s.creditMinor >= 0, 'credit balance became negative');
      rebase(s);
      return;
    }
    case 'CreditRefunded':
      invariant(event.amountMinor <= s.creditMinor, 'refund exceeds the credit balance');
      s.creditMinor -= event.amountMinor;
      return;
    case 'Waived':
      penaltyThrough(s, event.day);
      if (event.component === 'penalty') {
        s.penaltyWaivedMinor += event.amountMinor;
      } else {
        s.dues = reduceDues(s.dues, event.byInstallment, 'waiver');
        if (event.component === 'interest') s.interestWaivedTotalMinor += event.amountMinor;
        else s.feeWaivedTotalMinor += event.amountMinor;
      }
      rebase(s);
      return;
    case 'PrincipalWaived':
      penaltyThrough(s, event.day);
      applyNotDue(s, event.day, notDueLine(event.byInstallment), event.reamortisation);
      s.dues = reduceDues(s.dues, event.byInstallment, 'principal waiver');
      s.principalWaivedTotalMinor += event.amountMinor;
      rebase(s);
      return;
    case 'LoanSettled':
      s.status = 'settled';
      return;
    case 'EventsSuperseded':
    case 'SettlementOffered':
    case 'SettlementLapsed':
    case 'SettlementCompleted':
      return;
    case 'LoanRestructured':
      applyRestructured(s, event);
      return;
    case 'RestructuringBroken':
      applyRestructuringBroken(s, event);
      return;
    case 'LoanWrittenOff': {
      invariant(s.status === 'active', () => `loan ${s.loanId} is not active; it cannot be written off`);
      const principal = event.principalCurrentMinor + event.principalOverdueMinor;
      s.status = 'written-off';
      s.settlement = null;
      s.writtenOff = {
        day: event.day,
        evidenceRef: event.evidenceRef,
        writtenOffMinor: principal + event.interestMinor + event.penaltyMinor + event.feeMinor,
        principalClaimedMinor: principal,
        recoveredMinor: 0,
      };
      return;
    }
    case 'RecoveredAfterWriteOff': {
      const w = s.writtenOff;
      invariant(
        s.status === 'written-off' && w !== undefined && w !== null,
        () => `loan ${s.loanId} is not written off; nothing to recover`,
      );
      invariant(
        event.principalMinor <= w.principalClaimedMinor && event.principalMinor <= event.amountMinor,
        () => `recovery on ${s.loanId} reduces more principal than is claimed`,
      );
      s.writtenOff = {
        ...w,
        principalClaimedMinor: w.principalClaimedMinor - event.principalMinor,
        recoveredMinor: w.recoveredMinor + event.amountMinor,
      };
      return;
    }
  }
}

/**
 * Folds one event into the state. Pure: the state given is not changed; the result is one fresh copy,
 * changed in place before it is returned. Asserts the invariants of the result.
 */
export function applyEvent(state: LoanState, event: LoanEvent): LoanState {
  const s = updated(state, {});
  applyEventInPlace(s, event);
  return s;
}

/**
 * Folds one event into a state nobody else holds yet (a fresh copy being built: see `EventBuilder`), in
 * place. Asserts the invariants of the result.
 */
export function applyEventInPlace(s: Draft, event: LoanEvent): void {
  invariant(event.loanId === s.loanId, () => `event of loan ${event.loanId} applied to ${s.loanId}`);
  invariant(event.seq > s.seq, () => `event #${event.seq} applied after #${s.seq}`);
  invariant(event.day >= s.lastEventDay, () => `event #${event.seq} goes back in time`);
  if (!applySettlement(s, event)) applyTo(s, event);
  s.seq = event.seq;
  s.lastEventDay = event.day;
  s.lastClosedDay = Math.max(s.lastClosedDay, event.day - 1);
  assertStateInvariants(s);
  s.nextEventDay = nextEventDayOf(s, event.day);
}
