import { type Day, formatDate } from '../../money/index.js';
import {
  buildEclModel,
  buildEclReport,
  DEFAULT_ECL_SETTINGS,
  type EclModel,
  type EclRow,
  lastDayOfMonthKey,
  measureEcl,
  monthKeyOfDay,
  provisionRollForward,
  type Report,
  type RollForward,
} from '../../reporting/index.js';
import { listEclRunExposures, type Queryable } from '../../store/index.js';
import { type BookAsOf, loadBookAsOf, loadEclBookAsOf, writtenOffBetween } from './book-inputs.js';
import { requestClosedDay } from './closed-day.js';
import type { EclRunOptions } from './ecl-options.js';
import type { ReportLoader } from './loader.js';
import { loadScenarioPack, withScenarioCertain } from './scenarios.js';

export interface EclRun {
  readonly book: BookAsOf;
  readonly model: EclModel;
  readonly rows: readonly EclRow[];
}

export type { EclRunOptions } from './ecl-options.js';

/**
 * Loads the book through `asOf`, estimates the model from it and measures every exposure. The book is replayed
 * whole by default (the stress and liquidity reports read every loan's plan and journal from it); the ECL
 * report and its posting read it as loadEclBookAsOf does, from the built month end where there is one.
 */
export async function computeEcl(
  q: Queryable,
  asOf: Day,
  options: EclRunOptions = {},
  loadBook: (q: Queryable, asOf: Day) => Promise<BookAsOf> = loadBookAsOf,
): Promise<EclRun> {
  const pack = options.pack ?? loadScenarioPack();
  const book = await loadBook(q, asOf);
  const model = buildEclModel({
    asOf,
    paths: book.paths,
    workouts: book.workouts,
    segments: book.segments,
    scenarios: pack.scenarios,
    sensitivities: pack.sensitivities,
    settings: options.settings ?? DEFAULT_ECL_SETTINGS,
  });
  return { book, model, rows: measureEcl(model, book.exposures) };
}

/** The previous month's last day. */
export function previousMonthEnd(asOf: Day): Day {
  return lastDayOfMonthKey(monthKeyOfDay(asOf) - 1);
}

/** The roll-forward from the stored run of the previous month end, or null when there is none. */
export async function rollForwardFromStored(q: Queryable, run: EclRun): Promise<RollForward | null> {
  const prior = previousMonthEnd(run.book.asOf);
  const opening = await listEclRunExposures(q, prior);
  const { rows } = await q.query<{ n: number }>(
    'select count(*)::int as n from ecl_runs where month_end = $1::date',
    [formatDate(prior)],
  );
  if ((rows[0]?.n ?? 0) === 0) return null;
  return provisionRollForward(
    opening.map((e) => ({ exposureId: e.exposureId, stage: e.stage, eclMinor: e.eclMinor })),
    run.rows.map((r) => ({ exposureId: r.exposureId, stage: r.stage, eclMinor: r.eclMinor })),
    writtenOffBetween(run.book, prior, run.book.asOf),
  );
}

export async function eclReport(
  q: Queryable,
  asOf: Day,
  scenario?: string,
  options: EclRunOptions = {},
): Promise<Report> {
  const pack = withScenarioCertain(options.pack ?? loadScenarioPack(), scenario);
  const run = await computeEcl(q, asOf, { ...options, pack }, loadEclBookAsOf);
  const report = buildEclReport({
    asOf,
    model: run.model,
    rows: run.rows,
    rollForward: await rollForwardFromStored(q, run),
  });
  return scenario === undefined ? report : { ...report, scenario };
}

export const eclLoader: ReportLoader = {
  kind: 'ecl',
  async load(db, request, progress, context) {
    progress?.(0, 1);
    const day = await requestClosedDay(db, request);
    const report = await eclReport(db, day, request.scenario, context?.ecl);
    progress?.(1, 1);
    return report;
  },
};
