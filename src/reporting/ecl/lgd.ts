import { type Day, invariant } from '../../money/index.js';
import { clampMicro, MICRO_ONE, type Micro, probabilityMicro } from './micro.js';
import { POOLED_SEGMENT } from './transitions.js';

/**
 * Workout LGD (loss given default) from what the book recovered after default: for each defaulted loan,
 * 1 − (cash received after the default day, each amount discounted to that day at the loan's annual rate
 * over actual/365) ÷ the exposure at default. A segment's LGD is the exposure-weighted mean over its
 * workouts, then the floor; the lender's override replaces the estimate outright.
 */
export interface Workout {
  readonly loanId: string;
  readonly segment: string;
  readonly defaultDay: Day;
  readonly eadAtDefaultMinor: number;
  readonly recoveries: readonly { readonly day: Day; readonly amountMinor: number }[];
  /** The loan's annual contract rate, e.g. 0.1825. */
  readonly annualRate: number;
}

export interface LgdSettings {
  readonly floor_micro: Micro;
  /** The lender's LGD for every segment, replacing the estimate (null: estimate). */
  readonly override_micro: Micro | null;
  /** The LGD where the book has too few workouts (unsecured consumer credit: 0.85 by default). */
  readonly noData_micro: Micro;
  /** Defaults younger than this many days at the reporting date are still in workout and left out. */
  readonly workoutDays_min: number;
  /** A segment with fewer completed workouts than this takes the pooled book's LGD. */
  readonly workouts_min: number;
}

export const DEFAULT_LGD_SETTINGS: LgdSettings = Object.freeze({
  floor_micro: 100_000,
  override_micro: null,
  noData_micro: 850_000,
  workoutDays_min: 180,
  workouts_min: 10,
});

export interface LgdEstimate {
  readonly segment: string;
  readonly lgd_micro: Micro;
  readonly source: 'workout' | 'pooled' | 'floor' | 'override' | 'no-data';
  readonly workouts: number;
  readonly eadAtDefaultMinor: number;
  /** Σ discounted recoveries in fen, rounded half-up (for display). */
  readonly recoveredPresentValueMinor: number;
}

function presentValue(w: Workout): number {
  let pv = 0;
  for (const r of w.recoveries) {
    if (r.day <= w.defaultDay) continue;
    pv += r.amountMinor / (1 + w.annualRate) ** ((r.day - w.defaultDay) / 365);
  }
  return Math.min(pv, w.eadAtDefaultMinor);
}

function estimateOf(segment: string, workouts: readonly Workout[], settings: LgdSettings): LgdEstimate {
  let ead = 0;
  let pv = 0;
  for (const w of workouts) {
    ead += w.eadAtDefaultMinor;
    pv += presentValue(w);
  }
  const base = {
    segment,
    workouts: workouts.length,
    eadAtDefaultMinor: ead,
    recoveredPresentValueMinor: Math.round(pv),
  };
  if (settings.override_micro !== null)
    return { ...base, lgd_micro: settings.override_micro, source: 'override' };
  if (workouts.length === 0 || ead === 0)
    return { ...base, lgd_micro: settings.noData_micro, source: 'no-data' };
  const raw = probabilityMicro(1 - pv / ead);
  return raw < settings.floor_micro
    ? { ...base, lgd_micro: settings.floor_micro, source: 'floor' }
    : { ...base, lgd_micro: raw, source: 'workout' };
}

/** The LGD of every segment seen in `segments`, and of the pooled book. */
export function estimateLgd(
  workouts: readonly Workout[],
  segments: readonly string[],
  asOf: Day,
  settings: LgdSettings = DEFAULT_LGD_SETTINGS,
): { pooled: LgdEstimate; bySegment: ReadonlyMap<string, LgdEstimate> } {
  invariant(
    clampMicro(settings.floor_micro) === settings.floor_micro &&
      clampMicro(settings.noData_micro) === settings.noData_micro,
    'LGD settings must lie in [0, 1]',
  );
  invariant(
    settings.override_micro === null ||
      (settings.override_micro >= 0 && settings.override_micro <= MICRO_ONE),
    'the LGD override must lie in [0, 1]',
  );
  const complete = workouts.filter(
    (w) => asOf - w.defaultDay >= settings.workoutDays_min && w.eadAtDefaultMinor > 0,
  );
  const pooled = estimateOf(POOLED_SEGMENT, complete, settings);
  const bySegment = new Map<string, LgdEstimate>();
  for (const segment of [...new Set(segments)].sort()) {
    const own = complete.filter((w) => w.segment === segment);
    if (own.length >= settings.workouts_min || settings.override_micro !== null) {
      bySegment.set(segment, estimateOf(segment, own, settings));
    } else {
      bySegment.set(segment, {
        ...pooled,
        segment,
        source: pooled.source === 'workout' ? 'pooled' : pooled.source,
      });
    }
  }
  return { pooled, bySegment };
}
