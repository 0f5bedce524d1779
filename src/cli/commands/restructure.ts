import {
  closeDaysThrough,
  installmentPaymentMinor,
  isLedgerInputError,
  type LoanRestructured,
  type LoanState,
  loanPosition,
  openLoan,
  RESTRUCTURING_KINDS,
  type RestructureRequest,
  type RestructuringKind,
  repay,
  restructure,
} from '../../ledger/index.js';
import {
  AmountInputError,
  type Day,
  formatDate,
  formatMinor,
  parseAmount,
  parseDate,
} from '../../money/index.js';
import { type CliIo, counted, renderTable, UsageError, writeJson, writeLine } from '../io.js';
import { addLoanOptions, type LoanOptionValues, loanTermsFromOptions } from '../loan-options.js';
import type { RegisterCommand } from '../register.js';

interface RestructureOptions extends LoanOptionValues {
  overdueFrom?: string;
  on?: string;
  kind?: string;
  months?: string;
  extensionMonths?: string;
  holidayMonths?: string;
  holidayInterest?: string;
  newRate?: string;
  penalty?: string;
  downPayment?: string;
  income?: string;
  json?: boolean;
}

/**
 * `lendguard restructure`: what a restructuring would do to a loan, before anyone proposes it. The borrower
 * pays every instalment due before `--overdue-from` on its due date (none missed without it), the loan is
 * restructured on `--on` by the engine's own command, and the figures and the new plan are printed. It
 * writes nothing: restructurings of stored loans go through the API, whose maker-checker this preview
 * does not bypass.
 */
export const registerRestructure: RegisterCommand = (program, io) => {
  const command = program
    .command('restructure')
    .description(
      'preview a restructuring (协商分期, 展期, payment holiday, rate reduction): the figures and the new plan; writes nothing',
    );
  addLoanOptions(command)
    .option(
      '--overdue-from <date>',
      'first due date the borrower stops paying (default: pays every instalment)',
    )
    .option('--on <date>', 'the day the restructuring takes effect, YYYY-MM-DD')
    .option('--kind <kind>', RESTRUCTURING_KINDS.join(' | '))
    .option('--months <n>', 'negotiated-plan: monthly instalments of the new plan')
    .option('--extension-months <n>', 'term-extension: months added')
    .option('--holiday-months <n>', 'payment-holiday: months without instalments')
    .option('--holiday-interest <accrue|waive>', 'payment-holiday: interest during the holiday')
    .option('--new-rate <value>', "a lower rate, per the product's rate period, e.g. 0.0003")
    .option('--penalty <waive|capitalise>', 'penalty interest owed (default waive)')
    .option('--down-payment <yuan>', 'paid on the day before the rest is re-planned')
    .option('--income <yuan>', "the borrower's verified monthly income (required for negotiated-plan)")
    .option('--json', 'print JSON instead of a table')
    .action((options: RestructureOptions) => runRestructure(io, options));
};

function dayOption(text: string | undefined, name: string): Day | undefined {
  if (text === undefined) return undefined;
  try {
    return parseDate(text, name);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function wholeOption(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,4}$/.test(text))
    throw new UsageError(`${name} must be a whole number, e.g. 12; got ${text}`);
  return Number(text);
}

function amountOption(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseAmount(text, { field: name });
  } catch (error) {
    if (error instanceof AmountInputError) throw new UsageError(error.message);
    throw error;
  }
}

function requestOf(options: RestructureOptions): RestructureRequest {
  const kind = options.kind;
  if (kind === undefined || !(RESTRUCTURING_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`--kind must be one of ${RESTRUCTURING_KINDS.join(', ')}; got ${kind ?? 'nothing'}`);
  }
  const oneOf = <T extends string>(
    text: string | undefined,
    name: string,
    values: readonly T[],
  ): T | undefined => {
    if (text === undefined) return undefined;
    if (!(values as readonly string[]).includes(text))
      throw new UsageError(`${name} must be ${values.join(' or ')}`);
    return text as T;
  };
  const fields: Record<string, unknown> = {
    kind: kind as RestructuringKind,
    months: wholeOption(options.months, '--months'),
    extensionMonths: wholeOption(options.extensionMonths, '--extension-months'),
    holidayMonths: wholeOption(options.holidayMonths, '--holiday-months'),
    holidayInterest: oneOf(options.holidayInterest, '--holiday-interest', ['accrue', 'waive'] as const),
    rateValue: options.newRate,
    penalty: oneOf(options.penalty, '--penalty', ['waive', 'capitalise'] as const),
    downPaymentMinor: amountOption(options.downPayment, '--down-payment'),
    monthlyIncomeMinor: amountOption(options.income, '--income'),
  };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields as unknown as RestructureRequest;
}

/** The loan run to the day before `on`: each instalment due before `overdueFrom` paid on its due date. */
function loanBefore(options: RestructureOptions, on: Day): LoanState {
  const terms = loanTermsFromOptions(options);
  const overdueFrom = dayOption(options.overdueFrom, '--overdue-from') ?? Number.MAX_SAFE_INTEGER;
  let state = openLoan({
    loanId: 'preview',
    customerId: 'preview',
    lineId: 'preview',
    product: terms.product,
    principalMinor: terms.principalMinor,
    day: terms.startDay,
    schedule: terms.schedule,
  }).state;
  if (on <= terms.startDay)
    throw new UsageError(`--on must be after the drawdown date ${formatDate(terms.startDay)}`);
  for (const item of terms.schedule.installments) {
    if (item.dueDay >= on || item.dueDay >= overdueFrom) break;
    state = closeDaysThrough(state, item.dueDay - 1).state;
    const amount = installmentPaymentMinor(state, item.dueDay);
    if (amount > 0)
      state = repay(state, { amountMinor: amount, day: item.dueDay, clientId: `pay-${item.number}` }).state;
  }
  return closeDaysThrough(state, on - 1).state;
}

function runRestructure(io: CliIo, options: RestructureOptions): void {
  const on = dayOption(options.on, '--on');
  if (on === undefined)
    throw new UsageError('--on is required: the day the restructuring takes effect, e.g. --on 2026-07-01');
  const request = requestOf(options);
  const before = loanBefore(options, on);
  let done: ReturnType<typeof restructure>;
  try {
    done = restructure(before, { ...request, day: on, clientId: 'preview' });
  } catch (error) {
    if (isLedgerInputError(error)) throw new UsageError(`${error.message} (${error.code})`);
    throw error;
  }
  const event = done.events.find((e): e is LoanRestructured => e.type === 'LoanRestructured')!;
  const currency = before.product.currency;
  const money = (minor: number) => formatMinor(minor, currency);
  const owedBefore = loanPosition(before).totalOwedMinor;
  const summary = {
    kind: request.kind,
    on: formatDate(on),
    daysPastDueBefore: event.daysPastDueBefore,
    bucketBefore: event.bucketBefore,
    owedBefore: money(owedBefore),
    downPayment: money(event.downPayment?.amountMinor ?? 0),
    waived: money(event.forgivenMinor),
    capitalised: money(
      event.capitalised.penaltyMinor + event.capitalised.interestMinor + event.capitalised.feeMinor,
    ),
    newPrincipal: money(event.principalMinor),
    monthsExtended: event.monthsExtended,
    specialTransactionCode: event.specialTransactionCode,
    plan: event.installments.map((i) => ({
      number: i.number,
      dueDate: formatDate(i.dueDay),
      principal: money(i.principalMinor),
      interest: money(i.interestMinor),
      total: money(i.totalMinor),
    })),
  };
  if (options.json === true) {
    writeJson(io, summary);
    return;
  }
  writeLine(
    io.stdout,
    `${summary.kind} on ${summary.on}: ${counted(summary.daysPastDueBefore, 'day')} past due (${summary.bucketBefore}), ${summary.owedBefore} owed`,
  );
  writeLine(
    io.stdout,
    `down payment ${summary.downPayment}, waived ${summary.waived}, capitalised ${summary.capitalised}; new principal ${summary.newPrincipal}; maturity ${counted(summary.monthsExtended, 'month')} later; credit-report special transaction ${summary.specialTransactionCode}`,
  );
  writeLine(io.stdout, '(interest shown is the schedule estimate; the engine bills the interest accrued)');
  writeLine(
    io.stdout,
    renderTable(
      [
        { header: '#', align: 'right' },
        { header: 'due' },
        { header: 'principal', align: 'right' },
        { header: 'interest', align: 'right' },
        { header: 'total', align: 'right' },
      ],
      summary.plan.map((p) => [String(p.number), p.dueDate, p.principal, p.interest, p.total]),
    ),
  );
}
