import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { applicationFeatures, deriveMeasures, loadModel } from '../../src/origination/index.js';
import { parseModel } from '../../src/scoring/index.js';
import { capture } from '../cli/capture.js';
import { application, BUSINESS_TIME, defaultPolicyAndModels } from './helpers.js';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'lendguard-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Retrains with the command `npm run model:default` runs (score train … --exclude Price, default seed). */
async function retrain(kind: 'scorecard' | 'gbm'): Promise<string> {
  const out = join(dir, `${kind}.json`);
  const c = capture();
  const status = await main(
    [
      'score',
      'train',
      '--model',
      kind,
      '--data',
      root('test/fixtures/data/credit_data.csv'),
      '--target',
      'Status',
      '--bad',
      'bad',
      '--exclude',
      'Price',
      '--out',
      out,
    ],
    c.io,
  );
  expect(status, c.err()).toBe(0);
  return readFileSync(out, 'utf8');
}

describe('shipped models', () => {
  it('retraining the scorecard on the shipped data gives the shipped file byte for byte', async () => {
    expect(await retrain('scorecard')).toBe(readFileSync(root('models/application-scorecard.json'), 'utf8'));
  });

  it('retraining the boosted challenger gives the shipped file byte for byte', async () => {
    expect(await retrain('gbm')).toBe(readFileSync(root('models/application-gbm.json'), 'utf8'));
  });

  it('maps every feature each shipped model reads from an application', () => {
    const { document, models } = defaultPolicyAndModels();
    const app = application();
    const features = applicationFeatures(
      app,
      deriveMeasures(app, document.settings, BUSINESS_TIME),
      document.settings,
    );
    for (const model of [models.champion, models.challenger!])
      for (const f of model.artifact.features) {
        const v = features[f.name];
        expect(v, f.name).not.toBeNull();
        expect(typeof v, f.name).toBe(f.kind === 'numeric' ? 'number' : 'string');
      }
    expect(features).toMatchObject({
      Job: 'fixed',
      Home: 'owner',
      Records: 'no',
      Seniority: 5,
      Income: 296,
      Time: 12,
    });
  });

  it('refuses a model reading a column applications do not provide', () => {
    const artifact = parseModel(readFileSync(root('models/application-scorecard.json'), 'utf8'));
    const odd = {
      ...artifact,
      features: [...artifact.features, { name: 'ShoeSize', kind: 'numeric' as const }],
    };
    expect(() => loadModel(odd, 'odd')).toThrow(/ShoeSize/);
  });

  it('versions a model by its content', () => {
    const artifact = parseModel(readFileSync(root('models/application-scorecard.json'), 'utf8'));
    const a = loadModel(artifact, 'x').ref.version;
    const b = loadModel({ ...artifact, seed: 7 }, 'x').ref.version;
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(b).not.toBe(a);
  });
});
