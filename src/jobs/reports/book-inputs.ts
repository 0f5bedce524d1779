import { type Bucket, bucketRank, nominalAnnualRateOf, type Product } from '../../ledger/index.js';
import { type Day, parseDate } from '../../money/index.js';
import {
  type EclExposure,
  lastDayOfMonthKey,
  type MarkovState,
  type MonthEndPath,
  markovStateOfBucket,
  monthKeyOfDay,
  type Workout,
} from '../../reporting/index.js';
import {
  loadReportJournalDays,
  loadReportLines,
  loadReportLoanEvents,
  loadReportLoanKeys,
  loadReportLoans,
  loadReportRiskFacts,
  monthEndBalances,
  monthEndHasBalances,
  type Queryable,
  type ReportJournalDay,
  type ReportLineRow,
  type ReportLoanEvent,
  type ReportLoanRow,
  type ReportRiskFacts,
} from '../../store/index.js';

/** Month ends observed for the transition matrices (12 monthly transitions). */
export const OBSERVATION_MONTHS = 12;
/** A restructuring keeps its loan in stage 2 for at least this long (the observation period's year). */
export const RESTRUCTURING_OBSERVATION_DAYS = 365;

/**
 * One loan as the reports see it on the as-of day. Read for the ECL from a built month end
 * (loadEclBookAsOf), `journal` holds only a defaulted loan's days and `row.plan` only the last instalment.
 */
export interface BookLoan {
  readonly row: ReportLoanRow;
  readonly events: readonly ReportLoanEvent[];
  readonly journal: readonly ReportJournalDay[];
  readonly annualRate: string;
  readonly settledDay: Day | null;
  readonly writtenOffDay: Day | null;
  readonly defaultDay: Day | null;
}

/** The book through the as-of day, in the shapes the ECL, stress and liquidity cores take. */
export interface BookAsOf {
  readonly asOf: Day;
  readonly loans: readonly BookLoan[];
  readonly paths: readonly MonthEndPath[];
  readonly workouts: readonly Workout[];
  readonly exposures: readonly EclExposure[];
  readonly segments: readonly string[];
}

export function parseAsOf(text: string): Day {
  return parseDate(text, 'asOf');
}

/** The events still in force: those a later correction (EventsSuperseded) cancelled are dropped. */
function effectiveEvents(events: readonly ReportLoanEvent[], asOf: Day): ReportLoanEvent[] {
  const cancelled = new Set<number>();
  for (const e of events) {
    if (e.type !== 'EventsSuperseded' || e.fromSeq === null || e.toSeq === null) continue;
    for (let s = e.fromSeq; s <= e.toSeq; s += 1) cancelled.add(s);
  }
  return events
    .filter((e) => e.type !== 'EventsSuperseded' && !cancelled.has(e.seq) && e.day <= asOf)
    .sort((a, b) => a.day - b.day || a.seq - b.seq);
}

function firstDay(events: readonly ReportLoanEvent[], type: string): Day | null {
  return events.find((e) => e.type === type)?.day ?? null;
}

/** The delinquency bucket at the end of `day` (M0 before any change). */
export function bucketAt(loan: BookLoan, day: Day): Bucket {
  let bucket: Bucket = 'M0';
  for (const e of loan.events) {
    if (e.day > day) break;
    if (e.type === 'DelinquencyChanged' && e.toBucket !== null) bucket = e.toBucket as Bucket;
  }
  return bucket;
}

/** Days past due at the end of `day`: the last change's DPD, grown by the days since while overdue. */
export function daysPastDueAt(loan: BookLoan, day: Day): number {
  let last: ReportLoanEvent | null = null;
  for (const e of loan.events) {
    if (e.day > day) break;
    if (e.type === 'DelinquencyChanged') last = e;
  }
  if (last === null || last.toBucket === 'M0' || last.daysPastDue === null) return 0;
  return last.daysPastDue + (day - last.day);
}

/** The chain's state at the end of `day`, or null when the loan was not yet drawn. */
export function markovStateAt(loan: BookLoan, day: Day): MarkovState | null {
  if (loan.row.openedDay > day) return null;
  if (loan.writtenOffDay !== null && loan.writtenOffDay <= day) return 'D';
  if (loan.defaultDay !== null && loan.defaultDay <= day) return 'D';
  if (loan.settledDay !== null && loan.settledDay <= day) return 'C';
  return markovStateOfBucket(bucketAt(loan, day));
}

/** Σ of the journal's movements through `day` (receivables or principal). */
export function balanceAt(loan: BookLoan, day: Day, pick: (j: ReportJournalDay) => number): number {
  let sum = 0;
  for (const j of loan.journal) {
    if (j.day > day) break;
    sum += pick(j);
  }
  return sum;
}

export const receivable = (j: ReportJournalDay) => j.receivableNetMinor;
export const principal = (j: ReportJournalDay) => j.principalNetMinor;

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list === undefined) out.set(k, [item]);
    else list.push(item);
  }
  return out;
}

/** The contract rate of each product document read (documents shared between loans are one object). */
const rates = new WeakMap<object, string>();
function rateOf(product: unknown): string {
  if (typeof product !== 'object' || product === null)
    return Number(nominalAnnualRateOf(product as Product)).toFixed(6);
  let rate = rates.get(product);
  if (rate === undefined) {
    rate = Number(nominalAnnualRateOf(product as Product)).toFixed(6);
    rates.set(product, rate);
  }
  return rate;
}

function bookLoan(
  row: ReportLoanRow,
  raw: readonly ReportLoanEvent[],
  journal: ReportJournalDay[],
  asOf: Day,
): BookLoan {
  const events = effectiveEvents(raw, asOf);
  const writtenOffDay = firstDay(events, 'LoanWrittenOff');
  const dpdDefault = events.find(
    (e) => e.type === 'DelinquencyChanged' && e.toBucket !== null && bucketRank(e.toBucket as Bucket) >= 4,
  );
  const candidates = [dpdDefault?.day ?? null, writtenOffDay].filter((d): d is Day => d !== null);
  return {
    row,
    events,
    journal,
    annualRate: rateOf(row.product),
    settledDay: firstDay(events, 'LoanSettled'),
    writtenOffDay,
    defaultDay: candidates.length === 0 ? null : Math.min(...candidates),
  };
}

/** The month ends the chain is observed at, oldest first; the last is the as-of day itself. */
export function observationDays(asOf: Day): Day[] {
  const key = monthKeyOfDay(asOf);
  const out: Day[] = [];
  for (let k = key - OBSERVATION_MONTHS; k < key; k += 1) out.push(lastDayOfMonthKey(k));
  out.push(asOf);
  return out;
}

function worstBucket(buckets: readonly Bucket[]): Bucket {
  return buckets.reduce<Bucket>((w, b) => (bucketRank(b) > bucketRank(w) ? b : w), 'M0');
}

function months(from: Day, to: Day): number {
  return Math.max(1, monthKeyOfDay(to) - monthKeyOfDay(from));
}

/** A probability as millionths (the staging's unit), or undefined when unknown. */
function pdMicro(pd: number | undefined): number | undefined {
  return pd === undefined || !Number.isFinite(pd)
    ? undefined
    : Math.min(1_000_000, Math.max(0, Math.round(pd * 1e6)));
}

/**
 * The SICR inputs of a line's exposures besides days past due: PD at origination and now (when known) and the
 * watch list (a frozen line, or a high or critical early-warning signal live on the day).
 */
function riskStaging(
  lineId: string,
  customerId: string,
  frozenLines: ReadonlySet<string>,
  risk: ReportRiskFacts,
): { watchlist: boolean; originationPd_micro?: number; currentPd_micro?: number } {
  const origination = pdMicro(risk.originationPdByLine.get(lineId));
  const current = pdMicro(risk.currentPdByLine.get(lineId));
  return {
    watchlist: frozenLines.has(lineId) || risk.watchedCustomers.has(customerId),
    ...(origination === undefined ? {} : { originationPd_micro: origination }),
    ...(current === undefined ? {} : { currentPd_micro: current }),
  };
}

/** A loan's receivable and principal balances at the as-of day: from its journal, or from the month end. */
interface AsOfBalances {
  receivable(loan: BookLoan): number;
  principal(loan: BookLoan): number;
}

function journalBalances(asOf: Day): AsOfBalances {
  return {
    receivable: (loan) => balanceAt(loan, asOf, receivable),
    principal: (loan) => balanceAt(loan, asOf, principal),
  };
}

function loanExposure(
  loan: BookLoan,
  asOf: Day,
  frozenLines: ReadonlySet<string>,
  risk: ReportRiskFacts,
  balances: AsOfBalances,
): EclExposure | null {
  if (loan.settledDay !== null && loan.settledDay <= asOf) return null;
  if (loan.writtenOffDay !== null && loan.writtenOffDay <= asOf) return null;
  const balance = balances.receivable(loan);
  if (balance <= 0) return null;
  const restructuredDay = [...loan.events].reverse().find((e) => e.type === 'LoanRestructured')?.day ?? null;
  const broken = loan.events.some(
    (e) => e.type === 'RestructuringBroken' && restructuredDay !== null && e.day >= restructuredDay,
  );
  const lastDue = loan.row.plan.at(-1)?.dueDay ?? asOf;
  return {
    exposureId: loan.row.loanId,
    kind: 'drawn',
    customerId: loan.row.customerId,
    lineId: loan.row.lineId,
    segment: loan.row.productId,
    balanceMinor: balance,
    bucket: bucketAt(loan, asOf),
    staging: {
      daysPastDue: daysPastDueAt(loan, asOf),
      restructured: restructuredDay !== null && asOf - restructuredDay < RESTRUCTURING_OBSERVATION_DAYS,
      restructuringBroken: broken,
      ...riskStaging(loan.row.lineId, loan.row.customerId, frozenLines, risk),
    },
    remainingMonths: months(asOf, lastDue),
    annualRate: loan.annualRate,
    borrower: { occupation: loan.row.occupation, industry: loan.row.industry },
  };
}

/** Reads the book through `asOf` and shapes it for the cores. */
export async function loadBookAsOf(q: Queryable, asOf: Day): Promise<BookAsOf> {
  const [rows, events, journal, lines, risk] = [
    await loadReportLoans(q, asOf),
    await loadReportLoanEvents(q, asOf),
    await loadReportJournalDays(q, asOf),
    await loadReportLines(q),
    await loadReportRiskFacts(q, asOf),
  ];
  const eventsByLoan = groupBy(events, (e) => e.loanId);
  const journalByLoan = groupBy(journal, (j) => j.loanId);
  const loans = rows.map((r) =>
    bookLoan(r, eventsByLoan.get(r.loanId) ?? [], journalByLoan.get(r.loanId) ?? [], asOf),
  );
  return shapeBook(asOf, loans, lines, risk, journalBalances(asOf));
}

/**
 * The book the ECL reads at a built month end: each loan's balance from its month-end row (the engine's
 * receivables of the state the month-end job classified, equal to the journal's) instead of its journal, the
 * journal read only for the loans that defaulted (their workouts), and of the terms only the product and the
 * last instalment. The same exposures, paths and workouts as loadBookAsOf; a day that is not a built month
 * end (or one built before its rows kept the balance) is read by loadBookAsOf.
 */
export async function loadEclBookAsOf(q: Queryable, asOf: Day): Promise<BookAsOf> {
  if (!(await monthEndHasBalances(q, asOf))) return loadBookAsOf(q, asOf);
  // The reads go out together (on a pool, each on its own connection): the server produces one while this
  // process parses another. The defaulted loans' journal needs their events, so it follows, and the paths
  // and exposures (which read balances from the month end) are shaped while it is read.
  const [balances, rows, events, lines, risk] = await Promise.all([
    monthEndBalances(q, asOf),
    loadReportLoanKeys(q, asOf),
    loadReportLoanEvents(q, asOf),
    loadReportLines(q),
    loadReportRiskFacts(q, asOf),
  ]);
  if (balances === null) return loadBookAsOf(q, asOf);
  const eventsByLoan = groupBy(events, (e) => e.loanId);
  const withoutJournal = rows.map((r) => bookLoan(r, eventsByLoan.get(r.loanId) ?? [], [], asOf));
  const defaulted = withoutJournal
    .filter((l) => l.defaultDay !== null)
    .map((l) => ({ customerId: l.row.customerId, loanId: l.row.loanId }));
  const journalRead =
    defaulted.length === 0 ? Promise.resolve([]) : loadReportJournalDays(q, asOf, defaulted);
  // Shaping before the journal arrives must not leave its read unobserved should shaping throw.
  journalRead.catch(() => undefined);
  const none = { receivableMinor: 0, principalMinor: 0 };
  const monthEnd: AsOfBalances = {
    receivable: (loan) => (balances.get(loan.row.loanId) ?? none).receivableMinor,
    principal: (loan) => (balances.get(loan.row.loanId) ?? none).principalMinor,
  };
  const shaped = shapeExposures(asOf, withoutJournal, lines, risk, monthEnd);
  const journalByLoan = groupBy(await journalRead, (j) => j.loanId);
  const loans = withoutJournal.map((l) => {
    const journal = journalByLoan.get(l.row.loanId);
    return journal === undefined ? l : { ...l, journal };
  });
  return bookOf(shaped, loans);
}

function shapeBook(
  asOf: Day,
  loans: readonly BookLoan[],
  lines: readonly ReportLineRow[],
  risk: ReportRiskFacts,
  balances: AsOfBalances,
): BookAsOf {
  return bookOf(shapeExposures(asOf, loans, lines, risk, balances), loans);
}

function bookOf(
  shaped: Pick<BookAsOf, 'asOf' | 'paths' | 'exposures' | 'segments'>,
  loans: readonly BookLoan[],
) {
  const { asOf, paths, exposures, segments } = shaped;
  return { asOf, loans, paths, workouts: workoutsOf(loans), exposures, segments };
}

/** The defaulted loans' workouts: the balance the day before default and the cash after it, from the journal. */
function workoutsOf(loans: readonly BookLoan[]): Workout[] {
  const workouts: Workout[] = [];
  for (const loan of loans) {
    if (loan.defaultDay === null) continue;
    const d = loan.defaultDay;
    workouts.push({
      loanId: loan.row.loanId,
      segment: loan.row.productId,
      defaultDay: d,
      eadAtDefaultMinor: Math.max(0, balanceAt(loan, d - 1, receivable)),
      recoveries: loan.journal
        .filter((j) => j.day > d && j.cashInMinor > 0)
        .map((j) => ({ day: j.day, amountMinor: j.cashInMinor })),
      annualRate: Number(loan.annualRate),
    });
  }
  return workouts;
}

/** The chain's paths, the exposures and the segments: none of them reads a loan's journal but through `balances`. */
function shapeExposures(
  asOf: Day,
  loans: readonly BookLoan[],
  lines: readonly ReportLineRow[],
  risk: ReportRiskFacts,
  balances: AsOfBalances,
): Pick<BookAsOf, 'asOf' | 'paths' | 'exposures' | 'segments'> {
  const days = observationDays(asOf);
  const paths: MonthEndPath[] = loans.map((loan) => ({
    segment: loan.row.productId,
    states: days.map((d) => markovStateAt(loan, d)),
  }));
  const frozen = new Set(lines.filter((l) => l.status === 'frozen').map((l) => l.lineId));
  const exposures: EclExposure[] = [];
  for (const loan of loans) {
    const e = loanExposure(loan, asOf, frozen, risk, balances);
    if (e !== null) exposures.push(e);
  }
  const loansByLine = groupBy(loans, (l) => l.row.lineId);
  for (const line of lines) {
    const own = loansByLine.get(line.lineId) ?? [];
    if (line.status !== 'active' || own.length === 0) continue;
    const used = own.reduce((a, l) => a + balances.principal(l), 0);
    const undrawn = Math.max(0, line.limitMinor - used);
    if (undrawn === 0) continue;
    const live = own.filter(
      (l) =>
        (l.settledDay === null || l.settledDay > asOf) &&
        (l.writtenOffDay === null || l.writtenOffDay > asOf),
    );
    const worst = worstBucket(live.map((l) => bucketAt(l, asOf)));
    const latest = own.reduce((a, b) => (b.row.openedDay > a.row.openedDay ? b : a));
    exposures.push({
      exposureId: `line:${line.lineId}`,
      kind: 'undrawn',
      customerId: line.customerId,
      lineId: line.lineId,
      segment: '*',
      balanceMinor: undrawn,
      bucket: worst,
      staging: {
        daysPastDue: Math.max(0, ...live.map((l) => daysPastDueAt(l, asOf))),
        writtenOff: own.some((l) => l.writtenOffDay !== null && l.writtenOffDay <= asOf),
        ...riskStaging(line.lineId, line.customerId, frozen, risk),
      },
      remainingMonths: 1,
      annualRate: latest.annualRate,
      borrower: { occupation: latest.row.occupation, industry: latest.row.industry },
    });
  }
  return {
    asOf,
    paths,
    exposures,
    segments: [...new Set(loans.map((l) => l.row.productId))].sort(),
  };
}

/** Loans written off in (from, to]. */
export function writtenOffBetween(book: BookAsOf, from: Day, to: Day): Set<string> {
  return new Set(
    book.loans
      .filter((l) => l.writtenOffDay !== null && l.writtenOffDay > from && l.writtenOffDay <= to)
      .map((l) => l.row.loanId),
  );
}
