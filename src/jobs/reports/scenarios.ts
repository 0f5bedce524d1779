import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parseScenario,
  parseSensitivities,
  ReportInputError,
  type Scenario,
  type Sensitivities,
} from '../../reporting/index.js';

/** The package root: three folders above this file in both src/jobs/reports and dist/jobs/reports. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The shipped scenarios (docs/ecl.md "Scenario files"): one JSON file per scenario, and sensitivities.json. */
export const SHIPPED_SCENARIO_DIR = join(PACKAGE_ROOT, 'policies', 'scenarios');
const SENSITIVITIES_FILE = 'sensitivities.json';

export interface ScenarioPack {
  readonly scenarios: readonly Scenario[];
  readonly sensitivities: Sensitivities;
}

/** Reads every scenario file of a folder (sorted by id) and its sensitivities. */
export function loadScenarioPack(dir: string = SHIPPED_SCENARIO_DIR): ScenarioPack {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== SENSITIVITIES_FILE)
    .sort();
  const read = (f: string): unknown => JSON.parse(readFileSync(join(dir, f), 'utf8'));
  const scenarios = files.map((f) => parseScenario(read(f), f)).sort((a, b) => (a.id < b.id ? -1 : 1));
  return { scenarios, sensitivities: parseSensitivities(read(SENSITIVITIES_FILE), SENSITIVITIES_FILE) };
}

/** The pack with one scenario certain (weight 1, the others 0): what `--scenario S` asks for. */
export function withScenarioCertain(pack: ScenarioPack, id: string | undefined): ScenarioPack {
  if (id === undefined) return pack;
  if (!pack.scenarios.some((s) => s.id === id)) {
    throw new ReportInputError(
      `unknown scenario "${id}"; known: ${pack.scenarios.map((s) => s.id).join(', ')}`,
    );
  }
  return {
    ...pack,
    scenarios: pack.scenarios.map((s) => ({ ...s, weight_micro: s.id === id ? 1_000_000 : 0 })),
  };
}
