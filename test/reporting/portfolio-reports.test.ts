import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUCKETS, type Bucket } from '../../src/ledger/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  ASSET_CLASSES,
  type AssetClass,
  applyOverrides,
  type ClassGroup,
  classificationReport,
  classificationReportOf,
  classTotals,
  classTotalsOfGroups,
  type MonthEndLoan,
  type MonthRows,
  monthBook,
  monthKeyOfDay,
  ROLL_TARGETS,
  rollRateCellLoans,
  rollRatesReport,
  rollRatesReportOf,
  sharesText,
  type TransitionGroup,
  transition,
  transitionOfGroups,
  VINTAGE_GROUPINGS,
  VINTAGE_THRESHOLDS,
  type VintageBadGroup,
  type VintageBy,
  type VintageCohortGroup,
  type VintageLoan,
  vintageReport,
  vintageReportOf,
  vintageTotalsOfGroups,
} from '../../src/reporting/index.js';

const MONTH_ENDS = ['2026-01-31', '2026-02-28', '2026-03-31'].map((d) => parseDate(d));

const rowArb = (loanId: string) =>
  fc
    .record({
      bucket: fc.constantFrom(...BUCKETS),
      balance: fc.integer({ min: 0, max: 5_000_000 }),
      extra: fc.constantFrom<AssetClass | null>(null, 'special-mention', 'substandard'),
    })
    .map(({ bucket, balance, extra }): MonthEndLoan => {
      const rank = Number(bucket.slice(1));
      const dpd = rank === 0 ? 0 : rank === 7 ? 200 + (balance % 300) : (rank - 1) * 30 + 1 + (balance % 30);
      const byDpd: AssetClass =
        dpd > 360
          ? 'loss'
          : dpd > 270
            ? 'doubtful'
            : dpd > 90
              ? 'substandard'
              : dpd > 0
                ? 'special-mention'
                : 'normal';
      const assetClass =
        extra !== null && ASSET_CLASSES.indexOf(extra) > ASSET_CLASSES.indexOf(byDpd) ? extra : byDpd;
      return {
        loanId,
        customerId: `c-${loanId}`,
        productId: balance % 2 === 0 ? 'cash-3m' : 'cash-6m',
        openedDay: parseDate('2025-12-15') + (balance % 40),
        // Above any balance drawn, so that no month's balance passes what was lent.
        disbursedMinor: 5_100_000,
        daysPastDue: dpd,
        bucket,
        outstandingPrincipalMinor: balance,
        oldestOverdueInstallment: dpd > 0 ? 1 : null,
        classByDaysPastDue: byDpd,
        assetClass,
        classReasons: assetClass === byDpd ? [] : ['restructured'],
      };
    });

/** A month's book: a random subset of 30 loans, each with a random month-end row. */
const monthArb = fc
  .tuple(
    ...Array.from({ length: 30 }, (_, i) =>
      fc.option(rowArb(`ln-${String(i).padStart(2, '0')}`), { nil: undefined }),
    ),
  )
  .map((rows) => rows.filter((r): r is MonthEndLoan => r !== undefined));

const bookArb = fc
  .tuple(monthArb, monthArb, monthArb)
  .map((months) => months.map((rows, i): Month => ({ monthEnd: MONTH_ENDS[i] as number, rows })));

interface Month extends MonthRows {
  readonly rows: readonly MonthEndLoan[];
}

describe('roll rates', () => {
  it('every row of the transition counts each loan of its bucket once, and its printed shares add up to exactly 1', () => {
    fc.assert(
      fc.property(bookArb, (months) => {
        const before = months[0] as MonthRows;
        const after = months[1] as MonthRows;
        const t = transition(before, after);
        for (const from of BUCKETS) {
          const n = ROLL_TARGETS.reduce((a, to) => a + t.count[from][to], 0);
          expect(n).toBe(before.rows.filter((r) => r.bucket === from).length);
        }
        const report = rollRatesReport(months);
        for (const name of ['matrix-count', 'matrix-balance']) {
          const table = report.tables.find((x) => x.name === name);
          for (const row of table?.rows ?? []) {
            const shares = ROLL_TARGETS.map((to) => row[to]);
            if (shares.every((s) => s === null)) continue;
            const units = shares.reduce((a, s) => a + BigInt(String(s).replace('.', '')), 0n);
            expect(units).toBe(1_000_000n);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the drill-down of each matrix cell gives the loans the counts count', () => {
    fc.assert(
      fc.property(bookArb, (months) => {
        const t = transition(months[1] as MonthRows, months[2] as MonthRows);
        for (const from of BUCKETS) {
          for (const to of ROLL_TARGETS) {
            const ids = rollRateCellLoans(months, 'matrix-count', from, to);
            expect(ids?.length).toBe(t.count[from][to]);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('largest-remainder shares: a third each prints as 0.333334, 0.333333, 0.333333', () => {
    expect(sharesText([1, 1, 1])).toEqual(['0.333334', '0.333333', '0.333333']);
    expect(sharesText([0, 0])).toEqual([null, null]);
  });
});

describe('five-category tables', () => {
  it('class totals add up to the book, in loans and to the fen', () => {
    fc.assert(
      fc.property(monthArb, (rows) => {
        const t = classTotals(MONTH_ENDS[0] as number, applyOverrides(rows, []));
        const loans = ASSET_CLASSES.reduce((a, c) => a + t.byClass[c].loans, 0);
        const balance = ASSET_CLASSES.reduce((a, c) => a + t.byClass[c].balanceMinor, 0n);
        expect(loans).toBe(rows.length);
        expect(balance).toBe(rows.reduce((a, r) => a + BigInt(r.outstandingPrincipalMinor), 0n));
        expect(t.nplBalanceMinor).toBe(
          t.byClass.substandard.balanceMinor + t.byClass.doubtful.balanceMinor + t.byClass.loss.balanceMinor,
        );
        expect(t.nplBalanceMinor >= t.dpd90BalanceMinor).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('an approved override only ever makes a class worse', () => {
    fc.assert(
      fc.property(monthArb, fc.constantFrom(...ASSET_CLASSES), (rows, proposed) => {
        const overrides = rows.map((r) => ({
          loanId: r.loanId,
          assetClass: proposed,
          reason: 'r',
          proposedBy: 'a',
          approvedBy: 'b',
        }));
        for (const l of applyOverrides(rows, overrides)) {
          expect(ASSET_CLASSES.indexOf(l.assetClass)).toBeGreaterThanOrEqual(
            ASSET_CLASSES.indexOf(l.row.assetClass),
          );
          expect(l.override !== null).toBe(
            ASSET_CLASSES.indexOf(proposed) >= ASSET_CLASSES.indexOf(l.row.assetClass),
          );
        }
        const report = classificationReport(MONTH_ENDS[0] as number, applyOverrides(rows, overrides));
        expect(report.tables[0]?.rows.at(-1)?.loans).toBe(rows.length);
      }),
      { numRuns: 100 },
    );
  });
});

describe('vintages', () => {
  it('a cohort’s curve is null after the report’s month end and never above 1 (balance ≤ disbursed)', () => {
    fc.assert(
      fc.property(bookArb, (months) => {
        const loans = new Map<string, MonthEndLoan>();
        for (const m of months) for (const r of m.rows) loans.set(r.loanId, r);
        // The report reads rows by month key (year × 12 + month − 1).
        const keyed = new Map<number, MonthEndLoan[]>();
        for (const m of months) {
          const d = new Date(m.monthEnd * 86_400_000);
          keyed.set(d.getUTCFullYear() * 12 + d.getUTCMonth(), [...m.rows]);
        }
        const report = vintageReport({
          monthEnd: MONTH_ENDS[2] as number,
          loans: [...loans.values()].map((l) => ({
            loanId: l.loanId,
            productId: l.productId,
            openedDay: l.openedDay,
            disbursedMinor: l.disbursedMinor,
          })),
          months: keyed,
        });
        for (const table of report.tables.filter((t) => t.name.startsWith('vintage-'))) {
          for (const row of table.rows) {
            const cohort = String(row.cohort);
            const mobsLeft = cohort === '2025-12' ? 3 : cohort === '2026-01' ? 2 : 0;
            for (let k = 0; k < 4; k++) {
              const v = row[`mob${k}`] ?? null;
              if (k <= mobsLeft) expect(v === null || Number(v) <= 1).toBe(true);
              else expect(v).toBe(null);
            }
          }
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('bucket thresholds', () => {
  it('every bucket is in the roll targets, with out last', () => {
    expect(ROLL_TARGETS).toEqual([...BUCKETS, 'out'] as (Bucket | 'out')[]);
  });
});

describe('reports from sums (as the store sums the month-end rows)', () => {
  /** Channel and policy version from the loan id: some loans carry neither (imported), as a store finds them. */
  const CHANNELS = ['app', 'h5', null] as const;
  const POLICIES = ['P-2025-1', null, 'P-2026-1'] as const;
  function vintageInput(months: readonly Month[], by: VintageBy = 'product') {
    const loans = new Map<string, MonthEndLoan>();
    for (const m of months) for (const r of m.rows) loans.set(r.loanId, r);
    const keyed = new Map<number, MonthEndLoan[]>();
    for (const m of months) keyed.set(monthKeyOfDay(m.monthEnd), [...m.rows]);
    return {
      monthEnd: MONTH_ENDS[2] as number,
      loans: [...loans.values()].map((l, i) => ({
        loanId: l.loanId,
        productId: l.productId,
        openedDay: l.openedDay,
        disbursedMinor: l.disbursedMinor,
        channel: CHANNELS[i % 3] ?? null,
        policyVersion: POLICIES[i % 3] ?? null,
      })),
      months: keyed,
      by,
    };
  }

  it('the same roll-rate, vintage and class reports as from the rows, every cell', () => {
    fc.assert(
      fc.property(
        bookArb,
        fc.constantFrom(...ASSET_CLASSES),
        fc.constantFrom(...VINTAGE_GROUPINGS),
        (months, proposed, by) => {
          // Roll rates: loans grouped by (bucket then, bucket a month later or out).
          const transitions = months.slice(1).map((after, i) => {
            const before = months[i] as Month;
            const later = new Map(after.rows.map((r) => [r.loanId, r]));
            const groups = new Map<string, TransitionGroup>();
            for (const r of before.rows) {
              const next = later.get(r.loanId);
              const to = next?.bucket ?? 'out';
              const g = groups.get(`${r.bucket}/${to}`) ?? {
                from: r.bucket,
                to,
                loans: 0,
                balanceMinor: 0n,
                enteredBalanceMinor: 0n,
              };
              const up = next !== undefined && Number(next.bucket[1]) === Number(r.bucket[1]) + 1;
              groups.set(`${r.bucket}/${to}`, {
                ...g,
                loans: g.loans + 1,
                balanceMinor: g.balanceMinor + BigInt(r.outstandingPrincipalMinor),
                enteredBalanceMinor:
                  g.enteredBalanceMinor + (up ? BigInt(next.outstandingPrincipalMinor) : 0n),
              });
            }
            return transitionOfGroups(before.monthEnd, after.monthEnd, [...groups.values()]);
          });
          expect(rollRatesReportOf(months.map(monthBook), transitions)).toEqual(rollRatesReport(months));

          // Vintage: cohorts and balances by segment (product, channel or policy), draw month and months on book;
          // the store's null segment is the `unknown` one.
          const input = vintageInput(months, by);
          const segmentOf = (l: VintageLoan) =>
            by === 'product'
              ? l.productId
              : by === 'channel'
                ? (l.channel ?? null)
                : (l.policyVersion ?? null);
          const cohorts = new Map<string, VintageCohortGroup>();
          const fpd = new Set<string>();
          for (const rows of input.months.values())
            for (const r of rows)
              if (r.daysPastDue > 30 && r.oldestOverdueInstallment === 1) fpd.add(r.loanId);
          const byLoan = new Map(input.loans.map((l) => [l.loanId, l]));
          for (const l of input.loans) {
            const month = monthKeyOfDay(l.openedDay);
            const g = cohorts.get(`${segmentOf(l)}/${month}`) ?? {
              segment: segmentOf(l),
              month,
              loans: 0,
              disbursedMinor: 0n,
              fpd30Loans: 0,
            };
            cohorts.set(`${segmentOf(l)}/${month}`, {
              ...g,
              loans: g.loans + 1,
              disbursedMinor: g.disbursedMinor + BigInt(l.disbursedMinor),
              fpd30Loans: g.fpd30Loans + (fpd.has(l.loanId) ? 1 : 0),
            });
          }
          const bad: VintageBadGroup[] = [];
          for (const [month, rows] of input.months) {
            for (const r of rows) {
              const l = byLoan.get(r.loanId) as VintageLoan;
              const cohort = monthKeyOfDay(l.openedDay);
              bad.push({
                segment: segmentOf(l),
                month: cohort,
                mob: month - cohort,
                badMinor: VINTAGE_THRESHOLDS.map((t) =>
                  Number(r.bucket[1]) >= Number(t[1]) ? BigInt(r.outstandingPrincipalMinor) : 0n,
                ),
              });
            }
          }
          expect(
            vintageReportOf(vintageTotalsOfGroups(input.monthEnd, [...cohorts.values()], bad, by)),
          ).toEqual(vintageReport(input));

          // Classification: loans grouped by class after overrides and by more than 90 days past due.
          const rows = months[2]?.rows ?? [];
          const overrides = rows
            .filter((_, i) => i % 3 === 0)
            .map((r) => ({
              loanId: r.loanId,
              assetClass: proposed,
              reason: 'r',
              proposedBy: 'a',
              approvedBy: 'b',
            }));
          const classified = applyOverrides(rows, overrides);
          const groups: ClassGroup[] = classified.map((l) => ({
            assetClass: l.assetClass,
            over90: l.row.daysPastDue > 90,
            loans: 1,
            balanceMinor: BigInt(l.row.outstandingPrincipalMinor),
            restructured: l.row.classReasons.length > 0 ? 1 : 0,
          }));
          const monthEnd = MONTH_ENDS[2] as number;
          expect(
            classificationReportOf(
              classTotalsOfGroups(monthEnd, groups),
              classified.filter((l) => l.override !== null),
              groups.reduce((n, g) => n + g.restructured, 0),
            ),
          ).toEqual(classificationReport(monthEnd, classified));
        },
      ),
      { numRuns: 50 },
    );
  });
});
