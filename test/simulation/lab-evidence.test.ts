import { describe, expect, it } from 'vitest';
import { DEFAULT_COLLECTION_STRATEGY } from '../../src/collections/index.js';
import { readJsonFile, readModels, readPolicy, readStrategy } from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  archetypes,
  BASE_SCENARIO,
  buildReport,
  DEFAULT_POPULATION,
  drawBorrower,
  emptyTotals,
  type LabNote,
  type PopulationSpec,
  parsePopulation,
  type ResolvedStrategy,
  resolveStrategy,
  type SimBorrower,
  SimulationInputError,
  simulateBorrower,
} from '../../src/simulation/index.js';
import { hardshipCausesOf } from '../../src/simulation/lab/borrower-run.js';
import { pandemic, riskyPopulation, run, strategyPath, total } from './lab-helpers.js';

/**
 * The borrower's own evidence on a case (decision 0916): hardship applications, verified income and lost contact
 * come from the simulated borrower's traits and circumstances and reach the real assessment, the collection
 * strategy and the contact rules, as the product records them.
 */

/**
 * The default strategy with a collection graph that shows what it saw: a case assessed unable is held with code
 * CS_SAW_INABILITY, a case marked lost contact is called with CS_SAW_LOST, any other is called with CS_TEST.
 */
function seeing(scored = false, rules?: Record<string, string>[]): ResolvedStrategy {
  const graph = structuredClone(DEFAULT_COLLECTION_STRATEGY) as unknown as {
    nodes: { type: string; content?: { rules: Record<string, string>[] } }[];
  };
  const table = graph.nodes.find((n) => n.type === 'decisionTableNode')!.content!;
  const last = table.rules.at(-1)!;
  table.rules = rules?.map((r) => ({ ...last, ...r })) ?? [
    { ...last, _id: 'inability', in3: '"inability"', out1: '"hold"', out3: '"CS_SAW_INABILITY"' },
    { ...last, _id: 'lost', in8: 'true', out1: '"call"', out3: '"CS_SAW_LOST"' },
    { ...last, _id: 'other', out1: '"call"', out3: '"CS_TEST"' },
  ];
  const base = readStrategy(strategyPath('default'));
  return resolveStrategy(base.file, {
    policy: readPolicy('policies/default'),
    lineControls: readJsonFile('policies/default/linecontrols.json', 'line controls'),
    cadence: readJsonFile('policies/reminders/default-cadence.json', 'cadence'),
    collectionStrategy: graph,
    models: readModels(),
    ...(scored ? { behaviourModel: readStrategy(strategyPath('default')).behaviourModel! } : {}),
  });
}

const population = (behaviour: Record<string, number>, base: Record<string, unknown> = {}): PopulationSpec =>
  parsePopulation({ format: 'lendguard.simulation.population', formatVersion: 1, ...base, behaviour });

const ctxOf = (strategy: ResolvedStrategy, pop: PopulationSpec, months = 18) => ({
  population: pop,
  scenario: BASE_SCENARIO,
  strategy,
  months,
  startDay: parseDate('2027-01-01'),
});

const notesOf = (rows: readonly { notes: readonly LabNote[] }[]) => rows.flatMap((r) => r.notes);
const stepCodes = (notes: readonly LabNote[]) =>
  notes.filter((n) => n.code === 'collection_step').map((n) => String(n.params.code));

describe('the lab borrower’s hardship applications and verified income', () => {
  it('gives the causes of its fall in ability from the assessment’s list, the vulnerable ones first', () => {
    const none = { ill: false, industryShocked: false, lost: false, business: false, incomeFell: false };
    expect(hardshipCausesOf(none)).toEqual([]);
    expect(hardshipCausesOf({ ...none, lost: true })).toEqual(['unemployment']);
    expect(hardshipCausesOf({ ...none, lost: true, business: true })).toEqual(['business-failure']);
    expect(
      hardshipCausesOf({ ill: true, industryShocked: true, lost: true, business: false, incomeFell: true }),
    ).toEqual(['illness', 'shock-industry', 'unemployment', 'other']);
  });

  it('张三, whose business fails, applies for hardship with income evidence; the assessment then reads inability', async () => {
    const pop = population({ hardshipBase: 1, hardshipWillingness: 0, incomeEvidenced: 1 });
    const ctx = ctxOf(seeing(), pop);
    const zhangsan = archetypes(pop).find((a) => a.archetype === '张三')!;
    const rows = await simulateBorrower(ctx, zhangsan, () => 0.5, emptyTotals(18, 1), true);
    const notes = notesOf(rows);
    const applied = notes.find((n) => n.code === 'hardship_applied');
    expect(applied?.params.cause).toBe('business-failure');
    const verified = notes.find((n) => n.code === 'income_verified');
    expect(verified).toBeDefined();
    // The income after the failure: 20 % of his 15,000 yuan.
    expect(verified!.params.amount).toBe(3000);
    // The strategy saw the assessment's inability from the refresh the application was made on.
    const month = rows.find((r) => r.notes.some((n) => n.code === 'hardship_applied'))!;
    expect(stepCodes(month.notes)).toContain('CS_SAW_INABILITY');
    expect(month.events).toContain('applied for hardship (business failure)');
  }, 60_000);

  it('an unwilling borrower in the same plight does not apply (the chance is base + weight × willingness)', async () => {
    const pop = population({ hardshipBase: 0, hardshipWillingness: 1, incomeEvidenced: 1 });
    const ctx = ctxOf(seeing(), pop);
    const zhangsan = archetypes(pop).find((a) => a.archetype === '张三')!;
    const unwilling: SimBorrower = { ...zhangsan, willingness: 0 };
    const rows = await simulateBorrower(ctx, unwilling, () => 0.5, emptyTotals(18, 1), true);
    const notes = notesOf(rows);
    expect(notes.some((n) => n.code === 'case_opened')).toBe(true);
    expect(notes.some((n) => n.code === 'hardship_applied')).toBe(false);
    expect(stepCodes(notes)).not.toContain('CS_SAW_INABILITY');
  }, 60_000);

  it('a population run counts applications and verified incomes; the same seed gives the same totals', async () => {
    const ctx = { ...ctxOf(seeing(), riskyPopulation(), 18), scenario: pandemic() };
    const a = await run(ctx, 150, 5);
    const b = await run(ctx, 150, 5);
    expect(total(a.series.hardshipApplications)).toBeGreaterThan(0);
    expect(total(a.series.incomeVerified)).toBeGreaterThan(0);
    expect(total(a.series.incomeVerified)).toBeLessThanOrEqual(total(a.series.hardshipApplications));
    expect(JSON.stringify(b.series)).toBe(JSON.stringify(a.series));
    const report = buildReport(
      {
        population: 'risky',
        scenario: 'pandemic',
        borrowers: 150,
        months: 18,
        seed: 5,
        replications: 1,
        startDate: '2027-01-01',
      },
      [{ name: 'seeing', reps: [a], archetypes: [], ecl: ctx.strategy.ecl }],
    );
    expect(report.strategies[0]!.metrics.hardshipApplications.mean).toBe(
      total(a.series.hardshipApplications),
    );
    expect(report.strategies[0]!.metrics.lostContacts.mean).toBe(total(a.series.lostContacts));
  }, 120_000);
});

describe('the lab borrower who stops answering loses contact (失联)', () => {
  it('after N unanswered calls in a row the case is marked lost contact, and the strategy sees it', async () => {
    const pop = population(
      { answerBase: 0, answerWillingness: 0, lostContactAfterUnanswered: 3 },
      {
        traits: { abilityMean: 0.3, abilitySpread: 0.2, willingnessShortfall: 0.3 },
        applicationMonths: 1,
      },
    );
    const ctx = ctxOf(seeing(), pop, 12);
    let seen = 0;
    for (let i = 0; i < 200 && seen < 2; i += 1) {
      const { borrower, rand } = drawBorrower(pop, 4, 0, i);
      const totals = emptyTotals(12, 1);
      const rows = await simulateBorrower(ctx, borrower, rand, totals, true);
      const notes = notesOf(rows);
      const lost = notes.findIndex((n) => n.code === 'lost_contact');
      if (lost < 0) continue;
      seen += 1;
      expect(notes[lost]!.params.calls).toBe(3);
      expect(total(totals.series.lostContacts)).toBeGreaterThan(0);
      // Nobody answers: contact is never restored, and every later refresh of the case sees it.
      expect(notes.some((n) => n.code === 'contact_restored')).toBe(false);
      const later = notes.slice(lost).filter((n) => n.code === 'collection_step' || n.code === 'case_opened');
      if (later.length > 0 && later[0]!.code === 'collection_step')
        expect(later[0]!.params.code).toBe('CS_SAW_LOST');
      expect(stepCodes(notes)).toContain('CS_SAW_LOST');
      expect(total(totals.series.lostContactBorrowers)).toBeGreaterThan(0);
    }
    expect(seen).toBeGreaterThan(0);
  }, 120_000);

  it('never, when lostContactAfterUnanswered is 0', async () => {
    const pop = population(
      { answerBase: 0, answerWillingness: 0, lostContactAfterUnanswered: 0 },
      {
        traits: { abilityMean: 0.3, abilitySpread: 0.2, willingnessShortfall: 0.3 },
        applicationMonths: 1,
      },
    );
    const t = await run(ctxOf(seeing(), pop, 12), 120, 4);
    expect(total(t.series.calls)).toBeGreaterThan(0);
    expect(total(t.series.lostContacts)).toBe(0);
  }, 120_000);
});

describe('the behaviour score of an open case’s borrower', () => {
  it('is the shipped scorecard’s for the month just ended, and the strategy reads it', async () => {
    const strategy = seeing(true, [
      { _id: 'low', in6: '< 500', out1: '"call"', out3: '"CS_SCORE_LOW"' },
      { _id: 'high', in6: '>= 500', out1: '"call"', out3: '"CS_SCORE_HIGH"' },
      { _id: 'none', out1: '"call"', out3: '"CS_SCORE_NONE"' },
    ]);
    expect(strategy.behaviourModel).not.toBeNull();
    const ctx = ctxOf(strategy, riskyPopulation(), 12);
    const totals = emptyTotals(12, 1);
    const codes: string[] = [];
    for (let i = 0; i < 80; i += 1) {
      const { borrower, rand } = drawBorrower(ctx.population, 4, 0, i);
      const rows = await simulateBorrower(ctx, borrower, rand, totals, true);
      let score: number | null = null;
      for (const row of rows)
        for (const n of row.notes) {
          if (n.code === 'case_opened') score = null;
          if (n.code === 'behaviour_score') {
            score = Number(n.params.score);
            expect(score).toBeGreaterThan(0);
          }
          // A step of a month whose refresh noted a new score is decided on that score's band.
          if (n.code === 'collection_step' && score !== null) {
            codes.push(String(n.params.code));
            const seen = row.notes.find((x) => x.code === 'behaviour_score');
            if (seen !== undefined)
              expect(n.params.code).toBe(Number(seen.params.score) < 500 ? 'CS_SCORE_LOW' : 'CS_SCORE_HIGH');
          }
        }
    }
    expect(total(totals.series.scoredCases)).toBeGreaterThan(0);
    expect(codes).toContain('CS_SCORE_LOW');
  }, 120_000);

  it('is null without a model: the strategy sees no score', async () => {
    const strategy = seeing(false, [
      { _id: 'scored', in6: '>= 0', out1: '"call"', out3: '"CS_SCORED"' },
      { _id: 'none', out1: '"call"', out3: '"CS_SCORE_NONE"' },
    ]);
    const t = await run(ctxOf(strategy, riskyPopulation(), 12), 80, 4);
    expect(total(t.series.scoredCases)).toBe(0);
    expect(total(t.series.calls)).toBeGreaterThan(0);
  }, 120_000);
});

describe('the population file’s evidence parameters', () => {
  it('have stated defaults', () => {
    expect(DEFAULT_POPULATION.behaviour).toMatchObject({
      hardshipBase: 0.05,
      hardshipWillingness: 0.6,
      incomeEvidenced: 0.5,
      lostContactAfterUnanswered: 6,
    });
  });

  it('refuses a fractional call count, shares out of range and a chance above 1, each with its path', () => {
    const read = () =>
      population({
        lostContactAfterUnanswered: 2.5,
        incomeEvidenced: 1.5,
        hardshipBase: 0.6,
        hardshipWillingness: 0.6,
      });
    expect(read).toThrow(SimulationInputError);
    try {
      read();
    } catch (error) {
      const issues = (error as SimulationInputError).issues;
      expect(issues).toContainEqual({
        path: '$.behaviour.lostContactAfterUnanswered',
        message: 'is 2.5; give a whole number from 0 to 100',
      });
      expect(issues).toContainEqual({
        path: '$.behaviour.incomeEvidenced',
        message: 'is 1.5; give a number from 0 to 1',
      });
      expect(issues).toContainEqual({
        path: '$.behaviour.hardshipWillingness',
        message:
          'hardshipBase + hardshipWillingness is 1.2; the chance of a hardship application of the most willing borrower must be at most 1',
      });
    }
  });
});
