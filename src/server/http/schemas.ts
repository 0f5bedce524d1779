import { ID_PATTERN } from '../../store/index.js';
import type { ServerConfig } from '../config.js';
import { KERNEL_MESSAGES } from './kernel-messages.js';
import { say } from './messages.js';
import { fieldProblem, ProblemError } from './problem.js';

/** Response entries every route shares: problems for 4xx and 5xx. */
const problemContent = {
  description: 'RFC 9457 problem details; `code` is stable and listed in docs/errors.md',
  content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
} as const;

export const problemResponses = { '4XX': problemContent, '5XX': problemContent } as const;

export const bearerSecurity = [{ bearerAuth: [] }];

export const idParam = (name: string, description: string) =>
  ({
    type: 'object',
    required: [name],
    additionalProperties: false,
    properties: { [name]: { type: 'string', pattern: ID_PATTERN, description } },
  }) as const;

export const idempotencyHeader = {
  type: 'object',
  required: ['idempotency-key'],
  properties: {
    'idempotency-key': {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: 'Unique per intended change, reused only to retry it (see docs/api.md)',
    },
  },
} as const;

/** `limit` and `cursor` of every list, bounded by the configuration. */
export function pageQueryProperties(config: ServerConfig) {
  return {
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: config.pageSize_max,
      default: config.pageSize_default,
      description: `Items per page, 1 to ${config.pageSize_max}`,
    },
    cursor: { type: 'string', maxLength: 200, description: 'nextCursor of the previous page' },
  } as const;
}

export const pageResponse = (item: object) =>
  ({
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: {
      items: { type: 'array', items: item },
      nextCursor: {
        type: ['string', 'null'],
        description: 'Pass as ?cursor= to get the next page; null on the last page',
      },
    },
  }) as const;

/**
 * One page of a keyset list read with `limit + 1` rows: the first `limit` rows, and the cursor after the last
 * of them when the extra row shows that more follow.
 */
export function keysetPage<Row>(
  rows: readonly Row[],
  limit: number,
  keyOf: (row: Row) => string | number,
): { rows: Row[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}

/** Cursors are opaque to clients: base64url of the last item's key. */
export function encodeCursor(after: string | number): string {
  return Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64url');
}

export function decodeCursor<T extends 'string' | 'number'>(
  cursor: string | undefined,
  kind: T,
): (T extends 'string' ? string : number) | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === kind) return parsed.after as T extends 'string' ? string : number;
  } catch {
    // falls through to the problem below
  }
  throw new ProblemError('cursor_invalid', say(KERNEL_MESSAGES, 'cursor_invalid'), [
    fieldProblem('/query/cursor', say(KERNEL_MESSAGES, 'cursor_not_of_list')),
  ]);
}
