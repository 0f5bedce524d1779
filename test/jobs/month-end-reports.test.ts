/**
 * The four month-end reports loaded at once (`report month-end`): each is the report loaded alone, figure for
 * figure, whether loaded side by side or one after another, on both backends; on a server also with the ECL
 * loaded by a worker thread of its own, whose refusals come back as the same errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadMonthEndReports,
  loadReport,
  MONTH_END_REPORT_KINDS,
  ReportError,
} from '../../src/jobs/index.js';
import { eclInThread } from '../../src/jobs/reports/ecl-thread.js';
import type { Db } from '../../src/store/index.js';
import { backends, TEST_PG_URL } from '../store/backends.js';
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
    if (backend.name === 'postgres') {
      const threaded = await loadMonthEndReports(db, '2026-06-30', undefined, undefined, {
        dbUrl: TEST_PG_URL,
      });
      for (const kind of MONTH_END_REPORT_KINDS)
        expect(JSON.stringify(threaded.reports[kind])).toBe(JSON.stringify(together.reports[kind]));
    }
  }, 600_000);

  it.runIf(backend.name === 'postgres')(
    "gives back the ECL thread's refusal as the error this thread meets",
    async () => {
      const request = { asOf: '2031-01-31' };
      const here = await loadReport(db, 'ecl', request).catch((e: unknown) => e);
      const there = await eclInThread(db, TEST_PG_URL, request).catch((e: unknown) => e);
      expect(here).toBeInstanceOf(ReportError);
      expect(there).toBeInstanceOf(ReportError);
      const shape = (e: ReportError) => ({
        code: e.code,
        status: e.status,
        message: e.message,
        field: e.field,
      });
      expect(shape(there as ReportError)).toEqual(shape(here as ReportError));
      // A server the thread cannot reach: refused, not hung.
      await expect(
        eclInThread(db, 'postgres://nobody@127.0.0.1:1/none', { asOf: '2026-06-30' }),
      ).rejects.toThrow();
    },
    120_000,
  );

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
