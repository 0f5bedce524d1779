import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDate } from '../../money/index.js';
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
} from '../../simulation/index.js';
import { InputFileError } from '../input-file-error.js';
import { readJsonFile, readModels, readPolicy } from '../origination-files.js';

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
      },
      path,
    ),
  );
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
