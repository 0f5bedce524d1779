/**
 * The staff side of the borrower's actions: the hardship requests to answer, the offer a person makes on
 * one (a pending restructuring planned once by the ledger, with the terms the borrower will see), and the
 * files borrowers upload for health reviews.
 */
import type { FastifyInstance } from 'fastify';
import { planCommand } from '../../../ledger/index.js';
import {
  findHardshipRequest,
  findLoan,
  getBusinessDay,
  hardshipFile,
  insertRestructuring,
  listHardshipRequests,
  listUploads,
  newId,
  offerOnHardshipRequest,
  uploadFile,
} from '../../../store/index.js';
import type { ServerDeps } from '../../http/context.js';
import { say } from '../../http/messages.js';
import { ProblemError } from '../../http/problem.js';
import { bearerSecurity, idempotencyHeader, idParam, problemResponses } from '../../http/schemas.js';
import { commitWrite } from '../../http/writes.js';
import {
  commandOf,
  type RestructuringBody,
  requestOf,
  restructuringBody,
} from '../../ledger/restructuring-routes.js';
import { PORTAL_ACTION_MESSAGES as M } from './messages.js';
import { offerTermsOf } from './offer-terms.js';
import { PORTAL_LIST_MAX, presentHardship, presentUpload } from './routes.js';

const tags = ['portal'];
const common = { tags, security: bearerSecurity };

const hardshipItem = { type: 'object', additionalProperties: true } as const;

function attachment(name: string): string {
  // The name is the borrower's: only its safe characters go into the header.
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'file';
  return `attachment; filename="${safe}"`;
}

export async function portalActionStaffRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get<{
    Querystring: { status?: 'received' | 'offered' | 'accepted' | 'declined'; customerId?: string };
  }>(
    '/hardship-requests',
    {
      config: { permission: 'collections.read' },
      schema: {
        ...common,
        summary:
          "Borrowers' hardship requests from the portal, newest first: those received wait for an offer",
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: ['received', 'offered', 'accepted', 'declined'] },
            customerId: { type: 'string', maxLength: 64 },
          },
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: hardshipItem } } },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const items = await listHardshipRequests(deps.db, deps.cipher, {
        ...(request.query.status === undefined ? {} : { status: request.query.status }),
        ...(request.query.customerId === undefined ? {} : { customerId: request.query.customerId }),
        limit: PORTAL_LIST_MAX,
      });
      return { items: items.map((r) => ({ customerId: r.customerId, ...presentHardship(r) })) };
    },
  );

  app.get<{ Params: { requestId: string } }>(
    '/hardship-requests/:requestId/file',
    {
      config: { permission: 'collections.read' },
      schema: {
        ...common,
        summary:
          'The document a borrower attached to a hardship request, as an attachment of its checked type',
        params: idParam('requestId', 'Hardship request id'),
        response: { 200: { type: 'string', format: 'binary' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const r = await findHardshipRequest(deps.db, deps.cipher, request.params.requestId);
      const file = r === undefined ? undefined : await hardshipFile(deps.db, r.customerId, r.requestId);
      if (r === undefined || file === undefined)
        throw new ProblemError(
          'hardship_request_not_found',
          say(M, 'hardship_not_found', { requestId: request.params.requestId }),
        );
      return reply
        .header('content-type', file.type)
        .header('content-disposition', attachment(file.name))
        .header('x-content-type-options', 'nosniff')
        .header('digest', `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`)
        .send(file.content);
    },
  );

  app.post<{ Params: { requestId: string }; Body: RestructuringBody }>(
    '/hardship-requests/:requestId/offer',
    {
      config: { permission: 'loans.restructure' },
      schema: {
        ...common,
        summary:
          'Answer a hardship request with an offer: a restructuring planned once by the ledger and kept pending (whatever the thresholds) until the borrower accepts it in the portal; its terms are stored as the borrower will see them',
        headers: idempotencyHeader,
        params: idParam('requestId', 'Hardship request id'),
        body: restructuringBody,
        response: { 201: hardshipItem, ...problemResponses },
      },
    },
    async (request, reply) => {
      const restructureRequest = requestOf(deps, request.body);
      const principal = request.principal!;
      const requestId = request.params.requestId;
      return commitWrite(deps, request, reply, async (tx) => {
        const found = await findHardshipRequest(tx, deps.cipher, requestId, { forUpdate: true });
        if (found === undefined)
          throw new ProblemError('hardship_request_not_found', say(M, 'hardship_not_found', { requestId }));
        if (found.status !== 'received')
          throw new ProblemError(
            'hardship_offer_not_open',
            say(M, 'offer_made_already', { requestId, status: found.status }),
          );
        const loan = await findLoan(tx, found.loanId, { forUpdate: true });
        if (loan === undefined) throw new Error('assertion: a hardship request names a stored loan');
        const day = await getBusinessDay(tx);
        const restructuringId = newId('RS');
        // Planned once, as the restructuring route does: what the ledger refuses is refused here, unwritten.
        const change = planCommand(
          loan.state,
          null,
          commandOf(deps, restructureRequest, day, `restructuring:${restructuringId}`),
        );
        const terms = offerTermsOf(change, day);
        const event = change.events.find((e) => e.type === 'LoanRestructured');
        if (event === undefined || event.type !== 'LoanRestructured')
          throw new Error('assertion: a planned restructuring has its event');
        await insertRestructuring(tx, {
          customerId: loan.customerId,
          restructuringId,
          loanId: loan.loanId,
          request: restructureRequest,
          forgivenMinor: event.forgivenMinor,
          monthsExtended: event.monthsExtended,
          proposedBy: principal.userId,
          proposedDay: day,
          note: request.body.note ?? `offer on hardship request ${requestId}`,
          status: 'pending',
          decidedBy: null,
          decidedDay: null,
          eventSeq: null,
        });
        const offered = await offerOnHardshipRequest(tx, deps.cipher, found, {
          restructuringId,
          terms: terms as unknown as Record<string, unknown>,
          by: principal.userId,
          day,
        });
        return {
          status: 201,
          body: { customerId: offered.customerId, ...presentHardship(offered), reason: '' },
          audit: [
            {
              action: 'hardship_request.offer',
              resourceType: 'hardship_request',
              resourceId: requestId,
              customerId: offered.customerId,
              details: {
                loanId: offered.loanId,
                restructuringId,
                kind: restructureRequest.kind,
                forgivenMinor: event.forgivenMinor,
                monthsExtended: event.monthsExtended,
              },
            },
          ],
        };
      });
    },
  );

  app.get<{ Params: { customerId: string } }>(
    '/customers/:customerId/portal-uploads',
    {
      config: { permission: 'signals.read' },
      schema: {
        ...common,
        summary: 'Files the customer uploaded in the portal for their health-review requests',
        params: idParam('customerId', 'Customer id'),
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: { type: 'object', additionalProperties: true } } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => ({
      items: (await listUploads(deps.db, request.params.customerId)).map(presentUpload),
    }),
  );

  app.get<{ Params: { customerId: string; uploadId: string } }>(
    '/customers/:customerId/portal-uploads/:uploadId/file',
    {
      config: { permission: 'signals.read' },
      schema: {
        ...common,
        summary: 'One uploaded file, as an attachment of its checked type',
        params: {
          type: 'object',
          required: ['customerId', 'uploadId'],
          additionalProperties: false,
          properties: {
            customerId: { type: 'string', minLength: 1, maxLength: 64 },
            uploadId: { type: 'string', minLength: 1, maxLength: 64 },
          },
        },
        response: { 200: { type: 'string', format: 'binary' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const file = await uploadFile(deps.db, request.params.customerId, request.params.uploadId);
      if (file === undefined)
        throw new ProblemError(
          'review_request_not_found',
          say(M, 'review_request_not_found', { requestId: request.params.uploadId }),
        );
      return reply
        .header('content-type', file.type)
        .header('content-disposition', attachment(file.name))
        .header('x-content-type-options', 'nosniff')
        .send(file.content);
    },
  );
}
