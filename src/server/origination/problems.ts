import type { BlacklistSubject } from '../../origination/index.js';
import type { StoredPolicyVersion } from '../../store/index.js';
import { idNumberProblem } from '../customers/routes.js';
import { ProblemError, validationProblem } from '../http/problem.js';
import { ENTRY_TERM_MAX_DAYS } from './schemas.js';

export const applicationNotFound = (id: string) =>
  new ProblemError(
    'application_not_found',
    `There is no application ${id}; check the id from POST /applications.`,
    [{ path: '/path/applicationId', message: 'no such application' }],
  );
export const decisionNotFound = (id: string) =>
  new ProblemError(
    'decision_not_found',
    `There is no decision ${id}; check the id from POST /applications.`,
    [{ path: '/path/decisionId', message: 'no such decision' }],
  );

export const policyNotPublished = (productId: string) =>
  new ProblemError(
    'policy_not_published',
    `No policy is in force for product "${productId}"; publish one (POST /policies, approve, publish) or apply for a product that has one.`,
    [{ path: '/body/productId', message: 'no policy in force for this product' }],
  );

/** An instant in the future and within the longest term allowed, else a problem naming the field. */
export function checkExpiry(expiresAt: string, now: number, path: string): string {
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at))
    throw validationProblem([{ path, message: 'is not an ISO 8601 instant with a zone' }]);
  if (at <= now || at > now + ENTRY_TERM_MAX_DAYS * 86_400_000) {
    throw new ProblemError(
      'date_out_of_range',
      `${path.replace('/body/', '')} must be after now and at most ${ENTRY_TERM_MAX_DAYS} days ahead (every entry ends).`,
      [{ path, message: `must be in the next ${ENTRY_TERM_MAX_DAYS} days` }],
    );
  }
  return new Date(at).toISOString();
}

export function subjectValueProblem(subject: BlacklistSubject, value: string): string | undefined {
  if (subject === 'id-number') return idNumberProblem(value, new Date().toISOString().slice(0, 10));
  if (subject === 'phone' && !/^1[3-9][0-9]{9}$/.test(value.replace(/[\s-]/g, '')))
    return 'must be a mainland mobile number of 11 digits';
  return undefined;
}

export const policyNotFound = (version: string) =>
  new ProblemError(
    'policy_not_found',
    `There is no policy version ${version}; list versions with GET /policies.`,
    [{ path: '/path/version', message: 'no such policy version' }],
  );

export function statusConflict(p: StoredPolicyVersion, wanted: string, action: string): ProblemError {
  return new ProblemError(
    'policy_status_conflict',
    `Policy version ${p.version} is ${p.status}; only a ${wanted} version can be ${action}.`,
    [{ path: '/path/version', message: `is ${p.status}, not ${wanted}` }],
  );
}
