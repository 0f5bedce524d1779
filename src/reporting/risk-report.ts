/**
 * The monthly risk report (月度风险报告): one document for a month end, in one language, drawn from the
 * reports the frame computes — portfolio, five-category classification and NPL, roll rates, vintages, IFRS 9
 * ECL, stress tests and liquidity. Pure: it selects, labels and formats what those reports hold and computes
 * no figure of its own, so every number in the HTML and the PDF is a number of a report the API serves.
 */
import { invariant } from '../money/index.js';
import type { Label, Report, ReportCell, ReportFigure, ReportTable, ReportValueType } from './report.js';

export type RiskReportLocale = 'zh-CN' | 'en';

/** The reports a risk report is drawn from, all for the same month end. */
export interface RiskReportInput {
  readonly classification: Report;
  readonly npl: Report;
  readonly rollRates: Report;
  readonly vintage: Report;
  readonly ecl: Report;
  readonly stress: Report;
  readonly liquidity: Report;
}

export interface RiskFigure {
  readonly key: string;
  readonly label: string;
  /** Formatted for print ("125,935.80", "10.84%"). */
  readonly text: string;
}

export interface RiskTable {
  readonly title: string;
  readonly columns: readonly { readonly label: string; readonly numeric: boolean }[];
  /** Formatted cells, one array per row. */
  readonly rows: readonly (readonly string[])[];
}

/** A chart as data: categories on the x axis, one series of numbers per line or bar group. */
export interface RiskChart {
  readonly title: string;
  readonly kind: 'bar' | 'line';
  /** How the axis reads its values. */
  readonly unit: 'money' | 'ratio';
  readonly categories: readonly string[];
  /** Null where a figure does not exist (a flow rate from an empty bucket): a gap, not a zero. */
  readonly series: readonly { readonly name: string; readonly values: readonly (number | null)[] }[];
}

export interface RiskSection {
  readonly key: string;
  readonly title: string;
  readonly figures: readonly RiskFigure[];
  readonly charts: readonly RiskChart[];
  readonly tables: readonly RiskTable[];
  readonly notes: readonly string[];
}

export interface RiskReportDocument {
  readonly locale: RiskReportLocale;
  readonly asOf: string;
  readonly title: string;
  readonly sections: readonly RiskSection[];
}

/** Months of the NPL and flow-rate trends and draw months of vintage curves the report shows. */
export const RISK_TREND_MONTHS = 12;
export const RISK_VINTAGE_COHORTS = 6;

const ratioPattern = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Thousands separators on the whole part of a decimal string ("-1234567.80" → "-1,234,567.80"). */
export function groupDigits(text: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(text);
  if (m === null) return text;
  return `${m[1]}${(m[2] as string).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}

/** A ratio decimal string as a percentage with two places, rounded half-up exactly ("0.108422" → "10.84%"). */
export function percentText(text: string): string {
  const m = ratioPattern.exec(text);
  if (m === null) return text;
  // Hundredths of a percent = ratio × 10_000, from the digits, half-up on the next digit.
  const digits = `${m[3] ?? ''}000000`;
  const whole = BigInt(m[2] as string) * 10_000n + BigInt(digits.slice(0, 4));
  const rounded = whole + (Number(digits[4]) >= 5 ? 1n : 0n);
  const sign = m[1] === '-' && rounded !== 0n ? '-' : '';
  const s = rounded.toString().padStart(3, '0');
  return `${sign}${groupDigits(s.slice(0, -2))}.${s.slice(-2)}%`;
}

/** A report cell formatted for print by its type. */
export function cellText(value: ReportCell | undefined, type: ReportValueType): string {
  if (value === null || value === undefined || value === '') return '—';
  if (type === 'money') return groupDigits(String(value));
  if (type === 'ratio') return percentText(String(value));
  if (type === 'int') return groupDigits(String(value));
  return String(value);
}

const numberOf = (v: ReportCell | undefined): number => (v === null || v === undefined ? 0 : Number(v));
const pointOf = (v: ReportCell | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);

function pick(label: Label, locale: RiskReportLocale): string {
  return locale === 'zh-CN' ? label.zh : label.en;
}

function tableOf(report: Report, name: string): ReportTable | undefined {
  return report.tables.find((t) => t.name === name);
}

function figures(report: Report, keys: readonly string[] | null, locale: RiskReportLocale): RiskFigure[] {
  const chosen: ReportFigure[] =
    keys === null ? report.summary : keys.flatMap((k) => report.summary.filter((f) => f.key === k));
  return chosen.map((f) => ({
    key: `${report.kind}.${f.key}`,
    label: pick(f.label, locale),
    text: cellText(f.value, f.type),
  }));
}

interface TableChoice {
  readonly columns?: readonly string[];
  readonly rows?: (rows: ReportTable['rows']) => ReportTable['rows'];
  /** Replaces a column's values (a label by the reader's language, a code by its name). */
  readonly relabel?: Record<string, (row: ReportTable['rows'][number]) => string>;
}

function table(
  source: ReportTable | undefined,
  locale: RiskReportLocale,
  choice: TableChoice = {},
): RiskTable[] {
  if (source === undefined) return [];
  const columns =
    choice.columns === undefined
      ? source.columns
      : choice.columns.flatMap((k) => source.columns.filter((c) => c.key === k));
  const rows = choice.rows === undefined ? source.rows : choice.rows(source.rows);
  return [
    {
      title: pick(source.label, locale),
      columns: columns.map((c) => ({
        label: pick(c.label, locale),
        numeric: c.type !== 'text' && c.type !== 'date',
      })),
      rows: rows.map((r) =>
        columns.map((c) => {
          const relabel = choice.relabel?.[c.key];
          return relabel === undefined ? cellText(r[c.key], c.type) : relabel(r);
        }),
      ),
    },
  ];
}

const T = (locale: RiskReportLocale, en: string, zh: string) => (locale === 'zh-CN' ? zh : en);

const MOVEMENTS: Record<string, Label> = {
  opening: { en: 'Opening', zh: '期初余额' },
  'transfer-to-1': { en: 'Transfer to stage 1', zh: '转入第一阶段' },
  'transfer-to-2': { en: 'Transfer to stage 2', zh: '转入第二阶段' },
  'transfer-to-3': { en: 'Transfer to stage 3', zh: '转入第三阶段' },
  new: { en: 'New exposures', zh: '新增敞口' },
  derecognised: { en: 'Derecognised', zh: '终止确认' },
  'write-off': { en: 'Written off', zh: '核销' },
  remeasurement: { en: 'Remeasurement', zh: '重新计量' },
  closing: { en: 'Closing', zh: '期末余额' },
};

function portfolio(input: RiskReportInput, locale: RiskReportLocale): RiskSection {
  return {
    key: 'portfolio',
    title: T(locale, 'Portfolio', '资产组合概况'),
    figures: [
      ...figures(input.classification, ['loans', 'balance', 'restructured', 'overrides'], locale),
      ...figures(input.vintage, ['cohorts', 'loans', 'disbursed'], locale).map((f) => ({
        ...f,
        label: `${f.label} (${T(locale, 'vintages', '账龄分析')})`,
      })),
      ...figures(input.ecl, ['ead'], locale),
    ],
    charts: [],
    tables: [],
    notes: [],
  };
}

function classification(input: RiskReportInput, locale: RiskReportLocale): RiskSection {
  const trend = tableOf(input.npl, 'trend');
  const rows = (trend?.rows ?? []).slice(-RISK_TREND_MONTHS);
  return {
    key: 'classification',
    title: T(locale, 'Five-category classification and NPL', '五级分类与不良贷款'),
    figures: figures(input.classification, ['nplBalance', 'nplRatio', 'dpd90Balance', 'dpd90Ratio'], locale),
    charts:
      trend === undefined
        ? []
        : [
            {
              title: T(locale, 'NPL ratio beside the 90+ DPD ratio', '不良率与逾期90天以上占比'),
              kind: 'line',
              unit: 'ratio',
              categories: rows.map((r) => String(r.month).slice(0, 7)),
              series: [
                { name: T(locale, 'NPL ratio', '不良率'), values: rows.map((r) => numberOf(r.nplRatio)) },
                {
                  name: T(locale, '90+ DPD ratio', '逾期90天以上占比'),
                  values: rows.map((r) => numberOf(r.dpd90Ratio)),
                },
              ],
            },
          ],
    tables: [
      ...table(tableOf(input.classification, 'by-class'), locale, {
        columns: ['class', 'loans', 'balance', 'share'],
        relabel: { class: (r) => String(locale === 'zh-CN' ? r.classZh : r.classEn) },
      }),
      ...table(trend, locale, {
        columns: ['month', 'loans', 'balance', 'nplBalance', 'nplRatio', 'dpd90Balance', 'dpd90Ratio'],
        rows: (r) => r.slice(-RISK_TREND_MONTHS),
      }),
    ],
    notes: input.classification.notes.map((n) => pick(n, locale)),
  };
}

function rollRates(input: RiskReportInput, locale: RiskReportLocale): RiskSection {
  const flows = tableOf(input.rollRates, 'flow-rates');
  const rows = (flows?.rows ?? []).slice(-RISK_TREND_MONTHS);
  const lines = ['M0-M1', 'M1-M2', 'M2-M3', 'M3-M4'];
  return {
    key: 'roll-rates',
    title: T(locale, 'Roll rates and flow rates', '迁徙率与滚动率'),
    figures: figures(input.rollRates, null, locale),
    charts:
      flows === undefined
        ? []
        : [
            {
              title: T(locale, 'Flow rates between buckets, month by month', '各逾期档间的逐月滚动率'),
              kind: 'line',
              unit: 'ratio',
              categories: rows.map((r) => String(r.month).slice(0, 7)),
              series: lines.map((k) => ({ name: k, values: rows.map((r) => pointOf(r[k])) })),
            },
          ],
    tables: [
      ...table(tableOf(input.rollRates, 'matrix-count'), locale),
      ...table(flows, locale, { rows: (r) => r.slice(-RISK_TREND_MONTHS) }),
    ],
    notes: input.rollRates.notes.map((n) => pick(n, locale)),
  };
}

function vintages(input: RiskReportInput, locale: RiskReportLocale): RiskSection {
  const m2 = tableOf(input.vintage, 'vintage-m2');
  const all = (m2?.rows ?? []).filter((r) => r.segment === 'all');
  const shown = all.slice(-RISK_VINTAGE_COHORTS * 2);
  const curves = all.slice(-RISK_VINTAGE_COHORTS);
  const mobs = (m2?.columns ?? []).filter((c) => c.key.startsWith('mob')).map((c) => c.key);
  return {
    key: 'vintage',
    title: T(locale, 'Vintages', '账龄分析'),
    figures: figures(input.vintage, null, locale),
    charts:
      m2 === undefined
        ? []
        : [
            {
              title: T(
                locale,
                'Vintage curves: M2+ balance ÷ disbursed, by months on book',
                '账龄曲线:M2+余额 ÷ 放款金额(按账龄月)',
              ),
              kind: 'line',
              unit: 'ratio',
              categories: mobs.map((m) => m.toUpperCase()),
              series: curves.map((r) => ({
                name: String(r.cohort),
                values: mobs.map((m) => pointOf(r[m])),
              })),
            },
          ],
    tables: table(m2, locale, {
      columns: ['cohort', 'loans', 'disbursed', ...mobs],
      rows: () => shown,
    }),
    notes: input.vintage.notes.map((n) => pick(n, locale)),
  };
}

function ecl(input: RiskReportInput, locale: RiskReportLocale): RiskSection {
  const stages = tableOf(input.ecl, 'stages');
  const stageName = (s: ReportCell | undefined) =>
    T(locale, `Stage ${s}`, `第${['', '一', '二', '三'][Number(s)] ?? s}阶段`);
  return {
    key: 'ecl',
    title: T(locale, 'IFRS 9 expected credit loss', 'IFRS 9 预期信用损失'),
    figures: figures(input.ecl, null, locale),
    charts:
      stages === undefined
        ? []
        : [
            {
              title: T(locale, 'ECL by stage', '各阶段预期信用损失'),
              kind: 'bar',
              unit: 'money',
              categories: stages.rows.map((r) => stageName(r.stage)),
              series: [
                { name: T(locale, 'ECL', '预期信用损失'), values: stages.rows.map((r) => numberOf(r.ecl)) },
              ],
            },
          ],
    tables: [
      ...table(stages, locale),
      ...table(tableOf(input.ecl, 'roll-forward'), locale, {
        relabel: {
          movement: (r) =>
            pick(MOVEMENTS[String(r.movement)] ?? { en: String(r.movement), zh: String(r.movement) }, locale),
        },
      }),
      ...table(tableOf(input.ecl, 'scenarios'), locale),
    ],
    notes: input.ecl.notes.map((n) => pick(n, locale)),
  };
}

function stress(input: RiskReportInput, locale: RiskReportLocale): RiskSection {
  const results = tableOf(input.stress, 'scenarios');
  return {
    key: 'stress',
    title: T(locale, 'Stress tests', '压力测试'),
    figures: figures(input.stress, null, locale),
    charts:
      results === undefined
        ? []
        : [
            {
              title: T(
                locale,
                'ECL and 12-month losses under each scenario',
                '各情景下预期信用损失与12个月损失',
              ),
              kind: 'bar',
              unit: 'money',
              categories: results.rows.map((r) => String(r.scenario)),
              series: [
                { name: T(locale, 'ECL', '预期信用损失'), values: results.rows.map((r) => numberOf(r.ecl)) },
                {
                  name: T(locale, '12-month losses', '12个月损失'),
                  values: results.rows.map((r) => numberOf(r['loss-12m'])),
                },
              ],
            },
          ],
    tables: [
      ...table(results, locale, {
        columns: ['scenario', 'ecl', 'ecl-change', 'npl-12m', 'npl-ratio-12m', 'loss-12m', 'cash-in-12m'],
      }),
      ...table(results, locale, { columns: ['scenario', 'shocks'] }).map((t) => ({
        ...t,
        title: T(locale, 'Scenario shocks', '情景冲击'),
      })),
      // Present when the stress report was run with the simulator (report stress --simulate).
      ...table(tableOf(input.stress, 'simulated'), locale),
    ],
    notes: input.stress.notes.map((n) => pick(n, locale)),
  };
}

function liquidity(input: RiskReportInput, locale: RiskReportLocale): RiskSection {
  const months = tableOf(input.liquidity, 'months');
  const cashIn = (months?.columns ?? []).filter((c) => c.key.startsWith('cash-in-'));
  return {
    key: 'liquidity',
    title: T(locale, 'Liquidity', '流动性'),
    figures: figures(input.liquidity, null, locale),
    charts:
      months === undefined
        ? []
        : [
            {
              title: T(
                locale,
                'Expected cash-in by month against funding outflows',
                '按月预期回款与资金流出',
              ),
              kind: 'bar',
              unit: 'money',
              categories: months.rows.map((r) => String(r.period)),
              series: [
                ...cashIn.map((c) => ({
                  name: pick(c.label, locale),
                  values: months.rows.map((r) => numberOf(r[c.key])),
                })),
                {
                  name: T(locale, 'Funding outflows', '资金流出'),
                  values: months.rows.map((r) => numberOf(r.outflows)),
                },
              ],
            },
          ],
    tables: [
      ...table(months, locale, {
        columns: ['period', 'from', 'to', 'scheduled', ...cashIn.map((c) => c.key), 'outflows'],
      }),
      ...table(tableOf(input.liquidity, 'outflows'), locale, {}).filter((t) => t.rows.length > 0),
    ],
    notes: input.liquidity.notes.map((n) => pick(n, locale)),
  };
}

/** The monthly risk report of a month end in one language. */
export function buildRiskReport(input: RiskReportInput, locale: RiskReportLocale): RiskReportDocument {
  const asOf = input.classification.asOf;
  for (const r of Object.values(input)) {
    invariant(r.asOf === asOf, () => `risk report: the ${r.kind} report is as of ${r.asOf}, not ${asOf}`);
  }
  return {
    locale,
    asOf,
    title: T(locale, `Monthly risk report — ${asOf}`, `月度风险报告 — ${asOf}`),
    sections: [
      portfolio(input, locale),
      classification(input, locale),
      rollRates(input, locale),
      vintages(input, locale),
      ecl(input, locale),
      stress(input, locale),
      liquidity(input, locale),
    ],
  };
}
