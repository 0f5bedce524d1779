import type { LoanEvent } from './events.js';
import { applyEvent } from './fold.js';
import type { LoanState } from './state.js';

/** An event as produced, before it gets its loan id and sequence number. */
export type EventDraft = LoanEvent extends infer E
  ? E extends LoanEvent
    ? Omit<E, 'loanId' | 'seq'>
    : never
  : never;

/**
 * Produces events one at a time, folding each into the state at once so that the next decision sees it.
 * Used by the end-of-day step and by commands; the result is the same as replaying the events.
 */
export class EventBuilder {
  readonly events: LoanEvent[] = [];
  constructor(public state: LoanState) {}

  emit(draft: EventDraft): void {
    const event = Object.assign({ loanId: this.state.loanId, seq: this.state.seq + 1 }, draft) as LoanEvent;
    this.state = applyEvent(this.state, event);
    this.events.push(event);
  }
}
