/**
 * loan/: the loan engine. Events, the state folded from them, daily accrual without daily events,
 * penalty interest, repayments and their allocation, waivers, payoff quotes, early repayment, snapshots and
 * as-of queries, backdated replay, the end-of-day step and days past due with bucket history.
 * See docs/ledger-engine.md.
 */
export { interestExactThrough, penaltyExactThrough, postableThrough } from './accrual.js';
export { type Allocation, allocatePayment } from './allocation.js';
export {
  type CommandResult,
  installmentPaymentMinor,
  type OpenLoanInput,
  offerSettlement,
  openLoan,
  type RepayInput,
  refundCredit,
  repay,
  type WaiveInput,
  waive,
  waivePrincipal,
} from './commands.js';
export { daysPastDue, NEVER } from './days-past-due.js';
export { closeDay, closeDaysThrough, endOfDay } from './eod.js';
export {
  type Accrued,
  type ComponentAmounts,
  type CreditApplied,
  type CreditRefunded,
  type DelinquencyChanged,
  type EventsSuperseded,
  type InstallmentAllocation,
  type InstallmentDue,
  type InstallmentOverdue,
  isCommandEvent,
  type LoanCommandEvent,
  type LoanEvent,
  type LoanEventType,
  type LoanOpened,
  type LoanSettled,
  type PrincipalWaived,
  type Reamortisation,
  type Repaid,
  type UpfrontFeeBilled,
  type Waived,
} from './events.js';
export { applyEvent } from './fold.js';
export {
  applyBackdated,
  type BackdatedCommand,
  type BackdatedResult,
  effectiveEvents,
  isSnapshotDay,
  type LoanSnapshot,
  loanAsOf,
  replay,
  takeSnapshot,
} from './history.js';
export { assertStateInvariants } from './invariants.js';
export { type LoanPosition, loanPosition, type PayoffQuote, payoffQuote } from './position.js';
export type { Fraction } from './rates.js';
export {
  checkRestructuringPolicy,
  type RestructureCommand,
  type RestructureInput,
  restructure,
} from './restructure.js';
export { capitalisedOf, capitalisedPrincipalMinor } from './restructure-fold.js';
export {
  type ArrearsAmounts,
  type ArrearsTreatment,
  DEFAULT_RESTRUCTURING_POLICY,
  type DownPayment,
  type HolidayInterest,
  type LoanRestructured,
  RESTRUCTURING_KINDS,
  type RestructureRequest,
  type RestructuringBroken,
  type RestructuringKind,
  type RestructuringPolicy,
  type RestructuringRecord,
  type RestructuringState,
} from './restructure-types.js';
export { isSettlementWaiver, type OfferSettlementInput } from './settlement.js';
export {
  countedTowardsOffer,
  type SettlementCompleted,
  type SettlementEvent,
  type SettlementInForce,
  type SettlementLapsed,
  type SettlementOffered,
  settlementOf,
} from './settlement-types.js';
export type { DueItem, LoanState, LoanStatus } from './state.js';
export { EVIDENCE_REF_LENGTH_MAX, receivablesOf, recoverWrittenOff, writeOff } from './write-off.js';
export type {
  LoanWrittenOff,
  RecoveredAfterWriteOff,
  WriteOffEvent,
  WrittenOff,
} from './write-off-types.js';
