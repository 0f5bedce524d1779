import { changeLimit, freezeLine } from '../../ledger/index.js';
import { type Day, formatDate, formatMinor, startOfMonth } from '../../money/index.js';
import {
  type CompiledLimitReview,
  compileLimitReview,
  DEFAULT_LIMIT_REVIEW,
  evaluateLimitReview,
  type LimitProposal,
  type LimitReviewSignals,
  limitReviewFactsOf,
  planLimitProposal,
} from '../../monitoring/index.js';
import {
  type Db,
  deletePendingProposals,
  enqueueBusinessEvent,
  findLine,
  findPublishedPolicy,
  insertLineChanges,
  insertProposals,
  lockProposals,
  policyDocument,
  type Queryable,
  type StoredLimitProposal,
  saveLine,
  scoredLinesPage,
  setProposalStatus,
} from '../../store/index.js';

/** The origination product whose published policy carries the limit review (the policy lines are granted by). */
export const LIMIT_REVIEW_POLICY_PRODUCT = 'default';
export const LIMIT_REVIEW_SHIPPED_VERSION = 'shipped-default';
/** Scored lines reviewed per transaction. */
export const LIMIT_REVIEW_LINES_PER_PAGE = 5_000;

export class LimitReviewJobError extends Error {
  constructor(
    readonly code:
      | 'behaviour_month_not_scored'
      | 'limit_proposal_not_found'
      | 'limit_proposal_not_pending'
      | 'limit_review_same_person',
    message: string,
  ) {
    super(message);
    this.name = 'LimitReviewJobError';
  }
}

/** The limit review in force: the published policy's `limitReview` graph, else the shipped default. */
export async function limitReviewInForce(
  q: Queryable,
): Promise<{ version: string; review: CompiledLimitReview }> {
  const published = await findPublishedPolicy(q, LIMIT_REVIEW_POLICY_PRODUCT);
  if (published !== undefined) {
    const document = await policyDocument(q, published.version);
    if (document?.graphs.limitReview !== undefined)
      return { version: published.version, review: compileLimitReview(document.graphs.limitReview) };
  }
  return { version: LIMIT_REVIEW_SHIPPED_VERSION, review: compileLimitReview(DEFAULT_LIMIT_REVIEW) };
}

/** Open or acknowledged early-warning signals per borrower, and those of high or critical severity. */
async function liveSignalCounts(
  db: Db,
  customerIds: readonly string[],
): Promise<Map<string, LimitReviewSignals>> {
  const { rows } = await db.query<{ customer_id: string; open: string; high: string }>(
    `select customer_id, count(*)::text as open,
            count(*) filter (where severity in ('high', 'critical'))::text as high
       from signals where status in ('open', 'acknowledged') and customer_id = any($1::text[])
      group by customer_id`,
    [[...new Set(customerIds)]],
  );
  return new Map(rows.map((r) => [r.customer_id, { open: Number(r.open), high: Number(r.high) }]));
}

export interface LimitReviewReport {
  readonly month: string;
  readonly policyVersion: string;
  readonly linesReviewed: number;
  readonly proposed: { raise: number; cut: number; freeze: number };
}

/**
 * The monthly limit review: each line scored that month goes through the limit-review table, and what it
 * proposes is stored for a second person to approve. A rerun replaces the month's undecided proposals.
 */
export async function reviewLimits(db: Db, month: Day, proposedBy: string): Promise<LimitReviewReport> {
  const first = startOfMonth(month);
  const label = formatDate(first).slice(0, 7);
  const scored = await db.query('select 1 from behaviour_score_months where month = $1::date', [
    formatDate(first),
  ]);
  if (scored.rows.length === 0)
    throw new LimitReviewJobError(
      'behaviour_month_not_scored',
      `${label} has no behaviour scores yet; run "lendguard monitoring score --month ${label}" first`,
    );
  const { version, review } = await limitReviewInForce(db);
  await deletePendingProposals(db, first);
  const proposed = { raise: 0, cut: 0, freeze: 0 };
  let linesReviewed = 0;
  let after = { customerId: '', lineId: '' };
  for (;;) {
    const page = await scoredLinesPage(db, first, after, LIMIT_REVIEW_LINES_PER_PAGE);
    if (page.length === 0) break;
    const rows: (LimitProposal & {
      customerId: string;
      lineId: string;
      score: number;
      policyVersion: string;
    })[] = [];
    // The borrowers' live early-warning signals: a high-severity one cuts, any one holds back a raise.
    const signals = await liveSignalCounts(
      db,
      page.map((l) => l.customerId),
    );
    for (const line of page) {
      const decision = await evaluateLimitReview(
        review,
        limitReviewFactsOf(line, line, signals.get(line.customerId)),
      );
      const proposal = planLimitProposal(line, decision);
      if (proposal === undefined) continue;
      proposed[proposal.action] += 1;
      rows.push({
        ...proposal,
        customerId: line.customerId,
        lineId: line.lineId,
        score: line.score,
        policyVersion: version,
      });
    }
    await db.transaction((tx) => insertProposals(tx, first, rows, proposedBy));
    linesReviewed += page.length;
    const last = page.at(-1)!;
    after = { customerId: last.customerId, lineId: last.lineId };
  }
  return { month: label, policyVersion: version, linesReviewed, proposed };
}

export interface ProposalDecision {
  readonly proposalId: string;
  readonly lineId: string;
  readonly outcome: 'applied' | 'rejected' | 'superseded';
  readonly detail: string;
}

export interface DecisionAudit {
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly customerId: string;
  readonly details: Record<string, unknown>;
}

/**
 * Approves or rejects proposals in the caller's transaction (maker-checker: the proposer may not decide).
 * An approved proposal whose line no longer stands as it was proposed on (limit or status changed since)
 * is superseded and changes nothing. Each applied change is written to the line and its history with the
 * policy's code and reason, queued as a business event for the borrower's notification, and audited.
 */
export async function decideProposals(
  tx: Queryable,
  ids: readonly string[],
  decision: 'approve' | 'reject',
  decidedBy: string,
  day: Day,
): Promise<{ decisions: ProposalDecision[]; audit: DecisionAudit[] }> {
  const unique = [...new Set(ids)].sort();
  const found = await lockProposals(tx, unique);
  const byId = new Map(found.map((p) => [p.proposalId, p]));
  for (const id of unique) {
    const p = byId.get(id);
    if (p === undefined)
      throw new LimitReviewJobError(
        'limit_proposal_not_found',
        `No limit proposal ${id}. List them with GET /limit-reviews/proposals.`,
      );
    if (p.status !== 'proposed')
      throw new LimitReviewJobError(
        'limit_proposal_not_pending',
        `Limit proposal ${id} was already ${p.status}; nothing was decided.`,
      );
    if (p.proposedBy === decidedBy)
      throw new LimitReviewJobError(
        'limit_review_same_person',
        `Limit proposal ${id} was proposed by ${decidedBy}; a second person must ${decision} it (maker-checker). Nothing was decided.`,
      );
  }
  const decisions: ProposalDecision[] = [];
  const audit: DecisionAudit[] = [];
  for (const id of unique) {
    const p = byId.get(id)!;
    if (decision === 'reject') {
      await setProposalStatus(tx, p, 'rejected', decidedBy);
      decisions.push({ proposalId: id, lineId: p.lineId, outcome: 'rejected', detail: 'rejected' });
      audit.push(auditOf(p, 'limit_review.reject', {}));
      continue;
    }
    decisions.push(await apply(tx, p, decidedBy, day, audit));
  }
  return { decisions, audit };
}

function auditOf(p: StoredLimitProposal, action: string, extra: Record<string, unknown>): DecisionAudit {
  return {
    action,
    resourceType: 'credit_line',
    resourceId: p.lineId,
    customerId: p.customerId,
    details: {
      proposalId: p.proposalId,
      action: p.action,
      fromMinor: p.fromLimitMinor,
      toMinor: p.toLimitMinor,
      score: p.score,
      code: p.code,
      proposedBy: p.proposedBy,
      ...extra,
    },
  };
}

async function apply(
  tx: Queryable,
  p: StoredLimitProposal,
  decidedBy: string,
  businessDay: Day,
  audit: DecisionAudit[],
): Promise<ProposalDecision> {
  const line = await findLine(tx, p.lineId, { forUpdate: true, customerId: p.customerId });
  if (line === undefined || line.state.status !== 'active' || line.state.limitMinor !== p.fromLimitMinor) {
    await setProposalStatus(tx, p, 'superseded', decidedBy);
    const detail =
      line === undefined
        ? 'the line no longer exists'
        : `the line changed since the proposal (now ${line.state.status}, limit ${formatMinor(line.state.limitMinor)}): nothing applied`;
    audit.push(auditOf(p, 'limit_review.supersede', { detail }));
    return { proposalId: p.proposalId, lineId: p.lineId, outcome: 'superseded', detail };
  }
  const day = Math.max(businessDay, line.state.lastEventDay);
  const label = formatDate(p.month).slice(0, 7);
  const reason = `limit review ${label}: ${p.reason} (behaviour score ${p.score}); proposed by ${p.proposedBy}, approved by ${decidedBy}`;
  const step =
    p.action === 'freeze'
      ? freezeLine(line.state, reason, day)
      : changeLimit(line.state, p.toLimitMinor, day);
  await saveLine(tx, line, step.line);
  await insertLineChanges(
    tx,
    line,
    [
      {
        kind: p.action === 'freeze' ? 'frozen' : 'limit-changed',
        fromStatus: line.state.status,
        toStatus: step.line.status,
        fromLimitMinor: line.state.limitMinor,
        toLimitMinor: step.line.limitMinor,
        code: p.code,
        reason,
        day,
      },
    ],
    { source: 'operator', policyVersion: p.policyVersion, actor: decidedBy },
  );
  await setProposalStatus(tx, p, 'applied', decidedBy);
  // The borrower is told through the lender's notification channel (a signed business-event webhook).
  await enqueueBusinessEvent(
    tx,
    p.action === 'freeze' ? 'line.frozen' : 'line.limit_changed',
    `${p.lineId}:${p.proposalId}`,
    {
      lineId: p.lineId,
      customerId: p.customerId,
      action: p.action,
      fromLimit: formatMinor(p.fromLimitMinor),
      toLimit: formatMinor(step.line.limitMinor),
      code: p.code,
      reason,
      day: formatDate(day),
    },
    { customerId: p.customerId },
  );
  audit.push(auditOf(p, 'limit_review.apply', { toMinor: step.line.limitMinor }));
  return { proposalId: p.proposalId, lineId: p.lineId, outcome: 'applied', detail: reason };
}
