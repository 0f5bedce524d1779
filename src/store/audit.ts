import type { Queryable } from './db.js';

export interface AuditEntry {
  actorUserId: string | null;
  actorRole: string;
  action: string;
  requestId: string | null;
  resourceType: string;
  resourceId: string | null;
  customerId: string | null;
  /** Ids and field names only; never personal data. */
  details: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  auditId: number;
  occurredAt: string;
}

export async function appendAudit(q: Queryable, entry: AuditEntry): Promise<number> {
  const { rows } = await q.query<{ audit_id: number }>(
    `insert into audit_log (actor_user_id, actor_role, action, request_id, resource_type, resource_id, customer_id, details)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning audit_id`,
    [
      entry.actorUserId,
      entry.actorRole,
      entry.action,
      entry.requestId,
      entry.resourceType,
      entry.resourceId,
      entry.customerId,
      JSON.stringify(entry.details),
    ],
  );
  return rows[0]!.audit_id;
}

export interface AuditQuery {
  /** Entries older than this id (newest first); undefined for the first page. */
  beforeId?: number;
  limit: number;
  action?: string;
  actorUserId?: string;
  customerId?: string;
}

interface AuditRow {
  audit_id: number;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_role: string;
  action: string;
  request_id: string | null;
  resource_type: string;
  resource_id: string | null;
  customer_id: string | null;
  details: Record<string, unknown>;
}

/** Newest first; reads one row more than asked to tell whether another page follows. */
export async function listAudit(
  q: Queryable,
  query: AuditQuery,
): Promise<{ items: AuditRecord[]; more: boolean }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (query.beforeId !== undefined) add('audit_id < ?', query.beforeId);
  if (query.action !== undefined) add('action = ?', query.action);
  if (query.actorUserId !== undefined) add('actor_user_id = ?', query.actorUserId);
  if (query.customerId !== undefined) add('customer_id = ?', query.customerId);
  params.push(query.limit + 1);
  const { rows } = await q.query<AuditRow>(
    `select * from audit_log ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
     order by audit_id desc limit $${params.length}`,
    params,
  );
  const items = rows.slice(0, query.limit).map((r) => ({
    auditId: r.audit_id,
    occurredAt: r.occurred_at.toISOString(),
    actorUserId: r.actor_user_id,
    actorRole: r.actor_role,
    action: r.action,
    requestId: r.request_id,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    customerId: r.customer_id,
    details: r.details,
  }));
  return { items, more: rows.length > query.limit };
}
