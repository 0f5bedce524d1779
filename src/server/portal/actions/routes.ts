/**
 * What a borrower does in the self-service portal besides repaying (issue 19 item 3): ask for hardship help
 * and answer the offer a person makes, upload what a health review asks for, set reminder preferences
 * within the law, ask for an explanation of or object to an automated decision (PIPL Art. 24), and file and
 * follow complaints. Every route acts for the signed-in borrower only: an id of someone else's loan,
 * decision or complaint is answered as not found. Every write takes an Idempotency-Key, kept per borrower.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  COMPLAINT_CATEGORIES,
  CollectionsInputError,
  type ComplaintCategory,
  checkHardshipRequest,
  checkIntake,
  compileCalendar,
  HARDSHIP_CAUSES,
  HARDSHIP_REQUEST_KINDS,
  type HardshipCause,
  type HardshipRequestKind,
  localTime,
} from '../../../collections/index.js';
import { cadenceInForce, cancelRemindersMootAfter } from '../../../jobs/index.js';
import { type Day, formatDate, formatMinor } from '../../../money/index.js';
import {
  checkReminderPreferences,
  isReminderChannel,
  PREFERENCE_WINDOW_MINUTES_MIN,
  REMINDER_CHANNELS,
} from '../../../monitoring/index.js';
import {
  addEvidence,
  answerHardshipOffer,
  applyLoanCommand,
  complaintEvents,
  decideRestructuring,
  findComplaint,
  findDecision,
  findHardshipRequest,
  findLoan,
  findRestructuring,
  getBusinessDay,
  ID_PATTERN,
  insertComplaint,
  insertDecisionRequest,
  insertHardshipRequest,
  insertIncomeDeclaration,
  insertUpload,
  listComplaints,
  listHardshipRequests,
  listReviewRequests,
  listUploads,
  newId,
  openHardshipRequestOfLoan,
  type Queryable,
  refreshCases,
  reminderPreferencesOf,
  reviewRequestOf,
  type StoredComplaint,
  type StoredHardshipRequest,
  saveReminderPreferences,
} from '../../../store/index.js';
import { COMPLAINT_REFUSALS_ZH } from '../../complaints/messages.js';
import { presentComplaint, presentEvent } from '../../complaints/presenters.js';
import { complaintSchema } from '../../complaints/schemas.js';
import { amountSchema, readAmount } from '../../http/amount.js';
import { businessNow } from '../../http/business-clock.js';
import type { ServerDeps } from '../../http/context.js';
import { fill, type Language, pickLanguage, say } from '../../http/messages.js';
import { fieldProblem, ProblemError, validationProblem } from '../../http/problem.js';
import { idempotencyHeader, idParam, problemResponses } from '../../http/schemas.js';
import { commitWriteAs, prepareActorWrite, type WriteOutcome } from '../../http/writes.js';
import { commandOf } from '../../ledger/restructuring-routes.js';
import {
  auditBorrowerRead,
  type BorrowerIdentity,
  borrowerOf,
  borrowerSecurity,
  requireBorrower,
} from '../auth.js';
import { borrowerActor } from './borrower.js';
import { decisionExplanation, lineControlExplanation, lineControlReason } from './explanations.js';
import { type FileBody, fileSchema, readUpload } from './files.js';
import { PORTAL_ACTION_MESSAGES as M } from './messages.js';
import { offerTermsSchema } from './offer-terms.js';

const tags = ['portal'];
/** Listed at most per read: a borrower has few of each. */
export const PORTAL_LIST_MAX = 100;
/** Legally required notices a borrower cannot switch off (decision 0841): named for the answer. */
export const ALWAYS_SENT_NOTICES = ['negative-notice'] as const;

const hardshipSchema = {
  type: 'object',
  required: [
    'requestId',
    'loanId',
    'kind',
    'months',
    'cause',
    'declaredMonthlyIncome',
    'status',
    'receivedDate',
  ],
  properties: {
    requestId: { type: 'string' },
    loanId: { type: 'string' },
    kind: { type: 'string', enum: [...HARDSHIP_REQUEST_KINDS] },
    months: { type: 'integer' },
    cause: { type: 'string' },
    declaredMonthlyIncome: { type: 'string' },
    reason: { type: 'string' },
    file: {
      type: ['object', 'null'],
      properties: {
        name: { type: 'string' },
        type: { type: 'string' },
        sha256: { type: 'string' },
        bytes: { type: 'integer' },
      },
    },
    status: { type: 'string', enum: ['received', 'offered', 'accepted', 'declined'] },
    caseId: { type: ['string', 'null'] },
    routedAs: {
      type: ['string', 'null'],
      description: 'inability: recorded as hardship evidence on the open case',
    },
    restructuringId: { type: ['string', 'null'] },
    restructuringStatus: {
      type: ['string', 'null'],
      enum: ['pending', 'applied', 'rejected', null],
      description:
        'the offer as it stands at the lender: pending (waits for the borrower, or for a second person after acceptance), applied, or rejected by the second person',
    },
    offer: { anyOf: [offerTermsSchema, { type: 'null' }] },
    offeredDate: { type: ['string', 'null'] },
    answeredDate: { type: ['string', 'null'] },
    waitsForApproval: {
      type: 'boolean',
      description: 'accepted, and a second person must approve before it applies',
    },
    receivedDate: { type: 'string' },
  },
} as const;

export function presentHardship(r: StoredHardshipRequest, extra: { waitsForApproval?: boolean } = {}) {
  return {
    requestId: r.requestId,
    loanId: r.loanId,
    kind: r.kind,
    months: r.months,
    cause: r.cause,
    declaredMonthlyIncome: formatMinor(r.declaredMonthlyIncomeMinor),
    reason: r.reason,
    file: r.file,
    status: r.status,
    caseId: r.caseId,
    routedAs: r.evidenceId === null ? null : 'inability',
    restructuringId: r.restructuringId,
    restructuringStatus: r.restructuringStatus,
    offer: r.offerTerms,
    offeredDate: r.offeredDay === null ? null : formatDate(r.offeredDay),
    answeredDate: r.answeredDay === null ? null : formatDate(r.answeredDay),
    ...(extra.waitsForApproval === undefined ? {} : { waitsForApproval: extra.waitsForApproval }),
    receivedDate: formatDate(r.receivedDay),
  };
}

const uploadSchema = {
  type: 'object',
  properties: {
    uploadId: { type: 'string' },
    reviewRequestId: { type: 'string' },
    document: { type: 'string' },
    fileName: { type: 'string' },
    fileType: { type: 'string' },
    fileSha256: { type: 'string' },
    fileBytes: { type: 'integer' },
    note: { type: ['string', 'null'] },
    receivedDate: { type: 'string' },
  },
} as const;

export function presentUpload(u: Awaited<ReturnType<typeof listUploads>>[number]) {
  return {
    uploadId: u.uploadId,
    reviewRequestId: u.reviewRequestId,
    document: u.document,
    fileName: u.fileName,
    fileType: u.fileType,
    fileSha256: u.fileSha256,
    fileBytes: u.fileBytes,
    note: u.note,
    receivedDate: formatDate(u.receivedDay),
  };
}

const clockPattern = '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$';
const preferencesSchema = {
  type: 'object',
  required: ['optOuts', 'contactWindow', 'lenderHours', 'alwaysSent'],
  properties: {
    optOuts: { type: 'array', items: { type: 'string' } },
    contactWindow: {
      type: ['object', 'null'],
      properties: { from: { type: 'string' }, to: { type: 'string' } },
    },
    lenderHours: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } } },
    channels: { type: 'array', items: { type: 'string' } },
    alwaysSent: {
      type: 'array',
      items: { type: 'string' },
      description:
        'Legally required notices sent whatever the preferences (the notice before a negative credit report)',
    },
    windowMinutesMin: { type: 'integer' },
  },
} as const;

const clock = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const minuteOf = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));

const automatedSchema = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['origination', 'line-control'] },
    decisionId: { type: 'string' },
    lineId: { type: ['string', 'null'] },
    changeNo: { type: ['integer', 'null'] },
    date: { type: 'string' },
    outcome: { type: 'string' },
    reasons: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          message: { type: 'string' },
          source: { type: 'string' },
          values: { type: 'object', additionalProperties: true },
        },
      },
    },
    riskGrade: { type: ['string', 'null'] },
    explanation: { type: 'string' },
    requests: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          requestId: { type: 'string' },
          kind: { type: 'string' },
          status: { type: 'string' },
          answer: { type: ['string', 'null'] },
          complaintId: { type: ['string', 'null'] },
        },
      },
    },
  },
} as const;

function loanNotYours(loanId: string): ProblemError {
  return new ProblemError('loan_not_found', say(M, 'loan_not_found', { loanId }), [
    fieldProblem('/body/loanId', say(M, 'loan_not_found', { loanId })),
  ]);
}

function hardshipNotFound(requestId: string): ProblemError {
  return new ProblemError('hardship_request_not_found', say(M, 'hardship_not_found', { requestId }));
}

/** The borrower's open collection case, if any (one per borrower). */
async function openCaseOf(q: Queryable, customerId: string): Promise<string | null> {
  const { rows } = await q.query<{ case_id: string }>(
    `select case_id from collection_cases where customer_id = $1 and status = 'open'`,
    [customerId],
  );
  return rows[0]?.case_id ?? null;
}

/**
 * The borrower routes: each signed in through `requireBorrower` before anything else runs (even before
 * the body is read), as staff authentication does.
 */
export async function portalActionRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const settings = deps.config.complaintSettings;
  const calendar = compileCalendar(settings.calendar);
  const config = { borrower: true } as const;
  const onRequest = requireBorrower;

  /** Runs a borrower's write: the key's replay or refusal first, then the work in one transaction. */
  async function write<Body>(
    request: FastifyRequest,
    reply: FastifyReply,
    who: BorrowerIdentity,
    work: (tx: Queryable) => Promise<WriteOutcome<Body>>,
  ): Promise<FastifyReply> {
    const actor = borrowerActor(who);
    if (await prepareActorWrite(deps, request, reply, actor)) return reply;
    return commitWriteAs(deps, request, reply, actor, work);
  }

  // ------------------------------------------------------------------------------------------ hardship
  app.get(
    '/portal/hardship-requests',
    {
      config,
      onRequest,
      schema: {
        tags,
        security: borrowerSecurity,
        summary: "The borrower's hardship requests with the offer made on each (its terms) and its status",
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: hardshipSchema } } },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const who = borrowerOf(request);
      const items = await listHardshipRequests(deps.db, deps.cipher, {
        customerId: who.customerId,
        limit: PORTAL_LIST_MAX,
      });
      return { items: items.map((r) => presentHardship(r)) };
    },
  );

  app.post<{
    Body: {
      loanId: string;
      kind: HardshipRequestKind;
      months: number;
      cause: HardshipCause;
      declaredMonthlyIncome: string;
      reason: string;
      file?: FileBody;
    };
  }>(
    '/portal/hardship-requests',
    {
      config,
      onRequest,
      schema: {
        tags,
        security: borrowerSecurity,
        summary:
          'Ask for hardship help (payment holiday, 协商分期 negotiated plan, term extension) with the declared income and an optional document: recorded as hardship evidence on the open collection case (an inability reading) and as an income declaration; a person answers with an offer',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['loanId', 'kind', 'months', 'cause', 'declaredMonthlyIncome', 'reason'],
          additionalProperties: false,
          properties: {
            loanId: { type: 'string', pattern: ID_PATTERN },
            kind: { type: 'string', enum: [...HARDSHIP_REQUEST_KINDS] },
            months: { type: 'integer', minimum: 1, maximum: 60 },
            cause: { type: 'string', enum: [...HARDSHIP_CAUSES] },
            declaredMonthlyIncome: amountSchema,
            reason: { type: 'string', minLength: 1, maxLength: 1000 },
            file: fileSchema,
          },
        },
        response: { 201: hardshipSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const who = borrowerOf(request);
      const b = request.body;
      const income = readAmount(b.declaredMonthlyIncome, deps.config.amount_max_fen);
      const issues = checkHardshipRequest({
        kind: b.kind,
        months: b.months,
        cause: b.cause,
        declaredMonthlyIncomeMinor: income.ok ? income.fen : -1,
        reason: b.reason,
      });
      if (issues.length > 0) {
        throw validationProblem(
          issues.map((i) => fieldProblem(`/body${i.path}`, say(M, i.reason, i.values))),
        );
      }
      const file = b.file === undefined ? null : readUpload(b.file, '/body/file');
      if (!income.ok) throw new Error('assertion: the core refused a bad income');
      return write(request, reply, who, async (tx) => {
        const loan = await findLoan(tx, b.loanId, { forUpdate: true, customerId: who.customerId });
        if (loan === undefined) throw loanNotYours(b.loanId);
        if (loan.state.status !== 'active')
          throw new ProblemError('loan_not_found', say(M, 'loan_settled', { loanId: b.loanId }));
        const waiting = await openHardshipRequestOfLoan(tx, loan.loanId);
        if (waiting !== undefined)
          throw new ProblemError(
            'hardship_request_exists',
            say(M, 'hardship_exists', { loanId: loan.loanId, requestId: waiting }),
          );
        const day = await getBusinessDay(tx);
        const actor = borrowerActor(who).userId;
        // Routed to collections as an inability reading: hardship evidence on the open case, read by the
        // assessment at once (decision 0712); the declared income feeds a negotiated plan's check (0645).
        const caseId = await openCaseOf(tx, who.customerId);
        const evidence =
          caseId === null
            ? null
            : await addEvidence(
                tx,
                caseId,
                { kind: 'hardship', cause: b.cause, note: 'portal hardship request' },
                day,
                actor,
              );
        await insertIncomeDeclaration(tx, {
          customerId: who.customerId,
          day,
          declaredMonthlyMinor: income.fen,
          note: 'declared with a portal hardship request',
          createdBy: actor,
        });
        const stored = await insertHardshipRequest(tx, deps.cipher, {
          customerId: who.customerId,
          loanId: loan.loanId,
          kind: b.kind,
          months: b.months,
          cause: b.cause,
          declaredMonthlyIncomeMinor: income.fen,
          reason: b.reason.trim(),
          file,
          caseId,
          evidenceId: evidence?.evidenceId ?? null,
          receivedDay: day,
        });
        if (caseId !== null) await refreshCases(tx, day, [who.customerId]);
        const body = presentHardship(stored);
        return {
          status: 201,
          body,
          // The idempotency record keeps no personal data: a replay answers without the borrower's words.
          replayBody: { ...body, reason: '' },
          location: `/portal/hardship-requests/${stored.requestId}`,
          audit: [
            {
              action: 'portal.hardship_request',
              resourceType: 'hardship_request',
              resourceId: stored.requestId,
              customerId: who.customerId,
              details: {
                loanId: loan.loanId,
                kind: b.kind,
                months: b.months,
                cause: b.cause,
                caseId,
                evidenceId: evidence?.evidenceId ?? null,
                fileSha256: file?.sha256 ?? null,
                sessionId: who.sessionId,
              },
            },
          ],
        };
      });
    },
  );

  for (const answer of ['accept', 'decline'] as const) {
    app.post<{ Params: { requestId: string } }>(
      `/portal/hardship-requests/:requestId/${answer}`,
      {
        config,
        onRequest,
        schema: {
          tags,
          security: borrowerSecurity,
          summary:
            answer === 'accept'
              ? 'Accept the offer on a hardship request: applied on the business day through the restructuring command (once), or, above the approval thresholds, waiting for a second person'
              : 'Decline the offer on a hardship request: the pending restructuring is rejected, nothing changes on the loan',
          headers: idempotencyHeader,
          params: idParam('requestId', 'Hardship request id'),
          response: { 200: hardshipSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const who = borrowerOf(request);
        const requestId = request.params.requestId;
        return write(request, reply, who, async (tx) => {
          const found = await findHardshipRequest(tx, deps.cipher, requestId, {
            customerId: who.customerId,
            forUpdate: true,
          });
          if (found === undefined) throw hardshipNotFound(requestId);
          if (found.status !== 'offered' || found.restructuringId === null)
            throw new ProblemError(
              'hardship_offer_not_open',
              say(M, 'no_offer_open', { requestId, status: found.status }),
            );
          const loan = await findLoan(tx, found.loanId, { forUpdate: true, customerId: who.customerId });
          if (loan === undefined) throw loanNotYours(found.loanId);
          const rs = await findRestructuring(tx, found.loanId, found.restructuringId, { forUpdate: true });
          if (rs === undefined || rs.status !== 'pending')
            throw new ProblemError(
              'hardship_offer_not_open',
              say(M, 'offer_withdrawn', {
                requestId,
                restructuringId: found.restructuringId,
                status: rs?.status ?? 'missing',
              }),
            );
          const day = await getBusinessDay(tx);
          const actor = borrowerActor(who).userId;
          let waitsForApproval = false;
          let eventSeq: number | null = null;
          if (answer === 'decline') {
            await decideRestructuring(tx, rs, {
              status: 'rejected',
              decidedBy: actor,
              decidedDay: day,
              note: 'declined by the borrower in the portal',
              eventSeq: null,
            });
          } else {
            waitsForApproval =
              rs.forgivenMinor > deps.config.restructuringApprovalForgivenAbove_fen ||
              rs.monthsExtended > deps.config.restructuringApprovalExtendedAbove_months;
            if (!waitsForApproval) {
              // The same client id as the approval route's: the ledger applies the change once, whoever asks.
              const done = await applyLoanCommand(
                tx,
                found.loanId,
                commandOf(deps, rs.request, day, `restructuring:${rs.restructuringId}`),
              );
              await cancelRemindersMootAfter(tx, done.after);
              const event = done.events.find((e) => e.type === 'LoanRestructured');
              eventSeq = event?.seq ?? null;
              await decideRestructuring(tx, rs, {
                status: 'applied',
                decidedBy: actor,
                decidedDay: day,
                note: 'accepted by the borrower in the portal',
                eventSeq,
              });
            }
          }
          const answered = await answerHardshipOffer(
            tx,
            deps.cipher,
            found,
            answer === 'accept' ? 'accepted' : 'declined',
            day,
          );
          const body = presentHardship(answered, { waitsForApproval });
          return {
            status: 200,
            body,
            replayBody: { ...body, reason: '' },
            audit: [
              {
                action: `portal.hardship_offer.${answer}`,
                resourceType: 'hardship_request',
                resourceId: requestId,
                customerId: who.customerId,
                details: {
                  loanId: found.loanId,
                  restructuringId: rs.restructuringId,
                  waitsForApproval,
                  eventSeq,
                  sessionId: who.sessionId,
                },
              },
            ],
          };
        });
      },
    );
  }

  // ------------------------------------------------------------------------------------------ uploads
  app.get(
    '/portal/health-reviews',
    {
      config,
      onRequest,
      schema: {
        tags,
        security: borrowerSecurity,
        summary: "What the lender's health reviews ask the borrower for, and the files the borrower sent",
        response: {
          200: {
            type: 'object',
            properties: {
              requests: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    requestId: { type: 'string' },
                    document: { type: 'string' },
                    requestDate: { type: 'string' },
                    dueDate: { type: 'string' },
                    status: { type: 'string' },
                  },
                },
              },
              uploads: { type: 'array', items: uploadSchema },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const who = borrowerOf(request);
      const requests = await listReviewRequests(deps.db, who.customerId);
      const uploads = await listUploads(deps.db, who.customerId);
      return {
        requests: requests.map((r) => ({
          requestId: r.requestId,
          document: r.document,
          requestDate: formatDate(r.requestDay),
          dueDate: formatDate(r.dueDay),
          status: r.status,
        })),
        uploads: uploads.map(presentUpload),
      };
    },
  );

  app.post<{ Params: { requestId: string }; Body: { file: FileBody; note?: string } }>(
    '/portal/health-reviews/:requestId/uploads',
    {
      config,
      onRequest,
      schema: {
        tags,
        security: borrowerSecurity,
        summary:
          'Upload the statements or income evidence a health review asks for (PDF, PNG or JPEG, at most 512 KiB): kept with its SHA-256, linked to the request, shown to staff',
        headers: idempotencyHeader,
        params: idParam('requestId', 'Health-review request id'),
        body: {
          type: 'object',
          required: ['file'],
          additionalProperties: false,
          properties: { file: fileSchema, note: { type: 'string', minLength: 1, maxLength: 500 } },
        },
        response: { 201: uploadSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const who = borrowerOf(request);
      const requestId = request.params.requestId;
      const file = readUpload(request.body.file, '/body/file');
      return write(request, reply, who, async (tx) => {
        const review = await reviewRequestOf(tx, who.customerId, requestId);
        if (review === undefined)
          throw new ProblemError(
            'review_request_not_found',
            say(M, 'review_request_not_found', { requestId }),
          );
        if (review.status !== 'open')
          throw new ProblemError('review_request_closed', say(M, 'review_request_closed', { requestId }));
        const stored = await insertUpload(tx, {
          customerId: who.customerId,
          reviewRequestId: requestId,
          document: review.document,
          file,
          note: request.body.note ?? null,
          day: await getBusinessDay(tx),
        });
        return {
          status: 201,
          body: presentUpload(stored),
          audit: [
            {
              action: 'portal.review_upload',
              resourceType: 'review_request',
              resourceId: requestId,
              customerId: who.customerId,
              details: {
                uploadId: stored.uploadId,
                sha256: stored.fileSha256,
                bytes: stored.fileBytes,
                type: stored.fileType,
                sessionId: who.sessionId,
              },
            },
          ],
        };
      });
    },
  );

  // ------------------------------------------------------------------------------------------ reminders
  const defaults = { timeZone: deps.config.lenderTimeZone, lang: 'zh-CN' as const };
  async function presentPreferences(q: Queryable, customerId: string) {
    const hours = (await cadenceInForce(q)).document.hours;
    const p = await reminderPreferencesOf(q, customerId, defaults);
    return {
      optOuts: p.optOuts,
      contactWindow:
        p.window === null ? null : { from: clock(p.window.startMinute), to: clock(p.window.endMinute) },
      lenderHours: { from: clock(hours.startMinute), to: clock(hours.endMinute) },
      channels: [...REMINDER_CHANNELS],
      alwaysSent: [...ALWAYS_SENT_NOTICES],
      windowMinutesMin: PREFERENCE_WINDOW_MINUTES_MIN,
    };
  }

  app.get(
    '/portal/reminder-preferences',
    {
      config,
      onRequest,
      schema: {
        tags,
        security: borrowerSecurity,
        summary:
          "The borrower's reminder channels and contact window, the lender's hours they must lie in, and the notices the law requires whatever the preferences",
        response: { 200: preferencesSchema, ...problemResponses },
      },
    },
    async (request) => presentPreferences(deps.db, borrowerOf(request).customerId),
  );

  app.put<{ Body: { optOuts: string[]; contactWindow: { from: string; to: string } | null } }>(
    '/portal/reminder-preferences',
    {
      config,
      onRequest,
      schema: {
        tags,
        security: borrowerSecurity,
        summary:
          'Set the channels the borrower does not want reminders through and a narrower contact window; legally required notices (the notice before a negative credit report) are sent whatever is set',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['optOuts', 'contactWindow'],
          additionalProperties: false,
          properties: {
            optOuts: {
              type: 'array',
              maxItems: 10,
              uniqueItems: true,
              items: { type: 'string', maxLength: 20 },
            },
            contactWindow: {
              type: ['object', 'null'],
              required: ['from', 'to'],
              additionalProperties: false,
              properties: {
                from: { type: 'string', pattern: clockPattern },
                to: { type: 'string', pattern: clockPattern },
              },
            },
          },
        },
        response: { 200: preferencesSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const who = borrowerOf(request);
      const b = request.body;
      const window =
        b.contactWindow === null
          ? null
          : { startMinute: minuteOf(b.contactWindow.from), endMinute: minuteOf(b.contactWindow.to) };
      const hours = (await cadenceInForce(deps.db)).document.hours;
      const issues = checkReminderPreferences({ optOuts: b.optOuts, window }, hours);
      if (issues.length > 0)
        throw validationProblem(
          issues.map((i) =>
            fieldProblem(
              `/body${i.path}`,
              say(
                M,
                i.reason === 'channel'
                  ? 'pref_channel'
                  : i.reason === 'window_short'
                    ? 'pref_window_short'
                    : 'pref_window_outside',
                i.values,
              ),
            ),
          ),
        );
      return write(request, reply, who, async (tx) => {
        await saveReminderPreferences(
          tx,
          who.customerId,
          { optOuts: b.optOuts.filter(isReminderChannel), window },
          defaults,
        );
        return {
          status: 200,
          body: await presentPreferences(tx, who.customerId),
          audit: [
            {
              action: 'portal.reminder_preferences',
              resourceType: 'customer',
              resourceId: who.customerId,
              customerId: who.customerId,
              details: { optOuts: b.optOuts, window: b.contactWindow, sessionId: who.sessionId },
            },
          ],
        };
      });
    },
  );

  // ------------------------------------------------------------------------------ automated decisions
  async function automatedDecisions(q: Queryable, customerId: string, lang: Language) {
    const decisions = await q.query<{ decision_id: string; application_id: string }>(
      `select d.decision_id, d.application_id from decisions d join applications a using (application_id)
        where a.customer_id = $1 order by d.decided_at desc limit $2`,
      [customerId, PORTAL_LIST_MAX],
    );
    const out: Record<string, unknown>[] = [];
    for (const row of decisions.rows) {
      const stored = await findDecision(q, row.decision_id);
      if (stored === undefined) continue;
      const d = stored.decision;
      const requests = await q.query<{
        request_id: string;
        kind: string;
        status: string;
        answer: string | null;
      }>(
        `select request_id, kind, status, answer from decision_requests where decision_id = $1 order by received_at`,
        [row.decision_id],
      );
      out.push({
        kind: 'origination',
        decisionId: row.decision_id,
        lineId: null,
        changeNo: null,
        date: d.decidedAt.slice(0, 10),
        outcome: d.outcome,
        riskGrade: d.riskGrade,
        reasons: d.reasons.map((r) => ({
          code: r.code,
          message: r.message,
          source: r.source,
          values: r.values,
        })),
        explanation: decisionExplanation(d, lang),
        requests: requests.rows.map((r) => ({
          requestId: r.request_id,
          kind: r.kind,
          status: r.status,
          answer: r.answer,
          complaintId: null,
        })),
      });
    }
    const changes = await q.query<{
      line_id: string;
      change_no: string;
      day: string;
      kind: string;
      code: string;
      reason: string;
    }>(
      `select line_id, change_no::text, day::text, kind, code, reason from credit_line_changes
        where customer_id = $1 and source = 'control' order by change_no desc limit $2`,
      [customerId, PORTAL_LIST_MAX],
    );
    for (const c of changes.rows) {
      const objections = await q.query<{ complaint_id: string; status: string }>(
        `select complaint_id, status from complaints where customer_id = $1 and summary like any($2::text[])
          order by received_at`,
        [customerId, [`%${c.line_id}/${c.change_no} (%`, `%${c.line_id}/${c.change_no}（%`]],
      );
      out.push({
        kind: 'line-control',
        decisionId: `${c.line_id}/${c.change_no}`,
        lineId: c.line_id,
        changeNo: Number(c.change_no),
        date: c.day,
        outcome: c.kind,
        riskGrade: null,
        reasons: [
          {
            code: c.code,
            message: lineControlReason(c.code, c.reason, lang),
            source: 'line-control',
            values: {},
          },
        ],
        explanation: lineControlExplanation(
          { lineId: c.line_id, day: c.day, kind: c.kind, code: c.code, reason: c.reason },
          lang,
        ),
        requests: objections.rows.map((o) => ({
          requestId: o.complaint_id,
          kind: 'objection',
          status: o.status,
          answer: null,
          complaintId: o.complaint_id,
        })),
      });
    }
    return out;
  }

  app.get(
    '/portal/decisions',
    {
      config,
      onRequest,
      schema: {
        tags,
        security: borrowerSecurity,
        summary:
          "Automated decisions about the borrower (origination, line controls) with their stored reasons, in plain words, and the borrower's explanation requests and objections",
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: automatedSchema } } },
          ...problemResponses,
        },
      },
    },
    async (request) => ({
      items: await automatedDecisions(
        deps.db,
        borrowerOf(request).customerId,
        pickLanguage(request.headers['accept-language']),
      ),
    }),
  );

  for (const kind of ['explanation', 'objection'] as const) {
    app.post<{ Params: { decisionId: string }; Body: { statement?: string } }>(
      `/portal/decisions/:decisionId/${kind === 'explanation' ? 'explanation' : 'objections'}`,
      {
        config,
        onRequest,
        schema: {
          tags,
          security: borrowerSecurity,
          summary:
            kind === 'explanation'
              ? 'Ask for an explanation of an origination decision (PIPL Art. 24): answered at once from its stored reasons, and recorded'
              : 'Object to an origination decision (PIPL Art. 24): recorded in the decision-request queue, where a person answers it',
          headers: idempotencyHeader,
          params: idParam('decisionId', 'Decision id'),
          body: {
            type: 'object',
            ...(kind === 'objection' ? { required: ['statement'] } : {}),
            additionalProperties: false,
            properties: {
              statement: { type: 'string', minLength: kind === 'objection' ? 5 : 1, maxLength: 1000 },
            },
          },
          response: {
            201: {
              type: 'object',
              properties: {
                requestId: { type: 'string' },
                decisionId: { type: 'string' },
                kind: { type: 'string' },
                status: { type: 'string' },
                explanation: { type: 'string' },
              },
            },
            ...problemResponses,
          },
        },
      },
      async (request, reply) => {
        const who = borrowerOf(request);
        const decisionId = request.params.decisionId;
        return write(request, reply, who, async (tx) => {
          const owner = await tx.query<{ customer_id: string | null }>(
            `select a.customer_id from decisions d join applications a using (application_id) where d.decision_id = $1`,
            [decisionId],
          );
          const stored =
            owner.rows[0]?.customer_id === who.customerId ? await findDecision(tx, decisionId) : undefined;
          if (stored === undefined)
            throw new ProblemError('decision_not_found', say(M, 'decision_not_found', { decisionId }));
          const created = await insertDecisionRequest(
            tx,
            deps.cipher,
            {
              requestId: newId('req'),
              applicationId: stored.applicationId,
              decisionId,
              kind,
              channel: 'portal',
              statement: request.body.statement ?? null,
            },
            borrowerActor(who).userId,
          );
          return {
            status: 201,
            body: {
              requestId: created.requestId,
              decisionId,
              kind,
              status: created.status,
              explanation: decisionExplanation(
                stored.decision,
                pickLanguage(request.headers['accept-language']),
              ),
            },
            audit: [
              {
                action: `portal.decision_${kind}`,
                resourceType: 'decision_request',
                resourceId: created.requestId,
                customerId: who.customerId,
                details: { decisionId, sessionId: who.sessionId },
              },
            ],
          };
        });
      },
    );
  }

  app.post<{ Params: { lineId: string; changeNo: number }; Body: { statement: string } }>(
    '/portal/line-changes/:lineId/:changeNo/objections',
    {
      config,
      onRequest,
      schema: {
        tags,
        security: borrowerSecurity,
        summary:
          'Object to an automated line control (freeze, limit change) under PIPL Art. 24: filed as a complaint a person handles within the complaint timers',
        headers: idempotencyHeader,
        params: {
          type: 'object',
          required: ['lineId', 'changeNo'],
          additionalProperties: false,
          properties: {
            lineId: { type: 'string', minLength: 1, maxLength: 64 },
            changeNo: { type: 'integer', minimum: 1 },
          },
        },
        body: {
          type: 'object',
          required: ['statement'],
          additionalProperties: false,
          properties: { statement: { type: 'string', minLength: 5, maxLength: 1000 } },
        },
        response: { 201: complaintSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const who = borrowerOf(request);
      const { lineId, changeNo } = request.params;
      const nowMs = Date.parse(await businessNow(deps));
      return write(request, reply, who, async (tx) => {
        const change = await tx.query<{ day: string; code: string }>(
          `select day::text, code from credit_line_changes
            where customer_id = $1 and line_id = $2 and change_no = $3 and source = 'control'`,
          [who.customerId, lineId, changeNo],
        );
        const c = change.rows[0];
        if (c === undefined)
          throw new ProblemError(
            'line_change_not_found',
            say(M, 'line_change_not_found', { lineId, changeNo }),
          );
        const today = await getBusinessDay(tx);
        // The complaint keeps the objection in the borrower's language, cut to the complaint core's limit.
        const lang = pickLanguage(request.headers['accept-language']);
        const text = fill(M.line_objection_summary[lang === 'zh-CN' ? 'zh' : 'en'], {
          lineId,
          changeNo,
          code: c.code,
          day: c.day,
          statement: request.body.statement,
        }).slice(0, 2000);
        return fileComplaint(
          tx,
          who,
          { category: 'service', summary: text, loanId: null },
          nowMs,
          today,
          'portal.line_control_objection',
          () => ({ lineId, changeNo, code: c.code }),
        );
      });
    },
  );

  // ------------------------------------------------------------------------------------------ complaints
  /**
   * Files a complaint from the borrower (channel app) and answers it: 201 with the complaint, audited as
   * `action` with `details` and the session.
   */
  async function fileComplaint(
    tx: Queryable,
    who: BorrowerIdentity,
    c: { category: ComplaintCategory; summary: string; loanId: string | null },
    nowMs: number,
    today: Day,
    action: string,
    details: (complaint: StoredComplaint) => Record<string, unknown>,
  ): Promise<WriteOutcome<ReturnType<typeof presentComplaint>>> {
    const receivedDay = localTime(nowMs, deps.config.lenderTimeZone).day;
    try {
      checkIntake(
        { channel: 'app', category: c.category, summary: c.summary, receivedDay, regulatorReference: null },
        today,
      );
    } catch (error) {
      if (error instanceof CollectionsInputError) {
        const text = say(M, 'complaint_invalid', {
          en_fault: error.message,
          zh_fault: COMPLAINT_REFUSALS_ZH[error.code] ?? error.message,
        });
        throw new ProblemError('complaint_invalid', text, [fieldProblem(`/body/${error.field}`, text)]);
      }
      throw error;
    }
    const complaint = await insertComplaint(tx, {
      customerId: who.customerId,
      loanId: c.loanId,
      channel: 'app',
      category: c.category,
      summary: c.summary,
      regulatorReference: null,
      receivedAtMs: nowMs,
      receivedDay,
      actor: borrowerActor(who).userId,
    });
    return {
      status: 201,
      body: presentComplaint(complaint, today, settings, calendar),
      location: `/portal/complaints/${complaint.complaintId}`,
      audit: [
        {
          action,
          resourceType: 'complaint',
          resourceId: complaint.complaintId,
          customerId: who.customerId,
          details: { ...details(complaint), sessionId: who.sessionId },
        },
      ],
    };
  }

  app.get(
    '/portal/complaints',
    {
      config,
      onRequest,
      schema: {
        tags,
        security: borrowerSecurity,
        summary: "The borrower's complaints, newest first, with their status and timers",
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: complaintSchema } } },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const who = borrowerOf(request);
      const today = await getBusinessDay(deps.db);
      await auditBorrowerRead(deps, request, 'complaint', who.customerId, ['summary']);
      const items = await listComplaints(deps.db, { customerId: who.customerId, limit: PORTAL_LIST_MAX });
      return { items: items.map((c) => presentComplaint(c, today, settings, calendar)) };
    },
  );

  app.get<{ Params: { complaintId: string } }>(
    '/portal/complaints/:complaintId',
    {
      config,
      onRequest,
      schema: {
        tags,
        security: borrowerSecurity,
        summary: 'One of the borrower’s complaints with what happened to it',
        params: idParam('complaintId', 'Complaint id'),
        response: {
          200: {
            type: 'object',
            properties: {
              complaint: complaintSchema,
              events: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    seq: { type: 'integer' },
                    action: { type: 'string' },
                    date: { type: 'string' },
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
      const who = borrowerOf(request);
      const c = await findComplaint(deps.db, request.params.complaintId);
      if (c === undefined || c.customerId !== who.customerId)
        throw new ProblemError(
          'complaint_not_found',
          say(M, 'complaint_not_found', { complaintId: request.params.complaintId }),
        );
      await auditBorrowerRead(deps, request, 'complaint', c.complaintId, ['summary', 'resolution']);
      const today = await getBusinessDay(deps.db);
      const events = await complaintEvents(deps.db, c.complaintId);
      // Staff names stay with staff: the borrower sees what happened and when.
      return {
        complaint: presentComplaint(c, today, settings, calendar),
        events: events.map((e) => {
          const { seq, action, date } = presentEvent(e);
          return { seq, action, date };
        }),
      };
    },
  );

  app.post<{ Body: { category: ComplaintCategory; summary: string; loanId?: string } }>(
    '/portal/complaints',
    {
      config,
      onRequest,
      schema: {
        tags,
        security: borrowerSecurity,
        summary:
          'File a complaint (channel app): linked to the open collection case, its timers start on the business day of receipt, and it pauses or limits collection as its category says',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['category', 'summary'],
          additionalProperties: false,
          properties: {
            category: { type: 'string', enum: [...COMPLAINT_CATEGORIES] },
            summary: { type: 'string', minLength: 1, maxLength: 2000 },
            loanId: { type: 'string', pattern: ID_PATTERN },
          },
        },
        response: { 201: complaintSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const who = borrowerOf(request);
      const b = request.body;
      const nowMs = Date.parse(await businessNow(deps));
      return write(request, reply, who, async (tx) => {
        if (b.loanId !== undefined) {
          const loan = await findLoan(tx, b.loanId, { customerId: who.customerId });
          if (loan === undefined) throw loanNotYours(b.loanId);
        }
        const today = await getBusinessDay(tx);
        return fileComplaint(
          tx,
          who,
          { category: b.category, summary: b.summary, loanId: b.loanId ?? null },
          nowMs,
          today,
          'portal.complaint',
          (c) => ({ category: c.category, caseId: c.caseId }),
        );
      });
    },
  );
}
