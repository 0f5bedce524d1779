import {
  type Bucket,
  bucketForDaysPastDue,
  daysPastDue,
  engineReceivables,
  type LoanState,
} from '../ledger/index.js';
import type { Day } from '../money/index.js';
import {
  type AssetClass,
  type ClassificationSettings,
  DEFAULT_CLASSIFICATION_SETTINGS,
} from './classification.js';
import { classifyLoan } from './restructuring-facts.js';

/**
 * One loan at one month end (月末): the plain row every portfolio report reads. The month-end job stores one
 * per active loan per month; roll rates, vintages and the classification tables are computed from these rows
 * alone, so a report never replays a loan.
 */
export interface MonthEndLoan {
  readonly loanId: string;
  readonly customerId: string;
  readonly productId: string;
  readonly openedDay: Day;
  readonly disbursedMinor: number;
  readonly daysPastDue: number;
  readonly bucket: Bucket;
  /** Principal not yet due plus billed and unpaid principal (贷款余额). */
  readonly outstandingPrincipalMinor: number;
  /** Number of the oldest overdue instalment, null when nothing is overdue (first-payment default reads it). */
  readonly oldestOverdueInstallment: number | null;
  /** The DPD floor alone. */
  readonly classByDaysPastDue: AssetClass;
  /** The five-category class by the rules: the DPD floor and the restructuring floor (before any override). */
  readonly assetClass: AssetClass;
  /** Why the class is worse than the DPD floor (restructuring reason codes), empty otherwise. */
  readonly classReasons: readonly string[];
}

/**
 * The month-end row of a loan from its state closed through `monthEnd` (the month-end snapshot). Null for a
 * loan no longer in the book (settled or written off) or not yet drawn.
 */
export function monthEndLoanOf(
  state: LoanState,
  monthEnd: Day,
  settings: ClassificationSettings = DEFAULT_CLASSIFICATION_SETTINGS,
): MonthEndLoan | null {
  if (state.status !== 'active' || state.startDay > monthEnd) return null;
  const dpd = daysPastDue(state, monthEnd);
  const classification = classifyLoan(state, dpd, monthEnd, settings);
  let outstanding = state.notDuePrincipalMinor;
  for (const due of state.dues) outstanding += due.principalMinor;
  const oldest = state.dues[0];
  return {
    loanId: state.loanId,
    customerId: state.customerId,
    productId: state.product.id,
    openedDay: state.startDay,
    disbursedMinor: state.disbursedPrincipalMinor,
    daysPastDue: dpd,
    bucket: bucketForDaysPastDue(dpd, state.delinquency),
    outstandingPrincipalMinor: outstanding,
    oldestOverdueInstallment: oldest?.overdue === true ? oldest.installmentNumber : null,
    classByDaysPastDue: classification.byDaysPastDue,
    assetClass: classification.assetClass,
    classReasons: classification.restructuring?.reasons ?? [],
  };
}

/**
 * A loan's gross carrying amount (principal, interest, penalty and fee receivable) in its state: the engine's
 * receivables, which the journal holds to the fen (the ledger's reconciliation). The ECL's exposure balance.
 */
export function grossCarryingAmountOf(state: LoanState): number {
  const r = engineReceivables(state);
  return (
    r.principalCurrent + r.principalOverdue + r.interestReceivable + r.penaltyReceivable + r.feeReceivable
  );
}

/** A month-end row as the month-end job stores it: the row, and the loan's gross carrying amount then. */
export interface MonthEndBuiltLoan extends MonthEndLoan {
  readonly receivableMinor: number;
}

/** monthEndLoanOf with the gross carrying amount beside it (null alike). */
export function monthEndBuiltLoanOf(
  state: LoanState,
  monthEnd: Day,
  settings: ClassificationSettings = DEFAULT_CLASSIFICATION_SETTINGS,
): MonthEndBuiltLoan | null {
  const row = monthEndLoanOf(state, monthEnd, settings);
  return row === null ? null : { ...row, receivableMinor: grossCarryingAmountOf(state) };
}
