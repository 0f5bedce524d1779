import type { FastifyInstance } from 'fastify';
import {
  BLACKLIST_PROPOSAL_SOURCES,
  BLACKLIST_PROPOSAL_STATUSES,
  BLACKLIST_REMOVAL_REASONS,
  type BlacklistDecision,
  type BlacklistProcessSettings,
  type BlacklistProposalSource,
  type BlacklistProposalStatus,
  type BlacklistRemovalReason,
  CollectionsInputError,
  checkBlacklistProcessSettings,
  DEFAULT_BLACKLIST_PROCESS_SETTINGS,
  instantAt,
  planBlacklistDecision,
  planBlacklistObjection,
  planBlacklistProposal,
  planBlacklistRemoval,
  planBlacklistWithdrawal,
} from '../../collections/index.js';
import { type Day, formatDate } from '../../money/index.js';
import type { PlannedReminder, ReminderChannel, ReminderLang } from '../../monitoring/index.js';
import {
  appendBlacklistStep,
  borrowerRepaid,
  endBlacklistEntryAt,
  findBlacklistProposal,
  findCustomer,
  findLegalAction,
  getBusinessDay,
  ID_PATTERN,
  insertBlacklistEntry,
  insertBlacklistProposal,
  insertPlannedReminders,
  listBlacklistProposals,
  listBlacklistSteps,
  listCases,
  listLoans,
  loadReminderBorrowers,
  newId,
  noticeDelivery,
  originationKeyOf,
  type Queryable,
  type StoredBlacklistProposal,
  updateBlacklistProposal,
} from '../../store/index.js';
import { businessNow } from '../http/business-clock.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, type ProblemCode, ProblemError } from '../http/problem.js';
import { bearerSecurity, idempotencyHeader, idParam, problemResponses } from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { refusalProblem } from './legal-messages.js';
import { NOTE } from './legal-schemas.js';
import { COLLECTIONS_MESSAGES } from './messages.js';

const tags = ['collections: blacklist due process'];
const proposalParams = idParam('proposalId', 'Blacklist proposal id');
const NOTICE_CHANNELS = ['sms', 'email', 'letter', 'app-push'] as const satisfies readonly ReminderChannel[];
const PROPOSALS_PAGE_MAX = 500;

const PROBLEM_OF: Readonly<Record<string, ProblemCode>> = {
  blacklist_proposal_invalid: 'blacklist_proposal_invalid',
  blacklist_step_not_allowed: 'blacklist_step_not_allowed',
  blacklist_self_decision: 'blacklist_self_decision',
  blacklist_objection_window_open: 'blacklist_objection_window_open',
};

function asProblem<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof CollectionsInputError && PROBLEM_OF[error.code] !== undefined) {
      throw refusalProblem(PROBLEM_OF[error.code]!, error);
    }
    throw error;
  }
}

const DAY = { type: 'string', format: 'date' } as const;

const proposalSchema = {
  type: 'object',
  required: [
    'proposalId',
    'customerId',
    'caseId',
    'actionId',
    'source',
    'reason',
    'evidence',
    'status',
    'proposedBy',
    'noticeDate',
    'objectionUntil',
    'objection',
    'decidedBy',
    'decidedDate',
    'decisionNote',
    'entryId',
    'expiresDate',
    'removedBy',
    'removedDate',
    'removalReason',
    'notice',
    'steps',
  ],
  properties: {
    proposalId: { type: 'string' },
    customerId: { type: 'string' },
    caseId: { type: ['string', 'null'] },
    actionId: { type: ['string', 'null'] },
    source: { type: 'string', enum: [...BLACKLIST_PROPOSAL_SOURCES] },
    reason: { type: 'string' },
    evidence: { type: 'string' },
    status: {
      type: 'string',
      enum: [...BLACKLIST_PROPOSAL_STATUSES],
      description: 'noticed → (objected) → listed or rejected; listed → removed; withdrawn before a decision',
    },
    proposedBy: { type: 'string' },
    noticeDate: DAY,
    objectionUntil: { ...DAY, description: 'Last day of the objection window (民法典 Art. 1029)' },
    objection: { type: ['string', 'null'] },
    decidedBy: { type: ['string', 'null'] },
    decidedDate: { type: ['string', 'null'], format: 'date' },
    decisionNote: { type: ['string', 'null'] },
    entryId: { type: ['string', 'null'], description: 'The entry in the blacklist origination checks' },
    expiresDate: { type: ['string', 'null'], format: 'date' },
    removedBy: { type: ['string', 'null'] },
    removedDate: { type: ['string', 'null'], format: 'date' },
    removalReason: { type: ['string', 'null'], enum: [...BLACKLIST_REMOVAL_REASONS, null] },
    notice: {
      type: ['object', 'null'],
      description: 'The notice as the reminder outbox delivers it: the delivery proof',
      required: ['reminderKey', 'channel', 'status', 'sentAt', 'attempts'],
      properties: {
        reminderKey: { type: 'string' },
        channel: { type: 'string' },
        status: { type: 'string' },
        sentAt: { type: ['string', 'null'] },
        attempts: { type: 'integer' },
      },
    },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        required: ['seq', 'date', 'step', 'actor', 'note'],
        properties: {
          seq: { type: 'integer' },
          date: DAY,
          step: { type: 'string' },
          actor: { type: 'string' },
          note: { type: ['string', 'null'] },
        },
      },
    },
  },
} as const;

async function present(q: Queryable, p: StoredBlacklistProposal) {
  const [steps, notice] = await Promise.all([
    listBlacklistSteps(q, p.proposalId),
    noticeDelivery(q, p.noticeReminderKey),
  ]);
  const date = (d: Day | null) => (d === null ? null : formatDate(d));
  return {
    proposalId: p.proposalId,
    customerId: p.customerId,
    caseId: p.caseId,
    actionId: p.actionId,
    source: p.source,
    reason: p.reason,
    evidence: p.evidence,
    status: p.status,
    proposedBy: p.proposedBy,
    noticeDate: formatDate(p.noticeDay),
    objectionUntil: formatDate(p.objectionUntil),
    objection: p.objection,
    decidedBy: p.decidedBy,
    decidedDate: date(p.decidedDay),
    decisionNote: p.decisionNote,
    entryId: p.entryId,
    expiresDate: date(p.expiresDay),
    removedBy: p.removedBy,
    removedDate: date(p.removedDay),
    removalReason: p.removalReason,
    notice: notice === undefined ? null : { reminderKey: p.noticeReminderKey, ...notice },
    steps: steps.map((s) => ({
      seq: s.seq,
      date: formatDate(s.day),
      step: s.step,
      actor: s.actor,
      note: s.note,
    })),
  };
}

async function proposalOr404(q: Queryable, proposalId: string): Promise<StoredBlacklistProposal> {
  const p = await findBlacklistProposal(q, proposalId, true);
  if (p === undefined)
    throw new ProblemError(
      'blacklist_proposal_not_found',
      say(COLLECTIONS_MESSAGES, 'blacklist_proposal_not_found', { proposalId }),
    );
  return p;
}

/** The notice's words: what is proposed, why, until when and how to object. Factual, never a threat. */
function noticeText(lang: ReminderLang, reason: string, objectionUntil: Day, proposalId: string) {
  const until = formatDate(objectionUntil);
  return lang === 'zh-CN'
    ? {
        subject: '拟将您列入本机构内部黑名单的告知书',
        body: `因以下原因，本机构拟将您列入内部黑名单（仅用于本机构的授信审批）：${reason}。您有权在 ${until} 前提出异议并提交说明或证据（《民法典》第一千零二十九条、《个人信息保护法》第二十四条）；异议期内不作决定，决定由复核人作出。编号：${proposalId}。`,
      }
    : {
        subject: 'Notice: we propose to add you to our internal blacklist',
        body: `We propose to add you to our internal blacklist (used only for our own credit decisions) for this reason: ${reason}. You may object, with an explanation or evidence, until ${until} (Civil Code Art. 1029; PIPL Art. 24); nothing is decided before then, and a second person decides. Reference: ${proposalId}.`,
      };
}

/**
 * Blacklisting with due process: proposal → notice through the reminder outbox → objection window →
 * a second person's decision → an entry with an expiry in the blacklist origination checks → removal on
 * repayment or an upheld objection. Every step is a row and an audit record.
 */
export async function blacklistProposalRoutes(
  app: FastifyInstance,
  deps: ServerDeps,
  settings: BlacklistProcessSettings = DEFAULT_BLACKLIST_PROCESS_SETTINGS,
): Promise<void> {
  const process = checkBlacklistProcessSettings(settings);
  const keyOf = originationKeyOf(deps.cipher);

  app.post<{
    Body: {
      customerId: string;
      source: BlacklistProposalSource;
      reason: string;
      evidence: string;
      actionId?: string;
      channel?: (typeof NOTICE_CHANNELS)[number];
    };
  }>(
    '/blacklist-proposals',
    {
      config: { permission: 'blacklist.propose' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Propose blacklisting a borrower, from a legal action or a fraud finding; the notice goes out at once and the objection window opens',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['customerId', 'source', 'reason', 'evidence'],
          additionalProperties: false,
          properties: {
            customerId: { type: 'string', pattern: ID_PATTERN },
            source: { type: 'string', enum: [...BLACKLIST_PROPOSAL_SOURCES] },
            reason: NOTE,
            evidence: NOTE,
            actionId: { type: 'string', pattern: ID_PATTERN, description: 'The legal action (source legal)' },
            channel: {
              type: 'string',
              enum: [...NOTICE_CHANNELS],
              description: 'Notice channel; default sms',
            },
          },
        },
        response: { 201: proposalSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const principal = request.principal!;
      const nowIso = await businessNow(deps);
      return commitWrite(deps, request, reply, async (tx) => {
        const customer = await findCustomer(tx, deps.cipher, b.customerId);
        if (customer === undefined)
          throw new ProblemError(
            'customer_not_found',
            say(COLLECTIONS_MESSAGES, 'customer_not_found', { customerId: b.customerId }),
          );
        let caseId: string | null = null;
        if (b.source === 'legal') {
          const action = b.actionId === undefined ? undefined : await findLegalAction(tx, b.actionId);
          if (action === undefined || action.customerId !== b.customerId || action.approvedBy === null) {
            throw new ProblemError(
              'blacklist_proposal_invalid',
              say(COLLECTIONS_MESSAGES, 'legal_source_needs_action'),
              [fieldProblem('/body/actionId', say(COLLECTIONS_MESSAGES, 'approved_action_of_borrower'))],
            );
          }
          caseId = action.caseId;
        } else {
          const open = await listCases(tx, { customerId: b.customerId, status: 'open', limit: 1 });
          caseId = open[0]?.caseId ?? null;
        }
        const live = await listBlacklistProposals(tx, { customerId: b.customerId }, PROPOSALS_PAGE_MAX);
        const inProgress = live.find((p) => ['noticed', 'objected', 'listed'].includes(p.status));
        if (inProgress !== undefined) {
          throw new ProblemError(
            'blacklist_proposal_in_progress',
            say(COLLECTIONS_MESSAGES, 'blacklist_in_progress', {
              proposalId: inProgress.proposalId,
              status: inProgress.status,
            }),
          );
        }
        const loans = await listLoans(tx, { customerId: b.customerId }, null, 100);
        const loan = loans.find((l) => l.state.status !== 'settled') ?? loans[0];
        if (loan === undefined) {
          throw new ProblemError(
            'blacklist_proposal_invalid',
            say(COLLECTIONS_MESSAGES, 'no_loan_for_notice'),
            [fieldProblem('/body/customerId', say(COLLECTIONS_MESSAGES, 'borrower_with_loan'))],
          );
        }
        const today = await getBusinessDay(tx);
        const plan = asProblem(() => planBlacklistProposal(b, today, process));
        const proposalId = newId('blp');
        const reminderKey = `${loan.loanId}/blacklist-notice/${proposalId}`;
        const borrower = (
          await loadReminderBorrowers(tx, [b.customerId], {
            timeZone: deps.config.lenderTimeZone,
            lang: 'zh-CN',
          })
        ).get(b.customerId);
        const lang = borrower?.borrower.lang ?? 'zh-CN';
        const text = noticeText(lang, b.reason, plan.objectionUntil, proposalId);
        const notice: PlannedReminder = {
          reminderKey,
          loanId: loan.loanId,
          customerId: b.customerId,
          cadenceId: 'blacklist-notice',
          stageId: 'blacklist-notice',
          channel: b.channel ?? 'sms',
          legallyRequired: true,
          anchorDueDay: today,
          planDay: today,
          scheduledAtMs: Date.parse(nowIso),
          amountDueMinor: 0,
          currency: 'CNY',
          lang,
          subject: text.subject,
          body: text.body,
          status: 'planned',
          cancelReason: null,
        };
        await insertPlannedReminders(
          tx,
          [notice],
          'blacklist-notice',
          new Map([[b.customerId, borrower?.borrower.timeZone ?? deps.config.lenderTimeZone]]),
        );
        const created = await insertBlacklistProposal(tx, {
          proposalId,
          customerId: b.customerId,
          caseId,
          actionId: b.source === 'legal' ? (b.actionId ?? null) : null,
          source: b.source,
          reason: b.reason,
          evidence: b.evidence,
          proposedBy: principal.userId,
          noticeDay: plan.noticeDay,
          noticeReminderKey: reminderKey,
          objectionUntil: plan.objectionUntil,
        });
        await appendBlacklistStep(tx, proposalId, {
          day: today,
          step: 'proposed',
          actor: principal.userId,
          note: b.reason,
        });
        await appendBlacklistStep(tx, proposalId, {
          day: today,
          step: 'notice-queued',
          actor: principal.userId,
          note: `${notice.channel}, objection until ${formatDate(plan.objectionUntil)}`,
        });
        return {
          status: 201,
          body: await present(tx, created),
          location: `/blacklist-proposals/${proposalId}`,
          audit: [
            {
              action: 'blacklist.proposed',
              resourceType: 'blacklist_proposal',
              resourceId: proposalId,
              customerId: b.customerId,
              details: { source: b.source, caseId, objectionUntil: formatDate(plan.objectionUntil) },
            },
          ],
        };
      });
    },
  );

  app.get<{ Querystring: { status?: BlacklistProposalStatus; customerId?: string; limit?: number } }>(
    '/blacklist-proposals',
    {
      config: { permission: 'blacklist.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Blacklist proposals, newest notice first, by status or borrower',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: [...BLACKLIST_PROPOSAL_STATUSES] },
            customerId: { type: 'string', pattern: ID_PATTERN },
            limit: { type: 'integer', minimum: 1, maximum: PROPOSALS_PAGE_MAX, default: 100 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: proposalSchema } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listBlacklistProposals(
        deps.db,
        {
          ...(q.status === undefined ? {} : { status: q.status }),
          ...(q.customerId === undefined ? {} : { customerId: q.customerId }),
        },
        q.limit ?? 100,
      );
      return { items: await Promise.all(rows.map((p) => present(deps.db, p))) };
    },
  );

  app.get<{ Params: { proposalId: string } }>(
    '/blacklist-proposals/:proposalId',
    {
      config: { permission: 'blacklist.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'A proposal with every step and the notice’s delivery',
        params: proposalParams,
        response: { 200: proposalSchema, ...problemResponses },
      },
    },
    async (request) => {
      const p = await findBlacklistProposal(deps.db, request.params.proposalId);
      if (p === undefined)
        throw new ProblemError(
          'blacklist_proposal_not_found',
          say(COLLECTIONS_MESSAGES, 'blacklist_proposal_not_found', {
            proposalId: request.params.proposalId,
          }),
        );
      return present(deps.db, p);
    },
  );

  /** One step of the process in one transaction: load and lock, plan in the core, write, audit. */
  function step<Body>(
    url: string,
    summary: string,
    permission: 'blacklist.propose' | 'blacklist.manage',
    body: object,
    run: (
      tx: Queryable,
      p: StoredBlacklistProposal,
      b: Body,
      ctx: { today: Day; actor: string; nowIso: string },
    ) => Promise<{ step: string; note: string | null; patch: Parameters<typeof updateBlacklistProposal>[2] }>,
  ) {
    app.post<{ Params: { proposalId: string }; Body: Body }>(
      url,
      {
        config: { permission },
        schema: {
          tags,
          security: bearerSecurity,
          summary,
          params: proposalParams,
          headers: idempotencyHeader,
          body,
          response: { 200: proposalSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const principal = request.principal!;
        const nowIso = await businessNow(deps);
        return commitWrite(deps, request, reply, async (tx) => {
          const p = await proposalOr404(tx, request.params.proposalId);
          const today = await getBusinessDay(tx);
          const done = await run(tx, p, request.body as Body, { today, actor: principal.userId, nowIso });
          const updated = await updateBlacklistProposal(tx, p.proposalId, done.patch);
          await appendBlacklistStep(tx, p.proposalId, {
            day: today,
            step: done.step,
            actor: principal.userId,
            note: done.note,
          });
          return {
            status: 200,
            body: await present(tx, updated),
            audit: [
              {
                action: `blacklist.${done.step}`,
                resourceType: 'blacklist_proposal',
                resourceId: p.proposalId,
                customerId: p.customerId,
                details: { from: p.status, to: updated.status, entryId: updated.entryId },
              },
            ],
          };
        });
      },
    );
  }

  step<{ objection: string }>(
    '/blacklist-proposals/:proposalId/objection',
    'Record the borrower’s objection (inside the window); the decision may then come at once',
    'blacklist.propose',
    {
      type: 'object',
      required: ['objection'],
      additionalProperties: false,
      properties: { objection: NOTE },
    },
    async (_tx, p, b, { today }) => {
      const plan = asProblem(() => planBlacklistObjection(p, today));
      return { step: 'objected', note: b.objection, patch: { status: plan.status, objection: b.objection } };
    },
  );

  step<{ outcome: BlacklistDecision; note: string }>(
    '/blacklist-proposals/:proposalId/decision',
    'Decide (never the proposer): list — an entry with an expiry in the blacklist origination checks — or reject',
    'blacklist.manage',
    {
      type: 'object',
      required: ['outcome', 'note'],
      additionalProperties: false,
      properties: { outcome: { type: 'string', enum: ['list', 'reject'] }, note: NOTE },
    },
    async (tx, p, b, { today, actor, nowIso }) => {
      const plan = asProblem(() => planBlacklistDecision(p, { outcome: b.outcome, actor }, today, process));
      if (plan.status === 'rejected' || plan.expiresDay === null) {
        return {
          step: 'rejected',
          note: b.note,
          patch: { status: 'rejected', decidedBy: actor, decidedDay: today, decisionNote: b.note },
        };
      }
      const customer = await findCustomer(tx, deps.cipher, p.customerId);
      if (customer === undefined) throw new Error(`assertion: proposal ${p.proposalId} names no customer`);
      const entryId = newId('bl');
      const value = customer.idNumber.trim().toUpperCase();
      await insertBlacklistEntry(
        tx,
        deps.cipher,
        {
          entryId,
          subject: 'id-number',
          key: keyOf('id-number', value),
          value,
          reason: p.reason,
          source: 'internal-review',
          evidence: `${p.evidence} (blacklist proposal ${p.proposalId}; decided by ${actor}: ${b.note})`,
          expiresAt: new Date(instantAt(plan.expiresDay, 0, deps.config.lenderTimeZone)).toISOString(),
          listedAt: nowIso,
        },
        actor,
      );
      return {
        step: 'listed',
        note: b.note,
        patch: {
          status: 'listed',
          decidedBy: actor,
          decidedDay: today,
          decisionNote: b.note,
          entryId,
          expiresDay: plan.expiresDay,
        },
      };
    },
  );

  step<{ note: string }>(
    '/blacklist-proposals/:proposalId/withdraw',
    'Withdraw an undecided proposal',
    'blacklist.propose',
    { type: 'object', required: ['note'], additionalProperties: false, properties: { note: NOTE } },
    async (_tx, p, b) => {
      const plan = asProblem(() => planBlacklistWithdrawal(p));
      return { step: 'withdrawn', note: b.note, patch: { status: plan.status } };
    },
  );

  step<{ reason: BlacklistRemovalReason; note: string }>(
    '/blacklist-proposals/:proposalId/removal',
    'Remove a listed borrower: on repayment (checked against the ledger) or an objection upheld after listing',
    'blacklist.manage',
    {
      type: 'object',
      required: ['reason', 'note'],
      additionalProperties: false,
      properties: { reason: { type: 'string', enum: [...BLACKLIST_REMOVAL_REASONS] }, note: NOTE },
    },
    async (tx, p, b, { today, actor, nowIso }) => {
      const repaid = await borrowerRepaid(tx, p.customerId);
      const plan = asProblem(() => planBlacklistRemoval(p, { reason: b.reason, repaid }));
      if (p.entryId === null) throw new Error(`assertion: listed proposal ${p.proposalId} has no entry`);
      await endBlacklistEntryAt(tx, p.entryId, nowIso, actor);
      return {
        step: 'removed',
        note: `${plan.reason}: ${b.note}`,
        patch: { status: 'removed', removedBy: actor, removedDay: today, removalReason: plan.reason },
      };
    },
  );
}
