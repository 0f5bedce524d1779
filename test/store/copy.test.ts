import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyField, copyRows } from '../../src/store/copy.js';
import type { Db } from '../../src/store/index.js';
import { backends, openMigrated } from './backends.js';

/** JSON with object keys sorted (jsonb keeps its own key order). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}
const sameJson = (text: string) => JSON.stringify(canonical(JSON.parse(text)));

describe('COPY text format', () => {
  it('escapes backslash, tab, newline and carriage return, and nothing else', () => {
    expect(copyField('a\\b\tc\nd\re "q" 中')).toBe('a\\\\b\\tc\\nd\\re "q" 中');
    expect(copyField(null)).toBe('\\N');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField(-42)).toBe('-42');
    expect(copyField(true)).toBe('t');
    expect(() => copyField(0.5)).toThrow(/safe integer/);
  });
});

describe.each(backends)('copyRows on $name', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await openMigrated(backend);
    await db.query('create table copy_probe (n bigint, t text, j jsonb)');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('loads any text, integer and JSON exactly as given', async () => {
    const row = fc.tuple(
      fc.oneof(fc.constant(null), fc.maxSafeInteger()),
      fc.oneof(
        fc.constant(null),
        fc.string({ unit: 'binary' }).map((s) => s.replaceAll('\u0000', '')),
      ),
      fc.jsonValue().map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 30 }), async (rows) => {
        await db.query('truncate copy_probe');
        const loaded = await db.transaction((tx) => copyRows(tx, 'copy_probe', ['n', 't', 'j'], rows));
        expect(loaded).toBe(rows.length);
        const back = await db.query<{ n: number | null; t: string | null; j: string }>(
          'select n, t, j::text as j from copy_probe',
        );
        const key = (r: readonly unknown[]) => JSON.stringify(r);
        const expected = rows
          .map(([n, t, j]) => [n, t, sameJson(j)])
          .map(key)
          .sort();
        const actual = back.rows
          .map((r) => [r.n, r.t, sameJson(r.j)])
          .map(key)
          .sort();
        expect(actual).toEqual(expected);
      }),
      { numRuns: 30 },
    );
  });
});
