/** What the ledger's routes read from a request: dates, amounts, and engine refusals as problems. */
import { CreditLineError, LedgerInputError } from '../../ledger/index.js';
import { type Day, formatDate, MoneyInputError, parseDate } from '../../money/index.js';
import { LoanNotFoundError } from '../../store/index.js';
import { readAmount as parseAmount } from '../http/amount.js';
import type { ServerDeps } from '../http/context.js';
import { type FieldProblem, ProblemError } from '../http/problem.js';

/** How far before the business day a repayment or waiver may be dated (backdated corrections). */
export const BACKDATE_DAYS_MAX = 90;

const FIELD_PATHS: Record<string, string> = {
  amountMinor: '/body/amount',
  principalMinor: '/body/amount',
  limitMinor: '/body/limit',
  day: '/body/effectiveDate',
  lineId: '/path/lineId',
  loanId: '/path/loanId',
};

/** An engine refusal as a problem whose message says what to fix; anything else passes through. */
export function toLedgerProblem(error: unknown): unknown {
  if (error instanceof LoanNotFoundError) return loanNotFound(error.loanId);
  if (!(error instanceof LedgerInputError)) return error;
  const path = FIELD_PATHS[error.field] ?? `/body/${error.field}`;
  const errors: FieldProblem[] = [{ path, message: error.message }];
  if (error instanceof CreditLineError) {
    if (error.code === 'line_limit_exceeded')
      return new ProblemError('limit_exceeded', error.message, errors);
    if (['line_frozen', 'line_closed', 'line_already_frozen', 'line_not_frozen'].includes(error.code)) {
      return new ProblemError('line_status_conflict', error.message, errors);
    }
  }
  if (error.code === 'loan_settled') return new ProblemError('loan_settled', error.message, errors);
  if (error.code === 'loan_written_off') return new ProblemError('loan_written_off', error.message, errors);
  return new ProblemError('ledger_refused', `${error.message} (${error.code})`, errors);
}

export const loanNotFound = (id: string) =>
  new ProblemError('loan_not_found', `There is no loan ${id}; list loans with GET /loans.`, [
    { path: '/path/loanId', message: 'no such loan' },
  ]);
export const lineNotFound = (id: string) =>
  new ProblemError('line_not_found', `There is no credit line ${id}; list lines with GET /credit-lines.`, [
    { path: '/path/lineId', message: 'no such credit line' },
  ]);
export const productNotFound = (id: string, path: string) =>
  new ProblemError('product_not_found', `There is no product ${id}; list products with GET /products.`, [
    { path, message: 'no such product (or version)' },
  ]);

export const DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
export const dateSchema = (description: string) =>
  ({ type: 'string', pattern: DATE_PATTERN, description: `${description} (YYYY-MM-DD)` }) as const;

/** An ISO date from the request, refused with the reason when it is not a calendar date in range. */
export function requestDate(text: string, path: string): Day {
  try {
    return parseDate(text, path.split('/').at(-1) ?? 'date');
  } catch (error) {
    if (error instanceof MoneyInputError) {
      throw new ProblemError('validation_failed', `Fix this date and send again: ${error.message}`, [
        { path, message: error.message },
      ]);
    }
    throw error;
  }
}

/** An amount from the request in fen, above zero, or a problem naming the field. */
export function requestAmount(deps: ServerDeps, text: string, path: string, allowZero = false): number {
  const parsed = parseAmount(text, deps.config.amount_max_fen);
  const name = path.split('/').at(-1) ?? 'amount';
  if (!parsed.ok)
    throw new ProblemError('amount_invalid', `${name} ${parsed.message}`, [
      { path, message: parsed.message },
    ]);
  if (parsed.fen === 0 && !allowZero) {
    const message = 'must be above 0.00; send the amount in yuan, e.g. "100.00"';
    throw new ProblemError('amount_invalid', `${name} ${message}`, [{ path, message }]);
  }
  return parsed.fen;
}

/** Checks an effective date against the business day: not in the future, at most BACKDATE_DAYS_MAX back. */
export function effectiveDay(text: string | undefined, businessDay: Day, path: string): Day {
  if (text === undefined) return businessDay;
  const day = requestDate(text, path);
  if (day > businessDay) {
    throw new ProblemError(
      'date_out_of_range',
      `${text} is after the business day ${formatDate(businessDay)}; money cannot be received in the future — give ${formatDate(businessDay)} or earlier`,
      [{ path, message: `must be on or before ${formatDate(businessDay)}` }],
    );
  }
  if (day < businessDay - BACKDATE_DAYS_MAX) {
    throw new ProblemError(
      'date_out_of_range',
      `${text} is more than ${BACKDATE_DAYS_MAX} days before the business day ${formatDate(businessDay)}; give ${formatDate(businessDay - BACKDATE_DAYS_MAX)} or later`,
      [{ path, message: `must be on or after ${formatDate(businessDay - BACKDATE_DAYS_MAX)}` }],
    );
  }
  return day;
}
