import type { Db } from './db.js';
import { lockFolder } from './folder-lock.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

/** Where the data lives when neither --db nor LENDGUARD_DB says otherwise. */
export const DEFAULT_DATA_DIR = './lendguard-data';

export type DbTarget = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

/** `--db` wins over `LENDGUARD_DB`, which wins over the default folder. A postgres URL means a server. */
export function resolveDbTarget(option: string | undefined, env: NodeJS.ProcessEnv = process.env): DbTarget {
  const raw = (option ?? env.LENDGUARD_DB ?? DEFAULT_DATA_DIR).trim();
  if (raw === '') return { kind: 'pglite', dataDir: DEFAULT_DATA_DIR };
  if (/^postgres(ql)?:\/\//i.test(raw)) return { kind: 'postgres', url: raw };
  return { kind: 'pglite', dataDir: raw };
}

/** Opens the database; an embedded folder is claimed for this process until the Db is closed. */
export async function openDb(target: DbTarget): Promise<Db> {
  if (target.kind === 'postgres') return openPostgres({ url: target.url });
  const release = lockFolder(target.dataDir);
  try {
    const db = await openPglite({ dataDir: target.dataDir });
    return {
      ...db,
      async close() {
        try {
          await db.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
