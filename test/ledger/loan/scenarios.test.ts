import { describe, expect, it } from 'vitest';
import { buildSchedule, DEFAULT_PRODUCT, isLedgerInputError } from '../../../src/ledger/index.js';
import {
  daysPastDue,
  effectiveEvents,
  installmentPaymentMinor,
  type LoanSnapshot,
  loanAsOf,
  loanPosition,
  payoffQuote,
  refundCredit,
  replay,
  waivePrincipal,
} from '../../../src/ledger/loan/index.js';
import { formatDate } from '../../../src/money/index.js';
import { d, Loan, product, rows } from './driver.js';

/*
 * Scenario tables: one row per event, with the balances after it:
 *   [day, event, outstanding principal, accrued interest not yet billed, overdue principal, overdue interest,
 *    penalty outstanding, days past due, bucket]
 *
 * The loan, unless a row says otherwise: 3,000.00 yuan (300000 fen) drawn 2026-01-15, 3 monthly 等额本金
 * instalments of 100000 fen principal, 0.05%/day (ACT/365F), penalty +50% on overdue principal, grace 0.
 * Hand-derived figures used below:
 *   daily interest on 300000 = 150 fen; on 200000 = 100; on 100000 = 50.
 *   instalment 1 (01-15 → 02-15, 31 days): 31 × 150 = 4650; 2 (02-15 → 03-15, 28 days): 28 × 100 = 2800;
 *   3 (03-15 → 04-15, 31 days): 31 × 50 = 1550. Month-end accruals: 01-31 16 × 150 = 2400; 02-28 13 × 100 =
 *   1300; 03-31 16 × 50 = 800 (each then topped up to the period's total on the due date).
 *   penalty rate 0.0005 × 1.5 = 0.00075/day: 75 fen a day on 100000 of overdue principal.
 */

describe('paid on time', () => {
  it('bills the interest accrued, is paid, and settles with nothing left', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-02-14');
    l.repay(104650, '2026-02-15');
    l.closeThrough('2026-03-14');
    l.repay(102800, '2026-03-15');
    l.closeThrough('2026-04-14');
    l.repay(101550, '2026-04-15');
    l.closeThrough('2026-04-30');
    expect(rows(l.log)).toEqual([
      ['2026-01-15', 'LoanOpened', 300000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-01-31', 'Accrued', 300000, 2400, 0, 0, 0, 0, 'M0'],
      ['2026-02-15', 'Accrued', 300000, 4650, 0, 0, 0, 0, 'M0'],
      ['2026-02-15', 'InstallmentDue#1', 300000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-02-15', 'Repaid', 200000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-02-28', 'Accrued', 200000, 1300, 0, 0, 0, 0, 'M0'],
      ['2026-03-15', 'Accrued', 200000, 2800, 0, 0, 0, 0, 'M0'],
      ['2026-03-15', 'InstallmentDue#2', 200000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-03-15', 'Repaid', 100000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-03-31', 'Accrued', 100000, 800, 0, 0, 0, 0, 'M0'],
      ['2026-04-15', 'Accrued', 100000, 1550, 0, 0, 0, 0, 'M0'],
      ['2026-04-15', 'InstallmentDue#3', 100000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-04-15', 'Repaid', 0, 0, 0, 0, 0, 0, 'M0'],
      ['2026-04-15', 'LoanSettled', 0, 0, 0, 0, 0, 0, 'M0'],
    ]);
    expect(l.state.status).toBe('settled');
    expect(l.state.interestPaidTotalMinor).toBe(4650 + 2800 + 1550);
  });
});

describe('one payment late by 10 days', () => {
  it('goes overdue the day after the due date, bears penalty for 10 days and cures when paid', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-02-24');
    // 104650 due + 10 days × 75 penalty = 105400.
    l.repay(105400, '2026-02-25');
    l.closeThrough('2026-02-28');
    expect(rows(l.log)).toEqual([
      ['2026-01-15', 'LoanOpened', 300000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-01-31', 'Accrued', 300000, 2400, 0, 0, 0, 0, 'M0'],
      ['2026-02-15', 'Accrued', 300000, 4650, 0, 0, 0, 0, 'M0'],
      ['2026-02-15', 'InstallmentDue#1', 300000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-02-16', 'InstallmentOverdue#1', 300000, 100, 100000, 4650, 75, 1, 'M0'],
      ['2026-02-16', 'DelinquencyChanged', 300000, 100, 100000, 4650, 75, 1, 'M1'],
      ['2026-02-25', 'Accrued', 300000, 1000, 100000, 4650, 750, 10, 'M1'],
      ['2026-02-25', 'Repaid', 200000, 1000, 0, 0, 0, 0, 'M1'],
      ['2026-02-25', 'DelinquencyChanged', 200000, 1000, 0, 0, 0, 0, 'M0'],
      ['2026-02-28', 'Accrued', 200000, 1300, 0, 0, 0, 0, 'M0'],
    ]);
    const spells = l.state.bucketHistory.map((s) => [
      s.bucket,
      formatDate(s.enteredDay),
      s.leftDay && formatDate(s.leftDay),
    ]);
    expect(spells).toEqual([
      ['M0', '2026-01-15', '2026-02-16'],
      ['M1', '2026-02-16', '2026-02-25'],
      ['M0', '2026-02-25', null],
    ]);
  });
});

describe('never paid for 200 days', () => {
  it('walks through M1…M7 on the days DPD crosses each bound, penalty on all overdue principal', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-09-03');
    expect(rows(l.log)).toEqual([
      ['2026-01-15', 'LoanOpened', 300000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-01-31', 'Accrued', 300000, 2400, 0, 0, 0, 0, 'M0'],
      ['2026-02-15', 'Accrued', 300000, 4650, 0, 0, 0, 0, 'M0'],
      ['2026-02-15', 'InstallmentDue#1', 300000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-02-16', 'InstallmentOverdue#1', 300000, 100, 100000, 4650, 75, 1, 'M0'],
      ['2026-02-16', 'DelinquencyChanged', 300000, 100, 100000, 4650, 75, 1, 'M1'],
      ['2026-02-28', 'Accrued', 300000, 1300, 100000, 4650, 975, 13, 'M1'],
      ['2026-03-15', 'Accrued', 300000, 2800, 100000, 4650, 2100, 28, 'M1'],
      ['2026-03-15', 'InstallmentDue#2', 300000, 0, 100000, 4650, 2100, 28, 'M1'],
      // 28 × 75 + 1 × 75 on instalment 2.
      ['2026-03-16', 'InstallmentOverdue#2', 300000, 50, 200000, 7450, 2250, 29, 'M1'],
      ['2026-03-18', 'DelinquencyChanged', 300000, 150, 200000, 7450, 2550, 31, 'M2'],
      ['2026-03-31', 'Accrued', 300000, 800, 200000, 7450, 4500, 44, 'M2'],
      ['2026-04-15', 'Accrued', 300000, 1550, 200000, 7450, 6750, 59, 'M2'],
      ['2026-04-15', 'InstallmentDue#3', 300000, 0, 200000, 7450, 6750, 59, 'M2'],
      ['2026-04-16', 'InstallmentOverdue#3', 300000, 0, 300000, 9000, 6975, 60, 'M2'],
      ['2026-04-17', 'DelinquencyChanged', 300000, 0, 300000, 9000, 7200, 61, 'M3'],
      ['2026-04-30', 'Accrued', 300000, 0, 300000, 9000, 10125, 74, 'M3'],
      ['2026-05-17', 'DelinquencyChanged', 300000, 0, 300000, 9000, 13950, 91, 'M4'],
      ['2026-05-31', 'Accrued', 300000, 0, 300000, 9000, 17100, 105, 'M4'],
      ['2026-06-16', 'DelinquencyChanged', 300000, 0, 300000, 9000, 20700, 121, 'M5'],
      ['2026-06-30', 'Accrued', 300000, 0, 300000, 9000, 23850, 135, 'M5'],
      ['2026-07-16', 'DelinquencyChanged', 300000, 0, 300000, 9000, 27450, 151, 'M6'],
      ['2026-07-31', 'Accrued', 300000, 0, 300000, 9000, 30825, 166, 'M6'],
      ['2026-08-15', 'DelinquencyChanged', 300000, 0, 300000, 9000, 34200, 181, 'M7'],
      ['2026-08-31', 'Accrued', 300000, 0, 300000, 9000, 37800, 197, 'M7'],
    ]);
    // Day 200 after the first due date: 75 × (200 + 172 + 141) = 38475.
    const p = loanPosition(l.state);
    expect([formatDate(p.asOfDay), p.daysPastDue, p.bucket, p.penaltyAccruedTotalMinor]).toEqual([
      '2026-09-03',
      200,
      'M7',
      38475,
    ]);
    expect(p.totalOwedMinor).toBe(300000 + 9000 + 38475);
    const entered = l.state.bucketHistory.map((s) => `${s.bucket}:${formatDate(s.enteredDay)}`);
    expect(entered).toEqual([
      'M0:2026-01-15',
      'M1:2026-02-16',
      'M2:2026-03-18',
      'M3:2026-04-17',
      'M4:2026-05-17',
      'M5:2026-06-16',
      'M6:2026-07-16',
      'M7:2026-08-15',
    ]);
    // No daily accrual events: 200 days of arrears made 25 events in all.
    expect(l.log.length).toBe(25);
  });
});

describe('partial payment', () => {
  it('pays interest before principal; the unpaid principal goes overdue and bears penalty', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-02-14');
    l.repay(50000, '2026-02-15');
    l.closeThrough('2026-03-01');
    const repaid = l.log.find((e) => e.type === 'Repaid');
    expect(repaid?.type === 'Repaid' && repaid.allocation).toEqual({
      penaltyMinor: 0,
      feeMinor: 0,
      interestMinor: 4650,
      principalMinor: 45350,
    });
    // 54650 overdue × 0.00075 = 40.9875 a day: 41 after one day, 533 after 13 (532.84 rounded half-up).
    expect(rows(l.log).slice(4)).toEqual([
      ['2026-02-15', 'Repaid', 254650, 0, 0, 0, 0, 0, 'M0'],
      ['2026-02-16', 'InstallmentOverdue#1', 254650, 100, 54650, 0, 41, 1, 'M0'],
      ['2026-02-16', 'DelinquencyChanged', 254650, 100, 54650, 0, 41, 1, 'M1'],
      ['2026-02-28', 'Accrued', 254650, 1300, 54650, 0, 533, 13, 'M1'],
    ]);
  });
});

describe('early partial repayment', () => {
  // 6 × 100000 等额本金 on 600000. Instalment 1 paid on time (100000 + 31 × 300 = 109300). On 03-01, inside
  // instalment 2's period, 250000 (主动还款): instalment 2 is billed that day and paid first — principal
  // 100000 and, by default (to-due-date), its interest to its due date 03-15: 28 × 250 = 7000 — and only
  // the 143000 left is early repayment: 257000 of principal left. Interest then runs from 03-15 on 257000:
  // 03-31 16 × 128.5 = 2056.
  const run = (effect: 'reduce-installment' | 'shorten-term') => {
    const l = new Loan(product({ termCount: 6, earlyRepayment: effect }), 600000, '2026-01-15');
    l.closeThrough('2026-02-14');
    l.repay(109300, '2026-02-15');
    l.closeThrough('2026-02-28');
    l.repay(250000, '2026-03-01');
    l.closeThrough('2026-03-31');
    return l;
  };
  const common = [
    ['2026-02-28', 'Accrued', 500000, 3250, 0, 0, 0, 0, 'M0'],
    ['2026-03-01', 'Accrued', 500000, 7000, 0, 0, 0, 0, 'M0'],
    ['2026-03-01', 'InstallmentDue#2', 500000, 0, 0, 0, 0, 0, 'M0'],
    ['2026-03-01', 'Repaid', 257000, 0, 0, 0, 0, 0, 'M0'],
    ['2026-03-31', 'Accrued', 257000, 2056, 0, 0, 0, 0, 'M0'],
  ];

  it('reduce-installment keeps the 4 instalments after it, each smaller: 257000 / 4 = 64250', () => {
    const l = run('reduce-installment');
    expect(rows(l.log).slice(5)).toEqual(common);
    expect(l.state.plan.slice(2).map((i) => i.principalMinor)).toEqual([64250, 64250, 64250, 64250]);
    const due2 = l.log.find((e) => e.type === 'InstallmentDue' && e.installmentNumber === 2);
    expect(due2?.type === 'InstallmentDue' && [due2.principalMinor, due2.interestMinor]).toEqual([
      100000, 7000,
    ]);
    expect(due2?.type === 'InstallmentDue' && due2.billedEarly).toEqual({
      dueDay: d('2026-03-15'),
      interestThroughDay: d('2026-03-15'),
    });
  });

  it('shorten-term keeps the principal per instalment at most 100000: 3 instalments of 85667', () => {
    const l = run('shorten-term');
    expect(rows(l.log).slice(5)).toEqual(common);
    expect(l.state.plan.slice(2).map((i) => [i.number, formatDate(i.dueDay), i.principalMinor])).toEqual([
      [3, '2026-04-15', 85667],
      [4, '2026-05-15', 85667],
      [5, '2026-06-15', 85666],
    ]);
  });

  it('to-payment-date charges the instalment paid early interest to the payment day only', () => {
    // The same loan paying 150000 on 03-01: instalment 2 billed with 14 × 250 = 3500 (02-15 → 03-01), so
    // 103500 pays it and 46500 is early repayment: 353500 left, 4 × 88375. The next period's interest runs
    // from 03-01: on 03-31 30 × 176.75 = 5302.5 → 5303; instalment 3 bills 45 days: 7953.75 → 7954.
    const l = new Loan(
      product({ termCount: 6, earlyInstallmentInterest: 'to-payment-date' }),
      600000,
      '2026-01-15',
    );
    l.closeThrough('2026-02-14');
    l.repay(109300, '2026-02-15');
    l.closeThrough('2026-02-28');
    l.repay(150000, '2026-03-01');
    l.closeThrough('2026-04-15');
    expect(rows(l.log).slice(5)).toEqual([
      ['2026-02-28', 'Accrued', 500000, 3250, 0, 0, 0, 0, 'M0'],
      ['2026-03-01', 'Accrued', 500000, 3500, 0, 0, 0, 0, 'M0'],
      ['2026-03-01', 'InstallmentDue#2', 500000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-03-01', 'Repaid', 353500, 0, 0, 0, 0, 0, 'M0'],
      ['2026-03-31', 'Accrued', 353500, 5303, 0, 0, 0, 0, 'M0'],
      ['2026-04-15', 'Accrued', 353500, 7954, 0, 0, 0, 0, 'M0'],
      ['2026-04-15', 'InstallmentDue#3', 353500, 0, 0, 0, 0, 0, 'M0'],
    ]);
    expect(l.state.plan.slice(2).map((i) => i.principalMinor)).toEqual([88375, 88375, 88375, 88375]);
  });
});

describe('等本等息 (flat-rate): interest on the principal borrowed', () => {
  // 3 × 100000 on 300000 at 0.05%/day: every period's interest is on the 300000 borrowed, 150 a day —
  // 31 × 150 = 4650, 28 × 150 = 4200, 31 × 150 = 4650 — however much has been repaid.
  const flat = () => new Loan(product({ method: 'flat-rate' }), 300000, '2026-01-15');
  const billedInterest = (l: Loan) =>
    l.log.flatMap((e) => (e.type === 'InstallmentDue' ? [e.interestMinor] : []));

  it('paid on time: bills the flat interest each period and settles', () => {
    const l = flat();
    expect(l.state.plan.map((i) => [i.principalMinor, i.interestMinor])).toEqual([
      [100000, 4650],
      [100000, 4200],
      [100000, 4650],
    ]);
    for (const item of l.state.plan) {
      l.closeThrough(formatDate(item.dueDay - 1));
      l.repay(item.totalMinor, formatDate(item.dueDay));
    }
    expect(billedInterest(l)).toEqual([4650, 4200, 4650]);
    expect(l.state.status).toBe('settled');
  });

  it('an early payoff owes the flat interest for the days of the period elapsed, nothing for later periods', () => {
    // Instalment 1 paid on 02-15; payoff on 03-01: 200000 + 14 days × 150 (on the 300000 borrowed) = 202100.
    const l = flat();
    l.closeThrough('2026-02-14');
    l.repay(104650, '2026-02-15');
    l.closeThrough('2026-02-28');
    const quote = payoffQuote(l.state, d('2026-03-01'));
    expect(quote).toMatchObject({ principalMinor: 200000, interestMinor: 2100, totalMinor: 202100 });
    l.repay(quote.totalMinor, '2026-03-01');
    expect(l.state.status).toBe('settled');
    expect(l.state.interestPaidTotalMinor).toBe(4650 + 2100);
  });

  it('an early repayment re-makes the flat plan over the principal left, with interest on it', () => {
    // On 02-15, instalment 1 (104650) and 100000 more: 100000 left over instalments 2 and 3, 50000 each,
    // and the flat interest is now on 100000: 28 × 50 = 1400, then 31 × 50 = 1550.
    const l = flat();
    l.closeThrough('2026-02-14');
    l.repay(204650, '2026-02-15');
    expect(l.state.plan.slice(1).map((i) => [i.principalMinor, i.interestMinor])).toEqual([
      [50000, 1400],
      [50000, 1550],
    ]);
    l.closeThrough('2026-04-15');
    expect(billedInterest(l)).toEqual([4650, 1400, 1550]);
  });
});

describe('paying the instalment before its due date (主动还款)', () => {
  // The reported case: 10,000 yuan, 12 monthly 等额本息 instalments at 0.05%/day, drawn 2026-12-01, so the
  // first instalment (12-01 → 01-01, 31 days: interest 15500) is billed 917.90. Paid in full the day before
  // its due date, it is settled: five days after the due date the loan is current, not 5 days past due (M1).
  const reported = () => new Loan({ ...DEFAULT_PRODUCT }, 1_000_000, '2026-12-01');

  it('the billed first instalment of 917.90 paid on 12-31 leaves the loan current on 01-06', () => {
    const l = reported();
    expect(l.state.plan[0]!.totalMinor).toBe(91_790);
    expect(installmentPaymentMinor(l.state, d('2026-12-31'))).toBe(91_790);
    l.repay(91_790, '2026-12-31');
    l.closeThrough('2027-01-06');
    expect(l.state.dues).toEqual([]);
    expect(daysPastDue(l.state, d('2027-01-06'))).toBe(0);
    expect(l.state.bucket).toBe('M0');
    // Nothing was repaid early: the plan after it is the contract's.
    expect(l.state.plan.slice(1)).toEqual(
      buildSchedule(DEFAULT_PRODUCT, 1_000_000, d('2026-12-01')).installments.slice(1),
    );
    expect(l.state.creditMinor).toBe(0);
  });

  it('answering the T−3 reminder the same: paid 12-29, current after the due date', () => {
    const l = reported();
    expect(installmentPaymentMinor(l.state, d('2026-12-29'))).toBe(91_790);
    l.repay(91_790, '2026-12-29');
    l.closeThrough('2027-01-31');
    expect(l.state.bucket).toBe('M0');
    expect(l.state.dues).toEqual([]);
  });

  it('paying less than the instalment early leaves the rest due on the due date, overdue after it', () => {
    // 500.00 pays the 155.00 of interest first, then 345.00 of the 762.90 principal: 417.90 stays due.
    const l = reported();
    l.repay(50_000, '2026-12-29');
    l.closeThrough('2027-01-01');
    expect(
      l.state.dues.map((x) => [x.installmentNumber, formatDate(x.dueDay), x.principalMinor, x.overdue]),
    ).toEqual([[1, '2027-01-01', 41_790, false]]);
    expect(loanPosition(l.state).outstandingPrincipalMinor).toBe(1_000_000 - 34_500);
    l.closeThrough('2027-01-02');
    expect(daysPastDue(l.state, d('2027-01-02'))).toBe(1);
  });
});

describe('early full payoff mid-period', () => {
  it('charges interest only for the days held (民法典 Art. 677): 17 days × 150 = 2550', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    const quote = payoffQuote(l.state, d('2026-02-01'));
    expect(quote).toMatchObject({
      principalMinor: 300000,
      interestMinor: 2550,
      penaltyMinor: 0,
      totalMinor: 302550,
    });
    l.repay(quote.totalMinor, '2026-02-01');
    expect(rows(l.log)).toEqual([
      ['2026-01-15', 'LoanOpened', 300000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-01-31', 'Accrued', 300000, 2400, 0, 0, 0, 0, 'M0'],
      ['2026-02-01', 'Accrued', 300000, 2550, 0, 0, 0, 0, 'M0'],
      ['2026-02-01', 'Repaid', 0, 0, 0, 0, 0, 0, 'M0'],
      ['2026-02-01', 'LoanSettled', 0, 0, 0, 0, 0, 0, 'M0'],
    ]);
    expect(l.state.plan.length).toBe(0);
  });

  it('a payoff quote on an overdue loan includes overdue amounts and penalty', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-02-24');
    // 300000 principal + 4650 billed + 10 × 100 accrued + 750 penalty.
    expect(payoffQuote(l.state, d('2026-02-25')).totalMinor).toBe(300000 + 4650 + 1000 + 750);
  });
});

describe('early payoff before the first due date with an upfront fee', () => {
  // 先息后本 300000 fen over 3 months with a 1% upfront fee (3000 fen, carried to the first due date on
  // 2026-02-15). Paid off on 2026-02-01: 17 days × 150 = 2550 interest, and the fee, billed on the day.
  const feeProduct = () =>
    product({
      method: 'interest-first',
      fees: [{ name: 'service', kind: 'upfront', basis: 'principal-rate', value: '0.01' }],
    });

  it('quotes and bills the upfront fee, so the payoff settles with no credit left', () => {
    const l = new Loan(feeProduct(), 300000, '2026-01-15');
    const quote = payoffQuote(l.state, d('2026-02-01'));
    expect(quote).toMatchObject({
      principalMinor: 300000,
      interestMinor: 2550,
      feeMinor: 3000,
      totalMinor: 305550,
    });
    l.repay(quote.totalMinor, '2026-02-01');
    expect(rows(l.log)).toEqual([
      ['2026-01-15', 'LoanOpened', 300000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-01-31', 'Accrued', 300000, 2400, 0, 0, 0, 0, 'M0'],
      ['2026-02-01', 'Accrued', 300000, 2550, 0, 0, 0, 0, 'M0'],
      ['2026-02-01', 'UpfrontFeeBilled#1', 300000, 2550, 0, 0, 0, 0, 'M0'],
      ['2026-02-01', 'Repaid', 0, 0, 0, 0, 0, 0, 'M0'],
      ['2026-02-01', 'LoanSettled', 0, 0, 0, 0, 0, 0, 'M0'],
    ]);
    expect(l.state).toMatchObject({
      status: 'settled',
      creditMinor: 0,
      pendingUpfrontFeeMinor: 0,
      feeChargedTotalMinor: 3000,
      feePaidTotalMinor: 3000,
    });
  });

  it('a payment of principal and interest only pays the fee first and leaves 3000 of principal', () => {
    const l = new Loan(feeProduct(), 300000, '2026-01-15');
    l.repay(302550, '2026-02-01');
    expect(l.state.status).toBe('active');
    expect(loanPosition(l.state)).toMatchObject({ outstandingPrincipalMinor: 3000, creditMinor: 0 });
    expect(l.state.feePaidTotalMinor).toBe(3000);
  });

  it('a partial payment before the first due date pays instalment 1 with the fee, the rest early', () => {
    // Instalment 1 (interest-first) billed on 02-01: its interest to 02-15, 31 × 150 = 4650, and the fee
    // 3000; the other 94900 of 102550 repays principal early.
    const l = new Loan(feeProduct(), 300000, '2026-01-15');
    l.repay(102550, '2026-02-01');
    expect(l.state.pendingUpfrontFeeMinor).toBe(0);
    const due = l.log.find((e) => e.type === 'InstallmentDue');
    expect(due?.type === 'InstallmentDue' && [due.feeMinor, due.interestMinor]).toEqual([3000, 4650]);
    expect(loanPosition(l.state)).toMatchObject({ outstandingPrincipalMinor: 205100, creditMinor: 0 });
  });

  it('forgiving all the principal bills the fee, which is then owed like any due', () => {
    const l = new Loan(feeProduct(), 300000, '2026-01-15');
    const r = waivePrincipal(l.state, { amountMinor: 300000, day: d('2026-02-01'), clientId: 'wp-1' });
    // The month end of 01-31 is closed first.
    expect(r.events.map((e) => e.type)).toEqual(['Accrued', 'UpfrontFeeBilled', 'PrincipalWaived']);
    expect(r.state.status).toBe('active');
    expect(loanPosition(r.state)).toMatchObject({ dueFeeMinor: 3000, outstandingPrincipalMinor: 0 });
  });
});

describe('overpayment', () => {
  it('pays everything owed and keeps the excess as a refundable credit balance', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-02-14');
    l.repay(400000, '2026-02-15');
    const repaid = l.log.find((e) => e.type === 'Repaid');
    // 104650 due, then 200000 not-due principal (no interest accrued yet today), 95350 left over.
    expect(repaid?.type === 'Repaid' && repaid.creditMinor).toBe(95350);
    expect(l.state.status).toBe('settled');
    expect(loanPosition(l.state)).toMatchObject({ creditMinor: 95350, totalOwedMinor: 0 });
    const refunded = refundCredit(l.state, {
      amountMinor: 95350,
      day: d('2026-02-16'),
      clientId: 'refund-1',
    });
    expect(refunded.state.creditMinor).toBe(0);
  });

  it('kept as credit (excess: credit), it pays the next instalment when it falls due', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-02-14');
    l.repay(209300, '2026-02-15', { excess: 'credit' });
    l.closeThrough('2026-03-15');
    expect(rows(l.log).slice(4)).toEqual([
      ['2026-02-15', 'Repaid', 200000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-02-28', 'Accrued', 200000, 1300, 0, 0, 0, 0, 'M0'],
      ['2026-03-15', 'Accrued', 200000, 2800, 0, 0, 0, 0, 'M0'],
      ['2026-03-15', 'InstallmentDue#2', 200000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-03-15', 'CreditApplied', 100000, 0, 0, 0, 0, 0, 'M0'],
    ]);
    // 104650 of credit less instalment 2's 102800.
    expect(l.state.creditMinor).toBe(1850);
  });
});

describe('waiver', () => {
  it('forgives part of the penalty; more than is owed is refused with a code', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-02-24');
    let error: unknown;
    try {
      l.waive('penalty', 751, '2026-02-25');
    } catch (e) {
      error = e;
    }
    expect(isLedgerInputError(error) && error.code).toBe('waiver_exceeds_owed');
    l.waive('penalty', 500, '2026-02-25');
    l.repay(104900, '2026-02-25');
    expect(rows(l.log).slice(6)).toEqual([
      ['2026-02-25', 'Accrued', 300000, 1000, 100000, 4650, 750, 10, 'M1'],
      ['2026-02-25', 'Waived', 300000, 1000, 100000, 4650, 250, 10, 'M1'],
      ['2026-02-25', 'Repaid', 200000, 1000, 0, 0, 0, 0, 'M1'],
      ['2026-02-25', 'DelinquencyChanged', 200000, 1000, 0, 0, 0, 0, 'M0'],
    ]);
  });
});

describe('grace period (3 days)', () => {
  it('paid within grace: no penalty, never reported overdue', () => {
    const l = new Loan(product({ graceDays: 3 }), 300000, '2026-01-15');
    l.closeThrough('2026-02-17');
    l.repay(104650, '2026-02-18');
    l.closeThrough('2026-02-20');
    expect(rows(l.log).slice(3)).toEqual([
      ['2026-02-15', 'InstallmentDue#1', 300000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-02-18', 'Accrued', 300000, 300, 0, 0, 0, 0, 'M0'],
      ['2026-02-18', 'Repaid', 200000, 300, 0, 0, 0, 0, 'M0'],
    ]);
  });

  it('paid the day after grace: overdue since the due date, 4 DPD, 4 days of penalty', () => {
    const l = new Loan(product({ graceDays: 3 }), 300000, '2026-01-15');
    l.closeThrough('2026-02-18');
    l.repay(104650 + 4 * 75, '2026-02-19');
    expect(rows(l.log).slice(3)).toEqual([
      ['2026-02-15', 'InstallmentDue#1', 300000, 0, 0, 0, 0, 0, 'M0'],
      ['2026-02-19', 'InstallmentOverdue#1', 300000, 400, 100000, 4650, 300, 4, 'M0'],
      ['2026-02-19', 'DelinquencyChanged', 300000, 400, 100000, 4650, 300, 4, 'M1'],
      ['2026-02-19', 'Accrued', 300000, 400, 100000, 4650, 300, 4, 'M1'],
      ['2026-02-19', 'Repaid', 200000, 400, 0, 0, 0, 0, 'M1'],
      ['2026-02-19', 'DelinquencyChanged', 200000, 400, 0, 0, 0, 0, 'M0'],
    ]);
  });
});

describe('compounding', () => {
  // Base: overdue principal + interest = 104650; 0.00075 × 104650 = 78.4875 a day.
  // Through 02-28 (13 days): 1020.3375 → 1020 posted at month end.
  // Off, through 03-10 (23 days): 1805.2125 → 1805.
  // On, the posted 1020 joins the base from 03-01: 1020.3375 + 10 × 0.00075 × 105670 = 1812.8625 → 1813.
  for (const [compounding, expected] of [
    [false, 1805],
    [true, 1813],
  ] as const) {
    it(`compounding ${compounding ? 'on' : 'off'}: penalty through 03-10 is ${expected}`, () => {
      const l = new Loan(
        product({ penalty: { uplift: '0.5', base: 'overdue-principal-and-interest', compounding } }),
        300000,
        '2026-01-15',
      );
      l.closeThrough('2026-03-10');
      expect(rows(l.log).at(-1)).toEqual([
        '2026-02-28',
        'Accrued',
        300000,
        1300,
        100000,
        4650,
        1020,
        13,
        'M1',
      ]);
      expect(loanPosition(l.state).penaltyOutstandingMinor).toBe(expected);
    });
  }
});

describe('day counts', () => {
  // 18%/year. 30/360: each month 30 days: 300000 × 0.18 × 30/360 = 4500 a month on 300000, 3000 on 200000,
  // 1500 on 100000; 01-15 → 01-31 counts 16 days (2400). ACT/360: actual days ÷ 360, 0.0005/day: 4650, 2800, 1550.
  for (const [dayCount, interests] of [
    ['30/360', [4500, 3000, 1500]],
    ['ACT/360', [4650, 2800, 1550]],
  ] as const) {
    it(`${dayCount}: bills ${interests.join(', ')} and settles when paid as billed`, () => {
      const l = new Loan(product({ rate: { value: '0.18', per: 'year' }, dayCount }), 300000, '2026-01-15');
      const schedule = l.state.plan.map((i) => i.interestMinor);
      expect(schedule).toEqual(interests);
      for (const [k, due] of ['2026-02-15', '2026-03-15', '2026-04-15'].entries()) {
        l.closeThrough(formatDate(d(due) - 1));
        l.repay(100000 + interests[k]!, due);
      }
      const billed = l.log.flatMap((e) => (e.type === 'InstallmentDue' ? [e.interestMinor] : []));
      expect(billed).toEqual(interests);
      expect(l.state.status).toBe('settled');
    });
  }
});

describe('backdated repayment before two due dates', () => {
  it('replays from the snapshot before it; the result equals having paid on that day', () => {
    // Never paid until 04-20, then a payment dated 02-20 is found: 104650 + 5 days × 75 penalty.
    const late = new Loan(product(), 300000, '2026-01-15');
    late.closeThrough('2026-04-20');
    const snapshots: LoanSnapshot[] = [];
    for (const day of ['2026-01-31', '2026-02-28', '2026-03-31']) {
      snapshots.push({ state: loanAsOf(late.log, d(day)) });
    }
    const corrected = late.backdate(
      { type: 'repay', amountMinor: 105025, day: d('2026-02-20'), clientId: 'late-found' },
      snapshots,
    );

    const onTime = new Loan(product(), 300000, '2026-01-15');
    onTime.closeThrough('2026-02-19');
    onTime.repay(105025, '2026-02-20', {});
    onTime.closeThrough('2026-04-20');

    expect(loanPosition(corrected.state)).toEqual(loanPosition(onTime.state));
    // The stored log only grew: the old events are still there, marked superseded.
    const marker = late.log.find((e) => e.type === 'EventsSuperseded');
    expect(marker?.type === 'EventsSuperseded' && [marker.causeClientId, formatDate(marker.day)]).toEqual([
      'late-found',
      '2026-02-20',
    ]);
    const effective = effectiveEvents(late.log).filter((e) => e.type !== 'EventsSuperseded');
    expect(effective.map((e) => [e.type, formatDate(e.day)])).toEqual(
      onTime.log.map((e) => [e.type, formatDate(e.day)]),
    );
    const replayed = loanAsOf(late.log, d('2026-04-20'));
    expect(loanPosition(replayed)).toEqual(loanPosition(onTime.state));
    expect(replay(late.log).bucketHistory).toEqual(onTime.state.bucketHistory);
  });
});

describe('backdated repayment with a later repayment on record', () => {
  it('re-applies the later repayment after it, in order; stale snapshots are not used', () => {
    // Recorded: nothing until 03-20, when 110000 arrived (instalment 1 overdue 33 days, part of instalment 2).
    // Found later: 105025 paid on 02-20 (instalment 1 + 5 days of penalty).
    const recorded = new Loan(product(), 300000, '2026-01-15');
    recorded.closeThrough('2026-03-19');
    const [later] = recorded.repay(110000, '2026-03-20').filter((e) => e.type === 'Repaid');
    recorded.closeThrough('2026-04-20');
    const oldSnapshots: LoanSnapshot[] = ['2026-01-31', '2026-02-28', '2026-03-31'].map((day) => ({
      state: loanAsOf(recorded.log, d(day)),
    }));
    const r = recorded.backdate(
      { type: 'repay', amountMinor: 105025, day: d('2026-02-20'), clientId: 'found' },
      oldSnapshots,
    );

    const inOrder = new Loan(product(), 300000, '2026-01-15');
    inOrder.closeThrough('2026-02-19');
    inOrder.repay(105025, '2026-02-20');
    inOrder.closeThrough('2026-03-19');
    inOrder.repay(110000, '2026-03-20');
    inOrder.closeThrough('2026-04-20');

    expect(loanPosition(r.state)).toEqual(loanPosition(inOrder.state));
    // Only the snapshot before 02-20 survives; the new ones are from the replay.
    expect(r.snapshots.map((s) => formatDate(s.state.lastClosedDay))).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
    ]);
    expect(r.snapshots[1]).not.toBe(oldSnapshots[1]);
    // As-of with the old, now stale, snapshots still answers from the effective history.
    for (const day of ['2026-02-25', '2026-03-31', '2026-04-20']) {
      expect(loanPosition(loanAsOf(recorded.log, d(day), oldSnapshots))).toEqual(
        loanPosition(loanAsOf(inOrder.log, d(day))),
      );
    }
    // The re-applied command keeps its client id.
    const reapplied = recorded.log
      .filter((e) => e.type === 'Repaid')
      .map((e) => e.type === 'Repaid' && e.clientId);
    const laterId = later?.type === 'Repaid' ? later.clientId : '';
    expect(reapplied).toEqual([laterId, 'found', laterId]);
  });
});

describe('principal and interest waivers', () => {
  it('principal is forgiven only by waivePrincipal: due principal first, then not-due, re-amortised', () => {
    const l = new Loan(product(), 300000, '2026-01-15');
    l.closeThrough('2026-02-20');
    const r = waivePrincipal(l.state, { amountMinor: 150000, day: d('2026-02-21'), clientId: 'relief' });
    const event = r.events.find((e) => e.type === 'PrincipalWaived');
    // 100000 of instalment 1 (overdue), then 50000 of the 200000 not yet due: 150000 left over 2 instalments.
    expect(
      event?.type === 'PrincipalWaived' &&
        event.byInstallment.map((b) => [b.installmentNumber, b.principalMinor]),
    ).toEqual([
      [1, 100000],
      [0, 50000],
    ]);
    expect(r.state.plan.slice(1).map((i) => i.principalMinor)).toEqual([75000, 75000]);
    const p = loanPosition(r.state);
    // Instalment 1 still owes its interest (4650), so the loan stays past due.
    expect([
      p.outstandingPrincipalMinor,
      p.overduePrincipalMinor,
      p.overdueInterestMinor,
      p.daysPastDue,
    ]).toEqual([150000, 0, 4650, 6]);
    expect(r.state.principalWaivedTotalMinor).toBe(150000);
  });

  it('waiving the last unpaid interest of an instalment cures the loan', () => {
    const order = ['principal', 'interest', 'fee', 'penalty'] as const;
    const l = new Loan(product({ allocation: { order, across: 'oldest-due-first' } }), 300000, '2026-01-15');
    l.closeThrough('2026-02-15');
    // Principal first: the 100000 pays instalment 1's principal; its interest 4650 stays overdue.
    l.repay(100000, '2026-02-16');
    expect(loanPosition(l.state)).toMatchObject({
      overduePrincipalMinor: 0,
      overdueInterestMinor: 4650,
      daysPastDue: 1,
    });
    expect(() => l.waive('interest', 4651, '2026-02-17')).toThrow(/exceeds the 4650 fen owed/);
    const events = l.waive('interest', 4650, '2026-02-17');
    expect(events.map((e) => e.type)).toEqual(['Accrued', 'Waived', 'DelinquencyChanged']);
    // One day of penalty on the 100000 overdue on 02-16 remains owed; penalty alone does not keep DPD.
    expect(loanPosition(l.state)).toMatchObject({
      daysPastDue: 0,
      bucket: 'M0',
      penaltyOutstandingMinor: 75,
    });
  });
});
