import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import {
  BehaviourJobError,
  buildBehaviourTable,
  LimitReviewJobError,
  type LoadedBehaviourModel,
  loadBehaviourModel,
  parseMonth,
  reviewLimits,
  scoreBehaviourMonth,
} from '../../jobs/index.js';
import { formatDate, MoneyInputError, parseDate } from '../../money/index.js';
import { BEHAVIOUR_PSI_ALERT_DEFAULT, behaviourTableCsv } from '../../monitoring/index.js';
import { findUserByName, resolveDbTarget } from '../../store/index.js';
import { type CliIo, counted, UsageError, writeJson, writeLine } from '../io.js';
import type { RegisterCommand } from '../register.js';
import { addDbOption, explained, withMigratedDb } from './db-options.js';
import { addMonitoringInputs } from './monitoring.js';
import { parsePositiveInt } from './parse.js';

/** Worker threads of `monitoring score` at most (each holds two connections). */
const SCORE_WORKERS_MAX = 16;

/** Turns the jobs' expected refusals into usage errors (exit status 2, one line). */
async function refusals<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await explained(work);
  } catch (error) {
    if (
      error instanceof BehaviourJobError ||
      error instanceof LimitReviewJobError ||
      error instanceof MoneyInputError
    )
      throw new UsageError(error.message);
    throw error;
  }
}

/** `score behaviour-table`: the labelled behaviour-score table of the lender's own book as of a day. */
export function addBehaviourTableCommand(score: Command, io: CliIo): void {
  addDbOption(
    score
      .command('behaviour-table')
      .description(
        "labelled behaviour-score (B卡) table from the lender's own book: features of each line with an open loan as of a day, bad = 60+ days past due within the next 6 months",
      )
      .requiredOption(
        '--as-of <date>',
        'observation day (YYYY-MM-DD); the book must be closed 6 months past it',
      )
      .requiredOption(
        '--out <file>',
        'CSV file to write (train it with `score train --target bad --bad 1 --exclude customer_id,line_id,as_of`)',
      ),
  ).action((o: { asOf: string; out: string; db?: string }) =>
    refusals(async () => {
      const asOf = parseDate(o.asOf, '--as-of');
      const rows = await withMigratedDb(o.db, (db) => buildBehaviourTable(db, asOf));
      writeFileSync(o.out, behaviourTableCsv(rows, formatDate(asOf)));
      const bads = rows.filter((r) => r.bad).length;
      writeLine(
        io.stdout,
        `behaviour table as of ${formatDate(asOf)}: ${counted(rows.length, 'line')}, ${bads} bad; written to ${o.out}`,
      );
    }),
  );
}

interface MonitoringScoreFlags {
  month: string;
  model?: string;
  reference?: string;
  psiAlert?: string;
  workers?: string;
  json?: boolean;
  db?: string;
}

function modelOf(flags: MonitoringScoreFlags): LoadedBehaviourModel | undefined {
  if (flags.model === undefined && flags.reference === undefined) return undefined;
  if (flags.model === undefined || flags.reference === undefined)
    throw new UsageError(
      '--model and --reference go together: a retrained model brings its own reference bands',
    );
  try {
    return loadBehaviourModel(flags.model, flags.reference);
  } catch (error) {
    throw new UsageError(`cannot load the behaviour model: ${(error as Error).message}`);
  }
}

function psiAlertOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0 || v > 10)
    throw new UsageError(`--psi-alert must be a number above 0 and at most 10, e.g. 0.25; got "${text}"`);
  return v;
}

export const registerMonitoring: RegisterCommand = (program, io) => {
  const monitoring = program
    .command('monitoring')
    .description(
      '贷中 monitoring: the monthly behaviour score, limit reviews, and early-warning inputs (bureau refreshes)',
    );
  addMonitoringInputs(monitoring, io);
  addDbOption(
    monitoring
      .command('score')
      .description(
        'score every line with an open loan as of the month end with reason codes, store it, and compare the distribution with the development sample (PSI)',
      )
      .requiredOption('--month <YYYY-MM>', 'month to score (it must have ended on the business calendar)')
      .option('--model <file>', 'behaviour model (default: the shipped models/behaviour-scorecard.json)')
      .option('--reference <file>', "the model's reference document (development score bands)")
      .option(
        '--psi-alert <psi>',
        `PSI above which the month raises an alert (default ${BEHAVIOUR_PSI_ALERT_DEFAULT})`,
      )
      .option(
        '--workers <n>',
        `worker threads scoring customer ranges side by side (PostgreSQL server only; default one a core of this machine, at most ${SCORE_WORKERS_MAX}; an embedded database scores in one); the scores are the same for any number`,
      )
      .option('--json', 'print the report as JSON'),
  ).action((flags: MonitoringScoreFlags) =>
    refusals(async () => {
      const month = parseMonth(flags.month);
      const target = resolveDbTarget(flags.db);
      const workers =
        flags.workers !== undefined
          ? parsePositiveInt(flags.workers, '--workers', SCORE_WORKERS_MAX)
          : target.kind === 'postgres'
            ? Math.min(availableParallelism(), SCORE_WORKERS_MAX)
            : 1;
      if (target.kind === 'pglite' && workers > 1)
        throw new UsageError(
          `--workers ${workers} needs a PostgreSQL server (--db postgres://…): an embedded database is opened by one process, which scores alone`,
        );
      const model = modelOf(flags);
      const psiAlert = psiAlertOf(flags.psiAlert);
      const report = await withMigratedDb(flags.db, (db) =>
        scoreBehaviourMonth(db, month, {
          ...(model === undefined ? {} : { model }),
          ...(psiAlert === undefined ? {} : { psiAlert }),
          ...(target.kind === 'postgres' ? { workers, dbUrl: target.url } : {}),
        }),
      );
      if (flags.json) {
        writeJson(io, report);
        return;
      }
      const d = report.distribution;
      writeLine(
        io.stdout,
        `behaviour score ${report.month} (as of ${report.asOf}, ${report.modelId}): ${counted(report.linesScored, 'line')}, mean score ${d.meanScore}, PSI ${d.psi.toFixed(4)} (${d.band})${d.alert ? ' — ALERT: above the threshold' : ''}`,
      );
    }),
  );
  addDbOption(
    monitoring
      .command('limit-review')
      .description(
        "propose raises, cuts and freezes from the month's behaviour scores by the policy's limit review; a second person approves them (POST /limit-reviews/proposals/decide)",
      )
      .requiredOption('--month <YYYY-MM>', 'a month already scored by `monitoring score`')
      .requiredOption('--as <username>', 'the proposing user (admin or risk_analyst); another user approves')
      .option('--json', 'print the report as JSON'),
  ).action((flags: { month: string; as: string; json?: boolean; db?: string }) =>
    refusals(async () => {
      const month = parseMonth(flags.month);
      const report = await withMigratedDb(flags.db, async (db) => {
        const user = await findUserByName(db, flags.as);
        if (user === undefined || user.disabledAt !== null || !['admin', 'risk_analyst'].includes(user.role))
          throw new UsageError(
            `--as ${flags.as}: give an active user with role admin or risk_analyst (lendguard users create)`,
          );
        return reviewLimits(db, month, user.userId);
      });
      if (flags.json) {
        writeJson(io, report);
        return;
      }
      const p = report.proposed;
      writeLine(
        io.stdout,
        `limit review ${report.month} (policy ${report.policyVersion}): ${counted(report.linesReviewed, 'line')} reviewed; proposed ${counted(p.raise, 'raise')}, ${counted(p.cut, 'cut')}, ${counted(p.freeze, 'freeze')} — awaiting a second person's approval`,
      );
    }),
  );
};
