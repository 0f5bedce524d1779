import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { DEFAULT_POLICY_DIR, issuesText, readJsonFile, readModels, readPolicy } from '../../jobs/index.js';
import { formatMinorGrouped } from '../../money/index.js';
import {
  type BacktestReport,
  type BacktestSegment,
  type BlacklistEntry,
  casesFromRecords,
  compilePolicy,
  type Decision,
  decide,
  type HistoryFacts,
  type Invitation,
  isOriginationError,
  backtest as runBacktest,
  validateApplication,
} from '../../origination/index.js';
import { type CliIo, counted, renderTable, UsageError, writeJson, writeLine } from '../io.js';
import type { RegisterCommand } from '../register.js';

/** Business time of a back-test when none is given: ages and terms are measured from it. */
const BACKTEST_TIME_DEFAULT = '2026-01-01T00:00:00+08:00';

interface DecideFlags {
  input: string;
  policy: string;
  model?: string;
  /** A file, or false after --no-challenger. */
  challenger?: string | false;
  json?: boolean;
}

interface DecideInput {
  application: unknown;
  businessTime?: unknown;
  invitations?: unknown;
  blacklist?: unknown;
  history?: unknown;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The input file: an application, or `{ application, businessTime?, invitations?, blacklist?, history? }`. */
function readDecideInput(path: string): DecideInput {
  const raw = readJsonFile(path, 'input file');
  if (!isObj(raw)) throw new UsageError(`input file "${path}" must hold a JSON object`);
  if (!('application' in raw)) return { application: raw };
  for (const key of Object.keys(raw))
    if (!['application', 'businessTime', 'invitations', 'blacklist', 'history'].includes(key))
      throw new UsageError(
        `input file "${path}": "${key}" is not known; give application and optionally businessTime, invitations, blacklist, history`,
      );
  return raw as unknown as DecideInput;
}

function list<T>(value: unknown, what: string): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new UsageError(`${what} must be a list`);
  return value as T[];
}

const yuan = (fen: number) => formatMinorGrouped(fen);
const percent = (x: string | null) => (x === null ? '-' : `${(Number(x) * 100).toFixed(2)}%`);

function printDecision(d: Decision, io: CliIo): void {
  writeLine(io.stdout, `application ${d.applicationId}: ${d.outcome.toUpperCase()}`);
  writeLine(
    io.stdout,
    `limit ${yuan(d.limit_fen)} yuan, risk grade ${d.riskGrade ?? '-'}, daily rate ${d.dailyRate ?? '-'}, APR ${percent(d.apr)}`,
  );
  writeLine(
    io.stdout,
    `score ${d.score.score} (probability of bad ${d.score.probabilityBad}) by ${d.score.model.modelId} ${d.score.model.version}; policy ${d.policy.policyId} ${d.policy.version}`,
  );
  if (d.challenger)
    writeLine(
      io.stdout,
      `challenger (${d.challenger.role}) ${d.challenger.score.model.modelId}: score ${d.challenger.score.score}, ${d.challenger.outcome}, limit ${yuan(d.challenger.limit_fen)}`,
    );
  if (d.termOptions.length > 0) {
    writeLine(io.stdout);
    writeLine(
      io.stdout,
      renderTable(
        [
          { header: 'term (months)', align: 'right' },
          { header: 'first instalment (yuan)', align: 'right' },
          { header: 'APR', align: 'right' },
        ],
        d.termOptions.map((t) => [String(t.months), yuan(t.instalment_fen), percent(t.apr)]),
      ),
    );
  }
  writeLine(io.stdout);
  writeLine(
    io.stdout,
    renderTable(
      [{ header: 'source' }, { header: 'code' }, { header: 'reason' }, { header: 'values seen' }],
      d.reasons.map((r) => [r.source, r.code, r.message, JSON.stringify(r.values)]),
    ),
  );
  if (d.flags.length > 0) {
    writeLine(io.stdout);
    writeLine(io.stdout, 'review flags (for the analyst queue):');
    for (const f of d.flags) writeLine(io.stdout, `  ${f.kind} [${f.severity}]: ${f.summary}`);
  }
  writeLine(io.stdout);
  writeLine(io.stdout, `content hash ${d.contentHash}`);
}

async function decideCommand(flags: DecideFlags, io: CliIo): Promise<void> {
  const input = readDecideInput(flags.input);
  const policy = compilePolicy(readPolicy(flags.policy));
  const models = readModels(flags.model, flags.challenger);
  let application: ReturnType<typeof validateApplication>;
  try {
    application = validateApplication(input.application);
  } catch (error) {
    if (isOriginationError(error))
      throw new UsageError(
        `${flags.input}: ${counted(error.issues.length, 'invalid field')} in the application:${issuesText(error)}`,
      );
    throw error;
  }
  const businessTime = input.businessTime === undefined ? application.submittedAt : input.businessTime;
  if (typeof businessTime !== 'string' || !/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(businessTime))
    throw new UsageError('businessTime must be a time with its offset, like "2026-11-28T10:00:00+08:00"');
  const history = (input.history ?? { recentApplications: [] }) as HistoryFacts;
  if (!isObj(history) || !Array.isArray(history.recentApplications))
    throw new UsageError('history must be { "recentApplications": [...] }');
  const decision = await decide(application, {
    businessTime,
    policy,
    models,
    invitations: list<Invitation>(input.invitations, 'invitations'),
    blacklist: list<BlacklistEntry>(input.blacklist, 'blacklist'),
    history,
  });
  if (flags.json) writeJson(io, decision);
  else printDecision(decision, io);
}

interface BacktestFlags {
  policy: string;
  cases: string;
  against?: string;
  model?: string;
  businessTime: string;
  json?: boolean;
}

function readCases(path: string): { header: string[]; records: Record<string, string>[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read cases file "${path}"; check the path`);
  }
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (error) {
    throw new UsageError(`cases file "${path}" is not CSV: ${(error as Error).message}`);
  }
  const [header, ...data] = rows;
  if (!header || data.length === 0)
    throw new UsageError(`cases file "${path}" needs a header row and data rows`);
  return {
    header,
    records: data.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i] ?? '']))),
  };
}

function segmentRows(label: string, segments: readonly BacktestSegment[]): string[][] {
  return segments.map((s) => [
    label,
    s.segment,
    String(s.cases),
    String(s.approved),
    String(s.referred),
    `${(s.approvalRate * 100).toFixed(1)}%`,
    s.expectedBadRate === null ? '-' : `${(s.expectedBadRate * 100).toFixed(2)}%`,
    s.observedBadRate === null ? '-' : `${(s.observedBadRate * 100).toFixed(2)}%`,
    yuan(s.approvedLimit_fen),
  ]);
}

function printBacktest(report: BacktestReport, io: CliIo): void {
  const sides = [
    { label: `${report.policy.policy.policyId} ${report.policy.policy.version}`, side: report.policy },
  ];
  if (report.against)
    sides.push({
      label: `${report.against.policy.policyId} ${report.against.policy.version} (against)`,
      side: report.against,
    });
  writeLine(io.stdout, counted(report.cases, 'case'));
  writeLine(
    io.stdout,
    renderTable(
      [
        { header: 'policy' },
        { header: 'segment' },
        { header: 'cases', align: 'right' },
        { header: 'approved', align: 'right' },
        { header: 'referred', align: 'right' },
        { header: 'approval rate', align: 'right' },
        { header: 'expected bad rate', align: 'right' },
        { header: 'observed bad rate', align: 'right' },
        { header: 'approved limits (yuan)', align: 'right' },
      ],
      sides.flatMap(({ label, side }) => segmentRows(label, [side.total, ...side.bySegment])),
    ),
  );
  if (report.changed) {
    writeLine(io.stdout);
    if (report.changed.length === 0) writeLine(io.stdout, 'no case changes outcome');
    for (const c of report.changed)
      writeLine(io.stdout, `from ${c.from} to ${c.to}: ${counted(c.cases, 'case')}`);
  }
}

async function backtestCommand(flags: BacktestFlags, io: CliIo): Promise<void> {
  const policy = compilePolicy(readPolicy(flags.policy));
  const against = flags.against ? compilePolicy(readPolicy(flags.against)) : undefined;
  const models = readModels(flags.model, false);
  const { header, records } = readCases(flags.cases);
  const cases = casesFromRecords(header, records, flags.businessTime);
  const report = await runBacktest(cases, {
    policy,
    ...(against ? { against } : {}),
    models,
    businessTime: flags.businessTime,
  });
  if (flags.json) writeJson(io, report);
  else printBacktest(report, io);
}

/** Runs a command body, turning origination's expected failures into usage errors (exit status 2). */
async function guarded(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (isOriginationError(error)) throw new UsageError(`${error.message}${issuesText(error)}`);
    throw error;
  }
}

export const registerDecide: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('decide')
    .description('decide one application in-process: outcome, limit, price, reasons, flags (no database)')
    .requiredOption(
      '--input <file>',
      'application JSON, or { application, businessTime, invitations, blacklist, history }',
    )
    .option('--policy <dir|file>', 'policy folder or document', DEFAULT_POLICY_DIR)
    .option('--model <file>', 'champion model (default: the shipped application scorecard)')
    .option('--challenger <file>', 'challenger model (default: the shipped boosted model)')
    .option('--no-challenger', 'score without a challenger')
    .option('--json', 'print the decision record as JSON')
    .action((flags: DecideFlags) => guarded(() => decideCommand(flags, io)));
};

export const registerPolicy: RegisterCommand = (program: Command, io: CliIo) => {
  const policy = program.command('policy').description('origination policies: back-test a change');
  policy
    .command('backtest')
    .description(
      'run a policy over past applications: approval rate, expected and observed bad rate, volume by segment',
    )
    .requiredOption('--policy <dir|file>', 'the policy to test')
    .requiredOption('--cases <file>', 'past applications, CSV (case layout or credit_data.csv layout)')
    .option('--against <dir|file>', 'the policy to compare with (usually the one in force)')
    .option('--model <file>', 'model for scores and PD (default: the shipped application scorecard)')
    .option('--business-time <time>', 'time the cases are judged at', BACKTEST_TIME_DEFAULT)
    .option('--json', 'print the report as JSON')
    .action((flags: BacktestFlags) => guarded(() => backtestCommand(flags, io)));
};
