import { parentPort, workerData } from 'node:worker_threads';
import { openPostgres } from '../../store/index.js';
import type { EclWorkerTask } from './ecl-thread.js';
import { loadReport } from './registry.js';

/**
 * A worker thread loading the ECL report of a month end on its own connections (the month-end reports at
 * once: eclInThread). Answers `{ report }`, or `{ error }` with what the caller rebuilds the refusal from.
 */
const task = workerData as EclWorkerTask;
// The ECL's five reads go out together, then the defaulted loans' journal.
const db = await openPostgres({ url: task.url, schema: task.schema, poolSize_max: 5 });
try {
  const report = await loadReport(db, 'ecl', task.request, undefined, { ecl: task.ecl });
  parentPort!.postMessage({ report });
} catch (error) {
  const e = error as Error & { code?: unknown; status?: unknown; field?: unknown };
  parentPort!.postMessage({
    error: { name: e.name, message: e.message, code: e.code, status: e.status, field: e.field },
  });
} finally {
  await db.close();
}
