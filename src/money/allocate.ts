import { invariant } from './errors.js';

/** Where the minor units left over by proportional division go. */
export type RemainderRule =
  /** Largest fractional remainder first (Hamilton); ties to the earlier part. */
  | 'largest-remainder'
  /** All of it to the first part. */
  | 'first'
  /** All of it to the last part. */
  | 'last';

/**
 * Splits `total` minor units into parts proportional to `weights`. The parts always sum exactly to the
 * total; each part is the floor of its exact share (towards zero for a negative total) and the remainder
 * is placed by the stated rule, one minor unit at a time.
 */
export function allocate(
  total: number,
  weights: readonly (number | bigint)[],
  rule: RemainderRule = 'largest-remainder',
): number[] {
  invariant(Number.isSafeInteger(total), 'allocate: total must be a safe integer');
  invariant(weights.length > 0, 'allocate: at least one weight is needed');
  const w = weights.map((x) => BigInt(x));
  invariant(
    w.every((x) => x >= 0n),
    'allocate: weights must not be negative',
  );
  const weightSum = w.reduce((a, b) => a + b, 0n);
  invariant(weightSum > 0n, 'allocate: weights must not all be zero');
  const negative = total < 0;
  const magnitude = BigInt(Math.abs(total));
  const parts = w.map((x) => (magnitude * x) / weightSum);
  const remainders = w.map((x) => (magnitude * x) % weightSum);
  let left = magnitude - parts.reduce((a, b) => a + b, 0n);
  const order = w.map((_, i) => i);
  if (rule === 'largest-remainder') {
    order.sort((a, b) => {
      const ra = remainders[a]!;
      const rb = remainders[b]!;
      return ra === rb ? a - b : rb > ra ? 1 : -1;
    });
  } else if (rule === 'last') {
    order.reverse();
  }
  if (rule === 'largest-remainder') {
    // Fewer units are left than there are parts, so each gets at most one.
    for (let k = 0; left > 0n; k++, left--) parts[order[k]!]! += 1n;
  } else {
    parts[order[0]!]! += left;
  }
  const result = parts.map((p) => Number(negative ? -p : p));
  invariant(result.reduce((a, b) => a + b, 0) === total, 'allocate: parts do not sum to the total');
  return result;
}

/** Splits `total` into `count` parts as equal as possible; the earlier parts take the extra units. */
export function splitEvenly(total: number, count: number): number[] {
  invariant(Number.isInteger(count) && count > 0, 'splitEvenly: count must be a positive integer');
  return allocate(total, new Array<number>(count).fill(1), 'largest-remainder');
}
