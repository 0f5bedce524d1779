import { type Day, formatDate, parseDate } from '../../money/index.js';

/**
 * Engine values in JSONB. The engine keeps exact fractions as bigints, which JSON lacks: they are stored
 * as `{"$bigint": "123"}` and revived on reading. Everything else is the engine's own shape.
 */
const BIGINT_TAG = '$bigint';

export function toJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'bigint' ? { [BIGINT_TAG]: v.toString() } : v,
  );
}

export function fromJsonText<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const tagged = (v as Record<string, unknown>)[BIGINT_TAG];
      if (typeof tagged === 'string' && Object.keys(v).length === 1) return BigInt(tagged);
    }
    return v;
  }) as T;
}

/** The engine's "no such day" (a settled loan's next event day) is PostgreSQL's `infinity`. */
const NEVER_DAY: Day = Number.MAX_SAFE_INTEGER;

/** A day as the text PostgreSQL reads into a `date` column. */
export function sqlDate(day: Day): string {
  return day >= NEVER_DAY ? 'infinity' : formatDate(day);
}

/** A `date` column read as `::text` back into a day. */
export function dayFromSql(text: string): Day {
  return text === 'infinity' ? NEVER_DAY : parseDate(text, 'stored date');
}
