import type { FastifyInstance } from 'fastify';
import { countLoans } from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { bearerSecurity, problemResponses } from '../http/schemas.js';
import { type LoanListQuerystring, loanListQuery, loanListQueryProperties } from './loan-list.js';

/** The filters of `GET /loans`, without its page, cursor and order. */
const { sort: _sort, order: _order, ...filterProperties } = loanListQueryProperties;

/**
 * `GET /loans/count`: how many loans `GET /loans` lists with the same filters, for a list that shows its
 * total above keyset pages (which never count). One `count(*)` over the filtered rows.
 */
export async function loanCountRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get<{ Querystring: Omit<LoanListQuerystring, 'limit' | 'cursor' | 'sort' | 'order'> }>(
    '/loans/count',
    {
      config: { permission: 'loans.read' },
      schema: {
        tags: ['loans'],
        security: bearerSecurity,
        summary: 'How many loans GET /loans lists with the same filters',
        querystring: { type: 'object', additionalProperties: false, properties: filterProperties },
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['count'],
            properties: { count: { type: 'integer', minimum: 0 } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { sort: _s, order: _o, after: _a, ...filter } = loanListQuery({ ...request.query, limit: 1 });
      return { count: await countLoans(deps.db, filter) };
    },
  );
}
