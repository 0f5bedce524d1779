import { BUCKETS, type Bucket, bucketRank } from '../ledger/index.js';
import { allocate, divideRounded, formatMinor, formatScaledInteger, invariant } from '../money/index.js';
import type { AssetClass } from './classification.js';
import type { Label } from './report.js';

/** Places of every ratio a portfolio report prints ("0.012345"). */
export const RATIO_PLACES = 6;
const RATIO_UNIT = 10n ** BigInt(RATIO_PLACES);

/** `numerator ÷ denominator` as a decimal string of RATIO_PLACES places, half-up; null when nothing to divide by. */
export function ratioText(numerator: number | bigint, denominator: number | bigint): string | null {
  const d = BigInt(denominator);
  if (d === 0n) return null;
  return formatScaledInteger(divideRounded(BigInt(numerator) * RATIO_UNIT, d, 'half-up'), RATIO_PLACES);
}

/**
 * Shares of `weights` as ratio strings that sum to exactly 1 (largest remainder of the last place), so a
 * printed row of a transition matrix adds up as the exact one does. All null when the weights sum to 0.
 */
export function sharesText(weights: readonly (number | bigint)[]): (string | null)[] {
  const sum = weights.reduce<bigint>((a, b) => a + BigInt(b), 0n);
  if (sum === 0n) return weights.map(() => null);
  const parts = allocate(Number(RATIO_UNIT), weights, 'largest-remainder');
  return parts.map((p) => formatScaledInteger(BigInt(p), RATIO_PLACES));
}

/** Fen as yuan with two places ("1234.50"). */
export function moneyText(minor: number | bigint): string {
  if (typeof minor === 'bigint') return formatScaledInteger(minor, 2);
  return formatMinor(minor);
}

/** The buckets at or past `threshold` (M2 → M2…M7). */
export function bucketAtLeast(bucket: Bucket, threshold: Bucket): boolean {
  return bucketRank(bucket) >= bucketRank(threshold);
}

export function parseBucket(text: string): Bucket | null {
  return (BUCKETS as readonly string[]).includes(text) ? (text as Bucket) : null;
}

export const CLASS_LABELS: Readonly<Record<AssetClass, Label>> = {
  normal: { en: 'Normal', zh: '正常' },
  'special-mention': { en: 'Special mention', zh: '关注' },
  substandard: { en: 'Substandard', zh: '次级' },
  doubtful: { en: 'Doubtful', zh: '可疑' },
  loss: { en: 'Loss', zh: '损失' },
};

/** Adds a safe-integer amount to a bigint total (amounts of a whole book may pass 2^53). */
export function addMinor(total: bigint, minor: number): bigint {
  invariant(Number.isSafeInteger(minor), 'amount must be a safe integer of fen');
  return total + BigInt(minor);
}
