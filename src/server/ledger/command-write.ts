/**
 * The one write seam of a repayment or waiver: the route states its domain step once (the command of
 * the business day, the answer of the command done), and `commitLoanCommand` carries it out by the
 * write strategies of src/store/write-strategy.ts — `batched`, then `combined` locked, then `per-table`
 * — falling back by itself. The route never knows which strategy ran.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LoanEvent } from '../../ledger/index.js';
import type { Day } from '../../money/index.js';
import {
  applyLoanCommand,
  getBusinessDay,
  type LoanCommand,
  planCommandWrite,
  type StoredLoan,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import type { WriteOutcome } from '../http/writes.js';
import { commitLedgerWrite } from './write.js';

/** What a repayment or waiver did to its loan, whichever strategy wrote it. */
export interface LoanCommandDone {
  command: LoanCommand;
  before: StoredLoan;
  /** The loan as the write left it. */
  after: StoredLoan;
  /** The events appended (none when the command was a repeat). */
  events: readonly LoanEvent[];
}

/** A repayment or waiver as its route states it, once for every write strategy. */
export interface LoanCommandUseCase<Body> {
  loanId: string;
  /** The command dated against the business day read; `clientId` is the request's ledger client id. */
  command(businessDay: Day, clientId: string): LoanCommand;
  /** The answer and audit entries of the command done. */
  outcome(done: LoanCommandDone): WriteOutcome<Body>;
}

/** Carries out a repayment or waiver, idempotently, by whichever write strategy takes it. */
export function commitLoanCommand<Body>(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  useCase: LoanCommandUseCase<Body>,
): Promise<FastifyReply> {
  const userId = request.principal?.userId ?? '';
  const key = request.idempotency?.key ?? '';
  const clientId = `${userId}:${key}`;
  return commitLedgerWrite(
    deps,
    request,
    reply,
    async (tx) => {
      const command = useCase.command(await getBusinessDay(tx), clientId);
      const r = await applyLoanCommand(tx, useCase.loanId, command);
      return useCase.outcome({ command, before: r.before, after: r.after, events: r.events });
    },
    async (io, seal) => {
      const locked = await io.read({ loanId: useCase.loanId, clientId, userId, idempotencyKey: key });
      if (locked === undefined) return undefined;
      const command = useCase.command(locked.businessDay, clientId);
      const plan = planCommandWrite(locked, command);
      if (plan === undefined) return undefined;
      const sealed = seal(
        useCase.outcome({ command, before: plan.before, after: plan.after, events: plan.events }),
      );
      await io.write({ pending: plan.pending, records: sealed });
      return sealed;
    },
  );
}
