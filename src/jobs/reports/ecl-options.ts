import { readFileSync } from 'node:fs';
import {
  DEFAULT_ECL_SETTINGS,
  type EclLenderSettings,
  type EclSettings,
  parseEclLenderSettings,
  ReportInputError,
  withLenderSettings,
  withLenderWeights,
} from '../../reporting/index.js';
import { loadScenarioPack, type ScenarioPack } from './scenarios.js';

/** What an ECL measurement runs with besides the book: the scenario pack and the model settings. */
export interface EclRunOptions {
  readonly pack?: ScenarioPack;
  readonly settings?: EclSettings;
}

/**
 * The ECL report's, the posting's and the stress test's options under the lender's settings: the shipped
 * scenario pack with the lender's weights, the shipped model settings with the lender's LGD and CCF.
 */
export function eclRunOptions(lender: EclLenderSettings, pack: ScenarioPack = loadScenarioPack()) {
  return {
    pack: { ...pack, scenarios: withLenderWeights(pack.scenarios, lender) },
    settings: withLenderSettings(DEFAULT_ECL_SETTINGS, lender),
  } satisfies EclRunOptions;
}

/** Reads a lender's ECL settings file (JSON; docs/ecl.md "The lender's settings"), refusing what is not valid. */
export function readEclSettingsFile(path: string): EclLenderSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ReportInputError(`cannot read the ECL settings file ${path}: ${(error as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new ReportInputError(`the ECL settings file ${path} is not JSON: ${(error as Error).message}`);
  }
  const lender = parseEclLenderSettings(doc, path);
  eclRunOptions(lender); // the scenario ids are checked against the pack once, when the file is read
  return lender;
}
