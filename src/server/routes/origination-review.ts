import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  BLACKLIST_SUBJECTS,
  type BlacklistSource,
  type BlacklistSubject,
  REVIEW_FLAG_KINDS,
} from '../../origination/index.js';
import {
  expireBlacklistEntry,
  expireInvitation,
  findBlacklistEntry,
  findFlag,
  findInvitation,
  insertBlacklistEntry,
  insertInvitation,
  listBlacklist,
  listFlags,
  listInvitations,
  newId,
  originationKeyOf,
  resolveFlag,
  type StoredBlacklistEntry,
  type StoredFlag,
  type StoredInvitation,
} from '../../store/index.js';
import { amountSchema, parseAmount } from '../amount.js';
import type { ServerDeps } from '../context.js';
import { businessNow } from '../hardening/business-clock.js';
import { maskIdNumber, maskPhone } from '../masking.js';
import { maskOpaque, yuan } from '../origination-support.js';
import { ProblemError, validationProblem } from '../problem.js';
import {
  bearerSecurity,
  decodeCursor,
  idempotencyHeader,
  idParam,
  keysetPage,
  pageQueryProperties,
  pageResponse,
  problemResponses,
} from '../schemas.js';
import { commitWrite } from '../writes.js';
import { idNumberProblem } from './customers.js';

/** Longest note, reason or evidence text kept. */
const TEXT_LENGTH_MAX = 500;
/** Longest an invitation or a blacklist entry may run (民法典 Art. 1024, 1029: entries must end). */
export const ENTRY_TERM_MAX_DAYS = 5 * 366;
const PRODUCT_ID = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' } as const;
const TEXT = { type: 'string', minLength: 1, maxLength: TEXT_LENGTH_MAX, pattern: '\\S' } as const;
const INSTANT = { type: 'string', format: 'date-time', description: 'ISO 8601 instant with a zone' } as const;
const BLACKLIST_SOURCES: readonly BlacklistSource[] = [
  'court-dishonest-debtor',
  'internal-review',
  'fraud-consortium',
  'regulator',
];

const flagResponse = {
  type: 'object',
  required: ['flagId', 'applicationId', 'kind', 'severity', 'summary', 'evidence', 'status', 'raisedAt'],
  properties: {
    flagId: { type: 'string' },
    applicationId: { type: 'string' },
    kind: { type: 'string' },
    severity: { type: 'string', enum: ['refuse', 'review'] },
    summary: { type: 'string' },
    evidence: { type: 'object', additionalProperties: true, description: 'What the detector saw' },
    status: { type: 'string', enum: ['open', 'resolved'] },
    raisedAt: { type: 'string' },
    resolution: { type: ['string', 'null'], enum: ['cleared', 'confirmed', null] },
    resolvedBy: { type: ['string', 'null'] },
    resolvedAt: { type: ['string', 'null'] },
    note: { type: ['string', 'null'] },
  },
} as const;

const invitationResponse = {
  type: 'object',
  required: [
    'invitationId',
    'code',
    'idNumber',
    'productIds',
    'limitCap',
    'channels',
    'validFrom',
    'expiresAt',
    'status',
  ],
  properties: {
    invitationId: { type: 'string' },
    code: { type: 'string' },
    idNumber: { type: 'string', description: 'Masked' },
    productIds: { type: 'array', items: { type: 'string' } },
    limitCap: amountSchema,
    channels: { type: 'array', items: { type: 'string' } },
    validFrom: { type: 'string' },
    expiresAt: { type: 'string' },
    status: { type: 'string', enum: ['active', 'used', 'revoked'] },
    usedByApplication: { type: ['string', 'null'] },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    expiredBy: { type: ['string', 'null'] },
  },
} as const;

const entryResponse = {
  type: 'object',
  required: ['entryId', 'subject', 'value', 'reason', 'source', 'evidence', 'listedAt', 'expiresAt'],
  properties: {
    entryId: { type: 'string' },
    subject: { type: 'string', enum: [...BLACKLIST_SUBJECTS] },
    value: { type: 'string', description: 'The listed value, masked' },
    reason: { type: 'string' },
    source: { type: 'string', enum: [...BLACKLIST_SOURCES] },
    evidence: { type: 'string' },
    listedAt: { type: 'string' },
    expiresAt: { type: 'string' },
    createdBy: { type: 'string' },
    expiredBy: { type: ['string', 'null'] },
  },
} as const;

function presentFlag(f: StoredFlag) {
  return { ...f };
}

function presentInvitation(i: StoredInvitation) {
  return {
    invitationId: i.invitationId,
    code: i.code,
    idNumber: maskIdNumber(i.idNumber),
    productIds: i.productIds,
    limitCap: yuan(i.limitCap_fen),
    channels: i.channels,
    validFrom: i.validFrom,
    expiresAt: i.expiresAt,
    status: i.status,
    usedByApplication: i.usedByApplication,
    createdBy: i.createdBy,
    createdAt: i.createdAt,
    expiredBy: i.expiredBy,
  };
}

function maskValue(subject: BlacklistSubject, value: string): string {
  if (subject === 'id-number') return maskIdNumber(value);
  if (subject === 'phone') return maskPhone(value);
  return maskOpaque(value);
}

function presentEntry(e: StoredBlacklistEntry) {
  return {
    entryId: e.entryId,
    subject: e.subject,
    value: maskValue(e.subject, e.value),
    reason: e.reason,
    source: e.source,
    evidence: e.evidence,
    listedAt: e.listedAt,
    expiresAt: e.expiresAt,
    createdBy: e.createdBy,
    expiredBy: e.expiredBy,
  };
}

/** An instant in the future and within the longest term allowed, else a problem naming the field. */
function checkExpiry(expiresAt: string, now: number, path: string): string {
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at))
    throw validationProblem([{ path, message: 'is not an ISO 8601 instant with a zone' }]);
  if (at <= now || at > now + ENTRY_TERM_MAX_DAYS * 86_400_000) {
    throw new ProblemError(
      'date_out_of_range',
      `${path.replace('/body/', '')} must be after now and at most ${ENTRY_TERM_MAX_DAYS} days ahead (every entry ends).`,
      [{ path, message: `must be in the next ${ENTRY_TERM_MAX_DAYS} days` }],
    );
  }
  return new Date(at).toISOString();
}

function subjectValueProblem(subject: BlacklistSubject, value: string): string | undefined {
  if (subject === 'id-number') return idNumberProblem(value, new Date().toISOString().slice(0, 10));
  if (subject === 'phone' && !/^1[3-9][0-9]{9}$/.test(value.replace(/[\s-]/g, '')))
    return 'must be a mainland mobile number of 11 digits';
  return undefined;
}

export async function originationReviewRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const review = { tags: ['review queue'], security: bearerSecurity };
  const lists = { tags: ['invitations and blacklist'], security: bearerSecurity };
  const keyOf = originationKeyOf(deps.cipher);

  app.get<{ Querystring: { limit: number; cursor?: string; status: 'open' | 'resolved'; kind?: string } }>(
    '/review-queue',
    {
      config: { permission: 'review.read' },
      schema: {
        ...review,
        summary: '强开 flags with their evidence for an analyst; open ones unless ?status=resolved',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties(deps.config),
            status: { type: 'string', enum: ['open', 'resolved'], default: 'open' },
            kind: { type: 'string', enum: [...REVIEW_FLAG_KINDS] },
          },
        },
        response: { 200: pageResponse(flagResponse), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listFlags(
        deps.db,
        { status: q.status, ...(q.kind === undefined ? {} : { kind: q.kind }) },
        decodeCursor(q.cursor, 'string') ?? null,
        q.limit + 1,
      );
      const { rows: page, nextCursor } = keysetPage(rows, q.limit, (r) => r.flagId);
      return { items: page.map(presentFlag), nextCursor };
    },
  );

  app.post<{ Params: { flagId: string }; Body: { resolution: 'cleared' | 'confirmed'; note: string } }>(
    '/review-queue/:flagId/resolve',
    {
      config: { permission: 'review.resolve' },
      schema: {
        ...review,
        summary: 'Resolve a flag: cleared (not 强开) or confirmed, with a note; who and when are recorded',
        headers: idempotencyHeader,
        params: idParam('flagId', 'Review flag id'),
        body: {
          type: 'object',
          required: ['resolution', 'note'],
          additionalProperties: false,
          properties: { resolution: { type: 'string', enum: ['cleared', 'confirmed'] }, note: TEXT },
        },
        response: { 200: flagResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const found = await findFlag(tx, request.params.flagId, { forUpdate: true });
        if (found === undefined) {
          throw new ProblemError(
            'flag_not_found',
            `There is no review flag ${request.params.flagId}; see GET /review-queue.`,
            [{ path: '/path/flagId', message: 'no such flag' }],
          );
        }
        if (found.status !== 'open') {
          throw new ProblemError(
            'flag_resolved',
            `Flag ${found.flagId} was resolved (${found.resolution}) by ${found.resolvedBy} at ${found.resolvedAt}.`,
          );
        }
        const resolved = await resolveFlag(
          tx,
          found.flagId,
          request.body.resolution,
          principal.userId,
          request.body.note,
        );
        return {
          status: 200,
          body: presentFlag(resolved),
          audit: [
            {
              action: 'review_flag.resolve',
              resourceType: 'review_flag',
              resourceId: found.flagId,
              customerId: null,
              details: {
                applicationId: found.applicationId,
                kind: found.kind,
                resolution: resolved.resolution,
              },
            },
          ],
        };
      });
    },
  );

  // Invitations -------------------------------------------------------------------------------------------

  app.post<{
    Body: {
      idNumber: string;
      productIds: string[];
      limitCap: string;
      channels: string[];
      validFrom?: string;
      expiresAt: string;
      code?: string;
    };
  }>(
    '/invitations',
    {
      config: { permission: 'invitations.manage' },
      schema: {
        ...lists,
        summary: 'Invite a person (白名单): a line opens only within an invitation and its terms',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['idNumber', 'productIds', 'limitCap', 'expiresAt'],
          additionalProperties: false,
          properties: {
            idNumber: {
              type: 'string',
              minLength: 18,
              maxLength: 18,
              description: '18-character resident ID number',
            },
            productIds: { type: 'array', minItems: 1, maxItems: 20, items: PRODUCT_ID },
            limitCap: amountSchema,
            channels: {
              type: 'array',
              maxItems: 20,
              default: [],
              items: { type: 'string', minLength: 1, maxLength: 64 },
              description: 'Channels the invitation may be taken up through; empty for any',
            },
            validFrom: INSTANT,
            expiresAt: INSTANT,
            code: {
              type: 'string',
              pattern: '^[A-Za-z0-9_-]{4,40}$',
              description: 'Defaults to a random code',
            },
          },
        },
        response: { 201: invitationResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const now = Date.parse(await businessNow(deps));
      const idProblem = idNumberProblem(b.idNumber, new Date(now).toISOString().slice(0, 10));
      if (idProblem !== undefined) throw validationProblem([{ path: '/body/idNumber', message: idProblem }]);
      const cap = parseAmount(b.limitCap, deps.config.amount_max_fen);
      if (!cap.ok || cap.fen === 0) {
        throw new ProblemError('amount_invalid', `limitCap ${cap.ok ? 'must be above 0' : cap.message}`, [
          { path: '/body/limitCap', message: cap.ok ? 'must be above 0' : cap.message },
        ]);
      }
      const expiresAt = checkExpiry(b.expiresAt, now, '/body/expiresAt');
      const validFrom =
        b.validFrom === undefined ? new Date(now).toISOString() : new Date(b.validFrom).toISOString();
      if (Number.isNaN(Date.parse(validFrom)) || validFrom >= expiresAt) {
        throw new ProblemError('date_out_of_range', 'validFrom must come before expiresAt.', [
          { path: '/body/validFrom', message: 'must be before expiresAt' },
        ]);
      }
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const invitationId = newId('inv');
        const created = await insertInvitation(
          tx,
          deps.cipher,
          {
            invitationId,
            code: b.code ?? `INV-${randomBytes(6).toString('hex').toUpperCase()}`,
            idNumber: b.idNumber.trim().toUpperCase(),
            applicantKey: keyOf('id-number', b.idNumber),
            productIds: b.productIds,
            limitCap_fen: cap.ok ? cap.fen : 0,
            channels: b.channels,
            validFrom,
            expiresAt,
          },
          principal.userId,
        );
        return {
          status: 201,
          body: presentInvitation(created),
          location: `/invitations/${invitationId}`,
          audit: [
            {
              action: 'invitation.create',
              resourceType: 'invitation',
              resourceId: invitationId,
              customerId: null,
              details: { productIds: b.productIds, limitCapMinor: created.limitCap_fen },
            },
          ],
        };
      });
    },
  );

  app.get<{ Querystring: { limit: number; cursor?: string; status?: string } }>(
    '/invitations',
    {
      config: { permission: 'invitations.read' },
      schema: {
        ...lists,
        summary: 'Invitations (ID numbers masked)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties(deps.config),
            status: { type: 'string', enum: ['active', 'used', 'revoked'] },
          },
        },
        response: { 200: pageResponse(invitationResponse), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listInvitations(
        deps.db,
        deps.cipher,
        q.status === undefined ? {} : { status: q.status },
        decodeCursor(q.cursor, 'string') ?? null,
        q.limit + 1,
      );
      const { rows: page, nextCursor } = keysetPage(rows, q.limit, (r) => r.invitationId);
      return { items: page.map(presentInvitation), nextCursor };
    },
  );

  app.post<{ Params: { invitationId: string }; Body: Record<string, never> }>(
    '/invitations/:invitationId/expire',
    {
      config: { permission: 'invitations.manage' },
      schema: {
        ...lists,
        summary: 'End an invitation now (it is revoked and no longer opens a line)',
        headers: idempotencyHeader,
        params: idParam('invitationId', 'Invitation id'),
        body: { type: 'object', additionalProperties: false, properties: {} },
        response: { 200: invitationResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      return commitWrite(deps, request, reply, async (tx) => {
        const found = await findInvitation(tx, deps.cipher, request.params.invitationId);
        if (found === undefined) {
          throw new ProblemError(
            'invitation_not_found',
            `There is no invitation ${request.params.invitationId}; list them with GET /invitations.`,
            [{ path: '/path/invitationId', message: 'no such invitation' }],
          );
        }
        const expired = await expireInvitation(tx, deps.cipher, found.invitationId, principal.userId);
        return {
          status: 200,
          body: presentInvitation(expired),
          audit: [
            {
              action: 'invitation.expire',
              resourceType: 'invitation',
              resourceId: found.invitationId,
              customerId: null,
              details: { statusBefore: found.status },
            },
          ],
        };
      });
    },
  );

  // Blacklist ---------------------------------------------------------------------------------------------

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
      if (valueProblem !== undefined)
        throw validationProblem([{ path: '/body/value', message: valueProblem }]);
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
            `There is no blacklist entry ${request.params.entryId}; list them with GET /blacklist.`,
            [{ path: '/path/entryId', message: 'no such entry' }],
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
