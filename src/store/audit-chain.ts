import { createHash } from 'node:crypto';
import type { Queryable } from './db.js';

/**
 * The audit log's hash chain (migration 0011), recomputed here outside the database: a role able to change
 * rows could also change the database's own hash function, but not this code. The text hashed is the one of
 * `audit_log_row_text` in the migration: the previous hash ("-" for the first row), the id, the time in
 * microseconds since 1970, the fields (U+0001 for a missing one) and the details as PostgreSQL writes jsonb,
 * separated by U+001F.
 */
export interface AuditChainReport {
  rowsChecked: number;
  /** The first row whose link does not hold, with why; absent when the whole chain holds. */
  firstBroken?: { auditId: number; reason: string };
}

interface ChainRow {
  audit_id: string;
  occurred_us: string;
  actor_user_id: string | null;
  actor_role: string;
  action: string;
  request_id: string | null;
  resource_type: string;
  resource_id: string | null;
  customer_id: string | null;
  details: string;
  prev_hash: string | null;
  row_hash: string | null;
}

export function auditRowHash(prev: string | null, row: Omit<ChainRow, 'prev_hash' | 'row_hash'>): string {
  const nul = '\u0001';
  const text = [
    prev ?? '-',
    row.audit_id,
    row.occurred_us,
    row.actor_user_id ?? nul,
    row.actor_role,
    row.action,
    row.request_id ?? nul,
    row.resource_type,
    row.resource_id ?? nul,
    row.customer_id ?? nul,
    row.details,
  ].join('\u001f');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Rows read per query while walking the chain. */
const CHAIN_PAGE_ROWS = 5_000;

/** Walks the whole chain in id order and reports the first row whose link or hash does not hold. */
export async function verifyAuditChain(q: Queryable): Promise<AuditChainReport> {
  let previous: string | null = null;
  let after = 0n;
  let checked = 0;
  let first = true;
  for (;;) {
    const { rows } = await q.query<ChainRow>(
      `select audit_id::text as audit_id, ((extract(epoch from occurred_at) * 1000000)::bigint)::text as occurred_us,
              actor_user_id, actor_role, action, request_id, resource_type, resource_id, customer_id,
              details::text as details, prev_hash, row_hash
         from audit_log where audit_log.audit_id > $1 order by audit_log.audit_id limit $2`,
      [after.toString(), CHAIN_PAGE_ROWS],
    );
    for (const row of rows) {
      const auditId = Number(row.audit_id);
      const expectedPrev = first ? null : previous;
      if (row.prev_hash !== expectedPrev) {
        return {
          rowsChecked: checked,
          firstBroken: {
            auditId,
            reason: first
              ? 'the first row names a previous row: rows before it were removed'
              : 'its previous hash is not the hash of the row before it: a row was removed or inserted in between',
          },
        };
      }
      if (row.row_hash !== auditRowHash(row.prev_hash, row)) {
        return {
          rowsChecked: checked,
          firstBroken: { auditId, reason: 'its content does not match its hash: the row was changed' },
        };
      }
      previous = row.row_hash;
      first = false;
      checked += 1;
      after = BigInt(row.audit_id);
    }
    if (rows.length < CHAIN_PAGE_ROWS) return { rowsChecked: checked };
  }
}
