import type { FastifyInstance } from 'fastify';
import {
  COMPLIANCE_WINDOW_DAYS_MAX,
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  CONTACT_PARTIES,
} from '../../collections/index.js';
import { complianceReportFor } from '../../jobs/index.js';
import { addDays, type Day, formatDate } from '../../money/index.js';
import { getBusinessDay } from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import { bearerSecurity, problemResponses } from '../http/schemas.js';
import { dateSchema, requestDate } from '../ledger/index.js';
import { complianceWorkbook } from './compliance-export.js';
import { COMPLIANCE_REFUSALS_LISTED_MAX, presentComplianceReport } from './compliance-presenter.js';
import { COLLECTIONS_MESSAGES } from './messages.js';

const tags = ['collections'];
/** Without `from`: this many days up to `to`. */
const COMPLIANCE_WINDOW_DAYS_DEFAULT = 30;

const windowQuery = {
  from: dateSchema(
    `First day in the lender's zone; default ${COMPLIANCE_WINDOW_DAYS_DEFAULT - 1} days before to`,
  ),
  to: dateSchema('Last day; default the business day'),
};

const counts = {
  attempts: { type: 'integer' },
  refused: { type: 'integer' },
  breaches: { type: 'integer' },
} as const;

const attemptProperties = {
  attemptId: { type: 'string' },
  caseId: { type: 'string' },
  customerId: { type: 'string' },
  at: { type: 'string', format: 'date-time', description: "On the borrower's clock" },
  channel: { type: 'string', enum: [...CONTACT_CHANNELS] },
  party: { type: 'string', enum: [...CONTACT_PARTIES] },
  collector: { type: 'string', description: 'The user who made the attempt' },
  rule: { type: 'string' },
} as const;

const complianceReportSchema = {
  type: 'object',
  required: ['from', 'to', 'zone', 'totals', 'byRule', 'byCollector', 'byDay', 'refusals', 'breaches'],
  properties: {
    from: { type: 'string', format: 'date' },
    to: { type: 'string', format: 'date' },
    zone: { type: 'string', description: "The lender's zone: the window's days and byDay are its days" },
    totals: {
      type: 'object',
      properties: { ...counts, allowed: { type: 'integer' } },
    },
    byRule: {
      type: 'array',
      items: {
        type: 'object',
        properties: { rule: { type: 'string' }, refused: counts.refused, breaches: counts.breaches },
      },
    },
    byCollector: {
      type: 'array',
      items: { type: 'object', properties: { collector: { type: 'string' }, ...counts } },
    },
    byDay: {
      type: 'array',
      items: { type: 'object', properties: { date: { type: 'string', format: 'date' }, ...counts } },
    },
    refusals: {
      type: 'array',
      description: `In time order; at most ${COMPLIANCE_REFUSALS_LISTED_MAX} (the export lists all)`,
      items: { type: 'object', properties: attemptProperties },
    },
    refusalsTruncated: { type: 'boolean' },
    breaches: {
      type: 'array',
      description:
        'Attempts logged as allowed that the conduct rules, checked again with what the log holds, refuse',
      items: {
        type: 'object',
        properties: {
          ...attemptProperties,
          outcome: { type: 'string', enum: [...CONTACT_OUTCOMES] },
          message: { type: 'string', description: 'Why the rules refuse it, as the check words it' },
        },
      },
    },
  },
} as const;

/** The window asked for, or a problem naming the field: `from` on or before `to`, at most a quarter. */
async function reportWindow(
  deps: ServerDeps,
  query: { from?: string; to?: string },
): Promise<{ fromDay: Day; toDay: Day }> {
  const toDay = query.to === undefined ? await getBusinessDay(deps.db) : requestDate(query.to, '/query/to');
  const fromDay =
    query.from === undefined
      ? addDays(toDay, -(COMPLIANCE_WINDOW_DAYS_DEFAULT - 1))
      : requestDate(query.from, '/query/from');
  if (fromDay > toDay || toDay - fromDay + 1 > COMPLIANCE_WINDOW_DAYS_MAX) {
    const vars = { days: COMPLIANCE_WINDOW_DAYS_MAX, from: formatDate(fromDay), to: formatDate(toDay) };
    throw new ProblemError('date_out_of_range', say(COLLECTIONS_MESSAGES, 'compliance_window', vars), [
      fieldProblem('/query/from', say(COLLECTIONS_MESSAGES, 'compliance_from', vars)),
    ]);
  }
  return { fromDay, toDay };
}

/** 合规报告: the contact log's refusals and breaches over a window, as JSON and as an Excel workbook. */
export async function collectionComplianceRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const report = async (query: { from?: string; to?: string }, listedMax: number) => {
    const { fromDay, toDay } = await reportWindow(deps, query);
    return presentComplianceReport(
      await complianceReportFor(
        deps.db,
        fromDay,
        toDay,
        deps.config.lenderTimeZone,
        deps.config.complaintSettings,
      ),
      listedMax,
    );
  };

  app.get<{ Querystring: { from?: string; to?: string } }>(
    '/collections/compliance',
    {
      config: { permission: 'collections.compliance' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'The compliance report: contact attempts the conduct rules refused (by rule, collector, day) and breaches — allowed attempts the rules now refuse',
        querystring: { type: 'object', additionalProperties: false, properties: windowQuery },
        response: { 200: complianceReportSchema, ...problemResponses },
      },
    },
    async (request) => report(request.query, COMPLIANCE_REFUSALS_LISTED_MAX),
  );

  app.get<{ Querystring: { from?: string; to?: string; lang?: 'en' | 'zh-CN' } }>(
    '/collections/compliance/export',
    {
      config: { permission: 'collections.compliance' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'The compliance report as an Excel workbook (.xlsx), in English or Chinese, every refusal listed',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { ...windowQuery, lang: { type: 'string', enum: ['en', 'zh-CN'], default: 'en' } },
        },
        response: {
          200: { description: 'The workbook', type: 'string', format: 'binary' },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const r = await report(request.query, Number.MAX_SAFE_INTEGER);
      const buffer = await complianceWorkbook(r, request.query.lang ?? 'en');
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="compliance-${r.from}-${r.to}.xlsx"`);
      return reply.send(buffer);
    },
  );
}
