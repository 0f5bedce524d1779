import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/scoring/dataset.js';
import {
  GbmError,
  type GbmModelBody,
  predictMargin,
  SeededRandom,
  scoreChallenger,
  shapValues,
  trainChallenger,
  trainGbmMatrix,
} from '../../../src/scoring/gbm/index.js';

/** A small credit-like data set: a rising risk in utilisation, a falling one in income, a category, noise. */
function syntheticCredit(rows: number, seed: number): { data: Dataset; y: Uint8Array } {
  const random = new SeededRandom(seed);
  const utilisation = new Float64Array(rows);
  const income = new Float64Array(rows);
  const noise = new Float64Array(rows);
  const channel = new Int32Array(rows);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    utilisation[r] = random.next() < 0.05 ? Number.NaN : random.next();
    income[r] = Math.round(2000 + random.next() * 18000);
    noise[r] = random.next();
    channel[r] = random.next() < 0.03 ? -1 : random.below(3);
    const u = Number.isNaN(utilisation[r]!) ? 0.5 : utilisation[r]!;
    const margin = -1 + 3 * u - income[r]! / 8000 + (channel[r] === 2 ? 0.8 : 0);
    y[r] = random.next() < 1 / (1 + Math.exp(-margin)) ? 1 : 0;
  }
  const data: Dataset = {
    rowCount: rows,
    columns: [
      { kind: 'numeric', name: 'utilisation', values: utilisation, specialValues: [] },
      { kind: 'numeric', name: 'income', values: income, specialValues: [] },
      { kind: 'numeric', name: 'noise', values: noise, specialValues: [] },
      { kind: 'categorical', name: 'channel', codes: channel, levels: ['app', 'web', 'partner'] },
    ],
  };
  return { data, y };
}

const FAST = { trees: 40, earlyStoppingRounds: 0 } as const;

describe('training', () => {
  it('is deterministic for a seed: the same inputs give byte-identical JSON', () => {
    const { data, y } = syntheticCredit(1500, 1);
    const a = JSON.stringify(trainChallenger(data, y, { trees: 60 }, 42));
    const b = JSON.stringify(trainChallenger(data, y, { trees: 60 }, 42));
    expect(a).toBe(b);
  });

  it('draws different row and feature samples for different seeds', () => {
    const { data, y } = syntheticCredit(1500, 1);
    const a = trainChallenger(data, y, { ...FAST, subsample: 0.7, colsampleByTree: 1 }, 1);
    const b = trainChallenger(data, y, { ...FAST, subsample: 0.7, colsampleByTree: 1 }, 2);
    expect(JSON.stringify(a.trees)).not.toBe(JSON.stringify(b.trees));
    const c = trainChallenger(data, y, { ...FAST, subsample: 1, colsampleByTree: 0.5 }, 1);
    const d = trainChallenger(data, y, { ...FAST, subsample: 1, colsampleByTree: 0.5 }, 2);
    expect(JSON.stringify(c.trees)).not.toBe(JSON.stringify(d.trees));
    // Without any sampling the seed has nothing to change.
    const e = trainChallenger(data, y, { ...FAST, subsample: 1, colsampleByTree: 1 }, 1);
    const f = trainChallenger(data, y, { ...FAST, subsample: 1, colsampleByTree: 1 }, 2);
    expect(JSON.stringify(e.trees)).toBe(JSON.stringify(f.trees));
  });

  it('scores identically after a JSON round trip, with no typed arrays in the saved form', () => {
    const { data, y } = syntheticCredit(1200, 3);
    const model = trainChallenger(data, y, { trees: 80 }, 5);
    const json = JSON.stringify(model);
    const restored = JSON.parse(json) as GbmModelBody;
    expect(JSON.stringify(restored)).toBe(json);
    const before = scoreChallenger(model, data, 3);
    const after = scoreChallenger(restored, data, 3);
    expect([...after.probabilityBad]).toEqual([...before.probabilityBad]);
    expect(after.reasons).toEqual(before.reasons);
  });

  it('lowers training log-loss round after round and records it when asked', () => {
    const { data, y } = syntheticCredit(1000, 4);
    const model = trainChallenger(data, y, { ...FAST, subsample: 1, trainingLossEachRound: true }, 1);
    expect(model.trainingLogLoss).toHaveLength(model.trees.length);
    for (let i = 1; i < model.trainingLogLoss.length; i++) {
      expect(model.trainingLogLoss[i]!).toBeLessThanOrEqual(model.trainingLogLoss[i - 1]! + 1e-12);
    }
    // By default only the final model's training log-loss is kept; the trees do not change.
    const plain = trainChallenger(data, y, { ...FAST, subsample: 1 }, 1);
    expect(JSON.stringify(plain.trees)).toBe(JSON.stringify(model.trees));
    expect(plain.trainingLogLoss).toEqual([model.trainingLogLoss.at(-1)]);
  });

  it('keeps the training log-loss of the kept trees when early stopping keeps fewer rounds', () => {
    const { data, y } = syntheticCredit(800, 6);
    const options = {
      trees: 300,
      maxDepth: 6,
      learningRate: 0.3,
      earlyStoppingRounds: 15,
      refit: false,
    } as const;
    const each = trainChallenger(data, y, { ...options, trainingLossEachRound: true }, 9);
    const once = trainChallenger(data, y, options, 9);
    expect(once.trees).toHaveLength(each.trees.length);
    expect(once.trainingLogLoss).toHaveLength(1);
    expect(once.trainingLogLoss[0]!).toBeCloseTo(each.trainingLogLoss.at(-1)!, 12);
  });

  it('early stopping keeps the round with the best validation log-loss', () => {
    const { data, y } = syntheticCredit(800, 6);
    // Deep trees and a high learning rate overfit quickly, so validation loss turns up early.
    const options = {
      trees: 300,
      maxDepth: 6,
      learningRate: 0.3,
      earlyStoppingRounds: 15,
      refit: false,
    } as const;
    const model = trainChallenger(data, y, options, 9);
    const losses = model.validationLogLoss;
    const best = losses.indexOf(Math.min(...losses)) + 1;
    expect(model.bestIteration).toBe(best);
    expect(model.trees).toHaveLength(best);
    expect(losses.length).toBe(best + 15);
    expect(losses.length).toBeLessThan(300);
  });

  it('refits on all rows with the early-stopped number of rounds scaled to the larger data', () => {
    const { data, y } = syntheticCredit(800, 6);
    const options = { trees: 300, maxDepth: 6, learningRate: 0.3, earlyStoppingRounds: 15 } as const;
    const kept = trainChallenger(data, y, { ...options, refit: false }, 9);
    const refitted = trainChallenger(data, y, options, 9);
    expect(refitted.trees).toHaveLength(Math.round(kept.bestIteration / 0.8));
    expect(refitted.validationLogLoss).toEqual(kept.validationLogLoss);
  });

  it('holds monotone constraints: predictions move one way along a constrained feature, others fixed', () => {
    const { data, y } = syntheticCredit(1500, 8);
    const monotone = { utilisation: 1, income: -1, noise: 1 } as const;
    const model = trainChallenger(data, y, { trees: 80, maxDepth: 4, monotone }, 3);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 2000, max: 20000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: -1, max: 2 }),
        (u, income, noise, channel) => {
          const steps = 41;
          const grid = (low: number, high: number) =>
            Float64Array.from({ length: steps }, (_, i) => low + ((high - low) * i) / (steps - 1));
          const probe = (column: 'utilisation' | 'income' | 'noise', values: Float64Array): Float64Array => {
            const fill = (v: number) => new Float64Array(steps).fill(v);
            const rows: Dataset = {
              rowCount: steps,
              columns: [
                {
                  kind: 'numeric',
                  name: 'utilisation',
                  values: column === 'utilisation' ? values : fill(u),
                  specialValues: [],
                },
                {
                  kind: 'numeric',
                  name: 'income',
                  values: column === 'income' ? values : fill(income),
                  specialValues: [],
                },
                {
                  kind: 'numeric',
                  name: 'noise',
                  values: column === 'noise' ? values : fill(noise),
                  specialValues: [],
                },
                {
                  kind: 'categorical',
                  name: 'channel',
                  codes: new Int32Array(steps).fill(channel),
                  levels: ['app', 'web', 'partner'],
                },
              ],
            };
            return scoreChallenger(model, rows, 0).probabilityBad;
          };
          const up = probe('utilisation', grid(-0.1, 1.1));
          const down = probe('income', grid(1000, 21000));
          const noisy = probe('noise', grid(-0.1, 1.1));
          for (let i = 1; i < steps; i++) {
            expect(up[i]!).toBeGreaterThanOrEqual(up[i - 1]!);
            expect(down[i]!).toBeLessThanOrEqual(down[i - 1]!);
            expect(noisy[i]!).toBeGreaterThanOrEqual(noisy[i - 1]!);
          }
        },
      ),
      { numRuns: 100 },
    );
    // The constraint is not vacuous: the model does use utilisation.
    const spread = scoreChallenger(model, data, 0).probabilityBad;
    expect(Math.max(...spread) - Math.min(...spread)).toBeGreaterThan(0.3);
  });

  it('can break monotonicity without constraints (the property test above can fail)', () => {
    // Risk peaks in the middle of x: an unconstrained model follows the peak.
    const random = new SeededRandom(2);
    const n = 2000;
    const x = Float64Array.from({ length: n }, () => random.next());
    const y = Uint8Array.from(x, (v) => (random.next() < (Math.abs(v - 0.5) < 0.2 ? 0.8 : 0.1) ? 1 : 0));
    const free = trainGbmMatrix([x], y, FAST, 1, ['x']);
    const bound = trainGbmMatrix([x], y, { ...FAST, monotone: { x: 1 } }, 1, ['x']);
    const grid = [Float64Array.from([0.1, 0.5, 0.9])];
    const [lowFree, midFree, highFree] = predictMargin(free, grid);
    expect(midFree!).toBeGreaterThan(lowFree!);
    expect(midFree!).toBeGreaterThan(highFree!);
    const [low, mid, high] = predictMargin(bound, grid);
    expect(mid!).toBeGreaterThanOrEqual(low!);
    expect(high!).toBeGreaterThanOrEqual(mid!);
  });

  it('learns a default direction for missing values', () => {
    const random = new SeededRandom(3);
    const n = 3000;
    const x = Float64Array.from({ length: n }, () => (random.next() < 0.3 ? Number.NaN : random.next()));
    // Missing behaves like a high value: the model should send it with the high values.
    const y = Uint8Array.from(x, (v) => (random.next() < (Number.isNaN(v) || v > 0.5 ? 0.7 : 0.1) ? 1 : 0));
    const model = trainGbmMatrix([x], y, FAST, 1);
    const [missing, low, high] = predictMargin(model, [Float64Array.from([Number.NaN, 0.2, 0.8])]);
    expect(Math.abs(missing! - high!)).toBeLessThan(Math.abs(missing! - low!));
  });
});

describe('scoring', () => {
  it('finds columns by name, ignores others, and names a missing one in a typed error', () => {
    const { data, y } = syntheticCredit(800, 10);
    const model = trainChallenger(data, y, FAST, 1);
    const reordered: Dataset = {
      rowCount: data.rowCount,
      columns: [
        { kind: 'numeric', name: 'extra', values: new Float64Array(data.rowCount), specialValues: [] },
        ...[...data.columns].reverse(),
      ],
    };
    expect([...scoreChallenger(model, reordered, 0).probabilityBad]).toEqual([
      ...scoreChallenger(model, data, 0).probabilityBad,
    ]);
    const lacking: Dataset = {
      rowCount: data.rowCount,
      columns: data.columns.filter((c) => c.name !== 'income'),
    };
    expect(() => scoreChallenger(model, lacking, 0)).toThrowError(GbmError);
    try {
      scoreChallenger(model, lacking, 0);
    } catch (error) {
      expect((error as GbmError).code).toBe('GBM_MISSING_COLUMN');
      expect((error as GbmError).message).toContain('income');
    }
  });

  it('scores an unseen category level as missing, and matches levels by text not by code', () => {
    const { data, y } = syntheticCredit(800, 11);
    const model = trainChallenger(data, y, FAST, 1);
    const rows = 3;
    const make = (levels: string[], codes: number[]): Dataset => ({
      rowCount: rows,
      columns: [
        { kind: 'numeric', name: 'utilisation', values: new Float64Array(rows).fill(0.5), specialValues: [] },
        { kind: 'numeric', name: 'income', values: new Float64Array(rows).fill(9000), specialValues: [] },
        { kind: 'numeric', name: 'noise', values: new Float64Array(rows).fill(0.5), specialValues: [] },
        { kind: 'categorical', name: 'channel', codes: Int32Array.from(codes), levels },
      ],
    });
    const original = scoreChallenger(model, make(['app', 'web', 'partner'], [0, 2, -1]), 0).probabilityBad;
    const shuffled = scoreChallenger(model, make(['partner', 'broker', 'app'], [2, 0, 1]), 0).probabilityBad;
    expect(shuffled[0]).toBe(original[0]);
    expect(shuffled[1]).toBe(original[1]);
    expect(shuffled[2]).toBe(original[2]);
  });

  it('gives as reasons the largest positive contributions, with the values seen', () => {
    const { data, y } = syntheticCredit(1000, 12);
    const model = trainChallenger(data, y, { trees: 60 }, 1);
    const { reasons } = scoreChallenger(model, data, 2);
    const encodedUtilisation = data.columns[0]!;
    expect(reasons).toHaveLength(data.rowCount);
    const shap = shapValues(
      model,
      model.features.map((f) => {
        const column = data.columns.find((c) => c.name === f.name)!;
        if (column.kind === 'numeric') return column.values;
        const levels = f.kind === 'categorical' ? f.levels : [];
        return Float64Array.from(column.codes, (code) =>
          code < 0 ? Number.NaN : levels.indexOf(column.levels[code]!),
        );
      }),
    );
    for (let r = 0; r < 50; r++) {
      const row = reasons[r]!;
      expect(row.length).toBeLessThanOrEqual(2);
      const positive = model.features
        .map((f, i) => ({ name: f.name, phi: shap.values[r * shap.featureCount + i]! }))
        .filter((p) => p.phi > 0)
        .sort((a, b) => b.phi - a.phi);
      expect(row.map((reason) => reason.feature)).toEqual(positive.slice(0, 2).map((p) => p.name));
      for (const reason of row) expect(reason.contribution).toBeGreaterThan(0);
      const u = row.find((reason) => reason.feature === 'utilisation');
      if (u && encodedUtilisation.kind === 'numeric') {
        const v = encodedUtilisation.values[r]!;
        expect(u.value).toBe(Number.isNaN(v) ? 'missing' : String(v));
      }
    }
    const channelReason = reasons.flat().find((reason) => reason.feature === 'channel');
    expect(['app', 'web', 'partner', 'missing']).toContain(channelReason?.value);
  });

  it('rejects bad options and targets with typed errors', () => {
    const { data, y } = syntheticCredit(200, 13);
    expect(() => trainChallenger(data, y, { learningRate: 0 }, 1)).toThrowError(/learningRate/);
    expect(() => trainChallenger(data, y, { maxBins: 300 }, 1)).toThrowError(/maxBins/);
    expect(() => trainChallenger(data, y, { monotone: { unknown: 1 } }, 1)).toThrowError(/unknown/);
    expect(() => trainChallenger(data, new Uint8Array(200), {}, 1)).toThrowError(/both good and bad/);
    expect(() => trainChallenger(data, new Uint8Array(10), {}, 1)).toThrowError(GbmError);
  });

  it('counts the rows and columns of empty data in the singular for one', () => {
    const column = (n: number) => ({
      kind: 'numeric' as const,
      name: 'x',
      values: new Float64Array(n),
      specialValues: [],
    });
    const refusal = (data: Dataset) => {
      try {
        trainChallenger(data, new Uint8Array(data.rowCount), {}, 1);
      } catch (error) {
        expect(error).toBeInstanceOf(GbmError);
        return (error as Error).message;
      }
      throw new Error('trained on empty data');
    };
    const ask = '; give rows and feature columns';
    expect(refusal({ rowCount: 0, columns: [column(0)] })).toBe(`the data has 0 rows and 1 column${ask}`);
    expect(refusal({ rowCount: 0, columns: [column(0), { ...column(0), name: 'z' }] })).toBe(
      `the data has 0 rows and 2 columns${ask}`,
    );
    expect(refusal({ rowCount: 1, columns: [] })).toBe(`the data has 1 row and 0 columns${ask}`);
    expect(refusal({ rowCount: 2, columns: [] })).toBe(`the data has 2 rows and 0 columns${ask}`);
  });
});
