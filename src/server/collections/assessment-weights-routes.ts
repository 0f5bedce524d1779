import type { FastifyInstance } from 'fastify';
import { AssessmentWeightsError } from '../../collections/index.js';
import {
  AssessmentVersionError,
  approveAssessmentWeights,
  assessmentWeightsDocument,
  draftAssessmentWeights,
  listAssessmentVersions,
  type StoredAssessmentVersion,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import { bearerSecurity, idempotencyHeader, problemResponses } from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { COLLECTIONS_MESSAGES } from './messages.js';

const tags = ['collections'];
const versionParams = (description: string) =>
  ({
    type: 'object',
    required: ['version'],
    additionalProperties: false,
    properties: { version: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,39}$', description } },
  }) as const;

const versionSchema = {
  type: 'object',
  required: ['version', 'status', 'documentHash', 'note', 'createdBy', 'createdAt', 'approvedBy'],
  properties: {
    version: { type: 'string' },
    status: { type: 'string', enum: ['draft', 'published', 'retired'] },
    documentHash: { type: 'string', description: 'SHA-256 of the weights as stored' },
    note: { type: ['string', 'null'] },
    createdBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    approvedBy: { type: ['string', 'null'] },
  },
} as const;

const weightsSchema = {
  type: 'object',
  description:
    'Ability/willingness weights: the thresholds and the points each reading of the evidence gives its side',
  additionalProperties: true,
} as const;

function weightsProblem(error: unknown, version: string): never {
  if (error instanceof AssessmentWeightsError)
    throw new ProblemError(
      'assessment_weights_invalid',
      say(COLLECTIONS_MESSAGES, 'weights_invalid'),
      error.issues.map((i) =>
        fieldProblem(
          `/body/weights${i.path}`,
          say(COLLECTIONS_MESSAGES, 'weights_issue', { fault: i.message }),
        ),
      ),
    );
  if (error instanceof AssessmentVersionError) {
    if (error.code === 'assessment_weights_not_found')
      throw new ProblemError(
        'assessment_weights_not_found',
        say(COLLECTIONS_MESSAGES, 'weights_not_found', { version }),
      );
    if (error.code === 'assessment_weights_not_draft')
      throw new ProblemError(
        'assessment_weights_status_conflict',
        say(COLLECTIONS_MESSAGES, 'weights_not_draft', { version, status: error.status ?? '' }),
      );
    throw new ProblemError('approval_by_author', say(COLLECTIONS_MESSAGES, 'weights_own_draft', { version }));
  }
  throw error;
}

/**
 * Ability/willingness assessment weights as versioned data with maker-checker (decision 0717): drafted by
 * one person, approved by another; the published version is used from the next case refresh, the shipped
 * weights while none is.
 */
export async function assessmentWeightsRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get(
    '/collections/assessment-weights',
    {
      config: { permission: 'policies.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Assessment weights versions, newest first, with their maker-checker trail',
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: versionSchema } } },
          ...problemResponses,
        },
      },
    },
    async () => ({ items: await listAssessmentVersions(deps.db) }),
  );

  app.get<{ Params: { version: string } }>(
    '/collections/assessment-weights/:version',
    {
      config: { permission: 'policies.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'A version’s weights ("shipped" = the defaults in force while none is published)',
        params: versionParams('Assessment weights version, or "shipped"'),
        response: { 200: weightsSchema, ...problemResponses },
      },
    },
    async (request) => {
      const doc = await assessmentWeightsDocument(deps.db, request.params.version);
      if (doc === undefined)
        throw new ProblemError(
          'assessment_weights_not_found',
          say(COLLECTIONS_MESSAGES, 'weights_not_found', { version: request.params.version }),
        );
      return doc;
    },
  );

  app.post<{ Body: { weights: unknown; note?: string } }>(
    '/collections/assessment-weights',
    {
      config: { permission: 'policies.draft' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Draft assessment weights: checked (every field, whole numbers within bounds) before stored',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['weights'],
          additionalProperties: false,
          properties: {
            weights: { type: 'object', additionalProperties: true },
            note: { type: 'string', minLength: 1, maxLength: 500 },
          },
        },
        response: { 201: versionSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      commitWrite(deps, request, reply, async (tx) => {
        let v: StoredAssessmentVersion;
        try {
          v = await draftAssessmentWeights(
            tx,
            request.body.weights,
            request.principal!.userId,
            request.body.note ?? null,
          );
        } catch (error) {
          weightsProblem(error, '');
        }
        return {
          status: 201,
          body: v,
          audit: [
            {
              action: 'collection.assessment_weights_draft',
              resourceType: 'collection_assessment_weights',
              customerId: null,
              resourceId: v.version,
              details: { documentHash: v.documentHash },
            },
          ],
        };
      }),
  );

  app.post<{ Params: { version: string } }>(
    '/collections/assessment-weights/:version/approve',
    {
      config: { permission: 'policies.approve' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Approve a draft: it is used from the next case refresh, the previous version retired; never one’s own',
        params: versionParams('Assessment weights version'),
        headers: idempotencyHeader,
        response: { 200: versionSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      commitWrite(deps, request, reply, async (tx) => {
        let v: StoredAssessmentVersion;
        try {
          v = await approveAssessmentWeights(tx, request.params.version, request.principal!.userId);
        } catch (error) {
          weightsProblem(error, request.params.version);
        }
        return {
          status: 200,
          body: v,
          audit: [
            {
              action: 'collection.assessment_weights_approve',
              resourceType: 'collection_assessment_weights',
              customerId: null,
              resourceId: v.version,
              details: { documentHash: v.documentHash },
            },
          ],
        };
      }),
  );
}
