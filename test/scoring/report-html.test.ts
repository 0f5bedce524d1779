import { describe, expect, it } from 'vitest';
import {
  type ModelArtifact,
  measure,
  renderReport,
  scoreBands,
  scoreModel,
  trainModel,
} from '../../src/scoring/index.js';
import { targetFromColumn, withoutColumns } from '../../src/scoring/table.js';
import { loadFixture } from './helpers.js';

/** The HTML report's English counts: rows, bads, iterations, trees and features, one and more. */
describe('scoring report counts', async () => {
  const data = await loadFixture('credit_data.csv', 'Status');
  const y = targetFromColumn(data, 'Status', 'bad');
  const x = withoutColumns(data, new Set(['Status']));
  const request = { target: { column: 'Status', badValue: 'bad' }, excluded: [], seed: 7 };
  const card = trainModel(x, y, { ...request, kind: 'scorecard' });

  function html(model: ModelArtifact): string {
    const scored = scoreModel(model, x, 0);
    return renderReport({
      model,
      dataName: 'credit_data.csv',
      metrics: measure(scored, y),
      score: scored.score,
      probabilityBad: scored.probabilityBad,
      target: y,
      bands: scoreBands(scored.score, scored.probabilityBad, y),
    });
  }
  const trainedOn = (model: ModelArtifact, rows: number, bads: number) =>
    html({ ...model, training: { ...model.training, rows, bads } });

  it('counts the training rows and bads', () => {
    expect(trainedOn(card, 1, 1)).toContain('trained on 1 row (1 bad), target');
    expect(trainedOn(card, 2, 2)).toContain('trained on 2 rows (2 bads), target');
  });

  it("counts the scorecard fit's iterations", () => {
    const sc = card.scorecard!;
    const fitIn = (iterations: number) =>
      html({ ...card, scorecard: { ...sc, fit: { ...sc.fit, iterations } } });
    const converged = sc.fit.converged ? 'converged' : 'did not converge';
    expect(fitIn(1)).toContain(`Fit: ${converged} in 1 iteration, deviance`);
    expect(fitIn(2)).toContain(`Fit: ${converged} in 2 iterations, deviance`);
  });

  it("counts the boosted model's trees and features", () => {
    // Trained on the first k columns with k trees.
    const sized = (k: number) => {
      const model = trainModel({ rowCount: x.rowCount, columns: x.columns.slice(0, k) }, y, {
        ...request,
        kind: 'gbm',
        gbm: { trees: k, earlyStoppingRounds: 0 },
      });
      expect(model.gbm!.trees).toHaveLength(k);
      expect(model.gbm!.features).toHaveLength(k);
      return html(model);
    };
    expect(sized(1)).toContain('<h2>Boosted model</h2><p>1 tree on 1 feature;');
    expect(sized(2)).toContain('<h2>Boosted model</h2><p>2 trees on 2 features;');
  });
});
