import { isoInZone } from '../../collections/index.js';
import { formatMinor } from '../../money/index.js';
import type { StoredCase, StoredContact, StoredPromise } from '../../store/index.js';

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
