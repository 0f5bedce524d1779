import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CadenceIssue,
  type ParsedCadenceDocument,
  parseCadenceDocument,
} from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';

/** A cadence version with its maker-checker trail (decision 0611). */
export interface StoredCadenceVersion {
  version: string;
  status: 'draft' | 'published' | 'retired' | 'rejected';
  documentHash: string;
  createdBy: string;
  approvedBy: string | null;
  /** Why it was written (the draft's note), when given. */
  note?: string | null;
  createdAt?: string;
  approvedAt?: string | null;
}

export class CadenceError extends Error {
  constructor(
    readonly code: 'cadence_invalid' | 'cadence_not_found' | 'cadence_not_draft' | 'cadence_own_draft',
    message: string,
    readonly issues: readonly CadenceIssue[] = [],
  ) {
    super(message);
    this.name = 'CadenceError';
  }
}

function hashOf(document: unknown): string {
  return createHash('sha256').update(JSON.stringify(document)).digest('hex');
}

/** Stores a valid cadence document as a draft; an invalid one is refused with every issue and nothing written. */
export async function draftCadence(
  q: Queryable,
  raw: unknown,
  createdBy: string,
  note: string | null = null,
): Promise<StoredCadenceVersion> {
  const parsed = parseCadenceDocument(raw);
  if (!parsed.ok) {
    throw new CadenceError(
      'cadence_invalid',
      'the cadence document is not valid; fix the fields named',
      parsed.issues,
    );
  }
  const version = newId('rcv');
  const documentHash = hashOf(raw);
  await q.query(
    `insert into reminder_cadence_versions (version, document, document_hash, status, created_by, note)
     values ($1, $2::jsonb, $3, 'draft', $4, $5)`,
    [version, JSON.stringify(raw), documentHash, createdBy, note],
  );
  return { version, status: 'draft', documentHash, createdBy, approvedBy: null, note };
}

/**
 * A second person approves a draft: it is published and the version in force before it retired, in one
 * transaction (the caller's). Whoever wrote the draft may not approve it.
 */
export async function approveCadence(
  q: Queryable,
  version: string,
  approvedBy: string,
): Promise<StoredCadenceVersion> {
  const { rows } = await q.query<{ status: string; created_by: string; document_hash: string }>(
    'select status, created_by, document_hash from reminder_cadence_versions where version = $1 for update',
    [version],
  );
  const row = rows[0];
  if (row === undefined) throw new CadenceError('cadence_not_found', `no cadence version ${version}`);
  if (row.status !== 'draft') {
    throw new CadenceError(
      'cadence_not_draft',
      `cadence version ${version} is ${row.status}; only a draft can be approved`,
    );
  }
  if (row.created_by === approvedBy) {
    throw new CadenceError(
      'cadence_own_draft',
      `cadence version ${version} was written by ${approvedBy}; another person must approve it`,
    );
  }
  await q.query(`update reminder_cadence_versions set status = 'retired' where status = 'published'`);
  await q.query(
    `update reminder_cadence_versions set status = 'published', approved_by = $2, approved_at = now() where version = $1`,
    [version, approvedBy],
  );
  return {
    version,
    status: 'published',
    documentHash: row.document_hash,
    createdBy: row.created_by,
    approvedBy,
  };
}

/** The published cadence and its version, or undefined when none was published (the shipped one then applies). */
export async function publishedCadence(
  q: Queryable,
): Promise<{ version: string; document: ParsedCadenceDocument } | undefined> {
  const { rows } = await q.query<{ version: string; document: string }>(
    `select version, document::text as document from reminder_cadence_versions where status = 'published'`,
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  const parsed = parseCadenceDocument(JSON.parse(row.document));
  if (!parsed.ok) throw new Error(`assertion: published cadence ${row.version} no longer validates`);
  return { version: row.version, document: parsed.document };
}

const ISO = (c: string) => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

interface VersionRow {
  version: string;
  status: StoredCadenceVersion['status'];
  document_hash: string;
  created_by: string;
  approved_by: string | null;
  note: string | null;
  created_at: string;
  approved_at: string | null;
}

const VERSION_COLUMNS = `version, status, document_hash, created_by, approved_by, note, ${ISO('created_at')} as created_at,
  ${ISO('approved_at')} as approved_at`;

function versionFromRow(r: VersionRow): StoredCadenceVersion {
  return {
    version: r.version,
    status: r.status,
    documentHash: r.document_hash,
    createdBy: r.created_by,
    approvedBy: r.approved_by,
    note: r.note,
    createdAt: r.created_at,
    approvedAt: r.approved_at,
  };
}

/** Cadence versions, newest first (bounded by `limit`). */
export async function listCadenceVersions(q: Queryable, limit: number): Promise<StoredCadenceVersion[]> {
  const { rows } = await q.query<VersionRow>(
    `select ${VERSION_COLUMNS} from reminder_cadence_versions order by created_at desc, version desc limit $1`,
    [limit],
  );
  return rows.map(versionFromRow);
}

/** One cadence version with its document as drafted, or undefined. */
export async function findCadenceVersion(
  q: Queryable,
  version: string,
): Promise<{ version: StoredCadenceVersion; document: unknown } | undefined> {
  const { rows } = await q.query<VersionRow & { document: string }>(
    `select ${VERSION_COLUMNS}, document::text as document from reminder_cadence_versions where version = $1`,
    [version],
  );
  const row = rows[0];
  return row === undefined ? undefined : { version: versionFromRow(row), document: JSON.parse(row.document) };
}

/** The package root: three folders above this file in both src/store/reminders and dist/store/reminders. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The shipped cadence: it applies until a lender publishes one of its own (as the shipped policy does). */
export const SHIPPED_CADENCE_FILE = join(PACKAGE_ROOT, 'policies', 'reminders', 'default-cadence.json');
export const SHIPPED_CADENCE_VERSION = 'shipped';

let shipped: ParsedCadenceDocument | undefined;

export function shippedCadence(): ParsedCadenceDocument {
  if (shipped === undefined) {
    const parsed = parseCadenceDocument(JSON.parse(readFileSync(SHIPPED_CADENCE_FILE, 'utf8')));
    if (!parsed.ok)
      throw new Error(`assertion: the shipped cadence does not validate: ${JSON.stringify(parsed.issues)}`);
    shipped = parsed.document;
  }
  return shipped;
}

/** The cadence in force: the published version, else the shipped one. */
export async function cadenceInForce(
  q: Queryable,
): Promise<{ version: string; document: ParsedCadenceDocument }> {
  return (await publishedCadence(q)) ?? { version: SHIPPED_CADENCE_VERSION, document: shippedCadence() };
}
