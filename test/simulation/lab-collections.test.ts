import { describe, expect, it } from 'vitest';
import { DEFAULT_COLLECTION_STRATEGY, OBSERVATION_STEP_CODE } from '../../src/collections/index.js';
import { readJsonFile, readModels, readPolicy, readStrategy } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  BASE_SCENARIO,
  drawBorrower,
  emptyTotals,
  parseStrategy,
  type ResolvedStrategy,
  resolveStrategy,
  SimulationInputError,
  simulateBorrower,
} from '../../src/simulation/index.js';
import { riskyPopulation, run, strategyPath, total } from './lab-helpers.js';

/** The default strategy with its collection strategy graph replaced by one rule giving `action` to every case. */
function withOneStep(action: string): ResolvedStrategy {
  const graph = structuredClone(DEFAULT_COLLECTION_STRATEGY) as unknown as {
    nodes: { type: string; content?: { rules: Record<string, string>[] } }[];
  };
  const table = graph.nodes.find((n) => n.type === 'decisionTableNode')!.content!;
  const last = table.rules.at(-1)!;
  table.rules = [{ ...last, _id: 'only', out1: JSON.stringify(action), out3: '"CS_TEST"' }];
  const base = readStrategy(strategyPath('default'));
  return resolveStrategy(base.file, {
    policy: readPolicy('policies/default'),
    lineControls: readJsonFile('policies/default/linecontrols.json', 'line controls'),
    cadence: readJsonFile('policies/reminders/default-cadence.json', 'cadence'),
    collectionStrategy: graph,
    models: readModels(),
  });
}

const ctxOf = (strategy: ResolvedStrategy, months = 12) => ({
  population: riskyPopulation(),
  scenario: BASE_SCENARIO,
  strategy,
  months,
  startDay: parseDate('2027-01-01'),
});

describe('the strategy lab works collections by the collection strategy document', () => {
  it('a strategy file names the collection strategy document (null: the shipped one)', () => {
    const file = parseStrategy({
      format: 'lendguard.simulation.strategy',
      formatVersion: 1,
      name: 's',
      origination: { policy: 'p' },
      lineControls: 'l',
      reminders: 'r',
      collectionStrategy: 'c.json',
    }).collectionStrategy;
    expect(file).toBe('c.json');
    expect(readStrategy(strategyPath('default')).file.collectionStrategy).toBe(
      '../collections/default-strategy.json',
    );
  });

  it('refuses the old callsPerMonth and a collection strategy the product would refuse', () => {
    let error: unknown;
    try {
      parseStrategy({
        format: 'lendguard.simulation.strategy',
        formatVersion: 1,
        name: 's',
        origination: { policy: 'p' },
        lineControls: 'l',
        reminders: 'r',
        collections: { callsPerMonth: [[1, 3]] },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimulationInputError);
    expect((error as SimulationInputError).issues.map((i) => i.path)).toEqual([
      '$.collections.callsPerMonth',
    ]);
    const base = readStrategy(strategyPath('default'));
    expect(() =>
      resolveStrategy(base.file, {
        policy: readPolicy('policies/default'),
        lineControls: readJsonFile('policies/default/linecontrols.json', 'line controls'),
        cadence: readJsonFile('policies/reminders/default-cadence.json', 'cadence'),
        collectionStrategy: { nodes: [], edges: [] },
        models: readModels(),
      }),
    ).toThrow(/collectionStrategy|collection strategy/);
  });

  it('the decided action drives the work: hold makes no calls, letters or lawsuits; legal review sues; an agency is placed', async () => {
    const hold = await run(ctxOf(withOneStep('hold')), 80, 3);
    const legal = await run(ctxOf(withOneStep('legal-review')), 80, 3);
    const agency = await run(ctxOf(withOneStep('agency-placement')), 80, 3);
    expect(total(hold.series.calls)).toBe(0);
    expect(total(hold.series.letters)).toBe(0);
    expect(total(hold.series.lawsuits)).toBe(0);
    expect(total(hold.series.plans) + total(hold.series.offersDeclined)).toBe(0);
    expect(total(legal.series.calls)).toBeGreaterThan(0);
    expect(total(legal.series.letters)).toBeGreaterThan(0);
    expect(total(legal.series.lawsuits)).toBeGreaterThan(0);
    expect(total(legal.series.agencyPlacements)).toBe(0);
    expect(total(agency.series.agencyPlacements)).toBeGreaterThan(0);
    expect(total(agency.series.lawsuits)).toBe(0);
  }, 120_000);

  it('a case under a restructuring’s observation is on hold: no calls in those months', async () => {
    const ctx = ctxOf(withOneStep('negotiation-offer'), 18);
    let held = 0;
    for (let i = 0; i < 120 && held < 3; i += 1) {
      const { borrower, rand } = drawBorrower(ctx.population, 4, 0, i);
      const rows = await simulateBorrower(ctx, borrower, rand, emptyTotals(18, 1), true);
      let code: string | null = null;
      for (const row of rows) {
        for (const n of row.notes) {
          if (n.code === 'case_opened') code = null;
          if (n.code === 'collection_step') code = String(n.params.code);
        }
        if (code === OBSERVATION_STEP_CODE && row.notes.some((n) => n.code === 'collection_step')) {
          held += 1;
          expect(row.calls, `borrower ${i} month ${row.month}`).toBe(0);
        }
      }
    }
    expect(held).toBeGreaterThan(0);
  }, 120_000);
});
