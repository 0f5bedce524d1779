import type { Application, Decision, DecisionContext } from './types.js';

/** True when the application is decided by the challenger under a `split` share (a hash of its id). */
export function challengerDecides(_applicationId: string, _share: number): boolean {
  throw new Error('not implemented yet');
}

/** Decides an application: a deep-frozen decision record with its reasons and content hash. */
export async function decide(_application: Application, _context: DecisionContext): Promise<Decision> {
  throw new Error('not implemented yet');
}
