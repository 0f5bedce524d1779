import type { Day } from '../../money/index.js';
import type { Bucket, DelinquencySettings } from '../delinquency.js';
import type { Product } from '../product.js';
import type { Installment } from '../schedule-types.js';
import type { LoanRestructured, RestructuringBroken } from './restructure-types.js';
import type { SettlementEvent } from './settlement-types.js';
import type { WriteOffEvent } from './write-off-types.js';

/**
 * A loan's history is an append-only list of these events; its state is a fold over them (`applyEvent`).
 * Every event names its loan, its per-loan sequence number (1, 2, 3 …, never reused) and the business day
 * it takes effect (`day`). Commands (from a person or a channel) also carry the client id that makes them
 * idempotent; derived events (produced by the end-of-day step or as consequences of a command) do not.
 *
 * Every event that moves money carries its amounts by component in fen, so that the books can post it
 * without looking at the state. Interest is never accrued per day per loan: accruals are consolidated
 * (`Accrued`) at due dates, month ends, repayments and waivers.
 */
interface EventBase {
  readonly loanId: string;
  /** 1-based position in the loan's stored log. */
  readonly seq: number;
  /** Business day the event takes effect (its effective date). */
  readonly day: Day;
}

interface CommandBase extends EventBase {
  /** Idempotency key of the command that caused the event. */
  readonly clientId: string;
}

/** Amounts a payment (or credit, or waiver) settles, by component. Sums exactly to the amount. */
export interface ComponentAmounts {
  readonly penaltyMinor: number;
  readonly feeMinor: number;
  readonly interestMinor: number;
  readonly principalMinor: number;
}

/** What one payment did to one instalment (number 0 = not yet due: accrued interest and principal paid early). */
export interface InstallmentAllocation extends ComponentAmounts {
  readonly installmentNumber: number;
}

/** 放款: the drawdown. Dr principal receivable, Cr cash. */
export interface LoanOpened extends CommandBase {
  readonly type: 'LoanOpened';
  readonly customerId: string;
  readonly lineId: string;
  readonly product: Product;
  readonly delinquency: DelinquencySettings;
  readonly principalMinor: number;
  /** Upfront fees, due with the first instalment (never deducted from the principal: 民法典 Art. 670). */
  readonly upfrontFeeMinor: number;
  /** The contract schedule (P's `buildSchedule`). Principal and fee per instalment come from here. */
  readonly installments: readonly Installment[];
}

/**
 * Consolidated accrual (计提) of contract interest and penalty interest up to and including `day`, rounded by
 * the product's mode and scale with the fraction carried to the next posting. Dr interest/penalty
 * receivable, Cr interest/penalty income.
 */
export interface Accrued extends EventBase {
  readonly type: 'Accrued';
  readonly interestMinor: number;
  readonly penaltyMinor: number;
  readonly reason: 'due-date' | 'month-end' | 'repayment' | 'waiver' | 'restructuring';
}

/**
 * 到期: an instalment falls due. Its principal moves from not-due to due; its interest is the interest
 * actually accrued over its period on the actual principal (already posted by an `Accrued` before it), less
 * interest paid early in the period; its fee is charged now (Dr fee receivable, Cr fee income).
 *
 * An instalment paid before its due date (主动还款) is billed on the payment day, before the payment: then
 * `billedEarly` keeps its contract due date (days past due count from it) and the day its interest runs to
 * (the due date or the payment day, per the product's `earlyInstallmentInterest`); the next period's interest
 * runs from that day.
 */
export interface InstallmentDue extends EventBase {
  readonly type: 'InstallmentDue';
  readonly installmentNumber: number;
  readonly principalMinor: number;
  readonly interestMinor: number;
  readonly feeMinor: number;
  /** True for the last instalment (maturity). */
  readonly final: boolean;
  readonly billedEarly?: EarlyBilling;
}

/** How an instalment billed before its due date was billed (see `InstallmentDue`). */
export interface EarlyBilling {
  /** The contract due date, still the instalment's due date for grace and days past due. */
  readonly dueDay: Day;
  /** The last day whose interest the instalment charges: its due date, or the payment day. */
  readonly interestThroughDay: Day;
}

/**
 * The upfront fee billed before the first due date, because the loan is being paid off (or its principal
 * forgiven) before then and no instalment will bill it. It becomes a due of its own on the day, numbered
 * with the instalment that would have billed it (Dr fee receivable, Cr fee income, as `InstallmentDue`).
 */
export interface UpfrontFeeBilled extends EventBase {
  readonly type: 'UpfrontFeeBilled';
  readonly installmentNumber: number;
  readonly feeMinor: number;
}

/**
 * 逾期: the unpaid rest of an instalment passes its grace period. Effective on the first day it counts as
 * overdue (due day + grace + 1). Moves principal from current to overdue in the books; from now on it
 * bears penalty interest, counted from the day after the due date.
 */
export interface InstallmentOverdue extends EventBase {
  readonly type: 'InstallmentOverdue';
  readonly installmentNumber: number;
  readonly dueDay: Day;
  readonly principalMinor: number;
  readonly interestMinor: number;
  readonly feeMinor: number;
}

/** A change of delinquency bucket (M0…M7), from the end-of-day step or from a repayment that cures. */
export interface DelinquencyChanged extends EventBase {
  readonly type: 'DelinquencyChanged';
  readonly fromBucket: Bucket;
  readonly toBucket: Bucket;
  readonly daysPastDue: number;
}

/** A re-amortised plan for the instalments not yet due, after principal was repaid early. */
export interface Reamortisation {
  readonly effect: 'reduce-installment' | 'shorten-term';
  readonly installments: readonly Installment[];
}

/**
 * 还款: money received. `allocation` sums exactly to `amountMinor` with `creditMinor` (the excess held on the
 * loan as a credit balance, 溢缴款). Dr cash, Cr the receivables by component and suspense for the credit.
 */
export interface Repaid extends CommandBase {
  readonly type: 'Repaid';
  readonly amountMinor: number;
  /**
   * What money beyond the dues does: `prepay` pays accrued interest then principal early (提前还款);
   * `credit` keeps it as a credit balance that pays the next dues as they fall due.
   */
  readonly excess: 'prepay' | 'credit';
  readonly allocation: ComponentAmounts;
  /** Excess over everything owed (or over the dues, when asked to keep it as credit). */
  readonly creditMinor: number;
  readonly byInstallment: readonly InstallmentAllocation[];
  /** Present when principal not yet due was repaid early and instalments remain. */
  readonly reamortisation: Reamortisation | null;
}

/**
 * A credit balance pays dues automatically when they fall due; at a settlement's completion it pays what is
 * owed, principal not yet due included, before the rest is forgiven. Dr suspense, Cr receivables.
 */
export interface CreditApplied extends EventBase {
  readonly type: 'CreditApplied';
  readonly amountMinor: number;
  readonly allocation: ComponentAmounts;
  readonly byInstallment: readonly InstallmentAllocation[];
  /** Present when the credit paid principal not yet due (only at a settlement's completion). */
  readonly reamortisation?: Reamortisation | null;
}

/** A credit balance paid back to the borrower. Dr suspense, Cr cash. */
export interface CreditRefunded extends CommandBase {
  readonly type: 'CreditRefunded';
  readonly amountMinor: number;
}

/** 减免: penalty, interest or fees forgiven. Dr the income (or a waiver expense), Cr the receivable. */
export interface Waived extends CommandBase {
  readonly type: 'Waived';
  readonly component: 'penalty' | 'interest' | 'fee';
  readonly amountMinor: number;
  readonly byInstallment: readonly InstallmentAllocation[];
}

/** 本金减免: principal forgiven, only ever by this explicit event. Dr write-off/relief, Cr principal receivable. */
export interface PrincipalWaived extends CommandBase {
  readonly type: 'PrincipalWaived';
  readonly amountMinor: number;
  readonly byInstallment: readonly InstallmentAllocation[];
  readonly reamortisation: Reamortisation | null;
}

/** 结清: nothing is owed any more. No money moves. */
export interface LoanSettled extends EventBase {
  readonly type: 'LoanSettled';
}

/**
 * An append-only correction: the stored events `fromSeq`…`toSeq` no longer count (they stay in the log for
 * audit). The events after this one are their recomputed replacement, starting from the snapshot before
 * the backdated command's effective day.
 */
export interface EventsSuperseded extends EventBase {
  readonly type: 'EventsSuperseded';
  readonly fromSeq: number;
  readonly toSeq: number;
  /** The client id of the backdated command that caused the correction. */
  readonly causeClientId: string;
}

export type LoanEvent =
  | LoanOpened
  | Accrued
  | InstallmentDue
  | UpfrontFeeBilled
  | InstallmentOverdue
  | DelinquencyChanged
  | Repaid
  | CreditApplied
  | CreditRefunded
  | Waived
  | PrincipalWaived
  | LoanSettled
  | EventsSuperseded
  | LoanRestructured
  | RestructuringBroken
  | SettlementEvent
  | WriteOffEvent;

export type LoanEventType = LoanEvent['type'];

/** Events that carry a client id (commands). */
export type LoanCommandEvent = Extract<LoanEvent, { readonly clientId: string }>;

export function isCommandEvent(event: LoanEvent): event is LoanCommandEvent {
  return 'clientId' in event;
}
