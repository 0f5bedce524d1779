import { parentPort, workerData } from 'node:worker_threads';
import { openPostgres } from '../../store/index.js';
import { type ScoreRangeTask, scoreRange } from './score-month.js';

/** A worker thread of the monthly behaviour-score job: scores one customer range on its own connections. */
const task = workerData as ScoreRangeTask;
// Three connections: the page reads, the page's writes, and the next read of the month's events ahead.
const db = await openPostgres({ url: task.url!, schema: task.schema, poolSize_max: 3 });
try {
  const linesScored = await scoreRange(db, task);
  parentPort!.postMessage({ linesScored });
} catch (error) {
  parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
} finally {
  await db.close();
}
