import { addMonths, type Day, invariant } from '../money/index.js';

/**
 * Five-category asset classification (贷款五级分类, domain.md §4).
 *
 * Source: 商业银行金融资产风险分类办法 (CBIRC/PBOC Order 2023 No. 1, in force 2023-07-01): any overdue asset is at
 * least 关注; over 90 days at least 次级; over 270 days at least 可疑; over 360 days 损失. The credit-card rules
 * (商业银行信用卡业务监督管理办法, 2011) are stricter: 关注 1–90, 次级 91–120, 可疑 121–180, 损失 > 180 days.
 * Both are given as presets; the thresholds are settings.
 */
export type AssetClass =
  /** 正常 normal. */
  | 'normal'
  /** 关注 special mention. */
  | 'special-mention'
  /** 次级 substandard. */
  | 'substandard'
  /** 可疑 doubtful. */
  | 'doubtful'
  /** 损失 loss. */
  | 'loss';

export const ASSET_CLASSES: readonly AssetClass[] = [
  'normal',
  'special-mention',
  'substandard',
  'doubtful',
  'loss',
];

export function assetClassRank(value: AssetClass): number {
  return ASSET_CLASSES.indexOf(value);
}

/** The worse of two classes. */
export function worseClass(a: AssetClass, b: AssetClass): AssetClass {
  return assetClassRank(a) >= assetClassRank(b) ? a : b;
}

/** 不良 non-performing loan: 次级 + 可疑 + 损失. */
export function isNonPerforming(value: AssetClass): boolean {
  return assetClassRank(value) >= assetClassRank('substandard');
}

/**
 * DPD thresholds: an asset more than `…AboveDays` past due is at least that class. Special mention applies
 * from the first day overdue (above 0).
 */
export interface ClassificationSettings {
  readonly name: string;
  readonly specialMentionAboveDays: number;
  readonly substandardAboveDays: number;
  readonly doubtfulAboveDays: number;
  readonly lossAboveDays: number;
  /** Restructuring observation: at least this many consecutive repayment periods (2023 rules: 2). */
  readonly restructuringObservationPeriodsMin: number;
  /** Restructuring observation: at least this many months (2023 rules: 12). */
  readonly restructuringObservationMonthsMin: number;
}

/** 商业银行金融资产风险分类办法 (2023): the DPD floors and the rules for restructured assets (重组资产). */
export const BANKING_2023_CLASSIFICATION: ClassificationSettings = Object.freeze({
  name: 'banking-2023',
  specialMentionAboveDays: 0,
  substandardAboveDays: 90,
  doubtfulAboveDays: 270,
  lossAboveDays: 360,
  restructuringObservationPeriodsMin: 2,
  restructuringObservationMonthsMin: 12,
});

/** 商业银行信用卡业务监督管理办法 (2011): 关注 1–90, 次级 91–120, 可疑 121–180, 损失 > 180 DPD. */
export const CREDIT_CARD_2011_CLASSIFICATION: ClassificationSettings = Object.freeze({
  ...BANKING_2023_CLASSIFICATION,
  name: 'credit-card-2011',
  substandardAboveDays: 90,
  doubtfulAboveDays: 120,
  lossAboveDays: 180,
});

export const DEFAULT_CLASSIFICATION_SETTINGS = BANKING_2023_CLASSIFICATION;

/** The least severe class an asset this many days past due may have. */
export function classByDaysPastDue(
  daysPastDue: number,
  settings: ClassificationSettings = DEFAULT_CLASSIFICATION_SETTINGS,
): AssetClass {
  invariant(Number.isInteger(daysPastDue) && daysPastDue >= 0, 'days past due must be a whole number ≥ 0');
  if (daysPastDue > settings.lossAboveDays) return 'loss';
  if (daysPastDue > settings.doubtfulAboveDays) return 'doubtful';
  if (daysPastDue > settings.substandardAboveDays) return 'substandard';
  if (daysPastDue > settings.specialMentionAboveDays) return 'special-mention';
  return 'normal';
}

/** The first DPD at which each class applies (normal → 0, special mention → 1, substandard → 91, …). */
export function firstDaysPastDueOfClass(
  value: AssetClass,
  settings: ClassificationSettings = DEFAULT_CLASSIFICATION_SETTINGS,
): number {
  switch (value) {
    case 'normal':
      return 0;
    case 'special-mention':
      return settings.specialMentionAboveDays + 1;
    case 'substandard':
      return settings.substandardAboveDays + 1;
    case 'doubtful':
      return settings.doubtfulAboveDays + 1;
    case 'loss':
      return settings.lossAboveDays + 1;
  }
}

/** A restructuring (重组) of the asset: the contract was changed because the borrower was in difficulty. */
export interface Restructuring {
  /** Day the changed contract took effect. */
  readonly day: Day;
  /** Due dates of the changed contract, in order. */
  readonly dueDays: readonly Day[];
}

export interface RestructuringFacts {
  /** All restructurings of the asset, oldest first. */
  readonly restructurings: readonly Restructuring[];
  /** The asset was non-performing (次级 or worse) when first restructured. */
  readonly nonPerformingBeforeRestructuring: boolean;
  /** Due dates on which the borrower did not pay in full and on time. */
  readonly missedDueDays: readonly Day[];
}

export interface RestructuringObservation {
  /** The first repayment date after the change: the observation period starts here. */
  readonly startDay: Day;
  /**
   * The last day of observation: the later of the due date that closes the required consecutive repayment
   * periods and start + 12 months. Null when the schedule has too few due dates to close the periods.
   */
  readonly endDay: Day | null;
}

/**
 * The observation period of a restructuring (2023 rules, 重组观察期): from the first repayment date after the
 * change, covering at least 2 consecutive repayment periods and at least 1 year. The periods counted are those
 * that follow the first repayment date: with monthly due dates d1, d2, d3 … they end on d3.
 */
export function restructuringObservation(
  restructuring: Restructuring,
  settings: ClassificationSettings = DEFAULT_CLASSIFICATION_SETTINGS,
): RestructuringObservation | null {
  const after = restructuring.dueDays.filter((d) => d > restructuring.day);
  const startDay = after[0];
  if (startDay === undefined) return null;
  const periodsEnd = after[settings.restructuringObservationPeriodsMin];
  const yearEnd = addMonths(startDay, settings.restructuringObservationMonthsMin);
  return { startDay, endDay: periodsEnd === undefined ? null : Math.max(periodsEnd, yearEnd) };
}

export interface RestructuringAssessment {
  readonly observation: RestructuringObservation | null;
  /** True when `asOfDay` is inside the latest restructuring's observation period (from the change on). */
  readonly inObservation: boolean;
  /** The least severe class the restructuring allows on `asOfDay`. */
  readonly floor: AssetClass;
  /** Why, as stable codes: `restructured`, `non-performing-before`, `missed-in-observation`, `restructured-again`. */
  readonly reasons: readonly string[];
}

/**
 * The class floor a restructuring sets (2023 rules on 重组资产): at least 关注 from the change until its
 * observation period ends; at least 次级 (non-performing) when it was non-performing before, or when during
 * observation a payment is missed or the asset is restructured again. After a clean observation period the
 * restructuring sets no floor.
 */
export function assessRestructuring(
  facts: RestructuringFacts,
  asOfDay: Day,
  settings: ClassificationSettings = DEFAULT_CLASSIFICATION_SETTINGS,
): RestructuringAssessment {
  const done = facts.restructurings.filter((r) => r.day <= asOfDay);
  const latest = done[done.length - 1];
  if (latest === undefined) return { observation: null, inObservation: false, floor: 'normal', reasons: [] };
  const first = done[0] as Restructuring;
  const firstObservation = restructuringObservation(first, settings);
  const observation = restructuringObservation(latest, settings);
  const inObservation = observation === null || observation.endDay === null || asOfDay <= observation.endDay;
  const reasons: string[] = [];
  if (!inObservation) return { observation, inObservation, floor: 'normal', reasons };
  reasons.push('restructured');
  let floor: AssetClass = 'special-mention';
  if (facts.nonPerformingBeforeRestructuring) {
    reasons.push('non-performing-before');
    floor = 'substandard';
  }
  // A second restructuring that happens while the first is under observation.
  const firstEnd = firstObservation?.endDay ?? null;
  if (done.length > 1 && (firstEnd === null || (done[1] as Restructuring).day <= firstEnd)) {
    reasons.push('restructured-again');
    floor = 'substandard';
  }
  const from = observation?.startDay ?? latest.day;
  if (facts.missedDueDays.some((d) => d >= from && d <= asOfDay)) {
    reasons.push('missed-in-observation');
    floor = 'substandard';
  }
  return { observation, inObservation, floor, reasons };
}

export interface ClassificationInput {
  readonly daysPastDue: number;
  /** A worse class from the lender's judgement (repayment ability, other debts), if any. */
  readonly judgedClass?: AssetClass;
  readonly restructuring?: RestructuringFacts;
}

export interface Classification {
  readonly assetClass: AssetClass;
  readonly nonPerforming: boolean;
  /** The DPD floor, the judgement and the restructuring floor that produced the class. */
  readonly byDaysPastDue: AssetClass;
  readonly restructuring: RestructuringAssessment | null;
}

/** The class on `asOfDay`: the worst of the DPD floor, the lender's judgement and any restructuring floor. */
export function classifyAsset(
  input: ClassificationInput,
  asOfDay: Day,
  settings: ClassificationSettings = DEFAULT_CLASSIFICATION_SETTINGS,
): Classification {
  const byDaysPastDue = classByDaysPastDue(input.daysPastDue, settings);
  let assetClass = byDaysPastDue;
  if (input.judgedClass !== undefined) assetClass = worseClass(assetClass, input.judgedClass);
  const restructuring =
    input.restructuring === undefined ? null : assessRestructuring(input.restructuring, asOfDay, settings);
  if (restructuring !== null) assetClass = worseClass(assetClass, restructuring.floor);
  return { assetClass, nonPerforming: isNonPerforming(assetClass), byDaysPastDue, restructuring };
}
