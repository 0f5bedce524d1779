import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readModels, readPolicy } from '../../src/jobs/index.js';
import { buildEclModel, measureExposure } from '../../src/reporting/index.js';
import {
  archetypes,
  conditionsFor,
  DEFAULT_COLLECTIONS,
  DEFAULT_POPULATION,
  drawBorrower,
  eclByMonth,
  emptyTotals,
  interval,
  LAB_PRODUCT,
  labMonthEnd,
  parseScenario,
  parseStrategy,
  resolveStrategy,
  SimulationInputError,
  simulateBorrower,
} from '../../src/simulation/index.js';
import { context, pandemic, run } from './lab-helpers.js';

describe('strategy lab core', () => {
  it('a closure holds the named industries at their income share, then lets them recover; others are untouched', () => {
    const s = pandemic();
    const at = (m: number, industry = 'catering') =>
      conditionsFor(s, m, 'business-owner', 'business-owner', industry);
    expect(at(2)).toMatchObject({ incomeFactor: 1, closed: false, shocked: false, lossMultiplier: 1 });
    expect(at(3)).toMatchObject({ incomeFactor: 0.15, closed: true, shocked: true, lossMultiplier: 5 });
    expect(at(6).closed).toBe(true);
    expect(at(7).closed).toBe(false);
    const recovery = [7, 8, 9, 10, 11, 12].map((m) => at(m).incomeFactor);
    for (let i = 1; i < recovery.length; i += 1) expect(recovery[i]).toBeGreaterThan(recovery[i - 1]!);
    expect(at(13).incomeFactor).toBe(1);
    for (const m of [1, 3, 5, 9]) expect(at(m, 'manufacturing')).toEqual(at(1, 'manufacturing'));
    const downturn = parseScenario({
      format: 'lendguard.simulation.scenario',
      formatVersion: 1,
      name: 'd',
      shocks: [{ kind: 'income', occupations: ['freelancer'], fromMonth: 2, months: 2, factor: 0.8 }],
    });
    expect(conditionsFor(downturn, 2, 'freelancer', 'freelancer', 'media').incomeFactor).toBe(0.8);
    expect(conditionsFor(downturn, 2, 'salaried', 'salaried', 'media').incomeFactor).toBe(1);
  });

  it('draws each borrower from its own seed: the same borrower whatever else is drawn, the groups in their shares', () => {
    const a = drawBorrower(DEFAULT_POPULATION, 9, 0, 123).borrower;
    drawBorrower(DEFAULT_POPULATION, 9, 0, 5);
    expect(drawBorrower(DEFAULT_POPULATION, 9, 0, 123).borrower).toEqual(a);
    expect(drawBorrower(DEFAULT_POPULATION, 9, 1, 123).borrower).not.toEqual(a);
    const counts = new Map<string, number>();
    const n = 4000;
    for (let i = 0; i < n; i += 1) {
      const b = drawBorrower(DEFAULT_POPULATION, 1, 0, i).borrower;
      counts.set(b.group, (counts.get(b.group) ?? 0) + 1);
      expect(b.willingness).toBeGreaterThanOrEqual(0);
      expect(b.willingness).toBeLessThanOrEqual(1);
      expect(b.cycleDay).toBeGreaterThanOrEqual(1);
      expect(b.cycleDay).toBeLessThanOrEqual(28);
      expect(Number.isSafeInteger(b.income_fen) && b.income_fen > 0).toBe(true);
    }
    for (const g of DEFAULT_POPULATION.groups)
      expect(Math.abs((counts.get(g.id) ?? 0) / n - g.share)).toBeLessThan(0.03);
    expect(archetypes(DEFAULT_POPULATION).map((b) => [b.name, b.industry, b.statements])).toEqual([
      ['张三', 'information-technology', false],
      ['李四', 'catering', true],
      ['王五', 'manufacturing', false],
    ]);
  });

  it('runs a borrower whose money paid ahead settles a loan on its last due date (seed 1, borrower 2025)', async () => {
    const ctx = context('default', 36);
    const { borrower, rand } = drawBorrower(ctx.population, 1, 0, 2025);
    const totals = emptyTotals(36, ctx.population.applicationMonths);
    await simulateBorrower(ctx, borrower, rand, totals);
    expect(totals.series.approvals.reduce((x, y) => x + y, 0)).toBe(1);
    expect(totals.series.cashIn_fen.reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
  });

  it('intervals are Student t over replications; one replication has none', () => {
    expect(interval([5])).toEqual({ mean: 5, low: 5, high: 5 });
    const i = interval([1, 2, 3]);
    expect(i.mean).toBe(2);
    expect(i.low).toBeCloseTo(2 - 4.303 / Math.sqrt(3), 5);
    expect(i.high).toBeCloseTo(2 + 4.303 / Math.sqrt(3), 5);
  });

  it('a strategy takes the collection defaults and refuses documents the product would refuse', () => {
    const file = parseStrategy({
      format: 'lendguard.simulation.strategy',
      formatVersion: 1,
      name: 's',
      origination: { policy: 'p', settings: { businessStatementsAbove_fen: -1 } },
      lineControls: 'l',
      reminders: 'r',
    });
    expect(file.collections).toEqual(DEFAULT_COLLECTIONS);
    const docs = {
      policy: readPolicy('policies/default'),
      lineControls: { nodes: [], edges: [] },
      cadence: {},
      models: readModels(),
    };
    let error: unknown;
    try {
      resolveStrategy(file, docs, 's.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimulationInputError);
    expect((error as SimulationInputError).issues[0]!.path).toBe('$.origination');
    const ok = parseStrategy({
      ...file,
      origination: { policy: 'p' },
      format: 'lendguard.simulation.strategy',
      formatVersion: 1,
    });
    try {
      resolveStrategy(ok, docs, 's.json');
    } catch (e) {
      error = e;
    }
    expect((error as SimulationInputError).issues[0]).toMatchObject({ path: '$.lineControls' });
  });
});

describe("the lab's ECL is the reporting core's", () => {
  const base = {
    format: 'lendguard.simulation.strategy',
    formatVersion: 1,
    name: 's',
    origination: { policy: 'p' },
    lineControls: 'l',
    reminders: 'r',
  };

  it('refuses the earlier stated PDs and LGD, and names a lender settings document instead', () => {
    let error: unknown;
    try {
      parseStrategy({ ...base, ecl: { pdStage1: 0.03, lgd: 0.85 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimulationInputError);
    const issues = (error as SimulationInputError).issues;
    expect(issues.map((i) => i.path)).toEqual(['$.ecl.pdStage1', '$.ecl.lgd']);
    expect(issues[0]!.message).toMatch(/settings/);
    expect(parseStrategy({ ...base, ecl: { settings: 'ecl.json' } }).ecl).toEqual({ settings: 'ecl.json' });
  });

  it('measures the month-end exposures with the scenario pack and the lender settings; an LGD override moves it', async () => {
    const ctx = context('default', 14);
    const t = await run(ctx, 120, 3);
    const shipped = eclByMonth(t, ctx.strategy.ecl, ctx.startDay);
    expect(shipped.length).toBe(14);
    expect(shipped.at(-1)!).toBeGreaterThan(0);
    // The shipped pack's weights, as `report ecl` reads them.
    expect(ctx.strategy.ecl.scenarios.map((s) => [s.id, s.weight_micro])).toEqual([
      ['base', 600_000],
      ['downturn', 300_000],
      ['pandemic', 100_000],
      ['rates-up', 0],
    ]);
    const docs = {
      policy: readPolicy('policies/default'),
      lineControls: ctx.strategy.lineControls.graph,
      cadence: JSON.parse(readFileSync('policies/reminders/default-cadence.json', 'utf8')),
      models: readModels(),
      ecl: {
        scenarios: ctx.strategy.ecl.scenarios,
        sensitivities: ctx.strategy.ecl.sensitivities,
        settings: { lgdOverride: '0.1', lgdFloor: '0.1' },
      },
    };
    const overridden = resolveStrategy(
      parseStrategy({ ...base, ecl: { settings: 'ecl.json' } }),
      docs,
      's.json',
    );
    const low = eclByMonth(t, overridden.ecl, ctx.startDay);
    expect(low.at(-1)!).toBeLessThan(shipped.at(-1)!);
    expect(() =>
      resolveStrategy(parseStrategy({ ...base, ecl: { settings: 'ecl.json' } }), {
        ...docs,
        ecl: { ...docs.ecl, settings: { scenarioWeights: { base: '1' } } },
      }),
    ).toThrow(/ECL settings/);
  });

  it('gives, for one loan, what measureExposure gives for that loan built by hand', async () => {
    const ctx = context('default', 10);
    const t = await run(ctx, 40, 2);
    const ecl = eclByMonth(t, ctx.strategy.ecl, ctx.startDay);
    // Each group measured alone is the core's measurement of one exposure of the group's balance.
    const m = 9;
    const [key, balances] = [...t.exposures].find(([, v]) => v[m]! > 0)!;
    const single = emptyTotals(t.months, t.applicationMonths);
    for (const [k, v] of Object.entries(t.chain)) single.chain[k] = v;
    single.workouts.push(...t.workouts);
    single.exposures.set(key, balances);
    const [kind, segment, bucket, stage, horizon, rate, occupation, industry] = key.split('|');
    const model = buildEclModel({
      asOf: labMonthEnd(ctx.startDay, m + 1),
      transitionCounts: new Map(
        Object.entries(t.chain).map(([k, v]) => {
          const c = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
          for (let month = 0; month <= m; month += 1)
            for (let i = 0; i < 36; i += 1) c[Math.floor(i / 6)]![i % 6]! += v[month * 36 + i]!;
          return [k, c];
        }),
      ),
      workouts: [],
      segments: [LAB_PRODUCT],
      scenarios: ctx.strategy.ecl.scenarios,
      sensitivities: ctx.strategy.ecl.sensitivities,
      settings: ctx.strategy.ecl.settings,
    });
    const row = measureExposure(model, {
      exposureId: 'x',
      kind: kind === 'undrawn' ? 'undrawn' : 'drawn',
      customerId: 'c',
      lineId: 'l',
      segment: segment!,
      balanceMinor: balances[m]!,
      bucket: bucket!,
      staging: { daysPastDue: { 1: 0, 2: 31, 3: 91 }[Number(stage)]! },
      remainingMonths: kind === 'undrawn' ? 1 : Number(horizon) - 3,
      annualRate: rate!,
      borrower: { occupation: occupation!, industry: industry! },
    });
    expect(row.stage).toBe(Number(stage));
    // No workout is complete this early in a run: the LGD is the no-data one either way.
    expect(eclByMonth(single, ctx.strategy.ecl, ctx.startDay)[m]).toBe(row.eclMinor);
    expect(ecl[m]).toBeGreaterThanOrEqual(row.eclMinor);
  });
});

describe('the states the lab keeps', () => {
  /** A 1,200,000-fen loan of six monthly instalments drawn on 2027-01-05, the start of the two tests below. */
  async function sixMonthLoan() {
    const { DEFAULT_PRODUCT, drawdown, openLine, parseProduct } = await import('../../src/ledger/index.js');
    const { parseDate } = await import('../../src/money/index.js');
    const day = parseDate('2027-01-05');
    const product = parseProduct({
      ...DEFAULT_PRODUCT,
      id: 'p',
      termCount: 6,
      rate: { value: '0.0005', per: 'day' },
    });
    const line = openLine({ lineId: 'l', customerId: 'c', limitMinor: 5_000_000, day }).line;
    return {
      day,
      loan: drawdown(line, { loanId: 'c-1', product, principalMinor: 1_200_000, day }).loan.state,
    };
  }

  it('closedState and commandedState leave the state planClose and planCommand leave', async () => {
    const { closedState, commandedState, planClose, planCommand } = await import('../../src/ledger/index.js');
    const { day, loan } = await sixMonthLoan();
    let a = loan;
    let b = a;
    // A missed instalment, a part payment after it, a restructuring and months of closes.
    for (const [n, d] of [40, 75, 90, 130, 200].entries()) {
      a = planClose(a, day + d).state;
      b = closedState(b, day + d);
      expect(b).toEqual(a);
      const pay = {
        type: 'repay',
        amountMinor: 50_000 + n,
        day: day + d + 3,
        clientId: `p${n}`,
        excess: 'credit',
      } as const;
      a = planCommand(a, null, pay).state;
      b = commandedState(b, pay);
      expect(b).toEqual(a);
    }
    const plan = {
      type: 'restructure',
      kind: 'negotiated-plan',
      day: day + 210,
      clientId: 'r',
      months: 6,
      monthlyIncomeMinor: 800_000,
    } as const;
    a = planCommand(a, null, plan).state;
    b = commandedState(b, plan);
    expect(b).toEqual(a);
    expect(b.lastClosedDay).toBe(day + 209);
  });

  it('closedStep and commandedStep leave the same states with the events planClose and planCommand write', async () => {
    const { closedStep, commandedStep, planClose, planCommand } = await import('../../src/ledger/index.js');
    const { day, loan } = await sixMonthLoan();
    let a = loan;
    let b = a;
    for (const [n, d] of [40, 75, 130].entries()) {
      const closed = planClose(a, day + d);
      const step = closedStep(b, day + d);
      expect(step.state).toEqual(closed.state);
      expect(step.events).toEqual(closed.events);
      a = closed.state;
      b = step.state;
      const pay = {
        type: 'repay',
        amountMinor: 50_000 + n,
        day: day + d + 3,
        clientId: `p${n}`,
        excess: 'credit',
      } as const;
      const paid = planCommand(a, null, pay);
      const paidStep = commandedStep(b, pay);
      expect(paidStep.state).toEqual(paid.state);
      expect(paidStep.events).toEqual(paid.events);
      expect(paidStep.events.length).toBeGreaterThan(0);
      a = paid.state;
      b = paidStep.state;
    }
  });
});

describe('parts of a run', () => {
  it('add up to the same totals however the borrowers are split, across decision batches', async () => {
    const { addTotals, runPart } = await import('../../src/simulation/index.js');
    const ctx = context('default', 10);
    const whole = await runPart(ctx, { seed: 3, replication: 0, from: 0, to: 40 });
    const split = emptyTotals(10, ctx.population.applicationMonths);
    for (const [from, to] of [
      [25, 40],
      [0, 7],
      [7, 25],
    ] as const)
      addTotals(split, await runPart(ctx, { seed: 3, replication: 0, from, to }));
    expect(split).toEqual(whole);
    expect(whole.series.applications.reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
  }, 60_000);
});
