/**
 * 减免结清 settlement offers over HTTP: a negotiated payoff below what is owed, valid until a date. Paid in
 * full by then (in one or several repayments), the loan settles with the discount posted as a waiver; not
 * paid, it lapses at that day's close and the loan owes in full (both in the engine). Maker-checker as for
 * restructurings: a discount above the lender's threshold waits for a second person (decision 0367).
 */
import type { FastifyInstance } from 'fastify';
import { cancelRemindersMootAfter } from '../../jobs/index.js';
import {
  type LoanEvent,
  planCommand,
  type SettlementOfferCommand,
  type SettlementOffered,
} from '../../ledger/index.js';
import { type Day, formatDate, formatMinor as formatFen } from '../../money/index.js';
import {
  applyLoanCommand,
  decideSettlementOffer,
  findSettlementOffer,
  getBusinessDay,
  insertSettlementOffer,
  listSettlementOffers,
  newId,
  type Queryable,
  SETTLEMENT_RESPONSE_ACTION,
  type StoredLoan,
  type StoredSettlementOffer,
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
import { requestAmount, requestDate } from './request.js';
import { loanResponse } from './schemas.js';
import { commitLedgerWrite } from './write.js';

interface OfferBody {
  offer: string;
  validThrough: string;
  note?: string;
}

const offerBody = {
  type: 'object',
  required: ['offer', 'validThrough'],
  additionalProperties: false,
  properties: {
    offer: { ...amountSchema, description: 'The amount that settles the loan if paid by validThrough' },
    validThrough: {
      type: 'string',
      description:
        'The last day (YYYY-MM-DD) the borrower may pay: the business day or later, within the setting',
    },
    note: { type: 'string', maxLength: 500 },
  },
} as const;

const offerResponse = {
  type: 'object',
  required: ['offerId', 'loanId', 'status', 'offer', 'validThrough', 'owed', 'discount'],
  properties: {
    offerId: { type: 'string' },
    loanId: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'offered', 'rejected'] },
    outcome: {
      type: ['string', 'null'],
      enum: ['in-force', 'completed', 'lapsed', null],
      description: 'For an offer made: still open, paid (the loan settled), or lapsed unpaid',
    },
    offer: { type: 'string' },
    validThrough: { type: 'string' },
    owed: { type: 'string', description: 'Owed on the day the offer was proposed (or made)' },
    discount: { type: 'string', description: 'owed − offer: the concession stated to the borrower' },
    needsApproval: { type: 'boolean' },
    proposedBy: { type: 'string' },
    proposedDate: { type: 'string' },
    decidedBy: { type: ['string', 'null'] },
    decidedDate: { type: ['string', 'null'] },
    note: { type: ['string', 'null'] },
    eventSeq: { type: ['integer', 'null'] },
    borrowerResponse: {
      type: ['object', 'null'],
      description: "The borrower's latest answer to an offer made, as recorded by staff",
      required: ['answer', 'recordedBy', 'recordedDate'],
      properties: {
        answer: { type: 'string', enum: ['accepted', 'declined'] },
        recordedBy: { type: 'string' },
        recordedDate: { type: 'string' },
      },
    },
    loan: loanResponse,
    events: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;

function presentOffer(
  o: StoredSettlementOffer,
  extra: { needsApproval?: boolean; loan?: StoredLoan; events?: readonly LoanEvent[] } = {},
) {
  return {
    offerId: o.offerId,
    loanId: o.loanId,
    status: o.status,
    outcome: o.outcome,
    offer: formatFen(o.offerMinor),
    validThrough: formatDate(o.validThroughDay),
    owed: formatFen(o.owedMinor),
    discount: formatFen(o.discountMinor),
    ...(extra.needsApproval === undefined ? {} : { needsApproval: extra.needsApproval }),
    proposedBy: o.proposedBy,
    proposedDate: formatDate(o.proposedDay),
    decidedBy: o.decidedBy,
    decidedDate: o.decidedDay === null ? null : formatDate(o.decidedDay),
    note: o.note,
    eventSeq: o.eventSeq,
    borrowerResponse:
      o.borrowerResponse === null
        ? null
        : {
            answer: o.borrowerResponse.answer,
            recordedBy: o.borrowerResponse.recordedBy,
            recordedDate: formatDate(o.borrowerResponse.recordedDay),
          },
    ...(extra.loan === undefined ? {} : { loan: presentStoredLoan(extra.loan) }),
    ...(extra.events === undefined
      ? {}
      : { events: extra.events.map((e) => presentDetail(e) as Record<string, unknown>) }),
  };
}

function offeredEvent(events: readonly LoanEvent[]): SettlementOffered {
  const e = events.find((x): x is SettlementOffered => x.type === 'SettlementOffered');
  if (e === undefined) throw new Error('assertion: a settlement offer appended no SettlementOffered event');
  return e;
}

/** The last day an offer may run to, checked against the business day and the setting. */
function validThroughDay(deps: ServerDeps, text: string, day: Day): Day {
  const through = requestDate(text, '/body/validThrough');
  const latest = day + deps.config.settlementValidDays_max;
  if (through < day || through > latest) {
    throw new ProblemError(
      'date_out_of_range',
      say(LEDGER_MESSAGES, 'settlement_valid_through', {
        date: text,
        from: formatDate(day),
        through: formatDate(latest),
        days: deps.config.settlementValidDays_max,
      }),
      [
        fieldProblem(
          '/body/validThrough',
          say(LEDGER_MESSAGES, 'between_dates', { from: formatDate(day), through: formatDate(latest) }),
        ),
      ],
    );
  }
  return through;
}

async function pendingOffer(tx: Queryable, loanId: string, offerId: string): Promise<StoredSettlementOffer> {
  const found = await findSettlementOffer(tx, loanId, offerId, { forUpdate: true });
  if (found === undefined) {
    throw new ProblemError(
      'settlement_offer_not_found',
      say(LEDGER_MESSAGES, 'settlement_offer_not_found', { loanId, offerId }),
      [fieldProblem('/path/offerId', say(LEDGER_MESSAGES, 'no_such_settlement_offer'))],
    );
  }
  if (found.status !== 'pending') {
    throw new ProblemError(
      'settlement_offer_status_conflict',
      say(LEDGER_MESSAGES, 'settlement_offer_status_conflict', { offerId, status: found.status }),
    );
  }
  return found;
}

const decisionParams = decisionParamsOf('offerId');
const common = loanRouteCommon;

export async function ledgerSettlementRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.post<{ Params: { loanId: string }; Body: OfferBody }>(
    '/loans/:loanId/settlement-offers',
    {
      config: { permission: 'loans.restructure' },
      schema: {
        ...common,
        summary:
          'Offer to settle a loan (减免结清) for less than it owes if paid by a date; a discount above the approval threshold waits for a second person',
        headers: idempotencyHeader,
        params: loanIdParam,
        body: offerBody,
        response: { 201: offerResponse, 202: offerResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const offerMinor = requestAmount(deps, request.body.offer, '/body/offer');
      const principal = request.principal!;
      const clientId = `${principal.userId}:${request.idempotency?.key ?? ''}`;
      const loanId = request.params.loanId;
      const note = request.body.note ?? null;
      return commitLedgerWrite(deps, request, reply, async (tx): Promise<WriteOutcome<unknown>> => {
        const day = await getBusinessDay(tx);
        const validThrough = validThroughDay(deps, request.body.validThrough, day);
        const loan = await lockedLoan(tx, loanId);
        const command: SettlementOfferCommand = {
          type: 'offer-settlement',
          offerMinor,
          validThroughDay: validThrough,
          day,
          clientId,
        };
        // Planned once to learn what is owed and the discount (and to refuse bad input before anything is written).
        const preview = offeredEvent(planCommand(loan.state, null, command).events);
        const needsApproval = preview.discountMinor > deps.config.restructuringApprovalForgivenAbove_fen;
        const base = {
          customerId: loan.customerId,
          offerId: newId('SO'),
          loanId,
          offerMinor,
          validThroughDay: validThrough,
          owedMinor: preview.owedMinor,
          discountMinor: preview.discountMinor,
          proposedBy: principal.userId,
          proposedDay: day,
          note,
        };
        const audit = (action: string, o: StoredSettlementOffer) => [
          {
            action,
            resourceType: 'loan',
            resourceId: loanId,
            customerId: loan.customerId,
            details: { offerId: o.offerId, offerMinor: o.offerMinor, discountMinor: o.discountMinor },
          },
        ];
        if (needsApproval) {
          const pending = await insertSettlementOffer(tx, {
            ...base,
            status: 'pending',
            decidedBy: null,
            decidedDay: null,
            eventSeq: null,
          });
          return {
            status: 202,
            body: presentOffer(pending, { needsApproval }),
            location: `/loans/${loanId}/settlement-offers/${pending.offerId}`,
            audit: audit('loan.settlement.propose', pending),
          };
        }
        const done = await applyLoanCommand(tx, loanId, command);
        await cancelRemindersMootAfter(tx, done.after);
        const event = offeredEvent(done.events);
        const made = await insertSettlementOffer(tx, {
          ...base,
          owedMinor: event.owedMinor,
          discountMinor: event.discountMinor,
          status: 'offered',
          decidedBy: principal.userId,
          decidedDay: day,
          eventSeq: event.seq,
        });
        return {
          status: 201,
          body: presentOffer(made, { needsApproval, loan: done.after, events: done.events }),
          location: `/loans/${loanId}/settlement-offers/${made.offerId}`,
          audit: audit('loan.settlement.offer', made),
        };
      });
    },
  );

  app.post<{ Params: { loanId: string; offerId: string }; Body: { note?: string } }>(
    '/loans/:loanId/settlement-offers/:offerId/approve',
    {
      config: { permission: 'loans.restructure.approve' },
      schema: {
        ...common,
        summary:
          'Approve a pending settlement offer (another user than its proposer): it is made on the business day, against what is owed then',
        headers: idempotencyHeader,
        params: decisionParams,
        body: noteBody,
        response: { 200: offerResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const { loanId, offerId } = request.params;
      return commitLedgerWrite(deps, request, reply, async (tx): Promise<WriteOutcome<unknown>> => {
        const loan = await lockedLoan(tx, loanId);
        const found = await pendingOffer(tx, loanId, offerId);
        if (found.proposedBy === principal.userId) {
          throw new ProblemError(
            'settlement_approval_by_proposer',
            say(LEDGER_MESSAGES, 'settlement_by_proposer', { offerId }),
          );
        }
        const day = await getBusinessDay(tx);
        const done = await applyLoanCommand(tx, loanId, {
          type: 'offer-settlement',
          offerMinor: found.offerMinor,
          validThroughDay: found.validThroughDay,
          day,
          clientId: `settlement:${offerId}`,
        });
        await cancelRemindersMootAfter(tx, done.after);
        const event = offeredEvent(done.events);
        const decided = await decideSettlementOffer(tx, found, {
          status: 'offered',
          decidedBy: principal.userId,
          decidedDay: day,
          note: request.body.note ?? found.note,
          eventSeq: event.seq,
          owedMinor: event.owedMinor,
          discountMinor: event.discountMinor,
        });
        return {
          status: 200,
          body: presentOffer(decided, { loan: done.after, events: done.events }),
          audit: [
            {
              action: 'loan.settlement.approve',
              resourceType: 'loan',
              resourceId: loanId,
              customerId: loan.customerId,
              details: { offerId, proposedBy: found.proposedBy, discountMinor: event.discountMinor },
            },
          ],
        };
      });
    },
  );

  registerRejectRoute(app, deps, {
    collection: 'settlement-offers',
    idName: 'offerId',
    summary: 'Reject a pending settlement offer; nothing changes on the loan',
    response: offerResponse,
    action: 'loan.settlement.reject',
    findPending: pendingOffer,
    reject: decideSettlementOffer,
    present: (o) => presentOffer(o),
  });

  app.post<{ Params: { loanId: string; offerId: string }; Body: { answer: 'accepted' | 'declined' } }>(
    '/loans/:loanId/settlement-offers/:offerId/borrower-response',
    {
      config: { permission: 'loans.restructure' },
      schema: {
        ...common,
        summary:
          "Record the borrower's answer to an offer in force (accepted or declined); the offer itself is unchanged: paid by its last day it settles the loan, unpaid it lapses",
        headers: idempotencyHeader,
        params: decisionParams,
        body: {
          type: 'object',
          required: ['answer'],
          additionalProperties: false,
          properties: { answer: { type: 'string', enum: ['accepted', 'declined'] } },
        },
        response: { 200: offerResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const { loanId, offerId } = request.params;
      const answer = request.body.answer;
      return commitLedgerWrite(deps, request, reply, async (tx): Promise<WriteOutcome<unknown>> => {
        const loan = await lockedLoan(tx, loanId);
        const found = await findSettlementOffer(tx, loanId, offerId, { forUpdate: true });
        if (found === undefined) {
          throw new ProblemError(
            'settlement_offer_not_found',
            say(LEDGER_MESSAGES, 'settlement_offer_not_found', { loanId, offerId }),
            [fieldProblem('/path/offerId', say(LEDGER_MESSAGES, 'no_such_settlement_offer'))],
          );
        }
        if (found.status !== 'offered' || found.outcome !== 'in-force') {
          throw new ProblemError(
            'settlement_offer_status_conflict',
            say(LEDGER_MESSAGES, 'settlement_response_not_in_force', {
              offerId,
              state: found.outcome ?? found.status,
            }),
          );
        }
        const day = await getBusinessDay(tx);
        const answered = {
          ...found,
          borrowerResponse: { answer, recordedBy: principal.userId, recordedDay: day },
        };
        return {
          status: 200,
          body: presentOffer(answered),
          audit: [
            {
              action: SETTLEMENT_RESPONSE_ACTION,
              resourceType: 'loan',
              resourceId: loanId,
              customerId: loan.customerId,
              details: { offerId, answer, day: formatDate(day) },
            },
          ],
        };
      });
    },
  );

  registerListRoute(app, deps, {
    collection: 'settlement-offers',
    summary: "A loan's settlement offers: pending, made (in force, completed or lapsed) and rejected",
    item: offerResponse,
    list: listSettlementOffers,
    present: (o) => presentOffer(o),
  });
}
