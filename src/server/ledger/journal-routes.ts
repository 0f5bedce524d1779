import type { FastifyInstance } from 'fastify';
import { accountTotalsThrough, getBusinessDay, listPostings } from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import {
  bearerSecurity,
  decodeCursor,
  idParam,
  keysetPage,
  pageQueryProperties,
  pageResponse,
  problemResponses,
} from '../http/schemas.js';
import { LEDGER_MESSAGES } from './messages.js';
import { presentPosting, presentTrialBalance } from './presenters.js';
import { dateSchema, requestDate } from './request.js';
import { postingResponse, trialBalanceResponse } from './schemas.js';

const journal = { tags: ['journal'], security: bearerSecurity };

interface PostingsQuerystring {
  limit: number;
  cursor?: string;
  loanId?: string;
  customerId?: string;
  from?: string;
  to?: string;
}

/** The journal (记账凭证) and the trial balance. */
export async function ledgerJournalRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get<{ Querystring: PostingsQuerystring }>(
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
            loanId: idParam('loanId', 'Loan id').properties.loanId,
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
        const names = { fromName: 'from', toName: 'to' };
        throw new ProblemError(
          'date_out_of_range',
          say(LEDGER_MESSAGES, 'range_reversed', { ...names, from: q.from ?? '', to: q.to ?? '' }),
          [fieldProblem('/query/from', say(LEDGER_MESSAGES, 'on_or_before_field', names))],
        );
      }
      const after = decodeCursor(q.cursor, 'number') ?? 0;
      const filter = {
        ...(q.loanId === undefined ? {} : { loanId: q.loanId }),
        ...(q.customerId === undefined ? {} : { customerId: q.customerId }),
        ...(fromDay === undefined ? {} : { fromDay }),
        ...(toDay === undefined ? {} : { toDay }),
      };
      const rows = await listPostings(deps.db, filter, after, q.limit + 1);
      const { rows: page, nextCursor } = keysetPage(rows, q.limit, (r) => r.postingNo);
      return { items: page.map(presentPosting), nextCursor };
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
        response: { 200: trialBalanceResponse, ...problemResponses },
      },
    },
    async (request) => {
      const day =
        request.query.date === undefined
          ? await getBusinessDay(deps.db)
          : requestDate(request.query.date, '/query/date');
      return presentTrialBalance(day, await accountTotalsThrough(deps.db, day));
    },
  );
}
