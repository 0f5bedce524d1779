import type { FastifyInstance } from 'fastify';
import {
  formatDate,
  formatMinor,
  multiply,
  parseDecimal,
  rational,
  toExactDecimalString,
} from '../../money/index.js';
import { IMPACT_MONTHS_MAX, type MilestoneExtra, projectLoanImpact, textFor } from '../../reporting/index.js';
import { findLoan, type StoredLoan } from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import { bearerSecurity, idParam, problemResponses } from '../http/schemas.js';
import { LEDGER_MESSAGES, loanNotFound } from '../ledger/index.js';

const money = { type: 'string' } as const;
/** Months shown when none are asked for: the path from the first missed payment to write-off. */
export const IMPACT_MONTHS_DEFAULT = 7;
/** Milestones whose date does not follow from the DPD count (as the impact command shows them). */
const DPD_HIDDEN: ReadonlySet<string> = new Set(['limitation-end', 'retention-end-if-repaid']);

const rowResponse = {
  type: 'object',
  required: [
    'date',
    'daysPastDue',
    'bucket',
    'creditReportStatus',
    'assetClass',
    'nonPerforming',
    'ifrs9Stage',
    'collectionStage',
    'outstandingPrincipal',
    'overduePrincipal',
    'overdueInterest',
    'interestOwed',
    'penaltyOutstanding',
    'totalOwed',
  ],
  properties: {
    date: { type: 'string' },
    daysPastDue: { type: 'integer' },
    bucket: { type: 'string' },
    creditReportStatus: { type: 'string', description: '征信 monthly status: N, *, 1…7' },
    assetClass: { type: 'string', description: 'Five-category class (五级分类)' },
    nonPerforming: { type: 'boolean' },
    ifrs9Stage: { type: 'integer' },
    collectionStage: { type: 'string' },
    outstandingPrincipal: money,
    overduePrincipal: money,
    overdueInterest: money,
    interestOwed: money,
    penaltyOutstanding: money,
    totalOwed: money,
  },
} as const;

const milestoneResponse = {
  type: 'object',
  required: ['date', 'kind', 'value', 'withinPeriodShown', 'source', 'convention', 'description'],
  properties: {
    date: { type: 'string' },
    kind: { type: 'string' },
    value: { type: 'string' },
    daysPastDue: { type: ['integer', 'null'], description: 'null where the date does not follow from DPD' },
    withinPeriodShown: { type: 'boolean' },
    source: { type: 'string', description: 'The law, rule or standard; empty for a convention' },
    convention: { type: 'boolean' },
    description: {
      type: 'object',
      required: ['en', 'zh'],
      properties: { en: { type: 'string' }, zh: { type: 'string' } },
    },
  },
} as const;

/** The answer of an impact projection. */
export const impactResponse = {
  type: 'object',
  required: ['loanId', 'from', 'missedDueDate', 'rows', 'milestones'],
  properties: {
    loanId: { type: 'string' },
    from: { type: 'string', description: 'The day the projection starts (the loan as closed)' },
    missedDueDate: {
      type: 'string',
      description: 'The oldest unpaid due date, or the next one when nothing is unpaid',
    },
    rows: { type: 'array', items: rowResponse },
    milestones: { type: 'array', items: milestoneResponse },
  },
} as const;

/** A loan's impact projection as the API shows it (staff route, and the borrower's portal). */
export function presentLoanImpact(loan: StoredLoan, months: number) {
  const impact = projectLoanImpact(loan.state, months);
  const product = loan.state.product;
  const lastRow = impact.rows[impact.rows.length - 1];
  const uplift = toExactDecimalString(multiply(parseDecimal(product.penalty.uplift), rational(100)));
  const extra: MilestoneExtra = {
    currency: product.currency,
    penaltyUplift: `${uplift ?? product.penalty.uplift}%`,
    penaltyBase: product.penalty.base,
    horizonEnd: lastRow === undefined ? '' : formatDate(lastRow.day),
    chargeOffDays: loan.state.delinquency.chargeOffDaysPastDue,
  };
  const en = textFor('en');
  const zh = textFor('zh');
  return {
    loanId: loan.loanId,
    from: formatDate(impact.fromDay),
    missedDueDate: formatDate(impact.missedDueDay),
    rows: impact.rows.map(({ day, position: p, status: s }) => ({
      date: formatDate(day),
      daysPastDue: p.daysPastDue,
      bucket: s.bucket,
      creditReportStatus: s.creditReportCode,
      assetClass: s.assetClass,
      nonPerforming: s.nonPerforming,
      ifrs9Stage: s.ifrs9Stage,
      collectionStage: s.collectionStage,
      outstandingPrincipal: formatMinor(p.outstandingPrincipalMinor),
      overduePrincipal: formatMinor(p.overduePrincipalMinor),
      overdueInterest: formatMinor(p.overdueInterestMinor),
      interestOwed: formatMinor(p.overdueInterestMinor + p.dueInterestMinor + p.accruedInterestMinor),
      penaltyOutstanding: formatMinor(p.penaltyOutstandingMinor),
      totalOwed: formatMinor(p.totalOwedMinor),
    })),
    milestones: impact.milestones.map((m) => ({
      date: formatDate(m.day),
      kind: m.kind,
      value: m.value,
      daysPastDue: m.daysPastDue > 0 && !DPD_HIDDEN.has(m.kind) ? m.daysPastDue : null,
      withinPeriodShown: m.withinHorizon,
      source: m.source,
      convention: m.convention,
      description: { en: en.milestone(m, extra), zh: zh.milestone(m, extra) },
    })),
  };
}

export async function loanImpactRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get<{ Params: { loanId: string }; Querystring: { months: number } }>(
    '/loans/:loanId/impact',
    {
      config: { permission: 'loans.read' },
      schema: {
        tags: ['loans'],
        security: bearerSecurity,
        summary:
          'What staying overdue means for this loan if nothing more is paid: month end by month end, and the milestones',
        params: idParam('loanId', 'Loan id'),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            months: {
              type: 'integer',
              minimum: 1,
              maximum: IMPACT_MONTHS_MAX,
              default: IMPACT_MONTHS_DEFAULT,
              description: `Month ends shown after the loan's last closed day, 1 to ${IMPACT_MONTHS_MAX}`,
            },
          },
        },
        response: {
          200: impactResponse,
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const loan = await findLoan(deps.db, request.params.loanId);
      if (loan === undefined) throw loanNotFound(request.params.loanId);
      if (loan.state.status !== 'active') {
        throw new ProblemError(
          'loan_settled',
          say(LEDGER_MESSAGES, 'loan_settled_impact', { loanId: loan.loanId }),
          [fieldProblem('/params/loanId', say(LEDGER_MESSAGES, 'is_settled'))],
        );
      }
      return presentLoanImpact(loan, request.query.months);
    },
  );
}
