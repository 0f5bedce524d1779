import { lenderToday } from '../../jobs/index.js';
import {
  migrate,
  openDb,
  reencryptCustomers,
  reencryptPiiColumns,
  resolveDbTarget,
  setFirstBusinessDay,
} from '../../store/index.js';
import { counted, UsageError, writeJson, writeLine } from '../io.js';
import type { RegisterCommand } from '../register.js';
import { addDbOption, cliTimeZone, explained, keysFor, withMigratedDb } from './db-options.js';
import { parsePositiveInt } from './parse.js';

/** Rows (customers, notes, …) re-encrypted per transaction by `db reencrypt-pii`. */
const REENCRYPT_BATCH_DEFAULT = 200;

export const registerDb: RegisterCommand = (program, io) => {
  const db = program.command('db').description('Database maintenance');

  addDbOption(
    db
      .command('migrate')
      .description('Apply pending schema migrations (also done at every start)')
      .option(
        '--business-day <YYYY-MM-DD>',
        'set the first business day of a database with no credit line or loan yet (a book that starts behind the clock; EOD then runs forward to today)',
      )
      .option('--json', 'print the result as JSON'),
  ).action((options: { db?: string; json?: boolean; businessDay?: string }) =>
    explained(async () => {
      const today = lenderToday(cliTimeZone());
      if (options.businessDay !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.businessDay)) {
        throw new UsageError(`--business-day must be a date YYYY-MM-DD; got "${options.businessDay}"`);
      }
      const handle = await openDb(resolveDbTarget(options.db));
      try {
        const report = await migrate(handle);
        if (options.businessDay !== undefined) {
          await setFirstBusinessDay(handle, options.businessDay, today);
        }
        if (options.json === true) {
          writeJson(io, {
            database: handle.kind,
            location: handle.location,
            ...report,
            ...(options.businessDay === undefined ? {} : { businessDay: options.businessDay }),
          });
        } else {
          const what =
            report.applied.length === 0 ? 'nothing to apply' : `applied ${report.applied.join(', ')}`;
          writeLine(
            io.stdout,
            `${what}; schema is at version ${report.schemaVersion} (${handle.kind}: ${handle.location})`,
          );
          if (options.businessDay !== undefined) {
            writeLine(
              io.stdout,
              `the first business day is ${options.businessDay}; close days up to today (${today}) with lendguard eod --date`,
            );
          }
        }
      } finally {
        await handle.close();
      }
    }),
  );

  addDbOption(
    db
      .command('reencrypt-pii')
      .description(
        'Re-encrypt personal data written under retired keys with the active key (see docs/security.md)',
      )
      .option('--batch-size <n>', `rows per transaction (default ${REENCRYPT_BATCH_DEFAULT})`),
  ).action((options: { db?: string; batchSize?: string }) =>
    explained(async () => {
      const batchSize =
        options.batchSize === undefined
          ? REENCRYPT_BATCH_DEFAULT
          : parsePositiveInt(options.batchSize, '--batch-size', 100_000);
      await withMigratedDb(options.db, async (handle, target) => {
        const { cipher } = keysFor(target);
        const customers = await reencryptCustomers(handle, cipher, batchSize);
        writeLine(
          io.stdout,
          `re-encrypted ${counted(customers, 'customer')} under key ${cipher.activeKeyId}`,
        );
        let total = customers;
        for (const r of await reencryptPiiColumns(handle, cipher, batchSize)) {
          total += r.rows;
          if (r.rows > 0)
            writeLine(io.stdout, `re-encrypted ${counted(r.rows, 'row')} of ${r.table}.${r.column}`);
        }
        writeLine(
          io.stdout,
          `re-encrypted ${counted(total, 'row')} in all under key ${cipher.activeKeyId}${total === 0 ? ': nothing is left under a retired key' : ''}`,
        );
      });
    }),
  );
};
