/**
 * The `combined` write of an application (decision 0525): one statement takes the request's and the
 * applicant's locks and reads the policy in force, one reads everything the decision needs, one writes
 * everything it made. `submitApplication` (submit.ts) runs it and falls back to `per-table` (insertApplication,
 * insertDecision …) whenever it declines.
 */

import type {
  Application,
  BlacklistEntry,
  BlacklistSubject,
  Decision,
  PastApplication,
  ReviewFlag,
} from '../../origination/index.js';
import { retryFactsOf } from '../../origination/index.js';
import type { AuditEntry } from '../audit.js';
import type { Queryable } from '../db.js';
import { type IdempotencyRecord, idempotencyValues } from '../idempotency.js';
import type { PiiCipher } from '../pii-cipher.js';
import {
  encryptApplicationBody,
  type HistoryKey,
  type HistoryRow,
  historyFrom,
  historyLookups,
  historyRowsOf,
  pastApplicationsOf,
} from './applications.js';
import {
  type BlacklistMatchRow,
  blacklistLookups,
  blacklistMatchesOf,
  blacklistMatchSql,
  INVITATION_COLUMNS,
  type InvitationRow,
  invitationFromRow,
  type StoredInvitation,
} from './lists.js';

/**
 * The request's lock, then the applicant's (the order of `commitWrite`, decision 0522), in a statement of
 * their own: the reads that follow take their snapshot after both are held, so they see what an earlier
 * holder committed. The published policy of the product comes with them (it needs no lock).
 */
const LOCK_SQL = `
with request as materialized (select pg_advisory_xact_lock(hashtextextended($1, 0))),
applicant as materialized (select pg_advisory_xact_lock(hashtextextended($2, 0)) from request)
select (select count(*) from applicant)::integer as locked, p.version, p.document_hash
  from (select 1) as one
  left join policy_versions p on p.product_id = $3 and p.status = 'published'`;

export interface ApplicationLockTarget {
  userId: string;
  idempotencyKey: string;
  applicantKey: string;
  productId: string;
}

/** The lock keys of `commitWrite` and of the application route, so both paths exclude each other. */
export const requestLockKey = (userId: string, key: string) => `idem:${userId}:${key}`;
export const applicantLockKey = (applicantKey: string) => `applicant:${applicantKey}`;

/** Takes both locks (one round trip); returns the product's published policy version, if any. */
export async function lockApplication(
  q: Queryable,
  target: ApplicationLockTarget,
): Promise<{ version: string; documentHash: string } | undefined> {
  const { rows } = await q.query<{ locked: number; version: string | null; document_hash: string | null }>(
    LOCK_SQL,
    [
      requestLockKey(target.userId, target.idempotencyKey),
      applicantLockKey(target.applicantKey),
      target.productId,
    ],
    { name: 'lendguard_application_lock' },
  );
  const row = rows[0];
  if (row === undefined || row.locked !== 1)
    throw new Error('assertion: the application locks were not taken');
  return row.version === null || row.document_hash === null
    ? undefined
    : { version: row.version, documentHash: row.document_hash };
}

const READ_SQL = `
select
  exists (select 1 from idempotency_keys where user_id = $1 and idempotency_key = $2) as request_seen,
  (select coalesce(json_agg(i order by i.invitation_id), '[]'::json)
     from (select ${INVITATION_COLUMNS} from invitations where applicant_key = any($3::text[])) i) as invitations,
  (select coalesce(json_agg(b order by b.entry_id), '[]'::json)
     from (${blacklistMatchSql('$4', '$5', '$6')}) b) as blacklist,
  (select coalesce(json_agg(h), '[]'::json)
     from (select h.kind, h.application_id, h.past, h.retry_facts_enc from ${historyFrom('$7', '$8', '$9', '$10')}) h)
    as history,
  (select customer_id from customer_identities
    where kind = 'id_number' and blind_index = any($11::text[]) limit 1) as customer_id,
  (select day::text from business_day) as business_day`;

export interface ApplicationReadTarget {
  userId: string;
  idempotencyKey: string;
  /** The applicant's key under the active key, and under every configured key (invitations). */
  applicantKey: string;
  applicantKeyCandidates: readonly string[];
  blacklistKeys: readonly { subject: BlacklistSubject; key: string; candidates?: readonly string[] }[];
  /** The instant the blacklist is checked at (the submission time). */
  at: string;
  historyKeys: readonly HistoryKey[];
  historySince: string;
  historyRowsPerKey_max: number;
  /** The ID number's blind indexes under every configured key (an existing customer). */
  customerIdKeys: readonly string[];
}

export interface ApplicationReads {
  invitations: StoredInvitation[];
  blacklist: BlacklistEntry[];
  history: PastApplication[];
  /** The customer holding the applicant's ID number, if any. */
  existingCustomerId: string | null;
  /** The business day as `YYYY-MM-DD`. */
  businessDay: string;
}

/**
 * One round trip, after `lockApplication`: the invitations, blacklist entries and history the decision
 * needs, the customer already holding the ID number and the business day — or undefined when the request's
 * Idempotency-Key was used before (live or expired: `per-table` replays, refuses or replaces it).
 */
export async function readForApplication(
  q: Queryable,
  cipher: PiiCipher,
  target: ApplicationReadTarget,
): Promise<ApplicationReads | undefined> {
  const blacklist = blacklistLookups(target.blacklistKeys);
  const history = historyLookups(target.historyKeys);
  const { rows } = await q.query<{
    request_seen: boolean;
    invitations: InvitationRow[];
    blacklist: BlacklistMatchRow[];
    history: HistoryRow[];
    customer_id: string | null;
    business_day: string;
  }>(
    READ_SQL,
    [
      target.userId,
      target.idempotencyKey,
      target.applicantKeyCandidates,
      blacklist.subjects,
      blacklist.keys,
      target.at,
      history.map((k) => k.kind),
      history.map((k) => k.key),
      target.historySince,
      target.historyRowsPerKey_max,
      target.customerIdKeys,
    ],
    { name: 'lendguard_application_read' },
  );
  const row = rows[0];
  if (row === undefined) throw new Error('assertion: the application read returned no row');
  if (row.request_seen) return undefined;
  return {
    invitations: row.invitations.map((r) => ({
      ...invitationFromRow(cipher, r),
      applicantKey: target.applicantKey,
    })),
    blacklist: blacklistMatchesOf(blacklist, row.blacklist),
    history: pastApplicationsOf(cipher, row.history),
    existingCustomerId: row.customer_id,
    businessDay: row.business_day,
  };
}

const WRITE_SQL = `
with app as (
  insert into applications (application_id, applicant_key, customer_id, line_id, submitted_at, product_id, channel,
    occupation, requested_limit_fen, province, city, body_enc, created_by)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)),
dec as (
  insert into decisions (application_id, decision_id, decided_at, outcome, limit_fen, risk_grade,
    policy_version, model_version, record, content_hash)
  values ($1, $14, $15, $16, $17, $18, $19, $20, $21::jsonb, $22)),
fl as (
  insert into review_flags (application_id, flag_id, kind, severity, summary, evidence, status)
  select $1, u.f, u.k, u.s, u.m, u.e::jsonb, 'open'
  from unnest($23::text[], $24::text[], $25::text[], $26::text[], $27::text[]) as u(f, k, s, m, e)),
hk as (
  insert into application_keys (kind, key, application_id, submitted_at, past, retry_facts_enc)
  select u.k, u.key, $1, $5, $31::jsonb, u.r
  from unnest($28::text[], $29::text[], $30::text[]) as u(k, key, r)),
cu as (
  insert into customers (customer_id, created_by, name_enc, id_number_enc, phone_enc, address_detail_enc,
    contacts_enc, province, city, declared_monthly_income_fen, external_ref)
  select $3, $13, $33::text, $34::text, $35::text, $36::text, $37::text, $10, $11, $38::bigint, null
  where $32::boolean),
ci as (
  insert into customer_identities (kind, blind_index, customer_id)
  select u.k, u.b, $3 from unnest(array['id_number', 'phone'], array[$39::text, $40::text]) as u(k, b)
  where $32::boolean),
cl as (
  insert into credit_lines (customer_id, line_id, limit_minor, used_minor, status, state)
  select $3, $4, $42::bigint, $43::bigint, $44::text, $45::jsonb
  where $41::boolean),
iv as (
  update invitations set status = 'used', used_by_application = $1
  where invitation_id = $46::text and status = 'active'),
au as (
  insert into audit_log (actor_user_id, actor_role, action, request_id, resource_type, resource_id,
    customer_id, details)
  select $13, $47, u.a, $48, u.rt, u.ri, u.ci, u.dt::jsonb
  from unnest($49::text[], $50::text[], $51::text[], $52::text[], $53::text[])
    with ordinality as u(a, rt, ri, ci, dt, o)
  order by u.o),
ik as (
  insert into idempotency_keys (user_id, idempotency_key, method, route, request_mac, field_macs,
    mac_key_id, response_status, response_body, resource_location, expires_at)
  values ($13, $54, $55, $56, $57, $58, $59, $60, $61, $62,
    now() + make_interval(hours => $63)))
select 1 as written`;

/** What one application leaves in the store, ready to write (personal data already encrypted). */
export interface ApplicationWrite {
  application: {
    applicationId: string;
    applicantKey: string;
    submittedAt: string;
    productId: string;
    channel: string;
    occupation: string;
    requestedLimit_fen: number;
    province: string;
    city: string;
    bodyEnc: string;
  };
  decision: {
    decisionId: string;
    decidedAt: string;
    outcome: string;
    limit_fen: number;
    riskGrade: string | null;
    policyVersion: string;
    modelVersion: string;
    /** The sealed record as JSON text. */
    recordJson: string;
    contentHash: string;
  };
  flags: readonly { flagId: string; kind: string; severity: string; summary: string; evidenceJson: string }[];
  history: {
    pastJson: string;
    rows: readonly { kind: string; key: string; retryFactsEnc: string | null }[];
  };
  /** On approval: the customer (registered now when `sealed` is given) and the line opened. */
  approval?: {
    customerId: string;
    newCustomer?: {
      nameEnc: string;
      idNumberEnc: string;
      phoneEnc: string;
      addressDetailEnc: string;
      contactsEnc: string;
      declaredMonthlyIncome_fen: number;
      idNumberIndex: string;
      phoneIndex: string;
    };
    line: { lineId: string; limitMinor: number; usedMinor: number; status: string; stateJson: string };
    invitationId: string | null;
  };
  audit: readonly AuditEntry[];
  idempotency: IdempotencyRecord;
  /** The response as sent (JSON text), stored for replays. */
  responseText: string;
}

/**
 * The rows one decided application leaves, from what the decision made: the application with its body
 * encrypted, the sealed decision, its flags, the applicant's history entry and, on approval, what
 * `planApproval` planned. The one place that maps a decision to its rows for `writeApplication`.
 */
export function applicationWriteOf(
  cipher: PiiCipher,
  made: {
    application: Application;
    applicantKey: string;
    submittedAt: string;
    decisionId: string;
    decision: Decision;
    flags: readonly { flagId: string; flag: ReviewFlag }[];
    past: PastApplication;
    approval?: ApplicationWrite['approval'];
    audit: readonly AuditEntry[];
    idempotency: IdempotencyRecord;
    responseText: string;
  },
): ApplicationWrite {
  const { application, decision, past } = made;
  return {
    application: {
      applicationId: application.applicationId,
      applicantKey: made.applicantKey,
      submittedAt: made.submittedAt,
      productId: application.productId,
      channel: application.channel,
      occupation: application.employment.occupation,
      requestedLimit_fen: application.requestedLimit_fen,
      province: application.address.province,
      city: application.address.city,
      bodyEnc: encryptApplicationBody(cipher, application),
    },
    decision: {
      decisionId: made.decisionId,
      decidedAt: decision.decidedAt,
      outcome: decision.outcome,
      limit_fen: decision.limit_fen,
      riskGrade: decision.riskGrade,
      policyVersion: decision.policy.version,
      modelVersion: decision.score.model.version,
      recordJson: JSON.stringify(decision),
      contentHash: decision.contentHash,
    },
    flags: made.flags.map(({ flagId, flag }) => ({
      flagId,
      kind: flag.kind,
      severity: flag.severity,
      summary: flag.summary,
      evidenceJson: JSON.stringify(flag.evidence),
    })),
    history: {
      pastJson: JSON.stringify(past),
      rows: historyRowsOf(cipher, past, retryFactsOf(application)),
    },
    ...(made.approval === undefined ? {} : { approval: made.approval }),
    audit: made.audit,
    idempotency: made.idempotency,
    responseText: made.responseText,
  };
}

/**
 * One round trip: the application, its decision, flags and history rows, on approval the customer, the
 * line and the invitation taken up, the audit entries and the idempotency record. Any failure (a key
 * stored meanwhile, a check) fails the statement whole, and the transaction with it.
 */
export async function writeApplication(q: Queryable, w: ApplicationWrite): Promise<void> {
  const actor = w.audit[0];
  if (actor === undefined) throw new Error('assertion: an application writes audit entries');
  for (const a of w.audit) {
    if (
      a.actorUserId !== w.idempotency.userId ||
      a.actorRole !== actor.actorRole ||
      a.requestId !== actor.requestId
    )
      throw new Error('assertion: the audit entries of one application share its actor and request');
  }
  const { application: a, decision: d, approval, idempotency: idem } = w;
  const customer = approval?.newCustomer;
  const params: unknown[] = [
    // applications ($1–$13; $13 is also the actor of the audit entries and the idempotency record's user)
    a.applicationId,
    a.applicantKey,
    approval?.customerId ?? null,
    approval?.line.lineId ?? null,
    a.submittedAt,
    a.productId,
    a.channel,
    a.occupation,
    a.requestedLimit_fen,
    a.province,
    a.city,
    a.bodyEnc,
    idem.userId,
    // decisions ($14–$22)
    d.decisionId,
    d.decidedAt,
    d.outcome,
    d.limit_fen,
    d.riskGrade,
    d.policyVersion,
    d.modelVersion,
    d.recordJson,
    d.contentHash,
    // review_flags ($23–$27)
    w.flags.map((f) => f.flagId),
    w.flags.map((f) => f.kind),
    w.flags.map((f) => f.severity),
    w.flags.map((f) => f.summary),
    w.flags.map((f) => f.evidenceJson),
    // application_keys ($28–$31)
    w.history.rows.map((r) => r.kind),
    w.history.rows.map((r) => r.key),
    w.history.rows.map((r) => r.retryFactsEnc),
    w.history.pastJson,
    // customers and customer_identities ($32–$40)
    customer !== undefined,
    customer?.nameEnc ?? null,
    customer?.idNumberEnc ?? null,
    customer?.phoneEnc ?? null,
    customer?.addressDetailEnc ?? null,
    customer?.contactsEnc ?? null,
    customer?.declaredMonthlyIncome_fen ?? null,
    customer?.idNumberIndex ?? null,
    customer?.phoneIndex ?? null,
    // credit_lines ($41–$45)
    approval !== undefined,
    approval?.line.limitMinor ?? null,
    approval?.line.usedMinor ?? null,
    approval?.line.status ?? null,
    approval?.line.stateJson ?? null,
    // invitations ($46)
    approval?.invitationId ?? null,
    // audit_log ($47–$53)
    actor.actorRole,
    actor.requestId,
    w.audit.map((e) => e.action),
    w.audit.map((e) => e.resourceType),
    w.audit.map((e) => e.resourceId),
    w.audit.map((e) => e.customerId),
    w.audit.map((e) => JSON.stringify(e.details)),
    // idempotency_keys ($54–$63)
    idem.key,
    ...idempotencyValues(idem, w.responseText),
  ];
  await q.query(WRITE_SQL, params, { name: 'lendguard_application_write' });
}
