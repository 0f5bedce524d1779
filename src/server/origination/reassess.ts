import type { FastifyInstance } from 'fastify';
import { formatMinor } from '../../money/index.js';
import {
  type Application,
  type FinancialChanges,
  isOriginationError,
  type Reassessment,
  reassess,
  validateApplication,
  verifyRecord,
} from '../../origination/index.js';
import {
  blacklistMatches,
  findCustomer,
  findLine,
  insertReassessment,
  latestApprovedApplication,
  listReassessments,
  newId,
  originationKeyOf,
  type Queryable,
  readOwnBook,
} from '../../store/index.js';
import { CUSTOMER_MESSAGES } from '../customers/messages.js';
import { businessNow } from '../http/business-clock.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { type FieldProblem, fieldMessage, fieldProblem, ProblemError } from '../http/problem.js';
import {
  bearerSecurity,
  decodeCursor,
  idempotencyHeader,
  idParam,
  keysetPage,
  pageQueryProperties,
  pageResponse,
  problemResponses,
} from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { issueText } from './field-issues.js';
import { ORIGINATION_MESSAGES } from './messages.js';
import {
  apiShape,
  blacklistKeysOf,
  bodyPointer,
  originationAssets,
  originationProblem,
  policyInForce,
} from './support.js';

/** New external debts accepted in one re-assessment. */
const NEW_DEBTS_MAX = 20;
const CHANGE_FIELDS = ['income', 'employment', 'bureau', 'business'] as const;

const openObject = (description: string) =>
  ({ type: 'object', additionalProperties: true, description }) as const;

const reassessmentResponse = {
  type: 'object',
  required: [
    'reassessmentId',
    'customerId',
    'applicationId',
    'action',
    'previousLimit',
    'limit',
    'reasons',
    'record',
  ],
  properties: {
    reassessmentId: { type: 'string' },
    customerId: { type: 'string' },
    applicationId: { type: 'string', description: 'The approved application whose facts were updated' },
    assessedAt: { type: 'string' },
    action: { type: 'string', enum: ['increase', 'decrease', 'keep', 'suspend'] },
    previousLimit: { type: 'string' },
    limit: { type: 'string', description: 'New limit, yuan ("0.00" when suspended)' },
    previousDailyRate: { type: 'string' },
    dailyRate: { type: ['string', 'null'] },
    apr: { type: ['string', 'null'] },
    riskGrade: { type: ['string', 'null'] },
    reasons: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          source: { type: 'string' },
          code: { type: 'string' },
          message: { type: 'string' },
          values: openObject('What the rule saw'),
        },
      },
    },
    policy: openObject('policyId, version, documentHash'),
    contentHash: { type: 'string' },
    intact: { type: 'boolean' },
    createdBy: { type: 'string' },
    record: openObject('The sealed re-assessment record (amounts in fen)'),
  },
} as const;

function present(reassessmentId: string, applicationId: string, createdBy: string, r: Reassessment) {
  return {
    reassessmentId,
    customerId: r.customerId,
    applicationId,
    assessedAt: r.assessedAt,
    action: r.action,
    previousLimit: formatMinor(r.previousLimit_fen),
    limit: formatMinor(r.limit_fen),
    previousDailyRate: r.previousDailyRate,
    dailyRate: r.dailyRate,
    apr: r.apr,
    riskGrade: r.riskGrade,
    reasons: r.reasons,
    policy: r.policy,
    contentHash: r.contentHash,
    intact: verifyRecord(r),
    createdBy,
    record: r,
  };
}

type ChangesBody = Partial<Record<(typeof CHANGE_FIELDS)[number], unknown>> & { newDebts?: unknown[] };

/**
 * The changes in the core's form, checked by the core's own intake rules: the last application (in its API
 * shape) with the changes laid over it is validated whole, and issues are named by the body field they came from.
 */
function parseChanges(last: Application, body: ChangesBody): FinancialChanges {
  const base = apiShape(last) as Record<string, unknown>;
  const lastDebts = (base.debts as unknown[]) ?? [];
  const merged: Record<string, unknown> = { ...base, debts: [...lastDebts, ...(body.newDebts ?? [])] };
  for (const f of CHANGE_FIELDS) if (body[f] !== undefined) merged[f] = body[f];
  let validated: Application;
  try {
    validated = validateApplication(merged);
  } catch (error) {
    if (!isOriginationError(error)) throw error;
    const errors: FieldProblem[] = error.issues.map((i) => {
      const debt = /^debts\[(\d+)\](.*)$/.exec(i.path);
      const path =
        debt !== null && Number(debt[1]) >= lastDebts.length
          ? bodyPointer(`newDebts[${Number(debt[1]) - lastDebts.length}]${debt[2]}`)
          : bodyPointer(i.path);
      const text = issueText(i);
      return text === undefined ? { path, message: i.message } : { path, message: i.message, text };
    });
    throw new ProblemError(
      'reassessment_invalid',
      say(ORIGINATION_MESSAGES, 'reassessment_fix_fields', {
        en_list: errors.map((e) => `${e.path}: ${fieldMessage(e, 'en')}`).join('; '),
        zh_list: errors.map((e) => `${e.path}：${fieldMessage(e, 'zh-CN')}`).join('；'),
      }),
      errors,
    );
  }
  return {
    ...(body.income === undefined ? {} : { income: validated.income }),
    ...(body.employment === undefined ? {} : { employment: validated.employment }),
    ...(body.bureau === undefined ? {} : { bureau: validated.bureau }),
    ...(body.business === undefined || validated.business === undefined
      ? {}
      : { business: validated.business }),
    ...(body.newDebts === undefined ? {} : { newDebts: validated.debts.slice(lastDebts.length) }),
  };
}

/** What a re-assessment starts from: the customer's last approved application. */
async function reassessmentBasis(tx: Queryable, deps: ServerDeps, customerId: string) {
  const customer = await findCustomer(tx, deps.cipher, customerId);
  if (customer === undefined) {
    throw new ProblemError(
      'customer_not_found',
      say(CUSTOMER_MESSAGES, 'customer_not_found', { customerId }),
      [fieldProblem('/path/customerId', say(CUSTOMER_MESSAGES, 'no_such_customer'))],
    );
  }
  const last = await latestApprovedApplication(tx, deps.cipher, customerId);
  const dailyRate = last?.decision.decision.dailyRate ?? null;
  if (last === undefined || last.lineId === null || dailyRate === null) {
    throw new ProblemError(
      'no_application_on_file',
      say(ORIGINATION_MESSAGES, 'no_application_on_file', { customerId }),
    );
  }
  return { application: last.application, lineId: last.lineId, dailyRate };
}

/** The line the last application opened and the policy in force for its product. */
async function lineAndPolicy(
  tx: Queryable,
  deps: ServerDeps,
  customerId: string,
  last: { application: Application; lineId: string },
) {
  const line = await findLine(tx, last.lineId, { customerId });
  const policy = await policyInForce(tx, deps, last.application.productId);
  if (policy === undefined || line === undefined) {
    throw new ProblemError(
      'policy_not_published',
      say(ORIGINATION_MESSAGES, 'reassessment_no_policy', { productId: last.application.productId }),
    );
  }
  return { line, policy };
}

/**
 * Re-assesses a customer from new facts and records it, in the caller's transaction: the changes are made
 * from the last approved application (`changesOf`), the policy in force decides. Used by the route below
 * and by monitoring when a document arrives or a signal asks for it (the line's limit is not changed here).
 */
export async function reassessCustomer(
  tx: Queryable,
  deps: ServerDeps,
  customerId: string,
  changesOf: (last: Application) => FinancialChanges,
  createdBy: string,
): Promise<{
  reassessmentId: string;
  applicationId: string;
  result: Reassessment;
  changes: FinancialChanges;
}> {
  const keyOf = originationKeyOf(deps.cipher);
  const last = await reassessmentBasis(tx, deps, customerId);
  const changes = changesOf(last.application);
  const { line, policy } = await lineAndPolicy(tx, deps, customerId, last);
  const assessedAt = await businessNow(deps, tx);
  const a = last.application;
  const blacklist = await blacklistMatches(tx, blacklistKeysOf(deps.cipher, a), assessedAt);
  let result: Reassessment;
  try {
    result = await reassess(
      {
        customerId,
        currentLimit_fen: line.state.limitMinor,
        currentDailyRate: last.dailyRate,
        lastApplication: a,
        changes,
      },
      {
        businessTime: assessedAt,
        policy,
        models: originationAssets(deps).models,
        blacklist,
        book: await readOwnBook(tx, customerId),
        keyOf,
      },
    );
  } catch (error) {
    throw originationProblem(error);
  }
  const reassessmentId = newId('rea');
  await insertReassessment(
    tx,
    deps.cipher,
    { reassessmentId, applicationId: a.applicationId, reassessment: result, changes },
    createdBy,
  );
  return { reassessmentId, applicationId: a.applicationId, result, changes };
}

export async function originationReassessmentRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const common = { tags: ['origination'], security: bearerSecurity };

  app.post<{ Params: { customerId: string }; Body: ChangesBody }>(
    '/customers/:customerId/reassessments',
    {
      config: { permission: 'reassessments.create' },
      schema: {
        ...common,
        summary:
          "Re-assess a customer from new financial facts: a new limit and price with reasons, recorded (the line's limit is not changed here)",
        headers: idempotencyHeader,
        params: idParam('customerId', 'Customer id'),
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            income: openObject('New income: declaredMonthly and evidence, as in an application'),
            newDebts: {
              type: 'array',
              minItems: 1,
              maxItems: NEW_DEBTS_MAX,
              items: openObject('kind, outstanding, monthlyPayment'),
            },
            bureau: openObject('A new bureau summary'),
            business: openObject('New business facts or statements'),
            employment: openObject('New employment'),
          },
        },
        response: { 201: reassessmentResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { customerId } = request.params;
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const { reassessmentId, applicationId, result, changes } = await reassessCustomer(
          tx,
          deps,
          customerId,
          (last) => parseChanges(last, request.body),
          principal.userId,
        );
        return {
          status: 201,
          body: present(reassessmentId, applicationId, principal.userId, result),
          location: `/customers/${customerId}/reassessments`,
          audit: [
            {
              action: 'reassessment.record',
              resourceType: 'reassessment',
              resourceId: reassessmentId,
              customerId,
              details: {
                action: result.action,
                changed: Object.keys(changes),
                policyVersion: result.policy.version,
                contentHash: result.contentHash,
              },
            },
          ],
        };
      });
    },
  );

  app.get<{ Params: { customerId: string }; Querystring: { limit: number; cursor?: string } }>(
    '/customers/:customerId/reassessments',
    {
      config: { permission: 'reassessments.read' },
      schema: {
        ...common,
        summary: "A customer's re-assessments, oldest first",
        params: idParam('customerId', 'Customer id'),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: pageQueryProperties(deps.config),
        },
        response: { 200: pageResponse(reassessmentResponse), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listReassessments(
        deps.db,
        request.params.customerId,
        decodeCursor(q.cursor, 'string') ?? null,
        q.limit + 1,
      );
      const { rows: page, nextCursor } = keysetPage(rows, q.limit, (r) => r.reassessmentId);
      return {
        items: page.map((r) => present(r.reassessmentId, r.applicationId, r.createdBy, r.reassessment)),
        nextCursor,
      };
    },
  );
}
