import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignBins, binCategorical, binNumeric, optimalMerge } from '../../src/scoring/binning/index.js';
import type { CategoricalColumn, NumericColumn } from '../../src/scoring/dataset.js';
import { informationValue } from '../../src/scoring/woe.js';

type T = 'ascending' | 'descending' | 'peak' | 'valley' | 'none';

function trendHolds(rates: number[], trend: T): boolean {
  const up = (i: number) => rates[i + 1]! > rates[i]!;
  const down = (i: number) => rates[i + 1]! < rates[i]!;
  const steps = rates.length - 1;
  switch (trend) {
    case 'none':
      return true;
    case 'ascending':
      return Array.from({ length: steps }, (_, i) => up(i)).every(Boolean);
    case 'descending':
      return Array.from({ length: steps }, (_, i) => down(i)).every(Boolean);
    case 'peak':
    case 'valley': {
      const rise = trend === 'peak' ? up : down;
      const fall = trend === 'peak' ? down : up;
      let i = 0;
      while (i < steps && rise(i)) i++;
      while (i < steps && fall(i)) i++;
      return i === steps;
    }
  }
}

/** Every partition of m pre-bins into contiguous groups, by brute force. */
function bruteForce(
  goods: number[],
  bads: number[],
  minRows: number,
  minBads: number,
  maxBins: number,
  trend: T,
): number | undefined {
  const m = goods.length;
  const G = goods.reduce((a, b) => a + b, 0);
  const B = bads.reduce((a, b) => a + b, 0);
  let best: number | undefined;
  for (let mask = 0; mask < 1 << (m - 1); mask++) {
    const starts = [0];
    for (let i = 1; i < m; i++) if (mask & (1 << (i - 1))) starts.push(i);
    if (starts.length > maxBins) continue;
    let ok = true;
    let iv = 0;
    const rates: number[] = [];
    for (let j = 0; j < starts.length; j++) {
      let g = 0;
      let b = 0;
      for (let i = starts[j]!; i < (starts[j + 1] ?? m); i++) {
        g += goods[i]!;
        b += bads[i]!;
      }
      if (g + b < minRows || b < minBads) ok = false;
      rates.push(g + b ? b / (g + b) : 0);
      iv += informationValue(g, b, G, B);
    }
    if (ok && trendHolds(rates, trend) && (best === undefined || iv > best)) best = iv;
  }
  return best;
}

describe('optimal merge (dynamic program)', () => {
  it('finds the same best IV as brute force under every trend and constraint', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 15 })), {
          minLength: 1,
          maxLength: 9,
        }),
        fc.constantFrom<T>('ascending', 'descending', 'peak', 'valley', 'none'),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        (cells, trend, minRows, minBads, maxBins) => {
          const goods = cells.map((c) => c[0]);
          const bads = cells.map((c) => c[1]);
          const G = goods.reduce((a, b) => a + b, 0);
          const B = bads.reduce((a, b) => a + b, 0);
          fc.pre(G > 0 && B > 0);
          const dp = optimalMerge(goods, bads, G, B, {
            minRowsPerBin: minRows,
            minBadsPerBin: minBads,
            maxBins,
            trend,
          });
          const brute = bruteForce(goods, bads, minRows, minBads, maxBins, trend);
          if (brute === undefined) expect(dp).toBeUndefined();
          else {
            expect(dp).toBeDefined();
            expect(dp!.iv).toBeCloseTo(brute, 10);
            expect(dp!.starts[0]).toBe(0);
            expect(dp!.starts.length).toBeLessThanOrEqual(maxBins);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

function numeric(values: number[], specialValues: number[] = []): NumericColumn {
  return { kind: 'numeric', name: 'x', values: Float64Array.from(values), specialValues };
}

describe('numeric binning', () => {
  it('gives monotonic event rates, finite WoE, and bins of at least the minimum share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        let s = seed;
        const rnd = () => {
          s = (s * 1103515245 + 12345) % 2147483648;
          return s / 2147483648;
        };
        const n = 400;
        const values: number[] = [];
        const y = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const v = Math.floor(rnd() * 100);
          values.push(rnd() < 0.05 ? Number.NaN : v);
          y[i] = rnd() < 0.1 + v / 200 ? 1 : 0;
        }
        fc.pre(y.some((v) => v === 1) && y.some((v) => v === 0));
        const b = binNumeric(numeric(values), y, { trend: 'ascending', minBadsPerBin: 1 });
        const ranges = b.bins.filter((x) => x.kind === 'range');
        const rates = ranges.map((x) => x.bads / (x.goods + x.bads));
        for (let i = 1; i < rates.length; i++) expect(rates[i]!).toBeGreaterThan(rates[i - 1]!);
        for (const bin of b.bins) {
          expect(Number.isFinite(bin.woe)).toBe(true);
          expect(Number.isFinite(bin.iv)).toBe(true);
        }
        if (b.notes.length === 0)
          for (const r of ranges) expect(r.goods + r.bads).toBeGreaterThanOrEqual(Math.ceil(0.05 * n));
      }),
      { numRuns: 30 },
    );
  });

  it('puts missing and special values in bins of their own, identically at scoring time', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, -999, -999, Number.NaN, Number.NaN, 9, 10, 11, 12];
    const y = Uint8Array.from([1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0]);
    const b = binNumeric(numeric(values, [-999]), y, { minBinShare: 0, minBadsPerBin: 0 });
    const special = b.bins.findIndex((x) => x.kind === 'special');
    const missing = b.bins.findIndex((x) => x.kind === 'missing');
    expect(b.bins[special]).toMatchObject({ goods: 0, bads: 2 });
    expect(b.bins[missing]).toMatchObject({ goods: 1, bads: 1 });
    const assigned = assignBins(b, numeric([-999, Number.NaN, 5, 1e9]));
    expect(assigned[0]).toBe(special);
    expect(assigned[1]).toBe(missing);
    expect(b.bins[assigned[3]!]!.kind).toBe('range');
    // A pure bin still has a finite WoE; a bin with no rows has WoE 0.
    expect(Number.isFinite(b.bins[special]!.woe)).toBe(true);
    const noMissing = binNumeric(numeric([1, 2, 3, 4]), Uint8Array.from([0, 1, 0, 1]), {
      minBinShare: 0,
      minBadsPerBin: 0,
    });
    expect(noMissing.bins.find((x) => x.kind === 'missing')!.woe).toBe(0);
  });

  it('says which constraint cannot be met and falls back to one bin', () => {
    const values = Array.from({ length: 100 }, (_, i) => i);
    const y = Uint8Array.from(values, (v) => (v === 50 || v === 70 ? 1 : 0));
    const b = binNumeric(numeric(values), y, { minBadsPerBin: 5 });
    expect(b.bins.filter((x) => x.kind === 'range')).toHaveLength(1);
    expect(b.notes.join(' ')).toMatch(/minimum events per bin cannot be met.*2 bads/);
  });

  it('counts the bads and the rows a bin needs in the singular for one', () => {
    const values = Array.from({ length: 100 }, (_, i) => i);
    const note = (bad: (v: number) => boolean) =>
      binNumeric(
        numeric(values),
        Uint8Array.from(values, (v) => (bad(v) ? 1 : 0)),
        {
          minBadsPerBin: 5,
        },
      ).notes.find((n) => n.startsWith('minimum events per bin'));
    expect(note((v) => v === 50)).toBe(
      'minimum events per bin cannot be met: the non-missing, non-special rows hold 1 bad, fewer than 5; kept them as one bin',
    );
    expect(note((v) => v === 50 || v === 70)).toBe(
      'minimum events per bin cannot be met: the non-missing, non-special rows hold 2 bads, fewer than 5; kept them as one bin',
    );
    // Every value missing: no row is left to bin, fewer than the rows a bin needs (share × 10 rows, rounded up).
    const missing = Array.from({ length: 10 }, () => Number.NaN);
    const y = Uint8Array.from({ length: 10 }, (_, i) => i % 2);
    const share = (minBinShare: number) =>
      binNumeric(numeric(missing), y, { minBinShare }).notes.find((n) => n.startsWith('minimum bin share'));
    expect(share(0.05)).toBe(
      'minimum bin share cannot be met: the non-missing, non-special rows (0) are fewer than the 1 row a bin needs; kept them as one bin',
    );
    expect(share(0.15)).toBe(
      'minimum bin share cannot be met: the non-missing, non-special rows (0) are fewer than the 2 rows a bin needs; kept them as one bin',
    );
  });
});

describe('categorical binning', () => {
  it('orders categories by event rate, pools rare ones and sends unseen categories to the pooled bin', () => {
    const levels = ['a', 'b', 'c', 'rare'];
    const codes: number[] = [];
    const y: number[] = [];
    const add = (code: number, goods: number, bads: number) => {
      for (let i = 0; i < goods + bads; i++) {
        codes.push(code);
        y.push(i < goods ? 0 : 1);
      }
    };
    add(0, 90, 10);
    add(1, 50, 50);
    add(2, 80, 20);
    add(3, 1, 0);
    const column: CategoricalColumn = {
      kind: 'categorical',
      name: 'c',
      codes: Int32Array.from(codes),
      levels,
    };
    const b = binCategorical(column, Uint8Array.from(y), { rareCategoryShare: 0.01, minBadsPerBin: 1 });
    const cats = b.bins.filter((x) => x.kind === 'categories');
    const rates = cats.map((x) => x.bads / (x.goods + x.bads));
    for (let i = 1; i < rates.length; i++) expect(rates[i]!).toBeGreaterThan(rates[i - 1]!);
    const pooled = b.bins.findIndex((x) => x.kind === 'categories' && x.includesUnseen);
    expect(pooled).toBeGreaterThanOrEqual(0);
    const scoring: CategoricalColumn = {
      kind: 'categorical',
      name: 'c',
      codes: Int32Array.from([0, 1]),
      levels: ['never-seen', 'b'],
    };
    const assigned = assignBins(b, scoring);
    expect(assigned[0]).toBe(pooled);
    expect(
      b.bins[assigned[1]!]!.kind === 'categories' &&
        (b.bins[assigned[1]!] as { categories: string[] }).categories,
    ).toContain('b');
  });
});

describe('trend auto', () => {
  it('keeps monotonic bins for a monotonic risk and takes a valley only for a strong U shape', () => {
    const n = 20_000;
    const values = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 1000);
    // Deterministic targets: bad rate follows the wanted shape exactly, up to rounding within each value.
    const shaped = (rate: (v: number) => number) =>
      Uint8Array.from(values, (v, i) => (((i * 2654435761) >>> 0) / 4294967296 < rate(v) ? 1 : 0));
    const monotone = binNumeric(
      numeric(Array.from(values)),
      shaped((v) => 0.1 + v / 2000),
    );
    expect(['ascending', 'descending']).toContain(monotone.trend);
    const u = binNumeric(
      numeric(Array.from(values)),
      shaped((v) => 0.05 + ((v - 500) / 500) ** 2 * 0.4),
    );
    expect(u.trend).toBe('valley');
  });
});
