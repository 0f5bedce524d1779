import { describe, expect, it } from 'vitest';
import { isLedgerInputError, offerSettlement } from '../../../src/ledger/index.js';
import {
  DEFAULT_RESTRUCTURING_POLICY,
  type LoanRestructured,
  type RestructureRequest,
} from '../../../src/ledger/loan/index.js';
import { formatDate } from '../../../src/money/index.js';
import { d, product, rows } from './driver.js';
import { RestructuredLoan } from './restructure-support.js';

/*
 * Scenario tables for restructuring, one row per event with the balances after it (driver.ts `rows`):
 *   [day, event, outstanding principal, accrued interest not yet billed, overdue principal, overdue interest,
 *    penalty outstanding, days past due, bucket]
 *
 * The loan: 3,000.00 yuan (300000 fen) drawn 2026-01-15, 3 monthly 等额本金 instalments of 100000 fen,
 * 0.05%/day ACT/365F, penalty +50% on overdue principal (75 fen a day on 100000), grace 0.
 * Instalment 1 (01-15 → 02-15) bills 100000 + 4650 interest.
 */

/** Rows from the first event on `day`. */
function rowsFrom(l: RestructuredLoan, day: string) {
  return rows(l.log).filter((r) => r[0] >= day);
}

function restructured(l: RestructuredLoan): LoanRestructured {
  const e = l.log.find((x) => x.type === 'LoanRestructured');
  if (e?.type !== 'LoanRestructured') throw new Error('not restructured');
  return e;
}

/** Instalment 1 unpaid: 14 days past due on 2026-03-01 (penalty 14 × 75 = 1050; 14 days of 100 = 1400 accrued). */
function pastDue(): RestructuredLoan {
  const l = new RestructuredLoan(product(), 300000, '2026-01-15');
  l.closeThrough('2026-02-28');
  return l;
}

/** Instalment 1 paid on time, current on 2026-03-01 (200000 principal, 1400 interest accrued since 02-15). */
function current(): RestructuredLoan {
  const l = new RestructuredLoan(product(), 300000, '2026-01-15');
  l.closeThrough('2026-02-14');
  l.repay(104650, '2026-02-15');
  l.closeThrough('2026-02-28');
  return l;
}

describe('协商分期 negotiated plan', () => {
  it('re-plans the overdue and outstanding amounts over 6 months: penalty waived, interest capitalised', () => {
    const l = pastDue();
    l.restructure('2026-03-01', { kind: 'negotiated-plan', months: 6, monthlyIncomeMinor: 500000 });
    l.closeThrough('2026-03-31');
    // Instalment 4 (the first of the new plan): 50775 principal + 6122 interest (1400 carried + 31 days on
    // 304650 at 0.05% = 4722.075 → 6122).
    l.repay(56897, '2026-04-01');
    l.closeThrough('2026-04-05');
    expect(rowsFrom(l, '2026-03-01')).toEqual([
      ['2026-03-01', 'Accrued', 300000, 1400, 100000, 4650, 1050, 14, 'M1'],
      // 300000 principal + 4650 interest capitalised; the 1050 penalty waived; DPD restarts on the new plan.
      ['2026-03-01', 'LoanRestructured', 304650, 1400, 0, 0, 0, 0, 'M1'],
      ['2026-03-01', 'DelinquencyChanged', 304650, 1400, 0, 0, 0, 0, 'M0'],
      ['2026-03-31', 'Accrued', 304650, 5970, 0, 0, 0, 0, 'M0'],
      ['2026-04-01', 'Accrued', 304650, 6122, 0, 0, 0, 0, 'M0'],
      ['2026-04-01', 'InstallmentDue#4', 304650, 0, 0, 0, 0, 0, 'M0'],
      ['2026-04-01', 'Repaid', 253875, 0, 0, 0, 0, 0, 'M0'],
    ]);
    const e = restructured(l);
    expect(e.installments.map((i) => [i.number, formatDate(i.dueDay), i.principalMinor])).toEqual([
      [4, '2026-04-01', 50775],
      [5, '2026-05-01', 50775],
      [6, '2026-06-01', 50775],
      [7, '2026-07-01', 50775],
      [8, '2026-08-01', 50775],
      [9, '2026-09-01', 50775],
    ]);
    expect(e.closedInstallmentNumbers).toEqual([1, 2, 3]);
    expect(e.waived).toEqual({ penaltyMinor: 1050, interestMinor: 0, feeMinor: 0 });
    expect(e.capitalised).toEqual({ penaltyMinor: 0, interestMinor: 4650, feeMinor: 0 });
    expect(e.specialTransactionCode).toBe('14');
    expect(e.monthsExtended).toBe(4);
    // The old schedule is closed, never edited: the opening event still holds it, the billed part stays.
    const opened = l.log[0]!;
    expect(opened.type === 'LoanOpened' && opened.installments.map((i) => i.number)).toEqual([1, 2, 3]);
    expect(l.state.plan.slice(0, 1)).toEqual(
      opened.type === 'LoanOpened' ? opened.installments.slice(0, 1) : [],
    );
    expect(l.state.restructuring).toMatchObject({
      status: 'active',
      missedInLatest: 0,
      records: [{ kind: 'negotiated-plan', daysPastDueBefore: 14, bucketBefore: 'M1', forgivenMinor: 1050 }],
    });
  });

  it('takes a down payment first, capitalises the penalty and lowers the rate', () => {
    const l = pastDue();
    l.restructure('2026-03-01', {
      kind: 'negotiated-plan',
      months: 3,
      penalty: 'capitalise',
      rateValue: '0.0003',
      downPaymentMinor: 20000,
      monthlyIncomeMinor: 500000,
    });
    l.closeThrough('2026-04-01');
    expect(rowsFrom(l, '2026-03-01')).toEqual([
      ['2026-03-01', 'Accrued', 300000, 1400, 100000, 4650, 1050, 14, 'M1'],
      // 20000 pays the penalty 1050, the interest 4650 and 14300 of principal: 285700 re-planned.
      ['2026-03-01', 'LoanRestructured', 285700, 1400, 0, 0, 0, 0, 'M1'],
      ['2026-03-01', 'DelinquencyChanged', 285700, 1400, 0, 0, 0, 0, 'M0'],
      // 30 days on 285700 at 0.03% = 2571.3 (+1400 carried).
      ['2026-03-31', 'Accrued', 285700, 3971, 0, 0, 0, 0, 'M0'],
      ['2026-04-01', 'Accrued', 285700, 4057, 0, 0, 0, 0, 'M0'],
      ['2026-04-01', 'InstallmentDue#4', 285700, 0, 0, 0, 0, 0, 'M0'],
    ]);
    const e = restructured(l);
    expect(e.downPayment?.allocation).toEqual({
      penaltyMinor: 1050,
      feeMinor: 0,
      interestMinor: 4650,
      principalMinor: 14300,
    });
    expect(e.product.rate).toEqual({ value: '0.0003', per: 'day' });
    expect(e.installments.map((i) => i.principalMinor)).toEqual([95233, 95233, 95234]);
  });

  it('breaks after the policy number of missed instalments and goes on the normal delinquency path', () => {
    const l = pastDue();
    l.restructure('2026-03-01', { kind: 'negotiated-plan', months: 6, monthlyIncomeMinor: 500000 });
    l.closeThrough('2026-05-02');
    expect(rowsFrom(l, '2026-04-01')).toEqual([
      ['2026-04-01', 'Accrued', 304650, 6122, 0, 0, 0, 0, 'M0'],
      ['2026-04-01', 'InstallmentDue#4', 304650, 0, 0, 0, 0, 0, 'M0'],
      ['2026-04-02', 'InstallmentOverdue#4', 304650, 127, 50775, 6122, 38, 1, 'M0'],
      ['2026-04-02', 'DelinquencyChanged', 304650, 127, 50775, 6122, 38, 1, 'M1'],
      ['2026-04-30', 'Accrued', 304650, 3681, 50775, 6122, 1104, 29, 'M1'],
      ['2026-05-01', 'Accrued', 304650, 3808, 50775, 6122, 1142, 30, 'M1'],
      ['2026-05-01', 'InstallmentDue#5', 304650, 0, 50775, 6122, 1142, 30, 'M1'],
      ['2026-05-02', 'InstallmentOverdue#5', 304650, 102, 101550, 9930, 1219, 31, 'M1'],
      ['2026-05-02', 'RestructuringBroken', 304650, 102, 101550, 9930, 1219, 31, 'M1'],
      ['2026-05-02', 'DelinquencyChanged', 304650, 102, 101550, 9930, 1219, 31, 'M2'],
    ]);
    expect(l.state.restructuring).toMatchObject({
      status: 'broken',
      brokenDay: d('2026-05-02'),
      missedDueDays: [d('2026-04-01'), d('2026-05-01')],
    });
  });

  it('with a policy of three misses, two do not break it', () => {
    const l = pastDue();
    l.restructure(
      '2026-03-01',
      { kind: 'negotiated-plan', months: 6, monthlyIncomeMinor: 500000 },
      { ...DEFAULT_RESTRUCTURING_POLICY, missedInstallmentsToBreak: 3 },
    );
    l.closeThrough('2026-05-02');
    expect(l.state.restructuring?.status).toBe('active');
    expect(l.state.restructuring?.missedInLatest).toBe(2);
  });
});

describe('展期 term extension, payment holiday, rate reduction', () => {
  it('term extension: the 2 instalments left spread over 4, the current period running on', () => {
    const l = current();
    l.restructure('2026-03-01', { kind: 'term-extension', extensionMonths: 2 });
    l.closeThrough('2026-03-14');
    l.repay(52800, '2026-03-15');
    l.closeThrough('2026-03-20');
    expect(rowsFrom(l, '2026-03-01')).toEqual([
      ['2026-03-01', 'Accrued', 200000, 1400, 0, 0, 0, 0, 'M0'],
      ['2026-03-01', 'LoanRestructured', 200000, 1400, 0, 0, 0, 0, 'M0'],
      ['2026-03-15', 'Accrued', 200000, 2800, 0, 0, 0, 0, 'M0'],
      // 50000 principal (200000 over 4) + the period's 28 days × 100 = 2800.
      ['2026-03-15', 'InstallmentDue#4', 200000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-03-15', 'Repaid', 150000, 0, 0, 0, 0, 0, 'M0'],
    ]);
    const e = restructured(l);
    expect(e.installments.map((i) => [i.number, formatDate(i.dueDay), i.principalMinor])).toEqual([
      [4, '2026-03-15', 50000],
      [5, '2026-04-15', 50000],
      [6, '2026-05-15', 50000],
      [7, '2026-06-15', 50000],
    ]);
    expect([e.monthsExtended, e.forgivenMinor, e.specialTransactionCode]).toEqual([2, 0, '1']);
  });

  it('payment holiday with interest accruing: 2 months without instalments, interest billed after it', () => {
    const l = current();
    l.restructure('2026-03-01', { kind: 'payment-holiday', holidayMonths: 2, holidayInterest: 'accrue' });
    l.closeThrough('2026-05-14');
    l.repay(108900, '2026-05-15');
    l.closeThrough('2026-05-16');
    expect(rowsFrom(l, '2026-03-01')).toEqual([
      ['2026-03-01', 'Accrued', 200000, 1400, 0, 0, 0, 0, 'M0'],
      ['2026-03-01', 'LoanRestructured', 200000, 1400, 0, 0, 0, 0, 'M0'],
      ['2026-03-31', 'Accrued', 200000, 4400, 0, 0, 0, 0, 'M0'],
      ['2026-04-30', 'Accrued', 200000, 7400, 0, 0, 0, 0, 'M0'],
      // 02-15 → 05-15: 89 days × 100 = 8900, with the instalment's 100000 principal.
      ['2026-05-15', 'Accrued', 200000, 8900, 0, 0, 0, 0, 'M0'],
      ['2026-05-15', 'InstallmentDue#4', 200000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-05-15', 'Repaid', 100000, 0, 0, 0, 0, 0, 'M0'],
    ]);
    expect(restructured(l).installments.map((i) => formatDate(i.dueDay))).toEqual([
      '2026-05-15',
      '2026-06-15',
    ]);
  });

  it('payment holiday without interest: nothing accrues from the day for 2 months', () => {
    const l = current();
    l.restructure('2026-03-01', { kind: 'payment-holiday', holidayMonths: 2, holidayInterest: 'waive' });
    l.closeThrough('2026-05-15');
    expect(rowsFrom(l, '2026-03-01')).toEqual([
      ['2026-03-01', 'Accrued', 200000, 1400, 0, 0, 0, 0, 'M0'],
      ['2026-03-01', 'LoanRestructured', 200000, 1400, 0, 0, 0, 0, 'M0'],
      // 1400 (02-15 → 03-01) + 1400 (05-01 → 05-15); nothing for 03-01 → 05-01.
      ['2026-05-15', 'Accrued', 200000, 2800, 0, 0, 0, 0, 'M0'],
      ['2026-05-15', 'InstallmentDue#4', 200000, 0, 0, 0, 0, 0, 'M0'],
    ]);
    expect(restructured(l).accrualFromDay).toBe(d('2026-05-01'));
  });

  it('rate reduction: 0.02%/day from the day, the instalments kept', () => {
    const l = current();
    l.restructure('2026-03-01', { kind: 'rate-reduction', rateValue: '0.0002' });
    l.closeThrough('2026-03-15');
    expect(rowsFrom(l, '2026-03-01')).toEqual([
      ['2026-03-01', 'Accrued', 200000, 1400, 0, 0, 0, 0, 'M0'],
      ['2026-03-01', 'LoanRestructured', 200000, 1400, 0, 0, 0, 0, 'M0'],
      // 1400 at the old rate + 14 days × 40 at the new.
      ['2026-03-15', 'Accrued', 200000, 1960, 0, 0, 0, 0, 'M0'],
      ['2026-03-15', 'InstallmentDue#4', 200000, 0, 0, 0, 0, 0, 'M0'],
    ]);
    expect(restructured(l).specialTransactionCode).toBe('11');
  });
});

describe('refused restructurings change nothing and say why', () => {
  const cases: [string, () => RestructuredLoan, RestructureRequest, string, string][] = [
    [
      'a negotiated plan on a loan not past due',
      current,
      { kind: 'negotiated-plan', months: 6, monthlyIncomeMinor: 500000 },
      'restructure_not_past_due',
      'kind',
    ],
    [
      'more than 60 months',
      pastDue,
      { kind: 'negotiated-plan', months: 61, monthlyIncomeMinor: 500000 },
      'restructure_months_invalid',
      'months',
    ],
    [
      'no income for a negotiated plan',
      pastDue,
      { kind: 'negotiated-plan', months: 6 },
      'restructure_field_missing',
      'monthlyIncomeMinor',
    ],
    [
      'an unaffordable plan',
      pastDue,
      { kind: 'negotiated-plan', months: 2, monthlyIncomeMinor: 100000 },
      'restructure_unaffordable',
      'monthlyIncomeMinor',
    ],
    [
      'a down payment that pays everything',
      pastDue,
      { kind: 'negotiated-plan', months: 6, monthlyIncomeMinor: 500000, downPaymentMinor: 400000 },
      'down_payment_settles_loan',
      'downPaymentMinor',
    ],
    [
      'a rate not lower',
      current,
      { kind: 'rate-reduction', rateValue: '0.0005' },
      'restructure_rate_not_lower',
      'rateValue',
    ],
    [
      'an extension of 0 months',
      current,
      { kind: 'term-extension', extensionMonths: 0 },
      'restructure_months_invalid',
      'extensionMonths',
    ],
  ];
  for (const [what, make, request, code, field] of cases) {
    it(what, () => {
      const l = make();
      const before = l.state;
      let error: unknown;
      try {
        l.restructure('2026-03-01', request);
      } catch (e) {
        error = e;
      }
      expect(isLedgerInputError(error)).toBe(true);
      expect(error).toMatchObject({ code, field });
      expect(l.state).toBe(before);
    });
  }

  it('refuses while a settlement offer is in force, and takes the restructuring once the offer has lapsed', () => {
    const l = pastDue();
    const offered = offerSettlement(l.state, {
      offerMinor: 200000,
      validThroughDay: d('2026-03-03'),
      day: d('2026-03-01'),
      clientId: 'offer-1',
    });
    l.state = offered.state;
    l.log.push(...offered.events);
    const before = l.state;
    const request = { kind: 'negotiated-plan', months: 6, monthlyIncomeMinor: 500000 } as const;
    expect(() => l.restructure('2026-03-01', request)).toThrow(
      /settlement offer in force through 2026-03-03.*wait until it is paid or lapses/,
    );
    expect(l.state).toBe(before);
    // Unpaid, the offer lapses at the close of its last day; the plan is then taken.
    l.closeThrough('2026-03-03');
    l.restructure('2026-03-04', request);
    expect(l.state.restructuring).not.toBeNull();
  });

  it('the affordability refusal gives the figures', () => {
    expect(() =>
      pastDue().restructure('2026-03-01', { kind: 'negotiated-plan', months: 2, monthlyIncomeMinor: 100000 }),
    ).toThrow(
      /largest instalment of the new plan, 15\d\d\.\d\d, is 15\d\.\d% of the monthly income 1000\.00, above the cap of 50\.0%/,
    );
  });
});
