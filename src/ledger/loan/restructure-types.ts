import type { Day } from '../../money/index.js';
import type { Bucket } from '../delinquency.js';
import type { Product } from '../product.js';
import type { Installment } from '../schedule-types.js';

/**
 * Restructuring (重组): a change to the loan itself for a borrower who cannot pay as agreed. Four kinds:
 * - `negotiated-plan` 协商分期 (个性化分期): a past-due loan's overdue and outstanding amounts re-planned over
 *   1 … `negotiatedMonthsMax` monthly instalments;
 * - `term-extension` 展期: the remaining instalments spread over more months;
 * - `payment-holiday` 延期还款: N months without instalments, the remaining plan moved N months later;
 * - `rate-reduction`: a lower contract rate from the day on, the remaining plan re-made at it.
 * Every kind closes the old plan's open part (billed-unpaid and not yet due) and puts a new plan in its
 * place; penalty and billed interest and fees are waived or capitalised as the request says.
 */
export type RestructuringKind = 'negotiated-plan' | 'term-extension' | 'payment-holiday' | 'rate-reduction';

export const RESTRUCTURING_KINDS: readonly RestructuringKind[] = [
  'negotiated-plan',
  'term-extension',
  'payment-holiday',
  'rate-reduction',
];

/** What happens to an amount owed that a restructuring does not re-plan as principal. */
export type ArrearsTreatment = 'waive' | 'capitalise';

/** Interest during a payment holiday: accrues (billed with the first instalment after it) or is not charged. */
export type HolidayInterest = 'accrue' | 'waive';

/**
 * The lender's rules for restructuring (a setting of the shell, recorded in each restructuring event so that
 * a replay applies the rules in force when it was agreed). Defaults from domain.md §4, §6 and §8.
 */
export interface RestructuringPolicy {
  /** 个性化分期: at most 5 years (2011 Measures Art. 70). */
  readonly negotiatedMonthsMax: number;
  /** Longest term extension, months. */
  readonly extensionMonthsMax: number;
  /** Longest payment holiday, months. */
  readonly holidayMonthsMax: number;
  /** Interest during a holiday when the request does not say. */
  readonly holidayInterest: HolidayInterest;
  /**
   * Affordability cap: the largest new instalment over the borrower's verified monthly income, as a
   * decimal string ("0.5" = half the income). Convention; a setting.
   */
  readonly affordabilityRatioMax: string;
  /** Missed instalments of the restructured plan (passed grace unpaid) that break it. */
  readonly missedInstallmentsToBreak: number;
  /** Credit-report special transaction codes (domain.md §6: 1 展期, 11 债务减免, 14 个性化分期). */
  readonly specialTransactionCodes: Readonly<Record<RestructuringKind, string>>;
}

export const DEFAULT_RESTRUCTURING_POLICY: RestructuringPolicy = {
  negotiatedMonthsMax: 60,
  extensionMonthsMax: 60,
  holidayMonthsMax: 12,
  holidayInterest: 'accrue',
  affordabilityRatioMax: '0.5',
  missedInstallmentsToBreak: 2,
  specialTransactionCodes: {
    'negotiated-plan': '14',
    'term-extension': '1',
    'payment-holiday': '1',
    'rate-reduction': '11',
  },
};

/** The choices of one restructuring, as the lender sets them per request. Amounts in fen. */
export interface RestructureRequest {
  readonly kind: RestructuringKind;
  /** negotiated-plan: monthly instalments of the new plan, 1 … `negotiatedMonthsMax`. */
  readonly months?: number;
  /** term-extension: months added to the remaining term. */
  readonly extensionMonths?: number;
  /** payment-holiday: months without instalments. */
  readonly holidayMonths?: number;
  /** payment-holiday: interest during the holiday (default: the policy's). */
  readonly holidayInterest?: HolidayInterest;
  /** A new contract rate value (decimal string, per the product's rate period), below the current one. */
  readonly rateValue?: string;
  /** Penalty interest owed: waived (default) or capitalised into the new principal. */
  readonly penalty?: ArrearsTreatment;
  /** Billed unpaid interest: capitalised (default) or waived. */
  readonly interestArrears?: ArrearsTreatment;
  /** Billed unpaid fees: capitalised (default) or waived. */
  readonly feeArrears?: ArrearsTreatment;
  /** Paid by the borrower on the day, before the rest is re-planned (penalty, fees, interest, principal). */
  readonly downPaymentMinor?: number;
  /** The borrower's verified monthly income; required for a negotiated plan (affordability). */
  readonly monthlyIncomeMinor?: number;
  /**
   * A relief-programme change (domain.md §12, 银发〔2020〕29号: pandemic deferrals), reported per the adjusted
   * plan and not classified as a restructuring (no class floor, no observation period).
   */
  readonly relief?: boolean;
}

/** Amounts by the components a restructuring waives or capitalises. */
export interface ArrearsAmounts {
  readonly penaltyMinor: number;
  readonly interestMinor: number;
  readonly feeMinor: number;
}

/** One restructuring as the loan remembers it (for reports: the facts of the 2023 classification rules). */
export interface RestructuringRecord {
  readonly kind: RestructuringKind;
  readonly day: Day;
  readonly clientId: string;
  /** Due days of the new plan, in order. */
  readonly dueDays: readonly Day[];
  /** Days past due and bucket just before the change (DPD restarts on the new plan). */
  readonly daysPastDueBefore: number;
  readonly bucketBefore: Bucket;
  readonly specialTransactionCode: string;
  /** Waived by the restructuring (the stated concessions). */
  readonly forgivenMinor: number;
  /** Months the maturity moved later (0 when it did not). */
  readonly monthsExtended: number;
  /** A relief-programme change: not a restructuring for classification. */
  readonly relief: boolean;
}

/**
 * A loan's restructurings: absent on a loan never restructured. `status` is that of the latest plan:
 * `active` while kept, `broken` once `missedInstallmentsToBreak` of its instalments were missed — the
 * loan then runs on the normal delinquency path (days past due, buckets, penalty) with its history intact.
 */
export interface RestructuringState {
  readonly records: readonly RestructuringRecord[];
  readonly status: 'active' | 'broken';
  readonly brokenDay: Day | null;
  /** Number of the first instalment of the latest plan. */
  readonly firstInstallmentNumber: number;
  /** Due days of restructured instalments that passed grace unpaid, oldest first (all plans). */
  readonly missedDueDays: readonly Day[];
  /** Instalments of the latest plan missed so far. */
  readonly missedInLatest: number;
  readonly missedInstallmentsToBreak: number;
  /** Totals capitalised into principal over the loan's life (the receivables they left). */
  readonly capitalised: ArrearsAmounts;
}

/** What a down payment paid: as a repayment's allocation, line 0 being principal not yet due. */
export interface DownPayment {
  readonly amountMinor: number;
  readonly allocation: {
    readonly penaltyMinor: number;
    readonly feeMinor: number;
    readonly interestMinor: number;
    readonly principalMinor: number;
  };
  readonly byInstallment: readonly {
    readonly installmentNumber: number;
    readonly penaltyMinor: number;
    readonly feeMinor: number;
    readonly interestMinor: number;
    readonly principalMinor: number;
  }[];
}

/**
 * 重组: the old plan's open part is closed and the new plan takes its place (the old plan stays in the log,
 * never edited). Postings: the down payment as a repayment (Dr cash); waivers as waivers (Dr the income,
 * Cr the receivable); capitalisation Dr principal current, Cr interest/fee/penalty receivable; overdue
 * principal re-planned moves to current.
 */
export interface LoanRestructured {
  readonly type: 'LoanRestructured';
  readonly loanId: string;
  readonly seq: number;
  readonly day: Day;
  readonly clientId: string;
  readonly request: RestructureRequest;
  readonly policy: RestructuringPolicy;
  readonly downPayment: DownPayment | null;
  readonly waived: ArrearsAmounts;
  readonly capitalised: ArrearsAmounts;
  /** Overdue principal (after the down payment) that the new plan makes current again. */
  readonly overduePrincipalToCurrentMinor: number;
  /** Principal of the new plan: principal outstanding + capitalised amounts. */
  readonly principalMinor: number;
  /** The loan's terms from now on (rate, term, method of the new plan; no new fees). */
  readonly product: Product;
  /** The new plan; numbered after the old plan's last instalment. */
  readonly installments: readonly Installment[];
  /** Numbers of the old plan's instalments the change closed (billed-unpaid and not yet due). */
  readonly closedInstallmentNumbers: readonly number[];
  /** Contract interest accrues from this day on (later than `day` for a holiday without interest). */
  readonly accrualFromDay: Day;
  readonly daysPastDueBefore: number;
  readonly bucketBefore: Bucket;
  readonly forgivenMinor: number;
  readonly monthsExtended: number;
  readonly specialTransactionCode: string;
}

/** A restructured plan broken: `missedInstallments` of it missed. No money moves. */
export interface RestructuringBroken {
  readonly type: 'RestructuringBroken';
  readonly loanId: string;
  readonly seq: number;
  readonly day: Day;
  readonly missedInstallments: number;
}
