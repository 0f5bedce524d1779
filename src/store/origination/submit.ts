/**
 * An application submitted: the one store function behind `POST /applications`. The caller states the
 * domain step once (decide, plan the approval, seal the response); this function reads what the step
 * needs, calls it and writes what it made, choosing how (docs/decisions/0261):
 *
 * - `combined` for a new applicant (no customerId): under both locks, one statement locks (and reads the
 *   published policy), one reads everything, one writes everything (decision 0525);
 * - `per-table` for the rest, and whenever `combined` declines (the Idempotency-Key was used before, or a
 *   row it writes was stored meanwhile): the request's lock and key look-up, the applicant's lock, one
 *   read and one write per table.
 *
 * The caller never learns which ran: the rows are the same either way (test/server/origination-application-path).
 */

import type {
  Application,
  BlacklistEntry,
  BlacklistSubject,
  Decision,
  PastApplication,
  PersonalDataKind,
  ReviewFlag,
} from '../../origination/index.js';
import { type OwnBook, retryFactsOf } from '../../origination/index.js';
import { type AuditEntry, appendAudit } from '../audit.js';
import { type Customer, findCustomer, normaliseIdNumber } from '../customers.js';
import { type Db, type Queryable, SQLSTATE_UNIQUE_VIOLATION, sqlState } from '../db.js';
import { findIdempotency, type IdempotencyRecord, saveIdempotency } from '../idempotency.js';
import { dayFromSql } from '../ledger/codec.js';
import type { PiiCipher } from '../pii-cipher.js';
import {
  applicantLockKey,
  applicationWriteOf,
  lockApplication,
  readForApplication,
  requestLockKey,
  writeApplication,
} from './application-path.js';
import {
  historyKeysOf,
  insertApplication,
  insertDecision,
  insertFlags,
  insertHistory,
  loadHistory,
  originationKeyCandidates,
  pastApplicationOf,
} from './applications.js';
import { type ApprovalPlan, readApprovalFacts, writeApproval } from './approval.js';
import { readOwnBook } from './book.js';
import { blacklistMatches, invitationsOf, type StoredInvitation } from './lists.js';
import { findPublishedPolicy } from './policies.js';

/** The product's published policy version, as read under the locks (undefined: none published). */
export type PublishedPolicyRef = { version: string; documentHash: string } | undefined;

/** Everything the decision of one application needs, read under the request's and applicant's locks. */
export interface ApplicationInputs<Policy> {
  policy: Policy;
  invitations: StoredInvitation[];
  blacklist: BlacklistEntry[];
  recentApplications: PastApplication[];
  /** The customer holding the applicant's ID number (new applicants), else null. */
  existingCustomerId: string | null;
  businessDay: ReturnType<typeof dayFromSql>;
  /** The customer named by the application's customerId, when it names one (undefined: no such customer). */
  namedCustomer?: Customer | undefined;
  /** The applicant's lines and loans at this lender (the named customer, or the one holding the ID number). */
  book?: OwnBook;
}

/** What the domain step made: the decision, its flags, the approval planned and the sealed response. */
export interface ApplicationStep<Sealed> {
  decisionId: string;
  decision: Decision;
  flags: readonly { flagId: string; flag: ReviewFlag }[];
  past: PastApplication;
  approval: ApprovalPlan | undefined;
  /** The audit entries (with their actor), the idempotency record and the stored response text. */
  records: { audit: readonly AuditEntry[]; idempotency: IdempotencyRecord; responseText: string };
  sealed: Sealed;
}

export interface ApplicationSubmission<Policy, Sealed> {
  application: Application;
  applicantKey: string;
  userId: string;
  idempotencyKey: string;
  keyOf: (kind: PersonalDataKind, value: string) => string;
  blacklistKeys: readonly { subject: BlacklistSubject; key: string; candidates?: readonly string[] }[];
  historyRowsPerKey_max: number;
  /** The policy in force given the published version read (throws when the product has none). */
  policyOf: (q: Queryable, published: PublishedPolicyRef) => Promise<Policy>;
  /** The first submission instant the history must reach back to, under this policy. */
  historySince: (policy: Policy) => string;
  /** The domain step, stated once: called with the inputs, inside the transaction, by whichever strategy runs. */
  step: (inputs: ApplicationInputs<Policy>) => Promise<ApplicationStep<Sealed>>;
}

/** Written (with the step's sealed response), or the request's key was used before (replay or refuse it). */
export type SubmitResult<Sealed> = { written: Sealed } | { earlier: IdempotencyRecord };

/** Thrown inside the `combined` transaction to roll it back when `per-table` must answer. */
const DECLINED = Symbol('declined');

export async function submitApplication<Policy, Sealed>(
  db: Db,
  cipher: PiiCipher,
  s: ApplicationSubmission<Policy, Sealed>,
): Promise<SubmitResult<Sealed>> {
  if (s.application.customerId === undefined) {
    const written = await submitCombined(db, cipher, s);
    if (written !== undefined) return { written };
  }
  return submitPerTable(db, cipher, s);
}

/** `combined`: undefined when it declines and `per-table` must answer. */
async function submitCombined<Policy, Sealed>(
  db: Db,
  cipher: PiiCipher,
  s: ApplicationSubmission<Policy, Sealed>,
): Promise<Sealed | undefined> {
  const { application } = s;
  const submittedAt = application.submittedAt;
  try {
    return await db.transaction(async (tx) => {
      const published = await lockApplication(tx, {
        userId: s.userId,
        idempotencyKey: s.idempotencyKey,
        applicantKey: s.applicantKey,
        productId: application.productId,
      });
      const policy = await s.policyOf(tx, published);
      const reads = await readForApplication(tx, cipher, {
        userId: s.userId,
        idempotencyKey: s.idempotencyKey,
        applicantKey: s.applicantKey,
        applicantKeyCandidates: originationKeyCandidates(cipher, 'id-number', application.identity.idNumber),
        blacklistKeys: s.blacklistKeys,
        at: submittedAt,
        historyKeys: historyKeysOf(draftPastOf(s)),
        historySince: s.historySince(policy),
        historyRowsPerKey_max: s.historyRowsPerKey_max,
        customerIdKeys: cipher.blindIndexCandidates(
          'id_number',
          normaliseIdNumber(application.identity.idNumber),
        ),
      });
      if (reads === undefined) throw DECLINED;
      const made = await s.step({
        book: await readOwnBook(tx, application.customerId ?? reads.existingCustomerId),
        policy,
        invitations: reads.invitations,
        blacklist: reads.blacklist,
        recentApplications: reads.history,
        existingCustomerId: reads.existingCustomerId,
        businessDay: dayFromSql(reads.businessDay),
      });
      await writeApplication(
        tx,
        applicationWriteOf(cipher, {
          application,
          applicantKey: s.applicantKey,
          submittedAt,
          decisionId: made.decisionId,
          decision: made.decision,
          flags: made.flags,
          past: made.past,
          ...(made.approval === undefined ? {} : { approval: made.approval.write }),
          ...made.records,
        }),
      );
      return made.sealed;
    });
  } catch (error) {
    if (error === DECLINED || sqlState(error) === SQLSTATE_UNIQUE_VIOLATION) return undefined;
    throw error;
  }
}

/** The applicant's history entry before the decision: its keys say whose history to read. */
function draftPastOf(
  s: Pick<ApplicationSubmission<unknown, unknown>, 'application' | 'keyOf'>,
): PastApplication {
  return pastApplicationOf(s.application, s.keyOf, 'refer');
}

/** `per-table`: the general path, always correct. */
async function submitPerTable<Policy, Sealed>(
  db: Db,
  cipher: PiiCipher,
  s: ApplicationSubmission<Policy, Sealed>,
): Promise<SubmitResult<Sealed>> {
  const { application } = s;
  try {
    const done = await db.transaction(async (tx): Promise<SubmitResult<Sealed>> => {
      await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
        requestLockKey(s.userId, s.idempotencyKey),
      ]);
      const earlier = await findIdempotency(tx, s.userId, s.idempotencyKey);
      if (earlier !== undefined) return { earlier };
      // One applicant's applications take turns, so velocity and retries see each other.
      await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
        applicantLockKey(s.applicantKey),
      ]);
      const policy = await s.policyOf(tx, await findPublishedPolicy(tx, application.productId));
      const inputs = await readPerTable(tx, cipher, s, policy);
      const book = await readOwnBook(tx, application.customerId ?? inputs.existingCustomerId);
      const made = await s.step({ ...inputs, book });
      await writePerTable(tx, cipher, s, made);
      return { written: made.sealed };
    });
    return done;
  } catch (error) {
    if (sqlState(error) === SQLSTATE_UNIQUE_VIOLATION) {
      const winner = await findIdempotency(db, s.userId, s.idempotencyKey);
      if (winner !== undefined) return { earlier: winner };
    }
    throw error;
  }
}

async function readPerTable<Policy, Sealed>(
  tx: Queryable,
  cipher: PiiCipher,
  s: ApplicationSubmission<Policy, Sealed>,
  policy: Policy,
): Promise<ApplicationInputs<Policy>> {
  const { application } = s;
  const submittedAt = application.submittedAt;
  const namedCustomer =
    application.customerId === undefined ? undefined : await findCustomer(tx, cipher, application.customerId);
  const invitations = await invitationsOf(
    tx,
    cipher,
    s.applicantKey,
    originationKeyCandidates(cipher, 'id-number', application.identity.idNumber),
  );
  const blacklist = await blacklistMatches(tx, s.blacklistKeys, submittedAt);
  const recentApplications = await loadHistory(
    tx,
    cipher,
    historyKeysOf(draftPastOf(s)),
    s.historySince(policy),
    s.historyRowsPerKey_max,
  );
  return {
    policy,
    invitations,
    blacklist,
    recentApplications,
    ...(await readApprovalFacts(tx, cipher, application)),
    ...(application.customerId === undefined ? {} : { namedCustomer }),
  };
}

async function writePerTable<Policy, Sealed>(
  tx: Queryable,
  cipher: PiiCipher,
  s: ApplicationSubmission<Policy, Sealed>,
  made: ApplicationStep<Sealed>,
): Promise<void> {
  const { application } = s;
  await insertApplication(tx, cipher, application, s.applicantKey, s.userId);
  await insertDecision(tx, made.decisionId, made.decision);
  await insertFlags(tx, application.applicationId, made.flags);
  await insertHistory(tx, cipher, made.past, retryFactsOf(application));
  if (made.approval !== undefined)
    await writeApproval(tx, application.applicationId, made.approval, s.userId);
  for (const entry of made.records.audit) await appendAudit(tx, entry);
  await saveIdempotency(tx, made.records.idempotency, made.records.responseText);
}
