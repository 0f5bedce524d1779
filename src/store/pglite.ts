import { PGlite, type Transaction } from '@electric-sql/pglite';
import { type Db, INT8_OID, parseInt8, type Queryable, type QueryResult } from './db.js';

export interface PgliteOptions {
  /** Folder holding the database; omitted for an in-memory database (tests). */
  dataDir?: string;
  /**
   * A database to start from instead of an empty one: a dump made by `dump()`. Opening a dump skips
   * initdb, about two thirds of the time it takes to open (the test suite starts each database from one
   * migrated dump).
   */
  from?: Blob;
}

/** A PGlite database, which can also be dumped whole. */
export interface PgliteDb extends Db {
  /** The whole data folder as an uncompressed tar, for `openPglite({ from })`. */
  dump(): Promise<Blob>;
}

function wrap(target: PGlite | Transaction): Queryable {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      const result = await target.query<Row>(sql, [...params]);
      return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
    },
    async execScript(sql: string): Promise<void> {
      await target.exec(sql);
    },
    async copyFrom(copySql: string, text: string): Promise<number> {
      // PGlite reads COPY data from a blob passed with the statement.
      const result = await target.query(`${copySql} from '/dev/blob'`, [], { blob: new Blob([text]) });
      return result.affectedRows ?? 0;
    },
  };
}

/** Opens an embedded PostgreSQL (PGlite). One process owns a data folder at a time. */
export async function openPglite(options: PgliteOptions = {}): Promise<PgliteDb> {
  const pg = await PGlite.create({
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.from === undefined ? {} : { loadDataDir: options.from }),
    parsers: { [INT8_OID]: parseInt8 },
  });
  const self = wrap(pg);
  return {
    kind: 'pglite',
    location: options.dataDir ?? 'memory',
    query: self.query,
    execScript: self.execScript,
    copyFrom: self.copyFrom,
    transaction: (work) => pg.transaction((tx) => work(wrap(tx))),
    close: () => pg.close(),
    dump: () => pg.dumpDataDir('none'),
  };
}
