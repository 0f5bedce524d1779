import { describe, expect, it } from 'vitest';
import { binMatrix, binOf, findCuts } from '../../../src/scoring/gbm/index.js';
import { seededRandom } from '../../../src/scoring/random.js';

describe('binned matrix', () => {
  it('gives every cell the code binOf gives, at cuts, between them, missing and infinite', () => {
    const random = seededRandom(12);
    const n = 5000;
    const columns = [3, 17, 254, 1000].map((distinct) => {
      const values = Float64Array.from({ length: n }, () => Math.floor(random() * distinct) / 7);
      return values;
    });
    const cuts = columns.map((c) => findCuts(c, 253));
    // Values exactly at cuts, just around them, missing, infinite, and an empty cut list.
    columns.forEach((c, f) => {
      cuts[f]!.forEach((cut, k) => {
        c[k * 3] = cut;
        c[k * 3 + 1] = cut + 1e-12;
        c[k * 3 + 2] = cut - 1e-12;
      });
      c[n - 1] = Number.NaN;
      c[n - 2] = Number.POSITIVE_INFINITY;
      c[n - 3] = Number.NEGATIVE_INFINITY;
    });
    const constant = new Float64Array(n).fill(2);
    constant[0] = Number.NaN;
    columns.push(constant);
    cuts.push(findCuts(constant, 253));
    expect(cuts.at(-1)).toHaveLength(0);
    expect(cuts[2]!.length).toBeGreaterThan(200);
    const matrix = binMatrix(columns, cuts);
    columns.forEach((c, f) => {
      for (let r = 0; r < n; r++) {
        const code = binOf(cuts[f]!, c[r]!);
        expect(matrix.codes[r * matrix.rowStride + f]).toBe(code);
        expect(matrix.columnCodes[f * n + r]).toBe(code);
      }
    });
  });
});
