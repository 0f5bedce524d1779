/**
 * 核销 write-off: the candidates the lender's rule gives, proposals (batches) one person makes and a second
 * approves or rejects (maker-checker), and the rule in force. Recoveries need no route of their own: a
 * repayment recorded on a written-off loan is booked as a recovery (POST /loans/{loanId}/repayments).
 */
import type { FastifyInstance } from 'fastify';
import { cancelMootRemindersOfLoans } from '../../jobs/index.js';
import { formatDate, formatMinor } from '../../money/index.js';
import {
  approveWriteOffProposal,
  createWriteOffProposal,
  currentWriteOffRule,
  findWriteOffProposal,
  getBusinessDay,
  listWriteOffCandidates,
  listWriteOffProposals,
  refreshOpenCases,
  rejectWriteOffProposal,
  type StoredWriteOffProposal,
  WRITE_OFF_CANDIDATES_MAX,
  WRITE_OFF_PROPOSAL_LOANS_MAX,
  WriteOffError,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, type ProblemCode, ProblemError } from '../http/problem.js';
import { bearerSecurity, idempotencyHeader, idParam, problemResponses } from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { LEDGER_MESSAGES } from './messages.js';

const common = { tags: ['write-offs'], security: bearerSecurity };
const NOTE_LENGTH_MAX = 500;
const EVIDENCE_LENGTH_MAX = 200;
const PROPOSALS_PAGE_MAX = 200;

const assetClassSchema = {
  type: 'string',
  enum: ['normal', 'special-mention', 'substandard', 'doubtful', 'loss'],
};

const ruleResponse = {
  type: 'object',
  required: ['version', 'daysPastDueMin', 'assetClassMin', 'classification', 'evidenceRequired'],
  properties: {
    version: { type: 'integer' },
    daysPastDueMin: { type: 'integer', description: 'Days past due from which a loan is a candidate' },
    assetClassMin: assetClassSchema,
    classification: { type: 'string', enum: ['credit-card-2011', 'banking-2023'] },
    evidenceRequired: { type: 'boolean' },
  },
} as const;

const candidateSchema = {
  type: 'object',
  required: [
    'loanId',
    'customerId',
    'daysPastDue',
    'assetClass',
    'principal',
    'interest',
    'penalty',
    'fee',
    'total',
  ],
  properties: {
    loanId: { type: 'string' },
    customerId: { type: 'string' },
    daysPastDue: { type: 'integer' },
    assetClass: assetClassSchema,
    principal: { type: 'string', description: 'Principal that leaves the books (yuan)' },
    interest: { type: 'string' },
    penalty: { type: 'string' },
    fee: { type: 'string' },
    total: { type: 'string', description: 'Everything that goes to the write-off loss (yuan)' },
  },
} as const;

const proposalSchema = {
  type: 'object',
  required: [
    'proposalId',
    'status',
    'ruleVersion',
    'proposedOn',
    'proposedBy',
    'proposedAt',
    'loans',
    'total',
  ],
  properties: {
    proposalId: { type: 'string' },
    status: { type: 'string', enum: ['proposed', 'approved', 'rejected'] },
    ruleVersion: { type: 'integer' },
    proposedOn: { type: 'string', description: 'Business day of the proposal' },
    note: { type: ['string', 'null'] },
    proposedBy: { type: 'string', description: 'User id of the proposer (maker)' },
    proposedAt: { type: 'string' },
    decidedBy: { type: ['string', 'null'], description: 'User id of the approver or rejecter (checker)' },
    decidedOn: { type: ['string', 'null'] },
    decidedAt: { type: ['string', 'null'] },
    decisionNote: { type: ['string', 'null'] },
    total: { type: 'string', description: 'Sum of the loans’ totals when proposed (yuan)' },
    loans: {
      type: 'array',
      items: {
        type: 'object',
        required: ['loanId', 'customerId', 'evidenceRef', 'daysPastDue', 'assetClass', 'principal', 'total'],
        properties: {
          loanId: { type: 'string' },
          customerId: { type: 'string' },
          evidenceRef: { type: 'string' },
          daysPastDue: { type: 'integer' },
          assetClass: assetClassSchema,
          principal: { type: 'string' },
          total: { type: 'string' },
        },
      },
    },
  },
} as const;

const noteProperty = { type: 'string', minLength: 1, maxLength: NOTE_LENGTH_MAX, pattern: '\\S' } as const;
const decisionBody = {
  type: 'object',
  additionalProperties: false,
  properties: { note: noteProperty },
} as const;
const proposalIdParam = idParam('proposalId', 'Write-off proposal id');

function presentProposal(p: StoredWriteOffProposal) {
  return {
    proposalId: p.proposalId,
    status: p.status,
    ruleVersion: p.ruleVersion,
    proposedOn: formatDate(p.proposedDay),
    note: p.note,
    proposedBy: p.proposedBy,
    proposedAt: p.proposedAt,
    decidedBy: p.decidedBy,
    decidedOn: p.decidedDay === null ? null : formatDate(p.decidedDay),
    decidedAt: p.decidedAt,
    decisionNote: p.decisionNote,
    total: formatMinor(p.loans.reduce((sum, l) => sum + l.totalMinor, 0)),
    loans: p.loans.map((l) => ({
      loanId: l.loanId,
      customerId: l.customerId,
      evidenceRef: l.evidenceRef,
      daysPastDue: l.daysPastDue,
      assetClass: l.assetClass,
      principal: formatMinor(l.principalMinor),
      total: formatMinor(l.totalMinor),
    })),
  };
}

const PROBLEM_OF: Record<string, ProblemCode> = {
  write_off_proposal_size: 'validation_failed',
  write_off_loan_repeated: 'validation_failed',
  write_off_not_eligible: 'write_off_not_eligible',
  write_off_already_proposed: 'write_off_already_proposed',
  write_off_proposal_not_found: 'write_off_proposal_not_found',
  write_off_proposal_decided: 'write_off_proposal_decided',
  write_off_same_person: 'write_off_by_proposer',
};

/** The store's refusals in Chinese, by code (the English keeps the store's sentence with its figures). */
const WRITE_OFF_REFUSALS_ZH: Record<string, string> = {
  write_off_proposal_size: `一个核销提议包含 1 至 ${WRITE_OFF_PROPOSAL_LOANS_MAX} 笔借据`,
  write_off_loan_repeated: '同一笔借据被列了两次',
  write_off_not_eligible: '该借据不符合现行核销规则（或已不再符合）；请拒绝此提议后重新提议',
  write_off_already_proposed: '该借据已在一个未决的核销提议中；请先批准或拒绝该提议',
  write_off_proposal_not_found: '没有这个核销提议；用 GET /write-offs/proposals 列出',
  write_off_proposal_decided: '该核销提议已有决定',
  write_off_same_person: '核销须由第二人批准或拒绝：提议由您提出，须由另一位有审批权限的用户决定',
};

/** A store refusal as a problem that says what to do. */
function writeOffProblem(error: unknown): unknown {
  if (!(error instanceof WriteOffError)) return error;
  if (error.code === 'loan_not_found') {
    return new ProblemError(
      'loan_not_found',
      say(LEDGER_MESSAGES, 'write_off_loan_not_found', {
        loanId: error.message.replace(/^no such loan: /, ''),
      }),
      [fieldProblem(error.field ?? '/body/loans', say(LEDGER_MESSAGES, 'no_such_loan'))],
    );
  }
  const code = PROBLEM_OF[error.code] ?? 'conflict';
  const path = error.field ?? (code === 'write_off_proposal_not_found' ? '/path/proposalId' : '/body');
  const text = say(LEDGER_MESSAGES, 'write_off_refused', {
    en_fault: error.message,
    zh_fault: WRITE_OFF_REFUSALS_ZH[error.code] ?? error.message,
  });
  return new ProblemError(code, text, [fieldProblem(path, text)]);
}

async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw writeOffProblem(error);
  }
}

export async function ledgerWriteOffRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get(
    '/write-offs/rule',
    {
      config: { permission: 'writeoffs.read' },
      schema: {
        ...common,
        summary: "The lender's write-off (核销) eligibility rule in force",
        response: { 200: ruleResponse, ...problemResponses },
      },
    },
    async () => {
      const r = await currentWriteOffRule(deps.db);
      return { version: r.version, ...r.rule };
    },
  );

  app.get<{ Querystring: { limit: number } }>(
    '/write-offs/candidates',
    {
      config: { permission: 'writeoffs.read' },
      schema: {
        ...common,
        summary:
          'Loans the rule makes write-off candidates on the business day (most days past due first), less those in an open proposal',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: WRITE_OFF_CANDIDATES_MAX, default: 200 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['businessDay', 'rule', 'items'],
            properties: {
              businessDay: { type: 'string' },
              rule: ruleResponse,
              items: { type: 'array', items: candidateSchema },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const day = await getBusinessDay(deps.db);
      const r = await currentWriteOffRule(deps.db);
      const items = await listWriteOffCandidates(deps.db, day, r.rule, request.query.limit);
      return {
        businessDay: formatDate(day),
        rule: { version: r.version, ...r.rule },
        items: items.map((c) => ({
          loanId: c.loanId,
          customerId: c.customerId,
          daysPastDue: c.daysPastDue,
          assetClass: c.assetClass,
          principal: formatMinor(c.principalMinor),
          interest: formatMinor(c.interestMinor),
          penalty: formatMinor(c.penaltyMinor),
          fee: formatMinor(c.feeMinor),
          total: formatMinor(c.totalMinor),
        })),
      };
    },
  );

  app.post<{ Body: { loans: { loanId: string; evidenceRef: string }[]; note?: string } }>(
    '/write-offs/proposals',
    {
      config: { permission: 'writeoffs.propose' },
      schema: {
        ...common,
        summary:
          'Propose loans for write-off, each with the reference of its evidence (财金〔2017〕90号); a second person approves',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['loans'],
          additionalProperties: false,
          properties: {
            loans: {
              type: 'array',
              minItems: 1,
              maxItems: WRITE_OFF_PROPOSAL_LOANS_MAX,
              items: {
                type: 'object',
                required: ['loanId', 'evidenceRef'],
                additionalProperties: false,
                properties: {
                  loanId: { type: 'string', minLength: 1, maxLength: 64 },
                  evidenceRef: {
                    type: 'string',
                    minLength: 1,
                    maxLength: EVIDENCE_LENGTH_MAX,
                    pattern: '\\S',
                    description:
                      'Reference of the case file: collection attempts, court ruling, death certificate …',
                  },
                },
              },
            },
            note: noteProperty,
          },
        },
        response: { 201: proposalSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const userId = request.principal!.userId;
      return commitWrite(deps, request, reply, async (tx) => {
        const day = await getBusinessDay(tx);
        const p = await guarded(() =>
          createWriteOffProposal(tx, {
            day,
            userId,
            note: request.body.note ?? null,
            loans: request.body.loans.map((l) => ({ loanId: l.loanId, evidenceRef: l.evidenceRef.trim() })),
          }),
        );
        return {
          status: 201,
          body: presentProposal(p),
          location: `/write-offs/proposals/${p.proposalId}`,
          audit: [
            {
              action: 'write_off.propose',
              resourceType: 'write_off_proposal',
              resourceId: p.proposalId,
              customerId: null,
              details: { loans: p.loans.length, ruleVersion: p.ruleVersion },
            },
          ],
        };
      });
    },
  );

  app.get<{ Querystring: { status?: StoredWriteOffProposal['status']; limit: number } }>(
    '/write-offs/proposals',
    {
      config: { permission: 'writeoffs.read' },
      schema: {
        ...common,
        summary: 'Write-off proposals, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: ['proposed', 'approved', 'rejected'] },
            limit: { type: 'integer', minimum: 1, maximum: PROPOSALS_PAGE_MAX, default: 50 },
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
      const rows = await listWriteOffProposals(deps.db, {
        limit: request.query.limit,
        ...(request.query.status === undefined ? {} : { status: request.query.status }),
      });
      return { items: rows.map(presentProposal) };
    },
  );

  app.get<{ Params: { proposalId: string } }>(
    '/write-offs/proposals/:proposalId',
    {
      config: { permission: 'writeoffs.read' },
      schema: {
        ...common,
        summary: 'One write-off proposal with its loans',
        params: proposalIdParam,
        response: { 200: proposalSchema, ...problemResponses },
      },
    },
    async (request) => {
      const p = await findWriteOffProposal(deps.db, request.params.proposalId);
      if (p === undefined) {
        throw writeOffProblem(
          new WriteOffError(
            'write_off_proposal_not_found',
            404,
            `no such write-off proposal: ${request.params.proposalId}`,
          ),
        );
      }
      return presentProposal(p);
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    app.post<{ Params: { proposalId: string }; Body: { note?: string } }>(
      `/write-offs/proposals/:proposalId/${decision}`,
      {
        config: { permission: 'writeoffs.approve' },
        schema: {
          ...common,
          summary:
            decision === 'approve'
              ? 'Approve a proposal (a second person, never its proposer): each loan is written off on the business day'
              : 'Reject a proposal (a second person): nothing is written off; its loans may be proposed again',
          headers: idempotencyHeader,
          params: proposalIdParam,
          body: decisionBody,
          response: { 200: proposalSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const userId = request.principal!.userId;
        return commitWrite(deps, request, reply, async (tx) => {
          const day = await getBusinessDay(tx);
          const input = {
            proposalId: request.params.proposalId,
            userId,
            day,
            note: request.body?.note ?? null,
          };
          const p =
            decision === 'approve'
              ? (await guarded(() => approveWriteOffProposal(tx, input))).proposal
              : await guarded(() => rejectWriteOffProposal(tx, input));
          // A case whose past-due loans are now written off closes as such (核销), in the same transaction.
          if (decision === 'approve')
            await refreshOpenCases(
              tx,
              day,
              p.loans.map((l) => l.customerId),
            );
          if (decision === 'approve') await cancelMootRemindersOfLoans(tx, p.loans);
          return {
            status: 200,
            body: presentProposal(p),
            audit: [
              {
                action: `write_off.${decision}`,
                resourceType: 'write_off_proposal',
                resourceId: p.proposalId,
                customerId: null,
                details: { loans: p.loans.length, day: formatDate(day) },
              },
            ],
          };
        });
      },
    );
  }
}
