import type { Report, ReportKind, ReportRequest } from '../../reporting/index.js';
import type { Db } from '../../store/index.js';

/** Loads the rows of one report kind and builds its `Report` with the pure code in reporting/. */
export interface ReportLoader {
  kind: ReportKind;
  load(db: Db, request: ReportRequest, progress?: (done: number, total: number) => void): Promise<Report>;
}
