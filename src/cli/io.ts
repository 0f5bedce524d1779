import { stringifyChunked } from '@discoveryjs/json-ext';
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

/** The command line's one way to print a count (money/counted.ts): "1 loan", "0 loans". */
export { counted } from '../money/index.js';

export function writeLine(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(`${text}\n`);
}

/**
 * The value as indented JSON (JSON.stringify's text) and a newline, written a piece at a time: the ECL report
 * of a million loans is more text than one string can hold.
 */
export function writeJson(io: CliIo, value: unknown): void {
  for (const piece of stringifyChunked(value, null, 2)) io.stdout.write(piece);
  io.stdout.write('\n');
}

export interface TableColumn {
  header: string;
  align?: 'left' | 'right';
}

/** Display width of text in a terminal: CJK and other wide characters take two columns. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      code >= 0x20000;
    width += wide ? 2 : 1;
  }
  return width;
}

/** Narrowest a column is made when a table is fitted to the terminal. */
const COLUMN_WIDTH_MIN = 8;

/**
 * Column widths (content plus one space each side) that fit `width_max` terminal columns with the borders:
 * the widest columns give way first, none below `COLUMN_WIDTH_MIN`; undefined when the table fits as it is.
 */
export function fitColumnWidths(natural: readonly number[], width_max: number): number[] | undefined {
  const borders = natural.length + 1;
  const widths = natural.map((w) => w + 2);
  const total = () => widths.reduce((a, b) => a + b, 0) + borders;
  if (total() <= width_max) return undefined;
  while (total() > width_max) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= COLUMN_WIDTH_MIN) break;
    widths[widest] = widths[widest]! - 1;
  }
  return widths;
}

/** The terminal's width when stdout is one; undefined for pipes and files (tables are then not wrapped). */
function terminalWidth(): number | undefined {
  return process.stdout.isTTY === true ? process.stdout.columns : undefined;
}

/**
 * Renders rows as a plain bordered table that reads well in a terminal (CJK widths included). On a terminal
 * narrower than the table, the widest columns wrap so that the table fits.
 */
export function renderTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  width_max: number | undefined = terminalWidth(),
): string {
  const natural = columns.map((c, i) =>
    Math.max(
      displayWidth(c.header),
      ...rows.map((r) => Math.max(...(r[i] ?? '').split('\n').map(displayWidth))),
    ),
  );
  const fitted = width_max === undefined ? undefined : fitColumnWidths(natural, width_max);
  const table = new Table({
    head: columns.map((c) => c.header),
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: { head: [], border: [] },
    ...(fitted === undefined ? {} : { colWidths: fitted, wordWrap: true, wrapOnWordBoundary: false }),
  });
  for (const row of rows) table.push([...row]);
  return table.toString();
}
