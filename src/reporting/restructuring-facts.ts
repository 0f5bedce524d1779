import type { CaseRestructuring } from '../collections/index.js';
import type { LoanState } from '../ledger/index.js';
import type { Day } from '../money/index.js';
import {
  assessRestructuring,
  type Classification,
  type ClassificationSettings,
  classByDaysPastDue,
  classifyAsset,
  DEFAULT_CLASSIFICATION_SETTINGS,
  isNonPerforming,
  type RestructuringFacts,
} from './classification.js';

/**
 * The facts of the 2023 classification rules on restructured assets, read from a loan's state: its
 * restructurings (day and the new plan's due dates), whether it was non-performing when first restructured
 * (from its days past due then, by the lender's classification settings), and the restructured instalments it
 * missed. Undefined for a loan never restructured (relief-programme deferrals do not count).
 */
export function restructuringFactsOf(
  state: LoanState,
  settings: ClassificationSettings = DEFAULT_CLASSIFICATION_SETTINGS,
): RestructuringFacts | undefined {
  const r = state.restructuring;
  // A relief-programme deferral is reported per the adjusted plan and is no restructuring (domain.md §12).
  const records = r?.records.filter((x) => x.relief !== true) ?? [];
  const first = records[0];
  if (r === undefined || first === undefined) return undefined;
  return {
    restructurings: records.map((x) => ({ day: x.day, dueDays: x.dueDays })),
    nonPerformingBeforeRestructuring: isNonPerforming(classByDaysPastDue(first.daysPastDueBefore, settings)),
    missedDueDays: r.missedDueDays,
  };
}

/**
 * A loan's five-category class on `asOfDay` with its restructuring floor: the worse of days past due and,
 * during observation, at least 关注 (次级 when it was non-performing before, missed an instalment or was
 * restructured again). A broken plan is a missed one: it keeps the floor the misses set.
 */
export function classifyLoan(
  state: LoanState,
  daysPastDue: number,
  asOfDay: Day,
  settings: ClassificationSettings = DEFAULT_CLASSIFICATION_SETTINGS,
): Classification {
  const restructuring = restructuringFactsOf(state, settings);
  return classifyAsset(
    { daysPastDue, ...(restructuring === undefined ? {} : { restructuring }) },
    asOfDay,
    settings,
  );
}

/**
 * A loan's latest restructuring as a collection case follows it on `day`: its day and whether `day` is inside
 * its observation period (重组观察期) by the classification rules, with the period's end. Undefined for a loan
 * never restructured (relief-programme deferrals do not count).
 */
export function caseRestructuringOf(
  state: LoanState,
  day: Day,
  settings: ClassificationSettings = DEFAULT_CLASSIFICATION_SETTINGS,
): CaseRestructuring | undefined {
  const facts = restructuringFactsOf(state, settings);
  const latest = facts?.restructurings.filter((r) => r.day <= day).at(-1);
  if (facts === undefined || latest === undefined) return undefined;
  const assessment = assessRestructuring(facts, day, settings);
  return {
    day: latest.day,
    inObservation: assessment.inObservation,
    observationEndDay: assessment.observation?.endDay ?? null,
  };
}
