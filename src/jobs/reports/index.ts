/** jobs/reports/: the report frame (loaders by kind), the month-end job, class overrides and the Excel export. */
export { type EclRunOptions, eclRunOptions, readEclSettingsFile } from './ecl-options.js';
export { ReportError } from './errors.js';
export {
  buildMonthEnd,
  ensureMonthEnds,
  monthEndOnOrBefore,
  monthEndsBack,
  type Progress,
} from './month-end.js';
export {
  loadMonthEndReports,
  MONTH_END_REPORT_KINDS,
  type MonthEndReportKind,
  type MonthEndReports,
} from './month-end-reports.js';
export {
  decideClassOverrideAs,
  decideClassOverrideIn,
  type OverrideActor,
  type OverrideProposal,
  overrideAudit,
  proposeClassOverride,
  proposeClassOverrideIn,
} from './overrides.js';
export {
  isReportKind,
  loadReport,
  loadReportCell,
  NPL_TREND_MONTHS,
  REPORT_LOADERS,
  type ReportCell,
  type ReportContext,
  type ReportLoader,
  reportLoader,
  requestMonthEnd,
} from './registry.js';
export { loadRiskReport, loadRiskReportInput, riskReportHtml, riskReportPdf } from './risk-report.js';
export { reportXlsxBuffer, writeReportXlsx, XLSX_SHEET_ROWS_MAX, type XlsxOptions } from './xlsx.js';
