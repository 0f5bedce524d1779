import { randomBytes } from 'node:crypto';

/**
 * A new id such as `cus_0192f3a4b5c6d7e8f9a0b1c2d3e4`: a prefix naming the kind, 12 hex digits of
 * milliseconds (so ids sort by creation time, which keyset pagination relies on) and 64 random bits.
 */
export function newId(prefix: string, now_ms: number = Date.now()): string {
  return `${prefix}_${now_ms.toString(16).padStart(12, '0')}${randomBytes(8).toString('hex')}`;
}

export const ID_PATTERN = '^[a-z]{2,4}_[0-9a-f]{28}$';
