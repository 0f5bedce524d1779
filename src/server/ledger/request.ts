/** What the ledger's routes read from a request: dates, amounts, and engine refusals as problems. */
import { CreditLineError, LedgerInputError } from '../../ledger/index.js';
import { type Day, formatDate, MoneyInputError, parseDate } from '../../money/index.js';
import { LoanNotFoundError } from '../../store/index.js';
import { amountProblem, readAmount as parseAmount } from '../http/amount.js';
import type { ServerDeps } from '../http/context.js';
import { engineRefusal } from '../http/engine-refusals.js';
import { KERNEL_MESSAGES } from '../http/kernel-messages.js';
import { render, say } from '../http/messages.js';
import { type FieldProblem, fieldProblem, ProblemError } from '../http/problem.js';
import { LEDGER_MESSAGES } from './messages.js';

/** How far before the business day a repayment or waiver may be dated (backdated corrections). */
export const BACKDATE_DAYS_MAX = 90;

const FIELD_PATHS: Record<string, string> = {
  amountMinor: '/body/amount',
  principalMinor: '/body/amount',
  limitMinor: '/body/limit',
  day: '/body/effectiveDate',
  lineId: '/path/lineId',
  loanId: '/path/loanId',
  downPaymentMinor: '/body/downPayment',
  monthlyIncomeMinor: '/body/monthlyIncome',
  rateValue: '/body/rate',
  offerMinor: '/body/offer',
};

/** An engine refusal as a problem whose message says what to fix; anything else passes through. */
export function toLedgerProblem(error: unknown): unknown {
  if (error instanceof LoanNotFoundError) return loanNotFound(error.loanId);
  if (!(error instanceof LedgerInputError)) return error;
  const path = FIELD_PATHS[error.field] ?? `/body/${error.field}`;
  const text = engineRefusal(error.code, error.message, '', error.params);
  const errors: FieldProblem[] = [fieldProblem(path, text)];
  if (error instanceof CreditLineError) {
    if (error.code === 'line_limit_exceeded') return new ProblemError('limit_exceeded', text, errors);
    if (['line_frozen', 'line_closed', 'line_already_frozen', 'line_not_frozen'].includes(error.code)) {
      return new ProblemError('line_status_conflict', text, errors);
    }
  }
  if (error.code === 'loan_settled') return new ProblemError('loan_settled', text, errors);
  if (error.code === 'loan_written_off') return new ProblemError('loan_written_off', text, errors);
  return new ProblemError(
    'ledger_refused',
    say(LEDGER_MESSAGES, 'ledger_refused', {
      code: error.code,
      en_fault: render(text, 'en'),
      zh_fault: render(text, 'zh-CN'),
    }),
    errors,
  );
}

export const loanNotFound = (id: string) =>
  new ProblemError('loan_not_found', say(LEDGER_MESSAGES, 'loan_not_found', { loanId: id }), [
    fieldProblem('/path/loanId', say(LEDGER_MESSAGES, 'no_such_loan')),
  ]);
export const lineNotFound = (id: string) =>
  new ProblemError('line_not_found', say(LEDGER_MESSAGES, 'line_not_found', { lineId: id }), [
    fieldProblem('/path/lineId', say(LEDGER_MESSAGES, 'no_such_line')),
  ]);
export const productNotFound = (id: string, path: string) =>
  new ProblemError('product_not_found', say(LEDGER_MESSAGES, 'product_not_found', { productId: id }), [
    fieldProblem(path, say(LEDGER_MESSAGES, 'no_such_product')),
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
      const text = engineRefusal(error.code, error.message);
      throw new ProblemError(
        'validation_failed',
        say(LEDGER_MESSAGES, 'fix_date', { en_fault: render(text, 'en'), zh_fault: render(text, 'zh-CN') }),
        [fieldProblem(path, text)],
      );
    }
    throw error;
  }
}

/** An amount from the request in fen, above zero, or a problem naming the field. */
export function requestAmount(deps: ServerDeps, text: string, path: string, allowZero = false): number {
  const parsed = parseAmount(text, deps.config.amount_max_fen);
  const name = path.split('/').at(-1) ?? 'amount';
  if (!parsed.ok) throw amountProblem(name, path, parsed.text);
  if (parsed.fen === 0 && !allowZero)
    throw amountProblem(name, path, say(KERNEL_MESSAGES, 'amount_above_zero'));
  return parsed.fen;
}

/** Checks an effective date against the business day: not in the future, at most BACKDATE_DAYS_MAX back. */
export function effectiveDay(text: string | undefined, businessDay: Day, path: string): Day {
  if (text === undefined) return businessDay;
  const day = requestDate(text, path);
  if (day > businessDay) {
    throw new ProblemError(
      'date_out_of_range',
      say(LEDGER_MESSAGES, 'money_in_future', { date: text, businessDay: formatDate(businessDay) }),
      [fieldProblem(path, say(LEDGER_MESSAGES, 'on_or_before', { date: formatDate(businessDay) }))],
    );
  }
  if (day < businessDay - BACKDATE_DAYS_MAX) {
    throw new ProblemError(
      'date_out_of_range',
      say(LEDGER_MESSAGES, 'backdated_too_far', {
        date: text,
        days: BACKDATE_DAYS_MAX,
        businessDay: formatDate(businessDay),
        earliest: formatDate(businessDay - BACKDATE_DAYS_MAX),
      }),
      [
        fieldProblem(
          path,
          say(LEDGER_MESSAGES, 'on_or_after', { date: formatDate(businessDay - BACKDATE_DAYS_MAX) }),
        ),
      ],
    );
  }
  return day;
}
