import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addMonths, type Day, formatDate, startOfMonth } from '../../money/index.js';
import {
  buildStressReport,
  type Report,
  ReportInputError,
  type Scenario,
  type SimulatedStress,
  stressScenario,
  withSimulatedStress,
} from '../../reporting/index.js';
import { closedIndustries, labScenarioOf } from '../../simulation/index.js';
import type { Queryable } from '../../store/index.js';
import { runSimulation } from '../simulation/run.js';
import { requestClosedDay } from './closed-day.js';
import { computeEcl, type EclRunOptions } from './ecl.js';
import { computeLiquidity, modelOf } from './liquidity.js';
import type { ReportLoader, StressSimulation } from './loader.js';

export type { StressSimulation } from './loader.js';

import { checkScenarioKnown, loadScenarioPack, type ScenarioPack } from './scenarios.js';

/** The strategy the simulated stress runs under unless another is named: the lab's default. */
export const DEFAULT_STRESS_STRATEGY = fileURLToPath(
  new URL('../../../policies/simulation/strategy-default.json', import.meta.url),
);

/** The first day of the month after `asOf`: the simulated months follow the stress date. */
function monthAfter(asOf: Day): string {
  return formatDate(addMonths(startOfMonth(asOf), 1));
}

async function simulateScenarios(
  pack: ScenarioPack,
  chosen: readonly Scenario[],
  asOf: Day,
  sim: StressSimulation,
): Promise<{ runs: SimulatedStress[]; startDate: string; population: string; strategy: string }> {
  const startDate = monthAfter(asOf);
  const strategy = sim.strategy ?? DEFAULT_STRESS_STRATEGY;
  const runs: SimulatedStress[] = [];
  let population = 'baseline';
  for (const s of chosen) {
    const path = pack.paths?.[s.id];
    if (path === undefined)
      throw new ReportInputError(`scenario "${s.id}" has no file for the simulator to read`);
    const report = await runSimulation({
      ...(sim.population === undefined ? {} : { population: sim.population }),
      scenario: path,
      strategies: [strategy],
      borrowers: sim.borrowers,
      months: sim.months,
      seed: sim.seed,
      replications: 1,
      startDate,
      workers: sim.workers ?? 0,
    });
    population = report.run.population;
    const r = report.strategies[0]!;
    runs.push({
      scenario: s.id,
      closedIndustries: closedIndustries(labScenarioOf(s)),
      disbursed_fen: r.metrics.disbursed_fen.mean,
      losses_fen: r.metrics.losses_fen.mean,
      cashIn_fen: r.metrics.cashIn_fen.mean,
      nplRatioEnd: r.metrics.nplRatioEnd.mean,
      eclEnd_fen: r.metrics.eclEnd_fen.mean,
      overTime: r.overTime,
      byIndustry: r.byIndustry,
    });
  }
  return { runs, startDate, population, strategy: basename(strategy, '.json') };
}

/** Every scenario of the pack (or the one asked for) as certain: ECL, NPL, losses and cash-in. */
export async function stressReport(
  q: Queryable,
  asOf: Day,
  scenario?: string,
  options: EclRunOptions = {},
  progress?: (done: number, total: number) => void,
  simulate?: StressSimulation,
): Promise<Report> {
  const pack = options.pack ?? loadScenarioPack();
  checkScenarioKnown(pack, scenario);
  const chosen = scenario === undefined ? pack.scenarios : pack.scenarios.filter((s) => s.id === scenario);
  const total = chosen.length + 2;
  progress?.(0, total);
  const weighted = await computeEcl(q, asOf, { ...options, pack });
  const book = weighted.book;
  const model = modelOf(book, pack, options.settings);
  progress?.(1, total);
  const { projection } = await computeLiquidity(q, book, model, chosen);
  progress?.(2, total);
  const results = chosen.map((s, i) => {
    const r = stressScenario(model, book.exposures, s);
    progress?.(3 + i, total);
    const cashIn = projection.periods.months.reduce(
      (a, p) => a + (projection.rows.get(p.key)?.expectedMinor.get(s.id) ?? 0),
      0,
    );
    return { ...r, cashInMinor: cashIn };
  });
  const currentNpl = weighted.rows
    .filter((r) => r.kind === 'drawn' && r.stage === 3)
    .reduce((a, r) => a + r.eadMinor, 0);
  const report = buildStressReport({
    asOf,
    model,
    results,
    weightedEclMinor: weighted.rows.reduce((a, r) => a + r.eclMinor, 0),
    currentNplMinor: currentNpl,
    ...(scenario === undefined ? {} : { scenario }),
  });
  if (simulate === undefined) return report;
  const sim = await simulateScenarios(pack, chosen, asOf, simulate);
  return withSimulatedStress(report, sim.runs, {
    population: sim.population,
    strategy: sim.strategy,
    borrowers: simulate.borrowers,
    months: simulate.months,
    seed: simulate.seed,
    startDate: sim.startDate,
  });
}

export const stressLoader: ReportLoader = {
  kind: 'stress',
  async load(db, request, progress, context) {
    return stressReport(
      db,
      await requestClosedDay(db, request),
      request.scenario,
      context?.ecl,
      progress,
      context?.stressSimulation,
    );
  },
};
