import type { Command } from 'commander';
import {
  checkBusinessDay,
  EOD_BOUNDS,
  EOD_OPTIONS_DEFAULT,
  type EodOptions,
  type EodPartition,
  type EodRunDetail,
  EodRunError,
  findOpenRun,
  getRun,
  ledgerEod,
  lenderToday,
  runEod,
  runWorker,
  writeOffCandidatesNow,
} from '../../jobs/index.js';
import { resolveDbTarget, WRITE_OFF_CANDIDATES_MAX } from '../../store/index.js';
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
import { addDbOption, cliTimeZone, explained, withMigratedDb } from './db-options.js';
import { parsePositiveInt } from './parse.js';

interface EodCliOptions {
  date?: string;
  workers?: string;
  partitionsInFlight?: string;
  batchSize?: string;
  partitions?: string;
  leaseMs?: string;
  db?: string;
  json?: boolean;
  progress?: boolean;
}

const STATUS_MARK: Record<EodPartition['status'], string> = {
  pending: '.',
  running: '>',
  succeeded: '#',
  failed: '!',
};

const LEASE_MS_MAX = 3_600_000;

function isTty(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

function parseOptions(o: EodCliOptions): EodOptions {
  return {
    batchSize:
      o.batchSize === undefined
        ? EOD_OPTIONS_DEFAULT.batchSize
        : parsePositiveInt(o.batchSize, '--batch-size', EOD_BOUNDS.batchSize_max),
    partitions:
      o.partitions === undefined
        ? EOD_OPTIONS_DEFAULT.partitions
        : parsePositiveInt(o.partitions, '--partitions', EOD_BOUNDS.partitionKeys_count),
    lease_ms:
      o.leaseMs === undefined
        ? EOD_OPTIONS_DEFAULT.lease_ms
        : Math.max(EOD_BOUNDS.lease_ms_min, parsePositiveInt(o.leaseMs, '--lease-ms', LEASE_MS_MAX)),
  };
}

function counts(run: EodRunDetail) {
  const by = { pending: 0, running: 0, succeeded: 0, failed: 0 };
  for (const p of run.partitions) by[p.status] += 1;
  return by;
}

/** One line: a bar of partitions done, then one mark per partition (. pending > running # done ! failed). */
export function progressLine(run: EodRunDetail, elapsed_ms: number): string {
  const by = counts(run);
  const finished = by.succeeded + by.failed;
  const width = 30;
  const filled = Math.round((finished / Math.max(1, run.partitionsTotal)) * width);
  const rate = elapsed_ms > 0 ? Math.round(((run.loansClosed + run.loansAdvanced) * 1000) / elapsed_ms) : 0;
  const marks = run.partitions.map((p) => STATUS_MARK[p.status]).join('');
  return `[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${finished}/${counted(run.partitionsTotal, 'partition')}, ${counted(run.loansClosed, 'loan')} closed, ${run.loansAdvanced} advanced, ${counted(run.eventsWritten, 'event')}, ${rate} loans/s, ${by.running} running, ${by.failed} failed ${marks}`;
}

function summaryJson(run: EodRunDetail, elapsed_ms: number) {
  return {
    runId: run.runId,
    businessDay: run.businessDay,
    status: run.status,
    resumes: run.resumes,
    loansClosed: run.loansClosed,
    loansAdvanced: run.loansAdvanced,
    eventsWritten: run.eventsWritten,
    elapsed_ms,
    partitions: run.partitions.map((p) => ({
      partitionNo: p.partitionNo,
      status: p.status,
      claims: p.claims,
      loansClosed: p.loansClosed,
      loansAdvanced: p.loansAdvanced,
      eventsWritten: p.eventsWritten,
      errors: p.errors,
    })),
  };
}

/** Writes progress: a bar redrawn in place on a terminal, one plain line per partition change otherwise. */
function progressWriter(io: CliIo, enabled: boolean, started_ms: number) {
  const tty = isTty(io.stderr);
  const seen = new Map<number, string>();
  let drawn = false;
  return {
    update(run: EodRunDetail) {
      if (!enabled) return;
      if (tty) {
        io.stderr.write(`\r\u001b[2K${progressLine(run, Date.now() - started_ms)}`);
        drawn = true;
        return;
      }
      for (const p of run.partitions) {
        const key = `${p.status}:${p.claims}`;
        if (seen.get(p.partitionNo) === key) continue;
        seen.set(p.partitionNo, key);
        if (p.status === 'pending') continue;
        const who = p.claimedBy === null ? '' : ` by ${p.claimedBy}`;
        writeLine(
          io.stderr,
          `partition ${p.partitionNo} (keys ${p.keyFrom}-${p.keyTo}) ${p.status}${p.status === 'running' ? who : ''}: ${p.loansClosed} closed, ${p.loansAdvanced} advanced, ${counted(p.eventsWritten, 'event')}${p.errors.length > 0 ? `, ${counted(p.errors.length, 'error')}` : ''}`,
        );
      }
    },
    end() {
      if (drawn) io.stderr.write('\n');
    },
  };
}

function printOutcome(io: CliIo, run: EodRunDetail, elapsed_ms: number): void {
  writeLine(
    io.stdout,
    `EOD ${run.businessDay} ${run.status} (run ${run.runId}${run.resumes > 0 ? `, resumed ${counted(run.resumes, 'time')}` : ''}): ${counted(run.loansClosed, 'loan')} closed, ${run.loansAdvanced} advanced without work, ${counted(run.eventsWritten, 'event')}, ${(elapsed_ms / 1000).toFixed(1)} s`,
  );
  const failed = run.partitions.filter((p) => p.status === 'failed');
  if (failed.length === 0) return;
  const rows = failed.flatMap((p) =>
    p.errors.map((e) => [String(p.partitionNo), e.loanId ?? '-', e.worker, e.message]),
  );
  io.stderr.write(
    `${renderTable(
      [{ header: 'partition' }, { header: 'loan' }, { header: 'worker' }, { header: 'error' }],
      rows,
    )}\n`,
  );
}

async function runEodCommand(io: CliIo, o: EodCliOptions): Promise<void> {
  if (o.date === undefined) throw new UsageError('--date YYYY-MM-DD is required: the business date to close');
  // Every argument is checked before the database is opened, so a mistake leaves no folder behind.
  let date: string;
  try {
    date = checkBusinessDay(o.date);
  } catch (error) {
    throw new UsageError(`--date: ${(error as Error).message}`);
  }
  const today = lenderToday(cliTimeZone());
  const workers =
    o.workers === undefined ? 1 : parsePositiveInt(o.workers, '--workers', EOD_BOUNDS.workers_max);
  const options = parseOptions(o);
  const target = resolveDbTarget(o.db);
  if (target.kind === 'pglite' && workers > 1) {
    throw new UsageError(
      `--workers ${workers} needs a PostgreSQL server (--db postgres://…): an embedded database is opened by one process, which runs the batch alone`,
    );
  }
  const partitionsInFlight = parsePartitionsInFlight(o.partitionsInFlight, target.kind);
  await withMigratedDb(o.db, async (db) => {
    const started_ms = Date.now();
    const progress = progressWriter(io, o.progress !== false && o.json !== true, started_ms);
    let run: EodRunDetail;
    try {
      run = await runEod(db, ledgerEod, {
        businessDay: date,
        requestedBy: 'cli',
        today,
        workers,
        partitionsInFlight,
        options,
        ...(target.kind === 'postgres' ? { dbUrl: target.url } : {}),
        onStart: (s) => {
          if (o.json === true) return;
          const what =
            s.outcome === 'created'
              ? `started run ${s.run.runId}`
              : s.outcome === 'resumed'
                ? `resuming run ${s.run.runId}`
                : `run ${s.run.runId} had already succeeded; nothing to do`;
          const days =
            s.daysToClose > 1 ? `, closing ${s.daysToClose} business days through ${s.run.businessDay}` : '';
          writeLine(
            io.stderr,
            `EOD ${s.run.businessDay}: ${what} (${counted(s.run.partitionsTotal, 'partition')}${days})`,
          );
        },
        onProgress: (r) => progress.update(r),
      });
    } catch (error) {
      progress.end();
      if (error instanceof EodRunError) throw new UsageError(error.message);
      throw error;
    }
    progress.end();
    const elapsed_ms = Date.now() - started_ms;
    // EOD lists the write-off candidates of the new business day; it never writes a loan off itself.
    const writeOffs =
      run.status === 'succeeded'
        ? (await writeOffCandidatesNow(db, WRITE_OFF_CANDIDATES_MAX)).candidates.length
        : 0;
    if (o.json === true) writeJson(io, { ...summaryJson(run, elapsed_ms), writeOffCandidates: writeOffs });
    else {
      printOutcome(io, run, elapsed_ms);
      if (writeOffs > 0) {
        writeLine(
          io.stdout,
          `${counted(writeOffs, 'write-off candidate')} under the lender's rule: lendguard writeoff candidates, then propose and approve (two people)`,
        );
      }
    }
    if (run.status !== 'succeeded') {
      throw new CommandFailedError(
        `EOD ${run.businessDay} failed in ${counted(run.partitions.filter((p) => p.status === 'failed').length, 'partition')} (errors above); fix the cause and run the same command again: closed loans are skipped`,
      );
    }
  });
}

/** `--partitions-in-flight`: PostgreSQL only (an embedded database has one connection). */
function parsePartitionsInFlight(text: string | undefined, kind: 'pglite' | 'postgres'): number {
  if (text === undefined) return kind === 'pglite' ? 1 : EOD_BOUNDS.partitionsInFlight_default;
  const n = parsePositiveInt(text, '--partitions-in-flight', EOD_BOUNDS.partitionsInFlight_max);
  if (kind === 'pglite' && n > 1) {
    throw new UsageError(
      `--partitions-in-flight ${n} needs a PostgreSQL server (--db postgres://…): an embedded database has one connection, so it closes one partition at a time`,
    );
  }
  return n;
}

async function runWorkerCommand(
  io: CliIo,
  o: { db?: string; run?: string; leaseMs?: string; partitionsInFlight?: string },
): Promise<void> {
  const target = resolveDbTarget(o.db);
  if (target.kind !== 'postgres') {
    throw new UsageError(
      'eod worker joins a run on a PostgreSQL server: give --db postgres://… (an embedded database is worked by the process that runs `lendguard eod`)',
    );
  }
  const lease_ms = parseOptions({ ...(o.leaseMs === undefined ? {} : { leaseMs: o.leaseMs }) }).lease_ms;
  const partitionsInFlight = parsePartitionsInFlight(o.partitionsInFlight, target.kind);
  await withMigratedDb(o.db, async (db) => {
    const run = o.run === undefined ? await findOpenRun(db) : await getRun(db, o.run);
    if (run === undefined) {
      throw new UsageError(
        o.run === undefined
          ? 'no EOD run is going; start one with `lendguard eod --date YYYY-MM-DD`, then add workers'
          : `no EOD run ${o.run}; list runs with GET /eod-runs`,
      );
    }
    const report = await runWorker(db, ledgerEod, run.runId, { lease_ms, partitionsInFlight });
    writeLine(
      io.stdout,
      `worker ${report.workerId}: ${counted(report.partitionsFinished, 'partition')} finished, ${report.partitionsLost} taken over; run ${report.run.runId} is ${report.run.status}`,
    );
  });
}

export const registerEod: RegisterCommand = (program, io) => {
  const eod: Command = addDbOption(
    program
      .command('eod')
      .description(
        'Close a business day for every loan (end-of-day batch); run again after a crash to finish the same run',
      )
      .option('--date <YYYY-MM-DD>', 'the business date to close')
      .option(
        '--workers <n>',
        `worker processes (PostgreSQL only; default 1, at most ${EOD_BOUNDS.workers_max})`,
      )
      .option(
        '--partitions-in-flight <n>',
        `partitions each worker closes at once, a connection each (PostgreSQL only; default ${EOD_BOUNDS.partitionsInFlight_default}, at most ${EOD_BOUNDS.partitionsInFlight_max})`,
      )
      .option('--batch-size <n>', `loans per transaction (default ${EOD_OPTIONS_DEFAULT.batchSize})`)
      .option(
        '--partitions <n>',
        `partitions of a new run (default ${EOD_OPTIONS_DEFAULT.partitions}, at most ${EOD_BOUNDS.partitionKeys_count})`,
      )
      .option(
        '--lease-ms <n>',
        `a claim not renewed for this long is taken over (default ${EOD_OPTIONS_DEFAULT.lease_ms})`,
      )
      .option('--no-progress', 'no progress output on stderr')
      .option('--json', 'print a JSON summary on stdout'),
  );
  eod.action((options: EodCliOptions) => explained(() => runEodCommand(io, options)));
  addDbOption(
    eod
      .command('worker')
      .description(
        'Join the running EOD run from another process or machine and close partitions until none is left',
      )
      .option('--run <id>', 'the run to join (default: the one that is going)')
      .option('--lease-ms <n>', `claim lease (default ${EOD_OPTIONS_DEFAULT.lease_ms})`)
      .option(
        '--partitions-in-flight <n>',
        `partitions this worker closes at once (default ${EOD_BOUNDS.partitionsInFlight_default})`,
      ),
  ).action((_options: unknown, command: Command) =>
    // --db, --lease-ms and --partitions-in-flight may stand before or after `worker`: from either command.
    explained(() =>
      runWorkerCommand(
        io,
        command.optsWithGlobals<{
          db?: string;
          run?: string;
          leaseMs?: string;
          partitionsInFlight?: string;
        }>(),
      ),
    ),
  );
};
