import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Db, migrate, openPostgres } from '../../src/store/index.js';
import { openMigratedPglite, openTestPglite } from '../support/pglite-template.js';

/** A database backend that a suite runs against; `open` gives a fresh, empty database. */
export interface Backend {
  name: 'pglite' | 'postgres';
  open(): Promise<Db>;
}

export const TEST_PG_URL = process.env.LENDGUARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Each test database on the server lives in its own schema, dropped on close, so parallel files and
 * runs never see each other's rows.
 */
async function openFreshSchema(url: string): Promise<Db> {
  const schema = `lg_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = await openPostgres({ url, schema, poolSize_max: 4 });
  return {
    ...db,
    async close() {
      await db.query(`drop schema ${schema} cascade`);
      await db.close();
    },
  };
}

const unreachableReason = await reachable(TEST_PG_URL);
const inCi = process.env.CI === 'true';

/**
 * PGlite always; the PostgreSQL server when it answers. With CI=true a server that does not answer is a
 * failure, not a skip: its backend stays in the list and opening it throws.
 */
export const backends: Backend[] = [
  { name: 'pglite', open: () => openTestPglite({ migrated: false }) },
  ...(unreachableReason === undefined || inCi
    ? [
        {
          name: 'postgres' as const,
          async open() {
            if (unreachableReason !== undefined) {
              throw new Error(
                `CI=true but PostgreSQL at ${TEST_PG_URL} is not reachable (${unreachableReason}); start it or set LENDGUARD_TEST_PG_URL`,
              );
            }
            return openFreshSchema(TEST_PG_URL);
          },
        },
      ]
    : []),
];

export async function openMigrated(backend: Backend): Promise<Db> {
  if (backend.name === 'pglite') return openMigratedPglite();
  const db = await backend.open();
  await migrate(db);
  return db;
}

/** Every row of every table in the schema, in a stable order: compare before and after a request. */
export async function dumpTables(db: Db): Promise<Record<string, unknown[]>> {
  const { rows } = await db.query<{ table_name: string }>(
    `select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
  );
  const dump: Record<string, unknown[]> = {};
  for (const { table_name } of rows) {
    const data = await db.query(`select * from ${table_name} order by 1`);
    dump[table_name] = data.rows;
  }
  return dump;
}
