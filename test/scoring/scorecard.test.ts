import { describe, expect, it } from 'vitest';
import {
  MODEL_FORMAT_VERSION,
  parseModel,
  scoreModel,
  serialiseModel,
  trainModel,
} from '../../src/scoring/artifact.js';
import {
  DEFAULT_SCALING,
  scoreFromProbability,
  scoreScorecard,
  trainScorecard,
} from '../../src/scoring/scorecard.js';
import { selectRows, targetFromColumn, withoutColumns } from '../../src/scoring/table.js';
import { loadFixture } from './helpers.js';

describe('points scaling', () => {
  it('gives the base points at the base odds and PDO more points when the odds double', () => {
    expect(scoreFromProbability(DEFAULT_SCALING, 1 / 51)).toBeCloseTo(600, 9);
    expect(scoreFromProbability(DEFAULT_SCALING, 1 / 101)).toBeCloseTo(620, 9);
    expect(Number.isFinite(scoreFromProbability(DEFAULT_SCALING, 0))).toBe(true);
  });
});

describe('scorecard on credit_data', async () => {
  const data = await loadFixture('credit_data.csv', 'Status');
  const y = targetFromColumn(data, 'Status', 'bad');
  const x = withoutColumns(data, new Set(['Status']));
  const card = trainScorecard(x, y, {}, 7);

  it('has integer points, each feature from 0 to its range, and keeps the total range', () => {
    let realRange = 0;
    for (const f of card.features) {
      for (const p of f.points) expect(Number.isInteger(p)).toBe(true);
      expect(Math.min(...f.points)).toBe(0);
      const realPoints = f.binning.bins.map(
        (b, k) => (-DEFAULT_SCALING.pdo / Math.LN2) * (f.coefficient * b.woe + (f.adjustments?.[k] ?? 0)),
      );
      realRange += Math.max(...realPoints) - Math.min(...realPoints);
      expect(f.coefficient).toBeGreaterThan(0);
    }
    expect(card.scoreRange.max - card.scoreRange.min).toBe(Math.floor(realRange + 0.5));
  });

  it('scores rows with points that track the exact probability and reason codes against the best bins', () => {
    const scored = scoreScorecard(card, x, 3);
    for (let i = 0; i < 200; i++) {
      const exact = scoreFromProbability(DEFAULT_SCALING, scored.probabilityBad[i]!);
      expect(Math.abs(scored.score[i]! - exact)).toBeLessThanOrEqual(card.features.length / 2 + 1);
      const reasons = scored.reasons[i]!;
      expect(reasons.length).toBeLessThanOrEqual(3);
      for (let k = 1; k < reasons.length; k++)
        expect(reasons[k]!.contribution).toBeLessThanOrEqual(reasons[k - 1]!.contribution);
      for (const r of reasons) expect(r.contribution).toBeGreaterThan(0);
    }
    // A row at the best bin of every feature has the top score and no reasons.
    const best = scored.score.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
    const top = scored.score.indexOf(best);
    expect(best).toBeLessThanOrEqual(card.scoreRange.max);
    if (best === card.scoreRange.max) expect(scored.reasons[top]).toEqual([]);
  });

  it('explains every feature decision', () => {
    expect(card.selection).toHaveLength(x.columns.length);
    for (const d of card.selection) expect(d.reason.length).toBeGreaterThan(10);
  });

  it('round-trips through the model document and scores a single row like the batch', () => {
    const model = trainModel(x, y, {
      kind: 'scorecard',
      target: { column: 'Status', badValue: 'bad' },
      excluded: [],
      seed: 7,
    });
    const loaded = parseModel(serialiseModel(model));
    // Refined (per-bin adjustments), so written as the newest version.
    expect(model.scorecard!.features.some((f) => f.adjustments)).toBe(true);
    expect(loaded.formatVersion).toBe(MODEL_FORMAT_VERSION);
    const batch = scoreModel(loaded, x, 2);
    const one = scoreModel(loaded, selectRows(x, [123]), 2);
    expect(one.score[0]).toBe(batch.score[123]);
    expect(one.probabilityBad[0]).toBe(batch.probabilityBad[123]);
    expect(one.reasons[0]).toEqual(batch.reasons[123]);
    expect(model.trainingMetrics.auc).toBeGreaterThan(0.8);
  });

  it('gives the same model document byte for byte for the same data and seed', () => {
    const request = {
      kind: 'scorecard' as const,
      target: { column: 'Status', badValue: 'bad' },
      excluded: [],
      seed: 11,
    };
    expect(serialiseModel(trainModel(x, y, request))).toBe(serialiseModel(trainModel(x, y, request)));
  });

  it('refuses unknown formats and versions with a precise message', () => {
    expect(() => parseModel('{"format":"other"}')).toThrow(/format is "other"/);
    expect(() => parseModel('{"format":"lendguard.scoring-model","formatVersion":99}')).toThrow(
      /format version 99.*reads versions 1 and 2/,
    );
    expect(() => parseModel('not json')).toThrow(/not JSON/);
  });
});
