import { randomBytes } from 'node:crypto';

/**
 * A new id such as `cus_0192f3a4b5c6d7e8f9a0b1c2d3e4`: a prefix naming the kind, 12 hex digits of
 * milliseconds (so ids sort by creation time, which keyset pagination relies on) and 64 random bits.
 */
export function newId(prefix: string, now_ms: number = Date.now()): string {
  return `${prefix}_${now_ms.toString(16).padStart(12, '0')}${randomHex16()}`;
}

/** Ids' random parts drawn from the system's generator at once: one call per 512 ids, not one per id. */
const RANDOM_POOL_BYTES = 8 * 512;
let pool = Buffer.alloc(0);
let poolAt = RANDOM_POOL_BYTES;

/** 64 random bits as 16 hex digits. */
function randomHex16(): string {
  if (poolAt >= pool.length) {
    pool = randomBytes(RANDOM_POOL_BYTES);
    poolAt = 0;
  }
  const hex = pool.toString('hex', poolAt, poolAt + 8);
  poolAt += 8;
  return hex;
}

export const ID_PATTERN = '^[a-z]{2,4}_[0-9a-f]{28}$';
