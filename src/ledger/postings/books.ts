import { type Day, invariant } from '../../money/index.js';
import { LedgerInputError } from '../errors.js';
import { applyEvent, type LoanEvent, type LoanState, loanAsOf, replay } from '../loan/index.js';
import { accountBalances, type Posting } from './posting.js';
import {
  engineReceivables,
  type LoanReceivables,
  type ReconciliationBreak,
  reconcileLoan,
} from './reconcile.js';
import { postingsForEvent } from './rules.js';
import type { BookEvent, LoanWrittenOff, RecoveredAfterWriteOff } from './write-off.js';

/**
 * One loan's books: the engine's stored log (append-only, as the engine wrote it), the books' own events
 * (write-off, recoveries) and every posting made so far, with the engine state the postings were derived
 * from. Built only by `postLoanEvents` and the write-off functions, so that it cannot drift from the log.
 */
export interface LoanBooks {
  readonly loanId: string;
  readonly engineLog: readonly LoanEvent[];
  readonly bookEvents: readonly BookEvent[];
  /** The engine state after the effective engine events. */
  readonly state: LoanState;
  readonly postings: readonly Posting[];
  /** Postings per engine event sequence number (to reverse them when a backdated correction supersedes them). */
  readonly postingsBySeq: ReadonlyMap<number, readonly Posting[]>;
  /** Engine events already cancelled by an `EventsSuperseded` (their postings are reversed once, never again). */
  readonly cancelledSeqs: ReadonlySet<number>;
  /** Written-off principal still claimed (the memo account), or null while the loan is on the books. */
  readonly writtenOff: { readonly day: Day; readonly principalClaimedMinor: number } | null;
}

function nextSeq(books: LoanBooks): number {
  const lastBook = books.bookEvents.at(-1)?.seq ?? 0;
  const lastEngine = books.engineLog.at(-1)?.seq ?? 0;
  return Math.max(lastBook, lastEngine) + 1;
}

/** Opens a loan's books from its `LoanOpened` event (and any events after it). */
export function openLoanBooks(events: readonly LoanEvent[]): { books: LoanBooks; postings: Posting[] } {
  const first = events[0];
  invariant(first?.type === 'LoanOpened', "a loan's books start with its LoanOpened event");
  const opened = replay([first]);
  const postings = postingsForEvent(first, null);
  const books: LoanBooks = {
    loanId: first.loanId,
    engineLog: [first],
    bookEvents: [],
    state: opened,
    postings,
    postingsBySeq: new Map([[first.seq, postings]]),
    cancelledSeqs: new Set(),
    writtenOff: null,
  };
  const rest = postLoanEvents(books, events.slice(1));
  return { books: rest.books, postings: [...postings, ...rest.postings] };
}

/**
 * Posts engine events, in the order the engine appended them. Each event is posted against the engine
 * state just before it; an `EventsSuperseded` reverses the postings of the events it cancels and restarts
 * the state from the day before its effective day, as the engine does.
 */
export function postLoanEvents(
  books: LoanBooks,
  events: readonly LoanEvent[],
): { books: LoanBooks; postings: Posting[] } {
  if (events.length === 0) return { books, postings: [] };
  invariant(
    books.writtenOff === null,
    () => `loan ${books.loanId} is written off; the engine must not move it`,
  );
  const log = [...books.engineLog];
  const bySeq = new Map(books.postingsBySeq);
  const cancelledSeqs = new Set(books.cancelledSeqs);
  const markerSeqs = new Set(books.engineLog.filter((e) => e.type === 'EventsSuperseded').map((e) => e.seq));
  const made: Posting[] = [];
  let state = books.state;
  for (const event of events) {
    invariant(event.loanId === books.loanId, () => `event of ${event.loanId} posted to ${books.loanId}`);
    let posted: Posting[];
    if (event.type === 'EventsSuperseded') {
      // A range can span an earlier correction: its marker and the events it already cancelled are left
      // alone (those stay cancelled); every event still in force in the range is reversed, once.
      const cancelled: Posting[] = [];
      for (let seq = event.fromSeq; seq <= event.toSeq; seq++) {
        if (markerSeqs.has(seq) || cancelledSeqs.has(seq)) continue;
        cancelledSeqs.add(seq);
        cancelled.push(...(bySeq.get(seq) ?? []));
      }
      markerSeqs.add(event.seq);
      posted = postingsForEvent(event, state, cancelled);
      state = applyEvent(loanAsOf(log, event.day - 1), event);
    } else {
      posted = postingsForEvent(event, state);
      state = applyEvent(state, event);
    }
    log.push(event);
    bySeq.set(event.seq, posted);
    made.push(...posted);
  }
  return {
    books: {
      ...books,
      engineLog: log,
      state,
      postings: [...books.postings, ...made],
      postingsBySeq: bySeq,
      cancelledSeqs,
    },
    postings: made,
  };
}

/** The engine's balances per receivable account; all zero once written off (the claim lives in the memo). */
export function expectedReceivables(books: LoanBooks): LoanReceivables {
  const engine = engineReceivables(books.state);
  if (books.writtenOff === null) return engine;
  return {
    principalCurrent: 0,
    principalOverdue: 0,
    interestReceivable: 0,
    penaltyReceivable: 0,
    feeReceivable: 0,
    suspense: engine.suspense,
  };
}

/** Accounts where the loan's postings and the engine disagree; empty when they agree to the fen. */
export function reconcileBooks(books: LoanBooks): ReconciliationBreak[] {
  return reconcileLoan(accountBalances(books.postings), expectedReceivables(books));
}

/**
 * 核销: writes the loan off on `day` (closed through the day before by the engine). Every receivable goes to
 * the write-off loss and the principal to the memo account; the engine takes no further events for it, and
 * cash collected afterwards is a recovery (`recoverAfterWriteOff`).
 */
export function writeOffLoan(
  books: LoanBooks,
  input: { day: Day; clientId: string; evidenceRef: string },
): { books: LoanBooks; event: LoanWrittenOff; postings: Posting[] } {
  if (books.writtenOff !== null) {
    throw new LedgerInputError('loan_written_off', 'loanId', `loan ${books.loanId} is already written off`);
  }
  if (input.evidenceRef.trim() === '') {
    throw new LedgerInputError(
      'write_off_evidence_missing',
      'evidenceRef',
      'a write-off needs documented evidence (财金〔2017〕90号): give the reference of the case file',
    );
  }
  if (input.day < books.state.lastEventDay) {
    throw new LedgerInputError(
      'write_off_backdated',
      'day',
      `loan ${books.loanId} has events up to day ${books.state.lastEventDay}; write it off on that day or later`,
    );
  }
  const r = engineReceivables(books.state);
  const event: LoanWrittenOff = {
    type: 'LoanWrittenOff',
    loanId: books.loanId,
    seq: nextSeq(books),
    day: input.day,
    clientId: input.clientId,
    principalCurrentMinor: r.principalCurrent,
    principalOverdueMinor: r.principalOverdue,
    interestMinor: r.interestReceivable,
    penaltyMinor: r.penaltyReceivable,
    feeMinor: r.feeReceivable,
    evidenceRef: input.evidenceRef,
  };
  const postings = postingsForEvent(event, books.state);
  return {
    books: {
      ...books,
      bookEvents: [...books.bookEvents, event],
      postings: [...books.postings, ...postings],
      writtenOff: { day: input.day, principalClaimedMinor: r.principalCurrent + r.principalOverdue },
    },
    event,
    postings,
  };
}

/**
 * 已核销贷款收回: cash collected on a written-off loan. It is income when received; the part up to the
 * principal still claimed reduces the memo account.
 */
export function recoverAfterWriteOff(
  books: LoanBooks,
  input: { day: Day; clientId: string; amountMinor: number },
): { books: LoanBooks; event: RecoveredAfterWriteOff; postings: Posting[] } {
  if (books.writtenOff === null) {
    throw new LedgerInputError(
      'loan_not_written_off',
      'loanId',
      `loan ${books.loanId} is not written off; take the money as a repayment instead`,
    );
  }
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) {
    throw new LedgerInputError(
      'amount_not_positive',
      'amountMinor',
      `amountMinor must be a whole number of fen above 0, got ${input.amountMinor}`,
    );
  }
  const principalMinor = Math.min(input.amountMinor, books.writtenOff.principalClaimedMinor);
  const event: RecoveredAfterWriteOff = {
    type: 'RecoveredAfterWriteOff',
    loanId: books.loanId,
    seq: nextSeq(books),
    day: input.day,
    clientId: input.clientId,
    amountMinor: input.amountMinor,
    principalMinor,
  };
  const postings = postingsForEvent(event, books.state);
  return {
    books: {
      ...books,
      bookEvents: [...books.bookEvents, event],
      postings: [...books.postings, ...postings],
      writtenOff: {
        day: books.writtenOff.day,
        principalClaimedMinor: books.writtenOff.principalClaimedMinor - principalMinor,
      },
    },
    event,
    postings,
  };
}
