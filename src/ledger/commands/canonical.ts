import { invariant } from '../../money/index.js';

/** A JSON value in canonical form: objects with sorted keys, no `undefined`, finite numbers only. */
export type CanonicalValue =
  | null
  | boolean
  | number
  | string
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue };

/** Deepest nesting accepted in a command; a bound so that a hostile body cannot exhaust the stack. */
export const COMMAND_DEPTH_MAX = 32;

/**
 * The canonical form of a command: plain data only, object keys sorted, properties whose value is
 * `undefined` dropped (so `{ a: 1 }` and `{ a: 1, b: undefined }` are the same command). Anything that is
 * not plain data (a function, a bigint, a class instance, NaN) is an impossible command and fails loudly.
 */
export function canonicalize(value: unknown, depth = 0): CanonicalValue {
  invariant(depth <= COMMAND_DEPTH_MAX, () => `command nested deeper than ${COMMAND_DEPTH_MAX} levels`);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    invariant(Number.isFinite(value), () => `command holds a non-finite number ${value}`);
    // -0 and 0 are the same amount; JSON writes both as 0.
    return value === 0 ? 0 : value;
  }
  if (Array.isArray(value)) return value.map((item) => canonicalize(item, depth + 1));
  invariant(
    typeof value === 'object' &&
      [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null),
    () => `command holds a value that is not plain data (${typeof value})`,
  );
  const out: { [key: string]: CanonicalValue } = {};
  for (const key of Object.keys(value as object).sort()) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined) out[key] = canonicalize(field, depth + 1);
  }
  return out;
}

/** Canonical JSON text: the same command always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}

/** Where two canonical values first differ, and the two values found there. */
export interface FieldDifference {
  /** Dotted path, array items as `[i]`: `amountMinor`, `product.rate.value`, `product.fees[0].value`; `''` = the whole value. */
  readonly path: string;
  readonly before: CanonicalValue | undefined;
  readonly after: CanonicalValue | undefined;
}

function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function isRecord(value: CanonicalValue | undefined): value is { readonly [key: string]: CanonicalValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The first field (in sorted key order, depth first) where `before` and `after` differ, or `null` when they
 * are equal. A field present on one side only is a difference at that field's path.
 */
export function firstDifference(
  before: CanonicalValue | undefined,
  after: CanonicalValue | undefined,
  path = '',
): FieldDifference | null {
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) {
      const found = firstDifference(before[i], after[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const found = firstDifference(before[key], after[key], joinPath(path, key));
      if (found) return found;
    }
    return null;
  }
  return before === after ? null : { path, before, after };
}
