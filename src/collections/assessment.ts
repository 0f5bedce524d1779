import type { Day } from '../money/index.js';
import type { ContactOutcome, ContactParty } from './contact-rules.js';

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
  /** Recorded vulnerabilities (from hardship causes), sorted and distinct. */
  readonly vulnerabilities: readonly string[];
}

export interface AssessmentSettings {
  /** Points a side needs, and more than the other side, for a verdict. */
  readonly verdictPointsMin: number;
  /** Income below this multiple of the monthly instalments reads as unable (percent, 100 = equal). */
  readonly incomeShortfall_pct: number;
  /** From this many days past due, no payment and no answer reads as evasion. */
  readonly silentFromDaysPastDue: number;
}

export const DEFAULT_ASSESSMENT_SETTINGS: AssessmentSettings = Object.freeze({
  verdictPointsMin: 3,
  incomeShortfall_pct: 200,
  silentFromDaysPastDue: 30,
});

/** Reads the evidence. The same evidence always gives the same verdict and reasons. */
export function assessCase(
  e: AssessmentEvidence,
  settings: AssessmentSettings = DEFAULT_ASSESSMENT_SETTINGS,
): Assessment {
  const reasons: AssessmentReason[] = [];
  const add = (side: AssessmentReason['side'], code: string, points: number, text: string, seen: string) =>
    reasons.push({ code, side, points, text, seen });

  const causes = [...new Set(e.hardships.map((h) => h.cause))].sort();
  if (causes.length > 0)
    add('inability', 'AS_HARDSHIP', 3, 'a hardship application is on file', causes.join(', '));
  const income = e.verifiedMonthlyIncomeMinor;
  if (income !== null) {
    // Income that does not cover the instalments with room to live reads as inability; ample income with
    // nothing paid reads as unwillingness.
    if (income * 100 < e.monthlyInstallmentMinor * settings.incomeShortfall_pct)
      add(
        'inability',
        'AS_INCOME_SHORT',
        2,
        'verified income is short of the instalments',
        `${income} fen a month`,
      );
    else if (e.paidSinceOpenMinor === 0)
      add(
        'unwillingness',
        'AS_INCOME_AMPLE_NO_PAYMENT',
        2,
        'verified income covers the instalments, yet nothing was paid',
        `${income} fen a month`,
      );
  }
  const borrower = e.contacts.filter((c) => c.allowed && c.party === 'borrower');
  const answered = borrower.filter((c) => c.outcome === 'answered' || c.outcome === 'promise').length;
  const refused = borrower.filter((c) => c.outcome === 'refused').length;
  const wrong = borrower.filter((c) => c.outcome === 'wrong-number').length;
  if (answered > 0) add('inability', 'AS_RESPONSIVE', 1, 'the borrower answers', `${answered} answered`);
  if (refused > 0)
    add('unwillingness', 'AS_REFUSES', 2, 'the borrower refuses to pay or hangs up', `${refused} refused`);
  if (wrong >= 2)
    add(
      'unwillingness',
      'AS_NUMBER_DEAD',
      1,
      'the borrower’s number is repeatedly wrong',
      `${wrong} wrong numbers`,
    );
  if (e.paidSinceOpenMinor > 0)
    add(
      'inability',
      'AS_PAYS_PART',
      2,
      'the borrower pays what they can',
      `${e.paidSinceOpenMinor} fen paid`,
    );
  if (e.promisesKept > 0) add('inability', 'AS_PROMISE_KEPT', 1, 'promises kept', `${e.promisesKept} kept`);
  if (e.promisesBroken >= 2)
    add('unwillingness', 'AS_PROMISES_BROKEN', 2, 'promises repeatedly broken', `${e.promisesBroken} broken`);
  else if (e.promisesBroken === 1)
    add('unwillingness', 'AS_PROMISE_BROKEN', 1, 'a promise was broken', '1 broken');
  if (e.lostContact)
    add('unwillingness', 'AS_LOST_CONTACT', 2, 'the borrower cannot be reached (失联)', 'lost contact');
  if (e.evasionSigns.length > 0)
    add(
      'unwillingness',
      'AS_EVASION',
      3,
      'signs of evasion are recorded',
      [...e.evasionSigns].sort().join('; '),
    );
  if (e.maxDaysPastDue >= settings.silentFromDaysPastDue && e.paidSinceOpenMinor === 0 && answered === 0)
    add(
      'unwillingness',
      'AS_SILENT',
      2,
      'long past due with neither a payment nor an answer',
      `${e.maxDaysPastDue} days past due`,
    );

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
    vulnerabilities: causes.filter((c) => VULNERABLE_CAUSES.includes(c as HardshipCause)),
  };
}
