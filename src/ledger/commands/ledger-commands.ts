import { type Day, endOfMonth, invariant } from '../../money/index.js';
import { principalOf } from '../change/index.js';
import {
  type CreditLineEvent,
  type CreditLineState,
  changeLimit,
  closeLine,
  drawdown,
  freezeLine,
  openLine,
  syncLoanPrincipal,
  unfreezeLine,
} from '../credit-line/index.js';
import { LedgerInputError } from '../errors.js';
import {
  applyBackdated,
  closeDaysThrough,
  isSnapshotDay,
  type LoanEvent,
  type LoanSnapshot,
  type LoanState,
  offerSettlement,
  type RestructureRequest,
  type RestructuringPolicy,
  repay,
  restructure,
  takeSnapshot,
  waive,
} from '../loan/index.js';
import {
  type BookEvent,
  type LoanBooks,
  openLoanBooks,
  type Posting,
  postLoanEvents,
  recoverAfterWriteOff,
  writeOffLoan,
} from '../postings/index.js';
import { parseProduct } from '../product-validate.js';
import { type CommandLog, runIdempotent } from './log.js';

/**
 * The ledger's commands. Each carries the client's idempotency key; amounts are integer fen and days are
 * day numbers (the shell converts decimal strings and ISO dates at the edge). `product` is the raw product
 * input, validated by `parseProduct` when the command runs.
 */
export type LedgerCommand =
  | {
      readonly kind: 'open-line';
      readonly clientId: string;
      readonly lineId: string;
      readonly customerId: string;
      readonly limitMinor: number;
      readonly day: Day;
    }
  | {
      readonly kind: 'change-limit';
      readonly clientId: string;
      readonly lineId: string;
      readonly limitMinor: number;
      readonly day: Day;
    }
  | {
      readonly kind: 'freeze-line';
      readonly clientId: string;
      readonly lineId: string;
      readonly reason: string;
      readonly day: Day;
    }
  | { readonly kind: 'unfreeze-line'; readonly clientId: string; readonly lineId: string; readonly day: Day }
  | { readonly kind: 'close-line'; readonly clientId: string; readonly lineId: string; readonly day: Day }
  | {
      readonly kind: 'draw';
      readonly clientId: string;
      readonly lineId: string;
      readonly loanId: string;
      readonly product: unknown;
      readonly principalMinor: number;
      readonly day: Day;
    }
  | {
      readonly kind: 'repay';
      readonly clientId: string;
      readonly loanId: string;
      readonly amountMinor: number;
      readonly day: Day;
      readonly excess?: 'prepay' | 'credit';
    }
  | {
      readonly kind: 'waive';
      readonly clientId: string;
      readonly loanId: string;
      readonly component: 'penalty' | 'interest' | 'fee';
      readonly amountMinor: number;
      readonly day: Day;
    }
  | {
      readonly kind: 'write-off';
      readonly clientId: string;
      readonly loanId: string;
      readonly evidenceRef: string;
      readonly day: Day;
    }
  | {
      readonly kind: 'recover';
      readonly clientId: string;
      readonly loanId: string;
      readonly amountMinor: number;
      readonly day: Day;
    }
  | {
      readonly kind: 'restructure';
      readonly clientId: string;
      readonly loanId: string;
      readonly day: Day;
      /** What is asked (its own `kind`: negotiated plan, term extension, payment holiday, rate reduction). */
      readonly request: RestructureRequest;
      /** The lender's rules; default `DEFAULT_RESTRUCTURING_POLICY`. */
      readonly policy?: RestructuringPolicy;
    }
  | {
      readonly kind: 'offer-settlement';
      readonly clientId: string;
      readonly loanId: string;
      readonly offerMinor: number;
      readonly validThroughDay: Day;
      readonly day: Day;
    };

/** What a command did: the events it appended and the postings they made. Plain JSON data. */
export interface LedgerCommandResult {
  readonly kind: LedgerCommand['kind'];
  readonly lineEvents: readonly CreditLineEvent[];
  readonly loanEvents: readonly LoanEvent[];
  readonly bookEvents: readonly BookEvent[];
  readonly postings: readonly Posting[];
}

/** Everything the commands act on: credit lines, loans (with their books) and each loan's snapshots. */
export interface LedgerBook {
  readonly lines: { readonly [lineId: string]: CreditLineState };
  readonly loans: { readonly [loanId: string]: LoanBooks };
  readonly snapshots: { readonly [loanId: string]: readonly LoanSnapshot[] };
}

export const EMPTY_LEDGER_BOOK: LedgerBook = { lines: {}, loans: {}, snapshots: {} };

function lineOf(book: LedgerBook, lineId: string): CreditLineState {
  const line = Object.hasOwn(book.lines, lineId) ? book.lines[lineId] : undefined;
  if (line === undefined) {
    throw new LedgerInputError('line_not_found', 'lineId', `no credit line ${lineId}; open it first`);
  }
  return line;
}

function loanOf(book: LedgerBook, loanId: string): LoanBooks {
  const loan = Object.hasOwn(book.loans, loanId) ? book.loans[loanId] : undefined;
  if (loan === undefined) {
    throw new LedgerInputError(
      'loan_not_found',
      'loanId',
      `no loan ${loanId}; draw it on a credit line first`,
    );
  }
  return loan;
}

const nothing = { lineEvents: [], loanEvents: [], bookEvents: [], postings: [] } as const;

/** What new engine events change: the loan's books, its credit line, its snapshots. */
interface LoanChange {
  readonly loan: LoanBooks;
  readonly line: CreditLineState;
  readonly snapshots: readonly LoanSnapshot[];
  readonly lineEvents: readonly CreditLineEvent[];
  readonly postings: Posting[];
}

/** Posts new engine events to the loan's books and brings its credit line in step with its principal. */
function afterLoanEvents(
  book: LedgerBook,
  loanId: string,
  events: readonly LoanEvent[],
  snapshots: readonly LoanSnapshot[],
  day: Day,
  engineState: LoanState,
): LoanChange {
  const posted = postLoanEvents(loanOf(book, loanId), events);
  // The books fold the same events as the engine; the engine's own state also carries its EOD marker.
  invariant(
    posted.books.state.seq === engineState.seq,
    () => `loan ${loanId}: books and engine disagree on the log`,
  );
  // As the line counts it: principal drawn, never amounts a restructuring capitalised (change planner).
  const synced = syncLoanPrincipal(lineOf(book, engineState.lineId), loanId, principalOf(engineState), day);
  return {
    loan: { ...posted.books, state: engineState },
    line: synced.line,
    snapshots,
    lineEvents: synced.events,
    postings: posted.postings,
  };
}

function withChange(book: LedgerBook, change: LoanChange): LedgerBook {
  const loanId = change.loan.loanId;
  return {
    lines: { ...book.lines, [change.line.lineId]: change.line },
    loans: { ...book.loans, [loanId]: change.loan },
    snapshots: { ...book.snapshots, [loanId]: change.snapshots },
  };
}

function execute(book: LedgerBook, c: LedgerCommand): { state: LedgerBook; result: LedgerCommandResult } {
  const lineStep = (step: { line: CreditLineState; events: readonly CreditLineEvent[] }) => ({
    state: { ...book, lines: { ...book.lines, [step.line.lineId]: step.line } },
    result: { kind: c.kind, ...nothing, lineEvents: step.events },
  });
  switch (c.kind) {
    case 'open-line':
      if (Object.hasOwn(book.lines, c.lineId)) {
        throw new LedgerInputError(
          'line_id_taken',
          'lineId',
          `credit line ${c.lineId} exists; use a new line id`,
        );
      }
      return lineStep(openLine(c));
    case 'change-limit':
      return lineStep(changeLimit(lineOf(book, c.lineId), c.limitMinor, c.day));
    case 'freeze-line':
      return lineStep(freezeLine(lineOf(book, c.lineId), c.reason, c.day));
    case 'unfreeze-line':
      return lineStep(unfreezeLine(lineOf(book, c.lineId), c.day));
    case 'close-line':
      return lineStep(closeLine(lineOf(book, c.lineId), c.day));
    case 'draw': {
      if (Object.hasOwn(book.loans, c.loanId)) {
        throw new LedgerInputError('loan_id_taken', 'loanId', `loan ${c.loanId} exists; use a new loan id`);
      }
      const line = lineOf(book, c.lineId);
      const product = parseProduct(c.product);
      // The line refuses first (frozen, closed, above the available amount); only then is a loan made.
      const drawn = drawdown(line, { ...c, product });
      const loan = drawn.loan;
      const opened = openLoanBooks(loan.events);
      return {
        state: {
          lines: { ...book.lines, [line.lineId]: drawn.line },
          loans: { ...book.loans, [c.loanId]: opened.books },
          snapshots: { ...book.snapshots, [c.loanId]: [] },
        },
        result: {
          kind: c.kind,
          ...nothing,
          lineEvents: drawn.lineEvents,
          loanEvents: loan.events,
          postings: opened.postings,
        },
      };
    }
    case 'repay':
    case 'waive': {
      const loan = loanOf(book, c.loanId);
      const state = loan.state;
      let events: readonly LoanEvent[];
      let engineState: LoanState;
      let snapshots = book.snapshots[c.loanId] ?? [];
      if (c.day <= state.lastClosedDay) {
        // A backdated command: replayed from the last snapshot before its day.
        const r = applyBackdated(
          loan.engineLog,
          snapshots,
          state.lastClosedDay,
          c.kind === 'repay'
            ? {
                type: 'repay',
                amountMinor: c.amountMinor,
                day: c.day,
                clientId: c.clientId,
                excess: c.excess,
              }
            : {
                type: 'waive',
                component: c.component,
                amountMinor: c.amountMinor,
                day: c.day,
                clientId: c.clientId,
              },
        );
        events = r.appended;
        snapshots = r.snapshots;
        engineState = r.state;
      } else {
        const r =
          c.kind === 'repay'
            ? repay(state, { amountMinor: c.amountMinor, day: c.day, clientId: c.clientId, excess: c.excess })
            : waive(state, {
                component: c.component,
                amountMinor: c.amountMinor,
                day: c.day,
                clientId: c.clientId,
              });
        events = r.events;
        engineState = r.state;
      }
      const done = afterLoanEvents(book, c.loanId, events, snapshots, c.day, engineState);
      return {
        state: withChange(book, done),
        result: {
          kind: c.kind,
          ...nothing,
          lineEvents: done.lineEvents,
          loanEvents: events,
          postings: done.postings,
        },
      };
    }
    case 'write-off': {
      // Written off as it stands at the start of its day: the days before it are closed first, so that
      // interest and penalty up to then are posted and written off with the rest.
      let current = book;
      let closing: LoanChange | null = null;
      const before = loanOf(book, c.loanId);
      if (before.writtenOff === null && before.state.lastClosedDay < c.day - 1) {
        const r = closeDaysThrough(before.state, c.day - 1);
        closing = afterLoanEvents(book, c.loanId, r.events, book.snapshots[c.loanId] ?? [], c.day, r.state);
        current = withChange(book, closing);
      }
      const w = writeOffLoan(loanOf(current, c.loanId), c);
      // The principal leaves the books, so it no longer uses the line.
      const line = lineOf(current, w.books.state.lineId);
      const synced = syncLoanPrincipal(line, c.loanId, 0, c.day);
      return {
        state: {
          ...current,
          lines: { ...current.lines, [line.lineId]: synced.line },
          loans: { ...current.loans, [c.loanId]: w.books },
        },
        result: {
          kind: c.kind,
          ...nothing,
          lineEvents: [...(closing?.lineEvents ?? []), ...synced.events],
          loanEvents: closing === null ? [] : [...closing.loan.engineLog.slice(before.engineLog.length)],
          bookEvents: [w.event],
          postings: [...(closing?.postings ?? []), ...w.postings],
        },
      };
    }
    case 'restructure':
    case 'offer-settlement': {
      // Never backdated: they take effect on their day, after the days before it are closed.
      const loan = loanOf(book, c.loanId);
      if (c.day <= loan.state.lastClosedDay) {
        throw new LedgerInputError(
          'day_already_closed',
          'day',
          `day ${c.day} is already closed for loan ${c.loanId}; ${c.kind === 'restructure' ? 'a restructuring' : 'a settlement offer'} takes effect on a day not yet closed`,
        );
      }
      let snapshots = book.snapshots[c.loanId] ?? [];
      let state = loan.state;
      const events: LoanEvent[] = [];
      while (state.lastClosedDay < c.day - 1) {
        const monthEnd = Math.min(endOfMonth(state.lastClosedDay + 1), c.day - 1);
        const r = closeDaysThrough(state, monthEnd);
        state = r.state;
        events.push(...r.events);
        if (isSnapshotDay(monthEnd)) snapshots = [...snapshots, takeSnapshot(state)];
      }
      const r =
        c.kind === 'restructure'
          ? restructure(state, {
              ...c.request,
              day: c.day,
              clientId: c.clientId,
              ...(c.policy === undefined ? {} : { policy: c.policy }),
            })
          : offerSettlement(state, {
              offerMinor: c.offerMinor,
              validThroughDay: c.validThroughDay,
              day: c.day,
              clientId: c.clientId,
            });
      events.push(...r.events);
      const done = afterLoanEvents(book, c.loanId, events, snapshots, c.day, r.state);
      return {
        state: withChange(book, done),
        result: {
          kind: c.kind,
          ...nothing,
          lineEvents: done.lineEvents,
          loanEvents: events,
          postings: done.postings,
        },
      };
    }
    case 'recover': {
      const r = recoverAfterWriteOff(loanOf(book, c.loanId), c);
      return {
        state: { ...book, loans: { ...book.loans, [c.loanId]: r.books } },
        result: { kind: c.kind, ...nothing, bookEvents: [r.event], postings: r.postings },
      };
    }
  }
}

/**
 * Runs one ledger command idempotently: a repeat of the same command returns the first result and changes
 * nothing; the same client id with different content throws `CommandConflictError` naming the field.
 * Refused commands (typed `LedgerInputError`s) change nothing and are not recorded.
 */
export function handleCommand(
  book: LedgerBook,
  log: CommandLog<LedgerCommandResult>,
  command: LedgerCommand,
): {
  book: LedgerBook;
  log: CommandLog<LedgerCommandResult>;
  result: LedgerCommandResult;
  repeated: boolean;
} {
  const done = runIdempotent(book, log, command, execute);
  return { book: done.state, log: done.log, result: done.result, repeated: done.repeated };
}

/**
 * The end-of-day step for every loan through business day `day` (not a client command: idempotent through
 * each loan's last-closed-day marker, so a rerun posts nothing twice). Takes a snapshot at each month end.
 */
export function closeBusinessDaysThrough(
  book: LedgerBook,
  day: Day,
): { book: LedgerBook; loanEvents: LoanEvent[]; postings: Posting[] } {
  // Built in place and returned as new objects: one copy per run, not one per loan.
  const lines: Record<string, CreditLineState> = { ...book.lines };
  const loans: Record<string, LoanBooks> = { ...book.loans };
  const allSnapshots: Record<string, readonly LoanSnapshot[]> = { ...book.snapshots };
  const loanEvents: LoanEvent[] = [];
  const postings: Posting[] = [];
  for (const loanId of Object.keys(loans)) {
    const loan = loans[loanId]!;
    if (loan.writtenOff !== null || loan.state.lastClosedDay >= day) continue;
    let state = loan.state;
    let snapshots = allSnapshots[loanId] ?? [];
    const events: LoanEvent[] = [];
    // Month by month, so that each month end leaves a snapshot for backdated replays.
    while (state.lastClosedDay < day) {
      const monthEnd = Math.min(endOfMonth(state.lastClosedDay + 1), day);
      const r = closeDaysThrough(state, monthEnd);
      state = r.state;
      events.push(...r.events);
      if (isSnapshotDay(monthEnd)) snapshots = [...snapshots, takeSnapshot(state)];
    }
    allSnapshots[loanId] = snapshots;
    if (events.length === 0) {
      // Most loans on most days: only the EOD marker moves.
      loans[loanId] = { ...loan, state };
      continue;
    }
    const done = afterLoanEvents(
      { lines, loans, snapshots: allSnapshots },
      loanId,
      events,
      snapshots,
      day,
      state,
    );
    lines[done.line.lineId] = done.line;
    loans[loanId] = done.loan;
    loanEvents.push(...events);
    postings.push(...done.postings);
  }
  return { book: { lines, loans, snapshots: allSnapshots }, loanEvents, postings };
}
