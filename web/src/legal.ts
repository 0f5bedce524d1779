/** Legal escalation and blacklist proposals as the API shows them (src/server/collections/legal-schemas.ts). */
export interface LegalStep {
  seq: number;
  date: string;
  from: string | null;
  to: string;
  actor: string;
  note: string | null;
  deadlines: { name: string; date: string }[];
}

export interface LegalCost {
  costId: string;
  kind: string;
  amount: string;
  date: string;
  note: string | null;
}

export interface LegalAction {
  actionId: string;
  path: string;
  status: string;
  claimed: string;
  reason: string;
  venue: string | null;
  reference: string | null;
  proposedBy: string;
  proposedDate: string;
  approvedBy: string | null;
  approvedDate: string | null;
  nextStatuses: string[];
  steps: LegalStep[];
  costs: LegalCost[];
  costTotal: string;
}

export interface Demand {
  demandId: string;
  date: string;
  channel: string;
  reachedDebtor: boolean;
  evidence: string;
}

export interface LegalOverview {
  caseId: string;
  limitation: {
    lastDueDate: string;
    startDate: string;
    endDate: string;
    restartedBy: string[];
    daysLeft: number;
    expired: boolean;
  } | null;
  demands: Demand[];
  actions: LegalAction[];
}

export const LEGAL_PATHS = ['payment-order', 'lawsuit', 'arbitration', 'notarised-instrument'] as const;
export const LEGAL_COST_KINDS = [
  'court-fee',
  'arbitration-fee',
  'lawyer-fee',
  'notary-fee',
  'enforcement-fee',
  'service-fee',
  'other',
] as const;
export const DEMAND_CHANNELS = ['letter', 'lawyer-letter', 'sms', 'email', 'call', 'visit', 'app'] as const;

export interface BlacklistProposal {
  proposalId: string;
  customerId: string;
  caseId: string | null;
  source: 'legal' | 'fraud';
  reason: string;
  evidence: string;
  status: string;
  proposedBy: string;
  noticeDate: string;
  objectionUntil: string;
  objection: string | null;
  decidedBy: string | null;
  entryId: string | null;
  expiresDate: string | null;
  notice: { channel: string; status: string; sentAt: string | null } | null;
}

export const BLACKLIST_STATUSES = [
  'noticed',
  'objected',
  'listed',
  'rejected',
  'withdrawn',
  'removed',
] as const;
