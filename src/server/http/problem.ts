/**
 * Errors as RFC 9457 problem details (application/problem+json). Every code the API can answer with is
 * listed here, once, with its HTTP status and title; docs/errors.md lists the same codes (a test keeps
 * the two in step). Codes are never reused for another meaning.
 */
export const PROBLEM_CODES = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  amount_invalid: { status: 400, title: 'An amount is not a valid decimal string' },
  cursor_invalid: { status: 400, title: 'The pagination cursor is not valid' },
  date_out_of_range: { status: 400, title: 'A date is outside the range this request allows' },
  product_invalid: { status: 400, title: 'The product document is not valid' },
  idempotency_key_missing: { status: 400, title: 'A write needs an Idempotency-Key header' },
  idempotency_key_invalid: { status: 400, title: 'The Idempotency-Key header is not valid' },
  unauthenticated: { status: 401, title: 'No valid API token' },
  forbidden: { status: 403, title: 'Your role may not do this' },
  pii_forbidden: { status: 403, title: 'Your role may not see unmasked personal data' },
  route_not_found: { status: 404, title: 'No such route' },
  customer_not_found: { status: 404, title: 'No such customer' },
  user_not_found: { status: 404, title: 'No such user' },
  token_not_found: { status: 404, title: 'No such token' },
  product_not_found: { status: 404, title: 'No such product' },
  line_not_found: { status: 404, title: 'No such credit line' },
  loan_not_found: { status: 404, title: 'No such loan' },
  eod_run_not_found: { status: 404, title: 'No such EOD run' },
  eod_run_conflict: { status: 409, title: 'Another EOD run must finish first' },
  customer_exists: { status: 409, title: 'A customer with this ID number exists already' },
  username_taken: { status: 409, title: 'The username is taken' },
  conflict: { status: 409, title: 'The request conflicts with a concurrent change' },
  line_status_conflict: { status: 409, title: "The credit line's status does not allow this" },
  loan_settled: { status: 409, title: 'The loan is settled' },
  limit_exceeded: { status: 422, title: 'The drawdown is above the available amount' },
  ledger_refused: { status: 422, title: 'The ledger refused the change' },
  idempotency_key_reused: { status: 422, title: 'The Idempotency-Key was used for a different request' },
  body_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'The request body must be application/json' },
  application_invalid: { status: 400, title: 'The application is not valid' },
  policy_invalid: { status: 400, title: 'The policy document is not valid' },
  reassessment_invalid: { status: 400, title: 'The re-assessment cannot be made from these facts' },
  approval_by_author: { status: 403, title: 'A policy version is approved by someone other than its author' },
  application_not_found: { status: 404, title: 'No such application' },
  decision_not_found: { status: 404, title: 'No such decision' },
  policy_not_found: { status: 404, title: 'No such policy version' },
  flag_not_found: { status: 404, title: 'No such review flag' },
  invitation_not_found: { status: 404, title: 'No such invitation' },
  blacklist_entry_not_found: { status: 404, title: 'No such blacklist entry' },
  webhook_subscription_not_found: { status: 404, title: 'No such webhook subscription' },
  decision_request_not_found: { status: 404, title: 'No such explanation request or objection' },
  policy_version_exists: { status: 409, title: 'A policy version with this label exists already' },
  policy_status_conflict: { status: 409, title: "The policy version's status does not allow this" },
  flag_resolved: { status: 409, title: 'The review flag is resolved already' },
  request_answered: { status: 409, title: 'The request is answered already' },
  no_application_on_file: { status: 409, title: 'The customer has no approved application to re-assess' },
  decision_not_reviewable: {
    status: 409,
    title: 'A person reviews only a referral or an overturned decline',
  },
  decision_reviewed: { status: 409, title: 'The decision was reviewed by a person already' },
  review_flag_confirmed: { status: 409, title: 'A confirmed review flag blocks the approval' },
  review_invitation_not_in_force: { status: 409, title: 'The approval needs an invitation in force' },
  review_limit_above_cap: { status: 422, title: "The limit is above the automated decision's cap" },
  review_rate_above_cap: { status: 422, title: "The daily rate puts the APR above the policy's cap" },
  policy_not_published: { status: 422, title: 'No policy is in force for this product' },
  internal_error: { status: 500, title: 'Internal error' },
  decision_failed: { status: 500, title: 'The policy or model in force could not decide' },
  server_busy: { status: 503, title: 'Too many writes are waiting' },
  server_overloaded: { status: 503, title: 'Too many requests are in progress' },
  database_unavailable: { status: 503, title: 'The database cannot be reached' },
  rate_limited: { status: 429, title: 'Too many requests' },
  body_too_deep: { status: 400, title: 'The request body is nested too deeply' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

/** Base of the `type` URI; the fragment is the code, documented in docs/errors.md. */
export const PROBLEM_TYPE_BASE = 'https://lendguard.dev/problems/';

export interface FieldProblem {
  /** JSON pointer into the request, prefixed by its part: `/body/phone`, `/query/limit`, `/header/…`. */
  path: string;
  message: string;
}

export class ProblemError extends Error {
  readonly status: number;
  readonly title: string;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors: readonly FieldProblem[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
    this.status = PROBLEM_CODES[code].status;
    this.title = PROBLEM_CODES[code].title;
  }
}

export function validationProblem(errors: readonly FieldProblem[]): ProblemError {
  const list = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return new ProblemError('validation_failed', `Fix these fields and send again: ${list}`, errors);
}

export function missingIdempotencyKey(): ProblemError {
  return new ProblemError(
    'idempotency_key_missing',
    'Every write needs an "Idempotency-Key" header: a fresh unique value (a UUID will do) per intended change, reused only to retry that change.',
    [{ path: '/header/idempotency-key', message: 'is required on every write' }],
  );
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  requestId: string;
  errors?: FieldProblem[];
}

export function problemBody(p: ProblemError, requestId: string): ProblemBody {
  return {
    type: `${PROBLEM_TYPE_BASE}${p.code}`,
    title: p.title,
    status: p.status,
    detail: p.detail,
    code: p.code,
    requestId,
    ...(p.errors.length > 0 ? { errors: [...p.errors] } : {}),
  };
}

/** JSON schema of a problem body, registered once and referenced by every route's 4xx/5xx response. */
export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details; `code` is stable and listed in docs/errors.md',
  required: ['type', 'title', 'status', 'detail', 'code', 'requestId'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', enum: Object.keys(PROBLEM_CODES) },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;
