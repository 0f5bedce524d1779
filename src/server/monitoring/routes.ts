/**
 * Early warning and health reviews over HTTP (docs/monitoring.md): the watchlist and a customer's signals,
 * acknowledging, resolving and acting on them; declared incomes and documents received (each evaluated at
 * once); the industry shock list; the early-warning document's versions (maker-checker).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { earlyWarningInForce } from '../../jobs/index.js';
import { formatDate, parseDate } from '../../money/index.js';
import {
  REVIEW_DOCUMENT_KINDS,
  SIGNAL_SEVERITIES,
  SIGNAL_STATUSES,
  type SignalSeverity,
  type SignalStatus,
  validUntil,
} from '../../monitoring/index.js';
import { INCOME_EVIDENCE_KINDS } from '../../origination/index.js';
import {
  approveEarlyWarning,
  customersInIndustry,
  customersWithoutProfile,
  decideSignal,
  draftEarlyWarning,
  EarlyWarningError,
  endIndustryShock,
  existingCustomerIds,
  findIndustryShock,
  findSignal,
  getBusinessDay,
  insertIncomeDeclaration,
  insertIndustryShock,
  insertReviewDocument,
  listEarlyWarningVersions,
  listIndustryShocks,
  listReviewDocuments,
  listReviewRequests,
  listSignals,
  monitoringProfiles,
  type Queryable,
  type StoredSignal,
  setDocumentReassessment,
  updateIndustryShock,
} from '../../store/index.js';
import { amountSchema } from '../http/amount.js';
import type { ServerDeps } from '../http/context.js';
import { documentIssueZh } from '../http/document-issues.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError, validationProblem } from '../http/problem.js';
import { bearerSecurity, idempotencyHeader, idParam, problemResponses } from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { requestAmount } from '../ledger/request.js';
import { carryOutAction, evaluateOnEvent, reassessFromMonitoring, refreshProfile } from './actions.js';
import { EARLY_WARNING_REFUSALS_ZH, MONITORING_MESSAGES } from './messages.js';
import {
  presentDocument,
  presentRequest,
  presentShock,
  presentSignal,
  presentVersion,
  reviewDocumentResponse,
  reviewRequestResponse,
  shockResponse,
  signalResponse,
  versionResponse,
} from './present.js';

/** Named bounds of these routes. */
export const MONITORING_ROUTE_BOUNDS = {
  /** Signals listed at most per request (the watchlist is worked from the top). */
  signals_max: 500,
  /** Bytes of an uploaded document, decoded. */
  file_bytes_max: 512 * 1024,
  /** Customers evaluated when an industry joins the shock list, in that request. */
  shock_customers_max: 2_000,
  /** Profiles filled from applications before a shock-list evaluation, in that request. */
  profile_backfill_max: 2_000,
} as const;

const common = { security: bearerSecurity, tags: ['monitoring'] };
const list = (item: object) =>
  ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: item } } }) as const;
const noteBody = {
  type: 'object',
  additionalProperties: false,
  properties: { note: { type: 'string', maxLength: 500 } },
} as const;
const signedAmount = {
  type: 'string',
  maxLength: 25,
  description: 'Amount in yuan, may be negative (e.g. "-12000.00")',
} as const;

function customerNotFound(id: string): ProblemError {
  return new ProblemError(
    'customer_not_found',
    say(MONITORING_MESSAGES, 'customer_not_found', { customerId: id }),
    [fieldProblem('/params/customerId', say(MONITORING_MESSAGES, 'does_not_exist'))],
  );
}

async function requireCustomer(q: Queryable, id: string): Promise<void> {
  if (!(await existingCustomerIds(q, [id])).has(id)) throw customerNotFound(id);
}

async function signalOrThrow(q: Queryable, id: string, forUpdate = false): Promise<StoredSignal> {
  const s = await findSignal(q, id, forUpdate);
  if (s === undefined)
    throw new ProblemError(
      'signal_not_found',
      say(MONITORING_MESSAGES, 'signal_not_found', { signalId: id }),
      [fieldProblem('/params/signalId', say(MONITORING_MESSAGES, 'does_not_exist'))],
    );
  return s;
}

function earlyWarningProblem(error: unknown): unknown {
  if (!(error instanceof EarlyWarningError)) return error;
  const text = say(MONITORING_MESSAGES, 'early_warning_refused', {
    en_fault: error.message,
    zh_fault: EARLY_WARNING_REFUSALS_ZH[error.code],
  });
  switch (error.code) {
    case 'early_warning_invalid':
      return new ProblemError(
        'early_warning_invalid',
        text,
        error.issues.map((i) =>
          fieldProblem(
            `/body/document${i.path}`,
            say(MONITORING_MESSAGES, 'early_warning_issue', {
              en_fault: i.message,
              zh_fault: documentIssueZh(i.message) ?? i.message,
            }),
          ),
        ),
      );
    case 'early_warning_not_found':
      return new ProblemError('early_warning_not_found', text, [
        fieldProblem('/params/version', say(MONITORING_MESSAGES, 'does_not_exist')),
      ]);
    case 'early_warning_not_draft':
      return new ProblemError('early_warning_status_conflict', text);
    case 'early_warning_own_draft':
      return new ProblemError('early_warning_approval_by_author', text);
  }
}

/** Signed yuan to fen: "-1200.50" → -120050. */
function signedFen(deps: ServerDeps, text: string, path: string): number {
  const negative = text.startsWith('-');
  const fen = requestAmount(deps, negative ? text.slice(1) : text, path, true);
  return negative ? -fen : fen;
}

interface StatementsBody {
  periodMonths: number;
  monthlyRevenue: string;
  monthlyCosts: string;
  monthlyOperatingCashFlow: string;
  cashBalance: string;
  monthlyDebtService?: string;
  monthsTrading?: number;
}
interface DocumentBody {
  kind: (typeof REVIEW_DOCUMENT_KINDS)[number];
  statements?: StatementsBody;
  income?: { evidenceKind: string; monthlyAmount: string };
  receivedDate?: string;
  file?: { name: string; contentBase64: string };
}

function figuresOf(deps: ServerDeps, body: DocumentBody): Record<string, number | string> {
  if (body.kind === 'business-statements') {
    const s = body.statements;
    if (s === undefined || body.income !== undefined)
      throw validationProblem([
        fieldProblem('/body/statements', say(MONITORING_MESSAGES, 'statements_only')),
      ]);
    return {
      periodMonths: s.periodMonths,
      monthlyRevenue_fen: requestAmount(deps, s.monthlyRevenue, '/body/statements/monthlyRevenue', true),
      monthlyCosts_fen: requestAmount(deps, s.monthlyCosts, '/body/statements/monthlyCosts', true),
      monthlyOperatingCashFlow_fen: signedFen(
        deps,
        s.monthlyOperatingCashFlow,
        '/body/statements/monthlyOperatingCashFlow',
      ),
      cashBalance_fen: requestAmount(deps, s.cashBalance, '/body/statements/cashBalance', true),
      monthlyDebtService_fen:
        s.monthlyDebtService === undefined
          ? 0
          : requestAmount(deps, s.monthlyDebtService, '/body/statements/monthlyDebtService', true),
      monthsTrading: s.monthsTrading ?? 0,
    };
  }
  const i = body.income;
  if (i === undefined || body.statements !== undefined)
    throw validationProblem([fieldProblem('/body/income', say(MONITORING_MESSAGES, 'income_only'))]);
  return {
    kind: i.evidenceKind,
    monthlyAmount_fen: requestAmount(deps, i.monthlyAmount, '/body/income/monthlyAmount'),
  };
}

function fileOf(body: DocumentBody): { name: string; bytes: Buffer; sha256: string } | null {
  if (body.file === undefined) return null;
  const text = body.file.contentBase64;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
    throw validationProblem([
      fieldProblem('/body/file/contentBase64', say(MONITORING_MESSAGES, 'not_base64')),
    ]);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length === 0 || bytes.length > MONITORING_ROUTE_BOUNDS.file_bytes_max)
    throw validationProblem([
      fieldProblem(
        '/body/file/contentBase64',
        say(MONITORING_MESSAGES, 'file_size', { max: MONITORING_ROUTE_BOUNDS.file_bytes_max }),
      ),
    ]);
  return { name: body.file.name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export async function monitoringRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get<{
    Querystring: { status?: SignalStatus; severity?: SignalSeverity; queue?: string; limit: number };
  }>(
    '/signals',
    {
      config: { permission: 'signals.read' },
      schema: {
        ...common,
        summary:
          'The watchlist: signals by severity (most severe, then newest, first); live ones unless a status is asked',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: [...SIGNAL_STATUSES] },
            severity: { type: 'string', enum: [...SIGNAL_SEVERITIES] },
            queue: { type: 'string', maxLength: 64 },
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: MONITORING_ROUTE_BOUNDS.signals_max,
              default: 100,
            },
          },
        },
        response: { 200: list(signalResponse), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const items = await listSignals(deps.db, {
        statuses: q.status === undefined ? ['open', 'acknowledged'] : [q.status],
        ...(q.severity === undefined ? {} : { severity: q.severity }),
        ...(q.queue === undefined ? {} : { queue: q.queue }),
        limit: q.limit,
      });
      return { items: items.map(presentSignal) };
    },
  );

  app.get<{ Params: { customerId: string } }>(
    '/customers/:customerId/signals',
    {
      config: { permission: 'signals.read' },
      schema: {
        ...common,
        summary: "A customer's early-warning signals, every status, most severe first",
        params: idParam('customerId', 'Customer id'),
        response: { 200: list(signalResponse), ...problemResponses },
      },
    },
    async (request) => {
      const id = request.params.customerId;
      await requireCustomer(deps.db, id);
      const items = await listSignals(deps.db, {
        customerId: id,
        limit: MONITORING_ROUTE_BOUNDS.signals_max,
      });
      return { items: items.map(presentSignal) };
    },
  );

  for (const decision of ['acknowledge', 'resolve'] as const)
    app.post<{ Params: { signalId: string }; Body: { note?: string } }>(
      `/signals/:signalId/${decision}`,
      {
        config: { permission: 'signals.work' },
        schema: {
          ...common,
          summary:
            decision === 'acknowledge'
              ? 'Take a live signal in hand (it stays on the watchlist as acknowledged)'
              : 'Resolve a signal with a note: it leaves the watchlist and is not raised again on the same evidence',
          headers: idempotencyHeader,
          params: idParam('signalId', 'Signal id'),
          body: decision === 'resolve' ? { ...noteBody, required: ['note'] } : noteBody,
          response: { 200: signalResponse, ...problemResponses },
        },
      },
      async (request, reply) =>
        commitWrite(deps, request, reply, async (tx) => {
          const s = await signalOrThrow(tx, request.params.signalId, true);
          const allowed =
            decision === 'acknowledge'
              ? s.status === 'open'
              : s.status === 'open' || s.status === 'acknowledged';
          if (!allowed)
            throw new ProblemError(
              'signal_status_conflict',
              say(
                MONITORING_MESSAGES,
                decision === 'acknowledge' ? 'only_open_acknowledged' : 'only_open_resolved',
                {
                  signalId: s.signalId,
                  status: s.status,
                },
              ),
            );
          const decided = await decideSignal(
            tx,
            s,
            decision === 'acknowledge' ? 'acknowledged' : 'resolved',
            request.principal!.userId,
            request.body.note ?? null,
          );
          return {
            status: 200,
            body: presentSignal(decided),
            audit: [
              {
                action: `signal.${decision}`,
                resourceType: 'signal',
                resourceId: s.signalId,
                customerId: s.customerId,
                details: { code: s.code, note: request.body.note ?? null },
              },
            ],
          };
        }),
    );

  app.post<{ Params: { signalId: string } }>(
    '/signals/:signalId/act',
    {
      config: { permission: 'signals.act' },
      schema: {
        ...common,
        summary:
          "Carry out a signal's pending (or failed) action: re-assess the customer, or offer the plan adjustment as a pending restructuring",
        headers: idempotencyHeader,
        params: idParam('signalId', 'Signal id'),
        response: { 200: signalResponse, ...problemResponses },
      },
    },
    async (request, reply) =>
      commitWrite(deps, request, reply, async (tx) => {
        const s = await signalOrThrow(tx, request.params.signalId, true);
        if (s.actionStatus !== 'pending' && s.actionStatus !== 'failed')
          throw new ProblemError(
            'signal_status_conflict',
            say(MONITORING_MESSAGES, 'action_not_pending', {
              signalId: s.signalId,
              actionStatus: String(s.actionStatus),
            }),
          );
        await carryOutAction(tx, deps, s, request.principal!.userId);
        const after = await signalOrThrow(tx, s.signalId);
        return {
          status: 200,
          body: presentSignal(after),
          audit: [
            {
              action: 'signal.act',
              resourceType: 'signal',
              resourceId: s.signalId,
              customerId: s.customerId,
              details: { action: s.action, outcome: after.actionStatus, ref: after.actionRef },
            },
          ],
        };
      }),
  );

  app.post<{ Params: { customerId: string }; Body: { declaredMonthly: string; note?: string } }>(
    '/customers/:customerId/income-declarations',
    {
      config: { permission: 'monitoring.record' },
      schema: {
        ...common,
        summary:
          'Record an income the borrower declares (e.g. a drop): the early-warning rules are evaluated at once and a raised signal’s action carried out',
        headers: idempotencyHeader,
        params: idParam('customerId', 'Customer id'),
        body: {
          type: 'object',
          required: ['declaredMonthly'],
          additionalProperties: false,
          properties: { declaredMonthly: amountSchema, note: { type: 'string', maxLength: 500 } },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              declarationId: { type: 'string' },
              customerId: { type: 'string' },
              date: { type: 'string' },
              declaredMonthly: { type: 'string' },
              signals: { type: 'array', items: signalResponse },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const amount = requestAmount(deps, request.body.declaredMonthly, '/body/declaredMonthly', true);
      const id = request.params.customerId;
      const by = request.principal!.userId;
      return commitWrite(deps, request, reply, async (tx) => {
        await requireCustomer(tx, id);
        const day = await getBusinessDay(tx);
        const d = await insertIncomeDeclaration(tx, {
          customerId: id,
          day,
          declaredMonthlyMinor: amount,
          note: request.body.note ?? null,
          createdBy: by,
        });
        const signals = await evaluateOnEvent(tx, deps, id, by);
        return {
          status: 201,
          body: {
            declarationId: d.declarationId,
            customerId: id,
            date: formatDate(day),
            declaredMonthly: request.body.declaredMonthly,
            signals: signals.map(presentSignal),
          },
          audit: [
            {
              action: 'income.declare',
              resourceType: 'customer',
              resourceId: id,
              customerId: id,
              details: { declarationId: d.declarationId, signals: signals.map((s) => s.code) },
            },
          ],
        };
      });
    },
  );

  app.post<{ Params: { customerId: string }; Body: DocumentBody }>(
    '/customers/:customerId/review-documents',
    {
      config: { permission: 'monitoring.record' },
      schema: {
        ...common,
        summary:
          'Record a health-review document received with its figures (and the file): the open request is closed, the customer re-assessed and the early-warning rules evaluated',
        headers: idempotencyHeader,
        params: idParam('customerId', 'Customer id'),
        body: {
          type: 'object',
          required: ['kind'],
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: [...REVIEW_DOCUMENT_KINDS] },
            statements: {
              type: 'object',
              required: [
                'periodMonths',
                'monthlyRevenue',
                'monthlyCosts',
                'monthlyOperatingCashFlow',
                'cashBalance',
              ],
              additionalProperties: false,
              properties: {
                periodMonths: { type: 'integer', minimum: 1, maximum: 24 },
                monthlyRevenue: amountSchema,
                monthlyCosts: amountSchema,
                monthlyOperatingCashFlow: signedAmount,
                cashBalance: amountSchema,
                monthlyDebtService: amountSchema,
                monthsTrading: { type: 'integer', minimum: 0, maximum: 1200 },
              },
            },
            income: {
              type: 'object',
              required: ['evidenceKind', 'monthlyAmount'],
              additionalProperties: false,
              properties: {
                evidenceKind: {
                  type: 'string',
                  enum: INCOME_EVIDENCE_KINDS.filter((k) => k !== 'self-declared'),
                },
                monthlyAmount: amountSchema,
              },
            },
            file: {
              type: 'object',
              required: ['name', 'contentBase64'],
              additionalProperties: false,
              properties: {
                name: { type: 'string', minLength: 1, maxLength: 200 },
                contentBase64: {
                  type: 'string',
                  maxLength: Math.ceil(MONITORING_ROUTE_BOUNDS.file_bytes_max / 3) * 4,
                },
              },
            },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              document: reviewDocumentResponse,
              reassessmentId: { type: ['string', 'null'] },
              reassessmentFailure: { type: ['string', 'null'] },
              signals: { type: 'array', items: signalResponse },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const figures = figuresOf(deps, request.body);
      const file = fileOf(request.body);
      const id = request.params.customerId;
      const by = request.principal!.userId;
      return commitWrite(deps, request, reply, async (tx) => {
        await requireCustomer(tx, id);
        const day = await getBusinessDay(tx);
        await refreshProfile(tx, deps, id, day);
        const ew = await earlyWarningInForce(tx);
        const segment = (await monitoringProfiles(tx, [id])).get(id)?.segment ?? '*';
        const doc = await insertReviewDocument(tx, {
          customerId: id,
          kind: request.body.kind,
          receivedDay: day,
          figures,
          validUntilDay: validUntil(ew.document, segment, request.body.kind, day),
          file,
          createdBy: by,
        });
        // The re-assessment runs on every arrival; a customer it cannot be made for keeps the document.
        let reassessmentId: string | null = null;
        let reassessmentFailure: string | null = null;
        await tx.query('savepoint review_reassess');
        try {
          reassessmentId = await reassessFromMonitoring(tx, deps, id, by);
          await tx.query('release savepoint review_reassess');
          await setDocumentReassessment(tx, id, doc.documentId, reassessmentId);
        } catch (error) {
          await tx.query('rollback to savepoint review_reassess');
          reassessmentFailure = error instanceof Error ? error.message.slice(0, 500) : String(error);
        }
        const signals = await evaluateOnEvent(tx, deps, id, by, reassessmentId);
        return {
          status: 201,
          body: {
            document: presentDocument({ ...doc, reassessmentId }),
            reassessmentId,
            reassessmentFailure,
            signals: signals.map(presentSignal),
          },
          audit: [
            {
              action: 'review_document.record',
              resourceType: 'customer',
              resourceId: id,
              customerId: id,
              details: {
                documentId: doc.documentId,
                kind: doc.kind,
                sha256: doc.fileSha256,
                reassessmentId,
                signals: signals.map((s) => s.code),
              },
            },
          ],
        };
      });
    },
  );

  app.get<{ Params: { customerId: string } }>(
    '/customers/:customerId/health-reviews',
    {
      config: { permission: 'signals.read' },
      schema: {
        ...common,
        summary:
          "A customer's health-review requests (with their delivery status) and the documents received",
        params: idParam('customerId', 'Customer id'),
        response: {
          200: {
            type: 'object',
            properties: {
              requests: { type: 'array', items: reviewRequestResponse },
              documents: { type: 'array', items: reviewDocumentResponse },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const id = request.params.customerId;
      await requireCustomer(deps.db, id);
      return {
        requests: (await listReviewRequests(deps.db, id)).map(presentRequest),
        documents: (await listReviewDocuments(deps.db, id)).map(presentDocument),
      };
    },
  );

  // --- the industry shock list ---------------------------------------------------------------------------

  const dateField = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
  const readDate = (text: string, path: string) => {
    try {
      return parseDate(text);
    } catch {
      throw validationProblem([fieldProblem(path, say(MONITORING_MESSAGES, 'not_a_date'))]);
    }
  };

  app.get<{ Querystring: { includeEnded?: boolean } }>(
    '/industry-shocks',
    {
      config: { permission: 'signals.read' },
      schema: {
        ...common,
        summary: 'The industry shock list the lender maintains',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { includeEnded: { type: 'boolean', default: false } },
        },
        response: { 200: list(shockResponse), ...problemResponses },
      },
    },
    async (request) => ({
      items: (await listIndustryShocks(deps.db, request.query.includeEnded === true)).map(presentShock),
    }),
  );

  app.post<{ Body: { industry: string; fromDate?: string; toDate?: string; reason: string } }>(
    '/industry-shocks',
    {
      config: { permission: 'shocks.manage' },
      schema: {
        ...common,
        summary:
          'Put an industry on the shock list (e.g. catering in a pandemic): its borrowers are evaluated at once and offered what the rules say',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['industry', 'reason'],
          additionalProperties: false,
          properties: {
            industry: {
              type: 'string',
              minLength: 1,
              maxLength: 64,
              pattern: '^[A-Za-z0-9][A-Za-z0-9 _-]*$',
            },
            fromDate: dateField,
            toDate: dateField,
            reason: { type: 'string', minLength: 1, maxLength: 500 },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              shock: shockResponse,
              customersEvaluated: { type: 'integer' },
              signals: { type: 'array', items: signalResponse },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const from = b.fromDate === undefined ? undefined : readDate(b.fromDate, '/body/fromDate');
      const to = b.toDate === undefined ? null : readDate(b.toDate, '/body/toDate');
      if (from !== undefined && to !== null && to < from)
        throw validationProblem([fieldProblem('/body/toDate', say(MONITORING_MESSAGES, 'before_from_date'))]);
      const by = request.principal!.userId;
      return commitWrite(deps, request, reply, async (tx) => {
        const day = await getBusinessDay(tx);
        const shock = await insertIndustryShock(tx, {
          industry: b.industry,
          fromDay: from ?? day,
          toDay: to,
          reason: b.reason,
          createdBy: by,
        });
        // Customers without a profile get one first (their industry is in the encrypted application).
        for (const id of await customersWithoutProfile(tx, MONITORING_ROUTE_BOUNDS.profile_backfill_max))
          await refreshProfile(tx, deps, id, day);
        const ids = (await customersInIndustry(tx, b.industry)).slice(
          0,
          MONITORING_ROUTE_BOUNDS.shock_customers_max,
        );
        const signals: StoredSignal[] = [];
        for (const id of ids) signals.push(...(await evaluateOnEvent(tx, deps, id, by)));
        return {
          status: 201,
          body: {
            shock: presentShock(shock),
            customersEvaluated: ids.length,
            signals: signals.map(presentSignal),
          },
          location: `/industry-shocks/${shock.shockId}`,
          audit: [
            {
              action: 'industry_shock.create',
              resourceType: 'industry_shock',
              resourceId: shock.shockId,
              customerId: null,
              details: { industry: shock.industry, reason: shock.reason, customersEvaluated: ids.length },
            },
          ],
        };
      });
    },
  );

  const shockNotFound = (id: string) =>
    new ProblemError(
      'industry_shock_not_found',
      say(MONITORING_MESSAGES, 'shock_not_found', { shockId: id }),
      [fieldProblem('/params/shockId', say(MONITORING_MESSAGES, 'ended_or_missing'))],
    );

  app.patch<{ Params: { shockId: string }; Body: { toDate?: string | null; reason?: string } }>(
    '/industry-shocks/:shockId',
    {
      config: { permission: 'shocks.manage' },
      schema: {
        ...common,
        summary: 'Change an entry’s end date or reason',
        headers: idempotencyHeader,
        params: idParam('shockId', 'Shock-list entry id'),
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            toDate: { type: ['string', 'null'], pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
            reason: { type: 'string', minLength: 1, maxLength: 500 },
          },
        },
        response: { 200: shockResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const to = b.toDate == null ? b.toDate : readDate(b.toDate, '/body/toDate');
      return commitWrite(deps, request, reply, async (tx) => {
        const found = await findIndustryShock(tx, request.params.shockId);
        if (found === undefined || found.endedBy !== null) throw shockNotFound(request.params.shockId);
        if (to != null && to < found.fromDay)
          throw validationProblem([
            fieldProblem(
              '/body/toDate',
              say(MONITORING_MESSAGES, 'before_entry_from_date', { fromDate: formatDate(found.fromDay) }),
            ),
          ]);
        const s = await updateIndustryShock(tx, found.shockId, {
          ...(to === undefined ? {} : { toDay: to }),
          ...(b.reason === undefined ? {} : { reason: b.reason }),
        });
        if (s === undefined) throw shockNotFound(found.shockId);
        return {
          status: 200,
          body: presentShock(s),
          audit: [
            {
              action: 'industry_shock.update',
              resourceType: 'industry_shock',
              resourceId: s.shockId,
              customerId: null,
              details: { ...b },
            },
          ],
        };
      });
    },
  );

  app.delete<{ Params: { shockId: string } }>(
    '/industry-shocks/:shockId',
    {
      config: { permission: 'shocks.manage' },
      schema: {
        ...common,
        summary: 'End a shock-list entry (kept for the record; it no longer counts)',
        headers: idempotencyHeader,
        params: idParam('shockId', 'Shock-list entry id'),
        response: { 204: { type: 'null' }, ...problemResponses },
      },
    },
    async (request, reply) =>
      commitWrite(deps, request, reply, async (tx) => {
        if (!(await endIndustryShock(tx, request.params.shockId, request.principal!.userId)))
          throw shockNotFound(request.params.shockId);
        return {
          status: 204,
          body: null,
          audit: [
            {
              action: 'industry_shock.end',
              resourceType: 'industry_shock',
              resourceId: request.params.shockId,
              customerId: null,
              details: {},
            },
          ],
        };
      }),
  );

  // --- the early-warning document --------------------------------------------------------------------------

  app.get(
    '/early-warning',
    {
      config: { permission: 'early-warning.read' },
      schema: {
        ...common,
        summary: 'The early-warning document in force (rules and health-review schedules) and its version',
        response: {
          200: {
            type: 'object',
            properties: {
              version: { type: 'string' },
              document: { type: 'object', additionalProperties: true },
            },
          },
          ...problemResponses,
        },
      },
    },
    async () => earlyWarningInForce(deps.db),
  );

  app.get(
    '/early-warning/versions',
    {
      config: { permission: 'early-warning.read' },
      schema: {
        ...common,
        summary: 'Every early-warning version with its maker-checker trail',
        response: { 200: list(versionResponse), ...problemResponses },
      },
    },
    async () => ({ items: (await listEarlyWarningVersions(deps.db)).map(presentVersion) }),
  );

  app.post<{ Body: { document: unknown; note?: string } }>(
    '/early-warning/versions',
    {
      config: { permission: 'early-warning.draft' },
      schema: {
        ...common,
        summary:
          'Store an early-warning document as a draft (checked whole: every problem is named by its pointer)',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['document'],
          additionalProperties: false,
          properties: {
            document: { type: 'object', additionalProperties: true },
            note: { type: 'string', maxLength: 500 },
          },
        },
        response: { 201: versionResponse, ...problemResponses },
      },
    },
    async (request, reply) =>
      commitWrite(deps, request, reply, async (tx) => {
        let v: Awaited<ReturnType<typeof draftEarlyWarning>>;
        try {
          v = await draftEarlyWarning(
            tx,
            request.body.document,
            request.principal!.userId,
            request.body.note ?? null,
          );
        } catch (error) {
          throw earlyWarningProblem(error);
        }
        return {
          status: 201,
          body: presentVersion(v),
          location: `/early-warning/versions/${v.version}`,
          audit: [
            {
              action: 'early_warning.draft',
              resourceType: 'early_warning_version',
              resourceId: v.version,
              customerId: null,
              details: { documentHash: v.documentHash },
            },
          ],
        };
      }),
  );

  app.post<{ Params: { version: string } }>(
    '/early-warning/versions/:version/approve',
    {
      config: { permission: 'early-warning.approve' },
      schema: {
        ...common,
        summary: 'Approve a draft written by someone else: it is published and the version before it retired',
        headers: idempotencyHeader,
        params: idParam('version', 'Early-warning version'),
        response: { 200: versionResponse, ...problemResponses },
      },
    },
    async (request, reply) =>
      commitWrite(deps, request, reply, async (tx) => {
        let v: Awaited<ReturnType<typeof approveEarlyWarning>>;
        try {
          v = await approveEarlyWarning(tx, request.params.version, request.principal!.userId);
        } catch (error) {
          throw earlyWarningProblem(error);
        }
        return {
          status: 200,
          body: presentVersion(v),
          audit: [
            {
              action: 'early_warning.approve',
              resourceType: 'early_warning_version',
              resourceId: v.version,
              customerId: null,
              details: { createdBy: v.createdBy },
            },
          ],
        };
      }),
  );
}
