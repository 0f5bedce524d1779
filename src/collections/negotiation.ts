import {
  DEFAULT_RESTRUCTURING_POLICY,
  isLedgerInputError,
  type LoanState,
  loanPosition,
  planCommand,
  type RestructuringPolicy,
} from '../ledger/index.js';
import { type Day, formatMinor, parseDecimal } from '../money/index.js';

/**
 * A negotiation offer (协商分期) for a borrower who cannot pay: for each loan past due, the shortest negotiated
 * plan the borrower can afford under the ledger's restructuring rules (the affordability cap on verified
 * income), previewed with the ledger's own planner so that the offer is what applying it would do.
 * Penalty waived, billed interest and fees capitalised (the ledger's defaults). Pure.
 */

/** Plan lengths tried, shortest first (months). */
export const OFFER_MONTHS = [3, 6, 9, 12, 18, 24, 36, 48, 60] as const;

export interface LoanOffer {
  readonly loanId: string;
  /** Months of the plan offered, or null when none up to the policy's longest is affordable. */
  readonly months: number | null;
  /** The new monthly instalment (the first of the plan), fen. */
  readonly installmentMinor: number | null;
  /** Waived by the plan (penalty), fen. */
  readonly forgivenMinor: number;
  /** Why no plan fits, when none does: the ledger's refusal. */
  readonly refusal: string | null;
}

export interface NegotiationOffer {
  readonly monthlyIncomeMinor: number;
  readonly loans: readonly LoanOffer[];
  /** Sum of the offered instalments, fen. */
  readonly totalInstallmentMinor: number;
}

/**
 * The offer for each loan past due, loan id order. The affordability cap holds for the borrower, not for each
 * loan alone: each loan's plan is checked against what the cap leaves of the income after the instalments
 * offered for the loans before it, so the offered instalments together stay within the cap (two loans each
 * given half the income would take all of it).
 */
export function negotiationOffer(
  loans: readonly LoanState[],
  monthlyIncomeMinor: number,
  day: Day,
  policy: RestructuringPolicy = DEFAULT_RESTRUCTURING_POLICY,
): NegotiationOffer {
  const cap = parseDecimal(policy.affordabilityRatioMax, 'affordabilityRatioMax');
  const out: LoanOffer[] = [];
  let offeredMinor = 0;
  for (const state of [...loans].sort((a, b) => (a.loanId < b.loanId ? -1 : 1))) {
    if (loanPosition(state).daysPastDue === 0) continue;
    let offer: LoanOffer | undefined;
    let refusal: string | null = null;
    // The income whose capped share is what the cap leaves after the instalments already offered (rounded
    // down, so the sum never passes the cap): the ledger's own check then reads the borrower's whole cap.
    const incomeLeftMinor =
      offeredMinor === 0
        ? monthlyIncomeMinor
        : monthlyIncomeMinor - Number((BigInt(offeredMinor) * cap.den + cap.num - 1n) / cap.num);
    const capLeft = () =>
      `no negotiated plan of up to ${policy.negotiatedMonthsMax} months fits in what the affordability cap leaves of the monthly income ${formatMinor(monthlyIncomeMinor)} after the instalments offered for the borrower's other loans (${formatMinor(offeredMinor)} a month)`;
    if (incomeLeftMinor <= 0) {
      out.push({
        loanId: state.loanId,
        months: null,
        installmentMinor: null,
        forgivenMinor: 0,
        refusal: capLeft(),
      });
      continue;
    }
    for (const months of OFFER_MONTHS) {
      if (months > policy.negotiatedMonthsMax) break;
      try {
        const change = planCommand(state, null, {
          type: 'restructure',
          kind: 'negotiated-plan',
          months,
          monthlyIncomeMinor: incomeLeftMinor,
          day,
          clientId: `offer-${state.loanId}-${months}`,
          policy,
        });
        const next = change.state.plan[change.state.nextInstallmentIndex];
        const forgiven = change.events.reduce(
          (s, e) => s + (e.type === 'LoanRestructured' ? e.forgivenMinor : 0),
          0,
        );
        offer = {
          loanId: state.loanId,
          months,
          installmentMinor: next?.totalMinor ?? 0,
          forgivenMinor: forgiven,
          refusal: null,
        };
        break;
      } catch (error) {
        if (!isLedgerInputError(error)) throw error;
        refusal = offeredMinor > 0 && error.code === 'restructure_unaffordable' ? capLeft() : error.message;
      }
    }
    if (offer !== undefined) offeredMinor += offer.installmentMinor ?? 0;
    out.push(
      offer ?? { loanId: state.loanId, months: null, installmentMinor: null, forgivenMinor: 0, refusal },
    );
  }
  return {
    monthlyIncomeMinor,
    loans: out,
    totalInstallmentMinor: out.reduce((s, o) => s + (o.installmentMinor ?? 0), 0),
  };
}
