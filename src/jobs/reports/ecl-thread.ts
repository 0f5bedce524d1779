/**
 * The ECL report of a month end loaded in a worker thread (decision 0849). Most of the ECL's time is this
 * process's own work on a million rows — shaping the loans, estimating the chains, measuring each exposure —
 * which in the main thread holds the event loop for tens of seconds: the other month-end reports, summed by
 * the database, could not take their rows meanwhile. In a thread of its own, with a young generation sized
 * for its many short-lived objects, it runs beside them. PostgreSQL servers only: the thread opens its own
 * connections.
 */
import type { Worker } from 'node:worker_threads';
import { type Report, ReportInputError, type ReportRequest } from '../../reporting/index.js';
import type { Db } from '../../store/index.js';
import { moduleWorker } from '../module-worker.js';
import type { EclRunOptions } from './ecl-options.js';
import { ReportError } from './errors.js';

export interface EclWorkerTask {
  readonly url: string;
  readonly schema: string;
  readonly request: ReportRequest;
  readonly ecl?: EclRunOptions;
}

interface EclWorkerAnswer {
  readonly report?: Report;
  readonly error?: { name: string; message: string; code?: unknown; status?: unknown; field?: unknown };
}

/**
 * The young generation of the thread's heap (MiB): the ECL builds a few objects a loan that live only until
 * the loan is measured; with V8's default nursery garbage collection was over a third of the ECL's time in
 * this process at a million loans (docs/performance.md). A larger nursery costs memory, not results.
 */
export const ECL_YOUNG_GENERATION_MB = 64;

/** The refusal the thread reported, as the class the caller would have met in this thread. */
function rebuilt(error: NonNullable<EclWorkerAnswer['error']>): Error {
  if (error.name === 'ReportError' && typeof error.code === 'string' && typeof error.status === 'number')
    return new ReportError(
      error.code,
      error.status as ReportError['status'],
      error.message,
      typeof error.field === 'string' ? error.field : undefined,
    );
  if (error.name === 'ReportInputError') return new ReportInputError(error.message);
  const e = new Error(error.message);
  e.name = error.name;
  return e;
}

/** The ECL report (as loadReport gives it) loaded by a worker thread connected to `url`, in `db`'s schema. */
export async function eclInThread(
  db: Db,
  url: string,
  request: ReportRequest,
  ecl?: EclRunOptions,
): Promise<Report> {
  const schema = (await db.query<{ s: string }>('select current_schema() as s')).rows[0]!.s;
  const task: EclWorkerTask = { url, schema, request, ...(ecl === undefined ? {} : { ecl }) };
  const worker: Worker = moduleWorker(new URL('./ecl-worker.js', import.meta.url), {
    workerData: task,
    resourceLimits: { maxYoungGenerationSizeMb: ECL_YOUNG_GENERATION_MB },
  });
  return new Promise<Report>((resolve, reject) => {
    let settled = false;
    worker.once('message', (answer: EclWorkerAnswer) => {
      settled = true;
      if (answer.error !== undefined) reject(rebuilt(answer.error));
      else resolve(answer.report!);
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the ECL worker thread exited with code ${code} before answering`));
    });
  });
}
