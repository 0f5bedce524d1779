import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRODUCT, type Product } from '../../../src/ledger/index.js';
import { roundForProduct } from '../../../src/ledger/loan/rates.js';
import { roundToUnit } from '../../../src/ledger/schedule.js';

const MODES = ['down', 'up', 'ceiling', 'floor', 'half-up', 'half-down', 'half-even'] as const;

describe('roundForProduct: the double fast path gives what the bigint rounding gives', () => {
  const products = new Map<string, Product>();
  const productFor = (mode: (typeof MODES)[number], scale: 0 | 1 | 2): Product => {
    const key = `${mode}/${scale}`;
    let p = products.get(key);
    if (p === undefined) {
      p = { ...DEFAULT_PRODUCT, rounding: { mode, scale } };
      products.set(key, p);
    }
    return p;
  };
  const unitOf = (scale: 0 | 1 | 2) => [100n, 10n, 1n][scale]!;
  const near = (limit: bigint) =>
    fc.oneof(
      fc.bigInt({ min: -limit, max: limit }),
      // Around the bound of the fast path and around exact halves.
      fc.bigInt({ min: 2n ** 50n - 1000n, max: 2n ** 50n + 1000n }),
      fc.bigInt({ min: -(2n ** 50n) - 1000n, max: -(2n ** 50n) + 1000n }),
    );

  it('for every mode and scale, small and large numerators and denominators', () => {
    fc.assert(
      fc.property(
        near(2n ** 52n),
        fc.oneof(fc.bigInt({ min: 1n, max: 10_000n }), fc.bigInt({ min: 1n, max: 2n ** 49n })),
        fc.constantFrom(...MODES),
        fc.constantFrom(0 as const, 1 as const, 2 as const),
        (num, den, mode, scale) => {
          const expected = Number(roundToUnit({ num, den }, unitOf(scale), mode));
          expect(roundForProduct(productFor(mode, scale), { num, den })).toBe(expected);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('exact halves and exact multiples', () => {
    for (const mode of MODES) {
      for (const num of [-15n, -5n, -1n, 0n, 1n, 5n, 15n, 25n, 2n ** 50n, -(2n ** 50n)]) {
        const p = productFor(mode, 2);
        expect(roundForProduct(p, { num, den: 10n })).toBe(Number(roundToUnit({ num, den: 10n }, 1n, mode)));
      }
    }
  });
});
