import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level and no spaces: the bytes a content hash is taken over.
 * Keys whose value is undefined are left out (as JSON.stringify does); non-finite numbers are refused.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for the number ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON has no form for a ${typeof value}`);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

/** Adds `contentHash` (sha256 of the canonical JSON of the rest) and deep-freezes the record. */
export function sealRecord<T extends object>(body: T): T & { readonly contentHash: string } {
  const { contentHash: _ignored, ...rest } = body as T & { contentHash?: string };
  const contentHash = sha256Hex(canonicalJson(rest));
  // A copy through JSON: the record holds plain data only, never a shared reference into its inputs.
  const sealed = JSON.parse(JSON.stringify({ ...rest, contentHash })) as T & { readonly contentHash: string };
  return deepFreeze(sealed);
}

/** True when a record's `contentHash` matches its content. */
export function verifyRecord(record: { readonly contentHash: string }): boolean {
  const { contentHash, ...rest } = record;
  return sha256Hex(canonicalJson(rest)) === contentHash;
}
