import type {
  BlacklistEntry,
  BlacklistSource,
  BlacklistSubject,
  Invitation,
} from '../../origination/index.js';
import type { Queryable } from '../db.js';
import type { PiiCipher } from '../pii-cipher.js';

const TS = (c: string) => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${c}`;

// ---------------------------------------------------------------------------------------------------------
// Invitations (白名单)

export interface StoredInvitation extends Invitation {
  /** The invited applicant's ID number, decrypted (callers mask it). */
  idNumber: string;
  usedByApplication: string | null;
  createdBy: string;
  createdAt: string;
  expiredBy: string | null;
}

export interface InvitationRow {
  invitation_id: string;
  code: string;
  id_number_enc: string;
  applicant_key: string;
  product_ids: string[];
  limit_cap_fen: number;
  channels: string[];
  valid_from: string;
  expires_at: string;
  status: 'active' | 'used' | 'revoked';
  used_by_application: string | null;
  created_by: string;
  created_at: string;
  expired_by: string | null;
}

export const INVITATION_COLUMNS = `invitation_id, code, id_number_enc, applicant_key, product_ids, limit_cap_fen, channels, ${TS('valid_from')},
  ${TS('expires_at')}, status, used_by_application, created_by, ${TS('created_at')}, expired_by`;

export const idNumberAad = (invitationId: string) => `invitations.${invitationId}.id_number`;

export function invitationFromRow(cipher: PiiCipher, r: InvitationRow): StoredInvitation {
  return {
    invitationId: r.invitation_id,
    code: r.code,
    idNumber: cipher.decrypt(r.id_number_enc, idNumberAad(r.invitation_id)),
    applicantKey: r.applicant_key,
    productIds: r.product_ids,
    limitCap_fen: Number(r.limit_cap_fen),
    channels: r.channels,
    validFrom: r.valid_from,
    expiresAt: r.expires_at,
    status: r.status,
    usedByApplication: r.used_by_application,
    createdBy: r.created_by,
    createdAt: r.created_at,
    expiredBy: r.expired_by,
  };
}

export async function insertInvitation(
  q: Queryable,
  cipher: PiiCipher,
  invitation: Omit<Invitation, 'status'> & { idNumber: string },
  createdBy: string,
): Promise<StoredInvitation> {
  const { rows } = await q.query<InvitationRow>(
    `insert into invitations (applicant_key, invitation_id, code, product_ids, limit_cap_fen, channels, valid_from,
       expires_at, status, created_by, id_number_enc)
     values ($1, $2, $3, $4::jsonb, $5, $6::jsonb, $7, $8, 'active', $9, $10) returning ${INVITATION_COLUMNS}`,
    [
      invitation.applicantKey,
      invitation.invitationId,
      invitation.code,
      JSON.stringify(invitation.productIds),
      invitation.limitCap_fen,
      JSON.stringify(invitation.channels),
      invitation.validFrom,
      invitation.expiresAt,
      createdBy,
      cipher.encrypt(invitation.idNumber, idNumberAad(invitation.invitationId)),
    ],
  );
  return invitationFromRow(cipher, rows[0]!);
}

/**
 * Every invitation of an applicant (the core checks status, validity, product, channel and cap), found by
 * the applicant's key under any configured key and given back under `applicantKey`, the active one.
 */
export async function invitationsOf(
  q: Queryable,
  cipher: PiiCipher,
  applicantKey: string,
  candidateKeys: readonly string[] = [applicantKey],
): Promise<StoredInvitation[]> {
  const { rows } = await q.query<InvitationRow>(
    `select ${INVITATION_COLUMNS} from invitations where applicant_key = any($1::text[]) order by invitation_id`,
    [candidateKeys],
  );
  return rows.map((r) => ({ ...invitationFromRow(cipher, r), applicantKey }));
}

export async function findInvitation(
  q: Queryable,
  cipher: PiiCipher,
  invitationId: string,
): Promise<StoredInvitation | undefined> {
  const { rows } = await q.query<InvitationRow>(
    `select ${INVITATION_COLUMNS} from invitations where invitation_id = $1`,
    [invitationId],
  );
  return rows[0] === undefined ? undefined : invitationFromRow(cipher, rows[0]);
}

export async function listInvitations(
  q: Queryable,
  cipher: PiiCipher,
  filter: { status?: string },
  afterId: string | null,
  limit: number,
): Promise<StoredInvitation[]> {
  const { rows } = await q.query<InvitationRow>(
    `select ${INVITATION_COLUMNS} from invitations
      where ($1::text is null or status = $1) and ($2::text is null or invitation_id > $2)
      order by invitation_id limit $3`,
    [filter.status ?? null, afterId, limit],
  );
  return rows.map((r) => invitationFromRow(cipher, r));
}

/** Marks an invitation taken up by an approved application. */
export async function markInvitationUsed(
  q: Queryable,
  invitationId: string,
  applicationId: string,
): Promise<void> {
  await q.query(
    `update invitations set status = 'used', used_by_application = $2 where invitation_id = $1 and status = 'active'`,
    [invitationId, applicationId],
  );
}

/** Ends an invitation now: it expires and is revoked. */
export async function expireInvitation(
  q: Queryable,
  cipher: PiiCipher,
  invitationId: string,
  expiredBy: string,
): Promise<StoredInvitation> {
  const { rows } = await q.query<InvitationRow>(
    `update invitations set status = 'revoked', expires_at = least(expires_at, now()), expired_by = $2,
       valid_from = least(valid_from, now() - interval '1 millisecond')
      where invitation_id = $1 returning ${INVITATION_COLUMNS}`,
    [invitationId, expiredBy],
  );
  return invitationFromRow(cipher, rows[0]!);
}

// ---------------------------------------------------------------------------------------------------------
// Blacklist

export interface StoredBlacklistEntry extends BlacklistEntry {
  /** The listed value, decrypted (callers mask it). */
  value: string;
  createdBy: string;
  expiredBy: string | null;
}

interface EntryRow {
  entry_id: string;
  subject: BlacklistSubject;
  key: string;
  value_enc: string;
  reason: string;
  source: BlacklistSource;
  evidence: string;
  listed_at: string;
  expires_at: string;
  created_by: string;
  expired_by: string | null;
}

const ENTRY_COLUMNS = `entry_id, subject, key, value_enc, reason, source, evidence, ${TS('listed_at')}, ${TS('expires_at')},
  created_by, expired_by`;
export const valueAad = (entryId: string) => `blacklist_entries.${entryId}.value`;

function entryFromRow(cipher: PiiCipher, r: EntryRow): StoredBlacklistEntry {
  return {
    entryId: r.entry_id,
    subject: r.subject,
    key: r.key,
    value: cipher.decrypt(r.value_enc, valueAad(r.entry_id)),
    reason: r.reason,
    source: r.source,
    evidence: r.evidence,
    listedAt: r.listed_at,
    expiresAt: r.expires_at,
    createdBy: r.created_by,
    expiredBy: r.expired_by,
  };
}

export async function insertBlacklistEntry(
  q: Queryable,
  cipher: PiiCipher,
  entry: Omit<BlacklistEntry, 'listedAt'> & { value: string; listedAt?: string },
  createdBy: string,
): Promise<StoredBlacklistEntry> {
  const { rows } = await q.query<EntryRow>(
    `insert into blacklist_entries (subject, key, entry_id, value_enc, reason, source, evidence, expires_at, created_by,
       listed_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10::timestamptz, now())) returning ${ENTRY_COLUMNS}`,
    [
      entry.subject,
      entry.key,
      entry.entryId,
      cipher.encrypt(entry.value, valueAad(entry.entryId)),
      entry.reason,
      entry.source,
      entry.evidence,
      entry.expiresAt,
      createdBy,
      entry.listedAt ?? null,
    ],
  );
  return entryFromRow(cipher, rows[0]!);
}

/**
 * Entries not yet expired at `at` that match any of the subject keys. Each key may come with its candidates
 * under retired keys; a match is given back under the (active) key asked for.
 */
export async function blacklistMatches(
  q: Queryable,
  keys: readonly { subject: BlacklistSubject; key: string; candidates?: readonly string[] }[],
  at: string,
): Promise<BlacklistEntry[]> {
  const lookups = blacklistLookups(keys);
  const { rows } = await q.query<BlacklistMatchRow>(
    `${blacklistMatchSql('$1', '$2', '$3')} order by e.entry_id`,
    [lookups.subjects, lookups.keys, at],
  );
  return blacklistMatchesOf(lookups, rows);
}

export type BlacklistMatchRow = Omit<EntryRow, 'value_enc' | 'created_by' | 'expired_by'>;

/** Every (subject, key) to look up, each candidate key mapped back to the key under the active one. */
export function blacklistLookups(
  keys: readonly { subject: BlacklistSubject; key: string; candidates?: readonly string[] }[],
): { subjects: string[]; keys: string[]; asked: Map<string, string> } {
  const asked = new Map<string, string>();
  const subjects: string[] = [];
  const flat: string[] = [];
  for (const k of keys)
    for (const candidate of k.candidates ?? [k.key]) {
      asked.set(JSON.stringify([k.subject, candidate]), k.key);
      subjects.push(k.subject);
      flat.push(candidate);
    }
  return { subjects, keys: flat, asked };
}

/** Live entries matching the subjects and keys in the given parameters (unordered). */
export const blacklistMatchSql = (subjects: string, keys: string, at: string) =>
  `select e.entry_id, e.subject, e.key, e.reason, e.source, e.evidence, ${TS('e.listed_at').replace('as e.', 'as ')},
            ${TS('e.expires_at').replace('as e.', 'as ')}
       from unnest(${subjects}::text[], ${keys}::text[]) as l(subject, key)
       join blacklist_entries e on e.subject = l.subject and e.key = l.key
      where e.expires_at > ${at}`;

/** Matched entries (in entry id order) as the core's blacklist entries, under the active keys. */
export function blacklistMatchesOf(
  lookups: { asked: Map<string, string> },
  rows: readonly BlacklistMatchRow[],
): BlacklistEntry[] {
  const asked = lookups.asked;
  return rows.map((r) => ({
    entryId: r.entry_id,
    subject: r.subject,
    key: asked.get(JSON.stringify([r.subject, r.key])) ?? r.key,
    reason: r.reason,
    source: r.source,
    evidence: r.evidence,
    listedAt: r.listed_at,
    expiresAt: r.expires_at,
  }));
}

export async function findBlacklistEntry(
  q: Queryable,
  cipher: PiiCipher,
  entryId: string,
): Promise<StoredBlacklistEntry | undefined> {
  const { rows } = await q.query<EntryRow>(
    `select ${ENTRY_COLUMNS} from blacklist_entries where entry_id = $1`,
    [entryId],
  );
  return rows[0] === undefined ? undefined : entryFromRow(cipher, rows[0]);
}

export async function listBlacklist(
  q: Queryable,
  cipher: PiiCipher,
  filter: { subject?: string; activeAt?: string },
  afterId: string | null,
  limit: number,
): Promise<StoredBlacklistEntry[]> {
  const { rows } = await q.query<EntryRow>(
    `select ${ENTRY_COLUMNS} from blacklist_entries
      where ($1::text is null or subject = $1) and ($2::timestamptz is null or expires_at > $2)
        and ($3::text is null or entry_id > $3)
      order by entry_id limit $4`,
    [filter.subject ?? null, filter.activeAt ?? null, afterId, limit],
  );
  return rows.map((r) => entryFromRow(cipher, r));
}

/** Ends an entry now (an expired entry is ignored by the check). */
export async function expireBlacklistEntry(
  q: Queryable,
  cipher: PiiCipher,
  entryId: string,
  expiredBy: string,
): Promise<StoredBlacklistEntry> {
  const { rows } = await q.query<EntryRow>(
    `update blacklist_entries set expires_at = least(expires_at, now()), expired_by = $2
      where entry_id = $1 returning ${ENTRY_COLUMNS}`,
    [entryId, expiredBy],
  );
  return entryFromRow(cipher, rows[0]!);
}
