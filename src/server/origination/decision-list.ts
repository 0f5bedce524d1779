import type { FastifyInstance } from 'fastify';
import { formatDate, formatMinor } from '../../money/index.js';
import type { DecisionOutcome } from '../../origination/index.js';
import { type DecisionListAfter, type DecisionListRow, listDecisions } from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { KERNEL_MESSAGES } from '../http/kernel-messages.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import {
  bearerSecurity,
  decodeCursor,
  encodeCursor,
  pageQueryProperties,
  pageResponse,
  problemResponses,
} from '../http/schemas.js';
import { dateSchema, requestDate } from '../ledger/index.js';
import { ORIGINATION_MESSAGES } from './messages.js';

const nullableString = { type: ['string', 'null'] } as const;

const decisionListItem = {
  type: 'object',
  required: [
    'decisionId',
    'applicationId',
    'decidedAt',
    'outcome',
    'productId',
    'limit',
    'policyVersion',
    'modelVersion',
    'flags',
    'openFlags',
  ],
  properties: {
    decisionId: { type: 'string' },
    applicationId: { type: 'string' },
    decidedAt: { type: 'string' },
    outcome: { type: 'string', enum: ['approve', 'decline', 'refer'] },
    productId: { type: 'string' },
    channel: { type: 'string' },
    limit: { type: 'string', description: 'Limit granted, yuan ("0.00" unless approved)' },
    requestedLimit: { type: 'string', description: 'Limit asked for, yuan' },
    riskGrade: nullableString,
    dailyRate: { ...nullableString, description: '日利率, decimal string' },
    apr: { ...nullableString, description: 'APR including all fees at the longest term' },
    policyVersion: { type: 'string' },
    modelVersion: { type: 'string' },
    customerId: nullableString,
    flags: { type: 'integer', description: '强开 flags raised on the application' },
    openFlags: { type: 'integer', description: 'Of those, still open in the review queue' },
  },
} as const;

interface DecisionListQuerystring {
  limit: number;
  cursor?: string;
  outcome?: DecisionOutcome;
  productId?: string;
  decidedFrom?: string;
  decidedTo?: string;
  hasOpenFlags?: boolean;
}

function present(r: DecisionListRow) {
  return {
    decisionId: r.decisionId,
    applicationId: r.applicationId,
    decidedAt: r.decidedAt,
    outcome: r.outcome,
    productId: r.productId,
    channel: r.channel,
    limit: formatMinor(r.limit_fen),
    requestedLimit: formatMinor(r.requestedLimit_fen),
    riskGrade: r.riskGrade,
    dailyRate: r.dailyRate,
    apr: r.apr,
    policyVersion: r.policyVersion,
    modelVersion: r.modelVersion,
    customerId: r.customerId,
    flags: r.flags,
    openFlags: r.openFlags,
  };
}

/** The cursor carries the last row's decision time and id: the list is ordered by both. */
function afterOf(cursor: string | undefined): DecisionListAfter | null {
  const text = decodeCursor(cursor, 'string');
  if (text === undefined) return null;
  const [decidedAt, decisionId] = text.split('|');
  if (decidedAt === undefined || decisionId === undefined || Number.isNaN(Date.parse(decidedAt))) {
    throw new ProblemError('cursor_invalid', say(KERNEL_MESSAGES, 'cursor_invalid'), [
      fieldProblem('/query/cursor', say(KERNEL_MESSAGES, 'cursor_not_of_list')),
    ]);
  }
  return { decidedAt, decisionId };
}

export async function originationDecisionListRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get<{ Querystring: DecisionListQuerystring }>(
    '/decisions',
    {
      config: { permission: 'decisions.read' },
      schema: {
        tags: ['origination'],
        security: bearerSecurity,
        summary:
          'Decisions newest first, keyset-paged: outcome, limit, price, versions and open 强开 flags (no personal data)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties(deps.config),
            outcome: { type: 'string', enum: ['approve', 'decline', 'refer'] },
            productId: { type: 'string', minLength: 1, maxLength: 64 },
            decidedFrom: dateSchema('Decided on or after this day, Asia/Shanghai'),
            decidedTo: dateSchema('Decided on or before this day, Asia/Shanghai'),
            hasOpenFlags: {
              type: 'boolean',
              description: 'true: only decisions with a flag still open; false: only those without',
            },
          },
        },
        response: { 200: pageResponse(decisionListItem), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const from = q.decidedFrom === undefined ? undefined : requestDate(q.decidedFrom, '/query/decidedFrom');
      const to = q.decidedTo === undefined ? undefined : requestDate(q.decidedTo, '/query/decidedTo');
      if (from !== undefined && to !== undefined && from > to) {
        throw new ProblemError(
          'date_out_of_range',
          say(ORIGINATION_MESSAGES, 'decided_from_after_to', { from: formatDate(from), to: formatDate(to) }),
          [fieldProblem('/query/decidedFrom', say(ORIGINATION_MESSAGES, 'on_or_before_decided_to'))],
        );
      }
      const rows = await listDecisions(
        deps.db,
        {
          ...(q.outcome === undefined ? {} : { outcome: q.outcome }),
          ...(q.productId === undefined ? {} : { productId: q.productId }),
          ...(from === undefined ? {} : { decidedFrom: formatDate(from) }),
          ...(to === undefined ? {} : { decidedTo: formatDate(to) }),
          ...(q.hasOpenFlags === undefined ? {} : { hasOpenFlags: q.hasOpenFlags }),
        },
        afterOf(q.cursor),
        q.limit + 1,
      );
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const nextCursor =
        rows.length > q.limit && last !== undefined
          ? encodeCursor(`${last.decidedAt}|${last.decisionId}`)
          : null;
      return { items: page.map(present), nextCursor };
    },
  );
}
