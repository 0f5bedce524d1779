import type { FastifyInstance } from 'fastify';
import {
  type CreditLineState,
  changeLimit,
  closeLine,
  drawdown,
  freezeLine,
  openLine,
  unfreezeLine,
} from '../../ledger/index.js';
import { type Day, formatDate, formatMinor as formatFen } from '../../money/index.js';
import {
  findLine,
  findProduct,
  getBusinessDay,
  insertLine,
  insertLineChanges,
  insertLoan,
  type LineChangeRecord,
  lastFreeze,
  listLineChanges,
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
import { lineDetailResponse, lineResponse, loanResponse } from './schemas.js';
import { commitLedgerWrite } from './write.js';

/** Longest freeze reason kept. */
const FREEZE_REASON_LENGTH_MAX = 200;

async function lineOrThrow(q: Queryable, lineId: string, forUpdate = false): Promise<StoredLine> {
  const line = await findLine(q, lineId, { forUpdate });
  if (line === undefined) throw lineNotFound(lineId);
  return line;
}

/** Until when a freeze holds: the controls lift theirs on cure; an operator's stays until unfrozen. */
function freezeUntil(freeze: LineChangeRecord | undefined): string {
  return freeze?.source === 'control'
    ? 'until every past-due instalment on the line is repaid (cure), when the line controls unfreeze it'
    : 'until an operator unfreezes it (POST /credit-lines/{lineId}/unfreeze)';
}

function presentChange(c: LineChangeRecord) {
  return {
    day: formatDate(c.day),
    kind: c.kind,
    fromStatus: c.fromStatus,
    toStatus: c.toStatus,
    fromLimit: formatFen(c.fromLimitMinor),
    toLimit: formatFen(c.toLimitMinor),
    source: c.source,
    code: c.code,
    reason: c.reason,
    policyVersion: c.policyVersion,
  };
}

/** The freeze of a frozen line as the API shows it. */
function presentFreeze(freeze: LineChangeRecord | undefined) {
  return {
    reason: freeze?.reason ?? 'frozen before the line kept a history',
    code: freeze?.code ?? null,
    source: freeze?.source ?? null,
    since: freeze === undefined ? null : formatDate(freeze.day),
    until: freezeUntil(freeze),
  };
}

/** A frozen line refuses a drawdown saying why, since when and until when. */
async function refuseIfFrozen(q: Queryable, line: StoredLine): Promise<void> {
  if (line.state.status !== 'frozen') return;
  const freeze = await lastFreeze(q, line.lineId);
  const since = freeze === undefined ? undefined : formatDate(freeze.day);
  const byControl = freeze?.source === 'control';
  throw new ProblemError(
    'line_frozen',
    say(LEDGER_MESSAGES, 'line_frozen', {
      lineId: line.lineId,
      en_since: since === undefined ? '' : ` since ${since}`,
      zh_since: since === undefined ? '' : `（自 ${since} 起）`,
      en_reason: freeze?.reason ?? 'no reason kept',
      // The reason is the policy's or the operator's own words; the code names the rule in any language.
      zh_reason: freeze === undefined ? '未保留原因' : `${freeze.reason}（${freeze.code ?? '人工冻结'}）`,
      en_until: freezeUntil(freeze),
      zh_until: byControl
        ? '在该额度下所有逾期期次还清（治愈）、额度管控自动解冻'
        : '在操作员解冻（POST /credit-lines/{lineId}/unfreeze）',
    }),
    [
      fieldProblem(
        '/path/lineId',
        say(LEDGER_MESSAGES, 'line_frozen_field', { code: freeze?.code ?? 'manual' }),
      ),
    ],
  );
}

/** One history row of an operator's change to a line. */
function operatorChange(
  before: CreditLineState,
  after: CreditLineState,
  kind: 'frozen' | 'unfrozen' | 'limit-changed' | 'closed',
  reason: string,
  day: Day,
) {
  return {
    kind,
    fromStatus: before.status,
    toStatus: after.status,
    fromLimitMinor: before.limitMinor,
    toLimitMinor: after.limitMinor,
    code: `OPERATOR_${kind.toUpperCase().replace('-', '_')}`,
    reason,
    day,
  };
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
        summary:
          'One credit line with its used and available amounts, the reason for a freeze and its history of status and limit',
        params: idParam('lineId', 'Credit line id'),
        response: { 200: lineDetailResponse, ...problemResponses },
      },
    },
    async (request) => {
      const line = await lineOrThrow(deps.db, request.params.lineId);
      const history = await listLineChanges(deps.db, line.lineId);
      const freeze = [...history].reverse().find((c) => c.kind === 'frozen');
      return {
        ...presentLine(line.state),
        freeze: line.state.status === 'frozen' ? presentFreeze(freeze) : null,
        history: history.map(presentChange),
      };
    },
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
        await insertLineChanges(
          tx,
          line,
          [operatorChange(line.state, step.line, 'limit-changed', 'limit changed by an operator', day)],
          { source: 'operator', actor: request.principal?.userId ?? null },
        );
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
          const kind = action === 'freeze' ? 'frozen' : action === 'unfreeze' ? 'unfrozen' : 'closed';
          const reason =
            action === 'freeze'
              ? (request.body?.reason ?? 'no reason given')
              : `${action === 'close' ? 'closed' : 'unfrozen'} by an operator`;
          await insertLineChanges(tx, line, [operatorChange(line.state, step.line, kind, reason, day)], {
            source: 'operator',
            actor: request.principal?.userId ?? null,
          });
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
        await refuseIfFrozen(tx, line);
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
