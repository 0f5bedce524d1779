import {
  type BlacklistProposalSource,
  type BlacklistProposalStatus,
  type BlacklistRemovalReason,
  planBlacklistRemoval,
} from '../../collections/index.js';
import { type Day, formatDate } from '../../money/index.js';
import { appendAudit } from '../audit.js';
import type { Queryable } from '../db.js';
import { dayFromSql } from '../ledger/index.js';

/** A blacklist proposal and where its due process stands (migration 0020). */
export interface StoredBlacklistProposal {
  readonly proposalId: string;
  readonly customerId: string;
  readonly caseId: string | null;
  readonly actionId: string | null;
  readonly source: BlacklistProposalSource;
  readonly reason: string;
  readonly evidence: string;
  readonly status: BlacklistProposalStatus;
  readonly proposedBy: string;
  readonly noticeDay: Day;
  readonly noticeReminderKey: string;
  readonly objectionUntil: Day;
  readonly objection: string | null;
  readonly decidedBy: string | null;
  readonly decidedDay: Day | null;
  readonly decisionNote: string | null;
  readonly entryId: string | null;
  readonly expiresDay: Day | null;
  readonly removedBy: string | null;
  readonly removedDay: Day | null;
  readonly removalReason: BlacklistRemovalReason | null;
}

export interface StoredBlacklistStep {
  readonly seq: number;
  readonly day: Day;
  readonly step: string;
  readonly actor: string;
  readonly note: string | null;
}

interface Row {
  proposal_id: string;
  customer_id: string;
  case_id: string | null;
  action_id: string | null;
  source: BlacklistProposalSource;
  reason: string;
  evidence: string;
  status: BlacklistProposalStatus;
  proposed_by: string;
  notice_day: string;
  notice_reminder_key: string;
  objection_until: string;
  objection: string | null;
  decided_by: string | null;
  decided_day: string | null;
  decision_note: string | null;
  entry_id: string | null;
  expires_day: string | null;
  removed_by: string | null;
  removed_day: string | null;
  removal_reason: BlacklistRemovalReason | null;
}

const COLUMNS = `proposal_id, customer_id, case_id, action_id, source, reason, evidence, status, proposed_by,
  notice_day::text, notice_reminder_key, objection_until::text, objection, decided_by, decided_day::text, decision_note,
  entry_id, expires_day::text, removed_by, removed_day::text, removal_reason`;

const dayOrNull = (t: string | null) => (t === null ? null : dayFromSql(t));

function fromRow(r: Row): StoredBlacklistProposal {
  return {
    proposalId: r.proposal_id,
    customerId: r.customer_id,
    caseId: r.case_id,
    actionId: r.action_id,
    source: r.source,
    reason: r.reason,
    evidence: r.evidence,
    status: r.status,
    proposedBy: r.proposed_by,
    noticeDay: dayFromSql(r.notice_day),
    noticeReminderKey: r.notice_reminder_key,
    objectionUntil: dayFromSql(r.objection_until),
    objection: r.objection,
    decidedBy: r.decided_by,
    decidedDay: dayOrNull(r.decided_day),
    decisionNote: r.decision_note,
    entryId: r.entry_id,
    expiresDay: dayOrNull(r.expires_day),
    removedBy: r.removed_by,
    removedDay: dayOrNull(r.removed_day),
    removalReason: r.removal_reason,
  };
}

export async function insertBlacklistProposal(
  q: Queryable,
  p: {
    proposalId: string;
    customerId: string;
    caseId: string | null;
    actionId: string | null;
    source: BlacklistProposalSource;
    reason: string;
    evidence: string;
    proposedBy: string;
    noticeDay: Day;
    noticeReminderKey: string;
    objectionUntil: Day;
  },
): Promise<StoredBlacklistProposal> {
  const { rows } = await q.query<Row>(
    `insert into blacklist_proposals (proposal_id, customer_id, case_id, action_id, source, reason, evidence, status,
       proposed_by, notice_day, notice_reminder_key, objection_until)
     values ($1, $2, $3, $4, $5, $6, $7, 'noticed', $8, $9, $10, $11) returning ${COLUMNS}`,
    [
      p.proposalId,
      p.customerId,
      p.caseId,
      p.actionId,
      p.source,
      p.reason,
      p.evidence,
      p.proposedBy,
      formatDate(p.noticeDay),
      p.noticeReminderKey,
      formatDate(p.objectionUntil),
    ],
  );
  return fromRow(rows[0]!);
}

export async function findBlacklistProposal(
  q: Queryable,
  proposalId: string,
  forUpdate = false,
): Promise<StoredBlacklistProposal | undefined> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from blacklist_proposals where proposal_id = $1${forUpdate ? ' for update' : ''}`,
    [proposalId],
  );
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

/** Proposals by status and borrower, newest notice first, then by id. */
export async function listBlacklistProposals(
  q: Queryable,
  filter: { status?: BlacklistProposalStatus; customerId?: string },
  limit: number,
): Promise<StoredBlacklistProposal[]> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from blacklist_proposals
      where ($1::text is null or status = $1) and ($2::text is null or customer_id = $2)
      order by notice_day desc, proposal_id limit $3`,
    [filter.status ?? null, filter.customerId ?? null, limit],
  );
  return rows.map(fromRow);
}

export type BlacklistProposalPatch = Partial<{
  status: BlacklistProposalStatus;
  objection: string;
  decidedBy: string;
  decidedDay: Day;
  decisionNote: string | null;
  entryId: string;
  expiresDay: Day;
  removedBy: string;
  removedDay: Day;
  removalReason: BlacklistRemovalReason;
}>;

export async function updateBlacklistProposal(
  q: Queryable,
  proposalId: string,
  patch: BlacklistProposalPatch,
): Promise<StoredBlacklistProposal> {
  const d = (day: Day | undefined) => (day === undefined ? null : formatDate(day));
  const { rows } = await q.query<Row>(
    `update blacklist_proposals set
       status = coalesce($2, status), objection = coalesce($3, objection), decided_by = coalesce($4, decided_by),
       decided_day = coalesce($5::date, decided_day), decision_note = coalesce($6, decision_note),
       entry_id = coalesce($7, entry_id), expires_day = coalesce($8::date, expires_day),
       removed_by = coalesce($9, removed_by), removed_day = coalesce($10::date, removed_day),
       removal_reason = coalesce($11, removal_reason), row_version = row_version + 1
     where proposal_id = $1 returning ${COLUMNS}`,
    [
      proposalId,
      patch.status ?? null,
      patch.objection ?? null,
      patch.decidedBy ?? null,
      d(patch.decidedDay),
      patch.decisionNote ?? null,
      patch.entryId ?? null,
      d(patch.expiresDay),
      patch.removedBy ?? null,
      d(patch.removedDay),
      patch.removalReason ?? null,
    ],
  );
  return fromRow(rows[0]!);
}

/** One step of the due process, numbered in order (append-only). */
export async function appendBlacklistStep(
  q: Queryable,
  proposalId: string,
  s: { day: Day; step: string; actor: string; note: string | null },
): Promise<void> {
  await q.query(
    `insert into blacklist_proposal_steps (proposal_id, seq, day, step, actor, note)
     select $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5 from blacklist_proposal_steps where proposal_id = $1`,
    [proposalId, formatDate(s.day), s.step, s.actor, s.note],
  );
}

export async function listBlacklistSteps(q: Queryable, proposalId: string): Promise<StoredBlacklistStep[]> {
  const { rows } = await q.query<{
    seq: number;
    day: string;
    step: string;
    actor: string;
    note: string | null;
  }>(
    `select seq, day::text, step, actor, note from blacklist_proposal_steps where proposal_id = $1 order by seq`,
    [proposalId],
  );
  return rows.map((r) => ({
    seq: r.seq,
    day: dayFromSql(r.day),
    step: r.step,
    actor: r.actor,
    note: r.note,
  }));
}

/** The notice's delivery as the reminder outbox recorded it. */
export async function noticeDelivery(
  q: Queryable,
  reminderKey: string,
): Promise<{ channel: string; status: string; sentAt: string | null; attempts: number } | undefined> {
  const { rows } = await q.query<{
    channel: string;
    status: string;
    sent_at: string | null;
    attempts: number | null;
  }>(
    `select r.channel, r.status, to_char(r.sent_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as sent_at,
            o.attempts
       from reminders r left join outbox_messages o on o.kind = 'reminder' and o.reminder_key = r.reminder_key
      where r.reminder_key = $1`,
    [reminderKey],
  );
  const r = rows[0];
  return r === undefined
    ? undefined
    : { channel: r.channel, status: r.status, sentAt: r.sent_at, attempts: r.attempts ?? 0 };
}

/** True when none of the borrower's loans is past due or written off (removal on repayment). */
export async function borrowerRepaid(q: Queryable, customerId: string): Promise<boolean> {
  const { rows } = await q.query<{ n: string }>(
    `select count(*)::text as n from loans
      where customer_id = $1 and (status = 'written-off' or (status = 'active' and bucket <> 'M0'))`,
    [customerId],
  );
  return Number(rows[0]?.n ?? 0) === 0;
}

/**
 * Ends a blacklist entry at `at` (the business clock's now), so that the check origination makes at any
 * later business instant no longer finds it.
 */
export async function endBlacklistEntryAt(
  q: Queryable,
  entryId: string,
  at: string,
  by: string,
): Promise<void> {
  await q.query(
    `update blacklist_entries set expires_at = least(expires_at, $2::timestamptz), expired_by = $3 where entry_id = $1`,
    [entryId, at, by],
  );
}

/** The actor recorded for a listing ended on repayment (by the repayment's follow-up or the end of day). */
export const REPAID_REMOVAL_ACTOR = 'system:repaid';

/**
 * Removal on repayment (民法典 Art. 1029: a record no longer true is corrected): every listed entry from a legal
 * escalation (`source = 'legal'`, for malicious default) whose borrower now has no loan past due and none
 * written off is ended at `at`, with its step and an audit record — the same checks and writes as a person's
 * `repaid` removal. A fraud listing is not ended by a repayment. `customerIds` narrows it to some borrowers.
 */
export async function removeRepaidListings(
  q: Queryable,
  day: Day,
  at: string,
  customerIds: readonly string[] | null = null,
): Promise<StoredBlacklistProposal[]> {
  const { rows } = await q.query<{ proposal_id: string }>(
    `select p.proposal_id from blacklist_proposals p
      where p.status = 'listed' and p.source = 'legal'
        ${customerIds === null ? '' : 'and p.customer_id = any($1::text[])'}
        and not exists (select 1 from loans l where l.customer_id = p.customer_id
                          and (l.status = 'written-off' or (l.status = 'active' and l.bucket <> 'M0')))
      order by p.proposal_id for update of p`,
    customerIds === null ? [] : [customerIds],
  );
  const removed: StoredBlacklistProposal[] = [];
  for (const { proposal_id } of rows) {
    const p = (await findBlacklistProposal(q, proposal_id))!;
    const plan = planBlacklistRemoval(p, { reason: 'repaid', repaid: true });
    if (p.entryId === null) throw new Error(`assertion: listed proposal ${p.proposalId} has no entry`);
    await endBlacklistEntryAt(q, p.entryId, at, REPAID_REMOVAL_ACTOR);
    const updated = await updateBlacklistProposal(q, p.proposalId, {
      status: 'removed',
      removedBy: REPAID_REMOVAL_ACTOR,
      removedDay: day,
      removalReason: plan.reason,
    });
    await appendBlacklistStep(q, p.proposalId, {
      day,
      step: 'removed',
      actor: REPAID_REMOVAL_ACTOR,
      note: 'repaid: nothing past due and nothing written off',
    });
    await appendAudit(q, {
      actorUserId: null,
      actorRole: 'system',
      action: 'blacklist.removed',
      requestId: null,
      resourceType: 'blacklist_proposal',
      resourceId: p.proposalId,
      customerId: p.customerId,
      details: { from: 'listed', to: 'removed', entryId: p.entryId, reason: 'repaid' },
    });
    removed.push(updated);
  }
  return removed;
}
