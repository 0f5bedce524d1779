import type { FastifyInstance } from 'fastify';
import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_CHANNELS,
  COMPLAINT_OUTCOMES,
  COMPLAINT_ROOT_CAUSES,
  COMPLAINT_STATUSES,
  CollectionsInputError,
  type ComplaintCategory,
  type ComplaintChannel,
  type ComplaintOutcome,
  type ComplaintRootCause,
  type ComplaintStatus,
  checkIntake,
  compileCalendar,
  localTime,
  monthsFromTo,
  nextStatus,
  reputationView,
} from '../../collections/index.js';
import { addMonths, type Day, parseDate } from '../../money/index.js';
import {
  acknowledgeComplaint,
  complaintEvents,
  complaintSubject,
  findComplaint,
  getBusinessDay,
  ID_PATTERN,
  insertComplaint,
  listComplaints,
  type Queryable,
  reputationInputs,
  resolveComplaint,
  type StoredComplaint,
} from '../../store/index.js';
import { businessNow } from '../http/business-clock.js';
import type { ServerDeps } from '../http/context.js';
import { KERNEL_MESSAGES } from '../http/kernel-messages.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError, validationProblem } from '../http/problem.js';
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
import { COMPLAINT_MESSAGES, COMPLAINT_REFUSALS_ZH, COMPLAINT_STATUS_ZH } from './messages.js';
import { presentComplaint, presentEvent } from './presenters.js';
import { complaintDetailSchema, complaintSchema, reputationSchema } from './schemas.js';

const tags = ['complaints'];
const complaintParams = idParam('complaintId', 'Complaint id');
/** A complaint is entered when it comes in: its instant may be at most this far past the clock's now. */
const RECEIVED_AHEAD_MS = 5 * 60_000;
/** The longest reputation view, in months. */
const REPUTATION_MONTHS_MAX = 36;
const MONTH_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])$';

function complaintNotFound(complaintId: string): ProblemError {
  return new ProblemError(
    'complaint_not_found',
    say(COMPLAINT_MESSAGES, 'complaint_not_found', { complaintId }),
  );
}

function inputProblem(error: unknown): never {
  if (error instanceof CollectionsInputError) {
    const text = say(COMPLAINT_MESSAGES, 'complaint_invalid', {
      en_fault: error.message,
      zh_fault: COMPLAINT_REFUSALS_ZH[error.code] ?? error.message,
    });
    throw new ProblemError('complaint_invalid', text, [fieldProblem(`/body/${error.field}`, text)]);
  }
  throw error;
}

/** 投诉: intake, SLA timers, the workflow to resolution, and the reputation view. */
export async function complaintRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const settings = deps.config.complaintSettings;
  const calendar = compileCalendar(settings.calendar);
  const present = (c: StoredComplaint, today: Day) => presentComplaint(c, today, settings, calendar);

  async function loadForUpdate(tx: Queryable, complaintId: string): Promise<StoredComplaint> {
    const c = await findComplaint(tx, complaintId, true);
    if (c === undefined) throw complaintNotFound(complaintId);
    return c;
  }

  function transition(c: StoredComplaint, action: 'acknowledge' | 'resolve'): void {
    const next = nextStatus(c.status, action);
    if (!next.ok) {
      throw new ProblemError(
        'complaint_status_conflict',
        say(COMPLAINT_MESSAGES, action === 'acknowledge' ? 'cannot_be_acknowledged' : 'cannot_be_resolved', {
          complaintId: c.complaintId,
          en_fault: next.message,
          zh_fault: COMPLAINT_STATUS_ZH[c.status] ?? next.message,
        }),
      );
    }
  }

  app.get<{
    Querystring: {
      limit: number;
      cursor?: string;
      status?: ComplaintStatus;
      open?: boolean;
      customerId?: string;
      caseId?: string;
      category?: ComplaintCategory;
    };
  }>(
    '/complaints',
    {
      config: { permission: 'complaints.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Complaints, newest first, each with its SLA timers as of the business day',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties(deps.config),
            status: { type: 'string', enum: [...COMPLAINT_STATUSES] },
            open: { type: 'boolean', description: 'true: not yet resolved; false: resolved' },
            customerId: { type: 'string', pattern: ID_PATTERN },
            caseId: { type: 'string', pattern: ID_PATTERN },
            category: { type: 'string', enum: [...COMPLAINT_CATEGORIES] },
          },
        },
        response: { 200: pageResponse(complaintSchema), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const cursor = decodeCursor(q.cursor, 'string');
      const sep = cursor?.lastIndexOf('|') ?? -1;
      if (cursor !== undefined && sep < 0) {
        throw new ProblemError('cursor_invalid', say(COMPLAINT_MESSAGES, 'cursor_invalid'), [
          fieldProblem('/query/cursor', say(KERNEL_MESSAGES, 'cursor_not_of_list')),
        ]);
      }
      const rows = await listComplaints(deps.db, {
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(q.open === undefined ? {} : { open: q.open }),
        ...(q.customerId === undefined ? {} : { customerId: q.customerId }),
        ...(q.caseId === undefined ? {} : { caseId: q.caseId }),
        ...(q.category === undefined ? {} : { category: q.category }),
        ...(cursor === undefined
          ? {}
          : { after: { receivedAt: cursor.slice(0, sep), complaintId: cursor.slice(sep + 1) } }),
        limit: q.limit + 1,
      });
      const today = await getBusinessDay(deps.db);
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return {
        items: page.map((c) => present(c, today)),
        nextCursor:
          rows.length > q.limit && last !== undefined
            ? encodeCursor(`${last.receivedAt}|${last.complaintId}`)
            : null,
      };
    },
  );

  app.get<{ Querystring: { from?: string; to?: string } }>(
    '/complaints/reputation',
    {
      config: { permission: 'complaints.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Complaints per 10,000 active borrowers by category and month, with alerts on a spike (the rule is in the answer)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            from: {
              type: 'string',
              pattern: MONTH_PATTERN,
              description: 'YYYY-MM; default 11 months before to',
            },
            to: {
              type: 'string',
              pattern: MONTH_PATTERN,
              description: 'YYYY-MM; default the business month',
            },
          },
        },
        response: { 200: reputationSchema, ...problemResponses },
      },
    },
    async (request) => {
      const today = await getBusinessDay(deps.db);
      const toStart = parseDate(`${request.query.to ?? businessMonth(today)}-01`);
      const fromStart =
        request.query.from === undefined ? addMonths(toStart, -11) : parseDate(`${request.query.from}-01`);
      const months = monthsFromTo(businessMonth(fromStart), businessMonth(toStart));
      // A month after the business month has no complaints and no borrowers yet: its rates would be made up.
      if (toStart > parseDate(`${businessMonth(today)}-01`)) {
        throw new ProblemError(
          'date_out_of_range',
          say(COMPLAINT_MESSAGES, 'reputation_to_ahead', {
            to: businessMonth(toStart),
            month: businessMonth(today),
          }),
          [
            fieldProblem(
              '/query/to',
              say(COMPLAINT_MESSAGES, 'reputation_to', { month: businessMonth(today) }),
            ),
          ],
        );
      }
      if (fromStart > toStart || months.length > REPUTATION_MONTHS_MAX) {
        throw new ProblemError(
          'date_out_of_range',
          say(COMPLAINT_MESSAGES, 'reputation_span', { months: REPUTATION_MONTHS_MAX }),
          [
            fieldProblem(
              '/query/from',
              say(COMPLAINT_MESSAGES, 'reputation_from', { months: REPUTATION_MONTHS_MAX }),
            ),
          ],
        );
      }
      // The baseline months before the first shown one are read too, so its spike is judged like the rest.
      const inputs = await reputationInputs(
        deps.db,
        addMonths(fromStart, -settings.spike.baselineMonths),
        toStart,
      );
      return reputationView(months, inputs.activity, inputs.counts, settings.spike);
    },
  );

  app.get<{ Params: { complaintId: string } }>(
    '/complaints/:complaintId',
    {
      config: { permission: 'complaints.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'A complaint with its SLA timers and every step taken on it',
        params: complaintParams,
        response: { 200: complaintDetailSchema, ...problemResponses },
      },
    },
    async (request) => {
      const c = await findComplaint(deps.db, request.params.complaintId);
      if (c === undefined) throw complaintNotFound(request.params.complaintId);
      const today = await getBusinessDay(deps.db);
      return {
        ...present(c, today),
        events: (await complaintEvents(deps.db, c.complaintId)).map(presentEvent),
      };
    },
  );

  app.post<{
    Body: {
      customerId: string;
      loanId?: string;
      channel: ComplaintChannel;
      category: ComplaintCategory;
      summary: string;
      regulatorReference?: string;
      receivedAt?: string;
    };
  }>(
    '/complaints',
    {
      config: { permission: 'complaints.intake' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Record a complaint: linked to the borrower’s open collection case, its timers start on the business day of receipt',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['customerId', 'channel', 'category', 'summary'],
          additionalProperties: false,
          properties: {
            customerId: { type: 'string', pattern: ID_PATTERN },
            loanId: { type: 'string', pattern: ID_PATTERN },
            channel: { type: 'string', enum: [...COMPLAINT_CHANNELS] },
            category: { type: 'string', enum: [...COMPLAINT_CATEGORIES] },
            summary: { type: 'string', minLength: 1, maxLength: 2000 },
            regulatorReference: {
              type: 'string',
              minLength: 1,
              maxLength: 64,
              description: '转办编号 of a regulator referral (required for that channel)',
            },
            receivedAt: {
              type: 'string',
              format: 'date-time',
              description: 'Instant with offset; default now on the business clock',
            },
          },
        },
        response: { 201: complaintSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const nowMs = Date.parse(await businessNow(deps));
      const receivedAtMs = b.receivedAt === undefined ? nowMs : Date.parse(b.receivedAt);
      if (receivedAtMs > nowMs + RECEIVED_AHEAD_MS) {
        throw new ProblemError(
          'complaint_invalid',
          say(COMPLAINT_MESSAGES, 'received_ahead', { receivedAt: String(b.receivedAt) }),
          [fieldProblem('/body/receivedAt', say(COMPLAINT_MESSAGES, 'not_later_than_now'))],
        );
      }
      const receivedDay = localTime(receivedAtMs, deps.config.lenderTimeZone).day;
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const today = await getBusinessDay(tx);
        try {
          checkIntake(
            {
              channel: b.channel,
              category: b.category,
              summary: b.summary,
              receivedDay,
              regulatorReference: b.regulatorReference ?? null,
            },
            today,
            settings.receivedDaysBack_max,
          );
        } catch (error) {
          inputProblem(error);
        }
        const subject = await complaintSubject(tx, b.customerId, b.loanId ?? null);
        if (subject === 'no_customer')
          throw new ProblemError(
            'customer_not_found',
            say(COMPLAINT_MESSAGES, 'customer_not_found', { customerId: b.customerId }),
          );
        if (subject === 'loan_not_theirs') {
          throw validationProblem([
            fieldProblem(
              '/body/loanId',
              say(COMPLAINT_MESSAGES, 'loan_of_customer', { customerId: b.customerId }),
            ),
          ]);
        }
        const c = await insertComplaint(tx, {
          customerId: b.customerId,
          loanId: b.loanId ?? null,
          channel: b.channel,
          category: b.category,
          summary: b.summary,
          regulatorReference: b.regulatorReference ?? null,
          receivedAtMs,
          receivedDay,
          actor: principal.userId,
        });
        return {
          status: 201,
          body: present(c, today),
          location: `/complaints/${c.complaintId}`,
          audit: [
            {
              action: 'complaint.received',
              resourceType: 'complaint',
              resourceId: c.complaintId,
              customerId: c.customerId,
              details: { channel: c.channel, category: c.category, caseId: c.caseId },
            },
          ],
        };
      });
    },
  );

  app.post<{ Params: { complaintId: string }; Body: { note?: string } }>(
    '/complaints/:complaintId/acknowledge',
    {
      config: { permission: 'complaints.handle' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Acknowledge a complaint to the complainant (stops the acknowledge timer)',
        params: complaintParams,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { note: { type: 'string', minLength: 1, maxLength: 1000 } },
        },
        response: { 200: complaintSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const c = await loadForUpdate(tx, request.params.complaintId);
        transition(c, 'acknowledge');
        const today = await getBusinessDay(tx);
        const updated = await acknowledgeComplaint(
          tx,
          c.complaintId,
          today,
          principal.userId,
          request.body?.note ?? null,
        );
        return {
          status: 200,
          body: present(updated, today),
          audit: [
            {
              action: 'complaint.acknowledged',
              resourceType: 'complaint',
              resourceId: c.complaintId,
              customerId: c.customerId,
              details: {},
            },
          ],
        };
      });
    },
  );

  app.post<{
    Params: { complaintId: string };
    Body: { outcome: ComplaintOutcome; rootCause: ComplaintRootCause; resolution: string };
  }>(
    '/complaints/:complaintId/resolve',
    {
      config: { permission: 'complaints.handle' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Resolve a complaint with its outcome and root cause; collection resumes as configured',
        params: complaintParams,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['outcome', 'rootCause', 'resolution'],
          additionalProperties: false,
          properties: {
            outcome: { type: 'string', enum: [...COMPLAINT_OUTCOMES] },
            rootCause: { type: 'string', enum: [...COMPLAINT_ROOT_CAUSES] },
            resolution: {
              type: 'string',
              minLength: 1,
              maxLength: 2000,
              description: 'What was decided and told to the complainant',
            },
          },
        },
        response: { 200: complaintSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      if (b.resolution.trim() === '') {
        throw validationProblem([
          fieldProblem('/body/resolution', say(COMPLAINT_MESSAGES, 'resolution_says')),
        ]);
      }
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const c = await loadForUpdate(tx, request.params.complaintId);
        transition(c, 'resolve');
        const today = await getBusinessDay(tx);
        const updated = await resolveComplaint(tx, c.complaintId, today, principal.userId, b);
        return {
          status: 200,
          body: present(updated, today),
          audit: [
            {
              action: 'complaint.resolved',
              resourceType: 'complaint',
              resourceId: c.complaintId,
              customerId: c.customerId,
              details: { outcome: b.outcome, rootCause: b.rootCause },
            },
          ],
        };
      });
    },
  );
}

function businessMonth(day: Day): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 7);
}
