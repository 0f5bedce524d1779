import { invariant } from '../../money/index.js';
import {
  interestExactThrough,
  penaltyBaseOf,
  penaltyExactThrough,
  penaltyOutstandingMinor,
} from './accrual.js';
import type { InstallmentOverdue } from './events.js';
import type {
  LoanRestructured,
  RestructuringBroken,
  RestructuringRecord,
  RestructuringState,
} from './restructure-types.js';
import type { LoanState } from './state.js';
import type { Mutable } from './update.js';

type Draft = Mutable<LoanState>;

/** Capitalised amounts still counted in the receivables' posted totals (0 on a loan never restructured). */
export function capitalisedOf(state: LoanState): {
  penaltyMinor: number;
  interestMinor: number;
  feeMinor: number;
} {
  return state.restructuring?.capitalised ?? { penaltyMinor: 0, interestMinor: 0, feeMinor: 0 };
}

/** Principal created by capitalisation over the loan's life (part of what the principal reconciles to). */
export function capitalisedPrincipalMinor(state: LoanState): number {
  const c = capitalisedOf(state);
  return c.penaltyMinor + c.interestMinor + c.feeMinor;
}

/**
 * Folds a restructuring: interest and penalty are accumulated to the day, the down payment is applied as a
 * repayment, the remaining dues and penalty are waived or capitalised (all of them: the new plan replaces
 * them), and the new plan and terms take the place of the old plan's open part.
 */
export function applyRestructured(s: Draft, e: LoanRestructured): void {
  if (e.day > s.penaltyAccrualDay) {
    s.penaltyExact = penaltyExactThrough(s, e.day);
    s.penaltyAccrualDay = e.day;
  }
  if (e.day > s.accrualSegmentDay) {
    s.periodInterestExact = interestExactThrough(s, e.day);
    s.accrualSegmentDay = e.day;
  }
  const dues = s.dues.map((d) => ({ ...d }));
  const down = e.downPayment;
  if (down !== null) {
    const a = down.allocation;
    invariant(
      a.penaltyMinor + a.feeMinor + a.interestMinor + a.principalMinor === down.amountMinor,
      'down payment allocation does not sum to the amount',
    );
    for (const line of down.byInstallment) {
      if (line.installmentNumber === 0) {
        invariant(line.interestMinor === 0, 'a down payment pays no interest not yet billed');
        s.notDuePrincipalMinor -= line.principalMinor;
        continue;
      }
      const item = dues.find((d) => d.installmentNumber === line.installmentNumber);
      invariant(item !== undefined, () => `down payment for instalment ${line.installmentNumber}, not owed`);
      item.principalMinor -= line.principalMinor;
      item.interestMinor -= line.interestMinor;
      item.feeMinor -= line.feeMinor;
    }
    s.penaltyPaidMinor += a.penaltyMinor;
    s.feePaidTotalMinor += a.feeMinor;
    s.interestPaidTotalMinor += a.interestMinor;
    s.principalPaidTotalMinor += a.principalMinor;
  }
  let duePrincipal = 0;
  let dueInterest = 0;
  let dueFee = 0;
  for (const d of dues) {
    invariant(d.principalMinor >= 0 && d.interestMinor >= 0 && d.feeMinor >= 0, 'down payment exceeds a due');
    duePrincipal += d.principalMinor;
    dueInterest += d.interestMinor;
    dueFee += d.feeMinor;
  }
  const { waived, capitalised } = e;
  invariant(
    dueInterest === waived.interestMinor + capitalised.interestMinor &&
      dueFee === waived.feeMinor + capitalised.feeMinor &&
      penaltyOutstandingMinor(s) === waived.penaltyMinor + capitalised.penaltyMinor,
    () => `restructuring of ${s.loanId}: waived and capitalised amounts are not what is owed`,
  );
  const capitalisedTotal = capitalised.penaltyMinor + capitalised.interestMinor + capitalised.feeMinor;
  invariant(
    e.principalMinor === s.notDuePrincipalMinor + duePrincipal + capitalisedTotal,
    () =>
      `restructuring of ${s.loanId}: the new principal is not the principal owed plus capitalised amounts`,
  );
  s.penaltyWaivedMinor += waived.penaltyMinor;
  s.interestWaivedTotalMinor += waived.interestMinor;
  s.feeWaivedTotalMinor += waived.feeMinor;

  const before = s.restructuring;
  const prior = capitalisedOf(s);
  const record: RestructuringRecord = {
    kind: e.request.kind,
    day: e.day,
    clientId: e.clientId,
    dueDays: e.installments.map((i) => i.dueDay),
    daysPastDueBefore: e.daysPastDueBefore,
    bucketBefore: e.bucketBefore,
    specialTransactionCode: e.specialTransactionCode,
    forgivenMinor: e.forgivenMinor,
    monthsExtended: e.monthsExtended,
    relief: e.request.relief === true,
  };
  const next: RestructuringState = {
    records: [...(before?.records ?? []), record],
    status: 'active',
    brokenDay: null,
    firstInstallmentNumber: e.installments[0]!.number,
    missedDueDays: before?.missedDueDays ?? [],
    missedInLatest: 0,
    missedInstallmentsToBreak: e.policy.missedInstallmentsToBreak,
    capitalised: {
      penaltyMinor: prior.penaltyMinor + capitalised.penaltyMinor,
      interestMinor: prior.interestMinor + capitalised.interestMinor,
      feeMinor: prior.feeMinor + capitalised.feeMinor,
    },
  };
  s.restructuring = next;
  s.dues = [];
  s.notDuePrincipalMinor = e.principalMinor;
  let planned = 0;
  for (const item of e.installments) planned += item.principalMinor;
  invariant(planned === e.principalMinor, 'the restructured plan does not sum to its principal');
  s.plan = [...s.plan.slice(0, s.nextInstallmentIndex), ...e.installments];
  s.product = e.product;
  s.flatInterestBaseMinor = e.product.method === 'flat-rate' ? e.principalMinor : 0;
  invariant(e.accrualFromDay >= s.accrualSegmentDay, 'a restructuring moves interest accrual back in time');
  s.accrualSegmentDay = e.accrualFromDay;
  s.penaltyBaseMinor = penaltyBaseOf(s, s.dues, penaltyOutstandingMinor(s));
}

/** An instalment of a restructured plan passed its grace period unpaid: one more missed. */
export function noteMissedInstallment(s: Draft, e: InstallmentOverdue): void {
  const r = s.restructuring;
  if (r === undefined || r.status !== 'active' || e.installmentNumber < r.firstInstallmentNumber) return;
  s.restructuring = {
    ...r,
    missedDueDays: [...r.missedDueDays, e.dueDay],
    missedInLatest: r.missedInLatest + 1,
  };
}

export function applyRestructuringBroken(s: Draft, e: RestructuringBroken): void {
  const r = s.restructuring;
  invariant(r !== undefined && r.status === 'active', 'only a restructured plan being kept can break');
  s.restructuring = { ...r, status: 'broken', brokenDay: e.day };
}
