import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parseScenario,
  parseSensitivities,
  type Scenario,
  ScenarioFileError,
  type Sensitivities,
} from '../../reporting/index.js';
import { ReportError } from './errors.js';

/** The package root: three folders above this file in both src/jobs/reports and dist/jobs/reports. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The shipped scenarios (docs/ecl.md "Scenario files"): one JSON file per scenario, and sensitivities.json. */
export const SHIPPED_SCENARIO_DIR = join(PACKAGE_ROOT, 'policies', 'scenarios');
const SENSITIVITIES_FILE = 'sensitivities.json';

export interface ScenarioPack {
  readonly scenarios: readonly Scenario[];
  readonly sensitivities: Sensitivities;
  /** The file of each scenario by id, for the simulator (`report stress --simulate`) to read the same file. */
  readonly paths?: Readonly<Record<string, string>>;
}

/** Reads every scenario file of a folder (sorted by id) and its sensitivities. */
export function loadScenarioPack(dir: string = SHIPPED_SCENARIO_DIR): ScenarioPack {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== SENSITIVITIES_FILE)
    .sort();
  const read = (f: string): unknown => {
    try {
      return JSON.parse(readFileSync(join(dir, f), 'utf8'));
    } catch (error) {
      throw new ScenarioFileError(f, [{ path: '$', message: `is not JSON: ${(error as Error).message}` }]);
    }
  };
  const parsed = files.map((f) => ({ file: join(dir, f), scenario: parseScenario(read(f), f) }));
  const scenarios = parsed.map((p) => p.scenario).sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    scenarios,
    sensitivities: parseSensitivities(read(SENSITIVITIES_FILE), SENSITIVITIES_FILE),
    paths: Object.fromEntries(parsed.map((p) => [p.scenario.id, p.file])),
  };
}

/** The pack with one scenario certain (weight 1, the others 0): what `--scenario S` asks for. */
/**
 * Refuses a scenario the pack does not hold (`report_scenario_unknown`, naming the known ones), before any
 * figure is measured.
 */
export function checkScenarioKnown(pack: ScenarioPack, id: string | undefined): void {
  if (id === undefined || pack.scenarios.some((s) => s.id === id)) return;
  throw new ReportError(
    'report_scenario_unknown',
    400,
    `there is no scenario "${id}"; the scenarios are ${pack.scenarios.map((s) => s.id).join(', ')}`,
    'scenario',
  );
}

export function withScenarioCertain(pack: ScenarioPack, id: string | undefined): ScenarioPack {
  if (id === undefined) return pack;
  checkScenarioKnown(pack, id);
  return {
    ...pack,
    scenarios: pack.scenarios.map((s) => ({ ...s, weight_micro: s.id === id ? 1_000_000 : 0 })),
  };
}
