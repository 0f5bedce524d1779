import type { Reassessment, ReassessmentContext, ReassessmentInput } from './types.js';

/** New financial facts for an existing customer → a new limit and price with reasons (the dynamic risk score). */
export async function reassess(
  _input: ReassessmentInput,
  _context: ReassessmentContext,
): Promise<Reassessment> {
  throw new Error('not implemented yet');
}
