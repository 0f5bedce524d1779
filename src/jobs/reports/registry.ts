/**
 * The report frame: one loader per report kind. A loader loads the plain rows its kind needs, calls the pure
 * report function in reporting/ and returns the `Report`; the CLI, the API and the Excel export only render
 * it. A kind without a loader answers `report_not_available`.
 */
import { type Day, formatDate, startOfMonth } from '../../money/index.js';
import {
  applyOverrides,
  type ClassTotals,
  classCellLoans,
  classificationReportOf,
  classTotalsOfGroups,
  isVintageBy,
  type MonthEndLoan,
  type MonthRows,
  monthKeyOfDay,
  nplReport,
  REPORT_KINDS,
  type RecoveryInput,
  type Report,
  type ReportKind,
  type ReportRequest,
  ROLL_RATE_MONTHS,
  recoveryCellLoans,
  recoveryReportOf,
  recoveryTotals,
  rollRateCellLoans,
  rollRatesReportOf,
  transitionOfGroups,
  VINTAGE_COHORTS_MAX,
  VINTAGE_GROUPINGS,
  type VintageBy,
  type VintageInput,
  vintageCellLoans,
  vintageReportOf,
  vintageTotalsOfGroups,
} from '../../reporting/index.js';
import {
  approvedOverrides,
  classGroupSums,
  type Db,
  loadWriteOffRecoveries,
  monthBookSums,
  overriddenMonthEndLoans,
  readDrawnLoans,
  readMonthEnd,
  transitionSums,
  vintageBadSums,
  vintageCohortSums,
} from '../../store/index.js';
import { closedMonthEnd, requestDay } from './closed-day.js';
import { creditReportLoader } from './credit-report.js';
import { eclLoader } from './ecl.js';
import { ReportError } from './errors.js';
import { liquidityLoader } from './liquidity.js';
import type { ReportCell, ReportContext, ReportLoader } from './loader.js';
import { ensureMonthEnds, monthEndOnOrBefore, monthEndsBack, type Progress } from './month-end.js';
import { stressLoader } from './stress.js';

export type { ReportCell, ReportContext, ReportLoader } from './loader.js';

/** Months of NPL trend a report shows. */
export const NPL_TREND_MONTHS = 12;
/** Who the month ends a report builds are recorded as built by. */
const REPORT_BUILDER = 'report';

/** The month end a request describes, refused when it is not closed yet or the date is not a date. */
export function requestMonthEnd(db: Db, request: ReportRequest): Promise<Day> {
  return closedMonthEnd(db, monthEndOnOrBefore(requestDay(request)));
}

function noScenario(kind: ReportKind, request: ReportRequest): void {
  if (request.scenario !== undefined) {
    throw new ReportError(
      'report_scenario_unsupported',
      422,
      `the ${kind} report takes no scenario`,
      'scenario',
    );
  }
}

/** The forward-looking kinds, the only ones a request may give a scenario (every other kind refuses one). */
export const SCENARIO_REPORT_KINDS: readonly ReportKind[] = ['ecl', 'stress', 'liquidity'];

/** The kinds a request may group (`by`): the vintage and the recovery curves. */
export const GROUPED_REPORT_KINDS: readonly ReportKind[] = ['vintage', 'recovery'];

/**
 * A request's `by`: the grouping of a vintage (product unless given) or of the recovery curves (none unless
 * given); refused for the other kinds.
 */
function requestGrouping(kind: ReportKind, request: ReportRequest): VintageBy | undefined {
  if (request.by === undefined) return kind === 'vintage' ? 'product' : undefined;
  if (!GROUPED_REPORT_KINDS.includes(kind)) {
    throw new ReportError(
      'report_grouping_unsupported',
      422,
      `the ${kind} report takes no grouping (by)`,
      'by',
    );
  }
  if (!isVintageBy(request.by)) {
    throw new ReportError(
      'report_grouping_unsupported',
      422,
      `the ${kind} report is grouped by ${VINTAGE_GROUPINGS.join(', ')}, not "${request.by}"`,
      'by',
    );
  }
  return request.by;
}

function cellOrThrow(ids: string[] | null, cell: ReportCell): string[] {
  if (ids === null) {
    throw new ReportError(
      'report_cell_not_found',
      404,
      `the report has no cell ${cell.table} / ${cell.row} / ${cell.column}`,
      'row',
    );
  }
  return ids;
}

async function classified(db: Db, monthEnd: Day) {
  return applyOverrides(await readMonthEnd(db, monthEnd), await approvedOverrides(db, monthEnd));
}

/** A month end's class figures, summed in the database. */
async function classSums(db: Db, monthEnds: readonly Day[]): Promise<ClassTotals[]> {
  const groups = await classGroupSums(db, monthEnds);
  return monthEnds.map((m) => classTotalsOfGroups(m, groups.get(m) ?? []));
}

const classification: ReportLoader = {
  kind: 'classification',
  async load(db, request, progress) {
    noScenario('classification', request);
    const monthEnd = await requestMonthEnd(db, request);
    await ensureMonthEnds(db, [monthEnd], REPORT_BUILDER, progress);
    const groups = (await classGroupSums(db, [monthEnd])).get(monthEnd) ?? [];
    return classificationReportOf(
      classTotalsOfGroups(monthEnd, groups),
      await overriddenMonthEndLoans(db, monthEnd),
      groups.reduce((n, g) => n + g.restructured, 0),
    );
  },
  async cellLoans(db, request, cell, progress) {
    const monthEnd = await requestMonthEnd(db, request);
    await ensureMonthEnds(db, [monthEnd], REPORT_BUILDER, progress);
    return cellOrThrow(
      classCellLoans(await classified(db, monthEnd), cell.table, cell.row, cell.column),
      cell,
    );
  },
};

const npl: ReportLoader = {
  kind: 'npl',
  async load(db, request, progress) {
    noScenario('npl', request);
    const monthEnd = await requestMonthEnd(db, request);
    const months = monthEndsBack(monthEnd, NPL_TREND_MONTHS);
    await ensureMonthEnds(db, months, REPORT_BUILDER, progress);
    return nplReport(monthEnd, await classSums(db, months));
  },
  async cellLoans(db, request, cell, progress) {
    const monthEnd = await requestMonthEnd(db, request);
    const months = monthEndsBack(monthEnd, NPL_TREND_MONTHS);
    const m = months.find((d) => formatDate(d) === cell.row);
    if (m === undefined || cell.table !== 'trend') return cellOrThrow(null, cell);
    await ensureMonthEnds(db, [m], REPORT_BUILDER, progress);
    return cellOrThrow(classCellLoans(await classified(db, m), cell.table, cell.row, cell.column), cell);
  },
};

async function rollMonths(db: Db, request: ReportRequest, progress?: Progress): Promise<MonthRows[]> {
  const monthEnd = await requestMonthEnd(db, request);
  const months = monthEndsBack(monthEnd, ROLL_RATE_MONTHS + 1);
  await ensureMonthEnds(db, months, REPORT_BUILDER, progress);
  const out: MonthRows[] = [];
  for (const m of months) out.push({ monthEnd: m, rows: await readMonthEnd(db, m) });
  return out;
}

const rollRates: ReportLoader = {
  kind: 'roll-rates',
  async load(db, request, progress) {
    noScenario('roll-rates', request);
    const monthEnd = await requestMonthEnd(db, request);
    const months = monthEndsBack(monthEnd, ROLL_RATE_MONTHS + 1);
    await ensureMonthEnds(db, months, REPORT_BUILDER, progress);
    const groups = await transitionSums(db, months);
    return rollRatesReportOf(
      await monthBookSums(db, months),
      months.slice(1).map((to, i) => transitionOfGroups(months[i] as Day, to, groups[i] ?? [])),
    );
  },
  async cellLoans(db, request, cell, progress) {
    const months = await rollMonths(db, request, progress);
    return cellOrThrow(rollRateCellLoans(months, cell.table, cell.row, cell.column), cell);
  },
};

async function vintageInput(db: Db, request: ReportRequest, progress?: Progress): Promise<VintageInput> {
  const monthEnd = await requestMonthEnd(db, request);
  const months = monthEndsBack(monthEnd, VINTAGE_COHORTS_MAX);
  await ensureMonthEnds(db, months, REPORT_BUILDER, progress);
  const first = months[0] as Day;
  const loans = await readDrawnLoans(db, startOfMonth(first), monthEnd);
  const byMonth = new Map<number, MonthEndLoan[]>();
  for (const m of months) byMonth.set(monthKeyOfDay(m), await readMonthEnd(db, m));
  return { monthEnd, loans, months: byMonth, by: requestGrouping('vintage', request) ?? 'product' };
}

const vintage: ReportLoader = {
  kind: 'vintage',
  async load(db, request, progress) {
    noScenario('vintage', request);
    const by = requestGrouping('vintage', request) ?? 'product';
    const monthEnd = await requestMonthEnd(db, request);
    const months = monthEndsBack(monthEnd, VINTAGE_COHORTS_MAX);
    await ensureMonthEnds(db, months, REPORT_BUILDER, progress);
    const from = startOfMonth(months[0] as Day);
    return vintageReportOf(
      vintageTotalsOfGroups(
        monthEnd,
        await vintageCohortSums(db, from, monthEnd, months, by),
        await vintageBadSums(db, from, monthEnd, months, by),
        by,
      ),
    );
  },
  async cellLoans(db, request, cell, progress) {
    const input = await vintageInput(db, request, progress);
    return cellOrThrow(vintageCellLoans(input, cell.table, cell.row, cell.column), cell);
  },
};

/** The recovery report's input: the write-offs and recoveries through the request's month end, its grouping. */
async function recoveryInput(db: Db, request: ReportRequest): Promise<RecoveryInput> {
  noScenario('recovery', request);
  const by = requestGrouping('recovery', request);
  const monthEnd = await requestMonthEnd(db, request);
  return { monthEnd, ...(await loadWriteOffRecoveries(db, monthEnd)), ...(by === undefined ? {} : { by }) };
}

/** Recovery curves after write-off: read from the loans' logs, no month-end rows needed. */
const recovery: ReportLoader = {
  kind: 'recovery',
  async load(db, request) {
    return recoveryReportOf(recoveryTotals(await recoveryInput(db, request)));
  },
  async cellLoans(db, request, cell) {
    const input = await recoveryInput(db, request);
    return cellOrThrow(recoveryCellLoans(input, cell.table, cell.row, cell.column), cell);
  },
};

/** The loaders of the kinds built so far; the other kinds of REPORT_KINDS are added here by name. */
export const REPORT_LOADERS: Partial<Record<ReportKind, ReportLoader>> = {
  classification,
  npl,
  'roll-rates': rollRates,
  vintage,
  recovery,
  ecl: eclLoader,
  stress: stressLoader,
  liquidity: liquidityLoader,
  'credit-report': creditReportLoader,
};

export function isReportKind(text: string): text is ReportKind {
  return (REPORT_KINDS as readonly string[]).includes(text);
}

/** The loader of a kind, or the refusal: an unknown kind, or one without a loader yet. */
export function reportLoader(kind: string): ReportLoader {
  if (!isReportKind(kind)) {
    throw new ReportError(
      'report_kind_unknown',
      404,
      `no report kind "${kind}"; the kinds are ${REPORT_KINDS.join(', ')}`,
      'kind',
    );
  }
  const loader = REPORT_LOADERS[kind];
  if (loader === undefined) {
    throw new ReportError(
      'report_not_available',
      501,
      `the ${kind} report is not available in this version`,
      'kind',
    );
  }
  return loader;
}

/** Loads a report of any kind. */
export async function loadReport(
  db: Db,
  kind: string,
  request: ReportRequest,
  progress?: Progress,
  context?: ReportContext,
): Promise<Report> {
  const loader = reportLoader(kind);
  requestGrouping(loader.kind, request);
  if (!SCENARIO_REPORT_KINDS.includes(loader.kind)) noScenario(loader.kind, request);
  return loader.load(db, request, progress, context);
}

/** The loan ids behind one figure of a report. */
export async function loadReportCell(
  db: Db,
  kind: string,
  request: ReportRequest,
  cell: ReportCell,
  progress?: Progress,
): Promise<string[]> {
  const loader = reportLoader(kind);
  requestGrouping(loader.kind, request);
  if (!SCENARIO_REPORT_KINDS.includes(loader.kind)) noScenario(loader.kind, request);
  if (loader.cellLoans === undefined) {
    throw new ReportError('report_cell_not_found', 404, `the ${kind} report has no drill-down`, 'table');
  }
  return loader.cellLoans(db, request, cell, progress);
}
