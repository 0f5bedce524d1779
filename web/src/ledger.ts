/** The ledger's resources as the API answers them (docs/api.md); money is decimal strings of yuan. */

export interface Loan {
  loanId: string;
  customerId: string;
  lineId: string;
  productId: string;
  productVersion: number;
  status: 'active' | 'settled';
  openedOn: string;
  principal: string;
  asOf: string;
  lastClosedDay: string;
  nextEventDay?: string | null;
  daysPastDue: number;
  bucket: string;
  outstandingPrincipal: string;
  overduePrincipal?: string;
  overdueInterest?: string;
  overdueFee?: string;
  duePrincipal?: string;
  dueInterest?: string;
  dueFee?: string;
  accruedInterest?: string;
  penaltyOutstanding?: string;
  credit?: string;
  totalOwed: string;
}

export interface CreditLine {
  lineId: string;
  customerId: string;
  status: 'active' | 'frozen' | 'closed';
  currency: string;
  limit: string;
  used: string;
  available: string;
  openedOn: string;
  loanCount?: number;
}

export interface Installment {
  number: number;
  startDate: string;
  dueDate: string;
  principal: string;
  interest: string;
  fee: string;
  total: string;
  remainingPrincipal: string;
}

export interface Due {
  installmentNumber: number;
  dueDate: string;
  principal: string;
  interest: string;
  fee: string;
  overdue: boolean;
}

export interface Schedule {
  loanId: string;
  plan: Installment[];
  dues: Due[];
}

export interface LoanEventItem {
  seq: number;
  day: string;
  type: string;
  clientId?: string | null;
  recordedAt: string;
  detail: Record<string, unknown>;
}

export interface Posting {
  postingNo: number;
  customerId: string;
  loanId: string;
  day: string;
  eventSeq: number;
  eventRef: string;
  lines: { account: string; debit?: string; credit?: string }[];
}

export interface PayoffQuote {
  loanId: string;
  date: string;
  principal: string;
  interest: string;
  fee: string;
  penalty: string;
  credit: string;
  total: string;
}

export interface ImpactRow {
  date: string;
  daysPastDue: number;
  bucket: string;
  creditReportStatus: string;
  assetClass: string;
  nonPerforming: boolean;
  ifrs9Stage: number;
  collectionStage: string;
  outstandingPrincipal: string;
  overduePrincipal: string;
  overdueInterest: string;
  interestOwed: string;
  penaltyOutstanding: string;
  totalOwed: string;
}

export interface ImpactMilestone {
  date: string;
  kind: string;
  value: string;
  daysPastDue: number | null;
  withinPeriodShown: boolean;
  source: string;
  convention: boolean;
  description: { en: string; zh: string };
}

export interface Impact {
  loanId: string;
  from: string;
  missedDueDate: string;
  rows: ImpactRow[];
  milestones: ImpactMilestone[];
}

export interface StoredProduct {
  productId: string;
  version: number;
  product: { name?: string };
}

export interface EodRun {
  runId: string;
  businessDate: string;
  status: 'running' | 'succeeded' | 'failed';
  partitionsTotal: number;
  batchSize: number;
  requestedBy: string;
  resumes: number;
  loansClosed: number;
  loansAdvanced: number;
  eventsWritten: number;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface EodPartition {
  partitionNo: number;
  keyFrom: number;
  keyTo: number;
  status: 'pending' | 'running' | 'succeeded' | 'failed';
  claimedBy: string | null;
  heartbeatAt: string | null;
  leaseExpiresAt: string | null;
  claims: number;
  loansClosed: number;
  loansAdvanced: number;
  eventsWritten: number;
  errors: { at: string; worker: string; loanId: string | null; message: string }[];
}

export interface EodRunDetail extends EodRun {
  partitions: EodPartition[];
}

/** A decimal string of yuan the API accepts: no sign, at most two decimals (as parseAmount in src/money/amount.ts). */
export const AMOUNT_PATTERN = /^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/;

/**
 * The server's default largest amount (`amount_max_fen` in src/server/config.ts: one billion yuan). A
 * server configured lower refuses more, and its message is shown under the field.
 */
export const AMOUNT_MAX_FEN_DEFAULT = 100_000_000_000;

/** "" when the amount is acceptable to the API; otherwise the message key saying why not. */
export function amountProblem(
  text: string,
): 'validate.required' | 'validate.amount' | 'validate.amountPositive' | 'validate.amountMax' | '' {
  if (text.trim() === '') return 'validate.required';
  const match = AMOUNT_PATTERN.exec(text);
  if (match === null) return 'validate.amount';
  const fen = BigInt(match[1] ?? '0') * 100n + BigInt((match[2] ?? '').slice(1).padEnd(2, '0'));
  if (fen === 0n) return 'validate.amountPositive';
  if (fen > BigInt(AMOUNT_MAX_FEN_DEFAULT)) return 'validate.amountMax';
  return '';
}
