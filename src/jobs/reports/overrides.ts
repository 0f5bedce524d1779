/**
 * Manual five-category overrides (人工认定): one person proposes a worse class for a loan at a month end with a
 * reason; a second person approves or rejects it. The steps run inside a caller's transaction (the API's
 * audited write) or, from jobs and the command line, in one of their own with the audit entry beside them.
 */
import { type Day, formatDate } from '../../money/index.js';
import { type AssetClass, overrideAllowed } from '../../reporting/index.js';
import {
  type AuditEntry,
  appendAudit,
  ClassOverrideError,
  type Db,
  decideClassOverride,
  findMonthEndLoan,
  insertClassOverride,
  type Queryable,
  type StoredClassOverride,
} from '../../store/index.js';

/** Who acts: the user's id and role, and the request it came with (null from the command line). */
export interface OverrideActor {
  userId: string;
  role: string;
  requestId: string | null;
}

export interface OverrideProposal {
  loanId: string;
  monthEnd: Day;
  assetClass: AssetClass;
  reason: string;
}

/** Proposes an override in `tx`: the loan must have a row at that month end and the class may only worsen. */
export async function proposeClassOverrideIn(
  tx: Queryable,
  userId: string,
  input: OverrideProposal,
): Promise<StoredClassOverride> {
  const loan = await findMonthEndLoan(tx, input.loanId, input.monthEnd);
  if (loan === undefined) {
    throw new ClassOverrideError(
      'class_override_loan_not_found',
      404,
      `loan ${input.loanId} has no month-end row for ${formatDate(input.monthEnd)}; build the month end (any report as of it) first`,
    );
  }
  if (!overrideAllowed(loan.assetClass, input.assetClass)) {
    throw new ClassOverrideError(
      'class_override_below_floor',
      422,
      `the rules classify loan ${input.loanId} as ${loan.assetClass}; an override may only make the class worse`,
    );
  }
  return insertClassOverride(tx, {
    customerId: loan.customerId,
    loanId: input.loanId,
    monthEnd: input.monthEnd,
    assetClass: input.assetClass,
    rulesClass: loan.assetClass,
    reason: input.reason,
    proposedBy: userId,
  });
}

/** The audit entry of an override step (ids and classes only). */
export function overrideAudit(
  action: 'propose' | 'approve' | 'reject',
  o: StoredClassOverride,
): Omit<AuditEntry, 'actorUserId' | 'actorRole' | 'requestId'> {
  return {
    action: `class_override.${action}`,
    resourceType: 'class_override',
    resourceId: o.overrideId,
    customerId: o.customerId,
    details: {
      loanId: o.loanId,
      monthEnd: formatDate(o.monthEnd),
      assetClass: o.assetClass,
      rulesClass: o.rulesClass,
    },
  };
}

export async function proposeClassOverride(
  db: Db,
  actor: OverrideActor,
  input: OverrideProposal,
): Promise<StoredClassOverride> {
  return db.transaction(async (tx) => {
    const o = await proposeClassOverrideIn(tx, actor.userId, input);
    await appendAudit(tx, {
      ...overrideAudit('propose', o),
      actorUserId: actor.userId,
      actorRole: actor.role,
      requestId: actor.requestId,
    });
    return o;
  });
}

/** Approves or rejects in `tx`; never by the person who proposed. */
export async function decideClassOverrideIn(
  tx: Queryable,
  userId: string,
  overrideId: string,
  decision: 'approve' | 'reject',
  note: string | null,
): Promise<StoredClassOverride> {
  return decideClassOverride(tx, overrideId, decision === 'approve' ? 'approved' : 'rejected', userId, note);
}

export async function decideClassOverrideAs(
  db: Db,
  actor: OverrideActor,
  overrideId: string,
  decision: 'approve' | 'reject',
  note: string | null,
): Promise<StoredClassOverride> {
  return db.transaction(async (tx) => {
    const o = await decideClassOverrideIn(tx, actor.userId, overrideId, decision, note);
    await appendAudit(tx, {
      ...overrideAudit(decision, o),
      actorUserId: actor.userId,
      actorRole: actor.role,
      requestId: actor.requestId,
    });
    return o;
  });
}
