import {
  addDays,
  counted,
  type Day,
  divideRounded,
  formatDate,
  formatMinor,
  invariant,
  parseDate,
} from '../money/index.js';
import type { EclModel } from './ecl/ecl.js';
import { col, fig, l } from './ecl/ecl-report.js';
import { formatMicro, MICRO_ONE, type Micro, mulMicro, ReportInputError } from './ecl/micro.js';
import { type BorrowerProfile, type Scenario, scenarioPdMultiplier } from './ecl/scenarios.js';
import {
  type MarkovState,
  markovStateOfBucket,
  POOLED_SEGMENT,
  stateDistribution,
} from './ecl/transitions.js';
import { firstDayOfMonthKey, lastDayOfMonthKey, monthKeyOfDay } from './months.js';
import type { Report, ReportTable } from './report.js';

/**
 * Expected cash-in (liquidity, item 6 of the risk reports): each live loan's instalments still to fall due,
 * and what it owes now (arrears), weighted by the probability that it is paid. The probability that an
 * instalment due t months ahead is paid is the chance that the loan is current (M0) or closed (C) at that
 * month end under its segment's monthly chain; arrears are collected in the first week with the chance of a
 * cure or settlement within one month. A loan already in default pays nothing in the projection (recoveries
 * are not projected). A scenario scales the chance of not paying by its PD multiplier for the borrower.
 */
export interface ScheduledCash {
  readonly loanId: string;
  readonly segment: string;
  readonly bucket: string;
  readonly borrower: BorrowerProfile;
  /** Future instalments (due after the as-of day) and their amounts. */
  readonly instalments: readonly { readonly dueDay: Day; readonly amountMinor: number }[];
  /** What is owed and unpaid now. */
  readonly arrearsMinor: number;
}

export interface FundingOutflow {
  readonly day: Day;
  readonly amountMinor: number;
  readonly label: string;
}

export const LIQUIDITY_WEEKS = 13;
export const LIQUIDITY_MONTHS = 12;

export interface LiquidityPeriod {
  readonly key: string;
  readonly from: Day;
  readonly to: Day;
}

/** Weeks 1…13 after the as-of day, and the 12 calendar months after its month. */
export function liquidityPeriods(asOf: Day): { weeks: LiquidityPeriod[]; months: LiquidityPeriod[] } {
  const weeks = Array.from({ length: LIQUIDITY_WEEKS }, (_, i) => ({
    key: `W${i + 1}`,
    from: addDays(asOf, 7 * i + 1),
    to: addDays(asOf, 7 * (i + 1)),
  }));
  const first = monthKeyOfDay(asOf) + 1;
  const months = Array.from({ length: LIQUIDITY_MONTHS }, (_, i) => ({
    key: `M+${i + 1}`,
    from: i === 0 ? addDays(asOf, 1) : firstDayOfMonthKey(first + i),
    to: lastDayOfMonthKey(first + i),
  }));
  return { weeks, months };
}

/** The chance of payment t months ahead from a start state: P(M0 or C at month end t). */
export function paymentProbability(
  model: EclModel,
  segment: string,
  start: MarkovState,
  months: number,
): number {
  if (start === 'D') return 0;
  const matrix = model.transitions.bySegment.get(segment) ?? model.transitions.pooled;
  const v = stateDistribution(matrix, start, Math.max(1, months));
  return (v[0] as number) + (v[5] as number);
}

function toMicro(p: number): Micro {
  return Math.min(MICRO_ONE, Math.max(0, Math.round(p * MICRO_ONE)));
}

/** q under a scenario: 1 − min(1, (1 − q) × the borrower's PD multiplier). */
function stressed(q: Micro, multiplier: Micro): Micro {
  return MICRO_ONE - Math.min(MICRO_ONE, mulMicro(MICRO_ONE - q, multiplier));
}

export interface LiquidityProjection {
  readonly periods: { weeks: LiquidityPeriod[]; months: LiquidityPeriod[] };
  readonly scenarios: readonly string[];
  /** Per period key: scheduled fen, expected fen per scenario, outflows fen. */
  readonly rows: ReadonlyMap<
    string,
    { scheduledMinor: number; expectedMinor: Map<string, number>; outflowMinor: number }
  >;
}

export function projectLiquidity(
  model: EclModel,
  asOf: Day,
  loans: readonly ScheduledCash[],
  scenarios: readonly Scenario[],
  outflows: readonly FundingOutflow[],
): LiquidityProjection {
  const periods = liquidityPeriods(asOf);
  const all = [...periods.weeks, ...periods.months];
  // Exact sums in fen × 10⁶ per period and scenario; each period rounded once, half-up.
  const scheduled = new Map<string, number>(all.map((p) => [p.key, 0]));
  const exact = new Map<string, Map<string, bigint>>(
    all.map((p) => [p.key, new Map(scenarios.map((s) => [s.id, 0n]))]),
  );
  const cache = new Map<string, Micro>();
  const q = (segment: string, start: MarkovState, months: number): Micro => {
    const key = `${segment}|${start}|${months}`;
    let v = cache.get(key);
    if (v === undefined) {
      v = toMicro(
        paymentProbability(
          model,
          model.transitions.bySegment.has(segment) ? segment : POOLED_SEGMENT,
          start,
          months,
        ),
      );
      cache.set(key, v);
    }
    return v;
  };
  const periodsOf = (day: Day) => all.filter((p) => p.from <= day && day <= p.to);
  const asOfMonth = monthKeyOfDay(asOf);
  for (const loan of loans) {
    const start = markovStateOfBucket(loan.bucket);
    const multipliers = scenarios.map((s) => scenarioPdMultiplier(s, loan.borrower, model.sensitivities));
    const flows = [
      ...(loan.arrearsMinor > 0
        ? [{ dueDay: addDays(asOf, 1), amountMinor: loan.arrearsMinor, months: 1 }]
        : []),
      ...loan.instalments.map((i) => ({ ...i, months: monthKeyOfDay(i.dueDay) - asOfMonth })),
    ];
    for (const f of flows) {
      invariant(
        Number.isSafeInteger(f.amountMinor) && f.amountMinor >= 0,
        'a scheduled amount must be ≥ 0 fen',
      );
      const targets = periodsOf(f.dueDay);
      if (targets.length === 0) continue;
      const base = q(loan.segment, start, f.months);
      for (const p of targets) {
        scheduled.set(p.key, (scheduled.get(p.key) as number) + f.amountMinor);
        const byScenario = exact.get(p.key) as Map<string, bigint>;
        scenarios.forEach((s, i) => {
          const qs = stressed(base, multipliers[i] as Micro);
          byScenario.set(s.id, (byScenario.get(s.id) as bigint) + BigInt(f.amountMinor) * BigInt(qs));
        });
      }
    }
  }
  const rows = new Map<
    string,
    { scheduledMinor: number; expectedMinor: Map<string, number>; outflowMinor: number }
  >();
  for (const p of all) {
    const expected = new Map<string, number>();
    for (const [id, v] of exact.get(p.key) as Map<string, bigint>) {
      expected.set(id, Number(divideRounded(v, BigInt(MICRO_ONE), 'half-up')));
    }
    const out = outflows
      .filter((o) => p.from <= o.day && o.day <= p.to)
      .reduce((a, o) => a + o.amountMinor, 0);
    rows.set(p.key, {
      scheduledMinor: scheduled.get(p.key) as number,
      expectedMinor: expected,
      outflowMinor: out,
    });
  }
  return { periods, scenarios: scenarios.map((s) => s.id), rows };
}

function periodTable(
  name: string,
  label: [string, string],
  periods: LiquidityPeriod[],
  projection: LiquidityProjection,
): ReportTable {
  const ids = projection.scenarios;
  const cumulative = new Map(ids.map((id) => [id, 0]));
  return {
    name,
    label: l(label[0], label[1]),
    columns: [
      col('period', 'Period', '期间', 'text'),
      col('from', 'From', '起', 'date'),
      col('to', 'To', '止', 'date'),
      col('scheduled', 'Scheduled', '应收计划', 'money'),
      ...ids.map((id) => col(`cash-in-${id}`, `Expected cash-in: ${id}`, `预期回款:${id}`, 'money')),
      col('outflows', 'Funding outflows', '资金流出', 'money'),
      ...ids.map((id) => col(`net-${id}`, `Net: ${id}`, `净额:${id}`, 'money')),
      ...ids.map((id) => col(`cumulative-${id}`, `Cumulative net: ${id}`, `累计净额:${id}`, 'money')),
    ],
    rows: periods.map((p) => {
      const r = projection.rows.get(p.key) as {
        scheduledMinor: number;
        expectedMinor: Map<string, number>;
        outflowMinor: number;
      };
      const row: Record<string, string | number> = {
        period: p.key,
        from: formatDate(p.from),
        to: formatDate(p.to),
        scheduled: formatMinor(r.scheduledMinor),
      };
      for (const id of ids) row[`cash-in-${id}`] = formatMinor(r.expectedMinor.get(id) as number);
      row.outflows = formatMinor(r.outflowMinor);
      for (const id of ids) {
        const net = (r.expectedMinor.get(id) as number) - r.outflowMinor;
        row[`net-${id}`] = formatMinor(net);
        cumulative.set(id, (cumulative.get(id) as number) + net);
        row[`cumulative-${id}`] = formatMinor(cumulative.get(id) as number);
      }
      return row;
    }),
  };
}

export function buildLiquidityReport(input: {
  readonly asOf: Day;
  readonly model: EclModel;
  readonly projection: LiquidityProjection;
  readonly outflows: readonly FundingOutflow[];
  readonly scenario?: string;
}): Report {
  const { projection, model } = input;
  const months = projection.periods.months;
  const total = (id: string) =>
    months.reduce((a, p) => a + (projection.rows.get(p.key)?.expectedMinor.get(id) ?? 0), 0);
  const outflows = months.reduce((a, p) => a + (projection.rows.get(p.key)?.outflowMinor ?? 0), 0);
  const scheduled = months.reduce((a, p) => a + (projection.rows.get(p.key)?.scheduledMinor ?? 0), 0);
  const probabilities: ReportTable = {
    name: 'payment-probabilities',
    label: l('Chance of payment by bucket and months ahead', '按逾期档与月数的还款概率'),
    columns: [
      col('segment', 'Segment', '细分', 'text'),
      col('from', 'Bucket now', '当前逾期档', 'text'),
      ...[1, 3, 6, 12].map((m) => col(`m${m}`, `${counted(m, 'month')} ahead`, `${m}个月后`, 'ratio')),
    ],
    rows: [model.transitions.pooled, ...model.transitions.bySegment.values()].flatMap((m) =>
      (['M0', 'M1', 'M2', 'M3'] as const).map((from) => {
        const row: Record<string, string | number> = { segment: m.segment, from };
        for (const t of [1, 3, 6, 12])
          row[`m${t}`] = formatMicro(toMicro(paymentProbability(model, m.segment, from, t)));
        return row;
      }),
    ),
  };
  const outflowTable: ReportTable = {
    name: 'outflows',
    label: l('Funding outflows entered', '录入的资金流出'),
    columns: [
      col('day', 'Day', '日期', 'date'),
      col('label', 'What', '事项', 'text'),
      col('amount', 'Amount', '金额', 'money'),
    ],
    rows: input.outflows.map((o) => ({
      day: formatDate(o.day),
      label: o.label,
      amount: formatMinor(o.amountMinor),
    })),
  };
  const report: Report = {
    kind: 'liquidity',
    asOf: formatDate(input.asOf),
    title: l('Liquidity: expected cash-in against funding outflows', '流动性:预期回款与资金流出'),
    summary: [
      fig('scheduled-12m', 'Scheduled over 12 months', '未来12个月应收计划', 'money', formatMinor(scheduled)),
      ...projection.scenarios.map((id) =>
        fig(
          `cash-in-12m-${id}`,
          `Expected cash-in over 12 months: ${id}`,
          `未来12个月预期回款:${id}`,
          'money',
          formatMinor(total(id)),
        ),
      ),
      fig(
        'outflows-12m',
        'Funding outflows over 12 months',
        '未来12个月资金流出',
        'money',
        formatMinor(outflows),
      ),
    ],
    tables: [
      periodTable('weeks', ['By week', '按周'], projection.periods.weeks, projection),
      periodTable('months', ['By month', '按月'], months, projection),
      probabilities,
      outflowTable,
    ],
    notes: [
      l(
        'Each instalment is weighted by the chance that its loan is current or closed at that month end under its segment’s monthly chain; arrears by the chance of a cure within a month, in the first week; defaulted loans count nothing. A scenario multiplies the chance of not paying by its PD multiplier. Each period’s figure is rounded once, half-up to the fen.',
        '每期应收按所属细分月度迁移链在该月末处于正常或结清状态的概率加权;逾期欠款按一个月内转正常的概率计入第一周;已违约借据不计回款。情景按其违约概率乘数放大不还款概率。每期金额一次四舍五入到分。',
      ),
    ],
  };
  return input.scenario === undefined ? report : { ...report, scenario: input.scenario };
}

/** Funding outflows from a JSON list `[{ "day": "2026-07-15", "amount": "1000000.00", "label": "…" }]` or CSV `day,amount,label`. */
export function parseFundingOutflows(
  text: string,
  format: 'json' | 'csv',
): (FundingOutflow & { id: string })[] {
  const rows: { day: unknown; amount: unknown; label: unknown }[] = [];
  if (format === 'json') {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) throw new ReportInputError('funding outflows: a JSON list is expected');
    for (const r of parsed) rows.push(r as { day: unknown; amount: unknown; label: unknown });
  } else {
    const lines = text.split(/\r?\n/).filter((x) => x.trim() !== '');
    const header = (lines.shift() ?? '').split(',').map((h) => h.trim());
    if (header.join(',') !== 'day,amount,label')
      throw new ReportInputError('funding outflows: the CSV header must be day,amount,label');
    for (const line of lines) {
      const [day, amount, ...label] = line.split(',');
      rows.push({ day: day?.trim(), amount: amount?.trim(), label: label.join(',').trim() });
    }
  }
  return rows.map((r, i) => {
    const where = `funding outflow ${i + 1}`;
    if (
      typeof r.day !== 'string' ||
      typeof r.amount !== 'string' ||
      typeof r.label !== 'string' ||
      r.label === ''
    ) {
      throw new ReportInputError(`${where}: day, amount (a decimal string of yuan) and label are required`);
    }
    if (!/^\d{1,13}(\.\d{1,2})?$/.test(r.amount))
      throw new ReportInputError(`${where}: amount "${r.amount}" is not yuan with at most two places`);
    const [whole, frac = ''] = r.amount.split('.');
    const amountMinor = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
    if (amountMinor <= 0) throw new ReportInputError(`${where}: amount must be above 0`);
    const day = parseDate(r.day, `${where}.day`);
    return { id: `${r.day}:${i + 1}:${r.label}`.slice(0, 120), day, amountMinor, label: r.label };
  });
}
