import { type CollectionStageId, collectionStageForBucket } from '../collections/index.js';
import { type Bucket, bucketForDaysPastDue } from '../ledger/index.js';
import { type Day, endOfMonth, invariant } from '../money/index.js';
import { type AssetClass, classifyAsset } from './classification.js';
import { type CreditReportStatusCode, creditReportStatus } from './credit-report.js';
import { type Ifrs9Stage, ifrs9Stage } from './ifrs9.js';
import { DEFAULT_IMPACT_SETTINGS, type ImpactSettings } from './milestones.js';

/** Most months the impact view covers (10 years). */
export const IMPACT_MONTHS_MAX = 120;

/**
 * The days the impact view reports on: the overdue start itself, then the last day of each of the `months`
 * months that end after it (a start on a month's last day is followed by the next month's end).
 */
export function impactReportDays(overdueFromDay: Day, months: number): Day[] {
  invariant(Number.isInteger(months) && months >= 1 && months <= IMPACT_MONTHS_MAX, 'months must be 1..120');
  const days: Day[] = [overdueFromDay];
  let monthEnd = endOfMonth(overdueFromDay);
  if (monthEnd === overdueFromDay) monthEnd = endOfMonth(monthEnd + 1);
  for (let i = 0; i < months; i++) {
    days.push(monthEnd);
    monthEnd = endOfMonth(monthEnd + 1);
  }
  return days;
}

/** Every regulatory and accounting view of a loan on one day, from its DPD. */
export interface OverdueStatus {
  readonly daysPastDue: number;
  readonly bucket: Bucket;
  /** The 征信 monthly status as it would be reported if that day were the reporting date. */
  readonly creditReportCode: CreditReportStatusCode;
  readonly assetClass: AssetClass;
  readonly nonPerforming: boolean;
  readonly ifrs9Stage: Ifrs9Stage;
  readonly collectionStage: CollectionStageId;
}

export interface OverdueStatusInput {
  readonly day: Day;
  readonly daysPastDue: number;
  /** A repayment fell due in the month of `day` (distinguishes N from * when not overdue). */
  readonly repaymentDueThisMonth: boolean;
}

export function overdueStatus(
  input: OverdueStatusInput,
  settings: ImpactSettings = DEFAULT_IMPACT_SETTINGS,
): OverdueStatus {
  const bucket = bucketForDaysPastDue(input.daysPastDue, settings.delinquency);
  const classification = classifyAsset(
    { daysPastDue: input.daysPastDue },
    input.day,
    settings.classification,
  );
  return {
    daysPastDue: input.daysPastDue,
    bucket,
    creditReportCode: creditReportStatus(
      { opened: true, repaymentDueThisMonth: input.repaymentDueThisMonth, daysPastDue: input.daysPastDue },
      settings.delinquency,
    ),
    assetClass: classification.assetClass,
    nonPerforming: classification.nonPerforming,
    ifrs9Stage: ifrs9Stage({ daysPastDue: input.daysPastDue }, settings.ifrs9).stage,
    collectionStage: collectionStageForBucket(bucket, settings.collectionStages).id,
  };
}
