import { describe, expect, it } from 'vitest';
import { binColumn } from '../../src/scoring/binning/index.js';
import { seededRandom } from '../../src/scoring/random.js';
import { woeColumn } from '../../src/scoring/scorecard.js';
import { selectFeatures, varianceInflation } from '../../src/scoring/selection.js';
import { targetFromColumn, withoutColumns } from '../../src/scoring/table.js';
import { loadFixture } from './helpers.js';

describe('feature selection', async () => {
  const data = await loadFixture('credit_data.csv', 'Status');
  const y = targetFromColumn(data, 'Status', 'bad');
  const x = withoutColumns(data, new Set(['Status']));
  const candidates = x.columns.map((c) => {
    const b = binColumn(c, y);
    return { name: c.name, iv: b.iv, woe: woeColumn(b, c) };
  });

  it('gives every candidate a decision with a reason, and keeps only positive coefficients', () => {
    const r = selectFeatures(candidates, y);
    expect(r.decisions.map((d) => d.feature).sort()).toEqual(candidates.map((c) => c.name).sort());
    expect(
      r.decisions
        .filter((d) => d.kept)
        .map((d) => d.feature)
        .sort(),
    ).toEqual([...r.selected].sort());
    for (const b of r.fit.coefficients) expect(b).toBeGreaterThan(0);
  });

  it('drops a duplicated feature as correlated with its higher-IV twin', () => {
    const twin = { ...candidates[0]!, name: 'copy', iv: candidates[0]!.iv - 1e-9 };
    const r = selectFeatures([...candidates, twin], y);
    expect(r.decisions.find((d) => d.feature === 'copy')).toMatchObject({ kept: false });
    expect(r.decisions.find((d) => d.feature === 'copy')!.reason).toMatch(/correlation 1\.000 with/);
  });

  it('runs forward and backward stepwise by AIC and BIC; BIC keeps no more features than AIC', () => {
    const forwardAic = selectFeatures(candidates, y, { stepwise: 'forward', criterion: 'aic' });
    const forwardBic = selectFeatures(candidates, y, { stepwise: 'forward', criterion: 'bic' });
    const backwardAic = selectFeatures(candidates, y, { stepwise: 'backward', criterion: 'aic' });
    expect(forwardAic.selected.length).toBeGreaterThan(2);
    expect(forwardBic.selected.length).toBeLessThanOrEqual(forwardAic.selected.length);
    expect(backwardAic.selected.length).toBeGreaterThan(2);
    const entered = forwardAic.decisions.filter((d) => d.kept);
    for (const d of entered) expect(d.reason).toMatch(/entered at forward step \d+: AIC/);
  });

  it('VIF is 1 for uncorrelated columns and infinite for collinear ones', () => {
    const a = Float64Array.from([1, -1, 1, -1]);
    const b = Float64Array.from([1, 1, -1, -1]);
    expect(varianceInflation([a, b])).toEqual([1, 1]);
    const c = Float64Array.from([2, 0, 0, -2]);
    expect(varianceInflation([a, b, c]).every((v) => v === Number.POSITIVE_INFINITY)).toBe(true);
  });

  it('keeps a feature below the IV floor only when its IV is beyond doubt on the rows given', () => {
    // A weak two-bin feature: bad rate 20% against 18%, IV about 0.004.
    const weak = (n: number) => {
      const random = seededRandom(8);
      const y = new Uint8Array(n);
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        values[i] = random() < 0.5 ? 0 : 1;
        y[i] = random() < (values[i] ? 0.2 : 0.18) ? 1 : 0;
      }
      const column = { kind: 'numeric' as const, name: 'weak', values, specialValues: [] };
      const b = binColumn(column, y);
      return { y, candidate: { name: 'weak', iv: b.iv, woe: woeColumn(b, column) } };
    };
    const large = weak(200_000);
    expect(large.candidate.iv).toBeLessThan(0.01);
    const kept = selectFeatures([large.candidate], large.y);
    expect(kept.selected).toEqual(['weak']);
    expect(kept.decisions[0]!.reason).toMatch(/below the minimum 0\.01 but beyond doubt on 200000 rows/);
    const strict = selectFeatures([large.candidate], large.y, { ivSignificantKept: false });
    expect(strict.selected).toEqual([]);
    const small = weak(3_000);
    expect(small.candidate.iv).toBeLessThan(0.01);
    const dropped = selectFeatures([small.candidate], small.y);
    expect(dropped.selected).toEqual([]);
    expect(dropped.decisions[0]!.reason).toMatch(/^IV 0\.\d+ below the minimum 0\.01$/);
  });
});
