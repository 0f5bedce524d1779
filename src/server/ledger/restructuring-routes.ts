/**
 * Restructuring (重组) of a loan over HTTP: one route for the four kinds (协商分期 negotiated plan, 展期 term
 * extension, payment holiday, rate reduction), chosen by `kind` in the body, so that one maker-checker path
 * serves them all (decision 0363). A request whose concessions or extension are above the lender's
 * thresholds is stored as pending and applied when another user approves it; below, it is applied at once.
 */
import type { FastifyInstance } from 'fastify';
import { cancelRemindersMootAfter } from '../../jobs/index.js';
import {
  type LoanEvent,
  type LoanRestructured,
  planCommand,
  RESTRUCTURING_KINDS,
  type RestructureCommand,
  type RestructureRequest,
} from '../../ledger/index.js';
import { type Day, formatDate, formatMinor as formatFen } from '../../money/index.js';
import {
  applyLoanCommand,
  decideRestructuring,
  findRestructuring,
  getBusinessDay,
  insertRestructuring,
  listRestructurings,
  newId,
  type Queryable,
  refreshOpenCases,
  type StoredLoan,
  type StoredRestructuring,
} from '../../store/index.js';
import { amountSchema } from '../http/amount.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import { idempotencyHeader, problemResponses } from '../http/schemas.js';
import type { WriteOutcome } from '../http/writes.js';
import {
  decisionParams as decisionParamsOf,
  loanIdParam,
  loanRouteCommon,
  lockedLoan,
  noteBody,
  registerListRoute,
  registerRejectRoute,
} from './maker-checker-routes.js';
import { LEDGER_MESSAGES } from './messages.js';
import { presentDetail, presentStoredLoan } from './presenters.js';
import { requestAmount } from './request.js';
import { loanResponse } from './schemas.js';
import { commitLedgerWrite } from './write.js';

const money = { type: 'string' } as const;
const treatment = { type: 'string', enum: ['waive', 'capitalise'] } as const;
const months = (description: string) => ({ type: 'integer', minimum: 1, description }) as const;

export const restructuringBody = {
  type: 'object',
  required: ['kind'],
  additionalProperties: false,
  properties: {
    kind: { type: 'string', enum: [...RESTRUCTURING_KINDS] },
    months: months('negotiated-plan: monthly instalments of the new plan (1 … 60 by default policy)'),
    extensionMonths: months('term-extension: months added to the remaining term'),
    holidayMonths: months('payment-holiday: months without instalments'),
    holidayInterest: {
      type: 'string',
      enum: ['accrue', 'waive'],
      description: 'payment-holiday: interest during the holiday accrues (billed after it) or is not charged',
    },
    rate: {
      type: 'string',
      pattern: '^[0-9]+(\\.[0-9]+)?$',
      maxLength: 20,
      description:
        'A lower contract rate, per the product\'s rate period, e.g. "0.0003" (required for rate-reduction)',
    },
    penalty: { ...treatment, description: 'Penalty interest owed: waive (default) or capitalise' },
    interestArrears: { ...treatment, description: 'Billed unpaid interest: capitalise (default) or waive' },
    feeArrears: { ...treatment, description: 'Billed unpaid fees: capitalise (default) or waive' },
    downPayment: {
      ...amountSchema,
      description: 'Paid by the borrower on the day, before the rest is re-planned',
    },
    monthlyIncome: {
      ...amountSchema,
      description: "The borrower's verified monthly income (required for negotiated-plan: affordability)",
    },
    relief: {
      type: 'boolean',
      description:
        'A relief-programme change (e.g. a pandemic deferral): reported per the adjusted plan, no restructuring class floor',
    },
    note: { type: 'string', maxLength: 500 },
  },
} as const;

export interface RestructuringBody {
  kind: RestructureRequest['kind'];
  months?: number;
  extensionMonths?: number;
  holidayMonths?: number;
  holidayInterest?: 'accrue' | 'waive';
  rate?: string;
  penalty?: 'waive' | 'capitalise';
  interestArrears?: 'waive' | 'capitalise';
  feeArrears?: 'waive' | 'capitalise';
  downPayment?: string;
  monthlyIncome?: string;
  relief?: boolean;
  note?: string;
}

const requestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    kind: { type: 'string' },
    months: { type: 'integer' },
    extensionMonths: { type: 'integer' },
    holidayMonths: { type: 'integer' },
    holidayInterest: { type: 'string' },
    rate: { type: 'string' },
    penalty: { type: 'string' },
    interestArrears: { type: 'string' },
    feeArrears: { type: 'string' },
    downPayment: money,
    monthlyIncome: money,
    relief: { type: 'boolean' },
  },
} as const;

export const restructuringResponse = {
  type: 'object',
  required: ['restructuringId', 'loanId', 'status', 'kind', 'request', 'forgiven', 'monthsExtended'],
  properties: {
    restructuringId: { type: 'string' },
    loanId: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'applied', 'rejected'] },
    kind: { type: 'string' },
    request: requestSchema,
    forgiven: { ...money, description: 'Waived by the restructuring, as planned when proposed (or applied)' },
    monthsExtended: { type: 'integer' },
    needsApproval: { type: 'boolean' },
    proposedBy: { type: 'string' },
    proposedDate: { type: 'string' },
    decidedBy: { type: ['string', 'null'] },
    decidedDate: { type: ['string', 'null'] },
    note: { type: ['string', 'null'] },
    eventSeq: { type: ['integer', 'null'] },
    loan: loanResponse,
    events: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;

function presentRequest(r: RestructureRequest) {
  return {
    kind: r.kind,
    ...(r.months === undefined ? {} : { months: r.months }),
    ...(r.extensionMonths === undefined ? {} : { extensionMonths: r.extensionMonths }),
    ...(r.holidayMonths === undefined ? {} : { holidayMonths: r.holidayMonths }),
    ...(r.holidayInterest === undefined ? {} : { holidayInterest: r.holidayInterest }),
    ...(r.rateValue === undefined ? {} : { rate: r.rateValue }),
    ...(r.penalty === undefined ? {} : { penalty: r.penalty }),
    ...(r.interestArrears === undefined ? {} : { interestArrears: r.interestArrears }),
    ...(r.feeArrears === undefined ? {} : { feeArrears: r.feeArrears }),
    ...(r.downPaymentMinor === undefined ? {} : { downPayment: formatFen(r.downPaymentMinor) }),
    ...(r.monthlyIncomeMinor === undefined ? {} : { monthlyIncome: formatFen(r.monthlyIncomeMinor) }),
    ...(r.relief === undefined ? {} : { relief: r.relief }),
  };
}

function presentRestructuring(
  r: StoredRestructuring,
  extra: { needsApproval?: boolean; loan?: StoredLoan; events?: readonly LoanEvent[] } = {},
) {
  return {
    restructuringId: r.restructuringId,
    loanId: r.loanId,
    status: r.status,
    kind: r.request.kind,
    request: presentRequest(r.request),
    forgiven: formatFen(r.forgivenMinor),
    monthsExtended: r.monthsExtended,
    ...(extra.needsApproval === undefined ? {} : { needsApproval: extra.needsApproval }),
    proposedBy: r.proposedBy,
    proposedDate: formatDate(r.proposedDay),
    decidedBy: r.decidedBy,
    decidedDate: r.decidedDay === null ? null : formatDate(r.decidedDay),
    note: r.note,
    eventSeq: r.eventSeq,
    ...(extra.loan === undefined ? {} : { loan: presentStoredLoan(extra.loan) }),
    ...(extra.events === undefined
      ? {}
      : { events: extra.events.map((e) => presentDetail(e) as Record<string, unknown>) }),
  };
}

/** The request in fen, from the body (amounts parsed; a bad one is a problem naming its field). */
export function requestOf(deps: ServerDeps, body: RestructuringBody): RestructureRequest {
  return {
    kind: body.kind,
    ...(body.months === undefined ? {} : { months: body.months }),
    ...(body.extensionMonths === undefined ? {} : { extensionMonths: body.extensionMonths }),
    ...(body.holidayMonths === undefined ? {} : { holidayMonths: body.holidayMonths }),
    ...(body.holidayInterest === undefined ? {} : { holidayInterest: body.holidayInterest }),
    ...(body.rate === undefined ? {} : { rateValue: body.rate }),
    ...(body.penalty === undefined ? {} : { penalty: body.penalty }),
    ...(body.interestArrears === undefined ? {} : { interestArrears: body.interestArrears }),
    ...(body.feeArrears === undefined ? {} : { feeArrears: body.feeArrears }),
    ...(body.downPayment === undefined
      ? {}
      : { downPaymentMinor: requestAmount(deps, body.downPayment, '/body/downPayment') }),
    ...(body.monthlyIncome === undefined
      ? {}
      : { monthlyIncomeMinor: requestAmount(deps, body.monthlyIncome, '/body/monthlyIncome') }),
    ...(body.relief === undefined ? {} : { relief: body.relief }),
  };
}

export function commandOf(
  deps: ServerDeps,
  request: RestructureRequest,
  day: Day,
  clientId: string,
): RestructureCommand {
  return { type: 'restructure', ...request, day, clientId, policy: deps.config.restructuringPolicy };
}

function restructuredEvent(events: readonly LoanEvent[]): LoanRestructured {
  const e = events.find((x): x is LoanRestructured => x.type === 'LoanRestructured');
  if (e === undefined) throw new Error('assertion: a restructuring appended no LoanRestructured event');
  return e;
}

async function restructuringOrThrow(tx: Queryable, loanId: string, id: string): Promise<StoredRestructuring> {
  const found = await findRestructuring(tx, loanId, id, { forUpdate: true });
  if (found === undefined) {
    throw new ProblemError(
      'restructuring_not_found',
      say(LEDGER_MESSAGES, 'restructuring_not_found', { loanId, restructuringId: id }),
      [fieldProblem('/path/restructuringId', say(LEDGER_MESSAGES, 'no_such_restructuring'))],
    );
  }
  if (found.status !== 'pending') {
    throw new ProblemError(
      'restructuring_status_conflict',
      say(LEDGER_MESSAGES, 'restructuring_status_conflict', { restructuringId: id, status: found.status }),
    );
  }
  return found;
}

const decisionParams = decisionParamsOf('restructuringId');
const common = loanRouteCommon;

export async function ledgerRestructuringRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.post<{ Params: { loanId: string }; Body: RestructuringBody }>(
    '/loans/:loanId/restructurings',
    {
      config: { permission: 'loans.restructure' },
      schema: {
        ...common,
        summary:
          'Restructure a loan (协商分期 negotiated plan, 展期 term extension, payment holiday, rate reduction) on the business day; above the approval thresholds it waits for a second person',
        headers: idempotencyHeader,
        params: loanIdParam,
        body: restructuringBody,
        response: { 201: restructuringResponse, 202: restructuringResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const restructureRequest = requestOf(deps, request.body);
      const principal = request.principal!;
      const clientId = `${principal.userId}:${request.idempotency?.key ?? ''}`;
      const loanId = request.params.loanId;
      const note = request.body.note ?? null;
      return commitLedgerWrite(deps, request, reply, async (tx): Promise<WriteOutcome<unknown>> => {
        const day = await getBusinessDay(tx);
        const loan = await lockedLoan(tx, loanId);
        const command = commandOf(deps, restructureRequest, day, clientId);
        // Planned once to learn its figures (and to refuse bad input before anything is written).
        const preview = restructuredEvent(planCommand(loan.state, null, command).events);
        const needsApproval =
          preview.forgivenMinor > deps.config.restructuringApprovalForgivenAbove_fen ||
          preview.monthsExtended > deps.config.restructuringApprovalExtendedAbove_months;
        const base = {
          customerId: loan.customerId,
          restructuringId: newId('RS'),
          loanId,
          request: restructureRequest,
          forgivenMinor: preview.forgivenMinor,
          monthsExtended: preview.monthsExtended,
          proposedBy: principal.userId,
          proposedDay: day,
          note,
        };
        const audit = (action: string, r: StoredRestructuring) => [
          {
            action,
            resourceType: 'loan',
            resourceId: loanId,
            customerId: loan.customerId,
            details: {
              restructuringId: r.restructuringId,
              kind: r.request.kind,
              forgivenMinor: r.forgivenMinor,
              monthsExtended: r.monthsExtended,
            },
          },
        ];
        if (needsApproval) {
          const pending = await insertRestructuring(tx, {
            ...base,
            status: 'pending',
            decidedBy: null,
            decidedDay: null,
            eventSeq: null,
          });
          return {
            status: 202,
            body: presentRestructuring(pending, { needsApproval }),
            location: `/loans/${loanId}/restructurings/${pending.restructuringId}`,
            audit: audit('loan.restructure.propose', pending),
          };
        }
        const done = await applyLoanCommand(tx, loanId, command);
        // The borrower's open case is held through the observation (or closes), in the same transaction.
        await refreshOpenCases(tx, day, [loan.customerId]);
        await cancelRemindersMootAfter(tx, done.after);
        const applied = await insertRestructuring(tx, {
          ...base,
          forgivenMinor: restructuredEvent(done.events).forgivenMinor,
          status: 'applied',
          decidedBy: principal.userId,
          decidedDay: day,
          eventSeq: restructuredEvent(done.events).seq,
        });
        return {
          status: 201,
          body: presentRestructuring(applied, { needsApproval, loan: done.after, events: done.events }),
          location: `/loans/${loanId}/restructurings/${applied.restructuringId}`,
          audit: audit('loan.restructure', applied),
        };
      });
    },
  );

  app.post<{ Params: { loanId: string; restructuringId: string }; Body: { note?: string } }>(
    '/loans/:loanId/restructurings/:restructuringId/approve',
    {
      config: { permission: 'loans.restructure.approve' },
      schema: {
        ...common,
        summary:
          'Approve a pending restructuring (another user than its proposer): it is applied on the business day',
        headers: idempotencyHeader,
        params: decisionParams,
        body: noteBody,
        response: { 200: restructuringResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const { loanId, restructuringId } = request.params;
      return commitLedgerWrite(deps, request, reply, async (tx): Promise<WriteOutcome<unknown>> => {
        const loan = await lockedLoan(tx, loanId);
        const found = await restructuringOrThrow(tx, loanId, restructuringId);
        if (found.proposedBy === principal.userId) {
          throw new ProblemError(
            'restructuring_approval_by_proposer',
            say(LEDGER_MESSAGES, 'restructuring_by_proposer', { restructuringId }),
          );
        }
        const day = await getBusinessDay(tx);
        const done = await applyLoanCommand(
          tx,
          loanId,
          commandOf(deps, found.request, day, `restructuring:${restructuringId}`),
        );
        await cancelRemindersMootAfter(tx, done.after);
        const event = restructuredEvent(done.events);
        await refreshOpenCases(tx, day, [loan.customerId]);
        const decided = await decideRestructuring(tx, found, {
          status: 'applied',
          decidedBy: principal.userId,
          decidedDay: day,
          note: request.body.note ?? found.note,
          eventSeq: event.seq,
        });
        return {
          status: 200,
          body: presentRestructuring(
            { ...decided, forgivenMinor: event.forgivenMinor, monthsExtended: event.monthsExtended },
            { loan: done.after, events: done.events },
          ),
          audit: [
            {
              action: 'loan.restructure.approve',
              resourceType: 'loan',
              resourceId: loanId,
              customerId: loan.customerId,
              details: { restructuringId, proposedBy: found.proposedBy, forgivenMinor: event.forgivenMinor },
            },
          ],
        };
      });
    },
  );

  registerRejectRoute(app, deps, {
    collection: 'restructurings',
    idName: 'restructuringId',
    summary: 'Reject a pending restructuring; nothing changes on the loan',
    response: restructuringResponse,
    action: 'loan.restructure.reject',
    findPending: restructuringOrThrow,
    reject: decideRestructuring,
    present: (r) => presentRestructuring(r),
  });

  registerListRoute(app, deps, {
    collection: 'restructurings',
    summary: "A loan's restructurings: pending, applied and rejected, with who proposed and who decided",
    item: restructuringResponse,
    list: listRestructurings,
    present: (r) => presentRestructuring(r),
  });
}
