import type { Command } from 'commander';
import { checkTimeZone, LENDER_TIME_ZONE_DEFAULT } from '../../jobs/index.js';
import { ConfigError } from '../../server/index.js';
import {
  type Db,
  type DbTarget,
  FirstBusinessDayError,
  FolderLockedError,
  type LoadedKeys,
  loadPiiKeys,
  MigrationError,
  migrate,
  openDb,
  PiiKeyError,
  resolveDbTarget,
} from '../../store/index.js';
import { UsageError } from '../io.js';

export const DB_OPTION_HELP =
  'data folder for the embedded database, or a postgres:// URL (default: $LENDGUARD_DB, else ./lendguard-data)';

export function addDbOption(command: Command): Command {
  return command.option('--db <dir|url>', DB_OPTION_HELP);
}

/** Opens and migrates the database named by --db / LENDGUARD_DB, runs `work`, and always closes it. */
export async function withMigratedDb<T>(
  dbOption: string | undefined,
  work: (db: Db, target: DbTarget) => Promise<T>,
): Promise<T> {
  const target = resolveDbTarget(dbOption);
  const db = await openDb(target);
  try {
    await migrate(db);
    return await work(db, target);
  } finally {
    await db.close();
  }
}

/**
 * The lender's time zone, in which "today" is read: $LENDGUARD_TIME_ZONE, else Asia/Shanghai. The
 * command line reads the clock once, here at the edge, and hands the day to what it runs.
 */
export function cliTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  const zone = env.LENDGUARD_TIME_ZONE?.trim() || LENDER_TIME_ZONE_DEFAULT;
  try {
    return checkTimeZone(zone);
  } catch (error) {
    throw new UsageError(`LENDGUARD_TIME_ZONE: ${(error as Error).message}`);
  }
}

export function keysFor(target: DbTarget): LoadedKeys {
  return loadPiiKeys(target);
}

/**
 * Errors an operator fixes (a missing or bad key, a folder in use, an edited migration, a bad
 * setting) are reported as usage errors: one line that says what to do, no stack trace.
 */
export async function explained<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (
      error instanceof PiiKeyError ||
      error instanceof FolderLockedError ||
      error instanceof MigrationError ||
      error instanceof ConfigError ||
      error instanceof FirstBusinessDayError
    ) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}
