import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type Application,
  type CompiledPolicy,
  type Decision,
  type DecisionContext,
  decide,
  type PersonalDataKind,
  validateApplication,
} from '../../origination/index.js';
import {
  type ApplicationInputs,
  type ApplicationStep,
  newId,
  originationKeyOf,
  pastApplicationOf,
  planApproval,
  submitApplication,
} from '../../store/index.js';
import { CUSTOMER_MESSAGES } from '../customers/messages.js';
import { businessNow } from '../http/business-clock.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError, validationProblem } from '../http/problem.js';
import { replayIfSeen, type SealedWrite, sealWrite, sendSealed } from '../http/writes.js';
import { ORIGINATION_MESSAGES } from './messages.js';
import { applicationOutcome } from './presenters.js';
import { policyNotPublished } from './problems.js';
import {
  applicationTurn,
  blacklistKeysOf,
  HISTORY_ROWS_PER_KEY_MAX,
  historySince,
  originationAssets,
  originationProblem,
  policyOfPublished,
} from './support.js';

/** The origination key function for one request: each value's blind index is computed once. */
function requestKeyOf(deps: ServerDeps) {
  const keyOf = originationKeyOf(deps.cipher);
  const known = new Map<string, string>();
  return (kind: PersonalDataKind, value: string): string => {
    const id = `${kind}\u0000${value}`;
    let key = known.get(id);
    if (key === undefined) {
      key = keyOf(kind, value);
      known.set(id, key);
    }
    return key;
  };
}

async function decideOrProblem(application: Application, context: DecisionContext): Promise<Decision> {
  try {
    return await decide(application, context);
  } catch (error) {
    throw originationProblem(error);
  }
}

/** Fields of an application the server sets itself. */
const SERVER_FIELDS = ['applicationId', 'submittedAt'] as const;

/** The application in a request: fields the server sets refused, the rest checked by the origination core. */
function applicationOf(body: Record<string, unknown>, submittedAt: string): Application {
  const serverSet = SERVER_FIELDS.filter((f) => f in body);
  if (serverSet.length > 0) {
    throw validationProblem(
      serverSet.map((f) => ({ path: `/body/${f}`, message: 'is set by the server; remove it' })),
    );
  }
  try {
    return validateApplication({
      ...body,
      applicationId: newId('app'),
      submittedAt,
    });
  } catch (error) {
    throw originationProblem(error);
  }
}

/** A customerId in the application must name a customer holding the same ID number. */
function checkNamedCustomer(application: Application, inputs: ApplicationInputs<CompiledPolicy>): void {
  if (application.customerId === undefined) return;
  const customer = inputs.namedCustomer;
  if (customer === undefined) {
    throw new ProblemError(
      'customer_not_found',
      say(ORIGINATION_MESSAGES, 'new_applicant_customer', { customerId: application.customerId }),
      [fieldProblem('/body/customerId', say(CUSTOMER_MESSAGES, 'no_such_customer'))],
    );
  }
  if (customer.idNumber !== application.identity.idNumber) {
    throw validationProblem([
      { path: '/body/customerId', message: 'belongs to another ID number than identity.idNumber' },
    ]);
  }
}

/**
 * The domain step of a submission, stated once: decide under the policy in force, plan the approval, seal
 * the response. `submitApplication` calls it inside its transaction, whichever write strategy runs.
 */
async function decideApplication(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  application: Application,
  keyOf: (kind: PersonalDataKind, value: string) => string,
  inputs: ApplicationInputs<CompiledPolicy>,
): Promise<ApplicationStep<SealedWrite>> {
  checkNamedCustomer(application, inputs);
  const decision = await decideOrProblem(application, {
    businessTime: application.submittedAt,
    policy: inputs.policy,
    models: originationAssets(deps).models,
    invitations: inputs.invitations,
    blacklist: inputs.blacklist,
    history: { recentApplications: inputs.recentApplications },
    ...(inputs.book === undefined ? {} : { book: inputs.book }),
    keyOf,
  });
  const decisionId = newId('dec');
  const flags = decision.flags.map((flag) => ({ flagId: newId('flg'), flag }));
  const approval =
    decision.outcome === 'approve'
      ? planApproval(deps.cipher, {
          application,
          limit_fen: decision.limit_fen,
          invitationId: decision.invitationId,
          decisionId,
          existingCustomerId: inputs.existingCustomerId,
          businessDay: inputs.businessDay,
        })
      : undefined;
  const sealed = sealWrite(
    request,
    reply,
    applicationOutcome(application, decisionId, decision, flags, approval),
  );
  return {
    decisionId,
    decision,
    flags,
    past: { ...pastApplicationOf(application, keyOf, 'refer'), outcome: decision.outcome },
    approval,
    records: { audit: sealed.audit, idempotency: sealed.idempotency, responseText: sealed.responseText },
    sealed,
  };
}

/** Validate, then one store call: it reads, runs the step, writes, and picks its write strategy itself. */
export async function submitRequest(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const application = applicationOf(request.body as Record<string, unknown>, await businessNow(deps));
  const principal = request.principal;
  const idem = request.idempotency;
  if (principal === null || idem === null)
    throw new Error('assertion: a write runs only after auth and idempotency');
  const keyOf = requestKeyOf(deps);
  const result = await applicationTurn(deps, () =>
    submitApplication(deps.db, deps.cipher, {
      application,
      applicantKey: keyOf('id-number', application.identity.idNumber),
      userId: principal.userId,
      idempotencyKey: idem.key,
      keyOf,
      blacklistKeys: blacklistKeysOf(deps.cipher, application),
      historyRowsPerKey_max: HISTORY_ROWS_PER_KEY_MAX,
      policyOf: async (q, published) => {
        const policy = await policyOfPublished(q, deps, application.productId, published);
        if (policy === undefined) throw policyNotPublished(application.productId);
        return policy;
      },
      historySince: (policy) => historySince(policy.document.settings, application.submittedAt),
      step: (inputs) => decideApplication(deps, request, reply, application, keyOf, inputs),
    }),
  );
  if ('written' in result) return sendSealed(reply, result.written);
  if (!(await replayIfSeen(deps, request, reply)))
    throw new Error('assertion: an earlier request with this key was found');
  return reply;
}
