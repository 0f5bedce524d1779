import { writeFileSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { SingleBar } from 'cli-progress';
import {
  createSplitRun,
  runSimulation,
  SPLIT_BOUNDS,
  SplitRunError,
  workSplitRun,
} from '../../jobs/index.js';
import { METRICS, type Metric, reportHtml, type SimulationReport } from '../../simulation/index.js';
import { type CliIo, counted, renderTable, UsageError, writeJson, writeLine } from '../io.js';
import type { RegisterCommand } from '../register.js';
import { addDbOption, explained, withMigratedDb } from './db-options.js';

interface SimulateOptions {
  population?: string;
  scenario?: string;
  strategy?: string;
  against?: string;
  borrowers: string;
  months: string;
  seed: string;
  replications: string;
  start: string;
  workers?: string;
  json?: boolean;
  html?: string;
  db?: string;
  run?: string;
  join?: string;
  partitions?: string;
  leaseMs?: string;
}

function whole(text: string, name: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}

/** `lendguard simulate`: the strategy lab — a population through a scenario under one or two strategies. */
export const registerSimulate: RegisterCommand = (program, io) => {
  const command = program
    .command('simulate')
    .description(
      'strategy lab (策略实验室): run a simulated population through a scenario under a strategy, and against another',
    )
    .option('--population <file>', 'population description (JSON); default: the documented baseline')
    .option('--scenario <file>', 'scenario (JSON); default: base, no shock')
    .option(
      '--strategy <file>',
      'strategy file (JSON) naming the policy, line controls, cadence and collection strategy (required unless --join)',
    )
    .option('--against <file>', 'a second strategy: the report gives the difference strategy − against')
    .option('--borrowers <n>', 'borrowers per replication', '1000')
    .option('--months <n>', 'months simulated', '24')
    .option('--seed <n>', 'seed: the same seed gives the same report, byte for byte', '1')
    .option('--replications <n>', 'replications (intervals are over these)', '1')
    .option('--start <date>', 'first day of the run', '2027-01-01')
    .option('--workers <n>', 'worker threads (0 = this thread); default: the cores available')
    .option('--json', 'print the report as JSON')
    .option('--html <file>', 'write the report as an HTML page with charts')
    .option(
      '--run <id>',
      'split the run across machines: create run <id> in the database (--db) and work on it; others --join it',
    )
    .option('--join <id>', 'work on run <id> created with --run (its files, seed and size are the run’s)')
    .option('--partitions <n>', 'with --run: borrower ranges per strategy and replication', '16')
    .option(
      '--lease-ms <n>',
      'with --run/--join: lease of a claimed partition',
      String(SPLIT_BOUNDS.lease_ms_default),
    );
  addDbOption(command);
  command.action((options: SimulateOptions) => explained(() => runSimulate(options, io)));
};

async function runSimulate(options: SimulateOptions, io: CliIo): Promise<void> {
  if (options.run !== undefined && options.join !== undefined)
    throw new UsageError('give --run <id> to create a split run, or --join <id> to work on one, not both');
  if (options.run === undefined && options.join === undefined && options.db !== undefined)
    throw new UsageError('--db is for a run split across machines: give --run <id> or --join <id> with it');
  if (options.join === undefined && options.strategy === undefined)
    throw new UsageError("required option '--strategy <file>' not specified");
  const borrowers = whole(options.borrowers, '--borrowers', 1, 10_000_000);
  const months = whole(options.months, '--months', 2, 120);
  const replications = whole(options.replications, '--replications', 1, 1000);
  const seed = whole(options.seed, '--seed', 0, 2 ** 32 - 1);
  const workers =
    options.workers === undefined ? availableParallelism() : whole(options.workers, '--workers', 0, 256);
  if (!/^\d{4}-\d{2}-01$/.test(options.start))
    throw new UsageError(`--start must be the first day of a month, e.g. 2027-01-01, got "${options.start}"`);
  const strategies =
    options.strategy === undefined
      ? []
      : [options.strategy, ...(options.against === undefined ? [] : [options.against])];
  const total = borrowers * replications * strategies.length;
  const tty = io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
  const bar =
    tty.isTTY === true
      ? new SingleBar({
          stream: tty,
          format: 'simulating [{bar}] {percentage}% | {value}/{total} borrowers | {eta_formatted} left',
          hideCursor: true,
        })
      : undefined;
  bar?.start(total, 0);
  let report: SimulationReport;
  try {
    const splitId = options.run ?? options.join;
    if (splitId !== undefined) {
      const lease_ms = whole(
        options.leaseMs ?? String(SPLIT_BOUNDS.lease_ms_default),
        '--lease-ms',
        1_000,
        3_600_000,
      );
      report = await withMigratedDb(options.db, async (db) => {
        if (options.run !== undefined) {
          await createSplitRun(db, {
            runId: options.run,
            ...(options.population === undefined ? {} : { population: options.population }),
            ...(options.scenario === undefined ? {} : { scenario: options.scenario }),
            strategies,
            borrowers,
            months,
            seed,
            replications,
            startDate: options.start,
            ranges: whole(options.partitions ?? '16', '--partitions', 1, SPLIT_BOUNDS.partitions_max),
            createdBy: `${hostname()}:${process.pid}`,
          });
        }
        return workSplitRun(db, splitId, {
          workers,
          lease_ms,
          // Joining, files given here are where this machine has the run's files.
          ...(options.join === undefined
            ? {}
            : {
                files: {
                  ...(options.population === undefined ? {} : { population: options.population }),
                  ...(options.scenario === undefined ? {} : { scenario: options.scenario }),
                  ...(strategies.length === 0 ? {} : { strategies }),
                },
              }),
          onProgress: (done, all) => {
            bar?.setTotal(all);
            bar?.update(done);
          },
        });
      });
    } else
      report = await runSimulation(
        {
          ...(options.population === undefined ? {} : { population: options.population }),
          ...(options.scenario === undefined ? {} : { scenario: options.scenario }),
          strategies,
          borrowers,
          months,
          seed,
          replications,
          startDate: options.start,
          workers,
        },
        (n) => bar?.increment(n),
      );
  } catch (error) {
    if (error instanceof SplitRunError) throw new UsageError(error.message);
    throw error;
  } finally {
    bar?.stop();
  }
  if (options.html !== undefined) writeFileSync(options.html, reportHtml(report));
  if (options.json) {
    writeJson(io, report);
    return;
  }
  writeLine(io.stdout, reportText(report));
  if (options.html !== undefined) writeLine(io.stdout, `report written to ${options.html}`);
}

function show(metric: Metric, x: number): string {
  if (metric.endsWith('_fen')) return (x / 100).toFixed(2);
  if (/Rate|Ratio|Share/.test(metric)) return `${(x * 100).toFixed(2)}%`;
  return String(Number(x.toFixed(2)));
}

export function reportText(report: SimulationReport): string {
  const r = report.run;
  const head = [
    'figure',
    ...report.strategies.map((s) => s.name),
    ...(report.difference ? [`${report.difference.a} − ${report.difference.b}`] : []),
  ];
  const rows = METRICS.map((m) => [
    m,
    ...report.strategies.map((s) => {
      const v = s.metrics[m];
      return r.replications > 1
        ? `${show(m, v.mean)} [${show(m, v.low)}, ${show(m, v.high)}]`
        : show(m, v.mean);
    }),
    ...(report.difference
      ? [
          (() => {
            const d = report.difference.metrics[m];
            return r.replications > 1
              ? `${show(m, d.mean)} [${show(m, d.low)}, ${show(m, d.high)}]`
              : show(m, d.mean);
          })(),
        ]
      : []),
  ]);
  const lines = [
    `population ${r.population}, scenario ${r.scenario}: ${counted(r.borrowers, 'borrower')} × ${counted(r.months, 'month')}, seed ${r.seed}, ${counted(r.replications, 'replication')}`,
    renderTable(
      head.map((h, i) => ({ header: h, align: i === 0 ? ('left' as const) : ('right' as const) })),
      rows,
    ),
  ];
  for (const [strategy, traces] of Object.entries(report.archetypes))
    for (const t of traces) {
      const path = t.rows
        .filter((row) => row.events.length > 0 || row.daysPastDue > 0)
        .slice(0, 8)
        .map(
          (row) =>
            `  month ${row.month}: DPD ${row.daysPastDue}, line ${row.line}, 征信 ${row.creditReport}${row.events.length ? ` — ${row.events.join('; ')}` : ''}`,
        );
      lines.push(`${t.name} under ${strategy} (${t.description}):`, ...path);
    }
  return lines.join('\n');
}
