import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Db, migrate, migrationChecksum, openPglite, type PgliteDb } from '../../src/store/index.js';
import { migrations } from '../../src/store/migrations/index.js';

/**
 * Test databases on PGlite start from a dump rather than from nothing: initdb and the migrations take about
 * 2.7 s a database, opening a dump about 0.9 s. One dump of an empty database and one of a migrated one are
 * kept under node_modules/.cache, named by PGlite's version and (for the migrated one) every migration's
 * version and checksum, so a changed migration or a new PGlite makes a new dump. Migrations themselves stay
 * under test: `backend.open()` gives an empty database and tests that migrate it run them; on PostgreSQL
 * every test database is migrated from scratch.
 */
const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/lendguard-test', import.meta.url));

const pgliteVersion = (
  JSON.parse(
    readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8'),
  ) as { version: string }
).version;

function key(migrated: boolean): string {
  const hash = createHash('sha256').update(`pglite ${pgliteVersion}\n`);
  if (migrated) for (const m of migrations) hash.update(`${m.version} ${migrationChecksum(m)}\n`);
  return hash.digest('hex').slice(0, 16);
}

const loaded = new Map<string, Blob>();

async function template(migrated: boolean): Promise<Blob> {
  const file = path.join(CACHE_DIR, `pglite-${migrated ? 'migrated' : 'empty'}-${key(migrated)}.tar`);
  const cached = loaded.get(file);
  if (cached !== undefined) return cached;
  let blob: Blob;
  if (existsSync(file)) {
    blob = new Blob([readFileSync(file)]);
  } else {
    const db = await openPglite();
    if (migrated) await migrate(db);
    blob = await db.dump();
    await db.close();
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written aside and renamed, so a file running at the same time never reads half a dump.
    const aside = `${file}.${process.pid}.tmp`;
    writeFileSync(aside, new Uint8Array(await blob.arrayBuffer()));
    renameSync(aside, file);
  }
  loaded.set(file, blob);
  return blob;
}

/** A fresh in-memory PGlite database: empty, or with every migration applied. */
export async function openTestPglite(options: { migrated: boolean }): Promise<PgliteDb> {
  return openPglite({ from: await template(options.migrated) });
}

/** A fresh in-memory PGlite database with every migration applied (checked again by `migrate`). */
export async function openMigratedPglite(): Promise<Db> {
  const db = await openTestPglite({ migrated: true });
  await migrate(db);
  return db;
}
