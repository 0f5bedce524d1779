import type { ApiClient } from '../api.js';
import type { ChartOption } from '../components/EChart.js';
import type { Locale } from '../money.js';

/**
 * Month-end reports as the server sends them (`GET /reports/{kind}`): every title, column and note comes in
 * both languages from the server, so the page only picks the reader's.
 */
export interface Label {
  en: string;
  zh: string;
}
export type Cell = string | number | null;
export interface ReportTable {
  name: string;
  label: Label;
  columns: { key: string; label: Label; type: string }[];
  rows: Record<string, Cell>[];
}
export interface Report {
  kind: string;
  asOf: string;
  title: Label;
  summary: { key: string; label: Label; type: string; value: Cell }[];
  tables: ReportTable[];
  notes: Label[];
}
export interface CellLoans {
  loans: number;
  loanIds: string[];
  truncated: boolean;
}

export const REPORT_VIEWS = [
  'classification',
  'roll-rates',
  'vintage',
  'ecl',
  'stress',
  'liquidity',
] as const;
export type ReportView = (typeof REPORT_VIEWS)[number];

export const labelIn = (label: Label, locale: Locale) => (locale === 'zh-CN' ? label.zh : label.en);

/** How the vintage page groups its curves: the whole book, or `?by=` product, channel or policy version. */
export const VINTAGE_GROUPINGS = ['all', 'product', 'channel', 'policy'] as const;
export type VintageGrouping = (typeof VINTAGE_GROUPINGS)[number];

export function isVintageGrouping(text: string | null): text is VintageGrouping {
  return (VINTAGE_GROUPINGS as readonly (string | null)[]).includes(text);
}

/**
 * A report; `by` (vintage and recovery only) asks the server for its segments, `all` for none. The ECL report
 * comes without its per-exposure table (a row for every loan of the book), which no page shows.
 */
export function loadReport(
  api: ApiClient,
  kind: string,
  asOf: string,
  by: VintageGrouping = 'all',
): Promise<Report> {
  const query: Record<string, string> = by === 'all' ? { asOf } : { asOf, by };
  return api.get<Report>(`/reports/${kind}`, kind === 'ecl' ? { ...query, omit: 'exposures' } : query);
}

/** The segments of a grouped table (its `segment` column) besides `all`, in the server's order. */
export function segmentsOf(table: ReportTable | undefined): string[] {
  const out: string[] = [];
  for (const r of table?.rows ?? []) {
    const s = r.segment;
    if (typeof s === 'string' && s !== 'all' && !out.includes(s)) out.push(s);
  }
  return out;
}

/** The rows of one segment of a grouped table. */
export function segmentTable(table: ReportTable, segment: string): ReportTable {
  return { ...table, rows: table.rows.filter((r) => r.segment === segment) };
}

export function loadCell(
  api: ApiClient,
  kind: string,
  asOf: string,
  table: string,
  row: string,
  column: string,
  by: VintageGrouping = 'all',
) {
  // A grouped vintage's drill-down names the same grouping as the report it drills into.
  return api.get<CellLoans>(
    `/reports/${kind}/cell`,
    by === 'all' ? { asOf, table, row, column } : { asOf, table, row, column, by },
  );
}

/** The vintage table the page draws and drills into: M2+ balance ÷ disbursed. */
export const VINTAGE_TABLE = 'vintage-m2';

/** The months-on-book columns of a vintage table (`mob0`, `mob1` …), in order. */
export function vintageMobs(table: ReportTable): string[] {
  return table.columns.filter((c) => /^mob\d+$/.test(c.key)).map((c) => c.key);
}

/** The cohorts a segment's vintage curves draw: its latest `cohorts_max` draw months, one line each. */
export function vintageCurveRows(table: ReportTable, segment: string, cohorts_max: number) {
  return table.rows.filter((r) => r.segment === segment).slice(-cohorts_max);
}

export function tableOf(report: Report | null, name: string): ReportTable | undefined {
  return report?.tables.find((t) => t.name === name);
}

/** The month end before a business day (YYYY-MM-DD): the latest a month-end report can describe. */
export function lastMonthEndBefore(day: string): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1, 0));
  return d.toISOString().slice(0, 10);
}

/** "0.012345" → "1.23%" for display only (the figure itself stays the server's string). */
export function percent(value: Cell): string {
  if (value === null || value === undefined) return '—';
  return `${(Number(value) * 100).toFixed(2)}%`;
}

export const TARGETS = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'out'] as const;
export const FROM = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7'] as const;

/** The roll-rate matrix as a heat map: from-bucket rows × to-bucket columns, the share in each cell. */
export function rollRateHeatmap(table: ReportTable, outLabel: string): ChartOption {
  const data: [number, number, number][] = [];
  FROM.forEach((from, y) => {
    const row = table.rows.find((r) => r.from === from);
    TARGETS.forEach((to, x) => {
      const v = row?.[to];
      data.push([x, y, v === null || v === undefined ? 0 : Number(v)]);
    });
  });
  return {
    tooltip: {
      formatter: (p: { value: [number, number, number] }) =>
        `${FROM[p.value[1]]} → ${TARGETS[p.value[0]] === 'out' ? outLabel : TARGETS[p.value[0]]}: ${(p.value[2] * 100).toFixed(2)}%`,
    },
    grid: { left: 48, right: 16, top: 16, bottom: 72 },
    xAxis: {
      type: 'category',
      data: TARGETS.map((t) => (t === 'out' ? outLabel : t)),
      splitArea: { show: true },
    },
    yAxis: { type: 'category', data: [...FROM], inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max: 1, calculable: true, orient: 'horizontal', left: 'center', bottom: 8 },
    series: [
      {
        type: 'heatmap',
        data,
        label: {
          show: true,
          formatter: (p: { value: [number, number, number] }) => (p.value[2] * 100).toFixed(1),
        },
      },
    ],
  };
}

/** Vintage curves: one line per draw month of the whole book, MOB on the x axis. */
export function vintageCurves(table: ReportTable, segment: string, cohorts_max: number): ChartOption {
  const rows = vintageCurveRows(table, segment, cohorts_max);
  const mobs = vintageMobs(table);
  return {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 56, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', data: mobs.map((m) => m.toUpperCase()) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${(v * 100).toFixed(1)}%` } },
    series: rows.map((r) => ({
      name: String(r.cohort),
      type: 'line',
      connectNulls: false,
      data: mobs.map((m) => (r[m] === null || r[m] === undefined ? null : Number(r[m]))),
    })),
  };
}

/** Recovery curves after write-off: one line per write-off month, cumulative recovered ÷ written off by M+k. */
export function recoveryCurves(table: ReportTable, cohorts_max: number): ChartOption {
  const rows = table.rows.slice(-cohorts_max);
  const months = table.columns.filter((c) => /^m\d+$/.test(c.key)).map((c) => c.key);
  return {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 56, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', data: months.map((m) => `M+${m.slice(1)}`) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${(v * 100).toFixed(1)}%` } },
    series: rows.map((r) => ({
      name: String(r.cohort),
      type: 'line',
      connectNulls: false,
      data: months.map((m) => (r[m] === null || r[m] === undefined ? null : Number(r[m]))),
    })),
  };
}

/** The NPL ratio beside the 90+ DPD ratio, month by month. */
export function nplTrend(table: ReportTable, names: { npl: string; dpd90: string }): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 56, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: table.rows.map((r) => String(r.month).slice(0, 7)) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${(v * 100).toFixed(1)}%` } },
    series: [
      { name: names.npl, type: 'line', data: table.rows.map((r) => Number(r.nplRatio ?? 0)) },
      { name: names.dpd90, type: 'line', data: table.rows.map((r) => Number(r.dpd90Ratio ?? 0)) },
    ],
  };
}

/** A money cell ("1234.56") as a number of yuan, for charts only (tables show the server's string). */
const yuan = (v: Cell | undefined): number => (v === null || v === undefined ? 0 : Number(v));

/** ECL and EAD by IFRS 9 stage (the `stages` table): the stage split beside the allowance per stage. */
export function eclByStage(
  table: ReportTable,
  names: { ead: string; ecl: string; stage: string },
): ChartOption {
  const stages = table.rows.map((r) => `${names.stage} ${r.stage}`);
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 80, right: 80, top: 24, bottom: 48 },
    xAxis: { type: 'category', data: stages },
    yAxis: [
      { type: 'value', name: names.ead },
      { type: 'value', name: names.ecl },
    ],
    series: [
      { name: names.ead, type: 'bar', data: table.rows.map((r) => yuan(r.ead)) },
      { name: names.ecl, type: 'bar', yAxisIndex: 1, data: table.rows.map((r) => yuan(r.ecl)) },
    ],
  };
}

/**
 * The provision roll-forward as a waterfall: opening and closing as full bars, each movement floating from
 * the running total (an invisible base bar under a rise or a fall).
 */
export function rollForwardWaterfall(
  table: ReportTable,
  movementLabel: (movement: string) => string,
  names: { rise: string; fall: string },
): ChartOption {
  const categories: string[] = [];
  const base: number[] = [];
  const rise: (number | string)[] = [];
  const fall: (number | string)[] = [];
  let running = 0;
  for (const r of table.rows) {
    const movement = String(r.movement);
    const v = yuan(r.total);
    categories.push(movementLabel(movement));
    if (movement === 'opening' || movement === 'closing') {
      base.push(0);
      rise.push(v);
      fall.push('-');
      running = v;
    } else if (v >= 0) {
      base.push(running);
      rise.push(v);
      fall.push('-');
      running += v;
    } else {
      running += v;
      base.push(running);
      rise.push('-');
      fall.push(-v);
    }
  }
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0, data: [names.rise, names.fall] },
    grid: { left: 80, right: 16, top: 16, bottom: 64 },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: 20 } },
    yAxis: { type: 'value' },
    series: [
      {
        type: 'bar',
        stack: 'waterfall',
        itemStyle: { color: 'transparent' },
        emphasis: { disabled: true },
        tooltip: { show: false },
        data: base,
      },
      { name: names.rise, type: 'bar', stack: 'waterfall', data: rise, itemStyle: { color: '#cf1322' } },
      { name: names.fall, type: 'bar', stack: 'waterfall', data: fall, itemStyle: { color: '#389e0d' } },
    ],
  };
}

/** Stress results: ECL and 12-month losses under each scenario, beside the weighted ECL as a line. */
export function stressBars(
  table: ReportTable,
  weightedEcl: Cell,
  names: { ecl: string; loss: string; weighted: string },
): ChartOption {
  const scenarios = table.rows.map((r) => String(r.scenario));
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 80, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: scenarios },
    yAxis: { type: 'value' },
    series: [
      { name: names.ecl, type: 'bar', data: table.rows.map((r) => yuan(r.ecl)) },
      { name: names.loss, type: 'bar', data: table.rows.map((r) => yuan(r['loss-12m'])) },
      {
        name: names.weighted,
        type: 'line',
        symbol: 'none',
        data: scenarios.map(() => yuan(weightedEcl)),
      },
    ],
  };
}

/** Liquidity by month: expected cash-in under each scenario as lines, funding outflows as bars. */
export function liquidityChart(table: ReportTable, names: { outflows: string; cashIn: string }): ChartOption {
  const scenarios = table.columns.filter((c) => c.key.startsWith('cash-in-')).map((c) => c.key.slice(8));
  return {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 80, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: table.rows.map((r) => String(r.period)) },
    yAxis: { type: 'value' },
    series: [
      { name: names.outflows, type: 'bar', data: table.rows.map((r) => yuan(r.outflows)) },
      ...scenarios.map((id) => ({
        name: `${names.cashIn}: ${id}`,
        type: 'line',
        data: table.rows.map((r) => yuan(r[`cash-in-${id}`])),
      })),
    ],
  };
}
