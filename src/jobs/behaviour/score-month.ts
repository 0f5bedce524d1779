import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { type Day, dayFromCivil, endOfMonth, formatDate, startOfMonth } from '../../money/index.js';
import {
  BEHAVIOUR_PSI_ALERT_DEFAULT,
  type BehaviourDistribution,
  type BehaviourReference,
  type BehaviourRow,
  behaviourDistribution,
  behaviourFeatures,
  behaviourTable,
  isScorable,
  outcomeEnd,
  parseBehaviourReference,
  scoreBehaviour,
} from '../../monitoring/index.js';
import { type ModelArtifact, parseModel } from '../../scoring/index.js';
import {
  BEHAVIOUR_CUSTOMERS_PER_PAGE,
  type Db,
  deleteFoldsBefore,
  deleteMonthFolds,
  deleteMonthScores,
  type FoldedPageSource,
  forEachBehaviourPage,
  getBusinessDay,
  hasMonthFolds,
  insertBehaviourScores,
  insertMonthFolds,
  monthScores,
  type Queryable,
  saveFoldMonth,
  saveScoreMonth,
} from '../../store/index.js';
import { moduleWorker } from '../module-worker.js';

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The shipped behaviour scorecard (trained on the synthetic book: `npm run model:behaviour`). */
export const SHIPPED_BEHAVIOUR_MODEL = join(PACKAGE_ROOT, 'models', 'behaviour-scorecard.json');
/** Its development distribution and held-out figures, written by the same script. */
export const SHIPPED_BEHAVIOUR_REFERENCE = join(PACKAGE_ROOT, 'models', 'behaviour-scorecard.reference.json');

/** An expected refusal of a behaviour job: the operator fixes the input (code is stable). */
export class BehaviourJobError extends Error {
  constructor(
    readonly code:
      | 'behaviour_outcome_not_observed'
      | 'behaviour_month_not_closed'
      | 'behaviour_month_invalid',
    message: string,
  ) {
    super(message);
    this.name = 'BehaviourJobError';
  }
}

export interface LoadedBehaviourModel {
  readonly model: ModelArtifact;
  readonly reference: BehaviourReference;
  /** `behaviour-scorecard@` and the first 12 hex digits of the model file's SHA-256. */
  readonly modelId: string;
}

let shipped: LoadedBehaviourModel | undefined;

export function loadBehaviourModel(modelPath: string, referencePath: string): LoadedBehaviourModel {
  const text = readFileSync(modelPath, 'utf8');
  const model = parseModel(text);
  const reference = parseBehaviourReference(readFileSync(referencePath, 'utf8'));
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
  return { model, reference, modelId: `behaviour-scorecard@${digest}` };
}

export function shippedBehaviourModel(): LoadedBehaviourModel {
  shipped ??= loadBehaviourModel(SHIPPED_BEHAVIOUR_MODEL, SHIPPED_BEHAVIOUR_REFERENCE);
  return shipped;
}

/**
 * The labelled development table as of a day, from the lender's own book: the features of every line with
 * an open loan and under 60 days past due that day, and whether it reached 60+ in the six months after.
 * The book must have been closed through the end of that outcome window.
 */
export async function buildBehaviourTable(
  q: Queryable,
  asOf: Day,
  customersPerPage = BEHAVIOUR_CUSTOMERS_PER_PAGE,
): Promise<BehaviourRow[]> {
  const through = outcomeEnd(asOf);
  const businessDay = await getBusinessDay(q);
  if (businessDay <= through)
    throw new BehaviourJobError(
      'behaviour_outcome_not_observed',
      `the outcome window of ${formatDate(asOf)} runs through ${formatDate(through)}, but the book is only closed before ${formatDate(businessDay)}; choose an as-of day on or before ${formatDate(lastObservableAsOf(businessDay))}`,
    );
  const rows: BehaviourRow[] = [];
  await forEachBehaviourPage(
    q,
    through,
    (lines) => {
      for (const row of behaviourTable(lines, asOf)) rows.push(row);
    },
    customersPerPage,
  );
  return rows;
}

/** The latest as-of day whose six-month outcome is closed by the business day. */
function lastObservableAsOf(businessDay: Day): Day {
  let day = businessDay - 1;
  while (outcomeEnd(day) >= businessDay) day -= 1;
  return day;
}

/** Parses `YYYY-MM` into the month's first day. */
export function parseMonth(text: string): Day {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m === null || Number(m[2]) < 1 || Number(m[2]) > 12)
    throw new BehaviourJobError(
      'behaviour_month_invalid',
      `month must be YYYY-MM, e.g. 2026-05; got "${text}"`,
    );
  return dayFromCivil(Number(m[1]), Number(m[2]), 1);
}

export interface ScoreMonthOptions {
  readonly model?: LoadedBehaviourModel;
  /** PSI above which the month raises an alert (default 0.25). */
  readonly psiAlert?: number;
  readonly customersPerPage?: number;
  /**
   * Worker threads scoring customer ranges side by side, each on its own connections (PostgreSQL only; `dbUrl`
   * needed). The scores and the PSI are the same for any number.
   */
  readonly workers?: number;
  /** Where worker threads connect (a postgres:// URL); they use the schema of `db`. */
  readonly dbUrl?: string;
  /**
   * Keep each loan's history as of the month end (decision 0647) and go on from the month before's when it
   * is complete, reading only this month's events (default true). False reads every event of the book and
   * keeps nothing: the same scores, the way the job ran before.
   */
  readonly folds?: boolean;
  /**
   * Pages per read of the month's events when going on from the folds (`BEHAVIOUR_PAGES_PER_MONTH_READ`):
   * fewer reads scan less, smaller ones are held in less memory and the first is waited for less.
   */
  readonly pagesPerMonthRead?: number;
}

export interface ScoreMonthReport {
  readonly month: string;
  readonly asOf: string;
  readonly modelId: string;
  readonly linesScored: number;
  readonly distribution: BehaviourDistribution;
}

/** One customer range of a month's scoring (all customers when `lastCustomerId` is absent). */
export interface ScoreRangeTask {
  readonly first: Day;
  readonly asOf: Day;
  readonly model: ModelArtifact;
  readonly modelId: string;
  readonly customersPerPage: number;
  /** Customers after this id (keyset order)… */
  readonly afterCustomerId: string;
  /** …through this one. */
  readonly lastCustomerId?: string;
  /** A worker thread's connection. */
  readonly url?: string;
  readonly schema?: string;
  /** Go on from the folds of the month before (absent: read every event). */
  readonly folded?: FoldedPageSource;
  /** Store each loan's fold as of `asOf` for month `first`. */
  readonly writeFolds?: boolean;
  /** Pages per read of the month's events (`BEHAVIOUR_PAGES_PER_MONTH_READ`). */
  readonly pagesPerMonthRead?: number;
}

/** Scores the lines of a customer range, a page at a time, each page's scores in a transaction of its own. */
export async function scoreRange(db: Db, task: ScoreRangeTask): Promise<number> {
  const { first, asOf, model, modelId } = task;
  let linesScored = 0;
  await forEachBehaviourPage(
    db,
    asOf,
    async (lines, folds, superseded) => {
      const scorable = lines.filter((l) => isScorable(l, asOf));
      const scores = scoreBehaviour(
        model,
        scorable.map((l) => behaviourFeatures(l, asOf)),
      );
      await db.transaction(async (tx) => {
        await insertBehaviourScores(
          tx,
          first,
          asOf,
          modelId,
          scorable.map((l, i) => ({
            customerId: l.customerId,
            lineId: l.lineId,
            score: scores[i]!.score,
            probabilityBad: scores[i]!.probabilityBad,
            reasons: scores[i]!.reasons,
          })),
        );
        if (task.writeFolds === true) await insertMonthFolds(tx, first, folds, superseded);
      });
      linesScored += scorable.length;
    },
    task.customersPerPage,
    {
      afterCustomerId: task.afterCustomerId,
      lastCustomerId: task.lastCustomerId,
      folded: task.folded,
      pagesPerMonthRead: task.pagesPerMonthRead,
    },
  );
  return linesScored;
}

/** Up to `n` contiguous customer ranges of about equal size (customers with a credit line). */
async function customerRanges(
  q: Queryable,
  n: number,
): Promise<{ afterCustomerId: string; lastCustomerId: string }[]> {
  const { rows } = await q.query<{ last: string }>(
    `select max(customer_id) as last
     from (select customer_id, ntile($1::int) over (order by customer_id) as part
           from (select distinct customer_id from credit_lines) c) t
     group by part order by part`,
    [n],
  );
  return rows.map((r, i) => ({ afterCustomerId: i === 0 ? '' : rows[i - 1]!.last, lastCustomerId: r.last }));
}

/**
 * The young generation of a worker's heap (MiB). A page's rows, folds and features are many short-lived
 * objects; with V8's default young generation garbage collection was about a third of the job's Node CPU.
 * A larger nursery costs memory, not results.
 */
const WORKER_YOUNG_GENERATION_MB = 64;

/** Runs a range in a worker thread: the compiled module when built, the TypeScript source through tsx otherwise. */
function inWorker(task: ScoreRangeTask, started: Worker[]): Promise<number> {
  const worker = moduleWorker(new URL('./score-worker.js', import.meta.url), {
    workerData: task,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  started.push(worker);
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.once('message', (m: { linesScored?: number; error?: string }) => {
      settled = true;
      if (m.error !== undefined) reject(new Error(m.error));
      else resolve(m.linesScored!);
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`behaviour score worker exited with code ${code} before reporting`));
    });
  });
}

/**
 * The monthly behaviour-score job: every line with an open loan is scored as of the month's last day, with
 * its reason codes, and the month's distribution is compared with the development sample (PSI). A rerun of
 * a month replaces its scores. Each page of customers is written in a transaction of its own; the month's
 * summary is written last, so a month without a summary is one whose run did not finish.
 */
export async function scoreBehaviourMonth(
  db: Db,
  month: Day,
  options: ScoreMonthOptions = {},
): Promise<ScoreMonthReport> {
  const first = startOfMonth(month);
  const asOf = endOfMonth(first);
  const businessDay = await getBusinessDay(db);
  if (businessDay <= asOf)
    throw new BehaviourJobError(
      'behaviour_month_not_closed',
      `${formatDate(first).slice(0, 7)} ends on ${formatDate(asOf)}, which the book has not closed yet (business day ${formatDate(businessDay)}); score a month that has ended`,
    );
  const loaded = options.model ?? shippedBehaviourModel();
  const psiAlert = options.psiAlert ?? BEHAVIOUR_PSI_ALERT_DEFAULT;
  await deleteMonthScores(db, first);
  const keepFolds = options.folds ?? true;
  if (keepFolds) await deleteMonthFolds(db, first);
  // The month before's folds, when a finished run kept them all; otherwise every event is read (and this
  // month's folds are built from them).
  const before = startOfMonth(first - 1);
  const folded: FoldedPageSource | undefined =
    keepFolds && (await hasMonthFolds(db, before)) ? { foldMonth: before, foldAsOf: first - 1 } : undefined;
  const workers =
    db.kind === 'postgres' && options.dbUrl !== undefined ? Math.max(1, options.workers ?? 1) : 1;
  const task = {
    first,
    asOf,
    model: loaded.model,
    modelId: loaded.modelId,
    customersPerPage: options.customersPerPage ?? BEHAVIOUR_CUSTOMERS_PER_PAGE,
    afterCustomerId: '',
    folded,
    writeFolds: keepFolds,
    pagesPerMonthRead: options.pagesPerMonthRead,
  };
  let linesScored = 0;
  if (workers === 1) linesScored = await scoreRange(db, task);
  else {
    const schema = (await db.query<{ s: string }>('select current_schema() as s')).rows[0]!.s;
    const ranges = await customerRanges(db, workers);
    const started: Worker[] = [];
    try {
      const counts = await Promise.all(
        ranges.map((range) => inWorker({ ...task, ...range, url: options.dbUrl!, schema }, started)),
      );
      for (const n of counts) linesScored += n;
    } catch (error) {
      // The other ranges stop too (their open transactions roll back), so that a rerun started right after
      // the failure does not meet their late writes.
      await Promise.all(started.map((w) => w.terminate()));
      throw error;
    }
  }
  const distribution = behaviourDistribution(loaded.reference, await monthScores(db, first), psiAlert);
  if (keepFolds) {
    await saveFoldMonth(db, first, asOf);
    // A rerun of this month goes on from the month before's; older months' folds are not read again.
    await deleteFoldsBefore(db, before);
  }
  await saveScoreMonth(db, first, asOf, loaded.modelId, distribution, psiAlert);
  return {
    month: formatDate(first).slice(0, 7),
    asOf: formatDate(asOf),
    modelId: loaded.modelId,
    linesScored,
    distribution,
  };
}
