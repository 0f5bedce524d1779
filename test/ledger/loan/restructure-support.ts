import type { LoanEvent } from '../../../src/ledger/loan/index.js';
import {
  type RestructureRequest,
  type RestructuringPolicy,
  restructure,
} from '../../../src/ledger/loan/index.js';
import { d, Loan } from './driver.js';

/** The scenario driver with restructuring. */
export class RestructuredLoan extends Loan {
  restructure(day: string, request: RestructureRequest, policy?: RestructuringPolicy): LoanEvent[] {
    const r = restructure(this.state, {
      ...request,
      day: d(day),
      clientId: `s-${this.log.length}`,
      ...(policy === undefined ? {} : { policy }),
    });
    this.state = r.state;
    this.log.push(...r.events);
    return r.events;
  }
}
