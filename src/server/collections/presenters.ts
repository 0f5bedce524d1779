import { isoInZone, ratio4 } from '../../collections/index.js';
import { formatMinor } from '../../money/index.js';
import {
  effectiveVerdict,
  type StoredCase,
  type StoredContact,
  type StoredPromise,
} from '../../store/index.js';

export function presentCase(c: StoredCase) {
  return {
    caseId: c.caseId,
    customerId: c.customerId,
    status: c.status,
    openedDate: c.openedDay,
    closedDate: c.closedDay,
    closeReason: c.closeReason,
    bucket: c.bucket,
    maxDaysPastDue: c.maxDaysPastDue,
    overdue: formatMinor(c.overdueMinor),
    totalOwed: formatMinor(c.totalOwedMinor),
    pastDueLoanIds: [...c.pastDueLoanIds],
    borrowerZone: c.borrowerZone,
    lostContact: c.lostContact,
    assignee: c.assignee,
    updatedDate: c.updatedDay,
    strategyArm: c.strategyArm,
    strategyVersion: c.strategyVersion,
    strategyStep: c.strategyStep,
    nextAction: c.nextAction,
    nextActionChannel: c.nextActionChannel,
    nextActionReason: c.nextActionReason,
    nextActionDueDate: c.nextActionDueDay,
    behaviourScore: c.behaviourScore,
    assessment: c.assessment,
    assessmentVersion: c.assessmentVersion,
    assessmentOverride: c.assessmentOverride,
    verdict: effectiveVerdict(c),
    vulnerabilities: [...c.vulnerabilities],
    cureProbability: ratio4(c.cure_bp, 10_000) ?? '0.0000',
    priority: formatMinor(c.priorityMinor),
    recovered: formatMinor(Math.max(0, c.paidToDateMinor - c.paidAtOpenMinor)),
    teamId: c.teamId,
    agencyId: c.agencyId,
  };
}

export function presentContact(c: StoredContact) {
  return { ...c };
}

export function presentPromise(p: StoredPromise) {
  return {
    promiseId: p.promiseId,
    caseId: p.caseId,
    amount: formatMinor(p.amountMinor),
    promisedDate: p.promisedDate,
    madeDate: p.madeDate,
    status: p.status,
    decidedDate: p.decidedDate,
    paid: p.paidMinor === null ? null : formatMinor(p.paidMinor),
    actor: p.actor,
  };
}

/** Instants of a case's log in the borrower's zone. */
export const inZone = (zone: string) => (ms: number) => isoInZone(ms, zone);
