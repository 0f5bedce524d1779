import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './db.js';
import { newId } from './ids.js';

export const ROLES = [
  'admin',
  'risk_analyst',
  'collector',
  'finance',
  'auditor',
  'compliance',
  'agency',
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export interface User {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  /** The collection agency an `agency` user works for (null for the lender's own staff). */
  agencyId: string | null;
  createdAt: string;
  disabledAt: string | null;
}

interface UserRow {
  user_id: string;
  username: string;
  display_name: string;
  role: Role;
  agency_id: string | null;
  created_at: Date;
  disabled_at: Date | null;
}

function toUser(r: UserRow): User {
  return {
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    agencyId: r.agency_id ?? null,
    createdAt: r.created_at.toISOString(),
    disabledAt: r.disabled_at?.toISOString() ?? null,
  };
}

export async function insertUser(
  q: Queryable,
  input: { username: string; displayName: string; role: Role; agencyId?: string | null },
): Promise<User> {
  const { rows } = await q.query<UserRow>(
    `insert into users (user_id, username, display_name, role, agency_id) values ($1, $2, $3, $4, $5)
     returning *`,
    [newId('usr'), input.username, input.displayName, input.role, input.agencyId ?? null],
  );
  return toUser(rows[0]!);
}

export async function findUser(q: Queryable, userId: string): Promise<User | undefined> {
  const { rows } = await q.query<UserRow>('select * from users where user_id = $1', [userId]);
  return rows[0] === undefined ? undefined : toUser(rows[0]);
}

export async function findUserByName(q: Queryable, username: string): Promise<User | undefined> {
  const { rows } = await q.query<UserRow>('select * from users where username = $1', [username]);
  return rows[0] === undefined ? undefined : toUser(rows[0]);
}

export async function listUsers(q: Queryable, afterId: string | undefined, limit: number) {
  const { rows } = await q.query<UserRow>(
    'select * from users where ($1::text is null or user_id > $1) order by user_id limit $2',
    [afterId ?? null, limit + 1],
  );
  return { items: rows.slice(0, limit).map(toUser), more: rows.length > limit };
}

export interface ApiToken {
  tokenId: string;
  userId: string;
  label: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

interface TokenRow {
  token_id: string;
  user_id: string;
  label: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}

function toToken(r: TokenRow): ApiToken {
  return {
    tokenId: r.token_id,
    userId: r.user_id,
    label: r.label,
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  };
}

const TOKEN_PREFIX = 'lgt_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Creates a token; the secret is returned once here and only its hash is stored. */
export async function insertToken(
  q: Queryable,
  input: { userId: string; label: string; expiresAt: Date | null },
): Promise<{ token: ApiToken; secret: string }> {
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const { rows } = await q.query<TokenRow>(
    `insert into api_tokens (token_id, user_id, token_hash, label, expires_at)
     values ($1, $2, $3, $4, $5) returning *`,
    [newId('tok'), input.userId, hashToken(secret), input.label, input.expiresAt],
  );
  return { token: toToken(rows[0]!), secret };
}

export async function listTokens(q: Queryable, userId: string): Promise<ApiToken[]> {
  const { rows } = await q.query<TokenRow>('select * from api_tokens where user_id = $1 order by token_id', [
    userId,
  ]);
  return rows.map(toToken);
}

export async function revokeToken(
  q: Queryable,
  userId: string,
  tokenId: string,
): Promise<ApiToken | undefined> {
  const { rows } = await q.query<TokenRow>(
    `update api_tokens set revoked_at = coalesce(revoked_at, now())
     where user_id = $1 and token_id = $2 returning *`,
    [userId, tokenId],
  );
  return rows[0] === undefined ? undefined : toToken(rows[0]);
}

export interface Principal {
  userId: string;
  username: string;
  role: Role;
  tokenId: string;
  /** For an `agency` user, the agency whose placed cases they may see and work. */
  agencyId?: string | null;
}

/** The user behind a presented token, if the token is known, unrevoked, unexpired and its user enabled. */
export async function authenticateToken(q: Queryable, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  return (await principalOfTokenHash(q, hashToken(token)))?.principal;
}

/** `authenticateToken` by the token's hash, with the token's expiry (ms since the epoch; null: none). */
export async function principalOfTokenHash(
  q: Queryable,
  tokenHash: string,
): Promise<{ principal: Principal; expires_ms: number | null } | undefined> {
  const { rows } = await q.query<{
    user_id: string;
    username: string;
    role: Role;
    token_id: string;
    agency_id: string | null;
    expires_at: Date | null;
  }>(
    `select u.user_id, u.username, u.role, t.token_id, u.agency_id, t.expires_at
       from api_tokens t join users u on u.user_id = t.user_id
      where t.token_hash = $1 and t.revoked_at is null and u.disabled_at is null
        and (t.expires_at is null or t.expires_at > now())`,
    [tokenHash],
  );
  const r = rows[0];
  if (r === undefined) return undefined;
  return {
    principal: {
      userId: r.user_id,
      username: r.username,
      role: r.role,
      tokenId: r.token_id,
      agencyId: r.agency_id,
    },
    expires_ms: r.expires_at === null ? null : r.expires_at.getTime(),
  };
}

/** Whether a presented token has the shape of one this project issues (cheap check before hashing). */
export function looksLikeToken(token: string): boolean {
  return token.startsWith(TOKEN_PREFIX);
}
