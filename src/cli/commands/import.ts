import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { SingleBar } from 'cli-progress';
import { parse } from 'csv-parse/sync';
import {
  IMPORT_LOANS_PER_TRANSACTION_DEFAULT,
  ImportFileError,
  type ImportLoansReport,
  importLoans,
} from '../../jobs/index.js';
import {
  type CsvRecord,
  formatFigure,
  type ImportFault,
  type ImportLoan,
  type ImportProblem,
  readImportCsv,
  readImportJson,
} from '../../ledger/index.js';
import { formatDate } from '../../money/index.js';
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
import { addDbOption, explained, keysFor, withMigratedDb } from './db-options.js';
import { parsePositiveInt } from './parse.js';

/** Largest file read (the whole file is read and checked before anything is written). */
const IMPORT_FILE_BYTES_MAX = 1024 * 1024 * 1024;
/** Faults printed for a file that cannot be imported. */
const FAULTS_SHOWN_MAX = 20;

interface ImportCliOptions {
  file?: string;
  format?: string;
  db?: string;
  allOrNothing?: boolean;
  loansPerTransaction?: string;
  json?: boolean;
}

function faultsMessage(file: string, faults: readonly ImportFault[]): string {
  const shown = faults.slice(0, FAULTS_SHOWN_MAX).map((f) => `  ${file} ${f.where}: ${f.message}`);
  const more = faults.length > FAULTS_SHOWN_MAX ? [`  … and ${faults.length - FAULTS_SHOWN_MAX} more`] : [];
  return [
    `${file} cannot be imported; nothing was written. Fix these and run again:`,
    ...shown,
    ...more,
  ].join('\n');
}

/** Reads and checks the file: every fault found is reported at once, with its line or path. */
export function readImportFile(path: string, format: 'csv' | 'json'): readonly ImportLoan[] {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new UsageError(`cannot read ${path}: no such file; check the path`);
  }
  if (size > IMPORT_FILE_BYTES_MAX) {
    throw new UsageError(
      `${path} is larger than ${IMPORT_FILE_BYTES_MAX} bytes; split it into several files`,
    );
  }
  const content = readFileSync(path, 'utf8');
  if (format === 'json') {
    let document: unknown;
    try {
      document = JSON.parse(content);
    } catch (error) {
      throw new UsageError(
        `${path} is not valid JSON (${(error as Error).message}); the layout is in docs/import.md`,
      );
    }
    const read = readImportJson(document);
    if (!read.ok) throw new UsageError(faultsMessage(path, read.faults));
    return read.loans;
  }
  let records: CsvRecord[];
  try {
    const parsed = parse(content, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    records = parsed.map((p) => ({ line: p.info.lines, fields: p.record }));
  } catch (error) {
    const e = error as Error & { lines?: number };
    throw new UsageError(
      `${path} line ${e.lines ?? '?'}: not readable as CSV (${e.message}); the layout is in docs/import.md`,
    );
  }
  const read = readImportCsv(records);
  if (!read.ok) throw new UsageError(faultsMessage(path, read.faults));
  return read.loans;
}

function problemRow(p: ImportProblem): string[] {
  if (p.kind === 'difference') {
    return [
      p.loanRef,
      p.field,
      formatFigure(p.field, p.ours),
      formatFigure(p.field, p.theirs),
      formatDate(p.day),
      formatDate(p.agreedThroughDay),
      p.where,
    ];
  }
  return [p.loanRef, `refused: ${p.code}`, p.message, '', formatDate(p.day), '', p.where];
}

function printReport(io: CliIo, file: string, report: ImportLoansReport): void {
  const bd = formatDate(report.businessDay);
  writeLine(
    io.stdout,
    `${file}: ${report.loansImported} of ${counted(report.loansRead, 'loan')} imported on ${counted(report.linesImported, 'credit line')}, closed through the eve of business day ${bd}; ${counted(report.customersCreated, 'customer')} created, ${report.customersFound} found by ID number${report.productsCreated.length > 0 ? `; products created: ${report.productsCreated.join(', ')}` : ''}`,
  );
  if (report.problems.length === 0) return;
  const disagreeing = `${counted(report.problems.length, 'loan')} not agreeing with the file`;
  writeLine(
    io.stdout,
    report.nothingWritten
      ? `${disagreeing}: nothing was written (--all-or-nothing)`
      : `${disagreeing} and not written (the others were):`,
  );
  writeLine(
    io.stdout,
    renderTable(
      [
        { header: 'loan' },
        { header: 'field' },
        { header: 'ours', align: 'right' },
        { header: 'theirs', align: 'right' },
        { header: 'day' },
        { header: 'agreed through' },
        { header: 'where' },
      ],
      report.problems.map(problemRow),
    ),
  );
  if (report.heldBack.length > 0) {
    writeLine(io.stdout, `held back with them (same credit line): ${report.heldBack.join(', ')}`);
  }
}

function presentProblem(p: ImportProblem) {
  return p.kind === 'difference'
    ? {
        ...p,
        day: formatDate(p.day),
        agreedThroughDay: formatDate(p.agreedThroughDay),
        oursText: formatFigure(p.field, p.ours),
        theirsText: formatFigure(p.field, p.theirs),
      }
    : { ...p, day: formatDate(p.day) };
}

export const registerImport: RegisterCommand = (program, io) => {
  const group = program.command('import').description('Import an existing book (docs/import.md)');
  addDbOption(
    group
      .command('loans')
      .description(
        'Import loans with their history from a CSV or JSON file: each is replayed through the engine to the business day and reconciled with the balances the file states; loans that agree are written, the others reported',
      )
      .option('--file <path>', 'the file to import (.csv or .json; layout in docs/import.md)')
      .option('--format <csv|json>', 'the file format (default: from the file name)')
      .option('--all-or-nothing', 'write nothing unless every loan of the file agrees (one transaction)')
      .option(
        '--loans-per-transaction <n>',
        `loans written per transaction (default ${IMPORT_LOANS_PER_TRANSACTION_DEFAULT}; a credit line's loans are never split)`,
      )
      .option('--json', 'print the report as JSON'),
  ).action((options: ImportCliOptions) =>
    explained(async () => {
      if (options.file === undefined)
        throw new UsageError('--file is required: the CSV or JSON file of loans');
      const format = options.format ?? extname(options.file).slice(1).toLowerCase();
      if (format !== 'csv' && format !== 'json') {
        throw new UsageError(
          `--format must be csv or json; the file name ${options.file} does not say which, so give --format`,
        );
      }
      const perTx =
        options.loansPerTransaction === undefined
          ? IMPORT_LOANS_PER_TRANSACTION_DEFAULT
          : parsePositiveInt(options.loansPerTransaction, '--loans-per-transaction', 100_000);
      const loans = readImportFile(options.file, format);
      const tty = io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
      const bar =
        tty.isTTY === true && options.json !== true
          ? new SingleBar({
              stream: tty,
              format: 'importing [{bar}] {percentage}% | {value}/{total} loans | {eta_formatted} left',
              hideCursor: true,
            })
          : undefined;
      const report = await withMigratedDb(options.db, async (db, target) => {
        const { cipher } = keysFor(target);
        bar?.start(loans.length, 0);
        try {
          return await importLoans(db, cipher, loans, {
            allOrNothing: options.allOrNothing === true,
            loansPerTransaction: perTx,
            createdBy: 'import',
            onProgress: (done) => bar?.update(done),
          });
        } catch (error) {
          if (error instanceof ImportFileError)
            throw new UsageError(faultsMessage(options.file!, error.faults));
          throw error;
        } finally {
          bar?.stop();
        }
      });
      if (options.json === true) {
        writeJson(io, {
          ...report,
          businessDay: formatDate(report.businessDay),
          problems: report.problems.map(presentProblem),
        });
      } else {
        printReport(io, options.file, report);
      }
      if (report.problems.length > 0) throw new CommandFailedError();
    }),
  );
};
