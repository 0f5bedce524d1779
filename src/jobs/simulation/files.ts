import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDate } from '../../money/index.js';
import { type ModelArtifact, parseModel, ScoringError } from '../../scoring/index.js';
import {
  BASE_SCENARIO,
  DEFAULT_POPULATION,
  type PopulationSpec,
  parsePopulation,
  parseScenario,
  parseStrategy,
  type ResolvedStrategy,
  type RunContext,
  resolveStrategy,
  type ScenarioSpec,
  SimulationInputError,
  type StrategyDocuments,
} from '../../simulation/index.js';
import { InputFileError } from '../input-file-error.js';
import {
  DEFAULT_BEHAVIOUR_MODEL,
  DEFAULT_CHALLENGER_MODEL,
  DEFAULT_CHAMPION_MODEL,
  readJsonFile,
  readModels,
  readPolicy,
} from '../origination-files.js';
import { loadScenarioPack } from '../reports/scenarios.js';

/**
 * Reading the strategy lab's files: a population, a scenario and strategies (whose policy, line controls and
 * cadence are named relative to the strategy file). Every problem becomes a usage error naming the file, the
 * place in it and what to write.
 */

function asUsage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SimulationInputError) throw new InputFileError(error.message);
    throw error;
  }
}

export function readPopulation(path: string | undefined): PopulationSpec {
  if (path === undefined) return DEFAULT_POPULATION;
  return asUsage(() => parsePopulation(readJsonFile(path, 'population file'), path));
}

export function readScenario(path: string | undefined): ScenarioSpec {
  if (path === undefined) return BASE_SCENARIO;
  return asUsage(() => parseScenario(readJsonFile(path, 'scenario file'), path));
}

export function readStrategy(path: string): ResolvedStrategy {
  const file = asUsage(() => parseStrategy(readJsonFile(path, 'strategy file'), path));
  const near = (p: string) => (isAbsolute(p) ? p : resolve(dirname(path), p));
  return asUsage(() =>
    resolveStrategy(
      file,
      {
        policy: readPolicy(near(file.origination.policy)),
        lineControls: readJsonFile(near(file.lineControls), 'line-control graph'),
        cadence: readJsonFile(near(file.reminders), 'reminder cadence'),
        ...(file.collectionStrategy === null
          ? {}
          : { collectionStrategy: readJsonFile(near(file.collectionStrategy), 'collection strategy') }),
        models: readModels(),
        behaviourModel: readBehaviourModel(),
        ecl: eclDocuments(file.ecl.settings === null ? null : near(file.ecl.settings)),
      },
      path,
    ),
  );
}

let behaviourModel: ModelArtifact | undefined;
/** The shipped behaviour scorecard (models/), read once: the lab scores open cases' borrowers with it. */
function readBehaviourModel(): ModelArtifact {
  if (behaviourModel !== undefined) return behaviourModel;
  let text: string;
  try {
    text = readFileSync(DEFAULT_BEHAVIOUR_MODEL, 'utf8');
  } catch {
    throw new InputFileError(`cannot read model file "${DEFAULT_BEHAVIOUR_MODEL}"; check the path`);
  }
  try {
    behaviourModel = parseModel(text);
  } catch (error) {
    if (error instanceof ScoringError)
      throw new InputFileError(`${DEFAULT_BEHAVIOUR_MODEL}: ${error.message}`);
    throw error;
  }
  return behaviourModel;
}

/**
 * What the lab's ECL reads, as `report ecl` reads it: the shipped scenario pack (policies/scenarios) and, when
 * the strategy names one, the lender's ECL settings document.
 */
function eclDocuments(settings: string | null): NonNullable<StrategyDocuments['ecl']> {
  const pack = loadScenarioPack();
  return {
    scenarios: pack.scenarios,
    sensitivities: pack.sensitivities,
    ...(settings === null ? {} : { settings: readJsonFile(settings, 'ECL settings') }),
  };
}

export interface SimulationArgs {
  readonly population?: string;
  readonly scenario?: string;
  readonly strategy: string;
  readonly months: number;
  readonly startDate: string;
}

export function contextFor(args: SimulationArgs): RunContext {
  return {
    population: readPopulation(args.population),
    scenario: readScenario(args.scenario),
    strategy: readStrategy(args.strategy),
    months: args.months,
    startDay: parseDate(args.startDate, '--start'),
  };
}

/** JSON with every object's keys sorted: the same document gives the same text however it was written. */
function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (typeof x === 'object' && x !== null)
    return `{${Object.keys(x)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((x as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(x) ?? 'null';
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Digests of what a run reads (decision 0909): the population and the scenario documents (or "default" and
 * "base"), and per strategy its file with the policy, line controls, cadence, collection strategy and models it
 * names — each as canonical JSON, so two machines with the same documents agree however the files are laid out or spaced.
 */
export interface InputDigests {
  readonly population: string;
  readonly scenario: string;
  readonly strategies: readonly string[];
}

export function inputDigests(files: {
  readonly population?: string;
  readonly scenario?: string;
  readonly strategies: readonly string[];
}): InputDigests {
  const doc = (path: string | undefined, what: string, none: string) =>
    path === undefined ? none : sha256(canonical(readJsonFile(path, what)));
  const models = [DEFAULT_CHAMPION_MODEL, DEFAULT_CHALLENGER_MODEL, DEFAULT_BEHAVIOUR_MODEL].map((p) =>
    sha256(readFileSync(p, 'utf8')),
  );
  return {
    population: doc(files.population, 'population file', 'default'),
    scenario: doc(files.scenario, 'scenario file', 'base'),
    strategies: files.strategies.map((path) => {
      const file = asUsage(() => parseStrategy(readJsonFile(path, 'strategy file'), path));
      const near = (p: string) => (isAbsolute(p) ? p : resolve(dirname(path), p));
      return sha256(
        canonical({
          strategy: readJsonFile(path, 'strategy file'),
          policy: readPolicy(near(file.origination.policy)),
          lineControls: readJsonFile(near(file.lineControls), 'line-control graph'),
          cadence: readJsonFile(near(file.reminders), 'reminder cadence'),
          // None named: the shipped document, which the lendguard version pins.
          collectionStrategy:
            file.collectionStrategy === null
              ? 'shipped'
              : readJsonFile(near(file.collectionStrategy), 'collection strategy'),
          // The scenario pack is the shipped one, which the lendguard version pins.
          eclSettings:
            file.ecl.settings === null ? 'shipped' : readJsonFile(near(file.ecl.settings), 'ECL settings'),
          models,
        }),
      );
    }),
  };
}
