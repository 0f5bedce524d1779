import type { LoanPosition } from '../../ledger/index.js';
import {
  type Day,
  formatDate,
  formatMinor,
  formatMinorGrouped,
  invariant,
  multiply,
  parseDate,
  parseDecimal,
  rational,
  toExactDecimalString,
} from '../../money/index.js';
import {
  DEFAULT_IMPACT_SETTINGS,
  defaultLang,
  IMPACT_MONTHS_MAX,
  LANGS,
  type Lang,
  type MilestoneExtra,
  type OverdueProjection,
  projectOverdue,
  textFor,
} from '../../reporting/index.js';
import { type CliIo, renderTable, UsageError, writeJson, writeLine } from '../io.js';
import {
  addLoanOptions,
  type LoanOptionValues,
  type LoanTerms,
  loanTermsFromOptions,
} from '../loan-options.js';
import type { RegisterCommand } from '../register.js';

interface ImpactOptions extends LoanOptionValues {
  overdueFrom?: string;
  months?: string;
  lang?: string;
  demand?: string[];
  json?: boolean;
}

/**
 * `lendguard impact`: what being overdue for N months means. The borrower pays every instalment due before
 * `--overdue-from` on its due date and nothing after; the loan engine gives every amount, the reporting core
 * every regulatory view, month end by month end, and the milestones with their legal sources.
 */
export const registerImpact: RegisterCommand = (program, io) => {
  const command = program
    .command('impact')
    .description(
      'what being overdue for N months means: DPD, bucket, credit report, class, IFRS 9 stage, amounts, milestones',
    );
  addLoanOptions(command)
    .option('--overdue-from <date>', 'first date the borrower stops paying, YYYY-MM-DD (within the term)')
    .option('--months <n>', `months to show after the overdue start, 1 to ${IMPACT_MONTHS_MAX}`)
    .option(
      '--lang <lang>',
      'zh | en (default: zh when the locale, LC_ALL or else LANG, starts with zh; otherwise en)',
    )
    .option(
      '--demand <date>',
      'a day the lender demanded payment (restarts the limitation period); repeat for several',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--json', 'machine output: amounts as decimal strings, codes instead of words')
    .action((options: ImpactOptions) => runImpact(options, io));
};

function parseMonths(text: string | undefined): number {
  if (text === undefined)
    throw new UsageError(`--months is required; e.g. --months 7 (1 to ${IMPACT_MONTHS_MAX})`);
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > IMPACT_MONTHS_MAX) {
    throw new UsageError(
      `--months "${text}" must be a whole number from 1 to ${IMPACT_MONTHS_MAX}; e.g. --months 7`,
    );
  }
  return Number(text);
}

function parseLang(text: string | undefined): Lang {
  if (text === undefined) return defaultLang(process.env);
  if (!(LANGS as readonly string[]).includes(text)) {
    throw new UsageError(`--lang "${text}" is unknown; use one of: ${LANGS.join(', ')}`);
  }
  return text as Lang;
}

function parseOverdueFrom(
  text: string | undefined,
  terms: LoanTerms,
): { overdueFromDay: Day; missedDueDay: Day } {
  if (text === undefined) throw new UsageError('--overdue-from is required; e.g. --overdue-from 2026-03-15');
  let day: Day;
  try {
    day = parseDate(text, '--overdue-from');
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const dues = terms.schedule.installments;
  const first = dues[0];
  const last = dues[dues.length - 1];
  invariant(first !== undefined && last !== undefined, 'a schedule has at least one instalment');
  const range = `give a date from the first due date ${formatDate(first.dueDay)} to the last ${formatDate(last.dueDay)}`;
  if (day < first.dueDay) {
    throw new UsageError(`--overdue-from ${text} is before the first instalment falls due; ${range}`);
  }
  if (day > last.dueDay) {
    throw new UsageError(`--overdue-from ${text} is after the loan's last due date; ${range}`);
  }
  const missed = dues.find((item) => item.dueDay >= day);
  invariant(missed !== undefined, 'a due date on or after the overdue start exists');
  return { overdueFromDay: day, missedDueDay: missed.dueDay };
}

/** The projection and the loan it was made for. */
export interface ImpactResult extends OverdueProjection {
  readonly terms: LoanTerms;
}

/** Milestones whose date does not follow from the DPD count: their DPD is not shown. */
const DPD_HIDDEN: ReadonlySet<string> = new Set(['limitation-end', 'retention-end-if-repaid']);

/** A demand for payment: a real date, not before the overdue start (an earlier one restarts nothing). */
function parseDemand(text: string, overdueFromDay: Day): Day {
  let day: Day;
  try {
    day = parseDate(text, '--demand');
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (day < overdueFromDay) {
    throw new UsageError(
      `--demand ${text} is before the overdue start ${formatDate(overdueFromDay)}; give the dates on which the lender demanded payment of the overdue debt`,
    );
  }
  return day;
}

function runImpact(options: ImpactOptions, io: CliIo): void {
  const months = parseMonths(options.months);
  const lang = parseLang(options.lang);
  const terms = loanTermsFromOptions(options);
  const { overdueFromDay, missedDueDay } = parseOverdueFrom(options.overdueFrom, terms);
  const demandDays = (options.demand ?? []).map((text) => parseDemand(text, overdueFromDay));
  const projection = projectOverdue({
    product: terms.product,
    principalMinor: terms.principalMinor,
    startDay: terms.startDay,
    overdueFromDay,
    months,
    demandDays,
  });
  invariant(projection.missedDueDay === missedDueDay, 'the engine schedule and the option schedule agree');
  const result: ImpactResult = { ...projection, terms };
  if (options.json) writeJson(io, impactJson(result, lang));
  else writeLine(io.stdout, impactText(result, lang));
}

function milestoneExtra(result: ImpactResult): MilestoneExtra {
  // Exact: 0.55 × 100 in floating point is 55.00000000000001.
  const uplift = toExactDecimalString(
    multiply(parseDecimal(result.terms.product.penalty.uplift), rational(100)),
  );
  const lastRow = result.rows[result.rows.length - 1];
  return {
    currency: result.terms.product.currency,
    penaltyUplift: `${uplift ?? result.terms.product.penalty.uplift}%`,
    penaltyBase: result.terms.product.penalty.base,
    horizonEnd: lastRow === undefined ? '' : formatDate(lastRow.day),
    chargeOffDays: DEFAULT_IMPACT_SETTINGS.delinquency.chargeOffDaysPastDue,
  };
}

function interestOwedMinor(p: LoanPosition): number {
  return p.overdueInterestMinor + p.dueInterestMinor + p.accruedInterestMinor;
}

function impactJson(result: ImpactResult, lang: Lang) {
  const currency = result.terms.product.currency;
  const money = (minor: number) => formatMinor(minor, currency);
  const text = textFor(lang);
  const extra = milestoneExtra(result);
  return {
    currency,
    principal: money(result.terms.principalMinor),
    start: formatDate(result.terms.startDay),
    overdueFrom: formatDate(result.overdueFromDay),
    missedDueDate: formatDate(result.missedDueDay),
    lang,
    rows: result.rows.map(({ day, position: p, status: s }) => ({
      date: formatDate(day),
      daysPastDue: p.daysPastDue,
      bucket: s.bucket,
      creditReportStatus: s.creditReportCode,
      assetClass: s.assetClass,
      nonPerforming: s.nonPerforming,
      ifrs9Stage: s.ifrs9Stage,
      collectionStage: s.collectionStage,
      outstandingPrincipal: money(p.outstandingPrincipalMinor),
      overduePrincipal: money(p.overduePrincipalMinor),
      overdueInterest: money(p.overdueInterestMinor),
      interestOwed: money(interestOwedMinor(p)),
      feesOwed: money(p.overdueFeeMinor + p.dueFeeMinor),
      penaltyAccrued: money(p.penaltyAccruedTotalMinor),
      penaltyOutstanding: money(p.penaltyOutstandingMinor),
      totalOwed: money(p.totalOwedMinor),
    })),
    milestones: result.milestones.map((m) => ({
      date: formatDate(m.day),
      kind: m.kind,
      value: m.value,
      daysPastDue: m.daysPastDue,
      withinPeriodShown: m.withinHorizon,
      source: m.source,
      convention: m.convention,
      description: text.milestone(m, extra),
    })),
  };
}

function impactText(result: ImpactResult, lang: Lang): string {
  const text = textFor(lang);
  const currency = result.terms.product.currency;
  const money = (minor: number) => formatMinorGrouped(minor, currency);
  const right = new Set([1, 6, 7, 8, 9]);
  const columns = text.columns.map((header, i) => ({
    header,
    align: right.has(i) ? ('right' as const) : ('left' as const),
  }));
  const rows = result.rows.map(({ day, position: p, status: s }) => [
    formatDate(day),
    String(p.daysPastDue),
    s.bucket,
    s.creditReportCode,
    text.assetClass[s.assetClass],
    text.stage(s.ifrs9Stage),
    money(p.overduePrincipalMinor),
    money(p.overdueInterestMinor),
    money(p.penaltyAccruedTotalMinor),
    money(p.totalOwedMinor),
  ]);
  const extra = milestoneExtra(result);
  const milestoneLines = result.milestones.map((m) => {
    const showDpd = m.daysPastDue > 0 && !DPD_HIDDEN.has(m.kind);
    const when = showDpd ? `${formatDate(m.day)}  ${text.dpd(m.daysPastDue)}` : formatDate(m.day);
    const later = m.withinHorizon ? '' : ` ${text.beyondHorizon}`;
    const source = [m.source, m.convention ? text.convention : ''].filter((x) => x !== '').join('; ');
    return `- ${when}: ${text.milestone(m, extra)}${later} [${source}]`;
  });
  return [
    text.title(
      money(result.terms.principalMinor),
      currency,
      formatDate(result.missedDueDay),
      result.rows.length - 1,
    ),
    text.assumption(formatDate(result.overdueFromDay), formatDate(result.missedDueDay)),
    renderTable(columns, rows),
    text.footnote,
    '',
    text.milestonesTitle,
    ...milestoneLines,
  ].join('\n');
}
