import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auc, brier, gini, ks, psiBand, psiFromCounts, scoreBands } from '../../src/scoring/metrics.js';

describe('validation metrics', () => {
  it('computes AUC with ties counted half, and KS and Gini from it', () => {
    expect(auc([0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.4, 0.3, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    // pairs (bad, good): (0.35 vs 0.1) win, (0.35 vs 0.4) loss, (0.8 vs both) wins → 3/4
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(gini(0.75)).toBe(0.5);
    expect(ks([0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1])).toBe(1);
    expect(brier([0, 1], [0, 1])).toBe(0);
  });

  it('AUC equals the share of (bad, good) pairs ranked right, ties half', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), { minLength: 2, maxLength: 40 }),
        (rows) => {
          const risk = rows.map((r) => r[0]);
          const y = rows.map((r) => (r[1] ? 1 : 0));
          fc.pre(y.includes(1) && y.includes(0));
          let wins = 0;
          let pairs = 0;
          for (let i = 0; i < rows.length; i++)
            for (let j = 0; j < rows.length; j++)
              if (y[i] === 1 && y[j] === 0) {
                pairs++;
                wins += risk[i]! > risk[j]! ? 1 : risk[i] === risk[j] ? 0.5 : 0;
              }
          expect(auc(risk, y)).toBeCloseTo(wins / pairs, 12);
        },
      ),
    );
  });

  it('cuts gains bands from the riskiest score up, covering every row', () => {
    const score = Array.from({ length: 100 }, (_, i) => i);
    const y = score.map((s) => (s < 30 ? 1 : 0));
    const bands = scoreBands(
      score,
      score.map(() => 0.3),
      y,
      10,
    );
    expect(bands.reduce((a, b) => a + b.rows, 0)).toBe(100);
    expect(bands[0]!.badRate).toBe(1);
    expect(bands[2]!.cumulativeBadShare).toBe(1);
    expect(bands[0]!.lift).toBeCloseTo(1 / 0.3, 12);
  });

  it('PSI is 0 for equal samples, finite with empty buckets, banded at 0.1 and 0.25', () => {
    expect(psiFromCounts([10, 20, 30], [10, 20, 30])).toBeCloseTo(0, 12);
    expect(psiFromCounts([10, 20, 30], [20, 40, 60])).toBeLessThan(1e-3);
    expect(Number.isFinite(psiFromCounts([10, 0, 30], [0, 40, 0]))).toBe(true);
    expect(psiBand(0.05)).toBe('stable');
    expect(psiBand(0.1)).toBe('moderate shift');
    expect(psiBand(0.25)).toBe('significant shift');
  });
});
