/**
 * 核销 write-off proposals (decision 0372): the lender's rule (versioned), the candidates it gives, a
 * proposal (batch) one person makes and another approves — then each loan is written off through the
 * change planner (`planWriteOff`) and stored as any loan change is — or rejects.
 */
import { planWriteOff } from '../../ledger/index.js';
import type { Day } from '../../money/index.js';
import {
  type AssetClass,
  parseWriteOffRule,
  type WriteOffCandidate,
  type WriteOffRule,
  writeOffCandidates,
  writeOffEligibility,
} from '../../reporting/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';
import { dayFromSql, sqlDate } from './codec.js';
import { findLoan, LOAN_COLUMNS, type LoanRow, loanFromRow, type StoredLoan } from './loan-rows.js';
import { persistLoanChange } from './loan-writers.js';
import { withLockedLine } from './loans.js';

/** An expected refusal of a write-off step, with a stable code, the HTTP status and the field at fault. */
export class WriteOffError extends Error {
  constructor(
    readonly code: string,
    readonly status: 404 | 409 | 422,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'WriteOffError';
  }
}

/** Most loans one proposal may hold. */
export const WRITE_OFF_PROPOSAL_LOANS_MAX = 500;
/** Most candidates one listing returns. */
export const WRITE_OFF_CANDIDATES_MAX = 1000;

export interface StoredWriteOffRule {
  version: number;
  rule: WriteOffRule;
  createdBy: string;
  createdAt: string;
}

const TS = (c: string) => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${c}`;

/** The rule in force: the latest version. */
export async function currentWriteOffRule(q: Queryable): Promise<StoredWriteOffRule> {
  const { rows } = await q.query<{
    version: number;
    document: string;
    created_by: string;
    created_at: string;
  }>(
    `select version, document::text as document, created_by, ${TS('created_at')}
     from write_off_rules order by version desc limit 1`,
  );
  const row = rows[0];
  if (row === undefined)
    throw new Error('assertion: write_off_rules has no version (migration 13 inserts one)');
  return {
    version: row.version,
    rule: parseWriteOffRule(JSON.parse(row.document)),
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/** A new version of the rule (validated by the caller with `parseWriteOffRule`). */
export async function saveWriteOffRule(
  q: Queryable,
  rule: WriteOffRule,
  userId: string,
): Promise<StoredWriteOffRule> {
  await q.query('lock table write_off_rules in exclusive mode');
  const { rows } = await q.query<{ version: number; created_at: string }>(
    `insert into write_off_rules (version, document, created_by)
     values ((select coalesce(max(version), 0) + 1 from write_off_rules), $1::jsonb, $2)
     returning version, ${TS('created_at')}`,
    [JSON.stringify(rule), userId],
  );
  const row = rows[0]!;
  return { version: row.version, rule, createdBy: userId, createdAt: row.created_at };
}

/** Loans in an open proposal: not candidates again until it is decided. */
async function loansInOpenProposals(q: Queryable): Promise<Set<string>> {
  const { rows } = await q.query<{ loan_id: string }>(
    `select l.loan_id from write_off_proposal_loans l
     join write_off_proposals p on p.proposal_id = l.proposal_id where p.status = 'proposed'`,
  );
  return new Set(rows.map((r) => r.loan_id));
}

/**
 * The candidates on business day `day` (the book closed through the day before): active loans whose
 * oldest unpaid due date is far enough back, judged by the core under the rule, less those already in an
 * open proposal. Most days past due first; at most `limit`.
 */
export async function listWriteOffCandidates(
  q: Queryable,
  day: Day,
  rule: WriteOffRule,
  limit: number = WRITE_OFF_CANDIDATES_MAX,
): Promise<WriteOffCandidate[]> {
  // A cheap prefilter on the list column (M7 is more than 180 days past due by default); the core decides.
  const { rows } = await q.query<LoanRow>(
    `select ${LOAN_COLUMNS} from loans where status = 'active' and overdue_principal_minor > 0
       and (bucket = 'M7' or $1::integer < 180)`,
    [rule.daysPastDueMin],
  );
  const open = await loansInOpenProposals(q);
  const states = rows.map((r) => loanFromRow(r).state).filter((s) => !open.has(s.loanId));
  return writeOffCandidates(states, day, rule).slice(0, limit);
}

export interface WriteOffProposalLoan {
  loanId: string;
  customerId: string;
  evidenceRef: string;
  daysPastDue: number;
  assetClass: AssetClass;
  principalMinor: number;
  totalMinor: number;
}

export interface StoredWriteOffProposal {
  proposalId: string;
  status: 'proposed' | 'approved' | 'rejected';
  ruleVersion: number;
  proposedDay: Day;
  note: string | null;
  proposedBy: string;
  proposedAt: string;
  decidedBy: string | null;
  decidedDay: Day | null;
  decidedAt: string | null;
  decisionNote: string | null;
  loans: WriteOffProposalLoan[];
}

interface ProposalRow {
  proposal_id: string;
  status: StoredWriteOffProposal['status'];
  rule_version: number;
  proposed_day: string;
  note: string | null;
  proposed_by: string;
  proposed_at: string;
  decided_by: string | null;
  decided_day: string | null;
  decided_at: string | null;
  decision_note: string | null;
}

const PROPOSAL_COLUMNS = `proposal_id, status, rule_version, proposed_day::text as proposed_day, note, proposed_by,
  ${TS('proposed_at')}, decided_by, decided_day::text as decided_day, ${TS('decided_at')}, decision_note`;

async function proposalLoans(q: Queryable, proposalIds: readonly string[]) {
  const { rows } = await q.query<{
    proposal_id: string;
    customer_id: string;
    loan_id: string;
    evidence_ref: string;
    days_past_due: number;
    asset_class: AssetClass;
    principal_minor: string;
    total_minor: string;
  }>(
    `select proposal_id, customer_id, loan_id, evidence_ref, days_past_due, asset_class,
       principal_minor::text as principal_minor, total_minor::text as total_minor
     from write_off_proposal_loans where proposal_id = any($1::text[]) order by proposal_id, loan_id`,
    [proposalIds],
  );
  const by = new Map<string, WriteOffProposalLoan[]>();
  for (const r of rows) {
    const list = by.get(r.proposal_id) ?? [];
    list.push({
      loanId: r.loan_id,
      customerId: r.customer_id,
      evidenceRef: r.evidence_ref,
      daysPastDue: r.days_past_due,
      assetClass: r.asset_class,
      principalMinor: Number(r.principal_minor),
      totalMinor: Number(r.total_minor),
    });
    by.set(r.proposal_id, list);
  }
  return by;
}

function proposalFrom(row: ProposalRow, loans: WriteOffProposalLoan[]): StoredWriteOffProposal {
  return {
    proposalId: row.proposal_id,
    status: row.status,
    ruleVersion: row.rule_version,
    proposedDay: dayFromSql(row.proposed_day),
    note: row.note,
    proposedBy: row.proposed_by,
    proposedAt: row.proposed_at,
    decidedBy: row.decided_by,
    decidedDay: row.decided_day === null ? null : dayFromSql(row.decided_day),
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    loans,
  };
}

export async function findWriteOffProposal(
  q: Queryable,
  proposalId: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredWriteOffProposal | undefined> {
  const { rows } = await q.query<ProposalRow>(
    `select ${PROPOSAL_COLUMNS} from write_off_proposals where proposal_id = $1 ${options.forUpdate ? 'for update' : ''}`,
    [proposalId],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return proposalFrom(row, (await proposalLoans(q, [proposalId])).get(proposalId) ?? []);
}

/** Proposals, newest first, optionally of one status. */
export async function listWriteOffProposals(
  q: Queryable,
  filter: { status?: StoredWriteOffProposal['status']; limit: number },
): Promise<StoredWriteOffProposal[]> {
  const { rows } = await q.query<ProposalRow>(
    `select ${PROPOSAL_COLUMNS} from write_off_proposals where ($1::text is null or status = $1)
     order by proposed_at desc, proposal_id desc limit $2`,
    [filter.status ?? null, filter.limit],
  );
  const loans = await proposalLoans(
    q,
    rows.map((r) => r.proposal_id),
  );
  return rows.map((r) => proposalFrom(r, loans.get(r.proposal_id) ?? []));
}

/**
 * A proposal of loans to write off, each with its evidence reference, made on business day `day` by
 * `userId`: every loan must be a candidate under the rule in force now and in no other open proposal.
 */
export async function createWriteOffProposal(
  tx: Queryable,
  input: {
    day: Day;
    userId: string;
    note: string | null;
    loans: readonly { loanId: string; evidenceRef: string }[];
  },
): Promise<StoredWriteOffProposal> {
  if (input.loans.length === 0 || input.loans.length > WRITE_OFF_PROPOSAL_LOANS_MAX) {
    throw new WriteOffError(
      'write_off_proposal_size',
      422,
      `a proposal holds 1 to ${WRITE_OFF_PROPOSAL_LOANS_MAX} loans; got ${input.loans.length}`,
      '/body/loans',
    );
  }
  const seen = new Set<string>();
  for (const [i, l] of input.loans.entries()) {
    if (seen.has(l.loanId)) {
      throw new WriteOffError(
        'write_off_loan_repeated',
        422,
        `loan ${l.loanId} is named twice`,
        `/body/loans/${i}/loanId`,
      );
    }
    seen.add(l.loanId);
  }
  const { version, rule } = await currentWriteOffRule(tx);
  const open = await loansInOpenProposals(tx);
  const accepted: WriteOffProposalLoan[] = [];
  for (const [i, l] of input.loans.entries()) {
    const loan = await findLoan(tx, l.loanId, { forUpdate: true });
    if (loan === undefined) {
      throw new WriteOffError('loan_not_found', 404, `no such loan: ${l.loanId}`, `/body/loans/${i}/loanId`);
    }
    if (open.has(l.loanId)) {
      throw new WriteOffError(
        'write_off_already_proposed',
        409,
        `loan ${l.loanId} is already in an open write-off proposal; approve or reject that one first`,
        `/body/loans/${i}/loanId`,
      );
    }
    const e = writeOffEligibility(loan.state, input.day, rule);
    if (!e.eligible) {
      throw new WriteOffError(
        'write_off_not_eligible',
        422,
        `loan ${l.loanId} is not a write-off candidate under rule version ${version}: ${e.reason}`,
        `/body/loans/${i}/loanId`,
      );
    }
    accepted.push({
      loanId: l.loanId,
      customerId: loan.customerId,
      evidenceRef: l.evidenceRef,
      daysPastDue: e.candidate.daysPastDue,
      assetClass: e.candidate.assetClass,
      principalMinor: e.candidate.principalMinor,
      totalMinor: e.candidate.totalMinor,
    });
  }
  const proposalId = newId('wop');
  await tx.query(
    `insert into write_off_proposals (proposal_id, status, rule_version, proposed_day, note, proposed_by)
     values ($1, 'proposed', $2, $3::date, $4, $5)`,
    [proposalId, version, sqlDate(input.day), input.note, input.userId],
  );
  for (const l of accepted) {
    await tx.query(
      `insert into write_off_proposal_loans (proposal_id, customer_id, loan_id, evidence_ref, days_past_due,
         asset_class, principal_minor, total_minor) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        proposalId,
        l.customerId,
        l.loanId,
        l.evidenceRef,
        l.daysPastDue,
        l.assetClass,
        l.principalMinor,
        l.totalMinor,
      ],
    );
  }
  const stored = await findWriteOffProposal(tx, proposalId);
  if (stored === undefined) throw new Error('assertion: the proposal just inserted is missing');
  return stored;
}

async function openProposalForDecision(
  tx: Queryable,
  proposalId: string,
  userId: string,
): Promise<StoredWriteOffProposal> {
  const p = await findWriteOffProposal(tx, proposalId, { forUpdate: true });
  if (p === undefined) {
    throw new WriteOffError('write_off_proposal_not_found', 404, `no such write-off proposal: ${proposalId}`);
  }
  if (p.status !== 'proposed') {
    throw new WriteOffError(
      'write_off_proposal_decided',
      409,
      `write-off proposal ${proposalId} is already ${p.status} by ${p.decidedBy ?? 'someone'}`,
    );
  }
  if (p.proposedBy === userId) {
    throw new WriteOffError(
      'write_off_same_person',
      409,
      'a write-off is approved or rejected by a second person: you proposed it, so another user with the approval role must decide it',
    );
  }
  return p;
}

/** The loans written off by an approval, as stored after it. */
export interface WriteOffApproval {
  proposal: StoredWriteOffProposal;
  loans: { before: StoredLoan; after: StoredLoan }[];
}

/**
 * Approves a proposal (by a second person) on business day `day`: each loan is locked, still eligible
 * under the rule the proposal was made with, and written off through the planner; the proposal is then
 * approved. One transaction: any loan no longer eligible (paid meanwhile) refuses the whole approval.
 */
export async function approveWriteOffProposal(
  tx: Queryable,
  input: { proposalId: string; userId: string; day: Day; note: string | null },
): Promise<WriteOffApproval> {
  const p = await openProposalForDecision(tx, input.proposalId, input.userId);
  const { rows: ruleRows } = await tx.query<{ document: string }>(
    'select document::text as document from write_off_rules where version = $1',
    [p.ruleVersion],
  );
  const rule = parseWriteOffRule(JSON.parse(ruleRows[0]!.document));
  const loans: { before: StoredLoan; after: StoredLoan }[] = [];
  for (const l of p.loans) {
    const loan = await findLoan(tx, l.loanId, { forUpdate: true, customerId: l.customerId });
    if (loan === undefined) throw new Error(`assertion: loan ${l.loanId} of a proposal is missing`);
    // The loan may have been paid or closed further since it was proposed: judge it as it is today.
    const e = writeOffEligibility(loan.state, input.day, rule);
    if (!e.eligible) {
      throw new WriteOffError(
        'write_off_not_eligible',
        409,
        `loan ${l.loanId} is no longer a write-off candidate (${e.reason}); reject this proposal and propose again`,
      );
    }
    const planned = planWriteOff(loan.state, null, {
      day: input.day,
      clientId: `write-off:${p.proposalId}`,
      evidenceRef: l.evidenceRef,
    });
    const { change, line } = await withLockedLine(tx, loan, planned);
    const after = await persistLoanChange(tx, loan, change, line);
    loans.push({ before: loan, after });
  }
  await tx.query(
    `update write_off_proposals set status = 'approved', decided_by = $2, decided_day = $3::date,
       decided_at = now(), decision_note = $4 where proposal_id = $1`,
    [p.proposalId, input.userId, sqlDate(input.day), input.note],
  );
  const proposal = await findWriteOffProposal(tx, p.proposalId);
  return { proposal: proposal!, loans };
}

/** Rejects a proposal (by a second person): nothing is written off; its loans may be proposed again. */
export async function rejectWriteOffProposal(
  tx: Queryable,
  input: { proposalId: string; userId: string; day: Day; note: string | null },
): Promise<StoredWriteOffProposal> {
  const p = await openProposalForDecision(tx, input.proposalId, input.userId);
  await tx.query(
    `update write_off_proposals set status = 'rejected', decided_by = $2, decided_day = $3::date,
       decided_at = now(), decision_note = $4 where proposal_id = $1`,
    [p.proposalId, input.userId, sqlDate(input.day), input.note],
  );
  return (await findWriteOffProposal(tx, p.proposalId))!;
}
