import Table from 'cli-table3';

/** Where a command writes. Injected so that commands can be run and checked in-process. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Exit status for input the user must fix (bad option, impossible value). */
export const EXIT_USAGE = 2;
/** Exit status for a failure that is not the user's input. */
export const EXIT_FAILURE = 1;

/**
 * An error caused by the command's input. Its message says what is wrong and how to fix it;
 * the command line prints it and exits with status 2.
 */
export class UsageError extends Error {
  readonly exitCode = EXIT_USAGE;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The command ran and did not succeed (e.g. a batch that finished with failures). It has already printed
 * what went wrong; the command line exits with status 1 and prints `message` only when it is not empty.
 */
export class CommandFailedError extends Error {
  readonly exitCode = EXIT_FAILURE;
  constructor(message = '') {
    super(message);
    this.name = 'CommandFailedError';
  }
}

export function writeLine(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(`${text}\n`);
}

export function writeJson(io: CliIo, value: unknown): void {
  writeLine(io.stdout, JSON.stringify(value, null, 2));
}

export interface TableColumn {
  header: string;
  align?: 'left' | 'right';
}

/** Renders rows as a plain bordered table that reads well in a terminal (CJK widths included). */
export function renderTable(columns: readonly TableColumn[], rows: readonly (readonly string[])[]): string {
  const table = new Table({
    head: columns.map((c) => c.header),
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: { head: [], border: [] },
  });
  for (const row of rows) table.push([...row]);
  return table.toString();
}
