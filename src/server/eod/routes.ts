import type { FastifyInstance } from 'fastify';
import {
  EOD_BOUNDS,
  EOD_OPTIONS_DEFAULT,
  type EodRun,
  EodRunError,
  getRun,
  ledgerEod,
  listRuns,
  runWorker,
  startRunIn,
} from '../../jobs/index.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import {
  bearerSecurity,
  decodeCursor,
  encodeCursor,
  idempotencyHeader,
  idParam,
  pageQueryProperties,
  pageResponse,
  problemResponses,
} from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { EOD_MESSAGES } from './messages.js';

const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;

const runProperties = {
  runId: { type: 'string' },
  businessDate: { type: 'string', description: 'The business date the run closes (YYYY-MM-DD)' },
  status: { type: 'string', enum: ['running', 'succeeded', 'failed'] },
  partitionsTotal: { type: 'integer' },
  batchSize: { type: 'integer' },
  requestedBy: { type: 'string' },
  resumes: { type: 'integer', description: 'Times the run was resumed after a failure or a crash' },
  loansClosed: { type: 'integer', description: 'Loans closed by the engine (they had work)' },
  loansAdvanced: {
    type: 'integer',
    description: 'Loans with nothing to do on the date: counted, not written (closed by the run succeeding)',
  },
  eventsWritten: { type: 'integer' },
  startedAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
  finishedAt: nullableTime,
} as const;

const runSchema = {
  type: 'object',
  required: Object.keys(runProperties),
  properties: runProperties,
} as const;

const partitionSchema = {
  type: 'object',
  required: [
    'partitionNo',
    'keyFrom',
    'keyTo',
    'status',
    'claimedBy',
    'heartbeatAt',
    'leaseExpiresAt',
    'claims',
    'loansClosed',
    'loansAdvanced',
    'eventsWritten',
    'errors',
  ],
  properties: {
    partitionNo: { type: 'integer' },
    keyFrom: { type: 'integer', description: 'First partition key (0..1023, from the customer id)' },
    keyTo: { type: 'integer', description: 'Last partition key, inclusive' },
    status: { type: 'string', enum: ['pending', 'running', 'succeeded', 'failed'] },
    claimedBy: {
      type: ['string', 'null'],
      description: 'host:pid:n of the worker holding or last holding it',
    },
    claimedAt: nullableTime,
    heartbeatAt: nullableTime,
    leaseExpiresAt: nullableTime,
    claims: { type: 'integer', description: 'Times the partition was claimed (more than 1: taken over)' },
    loansClosed: { type: 'integer' },
    loansAdvanced: { type: 'integer' },
    eventsWritten: { type: 'integer' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['at', 'worker', 'loanId', 'message'],
        properties: {
          at: { type: 'string', format: 'date-time' },
          worker: { type: 'string' },
          loanId: { type: ['string', 'null'] },
          message: { type: 'string' },
        },
      },
    },
    startedAt: nullableTime,
    finishedAt: nullableTime,
  },
} as const;

/** The answer to starting a run also says how many business days it closes (catching up: more than 1). */
const startedRunSchema = {
  type: 'object',
  required: [...Object.keys(runProperties), 'daysToClose'],
  properties: {
    ...runProperties,
    daysToClose: {
      type: 'integer',
      description:
        'Business days this run closes, from the system business day through businessDate (0: closed already)',
    },
  },
} as const;

const runDetailSchema = {
  type: 'object',
  required: [...Object.keys(runProperties), 'partitions'],
  properties: { ...runProperties, partitions: { type: 'array', items: partitionSchema } },
} as const;

function toBody<T extends EodRun>(run: T): Omit<T, 'businessDay'> & { businessDate: string } {
  const { businessDay, ...rest } = run;
  return { ...rest, businessDate: businessDay };
}

function problemFor(error: unknown): never {
  if (error instanceof EodRunError) {
    const en_fault = error.message;
    if (error.code === 'eod_run_conflict')
      throw new ProblemError('eod_run_conflict', say(EOD_MESSAGES, 'run_conflict', { en_fault }));
    if (error.code === 'eod_date_invalid') {
      throw new ProblemError('validation_failed', say(EOD_MESSAGES, 'date_invalid', { en_fault }), [
        fieldProblem('/body/businessDate', say(EOD_MESSAGES, 'date_invalid_field', { en_fault })),
      ]);
    }
    if (error.code === 'eod_date_out_of_range') {
      const allowed = error.allowed;
      if (allowed === undefined) {
        throw new ProblemError('date_out_of_range', say(EOD_MESSAGES, 'date_cannot_close', { en_fault }), [
          fieldProblem('/body/businessDate', say(EOD_MESSAGES, 'date_cannot_close', { en_fault })),
        ]);
      }
      const range = { from: allowed.from, through: allowed.through };
      throw new ProblemError(
        'date_out_of_range',
        say(EOD_MESSAGES, 'date_out_of_range', { en_fault, ...range }),
        [fieldProblem('/body/businessDate', say(EOD_MESSAGES, 'date_from_through', range))],
      );
    }
    throw new ProblemError(
      'eod_run_not_found',
      say(EOD_MESSAGES, 'run_not_found', { runId: error.message.replace(/^no EOD run /, '') }),
    );
  }
  throw error;
}

/**
 * EOD runs over HTTP. `POST /eod-runs` starts the run for a date (or resumes the date's unfinished one)
 * and this server works it in the background; on PostgreSQL more workers may join with
 * `lendguard eod worker`. Progress and errors per partition are read back with `GET /eod-runs/{runId}`.
 */
export async function eodRunRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const working = new Map<string, Promise<unknown>>();
  const stop = new AbortController();
  app.addHook('onClose', async () => {
    stop.abort();
    await Promise.allSettled(working.values());
  });

  /** Works the run in this process until no partition is left to claim; one loop per run at a time. */
  function workInBackground(runId: string): void {
    if (working.has(runId)) return;
    const work = runWorker(deps.db, ledgerEod, runId, {
      lease_ms: EOD_OPTIONS_DEFAULT.lease_ms,
      signal: stop.signal,
    })
      .catch((error: unknown) => {
        app.log.error({ err: error, runId }, 'EOD run worker stopped');
      })
      .finally(() => working.delete(runId));
    working.set(runId, work);
  }

  app.post<{ Body: { businessDate: string; batchSize?: number; partitions?: number } }>(
    '/eod-runs',
    {
      config: { permission: 'eod.run' },
      schema: {
        summary: 'Start the end-of-day batch for a business date, or resume its unfinished run',
        description:
          "Answers 202 with the run while it works in the background (poll GET /eod-runs/{runId}); 200 with the run when the date had already been closed. A run for another date that has not succeeded blocks a new date: 409 eod_run_conflict. A new date must lie from the system business day through today in the lender's zone (400 date_out_of_range names the range); several days at once are closed when catching up, and `daysToClose` says how many.",
        tags: ['eod'],
        security: bearerSecurity,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['businessDate'],
          additionalProperties: false,
          properties: {
            businessDate: {
              type: 'string',
              pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
              description: 'The business date to close (YYYY-MM-DD)',
            },
            batchSize: {
              type: 'integer',
              minimum: 1,
              maximum: EOD_BOUNDS.batchSize_max,
              description: `Loans per transaction (default ${EOD_OPTIONS_DEFAULT.batchSize}); a new run only`,
            },
            partitions: {
              type: 'integer',
              minimum: 1,
              maximum: EOD_BOUNDS.partitionKeys_count,
              description: `Partitions (default ${EOD_OPTIONS_DEFAULT.partitions}); a new run only`,
            },
          },
        },
        response: { 200: startedRunSchema, 202: startedRunSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const body = request.body;
      let runId: string | undefined;
      let settled = true;
      try {
        await commitWrite(deps, request, reply, async (tx) => {
          const started = await startRunIn(tx, {
            businessDay: body.businessDate,
            requestedBy: principal.userId,
            today: deps.today(),
            options: {
              batchSize: body.batchSize ?? EOD_OPTIONS_DEFAULT.batchSize,
              partitions: body.partitions ?? EOD_OPTIONS_DEFAULT.partitions,
            },
          });
          runId = started.run.runId;
          settled = started.outcome === 'done';
          return {
            status: settled ? 200 : 202,
            body: { ...toBody(started.run), daysToClose: started.daysToClose },
            location: `/eod-runs/${started.run.runId}`,
            audit: [
              {
                action: `eod_run.${started.outcome === 'created' ? 'start' : started.outcome === 'resumed' ? 'resume' : 'repeat'}`,
                resourceType: 'eod_run',
                resourceId: started.run.runId,
                customerId: null,
                details: { businessDate: started.run.businessDay },
              },
            ],
          };
        });
      } catch (error) {
        problemFor(error);
      }
      if (runId !== undefined && !settled) workInBackground(runId);
      return reply;
    },
  );

  app.get<{ Querystring: { limit: number; cursor?: string } }>(
    '/eod-runs',
    {
      config: { permission: 'eod.read' },
      schema: {
        summary: 'EOD runs, newest first',
        tags: ['eod'],
        security: bearerSecurity,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: pageQueryProperties(deps.config),
        },
        response: { 200: pageResponse(runSchema), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await listRuns(deps.db, q.limit, decodeCursor(q.cursor, 'string'));
      const last = page.items.at(-1);
      return {
        items: page.items.map(toBody),
        nextCursor: page.more && last ? encodeCursor(last.runId) : null,
      };
    },
  );

  app.get<{ Params: { runId: string } }>(
    '/eod-runs/:runId',
    {
      config: { permission: 'eod.read' },
      schema: {
        summary: 'One EOD run with the status, claim, counts and errors of each partition',
        tags: ['eod'],
        security: bearerSecurity,
        params: idParam('runId', 'EOD run id'),
        response: { 200: runDetailSchema, ...problemResponses },
      },
    },
    async (request) => {
      const run = await getRun(deps.db, request.params.runId);
      if (run === undefined) {
        throw new ProblemError(
          'eod_run_not_found',
          say(EOD_MESSAGES, 'run_not_found', { runId: request.params.runId }),
        );
      }
      return toBody(run);
    },
  );
}
