import type { Day } from '../money/index.js';

/** One instalment of a repayment schedule (还款计划). Amounts in minor units (fen). */
export interface Installment {
  /** 1-based. */
  readonly number: number;
  /** First day of interest for this period (the previous due date, or the drawdown day). */
  readonly startDay: Day;
  readonly dueDay: Day;
  readonly principalMinor: number;
  readonly interestMinor: number;
  readonly feeMinor: number;
  /** principal + interest + fee. */
  readonly totalMinor: number;
  /** Principal still owed after this instalment is paid as scheduled. */
  readonly remainingPrincipalMinor: number;
}

export interface Schedule {
  readonly principalMinor: number;
  readonly startDay: Day;
  readonly installments: readonly Installment[];
  /** Sum of the instalments' interest. */
  readonly totalInterestMinor: number;
  /** Sum of the instalments' fees (per-instalment fees only; upfront fees are in `upfrontFeeMinor`). */
  readonly totalFeeMinor: number;
  /** Fees charged on the drawdown day (upfront), not part of any instalment. */
  readonly upfrontFeeMinor: number;
}
