import type { CreditLineState } from '../../ledger/index.js';
import type { Queryable } from '../db.js';
import { fromJsonText, toJsonText } from './codec.js';

export interface StoredLine {
  customerId: string;
  lineId: string;
  state: CreditLineState;
  rowVersion: number;
  createdAt: string;
  updatedAt: string;
}

interface LineRow {
  customer_id: string;
  line_id: string;
  state: string;
  row_version: number;
  created_at: string;
  updated_at: string;
}

const TS = (c: string) => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${c}`;
const COLUMNS = `customer_id, line_id, state::text as state, row_version, ${TS('created_at')}, ${TS('updated_at')}`;

function fromRow(row: LineRow): StoredLine {
  return {
    customerId: row.customer_id,
    lineId: row.line_id,
    state: fromJsonText<CreditLineState>(row.state),
    rowVersion: Number(row.row_version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function insertLine(q: Queryable, line: CreditLineState): Promise<StoredLine> {
  const { rows } = await q.query<LineRow>(
    `insert into credit_lines (customer_id, line_id, limit_minor, used_minor, status, state)
     values ($1, $2, $3, $4, $5, $6::jsonb) returning ${COLUMNS}`,
    [line.customerId, line.lineId, line.limitMinor, line.usedMinor, line.status, toJsonText(line)],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('assertion: insert returned no row');
  return fromRow(row);
}

/** A line by id; `forUpdate` locks its row until the transaction ends. */
export async function findLine(
  q: Queryable,
  lineId: string,
  options: { forUpdate?: boolean; customerId?: string } = {},
): Promise<StoredLine | undefined> {
  const { rows } = await q.query<LineRow>(
    `select ${COLUMNS} from credit_lines where line_id = $1 and ($2::text is null or customer_id = $2)
     ${options.forUpdate === true ? 'for update' : ''}`,
    [lineId, options.customerId ?? null],
  );
  const row = rows[0];
  return row === undefined ? undefined : fromRow(row);
}

/** Lines of one customer (or all), by line id after `afterId`. */
export async function listLines(
  q: Queryable,
  filter: { customerId?: string; status?: string },
  afterId: string | null,
  limit: number,
): Promise<StoredLine[]> {
  const { rows } = await q.query<LineRow>(
    `select ${COLUMNS} from credit_lines
     where ($1::text is null or customer_id = $1) and ($2::text is null or status = $2)
       and ($3::text is null or line_id > $3)
     order by line_id limit $4`,
    [filter.customerId ?? null, filter.status ?? null, afterId, limit],
  );
  return rows.map(fromRow);
}

/** Thrown when a row changed since it was read (optimistic concurrency); the caller retries. */
export class VersionConflictError extends Error {
  readonly code = 'version_conflict';
  constructor(what: string) {
    super(`${what} changed while this change was being made; it is retried`);
    this.name = 'VersionConflictError';
  }
}

/** Writes a line's new state, guarded by the row version it was read with. */
export async function saveLine(
  q: Queryable,
  stored: StoredLine,
  state: CreditLineState,
): Promise<StoredLine> {
  const { rows } = await q.query<LineRow>(
    `update credit_lines set state = $4::jsonb, limit_minor = $5, used_minor = $6, status = $7,
       row_version = row_version + 1, updated_at = now()
     where customer_id = $1 and line_id = $2 and row_version = $3 returning ${COLUMNS}`,
    [
      stored.customerId,
      stored.lineId,
      stored.rowVersion,
      toJsonText(state),
      state.limitMinor,
      state.usedMinor,
      state.status,
    ],
  );
  const row = rows[0];
  if (row === undefined) throw new VersionConflictError(`credit line ${stored.lineId}`);
  return fromRow(row);
}
