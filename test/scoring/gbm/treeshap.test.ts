import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type GbmTree,
  predictMargin,
  SeededRandom,
  scoreChallenger,
  shapValues,
  trainChallenger,
  trainGbmMatrix,
} from '../../../src/scoring/gbm/index.js';
import { loadFixture } from './fixture-data.js';

/** Cover-weighted expectation of a tree when only the features in `known` are known (path-dependent game). */
function conditionalExpectation(tree: GbmTree, node: number, x: Float64Array, known: Set<number>): number {
  const left = tree.left[node]!;
  if (left < 0) return tree.value[node]!;
  const right = tree.right[node]!;
  const f = tree.feature[node]!;
  if (known.has(f)) {
    const v = x[f]!;
    const goLeft = Number.isNaN(v) ? tree.defaultLeft[node]! : v <= tree.threshold[node]!;
    return conditionalExpectation(tree, goLeft ? left : right, x, known);
  }
  return (
    (tree.cover[left]! * conditionalExpectation(tree, left, x, known) +
      tree.cover[right]! * conditionalExpectation(tree, right, x, known)) /
    tree.cover[node]!
  );
}

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

/** Shapley values by enumerating every feature subset: exponential, the definition itself. */
function bruteForceShapley(trees: readonly GbmTree[], x: Float64Array, featureCount: number): Float64Array {
  const phi = new Float64Array(featureCount);
  const value = (mask: number): number => {
    const known = new Set<number>();
    for (let f = 0; f < featureCount; f++) if (mask & (1 << f)) known.add(f);
    return trees.reduce((sum, tree) => sum + conditionalExpectation(tree, 0, x, known), 0);
  };
  for (let i = 0; i < featureCount; i++) {
    for (let mask = 0; mask < 1 << featureCount; mask++) {
      if (mask & (1 << i)) continue;
      let size = 0;
      for (let f = 0; f < featureCount; f++) if (mask & (1 << f)) size++;
      const weight = (factorial(size) * factorial(featureCount - size - 1)) / factorial(featureCount);
      phi[i]! += weight * (value(mask | (1 << i)) - value(mask));
    }
  }
  return phi;
}

/** A random tree of up to `depthMax` levels; features repeat along paths on purpose. */
function randomTree(random: SeededRandom, featureCount: number, depthMax: number): GbmTree {
  const tree = { feature: [], threshold: [], defaultLeft: [], left: [], right: [], value: [], cover: [] } as {
    [K in keyof GbmTree]: (GbmTree[K] extends readonly (infer E)[] ? E : never)[];
  };
  const grow = (depth: number): number => {
    const node = tree.value.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.defaultLeft.push(false);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(0);
    tree.cover.push(0);
    if (depth < depthMax && (depth === 0 || random.next() < 0.75)) {
      tree.feature[node] = random.below(featureCount);
      tree.threshold[node] = random.next() * 2 - 1;
      tree.defaultLeft[node] = random.next() < 0.5;
      const l = grow(depth + 1);
      const r = grow(depth + 1);
      tree.left[node] = l;
      tree.right[node] = r;
      tree.cover[node] = tree.cover[l]! + tree.cover[r]!;
    } else {
      tree.value[node] = random.next() * 4 - 2;
      tree.cover[node] = 0.1 + random.next() * 10;
    }
    return node;
  };
  grow(0);
  return tree;
}

function randomRow(random: SeededRandom, featureCount: number): Float64Array {
  return Float64Array.from({ length: featureCount }, () =>
    random.next() < 0.15 ? Number.NaN : random.next() * 2 - 1,
  );
}

function columnsOf(rows: readonly Float64Array[], featureCount: number): Float64Array[] {
  return Array.from({ length: featureCount }, (_, f) => Float64Array.from(rows, (row) => row[f]!));
}

describe('exact TreeSHAP', () => {
  it('equals brute-force Shapley values of the cover-weighted game on random trees', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 5 }),
        (seed, featureCount) => {
          const random = new SeededRandom(seed);
          const trees = [randomTree(random, featureCount, 5), randomTree(random, featureCount, 3)];
          const rows = [
            randomRow(random, featureCount),
            randomRow(random, featureCount),
            randomRow(random, featureCount),
          ];
          const model = { baseScore: 0.25, trees };
          const shap = shapValues(model, columnsOf(rows, featureCount));
          rows.forEach((row, r) => {
            const expected = bruteForceShapley(trees, row, featureCount);
            for (let f = 0; f < featureCount; f++) {
              expect(shap.values[r * featureCount + f]).toBeCloseTo(expected[f]!, 10);
            }
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('equals brute-force Shapley values on a trained model with six features', () => {
    const random = new SeededRandom(7);
    const featureCount = 6;
    const rows = Array.from({ length: 400 }, () => randomRow(random, featureCount));
    const y = Uint8Array.from(rows, (row) =>
      random.next() <
      1 / (1 + Math.exp(-(2 * (row[0]! || 0) - (row[1]! || 0) + (row[2]! || 0) * (row[3]! || 0))))
        ? 1
        : 0,
    );
    const model = trainGbmMatrix(
      columnsOf(rows, featureCount),
      y,
      { trees: 20, maxDepth: 4, earlyStoppingRounds: 0 },
      3,
    );
    const probe = rows.slice(0, 12);
    const shap = shapValues(model, columnsOf(probe, featureCount));
    probe.forEach((row, r) => {
      const expected = bruteForceShapley(model.trees, row, featureCount);
      for (let f = 0; f < featureCount; f++)
        expect(shap.values[r * featureCount + f]).toBeCloseTo(expected[f]!, 10);
    });
  });

  it('adds up to the margin for every row of a trained credit model (to 1e-9)', () => {
    const { data, y } = loadFixture('credit_data.csv', 'Status', 'bad');
    const model = trainChallenger(data, y, { trees: 60, earlyStoppingRounds: 0, maxDepth: 4 }, 11);
    const { probabilityBad } = scoreChallenger(model, data, 0);
    // Encoded independently of the scorer, so the margins checked here are not the scorer's own numbers.
    const shapModel = { baseScore: model.baseScore, trees: model.trees };
    const encoded = encodeForTest(model, data);
    const margin = predictMargin(shapModel, encoded);
    const shap = shapValues(shapModel, encoded);
    let worst = 0;
    for (let r = 0; r < data.rowCount; r++) {
      let sum = shap.expectedValue;
      for (let f = 0; f < shap.featureCount; f++) sum += shap.values[r * shap.featureCount + f]!;
      worst = Math.max(worst, Math.abs(sum - margin[r]!));
      expect(1 / (1 + Math.exp(-margin[r]!))).toBeCloseTo(probabilityBad[r]!, 12);
    }
    expect(worst).toBeLessThan(1e-9);
  });
});

function encodeForTest(
  model: ReturnType<typeof trainChallenger>,
  data: ReturnType<typeof loadFixture>['data'],
) {
  return model.features.map((feature) => {
    const column = data.columns.find((c) => c.name === feature.name)!;
    if (column.kind === 'numeric') return column.values;
    const levels = feature.kind === 'categorical' ? feature.levels : [];
    return Float64Array.from(column.codes, (code) => {
      const index = code < 0 ? -1 : levels.indexOf(column.levels[code]!);
      return index < 0 ? Number.NaN : index;
    });
  });
}
