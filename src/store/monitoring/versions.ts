import { createHash } from 'node:crypto';
import {
  type EarlyWarningDocument,
  type EarlyWarningIssue,
  parseEarlyWarningDocument,
} from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';

/** An early-warning version with its maker-checker trail (decision 0640). */
export interface StoredEarlyWarningVersion {
  version: string;
  status: 'draft' | 'published' | 'retired' | 'rejected';
  documentHash: string;
  note: string | null;
  createdBy: string;
  approvedBy: string | null;
  createdAt: string;
}

export class EarlyWarningError extends Error {
  constructor(
    readonly code:
      | 'early_warning_invalid'
      | 'early_warning_not_found'
      | 'early_warning_not_draft'
      | 'early_warning_own_draft',
    message: string,
    readonly issues: readonly EarlyWarningIssue[] = [],
  ) {
    super(message);
    this.name = 'EarlyWarningError';
  }
}

const COLUMNS = `version, status, document_hash, note, created_by, approved_by,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at`;
interface Row {
  version: string;
  status: StoredEarlyWarningVersion['status'];
  document_hash: string;
  note: string | null;
  created_by: string;
  approved_by: string | null;
  created_at: string;
}
const fromRow = (r: Row): StoredEarlyWarningVersion => ({
  version: r.version,
  status: r.status,
  documentHash: r.document_hash,
  note: r.note,
  createdBy: r.created_by,
  approvedBy: r.approved_by,
  createdAt: r.created_at,
});

/** Stores a valid document as a draft; an invalid one is refused with every issue and nothing written. */
export async function draftEarlyWarning(
  q: Queryable,
  raw: unknown,
  createdBy: string,
  note: string | null = null,
): Promise<StoredEarlyWarningVersion> {
  const parsed = parseEarlyWarningDocument(raw);
  if (!parsed.ok)
    throw new EarlyWarningError(
      'early_warning_invalid',
      `the early-warning document is not valid: ${parsed.issues.map((i) => `${i.path || '/'} ${i.message}`).join('; ')}`,
      parsed.issues,
    );
  const version = newId('ewv');
  const { rows } = await q.query<Row>(
    `insert into early_warning_versions (version, document, document_hash, status, note, created_by)
     values ($1, $2::jsonb, $3, 'draft', $4, $5) returning ${COLUMNS}`,
    [
      version,
      JSON.stringify(raw),
      createHash('sha256').update(JSON.stringify(raw)).digest('hex'),
      note,
      createdBy,
    ],
  );
  return fromRow(rows[0]!);
}

/** Another person approves a draft: it is published and the version in force before it retired. */
export async function approveEarlyWarning(
  q: Queryable,
  version: string,
  approvedBy: string,
): Promise<StoredEarlyWarningVersion> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from early_warning_versions where version = $1 for update`,
    [version],
  );
  const row = rows[0];
  if (row === undefined)
    throw new EarlyWarningError('early_warning_not_found', `no early-warning version ${version}`);
  if (row.status !== 'draft')
    throw new EarlyWarningError(
      'early_warning_not_draft',
      `early-warning version ${version} is ${row.status}; only a draft can be approved`,
    );
  if (row.created_by === approvedBy)
    throw new EarlyWarningError(
      'early_warning_own_draft',
      `early-warning version ${version} was written by ${approvedBy}; another person must approve it`,
    );
  await q.query(`update early_warning_versions set status = 'retired' where status = 'published'`);
  const r = await q.query<Row>(
    `update early_warning_versions set status = 'published', approved_by = $2, approved_at = now()
     where version = $1 returning ${COLUMNS}`,
    [version, approvedBy],
  );
  return fromRow(r.rows[0]!);
}

export async function listEarlyWarningVersions(q: Queryable): Promise<StoredEarlyWarningVersion[]> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from early_warning_versions order by created_at, version`,
  );
  return rows.map(fromRow);
}

/** The published document and its version, or undefined (the shipped one then applies). */
export async function publishedEarlyWarning(
  q: Queryable,
): Promise<{ version: string; document: EarlyWarningDocument } | undefined> {
  const { rows } = await q.query<{ version: string; document: string }>(
    `select version, document::text as document from early_warning_versions where status = 'published'`,
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  const parsed = parseEarlyWarningDocument(JSON.parse(row.document));
  if (!parsed.ok)
    throw new Error(`assertion: published early-warning version ${row.version} no longer validates`);
  return { version: row.version, document: parsed.document };
}
