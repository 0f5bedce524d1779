import type { Report, ReportKind, ReportRequest } from '../../reporting/index.js';
import type { Db } from '../../store/index.js';
import type { EclRunOptions } from './ecl-options.js';

/** Progress of a long report run: `done` of `total` steps. */
export type Progress = (done: number, total: number) => void;

/**
 * `report stress --simulate`: the strategy lab's simulator run once under each scenario, the same scenario
 * documents the sensitivity results read, the same borrowers (the seed) under each.
 */
export interface StressSimulation {
  /** A population file; the lab's documented baseline when absent. */
  readonly population?: string;
  /** A strategy file; the lab's default strategy when absent. */
  readonly strategy?: string;
  readonly borrowers: number;
  readonly months: number;
  readonly seed: number;
  /** Worker threads (0 = this thread); the figures do not depend on it. */
  readonly workers?: number;
}

/** A cell of a report's table: the loans behind the figure (drill-down). */
export interface ReportCell {
  table: string;
  row: string;
  column: string;
}

/** What the lender set for the reports beside the request: the ECL settings and scenario pack. */
export interface ReportContext {
  readonly ecl?: EclRunOptions;
  /** The stress report also runs the simulator under each scenario (`report stress --simulate`). */
  readonly stressSimulation?: StressSimulation;
}

/** Loads the rows of one report kind and builds its `Report` with the pure code in reporting/. */
export interface ReportLoader {
  kind: ReportKind;
  load(db: Db, request: ReportRequest, progress?: Progress, context?: ReportContext): Promise<Report>;
  /** The ids of the loans behind one figure; `report_cell_not_found` when the report has no such cell. */
  cellLoans?(db: Db, request: ReportRequest, cell: ReportCell, progress?: Progress): Promise<string[]>;
}
