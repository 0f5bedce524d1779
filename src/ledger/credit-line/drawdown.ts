import type { Day } from '../../money/index.js';
import { type CommandResult, openLoan } from '../loan/index.js';
import type { Product } from '../product.js';
import { type CreditLineEvent, type CreditLineState, drawOnLine } from './line.js';

/**
 * 借款: a drawdown on a credit line. The line refuses first (frozen, closed, above the available amount —
 * `CreditLineError`); only then is the loan made with the engine's `openLoan`, with its own schedule, for
 * the line's customer.
 */
export function drawdown(
  line: CreditLineState,
  input: { loanId: string; product: Product; principalMinor: number; day: Day; clientId?: string },
): { line: CreditLineState; lineEvents: readonly CreditLineEvent[]; loan: CommandResult } {
  const drawn = drawOnLine(line, input.loanId, input.principalMinor, input.day);
  const loan = openLoan({
    loanId: input.loanId,
    customerId: line.customerId,
    lineId: line.lineId,
    product: input.product,
    principalMinor: input.principalMinor,
    day: input.day,
    ...(input.clientId === undefined ? {} : { clientId: input.clientId }),
  });
  return { line: drawn.line, lineEvents: drawn.events, loan };
}
