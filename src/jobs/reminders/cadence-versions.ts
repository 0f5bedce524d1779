/**
 * 提醒节奏 reminder cadence versions from the command line: the same store steps as the API (a draft by one
 * user, approval by another, decision 0611), acting as a named user, each write audited as the API audits it.
 */
import {
  appendAudit,
  approveCadence,
  type Db,
  draftCadence,
  findUserByName,
  type StoredCadenceVersion,
  type User,
} from '../../store/index.js';

/** The roles that may draft and approve a cadence (as the API's policies.draft and policies.approve). */
export const CADENCE_ROLES: readonly string[] = ['admin', 'risk_analyst'];

export class CadenceUserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CadenceUserError';
  }
}

async function actingUser(db: Db, username: string): Promise<User> {
  const user = await findUserByName(db, username);
  if (user === undefined)
    throw new CadenceUserError(`no user named ${username}; create one with lendguard users create`);
  if (user.disabledAt !== null) throw new CadenceUserError(`user ${username} is disabled`);
  if (!CADENCE_ROLES.includes(user.role)) {
    throw new CadenceUserError(
      `user ${username} has role ${user.role}; reminder cadences need one of ${CADENCE_ROLES.join(', ')}`,
    );
  }
  return user;
}

/** Drafts a cadence document as `username` (the whole document is checked; nothing is stored if it fails). */
export async function submitCadenceAs(
  db: Db,
  username: string,
  document: unknown,
  note: string | null,
): Promise<StoredCadenceVersion> {
  const user = await actingUser(db, username);
  return db.transaction(async (tx) => {
    const v = await draftCadence(tx, document, user.userId, note);
    await appendAudit(tx, {
      actorUserId: user.userId,
      actorRole: user.role,
      requestId: null,
      action: 'reminder.cadence_draft',
      resourceType: 'reminder_cadence',
      resourceId: v.version,
      customerId: null,
      details: { documentHash: v.documentHash, via: 'cli' },
    });
    return v;
  });
}

/** Approves (publishes) a draft as `username`, who must not be its author. */
export async function approveCadenceAs(
  db: Db,
  username: string,
  version: string,
): Promise<StoredCadenceVersion> {
  const user = await actingUser(db, username);
  return db.transaction(async (tx) => {
    const v = await approveCadence(tx, version, user.userId);
    await appendAudit(tx, {
      actorUserId: user.userId,
      actorRole: user.role,
      requestId: null,
      action: 'reminder.cadence_approve',
      resourceType: 'reminder_cadence',
      resourceId: v.version,
      customerId: null,
      details: { createdBy: v.createdBy, documentHash: v.documentHash, via: 'cli' },
    });
    return v;
  });
}
