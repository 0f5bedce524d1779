import {
  type CollectionStage,
  DEFAULT_COLLECTION_STAGES,
  DEFAULT_LIMITATION_SETTINGS,
  type LimitationSettings,
  limitationPeriod,
} from '../collections/index.js';
import {
  BUCKETS,
  bucketForDaysPastDue,
  DEFAULT_DELINQUENCY_SETTINGS,
  type DelinquencySettings,
  firstDaysPastDueOfBucket,
} from '../ledger/index.js';
import { type Day, invariant } from '../money/index.js';
import {
  ASSET_CLASSES,
  type ClassificationSettings,
  DEFAULT_CLASSIFICATION_SETTINGS,
  firstDaysPastDueOfClass,
} from './classification.js';
import {
  DEFAULT_NEGATIVE_INFORMATION_SETTINGS,
  firstNegativeReportingDay,
  type NegativeInformationSettings,
  negativeNoticeDeadline,
  negativeRecordRetentionEnd,
  negativeSubmissionDay,
  statusCodeForBucket,
} from './credit-report.js';
import { DEFAULT_IFRS9_SETTINGS, firstDaysPastDueOfStage, type Ifrs9Settings } from './ifrs9.js';

/** Every setting the overdue milestones depend on; each defaults to the domain.md value. */
export interface ImpactSettings {
  readonly delinquency: DelinquencySettings;
  readonly classification: ClassificationSettings;
  readonly ifrs9: Ifrs9Settings;
  readonly negativeInformation: NegativeInformationSettings;
  readonly limitation: LimitationSettings;
  readonly collectionStages: readonly CollectionStage[];
}

export const DEFAULT_IMPACT_SETTINGS: ImpactSettings = Object.freeze({
  delinquency: DEFAULT_DELINQUENCY_SETTINGS,
  classification: DEFAULT_CLASSIFICATION_SETTINGS,
  ifrs9: DEFAULT_IFRS9_SETTINGS,
  negativeInformation: DEFAULT_NEGATIVE_INFORMATION_SETTINGS,
  limitation: DEFAULT_LIMITATION_SETTINGS,
  collectionStages: DEFAULT_COLLECTION_STAGES,
});

export type MilestoneKind =
  /** First day past due (DPD 1). */
  | 'overdue-start'
  /** First day penalty interest (罚息) accrues: the day after the due date, after any grace days. */
  | 'penalty-start'
  /** Last day to tell the borrower before negative information is reported (征信业管理条例 Art. 15). */
  | 'negative-notice-deadline'
  /** Reporting date of the first month reported with an overdue code 1…7. */
  | 'first-negative-report'
  /** Entry into a bucket M1…M7; `value` is the bucket. */
  | 'bucket-entry'
  /** Five-category class floor changes; `value` is the class. */
  | 'class-change'
  /** IFRS 9 stage changes by the DPD presumptions; `value` is the stage. */
  | 'ifrs9-stage-change'
  /** A collection stage begins; `value` is the stage id. */
  | 'collection-stage'
  /** Eligible for charge-off (核销) by the DPD convention; write-off still needs evidence (财金〔2017〕90号). */
  | 'write-off-eligible'
  /** Last day of the limitation period (民法典 Arts. 188, 189, 195). */
  | 'limitation-end'
  /** Deletion date of the negative record if the debt were repaid on the last day shown (Art. 16). */
  | 'retention-end-if-repaid';

export interface Milestone {
  readonly kind: MilestoneKind;
  readonly day: Day;
  /**
   * DPD on that day (day − due date) if the borrower had not paid by then; 0 or less before the loan is
   * overdue. Not meaningful for the limitation end and the retention end, which depend on other dates.
   */
  readonly daysPastDue: number;
  /** Bucket, class, stage or collection stage the milestone is about; '' when none. */
  readonly value: string;
  /** The law, rule or standard the milestone comes from; '' for a pure industry convention. */
  readonly source: string;
  /** True when the date follows from an industry convention that is a setting, not from a rule. */
  readonly convention: boolean;
  /** True when the day is on or before the last day of the period shown. */
  readonly withinHorizon: boolean;
}

export interface MilestoneInput {
  /**
   * The first due date the borrower misses. DPD on day d is d − missedDueDay once the grace period has
   * passed, 0 before (as the loan engine counts it).
   */
  readonly missedDueDay: Day;
  /** Last due date of the loan's schedule (the limitation period runs from it, 民法典 Art. 189). */
  readonly lastDueDay: Day;
  /** Last day of the period shown. */
  readonly horizonEndDay: Day;
  /** 宽限期: days after the due date before penalty interest runs (product setting). */
  readonly graceDays: number;
  /** Days the lender demanded payment; each restarts the limitation period (民法典 Art. 195). */
  readonly demandDays?: readonly Day[];
  /** Day the lender declared the whole debt due, if any. */
  readonly accelerationDay?: Day;
}

/** Where the limits each default collection stage works under come from. */
const COLLECTION_STAGE_SOURCE: Readonly<Record<string, string>> = {
  early: '互联网消费信贷贷后催收 national standard (2025); 中国银行业协会 collection guideline (2026)',
  intensive: '互联网消费信贷贷后催收 national standard (2025); 中国银行业协会 collection guideline (2026)',
  'agency-legal': '民事诉讼法 Arts. 225–228 (支付令); NIFA collection convention (2018)',
};

const KIND_ORDER: readonly MilestoneKind[] = [
  'collection-stage',
  'overdue-start',
  'penalty-start',
  'bucket-entry',
  'class-change',
  'ifrs9-stage-change',
  'negative-notice-deadline',
  'first-negative-report',
  'write-off-eligible',
  'retention-end-if-repaid',
  'limitation-end',
];

/**
 * The milestones of a loan whose borrower stops paying at `missedDueDay` and never pays again: when each
 * bucket, class and stage is reached, when the credit bureau hears of it, when the loan may be written off,
 * when the claim runs out of time, and when a negative record would be deleted.
 */
export function overdueMilestones(
  input: MilestoneInput,
  settings: ImpactSettings = DEFAULT_IMPACT_SETTINGS,
): Milestone[] {
  invariant(input.lastDueDay >= input.missedDueDay, 'the missed due date must be within the schedule');
  invariant(
    Number.isInteger(input.graceDays) && input.graceDays >= 0,
    'grace days must be a whole number ≥ 0',
  );
  const due = input.missedDueDay;
  // Within the grace period the loan is not yet overdue: DPD jumps from 0 to grace + 1 on the first day
  // after it (as the loan engine counts it), so a threshold inside the grace period is reached then.
  const overdueFirstDay = due + input.graceDays + 1;
  const dayAt = (daysPastDue: number): Day => Math.max(due + daysPastDue, overdueFirstDay);
  const out: Milestone[] = [];
  const add = (kind: MilestoneKind, day: Day, value: string, source: string, convention = false) => {
    out.push({
      kind,
      day,
      daysPastDue: day - due,
      value,
      source,
      convention,
      withinHorizon: day <= input.horizonEndDay,
    });
  };

  add('overdue-start', overdueFirstDay, 'M1', '', true);
  add('penalty-start', overdueFirstDay, '', '银发〔2003〕251号');

  for (const bucket of BUCKETS) {
    if (bucket === 'M0' || bucket === 'M1') continue;
    add('bucket-entry', dayAt(firstDaysPastDueOfBucket(bucket, settings.delinquency)), bucket, '', true);
  }
  for (const assetClass of ASSET_CLASSES) {
    if (assetClass === 'normal') continue;
    add(
      'class-change',
      dayAt(firstDaysPastDueOfClass(assetClass, settings.classification)),
      assetClass,
      settings.classification.name === 'credit-card-2011'
        ? '商业银行信用卡业务监督管理办法 (2011)'
        : '商业银行金融资产风险分类办法 (2023)',
    );
  }
  add(
    'ifrs9-stage-change',
    dayAt(firstDaysPastDueOfStage(2, settings.ifrs9)),
    '2',
    'IFRS 9 §5.5.11 / CAS 22',
  );
  add(
    'ifrs9-stage-change',
    dayAt(firstDaysPastDueOfStage(3, settings.ifrs9)),
    '3',
    'IFRS 9 §B5.5.37 / CAS 22',
  );

  for (const stage of settings.collectionStages) {
    const day =
      stage.fromBucket === 'M0'
        ? due
        : dayAt(firstDaysPastDueOfBucket(stage.fromBucket, settings.delinquency));
    add('collection-stage', day, stage.id, COLLECTION_STAGE_SOURCE[stage.id] ?? '', true);
  }

  const reportingDay = firstNegativeReportingDay(overdueFirstDay);
  const submissionDay = negativeSubmissionDay(reportingDay, settings.negativeInformation);
  add(
    'negative-notice-deadline',
    negativeNoticeDeadline(submissionDay, settings.negativeInformation),
    '',
    '征信业管理条例 Art. 15',
  );
  add(
    'first-negative-report',
    submissionDay,
    statusCodeForBucket(bucketForDaysPastDue(reportingDay - due, settings.delinquency)),
    '征信业管理条例; PBOC 个人征信 repayment status codes',
  );

  add('write-off-eligible', dayAt(settings.delinquency.chargeOffDaysPastDue), '', '财金〔2017〕90号', true);

  const limitation = limitationPeriod(
    {
      lastDueDay: input.lastDueDay,
      ...(input.accelerationDay === undefined ? {} : { accelerationDay: input.accelerationDay }),
      ...(input.demandDays === undefined ? {} : { demandDays: input.demandDays }),
    },
    settings.limitation,
  );
  add(
    'limitation-end',
    limitation.endDay,
    String(limitation.restartedBy.length),
    limitation.restartedBy.length > 0 ? '民法典 Arts. 188, 189, 195' : '民法典 Arts. 188, 189',
  );
  add(
    'retention-end-if-repaid',
    negativeRecordRetentionEnd(input.horizonEndDay, settings.negativeInformation),
    '',
    '征信业管理条例 Art. 16',
  );

  return out.sort((a, b) => a.day - b.day || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
}
