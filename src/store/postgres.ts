import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { type Db, INT8_OID, parseInt8, type Queryable, type QueryOptions, type QueryResult } from './db.js';

export interface PostgresOptions {
  url: string;
  /** Connections kept open at most. */
  poolSize_max?: number;
  /** Schema to work in (tests use a fresh one per run); default: the server's search_path. */
  schema?: string;
}

const POOL_SIZE_DEFAULT = 10;
const CONNECT_TIMEOUT_MS = 5_000;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return parseInt8;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

async function copyOnClient(client: pg.PoolClient, copySql: string, text: string): Promise<number> {
  const stream = client.query(copyFromStdin(`${copySql} from stdin`));
  await pipeline(Readable.from([text]), stream);
  return stream.rowCount;
}

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<Row>(
      sql: string,
      params: readonly unknown[] = [],
      options: QueryOptions = {},
    ): Promise<QueryResult<Row>> {
      const result =
        options.name === undefined
          ? await client.query(sql, [...params])
          : await client.query({ name: options.name, text: sql, values: [...params] });
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    },
    async execScript(sql: string): Promise<void> {
      // Without parameters node-postgres uses the simple protocol, which runs several statements.
      await client.query(sql);
    },
    async copyFrom(copySql: string, text: string): Promise<number> {
      if (!(client instanceof pg.Pool)) return copyOnClient(client, copySql, text);
      const own = await client.connect();
      try {
        return await copyOnClient(own, copySql, text);
      } finally {
        own.release();
      }
    },
  };
}

/** The URL with its password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/** The server settings a URL carries (`options=-c …`), kept beside the schema's own. */
function urlOptions(url: string): string {
  try {
    return new URL(url).searchParams.get('options') ?? '';
  } catch {
    return '';
  }
}

/** Connects to a PostgreSQL server through a pool. Checks the connection before returning. */
export async function openPostgres(options: PostgresOptions): Promise<Db> {
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) {
    throw new Error(`schema name "${options.schema}" must be lower-case letters, digits and _`);
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize_max ?? POOL_SIZE_DEFAULT,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    types,
    ...(options.schema === undefined
      ? {}
      : { options: [urlOptions(options.url), `-c search_path=${options.schema}`].join(' ').trim() }),
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end();
    throw error;
  }
  const self = wrap(pool);
  return {
    kind: 'postgres',
    location: redactUrl(options.url),
    query: self.query,
    execScript: self.execScript,
    copyFrom: self.copyFrom,
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('begin');
        const result = await work(wrap(client));
        await client.query('commit');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is dropped from the pool, not reused.
        await client.query('rollback').catch((e: unknown) => {
          broken = e instanceof Error ? e : new Error(String(e));
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
