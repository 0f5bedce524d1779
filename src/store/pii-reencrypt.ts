/**
 * Re-encryption after a key rotation of every PII ciphertext column beside the customers' (which
 * `reencryptCustomers` rewrites with their blind indexes): applications, retry facts, applicants' statements,
 * invitations, blacklist values, reassessment changes, reminder e-mail addresses, webhook secrets, hardship
 * reasons and case notes. The blind indexes the invitations and the blacklist are keyed by are rewritten with
 * their values. Each column is rewritten in transactions of `batchSize` rows, so a run can be stopped at any
 * point and run again: it picks up the rows whose ciphertext (or blind index) is not yet under the active key.
 */
import type { PersonalDataKind } from '../origination/index.js';
import { noteAad } from './collections/case-notes.js';
import type { Queryable } from './db.js';
import { bodyAad, originationKeyCandidates, originationKeyOf, retryAad } from './origination/applications.js';
import { idNumberAad, valueAad } from './origination/lists.js';
import { changesAad, statementAad } from './origination/requests.js';
import type { PiiCipher } from './pii-cipher.js';
import { reasonAad } from './portal-actions/index.js';
import { emailAad } from './reminders/contacts.js';
import { secretAad } from './reminders/subscriptions.js';

type Row = Readonly<Record<string, string>>;

export interface EncryptedColumn {
  readonly table: string;
  readonly column: string;
  /** The row's primary key columns: rows are taken in this order and updated by them. */
  readonly key: readonly string[];
  /** The associated data the row's ciphertext is bound to. */
  readonly aad: (row: Row) => string;
  /** A blind-index column (part of the key) derived from the plain value, rewritten with it. */
  readonly blindIndex?: { readonly column: string; readonly kind: (row: Row) => PersonalDataKind };
}

/** Every ciphertext column outside `customers`, in a fixed order. */
export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  {
    table: 'applications',
    column: 'body_enc',
    key: ['application_id'],
    aad: (r) => bodyAad(r.application_id!),
  },
  {
    table: 'application_keys',
    column: 'retry_facts_enc',
    key: ['kind', 'key', 'application_id'],
    aad: (r) => retryAad(r.application_id!),
  },
  {
    table: 'decision_requests',
    column: 'statement_enc',
    key: ['application_id', 'request_id'],
    aad: (r) => statementAad(r.request_id!),
  },
  {
    table: 'invitations',
    column: 'id_number_enc',
    key: ['applicant_key', 'invitation_id'],
    aad: (r) => idNumberAad(r.invitation_id!),
    blindIndex: { column: 'applicant_key', kind: () => 'id-number' },
  },
  {
    table: 'blacklist_entries',
    column: 'value_enc',
    key: ['subject', 'key', 'entry_id'],
    aad: (r) => valueAad(r.entry_id!),
    blindIndex: { column: 'key', kind: (r) => r.subject as PersonalDataKind },
  },
  {
    table: 'reassessments',
    column: 'changes_enc',
    key: ['customer_id', 'reassessment_id'],
    aad: (r) => changesAad(r.reassessment_id!),
  },
  {
    table: 'reminder_contacts',
    column: 'email_enc',
    key: ['customer_id'],
    aad: (r) => emailAad(r.customer_id!),
  },
  {
    table: 'webhook_subscriptions',
    column: 'secret_enc',
    key: ['subscription_id'],
    aad: (r) => secretAad(r.subscription_id!),
  },
  {
    table: 'portal_hardship_requests',
    column: 'reason_enc',
    key: ['request_id'],
    aad: (r) => reasonAad(r.request_id!),
  },
  {
    table: 'collection_case_notes',
    column: 'text_enc',
    key: ['note_id'],
    aad: (r) => noteAad(r.case_id!, r.note_id!),
  },
];

/** The columns a row's associated data reads beyond its key. */
const EXTRA_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  collection_case_notes: ['case_id'],
};

/**
 * Rewrites one column's ciphertexts (and blind index) that are not under the active key, `batchSize` rows
 * per transaction. Returns how many rows were rewritten.
 */
export async function reencryptColumn(
  db: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> },
  cipher: PiiCipher,
  spec: EncryptedColumn,
  batchSize: number,
): Promise<number> {
  const keyOf = originationKeyOf(cipher);
  const columns = [...new Set([...spec.key, ...(EXTRA_COLUMNS[spec.table] ?? []), spec.column])];
  const params: (string | number)[] = [`v1.${cipher.activeKeyId}.%`];
  const stale = [`(${spec.column} is not null and ${spec.column} not like $1)`];
  if (spec.blindIndex !== undefined) {
    params.push(`${cipher.activeKeyId}:%`);
    stale.push(`${spec.blindIndex.column} not like $2`);
  }
  params.push(batchSize);
  const keyList = spec.key.join(', ');
  let rewritten = 0;
  for (;;) {
    const count = await db.transaction(async (tx) => {
      const { rows } = await tx.query<Row>(
        `select ${columns.join(', ')} from ${spec.table} where ${stale.join(' or ')}
          order by ${keyList} limit $${params.length} for update`,
        params,
      );
      for (const row of rows) {
        const enc = row[spec.column];
        if (enc === undefined || enc === null) continue;
        const aad = spec.aad(row);
        const plain = cipher.decrypt(enc, aad);
        const sets = [`${spec.column} = $${spec.key.length + 1}`];
        const values: string[] = [...spec.key.map((k) => row[k]!), cipher.encrypt(plain, aad)];
        if (spec.blindIndex !== undefined) {
          const kind = spec.blindIndex.kind(row);
          const old = row[spec.blindIndex.column]!;
          // The index must be the value's under some configured key; else the row is not what it seems
          // and is left for a person to look at rather than re-keyed.
          if (!originationKeyCandidates(cipher, kind, plain).includes(old)) {
            throw new Error(
              `${spec.table} ${spec.key.map((k) => row[k]).join('/')}: ${spec.blindIndex.column} is not the blind index of its value under any configured key`,
            );
          }
          values.push(keyOf(kind, plain));
          sets.push(`${spec.blindIndex.column} = $${values.length}`);
        }
        await tx.query(
          `update ${spec.table} set ${sets.join(', ')}
            where ${spec.key.map((k, i) => `${k} = $${i + 1}`).join(' and ')}`,
          values,
        );
      }
      return rows.length;
    });
    rewritten += count;
    if (count < batchSize) return rewritten;
  }
}

/** Every column of `ENCRYPTED_COLUMNS` in turn; how many rows of each table were rewritten. */
export async function reencryptPiiColumns(
  db: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> },
  cipher: PiiCipher,
  batchSize: number,
): Promise<{ table: string; column: string; rows: number }[]> {
  const report: { table: string; column: string; rows: number }[] = [];
  for (const spec of ENCRYPTED_COLUMNS) {
    report.push({
      table: spec.table,
      column: spec.column,
      rows: await reencryptColumn(db, cipher, spec, batchSize),
    });
  }
  return report;
}
