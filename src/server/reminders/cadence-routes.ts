/**
 * 提醒节奏 reminder cadences over HTTP (decision 0611): a lender drafts its own cadence document, checked
 * whole before anything is stored, and another person publishes it — the pattern of the collection
 * strategies. Until one is published the shipped cadence applies (`GET /reminder-cadences/shipped`).
 */
import type { FastifyInstance } from 'fastify';
import { SHIPPED_CADENCE_FILE, SHIPPED_CADENCE_VERSION } from '../../jobs/index.js';
import { counted } from '../../money/index.js';
import {
  approveCadence,
  CadenceError,
  draftCadence,
  findCadenceVersion,
  listCadenceVersions,
  publishedCadence,
  type StoredCadenceVersion,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { documentIssueZh } from '../http/document-issues.js';
import { literal, say, withEnglish } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import { bearerSecurity, idempotencyHeader, problemResponses } from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { REMINDER_MESSAGES } from './messages.js';

/** Cadence versions listed at most (a named bound; a lender keeps few). */
export const CADENCE_VERSIONS_LIST_MAX = 200;

const tags = ['reminders'];
const versionParam = {
  type: 'object',
  required: ['version'],
  additionalProperties: false,
  properties: {
    version: {
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
      description: 'Cadence version, or "shipped" for the cadence that applies until one is published',
    },
  },
} as const;

const cadenceVersionSchema = {
  type: 'object',
  required: ['version', 'status', 'documentHash', 'createdBy', 'approvedBy', 'inForce'],
  properties: {
    version: { type: 'string' },
    status: { type: 'string', enum: ['draft', 'published', 'retired', 'rejected', 'shipped'] },
    documentHash: { type: 'string' },
    note: { type: ['string', 'null'] },
    createdBy: { type: 'string' },
    createdAt: { type: ['string', 'null'] },
    approvedBy: { type: ['string', 'null'] },
    approvedAt: { type: ['string', 'null'] },
    inForce: { type: 'boolean', description: 'The cadence the reminders are planned with now' },
  },
} as const;

const cadenceDocumentSchema = {
  ...cadenceVersionSchema,
  required: [...cadenceVersionSchema.required, 'document'],
  properties: {
    ...cadenceVersionSchema.properties,
    document: { type: 'object', additionalProperties: true },
  },
} as const;

function present(v: StoredCadenceVersion, inForce: boolean) {
  return {
    version: v.version,
    status: v.status,
    documentHash: v.documentHash,
    note: v.note ?? null,
    createdBy: v.createdBy,
    createdAt: v.createdAt ?? null,
    approvedBy: v.approvedBy,
    approvedAt: v.approvedAt ?? null,
    inForce,
  };
}

function notFound(version: string): ProblemError {
  return new ProblemError('cadence_not_found', say(REMINDER_MESSAGES, 'cadence_not_found', { version }));
}

/** A refusal of the store, as problem+json: each issue of an invalid document under its own path. */
function cadenceProblem(error: unknown, version = ''): never {
  if (!(error instanceof CadenceError)) throw error;
  if (error.code === 'cadence_invalid') {
    throw new ProblemError(
      'cadence_invalid',
      say(REMINDER_MESSAGES, 'cadence_invalid', {
        zh_count: error.issues.length,
        en_fields: counted(error.issues.length, 'field'),
      }),
      error.issues.map((i) =>
        fieldProblem(
          `/body/document${i.path}`,
          withEnglish('cadence_issue', i.message, literal(documentIssueZh(i.message) ?? i.message)),
        ),
      ),
    );
  }
  if (error.code === 'cadence_not_found') throw notFound(version);
  if (error.code === 'cadence_not_draft') {
    const status = /is (\w+);/.exec(error.message)?.[1] ?? 'not a draft';
    throw new ProblemError(
      'cadence_status_conflict',
      say(REMINDER_MESSAGES, 'cadence_not_draft', { version, status }),
    );
  }
  throw new ProblemError('approval_by_author', say(REMINDER_MESSAGES, 'cadence_own_draft', { version }));
}

async function shippedDocument(): Promise<unknown> {
  const { readFile } = await import('node:fs/promises');
  return JSON.parse(await readFile(SHIPPED_CADENCE_FILE, 'utf8'));
}

export async function cadenceRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get(
    '/reminder-cadences',
    {
      config: { permission: 'policies.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Reminder cadence versions, newest first, with their maker-checker trail; the one in force is marked (none published: the shipped one)',
        response: {
          200: {
            type: 'object',
            required: ['inForce', 'items'],
            properties: {
              inForce: { type: 'string', description: 'Version in force, or "shipped"' },
              items: { type: 'array', items: cadenceVersionSchema },
            },
          },
          ...problemResponses,
        },
      },
    },
    async () => {
      const versions = await listCadenceVersions(deps.db, CADENCE_VERSIONS_LIST_MAX);
      const published = versions.find((v) => v.status === 'published');
      return {
        inForce: published?.version ?? SHIPPED_CADENCE_VERSION,
        items: versions.map((v) => present(v, v.status === 'published')),
      };
    },
  );

  app.get<{ Params: { version: string } }>(
    '/reminder-cadences/:version',
    {
      config: { permission: 'policies.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'One cadence version with its document ("shipped" = the cadence shipped with Lendguard)',
        params: versionParam,
        response: { 200: cadenceDocumentSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { version } = request.params;
      if (version === SHIPPED_CADENCE_VERSION) {
        const document = await shippedDocument();
        const inForce = (await publishedCadence(deps.db)) === undefined;
        return {
          version,
          status: 'shipped',
          documentHash: '',
          note: null,
          createdBy: 'lendguard',
          createdAt: null,
          approvedBy: null,
          approvedAt: null,
          inForce,
          document,
        };
      }
      const found = await findCadenceVersion(deps.db, version);
      if (found === undefined) throw notFound(version);
      return { ...present(found.version, found.version.status === 'published'), document: found.document };
    },
  );

  app.post<{ Body: { document: Record<string, unknown>; note?: string } }>(
    '/reminder-cadences',
    {
      config: { permission: 'policies.draft' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Draft a cadence version: the whole document is checked (channels, {placeholders}, offsets, clocks, the legal notice) and nothing is stored if any part fails',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['document'],
          additionalProperties: false,
          properties: {
            document: { type: 'object', additionalProperties: true },
            note: { type: 'string', minLength: 1, maxLength: 500 },
          },
        },
        response: { 201: cadenceVersionSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      commitWrite(deps, request, reply, async (tx) => {
        let v: StoredCadenceVersion;
        try {
          v = await draftCadence(
            tx,
            request.body.document,
            request.principal!.userId,
            request.body.note ?? null,
          );
        } catch (error) {
          cadenceProblem(error);
        }
        return {
          status: 201,
          body: present(v, false),
          location: `/reminder-cadences/${v.version}`,
          audit: [
            {
              action: 'reminder.cadence_draft',
              resourceType: 'reminder_cadence',
              customerId: null,
              resourceId: v.version,
              details: { documentHash: v.documentHash },
            },
          ],
        };
      }),
  );

  app.post<{ Params: { version: string } }>(
    '/reminder-cadences/:version/approve',
    {
      config: { permission: 'policies.approve' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Approve a draft (another person than its author): it is published and the version in force before it retired; reminders are planned with it from the next wave',
        params: versionParam,
        headers: idempotencyHeader,
        response: { 200: cadenceVersionSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      commitWrite(deps, request, reply, async (tx) => {
        const { version } = request.params;
        let v: StoredCadenceVersion;
        try {
          v = await approveCadence(tx, version, request.principal!.userId);
        } catch (error) {
          cadenceProblem(error, version);
        }
        return {
          status: 200,
          body: present(v, true),
          audit: [
            {
              action: 'reminder.cadence_approve',
              resourceType: 'reminder_cadence',
              customerId: null,
              resourceId: v.version,
              details: { createdBy: v.createdBy, documentHash: v.documentHash },
            },
          ],
        };
      }),
  );
}
