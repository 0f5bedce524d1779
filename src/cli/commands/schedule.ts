import type { Schedule } from '../../ledger/index.js';
import {
  APR_CONVENTIONS,
  type AprConvention,
  aprOf,
  nominalAnnualRateOf,
  type Product,
} from '../../ledger/index.js';
import { formatDate, formatMinor, formatMinorGrouped } from '../../money/index.js';
import { type CliIo, counted, renderTable, UsageError, writeJson, writeLine } from '../io.js';
import { addLoanOptions, type LoanOptionValues, loanTermsFromOptions } from '../loan-options.js';
import type { RegisterCommand } from '../register.js';

interface ScheduleOptions extends LoanOptionValues {
  json?: boolean;
  aprConvention?: string;
}

/** `lendguard schedule`: the repayment schedule of one drawdown, with its APR including all fees. */
export const registerSchedule: RegisterCommand = (program, io) => {
  const command = program
    .command('schedule')
    .description('print the repayment schedule (还款计划) of a drawdown and its APR including all fees');
  addLoanOptions(command)
    .option(
      '--apr-convention <convention>',
      'irr-nominal (periodic IRR × periods a year, default) | irr-effective',
    )
    .option('--json', 'machine output: amounts as decimal strings')
    .action((options: ScheduleOptions) => runSchedule(options, io));
};

function aprConvention(text: string | undefined): AprConvention {
  if (text === undefined) return 'irr-nominal';
  if (!(APR_CONVENTIONS as readonly string[]).includes(text)) {
    throw new UsageError(`--apr-convention "${text}" is unknown; use one of: ${APR_CONVENTIONS.join(', ')}`);
  }
  return text as AprConvention;
}

function runSchedule(options: ScheduleOptions, io: CliIo): void {
  const convention = aprConvention(options.aprConvention);
  const { product, schedule } = loanTermsFromOptions(options);
  const apr = aprOf(schedule, product, { convention });
  if (options.json) writeJson(io, scheduleJson(product, schedule, apr, convention));
  else writeLine(io.stdout, scheduleText(product, schedule, apr, convention));
}

function scheduleJson(product: Product, schedule: Schedule, apr: string, convention: AprConvention) {
  const money = (minor: number) => formatMinor(minor, product.currency);
  return {
    product: product,
    currency: product.currency,
    principal: money(schedule.principalMinor),
    start: formatDate(schedule.startDay),
    apr,
    aprConvention: convention,
    aprCap: product.aprCap,
    nominalAnnualRate: nominalAnnualRateOf(product),
    upfrontFee: money(schedule.upfrontFeeMinor),
    totalInterest: money(schedule.totalInterestMinor),
    totalFee: money(schedule.totalFeeMinor),
    totalRepaid: money(schedule.principalMinor + schedule.totalInterestMinor + schedule.totalFeeMinor),
    installments: schedule.installments.map((item) => ({
      number: item.number,
      startDate: formatDate(item.startDay),
      dueDate: formatDate(item.dueDay),
      principal: money(item.principalMinor),
      interest: money(item.interestMinor),
      fee: money(item.feeMinor),
      total: money(item.totalMinor),
      remainingPrincipal: money(item.remainingPrincipalMinor),
    })),
  };
}

function percent(decimal: string, digits: number): string {
  return `${(Number(decimal) * 100).toFixed(digits)}%`;
}

function scheduleText(product: Product, schedule: Schedule, apr: string, convention: AprConvention): string {
  const money = (minor: number) => formatMinorGrouped(minor, product.currency);
  const withFee = schedule.totalFeeMinor > 0;
  const columns = [
    { header: 'No.', align: 'right' as const },
    { header: 'Due date' },
    { header: 'Principal', align: 'right' as const },
    { header: 'Interest', align: 'right' as const },
    ...(withFee ? [{ header: 'Fee', align: 'right' as const }] : []),
    { header: 'Total', align: 'right' as const },
    { header: 'Remaining principal', align: 'right' as const },
  ];
  const rows = schedule.installments.map((item) => [
    String(item.number),
    formatDate(item.dueDay),
    money(item.principalMinor),
    money(item.interestMinor),
    ...(withFee ? [money(item.feeMinor)] : []),
    money(item.totalMinor),
    money(item.remainingPrincipalMinor),
  ]);
  const totalRepaid = schedule.principalMinor + schedule.totalInterestMinor + schedule.totalFeeMinor;
  rows.push([
    '',
    'Total',
    money(schedule.principalMinor),
    money(schedule.totalInterestMinor),
    ...(withFee ? [money(schedule.totalFeeMinor)] : []),
    money(totalRepaid),
    '',
  ]);
  const rate = `${product.rate.value}/${product.rate.per}`;
  const lines = [
    `${product.name} (${product.id}): ${product.method}, ${counted(schedule.installments.length, 'instalment')}, ${product.frequency}, rate ${rate}, ${product.dayCount}, ${product.periodicRateBasis}`,
    `Principal ${money(schedule.principalMinor)} ${product.currency}, drawn ${formatDate(schedule.startDay)}`,
    renderTable(columns, rows),
  ];
  if (schedule.upfrontFeeMinor > 0) {
    lines.push(`Upfront fee on the drawdown day: ${money(schedule.upfrontFeeMinor)} ${product.currency}`);
  }
  lines.push(
    `APR including all fees (${convention}): ${percent(apr, 2)} (${apr}); cap ${percent(product.aprCap, 2)}; nominal contract rate ${percent(nominalAnnualRateOf(product), 2)} a year`,
  );
  if (product.method === 'flat-rate') {
    lines.push(
      'Flat rate (等本等息): each period charges interest on the whole principal borrowed, so the APR above, not the quoted rate, is the cost.',
    );
  }
  if (product.method === 'pay-any-time') {
    lines.push(
      'Pay any time: interest accrues daily on what is outstanding; the figure above assumes no early repayment.',
    );
  }
  return lines.join('\n');
}
