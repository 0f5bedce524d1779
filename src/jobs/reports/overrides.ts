/**
 * Manual five-category overrides (人工认定): one person proposes a worse class for a loan at a month end with a
 * reason; a second person approves or rejects it. Each step is audited in the same transaction.
 */
import { type Day, formatDate } from '../../money/index.js';
import { type AssetClass, overrideAllowed } from '../../reporting/index.js';
import {
  appendAudit,
  ClassOverrideError,
  type Db,
  decideClassOverride,
  findMonthEndLoan,
  insertClassOverride,
  type StoredClassOverride,
} from '../../store/index.js';

/** Who acts: the user's id and role, and the request it came with (null from the command line). */
export interface OverrideActor {
  userId: string;
  role: string;
  requestId: string | null;
}

export async function proposeClassOverride(
  db: Db,
  actor: OverrideActor,
  input: { loanId: string; monthEnd: Day; assetClass: AssetClass; reason: string },
): Promise<StoredClassOverride> {
  return db.transaction(async (tx) => {
    const loan = await findMonthEndLoan(tx, input.loanId, input.monthEnd);
    if (loan === undefined) {
      throw new ClassOverrideError(
        'class_override_loan_not_found',
        404,
        `loan ${input.loanId} has no month-end row for ${formatDate(input.monthEnd)}; build the month end first`,
      );
    }
    if (!overrideAllowed(loan.assetClass, input.assetClass)) {
      throw new ClassOverrideError(
        'class_override_below_floor',
        422,
        `the rules classify loan ${input.loanId} as ${loan.assetClass}; an override may only make the class worse`,
      );
    }
    const o = await insertClassOverride(tx, {
      customerId: loan.customerId,
      loanId: input.loanId,
      monthEnd: input.monthEnd,
      assetClass: input.assetClass,
      rulesClass: loan.assetClass,
      reason: input.reason,
      proposedBy: actor.userId,
    });
    await appendAudit(tx, {
      actorUserId: actor.userId,
      actorRole: actor.role,
      action: 'class_override.propose',
      requestId: actor.requestId,
      resourceType: 'class_override',
      resourceId: o.overrideId,
      customerId: o.customerId,
      details: {
        loanId: o.loanId,
        monthEnd: formatDate(o.monthEnd),
        assetClass: o.assetClass,
        rulesClass: o.rulesClass,
      },
    });
    return o;
  });
}

export async function decideClassOverrideAs(
  db: Db,
  actor: OverrideActor,
  overrideId: string,
  decision: 'approve' | 'reject',
  note: string | null,
): Promise<StoredClassOverride> {
  return db.transaction(async (tx) => {
    const o = await decideClassOverride(
      tx,
      overrideId,
      decision === 'approve' ? 'approved' : 'rejected',
      actor.userId,
      note,
    );
    await appendAudit(tx, {
      actorUserId: actor.userId,
      actorRole: actor.role,
      action: `class_override.${decision}`,
      requestId: actor.requestId,
      resourceType: 'class_override',
      resourceId: o.overrideId,
      customerId: o.customerId,
      details: { loanId: o.loanId, monthEnd: formatDate(o.monthEnd), assetClass: o.assetClass },
    });
    return o;
  });
}
