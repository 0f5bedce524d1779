/** store/reports/: month-end portfolio rows and manual class overrides (migration 0017). */
export {
  approvedOverrides,
  builtMonthEnds,
  ClassOverrideError,
  decideClassOverride,
  findClassOverride,
  findMonthEndLoan,
  insertClassOverride,
  loansNotClosedThrough,
  MONTH_END_SNAPSHOTS_PER_PAGE,
  monthEndSnapshotPage,
  readDrawnLoans,
  readMonthEnd,
  replaceMonthEnd,
  type StoredClassOverride,
} from './month-ends.js';
