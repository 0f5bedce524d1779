import { type Day, endOfMonth, formatDate, invariant } from '../../money/index.js';
import { type CreditLineState, syncLoanPrincipal } from '../credit-line/index.js';
import { LedgerInputError } from '../errors.js';
import {
  applyBackdated,
  applyEvent,
  type BackdatedCommand,
  type CommandResult,
  capitalisedPrincipalMinor,
  closeDaysThrough,
  isSnapshotDay,
  type LoanEvent,
  type LoanPosition,
  type LoanSnapshot,
  type LoanState,
  loanAsOf,
  loanPosition,
  type OfferSettlementInput,
  offerSettlement,
  type RestructureCommand,
  repay,
  restructure,
  takeSnapshot,
  waive,
} from '../loan/index.js';
import { type Posting, postingsForEvent } from '../postings/index.js';
import type { LineStep, LoanChange, LoanHistory, SeqPosting } from './types.js';

/**
 * Outstanding principal as the credit line counts it: the principal drawn, never amounts a restructuring
 * capitalised into principal (they were not drawn on the line; repayments restore the line first).
 */
export function principalOf(state: LoanState, position?: LoanPosition): number {
  // A written-off loan no longer uses its line: the claim is off the books.
  if (state.status === 'written-off') return 0;
  // `position`, when given, is loanPosition(state) already worked out by the caller.
  const p = position ?? loanPosition(state);
  return Math.max(0, p.outstandingPrincipalMinor - capitalisedPrincipalMinor(state));
}

/** A 减免结清 offer as a loan command (never backdated). */
export type SettlementOfferCommand = { readonly type: 'offer-settlement' } & OfferSettlementInput;

/**
 * A command the planner takes: a repayment or waiver (may be backdated), a restructuring or a settlement
 * offer (never backdated).
 */
export type LoanChangeCommand = BackdatedCommand | RestructureCommand | SettlementOfferCommand;

function runForward(state: LoanState, command: LoanChangeCommand): CommandResult {
  switch (command.type) {
    case 'repay':
      return repay(state, command);
    case 'waive':
      return waive(state, command);
    case 'restructure':
      return restructure(state, command);
    case 'offer-settlement':
      return offerSettlement(state, command);
  }
}

/**
 * Closes a state's days through `day` month by month, taking a snapshot at each month end closed on the
 * way (the snapshot policy of `isSnapshotDay`). A loan still active at the month end gets its snapshot even
 * when closing that day wrote no event: a repayment on the month end accrues the day's interest itself, and a
 * loan drawn that day has nothing to accrue, yet both are on the book at that month end and the month-end
 * reports read their snapshot. A settled or written-off loan with nothing new gets none.
 */
export function closeWithSnapshots(
  state: LoanState,
  day: Day,
): { state: LoanState; events: LoanEvent[]; snapshots: LoanSnapshot[] } {
  const events: LoanEvent[] = [];
  const snapshots: LoanSnapshot[] = [];
  let s = state;
  while (s.lastClosedDay < day) {
    const monthEnd = Math.min(endOfMonth(s.lastClosedDay + 1), day);
    const r = closeDaysThrough(s, monthEnd);
    s = r.state;
    for (const e of r.events) events.push(e);
    if (isSnapshotDay(monthEnd) && (r.events.length > 0 || s.status === 'active'))
      snapshots.push(takeSnapshot(s));
  }
  return { state: s, events, snapshots };
}

/**
 * The postings of new events, each posted against the state just before it. A supersession marker
 * reverses the stored postings of the events it cancels that are still in force (from `history`) and
 * restarts the state from the day before its effective day, as the engine does.
 */
export function postingsOfEvents(
  before: LoanState,
  events: readonly LoanEvent[],
  history?: LoanHistory,
): SeqPosting[] {
  const made: SeqPosting[] = [];
  let state = before;
  let log: LoanEvent[] | undefined;
  for (const event of events) {
    let posted: Posting[];
    if (event.type === 'EventsSuperseded') {
      invariant(
        history !== undefined,
        () => `loan ${before.loanId}: a supersession needs the loan's history`,
      );
      log ??= [...history.log];
      const markers = new Set(log.filter((e) => e.type === 'EventsSuperseded').map((e) => e.seq));
      const cancelledBefore = new Set<number>();
      for (const e of log) {
        if (e.type !== 'EventsSuperseded') continue;
        for (let s = e.fromSeq; s <= e.toSeq; s++) if (!markers.has(s)) cancelledBefore.add(s);
      }
      const cancelled: Posting[] = [];
      for (let s = event.fromSeq; s <= event.toSeq; s++) {
        if (markers.has(s) || cancelledBefore.has(s)) continue;
        cancelled.push(...(history.postingsBySeq.get(s) ?? []));
      }
      posted = postingsForEvent(event, state, cancelled);
      state = applyEvent(loanAsOf(log, event.day - 1), event);
    } else {
      posted = postingsForEvent(event, state);
      state = applyEvent(state, event);
    }
    log?.push(event);
    for (const posting of posted) made.push({ seq: event.seq, posting });
  }
  return made;
}

/**
 * The first event seq whose stored postings a command dated `day` may reverse: the shell loads the
 * postings of the events from this seq on into `LoanHistory.postingsBySeq` (a superset of those needed).
 */
export function journalSeqsFrom(log: readonly LoanEvent[], day: Day): number {
  let from = Number.POSITIVE_INFINITY;
  for (const e of log) if (e.type !== 'EventsSuperseded' && e.day >= day && e.seq < from) from = e.seq;
  return from === Number.POSITIVE_INFINITY ? (log.at(-1)?.seq ?? 0) + 1 : from;
}

/** The line's step for one change against `line` (the line as the changes before this one left it). */
function lineStepOf(line: CreditLineState, change: LoanChange): LineStep | null {
  const move = change.lineMove;
  if (move === null) return null;
  invariant(
    line.lineId === move.lineId && line.customerId === change.customerId,
    () => `loan ${change.loanId}: line ${line.lineId} of ${line.customerId} is not its line`,
  );
  const step = syncLoanPrincipal(line, move.loanId, move.outstandingPrincipalMinor, move.day);
  return { before: line, after: step.line, events: step.events };
}

/** The change from `before` to `state` by `events` (their postings, the line's move); internal to change/. */
export function changeOf(
  before: LoanState,
  state: LoanState,
  events: readonly LoanEvent[],
  snapshots: readonly LoanSnapshot[],
  lineDay: Day,
  options: { history?: LoanHistory; dropSnapshotsFromDay?: Day; line?: CreditLineState | null },
): LoanChange {
  const principalAfter = principalOf(state);
  const moved = principalAfter !== principalOf(before);
  const change: LoanChange = {
    customerId: before.customerId,
    loanId: before.loanId,
    lineId: before.lineId,
    before,
    state,
    events,
    postings: postingsOfEvents(before, events, options.history),
    snapshots,
    dropSnapshotsFromDay: options.dropSnapshotsFromDay ?? null,
    lineMove: moved
      ? {
          lineId: before.lineId,
          loanId: before.loanId,
          outstandingPrincipalMinor: principalAfter,
          day: lineDay,
        }
      : null,
    line: null,
  };
  const line = options.line ?? null;
  return line === null ? change : { ...change, line: lineStepOf(line, change) };
}

/**
 * End of day for one loan: closes its days through `day` (month-end snapshots on the way), with the
 * postings of the closing events and the line's move when credit applied to a due instalment moved the
 * principal. Nothing to do (already closed through `day`) gives a change with no events.
 */
export function planClose(state: LoanState, day: Day, line: CreditLineState | null = null): LoanChange {
  const closed = closeWithSnapshots(state, day);
  for (const e of closed.events) {
    invariant(e.type !== 'EventsSuperseded', () => `closing days of loan ${state.loanId} superseded events`);
  }
  return changeOf(state, closed.state, closed.events, closed.snapshots, day, { line });
}

/**
 * A repayment or waiver. Dated after the loan's last closed day, the loan is closed through the day
 * before the command first; dated on a closed day, it is a backdated correction (supersession and replay
 * from the last snapshot before it), which needs the loan's `history`. With the line's state, the change
 * carries the line's step as well.
 */
export function planCommand(
  state: LoanState,
  line: CreditLineState | null,
  command: LoanChangeCommand,
  history?: LoanHistory,
): LoanChange {
  // Money on a written-off loan is a recovery booked on its day, never a correction of a closed day: a
  // recovery moves the loan's closed marker to its own day, so a second one that day is as forward as the
  // first (the recovery itself refuses a day before the loan's last event).
  const recovery = state.status === 'written-off' && command.type === 'repay';
  if (command.day > state.lastClosedDay || (recovery && command.day === state.lastClosedDay)) {
    const closed = closeWithSnapshots(state, command.day - 1);
    const r = runForward(closed.state, command);
    return changeOf(state, r.state, [...closed.events, ...r.events], closed.snapshots, command.day, { line });
  }
  if (command.type === 'restructure' || command.type === 'offer-settlement') {
    const what = command.type === 'restructure' ? 'a restructuring' : 'a settlement offer';
    throw new LedgerInputError(
      'day_already_closed',
      'day',
      `day ${formatDate(command.day)} is already closed for loan ${state.loanId}; ${what} takes effect on the business day or later, never on a closed day`,
    );
  }
  invariant(
    history !== undefined,
    () => `loan ${state.loanId}: a backdated command needs the loan's history`,
  );
  const r = applyBackdated(history.log, history.snapshots, state.lastClosedDay, command);
  // The snapshots still valid are stored already: only those taken while replaying are new.
  const stored = new Set(history.snapshots.map((s) => s.state.seq));
  const taken = r.snapshots.filter((s) => !stored.has(s.state.seq));
  return changeOf(state, r.state, r.appended, taken, Math.max(command.day, state.lastClosedDay), {
    history,
    dropSnapshotsFromDay: command.day,
    line,
  });
}

/**
 * The state planClose leaves, without the change around it (postings, snapshots, the line's move): for a
 * caller that keeps only the loan's state, such as the strategy lab. The same engine steps.
 */
export function closedState(state: LoanState, day: Day): LoanState {
  return closeWithSnapshots(state, day).state;
}

/**
 * The state planCommand leaves for a command dated after the loan's last closed day, without the change's
 * postings and snapshots (the strategy lab keeps only states). A command on a closed day is a backdated
 * correction, which needs the loan's history: it goes through planCommand.
 */
export function commandedState(
  state: LoanState,
  command: LoanChangeCommand,
  history?: LoanHistory,
): LoanState {
  if (command.day <= state.lastClosedDay) return planCommand(state, null, command, history).state;
  return runForward(closeWithSnapshots(state, command.day - 1).state, command).state;
}

/**
 * closedState with the events the close wrote, and commandedState with the events the command wrote (its
 * close to the eve first): for a caller that keeps a loan's events beside its state, such as the strategy lab
 * folding them into the behaviour score's history. The same engine steps.
 */
export function closedStep(state: LoanState, day: Day): { state: LoanState; events: readonly LoanEvent[] } {
  const r = closeWithSnapshots(state, day);
  return { state: r.state, events: r.events };
}

export function commandedStep(
  state: LoanState,
  command: LoanChangeCommand,
  history?: LoanHistory,
): { state: LoanState; events: readonly LoanEvent[] } {
  if (command.day <= state.lastClosedDay) {
    const change = planCommand(state, null, command, history);
    return { state: change.state, events: change.events };
  }
  const closed = closeWithSnapshots(state, command.day - 1);
  const r = runForward(closed.state, command);
  if (closed.events.length === 0) return { state: r.state, events: r.events };
  return { state: r.state, events: [...closed.events, ...r.events] };
}

/**
 * A new loan (a drawdown) as a change: its opening events and their postings, the first posted against
 * no loan and the rest against the opened state. The line's drawing is the drawdown's own step.
 */
export function planOpening(opened: CommandResult): LoanChange {
  const { state, events } = opened;
  const postings: SeqPosting[] = [];
  let before: LoanState | null = null;
  for (const e of events) {
    for (const posting of postingsForEvent(e, before)) postings.push({ seq: e.seq, posting });
    before = before === null ? state : applyEvent(before, e);
  }
  return {
    customerId: state.customerId,
    loanId: state.loanId,
    lineId: state.lineId,
    before: null,
    state,
    events,
    postings,
    snapshots: [],
    dropSnapshotsFromDay: null,
    lineMove: null,
    line: null,
  };
}

/**
 * Plans the line steps of several changes, in their order: each change whose principal moved is stepped
 * against its line as the changes before it left it. `lines` holds the lines' states by line id; the
 * lines' final states are returned with the changes.
 */
export function withLineSteps(
  changes: readonly LoanChange[],
  lines: ReadonlyMap<string, CreditLineState>,
): { changes: LoanChange[]; lines: Map<string, CreditLineState> } {
  const current = new Map(lines);
  const out = changes.map((change) => {
    if (change.lineMove === null) return change;
    const line = current.get(change.lineMove.lineId);
    invariant(line !== undefined, () => `loan ${change.loanId} names missing line ${change.lineId}`);
    const step = lineStepOf(line, change);
    if (step !== null) current.set(change.lineMove.lineId, step.after);
    return { ...change, line: step };
  });
  return { changes: out, lines: current };
}
