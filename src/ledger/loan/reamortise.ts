import { invariant } from '../../money/index.js';
import type { Product } from '../product.js';
import { buildSchedule } from '../schedule.js';
import type { Installment } from '../schedule-types.js';
import type { Reamortisation } from './events.js';
import type { LoanState } from './state.js';

/**
 * The plan for the instalments not yet due after principal not yet due dropped to `principalLeftMinor`
 * (提前还款, or a principal waiver). The new principal split comes from the schedule maths
 * (`buildSchedule` over the remaining periods from the current period's start); the due dates and fees stay
 * those of the contract. Interest is never taken from a plan: it is always the interest accrued.
 *
 * - `reduce-installment`: same number of instalments, each smaller.
 * - `shorten-term`: the fewest instalments whose first is no larger than the current next instalment
 *   (its principal + interest for 等额本息, its principal for 等额本金 and 等本等息); the later due dates are
 *   dropped. A 等本等息 plan re-made this way charges its interest on the principal left. For
 *   interest-first and pay-any-time loans, where all principal is due at the end, the term stays.
 * Returns null when nothing changes (no instalment left, or no principal repaid).
 */
export function reamortise(state: LoanState, principalLeftMinor: number): Reamortisation | null {
  const tail = state.plan.slice(state.nextInstallmentIndex);
  if (tail.length === 0 || principalLeftMinor === state.notDuePrincipalMinor) return null;
  const effect = state.product.earlyRepayment;
  if (principalLeftMinor === 0) return { effect, installments: [] };
  const first = tail[0]!;
  const method = state.product.method;
  let count = tail.length;
  if (
    effect === 'shorten-term' &&
    (method === 'equal-installment' || method === 'equal-principal' || method === 'flat-rate')
  ) {
    for (let n = 1; n <= tail.length; n++) {
      const candidate = scheduleFor(state.product, n, principalLeftMinor, first.startDay)[0]!;
      const fits =
        method === 'equal-installment'
          ? candidate.principalMinor + candidate.interestMinor <= first.principalMinor + first.interestMinor
          : candidate.principalMinor <= first.principalMinor;
      if (fits) {
        count = n;
        break;
      }
    }
  }
  const fresh = scheduleFor(state.product, count, principalLeftMinor, first.startDay);
  let remaining = principalLeftMinor;
  const installments: Installment[] = fresh.map((f, j) => {
    const contract = tail[j]!;
    remaining -= f.principalMinor;
    return Object.freeze({
      number: contract.number,
      startDay: contract.startDay,
      dueDay: contract.dueDay,
      principalMinor: f.principalMinor,
      interestMinor: f.interestMinor,
      feeMinor: contract.feeMinor,
      totalMinor: f.principalMinor + f.interestMinor + contract.feeMinor,
      remainingPrincipalMinor: remaining,
    });
  });
  invariant(remaining === 0, 'the re-amortised plan does not repay the principal left');
  return { effect, installments };
}

function scheduleFor(
  product: Product,
  termCount: number,
  principalMinor: number,
  startDay: number,
): readonly Installment[] {
  return buildSchedule({ ...product, termCount, fees: [] }, principalMinor, startDay).installments;
}
