/**
 * JSON text in pieces: joined, the pieces are JSON.stringify's text for any JSON value at any indent, and no
 * piece grows much past the piece size, so a value too large for one string can still be written out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JSON_PIECE_CHARS, jsonTextPieces } from '../../src/money/index.js';

const joined = (value: unknown, indent?: number) => [...jsonTextPieces(value, indent)].join('');

describe('jsonTextPieces', () => {
  it('joins to JSON.stringify of any JSON value, compact and indented', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 1, 2, 4), (value, indent) => {
        expect(joined(value, indent)).toBe(JSON.stringify(value, null, indent));
      }),
      { numRuns: 500 },
    );
  });

  it('writes what JSON.stringify leaves out or turns to null, and objects it does not walk, as it does', () => {
    const value = {
      kept: 1,
      gone: undefined,
      fn: () => 1,
      list: [undefined, () => 1, Number.NaN, -0, Number.POSITIVE_INFINITY, 'a\nb'],
      day: new Date(Date.UTC(2026, 4, 31)),
      custom: { toJSON: () => ({ shown: [1, { deep: true }] }) },
      bare: Object.assign(Object.create(null), { x: [1, 2] }),
      empty: { object: {}, array: [], nested: [[], {}] },
    };
    for (const indent of [0, 2]) expect(joined(value, indent)).toBe(JSON.stringify(value, null, indent));
    for (const leaf of [null, 0, 'text', true, [], {}])
      expect(joined(leaf, 2)).toBe(JSON.stringify(leaf, null, 2));
  });

  it('gives a report-sized table in pieces of about the piece size', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({
      exposure: `loan_${i}`,
      balance: `${i}.00`,
      stage: 1,
    }));
    const report = { kind: 'ecl', tables: [{ name: 'exposures', rows }], notes: [{ en: 'x', zh: '甲' }] };
    const pieces = [...jsonTextPieces(report, 2)];
    expect(pieces.join('')).toBe(JSON.stringify(report, null, 2));
    expect(pieces.length).toBeGreaterThan(10);
    // A piece is cut once it reaches the size: it passes it by at most one row's text.
    for (const piece of pieces) expect(piece.length).toBeLessThan(JSON_PIECE_CHARS + 200);
  });
});
