import { describe, expect, it } from 'vitest';
import { binNumeric } from '../../src/scoring/binning/index.js';
import type { NumericColumn } from '../../src/scoring/dataset.js';
import { seededRandom } from '../../src/scoring/random.js';
import { targetFromColumn, withoutColumns } from '../../src/scoring/table.js';
import { SCORECARD_GRID, tuneScorecard } from '../../src/scoring/tuning.js';
import { loadFixture } from './helpers.js';

/** 6,000 rows in six value bands whose bad rates zig-zag (10%, 40%, 10%, 40%, …): no trend fits but "none". */
function zigZag(): { column: NumericColumn; y: Uint8Array } {
  const random = seededRandom(5);
  const n = 6000;
  const values = new Float64Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    values[i] = random() * 6;
    y[i] = random() < (Math.floor(values[i]!) % 2 ? 0.4 : 0.1) ? 1 : 0;
  }
  return { column: { kind: 'numeric', name: 'zig', values, specialValues: [] }, y };
}

describe('trend chosen by the data', () => {
  it('takes unconstrained bins only when allowed and significant, and says why when asked', () => {
    const { column, y } = zigZag();
    const shaped = binNumeric(column, y, { trend: 'auto' });
    expect(['ascending', 'descending', 'peak', 'valley']).toContain(shaped.trend);
    expect(shaped.notes).toEqual([]);
    const free = binNumeric(column, y, { trend: 'auto', autoAllowsNone: true, explainTrend: true });
    expect(free.trend).toBe('none');
    expect(free.iv).toBeGreaterThan(shaped.iv);
    expect(free.notes.join(' ')).toMatch(/trend none chosen by the data .*none taken: likelihood-ratio gain/);
  });

  it('keeps a monotonic trend when the data has one, even with "none" allowed', () => {
    const random = seededRandom(2);
    const n = 4000;
    const values = Float64Array.from({ length: n }, () => random() * 10);
    const y = Uint8Array.from(values, (v) => (random() < 0.05 + v / 25 ? 1 : 0));
    const column: NumericColumn = { kind: 'numeric', name: 'rising', values, specialValues: [] };
    const b = binNumeric(column, y, { trend: 'auto', autoAllowsNone: true, explainTrend: true });
    expect(b.trend).toBe('ascending');
    expect(b.notes[0]).toMatch(/^trend ascending chosen by the data/);
  });
});

describe('scorecard settings chosen by cross-validation of the whole pipeline', () => {
  it('searches the grid left open, picks the best mean held-out AUC and records it', async () => {
    const data = await loadFixture('credit_data.csv', 'Status');
    const y = targetFromColumn(data, 'Status', 'bad');
    const x = withoutColumns(data, new Set(['Status']));
    // Binning share, bins and IV fixed by the caller: trend rule × correlation × L2 = 12 points.
    const base = { binning: { minBinShare: 0.05, maxBins: 8 }, selection: { ivMin: 0.02 } };
    const { options, tuning } = tuneScorecard(x, y, base, 3, 11);
    const points =
      SCORECARD_GRID.trendRule.length * SCORECARD_GRID.correlationMax.length * SCORECARD_GRID.l2PerRow.length;
    expect(tuning.results).toHaveLength(points);
    for (const r of tuning.results) {
      expect(r.setting).toMatchObject({ minBinShare: 0.05, maxBins: 8, ivMin: 0.02 });
      expect(r.meanAuc).toBeGreaterThan(0.78);
      expect(r.meanAuc).toBeLessThan(0.9);
    }
    // The best mean AUC if it clearly beats the first point, else the first point.
    expect([Math.max(...tuning.results.map((r) => r.meanAuc)), tuning.defaultMeanAuc]).toContain(
      tuning.chosenMeanAuc,
    );
    expect(tuning.chosenMeanAuc).toBeGreaterThanOrEqual(tuning.defaultMeanAuc);
    expect(tuning.reasons.at(-1)).toMatch(/^chosen: /);
    expect(tuning.reasons[0]).toMatch(/^3-fold stratified cross-validation \(seed 11\) .* over 12 settings/);
    expect(options.binning).toMatchObject({ minBinShare: 0.05, maxBins: 8, explainTrend: true });
    expect(options.logistic?.l2).toBe(tuning.chosen.l2PerRow * y.length);
    expect(options.selection).toMatchObject({ ivMin: 0.02, correlationMax: tuning.chosen.correlationMax });
    const again = tuneScorecard(x, y, base, 3, 11);
    expect(JSON.stringify(again)).toBe(JSON.stringify({ options, tuning }));
  });

  it('refuses an L2 penalty given together with tuning', async () => {
    const data = await loadFixture('german_credit.csv', 'Class');
    const y = targetFromColumn(data, 'Class', 'Bad');
    expect(() =>
      tuneScorecard(withoutColumns(data, new Set(['Class'])), y, { logistic: { l2: 3 } }, 3, 1),
    ).toThrow(/tuning chooses the L2 penalty itself/);
  });
});
