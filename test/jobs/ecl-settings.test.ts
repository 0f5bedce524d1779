import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBook } from '../../src/jobs/book.js';
import { eclRunOptions, loadReport, readEclSettingsFile } from '../../src/jobs/index.js';
import { computeEcl } from '../../src/jobs/reports/ecl.js';
import { addDays, parseDate } from '../../src/money/index.js';
import { parseEclLenderSettings } from '../../src/reporting/index.js';
import { type Db, setBusinessDay } from '../../src/store/index.js';
import { openMigratedPglite } from '../support/pglite-template.js';

const TODAY = parseDate('2026-06-15');
const AS_OF = parseDate('2026-05-31');
/** x × micro / 10^6, half-up to the fen, in exact integers. */
const times = (minor: number, micro: number) =>
  Number((BigInt(minor) * BigInt(micro) * 2n + 1_000_000n) / 2_000_000n);

describe("the lender's ECL settings", () => {
  const dir = mkdtempSync(join(tmpdir(), 'lg-ecl-settings-'));
  let db: Db;
  beforeAll(async () => {
    db = await openMigratedPglite();
    await writeBook(db, {
      seed: 23,
      customers: 40,
      loansPerCustomer_max: 3,
      drawFrom: addDays(TODAY, -420),
      drawTo: addDays(TODAY, -10),
      historyThrough: addDays(TODAY, -4),
    });
    await setBusinessDay(db, parseDate('2026-06-12'));
  }, 600_000);
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an LGD override, a CCF and the weights change the ECL as computed by hand', async () => {
    const file = join(dir, 'ecl.json');
    writeFileSync(
      file,
      JSON.stringify({
        lgdOverride: '0.5',
        ccf: '0.25',
        scenarioWeights: { base: '1', downturn: '0', pandemic: '0', 'rates-up': '0' },
      }),
    );
    const shipped = await computeEcl(db, AS_OF);
    const lender = await computeEcl(db, AS_OF, eclRunOptions(readEclSettingsFile(file)));
    expect(lender.rows.map((r) => r.exposureId)).toEqual(shipped.rows.map((r) => r.exposureId));

    // Undrawn limits: EAD = the limit not drawn × 0.25 (shipped: × 0.5), half-up to the fen.
    const undrawn = lender.rows.filter((r) => r.kind === 'undrawn' && r.balanceMinor > 0);
    expect(undrawn.length).toBeGreaterThan(0);
    for (const r of undrawn) {
      expect(r.ccf_micro).toBe(250_000);
      expect(r.eadMinor).toBe(times(r.balanceMinor, 250_000));
    }
    // Every exposure's LGD is the override; a credit-impaired one (PD 1) under the base scenario alone
    // (no LGD add-on) loses EAD × 0.5.
    expect(new Set(lender.rows.map((r) => r.lgd_micro))).toEqual(new Set([500_000]));
    const impaired = lender.rows.filter((r) => r.stage === 3 && r.kind === 'drawn');
    expect(impaired.length).toBeGreaterThan(0);
    for (const r of impaired) expect(r.eclMinor).toBe(times(r.eadMinor, 500_000));
    // The weighted run takes the scenarios with a weight: the base alone.
    expect(lender.model.scenarios.map((s) => [s.id, s.weight_micro])).toEqual([['base', 1_000_000]]);
    const total = (rows: readonly { eclMinor: number }[]) => rows.reduce((a, r) => a + r.eclMinor, 0);
    expect(total(lender.rows)).not.toBe(total(shipped.rows));

    // The report the lender reads measures the same.
    const report = await loadReport(db, 'ecl', { asOf: '2026-05-31' }, undefined, {
      ecl: eclRunOptions(readEclSettingsFile(file)),
    });
    const ecl = report.summary.find((f) => f.key === 'ecl')?.value;
    expect(ecl).toBe((total(lender.rows) / 100).toFixed(2));
  });

  it('a higher LGD floor leaves no estimated LGD below it', async () => {
    const options = eclRunOptions(parseEclLenderSettings({ lgdFloor: '0.95' }));
    const { model } = await computeEcl(db, AS_OF, options);
    const estimates = [model.lgd.pooled, ...model.lgd.bySegment.values()];
    // The floor bounds what the workouts estimate; a segment without workouts keeps the no-data LGD.
    for (const e of estimates) {
      if (e.source !== 'no-data') expect(e.lgd_micro, e.segment).toBeGreaterThanOrEqual(950_000);
    }
  });

  it('refuses settings that are not valid, saying which and why', () => {
    expect(() => parseEclLenderSettings({ ccf: '1.5' })).toThrow(/ccf: "1.5" must be from 0 to 1/);
    expect(() => parseEclLenderSettings({ ccf: 0.5 })).toThrow(/ccf.*not a decimal/);
    expect(() => parseEclLenderSettings({ lgd: '0.4' })).toThrow(/unknown setting "lgd"/);
    expect(() => parseEclLenderSettings({ scenarioWeights: { base: '0.6', downturn: '0.3' } })).toThrow(
      /sum to 0.9, not 1/,
    );
    expect(() => eclRunOptions(parseEclLenderSettings({ scenarioWeights: { base: '1' } }))).toThrow(
      /give a weight to every scenario; missing downturn, pandemic, rates-up/,
    );
    expect(() =>
      eclRunOptions(parseEclLenderSettings({ scenarioWeights: { base: '0.5', boom: '0.5' } })),
    ).toThrow(/unknown scenario "boom"/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "ccf": ');
    expect(() => readEclSettingsFile(bad)).toThrow(/is not JSON/);
    expect(() => readEclSettingsFile(join(dir, 'none.json'))).toThrow(/cannot read the ECL settings file/);
  });
});
