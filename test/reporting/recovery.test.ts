import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import {
  RECOVERY_COHORTS_MAX,
  type RecoveryInput,
  recoveryCellLoans,
  recoveryReport,
  recoveryTotals,
  VINTAGE_GROUPINGS,
} from '../../src/reporting/index.js';

const MONTH_END = parseDate('2026-05-31');
const FIRST = parseDate('2024-03-01');

/** A book of write-offs (one per loan) and recoveries, some dated before their write-off or after the month end. */
const inputArb: fc.Arbitrary<RecoveryInput> = fc
  .array(
    fc.record({
      day: fc.integer({ min: FIRST, max: MONTH_END + 40 }),
      writtenOffMinor: fc.integer({ min: 1, max: 50_000_000 }),
      receipts: fc.array(
        fc.record({
          after: fc.integer({ min: -10, max: 700 }),
          amountMinor: fc.integer({ min: 1, max: 20_000_000 }),
        }),
        { maxLength: 5 },
      ),
    }),
    { maxLength: 30 },
  )
  .map((loans) => ({
    monthEnd: MONTH_END,
    writeOffs: loans.map((l, i) => ({ loanId: `ln${i}`, day: l.day, writtenOffMinor: l.writtenOffMinor })),
    recoveries: loans.flatMap((l, i) =>
      l.receipts.map((r) => ({ loanId: `ln${i}`, day: l.day + r.after, amountMinor: r.amountMinor })),
    ),
  }));

const cents = (text: unknown) => BigInt(String(text).replace('.', ''));

describe('recovery curves after write-off', () => {
  it('cumulative recoveries never fall from one month to the next', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        for (const c of recoveryTotals(input).cohorts) {
          for (let k = 1; k < c.cumulativeMinor.length; k++) {
            expect(c.cumulativeMinor[k] as bigint).toBeGreaterThanOrEqual(c.cumulativeMinor[k - 1] as bigint);
          }
          expect(c.cumulativeMinor[0] as bigint).toBeGreaterThanOrEqual(0n);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('the cohorts’ written-off amounts add up to every write-off of the window, their recoveries to every counted one', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const last = 2026 * 12 + 4;
        const inWindow = (day: number) => {
          const d = new Date(day * 86_400_000);
          const m = d.getUTCFullYear() * 12 + d.getUTCMonth();
          return day <= MONTH_END && m > last - RECOVERY_COHORTS_MAX;
        };
        const counted = input.writeOffs.filter((w) => inWindow(w.day));
        const written = counted.reduce((a, w) => a + BigInt(w.writtenOffMinor), 0n);
        const byLoan = new Map(counted.map((w) => [w.loanId, w.day]));
        const recovered = input.recoveries
          .filter((r) => {
            const w = byLoan.get(r.loanId);
            return w !== undefined && r.day >= w && r.day <= MONTH_END;
          })
          .reduce((a, r) => a + BigInt(r.amountMinor), 0n);
        const totals = recoveryTotals(input);
        expect(totals.cohorts.reduce((a, c) => a + c.writtenOffMinor, 0n)).toBe(written);
        expect(totals.cohorts.reduce((a, c) => a + c.loanIds.length, 0)).toBe(counted.length);
        expect(totals.cohorts.reduce((a, c) => a + (c.cumulativeMinor.at(-1) ?? 0n), 0n)).toBe(recovered);
        // The printed report says the same in yuan, to the fen.
        const report = recoveryReport(input);
        const figure = (key: string) => report.summary.find((f) => f.key === key)?.value;
        expect(cents(figure('writtenOff'))).toBe(written);
        expect(cents(figure('recovered'))).toBe(recovered);
        const amounts = report.tables.find((t) => t.name === 'recovery-amount');
        expect((amounts?.rows ?? []).reduce((a, r) => a + cents(r.writtenOff), 0n)).toBe(written);
      }),
      { numRuns: 100 },
    );
  });

  it('a rate is the cumulative amount ÷ the written-off amount, null past the month end, and drills down', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const report = recoveryReport(input);
        const amounts = report.tables.find((t) => t.name === 'recovery-amount');
        const rates = report.tables.find((t) => t.name === 'recovery-rate');
        amounts?.rows.forEach((row, i) => {
          const rate = rates?.rows[i];
          const written = cents(row.writtenOff);
          let previous: string[] = [];
          for (const c of amounts.columns.filter((x) => /^m\d+$/.test(x.key))) {
            const v = row[c.key];
            if (v === null) {
              expect(rate?.[c.key]).toBe(null);
              continue;
            }
            const scaled = (cents(v) * 2_000_000n + written) / (2n * written);
            expect(cents(rate?.[c.key])).toBe(scaled);
            // The loans behind a figure: those with a recovery counted in it; never fewer as months pass.
            const ids = recoveryCellLoans(input, 'recovery-rate', String(row.row), c.key) ?? [];
            expect(ids.length === 0).toBe(cents(v) === 0n);
            expect(previous.every((id) => ids.includes(id))).toBe(true);
            previous = ids;
          }
          const loans = recoveryCellLoans(input, 'recovery-amount', String(row.row), 'loans');
          expect(loans?.length).toBe(row.loans);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('counts a recovery in the month it was received, from the write-off month on', () => {
    const input: RecoveryInput = {
      monthEnd: MONTH_END,
      writeOffs: [
        { loanId: 'a', day: parseDate('2026-03-10'), writtenOffMinor: 100_000 },
        { loanId: 'b', day: parseDate('2026-03-31'), writtenOffMinor: 300_000 },
        { loanId: 'c', day: parseDate('2026-05-02'), writtenOffMinor: 1 },
      ],
      recoveries: [
        { loanId: 'a', day: parseDate('2026-03-20'), amountMinor: 10_000 },
        { loanId: 'b', day: parseDate('2026-05-01'), amountMinor: 30_000 },
        { loanId: 'a', day: parseDate('2026-06-01'), amountMinor: 99_999 },
        { loanId: 'x', day: parseDate('2026-04-01'), amountMinor: 5 },
      ],
    };
    const report = recoveryReport(input);
    const amounts = report.tables.find((t) => t.name === 'recovery-amount');
    const rates = report.tables.find((t) => t.name === 'recovery-rate');
    expect(amounts?.rows[0]).toMatchObject({
      row: '2026-03',
      loans: 2,
      writtenOff: '4000.00',
      recovered: '400.00',
      m0: '100.00',
      m1: '100.00',
      m2: '400.00',
    });
    expect(rates?.rows[0]).toMatchObject({ m0: '0.025000', m1: '0.025000', m2: '0.100000' });
    expect(amounts?.rows[1]).toMatchObject({ row: '2026-05', loans: 1, m0: '0.00', m1: null });
    expect(recoveryCellLoans(input, 'recovery-amount', '2026-03', 'm1')).toEqual(['a']);
    expect(recoveryCellLoans(input, 'recovery-amount', '2026-03', 'm2')).toEqual(['a', 'b']);
    expect(recoveryCellLoans(input, 'recovery-amount', '2026-04', 'm0')).toBe(null);
    expect(recoveryCellLoans(input, 'recovery-amount', '2026-05', 'm1')).toBe(null);
  });

  it('by product, channel or policy: each segment’s curve is a plain re-computation, and the segments add up to all', () => {
    const PRODUCTS = ['cash-12m', 'cash-6m', null];
    const CHANNELS = ['app', 'branch', '', null];
    const POLICIES = ['v1', 'v2', null];
    const grouped = fc
      .tuple(inputArb, fc.array(fc.nat(), { minLength: 30, maxLength: 30 }))
      .map(([input, picks]) => ({
        ...input,
        writeOffs: input.writeOffs.map((w, i) => {
          const p = picks[i] ?? 0;
          return {
            ...w,
            productId: PRODUCTS[p % 3] ?? null,
            channel: CHANNELS[(p >> 2) % 4] ?? null,
            policyVersion: POLICIES[(p >> 4) % 3] ?? null,
          };
        }),
      }));
    fc.assert(
      fc.property(grouped, fc.constantFrom(...VINTAGE_GROUPINGS), (input, by) => {
        const last = 2026 * 12 + 4;
        const monthOf = (day: number) => {
          const d = new Date(day * 86_400_000);
          return d.getUTCFullYear() * 12 + d.getUTCMonth();
        };
        const label = (m: number) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
        // The plain reading: every write-off in the window, its segment, and its recoveries month by month.
        const expected = new Map<string, { loans: string[]; written: bigint; byMonth: bigint[] }>();
        for (const w of input.writeOffs) {
          const m = monthOf(w.day);
          if (w.day > MONTH_END || m <= last - RECOVERY_COHORTS_MAX) continue;
          const raw = by === 'product' ? w.productId : by === 'channel' ? w.channel : w.policyVersion;
          const segment = raw === null || raw === '' ? 'unknown' : raw;
          for (const key of [`all/${label(m)}`, `${segment}/${label(m)}`]) {
            const e = expected.get(key) ?? {
              loans: [] as string[],
              written: 0n,
              byMonth: new Array<bigint>(last - m + 1).fill(0n),
            };
            e.loans.push(w.loanId);
            e.written += BigInt(w.writtenOffMinor);
            for (const r of input.recoveries) {
              if (r.loanId !== w.loanId || r.day < w.day || r.day > MONTH_END) continue;
              for (let k = monthOf(r.day) - m; k < e.byMonth.length; k++)
                e.byMonth[k] = (e.byMonth[k] as bigint) + BigInt(r.amountMinor);
            }
            expected.set(key, e);
          }
        }
        const report = recoveryReport({ ...input, by });
        const amounts = report.tables.find((t) => t.name === 'recovery-amount');
        const rows = amounts?.rows ?? [];
        expect(rows.map((r) => String(r.row)).sort()).toEqual([...expected.keys()].sort());
        // `all` first, then the segments by name; each row's segment is its key's.
        const segments = rows.map((r) => String(r.segment));
        expect(segments.slice(0, segments.filter((x) => x === 'all').length).every((x) => x === 'all')).toBe(
          true,
        );
        for (const row of rows) {
          const e = expected.get(String(row.row));
          expect(String(row.row).startsWith(`${row.segment}/`)).toBe(true);
          expect(row.loans).toBe(e?.loans.length);
          expect(cents(row.writtenOff)).toBe(e?.written);
          e?.byMonth.forEach((v, k) => {
            expect(cents(row[`m${k}`])).toBe(v);
          });
          // Without the grouping the row key is not the report's.
          expect(recoveryCellLoans(input, 'recovery-amount', String(row.row), 'loans')).toBe(null);
          expect(recoveryCellLoans({ ...input, by }, 'recovery-amount', String(row.row), 'loans')).toEqual(
            [...(e?.loans ?? [])].sort(),
          );
        }
        // A write-off month's segments add up to its `all` row, to the fen.
        for (const all of rows.filter((r) => r.segment === 'all')) {
          const parts = rows.filter((r) => r.segment !== 'all' && r.cohort === all.cohort);
          expect(parts.reduce((n, r) => n + Number(r.loans), 0)).toBe(all.loans);
          expect(parts.reduce((n, r) => n + cents(r.recovered), 0n)).toBe(cents(all.recovered));
        }
        // The summary is the whole book's, the same as without a grouping.
        expect(report.summary).toEqual(recoveryReport(input).summary);
      }),
      { numRuns: 100 },
    );
  });
});
