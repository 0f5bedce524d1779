import type { Day } from '../../money/index.js';
import {
  buildEclModel,
  buildLiquidityReport,
  DEFAULT_ECL_SETTINGS,
  type EclModel,
  type EclSettings,
  LIQUIDITY_MONTHS,
  type LiquidityProjection,
  lastDayOfMonthKey,
  monthKeyOfDay,
  projectLiquidity,
  type Report,
  type Scenario,
  type ScheduledCash,
} from '../../reporting/index.js';
import { listFundingOutflows, type Queryable } from '../../store/index.js';
import { type BookAsOf, balanceAt, bucketAt, loadBookAsOf, receivable } from './book-inputs.js';
import { requestClosedDay } from './closed-day.js';
import type { EclRunOptions } from './ecl-options.js';
import type { ReportLoader } from './loader.js';
import { checkScenarioKnown, loadScenarioPack, type ScenarioPack } from './scenarios.js';

/** Each live loan's instalments after `asOf` and its arrears (receivables beyond the principal not yet due). */
export function scheduledCash(book: BookAsOf): ScheduledCash[] {
  const out: ScheduledCash[] = [];
  for (const loan of book.loans) {
    if (loan.settledDay !== null && loan.settledDay <= book.asOf) continue;
    if (loan.writtenOffDay !== null && loan.writtenOffDay <= book.asOf) continue;
    const future = loan.row.plan.filter((p) => p.dueDay > book.asOf);
    const owed = balanceAt(loan, book.asOf, receivable);
    if (owed <= 0) continue;
    const notDue = future.reduce((a, p) => a + p.principalMinor, 0);
    out.push({
      loanId: loan.row.loanId,
      segment: loan.row.productId,
      bucket: bucketAt(loan, book.asOf),
      borrower: { occupation: loan.row.occupation, industry: loan.row.industry },
      instalments: future.map((p) => ({ dueDay: p.dueDay, amountMinor: p.totalMinor })),
      arrearsMinor: Math.max(0, owed - notDue),
    });
  }
  return out;
}

/** The projection under every scenario of the pack (or the one asked for). */
export async function computeLiquidity(
  q: Queryable,
  book: BookAsOf,
  model: EclModel,
  scenarios: readonly Scenario[],
): Promise<{ projection: LiquidityProjection; outflows: Awaited<ReturnType<typeof listFundingOutflows>> }> {
  const horizonEnd = lastDayOfMonthKey(monthKeyOfDay(book.asOf) + LIQUIDITY_MONTHS);
  const outflows = await listFundingOutflows(q, book.asOf + 1, horizonEnd);
  return {
    projection: projectLiquidity(model, book.asOf, scheduledCash(book), scenarios, outflows),
    outflows,
  };
}

export function modelOf(
  book: BookAsOf,
  pack: ScenarioPack,
  settings: EclSettings = DEFAULT_ECL_SETTINGS,
): EclModel {
  return buildEclModel({
    asOf: book.asOf,
    paths: book.paths,
    workouts: book.workouts,
    segments: book.segments,
    scenarios: pack.scenarios,
    sensitivities: pack.sensitivities,
    settings,
  });
}

export async function liquidityReport(
  q: Queryable,
  asOf: Day,
  scenario?: string,
  options: EclRunOptions = {},
): Promise<Report> {
  const pack = options.pack ?? loadScenarioPack();
  checkScenarioKnown(pack, scenario);
  const book = await loadBookAsOf(q, asOf);
  const model = modelOf(book, pack, options.settings);
  const chosen = scenario === undefined ? pack.scenarios : pack.scenarios.filter((s) => s.id === scenario);
  const { projection, outflows } = await computeLiquidity(q, book, model, chosen);
  return buildLiquidityReport({
    asOf,
    model,
    projection,
    outflows,
    ...(scenario === undefined ? {} : { scenario }),
  });
}

export const liquidityLoader: ReportLoader = {
  kind: 'liquidity',
  async load(db, request, progress, context) {
    progress?.(0, 1);
    const day = await requestClosedDay(db, request);
    const report = await liquidityReport(db, day, request.scenario, context?.ecl);
    progress?.(1, 1);
    return report;
  },
};
