import { describe, expect, it } from 'vitest';
import { DEFAULT_DELINQUENCY_SETTINGS } from '../../../src/ledger/delinquency.js';
import type { InstallmentAllocation, LoanEvent } from '../../../src/ledger/loan/index.js';
import {
  ACCOUNT_NAMES,
  ACCOUNTS,
  type AccountName,
  accountBalances,
  balancedPosting,
  credit,
  debit,
  type PostableEvent,
  type Posting,
  postingsForEvent,
  trialBalance,
} from '../../../src/ledger/postings/index.js';
import { DEFAULT_PRODUCT } from '../../../src/ledger/product.js';
import { InvariantError, parseDate } from '../../../src/money/index.js';

const D = parseDate('2026-01-15');
const zero = { penaltyMinor: 0, feeMinor: 0, interestMinor: 0, principalMinor: 0 };
const part = (installmentNumber: number, p: Partial<typeof zero>): InstallmentAllocation => ({
  installmentNumber,
  ...zero,
  ...p,
});

type Expected = Partial<Record<AccountName, number>>;
/** One row per event: the event, the instalments overdue before it, the balances after it (non-zero only). */
type Row = readonly [label: string, event: PostableEvent, overdue: readonly number[], after: Expected];

function opened(loanId: string, principalMinor: number): LoanEvent {
  return {
    type: 'LoanOpened',
    loanId,
    seq: 1,
    day: D,
    clientId: `${loanId}-open`,
    customerId: 'C-1',
    lineId: 'CL-1',
    product: DEFAULT_PRODUCT,
    delinquency: DEFAULT_DELINQUENCY_SETTINGS,
    principalMinor,
    upfrontFeeMinor: 0,
    installments: [],
  };
}

/** Runs the rows through postingsForEvent, checking the balances (signed on each account's normal side). */
function runScenario(rows: readonly Row[]): Posting[] {
  const postings: Posting[] = [];
  const bySeq = new Map<number, Posting[]>();
  for (const [label, event, overdue, expected] of rows) {
    const superseded =
      event.type === 'EventsSuperseded'
        ? [...bySeq.entries()].filter(([s]) => s >= event.fromSeq && s <= event.toSeq).flatMap(([, p]) => p)
        : [];
    const made = postingsForEvent(event, { overdueInstallments: new Set(overdue) }, superseded);
    bySeq.set(event.seq, made);
    postings.push(...made);
    const balances = accountBalances(postings);
    const actual: Expected = {};
    for (const name of ACCOUNT_NAMES)
      if (balances[name].balanceMinor !== 0) actual[name] = balances[name].balanceMinor;
    expect(actual, `after ${label}`).toEqual(expected);
    const tb = trialBalance(postings);
    expect(tb.totalDebitMinor, `trial balance after ${label}`).toBe(tb.totalCreditMinor);
  }
  return postings;
}

describe('postings: scenario tables', () => {
  it('loan 1: drawdown, accrual, billing with fee, partial, overdue, penalty, waiver, payoff with overpayment, refund', () => {
    const L = 'L-1';
    // Cash is an asset: lending 1,000.00 takes it to −1,000.00 in this one-loan view.
    const rows: Row[] = [
      ['1 opened 1,000.00', opened(L, 100_000), [], { cashClearing: -100_000, principalCurrent: 100_000 }],
      [
        '2 accrued interest 15.50',
        {
          type: 'Accrued',
          loanId: L,
          seq: 2,
          day: D + 31,
          interestMinor: 1550,
          penaltyMinor: 0,
          reason: 'due-date',
        },
        [],
        { cashClearing: -100_000, principalCurrent: 100_000, interestReceivable: 1550, interestIncome: 1550 },
      ],
      [
        '3 instalment 1 due with a 3.00 fee',
        {
          type: 'InstallmentDue',
          loanId: L,
          seq: 3,
          day: D + 31,
          installmentNumber: 1,
          principalMinor: 49_225,
          interestMinor: 1550,
          feeMinor: 300,
          final: false,
        },
        [],
        {
          cashClearing: -100_000,
          principalCurrent: 100_000,
          interestReceivable: 1550,
          feeReceivable: 300,
          interestIncome: 1550,
          feeIncome: 300,
        },
      ],
      [
        '4 repaid 100.00 on instalment 1 (fee, interest, then principal 81.50)',
        {
          type: 'Repaid',
          loanId: L,
          seq: 4,
          day: D + 31,
          clientId: 'r-1',
          amountMinor: 10_000,
          excess: 'prepay',
          allocation: { penaltyMinor: 0, feeMinor: 300, interestMinor: 1550, principalMinor: 8150 },
          creditMinor: 0,
          byInstallment: [part(1, { feeMinor: 300, interestMinor: 1550, principalMinor: 8150 })],
          reamortisation: null,
        },
        [],
        { cashClearing: -90_000, principalCurrent: 91_850, interestIncome: 1550, feeIncome: 300 },
      ],
      [
        '5 instalment 1 overdue: 410.75 principal moves to overdue',
        {
          type: 'InstallmentOverdue',
          loanId: L,
          seq: 5,
          day: D + 32,
          installmentNumber: 1,
          dueDay: D + 31,
          principalMinor: 41_075,
          interestMinor: 0,
          feeMinor: 0,
        },
        [],
        {
          cashClearing: -90_000,
          principalCurrent: 50_775,
          principalOverdue: 41_075,
          interestIncome: 1550,
          feeIncome: 300,
        },
      ],
      [
        '6 month end: interest 7.00 and penalty 1.20 accrued',
        {
          type: 'Accrued',
          loanId: L,
          seq: 6,
          day: D + 47,
          interestMinor: 700,
          penaltyMinor: 120,
          reason: 'month-end',
        },
        [1],
        {
          cashClearing: -90_000,
          principalCurrent: 50_775,
          principalOverdue: 41_075,
          interestReceivable: 700,
          penaltyReceivable: 120,
          interestIncome: 2250,
          penaltyIncome: 120,
          feeIncome: 300,
        },
      ],
      [
        '7 penalty 0.20 waived',
        {
          type: 'Waived',
          loanId: L,
          seq: 7,
          day: D + 48,
          clientId: 'w-1',
          component: 'penalty',
          amountMinor: 20,
          byInstallment: [part(1, { penaltyMinor: 20 })],
        },
        [1],
        {
          cashClearing: -90_000,
          principalCurrent: 50_775,
          principalOverdue: 41_075,
          interestReceivable: 700,
          penaltyReceivable: 100,
          interestIncome: 2250,
          penaltyIncome: 100,
          feeIncome: 300,
        },
      ],
      [
        '8 repaid 500.00: penalty, overdue principal of instalment 1, then early principal',
        {
          type: 'Repaid',
          loanId: L,
          seq: 8,
          day: D + 48,
          clientId: 'r-2',
          amountMinor: 50_000,
          excess: 'prepay',
          allocation: { penaltyMinor: 100, feeMinor: 0, interestMinor: 700, principalMinor: 49_200 },
          creditMinor: 0,
          byInstallment: [
            part(1, { penaltyMinor: 100, principalMinor: 41_075 }),
            part(0, { interestMinor: 700, principalMinor: 8125 }),
          ],
          reamortisation: null,
        },
        [1],
        {
          cashClearing: -40_000,
          principalCurrent: 42_650,
          interestIncome: 2250,
          penaltyIncome: 100,
          feeIncome: 300,
        },
      ],
      [
        '9 accrued 3.00 interest up to the payoff',
        {
          type: 'Accrued',
          loanId: L,
          seq: 9,
          day: D + 55,
          interestMinor: 300,
          penaltyMinor: 0,
          reason: 'repayment',
        },
        [],
        {
          cashClearing: -40_000,
          principalCurrent: 42_650,
          interestReceivable: 300,
          interestIncome: 2550,
          penaltyIncome: 100,
          feeIncome: 300,
        },
      ],
      [
        '10 repaid 500.00: pays off, 70.50 over is held in suspense',
        {
          type: 'Repaid',
          loanId: L,
          seq: 10,
          day: D + 55,
          clientId: 'r-3',
          amountMinor: 50_000,
          excess: 'prepay',
          allocation: { penaltyMinor: 0, feeMinor: 0, interestMinor: 300, principalMinor: 42_650 },
          creditMinor: 7050,
          byInstallment: [part(0, { interestMinor: 300, principalMinor: 42_650 })],
          reamortisation: null,
        },
        [],
        { cashClearing: 10_000, suspense: 7050, interestIncome: 2550, penaltyIncome: 100, feeIncome: 300 },
      ],
      [
        '11 settled: no money moves',
        { type: 'LoanSettled', loanId: L, seq: 11, day: D + 55 },
        [],
        {
          cashClearing: 10_000,
          suspense: 7050,
          interestIncome: 2550,
          penaltyIncome: 100,
          feeIncome: 300,
        },
      ],
      [
        '12 the 70.50 credit is refunded',
        { type: 'CreditRefunded', loanId: L, seq: 12, day: D + 56, clientId: 'f-1', amountMinor: 7050 },
        [],
        // What is left in cash is exactly the income: 25.50 interest + 1.00 penalty + 3.00 fee.
        { cashClearing: 2950, interestIncome: 2550, penaltyIncome: 100, feeIncome: 300 },
      ],
    ];
    runScenario(rows);
  });

  it('loan 2: a superseded repayment is reversed, then the loan is written off and partly recovered', () => {
    const L = 'L-2';
    const before = { cashClearing: -50_000, principalCurrent: 25_000, principalOverdue: 25_000 };
    const rows: Row[] = [
      ['1 opened 500.00', opened(L, 50_000), [], { cashClearing: -50_000, principalCurrent: 50_000 }],
      [
        '2 accrued 8.00',
        {
          type: 'Accrued',
          loanId: L,
          seq: 2,
          day: D + 31,
          interestMinor: 800,
          penaltyMinor: 0,
          reason: 'due-date',
        },
        [],
        { cashClearing: -50_000, principalCurrent: 50_000, interestReceivable: 800, interestIncome: 800 },
      ],
      [
        '3 overdue: 250.00',
        {
          type: 'InstallmentOverdue',
          loanId: L,
          seq: 3,
          day: D + 32,
          installmentNumber: 1,
          dueDay: D + 31,
          principalMinor: 25_000,
          interestMinor: 800,
          feeMinor: 0,
        },
        [],
        { ...before, interestReceivable: 800, interestIncome: 800 },
      ],
      [
        '4 accrued interest 4.00 and penalty 3.00',
        {
          type: 'Accrued',
          loanId: L,
          seq: 4,
          day: D + 47,
          interestMinor: 400,
          penaltyMinor: 300,
          reason: 'month-end',
        },
        [1],
        {
          ...before,
          interestReceivable: 1200,
          penaltyReceivable: 300,
          interestIncome: 1200,
          penaltyIncome: 300,
        },
      ],
      [
        '5 repaid 5.00: penalty 3.00, interest 2.00',
        {
          type: 'Repaid',
          loanId: L,
          seq: 5,
          day: D + 48,
          clientId: 'r-1',
          amountMinor: 500,
          excess: 'prepay',
          allocation: { penaltyMinor: 300, feeMinor: 0, interestMinor: 200, principalMinor: 0 },
          creditMinor: 0,
          byInstallment: [part(1, { penaltyMinor: 300, interestMinor: 200 })],
          reamortisation: null,
        },
        [1],
        {
          ...before,
          cashClearing: -49_500,
          interestReceivable: 1000,
          interestIncome: 1200,
          penaltyIncome: 300,
        },
      ],
      [
        '6 repayment 5 superseded (a backdated correction): its posting is reversed',
        {
          type: 'EventsSuperseded',
          loanId: L,
          seq: 6,
          day: D + 50,
          fromSeq: 5,
          toSeq: 5,
          causeClientId: 'r-0',
        },
        [1],
        {
          ...before,
          interestReceivable: 1200,
          penaltyReceivable: 300,
          interestIncome: 1200,
          penaltyIncome: 300,
        },
      ],
      [
        '7 written off (核销): receivables to the loss, principal kept in the memo accounts',
        {
          type: 'LoanWrittenOff',
          loanId: L,
          seq: 7,
          day: D + 200,
          clientId: 'wo-1',
          principalCurrentMinor: 25_000,
          principalOverdueMinor: 25_000,
          interestMinor: 1200,
          penaltyMinor: 300,
          feeMinor: 0,
          evidenceRef: 'case-7',
        },
        [1],
        {
          cashClearing: -50_000,
          interestIncome: 1200,
          penaltyIncome: 300,
          writeOffLoss: 51_500,
          writtenOffPrincipalMemo: 50_000,
          writtenOffPrincipalMemoContra: 50_000,
        },
      ],
      [
        '8 recovered 30.00 after write-off',
        {
          type: 'RecoveredAfterWriteOff',
          loanId: L,
          seq: 8,
          day: D + 260,
          clientId: 'rc-1',
          amountMinor: 3000,
          principalMinor: 3000,
        },
        [],
        {
          cashClearing: -47_000,
          interestIncome: 1200,
          penaltyIncome: 300,
          writeOffLoss: 51_500,
          recoveriesIncome: 3000,
          writtenOffPrincipalMemo: 47_000,
          writtenOffPrincipalMemoContra: 47_000,
        },
      ],
    ];
    runScenario(rows);
  });

  it('loan 3: a prepayment held as credit pays the instalment when due; the rest of it is waived as principal', () => {
    const L = 'L-3';
    const rows: Row[] = [
      ['1 opened 300.00', opened(L, 30_000), [], { cashClearing: -30_000, principalCurrent: 30_000 }],
      [
        '2 repaid 10.00 with nothing owed yet: kept as credit',
        {
          type: 'Repaid',
          loanId: L,
          seq: 2,
          day: D + 1,
          clientId: 'r-1',
          amountMinor: 1000,
          excess: 'credit',
          allocation: zero,
          creditMinor: 1000,
          byInstallment: [],
          reamortisation: null,
        },
        [],
        { cashClearing: -29_000, principalCurrent: 30_000, suspense: 1000 },
      ],
      [
        '3 accrued 4.50',
        {
          type: 'Accrued',
          loanId: L,
          seq: 3,
          day: D + 31,
          interestMinor: 450,
          penaltyMinor: 0,
          reason: 'due-date',
        },
        [],
        {
          cashClearing: -29_000,
          principalCurrent: 30_000,
          suspense: 1000,
          interestReceivable: 450,
          interestIncome: 450,
        },
      ],
      [
        '4 instalment 1 due with a 1.00 fee',
        {
          type: 'InstallmentDue',
          loanId: L,
          seq: 4,
          day: D + 31,
          installmentNumber: 1,
          principalMinor: 10_000,
          interestMinor: 450,
          feeMinor: 100,
          final: false,
        },
        [],
        {
          cashClearing: -29_000,
          principalCurrent: 30_000,
          suspense: 1000,
          interestReceivable: 450,
          feeReceivable: 100,
          interestIncome: 450,
          feeIncome: 100,
        },
      ],
      [
        '5 the credit pays fee, interest and 4.50 principal',
        {
          type: 'CreditApplied',
          loanId: L,
          seq: 5,
          day: D + 31,
          amountMinor: 1000,
          allocation: { penaltyMinor: 0, feeMinor: 100, interestMinor: 450, principalMinor: 450 },
          byInstallment: [part(1, { feeMinor: 100, interestMinor: 450, principalMinor: 450 })],
        },
        [],
        { cashClearing: -29_000, principalCurrent: 29_550, interestIncome: 450, feeIncome: 100 },
      ],
      [
        '6 principal 95.50 of instalment 1 forgiven (本金减免)',
        {
          type: 'PrincipalWaived',
          loanId: L,
          seq: 6,
          day: D + 32,
          clientId: 'pw-1',
          amountMinor: 9550,
          byInstallment: [part(1, { principalMinor: 9550 })],
          reamortisation: null,
        },
        [],
        {
          cashClearing: -29_000,
          principalCurrent: 20_000,
          interestIncome: 450,
          feeIncome: 100,
          writeOffLoss: 9550,
        },
      ],
    ];
    runScenario(rows);
  });
});

describe('balancedPosting', () => {
  it('refuses an unbalanced posting loudly (an impossible state)', () => {
    expect(() =>
      balancedPosting([debit('cashClearing', 100), credit('interestIncome', 99)], 'L#1', D),
    ).toThrow(InvariantError);
    expect(() =>
      balancedPosting([debit('cashClearing', 100), credit('interestIncome', 99)], 'L#1', D),
    ).toThrow(/debits 100 ≠ credits 99/);
  });
  it('refuses negative and fractional amounts, drops zero lines, and gives null when nothing moves', () => {
    expect(() =>
      balancedPosting([debit('cashClearing', -1), credit('interestIncome', -1)], 'L#1', D),
    ).toThrow(InvariantError);
    expect(() =>
      balancedPosting([debit('cashClearing', 0.5), credit('interestIncome', 0.5)], 'L#1', D),
    ).toThrow(InvariantError);
    expect(balancedPosting([debit('cashClearing', 0), credit('interestIncome', 0)], 'L#1', D)).toBeNull();
    expect(
      balancedPosting(
        [debit('cashClearing', 5), credit('interestIncome', 5), debit('feeReceivable', 0)],
        'L#1',
        D,
      )?.lines,
    ).toHaveLength(2);
  });
  it('every account has a code, both names and a normal side; codes are unique', () => {
    const codes = new Set<string>();
    for (const name of ACCOUNT_NAMES) {
      const a = ACCOUNTS[name];
      expect(a.nameEn.length).toBeGreaterThan(0);
      expect(a.nameZh).toMatch(/[\u4e00-\u9fff]/);
      expect(['debit', 'credit']).toContain(a.normalSide);
      codes.add(a.code);
    }
    expect(codes.size).toBe(ACCOUNT_NAMES.length);
  });
});
