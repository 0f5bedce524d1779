import type { FastifyInstance } from 'fastify';
import {
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  CONTACT_PARTIES,
  CollectionsInputError,
  type ContactChannel,
  type ContactOutcome,
  type ContactParty,
  complaintStopsContact,
  isKnownZone,
  isoInZone,
  localTime,
  OUTCOMES_BY_CHANNEL,
  recallHolds,
} from '../../collections/index.js';
import { BUCKETS, type Bucket } from '../../ledger/index.js';
import { formatDate, MoneyInputError, parseDate } from '../../money/index.js';
import {
  addPromise,
  findCase,
  findUser,
  getBusinessDay,
  ID_PATTERN,
  listCases,
  listContacts,
  listPromises,
  listStepActions,
  loadLatestRecalls,
  logContact,
  openComplaintFacts,
  patchCase,
  type Queryable,
  type StoredCase,
} from '../../store/index.js';
import { amountProblem, readAmount } from '../http/amount.js';
import { businessNow } from '../http/business-clock.js';
import type { ServerDeps } from '../http/context.js';
import { engineRefusal } from '../http/engine-refusals.js';
import { KERNEL_MESSAGES } from '../http/kernel-messages.js';
import { pickLanguage, say } from '../http/messages.js';
import { fieldProblem, ProblemError, problemBody, validationProblem } from '../http/problem.js';
import {
  bearerSecurity,
  decodeCursor,
  encodeCursor,
  idempotencyHeader,
  idParam,
  pageQueryProperties,
  pageResponse,
  problemResponses,
} from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { collectionComplianceRoutes } from './compliance-routes.js';
import {
  caseClosed,
  caseNotFound,
  inAgencyScope,
  refusalProblem,
  refuseCollectorOffCase,
} from './legal-messages.js';
import { collectionLegalRoutes } from './legal-routes.js';
import { COLLECTIONS_MESSAGES, CONTACT_REFUSALS_ZH } from './messages.js';
import { caseNotesRoutes } from './notes-routes.js';
import { inZone, presentCase, presentContact, presentPromise } from './presenters.js';
import {
  caseDetailSchema,
  caseSchema,
  contactRefusedResponse,
  contactSchema,
  promiseSchema,
} from './schemas.js';

const tags = ['collections'];
const caseParams = idParam('caseId', 'Collection case id');
/** An attempt is logged as it is made: at most this far past the business clock's now. */
const CONTACT_AHEAD_MS = 5 * 60_000;

async function openCaseFor(
  tx: Queryable,
  caseId: string,
  principal: { role: string; agencyId?: string | null },
): Promise<StoredCase> {
  const found = await findCase(tx, caseId, true);
  if (found === undefined) throw caseNotFound(caseId);
  const kase = inAgencyScope(principal, found);
  if (kase.status !== 'open') {
    throw caseClosed(kase);
  }
  return kase;
}

async function caseDetail(q: Queryable, kase: StoredCase) {
  return {
    ...presentCase(kase),
    contacts: (await listContacts(q, kase.caseId, inZone(kase.borrowerZone))).map(presentContact),
    promises: (await listPromises(q, kase.caseId)).map(presentPromise),
    // The steps carried out or pending (an agency placement waiting for an active agency, with its reason).
    stepActions: (await listStepActions(q, kase.caseId)).map((a) => ({
      kind: a.kind,
      step: a.stepCode,
      date: a.day,
      status: a.status,
      outcome: a.outcome,
      reference: a.reference,
    })),
    placementHold: await placementHold(q, kase),
  };
}

/**
 * The recall that holds the case off its strategy step (decision 0912), as the refresh decides it: the step
 * does not place the case with an agency until the case leaves it. Null when nothing holds it.
 */
async function placementHold(q: Queryable, kase: StoredCase) {
  if (kase.status !== 'open') return null;
  const recall = (await loadLatestRecalls(q, [kase.caseId])).get(kase.caseId) ?? null;
  if (recall === null || !recallHolds(kase.strategyStep, kase.agencyId, recall)) return null;
  return {
    step: recall.holdStep,
    placementActionSkipped: kase.nextAction === 'agency-placement',
    placementId: recall.placementId,
    agencyId: recall.agencyId,
    agencyName: recall.agencyName,
    recalledDate: recall.recalledDay,
    reason: recall.reason,
    recalledBy: recall.recalledBy,
  };
}

/** 催收: cases, the contact log under the conduct rules, and promises to pay. */
export async function collectionRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  await collectionLegalRoutes(app, deps);
  await caseNotesRoutes(app, deps);
  await collectionComplianceRoutes(app, deps);
  app.get<{
    Querystring: {
      limit: number;
      cursor?: string;
      status?: 'open' | 'closed';
      customerId?: string;
      loanId?: string;
      assignee?: string;
      bucket?: Bucket;
    };
  }>(
    '/collections/cases',
    {
      config: { permission: 'collections.placed.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Collection cases, worst first (days past due), by status, borrower, loan, assignee or bucket',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties(deps.config),
            status: { type: 'string', enum: ['open', 'closed'] },
            customerId: { type: 'string', pattern: ID_PATTERN },
            loanId: { type: 'string', pattern: ID_PATTERN },
            assignee: { type: 'string', pattern: ID_PATTERN, description: 'User id of the collector' },
            bucket: { type: 'string', enum: [...BUCKETS] },
          },
        },
        response: { 200: pageResponse(caseSchema), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const cursor = decodeCursor(q.cursor, 'string');
      const after = cursor === undefined ? undefined : parseCaseCursor(cursor);
      const principal = request.principal!;
      const rows = await listCases(deps.db, {
        // An agency's users list only the cases placed with their agency (none without one).
        ...(principal.role === 'agency' ? { agencyId: principal.agencyId ?? '' } : {}),
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(q.customerId === undefined ? {} : { customerId: q.customerId }),
        ...(q.loanId === undefined ? {} : { loanId: q.loanId }),
        ...(q.assignee === undefined ? {} : { assignee: q.assignee }),
        ...(q.bucket === undefined ? {} : { bucket: q.bucket }),
        ...(after === undefined ? {} : { after }),
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return {
        items: page.map(presentCase),
        nextCursor:
          rows.length > q.limit && last !== undefined
            ? encodeCursor(`${last.maxDaysPastDue}:${last.caseId}`)
            : null,
      };
    },
  );

  app.get<{ Params: { caseId: string } }>(
    '/collections/cases/:caseId',
    {
      config: { permission: 'collections.placed.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'A case with its contact log (refused attempts included) and promises to pay',
        params: caseParams,
        response: { 200: caseDetailSchema, ...problemResponses },
      },
    },
    async (request) => {
      const kase = await findCase(deps.db, request.params.caseId);
      if (kase === undefined) throw caseNotFound(request.params.caseId);
      return caseDetail(deps.db, inAgencyScope(request.principal!, kase));
    },
  );

  app.patch<{
    Params: { caseId: string };
    Body: { assignee?: string | null; lostContact?: boolean; borrowerZone?: string };
  }>(
    '/collections/cases/:caseId',
    {
      config: { permission: 'collections.work' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Assign a case (admin), mark the borrower as lost contact (失联), or set the borrower’s time zone',
        params: caseParams,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            assignee: { type: ['string', 'null'], pattern: ID_PATTERN },
            lostContact: { type: 'boolean' },
            borrowerZone: { type: 'string', minLength: 1, maxLength: 64, examples: ['Asia/Shanghai'] },
          },
        },
        response: { 200: caseSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const principal = request.principal!;
      if (b.borrowerZone !== undefined && !isKnownZone(b.borrowerZone)) {
        throw validationProblem([
          fieldProblem('/body/borrowerZone', say(COLLECTIONS_MESSAGES, 'time_zone_invalid')),
        ]);
      }
      if (b.assignee !== undefined && principal.role !== 'admin') {
        throw new ProblemError('forbidden', say(COLLECTIONS_MESSAGES, 'admin_assigns'));
      }
      if (typeof b.assignee === 'string') {
        const user = await findUser(deps.db, b.assignee);
        if (user === undefined || (user.role !== 'collector' && user.role !== 'admin')) {
          throw validationProblem([
            fieldProblem('/body/assignee', say(COLLECTIONS_MESSAGES, 'not_a_collector')),
          ]);
        }
      }
      return commitWrite(deps, request, reply, async (tx) => {
        await openCaseFor(tx, request.params.caseId, request.principal!);
        const day = await getBusinessDay(tx);
        const updated = await patchCase(
          tx,
          request.params.caseId,
          {
            ...(b.assignee === undefined ? {} : { assignee: b.assignee }),
            ...(b.lostContact === undefined ? {} : { lostContact: b.lostContact }),
            ...(b.borrowerZone === undefined ? {} : { borrowerZone: b.borrowerZone }),
          },
          day,
        );
        return {
          status: 200,
          body: presentCase(updated),
          audit: [
            {
              action: 'collection.case_update',
              resourceType: 'collection_case',
              resourceId: updated.caseId,
              customerId: updated.customerId,
              details: { ...b },
            },
          ],
        };
      });
    },
  );

  app.post<{
    Params: { caseId: string };
    Body: {
      channel: ContactChannel;
      party: ContactParty;
      outcome: ContactOutcome;
      at?: string;
      note?: string;
    };
  }>(
    '/collections/cases/:caseId/contact-attempts',
    {
      config: { permission: 'collections.placed.work' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Log a contact attempt; the conduct rules are checked at that moment and a refusal (422 contact_refused) is logged too. A collector logs only on the cases assigned to them (else 403 forbidden)',
        params: caseParams,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['channel', 'party', 'outcome'],
          additionalProperties: false,
          properties: {
            channel: { type: 'string', enum: [...CONTACT_CHANNELS] },
            party: {
              type: 'string',
              enum: [...CONTACT_PARTIES],
              description: 'borrower, or a contact (third party)',
            },
            outcome: { type: 'string', enum: [...CONTACT_OUTCOMES] },
            at: {
              type: 'string',
              format: 'date-time',
              description:
                'Instant with offset; default now on the business clock. Must fall on the business day.',
            },
            note: { type: 'string', minLength: 1, maxLength: 500 },
          },
        },
        response: { 201: contactSchema, 422: contactRefusedResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      if (!OUTCOMES_BY_CHANNEL[b.channel].includes(b.outcome)) {
        throw validationProblem([
          fieldProblem(
            '/body/outcome',
            say(COLLECTIONS_MESSAGES, 'outcome_of_channel', {
              channel: b.channel,
              outcomes: OUTCOMES_BY_CHANNEL[b.channel].join(', '),
            }),
          ),
        ]);
      }
      const nowMs = Date.parse(await businessNow(deps));
      const atMs = b.at === undefined ? nowMs : Date.parse(b.at);
      const zone = deps.config.lenderTimeZone;
      const businessDay = localTime(nowMs, zone).day;
      if (localTime(atMs, zone).day !== businessDay || atMs > nowMs + CONTACT_AHEAD_MS) {
        throw new ProblemError(
          'date_out_of_range',
          say(COLLECTIONS_MESSAGES, 'attempt_not_today', {
            day: formatDate(businessDay),
            zone,
            at: String(b.at),
          }),
          [
            fieldProblem(
              '/body/at',
              say(COLLECTIONS_MESSAGES, 'attempt_on_day', { day: formatDate(businessDay) }),
            ),
          ],
        );
      }
      const principal = request.principal!;
      return commitWrite<object>(deps, request, reply, async (tx) => {
        const kase = await openCaseFor(tx, request.params.caseId, request.principal!);
        refuseCollectorOffCase(
          principal,
          kase,
          say(COLLECTIONS_MESSAGES, 'not_your_case', { caseId: kase.caseId }),
        );
        // The borrower's open complaints pause or limit collection as the lender configured.
        const complaintOpen = complaintStopsContact(
          await openComplaintFacts(tx, kase.customerId),
          b.channel,
          deps.config.complaintSettings,
        );
        const { attemptId, decision } = await logContact(tx, kase, {
          complaintOpen,
          atMs,
          channel: b.channel,
          party: b.party,
          outcome: b.outcome,
          note: b.note ?? null,
          actor: principal.userId,
        });
        const audit = {
          resourceType: 'collection_case',
          resourceId: kase.caseId,
          customerId: kase.customerId,
        };
        if (!decision.allowed) {
          reply.type('application/problem+json');
          const problem = new ProblemError(
            'contact_refused',
            say(COLLECTIONS_MESSAGES, 'contact_refused', {
              en_fault: decision.message,
              zh_fault: CONTACT_REFUSALS_ZH[decision.rule],
            }),
          );
          // The refusal is an answer, not a thrown problem: it is worded here in the request's language.
          const language = pickLanguage(request.headers['accept-language']);
          reply.header('content-language', language).header('vary', 'Accept-Language');
          const body = {
            ...problemBody(problem, request.id, language),
            rule: decision.rule,
            nextAllowedAt:
              decision.nextAllowedAtMs === null
                ? null
                : isoInZone(decision.nextAllowedAtMs, kase.borrowerZone),
            attemptId,
          };
          return {
            status: 422,
            body,
            replayText: JSON.stringify(body),
            audit: [
              {
                ...audit,
                action: 'collection.contact_refused',
                details: { attemptId, rule: decision.rule, channel: b.channel, party: b.party },
              },
            ],
          };
        }
        const logged = (await listContacts(tx, kase.caseId, inZone(kase.borrowerZone))).find(
          (c) => c.attemptId === attemptId,
        );
        if (logged === undefined) throw new Error(`assertion: attempt ${attemptId} vanished`);
        return {
          status: 201,
          body: presentContact(logged),
          location: `/collections/cases/${kase.caseId}`,
          audit: [
            {
              ...audit,
              action: 'collection.contact_logged',
              details: { attemptId, channel: b.channel, party: b.party, outcome: b.outcome },
            },
          ],
        };
      });
    },
  );

  app.post<{ Params: { caseId: string }; Body: { amount: string; promisedDate: string } }>(
    '/collections/cases/:caseId/promises',
    {
      config: { permission: 'collections.placed.work' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Record a promise to pay (承诺还款): kept or broken is decided from the ledger’s repayments. A collector records only on the cases assigned to them (else 403 forbidden)',
        params: caseParams,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['amount', 'promisedDate'],
          additionalProperties: false,
          properties: {
            amount: { type: 'string', maxLength: 24, description: 'yuan, e.g. "500.00"' },
            promisedDate: {
              type: 'string',
              maxLength: 10,
              description: 'YYYY-MM-DD, from the business day on',
            },
          },
        },
        response: { 201: promiseSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const amount = readAmount(b.amount, deps.config.amount_max_fen);
      if (!amount.ok) {
        throw amountProblem('amount', '/body/amount', amount.text);
      }
      let promisedDay: number;
      try {
        promisedDay = parseDate(b.promisedDate, 'promisedDate');
      } catch (error) {
        if (error instanceof MoneyInputError)
          throw validationProblem([
            fieldProblem('/body/promisedDate', engineRefusal(error.code, error.message)),
          ]);
        throw error;
      }
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const kase = await openCaseFor(tx, request.params.caseId, request.principal!);
        refuseCollectorOffCase(
          principal,
          kase,
          say(COLLECTIONS_MESSAGES, 'not_your_case', { caseId: kase.caseId }),
        );
        const day = await getBusinessDay(tx);
        let promise: Awaited<ReturnType<typeof addPromise>>;
        try {
          promise = await addPromise(tx, kase, amount.fen, promisedDay, day, principal.userId);
        } catch (error) {
          if (error instanceof CollectionsInputError) {
            throw refusalProblem('promise_invalid', error);
          }
          throw error;
        }
        return {
          status: 201,
          body: presentPromise(promise),
          location: `/collections/cases/${kase.caseId}`,
          audit: [
            {
              action: 'collection.promise',
              resourceType: 'collection_case',
              resourceId: kase.caseId,
              customerId: kase.customerId,
              details: { promiseId: promise.promiseId, amount: b.amount, promisedDate: b.promisedDate },
            },
          ],
        };
      });
    },
  );
}

function parseCaseCursor(cursor: string): { maxDaysPastDue: number; caseId: string } {
  const m = /^(\d{1,6}):([a-z]{2,4}_[0-9a-f]{28})$/.exec(cursor);
  if (m === null) {
    throw new ProblemError('cursor_invalid', say(COLLECTIONS_MESSAGES, 'cursor_invalid'), [
      fieldProblem('/query/cursor', say(KERNEL_MESSAGES, 'cursor_not_of_list')),
    ]);
  }
  return { maxDaysPastDue: Number(m[1]), caseId: m[2] as string };
}
