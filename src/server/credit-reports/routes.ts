import type { FastifyInstance } from 'fastify';
import { formatDate, parseDate } from '../../money/index.js';
import {
  type CreditReportStatusCode,
  correctRecord,
  DISPUTE_STATUSES,
  type DisputeAction,
  type DisputeStatus,
  disputeNext,
  disputeReplyBy,
} from '../../reporting/index.js';
import {
  disputeEvents,
  findDispute,
  findRecord,
  getBusinessDay,
  ID_PATTERN,
  insertDispute,
  listDisputes,
  type Queryable,
  type StoredDispute,
  saveCorrection,
  setDisputed,
  updateDispute,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import {
  bearerSecurity,
  idempotencyHeader,
  idParam,
  pageQueryProperties,
  problemResponses,
} from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { CREDIT_REPORT_MESSAGES } from './messages.js';
import { disputeDetailSchema, disputeSchema, STATUS_CODES } from './schemas.js';

const tags = ['credit-reports'];
const disputeParams = idParam('disputeId', 'Objection id');
const MONTH_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])$';

function present(d: StoredDispute, today: number) {
  return {
    disputeId: d.disputeId,
    customerId: d.customerId,
    loanId: d.loanId,
    month: d.month,
    claim: d.claim,
    receivedDate: d.receivedDay,
    replyBy: d.replyByDay,
    status: d.status,
    finding: d.finding,
    correctedStatus: d.correctedStatus,
    decidedDate: d.decidedDay,
    overdue: d.decidedDay === null && today > parseDate(d.replyByDay),
  };
}

function disputeNotFound(disputeId: string): ProblemError {
  return new ProblemError(
    'dispute_not_found',
    say(CREDIT_REPORT_MESSAGES, 'dispute_not_found', { disputeId }),
  );
}

/** 征信异议: objections to a month's record, verified within 20 days, corrected or rejected, every step kept. */
export async function creditReportRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  async function load(tx: Queryable, disputeId: string): Promise<StoredDispute> {
    const d = await findDispute(tx, disputeId, true);
    if (d === undefined) throw disputeNotFound(disputeId);
    return d;
  }

  app.post<{ Body: { loanId: string; month: string; claim: string; receivedDate?: string } }>(
    '/credit-reports/disputes',
    {
      config: { permission: 'creditreports.disputes' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Record an objection (异议) to a month’s record: the record is flagged, the reply is due in 20 days',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['loanId', 'month', 'claim'],
          additionalProperties: false,
          properties: {
            loanId: { type: 'string', pattern: ID_PATTERN },
            month: { type: 'string', pattern: MONTH_PATTERN },
            claim: {
              type: 'string',
              minLength: 1,
              maxLength: 2000,
              description: 'What the borrower says is wrong',
            },
            receivedDate: { type: 'string', format: 'date', description: 'Default the business day' },
          },
        },
        response: { 201: disputeSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const today = await getBusinessDay(tx);
        const received = b.receivedDate === undefined ? today : parseDate(b.receivedDate, 'receivedDate');
        if (received > today) {
          throw new ProblemError(
            'date_out_of_range',
            say(CREDIT_REPORT_MESSAGES, 'received_by_business_day', { day: formatDate(today) }),
            [
              fieldProblem(
                '/body/receivedDate',
                say(CREDIT_REPORT_MESSAGES, 'on_or_before', { day: formatDate(today) }),
              ),
            ],
          );
        }
        if (b.claim.trim() === '') {
          throw new ProblemError('validation_failed', say(CREDIT_REPORT_MESSAGES, 'claim_says_what'), [
            fieldProblem('/body/claim', say(CREDIT_REPORT_MESSAGES, 'must_say_what')),
          ]);
        }
        const record = await findRecord(tx, b.loanId, b.month, true);
        if (record === undefined) {
          throw new ProblemError(
            'credit_record_not_found',
            say(CREDIT_REPORT_MESSAGES, 'record_not_found', { loanId: b.loanId, month: b.month }),
          );
        }
        const d = await insertDispute(tx, {
          customerId: record.record.customerId,
          loanId: b.loanId,
          month: b.month,
          claim: b.claim,
          receivedDay: received,
          replyByDay: disputeReplyBy(received),
          actor: principal.userId,
        });
        await setDisputed(tx, b.loanId, b.month, true);
        return {
          status: 201,
          body: present(d, today),
          location: `/credit-reports/disputes/${d.disputeId}`,
          audit: [
            {
              action: 'credit_report.dispute_received',
              resourceType: 'credit_report_dispute',
              resourceId: d.disputeId,
              customerId: d.customerId,
              details: { loanId: b.loanId, month: b.month },
            },
          ],
        };
      });
    },
  );

  app.get<{ Querystring: { limit: number; status?: DisputeStatus; loanId?: string } }>(
    '/credit-reports/disputes',
    {
      config: { permission: 'creditreports.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Objections, the soonest reply day first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: pageQueryProperties(deps.config).limit,
            status: { type: 'string', enum: [...DISPUTE_STATUSES] },
            loanId: { type: 'string', pattern: ID_PATTERN },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: disputeSchema } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const today = await getBusinessDay(deps.db);
      const rows = await listDisputes(deps.db, {
        limit: q.limit,
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(q.loanId === undefined ? {} : { loanId: q.loanId }),
      });
      return { items: rows.map((d) => present(d, today)) };
    },
  );

  app.get<{ Params: { disputeId: string } }>(
    '/credit-reports/disputes/:disputeId',
    {
      config: { permission: 'creditreports.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'An objection with its trail and the record it concerns',
        params: disputeParams,
        response: { 200: disputeDetailSchema, ...problemResponses },
      },
    },
    async (request) => {
      const d = await findDispute(deps.db, request.params.disputeId);
      if (d === undefined) throw disputeNotFound(request.params.disputeId);
      const record = await findRecord(deps.db, d.loanId, d.month);
      if (record === undefined) throw new Error(`assertion: the record of objection ${d.disputeId} vanished`);
      const today = await getBusinessDay(deps.db);
      return {
        ...present(d, today),
        events: (await disputeEvents(deps.db, d.disputeId)).map((e) => ({
          seq: e.seq,
          action: e.action,
          date: e.day,
          actor: e.actor,
          details: e.details,
        })),
        record: {
          statusCode: record.record.statusCode,
          grid: record.record.grid,
          release: record.status,
          holdReason: record.holdReason,
          version: record.version,
          disputed: record.disputed,
        },
      };
    },
  );

  const step = (action: DisputeAction, summary: string, body: object) =>
    app.post<{
      Params: { disputeId: string };
      Body: { finding?: string; statusCode?: CreditReportStatusCode };
    }>(
      `/credit-reports/disputes/:disputeId/${action}`,
      {
        config: { permission: 'creditreports.disputes' },
        schema: {
          tags,
          security: bearerSecurity,
          summary,
          params: disputeParams,
          headers: idempotencyHeader,
          body,
          response: { 200: disputeSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const b = request.body ?? {};
        const principal = request.principal!;
        return commitWrite(deps, request, reply, async (tx) => {
          const d = await load(tx, request.params.disputeId);
          const next = disputeNext(d.status, action);
          if (!next.ok) {
            // The workflow's refusal (disputeNext), worded per status and action in both languages.
            const text =
              action === 'investigate'
                ? say(CREDIT_REPORT_MESSAGES, 'not_investigable', { status: d.status })
                : say(CREDIT_REPORT_MESSAGES, 'only_after_investigation', {
                    status: d.status,
                    en_action: action,
                    zh_action: action === 'correct' ? '更正' : '驳回',
                  });
            throw new ProblemError('dispute_status_conflict', text);
          }
          const today = await getBusinessDay(tx);
          if (action === 'correct') {
            const record = await findRecord(tx, d.loanId, d.month, true);
            if (record === undefined)
              throw new Error(`assertion: the record of objection ${d.disputeId} vanished`);
            await saveCorrection(tx, correctRecord(record.record, b.statusCode as CreditReportStatusCode));
          }
          if (action !== 'investigate') await setDisputed(tx, d.loanId, d.month, false);
          const updated = await updateDispute(tx, d.disputeId, next.status, today, principal.userId, {
            ...(b.finding === undefined ? {} : { finding: b.finding }),
            ...(b.statusCode === undefined ? {} : { correctedStatus: b.statusCode }),
          });
          return {
            status: 200,
            body: present(updated, today),
            audit: [
              {
                action: `credit_report.dispute_${next.status}`,
                resourceType: 'credit_report_dispute',
                resourceId: d.disputeId,
                customerId: d.customerId,
                details: { ...b },
              },
            ],
          };
        });
      },
    );

  step('investigate', 'Take an objection into investigation (verification with the record’s sources)', {
    type: 'object',
    additionalProperties: false,
    properties: { finding: { type: 'string', minLength: 1, maxLength: 2000 } },
  });
  step('correct', 'The objection holds: the month’s status is corrected and goes out again as a correction', {
    type: 'object',
    required: ['statusCode', 'finding'],
    additionalProperties: false,
    properties: {
      statusCode: { type: 'string', enum: [...STATUS_CODES] },
      finding: { type: 'string', minLength: 1, maxLength: 2000 },
    },
  });
  step('reject', 'The record stands: the finding is the written reply', {
    type: 'object',
    required: ['finding'],
    additionalProperties: false,
    properties: { finding: { type: 'string', minLength: 1, maxLength: 2000 } },
  });
}
