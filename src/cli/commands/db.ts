import { migrate, openDb, reencryptCustomers, resolveDbTarget } from '../../store/index.js';
import { writeJson, writeLine } from '../io.js';
import type { RegisterCommand } from '../register.js';
import { addDbOption, explained, keysFor, withMigratedDb } from './db-options.js';
import { parsePositiveInt } from './parse.js';

/** Customers re-encrypted per transaction by `db reencrypt-pii`. */
const REENCRYPT_BATCH_DEFAULT = 200;

export const registerDb: RegisterCommand = (program, io) => {
  const db = program.command('db').description('Database maintenance');

  addDbOption(
    db
      .command('migrate')
      .description('Apply pending schema migrations (also done at every start)')
      .option('--json', 'print the result as JSON'),
  ).action((options: { db?: string; json?: boolean }) =>
    explained(async () => {
      const handle = await openDb(resolveDbTarget(options.db));
      try {
        const report = await migrate(handle);
        if (options.json === true) {
          writeJson(io, { database: handle.kind, location: handle.location, ...report });
        } else {
          const what =
            report.applied.length === 0 ? 'nothing to apply' : `applied ${report.applied.join(', ')}`;
          writeLine(
            io.stdout,
            `${what}; schema is at version ${report.schemaVersion} (${handle.kind}: ${handle.location})`,
          );
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
      .option('--batch-size <n>', `customers per transaction (default ${REENCRYPT_BATCH_DEFAULT})`),
  ).action((options: { db?: string; batchSize?: string }) =>
    explained(async () => {
      const batchSize =
        options.batchSize === undefined
          ? REENCRYPT_BATCH_DEFAULT
          : parsePositiveInt(options.batchSize, '--batch-size', 100_000);
      await withMigratedDb(options.db, async (handle, target) => {
        const { cipher } = keysFor(target);
        const count = await reencryptCustomers(handle, cipher, batchSize);
        writeLine(io.stdout, `re-encrypted ${count} customers under key ${cipher.activeKeyId}`);
      });
    }),
  );
};
