/**
 * The four month-end reports of one month end (classification, roll rates, vintage, ECL) loaded at once: the
 * month ends they read are built first, once, then each report is loaded on its own connection of the pool
 * (three are summed by the database, the ECL's reads split between the database and this process), so the
 * server and this process work side by side instead of one report after another. Each report is the one
 * `loadReport` gives for the month end.
 */
import { formatDate } from '../../money/index.js';
import { type Report, ROLL_RATE_MONTHS, VINTAGE_COHORTS_MAX } from '../../reporting/index.js';
import type { Db } from '../../store/index.js';
import type { ReportContext } from './loader.js';
import { ensureMonthEnds, monthEndsBack, type Progress } from './month-end.js';
import { loadReport, requestMonthEnd } from './registry.js';

/** The month-end reports, in the order they are listed. */
export const MONTH_END_REPORT_KINDS = ['classification', 'roll-rates', 'vintage', 'ecl'] as const;
export type MonthEndReportKind = (typeof MONTH_END_REPORT_KINDS)[number];

export interface MonthEndReports {
  /** The month end every report describes (YYYY-MM-DD). */
  readonly monthEnd: string;
  readonly reports: Readonly<Record<MonthEndReportKind, Report>>;
}

/**
 * The four reports of the month end on or before `asOf` (refused as each report refuses: a date that is not
 * one, a month end not closed). The ECL report describes the month end too, as in the risk report.
 * `concurrent: false` loads them one after another (the same reports).
 */
export async function loadMonthEndReports(
  db: Db,
  asOf: string,
  progress?: Progress,
  context?: ReportContext,
  options: { concurrent?: boolean } = {},
): Promise<MonthEndReports> {
  const monthEnd = await requestMonthEnd(db, { asOf });
  // Built once, before the reports start: two reports building the same month end would race.
  await ensureMonthEnds(
    db,
    monthEndsBack(monthEnd, Math.max(VINTAGE_COHORTS_MAX, ROLL_RATE_MONTHS + 1)),
    'report',
    progress,
  );
  const request = { asOf: formatDate(monthEnd) };
  const load = (kind: MonthEndReportKind) => loadReport(db, kind, request, undefined, context);
  const loaded: Report[] = [];
  if (options.concurrent === false) for (const kind of MONTH_END_REPORT_KINDS) loaded.push(await load(kind));
  else loaded.push(...(await Promise.all(MONTH_END_REPORT_KINDS.map(load))));
  const reports = Object.fromEntries(MONTH_END_REPORT_KINDS.map((k, i) => [k, loaded[i] as Report]));
  return { monthEnd: request.asOf, reports: reports as Record<MonthEndReportKind, Report> };
}
