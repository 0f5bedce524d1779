import type { Queryable } from './db.js';

/**
 * Bulk loading with `COPY … FROM STDIN` in PostgreSQL's text format: one line per row, fields separated
 * by tabs, `\N` for null, and backslash, tab, newline and carriage return escaped with a backslash. It
 * is the cheapest way into PostgreSQL for both sides: no array literals to build and parse (which
 * double every quote of a JSON value), no statement size limit, one round trip per chunk.
 */

/** A field as COPY reads it: text, an integer, a boolean, or null. */
export type CopyValue = string | number | boolean | null;

/** Characters of COPY data sent in one statement; a longer load is split into several. */
export const COPY_TEXT_CHARS_MAX = 16 * 1024 * 1024;

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field in COPY text format. */
export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') {
    return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPED[c] ?? c) : value;
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`assertion: COPY field ${value} is not a safe integer`);
    return String(value);
  }
  return value ? 't' : 'f';
}

/**
 * Loads `rows` into `table` (`columns` in the order of each row's fields) in the caller's transaction,
 * in statements of at most COPY_TEXT_CHARS_MAX characters. Returns the rows loaded.
 */
export async function copyRows(
  q: Queryable,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<number> {
  const copySql = `copy ${table} (${columns.join(', ')})`;
  let loaded = 0;
  let parts: string[] = [];
  let chars = 0;
  // No rows, no statement: a batch without snapshots (most days) saves the round trip.
  const flush = async () => {
    if (parts.length === 0) return;
    const text = parts.join('');
    parts = [];
    chars = 0;
    loaded += await q.copyFrom(copySql, text);
  };
  for (const row of rows) {
    if (row.length !== columns.length) {
      throw new Error(`assertion: a row of ${table} has ${row.length} fields for ${columns.length} columns`);
    }
    let line = '';
    for (let i = 0; i < row.length; i++) line += (i === 0 ? '' : '\t') + copyField(row[i] as CopyValue);
    line += '\n';
    parts.push(line);
    chars += line.length;
    if (chars >= COPY_TEXT_CHARS_MAX) await flush();
  }
  await flush();
  return loaded;
}
