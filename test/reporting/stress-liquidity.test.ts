import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayFromCivil } from '../../src/money/index.js';
import {
  buildEclModel,
  buildStressReport,
  DEFAULT_SENSITIVITIES,
  type EclExposure,
  type MarkovState,
  type MonthEndPath,
  parseFundingOutflows,
  parseScenario,
  projectLiquidity,
  ReportInputError,
  scenarioPdMultiplier,
  stressScenario,
  withSimulatedStress,
} from '../../src/reporting/index.js';

const AS_OF = dayFromCivil(2026, 6, 30);
const paths: MonthEndPath[] = [
  ...Array.from({ length: 50 }, (_, i) => ({
    segment: 'a',
    states: ['M0', i % 10 === 0 ? 'M1' : 'M0', i % 5 === 0 ? 'C' : 'M0'] as MarkovState[],
  })),
  ...Array.from({ length: 10 }, (_, i) => ({
    segment: 'a',
    states: ['M1', i < 5 ? 'M2' : 'M0', i < 3 ? 'M3' : 'M0'] as MarkovState[],
  })),
  ...Array.from({ length: 4 }, () => ({ segment: 'a', states: ['M3', 'D'] as MarkovState[] })),
];
const sc = (id: string, weight: string, extra: object = {}) =>
  parseScenario({ id, version: 1, label: { en: id, zh: `情景${id}` }, weight, ...extra });
const base = sc('base', '1');
const closure = sc('closure', '0', { shocks: [{ kind: 'closure', industries: ['catering'], months: 3 }] });
const model = buildEclModel({
  asOf: AS_OF,
  paths,
  workouts: [],
  segments: ['a'],
  scenarios: [base, closure],
});

const exposure = (id: string, industry: string | null, bucket = 'M0'): EclExposure => ({
  exposureId: id,
  kind: 'drawn',
  customerId: 'c',
  lineId: 'l',
  segment: 'a',
  balanceMinor: 1_000_000,
  bucket,
  staging: { daysPastDue: bucket === 'M0' ? 0 : 40 },
  remainingMonths: 6,
  annualRate: '0.18',
  borrower: { occupation: null, industry },
});

describe('stress', () => {
  it('closes only the named industries, by the stated sensitivity per month', () => {
    expect(
      scenarioPdMultiplier(closure, { occupation: null, industry: 'catering' }, DEFAULT_SENSITIVITIES),
    ).toBe(1_900_000);
    expect(
      scenarioPdMultiplier(closure, { occupation: null, industry: 'software' }, DEFAULT_SENSITIVITIES),
    ).toBe(1_000_000);
    const book = [exposure('a', 'catering'), exposure('b', 'software'), exposure('c', null, 'M2')];
    const b = stressScenario(model, book, base);
    const c = stressScenario(model, book, closure);
    expect(c.eclMinor).toBeGreaterThan(b.eclMinor);
    expect(c.nplMinor).toBeGreaterThan(b.nplMinor);
    expect(c.lossMinor).toBeGreaterThan(b.lossMinor);
    // Only the catering loan moved.
    const onlySoftware = [exposure('b', 'software')];
    expect(stressScenario(model, onlySoftware, closure).eclMinor).toBe(
      stressScenario(model, onlySoftware, base).eclMinor,
    );
  });
});

describe('stress report texts', () => {
  const report = (months: number) => {
    const shut = sc('closure', '0', { shocks: [{ kind: 'closure', industries: ['catering'], months }] });
    const m = buildEclModel({ asOf: AS_OF, paths, workouts: [], segments: ['a'], scenarios: [base, shut] });
    const book = [exposure('a', 'catering')];
    return buildStressReport({
      asOf: AS_OF,
      model: m,
      results: [stressScenario(m, book, base), stressScenario(m, book, shut)],
      weightedEclMinor: 0,
      currentNplMinor: 0,
    });
  };
  const shocks = (months: number) =>
    report(months)
      .tables.find((t) => t.name === 'scenarios')!
      .rows.find((r) => r.scenario === 'closure')!.shocks;

  it('counts the months an industry is closed, one month in the singular', () => {
    expect(shocks(1)).toBe('PD × 1.000000; catering closed 1 month');
    expect(shocks(2)).toBe('PD × 1.000000; catering closed 2 months');
  });

  it("counts the simulator's borrowers and months in its note, one in the singular", () => {
    const note = (borrowers: number, months: number) =>
      withSimulatedStress(report(3), [], {
        population: 'p',
        strategy: 's',
        borrowers,
        months,
        seed: 1,
        startDate: '2026-07-01',
      }).notes.at(-1)!.en;
    expect(note(1, 1)).toMatch(
      /^Simulated: the strategy lab ran population p under strategy s, 1 borrower × 1 month from 2026-07-01, seed 1,/,
    );
    expect(note(2, 2)).toMatch(
      /^Simulated: the strategy lab ran population p under strategy s, 2 borrowers × 2 months from 2026-07-01, seed 1,/,
    );
  });
});

describe('liquidity', () => {
  it('weighs each amount by its chance of payment, never above what is scheduled, less under stress', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            bucket: fc.constantFrom('M0', 'M1', 'M2', 'M3', 'M5'),
            industry: fc.constantFrom('catering', null),
            amounts: fc.array(
              fc.record({
                offset: fc.integer({ min: 1, max: 400 }),
                amount: fc.integer({ min: 0, max: 5_000_000 }),
              }),
              { maxLength: 6 },
            ),
            arrears: fc.integer({ min: 0, max: 1_000_000 }),
          }),
          { maxLength: 12 },
        ),
        (loans) => {
          const p = projectLiquidity(
            model,
            AS_OF,
            loans.map((x, i) => ({
              loanId: `l${i}`,
              segment: 'a',
              bucket: x.bucket,
              borrower: { occupation: null, industry: x.industry },
              instalments: x.amounts.map((a) => ({ dueDay: AS_OF + a.offset, amountMinor: a.amount })),
              arrearsMinor: x.arrears,
            })),
            [base, closure],
            [{ day: AS_OF + 3, amountMinor: 700, label: 'x' }],
          );
          let weekOut = 0;
          for (const [, r] of p.rows) {
            expect(r.expectedMinor.get('base')!).toBeLessThanOrEqual(r.scheduledMinor);
            expect(r.expectedMinor.get('closure')!).toBeLessThanOrEqual(r.expectedMinor.get('base')!);
            expect(r.expectedMinor.get('base')!).toBeGreaterThanOrEqual(0);
          }
          for (const w of p.periods.weeks) weekOut += p.rows.get(w.key)!.outflowMinor;
          expect(weekOut).toBe(700);
          // Defaulted loans (M5) pay nothing.
          const defaulted = loans.filter((x) => x.bucket === 'M5');
          if (defaulted.length === loans.length)
            for (const [, r] of p.rows) expect(r.expectedMinor.get('base')).toBe(0);
        },
      ),
    );
  });

  it('reads funding outflows from JSON and CSV and refuses bad ones', () => {
    const json = parseFundingOutflows('[{"day":"2026-07-01","amount":"10.05","label":"interest"}]', 'json');
    expect(json).toMatchObject([{ amountMinor: 1005, label: 'interest' }]);
    const csv = parseFundingOutflows('day,amount,label\n2026-07-01,3,a, b\n', 'csv');
    expect(csv).toMatchObject([{ amountMinor: 300, label: 'a, b' }]);
    expect(() => parseFundingOutflows('[{"day":"2026-07-01","amount":"1.001","label":"x"}]', 'json')).toThrow(
      ReportInputError,
    );
    expect(() => parseFundingOutflows('when,amount\n', 'csv')).toThrow(/header/);
    expect(() => parseFundingOutflows('[{"day":"2026-07-01","amount":"0","label":"x"}]', 'json')).toThrow(
      /above 0/,
    );
  });
});
