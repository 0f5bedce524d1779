import { createHash } from 'node:crypto';
import {
  type AssessmentSettings,
  checkAssessmentWeights,
  DEFAULT_ASSESSMENT_SETTINGS,
  readStoredAssessmentWeights,
} from '../../collections/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';

/** The version name of the shipped weights, used while none is published. */
export const SHIPPED_ASSESSMENT_WEIGHTS = 'shipped';

/** A version of the ability/willingness weights with its maker-checker trail (decision 0717). */
export interface StoredAssessmentVersion {
  readonly version: string;
  readonly status: 'draft' | 'published' | 'retired';
  readonly documentHash: string;
  readonly note: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly approvedBy: string | null;
}

export class AssessmentVersionError extends Error {
  constructor(
    readonly code:
      | 'assessment_weights_not_found'
      | 'assessment_weights_not_draft'
      | 'assessment_weights_own_draft',
    message: string,
    /** The version's status when it is not a draft. */
    readonly status: string | null = null,
  ) {
    super(message);
    this.name = 'AssessmentVersionError';
  }
}

interface Row {
  version: string;
  status: StoredAssessmentVersion['status'];
  document_hash: string;
  note: string | null;
  created_by: string;
  created_at: string | Date;
  approved_by: string | null;
}

const COLUMNS = 'version, status, document_hash, note, created_by, created_at, approved_by';

function fromRow(r: Row): StoredAssessmentVersion {
  return {
    version: r.version,
    status: r.status,
    documentHash: r.document_hash,
    note: r.note,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    approvedBy: r.approved_by,
  };
}

/** Stores valid weights as a draft; invalid ones are refused with every issue and nothing written. */
export async function draftAssessmentWeights(
  q: Queryable,
  weights: unknown,
  createdBy: string,
  note: string | null,
): Promise<StoredAssessmentVersion> {
  // Stored as read back (known fields only, in their order), so the hash is of what is applied.
  const text = JSON.stringify(checkAssessmentWeights(weights));
  const { rows } = await q.query<Row>(
    `insert into collection_assessment_versions (version, document, document_hash, status, note, created_by)
     values ($1, $2::jsonb, $3, 'draft', $4, $5) returning ${COLUMNS}`,
    [newId('caw'), text, createHash('sha256').update(text).digest('hex'), note, createdBy],
  );
  return fromRow(rows[0]!);
}

/**
 * A second person approves a draft: it is published and the version published before is retired, in the
 * caller's transaction. Cases are assessed with it from the next refresh.
 */
export async function approveAssessmentWeights(
  q: Queryable,
  version: string,
  approvedBy: string,
): Promise<StoredAssessmentVersion> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from collection_assessment_versions where version = $1 for update`,
    [version],
  );
  const row = rows[0];
  if (row === undefined)
    throw new AssessmentVersionError(
      'assessment_weights_not_found',
      `no assessment weights version ${version}`,
    );
  if (row.status !== 'draft')
    throw new AssessmentVersionError(
      'assessment_weights_not_draft',
      `assessment weights version ${version} is ${row.status}; only a draft can be approved`,
      row.status,
    );
  if (row.created_by === approvedBy)
    throw new AssessmentVersionError(
      'assessment_weights_own_draft',
      `assessment weights version ${version} was written by ${approvedBy}; another person must approve it`,
    );
  await q.query(`update collection_assessment_versions set status = 'retired' where status = 'published'`);
  const updated = await q.query<Row>(
    `update collection_assessment_versions set status = 'published', approved_by = $2, approved_at = now()
      where version = $1 returning ${COLUMNS}`,
    [version, approvedBy],
  );
  return fromRow(updated.rows[0]!);
}

export async function listAssessmentVersions(q: Queryable): Promise<StoredAssessmentVersion[]> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from collection_assessment_versions order by created_at desc, version desc limit 200`,
  );
  return rows.map(fromRow);
}

/** A version's weights ("shipped": the defaults); undefined when there is no such version. */
export async function assessmentWeightsDocument(
  q: Queryable,
  version: string,
): Promise<AssessmentSettings | undefined> {
  if (version === SHIPPED_ASSESSMENT_WEIGHTS) return DEFAULT_ASSESSMENT_SETTINGS;
  const { rows } = await q.query<{ document: string }>(
    'select document::text as document from collection_assessment_versions where version = $1',
    [version],
  );
  return rows[0] === undefined ? undefined : readStoredAssessmentWeights(JSON.parse(rows[0].document));
}

/** The weights in force: the published version, else the shipped weights. */
export async function assessmentWeightsInForce(
  q: Queryable,
): Promise<{ readonly version: string; readonly settings: AssessmentSettings }> {
  const { rows } = await q.query<{ version: string; document: string }>(
    `select version, document::text as document from collection_assessment_versions where status = 'published'`,
  );
  const r = rows[0];
  return r === undefined
    ? { version: SHIPPED_ASSESSMENT_WEIGHTS, settings: DEFAULT_ASSESSMENT_SETTINGS }
    : { version: r.version, settings: readStoredAssessmentWeights(JSON.parse(r.document)) };
}
