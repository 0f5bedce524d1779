import { createReadStream, statSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { parse } from 'csv-parse';
import type { Dataset } from '../scoring/index.js';
import { ScoringError, TableBuilder, type TableOptions } from '../scoring/index.js';
import { counted, UsageError } from './io.js';

/** Bytes read between progress-bar updates. */
const PROGRESS_STEP_BYTES = 1 << 20;

export interface LoadOptions extends TableOptions {
  /** Where the progress bar goes; it is shown only when this stream is a terminal. */
  readonly progressStream?: NodeJS.WritableStream;
}

/**
 * Streams a CSV file (header row first, comma-separated, RFC 4180 quoting, optional BOM) into a columnar Dataset,
 * with a progress bar on a terminal. Fails with a UsageError that names the file and the problem.
 */
export async function loadCsv(path: string, options: LoadOptions = {}): Promise<Dataset> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new UsageError(`cannot read data file "${path}": no such file; check the path`);
  }
  if (size === 0) throw new UsageError(`data file "${path}" is empty; it needs a header row and data rows`);
  const stream = createReadStream(path);
  const parser = stream.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true }));
  const tty = options.progressStream as (NodeJS.WritableStream & { isTTY?: boolean }) | undefined;
  const bar =
    tty?.isTTY === true
      ? new SingleBar({
          stream: tty,
          format: `reading ${path} [{bar}] {percentage}% | {rows}`,
          hideCursor: true,
        })
      : undefined;
  bar?.start(size, 0, { rows: counted(0, 'row') });
  let builder: TableBuilder | undefined;
  let lastUpdate = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!builder) {
        builder = new TableBuilder(
          record.map((h) => h.trim()),
          options,
        );
        continue;
      }
      builder.addRow(record);
      if (bar && stream.bytesRead - lastUpdate >= PROGRESS_STEP_BYTES) {
        lastUpdate = stream.bytesRead;
        bar.update(stream.bytesRead, { rows: counted(builder.rowCount, 'row') });
      }
    }
  } catch (error) {
    stream.destroy();
    if (error instanceof ScoringError) throw new UsageError(`${path}: ${error.message}`);
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('CSV_')) {
      throw new UsageError(`${path} is not valid CSV: ${error.message}`);
    }
    throw error;
  } finally {
    if (bar) {
      bar.update(size, { rows: counted(builder?.rowCount ?? 0, 'row') });
      bar.stop();
    }
  }
  if (!builder || builder.rowCount === 0) {
    throw new UsageError(
      `data file "${path}" has no data rows; it needs a header row and at least one data row`,
    );
  }
  return builder.finish();
}
