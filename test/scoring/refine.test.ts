import { describe, expect, it } from 'vitest';
import { fitLogistic } from '../../src/scoring/logistic.js';
import { seededRandom } from '../../src/scoring/random.js';
import {
  DEFAULT_REFINE_OPTIONS,
  fitRefined,
  keepTrend,
  type RefineFeature,
  refineCard,
} from '../../src/scoring/refine.js';
import { trainScorecard } from '../../src/scoring/scorecard.js';
import { targetFromColumn, withoutColumns } from '../../src/scoring/table.js';
import { loadFixture } from './helpers.js';

/**
 * Two correlated binned features (the second usually follows the first), so that each one's WoE, learnt on its
 * own, is not a multiple of its bins' true log-odds: a card with one coefficient per feature cannot fit them,
 * per-bin adjustments can.
 */
function twoFeatures(n: number): { features: RefineFeature[]; y: Uint8Array } {
  const random = seededRandom(3);
  const effects = [
    [-1, -0.2, 0.1, 1.2],
    [0.4, -0.3, 0.5],
  ];
  const bins = effects.map(() => new Int32Array(n));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let eta = -1;
    const first = Math.floor(random() * 4);
    const second = random() < 0.7 ? Math.min(first, 2) : Math.floor(random() * 3);
    bins[0]![i] = first;
    bins[1]![i] = second;
    eta += effects[0]![first]! + effects[1]![second]!;
    y[i] = random() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  const features = effects.map((e, j): RefineFeature => {
    const goods = new Array<number>(e.length).fill(0.5);
    const bads = new Array<number>(e.length).fill(0.5);
    for (let i = 0; i < n; i++) (y[i] ? bads : goods)[bins[j]![i]!]!++;
    const totalBads = bads.reduce((a, b) => a + b, 0);
    const totalGoods = goods.reduce((a, b) => a + b, 0);
    const woe = e.map((_, b) => Math.log(bads[b]! / totalBads / (goods[b]! / totalGoods)));
    return { bins: bins[j]!, woe, ordered: [], direction: 0 };
  });
  return { features, y };
}

describe('bin refinement', () => {
  const { features, y } = twoFeatures(4000);
  const start = { intercept: 0, coefficients: [1, 1] };

  it('without adjustments is the logistic regression on the WoE columns', () => {
    const plain = fitRefined(features, y, null, start);
    const woeColumns = features.map((f) => Float64Array.from(f.bins, (b) => f.woe[b]!));
    const reference = fitLogistic(woeColumns, ['a', 'b'], y);
    expect(plain.converged).toBe(true);
    expect(plain.intercept).toBeCloseTo(reference.intercept, 7);
    for (const [j, c] of plain.coefficients.entries()) expect(c).toBeCloseTo(reference.coefficients[j]!, 7);
    expect(plain.deviance).toBeCloseTo(reference.deviance, 6);
    for (const [j, e] of plain.standardErrors.entries())
      expect(e).toBeCloseTo(reference.standardErrors[j]!, 6);
    for (const a of plain.adjustments) for (const v of a) expect(v).toBe(0);
  });

  it('with adjustments is the penalised fit on the explicit design (bin-pair information matrix)', () => {
    const l2 = 5;
    const refined = fitRefined(features, y, l2, start);
    // The explicit design: WoE columns scaled up so that the uniform penalty of fitLogistic leaves them free,
    // then one indicator per bin.
    const scale = 1e4;
    const columns: Float64Array[] = features.map((f) => Float64Array.from(f.bins, (b) => scale * f.woe[b]!));
    for (const f of features)
      for (let k = 0; k < f.woe.length; k++)
        columns.push(Float64Array.from(f.bins, (b) => (b === k ? 1 : 0)));
    const reference = fitLogistic(
      columns,
      columns.map((_, c) => `x${c}`),
      y,
      { l2 },
    );
    expect(refined.intercept).toBeCloseTo(reference.intercept, 4);
    for (const [j, c] of refined.coefficients.entries())
      expect(c).toBeCloseTo(reference.coefficients[j]! * scale, 3);
    for (const [k, a] of refined.adjustments.flat().entries())
      expect(a).toBeCloseTo(reference.coefficients[features.length + k]!, 4);
    // It fits better than the plain card (the data were made so).
    expect(refined.deviance).toBeLessThan(fitRefined(features, y, null, start).deviance - 10);
  });

  it('keeps the points running the way of the trend by pooling adjacent violators', () => {
    const f: RefineFeature = {
      bins: Int32Array.from([0, 1, 2, 2]),
      woe: [0, 0, 0],
      ordered: [0, 1, 2],
      direction: 1,
    };
    const fit = {
      intercept: 0,
      coefficients: [1],
      adjustments: [[0.1, 0.5, 0.2]],
      standardErrors: [1, 1],
      deviance: 0,
      iterations: 1,
      converged: true,
    };
    const kept = keepTrend([f], fit, new Uint8Array(4));
    // Bins 1 (one row, 0.5) and 2 (two rows, 0.2) pool to their row-weighted mean 0.3.
    expect(kept.adjustments[0]![0]).toBeCloseTo(0.1, 12);
    expect(kept.adjustments[0]![1]).toBeCloseTo(0.3, 12);
    expect(kept.adjustments[0]![2]).toBeCloseTo(0.3, 12);
    const falling = keepTrend([{ ...f, direction: -1 }], fit, new Uint8Array(4));
    // Falling: 0.1 then 0.5 breaks it; those two pool to 0.3, and 0.2 after them may stay.
    expect(falling.adjustments[0]).toEqual([0.3, 0.3, 0.2].map((v) => expect.closeTo(v, 12)));
  });

  it('chooses the penalty by held-out deviance and records why; off when the grid is empty', () => {
    const chosen = refineCard(features, y, start, DEFAULT_REFINE_OPTIONS, 9);
    expect(chosen.record.results).toHaveLength(DEFAULT_REFINE_OPTIONS.l2Grid.length + 1);
    const best = Math.min(...chosen.record.results.map((r) => r.heldOutDeviancePerRow));
    expect(chosen.record.results.find((r) => r.l2 === chosen.record.l2)!.heldOutDeviancePerRow).toBe(best);
    expect(chosen.record.l2).not.toBeNull();
    expect(chosen.fit).toBeDefined();
    expect(chosen.record.reason).toMatch(/lowest held-out deviance/);
    const off = refineCard(features, y, start, { ...DEFAULT_REFINE_OPTIONS, l2Grid: [] }, 9);
    expect(off.fit).toBeUndefined();
    const large = refineCard(features, y, start, { ...DEFAULT_REFINE_OPTIONS, searchRowsMax: 1000 }, 9);
    expect(large.record.l2).toBe(DEFAULT_REFINE_OPTIONS.l2Large);
    expect(large.record.reason).toMatch(/more than 1000/);
  });

  it('on credit_data: every feature keeps its points monotone along its trend, and the card is reproducible', async () => {
    const data = await loadFixture('credit_data.csv', 'Status');
    const target = targetFromColumn(data, 'Status', 'bad');
    const x = withoutColumns(data, new Set(['Status']));
    const card = trainScorecard(x, target, {}, 42);
    expect(card.refinement?.l2).not.toBeNull();
    expect(card.features.some((f) => f.adjustments)).toBe(true);
    for (const f of card.features) {
      if (f.binning.trend !== 'ascending' && f.binning.trend !== 'descending') continue;
      const ordered = f.binning.bins
        .map((b, k) => ({ b, k }))
        .filter(({ b }) => b.kind === 'range' || b.kind === 'categories')
        .map(({ k }) => f.points[k]!);
      // Rising bad rate means falling points.
      const sign = f.binning.trend === 'ascending' ? -1 : 1;
      for (let k = 1; k < ordered.length; k++)
        expect(sign * (ordered[k]! - ordered[k - 1]!), f.name).toBeGreaterThanOrEqual(0);
    }
    expect(JSON.stringify(trainScorecard(x, target, {}, 42))).toBe(JSON.stringify(card));
  });
});
