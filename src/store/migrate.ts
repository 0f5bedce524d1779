import { createHash } from 'node:crypto';
import type { Db } from './db.js';
import { type Migration, migrations as releasedMigrations } from './migrations/index.js';

/** Advisory lock key held while migrating, so that two processes starting at once take turns. */
const MIGRATION_LOCK_KEY = 0x1e9d_0001;

export function migrationChecksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex');
}

export class MigrationError extends Error {
  constructor(
    readonly code: 'migration_changed' | 'migration_unknown' | 'migration_order',
    message: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

export interface MigrationReport {
  applied: number[];
  alreadyApplied: number[];
  schemaVersion: number;
}

function assertOrdered(list: readonly Migration[]): void {
  // Versions rise; a gap is allowed, because branches are given version numbers ahead and merged in any
  // order (a version missing here is applied when a build that has it runs, in version order).
  list.forEach((m, i) => {
    const previous = i === 0 ? 0 : list[i - 1]!.version;
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new MigrationError(
        'migration_order',
        `migration "${m.name}" has version ${m.version} after version ${previous}; versions must rise in order`,
      );
    }
  });
}

/**
 * Brings the schema up to date in one transaction under an advisory lock. Refuses (and changes
 * nothing) when an applied migration's text differs from the code, or when the database has a
 * migration this code does not know (it was migrated by a newer build).
 */
export async function migrate(
  db: Db,
  list: readonly Migration[] = releasedMigrations,
): Promise<MigrationReport> {
  assertOrdered(list);
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.execScript(`
      create table if not exists schema_migrations (
        version     integer primary key,
        name        text not null,
        checksum    text not null,
        applied_at  timestamptz not null default now()
      )`);
    const { rows } = await tx.query<{ version: number; name: string; checksum: string }>(
      'select version, name, checksum from schema_migrations order by version',
    );
    const known = new Map(list.map((m) => [m.version, m]));
    for (const row of rows) {
      const migration = known.get(row.version);
      if (migration === undefined) {
        throw new MigrationError(
          'migration_unknown',
          `the database has migration ${row.version} "${row.name}", which this build does not know; run a build at least as new as the one that migrated it`,
        );
      }
      if (migrationChecksum(migration) !== row.checksum) {
        throw new MigrationError(
          'migration_changed',
          `migration ${row.version} "${row.name}" was changed after it was applied (checksum differs); restore its original text and put the change in a new migration`,
        );
      }
    }
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const migration of list) {
      if (done.has(migration.version)) continue;
      await tx.execScript(migration.sql);
      await tx.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
        migration.version,
        migration.name,
        migrationChecksum(migration),
      ]);
      applied.push(migration.version);
    }
    return {
      applied,
      alreadyApplied: [...done].sort((a, b) => a - b),
      schemaVersion: list.length === 0 ? 0 : list[list.length - 1]!.version,
    };
  });
}

/** The highest applied migration, or 0 on an empty database. */
export async function schemaVersion(db: Db): Promise<number> {
  const exists = await db.query<{ present: boolean }>(
    "select to_regclass('schema_migrations') is not null as present",
  );
  if (exists.rows[0]?.present !== true) return 0;
  const { rows } = await db.query<{ version: number | null }>(
    'select max(version) as version from schema_migrations',
  );
  return rows[0]?.version ?? 0;
}
