/**
 * The impact view's milestones as staff work with them: what has already happened to the loan (on or before
 * the day it is closed through), what comes next if the borrower pays nothing more, and the next thing staff
 * must do, with its date.
 */

/** A milestone as GET /loans/{id}/impact gives it (the fields read here). */
export interface MilestoneLike {
  date: string;
  kind: string;
  value: string;
}

/** Milestones that ask something of staff (the others only happen to the loan). */
export const ACTION_KINDS: readonly string[] = [
  'collection-stage',
  'negative-notice-deadline',
  'first-negative-report',
  'write-off-eligible',
];

export interface ImpactPlan<M extends MilestoneLike> {
  happened: M[];
  next: M[];
  /** The first milestone after `from` that asks something of staff; undefined when none is in view. */
  nextAction: M | undefined;
}

/** Splits the milestones at `from` (YYYY-MM-DD, the last closed day): on or before it they have happened. */
export function impactPlan<M extends MilestoneLike>(milestones: readonly M[], from: string): ImpactPlan<M> {
  const happened = milestones.filter((m) => m.date <= from);
  const next = milestones.filter((m) => m.date > from);
  return { happened, next, nextAction: next.find((m) => ACTION_KINDS.includes(m.kind)) };
}
