import type {
  Application,
  Decision,
  DecisionOutcome,
  PastApplication,
  PersonalDataKind,
  RetryFacts,
  ReviewFlag,
} from '../../origination/index.js';
import { normaliseIdNumber, normalisePhone } from '../customers.js';
import type { Queryable } from '../db.js';
import type { PiiCipher } from '../pii-cipher.js';

const TS = (c: string) => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${c}`;

/** Blind-index kind names: ID number and phone match those of customer_identities. */
const INDEX_KIND: Record<PersonalDataKind, string> = {
  name: 'name',
  'id-number': 'id_number',
  phone: 'phone',
  'address-detail': 'address_detail',
  device: 'device',
  ip: 'ip',
  sim: 'sim',
};

function normalise(kind: PersonalDataKind, value: string): string {
  if (kind === 'id-number') return normaliseIdNumber(value);
  if (kind === 'phone') return normalisePhone(value);
  return value.trim();
}

/** The key a personal-data value is compared by: its blind index under the active key. */
export function originationKeyOf(cipher: PiiCipher) {
  return (kind: PersonalDataKind, value: string): string =>
    cipher.blindIndex(INDEX_KIND[kind], normalise(kind, value));
}

/** The value's blind indexes under every configured key, to find rows written before a key rotation. */
export function originationKeyCandidates(cipher: PiiCipher, kind: PersonalDataKind, value: string): string[] {
  return cipher.blindIndexCandidates(INDEX_KIND[kind], normalise(kind, value));
}

export const bodyAad = (applicationId: string) => `applications.${applicationId}.body`;

export interface StoredApplication {
  applicationId: string;
  applicantKey: string;
  customerId: string | null;
  lineId: string | null;
  createdBy: string;
  createdAt: string;
  application: Application;
}

interface ApplicationRow {
  application_id: string;
  applicant_key: string;
  customer_id: string | null;
  line_id: string | null;
  body_enc: string;
  created_by: string;
  created_at: string;
}

const APPLICATION_COLUMNS = `application_id, applicant_key, customer_id, line_id, body_enc, created_by, ${TS('created_at')}`;

function applicationFromRow(cipher: PiiCipher, r: ApplicationRow): StoredApplication {
  return {
    applicationId: r.application_id,
    applicantKey: r.applicant_key,
    customerId: r.customer_id,
    lineId: r.line_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    application: JSON.parse(cipher.decrypt(r.body_enc, bodyAad(r.application_id))) as Application,
  };
}

export async function insertApplication(
  q: Queryable,
  cipher: PiiCipher,
  application: Application,
  applicantKey: string,
  createdBy: string,
): Promise<void> {
  await q.query(
    `insert into applications (application_id, applicant_key, submitted_at, product_id, channel, occupation,
       requested_limit_fen, province, city, body_enc, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      application.applicationId,
      applicantKey,
      application.submittedAt,
      application.productId,
      application.channel,
      application.employment.occupation,
      application.requestedLimit_fen,
      application.address.province,
      application.address.city,
      encryptApplicationBody(cipher, application),
      createdBy,
    ],
  );
}

/** The application's whole validated JSON, encrypted and bound to its row. */
export function encryptApplicationBody(cipher: PiiCipher, application: Application): string {
  return cipher.encrypt(JSON.stringify(application), bodyAad(application.applicationId));
}

export async function setApplicationLine(
  q: Queryable,
  applicationId: string,
  customerId: string,
  lineId: string | null,
): Promise<void> {
  await q.query('update applications set customer_id = $2, line_id = $3 where application_id = $1', [
    applicationId,
    customerId,
    lineId,
  ]);
}

export async function findApplication(
  q: Queryable,
  cipher: PiiCipher,
  applicationId: string,
): Promise<StoredApplication | undefined> {
  const { rows } = await q.query<ApplicationRow>(
    `select ${APPLICATION_COLUMNS} from applications where application_id = $1`,
    [applicationId],
  );
  return rows[0] === undefined ? undefined : applicationFromRow(cipher, rows[0]);
}

/** A customer's latest application whose approval opened (or reused) their line. */
export async function latestApprovedApplication(
  q: Queryable,
  cipher: PiiCipher,
  customerId: string,
): Promise<(StoredApplication & { decision: StoredDecision }) | undefined> {
  const { rows } = await q.query<ApplicationRow & DecisionRow>(
    `select a.application_id, a.applicant_key, a.customer_id, a.line_id, a.body_enc, a.created_by,
            to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at,
            d.decision_id, d.record::text as record
       from applications a join decisions d on d.application_id = a.application_id
      where a.customer_id = $1 and d.outcome = 'approve'
      order by a.submitted_at desc, a.application_id desc limit 1`,
    [customerId],
  );
  const r = rows[0];
  if (r === undefined) return undefined;
  return { ...applicationFromRow(cipher, r), decision: decisionFromRow(r) };
}

// ---------------------------------------------------------------------------------------------------------
// Decisions (immutable: the table refuses UPDATE and DELETE)

export interface StoredDecision {
  decisionId: string;
  applicationId: string;
  decision: Decision;
}

interface DecisionRow {
  decision_id: string;
  application_id: string;
  record: string;
}

function decisionFromRow(r: DecisionRow): StoredDecision {
  return {
    decisionId: r.decision_id,
    applicationId: r.application_id,
    decision: JSON.parse(r.record) as Decision,
  };
}

export async function insertDecision(q: Queryable, decisionId: string, decision: Decision): Promise<void> {
  await q.query(
    `insert into decisions (application_id, decision_id, decided_at, outcome, limit_fen, risk_grade,
       policy_version, model_version, record, content_hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)`,
    [
      decision.applicationId,
      decisionId,
      decision.decidedAt,
      decision.outcome,
      decision.limit_fen,
      decision.riskGrade,
      decision.policy.version,
      decision.score.model.version,
      JSON.stringify(decision),
      decision.contentHash,
    ],
  );
}

export async function findDecision(q: Queryable, decisionId: string): Promise<StoredDecision | undefined> {
  const { rows } = await q.query<DecisionRow>(
    'select decision_id, application_id, record::text as record from decisions where decision_id = $1',
    [decisionId],
  );
  return rows[0] === undefined ? undefined : decisionFromRow(rows[0]);
}

export async function decisionOfApplication(
  q: Queryable,
  applicationId: string,
): Promise<StoredDecision | undefined> {
  const { rows } = await q.query<DecisionRow>(
    `select decision_id, application_id, record::text as record from decisions
      where application_id = $1 order by decided_at desc limit 1`,
    [applicationId],
  );
  return rows[0] === undefined ? undefined : decisionFromRow(rows[0]);
}

// ---------------------------------------------------------------------------------------------------------
// History facts for the 强开 detectors

export type HistoryKeyKind = 'applicant' | 'device' | 'ip' | 'sim' | 'phone' | 'contact-phone' | 'source';

export interface HistoryKey {
  kind: HistoryKeyKind;
  key: string;
}

export const retryAad = (applicationId: string) => `application_keys.${applicationId}.retry_facts`;

/** The keys an application is found by later, from its keys-only history row. */
export function historyKeysOf(past: PastApplication): HistoryKey[] {
  const keys: HistoryKey[] = [
    { kind: 'applicant', key: past.applicantKey },
    { kind: 'device', key: past.deviceKey },
    { kind: 'ip', key: past.ipKey },
    { kind: 'sim', key: past.simKey },
    { kind: 'phone', key: past.phoneKey },
    { kind: 'source', key: JSON.stringify([past.channel, past.installSource]) },
    ...past.contactPhoneKeys.map((key) => ({ kind: 'contact-phone' as const, key })),
  ];
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = `${k.kind}\u0000${k.key}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** The keys-only history row of an application (no plain personal data; retry facts kept apart). */
export function pastApplicationOf(
  application: Application,
  keyOf: (kind: PersonalDataKind, value: string) => string,
  outcome: DecisionOutcome,
): PastApplication {
  return {
    applicationId: application.applicationId,
    applicantKey: keyOf('id-number', application.identity.idNumber),
    submittedAt: application.submittedAt,
    channel: application.channel,
    installSource: application.device.installSource,
    deviceKey: keyOf('device', application.device.deviceId),
    ipKey: keyOf('ip', application.device.ip),
    simKey: keyOf('sim', application.device.sim),
    phoneKey: keyOf('phone', application.identity.phone),
    contactPhoneKeys: application.contacts.map((c) => keyOf('phone', c.phone)),
    outcome,
  };
}

/** The rows of an application's history: one per key, the retry facts encrypted on the applicant's row only. */
export function historyRowsOf(
  cipher: PiiCipher,
  past: PastApplication,
  retryFacts: RetryFacts,
): { kind: HistoryKeyKind; key: string; retryFactsEnc: string | null }[] {
  return historyKeysOf(past).map((k) => ({
    kind: k.kind,
    key: k.key,
    retryFactsEnc:
      k.kind === 'applicant'
        ? cipher.encrypt(JSON.stringify(retryFacts), retryAad(past.applicationId))
        : null,
  }));
}

/** Records an application's history row under each of its keys; the retry facts go, encrypted, on the applicant row. */
export async function insertHistory(
  q: Queryable,
  cipher: PiiCipher,
  past: PastApplication,
  retryFacts: RetryFacts,
): Promise<void> {
  const rows = historyRowsOf(cipher, past, retryFacts);
  const params: unknown[] = [past.applicationId, past.submittedAt, JSON.stringify(past)];
  const values = rows.map((r) => {
    params.push(r.kind, r.key, r.retryFactsEnc);
    const n = params.length;
    return `($${n - 2}, $${n - 1}, $1, $2, $3::jsonb, $${n})`;
  });
  await q.query(
    `insert into application_keys (kind, key, application_id, submitted_at, past, retry_facts_enc)
     values ${values.join(', ')}`,
    params,
  );
}

/**
 * Earlier applications sharing any of `keys` since `since`, newest first, at most `perKey_max` per key (the
 * detectors' thresholds are far below it). Rows sharing the applicant key carry their retry facts.
 * A contact phone is matched against other applicants' contact phones and own phones alike.
 */
export async function loadHistory(
  q: Queryable,
  cipher: PiiCipher,
  keys: readonly HistoryKey[],
  since: string,
  perKey_max: number,
): Promise<PastApplication[]> {
  const list = historyLookups(keys);
  const { rows } = await q.query<HistoryRow>(
    `select h.kind, h.application_id, h.past::text as past, h.retry_facts_enc
       from ${historyFrom('$1', '$2', '$3', '$4')}`,
    [list.map((k) => k.kind), list.map((k) => k.key), since, perKey_max],
  );
  return pastApplicationsOf(cipher, rows);
}

/** The (kind, key) pairs history is read under: a contact phone is also looked for as a phone, and back. */
export function historyLookups(keys: readonly HistoryKey[]): HistoryKey[] {
  const lookups = new Map<string, HistoryKey>();
  const add = (k: HistoryKey) => lookups.set(JSON.stringify([k.kind, k.key]), k);
  for (const k of keys) {
    add(k);
    if (k.kind === 'contact-phone') add({ kind: 'phone', key: k.key });
    if (k.kind === 'phone') add({ kind: 'contact-phone', key: k.key });
  }
  return [...lookups.values()];
}

/** The history read's FROM clause, given the parameters holding kinds, keys, since and rows per key. */
export const historyFrom = (kinds: string, keys: string, since: string, perKey: string) =>
  `unnest(${kinds}::text[], ${keys}::text[]) as l(kind, key)
       cross join lateral (
         select kind, application_id, past, retry_facts_enc from application_keys k
          where k.kind = l.kind and k.key = l.key and k.submitted_at >= ${since}
          order by k.submitted_at desc limit ${perKey}) h`;

export interface HistoryRow {
  kind: string;
  application_id: string;
  /** The keys-only row as JSON text, or already parsed. */
  past: string | PastApplication;
  retry_facts_enc: string | null;
}

/** History rows as earlier applications, newest first, with the retry facts of the applicant's rows decrypted. */
export function pastApplicationsOf(cipher: PiiCipher, rows: readonly HistoryRow[]): PastApplication[] {
  const byId = new Map<string, PastApplication>();
  for (const r of rows) {
    const existing = byId.get(r.application_id);
    const past = existing ?? (typeof r.past === 'string' ? (JSON.parse(r.past) as PastApplication) : r.past);
    if (r.retry_facts_enc !== null && past.facts === undefined) {
      const facts = JSON.parse(cipher.decrypt(r.retry_facts_enc, retryAad(r.application_id))) as RetryFacts;
      byId.set(r.application_id, { ...past, facts });
    } else byId.set(r.application_id, past);
  }
  return [...byId.values()].sort((a, b) =>
    a.submittedAt < b.submittedAt ? 1 : a.submittedAt > b.submittedAt ? -1 : 0,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Review flags

export interface StoredFlag {
  flagId: string;
  applicationId: string;
  kind: string;
  severity: 'refuse' | 'review';
  summary: string;
  evidence: Record<string, unknown>;
  status: 'open' | 'resolved';
  raisedAt: string;
  resolution: 'cleared' | 'confirmed' | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  note: string | null;
}

interface FlagRow {
  flag_id: string;
  application_id: string;
  kind: string;
  severity: 'refuse' | 'review';
  summary: string;
  evidence: Record<string, unknown>;
  status: 'open' | 'resolved';
  raised_at: string;
  resolution: 'cleared' | 'confirmed' | null;
  resolved_by: string | null;
  resolved_at: string | null;
  note: string | null;
}

const FLAG_COLUMNS = `flag_id, application_id, kind, severity, summary, evidence, status, ${TS('raised_at')},
  resolution, resolved_by, ${TS('resolved_at')}, note`;

function flagFromRow(r: FlagRow): StoredFlag {
  return {
    flagId: r.flag_id,
    applicationId: r.application_id,
    kind: r.kind,
    severity: r.severity,
    summary: r.summary,
    evidence: r.evidence,
    status: r.status,
    raisedAt: r.raised_at,
    resolution: r.resolution,
    resolvedBy: r.resolved_by,
    resolvedAt: r.resolved_at,
    note: r.note,
  };
}

export async function insertFlags(
  q: Queryable,
  applicationId: string,
  flags: readonly { flagId: string; flag: ReviewFlag }[],
): Promise<void> {
  if (flags.length === 0) return;
  const params: unknown[] = [applicationId];
  const values = flags.map(({ flagId, flag }) => {
    params.push(flagId, flag.kind, flag.severity, flag.summary, JSON.stringify(flag.evidence));
    const n = params.length;
    return `($1, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n}::jsonb, 'open')`;
  });
  await q.query(
    `insert into review_flags (application_id, flag_id, kind, severity, summary, evidence, status)
     values ${values.join(', ')}`,
    params,
  );
}

export async function listFlags(
  q: Queryable,
  filter: { status?: 'open' | 'resolved'; kind?: string; applicationId?: string },
  afterId: string | null,
  limit: number,
): Promise<StoredFlag[]> {
  const { rows } = await q.query<FlagRow>(
    `select ${FLAG_COLUMNS} from review_flags
      where ($1::text is null or status = $1) and ($2::text is null or kind = $2)
        and ($3::text is null or application_id = $3) and ($4::text is null or flag_id > $4)
      order by flag_id limit $5`,
    [filter.status ?? null, filter.kind ?? null, filter.applicationId ?? null, afterId, limit],
  );
  return rows.map(flagFromRow);
}

export async function findFlag(
  q: Queryable,
  flagId: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredFlag | undefined> {
  const { rows } = await q.query<FlagRow>(
    `select ${FLAG_COLUMNS} from review_flags where flag_id = $1 ${options.forUpdate === true ? 'for update' : ''}`,
    [flagId],
  );
  return rows[0] === undefined ? undefined : flagFromRow(rows[0]);
}

export async function resolveFlag(
  q: Queryable,
  flagId: string,
  resolution: 'cleared' | 'confirmed',
  resolvedBy: string,
  note: string,
): Promise<StoredFlag> {
  const { rows } = await q.query<FlagRow>(
    `update review_flags set status = 'resolved', resolution = $2, resolved_by = $3, resolved_at = now(), note = $4
      where flag_id = $1 and status = 'open' returning ${FLAG_COLUMNS}`,
    [flagId, resolution, resolvedBy, note],
  );
  if (rows[0] === undefined) throw new Error(`assertion: flag ${flagId} was not open`);
  return flagFromRow(rows[0]);
}
