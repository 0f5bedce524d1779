/** ledger/change: one loan change planned as one value, which every store writer persists as it is. */

export type { LoanChangeCommand, SettlementOfferCommand } from './plan.js';
export {
  closeWithSnapshots,
  journalSeqsFrom,
  planClose,
  planCommand,
  planOpening,
  postingsOfEvents,
  principalOf,
  withLineSteps,
} from './plan.js';
export type { LineMove, LineStep, LoanChange, LoanHistory, SeqPosting } from './types.js';
export { planSettlementOffer, planWriteOff } from './write-off.js';
