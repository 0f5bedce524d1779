import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateApplication } from '../../src/origination/index.js';
import { blacklistKeysOf, readShippedPolicy } from '../../src/server/index.js';
import {
  blacklistMatches,
  type Db,
  generatePiiKey,
  historyKeysOf,
  insertBlacklistEntry,
  insertHistory,
  insertInvitation,
  insertPolicyDraft,
  invitationsOf,
  loadHistory,
  originationKeyCandidates,
  originationKeyOf,
  PiiCipher,
  pastApplicationOf,
} from '../../src/store/index.js';
import { applicant } from '../server/origination-helpers.js';
import { backends, openMigrated } from './backends.js';

const AT = '2026-11-28T10:00:00.000Z';
const application = (n: number, submittedAt = AT) =>
  validateApplication({ ...applicant(n), applicationId: `app-${n}-${submittedAt}`, submittedAt });

describe.each(backends)('origination store on $name', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await openMigrated(backend);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('finds blacklist entries and invitations written under a retired key, under the active one', async () => {
    const oldKey = generatePiiKey();
    const before = new PiiCipher(oldKey);
    const a = application(1);
    const oldKeyOf = originationKeyOf(before);
    await insertBlacklistEntry(
      db,
      before,
      {
        entryId: 'bl_0192f3a4b5c6d7e8f9a0b1c2d3e4',
        subject: 'device',
        key: oldKeyOf('device', a.device.deviceId),
        value: a.device.deviceId,
        reason: 'fraud ring',
        source: 'fraud-consortium',
        evidence: 'alert 7',
        expiresAt: '2027-01-01T00:00:00.000Z',
      },
      'usr_x',
    );
    await insertInvitation(
      db,
      before,
      {
        invitationId: 'inv_0192f3a4b5c6d7e8f9a0b1c2d3e4',
        code: 'INV-ROTATE',
        idNumber: a.identity.idNumber,
        applicantKey: oldKeyOf('id-number', a.identity.idNumber),
        productIds: ['default'],
        limitCap_fen: 1_000_000,
        channels: [],
        validFrom: '2026-01-01T00:00:00.000Z',
        expiresAt: '2027-01-01T00:00:00.000Z',
      },
      'usr_x',
    );
    const after = new PiiCipher(generatePiiKey(), [oldKey]);
    const activeKey = originationKeyOf(after);
    const hits = await blacklistMatches(db, blacklistKeysOf(after, a), AT);
    expect(hits.map((h) => h.entryId)).toEqual(['bl_0192f3a4b5c6d7e8f9a0b1c2d3e4']);
    expect(hits[0]!.key).toBe(activeKey('device', a.device.deviceId));
    // Only the active key: nothing found.
    expect(await blacklistMatches(db, blacklistKeysOf(new PiiCipher(generatePiiKey()), a), AT)).toEqual([]);
    // Expired at the time asked: nothing found.
    expect(await blacklistMatches(db, blacklistKeysOf(after, a), '2027-01-01T00:00:00.000Z')).toEqual([]);
    const applicantKey = activeKey('id-number', a.identity.idNumber);
    const invitations = await invitationsOf(
      db,
      after,
      applicantKey,
      originationKeyCandidates(after, 'id-number', a.identity.idNumber),
    );
    expect(invitations.map((i) => [i.code, i.applicantKey, i.idNumber])).toEqual([
      ['INV-ROTATE', applicantKey, a.identity.idNumber],
    ]);
  });

  it('reads back the earlier applications sharing a key, within the window, with retry facts for the applicant', async () => {
    const cipher = new PiiCipher(generatePiiKey());
    const keyOf = originationKeyOf(cipher);
    const own = application(10, '2026-11-27T10:00:00.000Z');
    const old = application(10, '2026-09-01T10:00:00.000Z');
    const sharingDevice = validateApplication({
      ...applicant(11, { device: { ...(applicant(10).device as object) } }),
      applicationId: 'app-11',
      submittedAt: '2026-11-27T11:00:00.000Z',
    });
    const stranger = application(12, '2026-11-27T12:00:00.000Z');
    for (const x of [own, old, sharingDevice, stranger]) {
      await insertHistory(db, cipher, pastApplicationOf(x, keyOf, 'decline'), {
        declaredMonthlyIncome_fen: x.income.declaredMonthly_fen,
        occupation: x.employment.occupation,
        industry: x.employment.industry,
        employer: x.employment.employer ?? '',
        monthsInRole: x.employment.monthsInRole,
        assetsTotal_fen: 0,
        monthlyDebtPayments_fen: 0,
        birthDate: x.identity.birthDate,
      });
    }
    const now = pastApplicationOf(application(10), keyOf, 'refer');
    const found = await loadHistory(db, cipher, historyKeysOf(now), '2026-10-29T10:00:00.000Z', 200);
    expect(found.map((p) => p.applicationId).sort()).toEqual([own.applicationId, 'app-11'].sort());
    expect(found.find((p) => p.applicationId === own.applicationId)?.facts?.declaredMonthlyIncome_fen).toBe(
      own.income.declaredMonthly_fen,
    );
    expect(found.find((p) => p.applicationId === 'app-11')?.facts).toBeUndefined();
  });

  it('never changes a stored policy document, and lets an approver only be someone else', async () => {
    const doc = { ...readShippedPolicy(), version: 'store-1' };
    await insertPolicyDraft(db, doc, 'hash-1', 'usr_author');
    await expect(
      db.query("update policy_versions set document = '{}'::jsonb where version = 'store-1'"),
    ).rejects.toThrow(/never change/);
    await expect(
      db.query(
        "update policy_versions set status = 'approved', approved_by = 'usr_author' where version = 'store-1'",
      ),
    ).rejects.toThrow(/check/);
    await expect(db.query("delete from policy_versions where version = 'store-1'")).rejects.toThrow(
      /append-only/,
    );
  });
});
