/** server/ledger: the ledger's HTTP area — products, credit lines, loans and the journal. */
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../http/context.js';
import { ledgerJournalRoutes } from './journal-routes.js';
import { ledgerLineRoutes } from './line-routes.js';
import { ledgerLoanRoutes } from './loan-routes.js';
import { ledgerProductRoutes } from './product-routes.js';
import { ledgerRestructuringRoutes } from './restructuring-routes.js';
import { ledgerSettlementRoutes } from './settlement-routes.js';
import { ledgerWriteOffRoutes } from './write-off-routes.js';

/** Every route of the ledger area, in the order the OpenAPI document lists them. */
export async function ledgerRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  await ledgerProductRoutes(app, deps);
  await ledgerLineRoutes(app, deps);
  await ledgerLoanRoutes(app, deps);
  await ledgerRestructuringRoutes(app, deps);
  await ledgerSettlementRoutes(app, deps);
  await ledgerJournalRoutes(app, deps);
  await ledgerWriteOffRoutes(app, deps);
}

export { LEDGER_MESSAGES } from './messages.js';
export { dateSchema, loanNotFound, requestAmount, requestDate } from './request.js';
export { Gate, LEDGER_WRITE_ATTEMPTS_MAX } from './write.js';
