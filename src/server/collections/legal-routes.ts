import type { FastifyInstance } from 'fastify';
import {
  CollectionsInputError,
  checkDemand,
  checkLegalCost,
  checkLegalProposal,
  DEMAND_CHANNELS,
  type DemandChannel,
  LEGAL_COST_KINDS,
  LEGAL_PATHS,
  LEGAL_STATUSES,
  type LegalCostKind,
  type LegalPath,
  type LegalStatus,
  planLegalStep,
} from '../../collections/index.js';
import { type Day, formatDate, formatMinor, MoneyInputError, parseDate } from '../../money/index.js';
import {
  applyLegalStep,
  findLegalAction,
  getBusinessDay,
  insertDemand,
  insertLegalAction,
  insertLegalCost,
  listLegalActions,
  listLegalCosts,
  listLegalSteps,
  type Queryable,
  type StoredLegalAction,
} from '../../store/index.js';
import { amountProblem, readAmount } from '../http/amount.js';
import type { ServerDeps } from '../http/context.js';
import { engineRefusal } from '../http/engine-refusals.js';
import { say } from '../http/messages.js';
import { fieldProblem, type ProblemCode, ProblemError, validationProblem } from '../http/problem.js';
import { bearerSecurity, idempotencyHeader, idParam, problemResponses } from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { blacklistProposalRoutes } from './blacklist-routes.js';
import { evidencePackageRoute } from './evidence-route.js';
import { refusalProblem } from './legal-messages.js';
import {
  caseOr404,
  legalOverview,
  presentCost,
  presentDemand,
  presentLegalAction,
} from './legal-overview.js';
import {
  DATE_INPUT,
  demandSchema,
  legalActionSchema,
  legalCostSchema,
  legalOverviewSchema,
  NOTE,
} from './legal-schemas.js';
import { COLLECTIONS_MESSAGES } from './messages.js';

const tags = ['collections: legal'];
const caseParams = idParam('caseId', 'Collection case id');
const actionParams = {
  type: 'object',
  required: ['caseId', 'actionId'],
  additionalProperties: false,
  properties: {
    ...caseParams.properties,
    actionId: idParam('actionId', 'Legal action id').properties.actionId,
  },
} as const;

/** Core refusal codes → the API's problem codes. */
const PROBLEM_OF: Readonly<Record<string, ProblemCode>> = {
  legal_path_invalid: 'legal_action_invalid',
  legal_claim_invalid: 'legal_action_invalid',
  legal_reason_missing: 'legal_action_invalid',
  legal_step_not_allowed: 'legal_step_not_allowed',
  legal_self_approval: 'legal_approval_by_proposer',
  legal_date_invalid: 'legal_date_invalid',
  legal_cost_invalid: 'legal_cost_invalid',
  demand_invalid: 'demand_invalid',
};

/** Runs a core check; its refusal becomes problem+json naming the field. */
export function asProblem<T>(f: () => T, fieldBase = '/body'): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof CollectionsInputError) {
      const code = PROBLEM_OF[error.code];
      if (code === undefined) throw error;
      throw refusalProblem(code, error, fieldBase);
    }
    throw error;
  }
}

export function readDate(text: string, path: string): Day {
  try {
    return parseDate(text, path.split('/').at(-1));
  } catch (error) {
    if (error instanceof MoneyInputError)
      throw validationProblem([fieldProblem(path, engineRefusal(error.code, error.message))]);
    throw error;
  }
}

function readPositiveAmount(text: string, path: string, max_fen: number): number {
  const amount = readAmount(text, max_fen);
  if (!amount.ok) {
    throw amountProblem(path.split('/').at(-1) ?? path, path, amount.text);
  }
  return amount.fen;
}

async function actionOr404(q: Queryable, caseId: string, actionId: string): Promise<StoredLegalAction> {
  const action = await findLegalAction(q, actionId, true);
  if (action === undefined || action.caseId !== caseId) {
    throw new ProblemError(
      'legal_action_not_found',
      say(COLLECTIONS_MESSAGES, 'legal_action_not_found', { caseId, actionId }),
    );
  }
  return action;
}

/** 法律诉讼: escalation with a second person's approval, its steps, costs and demands, and the evidence package. */
export async function collectionLegalRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get<{ Params: { caseId: string } }>(
    '/collections/cases/:caseId/legal',
    {
      config: { permission: 'collections.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'The case’s legal actions with their steps and costs, the demands for payment and the limitation period (民法典 Arts. 188, 195)',
        params: caseParams,
        response: { 200: legalOverviewSchema, ...problemResponses },
      },
    },
    async (request) => {
      const kase = await caseOr404(deps.db, request.params.caseId);
      return legalOverview(deps.db, kase, await getBusinessDay(deps.db));
    },
  );

  app.post<{
    Params: { caseId: string };
    Body: { path: LegalPath; reason: string; claimed?: string; venue?: string };
  }>(
    '/collections/cases/:caseId/legal/actions',
    {
      config: { permission: 'collections.legal.propose' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Propose a legal action (支付令, 诉讼, 仲裁, 公证债权文书); a second person approves it before anything is filed',
        params: caseParams,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['path', 'reason'],
          additionalProperties: false,
          properties: {
            path: { type: 'string', enum: [...LEGAL_PATHS] },
            reason: NOTE,
            claimed: {
              type: 'string',
              maxLength: 24,
              description: 'yuan; default everything the borrower owes on the case',
            },
            venue: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
        response: { 201: legalActionSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const claimedInput =
        b.claimed === undefined
          ? undefined
          : readPositiveAmount(b.claimed, '/body/claimed', deps.config.amount_max_fen);
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const kase = await caseOr404(tx, request.params.caseId, true);
        if (kase.status !== 'open') {
          throw new ProblemError(
            'case_closed',
            say(COLLECTIONS_MESSAGES, 'legal_on_open_case', {
              caseId: kase.caseId,
              closedDay: String(kase.closedDay),
            }),
          );
        }
        const claimedMinor = claimedInput ?? kase.totalOwedMinor;
        asProblem(() =>
          checkLegalProposal({
            path: b.path,
            claimedMinor,
            reason: b.reason,
            owedMinor: kase.totalOwedMinor,
          }),
        );
        const live = (await listLegalActions(tx, kase.caseId)).find(
          (a) => !['rejected', 'withdrawn', 'closed', 'objected'].includes(a.status),
        );
        if (live !== undefined) {
          throw new ProblemError(
            'legal_action_in_progress',
            say(COLLECTIONS_MESSAGES, 'legal_action_in_progress', {
              caseId: kase.caseId,
              actionId: live.actionId,
              path: live.path,
              status: live.status,
            }),
          );
        }
        const day = await getBusinessDay(tx);
        const action = await insertLegalAction(tx, {
          caseId: kase.caseId,
          customerId: kase.customerId,
          path: b.path,
          claimedMinor,
          reason: b.reason,
          venue: b.venue ?? null,
          proposedBy: principal.userId,
          day,
        });
        const steps = await listLegalSteps(tx, [action.actionId]);
        return {
          status: 201,
          body: presentLegalAction(action, steps, []),
          location: `/collections/cases/${kase.caseId}/legal`,
          audit: [
            {
              action: 'collection.legal_proposed',
              resourceType: 'collection_legal_action',
              resourceId: action.actionId,
              customerId: kase.customerId,
              details: { caseId: kase.caseId, path: b.path, claimed: formatMinor(claimedMinor) },
            },
          ],
        };
      });
    },
  );

  app.post<{
    Params: { caseId: string; actionId: string };
    Body: { to: LegalStatus; date?: string; note?: string; venue?: string; reference?: string };
  }>(
    '/collections/cases/:caseId/legal/actions/:actionId/steps',
    {
      config: { permission: 'collections.legal' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Move a legal action on: approve (not by its proposer), reject, file, decided, objected (支付令 only), enforcing (强制执行), close, withdraw',
        params: actionParams,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['to'],
          additionalProperties: false,
          properties: {
            to: { type: 'string', enum: LEGAL_STATUSES.filter((s) => s !== 'proposed') },
            date: { ...DATE_INPUT, description: 'YYYY-MM-DD; default the business day' },
            note: NOTE,
            venue: { type: 'string', minLength: 1, maxLength: 200 },
            reference: { type: 'string', minLength: 1, maxLength: 100, description: '案号' },
          },
        },
        response: { 200: legalActionSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const stepDay = b.date === undefined ? undefined : readDate(b.date, '/body/date');
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        await caseOr404(tx, request.params.caseId);
        const action = await actionOr404(tx, request.params.caseId, request.params.actionId);
        const today = await getBusinessDay(tx);
        const plan = asProblem(() =>
          planLegalStep(action, { to: b.to, day: stepDay ?? today, actor: principal.userId }, today),
        );
        const updated = await applyLegalStep(tx, action, plan, {
          note: b.note ?? null,
          ...(b.venue === undefined ? {} : { venue: b.venue }),
          ...(b.reference === undefined ? {} : { reference: b.reference }),
        });
        const [steps, costs] = await Promise.all([
          listLegalSteps(tx, [action.actionId]),
          listLegalCosts(tx, [action.actionId]),
        ]);
        return {
          status: 200,
          body: presentLegalAction(updated, steps, costs),
          audit: [
            {
              action: `collection.legal_${plan.to}`,
              resourceType: 'collection_legal_action',
              resourceId: action.actionId,
              customerId: action.customerId,
              details: { from: plan.from, to: plan.to, date: formatDate(plan.day) },
            },
          ],
        };
      });
    },
  );

  app.post<{
    Params: { caseId: string; actionId: string };
    Body: { kind: LegalCostKind; amount: string; date: string; note?: string };
  }>(
    '/collections/cases/:caseId/legal/actions/:actionId/costs',
    {
      config: { permission: 'collections.legal' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Record a cost of the action (诉讼费, 律师费 …), dated between its proposal and the business day',
        params: actionParams,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['kind', 'amount', 'date'],
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: [...LEGAL_COST_KINDS] },
            amount: { type: 'string', maxLength: 24, description: 'yuan, more than 0.00' },
            date: DATE_INPUT,
            note: NOTE,
          },
        },
        response: { 201: legalCostSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const amountMinor = readPositiveAmount(b.amount, '/body/amount', deps.config.amount_max_fen);
      const day = readDate(b.date, '/body/date');
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        await caseOr404(tx, request.params.caseId);
        const action = await actionOr404(tx, request.params.caseId, request.params.actionId);
        const today = await getBusinessDay(tx);
        asProblem(() => checkLegalCost({ kind: b.kind, amountMinor, day }, action, today));
        const cost = await insertLegalCost(tx, {
          actionId: action.actionId,
          kind: b.kind,
          amountMinor,
          day,
          note: b.note ?? null,
          actor: principal.userId,
        });
        return {
          status: 201,
          body: presentCost(cost),
          location: `/collections/cases/${request.params.caseId}/legal`,
          audit: [
            {
              action: 'collection.legal_cost',
              resourceType: 'collection_legal_action',
              resourceId: action.actionId,
              customerId: action.customerId,
              details: { costId: cost.costId, kind: b.kind, amount: formatMinor(amountMinor), date: b.date },
            },
          ],
        };
      });
    },
  );

  app.post<{
    Params: { caseId: string };
    Body: { date: string; channel: DemandChannel; reachedDebtor: boolean; evidence: string };
  }>(
    '/collections/cases/:caseId/legal/demands',
    {
      config: { permission: 'collections.legal.propose' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Record a demand for payment (催告) with its evidence; one that reached the debtor restarts the limitation period (民法典 Art. 195)',
        params: caseParams,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['date', 'channel', 'reachedDebtor', 'evidence'],
          additionalProperties: false,
          properties: {
            date: DATE_INPUT,
            channel: { type: 'string', enum: [...DEMAND_CHANNELS] },
            reachedDebtor: { type: 'boolean' },
            evidence: { ...NOTE, description: 'Delivery receipt, tracking or recording id' },
          },
        },
        response: { 201: demandSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const day = readDate(b.date, '/body/date');
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const kase = await caseOr404(tx, request.params.caseId);
        const today = await getBusinessDay(tx);
        asProblem(() =>
          checkDemand({ day, channel: b.channel, evidence: b.evidence }, parseDate(kase.openedDay), today),
        );
        const demand = await insertDemand(tx, {
          caseId: kase.caseId,
          customerId: kase.customerId,
          day,
          channel: b.channel,
          reachedDebtor: b.reachedDebtor,
          evidence: b.evidence,
          actor: principal.userId,
        });
        return {
          status: 201,
          body: presentDemand(demand),
          location: `/collections/cases/${kase.caseId}/legal`,
          audit: [
            {
              action: 'collection.demand',
              resourceType: 'collection_case',
              resourceId: kase.caseId,
              customerId: kase.customerId,
              details: {
                demandId: demand.demandId,
                channel: b.channel,
                date: b.date,
                reachedDebtor: b.reachedDebtor,
              },
            },
          ],
        };
      });
    },
  );

  await evidencePackageRoute(app, deps);
  await blacklistProposalRoutes(app, deps);
}
