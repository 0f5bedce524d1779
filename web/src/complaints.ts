/** Complaints as the API shows them (src/server/complaints/schemas.ts). */
export type SlaState = 'on_time' | 'due_soon' | 'overdue' | 'met' | 'missed';

export interface TimerState {
  dueDate: string;
  state: SlaState;
  daysLeft: number | null;
}

export interface Complaint {
  complaintId: string;
  customerId: string;
  loanId: string | null;
  caseId: string | null;
  channel: string;
  category: string;
  summary: string;
  regulatorReference: string | null;
  receivedAt: string;
  receivedDate: string;
  status: 'received' | 'acknowledged' | 'resolved';
  acknowledgedDate: string | null;
  resolvedDate: string | null;
  outcome: string | null;
  rootCause: string | null;
  resolution: string | null;
  collectionWhileOpen: 'pause' | 'limit' | 'continue';
  sla: { acknowledge: TimerState; resolve: TimerState; state: SlaState };
}

export interface ComplaintDetail extends Complaint {
  events: { seq: number; action: string; date: string; actor: string; details: Record<string, unknown> }[];
}

export interface ReputationCell {
  month: string;
  category: string;
  count: number;
  per10k: string | null;
  spike: boolean;
}

export interface Reputation {
  months: { month: string; activeBorrowers: number }[];
  cells: ReputationCell[];
  alerts: {
    month: string;
    category: string;
    count: number;
    per10k: string;
    baselinePer10k: string | null;
    message: string;
  }[];
  rule: string;
}

export const COMPLAINT_CHANNELS = ['hotline', 'app', 'regulator_referral', 'social_media'] as const;
export const COMPLAINT_CATEGORIES = [
  'collection_conduct',
  'fees_interest',
  'credit_report',
  'privacy',
  'repayment',
  'service',
  'other',
] as const;
export const COMPLAINT_OUTCOMES = ['upheld', 'partly_upheld', 'not_upheld', 'withdrawn'] as const;
export const COMPLAINT_ROOT_CAUSES = [
  'collector_conduct',
  'agency_conduct',
  'system_error',
  'policy_or_product',
  'communication',
  'borrower_misunderstanding',
  'fraud_or_identity',
  'other',
] as const;

export const SLA_COLOURS: Record<SlaState, string> = {
  on_time: 'processing',
  due_soon: 'warning',
  overdue: 'error',
  met: 'success',
  missed: 'magenta',
};
