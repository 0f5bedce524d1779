import type { FastifyInstance } from 'fastify';
import { BLACKLIST_SUBJECTS, type BlacklistSource, type BlacklistSubject } from '../../origination/index.js';
import {
  expireBlacklistEntry,
  findBlacklistEntry,
  insertBlacklistEntry,
  listBlacklist,
  newId,
  originationKeyOf,
} from '../../store/index.js';
import { businessNow } from '../http/business-clock.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError, validationProblem } from '../http/problem.js';
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
import { ORIGINATION_MESSAGES } from './messages.js';
import { presentEntry } from './presenters.js';
import { checkExpiry, subjectValueProblem } from './problems.js';
import { BLACKLIST_SOURCES, entryResponse, INSTANT, TEXT } from './schemas.js';

/** The blacklist: subjects refused at application, each entry with its reason, source and end. */
export async function originationBlacklistRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const lists = { tags: ['invitations and blacklist'], security: bearerSecurity };
  const keyOf = originationKeyOf(deps.cipher);

  app.post<{
    Body: {
      subject: BlacklistSubject;
      value: string;
      reason: string;
      source: BlacklistSource;
      evidence: string;
      expiresAt: string;
    };
  }>(
    '/blacklist',
    {
      config: { permission: 'blacklist.manage' },
      schema: {
        ...lists,
        summary: 'List an ID number, phone, device, IP or SIM with a reason, source, evidence and an expiry',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['subject', 'value', 'reason', 'source', 'evidence', 'expiresAt'],
          additionalProperties: false,
          properties: {
            subject: { type: 'string', enum: [...BLACKLIST_SUBJECTS] },
            value: { type: 'string', minLength: 1, maxLength: 128, pattern: '\\S' },
            reason: TEXT,
            source: { type: 'string', enum: [...BLACKLIST_SOURCES] },
            evidence: TEXT,
            expiresAt: INSTANT,
          },
        },
        response: { 201: entryResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const valueProblem = subjectValueProblem(b.subject, b.value);
      if (valueProblem !== undefined) throw validationProblem([fieldProblem('/body/value', valueProblem)]);
      const listedAt = await businessNow(deps);
      const expiresAt = checkExpiry(b.expiresAt, Date.parse(listedAt), '/body/expiresAt');
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const entryId = newId('bl');
        const value = b.subject === 'id-number' ? b.value.trim().toUpperCase() : b.value.trim();
        const created = await insertBlacklistEntry(
          tx,
          deps.cipher,
          {
            entryId,
            subject: b.subject,
            key: keyOf(b.subject, value),
            value,
            reason: b.reason,
            source: b.source,
            evidence: b.evidence,
            expiresAt,
            listedAt,
          },
          principal.userId,
        );
        return {
          status: 201,
          body: presentEntry(created),
          location: `/blacklist/${entryId}`,
          audit: [
            {
              action: 'blacklist.add',
              resourceType: 'blacklist_entry',
              resourceId: entryId,
              customerId: null,
              details: { subject: b.subject, source: b.source },
            },
          ],
        };
      });
    },
  );

  app.get<{ Querystring: { limit: number; cursor?: string; subject?: string; active?: boolean } }>(
    '/blacklist',
    {
      config: { permission: 'blacklist.read' },
      schema: {
        ...lists,
        summary: 'Blacklist entries (values masked); ?active=true for those not yet expired',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties(deps.config),
            subject: { type: 'string', enum: [...BLACKLIST_SUBJECTS] },
            active: { type: 'boolean' },
          },
        },
        response: { 200: pageResponse(entryResponse), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listBlacklist(
        deps.db,
        deps.cipher,
        {
          ...(q.subject === undefined ? {} : { subject: q.subject }),
          ...(q.active === true ? { activeAt: await businessNow(deps) } : {}),
        },
        decodeCursor(q.cursor, 'string') ?? null,
        q.limit + 1,
      );
      const { rows: page, nextCursor } = keysetPage(rows, q.limit, (r) => r.entryId);
      return { items: page.map(presentEntry), nextCursor };
    },
  );

  app.post<{ Params: { entryId: string }; Body: Record<string, never> }>(
    '/blacklist/:entryId/expire',
    {
      config: { permission: 'blacklist.manage' },
      schema: {
        ...lists,
        summary: 'End a blacklist entry now (an expired entry is ignored)',
        headers: idempotencyHeader,
        params: idParam('entryId', 'Blacklist entry id'),
        body: { type: 'object', additionalProperties: false, properties: {} },
        response: { 200: entryResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const found = await findBlacklistEntry(tx, deps.cipher, request.params.entryId);
        if (found === undefined) {
          throw new ProblemError(
            'blacklist_entry_not_found',
            say(ORIGINATION_MESSAGES, 'blacklist_entry_not_found', { entryId: request.params.entryId }),
            [fieldProblem('/path/entryId', say(ORIGINATION_MESSAGES, 'no_such_entry'))],
          );
        }
        const expired = await expireBlacklistEntry(tx, deps.cipher, found.entryId, principal.userId);
        return {
          status: 200,
          body: presentEntry(expired),
          audit: [
            {
              action: 'blacklist.expire',
              resourceType: 'blacklist_entry',
              resourceId: found.entryId,
              customerId: null,
              details: { subject: found.subject },
            },
          ],
        };
      });
    },
  );
}
