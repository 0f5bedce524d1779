import { type Day, endOfMonth, formatDate, invariant } from '../../money/index.js';
import { LedgerInputError } from '../errors.js';
import {
  type CommandResult,
  offerSettlement,
  refundCredit,
  repay,
  waive,
  waivePrincipal,
} from './commands.js';
import { nextEventDayOf } from './days-past-due.js';
import { closeDaysThrough } from './eod.js';
import { isCommandEvent, type LoanCommandEvent, type LoanEvent } from './events.js';
import { applyEvent, openedState } from './fold.js';
import { restructure } from './restructure.js';
import { isSettlementWaiver } from './settlement.js';
import type { LoanState } from './state.js';
import { updated } from './update.js';

/**
 * The stored log is append-only. A backdated command does not edit it: it appends an `EventsSuperseded`
 * marker naming the range of events it replaces, then the recomputed events. The effective history is the
 * log without every superseded range (a superseded event never comes back).
 */
export function effectiveEvents(log: readonly LoanEvent[]): LoanEvent[] {
  return [...indexOf(log).effective];
}

/**
 * What the history functions need to know about a stored log, kept per log array and extended as the array
 * grows (a log is append-only), so that a backdated command or an as-of query costs what the events after
 * its day cost, not a pass over the whole log: the effective events in order (their seq and day both
 * increase) and, by sequence number, whether an event was superseded.
 */
interface LogIndex {
  /** Events of the log read into the index, and the last of them (to notice an array that was rewritten). */
  count: number;
  last: LoanEvent | undefined;
  readonly effective: LoanEvent[];
  /** `superseded[seq]` is true for an event a correction cancelled. */
  readonly superseded: boolean[];
}

const indexes = new WeakMap<readonly LoanEvent[], LogIndex>();

function indexOf(log: readonly LoanEvent[]): LogIndex {
  let ix = indexes.get(log);
  if (ix === undefined || ix.count > log.length || (ix.count > 0 && log[ix.count - 1] !== ix.last)) {
    ix = { count: 0, last: undefined, effective: [], superseded: [] };
    indexes.set(log, ix);
  }
  for (; ix.count < log.length; ix.count++) {
    const e = log[ix.count]!;
    if (e.type === 'EventsSuperseded') {
      for (let seq = e.fromSeq; seq <= e.toSeq; seq++) ix.superseded[seq] = true;
      const eff = ix.effective;
      const lastSeq = eff[eff.length - 1]?.seq ?? 0;
      if (e.toSeq >= lastSeq) {
        // The usual correction: it cancels the tail of the effective history.
        while (eff.length > 0 && eff[eff.length - 1]!.seq >= e.fromSeq) eff.pop();
      } else {
        const keep = eff.filter((x) => x.seq < e.fromSeq || x.seq > e.toSeq);
        eff.length = 0;
        eff.push(...keep);
      }
    }
    ix.effective.push(e);
    ix.last = e;
  }
  return ix;
}

/** Index in `events` (ordered by `key`) of the first element whose key is at least `value`. */
function firstAtLeast(events: readonly LoanEvent[], value: number, key: 'day' | 'seq'): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]![key] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
  return fold(indexOf(log).effective);
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

/**
 * The latest usable snapshot closed through `day` or earlier (one whose last event still counts). One
 * comparison per snapshot, no allocation: a loan has one a month.
 */
function snapshotBefore(
  log: readonly LoanEvent[],
  snapshots: readonly LoanSnapshot[],
  superseded: readonly boolean[],
  day: Day,
): LoanSnapshot | undefined {
  let best: LoanSnapshot | undefined;
  for (let i = snapshots.length - 1; i >= 0; i--) {
    const snap = snapshots[i]!;
    const s = snap.state;
    if (s.lastClosedDay > day || superseded[s.seq] === true || s.seq > log.length) continue;
    if (best === undefined || s.lastClosedDay > best.state.lastClosedDay) best = snap;
  }
  return best;
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
  const ix = indexOf(log);
  const snap = snapshotBefore(log, snapshots, ix.superseded, day);
  let state: LoanState | undefined = snap?.state;
  // Start right after the snapshot's last event, and stop at the first event after the day: the effective
  // events are in day order.
  const eff = ix.effective;
  for (let i = state === undefined ? 0 : firstAtLeast(eff, state.seq + 1, 'seq'); i < eff.length; i++) {
    const e = eff[i]!;
    if (e.day > day) break;
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
    case 'LoanRestructured':
      // The agreement stands: a backdated payment before it changes the amounts re-planned, not the choices.
      return restructure(
        state,
        { ...c.request, day: c.day, clientId: c.clientId, policy: c.policy },
        { replay: true },
      );
    case 'SettlementOffered':
      return offerSettlement(state, {
        offerMinor: c.offerMinor,
        validThroughDay: c.validThroughDay,
        day: c.day,
        clientId: c.clientId,
      });
    case 'LoanOpened':
      invariant(false, 'a loan cannot be reopened');
      break;
    case 'LoanWrittenOff':
    case 'RecoveredAfterWriteOff':
      invariant(false, 'a written-off loan is never replayed by a backdated command');
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
  if (log.some((e) => e.type === 'LoanWrittenOff')) {
    throw new LedgerInputError(
      'loan_written_off',
      'day',
      `loan ${first.loanId} is written off: its history is closed; book money received as a recovery dated today`,
    );
  }
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
  const effective = indexOf(log).effective;
  const tail = effective.slice(firstAtLeast(effective, command.day, 'day'));
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
  // The waivers a completed settlement made are re-made by re-running the repayment that completed it.
  const later = tail.filter((e) => isCommandEvent(e) && !isSettlementWaiver(e)) as LoanCommandEvent[];
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
