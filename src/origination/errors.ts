import type { FieldIssue } from './types.js';

/**
 * Stable codes of origination's expected failures (docs/origination.md lists them; the API maps them to
 * problem+json codes of the same name). A code keeps its meaning forever.
 *
 * - `application_invalid`: the application failed intake validation; `issues` name each field and the fix.
 * - `policy_invalid`: a policy document is malformed or its settings are out of range; `issues` say where.
 * - `policy_evaluation_failed`: the rules engine refused a graph at evaluation (a broken expression).
 * - `policy_output_invalid`: a graph returned something the decision cannot use (no grade, a rate above the cap).
 * - `model_invalid`: the model cannot score applications (a feature the mapping does not provide).
 * - `reassessment_invalid`: the re-assessment input is inconsistent (negative limit, unknown rate).
 * - `cases_invalid`: a back-test cases file lacks a column or holds a bad value.
 */
export type OriginationErrorCode =
  | 'application_invalid'
  | 'policy_invalid'
  | 'policy_evaluation_failed'
  | 'policy_output_invalid'
  | 'model_invalid'
  | 'reassessment_invalid'
  | 'cases_invalid';

export const ORIGINATION_ERROR_CODES: readonly OriginationErrorCode[] = [
  'application_invalid',
  'policy_invalid',
  'policy_evaluation_failed',
  'policy_output_invalid',
  'model_invalid',
  'reassessment_invalid',
  'cases_invalid',
];

/** An expected failure of origination: a stable `code`, and `issues` (path + message) where fields are at fault. */
export class OriginationError extends Error {
  constructor(
    readonly code: OriginationErrorCode,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'OriginationError';
  }
}

export function isOriginationError(error: unknown): error is OriginationError {
  return (
    error instanceof OriginationError ||
    (error instanceof Error &&
      error.name === 'OriginationError' &&
      typeof (error as { code?: unknown }).code === 'string')
  );
}
