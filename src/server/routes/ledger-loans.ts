import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type BackdatedCommand,
  LedgerInputError,
  type LoanEvent,
  loanAsOf,
  loanPosition,
  payoffQuote,
} from '../../ledger/index.js';
import { type Day, formatDate } from '../../money/index.js';
import {
  accountTotalsThrough,
  applyLoanCommand,
  findLoan,
  getBusinessDay,
  listLoanEvents,
  listLoansPage,
  listPostings,
  loadLoanLog,
  loadSnapshots,
  loanListKey,
  planCommand,
  type StoredLoan,
} from '../../store/index.js';
import { amountSchema, formatFen } from '../amount.js';
import type { ServerDeps } from '../context.js';
import {
  commitLedgerWrite,
  dateSchema,
  effectiveDay,
  installmentResponse,
  loanNotFound,
  loanResponse,
  presentDetail,
  presentInstallment,
  presentLoan,
  requestAmount,
  requestDate,
  toLedgerProblem,
} from '../ledger-support.js';
import {
  encodeLoanListKey,
  type LoanListQuerystring,
  loanListQuery,
  loanListQueryProperties,
} from '../loan-list.js';
import { ProblemError } from '../problem.js';
import {
  bearerSecurity,
  decodeCursor,
  idempotencyHeader,
  idParam,
  keysetPage,
  pageQueryProperties,
  pageResponse,
  problemResponses,
} from '../schemas.js';

const money = { type: 'string' } as const;

const commandResponse = {
  type: 'object',
  required: ['loan', 'effectiveDate', 'amount', 'events'],
  properties: {
    loan: loanResponse,
    effectiveDate: { type: 'string' },
    amount: money,
    backdated: { type: 'boolean', description: 'true when dated on a day the loan had already closed' },
    events: {
      type: 'array',
      description: 'The events the change appended (end-of-day catch-up first, then the command)',
      items: { type: 'object', additionalProperties: true },
    },
  },
} as const;

const eventResponse = {
  type: 'object',
  required: ['seq', 'day', 'type', 'recordedAt', 'detail'],
  properties: {
    seq: { type: 'integer' },
    day: { type: 'string' },
    type: { type: 'string' },
    clientId: { type: ['string', 'null'] },
    recordedAt: { type: 'string', format: 'date-time' },
    detail: { type: 'object', additionalProperties: true },
  },
} as const;

const postingResponse = {
  type: 'object',
  required: ['postingNo', 'customerId', 'loanId', 'day', 'eventSeq', 'eventRef', 'lines'],
  properties: {
    postingNo: { type: 'integer' },
    customerId: { type: 'string' },
    loanId: { type: 'string' },
    day: { type: 'string' },
    eventSeq: { type: 'integer' },
    eventRef: { type: 'string' },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        required: ['account'],
        properties: { account: { type: 'string' }, debit: money, credit: money },
      },
    },
  },
} as const;

function present(loan: StoredLoan) {
  return presentLoan(loan, loanPosition(loan.state), loan.state.lastClosedDay, loan.state.nextEventDay);
}

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

export async function ledgerLoanRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const loans = { tags: ['loans'], security: bearerSecurity };
  const journal = { tags: ['journal'], security: bearerSecurity };

  /** A repayment or waiver: dated, applied to the locked loan, answered with the loan and the events. */
  async function command(
    request: FastifyRequest<{ Params: { loanId: string } }>,
    reply: FastifyReply,
    build: (day: Day, clientId: string) => BackdatedCommand,
    dateText: string | undefined,
    action: string,
  ) {
    const userId = request.principal?.userId ?? '';
    const key = request.idempotency?.key ?? '';
    const clientId = `${userId}:${key}`;
    const outcome = (
      day: Day,
      cmd: BackdatedCommand,
      before: StoredLoan,
      after: StoredLoan,
      events: readonly LoanEvent[],
    ) => ({
      status: 201,
      body: {
        loan: present(after),
        effectiveDate: formatDate(day),
        amount: formatFen(cmd.amountMinor),
        backdated: day <= before.state.lastClosedDay,
        events: events.map((e) => presentDetail(e) as Record<string, unknown>),
      },
      location: `/loans/${after.loanId}`,
      audit: [
        {
          action,
          resourceType: 'loan',
          resourceId: after.loanId,
          customerId: after.customerId,
          details: { amountMinor: cmd.amountMinor, day: formatDate(day), events: events.length },
        },
      ],
    });
    return commitLedgerWrite(
      deps,
      request,
      reply,
      async (tx) => {
        const businessDay = await getBusinessDay(tx);
        const day = effectiveDay(dateText, businessDay, '/body/effectiveDate');
        const cmd = build(day, clientId);
        const r = await applyLoanCommand(tx, request.params.loanId, cmd);
        return outcome(day, cmd, r.before, r.after, r.events);
      },
      async (io, seal) => {
        const target = { loanId: request.params.loanId, clientId, userId, idempotencyKey: key };
        const locked = await io.read(target);
        if (locked === undefined) return undefined;
        const day = effectiveDay(dateText, locked.businessDay, '/body/effectiveDate');
        const cmd = build(day, clientId);
        const plan = planCommand(locked, cmd);
        if (plan === undefined) return undefined;
        const sealed = seal(outcome(day, cmd, plan.before, plan.after, plan.events));
        await io.write({ pending: plan.pending, records: sealed });
        return sealed;
      },
    );
  }

  app.post<{
    Params: { loanId: string };
    Body: { amount: string; effectiveDate?: string; excess?: 'prepay' | 'credit' };
  }>(
    '/loans/:loanId/repayments',
    {
      config: { permission: 'loans.repay', idempotencyInTransaction: true },
      schema: {
        ...loans,
        summary:
          'Record a repayment (还款); dated the business day unless effectiveDate says otherwise (backdated up to 90 days)',
        headers: idempotencyHeader,
        params: loanIdParam,
        body: {
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
        },
        response: { 201: commandResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const amountMinor = requestAmount(deps, request.body.amount, '/body/amount');
      const excess = request.body.excess;
      return command(
        request,
        reply,
        (day, clientId) => ({
          type: 'repay',
          amountMinor,
          day,
          clientId,
          ...(excess === undefined ? {} : { excess }),
        }),
        request.body.effectiveDate,
        'loan.repay',
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
        body: {
          type: 'object',
          required: ['amount', 'component'],
          additionalProperties: false,
          properties: {
            amount: amountSchema,
            component: { type: 'string', enum: ['penalty', 'interest', 'fee'] },
            effectiveDate: dateSchema('Day the waiver takes effect; default the business day'),
          },
        },
        response: { 201: commandResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const amountMinor = requestAmount(deps, request.body.amount, '/body/amount');
      const component = request.body.component;
      return command(
        request,
        reply,
        (day, clientId) => ({ type: 'waive', component, amountMinor, day, clientId }),
        request.body.effectiveDate,
        'loan.waive',
      );
    },
  );

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
          properties: {
            ...pageQueryProperties(deps.config),
            ...loanListQueryProperties,
          },
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
      return {
        items: page.map(present),
        nextCursor,
      };
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
      if (request.query.asOf === undefined) return present(loan);
      const day = requestDate(request.query.asOf, '/query/asOf');
      const log = await loadLoanLog(deps.db, loan.customerId, loan.loanId);
      const snapshots = await loadSnapshots(deps.db, loan.customerId, loan.loanId);
      const state = ledgerCall(() => {
        try {
          return loanAsOf(log, day, snapshots, loan.state.lastClosedDay);
        } catch (error) {
          if (error instanceof LedgerInputError) {
            throw new ProblemError('date_out_of_range', `asOf: ${error.message}`, [
              { path: '/query/asOf', message: error.message },
            ]);
          }
          throw error;
        }
      });
      return presentLoan(
        { ...loan, state },
        loanPosition(state),
        loan.state.lastClosedDay,
        state.nextEventDay,
      );
    },
  );

  app.get<{ Params: { loanId: string } }>(
    '/loans/:loanId/schedule',
    {
      config: { permission: 'loans.read' },
      schema: {
        ...loans,
        summary: 'The current repayment plan (re-amortised after early repayment) and the unpaid dues',
        params: loanIdParam,
        response: {
          200: {
            type: 'object',
            required: ['loanId', 'plan', 'dues'],
            properties: {
              loanId: { type: 'string' },
              plan: { type: 'array', items: installmentResponse },
              dues: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['installmentNumber', 'dueDate', 'principal', 'interest', 'fee', 'overdue'],
                  properties: {
                    installmentNumber: { type: 'integer' },
                    dueDate: { type: 'string' },
                    principal: money,
                    interest: money,
                    fee: money,
                    overdue: { type: 'boolean' },
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
      const s = (await loanOrThrow(deps, request.params.loanId)).state;
      return {
        loanId: s.loanId,
        plan: s.plan.map(presentInstallment),
        dues: s.dues.map((d) => ({
          installmentNumber: d.installmentNumber,
          dueDate: formatDate(d.dueDay),
          principal: formatFen(d.principalMinor),
          interest: formatFen(d.interestMinor),
          fee: formatFen(d.feeMinor),
          overdue: d.overdue,
        })),
      };
    },
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
        response: {
          200: {
            type: 'object',
            required: ['loanId', 'date', 'principal', 'interest', 'fee', 'penalty', 'credit', 'total'],
            properties: {
              loanId: { type: 'string' },
              date: { type: 'string' },
              principal: money,
              interest: money,
              fee: money,
              penalty: money,
              credit: money,
              total: money,
            },
          },
          ...problemResponses,
        },
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
          `date must be after the drawdown day ${formatDate(loan.state.startDay)}`,
          [{ path: '/query/date', message: `must be after ${formatDate(loan.state.startDay)}` }],
        );
      }
      let base = loan.state;
      if (day <= loan.state.lastClosedDay) {
        const log = await loadLoanLog(deps.db, loan.customerId, loan.loanId);
        base = loanAsOf(log, day - 1, await loadSnapshots(deps.db, loan.customerId, loan.loanId));
      }
      const q = ledgerCall(() => payoffQuote(base, day));
      return {
        loanId: loan.loanId,
        date: formatDate(q.day),
        principal: formatFen(q.principalMinor),
        interest: formatFen(q.interestMinor),
        fee: formatFen(q.feeMinor),
        penalty: formatFen(q.penaltyMinor),
        credit: formatFen(q.creditMinor),
        total: formatFen(q.totalMinor),
      };
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
      return {
        items: page.map((e) => ({
          seq: e.seq,
          day: formatDate(e.day),
          type: e.type,
          clientId: e.clientId,
          recordedAt: e.recordedAt,
          detail: presentDetail(e.event as LoanEvent) as Record<string, unknown>,
        })),
        nextCursor,
      };
    },
  );

  app.get<{
    Querystring: {
      limit: number;
      cursor?: string;
      loanId?: string;
      customerId?: string;
      from?: string;
      to?: string;
    };
  }>(
    '/postings',
    {
      config: { permission: 'journal.read' },
      schema: {
        ...journal,
        summary: 'The journal (记账凭证) in posting order, filtered by loan, customer and day range',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties(deps.config),
            loanId: loanIdParam.properties.loanId,
            customerId: idParam('customerId', 'Customer id').properties.customerId,
            from: dateSchema('First day'),
            to: dateSchema('Last day'),
          },
        },
        response: { 200: pageResponse(postingResponse), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const fromDay = q.from === undefined ? undefined : requestDate(q.from, '/query/from');
      const toDay = q.to === undefined ? undefined : requestDate(q.to, '/query/to');
      if (fromDay !== undefined && toDay !== undefined && fromDay > toDay) {
        throw new ProblemError('date_out_of_range', `from ${q.from} is after to ${q.to}; swap them`, [
          { path: '/query/from', message: 'must be on or before to' },
        ]);
      }
      const after = decodeCursor(q.cursor, 'number') ?? 0;
      const rows = await listPostings(
        deps.db,
        {
          ...(q.loanId === undefined ? {} : { loanId: q.loanId }),
          ...(q.customerId === undefined ? {} : { customerId: q.customerId }),
          ...(fromDay === undefined ? {} : { fromDay }),
          ...(toDay === undefined ? {} : { toDay }),
        },
        after,
        q.limit + 1,
      );
      const { rows: page, nextCursor } = keysetPage(rows, q.limit, (r) => r.postingNo);
      return {
        items: page.map((p) => ({
          postingNo: p.postingNo,
          customerId: p.customerId,
          loanId: p.loanId,
          day: formatDate(p.day),
          eventSeq: p.eventSeq,
          eventRef: p.eventRef,
          lines: p.lines.map((l) =>
            'debitMinor' in l
              ? { account: l.account, debit: formatFen(l.debitMinor) }
              : { account: l.account, credit: formatFen(l.creditMinor) },
          ),
        })),
        nextCursor,
      };
    },
  );

  app.get<{ Querystring: { date?: string } }>(
    '/trial-balance',
    {
      config: { permission: 'journal.read' },
      schema: {
        ...journal,
        summary:
          'Debit and credit totals per account over postings dated on or before ?date= (default the business day)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { date: dateSchema('Last day included') },
        },
        response: {
          200: {
            type: 'object',
            required: ['date', 'accounts', 'totalDebit', 'totalCredit', 'balanced'],
            properties: {
              date: { type: 'string' },
              accounts: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['account', 'debit', 'credit'],
                  properties: { account: { type: 'string' }, debit: money, credit: money },
                },
              },
              totalDebit: money,
              totalCredit: money,
              balanced: { type: 'boolean' },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const day =
        request.query.date === undefined
          ? await getBusinessDay(deps.db)
          : requestDate(request.query.date, '/query/date');
      const totals = await accountTotalsThrough(deps.db, day);
      let debit = 0;
      let credit = 0;
      for (const t of totals) {
        debit += t.debitMinor;
        credit += t.creditMinor;
      }
      return {
        date: formatDate(day),
        accounts: totals.map((t) => ({
          account: t.account,
          debit: formatFen(t.debitMinor),
          credit: formatFen(t.creditMinor),
        })),
        totalDebit: formatFen(debit),
        totalCredit: formatFen(credit),
        balanced: debit === credit,
      };
    },
  );
}
