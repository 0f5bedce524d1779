import type { FastifyInstance, FastifyRequest } from 'fastify';
import { loanPosition } from '../../ledger/index.js';
import { formatDate, formatMinor } from '../../money/index.js';
import { IMPACT_MONTHS_MAX } from '../../reporting/index.js';
import { findLoan, lastFreeze, listLines, listLoansPage, type StoredLoan } from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import { idParam, problemResponses } from '../http/schemas.js';
import { IMPACT_MONTHS_DEFAULT, impactResponse, presentLoanImpact } from '../impact/routes.js';
import { presentLine, presentPayoffQuote, presentSchedule, presentStoredLoan } from '../ledger/presenters.js';
import { loanResponse, payoffQuoteResponse, scheduleResponse } from '../ledger/schemas.js';
import { auditBorrowerRead, borrowerOf, borrowerSecurity, requireBorrower } from './auth.js';
import {
  overdueOf,
  presentNextDue,
  presentOption,
  presentUpcoming,
  repaymentOptions,
} from './loan-figures.js';
import { PORTAL_MESSAGES } from './messages.js';

/** Loans and lines one borrower may hold at most: the portal lists them on one page. */
export const PORTAL_LIST_MAX = 100;

const money = { type: 'string' } as const;

const nextDueSchema = {
  type: ['object', 'null'],
  description: 'The next instalment to pay: the oldest unpaid bill, or the next in the plan; null when none',
  required: ['dueDate', 'amount', 'installmentNumber', 'overdue'],
  properties: {
    dueDate: { type: 'string' },
    amount: money,
    installmentNumber: { type: 'integer' },
    overdue: { type: 'boolean' },
  },
} as const;

const upcomingSchema = {
  type: ['object', 'null'],
  description:
    'The next instalment not yet due, after whatever is overdue: what a borrower in arrears also has coming; null when no instalment is left to fall due',
  required: ['dueDate', 'amount', 'installmentNumber'],
  properties: {
    dueDate: { type: 'string' },
    amount: money,
    installmentNumber: { type: 'integer' },
  },
} as const;

const overdueSchema = {
  type: 'object',
  required: ['principal', 'interest', 'fee', 'penalty', 'total'],
  properties: {
    principal: money,
    interest: money,
    fee: money,
    penalty: { ...money, description: '罚息 penalty interest' },
    total: money,
  },
} as const;

const portalLoanSchema = {
  type: 'object',
  required: ['loan', 'nextDue', 'upcoming', 'overdue'],
  properties: {
    loan: loanResponse,
    nextDue: nextDueSchema,
    upcoming: upcomingSchema,
    overdue: overdueSchema,
  },
} as const;

const optionSchema = {
  type: 'object',
  required: ['purpose', 'amount'],
  properties: { purpose: { type: 'string', enum: ['instalment', 'overdue', 'payoff'] }, amount: money },
} as const;

export const repaymentQuoteSchema = {
  type: 'object',
  required: ['loanId', 'date', 'options', 'payoffQuote'],
  properties: {
    loanId: { type: 'string' },
    date: { type: 'string', description: 'The business day the amounts are for' },
    options: { type: 'array', items: optionSchema },
    payoffQuote: { anyOf: [payoffQuoteResponse, { type: 'null' }] },
  },
} as const;

/** The borrower's own loan, or 404 as if there were none (another's loan is not confirmed to exist). */
export async function ownLoan(
  deps: ServerDeps,
  request: FastifyRequest,
  loanId: string,
): Promise<StoredLoan> {
  const loan = await findLoan(deps.db, loanId);
  if (loan === undefined || loan.customerId !== borrowerOf(request).customerId) {
    throw new ProblemError('loan_not_found', say(PORTAL_MESSAGES, 'loan_not_yours', { loanId }), [
      fieldProblem('/params/loanId', say(PORTAL_MESSAGES, 'no_such_loan')),
    ]);
  }
  return loan;
}

function presentPortalLoan(loan: StoredLoan) {
  const { totalMinor: _total, ...overdue } = overdueOf(loanPosition(loan.state));
  return {
    loan: presentStoredLoan(loan),
    nextDue: presentNextDue(loan.state),
    upcoming: presentUpcoming(loan.state),
    overdue,
  };
}

export async function portalReadRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const common = { tags: ['portal'], security: borrowerSecurity } as const;
  const guard = { config: { borrower: true }, preHandler: requireBorrower } as const;
  const loanParams = idParam('loanId', 'Loan id');

  app.get(
    '/portal/lines',
    {
      ...guard,
      schema: {
        ...common,
        summary:
          'The borrower’s credit lines: limit, used, available, and why and until when a frozen line is frozen',
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['lineId', 'status', 'currency', 'limit', 'used', 'available', 'freeze'],
                  properties: {
                    lineId: { type: 'string' },
                    status: { type: 'string' },
                    currency: { type: 'string' },
                    limit: money,
                    used: money,
                    available: money,
                    openedOn: { type: 'string' },
                    freeze: {
                      type: ['object', 'null'],
                      required: ['reason', 'code', 'since', 'liftsOnCure'],
                      properties: {
                        reason: { type: 'string' },
                        code: { type: ['string', 'null'] },
                        since: { type: ['string', 'null'] },
                        liftsOnCure: {
                          type: 'boolean',
                          description:
                            'true: lifted once every past-due instalment is repaid; false: staff lift it',
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { customerId } = borrowerOf(request);
      const lines = await listLines(deps.db, { customerId }, null, PORTAL_LIST_MAX);
      const items = [];
      for (const line of lines) {
        const p = presentLine(line.state);
        const freeze = line.state.status === 'frozen' ? await lastFreeze(deps.db, line.lineId) : undefined;
        items.push({
          lineId: p.lineId,
          status: p.status,
          currency: p.currency,
          limit: p.limit,
          used: p.used,
          available: p.status === 'active' ? p.available : formatMinor(0),
          openedOn: p.openedOn,
          freeze:
            line.state.status !== 'frozen'
              ? null
              : {
                  reason: freeze?.reason ?? '',
                  code: freeze?.code ?? null,
                  since: freeze === undefined ? null : formatDate(freeze.day),
                  liftsOnCure: freeze?.source === 'control',
                },
        });
      }
      await auditBorrowerRead(deps, request, 'credit_line', customerId, ['lines']);
      return { items };
    },
  );

  app.get(
    '/portal/loans',
    {
      ...guard,
      schema: {
        ...common,
        summary:
          'The borrower’s loans with what is due next and what is overdue (interest and penalty to the fen)',
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: portalLoanSchema } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { customerId } = borrowerOf(request);
      const loans = await listLoansPage(deps.db, {
        customerId,
        sort: 'openedDay',
        order: 'desc',
        after: null,
        limit: PORTAL_LIST_MAX,
      });
      await auditBorrowerRead(deps, request, 'loan', customerId, ['loans']);
      return { items: loans.map(presentPortalLoan) };
    },
  );

  app.get<{ Params: { loanId: string } }>(
    '/portal/loans/:loanId',
    {
      ...guard,
      schema: {
        ...common,
        summary:
          'One of the borrower’s loans: balances, the plan and unpaid bills, what is due next, what is overdue',
        params: loanParams,
        response: {
          200: {
            type: 'object',
            required: ['loan', 'nextDue', 'upcoming', 'overdue', 'schedule'],
            properties: { ...portalLoanSchema.properties, schedule: scheduleResponse },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const loan = await ownLoan(deps, request, request.params.loanId);
      await auditBorrowerRead(deps, request, 'loan', loan.loanId, ['loan', 'schedule']);
      return { ...presentPortalLoan(loan), schedule: presentSchedule(loan.state) };
    },
  );

  app.get<{ Params: { loanId: string }; Querystring: { months: number } }>(
    '/portal/loans/:loanId/impact',
    {
      ...guard,
      schema: {
        ...common,
        summary:
          'What staying overdue would mean, month end by month end, if nothing more is paid: credit report, collection stage, the limitation period',
        params: loanParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            months: {
              type: 'integer',
              minimum: 1,
              maximum: IMPACT_MONTHS_MAX,
              default: IMPACT_MONTHS_DEFAULT,
            },
          },
        },
        response: { 200: impactResponse, ...problemResponses },
      },
    },
    async (request) => {
      const loan = await ownLoan(deps, request, request.params.loanId);
      if (loan.state.status !== 'active') {
        throw new ProblemError('loan_settled', say(PORTAL_MESSAGES, 'loan_closed', { loanId: loan.loanId }));
      }
      await auditBorrowerRead(deps, request, 'loan', loan.loanId, ['impact']);
      return presentLoanImpact(loan, request.query.months);
    },
  );

  app.get<{ Params: { loanId: string } }>(
    '/portal/loans/:loanId/repayment-quote',
    {
      ...guard,
      schema: {
        ...common,
        summary:
          'What the borrower may pay today: the next instalment, the overdue amount, the whole loan (with the payoff quote)',
        params: loanParams,
        response: { 200: repaymentQuoteSchema, ...problemResponses },
      },
    },
    async (request) => {
      const loan = await ownLoan(deps, request, request.params.loanId);
      const { day, options, quote } = await repaymentOptions(deps.db, loan);
      await auditBorrowerRead(deps, request, 'loan', loan.loanId, ['repayment_quote']);
      return {
        loanId: loan.loanId,
        date: formatDate(day),
        options: options.map(presentOption),
        payoffQuote: quote === null ? null : presentPayoffQuote(loan.loanId, quote),
      };
    },
  );
}
