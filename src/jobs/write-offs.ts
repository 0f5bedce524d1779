/**
 * 核销 write-off from the command line and the demo: the same store steps as the API (candidates, a proposal
 * by one user, approval by another), acting as a named user, each step audited.
 */
import type { Day } from '../money/index.js';
import type { WriteOffCandidate } from '../reporting/index.js';
import {
  appendAudit,
  approveWriteOffProposal,
  createWriteOffProposal,
  currentWriteOffRule,
  type Db,
  findUserByName,
  getBusinessDay,
  listWriteOffCandidates,
  refreshOpenCases,
  rejectWriteOffProposal,
  type StoredWriteOffProposal,
  type User,
} from '../store/index.js';
import { cancelMootRemindersOfLoans } from './reminders/index.js';

/** The roles that may propose, approve or reject a write-off (as the API's writeoffs.* permissions). */
export const WRITE_OFF_ROLES: readonly string[] = ['admin', 'risk_analyst', 'finance'];

export class WriteOffUserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriteOffUserError';
  }
}

async function actingUser(db: Db, username: string): Promise<User> {
  const user = await findUserByName(db, username);
  if (user === undefined)
    throw new WriteOffUserError(`no user named ${username}; create one with lendguard users create`);
  if (user.disabledAt !== null) throw new WriteOffUserError(`user ${username} is disabled`);
  if (!WRITE_OFF_ROLES.includes(user.role)) {
    throw new WriteOffUserError(
      `user ${username} has role ${user.role}; write-offs need one of ${WRITE_OFF_ROLES.join(', ')}`,
    );
  }
  return user;
}

export async function writeOffCandidatesNow(
  db: Db,
  limit?: number,
): Promise<{ day: Day; ruleVersion: number; candidates: WriteOffCandidate[] }> {
  const day = await getBusinessDay(db);
  const { version, rule } = await currentWriteOffRule(db);
  return { day, ruleVersion: version, candidates: await listWriteOffCandidates(db, day, rule, limit) };
}

function audit(user: User, action: string, p: StoredWriteOffProposal) {
  return {
    actorUserId: user.userId,
    actorRole: user.role,
    requestId: null,
    customerId: null,
    action,
    resourceType: 'write_off_proposal',
    resourceId: p.proposalId,
    details: { loans: p.loans.length, via: 'cli' },
  };
}

export async function proposeWriteOffAs(
  db: Db,
  username: string,
  loans: readonly { loanId: string; evidenceRef: string }[],
  note: string | null,
): Promise<StoredWriteOffProposal> {
  const user = await actingUser(db, username);
  return db.transaction(async (tx) => {
    const day = await getBusinessDay(tx);
    const p = await createWriteOffProposal(tx, { day, userId: user.userId, note, loans });
    await appendAudit(tx, audit(user, 'write_off.propose', p));
    return p;
  });
}

export async function decideWriteOffAs(
  db: Db,
  username: string,
  proposalId: string,
  decision: 'approve' | 'reject',
  note: string | null,
): Promise<StoredWriteOffProposal> {
  const user = await actingUser(db, username);
  return db.transaction(async (tx) => {
    const day = await getBusinessDay(tx);
    const input = { proposalId, userId: user.userId, day, note };
    const p =
      decision === 'approve'
        ? (await approveWriteOffProposal(tx, input)).proposal
        : await rejectWriteOffProposal(tx, input);
    // A case whose past-due loans are now written off closes as such (核销), in the same transaction.
    if (decision === 'approve')
      await refreshOpenCases(
        tx,
        day,
        p.loans.map((l) => l.customerId),
      );
    if (decision === 'approve') await cancelMootRemindersOfLoans(tx, p.loans);
    await appendAudit(tx, audit(user, `write_off.${decision}`, p));
    return p;
  });
}
