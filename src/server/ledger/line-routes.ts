import type { FastifyInstance } from 'fastify';
import { changeLimit, closeLine, drawdown, freezeLine, openLine, unfreezeLine } from '../../ledger/index.js';
import { formatDate, formatMinor as formatFen } from '../../money/index.js';
import {
  findLine,
  findProduct,
  getBusinessDay,
  insertLine,
  insertLoan,
  listLines,
  newId,
  type Queryable,
  type StoredLine,
  saveLine,
} from '../../store/index.js';
import { amountSchema } from '../http/amount.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
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
import { LEDGER_MESSAGES } from './messages.js';
import { presentLine, presentStoredLoan } from './presenters.js';
import { PRODUCT_ID_PATTERN } from './product-routes.js';
import { lineNotFound, productNotFound, requestAmount } from './request.js';
import { lineResponse, loanResponse } from './schemas.js';
import { commitLedgerWrite } from './write.js';

/** Longest freeze reason kept. */
const FREEZE_REASON_LENGTH_MAX = 200;

async function lineOrThrow(q: Queryable, lineId: string, forUpdate = false): Promise<StoredLine> {
  const line = await findLine(q, lineId, { forUpdate });
  if (line === undefined) throw lineNotFound(lineId);
  return line;
}

/** Credit lines (授信) and drawdowns (借款). */
export async function ledgerLineRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const lines = { tags: ['credit lines'], security: bearerSecurity };

  app.post<{ Params: { customerId: string }; Body: { limit: string } }>(
    '/customers/:customerId/credit-lines',
    {
      config: { permission: 'lines.manage' },
      schema: {
        ...lines,
        summary: 'Open a credit line (授信) for a customer with a limit',
        headers: idempotencyHeader,
        params: idParam('customerId', 'Customer id'),
        body: {
          type: 'object',
          required: ['limit'],
          additionalProperties: false,
          properties: { limit: amountSchema },
        },
        response: { 201: lineResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const limitMinor = requestAmount(deps, request.body.limit, '/body/limit');
      const { customerId } = request.params;
      return commitLedgerWrite(deps, request, reply, async (tx) => {
        const { rows } = await tx.query('select 1 from customers where customer_id = $1', [customerId]);
        if (rows.length === 0) {
          throw new ProblemError(
            'customer_not_found',
            say(LEDGER_MESSAGES, 'customer_not_found', { customerId }),
            [fieldProblem('/path/customerId', say(LEDGER_MESSAGES, 'no_such_customer'))],
          );
        }
        const day = await getBusinessDay(tx);
        const opened = openLine({ lineId: newId('cl'), customerId, limitMinor, day });
        const stored = await insertLine(tx, opened.line);
        return {
          status: 201,
          body: presentLine(stored.state),
          location: `/credit-lines/${stored.lineId}`,
          audit: [
            {
              action: 'credit_line.open',
              resourceType: 'credit_line',
              resourceId: stored.lineId,
              customerId,
              details: { limitMinor },
            },
          ],
        };
      });
    },
  );

  app.get<{ Querystring: { limit: number; cursor?: string; customerId?: string; status?: string } }>(
    '/credit-lines',
    {
      config: { permission: 'lines.read' },
      schema: {
        ...lines,
        summary: 'Credit lines, optionally of one customer or in one status',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties(deps.config),
            customerId: idParam('customerId', 'Customer id').properties.customerId,
            status: { type: 'string', enum: ['active', 'frozen', 'closed'] },
          },
        },
        response: { 200: pageResponse(lineResponse), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const after = decodeCursor(q.cursor, 'string') ?? null;
      const rows = await listLines(
        deps.db,
        {
          ...(q.customerId === undefined ? {} : { customerId: q.customerId }),
          ...(q.status === undefined ? {} : { status: q.status }),
        },
        after,
        q.limit + 1,
      );
      const { rows: page, nextCursor } = keysetPage(rows, q.limit, (r) => r.lineId);
      return {
        items: page.map((l) => presentLine(l.state)),
        nextCursor,
      };
    },
  );

  app.get<{ Params: { lineId: string } }>(
    '/credit-lines/:lineId',
    {
      config: { permission: 'lines.read' },
      schema: {
        ...lines,
        summary: 'One credit line with its used and available amounts',
        params: idParam('lineId', 'Credit line id'),
        response: { 200: lineResponse, ...problemResponses },
      },
    },
    async (request) => presentLine((await lineOrThrow(deps.db, request.params.lineId)).state),
  );

  app.patch<{ Params: { lineId: string }; Body: { limit: string } }>(
    '/credit-lines/:lineId',
    {
      config: { permission: 'lines.manage' },
      schema: {
        ...lines,
        summary: 'Change the limit (调额); loans already drawn are not affected',
        headers: idempotencyHeader,
        params: idParam('lineId', 'Credit line id'),
        body: {
          type: 'object',
          required: ['limit'],
          additionalProperties: false,
          properties: { limit: amountSchema },
        },
        response: { 200: lineResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const limitMinor = requestAmount(deps, request.body.limit, '/body/limit', true);
      return commitLedgerWrite(deps, request, reply, async (tx) => {
        const line = await lineOrThrow(tx, request.params.lineId, true);
        const day = Math.max(await getBusinessDay(tx), line.state.lastEventDay);
        const step = changeLimit(line.state, limitMinor, day);
        const saved = await saveLine(tx, line, step.line);
        return {
          status: 200,
          body: presentLine(saved.state),
          audit: [
            {
              action: 'credit_line.change_limit',
              resourceType: 'credit_line',
              resourceId: line.lineId,
              customerId: line.customerId,
              details: { fromMinor: line.state.limitMinor, toMinor: limitMinor },
            },
          ],
        };
      });
    },
  );

  for (const action of ['freeze', 'unfreeze', 'close'] as const) {
    app.post<{ Params: { lineId: string }; Body: { reason?: string } | undefined }>(
      `/credit-lines/:lineId/${action}`,
      {
        config: { permission: 'lines.manage' },
        schema: {
          ...lines,
          summary:
            action === 'freeze'
              ? 'Freeze the line (冻结): no drawdowns until unfrozen'
              : action === 'unfreeze'
                ? 'Unfreeze a frozen line'
                : 'Close the line (关闭) to new drawdowns; loans drawn run on',
          headers: idempotencyHeader,
          params: idParam('lineId', 'Credit line id'),
          body: {
            type: 'object',
            additionalProperties: false,
            properties:
              action === 'freeze'
                ? { reason: { type: 'string', minLength: 1, maxLength: FREEZE_REASON_LENGTH_MAX } }
                : {},
          },
          response: { 200: lineResponse, ...problemResponses },
        },
      },
      async (request, reply) =>
        commitLedgerWrite(deps, request, reply, async (tx) => {
          const line = await lineOrThrow(tx, request.params.lineId, true);
          const day = Math.max(await getBusinessDay(tx), line.state.lastEventDay);
          const step =
            action === 'freeze'
              ? freezeLine(line.state, request.body?.reason ?? 'no reason given', day)
              : action === 'unfreeze'
                ? unfreezeLine(line.state, day)
                : closeLine(line.state, day);
          const saved = await saveLine(tx, line, step.line);
          return {
            status: 200,
            body: presentLine(saved.state),
            audit: [
              {
                action: `credit_line.${action}`,
                resourceType: 'credit_line',
                resourceId: line.lineId,
                customerId: line.customerId,
                details: {},
              },
            ],
          };
        }),
    );
  }

  app.post<{
    Params: { lineId: string };
    Body: { amount: string; productId: string; productVersion?: number };
  }>(
    '/credit-lines/:lineId/drawdowns',
    {
      config: { permission: 'loans.draw' },
      schema: {
        tags: ['loans'],
        security: bearerSecurity,
        summary:
          'Draw on a credit line (借款): a new loan with the product’s schedule, dated the business day',
        headers: idempotencyHeader,
        params: idParam('lineId', 'Credit line id'),
        body: {
          type: 'object',
          required: ['amount', 'productId'],
          additionalProperties: false,
          properties: {
            amount: amountSchema,
            productId: { type: 'string', pattern: PRODUCT_ID_PATTERN },
            productVersion: {
              type: 'integer',
              minimum: 1,
              maximum: 1_000_000,
              description: 'Default: latest',
            },
          },
        },
        response: { 201: loanResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const principalMinor = requestAmount(deps, request.body.amount, '/body/amount');
      return commitLedgerWrite(deps, request, reply, async (tx) => {
        const product = await findProduct(tx, request.body.productId, request.body.productVersion);
        if (product === undefined) throw productNotFound(request.body.productId, '/body/productId');
        const line = await lineOrThrow(tx, request.params.lineId, true);
        const day = await getBusinessDay(tx);
        if (day < line.state.lastEventDay) {
          throw new ProblemError(
            'ledger_refused',
            say(LEDGER_MESSAGES, 'line_events_ahead', {
              lineId: line.lineId,
              eventDay: formatDate(line.state.lastEventDay),
              businessDay: formatDate(day),
            }),
          );
        }
        const r = drawdown(line.state, {
          loanId: newId('ln'),
          product: product.product,
          principalMinor,
          day,
        });
        await saveLine(tx, line, r.line);
        const loan = await insertLoan(tx, { productVersion: product.version, opened: r.loan });
        return {
          status: 201,
          body: presentStoredLoan(loan),
          location: `/loans/${loan.loanId}`,
          audit: [
            {
              action: 'loan.draw',
              resourceType: 'loan',
              resourceId: loan.loanId,
              customerId: loan.customerId,
              details: {
                lineId: line.lineId,
                principal: formatFen(principalMinor),
                productId: product.productId,
              },
            },
          ],
        };
      });
    },
  );
}
