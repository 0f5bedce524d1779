import { instantMs } from './application.js';
import { identityKey } from './keys.js';
import type {
  Application,
  BlacklistEntry,
  BlacklistHit,
  BlacklistSource,
  BlacklistSubject,
  KeyOf,
} from './types.js';

const SOURCE_TEXT: Record<BlacklistSource, string> = {
  'court-dishonest-debtor': "the court's list of dishonest judgment debtors (失信被执行人)",
  'internal-review': "the lender's internal list after review",
  'fraud-consortium': 'a fraud-information consortium list',
  regulator: "a regulator's list",
};

const SUBJECT_TEXT: Record<BlacklistSubject, string> = {
  'id-number': 'ID number',
  phone: 'mobile number',
  device: 'device',
  ip: 'network address',
  sim: 'SIM card',
};

/** The application's value for each subject an entry can match. */
export function subjectValues(application: Application): Record<BlacklistSubject, string> {
  return {
    'id-number': application.identity.idNumber,
    phone: application.identity.phone,
    device: application.device.deviceId,
    ip: application.device.ip,
    sim: application.device.sim,
  };
}

/** An entry applies from its listing until its expiry (exclusive); an expired entry is ignored. */
export function entryInForce(entry: BlacklistEntry, businessTime: string): boolean {
  const now = instantMs(businessTime);
  return instantMs(entry.listedAt) <= now && now < instantMs(entry.expiresAt);
}

/** Entries that match the applicant (ID number, phone, device, IP, SIM) and have not expired at `businessTime`. */
export function checkBlacklist(
  application: Application,
  entries: readonly BlacklistEntry[],
  businessTime: string,
  keyOf: KeyOf = identityKey,
): BlacklistHit[] {
  const values = subjectValues(application);
  const keys = new Map<BlacklistSubject, string>();
  const keyFor = (subject: BlacklistSubject) => {
    let key = keys.get(subject);
    if (key === undefined) {
      key = keyOf(subject, values[subject]);
      keys.set(subject, key);
    }
    return key;
  };
  return entries
    .filter((e) => entryInForce(e, businessTime) && keyFor(e.subject) === e.key)
    .sort((a, b) => (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0))
    .map((e) => ({
      entryId: e.entryId,
      subject: e.subject,
      reason: e.reason,
      source: e.source,
      evidence: e.evidence,
      expiresAt: e.expiresAt,
      explanation:
        `The applicant's ${SUBJECT_TEXT[e.subject]} is on ${SOURCE_TEXT[e.source]} from ${e.listedAt.slice(0, 10)} ` +
        `until ${e.expiresAt.slice(0, 10)}: ${e.reason} (evidence: ${e.evidence}). ` +
        'The applicant may ask for an explanation and object to the entry (民法典 Art. 1029, PIPL Art. 24).',
    }));
}
