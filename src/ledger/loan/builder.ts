import type { LoanEvent } from './events.js';
import { applyEventInPlace } from './fold.js';
import type { LoanState } from './state.js';
import { type Mutable, updated } from './update.js';

/** An event as produced, before it gets its loan id and sequence number. */
export type EventDraft = LoanEvent extends infer E
  ? E extends LoanEvent
    ? Omit<E, 'loanId' | 'seq'>
    : never
  : never;

/**
 * Produces events one at a time, folding each into the state at once so that the next decision sees it.
 * Used by the end-of-day step and by commands; the result is the same as replaying the events.
 *
 * The state given is never changed. The first event folds into a fresh copy of it, which the builder then
 * owns: later events and `set` change that copy in place instead of copying the whole state again (a day
 * with several events made one copy per event, and their garbage collection was half the cost of the
 * end-of-day step). So a caller must not keep `b.state` across an `emit` and expect it unchanged; every
 * caller reads what it needs before emitting. The state handed out at the end is not changed afterwards.
 */
export class EventBuilder {
  readonly events: LoanEvent[] = [];
  private owned = false;
  constructor(public state: LoanState) {}

  emit(draft: EventDraft): void {
    // The draft is a fresh object made by the caller for this call: it becomes the event.
    const event = draft as Mutable<LoanEvent>;
    event.loanId = this.state.loanId;
    event.seq = this.state.seq + 1;
    applyEventInPlace(this.own(), event);
    this.events.push(event);
  }

  /** Sets fields of the state being built (on the builder's own copy). */
  set(changes: Partial<LoanState>): void {
    Object.assign(this.own(), changes);
  }

  private own(): Mutable<LoanState> {
    if (!this.owned) {
      this.state = updated(this.state, {});
      this.owned = true;
    }
    return this.state as Mutable<LoanState>;
  }
}
