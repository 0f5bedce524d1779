import { BUCKETS, type Bucket } from '../../ledger/index.js';
import { formatDate } from '../../money/index.js';
import type { LoanListAfter, LoanListQuery, LoanSort, SortOrder } from '../../store/index.js';
import { ID_PATTERN } from '../../store/index.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import { decodeCursor, idParam } from '../http/schemas.js';
import { LEDGER_MESSAGES } from './messages.js';
import { dateSchema, requestDate } from './request.js';

/**
 * The query of `GET /loans`: filters, search, sort order and a cursor that remembers the order it was
 * made for. Checked here once, so the store gets only well-formed values.
 */
export interface LoanListQuerystring {
  limit: number;
  cursor?: string;
  customerId?: string;
  lineId?: string;
  status?: 'active' | 'settled' | 'written-off';
  productId?: string;
  bucket?: string;
  drawnFrom?: string;
  drawnTo?: string;
  q?: string;
  sort?: LoanSort;
  order?: SortOrder;
}

const SORTS: readonly LoanSort[] = [
  'loanId',
  'openedDay',
  'outstandingPrincipal',
  'overduePrincipal',
  'daysPastDue',
];

export const loanListQueryProperties = {
  customerId: idParam('customerId', 'Customer id').properties.customerId,
  lineId: idParam('lineId', 'Credit line id').properties.lineId,
  status: { type: 'string', enum: ['active', 'settled', 'written-off'] },
  productId: { type: 'string', maxLength: 64 },
  bucket: {
    type: 'string',
    pattern: '^M[0-7](,M[0-7]){0,7}$',
    description: 'One bucket or several separated by commas, e.g. M1 or M1,M2,M3',
  },
  drawnFrom: dateSchema('Drawn on or after this day'),
  drawnTo: dateSchema('Drawn on or before this day'),
  q: { type: 'string', pattern: ID_PATTERN, description: 'A loan id or a customer id (exact)' },
  sort: {
    type: 'string',
    enum: [...SORTS],
    default: 'loanId',
    description:
      'Order of the list; daysPastDue orders by the due date of the oldest overdue instalment (the most days past due first with order=desc)',
  },
  order: { type: 'string', enum: ['asc', 'desc'], default: 'asc' },
} as const;

/** The cursor of a sorted list: the order it belongs to and where the page ended. */
interface SortedCursor {
  sort: LoanSort;
  order: SortOrder;
  value: string | number | null;
  loanId: string;
}

export function encodeLoanListKey(sort: LoanSort, key: LoanListAfter, order: SortOrder = 'asc'): string {
  // The default order keeps the plain loan id cursor that clients of the first version already hold.
  if (sort === 'loanId' && order === 'asc') return key.loanId;
  return JSON.stringify({ sort, order, value: key.value, loanId: key.loanId } satisfies SortedCursor);
}

const invalidCursor = () =>
  new ProblemError('cursor_invalid', say(LEDGER_MESSAGES, 'loan_cursor_invalid'), [
    fieldProblem('/query/cursor', say(LEDGER_MESSAGES, 'loan_cursor_not_of_list')),
  ]);

function decodeAfter(cursor: string | undefined, sort: LoanSort, order: SortOrder): LoanListAfter | null {
  const text = decodeCursor(cursor, 'string');
  if (text === undefined) return null;
  if (sort === 'loanId' && order === 'asc') {
    if (text.startsWith('{')) throw invalidCursor();
    return { value: null, loanId: text };
  }
  let parsed: Partial<SortedCursor>;
  try {
    parsed = JSON.parse(text) as Partial<SortedCursor>;
  } catch {
    throw invalidCursor();
  }
  if (parsed.sort !== sort || parsed.order !== order || typeof parsed.loanId !== 'string')
    throw invalidCursor();
  const value = parsed.value;
  const fits =
    (sort === 'loanId' && value === null) ||
    (sort === 'openedDay' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) ||
    ((sort === 'outstandingPrincipal' || sort === 'overduePrincipal' || sort === 'daysPastDue') &&
      Number.isSafeInteger(value) &&
      (value as number) >= 0);
  if (!fits) throw invalidCursor();
  return { value: value ?? null, loanId: parsed.loanId };
}

/** The store's query from the request (everything but the limit). */
export function loanListQuery(q: LoanListQuerystring): Omit<LoanListQuery, 'limit'> & { order: SortOrder } {
  const sort = q.sort ?? 'loanId';
  const order = q.order ?? 'asc';
  const drawnFrom = q.drawnFrom === undefined ? undefined : requestDate(q.drawnFrom, '/query/drawnFrom');
  const drawnTo = q.drawnTo === undefined ? undefined : requestDate(q.drawnTo, '/query/drawnTo');
  if (drawnFrom !== undefined && drawnTo !== undefined && drawnFrom > drawnTo) {
    throw new ProblemError(
      'date_out_of_range',
      say(LEDGER_MESSAGES, 'range_reversed', {
        fromName: 'drawnFrom',
        toName: 'drawnTo',
        from: formatDate(drawnFrom),
        to: formatDate(drawnTo),
      }),
      [fieldProblem('/query/drawnFrom', say(LEDGER_MESSAGES, 'on_or_before_field', { toName: 'drawnTo' }))],
    );
  }
  const buckets =
    q.bucket === undefined
      ? undefined
      : [...new Set(q.bucket.split(','))].filter((b): b is Bucket =>
          (BUCKETS as readonly string[]).includes(b),
        );
  return {
    ...(q.customerId === undefined ? {} : { customerId: q.customerId }),
    ...(q.lineId === undefined ? {} : { lineId: q.lineId }),
    ...(q.status === undefined ? {} : { status: q.status }),
    ...(q.productId === undefined ? {} : { productId: q.productId }),
    ...(buckets === undefined ? {} : { buckets }),
    ...(drawnFrom === undefined ? {} : { drawnFrom }),
    ...(drawnTo === undefined ? {} : { drawnTo }),
    ...(q.q === undefined ? {} : { search: q.q }),
    sort,
    order,
    after: decodeAfter(q.cursor, sort, order),
  };
}
