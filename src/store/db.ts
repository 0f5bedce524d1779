/**
 * The one database interface the shell uses. Two implementations speak the same PostgreSQL dialect:
 * PGlite (embedded, in a local folder or in memory) and a PostgreSQL server through node-postgres.
 */

export interface QueryResult<Row> {
  rows: Row[];
  /** Rows inserted, updated or deleted by the statement (0 for a plain SELECT on some backends). */
  rowCount: number;
}

export interface QueryOptions {
  /**
   * Prepare the statement once per connection under this name and reuse it (a PostgreSQL server saves
   * the parsing and, after a few runs, the planning). One name, one SQL text, for the life of the process.
   */
  name?: string;
}

export interface Queryable {
  /** One statement with positional parameters ($1, $2 …). */
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<Row>>;
  /** Several statements separated by semicolons, without parameters (migrations). */
  execScript(sql: string): Promise<void>;
  /**
   * Bulk load: runs `COPY table (columns) FROM STDIN` with `text` as the data, in PostgreSQL's text
   * format (src/store/copy.ts encodes it). `copySql` is the statement up to and excluding `FROM`.
   * Returns the rows loaded.
   */
  copyFrom(copySql: string, text: string): Promise<number>;
}

export type DbKind = 'pglite' | 'postgres';

export interface Db extends Queryable {
  readonly kind: DbKind;
  /** Human-readable location for messages (folder, "memory" or the URL without its password). */
  readonly location: string;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
   * Queries on `tx` belong to the transaction; queries on the Db itself do not.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL's OID for int8 (bigint). Both backends turn it into a safe JS integer. */
export const INT8_OID = 20;

export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new Error(`bigint value ${text} is beyond the safe integer range of this build`);
  }
  return value;
}

/** An error from PostgreSQL with its SQLSTATE code (same shape from both backends). */
export function sqlState(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

export const SQLSTATE_UNIQUE_VIOLATION = '23505';
