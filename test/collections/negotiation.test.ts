import { describe, expect, it } from 'vitest';
import { negotiationOffer } from '../../src/collections/index.js';
import { DEFAULT_RESTRUCTURING_POLICY } from '../../src/ledger/index.js';
import { d, Loan, product } from '../ledger/loan/driver.js';

/** A 3-month loan drawn on 2026-01-15 whose first instalment is unpaid: 14 days past due on 2026-03-01. */
function pastDue(loanId: string, principalMinor: number) {
  const l = new Loan(product(), principalMinor, '2026-01-15', loanId);
  l.closeThrough('2026-02-28');
  return l.state;
}

describe('negotiation offer (协商分期) for a borrower with several loans past due', () => {
  const day = d('2026-03-01');

  it('keeps the instalments offered together within the affordability cap of the one income', () => {
    const loans = [pastDue('L-1', 300_000), pastDue('L-2', 300_000)];
    const income = 200_000;
    // Each loan alone is offered its shortest affordable plan against the whole income.
    const alone = negotiationOffer([loans[0]!], income, day);
    expect(alone.loans[0]!.months).not.toBeNull();
    expect(alone.totalInstallmentMinor).toBeLessThanOrEqual(income / 2);

    const offer = negotiationOffer(loans, income, day);
    // Both were given half the income each before (the borrower would pay more than the cap allows).
    expect(offer.totalInstallmentMinor).toBeLessThanOrEqual(income / 2);
    expect(offer.loans.map((o) => o.loanId)).toEqual(['L-1', 'L-2']);
    expect(offer.loans[0]).toEqual(alone.loans[0]);
    // The second loan gets a longer plan that fits what the first one leaves.
    expect(offer.loans[1]!.months).not.toBeNull();
    expect(offer.loans[1]!.months!).toBeGreaterThan(offer.loans[0]!.months!);
    expect(offer.totalInstallmentMinor).toBe(offer.loans.reduce((s, o) => s + (o.installmentMinor ?? 0), 0));
  });

  it('says so when the cap has nothing left for a loan', () => {
    const loans = [pastDue('L-1', 300_000), pastDue('L-2', 300_000)];
    // Plans of 3 months only; the least income (to the yuan) whose cap affords the first loan's.
    const policy = { ...DEFAULT_RESTRUCTURING_POLICY, negotiatedMonthsMax: 3 };
    let low = 100;
    let high = 10_000_000;
    while (high - low > 100) {
      const mid = Math.floor((low + high) / 200) * 100;
      if (negotiationOffer([loans[0]!], mid, day, policy).loans[0]!.months === 3) high = mid;
      else low = mid;
    }
    const offer = negotiationOffer(loans, high, day, policy);
    expect(offer.loans[0]!.months).toBe(3);
    expect(offer.loans[1]).toMatchObject({ months: null, installmentMinor: null });
    expect(offer.loans[1]!.refusal).toMatch(/after the instalments offered for the borrower's other loans/);
    expect(offer.totalInstallmentMinor).toBeLessThanOrEqual(high / 2);
  });
});
