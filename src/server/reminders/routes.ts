import type { FastifyInstance } from 'fastify';
import { formatMinor } from '../../money/index.js';
import {
  BUSINESS_EVENT_TYPES,
  type BusinessEventType,
  REMINDER_CHANNELS,
  WEBHOOK_URL_CHARS_MAX,
  webhookUrlFault,
} from '../../monitoring/index.js';
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  findLoan,
  findWebhookSubscription,
  listLoanReminders,
  listWebhookSubscriptions,
  type StoredReminder,
  updateWebhookSubscription,
  type WebhookSubscription,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError, validationProblem } from '../http/problem.js';
import { bearerSecurity, idempotencyHeader, idParam, problemResponses } from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { loanNotFound } from '../ledger/index.js';
import { cadenceRoutes } from './cadence-routes.js';
import { REMINDER_MESSAGES } from './messages.js';

/** Reminders listed for one loan at most (a loan has a handful per instalment). */
export const LOAN_REMINDERS_MAX = 1_000;

const reminderResponse = {
  type: 'object',
  required: [
    'reminderKey',
    'stage',
    'channel',
    'scheduledAt',
    'status',
    'legallyRequired',
    'dueDate',
    'amountDue',
    'currency',
    'lang',
    'attempts',
  ],
  properties: {
    reminderKey: {
      type: 'string',
      description: 'loanId/stage/due date: the message’s idempotency key is "reminder:" and this',
    },
    stage: { type: 'string', description: 'The cadence stage, e.g. t-3, t+7, legal-negative-notice' },
    channel: { type: 'string', enum: [...REMINDER_CHANNELS] },
    scheduledAt: {
      type: 'string',
      description: 'When it may go out, inside the borrower’s contact hours (UTC instant)',
    },
    status: { type: 'string', enum: ['planned', 'sent', 'cancelled', 'failed'] },
    cancelReason: {
      type: ['string', 'null'],
      description: 'opted-out, daily-cap, repaid, settled, restructured, written-off or contact-rule',
    },
    failure: { type: ['string', 'null'], description: 'The last delivery error of a failed reminder' },
    legallyRequired: {
      type: 'boolean',
      description: 'The notice before the first negative credit report (征信业管理条例 Art. 15)',
    },
    dueDate: { type: 'string', description: 'The due date the stage is counted from' },
    amountDue: { type: 'string' },
    currency: { type: 'string' },
    lang: { type: 'string', enum: ['zh-CN', 'en'] },
    subject: { type: 'string' },
    body: { type: 'string' },
    sentAt: { type: ['string', 'null'] },
    attempts: { type: 'integer', description: 'Delivery attempts so far' },
  },
} as const;

function presentReminder(r: StoredReminder) {
  return {
    reminderKey: r.reminderKey,
    stage: r.stageId,
    channel: r.channel,
    scheduledAt: r.scheduledAt,
    status: r.status,
    cancelReason: r.cancelReason,
    failure: r.failure,
    legallyRequired: r.legallyRequired,
    dueDate: r.anchorDueDate,
    amountDue: formatMinor(r.amountDueMinor),
    currency: r.currency,
    lang: r.lang,
    subject: r.subject,
    body: r.body,
    sentAt: r.sentAt,
    attempts: r.attempts,
  };
}

const subscriptionResponse = {
  type: 'object',
  required: [
    'subscriptionId',
    'url',
    'eventTypes',
    'description',
    'active',
    'createdBy',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    subscriptionId: { type: 'string' },
    url: { type: 'string' },
    eventTypes: { type: 'array', items: { type: 'string', enum: [...BUSINESS_EVENT_TYPES] } },
    description: { type: 'string' },
    active: { type: 'boolean' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    secret: {
      type: 'string',
      description:
        'The HMAC-SHA256 key deliveries are signed with; shown once, at creation (a retry answers without it)',
    },
  },
} as const;

const eventTypes = {
  type: 'array',
  minItems: 1,
  maxItems: BUSINESS_EVENT_TYPES.length,
  uniqueItems: true,
  items: { type: 'string', enum: [...BUSINESS_EVENT_TYPES] },
} as const;
const URL_FIELD = {
  type: 'string',
  minLength: 1,
  maxLength: 2000,
  description: 'An http(s) URL the events are POSTed to',
} as const;
const DESCRIPTION = { type: 'string', maxLength: 500 } as const;

function checkUrl(url: string | undefined): void {
  if (url === undefined) return;
  const fault = webhookUrlFault(url);
  if (fault === undefined) return;
  const text =
    fault.code === 'too_long'
      ? say(REMINDER_MESSAGES, 'url_too_long', { max: WEBHOOK_URL_CHARS_MAX })
      : fault.code === 'protocol'
        ? say(REMINDER_MESSAGES, 'url_protocol', { protocol: fault.protocol ?? '' })
        : say(REMINDER_MESSAGES, `url_${fault.code}`);
  throw validationProblem([fieldProblem('/body/url', text)]);
}

function subscriptionNotFound(id: string): ProblemError {
  return new ProblemError(
    'webhook_subscription_not_found',
    say(REMINDER_MESSAGES, 'webhook_subscription_not_found', { subscriptionId: id }),
    [fieldProblem('/params/subscriptionId', say(REMINDER_MESSAGES, 'subscription_does_not_exist'))],
  );
}

/** Reminders of a loan, and the business-event webhooks a lender subscribes to. */
export async function reminderRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  await cadenceRoutes(app, deps);
  app.get<{ Params: { loanId: string } }>(
    '/loans/:loanId/reminders',
    {
      config: { permission: 'loans.read' },
      schema: {
        tags: ['loans'],
        security: bearerSecurity,
        summary: 'The loan’s reminders: planned, sent, cancelled (and why) and failed, by scheduled time',
        params: idParam('loanId', 'Loan id'),
        response: {
          200: {
            type: 'object',
            required: ['loanId', 'items'],
            properties: { loanId: { type: 'string' }, items: { type: 'array', items: reminderResponse } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const loan = await findLoan(deps.db, request.params.loanId);
      if (loan === undefined) throw loanNotFound(request.params.loanId);
      const items = await listLoanReminders(deps.db, loan.loanId, LOAN_REMINDERS_MAX);
      return { loanId: loan.loanId, items: items.map(presentReminder) };
    },
  );

  const hooks = { tags: ['webhooks'], security: bearerSecurity };
  const present = (s: WebhookSubscription) => ({ ...s });

  app.post<{ Body: { url: string; eventTypes: BusinessEventType[]; description?: string } }>(
    '/webhook-subscriptions',
    {
      config: { permission: 'webhooks.manage' },
      schema: {
        ...hooks,
        summary:
          'Subscribe a URL to business events (loan.past_due, bucket.changed, line.frozen, reminder.failed), signed with HMAC-SHA256',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['url', 'eventTypes'],
          additionalProperties: false,
          properties: { url: URL_FIELD, eventTypes, description: DESCRIPTION },
        },
        response: { 201: subscriptionResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      checkUrl(b.url);
      return commitWrite(deps, request, reply, async (tx) => {
        const { subscription, secret } = await createWebhookSubscription(
          tx,
          deps.cipher,
          { url: b.url, eventTypes: b.eventTypes, description: b.description ?? '' },
          request.principal!.userId,
        );
        return {
          status: 201,
          body: { ...present(subscription), secret },
          // The secret is not kept with the stored answer: a retry gets the subscription without it.
          replayBody: present(subscription),
          location: `/webhook-subscriptions/${subscription.subscriptionId}`,
          audit: [
            {
              action: 'webhook_subscription.create',
              resourceType: 'webhook_subscription',
              resourceId: subscription.subscriptionId,
              customerId: null,
              details: { url: subscription.url, eventTypes: subscription.eventTypes },
            },
          ],
        };
      });
    },
  );

  app.get(
    '/webhook-subscriptions',
    {
      config: { permission: 'webhooks.read' },
      schema: {
        ...hooks,
        summary: 'Every webhook subscription (without secrets)',
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: subscriptionResponse } },
          },
          ...problemResponses,
        },
      },
    },
    async () => ({ items: (await listWebhookSubscriptions(deps.db)).map(present) }),
  );

  app.get<{ Params: { subscriptionId: string } }>(
    '/webhook-subscriptions/:subscriptionId',
    {
      config: { permission: 'webhooks.read' },
      schema: {
        ...hooks,
        summary: 'One webhook subscription (without its secret)',
        params: idParam('subscriptionId', 'Subscription id'),
        response: { 200: subscriptionResponse, ...problemResponses },
      },
    },
    async (request) => {
      const s = await findWebhookSubscription(deps.db, request.params.subscriptionId);
      if (s === undefined) throw subscriptionNotFound(request.params.subscriptionId);
      return present(s);
    },
  );

  app.patch<{
    Params: { subscriptionId: string };
    Body: { url?: string; eventTypes?: BusinessEventType[]; description?: string; active?: boolean };
  }>(
    '/webhook-subscriptions/:subscriptionId',
    {
      config: { permission: 'webhooks.manage' },
      schema: {
        ...hooks,
        summary: 'Change a subscription’s URL, events or description, or pause it (active: false)',
        params: idParam('subscriptionId', 'Subscription id'),
        headers: idempotencyHeader,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { url: URL_FIELD, eventTypes, description: DESCRIPTION, active: { type: 'boolean' } },
        },
        response: { 200: subscriptionResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      checkUrl(request.body.url);
      const id = request.params.subscriptionId;
      return commitWrite(deps, request, reply, async (tx) => {
        const s = await updateWebhookSubscription(tx, id, request.body);
        if (s === undefined) throw subscriptionNotFound(id);
        return {
          status: 200,
          body: present(s),
          audit: [
            {
              action: 'webhook_subscription.update',
              resourceType: 'webhook_subscription',
              resourceId: id,
              customerId: null,
              details: { ...request.body },
            },
          ],
        };
      });
    },
  );

  app.delete<{ Params: { subscriptionId: string } }>(
    '/webhook-subscriptions/:subscriptionId',
    {
      config: { permission: 'webhooks.manage' },
      schema: {
        ...hooks,
        summary: 'Remove a subscription; its deliveries not yet made are cancelled',
        params: idParam('subscriptionId', 'Subscription id'),
        headers: idempotencyHeader,
        response: { 204: { type: 'null' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const id = request.params.subscriptionId;
      return commitWrite(deps, request, reply, async (tx) => {
        if (!(await deleteWebhookSubscription(tx, id))) throw subscriptionNotFound(id);
        return {
          status: 204,
          body: null,
          audit: [
            {
              action: 'webhook_subscription.delete',
              resourceType: 'webhook_subscription',
              resourceId: id,
              customerId: null,
              details: {},
            },
          ],
        };
      });
    },
  );
}
