import type { Day } from '../../money/index.js';
import type { Bucket, BucketHistory, DelinquencySettings } from '../delinquency.js';
import type { Product } from '../product.js';
import type { Installment } from '../schedule-types.js';
import type { Fraction } from './rates.js';
import type { RestructuringState } from './restructure-types.js';
import type { SettlementInForce } from './settlement-types.js';
import type { WrittenOff } from './write-off-types.js';

/**
 * 结清 settled: nothing owed (a credit balance may remain until refunded). 核销 written off: off the books,
 * still claimed (recoveries only).
 */
export type LoanStatus = 'active' | 'settled' | 'written-off';

/** A billed instalment with something still unpaid (oldest first in `LoanState.dues`). */
export interface DueItem {
  readonly installmentNumber: number;
  readonly dueDay: Day;
  /** Unpaid amounts still owed on this instalment. */
  readonly principalMinor: number;
  readonly interestMinor: number;
  readonly feeMinor: number;
  /** True once it passed its grace period unpaid (it then bears penalty interest and counts for DPD). */
  readonly overdue: boolean;
}

/**
 * The state of one loan: a fold over its events. Immutable; `applyEvent` returns a new object.
 *
 * Interest is kept exact: `periodInterestExact` is the exact interest of the current period up to
 * `accrualSegmentDay` (the last day the not-due principal changed or the period began); the interest up to any
 * later day is derived (`interestExactThrough`). Penalty likewise, cumulative over the loan's life.
 */
export interface LoanState {
  readonly loanId: string;
  readonly customerId: string;
  readonly lineId: string;
  readonly product: Product;
  /** Bucket boundaries (D's settings; default M1 1–30 … M7 > 180). */
  readonly delinquency: DelinquencySettings;
  readonly startDay: Day;
  readonly disbursedPrincipalMinor: number;
  readonly status: LoanStatus;
  /** Sequence number of the last event folded in (the stored log's position). */
  readonly seq: number;
  /** Day of the last event folded in. */
  readonly lastEventDay: Day;
  /** Last business day whose end-of-day step ran (the EOD marker); `startDay - 1` before the first. */
  readonly lastClosedDay: Day;
  /** First day on which the end-of-day step may have something to do; before it, EOD is a no-op. */
  readonly nextEventDay: Day;

  /** The current plan: the contract schedule, or its re-amortised tail after early repayment. */
  readonly plan: readonly Installment[];
  /** Index in `plan` of the first instalment not yet due. */
  readonly nextInstallmentIndex: number;
  /** Principal of the instalments not yet due. */
  readonly notDuePrincipalMinor: number;
  /** Billed instalments with something unpaid, oldest first. */
  readonly dues: readonly DueItem[];
  /**
   * 等本等息 (flat-rate) only: the principal contract interest accrues on — the drawdown, or the principal
   * left after the last early repayment (the plan is then a flat plan over it); 0 for the other methods,
   * whose interest accrues on the not-due principal. See decision 0362.
   */
  readonly flatInterestBaseMinor: number;
  /** Upfront fee not yet billed (it is billed with the first instalment). */
  readonly pendingUpfrontFeeMinor: number;

  /** Day up to which `periodInterestExact` is accumulated (interest for days after it is derived). */
  readonly accrualSegmentDay: Day;
  /** Exact contract interest of the current period through `accrualSegmentDay`, in fen. */
  readonly periodInterestExact: Fraction;
  /** Interest of the current period already posted (consolidated accruals), in fen. */
  readonly periodInterestPostedMinor: number;
  /** Interest of the current period already paid before its due date, in fen. */
  readonly periodInterestPrepaidMinor: number;

  /** Day through which `penaltyExact` is accumulated. */
  readonly penaltyAccrualDay: Day;
  /** Exact penalty interest accrued over the loan's life through `penaltyAccrualDay`, in fen. */
  readonly penaltyExact: Fraction;
  /** The base penalty interest accrues on now (overdue principal [+ interest] [+ unpaid penalty]). */
  readonly penaltyBaseMinor: number;
  readonly penaltyPostedMinor: number;
  readonly penaltyPaidMinor: number;
  readonly penaltyWaivedMinor: number;

  /** Totals over the loan's life (for reports and reconciliation). */
  readonly interestPostedTotalMinor: number;
  readonly interestPaidTotalMinor: number;
  readonly interestWaivedTotalMinor: number;
  readonly feeChargedTotalMinor: number;
  readonly feePaidTotalMinor: number;
  readonly feeWaivedTotalMinor: number;
  readonly principalPaidTotalMinor: number;
  readonly principalWaivedTotalMinor: number;

  /** 溢缴款: money received beyond what was owed, held for the borrower. */
  readonly creditMinor: number;

  /** Bucket now and its history (entered/left days). */
  readonly bucket: Bucket;
  readonly bucketHistory: BucketHistory;

  /** 重组: the loan's restructurings and whether the latest plan is kept; absent if never restructured. */
  readonly restructuring?: RestructuringState;
  /** 减免结清: the settlement offer in force, if any (absent in states stored before settlements existed). */
  readonly settlement?: SettlementInForce | null;
  /** 核销: the write-off and recoveries, once written off (absent in states stored before write-offs existed). */
  readonly writtenOff?: WrittenOff | null;
}
