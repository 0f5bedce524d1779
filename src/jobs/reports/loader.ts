import type { Report, ReportKind, ReportRequest } from '../../reporting/index.js';
import type { Db } from '../../store/index.js';

/** Progress of a long report run: `done` of `total` steps. */
export type Progress = (done: number, total: number) => void;

/** A cell of a report's table: the loans behind the figure (drill-down). */
export interface ReportCell {
  table: string;
  row: string;
  column: string;
}

/** Loads the rows of one report kind and builds its `Report` with the pure code in reporting/. */
export interface ReportLoader {
  kind: ReportKind;
  load(db: Db, request: ReportRequest, progress?: Progress): Promise<Report>;
  /** The ids of the loans behind one figure; `report_cell_not_found` when the report has no such cell. */
  cellLoans?(db: Db, request: ReportRequest, cell: ReportCell, progress?: Progress): Promise<string[]>;
}
