import type { Queryable } from './db.js';

/** How long a key is remembered; a key older than this starts afresh. */
export const IDEMPOTENCY_RETENTION_HOURS = 24;

export interface IdempotencyRecord {
  userId: string;
  key: string;
  method: string;
  route: string;
  requestMac: string;
  fieldMacs: Record<string, string>;
  macKeyId: string;
  responseStatus: number;
  responseBody: unknown;
  resourceLocation: string | null;
}

interface Row {
  user_id: string;
  idempotency_key: string;
  method: string;
  route: string;
  request_mac: string;
  /** JSON text (decision 0215). */
  field_macs: string;
  mac_key_id: string;
  response_status: number;
  /** The response as sent (JSON text). */
  response_body: string;
  resource_location: string | null;
}

export async function findIdempotency(
  q: Queryable,
  userId: string,
  key: string,
): Promise<IdempotencyRecord | undefined> {
  const { rows } = await q.query<Row>(
    'select * from idempotency_keys where user_id = $1 and idempotency_key = $2 and expires_at > now()',
    [userId, key],
  );
  const r = rows[0];
  if (r === undefined) return undefined;
  return {
    userId: r.user_id,
    key: r.idempotency_key,
    method: r.method,
    route: r.route,
    requestMac: r.request_mac,
    fieldMacs: JSON.parse(r.field_macs) as Record<string, string>,
    macKeyId: r.mac_key_id,
    responseStatus: r.response_status,
    responseBody: JSON.parse(r.response_body) as unknown,
    resourceLocation: r.resource_location,
  };
}

/**
 * The parameters of an `idempotency_keys` insert after its user and key, in the column order every write
 * names them: method, route, request MAC, field MACs, MAC key id, status, response text, location,
 * retention in hours (the stored text is the response as sent, decision 0215).
 */
export function idempotencyValues(record: IdempotencyRecord, responseText: string): unknown[] {
  return [
    record.method,
    record.route,
    record.requestMac,
    JSON.stringify(record.fieldMacs),
    record.macKeyId,
    record.responseStatus,
    responseText,
    record.resourceLocation,
    IDEMPOTENCY_RETENTION_HOURS,
  ];
}

/**
 * Records a completed write in the write's own transaction. An expired record under the same key is
 * replaced; a live one makes the insert fail with a unique violation (a concurrent duplicate), which
 * rolls the whole write back. `responseText` is the response as sent (default: `record.responseBody` as
 * JSON).
 */
export async function saveIdempotency(
  q: Queryable,
  record: IdempotencyRecord,
  responseText: string = JSON.stringify(record.responseBody),
): Promise<void> {
  await q.query(
    'delete from idempotency_keys where user_id = $1 and idempotency_key = $2 and expires_at <= now()',
    [record.userId, record.key],
  );
  await q.query(
    `insert into idempotency_keys (user_id, idempotency_key, method, route, request_mac, field_macs, mac_key_id,
       response_status, response_body, resource_location, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + make_interval(hours => $11))`,
    [record.userId, record.key, ...idempotencyValues(record, responseText)],
  );
}

/** Deletes up to `rowsMax` expired records; returns how many went. Safe to run at any time. */
export async function purgeExpiredIdempotency(q: Queryable, rowsMax: number): Promise<number> {
  const { rowCount } = await q.query(
    `delete from idempotency_keys where (user_id, idempotency_key) in (
       select user_id, idempotency_key from idempotency_keys where expires_at <= now() limit $1)`,
    [rowsMax],
  );
  return rowCount;
}
