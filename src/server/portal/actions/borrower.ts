import type { WriteActor } from '../../http/writes.js';
import type { BorrowerIdentity } from '../auth.js';

/** How a borrower's writes are recorded: idempotency keys and audit entries under `portal:<customer>`. */
export function borrowerActor(who: BorrowerIdentity): WriteActor {
  return { userId: `portal:${who.customerId}`, role: 'borrower' };
}
