import type { Report, ReportKind, ReportRequest } from '../../reporting/index.js';
import type { Db } from '../../store/index.js';

/** What each report kind's shell loader offers the report frame: load the rows, build the report. */
export interface ReportLoader {
  kind: ReportKind;
  load(db: Db, request: ReportRequest, progress?: (done: number, total: number) => void): Promise<Report>;
}
