/**
 * What the loan changes that wait for a second person (restructurings, settlement offers) share over HTTP: the
 * path parameters of a decision, the note a decision may carry, the route that rejects a pending proposal (nothing
 * changes on the loan) and the route that lists a loan's proposals. Each area keeps its own proposal and approval
 * routes, where the loan command and its figures differ.
 */
import type { FastifyInstance } from 'fastify';
import type { Day } from '../../money/index.js';
import { findLoan, getBusinessDay, type Queryable, type StoredLoan } from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { bearerSecurity, idempotencyHeader, idParam, problemResponses } from '../http/schemas.js';
import type { WriteOutcome } from '../http/writes.js';
import { loanNotFound } from './request.js';
import { commitLedgerWrite } from './write.js';

/** The loan, locked for the change; 404 when there is none. */
export async function lockedLoan(tx: Queryable, loanId: string): Promise<StoredLoan> {
  const loan = await findLoan(tx, loanId, { forUpdate: true });
  if (loan === undefined) throw loanNotFound(loanId);
  return loan;
}

export const loanIdParam = idParam('loanId', 'Loan id');

/** `{ loanId, <idName> }`: the path of a decision on one proposal. */
export function decisionParams<K extends string>(idName: K) {
  return {
    type: 'object',
    required: ['loanId', idName],
    additionalProperties: false,
    properties: {
      loanId: { type: 'string', minLength: 1, maxLength: 64 },
      [idName]: { type: 'string', minLength: 1, maxLength: 64 },
    },
  } as const;
}

export const noteBody = {
  type: 'object',
  additionalProperties: false,
  properties: { note: { type: 'string', maxLength: 500 } },
} as const;

export const loanRouteCommon = { tags: ['loans'], security: bearerSecurity };

interface Proposal {
  note: string | null;
}

/** A rejection as the store records it: no loan event. */
export interface Rejection {
  status: 'rejected';
  decidedBy: string;
  decidedDay: Day;
  note: string | null;
  eventSeq: null;
}

export interface RejectRouteSpec<P extends Proposal> {
  /** The collection under a loan, e.g. `restructurings`. */
  collection: string;
  /** The proposal's path parameter, e.g. `restructuringId`. */
  idName: string;
  summary: string;
  response: object;
  /** The audit action of a rejection. */
  action: string;
  /** The pending proposal, locked; throws the area's problem when it is unknown or already decided. */
  findPending(tx: Queryable, loanId: string, id: string): Promise<P>;
  reject(tx: Queryable, found: P, decision: Rejection): Promise<P>;
  present(p: P): unknown;
}

/** `POST /loans/{loanId}/<collection>/{id}/reject`: the proposal is rejected; nothing changes on the loan. */
export function registerRejectRoute<P extends Proposal>(
  app: FastifyInstance,
  deps: ServerDeps,
  spec: RejectRouteSpec<P>,
): void {
  app.post<{ Params: Record<string, string>; Body: { note?: string } }>(
    `/loans/:loanId/${spec.collection}/:${spec.idName}/reject`,
    {
      config: { permission: 'loans.restructure.approve' },
      schema: {
        ...loanRouteCommon,
        summary: spec.summary,
        headers: idempotencyHeader,
        params: decisionParams(spec.idName),
        body: noteBody,
        response: { 200: spec.response, ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const loanId = request.params.loanId!;
      const id = request.params[spec.idName]!;
      return commitLedgerWrite(deps, request, reply, async (tx): Promise<WriteOutcome<unknown>> => {
        const loan = await lockedLoan(tx, loanId);
        const found = await spec.findPending(tx, loanId, id);
        const decided = await spec.reject(tx, found, {
          status: 'rejected',
          decidedBy: principal.userId,
          decidedDay: await getBusinessDay(tx),
          note: request.body.note ?? found.note,
          eventSeq: null,
        });
        return {
          status: 200,
          body: spec.present(decided),
          audit: [
            {
              action: spec.action,
              resourceType: 'loan',
              resourceId: loanId,
              customerId: loan.customerId,
              details: { [spec.idName]: id },
            },
          ],
        };
      });
    },
  );
}

export interface ListRouteSpec<P> {
  collection: string;
  summary: string;
  /** The schema of one item. */
  item: object;
  list(db: Queryable, loanId: string): Promise<P[]>;
  present(p: P): unknown;
}

/** `GET /loans/{loanId}/<collection>`: a loan's proposals, whatever their state. */
export function registerListRoute<P>(app: FastifyInstance, deps: ServerDeps, spec: ListRouteSpec<P>): void {
  app.get<{ Params: { loanId: string } }>(
    `/loans/:loanId/${spec.collection}`,
    {
      config: { permission: 'loans.read' },
      schema: {
        ...loanRouteCommon,
        summary: spec.summary,
        params: loanIdParam,
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: spec.item } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const loan = await findLoan(deps.db, request.params.loanId);
      if (loan === undefined) throw loanNotFound(request.params.loanId);
      const items = await spec.list(deps.db, loan.loanId);
      return { items: items.map((p) => spec.present(p)) };
    },
  );
}
