/**
 * A report as data: what `lendguard report <kind>` prints, `GET /reports/{kind}` returns, and the Excel, HTML
 * and PDF renderings draw. Every report kind builds one `Report` from loaded rows with a pure function in
 * reporting/; the shell only loads the rows (src/jobs/reports/) and renders.
 *
 * Money in rows is a decimal string in yuan with two places ("1234.50"), never a float; counts are integers;
 * ratios are decimal strings with as many places as the report states ("0.012345").
 */

/** The kinds the CLI and the API accept. */
export const REPORT_KINDS = [
  'classification',
  'npl',
  'roll-rates',
  'vintage',
  'recovery',
  'ecl',
  'stress',
  'liquidity',
  'credit-report',
] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** A text in both languages of the dashboard. */
export interface Label {
  en: string;
  zh: string;
}

export type ReportValueType = 'text' | 'int' | 'money' | 'ratio' | 'date';

export interface ReportColumn {
  key: string;
  label: Label;
  type: ReportValueType;
}

export type ReportCell = string | number | null;

export interface ReportTable {
  /** Stable identifier (an Excel sheet name, an API key): lower-case letters, digits and hyphens. */
  name: string;
  label: Label;
  columns: ReportColumn[];
  rows: Record<string, ReportCell>[];
}

export interface ReportFigure {
  key: string;
  label: Label;
  type: ReportValueType;
  value: ReportCell;
}

export interface Report {
  kind: ReportKind;
  /** The business date the report describes (YYYY-MM-DD); month-end reports use the month's last day. */
  asOf: string;
  /** The scenario a forward-looking report ran under, where it takes one. */
  scenario?: string;
  title: Label;
  /** Headline figures (the NPL ratio, total ECL …). */
  summary: ReportFigure[];
  tables: ReportTable[];
  /** Assumptions, parameters and caveats a reader needs. */
  notes: Label[];
}

/** What a caller asks of a report kind. */
export interface ReportRequest {
  asOf: string;
  scenario?: string;
  /** The segments of a vintage: product (the default), channel or policy; other kinds take none. */
  by?: string;
}
