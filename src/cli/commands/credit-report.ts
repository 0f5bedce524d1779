import { writeFileSync } from 'node:fs';
import { buildCreditReportMonth, CreditReportJobError, exportCreditReportMonth } from '../../jobs/index.js';
import { type CliIo, CommandFailedError, counted, UsageError, writeJson, writeLine } from '../io.js';
import type { RegisterCommand } from '../register.js';
import { addDbOption, explained, keysFor, withMigratedDb } from './db-options.js';

interface Options {
  db?: string;
  month: string;
  json?: boolean;
  out?: string;
  as?: string;
  identity?: string;
}

async function refusals<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CreditReportJobError) {
      if (error.code === 'month_invalid') throw new UsageError(error.message);
      throw new CommandFailedError(error.message);
    }
    throw error;
  }
}

function progressLine(io: CliIo): (done: number, total: number) => void {
  return (done, total) => writeLine(io.stderr, `built ${done} of ${counted(total, 'account')}`);
}

/** `lendguard credit-report build|export --month YYYY-MM`: the month-end 征信 records and their file. */
export const registerCreditReport: RegisterCommand = (program, io) => {
  const cmd = program
    .command('credit-report')
    .description('Credit reporting (征信): build the month-end records, export those ready to go out');
  addDbOption(
    cmd
      .command('build')
      .description('Build every account’s record of the month (its last day must be closed by EOD)')
      .requiredOption('--month <YYYY-MM>', 'the month to report')
      .option('--json', 'print the counts as JSON'),
  ).action((o: Options) =>
    explained(async () => {
      const counts = await withMigratedDb(o.db, (db) =>
        refusals(() => buildCreditReportMonth(db, o.month, { progress: progressLine(io) })),
      );
      if (o.json) {
        writeJson(io, counts);
        return;
      }
      writeLine(
        io.stdout,
        `${counts.month}: ${counted(counts.accounts, 'account')}, ${counts.ready} ready, ${counts.held} held back (first negative record without the Art. 15 notice), ${counts.negative} negative, ${counts.keptExported} kept as exported`,
      );
    }),
  );
  addDbOption(
    cmd
      .command('export')
      .description('Write the month’s ready records (docs/credit-reporting.md layout) and mark them exported')
      .requiredOption('--month <YYYY-MM>', 'the month to export')
      .option('--out <file>', 'write the file here (default: standard output)')
      .option('--as <name>', 'who exports (recorded with the batch)', 'cli')
      .option(
        '--identity <file>',
        'also write the identity segment (name and ID number of each borrower, in full; file mode 0600); needs --out',
      )
      .option('--json', 'print the batch as JSON (with --out)'),
  ).action((o: Options) =>
    explained(async () => {
      if (o.identity !== undefined && o.out === undefined) {
        throw new UsageError('--identity writes a file beside --out: give --out too');
      }
      const out = await withMigratedDb(o.db, (db, target) =>
        refusals(() =>
          exportCreditReportMonth(
            db,
            o.month,
            o.as ?? 'cli',
            o.identity === undefined ? {} : { cipher: keysFor(target).cipher },
          ),
        ),
      );
      if (o.identity !== undefined && out.identity !== null) {
        writeFileSync(o.identity, out.identity.text, { mode: 0o600 });
        writeLine(
          io.stdout,
          `identity segment of ${counted(out.identity.borrowers, 'borrower')} to ${o.identity} (sha256 ${out.identity.sha256})`,
        );
      }
      if (o.out === undefined) {
        io.stdout.write(out.text);
        writeLine(io.stderr, `${counted(out.records, 'record')}, sha256 ${out.sha256}`);
        return;
      }
      writeFileSync(o.out, out.text);
      const summary = {
        month: out.month,
        batchId: out.batchId,
        records: out.records,
        sha256: out.sha256,
        file: o.out,
      };
      if (o.json) writeJson(io, summary);
      else
        writeLine(
          io.stdout,
          `${counted(out.records, 'record')} of ${out.month} to ${o.out} (batch ${out.batchId ?? 'none'}, sha256 ${out.sha256})`,
        );
    }),
  );
};
