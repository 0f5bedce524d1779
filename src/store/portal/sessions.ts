import { createHash, randomBytes } from 'node:crypto';
import { normalisePhone } from '../customers.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';
import type { PiiCipher } from '../pii-cipher.js';

/**
 * Borrower sign-in (docs/portal.md): one-time codes and bearer sessions. Phones and client addresses are
 * kept only as keyed blind indexes; a code only as a keyed hash bound to its challenge; a session token
 * only as its SHA-256 hash. The decisions (is the code right, is the phone over its limit) are the
 * server's; these functions read and write rows.
 */

/** Borrower tokens carry their own prefix: a staff route never takes one, a portal route never a staff token. */
export const BORROWER_TOKEN_PREFIX = 'lgb_';

export function hashBorrowerToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function looksLikeBorrowerToken(token: string): boolean {
  return token.startsWith(BORROWER_TOKEN_PREFIX);
}

/** The phone's blind index under the active key (a new challenge is written under it). */
export function phoneIndexOf(cipher: PiiCipher, phone: string): string {
  return cipher.blindIndex('phone', normalisePhone(phone));
}

/** A client address as a keyed hash: rate limits per address without keeping the address. */
export function addressIndexOf(cipher: PiiCipher, address: string): string {
  return cipher.blindIndex('portal_address', address);
}

/** A code bound to its challenge under the PII key: a leaked row does not give away six digits. */
export function otpCodeHash(cipher: PiiCipher, challengeId: string, code: string): string {
  return cipher.blindIndex('portal_otp', `${challengeId}\u0000${code}`);
}

/** The demo code's hash: not bound to a challenge, so that one printed code serves any sign-in of the demo. */
export function demoCodeHash(cipher: PiiCipher, code: string): string {
  return cipher.blindIndex('portal_demo_code', code);
}

/** The customer whose phone number this is (under any configured key), if any. */
export async function findCustomerIdByPhone(
  q: Queryable,
  cipher: PiiCipher,
  phone: string,
): Promise<string | undefined> {
  const { rows } = await q.query<{ customer_id: string }>(
    `select customer_id from customer_identities where kind = 'phone' and blind_index = any($1::text[])
     order by customer_id limit 1`,
    [cipher.blindIndexCandidates('phone', normalisePhone(phone))],
  );
  return rows[0]?.customer_id;
}

/** Challenges made for this phone and for this address since `since`. */
export async function recentChallenges(
  q: Queryable,
  phoneIndex: string,
  addressIndex: string,
  since: Date,
): Promise<{ byPhone: number; byAddress: number; lastByPhoneAt: Date | null }> {
  const { rows } = await q.query<{
    by_phone: string | number;
    by_address: string | number;
    last_at: Date | null;
  }>(
    `select
       (select count(*) from portal_otp_challenges where phone_index = $1 and created_at > $3) as by_phone,
       (select count(*) from portal_otp_challenges where address_index = $2 and created_at > $3) as by_address,
       (select max(created_at) from portal_otp_challenges where phone_index = $1) as last_at`,
    [phoneIndex, addressIndex, since.toISOString()],
  );
  const r = rows[0]!;
  return { byPhone: Number(r.by_phone), byAddress: Number(r.by_address), lastByPhoneAt: r.last_at };
}

export interface NewChallenge {
  challengeId: string;
  phoneIndex: string;
  addressIndex: string;
  customerId: string | null;
  codeHash: string;
  expiresAt: Date;
  createdAt: Date;
}

export function newChallengeId(now: Date): string {
  return newId('otp', now.getTime());
}

export async function insertChallenge(q: Queryable, c: NewChallenge): Promise<void> {
  await q.query(
    `insert into portal_otp_challenges (challenge_id, phone_index, address_index, customer_id, code_hash, expires_at, created_at)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [
      c.challengeId,
      c.phoneIndex,
      c.addressIndex,
      c.customerId,
      c.codeHash,
      c.expiresAt.toISOString(),
      c.createdAt.toISOString(),
    ],
  );
}

/**
 * Queues the code's text message on the `sms` channel in the caller's transaction; the dispatcher sends
 * it through the SMS webhook adapter (decision 1000). It carries its expiry, after which it is not sent.
 */
export async function enqueueOtpMessage(
  q: Queryable,
  input: { challengeId: string; customerId: string; body: string; expiresAt: Date; now: Date },
): Promise<void> {
  await q.query(
    `insert into outbox_messages (idempotency_key, kind, channel, customer_id, payload, status, next_attempt_at)
     values ($1, 'otp', 'sms', $2, $3::jsonb, 'pending', $4)
     on conflict (idempotency_key) do nothing`,
    [
      `otp:${input.challengeId}`,
      input.customerId,
      JSON.stringify({ kind: 'otp', body: input.body, expiresAt: input.expiresAt.toISOString() }),
      input.now.toISOString(),
    ],
  );
}

/** Once a code is used or dead, its text leaves the outbox too. */
export async function scrubOtpMessage(q: Queryable, challengeId: string): Promise<void> {
  await q.query(
    `update outbox_messages set payload = jsonb_build_object('kind', 'otp', 'body', '', 'scrubbed', true),
       status = case when status = 'pending' then 'cancelled' else status end
     where idempotency_key = $1`,
    [`otp:${challengeId}`],
  );
}

export interface ChallengeRow {
  challengeId: string;
  phoneIndex: string;
  customerId: string | null;
  codeHash: string;
  attempts: number;
  expiresAt: Date;
  consumedAt: Date | null;
}

/** A challenge, locked for the caller's transaction (two guesses at once count as two). */
export async function lockChallenge(q: Queryable, challengeId: string): Promise<ChallengeRow | undefined> {
  const { rows } = await q.query<{
    challenge_id: string;
    phone_index: string;
    customer_id: string | null;
    code_hash: string;
    attempts: number;
    expires_at: Date;
    consumed_at: Date | null;
  }>('select * from portal_otp_challenges where challenge_id = $1 for update', [challengeId]);
  const r = rows[0];
  if (r === undefined) return undefined;
  return {
    challengeId: r.challenge_id,
    phoneIndex: r.phone_index,
    customerId: r.customer_id,
    codeHash: r.code_hash,
    attempts: r.attempts,
    expiresAt: r.expires_at,
    consumedAt: r.consumed_at,
  };
}

export async function countWrongAnswer(q: Queryable, challengeId: string): Promise<number> {
  const { rows } = await q.query<{ attempts: number }>(
    'update portal_otp_challenges set attempts = attempts + 1 where challenge_id = $1 returning attempts',
    [challengeId],
  );
  return rows[0]!.attempts;
}

export async function consumeChallenge(q: Queryable, challengeId: string, at: Date): Promise<void> {
  await q.query(
    'update portal_otp_challenges set consumed_at = $2, attempts = attempts + 1 where challenge_id = $1',
    [challengeId, at.toISOString()],
  );
}

export async function demoCodeHashSet(q: Queryable): Promise<string | null> {
  const { rows } = await q.query<{ demo_code_hash: string | null }>(
    'select demo_code_hash from portal_settings where only_row',
  );
  return rows[0]?.demo_code_hash ?? null;
}

/** Turns on (a code) or off (null) the fixed sign-in code; only `lendguard demo` turns it on. */
export async function setDemoCode(q: Queryable, cipher: PiiCipher, code: string | null): Promise<void> {
  await q.query('update portal_settings set demo_code_hash = $1 where only_row', [
    code === null ? null : demoCodeHash(cipher, code),
  ]);
}

export interface BorrowerSession {
  sessionId: string;
  customerId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

interface SessionRow {
  session_id: string;
  customer_id: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
}

function toSession(r: SessionRow): BorrowerSession {
  return {
    sessionId: r.session_id,
    customerId: r.customer_id,
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
    revokedBy: r.revoked_by,
  };
}

/** A new session; the token is returned once here and only its hash is stored. */
export async function insertBorrowerSession(
  q: Queryable,
  input: { customerId: string; expiresAt: Date; now: Date },
): Promise<{ session: BorrowerSession; token: string }> {
  const token = `${BORROWER_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const { rows } = await q.query<SessionRow>(
    `insert into portal_sessions (session_id, customer_id, token_hash, created_at, expires_at)
     values ($1, $2, $3, $4, $5) returning *`,
    [
      newId('bss', input.now.getTime()),
      input.customerId,
      hashBorrowerToken(token),
      input.now.toISOString(),
      input.expiresAt.toISOString(),
    ],
  );
  return { session: toSession(rows[0]!), token };
}

/** The live session of a token hash at `now`: known, unrevoked, unexpired. */
export async function sessionOfTokenHash(
  q: Queryable,
  tokenHash: string,
  now: Date,
): Promise<BorrowerSession | undefined> {
  const { rows } = await q.query<SessionRow>(
    `select * from portal_sessions where token_hash = $1 and revoked_at is null and expires_at > $2`,
    [tokenHash, now.toISOString()],
  );
  return rows[0] === undefined ? undefined : toSession(rows[0]);
}

export async function revokeBorrowerSession(
  q: Queryable,
  customerId: string,
  sessionId: string,
  revokedBy: string,
  now: Date,
): Promise<BorrowerSession | undefined> {
  const { rows } = await q.query<SessionRow>(
    `update portal_sessions set revoked_at = coalesce(revoked_at, $4), revoked_by = coalesce(revoked_by, $3)
     where customer_id = $1 and session_id = $2 returning *`,
    [customerId, sessionId, revokedBy, now.toISOString()],
  );
  return rows[0] === undefined ? undefined : toSession(rows[0]);
}

export async function listBorrowerSessions(q: Queryable, customerId: string): Promise<BorrowerSession[]> {
  const { rows } = await q.query<SessionRow>(
    'select * from portal_sessions where customer_id = $1 order by session_id desc limit 100',
    [customerId],
  );
  return rows.map(toSession);
}
