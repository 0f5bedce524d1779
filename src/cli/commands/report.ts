import { writeFile } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import {
  eclRunOptions,
  loadMonthEndReports,
  loadReport,
  loadReportCell,
  loadRiskReport,
  type Progress,
  type ReportContext,
  ReportError,
  readEclSettingsFile,
  riskReportHtml,
  riskReportPdf,
  type StressSimulation,
  writeReportXlsx,
} from '../../jobs/index.js';
import {
  type EclLenderSettings,
  REPORT_KINDS,
  type Report,
  type ReportCell,
  ReportInputError,
} from '../../reporting/index.js';
import {
  type CliIo,
  CommandFailedError,
  counted,
  renderTable,
  UsageError,
  writeJson,
  writeLine,
} from '../io.js';
import type { RegisterCommand } from '../register.js';
import { addDbOption, explained, withMigratedDb } from './db-options.js';

/** A report's refusal as the command's: a bad request exits 2 (usage), any other refusal 1; else unchanged. */
function asCliError(error: unknown): unknown {
  if (!(error instanceof ReportError)) return error;
  return error.status === 400 ? new UsageError(error.message) : new CommandFailedError(error.message);
}

interface ReportOptions {
  db?: string;
  eclSettings?: string;
  asOf: string;
  scenario?: string;
  by?: string;
  json?: boolean;
  xlsx?: string;
  table?: string;
  row?: string;
  column?: string;
  simulate?: boolean;
  population?: string;
  strategy?: string;
  borrowers: string;
  months: string;
  seed: string;
  workers: string;
}

function whole(text: string, name: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}

const SIMULATION_FLAGS = ['population', 'strategy'] as const;

/** `report stress --simulate …`: the simulator's arguments, checked; refused on any other kind. */
function stressSimulationOf(kind: string, o: ReportOptions): StressSimulation | undefined {
  if (o.simulate !== true) {
    const stray = SIMULATION_FLAGS.find((f) => o[f] !== undefined);
    if (stray !== undefined) throw new UsageError(`--${stray} goes with --simulate`);
    return undefined;
  }
  if (kind !== 'stress') throw new UsageError(`--simulate is for the stress report, not ${kind}`);
  return {
    ...(o.population === undefined ? {} : { population: o.population }),
    ...(o.strategy === undefined ? {} : { strategy: o.strategy }),
    borrowers: whole(o.borrowers, '--borrowers', 1, 1_000_000),
    months: whole(o.months, '--months', 2, 120),
    seed: whole(o.seed, '--seed', 0, 2 ** 32 - 1),
    workers: whole(o.workers, '--workers', 0, 256),
  };
}

function text(value: ReportCell | undefined): string {
  return value === null || value === undefined ? '–' : String(value);
}

/** The report as tables for a person: headline figures, each table, then the notes. */
/**
 * Rows of a table the text view shows at most: the ECL's per-exposure table has a row for every loan and
 * undrawn line of the book, which no terminal is for; --json and --xlsx give every row.
 */
export const REPORT_TEXT_ROWS_MAX = 200;

export function printReport(io: CliIo, report: Report): void {
  writeLine(
    io.stdout,
    `${report.title.en} · ${report.title.zh} — ${report.asOf}${report.scenario ? ` (${report.scenario})` : ''}`,
  );
  writeLine(
    io.stdout,
    renderTable(
      [{ header: 'figure' }, { header: '指标' }, { header: 'value', align: 'right' }],
      report.summary.map((f) => [f.label.en, f.label.zh, text(f.value)]),
    ),
  );
  for (const t of report.tables) {
    writeLine(io.stdout);
    writeLine(io.stdout, `${t.label.en} · ${t.label.zh} [${t.name}]`);
    if (t.rows.length === 0) {
      writeLine(io.stdout, '(none)');
      continue;
    }
    writeLine(
      io.stdout,
      renderTable(
        t.columns.map((c) => ({
          header: c.label.en,
          align: c.type === 'text' || c.type === 'date' ? 'left' : 'right',
        })),
        t.rows.slice(0, REPORT_TEXT_ROWS_MAX).map((r) => t.columns.map((c) => text(r[c.key]))),
      ),
    );
    const more = t.rows.length - REPORT_TEXT_ROWS_MAX;
    if (more > 0)
      writeLine(
        io.stdout,
        `… ${counted(more, 'more row')} of ${t.rows.length}: --json or --xlsx FILE gives every row · 另有 ${more} 行（共 ${t.rows.length} 行）：--json 或 --xlsx 文件 给出全部行`,
      );
  }
  for (const n of report.notes) {
    writeLine(io.stdout);
    writeLine(io.stdout, n.en);
    writeLine(io.stdout, n.zh);
  }
}

/** The `--ecl-settings FILE` option: the lender's ECL settings read and checked, or a usage error. */
export function readEclSettingsOption(file: string): EclLenderSettings {
  try {
    return readEclSettingsFile(file);
  } catch (error) {
    if (error instanceof ReportInputError) throw new UsageError(error.message);
    throw error;
  }
}

/** The reports' context under `--ecl-settings FILE` (none without it: the shipped settings). */
export function eclSettingsContext(file: string | undefined): ReportContext | undefined {
  return file === undefined ? undefined : { ecl: eclRunOptions(readEclSettingsOption(file)) };
}

export const ECL_SETTINGS_OPTION_HELP =
  "the lender's ECL settings (JSON: lgdOverride, lgdFloor, ccf, scenarioWeights; docs/ecl.md) for ecl, stress and liquidity";

/** A progress bar on stderr while month ends are built, on a terminal only. */
function progressBar(io: CliIo, quiet: boolean): { progress: Progress; stop: () => void } {
  const tty = io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
  if (tty.isTTY !== true || quiet) return { progress: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream: tty,
    format: 'month ends [{bar}] {percentage}% | {value}/{total} built | {eta_formatted} left',
    hideCursor: true,
  });
  let started = false;
  return {
    progress: (done, total) => {
      if (total === 0) return;
      if (!started) {
        bar.start(total, done);
        started = true;
      } else bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}

/** `report month-end`: the four month-end reports of one month end, loaded at once. */
export const MONTH_END_REPORTS = 'month-end';

/** The options `report month-end` refuses: each belongs to one report kind. */
function refuseForMonthEnd(o: ReportOptions): void {
  const given = (
    [
      ['--scenario', o.scenario],
      ['--by', o.by],
      ['--xlsx', o.xlsx],
      ['--table', o.table],
      ['--row', o.row],
      ['--column', o.column],
      ['--simulate', o.simulate],
    ] as const
  ).find(([, v]) => v !== undefined);
  if (given !== undefined)
    throw new UsageError(`${given[0]} is for one report kind, not ${MONTH_END_REPORTS}`);
}

/** `lendguard report <kind> --as-of DATE`: a portfolio report as tables, JSON or an Excel workbook. */
export const registerReport: RegisterCommand = (program, io) => {
  addDbOption(
    program
      .command('report <kind>')
      .description(
        `A month-end report: ${REPORT_KINDS.join(', ')}; or ${MONTH_END_REPORTS}: classification, roll-rates, vintage and ecl of one month end, loaded at once`,
      )
      .requiredOption(
        '--as-of <date>',
        'the report describes the last month end on or before this day (YYYY-MM-DD)',
      )
      .option('--scenario <name>', 'the scenario of a forward-looking report')
      .option(
        '--by <grouping>',
        'vintage and recovery only: segments by product (the vintage default), channel or policy (the approving policy version)',
      )
      .option('--json', 'print the report as JSON')
      .option('--xlsx <file>', 'write the report as an Excel workbook')
      .option(
        '--table <name>',
        'drill down: the table of a figure (with --row and --column) prints its loans',
      )
      .option('--row <key>', 'drill down: the row of the figure (its first column)')
      .option('--column <key>', 'drill down: the column of the figure')
      .option('--ecl-settings <file>', ECL_SETTINGS_OPTION_HELP)
      .option(
        '--simulate',
        'stress: also run the strategy lab under each scenario (the same scenario files) and add its results',
      )
      .option('--population <file>', 'with --simulate: population (JSON); default: the documented baseline')
      .option('--strategy <file>', "with --simulate: strategy (JSON); default: the lab's default strategy")
      .option('--borrowers <n>', 'with --simulate: borrowers simulated under each scenario', '1000')
      .option('--months <n>', 'with --simulate: months simulated from the month after --as-of', '12')
      .option('--seed <n>', 'with --simulate: the same seed gives the same figures', '1')
      .option('--workers <n>', 'with --simulate: worker threads (0 = this thread)', '0'),
  ).action((kind: string, o: ReportOptions) =>
    explained(async () => {
      if (kind === MONTH_END_REPORTS) {
        refuseForMonthEnd(o);
        const settings = eclSettingsContext(o.eclSettings);
        const bar = progressBar(io, o.json === true);
        try {
          await withMigratedDb(o.db, async (db) => {
            const all = await loadMonthEndReports(db, o.asOf, bar.progress, settings);
            bar.stop();
            if (o.json === true) writeJson(io, all);
            else
              Object.values(all.reports).forEach((report, i) => {
                if (i > 0) writeLine(io.stdout);
                printReport(io, report);
              });
          });
        } catch (error) {
          throw asCliError(error);
        } finally {
          bar.stop();
        }
        return;
      }
      const simulation = stressSimulationOf(kind, o);
      const settings = eclSettingsContext(o.eclSettings);
      const context =
        simulation === undefined ? settings : { ...(settings ?? {}), stressSimulation: simulation };
      if (o.json === true && o.xlsx !== undefined) throw new UsageError('give --json or --xlsx, not both');
      const drill = [o.table, o.row, o.column];
      if (drill.some((x) => x !== undefined) && drill.some((x) => x === undefined)) {
        throw new UsageError('a drill-down needs all of --table, --row and --column');
      }
      const request = {
        asOf: o.asOf,
        ...(o.scenario === undefined ? {} : { scenario: o.scenario }),
        ...(o.by === undefined ? {} : { by: o.by }),
      };
      const bar = progressBar(io, o.json === true);
      try {
        await withMigratedDb(o.db, async (db) => {
          if (o.table !== undefined && o.row !== undefined && o.column !== undefined) {
            const ids = await loadReportCell(
              db,
              kind,
              request,
              { table: o.table, row: o.row, column: o.column },
              bar.progress,
            );
            bar.stop();
            if (o.json === true)
              writeJson(io, {
                kind,
                asOf: o.asOf,
                table: o.table,
                row: o.row,
                column: o.column,
                ...(o.by === undefined ? {} : { by: o.by }),
                loanIds: ids,
              });
            else for (const id of ids) writeLine(io.stdout, id);
            return;
          }
          const report = await loadReport(db, kind, request, bar.progress, context);
          bar.stop();
          if (o.xlsx !== undefined) {
            await writeReportXlsx(report, o.xlsx);
            writeLine(io.stdout, `wrote ${report.kind} as of ${report.asOf} to ${o.xlsx}`);
          } else if (o.json === true) writeJson(io, report);
          else printReport(io, report);
        });
      } catch (error) {
        if (error instanceof ReportError) {
          if (
            error.status === 400 ||
            error.code === 'report_kind_unknown' ||
            error.code === 'report_scenario_unsupported' ||
            error.code === 'report_scenario_unknown' ||
            error.code === 'report_grouping_unsupported'
          ) {
            throw new UsageError(error.message);
          }
          throw new CommandFailedError(error.message);
        }
        // A scenario or sensitivities file that cannot be read: every problem by place, exit 2.
        if (error instanceof ReportInputError) throw new UsageError(error.message);
        throw error;
      } finally {
        bar.stop();
      }
    }),
  );

  addDbOption(
    program
      .command('risk-report')
      .description(
        'The monthly risk report (portfolio, classification and NPL, roll rates, vintages, ECL, stress, liquidity) as HTML and/or PDF',
      )
      .requiredOption(
        '--as-of <date>',
        'the report describes the last month end on or before this day (YYYY-MM-DD)',
      )
      .option('--html <file>', 'write the report as one self-contained HTML file')
      .option('--pdf <file>', 'write the report as a PDF')
      .option('--locale <locale>', 'zh-CN or en', 'zh-CN')
      .option('--ecl-settings <file>', ECL_SETTINGS_OPTION_HELP),
  ).action(
    (o: { db?: string; asOf: string; html?: string; pdf?: string; locale: string; eclSettings?: string }) =>
      explained(async () => {
        const context = eclSettingsContext(o.eclSettings);
        if (o.html === undefined && o.pdf === undefined)
          throw new UsageError('give --html FILE, --pdf FILE or both');
        if (o.locale !== 'zh-CN' && o.locale !== 'en') throw new UsageError('--locale is zh-CN or en');
        const locale = o.locale;
        const bar = progressBar(io, false);
        try {
          await withMigratedDb(o.db, async (db) => {
            const doc = await loadRiskReport(db, o.asOf, locale, bar.progress, context);
            bar.stop();
            if (o.html !== undefined) {
              await writeFile(o.html, riskReportHtml(doc));
              writeLine(io.stdout, `wrote the risk report as of ${doc.asOf} to ${o.html}`);
            }
            if (o.pdf !== undefined) {
              await writeFile(o.pdf, await riskReportPdf(doc));
              writeLine(io.stdout, `wrote the risk report as of ${doc.asOf} to ${o.pdf}`);
            }
          });
        } catch (error) {
          throw asCliError(error);
        } finally {
          bar.stop();
        }
      }),
  );
};
