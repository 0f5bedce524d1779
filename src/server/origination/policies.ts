import type { FastifyInstance } from 'fastify';
import { compilePolicy, type PolicyDocument, parsePolicy } from '../../origination/index.js';
import {
  appendPolicyEvent,
  approvePolicyVersion,
  findPolicyVersion,
  findPublishedPolicy,
  insertPolicyDraft,
  listPolicyVersions,
  PolicyVersionExistsError,
  policyEvents,
  previousPublishedVersion,
  publishPolicyVersion,
  type Queryable,
  retirePolicyVersion,
  type StoredPolicyVersion,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import {
  bearerSecurity,
  decodeCursor,
  idempotencyHeader,
  keysetPage,
  pageQueryProperties,
  pageResponse,
  problemResponses,
} from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { ORIGINATION_MESSAGES } from './messages.js';
import { presentPolicy } from './presenters.js';
import { policyNotFound, statusConflict } from './problems.js';
import { documentHashOf, originationAssets, originationProblem } from './support.js';

/** Largest policy document accepted: the shipped pack is about 35 KB. */
export const POLICY_BODY_LIMIT_BYTES = 1024 * 1024;
/** Longest note kept with an approval, publication or roll back. */
export const NOTE_LENGTH_MAX = 500;
const VERSION_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';

const versionParam = {
  type: 'object',
  required: ['version'],
  additionalProperties: false,
  properties: { version: { type: 'string', pattern: VERSION_PATTERN, description: 'Policy version label' } },
} as const;

const noteBody = {
  type: 'object',
  additionalProperties: false,
  properties: { note: { type: 'string', minLength: 1, maxLength: NOTE_LENGTH_MAX, pattern: '\\S' } },
} as const;

const policyResponse = {
  type: 'object',
  required: ['version', 'policyId', 'productId', 'documentHash', 'status', 'createdBy', 'createdAt'],
  properties: {
    version: { type: 'string' },
    policyId: { type: 'string' },
    productId: { type: 'string' },
    documentHash: { type: 'string' },
    status: { type: 'string', enum: ['draft', 'approved', 'published', 'retired', 'rejected'] },
    inForce: { type: 'boolean', description: 'This version decides applications for its product now' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    approvedBy: { type: ['string', 'null'] },
    approvedAt: { type: ['string', 'null'] },
    publishedBy: { type: ['string', 'null'] },
    publishedAt: { type: ['string', 'null'] },
    retiredAt: { type: ['string', 'null'] },
    rolledBackAt: { type: ['string', 'null'] },
    trail: {
      type: 'array',
      description: 'Every step of this version: who did what, when',
      items: {
        type: 'object',
        properties: {
          action: { type: 'string' },
          actorUserId: { type: 'string' },
          occurredAt: { type: 'string' },
          note: { type: ['string', 'null'] },
        },
      },
    },
    document: { type: 'object', additionalProperties: true, description: 'The policy document' },
  },
} as const;

async function versionOrThrow(q: Queryable, version: string): Promise<StoredPolicyVersion> {
  const found = await findPolicyVersion(q, version, { forUpdate: true });
  if (found === undefined) throw policyNotFound(version);
  return found;
}

async function withTrail(q: Queryable, p: StoredPolicyVersion, withDocument = false) {
  const trail = (await policyEvents(q, p.version)).map((e) => ({
    action: e.action,
    actorUserId: e.actorUserId,
    occurredAt: e.occurredAt,
    note: e.note,
  }));
  return presentPolicy(p, {
    trail,
    ...(withDocument && p.document !== undefined ? { document: p.document } : {}),
  });
}

export async function originationPolicyRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const common = { tags: ['policies'], security: bearerSecurity };

  app.post<{ Body: Record<string, unknown> }>(
    '/policies',
    {
      config: { permission: 'policies.draft' },
      bodyLimit: POLICY_BODY_LIMIT_BYTES,
      schema: {
        ...common,
        summary:
          'Write a policy version as a draft: checked and loaded into the rules engine, not yet in force',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          description: 'A policy document, format lendguard.policy version 1, graphs inline (docs/api.md)',
          additionalProperties: true,
        },
        response: { 201: policyResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      let document: PolicyDocument;
      try {
        document = parsePolicy(request.body);
        compilePolicy(document);
      } catch (error) {
        throw originationProblem(error);
      }
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        let stored: StoredPolicyVersion;
        try {
          stored = await insertPolicyDraft(tx, document, documentHashOf(document), principal.userId);
        } catch (error) {
          if (!(error instanceof PolicyVersionExistsError)) throw error;
          throw new ProblemError(
            'policy_version_exists',
            say(ORIGINATION_MESSAGES, 'policy_version_exists', { version: document.version }),
            [fieldProblem('/body/version', say(ORIGINATION_MESSAGES, 'is_taken'))],
          );
        }
        return {
          status: 201,
          body: await withTrail(tx, stored),
          location: `/policies/${stored.version}`,
          audit: [
            {
              action: 'policy.draft',
              resourceType: 'policy_version',
              resourceId: stored.version,
              customerId: null,
              details: { policyId: stored.policyId, documentHash: stored.documentHash },
            },
          ],
        };
      });
    },
  );

  app.get<{ Querystring: { limit: number; cursor?: string; status?: string; productId?: string } }>(
    '/policies',
    {
      config: { permission: 'policies.read' },
      schema: {
        ...common,
        summary: 'Policy versions by label, with their status (documents left out)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties(deps.config),
            status: { type: 'string', enum: ['draft', 'approved', 'published', 'retired', 'rejected'] },
            productId: { type: 'string', maxLength: 64 },
          },
        },
        response: { 200: pageResponse(policyResponse), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listPolicyVersions(
        deps.db,
        {
          ...(q.status === undefined ? {} : { status: q.status as StoredPolicyVersion['status'] }),
          ...(q.productId === undefined ? {} : { productId: q.productId }),
        },
        decodeCursor(q.cursor, 'string') ?? null,
        q.limit + 1,
      );
      const { rows: page, nextCursor } = keysetPage(rows, q.limit, (r) => r.version);
      return { items: page.map((p) => presentPolicy(p)), nextCursor };
    },
  );

  app.get<{ Params: { version: string } }>(
    '/policies/:version',
    {
      config: { permission: 'policies.read' },
      schema: {
        ...common,
        summary: 'One policy version with its document and its maker-checker trail',
        params: versionParam,
        response: { 200: policyResponse, ...problemResponses },
      },
    },
    async (request) => {
      const found = await findPolicyVersion(deps.db, request.params.version, { withDocument: true });
      if (found === undefined) throw policyNotFound(request.params.version);
      return withTrail(deps.db, found, true);
    },
  );

  app.post<{ Params: { version: string }; Body: { note?: string } }>(
    '/policies/:version/approve',
    {
      config: { permission: 'policies.approve' },
      schema: {
        ...common,
        summary: 'Approve a draft: the approver must be another user than its author (maker-checker)',
        headers: idempotencyHeader,
        params: versionParam,
        body: noteBody,
        response: { 200: policyResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const found = await versionOrThrow(tx, request.params.version);
        if (found.status !== 'draft') throw statusConflict(found, 'draft', 'approved');
        if (found.createdBy === principal.userId) {
          throw new ProblemError(
            'approval_by_author',
            say(ORIGINATION_MESSAGES, 'approval_by_author', { version: found.version }),
          );
        }
        await approvePolicyVersion(tx, found.version, principal.userId);
        await appendPolicyEvent(tx, found.version, 'approve', principal.userId, request.body.note ?? null);
        const after = await versionOrThrow(tx, found.version);
        return {
          status: 200,
          body: await withTrail(tx, after),
          audit: [
            {
              action: 'policy.approve',
              resourceType: 'policy_version',
              resourceId: found.version,
              customerId: null,
              details: { author: found.createdBy },
            },
          ],
        };
      });
    },
  );

  app.post<{ Params: { version: string }; Body: { note?: string } }>(
    '/policies/:version/publish',
    {
      config: { permission: 'policies.approve' },
      schema: {
        ...common,
        summary:
          'Put an approved version in force for its product; the version in force before it is retired',
        headers: idempotencyHeader,
        params: versionParam,
        body: noteBody,
        response: { 200: policyResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const found = await versionOrThrow(tx, request.params.version);
        if (found.status !== 'approved') throw statusConflict(found, 'approved', 'published');
        const current = await findPublishedPolicy(tx, found.productId, { forUpdate: true });
        if (current !== undefined) {
          await retirePolicyVersion(tx, current.version, false);
          await appendPolicyEvent(
            tx,
            current.version,
            'retire',
            principal.userId,
            `replaced by ${found.version}`,
          );
        }
        await publishPolicyVersion(tx, found.version, principal.userId);
        await appendPolicyEvent(tx, found.version, 'publish', principal.userId, request.body.note ?? null);
        const after = await versionOrThrow(tx, found.version);
        return {
          status: 200,
          body: await withTrail(tx, after),
          audit: [
            {
              action: 'policy.publish',
              resourceType: 'policy_version',
              resourceId: found.version,
              customerId: null,
              details: { replaced: current?.version ?? null, productId: found.productId },
            },
          ],
        };
      });
    },
  );

  app.post<{ Params: { version: string }; Body: { note?: string } }>(
    '/policies/:version/rollback',
    {
      config: { permission: 'policies.approve' },
      schema: {
        ...common,
        summary:
          'Take the version in force out and put back the one published before it (or the shipped default pack)',
        headers: idempotencyHeader,
        params: versionParam,
        body: noteBody,
        response: { 200: policyResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const found = await versionOrThrow(tx, request.params.version);
        if (found.status !== 'published') throw statusConflict(found, 'published', 'rolled back');
        const previous = await previousPublishedVersion(tx, found.productId, found.version);
        const shipped = originationAssets(deps).shippedPolicy;
        if (previous === undefined && shipped.document.settings.productId !== found.productId) {
          throw new ProblemError(
            'policy_status_conflict',
            say(ORIGINATION_MESSAGES, 'rollback_without_earlier', {
              productId: found.productId,
              version: found.version,
            }),
          );
        }
        await retirePolicyVersion(tx, found.version, true);
        await appendPolicyEvent(tx, found.version, 'rollback', principal.userId, request.body.note ?? null);
        if (previous !== undefined) {
          await publishPolicyVersion(tx, previous.version, principal.userId);
          await appendPolicyEvent(
            tx,
            previous.version,
            'publish',
            principal.userId,
            `restored by roll back of ${found.version}`,
          );
        }
        const restored = previous === undefined ? undefined : await versionOrThrow(tx, previous.version);
        return {
          status: 200,
          body: await withTrail(tx, restored ?? (await versionOrThrow(tx, found.version))),
          audit: [
            {
              action: 'policy.rollback',
              resourceType: 'policy_version',
              resourceId: found.version,
              customerId: null,
              details: {
                restored: previous?.version ?? `shipped:${shipped.ref.version}`,
                productId: found.productId,
              },
            },
          ],
        };
      });
    },
  );
}
