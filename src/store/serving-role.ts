import type { Queryable } from './db.js';

/**
 * Why the connected role should not serve the API, or undefined. A serving role that owns the tables (or
 * is a superuser) can switch the audit log's guard trigger off and rewrite history; the owner migrates,
 * another role serves (docs/security.md lists its grants).
 */
export async function servingRoleProblem(q: Queryable): Promise<string | undefined> {
  const { rows } = await q.query<{ role: string; owner: string | null; superuser: boolean }>(
    `select current_user::text as role,
            (select tableowner::text from pg_tables where schemaname = current_schema() and tablename = 'audit_log') as owner,
            coalesce((select rolsuper from pg_roles where rolname = current_user), false) as superuser`,
  );
  const row = rows[0]!;
  if (row.superuser) return `the role ${row.role} is a superuser`;
  if (row.owner === row.role) return `the role ${row.role} owns the tables (it migrated them)`;
  return undefined;
}
