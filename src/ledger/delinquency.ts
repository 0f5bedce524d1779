import type { Day } from '../money/index.js';
import { invariant } from '../money/index.js';
import { LedgerInputError } from './errors.js';

/**
 * Delinquency buckets (逾期账龄 M0…M7) from days past due (DPD, 逾期天数).
 *
 * The bucket boundaries are an industry convention (domain.md §3: M1 1–30 … M6 151–180, M7 > 180), not a
 * rule, so they are a setting; so is the DPD at which a loan becomes eligible for charge-off (核销, default
 * 180, also a convention — the write-off itself needs the evidence of 财金〔2017〕90号, see reporting/).
 */

/** M0 is current (not overdue); M7 (also written M6+) is past the last configured bound. */
export type Bucket = 'M0' | 'M1' | 'M2' | 'M3' | 'M4' | 'M5' | 'M6' | 'M7';

export const BUCKETS: readonly Bucket[] = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7'];

/** Number of bounded overdue buckets (M1…M6); M7 is open-ended. */
export const BOUNDED_OVERDUE_BUCKET_COUNT = 6;

export interface DelinquencySettings {
  /**
   * Inclusive upper DPD bound of M1, M2, …, M6, strictly increasing, each ≥ 1. M0 is DPD 0; M7 is any DPD above
   * the last bound. Default [30, 60, 90, 120, 150, 180] (convention, domain.md §3).
   */
  readonly bucketUpperBoundsDays: readonly number[];
  /** DPD from which a loan is eligible for charge-off (核销). Convention, default 180 (domain.md §3). */
  readonly chargeOffDaysPastDue: number;
}

export const DEFAULT_DELINQUENCY_SETTINGS: DelinquencySettings = Object.freeze({
  bucketUpperBoundsDays: Object.freeze([30, 60, 90, 120, 150, 180]),
  chargeOffDaysPastDue: 180,
});

/** Largest DPD bound accepted in settings (about 27 years; any real loan is charged off long before). */
export const DELINQUENCY_BOUND_DAYS_MAX = 10_000;

/**
 * Checks and freezes delinquency settings, filling what is missing from the defaults. Throws
 * `LedgerInputError` naming the field and the fix.
 */
export function parseDelinquencySettings(input: Partial<DelinquencySettings> = {}): DelinquencySettings {
  const bounds = input.bucketUpperBoundsDays ?? DEFAULT_DELINQUENCY_SETTINGS.bucketUpperBoundsDays;
  const chargeOff = input.chargeOffDaysPastDue ?? DEFAULT_DELINQUENCY_SETTINGS.chargeOffDaysPastDue;
  if (!Array.isArray(bounds) || bounds.length !== BOUNDED_OVERDUE_BUCKET_COUNT) {
    throw new LedgerInputError(
      'invalid_bucket_bounds',
      'bucketUpperBoundsDays',
      `bucketUpperBoundsDays must list ${BOUNDED_OVERDUE_BUCKET_COUNT} upper DPD bounds for M1…M6, e.g. [30, 60, 90, 120, 150, 180]`,
    );
  }
  let previous = 0;
  for (let i = 0; i < bounds.length; i++) {
    const bound = bounds[i];
    if (
      typeof bound !== 'number' ||
      !Number.isInteger(bound) ||
      bound <= previous ||
      bound > DELINQUENCY_BOUND_DAYS_MAX
    ) {
      throw new LedgerInputError(
        'invalid_bucket_bounds',
        `bucketUpperBoundsDays.${i}`,
        `bucketUpperBoundsDays[${i}] (upper DPD of M${i + 1}) must be a whole number above ${previous} and at most ${DELINQUENCY_BOUND_DAYS_MAX}, got ${String(bound)}: list the bounds in increasing order, e.g. [30, 60, 90, 120, 150, 180]`,
      );
    }
    previous = bound;
  }
  if (!Number.isInteger(chargeOff) || chargeOff < 1 || chargeOff > DELINQUENCY_BOUND_DAYS_MAX) {
    throw new LedgerInputError(
      'invalid_charge_off_days',
      'chargeOffDaysPastDue',
      `chargeOffDaysPastDue must be a whole number of days from 1 to ${DELINQUENCY_BOUND_DAYS_MAX}, got ${String(chargeOff)}: the convention is 180`,
    );
  }
  return Object.freeze({
    bucketUpperBoundsDays: Object.freeze([...bounds]),
    chargeOffDaysPastDue: chargeOff,
  });
}

/**
 * The bucket for a number of days past due. Runs in the end-of-day loop for every loan, so it allocates
 * nothing: a scan over six bounds returning a constant.
 */
export function bucketForDaysPastDue(
  daysPastDue: number,
  settings: DelinquencySettings = DEFAULT_DELINQUENCY_SETTINGS,
): Bucket {
  invariant(Number.isInteger(daysPastDue) && daysPastDue >= 0, 'days past due must be a whole number ≥ 0');
  if (daysPastDue === 0) return 'M0';
  const bounds = settings.bucketUpperBoundsDays;
  for (let i = 0; i < bounds.length; i++) {
    if (daysPastDue <= (bounds[i] as number)) return BUCKETS[i + 1] as Bucket;
  }
  return 'M7';
}

/** 0 for M0 … 7 for M7: higher is worse. */
export function bucketRank(bucket: Bucket): number {
  return bucket.charCodeAt(1) - 48;
}

export function bucketOfRank(rank: number): Bucket {
  invariant(Number.isInteger(rank) && rank >= 0 && rank <= 7, () => `bucket rank ${rank} is not 0..7`);
  return BUCKETS[rank] as Bucket;
}

/** The worst bucket among a customer's loans (M0 when there are none). */
export function worstBucket(buckets: Iterable<Bucket>): Bucket {
  let worst = 0;
  for (const bucket of buckets) {
    const rank = bucketRank(bucket);
    if (rank > worst) worst = rank;
  }
  return BUCKETS[worst] as Bucket;
}

/** The lowest DPD that falls in a bucket under the settings (M0 → 0, M1 → 1, M2 → 31, …, M7 → 181). */
export function firstDaysPastDueOfBucket(
  bucket: Bucket,
  settings: DelinquencySettings = DEFAULT_DELINQUENCY_SETTINGS,
): number {
  const rank = bucketRank(bucket);
  if (rank === 0) return 0;
  if (rank === 1) return 1;
  return (settings.bucketUpperBoundsDays[rank - 2] as number) + 1;
}

/**
 * One stay in a bucket: entered on `enteredDay` (the first day in it), left on `leftDay` (the first day no
 * longer in it), or still there when `leftDay` is null.
 */
export interface BucketSpell {
  readonly bucket: Bucket;
  readonly enteredDay: Day;
  readonly leftDay: Day | null;
}

/** A loan's bucket history: spells in date order, each left on the day the next is entered. */
export type BucketHistory = readonly BucketSpell[];

/**
 * Records the bucket a loan is in on `day`. Returns the same array when the bucket has not changed (the
 * common case in the daily loop, so nothing is allocated); otherwise closes the open spell on `day` and opens
 * a new one. Days must not go backwards.
 */
export function recordBucket(history: BucketHistory, day: Day, bucket: Bucket): BucketHistory {
  const last = history[history.length - 1];
  if (last === undefined) return [{ bucket, enteredDay: day, leftDay: null }];
  invariant(last.leftDay === null, 'bucket history: the last spell must be open');
  invariant(day >= last.enteredDay, () => `bucket history: day ${day} is before ${last.enteredDay}`);
  if (last.bucket === bucket) return history;
  if (day === last.enteredDay) {
    // Two buckets on one day: the later observation of the day wins.
    const before = history.slice(0, -1);
    const previous = before[before.length - 1];
    if (previous !== undefined && previous.bucket === bucket) {
      return [...before.slice(0, -1), { bucket, enteredDay: previous.enteredDay, leftDay: null }];
    }
    return [...before, { bucket, enteredDay: day, leftDay: null }];
  }
  return [...history.slice(0, -1), { ...last, leftDay: day }, { bucket, enteredDay: day, leftDay: null }];
}

/** Builds a history from the DPD of consecutive days starting at `firstDay`. */
export function bucketHistoryFromDaysPastDue(
  firstDay: Day,
  daysPastDueByDay: readonly number[],
  settings: DelinquencySettings = DEFAULT_DELINQUENCY_SETTINGS,
): BucketHistory {
  let history: BucketHistory = [];
  for (let i = 0; i < daysPastDueByDay.length; i++) {
    history = recordBucket(
      history,
      firstDay + i,
      bucketForDaysPastDue(daysPastDueByDay[i] as number, settings),
    );
  }
  return history;
}

/** The bucket on `day`, or undefined when the history starts after it. */
export function bucketOnDay(history: BucketHistory, day: Day): Bucket | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const spell = history[i] as BucketSpell;
    if (spell.enteredDay <= day) return spell.bucket;
  }
  return undefined;
}

/** The first day the loan entered `bucket`, or undefined when it never did. */
export function firstEnteredDay(history: BucketHistory, bucket: Bucket): Day | undefined {
  for (const spell of history) if (spell.bucket === bucket) return spell.enteredDay;
  return undefined;
}

/** Days spent in a spell up to and including `asOfDay` (for an open spell) or up to its leaving. */
export function spellDays(spell: BucketSpell, asOfDay: Day): number {
  const end = spell.leftDay ?? asOfDay + 1;
  return Math.max(0, end - spell.enteredDay);
}

/** The worst bucket the history ever reached (M0 for an empty history). */
export function worstBucketEver(history: BucketHistory): Bucket {
  return worstBucket(history.map((s) => s.bucket));
}
