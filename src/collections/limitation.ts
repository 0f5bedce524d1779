import { addMonths, type Day, invariant } from '../money/index.js';

/**
 * Limitation period (诉讼时效) of a loan claim (domain.md §9).
 *
 * - 3 years (民法典 Art. 188).
 * - For a debt paid in instalments it runs from the expiry of the last instalment's term (Art. 189), i.e.
 *   from the last due date, or from the day the whole debt was declared due (acceleration) if earlier.
 * - A demand for payment by the creditor interrupts it and it runs afresh from the demand (Art. 195).
 * - Periods in years end on the corresponding day of the last year; the starting day is not counted
 *   (Arts. 201–202). So a period starting from day D ends at the end of D + 3 years (28 Feb for 29 Feb).
 *   Art. 203 moves an end that falls on a public holiday to the next working day; holidays are not modelled
 *   here, so the end given is the calendar end.
 *
 * A demand made after the period has run out does not revive it (the debtor may still choose to pay,
 * Art. 192); such demands are returned as ignored. Demands before the period starts do not start it early.
 */
export interface LimitationSettings {
  readonly years: number;
}

export const DEFAULT_LIMITATION_SETTINGS: LimitationSettings = Object.freeze({ years: 3 });

export interface LimitationInput {
  /** Last due date of the instalment schedule. */
  readonly lastDueDay: Day;
  /** Day the lender declared the whole debt due, if it did (it then runs from there, if earlier). */
  readonly accelerationDay?: Day;
  /** Days on which the creditor demanded payment (催收 that reached the debtor, with evidence), any order. */
  readonly demandDays?: readonly Day[];
}

export interface LimitationPeriod {
  /** The day the period started running from (not counted itself). */
  readonly startDay: Day;
  /** The last day of the period, after every restart. */
  readonly endDay: Day;
  /** The demands that restarted it, in order. */
  readonly restartedBy: readonly Day[];
  /** Demands that did not restart it: before it started, or after it had run out. */
  readonly ignoredDemands: readonly Day[];
}

export function limitationPeriod(
  input: LimitationInput,
  settings: LimitationSettings = DEFAULT_LIMITATION_SETTINGS,
): LimitationPeriod {
  invariant(
    Number.isInteger(settings.years) && settings.years >= 1,
    'limitation years must be a whole number ≥ 1',
  );
  const months = settings.years * 12;
  const startDay =
    input.accelerationDay === undefined
      ? input.lastDueDay
      : Math.min(input.accelerationDay, input.lastDueDay);
  let endDay = addMonths(startDay, months);
  const restartedBy: Day[] = [];
  const ignoredDemands: Day[] = [];
  const demands = [...(input.demandDays ?? [])].sort((a, b) => a - b);
  for (const demand of demands) {
    if (demand <= startDay || demand > endDay) {
      ignoredDemands.push(demand);
      continue;
    }
    restartedBy.push(demand);
    endDay = addMonths(demand, months);
  }
  return { startDay, endDay, restartedBy, ignoredDemands };
}
