import type { FastifyInstance } from 'fastify';
import { cancelRemindersMootAfter, SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../../jobs/index.js';
import { formatMinor } from '../../money/index.js';
import {
  appendAudit,
  applyLoanCommand,
  findPortalPayment,
  getBusinessDay,
  insertPortalPayment,
  newPaymentId,
  type PortalPayment,
  setPaymentGateway,
  settlePortalPayment,
  testGatewayOn,
} from '../../store/index.js';
import { refreshCaseOfLoan } from '../collections/after-repayment.js';
import { amountSchema } from '../http/amount.js';
import type { ServerDeps } from '../http/context.js';
import { rawBodyOf } from '../http/json-body.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import { idempotencyHeader, idParam, problemResponses } from '../http/schemas.js';
import { controlLineOfLoan } from '../ledger/line-controls.js';
import { requestAmount, toLedgerProblem } from '../ledger/request.js';
import { borrowerOf, borrowerSecurity, requireBorrower } from './auth.js';
import { callbackSignatureValid, type PaymentGateway, testGateway } from './gateway.js';
import { type RepaymentPurpose, repaymentOptions } from './loan-figures.js';
import { PORTAL_MESSAGES } from './messages.js';
import { ownLoan } from './read-routes.js';

const KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

const paymentSchema = {
  type: 'object',
  required: ['paymentId', 'loanId', 'purpose', 'amount', 'currency', 'status', 'payUrl'],
  properties: {
    paymentId: { type: 'string' },
    loanId: { type: 'string' },
    purpose: { type: 'string', enum: ['instalment', 'overdue', 'payoff'] },
    amount: { type: 'string' },
    currency: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'paid', 'failed'] },
    payUrl: { type: ['string', 'null'], description: 'Where the borrower pays (the gateway’s page)' },
  },
} as const;

function presentPayment(p: PortalPayment) {
  return {
    paymentId: p.paymentId,
    loanId: p.loanId,
    purpose: p.purpose,
    amount: formatMinor(p.amountMinor),
    currency: p.currency,
    status: p.status,
    payUrl: p.payUrl,
  };
}

/** The gateway in use: the test gateway where the demo or a test turned it on; none otherwise. */
async function gatewayOf(deps: ServerDeps): Promise<PaymentGateway | undefined> {
  return (await testGatewayOn(deps.db)) ? testGateway(deps.cipher) : undefined;
}

function noGateway(): ProblemError {
  return new ProblemError('portal_payments_unavailable', say(PORTAL_MESSAGES, 'payments_unavailable'));
}

export async function portalPaymentRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const common = { tags: ['portal'], security: borrowerSecurity } as const;
  const guard = { config: { borrower: true }, preHandler: requireBorrower } as const;

  app.post<{ Params: { loanId: string }; Body: { purpose: RepaymentPurpose; amount: string } }>(
    '/portal/loans/:loanId/payments',
    {
      ...guard,
      schema: {
        ...common,
        summary:
          'Start a repayment of the instalment, the overdue amount or the whole loan at the amount quoted (GET …/repayment-quote); the borrower pays at payUrl',
        params: idParam('loanId', 'Loan id'),
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['purpose', 'amount'],
          additionalProperties: false,
          properties: {
            purpose: { type: 'string', enum: ['instalment', 'overdue', 'payoff'] },
            amount: { ...amountSchema, description: 'The amount quoted for this purpose, as shown' },
          },
        },
        response: { 201: paymentSchema, 200: paymentSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { customerId } = borrowerOf(request);
      const key = String(request.headers['idempotency-key']);
      if (!KEY.test(key)) {
        throw new ProblemError('idempotency_key_invalid', say(PORTAL_MESSAGES, 'key_invalid'), [
          fieldProblem('/header/idempotency-key', say(PORTAL_MESSAGES, 'key_chars')),
        ]);
      }
      const loan = await ownLoan(deps, request, request.params.loanId);
      const gateway = await gatewayOf(deps);
      if (gateway === undefined) throw noGateway();
      const amountMinor = requestAmount(deps, request.body.amount, '/body/amount');
      const { options } = await repaymentOptions(deps.db, loan);
      const option = options.find((o) => o.purpose === request.body.purpose);
      if (option === undefined) {
        throw new ProblemError(
          'portal_quote_changed',
          say(PORTAL_MESSAGES, 'nothing_to_pay', { purpose: request.body.purpose }),
          [fieldProblem('/body/purpose', say(PORTAL_MESSAGES, 'purpose_not_offered'))],
        );
      }
      if (option.amountMinor !== amountMinor) {
        throw new ProblemError(
          'portal_quote_changed',
          say(PORTAL_MESSAGES, 'quote_changed', { amount: formatMinor(option.amountMinor) }),
          [
            fieldProblem(
              '/body/amount',
              say(PORTAL_MESSAGES, 'amount_now', { amount: formatMinor(option.amountMinor) }),
            ),
          ],
        );
      }
      const { payment, created } = await deps.db.transaction(async (tx) => {
        const r = await insertPortalPayment(tx, {
          customerId,
          paymentId: newPaymentId(deps.now()),
          loanId: loan.loanId,
          purpose: option.purpose,
          amountMinor,
          currency: loan.state.product.currency,
          idempotencyKey: key,
        });
        if (r.created) {
          await appendAudit(tx, {
            actorUserId: customerId,
            actorRole: 'borrower',
            action: 'portal.payment_start',
            requestId: request.id,
            resourceType: 'portal_payment',
            resourceId: r.payment.paymentId,
            customerId,
            details: { loanId: loan.loanId, purpose: option.purpose, amountMinor },
          });
        }
        return r;
      });
      if (!created) {
        if (
          payment.loanId !== loan.loanId ||
          payment.purpose !== option.purpose ||
          payment.amountMinor !== amountMinor
        ) {
          throw new ProblemError('idempotency_key_reused', say(PORTAL_MESSAGES, 'key_reused'));
        }
        reply.code(200);
        return presentPayment(payment);
      }
      const started = await gateway.createPayment({
        paymentId: payment.paymentId,
        amount: formatMinor(amountMinor),
        currency: payment.currency,
      });
      await setPaymentGateway(deps.db, payment.paymentId, started.gatewayPaymentId, started.payUrl);
      reply.code(201);
      return presentPayment({
        ...payment,
        gatewayPaymentId: started.gatewayPaymentId,
        payUrl: started.payUrl,
      });
    },
  );

  app.get<{ Params: { paymentId: string } }>(
    '/portal/payments/:paymentId',
    {
      ...guard,
      schema: {
        ...common,
        summary: 'A repayment the borrower started, and whether the gateway says it was paid',
        params: idParam('paymentId', 'Payment id'),
        response: { 200: paymentSchema, ...problemResponses },
      },
    },
    async (request) => {
      const payment = await findPortalPayment(deps.db, request.params.paymentId);
      if (payment === undefined || payment.customerId !== borrowerOf(request).customerId) {
        throw new ProblemError('portal_payment_not_found', say(PORTAL_MESSAGES, 'payment_not_found'), [
          fieldProblem('/params/paymentId', say(PORTAL_MESSAGES, 'no_such_payment')),
        ]);
      }
      return presentPayment(payment);
    },
  );

  app.post<{
    Body: {
      paymentId: string;
      gatewayPaymentId: string;
      status: 'paid' | 'failed';
      amount: string;
      currency: string;
    };
  }>(
    '/portal/payment-callbacks',
    {
      config: { public: true },
      schema: {
        tags: ['portal'],
        security: [],
        summary:
          'The payment gateway tells the outcome of a payment, signed (HMAC-SHA256 over "timestamp.body"); a paid payment is posted as a repayment once',
        headers: {
          type: 'object',
          required: [SIGNATURE_HEADER, TIMESTAMP_HEADER],
          properties: {
            [SIGNATURE_HEADER]: { type: 'string', maxLength: 200 },
            [TIMESTAMP_HEADER]: { type: 'string', maxLength: 20 },
          },
        },
        body: {
          type: 'object',
          required: ['paymentId', 'gatewayPaymentId', 'status', 'amount', 'currency'],
          additionalProperties: false,
          properties: {
            paymentId: { type: 'string', maxLength: 64 },
            gatewayPaymentId: { type: 'string', maxLength: 128 },
            status: { type: 'string', enum: ['paid', 'failed'] },
            amount: amountSchema,
            currency: { type: 'string', maxLength: 8 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['paymentId', 'status', 'repeated'],
            properties: {
              paymentId: { type: 'string' },
              status: { type: 'string' },
              repeated: { type: 'boolean', description: 'true when this outcome was recorded before' },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const gateway = await gatewayOf(deps);
      if (
        gateway === undefined ||
        !callbackSignatureValid(gateway.callbackSecret, request.headers, rawBodyOf(request), deps.now())
      ) {
        throw new ProblemError(
          'portal_callback_signature_invalid',
          say(PORTAL_MESSAGES, 'callback_signature'),
        );
      }
      const body = request.body;
      const amountMinor = requestAmount(deps, body.amount, '/body/amount');
      const outcome = await deps.db
        .transaction(async (tx) => {
          const payment = await findPortalPayment(tx, body.paymentId, { forUpdate: true });
          if (payment === undefined) {
            throw new ProblemError('portal_payment_not_found', say(PORTAL_MESSAGES, 'payment_not_found'), [
              fieldProblem('/body/paymentId', say(PORTAL_MESSAGES, 'no_such_payment')),
            ]);
          }
          if (
            payment.gatewayPaymentId !== body.gatewayPaymentId ||
            payment.amountMinor !== amountMinor ||
            payment.currency !== body.currency
          ) {
            throw new ProblemError('portal_callback_mismatch', say(PORTAL_MESSAGES, 'callback_mismatch'));
          }
          if (payment.status !== 'pending') {
            if (payment.status !== body.status)
              throw new ProblemError('portal_callback_mismatch', say(PORTAL_MESSAGES, 'callback_mismatch'));
            return { payment, repeated: true };
          }
          let eventSeq: number | null = null;
          if (body.status === 'paid') {
            const day = await getBusinessDay(tx);
            // Keyed on the payment: however often the gateway calls, the ledger takes one repayment.
            const r = await applyLoanCommand(tx, payment.loanId, {
              type: 'repay',
              amountMinor,
              day,
              clientId: `portal:${payment.paymentId}`,
              excess: payment.purpose === 'payoff' ? 'prepay' : 'credit',
            });
            eventSeq = r.after.state.seq;
            // In the payment's transaction: a reminder the payment made moot is never sent after it.
            await cancelRemindersMootAfter(tx, r.after);
          }
          await settlePortalPayment(tx, payment.paymentId, body.status, eventSeq);
          await appendAudit(tx, {
            actorUserId: null,
            actorRole: 'payment_gateway',
            action: body.status === 'paid' ? 'portal.payment_paid' : 'portal.payment_failed',
            requestId: request.id,
            resourceType: 'portal_payment',
            resourceId: payment.paymentId,
            customerId: payment.customerId,
            details: {
              loanId: payment.loanId,
              gatewayPaymentId: body.gatewayPaymentId,
              amountMinor,
              eventSeq,
            },
          });
          return { payment, repeated: false };
        })
        .catch((error: unknown) => {
          throw toLedgerProblem(error);
        });
      if (!outcome.repeated && body.status === 'paid') {
        // As after a repayment at the counter: the line controls and the collection case follow at once.
        await controlLineOfLoan(deps, outcome.payment.loanId, request.log).catch(() => undefined);
        await refreshCaseOfLoan(deps, outcome.payment.loanId, request.log).catch(() => undefined);
      }
      return { paymentId: outcome.payment.paymentId, status: body.status, repeated: outcome.repeated };
    },
  );

  // The built-in test gateway's own pages (hidden from the API document; answer only where it is on).
  const testOnly = async () => {
    const gateway = await gatewayOf(deps);
    if (gateway === undefined) throw noGateway();
    return gateway;
  };

  app.get<{ Params: { paymentId: string } }>(
    '/test-gateway/payments/:paymentId',
    {
      config: { public: true },
      schema: { hide: true, params: idParam('paymentId', 'Payment id') },
    },
    async (request) => {
      await testOnly();
      const p = await findPortalPayment(deps.db, request.params.paymentId);
      if (p === undefined) {
        throw new ProblemError('portal_payment_not_found', say(PORTAL_MESSAGES, 'payment_not_found'));
      }
      return {
        paymentId: p.paymentId,
        amount: formatMinor(p.amountMinor),
        currency: p.currency,
        status: p.status,
      };
    },
  );

  app.post<{ Params: { paymentId: string }; Body: { outcome: 'paid' | 'failed' } }>(
    '/test-gateway/payments/:paymentId/complete',
    {
      config: { public: true },
      schema: {
        hide: true,
        params: idParam('paymentId', 'Payment id'),
        body: {
          type: 'object',
          required: ['outcome'],
          additionalProperties: false,
          properties: { outcome: { type: 'string', enum: ['paid', 'failed'] } },
        },
      },
    },
    async (request, reply) => {
      const gateway = await testOnly();
      const p = await findPortalPayment(deps.db, request.params.paymentId);
      if (p === undefined || p.gatewayPaymentId === null) {
        throw new ProblemError('portal_payment_not_found', say(PORTAL_MESSAGES, 'payment_not_found'));
      }
      const text = JSON.stringify({
        paymentId: p.paymentId,
        gatewayPaymentId: p.gatewayPaymentId,
        status: request.body.outcome,
        amount: formatMinor(p.amountMinor),
        currency: p.currency,
      });
      const timestamp = String(Math.floor(deps.now().getTime() / 1000));
      // A real HTTP call to this server's callback route, as a gateway makes it.
      const answer = await fetch(`${request.protocol}://${request.host}/portal/payment-callbacks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signBody(gateway.callbackSecret, timestamp, text),
        },
        body: text,
      });
      reply.code(answer.status);
      reply.header('content-type', answer.headers.get('content-type') ?? 'application/json');
      return reply.send(await answer.text());
    },
  );
}
