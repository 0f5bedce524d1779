/**
 * loan/: the loan engine. Events, the state folded from them, daily accrual without daily events,
 * penalty interest, repayments and their allocation, waivers, payoff quotes, early repayment, snapshots and
 * as-of queries, backdated replay, the end-of-day step and days past due with bucket history.
 *
 * Functions (see docs/ledger-engine.md):
 *   openLoan({ loanId, customerId, lineId, product, principalMinor, day, clientId? }): { state, events }
 *   endOfDay(state, day): LoanEvent[]               closeDay(state, day): { state, events }
 *   closeDaysThrough(state, day): { state, events } applyEvent(state, event): LoanState
 *   replay(events): LoanState                       loanAsOf(events, day, snapshots?): LoanState
 *   repay(state, { amountMinor, day, clientId, excess? }): { state, events }
 *   waive(state, { component, amountMinor, day, clientId }): { state, events }
 *   payoffQuote(state, day): PayoffQuote            loanPosition(state): LoanPosition
 */
export * from './events.js';
export * from './state.js';
