import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayFromCivil } from '../../src/money/index.js';
import {
  buildEclModel,
  buildEclReport,
  cumulativePd,
  DEFAULT_ECL_SETTINGS,
  type EclExposure,
  eclStage,
  eclUnderWeights,
  estimateLgd,
  estimateTransitions,
  MARKOV_STATES,
  type MarkovState,
  type MonthEndPath,
  measureEcl,
  parseScenario,
  provisionPosting,
  provisionRollForward,
  ReportInputError,
  shiftedWeights,
  weightedScenarioSet,
} from '../../src/reporting/index.js';

const AS_OF = dayFromCivil(2026, 6, 30);

const scenario = (id: string, weight: string, pdMultiplier = '1', extra: object = {}) =>
  parseScenario({ id, version: 1, label: { en: id, zh: `情景${id}` }, weight, pdMultiplier, ...extra });

describe('ECL staging', () => {
  it('applies the DPD backstops, SICR signals and restructuring', () => {
    expect(eclStage({ daysPastDue: 0 }).stage).toBe(1);
    expect(eclStage({ daysPastDue: 30 }).stage).toBe(1);
    expect(eclStage({ daysPastDue: 31 }).reasons).toEqual(['dpd-above-30']);
    expect(eclStage({ daysPastDue: 91 }).stage).toBe(3);
    expect(eclStage({ daysPastDue: 0, writtenOff: true }).stage).toBe(3);
    expect(eclStage({ daysPastDue: 0, restructured: true }).stage).toBe(2);
    expect(eclStage({ daysPastDue: 0, restructuringBroken: true }).stage).toBe(3);
    expect(eclStage({ daysPastDue: 0, watchlist: true }).reasons).toEqual(['watchlist']);
    // Doubled and up by 0.5 pp: both conditions.
    expect(eclStage({ daysPastDue: 0, originationPd_micro: 10_000, currentPd_micro: 20_000 }).stage).toBe(2);
    // Doubled but only 0.2 pp up: a tiny PD doubling is not significant.
    expect(eclStage({ daysPastDue: 0, originationPd_micro: 2_000, currentPd_micro: 4_000 }).stage).toBe(1);
    expect(eclStage({ daysPastDue: 0, originationScore: 650, behaviourScore: 600 }).reasons).toEqual([
      'score-drop',
    ]);
    expect(eclStage({ daysPastDue: 0, originationScore: 650, behaviourScore: 601 }).stage).toBe(1);
  });
});

const stateArb = fc.constantFrom<MarkovState | null>(...MARKOV_STATES, null);
const pathsArb = fc.array(
  fc.record({
    segment: fc.constantFrom('a', 'b', 'c'),
    states: fc.array(stateArb, { minLength: 1, maxLength: 8 }),
  }),
  { maxLength: 60 },
);

describe('transition matrices', () => {
  it('every row of every matrix sums to 1 and the term structure never falls', () => {
    fc.assert(
      fc.property(pathsArb, fc.integer({ min: 0, max: 40 }), (paths, min) => {
        const { pooled, bySegment } = estimateTransitions(paths as MonthEndPath[], {
          rowObservations_min: min,
        });
        for (const m of [pooled, ...bySegment.values()]) {
          for (const row of m.probabilities) {
            expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
            for (const p of row) expect(p).toBeGreaterThanOrEqual(0);
          }
          const c = cumulativePd(m, 'M0', 24);
          for (let t = 1; t < c.length; t += 1)
            expect(c[t]).toBeGreaterThanOrEqual((c[t - 1] as number) - 1e-15);
        }
      }),
    );
  });

  it('counts month-end pairs and gives a chain whose 2-month PD is the matrix product', () => {
    const paths: MonthEndPath[] = [
      { segment: 'x', states: ['M0', 'M0', 'M1'] },
      { segment: 'x', states: ['M0', 'M1', 'M2'] },
      { segment: 'x', states: ['M1', 'D', 'D'] },
      { segment: 'x', states: [null, 'M0', 'C'] },
    ];
    const { bySegment } = estimateTransitions(paths, { rowObservations_min: 0 });
    const m = bySegment.get('x');
    expect(m?.counts[0]).toEqual([1, 2, 0, 0, 0, 1]);
    expect(m?.counts[1]).toEqual([0, 0, 1, 0, 1, 0]);
    // From M0: to M1 ½ then M1→D ½ → ¼ by month 2.
    expect(cumulativePd(m!, 'M0', 2)[2]).toBeCloseTo(0.25, 12);
  });
});

describe('workout LGD', () => {
  it('discounts recoveries, floors and takes the override', () => {
    const w = {
      loanId: 'l1',
      segment: 's',
      defaultDay: AS_OF - 400,
      eadAtDefaultMinor: 100_000,
      recoveries: [{ day: AS_OF - 35, amountMinor: 50_000 }],
      annualRate: 0.1,
    };
    const est = estimateLgd([w], ['s'], AS_OF, {
      floor_micro: 100_000,
      override_micro: null,
      noData_micro: 850_000,
      workoutDays_min: 180,
      workouts_min: 1,
    });
    const expected = 1 - 50_000 / 1.1 ** (365 / 365) / 100_000;
    expect(est.bySegment.get('s')?.lgd_micro).toBe(Math.round(expected * 1e6));
    const young = estimateLgd([{ ...w, defaultDay: AS_OF - 10 }], ['s'], AS_OF);
    expect(young.bySegment.get('s')?.source).toBe('no-data');
    const full = estimateLgd(
      [{ ...w, recoveries: [{ day: AS_OF - 399, amountMinor: 200_000 }] }],
      ['s'],
      AS_OF,
      {
        floor_micro: 100_000,
        override_micro: null,
        noData_micro: 850_000,
        workoutDays_min: 180,
        workouts_min: 1,
      },
    );
    expect(full.bySegment.get('s')).toMatchObject({ lgd_micro: 100_000, source: 'floor' });
    const over = estimateLgd([w], ['s'], AS_OF, {
      floor_micro: 100_000,
      override_micro: 700_000,
      noData_micro: 850_000,
      workoutDays_min: 180,
      workouts_min: 1,
    });
    expect(over.bySegment.get('s')).toMatchObject({ lgd_micro: 700_000, source: 'override' });
  });
});

describe('scenarios', () => {
  it('refuses weights that do not add up to 1 and bad files', () => {
    expect(() => weightedScenarioSet([scenario('a', '0.5'), scenario('b', '0.4')])).toThrow(ReportInputError);
    expect(() => parseScenario({ id: 'A', version: 1, label: { en: 'a', zh: '甲' } })).toThrow(/id/);
    expect(() => scenario('a', '1', '1', { shocks: [{ kind: 'meteor' }] })).toThrow(/kind/);
    expect(
      weightedScenarioSet([scenario('b', '0.5'), scenario('a', '0.5'), scenario('z', '0')]).map((s) => s.id),
    ).toEqual(['a', 'b']);
  });

  it('shifts weight onto one scenario and keeps the total at 1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999_999 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (w, shift) => {
          const set = weightedScenarioSet([
            scenario('a', (w / 1e6).toFixed(6)),
            scenario('b', ((1e6 - w) / 1e6).toFixed(6)),
          ]);
          const shifted = shiftedWeights(set, 'a', shift);
          expect([...shifted.values()].reduce((x, y) => x + y, 0)).toBe(1_000_000);
          expect(shifted.get('a')).toBe(Math.min(1_000_000, w + shift));
        },
      ),
    );
  });
});

const exposureArb = fc.record({
  n: fc.integer({ min: 0, max: 1_000_000 }),
  balance: fc.integer({ min: 0, max: 50_000_000 }),
  bucket: fc.constantFrom('M0', 'M1', 'M2', 'M3', 'M4', 'M7'),
  dpdExtra: fc.integer({ min: 0, max: 29 }),
  undrawn: fc.boolean(),
  restructured: fc.boolean(),
  months: fc.integer({ min: 1, max: 36 }),
  segment: fc.constantFrom('a', 'b'),
});

type RawExposure = typeof exposureArb extends fc.Arbitrary<infer T> ? T : never;

function exposureOf(x: RawExposure, i: number): EclExposure {
  const rank = Number(x.bucket.slice(1));
  return {
    exposureId: `${x.undrawn ? 'line:' : ''}e${i}-${x.n}`,
    kind: x.undrawn ? 'undrawn' : 'drawn',
    customerId: 'c',
    lineId: 'l',
    segment: x.segment,
    balanceMinor: x.balance,
    bucket: x.bucket,
    staging: { daysPastDue: rank === 0 ? 0 : (rank - 1) * 30 + 1 + x.dpdExtra, restructured: x.restructured },
    remainingMonths: x.months,
    annualRate: '0.18',
    borrower: { occupation: 'freelancer', industry: null },
  };
}

const bookPaths: MonthEndPath[] = [
  ...Array.from({ length: 40 }, (_, i) => ({
    segment: 'a',
    states: ['M0', i % 10 === 0 ? 'M1' : 'M0', 'M0'] as MarkovState[],
  })),
  ...Array.from({ length: 10 }, (_, i) => ({
    segment: 'a',
    states: ['M1', i < 4 ? 'M2' : 'M0', i < 2 ? 'M3' : 'C'] as MarkovState[],
  })),
  ...Array.from({ length: 5 }, () => ({ segment: 'b', states: ['M2', 'M3', 'D'] as MarkovState[] })),
];

describe('ECL measurement', () => {
  const model = buildEclModel({
    asOf: AS_OF,
    paths: bookPaths,
    workouts: [],
    segments: ['a', 'b'],
    scenarios: [
      scenario('base', '0.6'),
      scenario('down', '0.4', '1.5', {
        lgdAddOn: '0.05',
        shocks: [{ kind: 'income', occupations: ['freelancer'], incomeChange: '-0.2' }],
      }),
    ],
  });

  it('stage totals add up to the book and the report totals are the sums of the rows', () => {
    fc.assert(
      fc.property(fc.array(exposureArb, { maxLength: 40 }), (raw) => {
        const rows = measureEcl(model, raw.map(exposureOf));
        const report = buildEclReport({ asOf: AS_OF, model, rows });
        const stages = report.tables.find((t) => t.name === 'stages')!;
        const yuan = (s: unknown) => Math.round(Number(s) * 100);
        const stageEcl = stages.rows.reduce((a, r) => a + yuan(r.ecl), 0);
        const stageEad = stages.rows.reduce((a, r) => a + yuan(r.ead), 0);
        const stageCount = stages.rows.reduce((a, r) => a + Number(r.exposures), 0);
        expect(stageCount).toBe(rows.length);
        expect(stageEad).toBe(rows.reduce((a, r) => a + r.eadMinor, 0));
        expect(stageEcl).toBe(rows.reduce((a, r) => a + r.eclMinor, 0));
        expect(yuan(report.summary.find((f) => f.key === 'ecl')?.value)).toBe(stageEcl);
        for (const r of rows) {
          expect(r.eclMinor).toBeLessThanOrEqual(r.eadMinor);
          expect(r.eclMinor).toBeGreaterThanOrEqual(0);
          if (r.stage === 3) expect(r.pd_micro).toBe(1_000_000);
        }
      }),
    );
  });

  it('counts the months after maturity in its method note, one month in the singular', () => {
    const report = (defaultAfterMaturityMonths: number, lifetimeMonths_max = 60) =>
      buildEclReport({
        asOf: AS_OF,
        model: buildEclModel({
          asOf: AS_OF,
          paths: bookPaths,
          workouts: [],
          segments: ['a', 'b'],
          scenarios: [scenario('base', '1')],
          settings: { ...DEFAULT_ECL_SETTINGS, defaultAfterMaturityMonths, lifetimeMonths_max },
        }),
        rows: [],
      });
    const note = (months: number) =>
      report(months)
        .notes.map((n) => n.en)
        .find((n) => n.startsWith('Stage 1:'));
    expect(note(1)).toContain(
      'lifetime PD (the remaining term + 1 month for a default after maturity, at most 60;',
    );
    expect(note(2)).toContain(
      'lifetime PD (the remaining term + 2 months for a default after maturity, at most 60;',
    );
    // The lifetime column reaches past the 12-month one, so its count is never one.
    const lifetime = (max: number) =>
      report(3, max)
        .tables.find((t) => t.name === 'pd-term-structures')!
        .columns.find((c) => c.key === 'pd-lifetime')!.label;
    expect(lifetime(60)).toEqual({ en: 'PD 60 months', zh: '60个月违约概率' });
    expect(lifetime(12)).toEqual({ en: 'PD 12 months', zh: '12个月违约概率' });
  });

  it("gives every row and the book under other weights exactly the bigint sums of the rows' own figures", () => {
    const bigEcl = (ead: number, figures: { w: number; pd: number; lgd: number }[]) => {
      const exact = figures.reduce(
        (a, f) => a + BigInt(f.w) * BigInt(ead) * BigInt(f.pd) * BigInt(f.lgd),
        0n,
      );
      return Number((exact + 5n * 10n ** 17n) / 10n ** 18n);
    };
    const wide = fc.record({
      n: fc.integer({ min: 0, max: 1_000_000 }),
      balance: fc.oneof(fc.integer({ min: 0, max: 50_000_000 }), fc.integer({ min: 0, max: 2 ** 40 })),
      bucket: fc.constantFrom('M0', 'M1', 'M2', 'M3', 'M4', 'M7'),
      dpdExtra: fc.integer({ min: 0, max: 29 }),
      undrawn: fc.boolean(),
      restructured: fc.boolean(),
      months: fc.integer({ min: 1, max: 36 }),
      segment: fc.constantFrom('a', 'b'),
    });
    fc.assert(
      fc.property(fc.array(wide, { maxLength: 40 }), fc.integer({ min: 0, max: 1_000_000 }), (raw, shift) => {
        const rows = measureEcl(model, raw.map(exposureOf));
        for (const r of rows) {
          expect(r.eclMinor).toBe(
            bigEcl(
              r.eadMinor,
              r.scenarios.map((s) => ({ w: s.weight_micro, pd: s.pd_micro, lgd: s.lgd_micro })),
            ),
          );
          for (const s of r.scenarios)
            expect(s.eclMinor).toBe(bigEcl(r.eadMinor, [{ w: 1_000_000, pd: s.pd_micro, lgd: s.lgd_micro }]));
        }
        const weights = shiftedWeights(model.scenarios, 'down', shift);
        const expected = rows.reduce(
          (a, r) =>
            a +
            bigEcl(
              r.eadMinor,
              r.scenarios.map((s) => ({ w: weights.get(s.scenario) ?? 0, pd: s.pd_micro, lgd: s.lgd_micro })),
            ),
          0,
        );
        expect(eclUnderWeights(rows, weights)).toBe(expected);
        // Rows copied (or read back) carry no measurement behind them: the same sum from their figures.
        expect(
          eclUnderWeights(
            rows.map((r) => ({ ...r })),
            weights,
          ),
        ).toBe(expected);
      }),
    );
  });

  it('computes one exposure from its stated parameters with one rounding', () => {
    const [row] = measureEcl(model, [
      {
        exposureId: 'L1',
        kind: 'drawn',
        customerId: 'c',
        lineId: 'l',
        segment: 'a',
        balanceMinor: 123_457,
        bucket: 'M0',
        staging: { daysPastDue: 0 },
        remainingMonths: 6,
        annualRate: '0.18',
        borrower: { occupation: 'freelancer', industry: null },
      },
    ]);
    expect(row!.stage).toBe(1);
    expect(row!.horizonMonths).toBe(9); // 6 months to maturity + 3 in which the last instalment can default
    // Independently: Σ w × EAD × PD × LGD from the row's own figures, rounded half-up once.
    const exact = row!.scenarios.reduce(
      (a, s) => a + BigInt(s.weight_micro) * BigInt(s.pd_micro) * BigInt(s.lgd_micro) * 123_457n,
      0n,
    );
    const half = 5n * 10n ** 17n;
    expect(row!.eclMinor).toBe(Number((exact + half) / 10n ** 18n));
    // Down: PD × 1.5 × (1 + 0.15 × 2) for a freelancer whose income falls 20%.
    const base = row!.scenarios.find((s) => s.scenario === 'base')!;
    const down = row!.scenarios.find((s) => s.scenario === 'down')!;
    expect(down.pdMultiplier_micro).toBe(1_950_000);
    expect(down.pd_micro).toBe(Math.round(base.pd_micro * 1.95));
    expect(down.lgd_micro).toBe(base.lgd_micro + 50_000);
  });

  it('draws CCF × the undrawn limit for a revolving line', () => {
    const [row] = measureEcl(model, [
      {
        exposureId: 'line:1',
        kind: 'undrawn',
        customerId: 'c',
        lineId: '1',
        segment: '*',
        balanceMinor: 1_000_001,
        bucket: 'M0',
        staging: { daysPastDue: 0 },
        remainingMonths: 1,
        annualRate: '0.18',
        borrower: { occupation: null, industry: null },
      },
    ]);
    expect(row!.eadMinor).toBe(500_001); // half-up of 500000.5
    expect(row!.horizonMonths).toBe(12);
  });
});

const positionArb = fc
  .array(
    fc.record({
      id: fc.integer({ min: 0, max: 30 }),
      stage: fc.constantFrom(1, 2, 3) as fc.Arbitrary<1 | 2 | 3>,
      ecl: fc.integer({ min: 0, max: 10_000_000 }),
    }),
    { maxLength: 30 },
  )
  .map((xs) => {
    const seen = new Set<number>();
    return xs
      .filter((x) => !seen.has(x.id) && seen.add(x.id))
      .map((x) => ({ exposureId: `e${x.id}`, stage: x.stage, eclMinor: x.ecl }));
  });

describe('provision roll-forward', () => {
  it('closes to the fen per stage and in total, and its posting balances to the closing allowance', () => {
    fc.assert(
      fc.property(
        positionArb,
        positionArb,
        fc.array(fc.integer({ min: 0, max: 30 })),
        (opening, closing, wo) => {
          const written = new Set(wo.map((i) => `e${i}`));
          const rf = provisionRollForward(opening, closing, written);
          const total = (m: string) => rf.lines.find((l) => l.movement === m)!.totalMinor;
          const movements = rf.lines.filter((l) => l.movement !== 'opening' && l.movement !== 'closing');
          expect(total('opening') + movements.reduce((a, l) => a + l.totalMinor, 0)).toBe(total('closing'));
          expect(total('closing')).toBe(closing.reduce((a, p) => a + p.eclMinor, 0));
          expect(total('transfer-to-1') + total('transfer-to-2') + total('transfer-to-3')).toBe(0);
          for (let s = 1 as 1 | 2 | 3; s <= 3; s = (s + 1) as 1 | 2 | 3) {
            expect(rf.lines.at(-1)!.byStage[s - 1]).toBe(
              closing.filter((p) => p.stage === s).reduce((a, p) => a + p.eclMinor, 0),
            );
          }
          // The journal entry takes the allowance on the books from the opening to the closing.
          const { posting } = provisionPosting({
            eventRef: 'ecl:2026-06',
            day: AS_OF,
            allowanceOnBooksMinor: rf.openingMinor,
            closingMinor: rf.closingMinor,
            writtenOffMinor: rf.writtenOffMinor,
          });
          let allowance = rf.openingMinor;
          for (const line of posting?.lines ?? []) {
            if (line.account !== 'lossAllowance') continue;
            allowance += 'creditMinor' in line ? line.creditMinor : -line.debitMinor;
          }
          expect(allowance).toBe(rf.closingMinor);
        },
      ),
    );
  });
});
