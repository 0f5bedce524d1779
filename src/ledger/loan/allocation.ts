import { invariant } from '../../money/index.js';
import type { AllocationComponent } from '../product.js';
import { penaltyOutstandingMinor } from './accrual.js';
import type { ComponentAmounts, InstallmentAllocation } from './events.js';
import type { LoanState } from './state.js';

export interface Allocation {
  readonly allocation: ComponentAmounts;
  readonly byInstallment: readonly InstallmentAllocation[];
  /** Left over after everything the payment may pay. */
  readonly leftoverMinor: number;
}

interface Line {
  installmentNumber: number;
  penaltyMinor: number;
  feeMinor: number;
  interestMinor: number;
  principalMinor: number;
}

const FIELD: Readonly<Record<AllocationComponent, keyof ComponentAmounts>> = {
  penalty: 'penaltyMinor',
  fee: 'feeMinor',
  interest: 'interestMinor',
  principal: 'principalMinor',
};

/**
 * Splits a payment over what is owed, per the product's allocation settings:
 * - dues (billed instalments), oldest first, in the product's component order; `oldest-due-first` settles each
 *   instalment fully before the next, `component-first` pays one component across all instalments before the
 *   next component. Penalty interest is owed by the loan, not by one instalment: it is paid where the order
 *   names `penalty`, on the oldest instalment's line;
 * - then, if `prepay`, what is not yet due: interest accrued to date, then principal (line 0).
 * The parts always sum to the amount paid less the leftover.
 */
export function allocatePayment(
  state: LoanState,
  amountMinor: number,
  prepay: boolean,
  accruedInterestMinor: number,
): Allocation {
  const order = state.product.allocation.order;
  const owed: Line[] = state.dues.map((d, i) => ({
    installmentNumber: d.installmentNumber,
    penaltyMinor: i === 0 ? penaltyOutstandingMinor(state) : 0,
    feeMinor: d.feeMinor,
    interestMinor: d.interestMinor,
    principalMinor: d.principalMinor,
  }));
  if (owed.length === 0) {
    owed.push({
      installmentNumber: 0,
      penaltyMinor: penaltyOutstandingMinor(state),
      feeMinor: 0,
      interestMinor: 0,
      principalMinor: 0,
    });
  }
  const paid: Line[] = owed.map((o) => ({
    installmentNumber: o.installmentNumber,
    penaltyMinor: 0,
    feeMinor: 0,
    interestMinor: 0,
    principalMinor: 0,
  }));
  let left = amountMinor;
  const pay = (i: number, component: AllocationComponent): void => {
    const field = FIELD[component];
    const take = Math.min(left, owed[i]![field]);
    paid[i]![field] += take;
    left -= take;
  };
  if (state.product.allocation.across === 'oldest-due-first') {
    for (let i = 0; i < owed.length; i++) for (const c of order) pay(i, c);
  } else {
    for (const c of order) for (let i = 0; i < owed.length; i++) pay(i, c);
  }
  if (prepay && left > 0) {
    const interest = Math.min(left, accruedInterestMinor);
    left -= interest;
    const principal = Math.min(left, state.notDuePrincipalMinor);
    left -= principal;
    if (interest + principal > 0) {
      const line = paid.find((p) => p.installmentNumber === 0);
      if (line) {
        line.interestMinor += interest;
        line.principalMinor += principal;
      } else {
        paid.push({
          installmentNumber: 0,
          penaltyMinor: 0,
          feeMinor: 0,
          interestMinor: interest,
          principalMinor: principal,
        });
      }
    }
  }
  const lines = paid.filter((p) => p.penaltyMinor + p.feeMinor + p.interestMinor + p.principalMinor > 0);
  const allocation = { penaltyMinor: 0, feeMinor: 0, interestMinor: 0, principalMinor: 0 };
  for (const l of lines) {
    allocation.penaltyMinor += l.penaltyMinor;
    allocation.feeMinor += l.feeMinor;
    allocation.interestMinor += l.interestMinor;
    allocation.principalMinor += l.principalMinor;
  }
  invariant(
    allocation.penaltyMinor +
      allocation.feeMinor +
      allocation.interestMinor +
      allocation.principalMinor +
      left ===
      amountMinor,
    'allocation does not sum to the amount paid',
  );
  return { allocation, byInstallment: lines, leftoverMinor: left };
}
