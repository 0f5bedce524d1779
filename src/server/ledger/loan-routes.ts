import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cancelMootReminders } from '../../jobs/index.js';
import { LedgerInputError, loanAsOf, loanPosition, payoffQuote } from '../../ledger/index.js';
import { type Day, formatDate } from '../../money/index.js';
import {
  type AfterRepaymentFacts,
  afterRepaymentFacts,
  findLoan,
  getBusinessDay,
  type LoanCommand,
  listLoanEvents,
  listLoansPage,
  loadLoanLog,
  loadSnapshots,
  loanListKey,
  type StoredLoan,
} from '../../store/index.js';
import { refreshCaseOfLoan } from '../collections/after-repayment.js';
import { amountSchema } from '../http/amount.js';
import type { ServerDeps } from '../http/context.js';
import { engineRefusal } from '../http/engine-refusals.js';
import { render, say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import {
  bearerSecurity,
  decodeCursor,
  idempotencyHeader,
  idParam,
  keysetPage,
  pageQueryProperties,
  pageResponse,
  problemResponses,
} from '../http/schemas.js';
import { commitLoanCommand, type LoanCommandDone } from './command-write.js';
import { controlLineOfLoan } from './line-controls.js';
import {
  encodeLoanListKey,
  type LoanListQuerystring,
  loanListQuery,
  loanListQueryProperties,
} from './loan-list.js';
import { LEDGER_MESSAGES } from './messages.js';
import {
  presentCommandDone,
  presentEvent,
  presentLoan,
  presentPayoffQuote,
  presentSchedule,
  presentStoredLoan,
} from './presenters.js';
import {
  dateSchema,
  effectiveDay,
  loanNotFound,
  requestAmount,
  requestDate,
  toLedgerProblem,
} from './request.js';
import {
  commandResponse,
  eventResponse,
  loanResponse,
  payoffQuoteResponse,
  scheduleResponse,
} from './schemas.js';

async function loanOrThrow(deps: ServerDeps, loanId: string): Promise<StoredLoan> {
  const loan = await findLoan(deps.db, loanId);
  if (loan === undefined) throw loanNotFound(loanId);
  return loan;
}

function ledgerCall<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw toLedgerProblem(error);
  }
}

const loanIdParam = idParam('loanId', 'Loan id');
const loans = { tags: ['loans'], security: bearerSecurity };

/** The answer and audit entry of a repayment or waiver done. */
function commandOutcome(action: string, done: LoanCommandDone) {
  const { command, after, events } = done;
  return {
    status: 201,
    body: presentCommandDone(done),
    location: `/loans/${after.loanId}`,
    audit: [
      {
        action,
        resourceType: 'loan',
        resourceId: after.loanId,
        customerId: after.customerId,
        details: { amountMinor: command.amountMinor, day: formatDate(command.day), events: events.length },
      },
    ],
  };
}

/**
 * What the one read after a command found, shared by its follow-ups: the repayment route's onSend (line
 * controls, case refresh) and the moot-reminder cancellation, whichever runs first reads it.
 */
const AFTER_COMMAND = new WeakMap<FastifyRequest, AfterRepaymentFacts>();

async function factsAfter(
  deps: ServerDeps,
  request: FastifyRequest,
  loanId: string,
): Promise<AfterRepaymentFacts> {
  const known = AFTER_COMMAND.get(request);
  if (known !== undefined) return known;
  const facts = await afterRepaymentFacts(deps.db, loanId);
  AFTER_COMMAND.set(request, facts);
  return facts;
}

/** A repayment or waiver: dated against the business day, carried out by `commitLoanCommand`. */
function commitCommand(
  deps: ServerDeps,
  request: FastifyRequest<{ Params: { loanId: string } }>,
  reply: FastifyReply,
  action: string,
  dateText: string | undefined,
  build: (day: Day, clientId: string) => LoanCommand,
) {
  const loanId = request.params.loanId;
  let day: Day | undefined;
  const sent = commitLoanCommand(deps, request, reply, {
    loanId,
    command: (businessDay, clientId) => {
      day = businessDay;
      return build(effectiveDay(dateText, businessDay, '/body/effectiveDate'), clientId);
    },
    outcome: (done) => commandOutcome(action, done),
  });
  // Then the reminders the change made moot are cancelled (decision 0615): after the write, whatever
  // strategy carried it out; a failure here leaves them planned and is logged, never fails the payment.
  return sent.then(async (r) => {
    if (day !== undefined && reply.statusCode < 300) {
      const businessDay = day;
      // One indexed read tells whether any follow-up has work (most payments: none), so no transaction
      // is opened for nothing; the line controls and the case refresh read the answer in onSend.
      await factsAfter(deps, request, loanId)
        .then(async (facts) => {
          if (facts.plannedReminders)
            await deps.db.transaction((tx) => cancelMootReminders(tx, loanId, businessDay));
        })
        .catch((error: unknown) => request.log.warn({ err: error, loanId }, 'moot reminders not cancelled'));
    }
    return r;
  });
}

export const repaymentBody = {
  type: 'object',
  required: ['amount'],
  additionalProperties: false,
  properties: {
    amount: amountSchema,
    effectiveDate: dateSchema('Day the money was received; default the business day'),
    excess: {
      type: 'string',
      enum: ['prepay', 'credit'],
      description: 'Money beyond the dues: repay early (default) or keep as credit',
    },
  },
} as const;

export const waiverBody = {
  type: 'object',
  required: ['amount', 'component'],
  additionalProperties: false,
  properties: {
    amount: amountSchema,
    component: { type: 'string', enum: ['penalty', 'interest', 'fee'] },
    effectiveDate: dateSchema('Day the waiver takes effect; default the business day'),
  },
} as const;

/** Repayments (还款) and waivers (减免). */
async function commandRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.post<{
    Params: { loanId: string };
    Body: { amount: string; effectiveDate?: string; excess?: 'prepay' | 'credit' };
  }>(
    '/loans/:loanId/repayments',
    {
      config: { permission: 'loans.repay', idempotencyInTransaction: true },
      // The line controls run before the answer is sent, so the line a client reads next is up to date.
      onSend: async (request, reply, payload) => {
        if (reply.statusCode === 201) {
          const loanId = request.params.loanId;
          // One indexed read decides whether either follow-up has anything to do (most payments: no).
          const facts = await factsAfter(deps, request, loanId).catch((error: unknown) => {
            request.log.warn({ err: error, loanId }, 'repayment follow-ups not checked; EOD applies them');
            return undefined;
          });
          if (facts === undefined) return payload;
          if (facts.lineControlsMayAct) await controlLineOfLoan(deps, loanId, request.log);
          if (facts.openCase) await refreshCaseOfLoan(deps, loanId, request.log);
        }
        return payload;
      },
      schema: {
        ...loans,
        summary:
          'Record a repayment (还款); dated the business day unless effectiveDate says otherwise (backdated up to 90 days)',
        headers: idempotencyHeader,
        params: loanIdParam,
        body: repaymentBody,
        response: { 201: commandResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const amountMinor = requestAmount(deps, request.body.amount, '/body/amount');
      const excess = request.body.excess;
      return commitCommand(
        deps,
        request,
        reply,
        'loan.repay',
        request.body.effectiveDate,
        (day, clientId) => ({
          type: 'repay',
          amountMinor,
          day,
          clientId,
          ...(excess === undefined ? {} : { excess }),
        }),
      );
    },
  );

  app.post<{
    Params: { loanId: string };
    Body: { amount: string; component: 'penalty' | 'interest' | 'fee'; effectiveDate?: string };
  }>(
    '/loans/:loanId/waivers',
    {
      config: { permission: 'loans.waive', idempotencyInTransaction: true },
      schema: {
        ...loans,
        summary: 'Waive (减免) penalty, billed interest or fees; never principal',
        headers: idempotencyHeader,
        params: loanIdParam,
        body: waiverBody,
        response: { 201: commandResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const amountMinor = requestAmount(deps, request.body.amount, '/body/amount');
      const component = request.body.component;
      return commitCommand(
        deps,
        request,
        reply,
        'loan.waive',
        request.body.effectiveDate,
        (day, clientId) => ({
          type: 'waive',
          component,
          amountMinor,
          day,
          clientId,
        }),
      );
    },
  );
}

/** A loan's state on a closed day, from its log and snapshots. */
async function loanOn(deps: ServerDeps, loan: StoredLoan, day: Day, path: string) {
  const log = await loadLoanLog(deps.db, loan.customerId, loan.loanId);
  const snapshots = await loadSnapshots(deps.db, loan.customerId, loan.loanId);
  return ledgerCall(() => {
    try {
      return loanAsOf(log, day, snapshots, loan.state.lastClosedDay);
    } catch (error) {
      if (error instanceof LedgerInputError) {
        const text = engineRefusal(error.code, error.message, '', error.params);
        throw new ProblemError(
          'date_out_of_range',
          say(LEDGER_MESSAGES, 'as_of_refused', {
            en_fault: render(text, 'en'),
            zh_fault: render(text, 'zh-CN'),
          }),
          [fieldProblem(path, text)],
        );
      }
      throw error;
    }
  });
}

/** The loan list and one loan, now or as of a closed day. */
async function loanReadRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get<{ Querystring: LoanListQuerystring }>(
    '/loans',
    {
      config: { permission: 'loans.read' },
      schema: {
        ...loans,
        summary:
          'Loans, filtered by customer, line, status, product, bucket and draw date, searched by id, sorted (keyset pages)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { ...pageQueryProperties(deps.config), ...loanListQueryProperties },
        },
        response: { 200: pageResponse(loanResponse), ...problemResponses },
      },
    },
    async (request) => {
      const query = loanListQuery(request.query);
      const rows = await listLoansPage(deps.db, { ...query, limit: request.query.limit + 1 });
      const { rows: page, nextCursor } = keysetPage(rows, request.query.limit, (r) =>
        encodeLoanListKey(query.sort, loanListKey(r, query.sort), query.order),
      );
      return { items: page.map(presentStoredLoan), nextCursor };
    },
  );

  app.get<{ Params: { loanId: string }; Querystring: { asOf?: string } }>(
    '/loans/:loanId',
    {
      config: { permission: 'loans.read' },
      schema: {
        ...loans,
        summary: 'One loan and its balances, now or ?asOf=DATE (a closed day, from the history)',
        params: loanIdParam,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { asOf: dateSchema('A day the loan has closed') },
        },
        response: { 200: loanResponse, ...problemResponses },
      },
    },
    async (request) => {
      const loan = await loanOrThrow(deps, request.params.loanId);
      if (request.query.asOf === undefined) return presentStoredLoan(loan);
      const day = requestDate(request.query.asOf, '/query/asOf');
      const state = await loanOn(deps, loan, day, '/query/asOf');
      return presentLoan(
        { ...loan, state },
        loanPosition(state),
        loan.state.lastClosedDay,
        state.nextEventDay,
      );
    },
  );
}

/** A loan's plan and dues, payoff quote and event log. */
async function loanDetailRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get<{ Params: { loanId: string } }>(
    '/loans/:loanId/schedule',
    {
      config: { permission: 'loans.read' },
      schema: {
        ...loans,
        summary: 'The current repayment plan (re-amortised after early repayment) and the unpaid dues',
        params: loanIdParam,
        response: { 200: scheduleResponse, ...problemResponses },
      },
    },
    async (request) => presentSchedule((await loanOrThrow(deps, request.params.loanId)).state),
  );

  app.get<{ Params: { loanId: string }; Querystring: { date?: string } }>(
    '/loans/:loanId/payoff-quote',
    {
      config: { permission: 'loans.read' },
      schema: {
        ...loans,
        summary: 'What settles the loan if paid on ?date= (default the business day)',
        params: loanIdParam,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { date: dateSchema('Day of payment') },
        },
        response: { 200: payoffQuoteResponse, ...problemResponses },
      },
    },
    async (request) => {
      const loan = await loanOrThrow(deps, request.params.loanId);
      const day =
        request.query.date === undefined
          ? await getBusinessDay(deps.db)
          : requestDate(request.query.date, '/query/date');
      if (day <= loan.state.startDay) {
        throw new ProblemError(
          'date_out_of_range',
          say(LEDGER_MESSAGES, 'after_drawdown', { startDay: formatDate(loan.state.startDay) }),
          [
            fieldProblem(
              '/query/date',
              say(LEDGER_MESSAGES, 'must_be_after', { date: formatDate(loan.state.startDay) }),
            ),
          ],
        );
      }
      let base = loan.state;
      if (day <= loan.state.lastClosedDay) {
        const log = await loadLoanLog(deps.db, loan.customerId, loan.loanId);
        base = loanAsOf(log, day - 1, await loadSnapshots(deps.db, loan.customerId, loan.loanId));
      }
      return presentPayoffQuote(
        loan.loanId,
        ledgerCall(() => payoffQuote(base, day)),
      );
    },
  );

  app.get<{ Params: { loanId: string }; Querystring: { limit: number; cursor?: string } }>(
    '/loans/:loanId/events',
    {
      config: { permission: 'loans.read' },
      schema: {
        ...loans,
        summary: "The loan's append-only event log in order",
        params: loanIdParam,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: pageQueryProperties(deps.config),
        },
        response: { 200: pageResponse(eventResponse), ...problemResponses },
      },
    },
    async (request) => {
      const loan = await loanOrThrow(deps, request.params.loanId);
      const after = decodeCursor(request.query.cursor, 'number') ?? 0;
      const rows = await listLoanEvents(
        deps.db,
        loan.customerId,
        loan.loanId,
        after,
        request.query.limit + 1,
      );
      const { rows: page, nextCursor } = keysetPage(rows, request.query.limit, (r) => r.seq);
      return { items: page.map(presentEvent), nextCursor };
    },
  );
}

/** Loans: repayments, waivers and reads. */
export async function ledgerLoanRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  await commandRoutes(app, deps);
  await loanReadRoutes(app, deps);
  await loanDetailRoutes(app, deps);
}
