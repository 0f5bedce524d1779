import type { FastifyInstance } from 'fastify';
import { decideProposals, LimitReviewJobError, parseMonth } from '../../jobs/index.js';
import { formatDate, formatMinor } from '../../money/index.js';
import type { ReasonCode } from '../../scoring/index.js';
import {
  CUSTOMER_SCORE_MONTHS_MAX,
  customerInBook,
  customerScores,
  findLine,
  getBusinessDay,
  LIMIT_PROPOSALS_DECIDED_MAX,
  LIMIT_PROPOSALS_PAGE_MAX,
  lineScores,
  listProposals,
  listScoreMonths,
  type ProposalStatus,
  type StoredLimitProposal,
  type StoredLineScore,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import { bearerSecurity, idempotencyHeader, idParam, problemResponses } from '../http/schemas.js';
import { lineNotFound } from '../ledger/request.js';
import { commitLedgerWrite } from '../ledger/write.js';
import { LIMIT_REVIEW_REFUSALS_ZH, MONITORING_MESSAGES } from './messages.js';

const reasonSchema = {
  type: 'object',
  required: ['feature', 'value', 'contribution'],
  properties: {
    feature: { type: 'string' },
    value: { type: 'string', description: 'The value seen (or the bin it fell in)' },
    contribution: { type: 'number', description: 'Points this feature cost the score' },
  },
} as const;

const monthSchema = {
  type: 'object',
  required: ['month', 'asOf', 'modelId', 'lines', 'meanScore', 'psi', 'band', 'psiAlert', 'alert', 'bands'],
  properties: {
    month: { type: 'string', description: 'YYYY-MM' },
    asOf: { type: 'string', description: 'The day the features were read as of (the month end)' },
    modelId: { type: 'string' },
    lines: { type: 'integer' },
    meanScore: { type: 'number' },
    psi: { type: 'number', description: 'Population stability index against the development sample' },
    band: { type: 'string', enum: ['stable', 'moderate shift', 'significant shift'] },
    psiAlert: { type: 'number', description: 'The threshold in force when the month was scored' },
    alert: { type: 'boolean' },
    bands: {
      type: 'array',
      description:
        "The development sample's score bands: this month's lines and the development share in each",
      items: {
        type: 'object',
        required: ['from', 'to', 'lines', 'share', 'expectedShare'],
        properties: {
          from: { type: ['number', 'null'], description: 'Lowest score in the band (null: open below)' },
          to: { type: ['number', 'null'], description: 'Scores below this (null: open above)' },
          lines: { type: 'integer' },
          share: { type: 'number' },
          expectedShare: { type: 'number' },
        },
      },
    },
  },
} as const;

const proposalSchema = {
  type: 'object',
  required: [
    'proposalId',
    'lineId',
    'customerId',
    'month',
    'action',
    'fromLimit',
    'toLimit',
    'score',
    'code',
    'reason',
    'policyVersion',
    'status',
    'proposedBy',
  ],
  properties: {
    proposalId: { type: 'string' },
    lineId: { type: 'string' },
    customerId: { type: 'string' },
    month: { type: 'string' },
    action: { type: 'string', enum: ['raise', 'cut', 'freeze'] },
    fromLimit: { type: 'string' },
    toLimit: { type: 'string' },
    score: { type: 'integer' },
    code: { type: 'string' },
    reason: { type: 'string' },
    policyVersion: { type: 'string' },
    status: { type: 'string', enum: ['proposed', 'applied', 'rejected', 'superseded'] },
    proposedBy: { type: 'string' },
    decidedBy: { type: ['string', 'null'] },
    decidedAt: { type: ['string', 'null'] },
  },
} as const;

function presentProposal(p: StoredLimitProposal) {
  return {
    proposalId: p.proposalId,
    lineId: p.lineId,
    customerId: p.customerId,
    month: formatDate(p.month).slice(0, 7),
    action: p.action,
    fromLimit: formatMinor(p.fromLimitMinor),
    toLimit: formatMinor(p.toLimitMinor),
    score: p.score,
    code: p.code,
    reason: p.reason,
    policyVersion: p.policyVersion,
    status: p.status,
    proposedBy: p.proposedBy,
    decidedBy: p.decidedBy,
    decidedAt: p.decidedAt,
  };
}

const lineScoreSchema = {
  type: 'object',
  required: ['lineId', 'month', 'asOf', 'score', 'probabilityBad', 'reasons', 'modelId'],
  properties: {
    lineId: { type: 'string' },
    month: { type: 'string', description: 'YYYY-MM' },
    asOf: { type: 'string', description: 'The day the features were read as of (the month end)' },
    score: { type: 'integer' },
    probabilityBad: { type: 'number', description: 'Probability of 60+ days past due within 6 months' },
    reasons: { type: 'array', items: reasonSchema },
    modelId: { type: 'string' },
  },
} as const;

function presentLineScore(s: StoredLineScore) {
  return {
    lineId: s.lineId,
    month: formatDate(s.month).slice(0, 7),
    asOf: formatDate(s.asOf),
    score: s.score,
    probabilityBad: Math.round(s.probabilityBad * 10_000) / 10_000,
    reasons: s.reasons.map((r: ReasonCode) => ({
      feature: r.feature,
      value: r.value,
      contribution: r.contribution,
    })),
    modelId: s.modelId,
  };
}

const MONTH_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])$';

function problemOf(error: LimitReviewJobError): ProblemError {
  const text = say(MONITORING_MESSAGES, 'limit_review_refused', {
    en_fault: error.message,
    zh_fault: LIMIT_REVIEW_REFUSALS_ZH[error.code],
  });
  if (error.code === 'behaviour_month_not_scored') return new ProblemError('validation_failed', text);
  return new ProblemError(error.code, text);
}

/** The behaviour score (B卡) by month and by line, and the limit review's proposals with their approval. */
export async function behaviourRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const tags = { tags: ['monitoring'], security: bearerSecurity };

  app.get(
    '/monitoring/behaviour-scores',
    {
      config: { permission: 'behaviour.read' },
      schema: {
        ...tags,
        summary:
          'The behaviour-score distribution of each scored month and its PSI against the development sample',
        response: {
          200: {
            type: 'object',
            required: ['months'],
            properties: { months: { type: 'array', items: monthSchema } },
          },
          ...problemResponses,
        },
      },
    },
    async () => {
      const months = await listScoreMonths(deps.db);
      return {
        months: months.map((m) => {
          const d = m.distribution;
          const cuts = d.cuts;
          return {
            month: formatDate(m.month).slice(0, 7),
            asOf: formatDate(m.asOf),
            modelId: m.modelId,
            lines: d.lines,
            meanScore: d.meanScore,
            psi: d.psi,
            band: d.band,
            psiAlert: m.psiAlert,
            alert: d.alert,
            bands: d.counts.map((n, i) => ({
              from: i === 0 ? null : cuts[i - 1]!,
              to: i === cuts.length ? null : cuts[i]!,
              lines: n,
              share: d.lines > 0 ? Math.round((n / d.lines) * 10_000) / 10_000 : 0,
              expectedShare: Math.round(d.expectedShares[i]! * 10_000) / 10_000,
            })),
          };
        }),
      };
    },
  );

  app.get<{ Params: { lineId: string } }>(
    '/credit-lines/:lineId/behaviour-score',
    {
      config: { permission: 'behaviour.read' },
      schema: {
        ...tags,
        summary:
          "The line's behaviour scores by month, newest first, each with the reasons that lowered it most",
        params: idParam('lineId', 'Credit line id'),
        response: {
          200: {
            type: 'object',
            required: ['lineId', 'customerId', 'scores'],
            properties: {
              lineId: { type: 'string' },
              customerId: { type: 'string' },
              scores: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['month', 'asOf', 'score', 'probabilityBad', 'reasons', 'modelId'],
                  properties: {
                    month: { type: 'string' },
                    asOf: { type: 'string' },
                    score: { type: 'integer' },
                    probabilityBad: {
                      type: 'number',
                      description: 'Probability of 60+ days past due within 6 months',
                    },
                    reasons: { type: 'array', items: reasonSchema },
                    modelId: { type: 'string' },
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
      const line = await findLine(deps.db, request.params.lineId);
      if (line === undefined) throw lineNotFound(request.params.lineId);
      const scores = await lineScores(deps.db, line.lineId);
      return {
        lineId: line.lineId,
        customerId: line.customerId,
        scores: scores.map((s) => ({
          month: formatDate(s.month).slice(0, 7),
          asOf: formatDate(s.asOf),
          score: s.score,
          probabilityBad: Math.round(s.probabilityBad * 10_000) / 10_000,
          reasons: s.reasons.map((r: ReasonCode) => ({
            feature: r.feature,
            value: r.value,
            contribution: r.contribution,
          })),
          modelId: s.modelId,
        })),
      };
    },
  );

  app.get<{ Params: { customerId: string } }>(
    '/customers/:customerId/behaviour-score',
    {
      config: { permission: 'behaviour.read' },
      schema: {
        ...tags,
        summary:
          "A customer's behaviour score: the newest month's riskiest line with the reasons that lowered it most, and the history month by month",
        params: idParam('customerId', 'Customer id'),
        response: {
          200: {
            type: 'object',
            required: ['customerId', 'current', 'history'],
            properties: {
              customerId: { type: 'string' },
              current: {
                description:
                  "The newest scored month: the customer's lowest-scoring line (null when never scored)",
                oneOf: [lineScoreSchema, { type: 'null' }],
              },
              history: {
                type: 'array',
                description: `Up to ${CUSTOMER_SCORE_MONTHS_MAX} scored months, newest first`,
                items: {
                  type: 'object',
                  required: ['month', 'asOf', 'score', 'probabilityBad', 'lineId', 'lines'],
                  properties: {
                    month: { type: 'string' },
                    asOf: { type: 'string' },
                    score: { type: 'integer', description: "The month's lowest score over the lines" },
                    probabilityBad: { type: 'number' },
                    lineId: { type: 'string', description: 'The line that scored lowest' },
                    lines: { type: 'array', items: lineScoreSchema },
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
      const id = request.params.customerId;
      if (!(await customerInBook(deps.db, id)))
        throw new ProblemError(
          'customer_not_found',
          say(MONITORING_MESSAGES, 'customer_not_found', { customerId: id }),
          [fieldProblem('/params/customerId', say(MONITORING_MESSAGES, 'does_not_exist'))],
        );
      const scores = await customerScores(deps.db, id);
      // Rows come newest month first, lowest score first within a month: a month's first row is its worst.
      const history: {
        month: string;
        asOf: string;
        score: number;
        probabilityBad: number;
        lineId: string;
        lines: ReturnType<typeof presentLineScore>[];
      }[] = [];
      for (const s of scores) {
        const line = presentLineScore(s);
        const last = history.at(-1);
        if (last !== undefined && last.month === line.month) last.lines.push(line);
        else
          history.push({
            month: line.month,
            asOf: line.asOf,
            score: line.score,
            probabilityBad: line.probabilityBad,
            lineId: line.lineId,
            lines: [line],
          });
      }
      return { customerId: id, current: history[0]?.lines[0] ?? null, history };
    },
  );

  app.get<{ Querystring: { month?: string; status?: ProposalStatus; after?: string; limit?: number } }>(
    '/limit-reviews/proposals',
    {
      config: { permission: 'limits.read' },
      schema: {
        ...tags,
        summary:
          "The monthly limit review's proposals (raise, cut, freeze), by id; filter by month and status",
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            month: { type: 'string', pattern: MONTH_PATTERN },
            status: { type: 'string', enum: ['proposed', 'applied', 'rejected', 'superseded'] },
            after: {
              type: 'string',
              maxLength: 200,
              description: 'Proposals after this id (the last one seen)',
            },
            limit: { type: 'integer', minimum: 1, maximum: LIMIT_PROPOSALS_PAGE_MAX, default: 100 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: proposalSchema } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const items = await listProposals(deps.db, {
        ...(q.month === undefined ? {} : { month: parseMonth(q.month) }),
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(q.after === undefined ? {} : { after: q.after }),
        limit: q.limit ?? 100,
      });
      return { items: items.map(presentProposal) };
    },
  );

  app.post<{ Body: { proposalIds: string[]; decision: 'approve' | 'reject' } }>(
    '/limit-reviews/proposals/decide',
    {
      config: { permission: 'limits.approve' },
      schema: {
        ...tags,
        summary:
          'Approve or reject limit-review proposals in bulk: a second person (never the proposer, 403); all or nothing; each applied change is on the line history, audited and notified',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['proposalIds', 'decision'],
          additionalProperties: false,
          properties: {
            proposalIds: {
              type: 'array',
              minItems: 1,
              maxItems: LIMIT_PROPOSALS_DECIDED_MAX,
              items: { type: 'string', minLength: 1, maxLength: 200 },
            },
            decision: { type: 'string', enum: ['approve', 'reject'] },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['proposalId', 'lineId', 'outcome', 'detail'],
                  properties: {
                    proposalId: { type: 'string' },
                    lineId: { type: 'string' },
                    outcome: { type: 'string', enum: ['applied', 'rejected', 'superseded'] },
                    detail: { type: 'string' },
                  },
                },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const userId = request.principal!.userId;
      return commitLedgerWrite(deps, request, reply, async (tx) => {
        try {
          const day = await getBusinessDay(tx);
          const { decisions, audit } = await decideProposals(
            tx,
            request.body.proposalIds,
            request.body.decision,
            userId,
            day,
          );
          return { status: 200, body: { items: decisions }, audit };
        } catch (error) {
          if (error instanceof LimitReviewJobError) throw problemOf(error);
          throw error;
        }
      });
    },
  );
}
