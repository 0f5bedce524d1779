import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  assertScheduleWithinAprCap,
  buildSchedule,
  isLedgerInputError,
  type Product,
  parseProduct,
  type Schedule,
} from '../ledger/index.js';
import { type Day, MoneyInputError, parseAmount, parseDate } from '../money/index.js';
import { UsageError } from './io.js';

/**
 * The loan options shared by the commands that take a drawdown: `schedule` and `impact`.
 *
 *   --principal <yuan>     amount borrowed, e.g. 10000 or 10000.50 (required)
 *   --start <YYYY-MM-DD>   drawdown date (required)
 *   --rate <rate>          0.0005/day, 0.05%/day or 0.18/year
 *   --term <n>             instalments (pay-any-time: months to maturity)
 *   --method <method>      equal-installment | equal-principal | interest-first | pay-any-time | flat-rate
 *   --day-count <dc>       ACT/365F | ACT/360 | 30/360 | 30E/360 | ACT/ACT
 *   --frequency <f>        monthly | biweekly | weekly
 *   --product <file.json>  a product as JSON (fields of `Product`); the options above override its fields
 *
 * How a command uses it (this is how `schedule` does it, and how `impact` should):
 *
 *   const command = program.command('impact').description('…');
 *   addLoanOptions(command)              // adds the eight options above
 *     .requiredOption('--overdue-from <date>', '…')
 *     .action((options: LoanOptionValues & { overdueFrom: string }) => {
 *       const loan = loanTermsFromOptions(options);   // throws UsageError (exit 2) on any bad input
 *       // loan.product (validated, frozen), loan.principalMinor, loan.startDay, loan.schedule
 *     });
 *
 * `loanTermsFromOptions` validates everything: it merges the product file (if any) with the options and
 * DEFAULT_PRODUCT through `parseProduct`, refuses a rate or fees above the product's APR cap, builds the
 * schedule and checks the APR of this very drawdown against the cap too. Every refusal becomes a
 * `UsageError` whose message names the option (or the product file's field) and says how to fix it.
 */
export interface LoanOptionValues {
  principal?: string;
  start?: string;
  rate?: string;
  term?: string;
  method?: string;
  dayCount?: string;
  frequency?: string;
  product?: string;
}

export interface LoanTerms {
  readonly product: Product;
  readonly principalMinor: number;
  readonly startDay: Day;
  readonly schedule: Schedule;
}

/** Largest product file read (a product is a few hundred bytes; this refuses a wrong file early). */
export const PRODUCT_FILE_BYTES_MAX = 64 * 1024;

/** Adds the shared loan options to a command and returns it for chaining. */
export function addLoanOptions(command: Command): Command {
  return command
    .option('--principal <yuan>', 'amount borrowed in yuan, e.g. 10000')
    .option('--start <date>', 'drawdown date, YYYY-MM-DD')
    .option('--rate <rate>', 'contract rate with its period: 0.0005/day, 0.05%/day or 0.18/year')
    .option('--term <n>', 'number of instalments (pay-any-time: months to maturity)')
    .option(
      '--method <method>',
      'equal-installment | equal-principal | interest-first | pay-any-time | flat-rate (等本等息)',
    )
    .option('--day-count <convention>', 'ACT/365F | ACT/360 | 30/360 | 30E/360 | ACT/ACT')
    .option('--frequency <frequency>', 'monthly | biweekly | weekly')
    .option('--product <file>', 'product as JSON; the options above override its fields');
}

/** Where each product field comes from on the command line, for messages. */
const OPTION_OF_FIELD: Readonly<Record<string, keyof LoanOptionValues>> = {
  rate: 'rate',
  'rate.value': 'rate',
  'rate.per': 'rate',
  termCount: 'term',
  method: 'method',
  dayCount: 'dayCount',
  frequency: 'frequency',
};

const FLAG_OF_OPTION: Readonly<Record<keyof LoanOptionValues, string>> = {
  principal: '--principal',
  start: '--start',
  rate: '--rate',
  term: '--term',
  method: '--method',
  dayCount: '--day-count',
  frequency: '--frequency',
  product: '--product',
};

function required(value: string | undefined, option: keyof LoanOptionValues, example: string): string {
  if (value === undefined) throw new UsageError(`${FLAG_OF_OPTION[option]} is required; e.g. ${example}`);
  return value;
}

function readProductFile(path: string, readText: (path: string) => string): Record<string, unknown> {
  let text: string;
  try {
    text = readText(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      `--product: cannot read "${path}" (${reason}); give the path of a product JSON file`,
    );
  }
  if (text.length > PRODUCT_FILE_BYTES_MAX) {
    throw new UsageError(
      `--product: "${path}" is larger than ${PRODUCT_FILE_BYTES_MAX} bytes; is it a product file?`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`--product: "${path}" is not valid JSON (${reason}); fix the file`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--product: "${path}" must hold one JSON object of product fields`);
  }
  return value as Record<string, unknown>;
}

/**
 * Validates the shared loan options into a product, principal, start day and schedule. Throws
 * `UsageError` (exit status 2) with a message naming the option at fault and the fix.
 */
export function loanTermsFromOptions(
  options: LoanOptionValues,
  readText: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): LoanTerms {
  const fileFields = options.product === undefined ? {} : readProductFile(options.product, readText);
  const overrides: Record<string, unknown> = {};
  if (options.rate !== undefined) overrides.rate = options.rate;
  if (options.method !== undefined) overrides.method = options.method;
  if (options.dayCount !== undefined) overrides.dayCount = options.dayCount;
  if (options.frequency !== undefined) overrides.frequency = options.frequency;
  if (options.term !== undefined) {
    if (!/^\d+$/.test(options.term)) {
      throw new UsageError(
        `--term "${options.term}" is not a whole number; give the number of instalments, e.g. 12`,
      );
    }
    overrides.termCount = Number(options.term);
  }
  const fromOption = (field: string): string | undefined => {
    const option = OPTION_OF_FIELD[field] ?? OPTION_OF_FIELD[field.split('.')[0] ?? ''];
    return option !== undefined && options[option] !== undefined ? FLAG_OF_OPTION[option] : undefined;
  };
  const where = (field: string): string =>
    fromOption(field) ?? (options.product !== undefined ? `--product ${options.product}` : 'product');
  return withUsageErrors(where, () => {
    const principalMinor = parseAmount(required(options.principal, 'principal', '--principal 10000'), {
      field: '--principal',
    });
    const startDay = parseDate(required(options.start, 'start', '--start 2026-01-15'), '--start');
    const product = parseProduct({ ...fileFields, ...overrides });
    const schedule = buildSchedule(product, principalMinor, startDay);
    assertScheduleWithinAprCap(schedule, product);
    return { product, principalMinor, startDay, schedule };
  });
}

/** Runs `work`, turning input errors from the core into `UsageError`s that name the option at fault. */
export function withUsageErrors<T>(where: (field: string) => string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof MoneyInputError) throw new UsageError(error.message);
    if (isLedgerInputError(error)) {
      const source =
        error.field === 'principalMinor'
          ? '--principal'
          : error.field === 'startDay'
            ? '--start'
            : where(error.field);
      throw new UsageError(`${source}: ${error.message} [${error.code}]`);
    }
    throw error;
  }
}
