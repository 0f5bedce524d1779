import type { FastifyReply, FastifyRequest } from 'fastify';
import { say } from '../../http/messages.js';
import { ProblemError } from '../../http/problem.js';
import type { WriteActor } from '../../http/writes.js';
import { PORTAL_ACTION_MESSAGES } from './messages.js';

/** The borrower signed in to the portal: their customer id and the session the request came with. */
export interface BorrowerIdentity {
  customerId: string;
  sessionId: string;
}

/**
 * Finds the signed-in borrower of a request (the portal's sign-in), or throws the problem that says why
 * not. The action routes take it as an argument, so they depend on the sign-in's result only.
 */
export type BorrowerResolver = (request: FastifyRequest, reply: FastifyReply) => Promise<BorrowerIdentity>;

const borrowers = new WeakMap<FastifyRequest, BorrowerIdentity>();

export function rememberBorrower(request: FastifyRequest, who: BorrowerIdentity): void {
  borrowers.set(request, who);
}

/** The borrower a route's pre-handler resolved; a route reached without one is a wiring error. */
export function borrowerOf(request: FastifyRequest): BorrowerIdentity {
  const who = borrowers.get(request);
  if (who === undefined)
    throw new ProblemError('unauthenticated', say(PORTAL_ACTION_MESSAGES, 'not_signed_in'));
  return who;
}

/** How a borrower's writes are recorded: idempotency keys and audit entries under `portal:<customer>`. */
export function borrowerActor(who: BorrowerIdentity): WriteActor {
  return { userId: `portal:${who.customerId}`, role: 'borrower' };
}
