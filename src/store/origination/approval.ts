import { type CreditLineState, openLine } from '../../ledger/index.js';
import type { Day } from '../../money/index.js';
import type { Application } from '../../origination/index.js';
import type { AuditEntry } from '../audit.js';
import {
  type Contact,
  findCustomerIdByIdNumber,
  insertSealedCustomer,
  type NewCustomer,
  sealCustomer,
} from '../customers.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';
import { toJsonText } from '../ledger/codec.js';
import { getBusinessDay } from '../ledger/journal.js';
import { insertLine } from '../ledger/lines.js';
import type { PiiCipher } from '../pii-cipher.js';
import type { ApplicationWrite } from './application-path.js';
import { setApplicationLine } from './applications.js';
import { markInvitationUsed } from './lists.js';

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

/** What approving an application means, given what was read under the applicant's lock. */
export interface ApprovalFacts {
  application: Application;
  limit_fen: number;
  invitationId: string | null;
  decisionId: string;
  /** The customer holding the applicant's ID number, if any. */
  existingCustomerId: string | null;
  businessDay: Day;
}

/**
 * An approval planned: the customer (registered now when `customer` is given), the line opened, the
 * invitation taken up and the audit entries. Every writer (`combined` in `writeApplication`, `per-table`
 * in `writeApproval`) persists this value and decides nothing of its own.
 */
export interface ApprovalPlan {
  customerId: string;
  lineId: string;
  /** A new customer: the fields as given and as sealed. */
  customer?: { input: NewCustomer; sealed: ReturnType<typeof sealCustomer> };
  line: CreditLineState;
  invitationId: string | null;
  /** The same plan as the rows of the `combined` write. */
  write: NonNullable<ApplicationWrite['approval']>;
  audit: ApprovalAudit[];
}

/**
 * What an approval does, whether the policy or a person approved: keep the applicant's customer or register
 * them, open the line at the decision's limit on the business day, mark the invitation used. The one
 * statement of this step; the ids are drawn here, the rest follows from the facts.
 */
export function planApproval(cipher: PiiCipher, facts: ApprovalFacts): ApprovalPlan {
  const { application } = facts;
  const audit: ApprovalAudit[] = [];
  let customerId = application.customerId ?? facts.existingCustomerId;
  let customer: ApprovalPlan['customer'];
  if (customerId === null) {
    customerId = newId('cus');
    const input = customerOf(application);
    customer = { input, sealed: sealCustomer(cipher, customerId, input) };
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
    limitMinor: facts.limit_fen,
    day: facts.businessDay,
  });
  audit.push({
    action: 'credit_line.open',
    resourceType: 'credit_line',
    resourceId: line.lineId,
    customerId,
    details: { limitMinor: facts.limit_fen, decisionId: facts.decisionId },
  });
  return {
    customerId,
    lineId: line.lineId,
    ...(customer === undefined ? {} : { customer }),
    line,
    invitationId: facts.invitationId,
    write: {
      customerId,
      ...(customer === undefined
        ? {}
        : {
            newCustomer: {
              ...customer.sealed,
              declaredMonthlyIncome_fen: customer.input.declaredMonthlyIncome_fen,
            },
          }),
      line: {
        lineId: line.lineId,
        limitMinor: line.limitMinor,
        usedMinor: line.usedMinor,
        status: line.status,
        stateJson: toJsonText(line),
      },
      invitationId: facts.invitationId,
    },
    audit,
  };
}

/** What an approval needs from the store, read under the applicant's lock (`per-table`). */
export async function readApprovalFacts(
  q: Queryable,
  cipher: PiiCipher,
  application: Application,
): Promise<{ existingCustomerId: string | null; businessDay: Day }> {
  const existingCustomerId =
    application.customerId === undefined
      ? ((await findCustomerIdByIdNumber(q, cipher, application.identity.idNumber)) ?? null)
      : null;
  return { existingCustomerId, businessDay: await getBusinessDay(q) };
}

/** Persists a planned approval one statement per table (`per-table`), inside the caller's transaction. */
export async function writeApproval(
  q: Queryable,
  applicationId: string,
  plan: ApprovalPlan,
  createdBy: string,
): Promise<void> {
  if (plan.customer !== undefined)
    await insertSealedCustomer(q, plan.customerId, plan.customer.sealed, plan.customer.input, createdBy);
  await insertLine(q, plan.line);
  await setApplicationLine(q, applicationId, plan.customerId, plan.lineId);
  if (plan.invitationId !== null) await markInvitationUsed(q, plan.invitationId, applicationId);
}

/**
 * An approval planned and written `per-table` inside the caller's transaction, under the applicant's
 * lock: a person approving a referred application, or an application on the `per-table` path.
 */
export async function openApprovedLine(
  tx: Queryable,
  cipher: PiiCipher,
  approval: Omit<ApprovalFacts, 'existingCustomerId' | 'businessDay'> & { userId: string },
): Promise<ApprovalPlan> {
  const { userId, ...facts } = approval;
  const plan = planApproval(cipher, {
    ...facts,
    ...(await readApprovalFacts(tx, cipher, approval.application)),
  });
  await writeApproval(tx, approval.application.applicationId, plan, userId);
  return plan;
}
