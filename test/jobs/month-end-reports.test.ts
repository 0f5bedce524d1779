/**
 * The four month-end reports loaded at once (`report month-end`): each is the report loaded alone, figure for
 * figure, whether loaded side by side or one after another, on both backends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMonthEndReports, loadReport, MONTH_END_REPORT_KINDS } from '../../src/jobs/index.js';
import type { Db } from '../../src/store/index.js';
import { backends } from '../store/backends.js';
import { eclBook } from './report-book.js';

describe.each(backends)('on $name', (backend) => {
  let db: Db;

  beforeAll(async () => {
    db = await eclBook(() => backend.open());
  }, 600_000);
  afterAll(async () => {
    await db?.close();
  });

  it('gives each report as loaded alone, at once or one after another', async () => {
    const together = await loadMonthEndReports(db, '2026-06-30');
    expect(together.monthEnd).toBe('2026-06-30');
    expect(Object.keys(together.reports)).toEqual([...MONTH_END_REPORT_KINDS]);
    const inTurn = await loadMonthEndReports(db, '2026-06-30', undefined, undefined, { concurrent: false });
    for (const kind of MONTH_END_REPORT_KINDS) {
      const alone = JSON.stringify(await loadReport(db, kind, { asOf: '2026-06-30' }));
      expect(JSON.stringify(together.reports[kind])).toBe(alone);
      expect(JSON.stringify(inTurn.reports[kind])).toBe(alone);
    }
    expect(together.reports.ecl.tables.some((t) => t.name === 'exposures' && t.rows.length > 100)).toBe(true);
  }, 600_000);

  it('describes the month end before a day within a month, the ECL too', async () => {
    const { monthEnd, reports } = await loadMonthEndReports(db, '2026-06-15');
    expect(monthEnd).toBe('2026-05-31');
    for (const kind of MONTH_END_REPORT_KINDS) {
      expect(reports[kind].asOf).toBe('2026-05-31');
      expect(JSON.stringify(reports[kind])).toBe(
        JSON.stringify(await loadReport(db, kind, { asOf: monthEnd })),
      );
    }
  }, 600_000);
});
