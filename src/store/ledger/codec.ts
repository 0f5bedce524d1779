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

/** Revives `{"$bigint": "…"}` in place, bottom up; returns the value that replaces `value`. */
function reviveBigints(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = reviveBigints(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  const tagged = record[BIGINT_TAG];
  if (typeof tagged === 'string') {
    let keys = 0;
    for (const _ in record) keys++;
    if (keys === 1) return BigInt(tagged);
  }
  for (const key in record) record[key] = reviveBigints(record[key]);
  return record;
}

export function fromJsonText<T>(text: string): T {
  // A parse without a reviver and one walk is several times faster than JSON.parse's reviver, and text
  // without the tag needs no walk at all (a loan state is read on every command).
  const parsed: unknown = JSON.parse(text);
  return (text.includes(`"${BIGINT_TAG}"`) ? reviveBigints(parsed) : parsed) as T;
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
