import { fileURLToPath } from 'node:url';
import { readStrategy } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  BASE_SCENARIO,
  DEFAULT_POPULATION,
  emptyTotals,
  type PopulationSpec,
  parsePopulation,
  parseScenario,
  type RunContext,
  runPart,
  type ScenarioSpec,
  type Totals,
} from '../../src/simulation/index.js';

export const SIM_DIR = fileURLToPath(new URL('../../policies/simulation/', import.meta.url));
export const strategyPath = (name: string) => `${SIM_DIR}strategy-${name}.json`;
/** The shared scenario documents (decision 0907), read by the lab and the stress tests alike. */
export const SCENARIO_DIR = fileURLToPath(new URL('../../policies/scenarios/', import.meta.url));

const strategies = new Map<string, ReturnType<typeof readStrategy>>();
export function strategy(name: string) {
  let s = strategies.get(name);
  if (s === undefined) {
    s = readStrategy(strategyPath(name));
    strategies.set(name, s);
  }
  return s;
}

/** A riskier population than the baseline (more unwilling borrowers, more borrowing to pay), all applying in month 1. */
export function riskyPopulation(): PopulationSpec {
  return parsePopulation({
    format: 'lendguard.simulation.population',
    formatVersion: 1,
    name: 'risky',
    applicationMonths: 1,
    traits: { abilityMean: 0.4, abilitySpread: 0.2, willingnessShortfall: 0.15 },
    behaviour: { drawWhenShort: 0.9, drawMonthly: 0.15 },
  });
}

export function context(
  strategyName: string,
  months: number,
  population: PopulationSpec = DEFAULT_POPULATION,
  scenario: ScenarioSpec = BASE_SCENARIO,
): RunContext {
  return {
    population,
    scenario,
    strategy: strategy(strategyName),
    months,
    startDay: parseDate('2027-01-01'),
  };
}

export async function run(ctx: RunContext, borrowers: number, seed = 7): Promise<Totals> {
  return runPart(ctx, { seed, replication: 0, from: 0, to: borrowers });
}

export function pandemic(): ScenarioSpec {
  return parseScenario({
    format: 'lendguard.simulation.scenario',
    formatVersion: 1,
    name: 'pandemic',
    shocks: [
      {
        kind: 'closure',
        industries: ['catering', 'tourism'],
        fromMonth: 3,
        months: 4,
        incomeShare: 0.15,
        recoveryMonths: 6,
      },
      {
        kind: 'hazard',
        industries: ['catering', 'tourism'],
        fromMonth: 3,
        months: 4,
        lossMultiplier: 5,
        illnessMultiplier: 1,
      },
    ],
  });
}

export const total = (a: readonly number[]) => a.reduce((x, y) => x + y, 0);
export { emptyTotals };
