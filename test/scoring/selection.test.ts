import { describe, expect, it } from 'vitest';
import { binColumn } from '../../src/scoring/binning/index.js';
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
});
