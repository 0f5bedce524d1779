import type { Day } from '../../money/index.js';
import type { CreditLineEvent, CreditLineState } from '../credit-line/index.js';
import type { LoanEvent, LoanSnapshot, LoanState } from '../loan/index.js';
import type { Posting } from '../postings/index.js';

/** A posting with the sequence number of the event that made it (the journal keeps both). */
export interface SeqPosting {
  readonly seq: number;
  readonly posting: Posting;
}

/** What a loan change tells its credit line: the loan's outstanding principal from `day` on. */
export interface LineMove {
  readonly lineId: string;
  readonly loanId: string;
  readonly outstandingPrincipalMinor: number;
  /** The day the line's restoration is dated (the change's effective day). */
  readonly day: Day;
}

/** The credit line's step for one loan change: its state before and after, and the line events made. */
export interface LineStep {
  readonly before: CreditLineState;
  readonly after: CreditLineState;
  /** Empty when the line already counted the principal (nothing to save). */
  readonly events: readonly CreditLineEvent[];
}

/**
 * One change of one loan, planned by the core and stored by the shell as it is: the new state, the
 * events to append, their postings (with the reversal of superseded postings after a backdated command),
 * the snapshots to keep, and what the credit line learns. Every store writer persists this value and
 * computes none of it.
 */
export interface LoanChange {
  readonly customerId: string;
  readonly loanId: string;
  readonly lineId: string;
  /** The state the change was planned from (the stored one), or null for a new loan. */
  readonly before: LoanState | null;
  /** The state after the change. */
  readonly state: LoanState;
  /** Events to append, in seq order. */
  readonly events: readonly LoanEvent[];
  /** Postings of those events, in the order made. */
  readonly postings: readonly SeqPosting[];
  /** Snapshots to store (a seq already stored keeps the first one). */
  readonly snapshots: readonly LoanSnapshot[];
  /** A backdated command supersedes the snapshots from this day on: they are dropped first. */
  readonly dropSnapshotsFromDay: Day | null;
  /** The loan's principal as its line must count it, or null when the principal did not move. */
  readonly lineMove: LineMove | null;
  /**
   * The line's step for `lineMove`, once planned with the line's state (`withLineSteps`, or a line given
   * to the planner); null when the principal did not move.
   */
  readonly line: LineStep | null;
}

/**
 * What a backdated command needs of a loan's past: the stored log, its snapshots, and the stored
 * postings of the events a correction may reverse (by event seq; see `journalSeqsFrom`).
 */
export interface LoanHistory {
  readonly log: readonly LoanEvent[];
  readonly snapshots: readonly LoanSnapshot[];
  readonly postingsBySeq: ReadonlyMap<number, readonly Posting[]>;
}
