import type { PolicyDocument, PolicyVersionStatus } from '../../origination/index.js';
import type { Queryable } from '../db.js';

/** A stored policy version with its maker-checker trail. */
export interface StoredPolicyVersion {
  version: string;
  policyId: string;
  productId: string;
  documentHash: string;
  status: PolicyVersionStatus;
  createdBy: string;
  createdAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  publishedBy: string | null;
  publishedAt: string | null;
  retiredAt: string | null;
  rolledBackAt: string | null;
  /** Present when read with the document. */
  document?: PolicyDocument;
}

export type PolicyAction = 'draft' | 'approve' | 'reject' | 'publish' | 'retire' | 'rollback';

export interface PolicyEvent {
  eventNo: number;
  version: string;
  action: PolicyAction;
  actorUserId: string;
  occurredAt: string;
  note: string | null;
}

const TS = (c: string) => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${c}`;
const COLUMNS = `version, policy_id, product_id, document_hash, status, created_by, ${TS('created_at')},
  approved_by, ${TS('approved_at')}, published_by, ${TS('published_at')}, ${TS('retired_at')}, ${TS('rolled_back_at')}`;

interface Row {
  version: string;
  policy_id: string;
  product_id: string;
  document_hash: string;
  status: PolicyVersionStatus;
  created_by: string;
  created_at: string;
  approved_by: string | null;
  approved_at: string | null;
  published_by: string | null;
  published_at: string | null;
  retired_at: string | null;
  rolled_back_at: string | null;
  document?: string;
}

function fromRow(r: Row): StoredPolicyVersion {
  return {
    version: r.version,
    policyId: r.policy_id,
    productId: r.product_id,
    documentHash: r.document_hash,
    status: r.status,
    createdBy: r.created_by,
    createdAt: r.created_at,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    publishedBy: r.published_by,
    publishedAt: r.published_at,
    retiredAt: r.retired_at,
    rolledBackAt: r.rolled_back_at,
    ...(r.document === undefined ? {} : { document: JSON.parse(r.document) as PolicyDocument }),
  };
}

export class PolicyVersionExistsError extends Error {
  constructor(readonly version: string) {
    super(`policy version ${version} exists already`);
    this.name = 'PolicyVersionExistsError';
  }
}

export async function appendPolicyEvent(
  q: Queryable,
  version: string,
  action: PolicyAction,
  actorUserId: string,
  note: string | null,
): Promise<void> {
  await q.query('insert into policy_events (version, action, actor_user_id, note) values ($1, $2, $3, $4)', [
    version,
    action,
    actorUserId,
    note,
  ]);
}

/** Stores a checked policy document as a draft by its author. Version labels are unique across policies. */
export async function insertPolicyDraft(
  q: Queryable,
  document: PolicyDocument,
  documentHash: string,
  createdBy: string,
): Promise<StoredPolicyVersion> {
  const { rows } = await q.query<Row>(
    `insert into policy_versions (version, policy_id, product_id, document, document_hash, status, created_by)
     values ($1, $2, $3, $4::jsonb, $5, 'draft', $6) on conflict (version) do nothing returning ${COLUMNS}`,
    [
      document.version,
      document.policyId,
      document.settings.productId,
      JSON.stringify(document),
      documentHash,
      createdBy,
    ],
  );
  if (rows[0] === undefined) throw new PolicyVersionExistsError(document.version);
  await appendPolicyEvent(q, document.version, 'draft', createdBy, null);
  return fromRow(rows[0]);
}

export async function findPolicyVersion(
  q: Queryable,
  version: string,
  options: { withDocument?: boolean; forUpdate?: boolean } = {},
): Promise<StoredPolicyVersion | undefined> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS}${options.withDocument === true ? ', document::text as document' : ''}
       from policy_versions where version = $1 ${options.forUpdate === true ? 'for update' : ''}`,
    [version],
  );
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

/** The version in force for a product (without its document), if one is published. */
export async function findPublishedPolicy(
  q: Queryable,
  productId: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredPolicyVersion | undefined> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from policy_versions where product_id = $1 and status = 'published'
     ${options.forUpdate === true ? 'for update' : ''}`,
    [productId],
  );
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

/** The document of a version, for compiling on a cache miss. */
export async function policyDocument(q: Queryable, version: string): Promise<PolicyDocument | undefined> {
  const { rows } = await q.query<{ document: string }>(
    'select document::text as document from policy_versions where version = $1',
    [version],
  );
  return rows[0] === undefined ? undefined : (JSON.parse(rows[0].document) as PolicyDocument);
}

export async function listPolicyVersions(
  q: Queryable,
  filter: { status?: PolicyVersionStatus; productId?: string },
  afterVersion: string | null,
  limit: number,
): Promise<StoredPolicyVersion[]> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from policy_versions
      where ($1::text is null or status = $1) and ($2::text is null or product_id = $2)
        and ($3::text is null or version > $3)
      order by version limit $4`,
    [filter.status ?? null, filter.productId ?? null, afterVersion, limit],
  );
  return rows.map(fromRow);
}

export async function policyEvents(q: Queryable, version: string): Promise<PolicyEvent[]> {
  const { rows } = await q.query<{
    event_no: number;
    version: string;
    action: PolicyAction;
    actor_user_id: string;
    occurred_at: string;
    note: string | null;
  }>(
    `select event_no, version, action, actor_user_id, ${TS('occurred_at')}, note
       from policy_events where version = $1 order by event_no`,
    [version],
  );
  return rows.map((r) => ({
    eventNo: Number(r.event_no),
    version: r.version,
    action: r.action,
    actorUserId: r.actor_user_id,
    occurredAt: r.occurred_at,
    note: r.note,
  }));
}

export async function approvePolicyVersion(q: Queryable, version: string, approvedBy: string): Promise<void> {
  await q.query(
    `update policy_versions set status = 'approved', approved_by = $2, approved_at = now() where version = $1`,
    [version, approvedBy],
  );
}

export async function rejectPolicyVersion(q: Queryable, version: string): Promise<void> {
  await q.query(`update policy_versions set status = 'rejected' where version = $1`, [version]);
}

/** Takes a version out of force; `rolledBack` marks it as never to be restored by a later roll back. */
export async function retirePolicyVersion(q: Queryable, version: string, rolledBack: boolean): Promise<void> {
  await q.query(
    `update policy_versions set status = 'retired', retired_at = now(),
       rolled_back_at = case when $2 then now() else rolled_back_at end
     where version = $1`,
    [version, rolledBack],
  );
}

export async function publishPolicyVersion(
  q: Queryable,
  version: string,
  publishedBy: string,
): Promise<void> {
  await q.query(
    `update policy_versions set status = 'published', published_by = $2, published_at = now(), retired_at = null
     where version = $1`,
    [version, publishedBy],
  );
}

/**
 * The version a roll back of `current` restores: of the product's earlier published versions that were
 * retired (not rolled back themselves), the one published last.
 */
export async function previousPublishedVersion(
  q: Queryable,
  productId: string,
  current: string,
): Promise<StoredPolicyVersion | undefined> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from policy_versions
      where product_id = $1 and version <> $2 and status = 'retired' and published_at is not null
        and rolled_back_at is null
      order by published_at desc, version desc limit 1`,
    [productId, current],
  );
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}
