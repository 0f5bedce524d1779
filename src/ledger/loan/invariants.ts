import { invariant } from '../../money/index.js';
import { capitalisedPrincipalMinor } from './restructure-fold.js';
import type { LoanState } from './state.js';

/**
 * The balances of a loan always reconcile: every fen of principal disbursed (or capitalised by a restructuring) is not yet due, due and unpaid,
 * paid or waived; the not-due principal is the plan's remaining principal; nothing is negative; penalty paid
 * and waived never exceed penalty posted. A failure is an impossible state and stops the work.
 */
export function assertStateInvariants(s: LoanState): void {
  invariant(
    Number.isSafeInteger(s.notDuePrincipalMinor) && s.notDuePrincipalMinor >= 0,
    'negative principal',
  );
  let duePrincipal = 0;
  for (const d of s.dues) {
    invariant(
      d.principalMinor >= 0 && d.interestMinor >= 0 && d.feeMinor >= 0,
      () => `instalment ${d.installmentNumber} owes a negative amount`,
    );
    duePrincipal += d.principalMinor;
  }
  invariant(
    s.notDuePrincipalMinor + duePrincipal + s.principalPaidTotalMinor + s.principalWaivedTotalMinor ===
      s.disbursedPrincipalMinor + capitalisedPrincipalMinor(s),
    () => `principal does not reconcile on loan ${s.loanId}`,
  );
  let planned = 0;
  for (let i = s.nextInstallmentIndex; i < s.plan.length; i++) planned += s.plan[i]!.principalMinor;
  invariant(
    planned === s.notDuePrincipalMinor,
    () => `plan does not match the not-due principal on ${s.loanId}`,
  );
  invariant(
    s.penaltyPaidMinor + s.penaltyWaivedMinor <= s.penaltyPostedMinor,
    'penalty paid and waived exceed penalty posted',
  );
  invariant(s.periodInterestPrepaidMinor <= s.periodInterestPostedMinor, 'interest paid ahead of accrual');
  invariant(s.creditMinor >= 0, 'negative credit balance');
}
