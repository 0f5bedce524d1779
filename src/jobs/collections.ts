import {
  type AllocationPlan,
  type ComplaintSettings,
  type ComplianceReport,
  complianceReport,
  DEFAULT_COMPLAINT_SETTINGS,
} from '../collections/index.js';
import type { Day } from '../money/index.js';
import {
  allocateOpenCases,
  appendAudit,
  complianceInputs,
  type Db,
  findUserByName,
  getBusinessDay,
  type Queryable,
  type User,
  type WorklistItem,
  worklist,
} from '../store/index.js';

/** A user named on the command line who may not do what was asked. */
export class CollectionsUserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CollectionsUserError';
  }
}

async function namedUser(db: Db, username: string, roles: readonly string[]): Promise<User> {
  const user = await findUserByName(db, username);
  if (user === undefined)
    throw new CollectionsUserError(`no user named ${username}; create one with lendguard users create`);
  if (user.disabledAt !== null) throw new CollectionsUserError(`user ${username} is disabled`);
  if (!roles.includes(user.role))
    throw new CollectionsUserError(
      `user ${username} has role ${user.role}; this needs one of ${roles.join(', ')}`,
    );
  return user;
}

/** Allocates the open cases as `username` (an admin), audited, in one transaction. */
export async function allocateAs(db: Db, username: string): Promise<{ day: Day; plan: AllocationPlan }> {
  const user = await namedUser(db, username, ['admin']);
  return db.transaction(async (tx) => {
    const day = await getBusinessDay(tx);
    const plan = await allocateOpenCases(tx, day);
    await appendAudit(tx, {
      actorUserId: user.userId,
      actorRole: user.role,
      requestId: null,
      customerId: null,
      action: 'collection.allocate',
      resourceType: 'collection_allocation',
      resourceId: 'all',
      details: { changed: plan.changes.length, kept: plan.kept, unassigned: plan.unassigned },
    });
    return { day, plan };
  });
}

/** Today's list of the collector named `username`. */
export async function worklistOf(
  db: Db,
  username: string,
  limit: number,
): Promise<{ day: Day; items: WorklistItem[] }> {
  const user = await namedUser(db, username, ['collector', 'admin']);
  const day = await getBusinessDay(db);
  return { day, items: await worklist(db, user.userId, day, limit) };
}

/**
 * The compliance report of days `fromDay`..`toDay` in the lender's zone: the log loaded by the store, the
 * report planned by the core (refusals, and breaches found by re-checking with the conduct rules).
 */
export async function complianceReportFor(
  db: Queryable,
  fromDay: Day,
  toDay: Day,
  lenderZone: string,
  complaintSettings: ComplaintSettings = DEFAULT_COMPLAINT_SETTINGS,
): Promise<ComplianceReport> {
  const inputs = await complianceInputs(db, fromDay, toDay, lenderZone);
  return complianceReport({ fromDay, toDay, lenderZone, ...inputs, complaintSettings });
}
