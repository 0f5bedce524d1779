import type { CurrencyCode, DayCount, RoundingMode } from '../money/index.js';

/**
 * A loan product as validated data. Defaults follow shared domain facts (domain.md); anything marked
 * "convention" there is a setting here, never a hard-coded rule.
 */

/** 还款方式: how a drawdown is repaid. */
export type RepaymentMethod =
  /** 等额本息: equal instalments of principal + interest. */
  | 'equal-installment'
  /** 等额本金: equal principal each period, interest on the remaining principal. */
  | 'equal-principal'
  /** 先息后本: interest each period, all principal at the last. */
  | 'interest-first'
  /** 随借随还: daily interest on whatever is outstanding; repay any time up to maturity. */
  | 'pay-any-time'
  /** 等本等息: equal principal each period, interest each period on the original principal (flat rate). */
  | 'flat-rate';

export const REPAYMENT_METHODS: readonly RepaymentMethod[] = [
  'equal-installment',
  'equal-principal',
  'interest-first',
  'pay-any-time',
  'flat-rate',
];

export type Frequency = 'monthly' | 'biweekly' | 'weekly';

/**
 * How an instalment method derives each period's interest rate:
 * - `actual-days`: daily rate × the actual days of each period (interest matches daily accrual exactly);
 * - `nominal`: annual nominal rate ÷ periods per year (the textbook 等额本息 formula; periods are equal).
 */
export type PeriodicRateBasis = 'actual-days' | 'nominal';

/** 罚息基数: what penalty interest is charged on. */
export type PenaltyBase = 'overdue-principal' | 'overdue-principal-and-interest';

export interface PenaltySettings {
  /** Uplift over the contract rate as a decimal string: "0.5" = contract rate × 1.5 (PBOC: 30%–50%). */
  readonly uplift: string;
  readonly base: PenaltyBase;
  /**
   * 复利: penalty posted and unpaid joins the penalty base. Unpaid interest is in the base only with
   * `base: 'overdue-principal-and-interest'`; this setting does not put it there.
   */
  readonly compounding: boolean;
}

/** The parts a repayment can pay, in the order they are paid. */
export type AllocationComponent = 'penalty' | 'fee' | 'interest' | 'principal';

export interface AllocationSettings {
  /** Component order within one instalment, e.g. penalty → fee → interest → principal. */
  readonly order: readonly AllocationComponent[];
  /**
   * `oldest-due-first`: settle the oldest overdue instalment completely (in component order) before the next;
   * `component-first`: pay each component across all overdue instalments before the next component.
   */
  readonly across: 'oldest-due-first' | 'component-first';
}

/** 提前还款: what an early partial repayment of principal does to the rest of the schedule. */
export type EarlyRepaymentEffect = 'reduce-installment' | 'shorten-term';

/**
 * 主动还款: a payment made before the next due date pays the instalment coming due first (billed on the
 * payment day, its due date kept); only what exceeds it is early repayment (`EarlyRepaymentEffect`). This
 * setting says how that instalment is charged interest:
 * - `to-due-date`: as billed — its interest for the whole period to its due date, on the principal
 *   outstanding when it is paid; the next period's interest runs from the due date. The amount quoted
 *   before the due date is the amount charged.
 * - `to-payment-date`: interest accrued up to the payment day only; the next period's interest runs from
 *   the payment day (so the next instalment's interest covers the extra days).
 */
export type EarlyInstallmentInterest = 'to-due-date' | 'to-payment-date';

export interface FeeSettings {
  /** Stable name of the fee, e.g. "service". */
  readonly name: string;
  /** `upfront`: charged on the drawdown day; `per-installment`: added to each instalment. */
  readonly kind: 'upfront' | 'per-installment';
  /** `fixed`: `value` is an amount in yuan; `principal-rate`: `value` × the drawdown principal. */
  readonly basis: 'fixed' | 'principal-rate';
  /** Decimal string. */
  readonly value: string;
}

export interface RoundingSettings {
  readonly mode: RoundingMode;
  /** Decimals kept in scheduled amounts: 2 = to the fen, 1 = to the jiao, 0 = to the yuan. */
  readonly scale: 0 | 1 | 2;
}

export interface Product {
  readonly id: string;
  readonly name: string;
  readonly currency: CurrencyCode;
  readonly method: RepaymentMethod;
  /** Number of periods (for pay-any-time: months to maturity). */
  readonly termCount: number;
  readonly frequency: Frequency;
  /** Contract rate with its period as a decimal string, e.g. { value: "0.0005", per: "day" }. */
  readonly rate: { readonly value: string; readonly per: 'day' | 'year' };
  readonly dayCount: DayCount;
  readonly periodicRateBasis: PeriodicRateBasis;
  readonly rounding: RoundingSettings;
  readonly penalty: PenaltySettings;
  /** 宽限期 in days after a due date (convention 0–3). */
  readonly graceDays: number;
  readonly allocation: AllocationSettings;
  readonly earlyRepayment: EarlyRepaymentEffect;
  /** How an instalment paid before its due date is charged interest (主动还款); default `to-due-date`. */
  readonly earlyInstallmentInterest: EarlyInstallmentInterest;
  readonly fees: readonly FeeSettings[];
  /** Highest APR (all fees included) the product may have, decimal string; default "0.24". */
  readonly aprCap: string;
}

/** Defaults per domain.md: 12 monthly 等额本息 instalments at 0.05%/day, ACT/365F, penalty +50% on overdue principal. */
export const DEFAULT_PRODUCT: Product = {
  id: 'default',
  name: 'Revolving credit line drawdown',
  currency: 'CNY',
  method: 'equal-installment',
  termCount: 12,
  frequency: 'monthly',
  rate: { value: '0.0005', per: 'day' },
  dayCount: 'ACT/365F',
  periodicRateBasis: 'actual-days',
  rounding: { mode: 'half-up', scale: 2 },
  penalty: { uplift: '0.5', base: 'overdue-principal', compounding: false },
  graceDays: 0,
  allocation: { order: ['penalty', 'fee', 'interest', 'principal'], across: 'oldest-due-first' },
  earlyRepayment: 'reduce-installment',
  earlyInstallmentInterest: 'to-due-date',
  fees: [],
  aprCap: '0.24',
};
