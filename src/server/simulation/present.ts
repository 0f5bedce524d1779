import { formatMinor } from '../../money/index.js';
import { type Interval, METRICS, type SimulationReport } from '../../simulation/index.js';

/**
 * The lab's report as the API answers it: amounts as decimal strings of yuan (whole fen: means over
 * replications are rounded to the fen), ratios and counts as numbers, and for each of the three named
 * borrowers the months under every strategy side by side with the outcome at the end.
 */

export interface YuanInterval {
  readonly mean: string;
  readonly low: string;
  readonly high: string;
}

type Figures = Record<string, Interval | YuanInterval>;

const yuan = (fen: number) => formatMinor(Math.round(fen));
const yuanInterval = (i: Interval): YuanInterval => ({
  mean: yuan(i.mean),
  low: yuan(i.low),
  high: yuan(i.high),
});

/** `losses_fen` → `losses` in yuan; other figures as they are. */
function figures(metrics: Readonly<Record<string, Interval>>): Figures {
  const out: Figures = {};
  for (const k of METRICS) {
    const v = metrics[k]!;
    if (k.endsWith('_fen')) out[k.slice(0, -4)] = yuanInterval(v);
    else out[k] = v;
  }
  return out;
}

/** Money metric names as the API spells them (without `_fen`). */
export const API_METRICS: readonly string[] = METRICS.map((k) => (k.endsWith('_fen') ? k.slice(0, -4) : k));
export const MONEY_METRICS: ReadonlySet<string> = new Set(
  METRICS.filter((k) => k.endsWith('_fen')).map((k) => k.slice(0, -4)),
);

export function presentReport(report: SimulationReport) {
  const names = report.strategies.map((s) => s.name);
  const archetypeNames = report.archetypes[names[0]!]?.map((a) => a.name) ?? [];
  return {
    run: report.run,
    strategies: report.strategies.map((s) => ({
      name: s.name,
      metrics: figures(s.metrics),
      rollRates: s.rollRates,
      overTime: {
        nplRatio: s.overTime.nplRatio,
        dpd30Ratio: s.overTime.dpd30Ratio,
        outstanding: s.overTime.outstanding_fen.map(yuan),
        cashIn: s.overTime.cashIn_fen.map(yuan),
        writtenOff: s.overTime.writtenOff_fen.map(yuan),
      },
    })),
    difference:
      report.difference === null
        ? null
        : { a: report.difference.a, b: report.difference.b, metrics: figures(report.difference.metrics) },
    borrowers: archetypeNames.map((name, i) => ({
      name,
      description: report.archetypes[names[0]!]![i]!.description,
      strategies: names.map((strategy) => {
        const rows = report.archetypes[strategy]![i]!.rows;
        const last = rows.at(-1);
        const owed = rows.map((r) => r.daysPastDue);
        return {
          strategy,
          outcome: {
            approved: rows.some((r) => r.line !== 'none'),
            paid: yuan(rows.reduce((x, r) => x + r.paid_fen, 0)),
            owedAtEnd: yuan(last?.owed_fen ?? 0),
            monthsPastDue: owed.filter((d) => d > 0).length,
            worstDaysPastDue: Math.max(0, ...owed),
            lineAtEnd: last?.line ?? 'none',
            creditReportAtEnd: last?.creditReport ?? '-',
            assetClassAtEnd: last?.assetClass ?? '-',
          },
          months: rows.map((r) => ({
            month: r.month,
            income: yuan(r.income_fen),
            paid: yuan(r.paid_fen),
            owed: yuan(r.owed_fen),
            daysPastDue: r.daysPastDue,
            line: r.line,
            reminders: r.reminders,
            calls: r.calls,
            creditReport: r.creditReport,
            assetClass: r.assetClass,
            events: r.events,
            notes: r.notes,
          })),
        };
      }),
    })),
  };
}

export type PresentedComparison = ReturnType<typeof presentReport>;
