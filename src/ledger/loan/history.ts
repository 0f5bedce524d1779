import { type Day, endOfMonth, formatDate, invariant } from '../../money/index.js';
import { LedgerInputError } from '../errors.js';
import { type CommandResult, refundCredit, repay, waive, waivePrincipal } from './commands.js';
import { nextEventDayOf } from './days-past-due.js';
import { closeDaysThrough } from './eod.js';
import { isCommandEvent, type LoanCommandEvent, type LoanEvent } from './events.js';
import { applyEvent, openedState } from './fold.js';
import type { LoanState } from './state.js';
import { updated } from './update.js';

/**
 * The stored log is append-only. A backdated command does not edit it: it appends an `EventsSuperseded`
 * marker naming the range of events it replaces, then the recomputed events. The effective history is the
 * log without every superseded range (a superseded event never comes back).
 */
export function effectiveEvents(log: readonly LoanEvent[]): LoanEvent[] {
  const ranges: [number, number][] = [];
  for (const e of log) if (e.type === 'EventsSuperseded') ranges.push([e.fromSeq, e.toSeq]);
  if (ranges.length === 0) return [...log];
  return log.filter((e) => !ranges.some(([from, to]) => e.seq >= from && e.seq <= to));
}

/** Folds events into a state, from the opening (or from `from`, a state they follow). */
function fold(events: readonly LoanEvent[], from?: LoanState): LoanState {
  let state = from;
  for (const e of events) {
    if (state === undefined) {
      invariant(e.type === 'LoanOpened', 'a loan history must start with LoanOpened');
      state = openedState(e);
    } else {
      state = applyEvent(state, e);
    }
  }
  invariant(state !== undefined, 'an empty history has no state');
  return state;
}

/** The state from the whole effective history, from scratch. */
export function replay(log: readonly LoanEvent[]): LoanState {
  return fold(effectiveEvents(log));
}

/**
 * A snapshot: a state and, in it, the stored sequence number it includes (`state.seq`) and the day it is
 * closed through (`state.lastClosedDay`). Policy: one after closing each month end (`isSnapshotDay`).
 * Snapshots are derived data: they can always be rebuilt from the log, and a backdated correction replaces
 * those from its day on.
 */
export interface LoanSnapshot {
  readonly state: LoanState;
}

export function isSnapshotDay(day: Day): boolean {
  return day === endOfMonth(day);
}

export function takeSnapshot(state: LoanState): LoanSnapshot {
  return { state };
}

/** The latest usable snapshot closed through `day` or earlier (one whose last event still counts). */
function snapshotBefore(
  log: readonly LoanEvent[],
  snapshots: readonly LoanSnapshot[],
  superseded: (seq: number) => boolean,
  day: Day,
): LoanSnapshot | undefined {
  let best: LoanSnapshot | undefined;
  for (const snap of snapshots) {
    const s = snap.state;
    if (s.lastClosedDay > day || superseded(s.seq) || s.seq > log.length) continue;
    if (best === undefined || s.lastClosedDay > best.state.lastClosedDay) best = snap;
  }
  return best;
}

function supersededTest(log: readonly LoanEvent[]): (seq: number) => boolean {
  const ranges: [number, number][] = [];
  for (const e of log) if (e.type === 'EventsSuperseded') ranges.push([e.fromSeq, e.toSeq]);
  return (seq) => ranges.some(([from, to]) => seq >= from && seq <= to);
}

/**
 * The loan as of the end of `day`: the fold of the effective events up to that day, starting from the latest
 * snapshot before it when one is given. `closedThroughDay` (the loan's EOD marker, kept with the log by the
 * shell) refuses a day the end-of-day step has not reached yet.
 */
export function loanAsOf(
  log: readonly LoanEvent[],
  day: Day,
  snapshots: readonly LoanSnapshot[] = [],
  closedThroughDay?: Day,
): LoanState {
  const first = log[0];
  invariant(first?.type === 'LoanOpened', 'a loan history must start with LoanOpened');
  if (day < first.day) {
    throw new LedgerInputError(
      'day_before_start',
      'day',
      `day ${formatDate(day)} is before loan ${first.loanId} began on ${formatDate(first.day)}`,
    );
  }
  if (closedThroughDay !== undefined && day > closedThroughDay) {
    throw new LedgerInputError(
      'day_not_closed',
      'day',
      `loan ${first.loanId} is closed through ${formatDate(closedThroughDay)}; run the end-of-day step through ${formatDate(day)} before asking for it`,
    );
  }
  const superseded = supersededTest(log);
  const snap = snapshotBefore(log, snapshots, superseded, day);
  let state: LoanState | undefined = snap?.state;
  // A stored log holds event seq n at index n − 1: start right after the snapshot, not at the beginning.
  let from = state === undefined ? 0 : state.seq;
  if (from > 0 && log[from - 1]?.seq !== from) from = 0;
  for (let i = from; i < log.length; i++) {
    const e = log[i]!;
    if (superseded(e.seq) || (state !== undefined && e.seq <= state.seq)) continue;
    if (e.day > day) break; // the effective events are in day order
    state = state === undefined ? fold([e]) : applyEvent(state, e);
  }
  invariant(state !== undefined, 'no state');
  const closed = updated(state, { lastClosedDay: Math.max(state.lastClosedDay, day) });
  return updated(closed, { nextEventDay: nextEventDayOf(closed, closed.lastClosedDay + 1) });
}

/** Re-runs one command (as recorded) on a state. */
function rerun(state: LoanState, c: LoanCommandEvent): CommandResult {
  switch (c.type) {
    case 'Repaid':
      return repay(state, { amountMinor: c.amountMinor, day: c.day, clientId: c.clientId, excess: c.excess });
    case 'Waived':
      return waive(state, {
        component: c.component,
        amountMinor: c.amountMinor,
        day: c.day,
        clientId: c.clientId,
      });
    case 'PrincipalWaived':
      return waivePrincipal(state, { amountMinor: c.amountMinor, day: c.day, clientId: c.clientId });
    case 'CreditRefunded':
      return refundCredit(state, { amountMinor: c.amountMinor, day: c.day, clientId: c.clientId });
    case 'LoanOpened':
      invariant(false, 'a loan cannot be reopened');
  }
  return { state, events: [] };
}

export type BackdatedCommand =
  | {
      readonly type: 'repay';
      readonly amountMinor: number;
      readonly day: Day;
      readonly clientId: string;
      readonly excess?: 'prepay' | 'credit';
    }
  | {
      readonly type: 'waive';
      readonly component: 'penalty' | 'interest' | 'fee';
      readonly amountMinor: number;
      readonly day: Day;
      readonly clientId: string;
    };

export interface BackdatedResult {
  /** What to append to the stored log: the `EventsSuperseded` marker, then the recomputed events. */
  readonly appended: LoanEvent[];
  readonly state: LoanState;
  /** The snapshots still valid plus those taken while replaying. */
  readonly snapshots: LoanSnapshot[];
}

/**
 * A command effective on a day already closed (a backdated repayment or waiver). Starts from the last
 * snapshot before its day, re-applies it and every later command in their order (each at its own day), and
 * recomputes every derived event (accruals, dues, overdue transitions, bucket changes) up to the loan's
 * last closed day. The cost depends on how far back the day is, not on the loan's age.
 */
export function applyBackdated(
  log: readonly LoanEvent[],
  snapshots: readonly LoanSnapshot[],
  closedThroughDay: Day,
  command: BackdatedCommand,
): BackdatedResult {
  const first = log[0];
  invariant(first?.type === 'LoanOpened', 'a loan history must start with LoanOpened');
  if (command.day <= first.day) {
    throw new LedgerInputError(
      'day_before_start',
      'day',
      `a backdated command must fall after the drawdown day ${formatDate(first.day)}; got ${formatDate(command.day)}`,
    );
  }
  if (command.day > closedThroughDay) {
    throw new LedgerInputError(
      'day_not_closed',
      'day',
      `day ${formatDate(command.day)} is not closed yet (closed through ${formatDate(closedThroughDay)}); apply the command normally`,
    );
  }
  const effective = effectiveEvents(log);
  const tail = effective.filter((e) => e.day >= command.day);
  const base = loanAsOf(log, command.day - 1, snapshots);
  const lastSeq = log[log.length - 1]!.seq;
  const marker: LoanEvent = {
    type: 'EventsSuperseded',
    loanId: first.loanId,
    seq: lastSeq + 1,
    day: command.day,
    fromSeq: tail[0]?.seq ?? lastSeq + 1,
    toSeq: lastSeq,
    causeClientId: command.clientId,
  };
  let state = applyEvent(base, marker);
  const appended: LoanEvent[] = [marker];
  const kept = snapshots.filter((s) => s.state.lastClosedDay < command.day && s.state.seq < marker.fromSeq);
  const taken: LoanSnapshot[] = [];
  const closeTo = (day: Day): void => {
    // Close month by month so that a snapshot is taken at each month end on the way.
    while (state.lastClosedDay < day) {
      const monthEnd = Math.min(endOfMonth(state.lastClosedDay + 1), day);
      const r = closeDaysThrough(state, monthEnd);
      state = r.state;
      appended.push(...r.events);
      if (isSnapshotDay(monthEnd)) taken.push(takeSnapshot(state));
    }
  };
  const later = tail.filter(isCommandEvent);
  let inserted = false;
  const run = (c: LoanCommandEvent | BackdatedCommand): void => {
    closeTo(c.day - 1);
    const r = c.type === 'repay' ? repay(state, c) : c.type === 'waive' ? waive(state, c) : rerun(state, c);
    state = r.state;
    appended.push(...r.events);
  };
  for (const c of later) {
    if (!inserted && c.day > command.day) {
      run(command);
      inserted = true;
    }
    run(c);
  }
  if (!inserted) run(command);
  closeTo(closedThroughDay);
  return { appended, state, snapshots: [...kept, ...taken] };
}
