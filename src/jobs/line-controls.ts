import { type Day, parseDate } from '../money/index.js';
import { applyLineControls, linesToControl, type Queryable } from '../store/index.js';

export interface LineControlsRun {
  /** Lines looked at: those with a loan past due and those the controls froze. */
  readonly linesSeen: number;
  /** Lines whose status or limit changed. */
  readonly linesChanged: number;
}

/**
 * EOD's line-control step (额度管控): once every loan of the business day is closed, each line with a loan
 * past due, or frozen by the controls, is run through the policy's line controls (docs/monitoring.md). In
 * the transaction that settles the run, so a run either leaves the lines controlled or is done again.
 */
export async function controlLinesAfterEod(tx: Queryable, closedDay: string | Day): Promise<LineControlsRun> {
  const day = typeof closedDay === 'string' ? parseDate(closedDay) : closedDay;
  const lines = await linesToControl(tx);
  let linesChanged = 0;
  for (const line of lines) {
    const outcome = await applyLineControls(tx, line.lineId, day);
    if (outcome !== undefined && outcome.changes.length > 0) linesChanged += 1;
  }
  return { linesSeen: lines.length, linesChanged };
}
