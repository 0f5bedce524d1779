import { fileURLToPath } from 'node:url';
import { loadCsv } from '../../src/cli/csv-load.js';
import type { Dataset } from '../../src/scoring/dataset.js';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/data/${name}`, import.meta.url));
}

const cache = new Map<string, Promise<Dataset>>();

/** Loads a shipped data file once per test file, with the target read as categorical. */
export function loadFixture(name: string, target: string): Promise<Dataset> {
  const key = `${name}|${target}`;
  let found = cache.get(key);
  if (!found) {
    found = loadCsv(fixturePath(name), { kinds: new Map([[target, 'categorical']]) });
    cache.set(key, found);
  }
  return found;
}
