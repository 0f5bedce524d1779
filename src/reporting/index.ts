/** reporting/: credit-report status, five-category classification, IFRS 9 stage and the overdue milestones (pure core). */
export {
  ASSET_CLASSES,
  type AssetClass,
  assessRestructuring,
  assetClassRank,
  BANKING_2023_CLASSIFICATION,
  type Classification,
  type ClassificationInput,
  type ClassificationSettings,
  CREDIT_CARD_2011_CLASSIFICATION,
  classByDaysPastDue,
  classifyAsset,
  DEFAULT_CLASSIFICATION_SETTINGS,
  firstDaysPastDueOfClass,
  isNonPerforming,
  type Restructuring,
  type RestructuringAssessment,
  type RestructuringFacts,
  type RestructuringObservation,
  restructuringObservation,
  worseClass,
} from './classification.js';
export {
  applyOverrides,
  type ClassifiedLoan,
  type ClassOverride,
  type ClassTotals,
  classCellLoans,
  classificationReport,
  classTotals,
  nplReport,
  overrideAllowed,
} from './classification-report.js';
export {
  type AccountEnding,
  type BucketStatusCode,
  CREDIT_REPORT_GRID_MONTHS,
  CREDIT_REPORT_LONG_GRID_MONTHS,
  type CreditReportGridCell,
  type CreditReportMonthFacts,
  type CreditReportStatusCode,
  creditReportGrid,
  creditReportStatus,
  DEFAULT_NEGATIVE_INFORMATION_SETTINGS,
  firstNegativeReportingDay,
  isNegativeStatusCode,
  loanCreditReportStatus,
  type NegativeInformationSettings,
  negativeNoticeDeadline,
  negativeRecordRetentionEnd,
  negativeSubmissionDay,
  objectionReplyDeadline,
  statusCodeForBucket,
} from './credit-report.js';
export {
  DEFAULT_IFRS9_SETTINGS,
  firstDaysPastDueOfStage,
  type Ifrs9Assessment,
  type Ifrs9Input,
  type Ifrs9Settings,
  type Ifrs9Stage,
  ifrs9Stage,
} from './ifrs9.js';
export {
  IMPACT_MONTHS_MAX,
  impactReportDays,
  type OverdueStatus,
  type OverdueStatusInput,
  overdueStatus,
} from './impact.js';
export { defaultLang, LANGS, type Lang, type MilestoneExtra, textFor } from './impact-text.js';
export { projectLoanImpact } from './loan-impact.js';
export {
  DEFAULT_IMPACT_SETTINGS,
  type ImpactSettings,
  type Milestone,
  type MilestoneInput,
  type MilestoneKind,
  overdueMilestones,
} from './milestones.js';
export { type MonthEndLoan, monthEndLoanOf } from './month-end.js';
export {
  firstDayOfMonthKey,
  formatMonthKey,
  lastDayOfMonthKey,
  type MonthKey,
  monthKey,
  monthKeyOfDay,
} from './months.js';
export {
  missedDueDayOf,
  type OverdueProjection,
  type OverdueProjectionInput,
  type OverdueProjectionRow,
  projectOverdue,
} from './overdue-projection.js';
export { reminderLoanFacts } from './reminder-facts.js';
export {
  type Label,
  REPORT_KINDS,
  type Report,
  type ReportCell,
  type ReportColumn,
  type ReportFigure,
  type ReportKind,
  type ReportRequest,
  type ReportTable,
  type ReportValueType,
} from './report.js';
export {
  CLASS_LABELS,
  moneyText,
  parseBucket,
  RATIO_PLACES,
  ratioText,
  sharesText,
} from './report-values.js';
export { classifyLoan, restructuringFactsOf } from './restructuring-facts.js';
export {
  type MonthIndicators,
  type MonthRows,
  monthIndicators,
  ROLL_RATE_MONTHS,
  ROLL_TARGETS,
  type RollRow,
  type RollTarget,
  rollRateCellLoans,
  rollRatesReport,
  type Transition,
  transition,
} from './roll-rates.js';
export {
  FPD30_MATURE_MONTHS,
  VINTAGE_COHORTS_MAX,
  VINTAGE_THRESHOLDS,
  type VintageInput,
  type VintageLoan,
  type VintageRow,
  vintageCellLoans,
  vintageReport,
} from './vintage.js';
export {
  DEFAULT_WRITE_OFF_RULE,
  parseWriteOffRule,
  type WriteOffCandidate,
  type WriteOffRule,
  writeOffCandidates,
  writeOffEligibility,
} from './write-off.js';
