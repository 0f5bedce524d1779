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
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      out += `${i === 0 ? '' : ','}${v === undefined ? 'null' : canonicalJson(v)}`;
    }
    return `${out}]`;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // The default sort compares UTF-16 code units, as `<` does.
    const keys = Object.keys(record).sort();
    let out = '{';
    for (const k of keys) {
      const v = record[k];
      if (v === undefined) continue;
      out += `${out.length === 1 ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
    }
    return `${out}}`;
  }
  throw new TypeError(`canonical JSON has no form for a value of type ${typeof value}`);
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

/**
 * Records sealed in this process: deep-frozen, their hash taken over exactly the content they hold, so
 * they verify without hashing again.
 */
const sealedHere = new WeakSet<object>();

/** Adds `contentHash` (sha256 of the canonical JSON of the rest) and deep-freezes the record. */
export function sealRecord<T extends object>(body: T): T & { readonly contentHash: string } {
  const { contentHash: _ignored, ...rest } = body as T & { contentHash?: string };
  // A copy through JSON: the record holds plain data only, never a shared reference into its inputs. The
  // hash is taken over the copy, the very content the record keeps.
  const plain = JSON.parse(JSON.stringify(rest)) as T;
  const sealed = deepFreeze({ ...plain, contentHash: sha256Hex(canonicalJson(plain)) });
  sealedHere.add(sealed);
  return sealed;
}

/** True when a record's `contentHash` matches its content. */
export function verifyRecord(record: { readonly contentHash: string }): boolean {
  if (sealedHere.has(record)) return true;
  const { contentHash, ...rest } = record;
  return sha256Hex(canonicalJson(rest)) === contentHash;
}
