import type { BlacklistSubject } from '../../origination/index.js';
import type { StoredPolicyVersion } from '../../store/index.js';
import { idNumberProblem } from '../customers/routes.js';
import { type Message, say } from '../http/messages.js';
import { fieldProblem, ProblemError, validationProblem } from '../http/problem.js';
import { ORIGINATION_MESSAGES } from './messages.js';
import { ENTRY_TERM_MAX_DAYS } from './schemas.js';

export const applicationNotFound = (id: string) =>
  new ProblemError(
    'application_not_found',
    say(ORIGINATION_MESSAGES, 'application_not_found', { applicationId: id }),
    [fieldProblem('/path/applicationId', say(ORIGINATION_MESSAGES, 'no_such_application'))],
  );
export const decisionNotFound = (id: string) =>
  new ProblemError(
    'decision_not_found',
    say(ORIGINATION_MESSAGES, 'decision_not_found', { decisionId: id }),
    [fieldProblem('/path/decisionId', say(ORIGINATION_MESSAGES, 'no_such_decision'))],
  );

export const policyNotPublished = (productId: string) =>
  new ProblemError('policy_not_published', say(ORIGINATION_MESSAGES, 'policy_not_published', { productId }), [
    fieldProblem('/body/productId', say(ORIGINATION_MESSAGES, 'no_policy_for_product')),
  ]);

/** An instant in the future and within the longest term allowed, else a problem naming the field. */
export function checkExpiry(expiresAt: string, now: number, path: string): string {
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at))
    throw validationProblem([{ path, message: 'is not an ISO 8601 instant with a zone' }]);
  if (at <= now || at > now + ENTRY_TERM_MAX_DAYS * 86_400_000) {
    throw new ProblemError(
      'date_out_of_range',
      say(ORIGINATION_MESSAGES, 'entry_expiry_out_of_range', {
        field: path.replace('/body/', ''),
        days: ENTRY_TERM_MAX_DAYS,
      }),
      [fieldProblem(path, say(ORIGINATION_MESSAGES, 'in_next_days', { days: ENTRY_TERM_MAX_DAYS }))],
    );
  }
  return new Date(at).toISOString();
}

export function subjectValueProblem(subject: BlacklistSubject, value: string): Message | undefined {
  if (subject === 'id-number') return idNumberProblem(value, new Date().toISOString().slice(0, 10));
  if (subject === 'phone' && !/^1[3-9][0-9]{9}$/.test(value.replace(/[\s-]/g, '')))
    return say(ORIGINATION_MESSAGES, 'mainland_mobile');
  return undefined;
}

export const policyNotFound = (version: string) =>
  new ProblemError('policy_not_found', say(ORIGINATION_MESSAGES, 'policy_not_found', { version }), [
    fieldProblem('/path/version', say(ORIGINATION_MESSAGES, 'no_such_policy_version')),
  ]);

export function statusConflict(p: StoredPolicyVersion, wanted: string, action: string): ProblemError {
  return new ProblemError(
    'policy_status_conflict',
    say(ORIGINATION_MESSAGES, 'policy_status_conflict', {
      version: p.version,
      status: p.status,
      wanted,
      action,
    }),
    [
      fieldProblem(
        '/path/version',
        say(ORIGINATION_MESSAGES, 'policy_status_is', { status: p.status, wanted }),
      ),
    ],
  );
}
