import { counted, type Day, formatDate } from '../money/index.js';
import type { ContactOutcome, ContactParty } from './contact-rules.js';
import { type DrawdownHistory, drawdownFacts, readDrawdowns } from './drawdown-pattern.js';

/**
 * Ability or willingness to pay (还款能力 vs 还款意愿): a reading of the evidence on a case that routes it —
 * a borrower who cannot pay is offered a negotiated plan (协商分期) or relief; one who will not (恶意逾期) goes
 * to legal review. Every point of evidence that moved the verdict is a reason with the value seen, so a
 * person can read why and override it with a note. Pure: the evidence comes in.
 */
export type AssessmentVerdict = 'inability' | 'unwillingness' | 'undetermined';
export const ASSESSMENT_VERDICTS: readonly AssessmentVerdict[] = [
  'inability',
  'unwillingness',
  'undetermined',
];

/** Causes a hardship application may give; the first three make the borrower vulnerable. */
export const HARDSHIP_CAUSES = [
  'illness',
  'disaster',
  'shock-industry',
  'unemployment',
  'business-failure',
  'other',
] as const;
export type HardshipCause = (typeof HARDSHIP_CAUSES)[number];
export const VULNERABLE_CAUSES: readonly HardshipCause[] = ['illness', 'disaster', 'shock-industry'];

export interface AssessmentEvidence {
  /** Hardship applications (困难申请) recorded on the case, by cause. */
  readonly hardships: readonly { readonly cause: HardshipCause; readonly day: Day }[];
  /** Latest verified monthly income, fen; null when none was evidenced. */
  readonly verifiedMonthlyIncomeMinor: number | null;
  /** What the borrower's loans ask each month (the scheduled instalments), fen. */
  readonly monthlyInstallmentMinor: number;
  /** The case's contact log (allowed attempts only count). */
  readonly contacts: readonly {
    readonly party: ContactParty;
    readonly outcome: ContactOutcome;
    readonly allowed: boolean;
  }[];
  readonly promisesKept: number;
  readonly promisesBroken: number;
  /** Repaid on the borrower's loans since the case opened, fen. */
  readonly paidSinceOpenMinor: number;
  readonly overdueMinor: number;
  readonly maxDaysPastDue: number;
  readonly lostContact: boolean;
  /** Signs of evasion a person recorded (e.g. moved without notice, transferred assets). */
  readonly evasionSigns: readonly string[];
  /**
   * The borrower's industry is on the lender's shock list in force on the day (李四's catering in a pandemic):
   * vulnerable (`shock-industry`) without a hardship application. Absent is false.
   */
  readonly industryShocked?: boolean;
  /**
   * The borrower's drawdowns before (and after) the first missed due date, and the lines' limit then; absent or
   * null when not read (no due date missed, no line), and then no drawdown reason is given.
   */
  readonly drawdowns?: DrawdownHistory | null;
}

export interface AssessmentReason {
  readonly code: string;
  readonly side: 'inability' | 'unwillingness';
  readonly points: number;
  readonly text: string;
  /** The value seen, as text. */
  readonly seen: string;
}

export interface Assessment {
  readonly verdict: AssessmentVerdict;
  readonly inabilityPoints: number;
  readonly unwillingnessPoints: number;
  readonly reasons: readonly AssessmentReason[];
  /** Vulnerabilities (from hardship causes, and the shock list for the borrower's industry), sorted and distinct. */
  readonly vulnerabilities: readonly string[];
}

/** Points each reading of the evidence gives its side (decision 0712; a versioned document, decision 0717). */
export interface AssessmentPoints {
  /** Inability: a hardship application is on file. */
  readonly hardship: number;
  /** Inability: verified income is short of the instalments. */
  readonly incomeShort: number;
  /** Inability: the borrower answers. */
  readonly responsive: number;
  /** Inability: the borrower pays what they can. */
  readonly paysPart: number;
  /** Inability: a promise was kept. */
  readonly promiseKept: number;
  /** Unwillingness: ample verified income, nothing paid. */
  readonly incomeAmpleNoPayment: number;
  /** Unwillingness: the borrower refuses or hangs up. */
  readonly refuses: number;
  /** Unwillingness: the number is repeatedly wrong. */
  readonly numberDead: number;
  /** Unwillingness: one promise broken. */
  readonly promiseBroken: number;
  /** Unwillingness: promises repeatedly broken. */
  readonly promisesBroken: number;
  /** Unwillingness: lost contact (失联). */
  readonly lostContact: number;
  /** Unwillingness: signs of evasion recorded. */
  readonly evasion: number;
  /** Unwillingness: long past due, silent and unpaid. */
  readonly silent: number;
  /** Unwillingness: the line drawn to near full just before the first missed due date (bust-out). */
  readonly bustOut: number;
  /** Unwillingness: heavy or frequent draws just before the first missed due date, without a steady history. */
  readonly drawnBeforeDefault: number;
  /** Unwillingness: a draw after the first missed due date. */
  readonly drawAfterMissed: number;
}

export const ASSESSMENT_POINT_KEYS = [
  'hardship',
  'incomeShort',
  'responsive',
  'paysPart',
  'promiseKept',
  'incomeAmpleNoPayment',
  'refuses',
  'numberDead',
  'promiseBroken',
  'promisesBroken',
  'lostContact',
  'evasion',
  'silent',
  'bustOut',
  'drawnBeforeDefault',
  'drawAfterMissed',
] as const satisfies readonly (keyof AssessmentPoints)[];

export interface AssessmentSettings {
  /** Points a side needs, and more than the other side, for a verdict. */
  readonly verdictPointsMin: number;
  /** Income below this multiple of the monthly instalments reads as unable (percent, 100 = equal). */
  readonly incomeShortfall_pct: number;
  /** From this many days past due, no payment and no answer reads as evasion. */
  readonly silentFromDaysPastDue: number;
  /** Wrong numbers from which the number reads as dead. */
  readonly wrongNumbersMin: number;
  /** Broken promises from which they read as repeatedly broken. */
  readonly promisesBrokenRepeatedMin: number;
  /** Days up to and including the first missed due date whose drawdowns are read as "before default". */
  readonly drawdownWindowDays: number;
  /** Used share of the limit at the close of the first missed due date that reads as near full, percent. */
  readonly bustOutUsed_pct: number;
  /** Share of the limit drawn in the window from which the draws read as heavy, percent. */
  readonly windowDrawn_pct: number;
  /** Draws in the window from which they read as frequent. */
  readonly windowDrawsMin: number;
  /** A history of draws this long before the first missed due date reads as steady (neutral) … */
  readonly steadyHistoryDays: number;
  /** … with at least this many draws before the window. */
  readonly steadyDrawsMin: number;
  readonly points: AssessmentPoints;
}

/** The shipped weights: the default version (`shipped`) while no other is published. */
export const DEFAULT_ASSESSMENT_SETTINGS: AssessmentSettings = Object.freeze({
  verdictPointsMin: 3,
  incomeShortfall_pct: 200,
  silentFromDaysPastDue: 30,
  wrongNumbersMin: 2,
  promisesBrokenRepeatedMin: 2,
  drawdownWindowDays: 30,
  bustOutUsed_pct: 90,
  windowDrawn_pct: 50,
  windowDrawsMin: 3,
  steadyHistoryDays: 180,
  steadyDrawsMin: 3,
  points: Object.freeze({
    hardship: 3,
    incomeShort: 2,
    responsive: 1,
    paysPart: 2,
    promiseKept: 1,
    incomeAmpleNoPayment: 2,
    refuses: 2,
    numberDead: 1,
    promiseBroken: 1,
    promisesBroken: 2,
    lostContact: 2,
    evasion: 3,
    silent: 2,
    bustOut: 3,
    drawnBeforeDefault: 1,
    drawAfterMissed: 2,
  }),
});

/** The settings and points of the drawdown evidence, added after the first weights documents were published. */
const DRAWDOWN_SETTING_KEYS = [
  'drawdownWindowDays',
  'bustOutUsed_pct',
  'windowDrawn_pct',
  'windowDrawsMin',
  'steadyHistoryDays',
  'steadyDrawsMin',
] as const;
const DRAWDOWN_POINT_KEYS = ['bustOut', 'drawnBeforeDefault', 'drawAfterMissed'] as const;

/** Named bounds of a weights document. */
export const ASSESSMENT_POINTS_MAX = 20;
const BOUNDS = {
  verdictPointsMin: [1, 100],
  incomeShortfall_pct: [1, 1000],
  silentFromDaysPastDue: [1, 365],
  wrongNumbersMin: [1, 50],
  promisesBrokenRepeatedMin: [2, 50],
  drawdownWindowDays: [1, 365],
  bustOutUsed_pct: [1, 100],
  windowDrawn_pct: [1, 100],
  windowDrawsMin: [1, 100],
  steadyHistoryDays: [1, 3650],
  steadyDrawsMin: [1, 100],
} as const;

/** A weights document that cannot be used, with each problem by path. */
export class AssessmentWeightsError extends Error {
  constructor(
    message: string,
    readonly issues: readonly { readonly path: string; readonly message: string }[],
  ) {
    super(message);
    this.name = 'AssessmentWeightsError';
  }
}

/**
 * Reads a stored weights document. One published before the drawdown evidence existed keeps meaning what it
 * was approved to mean: its missing drawdown thresholds take the shipped values and its missing drawdown
 * points are 0 — the facts are shown on the case, weighed only from a version that weighs them.
 */
export function readStoredAssessmentWeights(doc: unknown): AssessmentSettings {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return checkAssessmentWeights(doc);
  const d = doc as Record<string, unknown>;
  const filled: Record<string, unknown> = { ...d };
  for (const k of DRAWDOWN_SETTING_KEYS) if (!(k in d)) filled[k] = DEFAULT_ASSESSMENT_SETTINGS[k];
  const points = d.points;
  if (typeof points === 'object' && points !== null && !Array.isArray(points)) {
    const p: Record<string, unknown> = { ...(points as Record<string, unknown>) };
    for (const k of DRAWDOWN_POINT_KEYS) if (!(k in p)) p[k] = 0;
    filled.points = p;
  }
  return checkAssessmentWeights(filled);
}

/**
 * Reads a weights document (the shape of AssessmentSettings: every field, whole numbers within bounds, no
 * others); throws AssessmentWeightsError with every issue by path.
 */
export function checkAssessmentWeights(doc: unknown): AssessmentSettings {
  const issues: { path: string; message: string }[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const whole = (path: string, v: unknown, min: number, max: number) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
      issues.push({ path, message: `must be a whole number ${min} … ${max}; got ${JSON.stringify(v)}` });
  };
  if (!isObj(doc))
    throw new AssessmentWeightsError('the weights must be an object', [
      { path: '', message: 'must be an object with the thresholds and "points"' },
    ]);
  for (const [key, [min, max]] of Object.entries(BOUNDS)) whole(`/${key}`, doc[key], min, max);
  const points = doc.points;
  if (!isObj(points)) issues.push({ path: '/points', message: 'must be an object of points per reading' });
  else {
    for (const key of ASSESSMENT_POINT_KEYS) whole(`/points/${key}`, points[key], 0, ASSESSMENT_POINTS_MAX);
    for (const key of Object.keys(points))
      if (!(ASSESSMENT_POINT_KEYS as readonly string[]).includes(key))
        issues.push({
          path: `/points/${key}`,
          message: `is not a reading; use ${ASSESSMENT_POINT_KEYS.join(', ')}`,
        });
  }
  for (const key of Object.keys(doc))
    if (key !== 'points' && !(key in BOUNDS))
      issues.push({
        path: `/${key}`,
        message: `is not a setting; use ${Object.keys(BOUNDS).join(', ')}, points`,
      });
  if (issues.length > 0)
    throw new AssessmentWeightsError(
      `the weights are invalid: ${issues[0]!.path} ${issues[0]!.message}`,
      issues,
    );
  const p = points as Record<string, number>;
  return {
    verdictPointsMin: doc.verdictPointsMin as number,
    incomeShortfall_pct: doc.incomeShortfall_pct as number,
    silentFromDaysPastDue: doc.silentFromDaysPastDue as number,
    wrongNumbersMin: doc.wrongNumbersMin as number,
    promisesBrokenRepeatedMin: doc.promisesBrokenRepeatedMin as number,
    drawdownWindowDays: doc.drawdownWindowDays as number,
    bustOutUsed_pct: doc.bustOutUsed_pct as number,
    windowDrawn_pct: doc.windowDrawn_pct as number,
    windowDrawsMin: doc.windowDrawsMin as number,
    steadyHistoryDays: doc.steadyHistoryDays as number,
    steadyDrawsMin: doc.steadyDrawsMin as number,
    points: Object.fromEntries(ASSESSMENT_POINT_KEYS.map((k) => [k, p[k]!])) as unknown as AssessmentPoints,
  };
}

/** Reads the evidence. The same evidence always gives the same verdict and reasons. */
export function assessCase(
  e: AssessmentEvidence,
  settings: AssessmentSettings = DEFAULT_ASSESSMENT_SETTINGS,
): Assessment {
  const reasons: AssessmentReason[] = [];
  const w = settings.points;
  const add = (side: AssessmentReason['side'], code: string, points: number, text: string, seen: string) =>
    reasons.push({ code, side, points, text, seen });

  const causes = [...new Set(e.hardships.map((h) => h.cause))].sort();
  if (causes.length > 0)
    add('inability', 'AS_HARDSHIP', w.hardship, 'a hardship application is on file', causes.join(', '));
  const income = e.verifiedMonthlyIncomeMinor;
  if (income !== null) {
    // Income that does not cover the instalments with room to live reads as inability; ample income with
    // nothing paid reads as unwillingness.
    if (income * 100 < e.monthlyInstallmentMinor * settings.incomeShortfall_pct)
      add(
        'inability',
        'AS_INCOME_SHORT',
        w.incomeShort,
        'verified income is short of the instalments',
        `${income} fen a month`,
      );
    else if (e.paidSinceOpenMinor === 0)
      add(
        'unwillingness',
        'AS_INCOME_AMPLE_NO_PAYMENT',
        w.incomeAmpleNoPayment,
        'verified income covers the instalments, yet nothing was paid',
        `${income} fen a month`,
      );
  }
  const borrower = e.contacts.filter((c) => c.allowed && c.party === 'borrower');
  const answered = borrower.filter((c) => c.outcome === 'answered' || c.outcome === 'promise').length;
  const refused = borrower.filter((c) => c.outcome === 'refused').length;
  const wrong = borrower.filter((c) => c.outcome === 'wrong-number').length;
  if (answered > 0)
    add('inability', 'AS_RESPONSIVE', w.responsive, 'the borrower answers', `${answered} answered`);
  if (refused > 0)
    add(
      'unwillingness',
      'AS_REFUSES',
      w.refuses,
      'the borrower refuses to pay or hangs up',
      `${refused} refused`,
    );
  if (wrong >= settings.wrongNumbersMin)
    add(
      'unwillingness',
      'AS_NUMBER_DEAD',
      w.numberDead,
      'the borrower’s number is repeatedly wrong',
      counted(wrong, 'wrong number'),
    );
  if (e.paidSinceOpenMinor > 0)
    add(
      'inability',
      'AS_PAYS_PART',
      w.paysPart,
      'the borrower pays what they can',
      `${e.paidSinceOpenMinor} fen paid`,
    );
  if (e.promisesKept > 0)
    add('inability', 'AS_PROMISE_KEPT', w.promiseKept, 'promises kept', `${e.promisesKept} kept`);
  if (e.promisesBroken >= settings.promisesBrokenRepeatedMin)
    add(
      'unwillingness',
      'AS_PROMISES_BROKEN',
      w.promisesBroken,
      'promises repeatedly broken',
      `${e.promisesBroken} broken`,
    );
  else if (e.promisesBroken >= 1)
    add(
      'unwillingness',
      'AS_PROMISE_BROKEN',
      w.promiseBroken,
      'a promise was broken',
      `${e.promisesBroken} broken`,
    );
  if (e.lostContact)
    add(
      'unwillingness',
      'AS_LOST_CONTACT',
      w.lostContact,
      'the borrower cannot be reached (失联)',
      'lost contact',
    );
  if (e.evasionSigns.length > 0)
    add(
      'unwillingness',
      'AS_EVASION',
      w.evasion,
      'signs of evasion are recorded',
      [...e.evasionSigns].sort().join('; '),
    );
  if (e.maxDaysPastDue >= settings.silentFromDaysPastDue && e.paidSinceOpenMinor === 0 && answered === 0)
    add(
      'unwillingness',
      'AS_SILENT',
      w.silent,
      'long past due with neither a payment nor an answer',
      `${counted(e.maxDaysPastDue, 'day')} past due`,
    );
  if (e.drawdowns != null) {
    // Drawdown and spending pattern before default: a line drawn to near full just before the borrower stopped
    // paying reads as unwillingness (or fraud); a long, steady history of use reads as neither.
    const f = drawdownFacts(e.drawdowns, settings.drawdownWindowDays);
    const read = readDrawdowns(f, settings);
    const pct = (bp: number) => `${Math.floor(bp / 100)}%`;
    const missed = formatDate(f.firstMissedDueDay);
    const windowSeen = `${pct(f.windowDrawn_bp)} of the ${f.limitMinor} fen limit drawn in ${counted(f.windowDraws, 'draw')} in the ${counted(f.windowDays, 'day')} to ${missed}`;
    if (read.bustOut)
      add(
        'unwillingness',
        'AS_BUST_OUT',
        w.bustOut,
        'the line was drawn to near full just before the first missed payment',
        `${windowSeen}; ${pct(f.usedOnMissedDay_bp)} used on ${missed}`,
      );
    else if (read.drawnBeforeDefault)
      add(
        'unwillingness',
        'AS_DRAWN_BEFORE_DEFAULT',
        w.drawnBeforeDefault,
        'heavy or frequent draws just before the first missed payment, without a steady history',
        windowSeen,
      );
    if (read.drawAfterMissed)
      add(
        'unwillingness',
        'AS_DRAW_AFTER_MISSED',
        w.drawAfterMissed,
        'the line was drawn after the first missed payment',
        `${counted(f.drawsAfterMissed, 'draw')} after ${missed}`,
      );
  }

  const sum = (side: AssessmentReason['side']) =>
    reasons.filter((r) => r.side === side).reduce((s, r) => s + r.points, 0);
  const inability = sum('inability');
  const unwillingness = sum('unwillingness');
  const min = settings.verdictPointsMin;
  const verdict: AssessmentVerdict =
    inability >= min && inability > unwillingness
      ? 'inability'
      : unwillingness >= min && unwillingness > inability
        ? 'unwillingness'
        : 'undetermined';
  return {
    verdict,
    inabilityPoints: inability,
    unwillingnessPoints: unwillingness,
    reasons,
    vulnerabilities: [
      ...new Set([
        ...causes.filter((c) => VULNERABLE_CAUSES.includes(c as HardshipCause)),
        ...(e.industryShocked === true ? ['shock-industry'] : []),
      ]),
    ].sort(),
  };
}
