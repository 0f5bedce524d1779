import { type Day, invariant, ZERO } from '../../money/index.js';
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
import { addExact, penaltyFactor, times } from './rates.js';
import type { DueItem, LoanState } from './state.js';
import { updated } from './update.js';

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
    pendingUpfrontFeeMinor: event.upfrontFeeMinor,
    accrualSegmentDay: event.day,
    periodInterestExact: ZERO,
    periodInterestPostedMinor: 0,
    periodInterestPrepaidMinor: 0,
    penaltyAccrualDay: event.day,
    penaltyExact: ZERO,
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
  };
  return updated(state, { nextEventDay: nextEventDayOf(state, event.day) });
}

/** Penalty accumulated through `day` (so the base may change after it). */
function withPenaltyThrough(state: LoanState, day: Day): LoanState {
  if (day <= state.penaltyAccrualDay) return state;
  return updated(state, { penaltyExact: penaltyExactThrough(state, day), penaltyAccrualDay: day });
}

/** Interest accumulated through `day` (so the not-due principal may change after it). */
function withInterestThrough(state: LoanState, day: Day): LoanState {
  if (day === state.accrualSegmentDay) return state;
  return updated(state, { periodInterestExact: interestExactThrough(state, day), accrualSegmentDay: day });
}

function rebase(state: LoanState): LoanState {
  return updated(state, {
    penaltyBaseMinor: penaltyBaseOf(state, state.dues, penaltyOutstandingMinor(state)),
  });
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

function notDueLine(lines: readonly InstallmentAllocation[]): InstallmentAllocation | undefined {
  return lines.find((l) => l.installmentNumber === 0);
}

/** Early principal: interest is accumulated to the day, then the not-due principal drops and the plan changes. */
function applyNotDue(
  state: LoanState,
  day: Day,
  line: InstallmentAllocation | undefined,
  reamortisation: Reamortisation | null,
): LoanState {
  if (line === undefined) return state;
  let s = withInterestThrough(state, day);
  s = updated(s, {
    periodInterestPrepaidMinor: s.periodInterestPrepaidMinor + line.interestMinor,
    notDuePrincipalMinor: s.notDuePrincipalMinor - line.principalMinor,
  });
  invariant(s.notDuePrincipalMinor >= 0, 'not-due principal became negative');
  invariant(
    s.periodInterestPrepaidMinor <= s.periodInterestPostedMinor,
    'interest paid early exceeds the interest accrued and posted',
  );
  if (reamortisation !== null) {
    const plan = [...s.plan.slice(0, s.nextInstallmentIndex), ...reamortisation.installments];
    let planned = 0;
    for (const item of reamortisation.installments) planned += item.principalMinor;
    invariant(planned === s.notDuePrincipalMinor, 'the re-amortised plan does not sum to the principal left');
    s = updated(s, { plan });
  }
  return s;
}

function applyUnchecked(state: LoanState, event: LoanEvent): LoanState {
  switch (event.type) {
    case 'LoanOpened':
      invariant(false, 'a loan is opened only once');
      break;
    case 'Accrued': {
      const s = withPenaltyThrough(state, event.day);
      return rebase(
        updated(s, {
          periodInterestPostedMinor: s.periodInterestPostedMinor + event.interestMinor,
          interestPostedTotalMinor: s.interestPostedTotalMinor + event.interestMinor,
          penaltyPostedMinor: s.penaltyPostedMinor + event.penaltyMinor,
        }),
      );
    }
    case 'InstallmentDue': {
      const item = state.plan[state.nextInstallmentIndex];
      invariant(
        item !== undefined && item.number === event.installmentNumber,
        () => `instalment ${event.installmentNumber} is not the next one due`,
      );
      invariant(
        event.interestMinor === state.periodInterestPostedMinor - state.periodInterestPrepaidMinor,
        'billed interest is not the interest posted for the period less interest paid early',
      );
      const dues =
        event.principalMinor + event.interestMinor + event.feeMinor > 0
          ? [
              ...state.dues,
              {
                installmentNumber: event.installmentNumber,
                dueDay: event.day,
                principalMinor: event.principalMinor,
                interestMinor: event.interestMinor,
                feeMinor: event.feeMinor,
                overdue: false,
              },
            ]
          : state.dues;
      const s: LoanState = updated(state, {
        dues,
        nextInstallmentIndex: state.nextInstallmentIndex + 1,
        notDuePrincipalMinor: state.notDuePrincipalMinor - event.principalMinor,
        pendingUpfrontFeeMinor: 0,
        feeChargedTotalMinor: state.feeChargedTotalMinor + event.feeMinor,
        accrualSegmentDay: event.day,
        periodInterestExact: ZERO,
        periodInterestPostedMinor: 0,
        periodInterestPrepaidMinor: 0,
      });
      invariant(s.notDuePrincipalMinor >= 0, 'billed more principal than is outstanding');
      return s;
    }
    case 'InstallmentOverdue': {
      // Penalty runs from the day after the due date; grace only decides whether it is charged at all.
      let s = withPenaltyThrough(state, event.day - 1);
      const item = s.dues.find((d) => d.installmentNumber === event.installmentNumber);
      invariant(
        item !== undefined && !item.overdue,
        () => `instalment ${event.installmentNumber} is not due`,
      );
      const dues = s.dues.map((d) => (d === item ? { ...d, overdue: true } : d));
      const itemBase = penaltyBaseOf(s, [{ ...item, overdue: true }], 0);
      const retro = times(itemBase, penaltyFactor(s.product, item.dueDay, event.day - 1));
      s = updated(s, { dues, penaltyExact: addExact(s.penaltyExact, retro) });
      return rebase(s);
    }
    case 'DelinquencyChanged':
      invariant(event.fromBucket === state.bucket, 'bucket change does not start from the current bucket');
      return updated(state, {
        bucket: event.toBucket,
        bucketHistory: recordBucket(state.bucketHistory, event.day, event.toBucket),
      });
    case 'Repaid':
    case 'CreditApplied': {
      const a = event.allocation;
      const credit = event.type === 'Repaid' ? event.creditMinor : 0;
      invariant(
        a.penaltyMinor + a.feeMinor + a.interestMinor + a.principalMinor + credit === event.amountMinor,
        'repayment allocation does not sum to the amount',
      );
      let s = withPenaltyThrough(state, event.day);
      s = applyNotDue(
        s,
        event.day,
        notDueLine(event.byInstallment),
        event.type === 'Repaid' ? event.reamortisation : null,
      );
      s = updated(s, {
        dues: reduceDues(s.dues, event.byInstallment, 'payment'),
        penaltyPaidMinor: s.penaltyPaidMinor + a.penaltyMinor,
        feePaidTotalMinor: s.feePaidTotalMinor + a.feeMinor,
        interestPaidTotalMinor: s.interestPaidTotalMinor + a.interestMinor,
        principalPaidTotalMinor: s.principalPaidTotalMinor + a.principalMinor,
        creditMinor:
          event.type === 'Repaid' ? s.creditMinor + event.creditMinor : s.creditMinor - event.amountMinor,
      });
      invariant(s.creditMinor >= 0, 'credit balance became negative');
      return rebase(s);
    }
    case 'CreditRefunded':
      invariant(event.amountMinor <= state.creditMinor, 'refund exceeds the credit balance');
      return updated(state, { creditMinor: state.creditMinor - event.amountMinor });
    case 'Waived': {
      let s = withPenaltyThrough(state, event.day);
      if (event.component === 'penalty') {
        s = updated(s, { penaltyWaivedMinor: s.penaltyWaivedMinor + event.amountMinor });
      } else {
        s = updated(s, {
          dues: reduceDues(s.dues, event.byInstallment, 'waiver'),
          interestWaivedTotalMinor:
            s.interestWaivedTotalMinor + (event.component === 'interest' ? event.amountMinor : 0),
          feeWaivedTotalMinor: s.feeWaivedTotalMinor + (event.component === 'fee' ? event.amountMinor : 0),
        });
      }
      return rebase(s);
    }
    case 'PrincipalWaived': {
      let s = withPenaltyThrough(state, event.day);
      s = applyNotDue(s, event.day, notDueLine(event.byInstallment), event.reamortisation);
      s = updated(s, {
        dues: reduceDues(s.dues, event.byInstallment, 'principal waiver'),
        principalWaivedTotalMinor: s.principalWaivedTotalMinor + event.amountMinor,
      });
      return rebase(s);
    }
    case 'LoanSettled':
      return updated(state, { status: 'settled' });
    case 'EventsSuperseded':
      return state;
  }
  return state;
}

/** Folds one event into the state. Pure; asserts the invariants of the result. */
export function applyEvent(state: LoanState, event: LoanEvent): LoanState {
  invariant(event.loanId === state.loanId, () => `event of loan ${event.loanId} applied to ${state.loanId}`);
  invariant(event.seq > state.seq, () => `event #${event.seq} applied after #${state.seq}`);
  invariant(event.day >= state.lastEventDay, () => `event #${event.seq} goes back in time`);
  const applied = applyUnchecked(state, event);
  const s = updated(applied, {
    seq: event.seq,
    lastEventDay: event.day,
    lastClosedDay: Math.max(applied.lastClosedDay, event.day - 1),
  });
  assertStateInvariants(s);
  s.nextEventDay = nextEventDayOf(s, event.day);
  return s;
}
