import {
  creditReportView,
  formatMonthKey,
  monthKeyOfDay,
  type Report,
  type ReportRequest,
} from '../../reporting/index.js';
import { type Db, monthRecords } from '../../store/index.js';
import { requestClosedMonth } from './closed-day.js';
import type { ReportLoader } from './loader.js';

/**
 * `credit-report`: the month-end records of the month containing `asOf` as the month-end job stored them
 * (`lendguard credit-report build --month`); the report itself is built by reporting/ creditReportView.
 */
export const creditReportLoader: ReportLoader = {
  kind: 'credit-report',
  async load(
    db: Db,
    request: ReportRequest,
    progress?: (done: number, total: number) => void,
  ): Promise<Report> {
    const key = monthKeyOfDay(await requestClosedMonth(db, request));
    const records = await monthRecords(db, formatMonthKey(key));
    progress?.(records.length, records.length);
    return creditReportView(key, records);
  },
};
