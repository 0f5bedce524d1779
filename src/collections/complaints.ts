import {
  addDays,
  civilFromDay,
  counted,
  type Day,
  dayFromCivil,
  daysInMonth,
  divideRounded,
  formatDate,
  invariant,
  parseDate,
  weekday,
} from '../money/index.js';
import type { ContactChannel } from './contact-rules.js';
import { CollectionsInputError } from './errors.js';

/**
 * Complaints (投诉) about collection and the loan: intake by channel and category, the two SLA timers
 * (acknowledge, resolve) counted in business or calendar days on the lender's calendar, what collection may
 * do while a complaint is open, the outcome and root cause, and the reputation view — complaints per 10,000
 * active borrowers by category and month, with a stated spike rule. Pure: the day, the calendar and the
 * figures come in as arguments.
 *
 * The default resolve deadline follows 银行业保险业消费投诉处理管理办法 (2020) Art. 22: a decision within
 * 15 days of receipt. The acknowledgement within one business day is the lender's setting.
 */

export type ComplaintChannel = 'hotline' | 'app' | 'regulator_referral' | 'social_media';
export const COMPLAINT_CHANNELS: readonly ComplaintChannel[] = [
  'hotline',
  'app',
  'regulator_referral',
  'social_media',
];

export type ComplaintCategory =
  /** 催收行为: how the borrower or their contacts were approached. */
  | 'collection_conduct'
  /** 息费: interest, penalty interest and fees charged. */
  | 'fees_interest'
  /** 征信: what was reported to the credit bureau. */
  | 'credit_report'
  /** 个人信息: personal data disclosed or misused. */
  | 'privacy'
  /** 还款: repayments not credited, channels, settlement. */
  | 'repayment'
  /** 服务: service quality. */
  | 'service'
  | 'other';
export const COMPLAINT_CATEGORIES: readonly ComplaintCategory[] = [
  'collection_conduct',
  'fees_interest',
  'credit_report',
  'privacy',
  'repayment',
  'service',
  'other',
];

export type ComplaintStatus = 'received' | 'acknowledged' | 'resolved';
export const COMPLAINT_STATUSES: readonly ComplaintStatus[] = ['received', 'acknowledged', 'resolved'];

export type ComplaintOutcome = 'upheld' | 'partly_upheld' | 'not_upheld' | 'withdrawn';
export const COMPLAINT_OUTCOMES: readonly ComplaintOutcome[] = [
  'upheld',
  'partly_upheld',
  'not_upheld',
  'withdrawn',
];

/** Why it happened, found when it is resolved. */
export type ComplaintRootCause =
  | 'collector_conduct'
  | 'agency_conduct'
  | 'system_error'
  | 'policy_or_product'
  | 'communication'
  | 'borrower_misunderstanding'
  | 'fraud_or_identity'
  | 'other';
export const COMPLAINT_ROOT_CAUSES: readonly ComplaintRootCause[] = [
  'collector_conduct',
  'agency_conduct',
  'system_error',
  'policy_or_product',
  'communication',
  'borrower_misunderstanding',
  'fraud_or_identity',
  'other',
];

/** What collection may do while a complaint is open: nothing, only the channels allowed, or carry on. */
export type CollectionWhileOpen = 'pause' | 'limit' | 'continue';

/** A deadline counted in business days (the lender's calendar) or calendar days. */
export interface SlaTimer {
  readonly days: number;
  readonly dayKind: 'business' | 'calendar';
}

/** The lender's working calendar: weekend days, public holidays, and weekend days worked (调休). */
export interface BusinessCalendar {
  /** ISO weekdays off (6 = Saturday, 7 = Sunday). */
  readonly weekendDays: readonly number[];
  /** YYYY-MM-DD days off that are not weekend days (法定节假日). */
  readonly holidays: readonly string[];
  /** YYYY-MM-DD weekend days that are worked (调休上班). */
  readonly workdays: readonly string[];
}

export interface ComplaintSettings {
  readonly acknowledge: SlaTimer;
  readonly resolve: SlaTimer;
  /** A timer is `due_soon` when this many of its days or fewer remain. */
  readonly dueSoonDays: number;
  readonly calendar: BusinessCalendar;
  /** Per category; a regulator referral always pauses when `regulatorReferralPauses` is set. */
  readonly collectionWhileOpen: Readonly<Record<ComplaintCategory, CollectionWhileOpen>>;
  readonly regulatorReferralPauses: boolean;
  /** Under `limit`, the only channels collection may use (written ones by default). */
  readonly limitedChannels: readonly ContactChannel[];
  /** The spike rule (see `reputationView`). */
  readonly spike: SpikeRule;
  /**
   * How many days before the business day a complaint may say it was received (a convention: intake is
   * normally the same day; a complaint recorded late keeps its day of receipt, from which its SLA timers
   * count). Absent: `RECEIVED_DAYS_BACK_DEFAULT`.
   */
  readonly receivedDaysBack_max?: number;
}

/** The default bound on a complaint's day of receipt before the business day (see `ComplaintSettings`). */
export const RECEIVED_DAYS_BACK_DEFAULT = 30;

/**
 * A month's complaints in a category spike when (1) at least `minCount` were received, and (2) its rate per
 * 10,000 active borrowers exceeds the mean rate of the `baselineMonths` months before it by more than
 * `ratioPercent` percent (150: more than 1.5 times the mean). With no complaints in the baseline, condition
 * (1) alone decides. Rates are compared exactly (rational arithmetic), not as the rounded figures shown.
 */
export interface SpikeRule {
  readonly baselineMonths: number;
  readonly ratioPercent: number;
  readonly minCount: number;
}

export const DEFAULT_COMPLAINT_SETTINGS: ComplaintSettings = Object.freeze({
  acknowledge: { days: 1, dayKind: 'business' },
  resolve: { days: 15, dayKind: 'calendar' },
  dueSoonDays: 1,
  calendar: { weekendDays: [6, 7], holidays: [], workdays: [] },
  collectionWhileOpen: {
    collection_conduct: 'pause',
    privacy: 'pause',
    fees_interest: 'limit',
    credit_report: 'limit',
    repayment: 'limit',
    service: 'continue',
    other: 'limit',
  },
  regulatorReferralPauses: true,
  limitedChannels: ['letter'],
  spike: { baselineMonths: 3, ratioPercent: 150, minCount: 5 },
} satisfies ComplaintSettings);

function checkTimer(name: string, t: SlaTimer): void {
  invariant(
    Number.isSafeInteger(t.days) && t.days >= 0 && t.days <= 366,
    `${name}.days must be a whole number 0..366`,
  );
  invariant(t.dayKind === 'business' || t.dayKind === 'calendar', `${name}.dayKind is business or calendar`);
}

/** Validates settings once at start; throws a message naming the setting at fault. */
export function checkComplaintSettings(s: ComplaintSettings): ComplaintSettings {
  checkTimer('acknowledge', s.acknowledge);
  checkTimer('resolve', s.resolve);
  invariant(Number.isSafeInteger(s.dueSoonDays) && s.dueSoonDays >= 0, 'dueSoonDays must be 0 or more');
  invariant(
    s.calendar.weekendDays.every((d) => Number.isInteger(d) && d >= 1 && d <= 7) &&
      s.calendar.weekendDays.length < 7,
    'calendar.weekendDays are ISO weekdays 1..7, fewer than seven of them',
  );
  for (const d of [...s.calendar.holidays, ...s.calendar.workdays]) parseDate(d, 'calendar day');
  for (const c of COMPLAINT_CATEGORIES) {
    invariant(
      ['pause', 'limit', 'continue'].includes(s.collectionWhileOpen[c]),
      `collectionWhileOpen.${c} must be pause, limit or continue`,
    );
  }
  const sp = s.spike;
  invariant(
    Number.isSafeInteger(sp.baselineMonths) && sp.baselineMonths >= 1 && sp.baselineMonths <= 24,
    'spike.baselineMonths must be 1..24',
  );
  invariant(Number.isSafeInteger(sp.ratioPercent) && sp.ratioPercent >= 100, 'spike.ratioPercent ≥ 100');
  invariant(Number.isSafeInteger(sp.minCount) && sp.minCount >= 1, 'spike.minCount ≥ 1');
  if (s.receivedDaysBack_max !== undefined)
    invariant(
      Number.isSafeInteger(s.receivedDaysBack_max) &&
        s.receivedDaysBack_max >= 0 &&
        s.receivedDaysBack_max <= 366,
      'receivedDaysBack_max must be a whole number 0..366',
    );
  return s;
}

// ---- the calendar -------------------------------------------------------------------------------------

/** The calendar with its listed days read once. */
export interface Calendar {
  isBusinessDay(day: Day): boolean;
}

export function compileCalendar(c: BusinessCalendar): Calendar {
  const holidays = new Set(c.holidays.map((d) => parseDate(d)));
  const workdays = new Set(c.workdays.map((d) => parseDate(d)));
  const weekend = new Set(c.weekendDays);
  return {
    isBusinessDay(day) {
      if (workdays.has(day)) return true;
      if (holidays.has(day)) return false;
      return !weekend.has(weekday(day));
    },
  };
}

/**
 * The deadline of a timer started on `start`: n business days later (the start itself not counted, so a
 * complaint received on Friday with 1 business day is due on Monday), or n calendar days later moved to the
 * next business day when it falls on a day off (a calendar deadline never ends on a holiday).
 */
export function deadlineDay(start: Day, timer: SlaTimer, calendar: Calendar): Day {
  if (timer.dayKind === 'calendar') {
    let due = addDays(start, timer.days);
    while (!calendar.isBusinessDay(due)) due = addDays(due, 1);
    return due;
  }
  let due = start;
  let left = timer.days;
  while (left > 0) {
    due = addDays(due, 1);
    if (calendar.isBusinessDay(due)) left -= 1;
  }
  return due;
}

/** Days of `kind` after `from` up to and including `to` (negative when `to` is before `from`). */
function daysBetween(from: Day, to: Day, kind: SlaTimer['dayKind'], calendar: Calendar): number {
  if (kind === 'calendar') return to - from;
  const sign = to >= from ? 1 : -1;
  let n = 0;
  for (let d = from; d !== to; d = addDays(d, sign)) {
    const next = addDays(d, sign);
    if (calendar.isBusinessDay(sign > 0 ? next : d)) n += sign;
  }
  return n;
}

// ---- SLA state ----------------------------------------------------------------------------------------

export type SlaState = 'on_time' | 'due_soon' | 'overdue' | 'met' | 'missed';

export interface TimerState {
  readonly dueDate: string;
  readonly state: SlaState;
  /** Days of the timer's kind left until the deadline (negative once past); null once done. */
  readonly daysLeft: number | null;
}

export interface ComplaintSla {
  readonly acknowledge: TimerState;
  readonly resolve: TimerState;
  /** The worse of the two open timers, or of the two done ones: what a list shows. */
  readonly state: SlaState;
}

const SEVERITY: Readonly<Record<SlaState, number>> = {
  met: 0,
  on_time: 1,
  due_soon: 2,
  missed: 3,
  overdue: 4,
};

function timerState(
  start: Day,
  doneOn: Day | null,
  today: Day,
  timer: SlaTimer,
  settings: ComplaintSettings,
  calendar: Calendar,
): TimerState {
  const due = deadlineDay(start, timer, calendar);
  if (doneOn !== null) {
    return { dueDate: formatDate(due), state: doneOn <= due ? 'met' : 'missed', daysLeft: null };
  }
  const left = daysBetween(today, due, timer.dayKind, calendar);
  const state: SlaState = today > due ? 'overdue' : left <= settings.dueSoonDays ? 'due_soon' : 'on_time';
  return { dueDate: formatDate(due), state, daysLeft: left };
}

/**
 * Both timers of a complaint received on `receivedDay` as seen on business day `today`. A resolution also
 * acknowledges: a complaint resolved at once is acknowledged the same day.
 */
export function complaintSla(
  c: { receivedDay: Day; acknowledgedDay: Day | null; resolvedDay: Day | null },
  today: Day,
  settings: ComplaintSettings = DEFAULT_COMPLAINT_SETTINGS,
  calendar: Calendar = compileCalendar(settings.calendar),
): ComplaintSla {
  const acknowledgedDay = c.acknowledgedDay ?? c.resolvedDay;
  const acknowledge = timerState(
    c.receivedDay,
    acknowledgedDay,
    today,
    settings.acknowledge,
    settings,
    calendar,
  );
  const resolve = timerState(c.receivedDay, c.resolvedDay, today, settings.resolve, settings, calendar);
  const state = SEVERITY[acknowledge.state] >= SEVERITY[resolve.state] ? acknowledge.state : resolve.state;
  return { acknowledge, resolve, state };
}

// ---- the workflow -------------------------------------------------------------------------------------

export interface ComplaintIntake {
  readonly channel: ComplaintChannel;
  readonly category: ComplaintCategory;
  readonly summary: string;
  readonly receivedDay: Day;
  /** A regulator referral carries the regulator's reference (转办编号). */
  readonly regulatorReference: string | null;
}

const SUMMARY_MAX = 2000;

/** Checks a new complaint as a whole; throws CollectionsInputError naming the field. */
export function checkIntake(
  intake: ComplaintIntake,
  today: Day,
  receivedDaysBack_max: number = RECEIVED_DAYS_BACK_DEFAULT,
): ComplaintIntake {
  if (!COMPLAINT_CHANNELS.includes(intake.channel)) {
    throw new CollectionsInputError(
      'complaint_channel',
      'channel',
      `channel is one of ${COMPLAINT_CHANNELS.join(', ')}`,
    );
  }
  if (!COMPLAINT_CATEGORIES.includes(intake.category)) {
    throw new CollectionsInputError(
      'complaint_category',
      'category',
      `category is one of ${COMPLAINT_CATEGORIES.join(', ')}`,
    );
  }
  if (intake.summary.trim().length === 0 || intake.summary.length > SUMMARY_MAX) {
    throw new CollectionsInputError(
      'complaint_summary',
      'summary',
      `summary must say what the complaint is about, in 1 to ${SUMMARY_MAX} characters`,
    );
  }
  if (intake.receivedDay > today) {
    throw new CollectionsInputError(
      'complaint_received_ahead',
      'receivedAt',
      `a complaint is received on or before the business day ${formatDate(today)}, not after it`,
    );
  }
  if (intake.receivedDay < today - receivedDaysBack_max) {
    throw new CollectionsInputError(
      'complaint_received_too_early',
      'receivedAt',
      `a complaint is recorded within ${counted(receivedDaysBack_max, 'day')} of its receipt: the day of receipt is ${formatDate(today - receivedDaysBack_max)} or later (the business day is ${formatDate(today)})`,
    );
  }
  if (intake.channel === 'regulator_referral' && (intake.regulatorReference ?? '').trim() === '') {
    throw new CollectionsInputError(
      'complaint_reference_missing',
      'regulatorReference',
      "a regulator referral needs the regulator's reference number (转办编号)",
    );
  }
  return intake;
}

export type ComplaintAction = 'acknowledge' | 'resolve';

/** Which status an action moves a complaint from; a refusal says why. */
export function nextStatus(
  from: ComplaintStatus,
  action: ComplaintAction,
): { ok: true; status: ComplaintStatus } | { ok: false; message: string } {
  if (from === 'resolved') return { ok: false, message: 'the complaint is resolved already' };
  if (action === 'acknowledge') {
    return from === 'received'
      ? { ok: true, status: 'acknowledged' }
      : { ok: false, message: 'the complaint is acknowledged already' };
  }
  return { ok: true, status: 'resolved' };
}

// ---- what collection may do while a complaint is open ------------------------------------------------

export interface OpenComplaintFacts {
  readonly channel: ComplaintChannel;
  readonly category: ComplaintCategory;
}

/** The strictest effect of the borrower's open complaints on collection. */
export function collectionEffect(
  open: readonly OpenComplaintFacts[],
  settings: ComplaintSettings = DEFAULT_COMPLAINT_SETTINGS,
): CollectionWhileOpen {
  let effect: CollectionWhileOpen = 'continue';
  for (const c of open) {
    const e =
      c.channel === 'regulator_referral' && settings.regulatorReferralPauses
        ? 'pause'
        : settings.collectionWhileOpen[c.category];
    if (e === 'pause') return 'pause';
    if (e === 'limit') effect = 'limit';
  }
  return effect;
}

/**
 * Whether the borrower's open complaints stop an attempt on `channel`: the fact the contact rules read as
 * `complaintOpen` (rule `complaint_open`).
 */
export function complaintStopsContact(
  open: readonly OpenComplaintFacts[],
  channel: ContactChannel,
  settings: ComplaintSettings = DEFAULT_COMPLAINT_SETTINGS,
): boolean {
  const effect = collectionEffect(open, settings);
  if (effect === 'pause') return true;
  if (effect === 'limit') return !settings.limitedChannels.includes(channel);
  return false;
}

// ---- the reputation view ------------------------------------------------------------------------------

/** `YYYY-MM` of a day. */
export function monthOf(day: Day): string {
  const { year, month } = civilFromDay(day);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The months from `from` to `to` inclusive (`YYYY-MM`). */
export function monthsFromTo(from: string, to: string): string[] {
  const a = parseDate(`${from}-01`, 'from');
  const b = parseDate(`${to}-01`, 'to');
  const out: string[] = [];
  for (let d = a; d <= b; ) {
    out.push(monthOf(d));
    const { year, month } = civilFromDay(d);
    d = dayFromCivil(year, month, daysInMonth(year, month)) + 1;
  }
  return out;
}

export interface MonthActivity {
  readonly month: string;
  /** Borrowers with a loan outstanding at some point in the month. */
  readonly activeBorrowers: number;
}

export interface ComplaintCount {
  readonly month: string;
  readonly category: ComplaintCategory;
  readonly count: number;
}

export interface ReputationCell {
  readonly month: string;
  readonly category: ComplaintCategory | 'all';
  readonly count: number;
  /** Per 10,000 active borrowers, 2 decimals, half-up; null with no active borrowers. */
  readonly per10k: string | null;
  readonly spike: boolean;
}

export interface ReputationAlert {
  readonly month: string;
  readonly category: ComplaintCategory | 'all';
  readonly count: number;
  readonly per10k: string;
  /** The mean rate of the baseline months, or null when they had no complaints. */
  readonly baselinePer10k: string | null;
  readonly message: string;
}

export interface ReputationView {
  readonly months: readonly MonthActivity[];
  readonly cells: readonly ReputationCell[];
  readonly alerts: readonly ReputationAlert[];
  readonly rule: string;
}

/** A rate as an exact fraction count / active, scaled to per 10,000. */
interface Rate {
  readonly num: bigint;
  readonly den: bigint;
}

function per10kText(r: Rate): string {
  const hundredths = divideRounded(r.num * 10_000n * 100n, r.den, 'half-up');
  const whole = hundredths / 100n;
  const frac = (hundredths % 100n).toString().padStart(2, '0');
  return `${whole}.${frac}`;
}

/** The spike rule in words, as shown beside the alerts. */
export function spikeRuleText(rule: SpikeRule): string {
  return `a month spikes when at least ${counted(rule.minCount, 'complaint')} ${rule.minCount === 1 ? 'was' : 'were'} received and the rate per 10,000 active borrowers exceeds ${rule.ratioPercent}% of the mean rate of the ${counted(rule.baselineMonths, 'month')} before (with no complaints in those months, the count alone decides)`;
}

/**
 * Complaints per 10,000 active borrowers for each month and category (and all categories), with spikes
 * flagged under `rule`. `activity` must list every month of the view and the baseline months before it;
 * only months in `showMonths` are returned.
 */
export function reputationView(
  showMonths: readonly string[],
  activity: readonly MonthActivity[],
  counts: readonly ComplaintCount[],
  rule: SpikeRule = DEFAULT_COMPLAINT_SETTINGS.spike,
): ReputationView {
  const active = new Map(activity.map((a) => [a.month, a.activeBorrowers]));
  const count = new Map<string, number>();
  for (const c of counts) {
    for (const key of [`${c.month}|${c.category}`, `${c.month}|all`]) {
      count.set(key, (count.get(key) ?? 0) + c.count);
    }
  }
  const allMonths = [...active.keys()].sort();
  const rate = (month: string, category: string): Rate | null => {
    const a = active.get(month) ?? 0;
    return a === 0 ? null : { num: BigInt(count.get(`${month}|${category}`) ?? 0), den: BigInt(a) };
  };
  const cells: ReputationCell[] = [];
  const alerts: ReputationAlert[] = [];
  for (const month of showMonths) {
    const idx = allMonths.indexOf(month);
    const baseline = idx < 0 ? [] : allMonths.slice(Math.max(0, idx - rule.baselineMonths), idx);
    for (const category of [...COMPLAINT_CATEGORIES, 'all' as const]) {
      const n = count.get(`${month}|${category}`) ?? 0;
      const r = rate(month, category);
      let spike = false;
      let baselineText: string | null = null;
      if (r !== null && n >= rule.minCount) {
        // Mean of the baseline rates as one fraction: Σ(nᵢ/aᵢ) / k.
        let num = 0n;
        let den = 1n;
        for (const m of baseline) {
          const br = rate(m, category);
          if (br === null) continue;
          num = num * br.den + br.num * den;
          den *= br.den;
        }
        const k = BigInt(Math.max(1, baseline.length));
        if (num === 0n) spike = true;
        else {
          baselineText = per10kText({ num, den: den * k });
          // r.num/r.den > ratio/100 × num/(den·k)  ⇔  r.num·den·k·100 > ratio·num·r.den
          spike = r.num * den * k * 100n > BigInt(rule.ratioPercent) * num * r.den;
        }
      }
      const text = r === null ? null : per10kText(r);
      if (n > 0 || category === 'all') cells.push({ month, category, count: n, per10k: text, spike });
      if (spike && text !== null) {
        alerts.push({
          month,
          category,
          count: n,
          per10k: text,
          baselinePer10k: baselineText,
          message:
            baselineText === null
              ? `${counted(n, `${category} complaint`)} in ${month} (${text} per 10,000) with none in the ${counted(rule.baselineMonths, 'month')} before`
              : `${counted(n, `${category} complaint`)} in ${month}: ${text} per 10,000 against a mean of ${baselineText} over the ${counted(rule.baselineMonths, 'month')} before (over ${rule.ratioPercent}%)`,
        });
      }
    }
  }
  return {
    months: showMonths.map((m) => ({ month: m, activeBorrowers: active.get(m) ?? 0 })),
    cells,
    alerts,
    rule: spikeRuleText(rule),
  };
}
