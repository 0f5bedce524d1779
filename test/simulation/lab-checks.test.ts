import { describe, expect, it } from 'vitest';
import {
  closedIndustries,
  eclByMonth,
  rollRates,
  traceArchetypes,
  vintageCurves,
} from '../../src/simulation/index.js';
import { context, pandemic, riskyPopulation, run, total } from './lab-helpers.js';

/**
 * The strategy lab's checks: what the simulated book must show under the scenarios and strategies the
 * lab exists to compare. Small populations, so that they run in seconds.
 */
describe('strategy lab checks', () => {
  it('a pandemic raises defaults in the closed industries and leaves every other industry exactly as it was', async () => {
    const population = riskyPopulation();
    const base = await run(context('default', 12, population), 160);
    const shocked = await run(context('default', 12, population, pandemic()), 160);
    const closed = closedIndustries(pandemic());
    expect(closed).toEqual(['catering', 'tourism']);
    let closedBase = 0;
    let closedShock = 0;
    for (const [industry, b] of Object.entries(base.byIndustry)) {
      const s = shocked.byIndustry[industry]!;
      if (closed.includes(industry)) {
        closedBase += b.defaulted_fen + b.writtenOff_fen;
        closedShock += s.defaulted_fen + s.writtenOff_fen;
      } else {
        // Borrowers outside the closed industries meet the same draws and the same economy.
        expect(s, industry).toEqual(b);
      }
    }
    expect(closedShock).toBeGreaterThan(closedBase);
  });

  it("requiring statements from every business owner changes 张三's path: refused instead of booked", async () => {
    const months = 10;
    const [zhangDefault] = await traceArchetypes(context('default', months), 3);
    const [zhangStatements] = await traceArchetypes(context('statements', months), 3);
    expect(zhangDefault!.name).toBe('张三');
    expect(zhangDefault!.rows[0]!.events[0]).toMatch(/^decision approve/);
    expect(zhangStatements!.rows[0]!.events[0]).toMatch(/^decision (refer|decline)/);
    expect(zhangStatements!.rows.every((r) => r.owed_fen === 0 && r.line === 'none')).toBe(true);
    expect(zhangDefault!.rows.some((r) => r.owed_fen > 0)).toBe(true);
    // 李四 has statements: the stricter policy does not change his path.
    const [, liDefault] = await traceArchetypes(context('default', months), 3);
    const [, liStatements] = await traceArchetypes(context('statements', months), 3);
    expect(liStatements).toEqual(liDefault);
  });

  it('freezing lines at the first missed day lowers losses and provisions against freezing only at M4', async () => {
    const population = riskyPopulation();
    const freezeCtx = context('default', 18, population);
    const lateCtx = context('no-freeze', 18, population);
    const freeze = await run(freezeCtx, 160, 11);
    const late = await run(lateCtx, 160, 11);
    // Losses to date (written off less recovered) and the provision for those still on the book (the
    // reporting core's ECL at the last month end).
    const losses = (t: typeof freeze, ctx: typeof freezeCtx) =>
      total(t.series.writtenOff_fen) -
      total(t.series.recovered_fen) +
      eclByMonth(t, ctx.strategy.ecl, ctx.startDay)[t.months - 1]!;
    expect(total(freeze.series.drawsRefused)).toBeGreaterThan(total(late.series.drawsRefused));
    expect(total(freeze.series.disbursed_fen)).toBeLessThan(total(late.series.disbursed_fen));
    expect(total(freeze.series.defaulted_fen)).toBeLessThan(total(late.series.defaulted_fen));
    expect(losses(freeze, freezeCtx)).toBeLessThan(losses(late, lateCtx));
  });

  it("the baseline's monthly roll rates and vintage curves fall in the ranges docs/simulation.md documents", async () => {
    const t = await run(context('default', 18), 240, 5);
    const rolls = rollRates(t);
    expect(rolls['M0→M1']).toBeGreaterThanOrEqual(0.002);
    expect(rolls['M0→M1']).toBeLessThanOrEqual(0.06);
    expect(rolls['M1→M2']).toBeGreaterThanOrEqual(0.1);
    expect(rolls['M1→M2']).toBeLessThanOrEqual(0.8);
    // The reporting core's vintage (M2+ balance ÷ disbursed by months on book): a share, at most 1.
    const curves = vintageCurves(t);
    for (const curve of curves) for (const x of curve) expect(x).toBeGreaterThanOrEqual(0);
    const at12 = curves.filter((c) => c.length > 12).map((c) => c[12]!);
    expect(at12.length).toBeGreaterThan(0);
    for (const x of at12) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(0.15);
    }
    const last = t.months - 1;
    const dpd90 = t.series.dpd90_fen[last]! / t.series.outstanding_fen[last]!;
    expect(dpd90).toBeLessThanOrEqual(0.06);
  });
});
