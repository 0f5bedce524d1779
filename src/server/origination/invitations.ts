import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  expireInvitation,
  findInvitation,
  insertInvitation,
  listInvitations,
  newId,
  originationKeyOf,
} from '../../store/index.js';
import { idNumberProblem } from '../customers/routes.js';
import { amountProblem, amountSchema, readAmount } from '../http/amount.js';
import { businessNow } from '../http/business-clock.js';
import type { ServerDeps } from '../http/context.js';
import { KERNEL_MESSAGES } from '../http/kernel-messages.js';
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
import { presentInvitation } from './presenters.js';
import { checkExpiry } from './problems.js';
import { INSTANT, invitationResponse, PRODUCT_ID } from './schemas.js';

/** Invitations (白名单): who may apply, for what, up to which limit, until when. */
export async function originationInvitationRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const lists = { tags: ['invitations and blacklist'], security: bearerSecurity };
  const keyOf = originationKeyOf(deps.cipher);

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
      if (idProblem !== undefined) throw validationProblem([fieldProblem('/body/idNumber', idProblem)]);
      const cap = readAmount(b.limitCap, deps.config.amount_max_fen);
      if (!cap.ok || cap.fen === 0) {
        throw amountProblem(
          'limitCap',
          '/body/limitCap',
          cap.ok ? say(KERNEL_MESSAGES, 'amount_above_zero') : cap.text,
        );
      }
      const expiresAt = checkExpiry(b.expiresAt, now, '/body/expiresAt');
      const validFrom =
        b.validFrom === undefined ? new Date(now).toISOString() : new Date(b.validFrom).toISOString();
      if (Number.isNaN(Date.parse(validFrom)) || validFrom >= expiresAt) {
        throw new ProblemError('date_out_of_range', say(ORIGINATION_MESSAGES, 'valid_from_after_expiry'), [
          fieldProblem('/body/validFrom', say(ORIGINATION_MESSAGES, 'before_expiry')),
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
            say(ORIGINATION_MESSAGES, 'invitation_not_found', { invitationId: request.params.invitationId }),
            [fieldProblem('/path/invitationId', say(ORIGINATION_MESSAGES, 'no_such_invitation'))],
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
}
