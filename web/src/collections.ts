/** Collections as the API shows them (src/server/collections/schemas.ts). */
export interface CollectionCase {
  caseId: string;
  customerId: string;
  status: 'open' | 'closed';
  openedDate: string;
  closedDate: string | null;
  closeReason: 'cured' | 'paid-off' | 'written-off' | 'restructuring-kept' | null;
  bucket: string;
  maxDaysPastDue: number;
  overdue: string;
  totalOwed: string;
  pastDueLoanIds: string[];
  borrowerZone: string;
  lostContact: boolean;
  assignee: string | null;
  updatedDate: string;
  strategyArm?: 'champion' | 'challenger';
  strategyVersion?: string | null;
  strategyStep?: string | null;
  nextAction?: string | null;
  nextActionChannel?: string | null;
  nextActionReason?: string | null;
  nextActionDueDate?: string | null;
  behaviourScore?: number | null;
  assessment?: Assessment | null;
  assessmentOverride?: { verdict: string; note: string; by: string; day: string } | null;
  verdict?: string;
  vulnerabilities?: string[];
  cureProbability?: string;
  priority?: string;
  recovered?: string;
  teamId?: string | null;
  agencyId?: string | null;
  nextPromiseDate?: string | null;
}

/** The ability/willingness assessment with its reasons (还款能力 vs 还款意愿). */
export interface Assessment {
  verdict: string;
  inabilityPoints: number;
  unwillingnessPoints: number;
  reasons: { code: string; side: string; points: number; text: string; textZh?: string; seen: string }[];
  vulnerabilities: string[];
}

export interface NegotiationOffer {
  monthlyIncome: string;
  totalInstallment: string;
  loans: {
    loanId: string;
    months: number | null;
    installment: string | null;
    forgiven: string;
    refusal: string | null;
  }[];
}

export const STRATEGY_ACTIONS = [
  'reminder',
  'call',
  'letter',
  'negotiation-offer',
  'agency-placement',
  'legal-review',
  'hold',
] as const;
export const VERDICTS = ['inability', 'unwillingness', 'undetermined'] as const;

export interface ContactAttempt {
  attemptId: string;
  at: string;
  channel: string;
  party: 'borrower' | 'contact';
  outcome: string;
  allowed: boolean;
  rule: string | null;
  nextAllowedAt: string | null;
  actor: string;
  note: string | null;
}

export interface PromiseToPay {
  promiseId: string;
  amount: string;
  promisedDate: string;
  madeDate: string;
  status: 'pending' | 'kept' | 'broken';
  decidedDate: string | null;
  paid: string | null;
}

/** What the refresh did for the case's step (decision 0757): a reminder queued, an agency placement, a legal request. */
export interface StepAction {
  kind: 'reminder' | 'agency-placement' | 'legal-review';
  step: string;
  date: string;
  status: 'done' | 'pending' | 'dropped';
  outcome: string;
  reference: string | null;
}

/** A recall holding the case off its strategy step (decision 0912): the step does not place it again. */
export interface PlacementHold {
  step: string;
  /** The step is an agency-placement step: each refresh skips its placement while the hold lasts. */
  placementActionSkipped: boolean;
  placementId: string;
  agencyId: string;
  agencyName: string;
  recalledDate: string;
  reason: string;
  recalledBy: string;
}

export interface CaseDetail extends CollectionCase {
  contacts: ContactAttempt[];
  promises: PromiseToPay[];
  stepActions?: StepAction[];
  placementHold?: PlacementHold | null;
}

/**
 * Whether the API refuses `me` the entries of a case — contact attempts, promises to pay, notes and
 * documents: a collector works only the cases assigned to them, while an admin, or an agency on the cases
 * placed with it, works any case it can see. The server's rule (refuseCollectorOffCase in
 * src/server/collections), mirrored so that the case page offers no form the API would refuse.
 */
export function collectorOffCase(
  me: { role: string; userId: string },
  kase: { assignee: string | null },
): boolean {
  return me.role === 'collector' && kase.assignee !== me.userId;
}

export const CHANNELS = ['call', 'sms', 'app', 'email', 'letter', 'visit'] as const;
export const OUTCOMES_BY_CHANNEL: Record<string, readonly string[]> = {
  call: ['answered', 'promise', 'refused', 'no-answer', 'wrong-number'],
  visit: ['answered', 'promise', 'refused', 'no-answer'],
  sms: ['sent', 'undelivered'],
  app: ['sent', 'undelivered'],
  email: ['sent', 'undelivered'],
  letter: ['sent', 'undelivered'],
};
export const CONTACT_RULES = [
  'quiet_hours',
  'answered_calls_per_day',
  'unanswered_dials_per_day',
  'messages_per_day',
  'third_party_only_when_unreachable',
  'third_party_attempts_per_day',
  'third_party_channel',
  'complaint_open',
] as const;

/** A note on a case (催记): append-only; a correction names the note it corrects. */
export interface CaseNote {
  noteId: string;
  caseId: string;
  category: 'call-summary' | 'hardship' | 'dispute' | 'other';
  text: string;
  correctsNoteId: string | null;
  date: string;
  at: string;
  author: string;
}

export const NOTE_CATEGORIES = ['call-summary', 'hardship', 'dispute', 'other'] as const;

/** A document on a case, without its bytes. */
export interface CaseDocument {
  documentId: string;
  caseId: string;
  kind: 'income-proof' | 'hardship-proof' | 'correspondence' | 'other';
  fileName: string;
  contentType: string;
  sha256: string;
  sizeBytes: number;
  date: string;
  at: string;
  uploadedBy: string;
}

export const DOCUMENT_KINDS = ['income-proof', 'hardship-proof', 'correspondence', 'other'] as const;

/** The API's bound on a case document, decoded (src/server/collections/notes-routes.ts). */
export const CASE_DOCUMENT_BYTES_MAX = 2 * 1024 * 1024;
