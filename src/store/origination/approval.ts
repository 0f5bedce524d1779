import { openLine } from '../../ledger/index.js';
import type { Day } from '../../money/index.js';
import type { Application } from '../../origination/index.js';
import type { ServerDeps } from '../../server/http/context.js';
import {
  type ApplicationWrite,
  type AuditEntry,
  type Contact,
  findCustomerIdByIdNumber,
  getBusinessDay,
  insertCustomer,
  insertLine,
  markInvitationUsed,
  type NewCustomer,
  newId,
  type Queryable,
  sealCustomer,
  setApplicationLine,
  toJsonText,
} from '../index.js';

export type ApprovalAudit = Omit<AuditEntry, 'actorUserId' | 'actorRole' | 'requestId'>;

/** The customer an approved applicant becomes, from the application's identity, address and contacts. */
function customerOf(a: Application): NewCustomer {
  return {
    name: a.identity.name,
    idNumber: a.identity.idNumber,
    phone: a.identity.phone,
    address: a.address,
    contacts: a.contacts.map((c) => ({
      name: c.name,
      relation: c.relation as Contact['relation'],
      phone: c.phone,
    })),
    declaredMonthlyIncome_fen: a.income.declaredMonthly_fen,
    externalRef: null,
  };
}

/**
 * What an approval does, whether the policy or a person approved: find the applicant's customer or register
 * them, open the line at the decision's limit, tie the application to it and mark the invitation used. Runs
 * inside the caller's transaction, under the applicant's lock.
 */
export async function openApprovedLine(
  tx: Queryable,
  deps: ServerDeps,
  approval: {
    application: Application;
    limit_fen: number;
    invitationId: string | null;
    decisionId: string;
    userId: string;
  },
): Promise<{ customerId: string; lineId: string; audit: ApprovalAudit[] }> {
  const { application } = approval;
  const audit: ApprovalAudit[] = [];
  let customerId =
    application.customerId ??
    (await findCustomerIdByIdNumber(tx, deps.cipher, application.identity.idNumber)) ??
    null;
  if (customerId === null) {
    const customer = await insertCustomer(tx, deps.cipher, customerOf(application), approval.userId);
    customerId = customer.customerId;
    audit.push({
      action: 'customer.create',
      resourceType: 'customer',
      resourceId: customerId,
      customerId,
      details: { applicationId: application.applicationId },
    });
  }
  const day = await getBusinessDay(tx);
  const opened = openLine({ lineId: newId('cl'), customerId, limitMinor: approval.limit_fen, day });
  const line = await insertLine(tx, opened.line);
  await setApplicationLine(tx, application.applicationId, customerId, line.lineId);
  if (approval.invitationId !== null)
    await markInvitationUsed(tx, approval.invitationId, application.applicationId);
  audit.push({
    action: 'credit_line.open',
    resourceType: 'credit_line',
    resourceId: line.lineId,
    customerId,
    details: { limitMinor: approval.limit_fen, decisionId: approval.decisionId },
  });
  return { customerId, lineId: line.lineId, audit };
}

/**
 * What `openApprovedLine` writes, planned without the database from what was read under the applicant's
 * lock (the customer holding the ID number, the business day): the same customer, line, invitation and
 * audit entries, for the one-statement write (decision 0525).
 */
export function planApprovedLine(
  deps: ServerDeps,
  approval: {
    application: Application;
    limit_fen: number;
    invitationId: string | null;
    decisionId: string;
    existingCustomerId: string | null;
    businessDay: Day;
  },
): {
  customerId: string;
  lineId: string;
  write: NonNullable<ApplicationWrite['approval']>;
  audit: ApprovalAudit[];
} {
  const { application } = approval;
  const audit: ApprovalAudit[] = [];
  let customerId = application.customerId ?? approval.existingCustomerId;
  let newCustomer: NonNullable<ApplicationWrite['approval']>['newCustomer'];
  if (customerId === null) {
    customerId = newId('cus');
    newCustomer = {
      ...sealCustomer(deps.cipher, customerId, customerOf(application)),
      declaredMonthlyIncome_fen: application.income.declaredMonthly_fen,
    };
    audit.push({
      action: 'customer.create',
      resourceType: 'customer',
      resourceId: customerId,
      customerId,
      details: { applicationId: application.applicationId },
    });
  }
  const { line } = openLine({
    lineId: newId('cl'),
    customerId,
    limitMinor: approval.limit_fen,
    day: approval.businessDay,
  });
  audit.push({
    action: 'credit_line.open',
    resourceType: 'credit_line',
    resourceId: line.lineId,
    customerId,
    details: { limitMinor: approval.limit_fen, decisionId: approval.decisionId },
  });
  return {
    customerId,
    lineId: line.lineId,
    write: {
      customerId,
      ...(newCustomer === undefined ? {} : { newCustomer }),
      line: {
        lineId: line.lineId,
        limitMinor: line.limitMinor,
        usedMinor: line.usedMinor,
        status: line.status,
        stateJson: toJsonText(line),
      },
      invitationId: approval.invitationId,
    },
    audit,
  };
}
