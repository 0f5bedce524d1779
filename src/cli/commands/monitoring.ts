import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { BUREAU_COLUMNS, BureauImportError, importBureauRefresh } from '../../jobs/index.js';
import { type CliIo, counted, UsageError, writeLine } from '../io.js';
import { addDbOption, explained, withMigratedDb } from './db-options.js';

/** Bytes of a bureau refresh file read at most (about a million rows). */
const BUREAU_FILE_BYTES_MAX = 128 * 1024 * 1024;

async function importBureau(io: CliIo, file: string, o: { db?: string }): Promise<void> {
  let text: string;
  try {
    const bytes = readFileSync(file);
    if (bytes.length > BUREAU_FILE_BYTES_MAX)
      throw new UsageError(`${file}: larger than ${BUREAU_FILE_BYTES_MAX} bytes; split it`);
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
  await withMigratedDb(o.db, async (db) => {
    try {
      const r = await importBureauRefresh(db, text);
      writeLine(
        io.stdout,
        `import-bureau: ${counted(r.rows, 'refresh', 'refreshes')} stored from ${file} (sha256 ${r.sha256}); signals follow at the next end of day`,
      );
    } catch (error) {
      if (error instanceof BureauImportError) throw new UsageError(`${file}: ${error.message}`);
      throw error;
    }
  });
}

/** Early warning (预警) inputs under `lendguard monitoring`: the periodic bureau refresh. */
export function addMonitoringInputs(monitoring: Command, io: CliIo): void {
  addDbOption(
    monitoring
      .command('import-bureau <file>')
      .description(
        `Import a periodic bureau refresh (CSV with the header ${BUREAU_COLUMNS.join(',')}): all rows or none; new multi-lender activity becomes a signal at the next end of day`,
      ),
  ).action((file: string, options: { db?: string }) => explained(() => importBureau(io, file, options)));
}
