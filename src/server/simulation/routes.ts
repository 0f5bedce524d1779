import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { runSimulation } from '../../jobs/index.js';
import {
  countOpenSimulationRuns,
  failOrphanedSimulationRuns,
  finishSimulationRun,
  getSimulationRun,
  insertSimulationRun,
  listSimulationRuns,
  markSimulationRunStarted,
  newId,
  recordSimulationProgress,
  type SimulationRunRow,
  touchSimulationRuns,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import { bearerSecurity, idempotencyHeader, idParam, problemResponses } from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { SIMULATION_MESSAGES } from './messages.js';
import { API_METRICS, presentReport } from './present.js';

/**
 * The strategy lab over HTTP (decision 0901): `POST /simulation/runs` asks for a comparison of shipped
 * strategies on a shipped population and scenario; the server that accepted it works it in the background on
 * a worker thread, one run at a time, and `GET /simulation/runs/{runId}` reads its progress and, once done,
 * the comparison. Only the documents shipped in policies/simulation can be named: no path reaches the files.
 */

/** Largest run the API does: borrowers × months × strategies × replications. */
export const SIMULATION_API_MAX_BORROWER_MONTHS = 1_200_000;
/** Runs queued or running at once, across the server's processes. */
export const SIMULATION_API_MAX_OPEN = 2;
const SIMULATION_BOUNDS = { borrowers_max: 20_000, months_min: 3, months_max: 36, replications_max: 5 };
/** Progress is written at most this often. */
const PROGRESS_EVERY_MS = 1_000;
/** How often a process shows it still holds its queued and running runs (decision 0903). */
export const SIMULATION_HEARTBEAT_MS = 10_000;
/** A queued or running run with no sign of life for this long has lost its process and is failed. */
export const SIMULATION_ORPHANED_AFTER_SECONDS = 60;

const SIM_DIR = fileURLToPath(new URL('../../../policies/simulation/', import.meta.url));
/** The shared scenario documents (decision 0907): the same files the ECL and the stress tests read. */
const SCENARIO_DIR = fileURLToPath(new URL('../../../policies/scenarios/', import.meta.url));

export interface LabDocument {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly path: string;
}

/** The shipped scenarios: every scenario document of policies/scenarios (not its sensitivities). */
function shippedScenarios(): LabDocument[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'sensitivities.json')
    .sort()
    .map((f) => {
      const doc = JSON.parse(readFileSync(`${SCENARIO_DIR}${f}`, 'utf8')) as {
        label?: { en?: string };
        description?: string;
      };
      return {
        id: f.slice(0, -'.json'.length),
        name: doc.label?.en ?? f,
        description: doc.description ?? '',
        path: `${SCENARIO_DIR}${f}`,
      };
    });
}

function shipped(kind: 'strategy' | 'scenario' | 'population'): LabDocument[] {
  if (kind === 'scenario') return shippedScenarios();
  return readdirSync(SIM_DIR)
    .filter((f) => f.startsWith(`${kind}-`) && f.endsWith('.json'))
    .sort()
    .map((f) => {
      const doc = JSON.parse(readFileSync(`${SIM_DIR}${f}`, 'utf8')) as {
        name?: string;
        description?: string;
      };
      return {
        id: f.slice(kind.length + 1, -'.json'.length),
        name: doc.name ?? f,
        description: doc.description ?? '',
        path: `${SIM_DIR}${f}`,
      };
    });
}

interface RunBody {
  strategies: string[];
  scenario?: string;
  population?: string;
  borrowers: number;
  months: number;
  replications?: number;
  seed?: number;
  startDate?: string;
}

const documentSchema = {
  type: 'object',
  required: ['id', 'name', 'description'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' } },
} as const;

const requestProperties = (ids: Record<'strategy' | 'scenario' | 'population', string[]>) =>
  ({
    strategies: {
      type: 'array',
      minItems: 1,
      maxItems: 2,
      items: { type: 'string', enum: ids.strategy },
      description:
        'One or two shipped strategies (GET /simulation/options); two are compared, paired by replication',
    },
    scenario: { type: 'string', enum: ids.scenario, default: 'base', description: 'A shipped scenario' },
    population: {
      type: 'string',
      enum: ids.population,
      default: 'baseline',
      description: 'A shipped population description; the three named borrowers are traced in every run',
    },
    borrowers: { type: 'integer', minimum: 10, maximum: SIMULATION_BOUNDS.borrowers_max },
    months: {
      type: 'integer',
      minimum: SIMULATION_BOUNDS.months_min,
      maximum: SIMULATION_BOUNDS.months_max,
    },
    replications: { type: 'integer', minimum: 1, maximum: SIMULATION_BOUNDS.replications_max, default: 1 },
    seed: { type: 'integer', minimum: 0, maximum: 2_147_483_647, default: 1 },
    startDate: {
      type: 'string',
      pattern: '^[0-9]{4}-[0-9]{2}-01$',
      description: "First day of the run's first month (default: the first of the current month)",
    },
  }) as const;

const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;

const runProperties = {
  runId: { type: 'string' },
  status: { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed'] },
  request: {
    type: 'object',
    additionalProperties: true,
    description: 'What was asked, with the defaults filled in',
  },
  requestedBy: { type: 'string' },
  borrowersTotal: {
    type: 'integer',
    description: 'Borrowers to simulate: borrowers × strategies × replications',
  },
  borrowersDone: { type: 'integer' },
  error: { type: ['string', 'null'] },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
  startedAt: nullableTime,
  finishedAt: nullableTime,
} as const;

const runSchema = {
  type: 'object',
  required: Object.keys(runProperties),
  properties: runProperties,
} as const;

const intervalSchema = {
  type: 'object',
  description:
    'Mean over the replications with a 95 % interval: numbers for ratios and counts, decimal strings of yuan for amounts',
  required: ['mean', 'low', 'high'],
  properties: {
    mean: { type: ['number', 'string'] },
    low: { type: ['number', 'string'] },
    high: { type: ['number', 'string'] },
  },
} as const;

const metricsSchema = {
  type: 'object',
  required: [...API_METRICS],
  properties: Object.fromEntries(API_METRICS.map((k) => [k, intervalSchema])),
} as const;

const comparisonSchema = {
  type: ['object', 'null'],
  description: 'The comparison, once the run has succeeded (docs/simulation.md explains every figure)',
  required: ['run', 'strategies', 'difference', 'borrowers'],
  properties: {
    run: { type: 'object', additionalProperties: true },
    strategies: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'metrics', 'rollRates', 'overTime'],
        properties: {
          name: { type: 'string' },
          metrics: metricsSchema,
          rollRates: {
            type: 'object',
            additionalProperties: { type: 'number' },
            description: 'Monthly roll rates M0→M1 … M3→M4 over the run',
          },
          overTime: { type: 'object', additionalProperties: true },
        },
      },
    },
    difference: {
      type: ['object', 'null'],
      description: 'The first strategy less the second, paired by replication (null with one strategy)',
      properties: { a: { type: 'string' }, b: { type: 'string' }, metrics: metricsSchema },
    },
    borrowers: {
      type: 'array',
      description:
        'The three named borrowers (张三, 李四, 王五) under each strategy: the outcome and every month',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          description: { type: 'string' },
          strategies: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                strategy: { type: 'string' },
                outcome: { type: 'object', additionalProperties: true },
                months: { type: 'array', items: { type: 'object', additionalProperties: true } },
              },
            },
          },
        },
      },
    },
  },
} as const;

const runDetailSchema = {
  type: 'object',
  required: [...Object.keys(runProperties), 'result'],
  properties: { ...runProperties, result: comparisonSchema },
} as const;

function withoutResult(run: SimulationRunRow) {
  const { result: _result, ...rest } = run;
  return rest;
}

const firstOfMonth = (today: string) => `${today.slice(0, 7)}-01`;

export async function simulationRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const docs = {
    strategy: shipped('strategy'),
    scenario: shipped('scenario'),
    population: shipped('population'),
  };
  const ids = {
    strategy: docs.strategy.map((d) => d.id),
    scenario: docs.scenario.map((d) => d.id),
    population: docs.population.map((d) => d.id),
  };
  const pathOf = (kind: keyof typeof docs, id: string) => docs[kind].find((d) => d.id === id)!.path;

  // This process's runs, one at a time in the order accepted; stopped when the server closes.
  const stop = new AbortController();
  let queue: Promise<void> = Promise.resolve();
  // The runs this process holds, queued or running, kept alive by a heartbeat (decision 0903); a run whose
  // process died stops moving and is failed at the next start or request that looks at runs.
  const held = new Set<string>();
  let beating: Promise<void> = Promise.resolve();
  const heartbeat = setInterval(() => {
    beating = beating
      .then(() => touchSimulationRuns(deps.db, [...held]))
      .catch((error: unknown) => app.log.warn({ err: error }, 'strategy-lab heartbeat failed'));
  }, SIMULATION_HEARTBEAT_MS);
  heartbeat.unref();
  const failOrphans = async (q: Parameters<typeof failOrphanedSimulationRuns>[0] = deps.db) => {
    const orphans = await failOrphanedSimulationRuns(q, SIMULATION_ORPHANED_AFTER_SECONDS);
    if (orphans.length > 0)
      app.log.warn({ runIds: orphans }, 'strategy-lab runs failed: their server process stopped');
  };
  app.addHook('onReady', async () => {
    // At start, a sweep that cannot run (the database down or not yet migrated) must not stop the server:
    // every poll and every new run sweeps again before it counts runs.
    await failOrphans().catch((error: unknown) =>
      app.log.warn({ err: error }, 'strategy-lab runs not swept at start; the next request sweeps them'),
    );
  });
  app.addHook('onClose', async () => {
    clearInterval(heartbeat);
    stop.abort(new Error('the server stopped before the run finished'));
    await queue;
    await beating;
  });

  async function work(runId: string, body: Required<RunBody>): Promise<void> {
    try {
      await workHeld(runId, body);
    } finally {
      held.delete(runId);
    }
  }

  async function workHeld(runId: string, body: Required<RunBody>): Promise<void> {
    if (stop.signal.aborted) {
      await finishSimulationRun(deps.db, runId, { error: 'the server stopped before the run started' });
      return;
    }
    if (!(await markSimulationRunStarted(deps.db, runId))) {
      app.log.warn({ runId }, 'strategy-lab run no longer queued; not started');
      return;
    }
    let done = 0;
    let written = Date.now();
    let writing: Promise<void> = Promise.resolve();
    try {
      const report = await runSimulation(
        {
          population: pathOf('population', body.population),
          scenario: pathOf('scenario', body.scenario),
          strategies: body.strategies.map((s) => pathOf('strategy', s)),
          borrowers: body.borrowers,
          months: body.months,
          seed: body.seed,
          replications: body.replications,
          startDate: body.startDate,
          workers: 1,
          signal: stop.signal,
        },
        (n) => {
          done += n;
          if (Date.now() - written < PROGRESS_EVERY_MS) return;
          written = Date.now();
          const at = done;
          writing = writing.then(() => recordSimulationProgress(deps.db, runId, at)).catch(() => {});
        },
      );
      await writing;
      await finishSimulationRun(deps.db, runId, { result: presentReport(report) });
    } catch (error) {
      await writing;
      const message = error instanceof Error ? error.message : String(error);
      app.log.error({ err: error, runId }, 'strategy-lab run failed');
      await finishSimulationRun(deps.db, runId, { error: message }).catch(() => {});
    }
  }

  app.get(
    '/simulation/options',
    {
      config: { permission: 'simulations.read' },
      schema: {
        summary:
          'What a strategy-lab run may name: the shipped strategies, scenarios and populations, and the bounds',
        tags: ['simulation'],
        security: bearerSecurity,
        response: {
          200: {
            type: 'object',
            required: ['strategies', 'scenarios', 'populations', 'bounds'],
            properties: {
              strategies: { type: 'array', items: documentSchema },
              scenarios: { type: 'array', items: documentSchema },
              populations: { type: 'array', items: documentSchema },
              bounds: {
                type: 'object',
                required: [
                  'borrowers_max',
                  'months_min',
                  'months_max',
                  'replications_max',
                  'borrowerMonths_max',
                ],
                properties: {
                  borrowers_max: { type: 'integer' },
                  months_min: { type: 'integer' },
                  months_max: { type: 'integer' },
                  replications_max: { type: 'integer' },
                  borrowerMonths_max: { type: 'integer' },
                },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async () => {
      const strip = (d: LabDocument) => ({ id: d.id, name: d.name, description: d.description });
      return {
        strategies: docs.strategy.map(strip),
        scenarios: docs.scenario.map(strip),
        populations: docs.population.map(strip),
        bounds: { ...SIMULATION_BOUNDS, borrowerMonths_max: SIMULATION_API_MAX_BORROWER_MONTHS },
      };
    },
  );

  app.post<{ Body: RunBody }>(
    '/simulation/runs',
    {
      config: { permission: 'simulations.run' },
      schema: {
        summary: 'Start a strategy-lab run: a population through one or two strategies, compared',
        description:
          'Answers 202 with the run, queued; this server works it in the background (poll GET /simulation/runs/{runId}). Borrowers × months × strategies × replications is bounded (400 simulation_too_large); so is the number of runs queued or running at once (409 simulation_busy). Runs are deterministic by seed: the same request gives the same comparison.',
        tags: ['simulation'],
        security: bearerSecurity,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['strategies', 'borrowers', 'months'],
          additionalProperties: false,
          properties: requestProperties(ids),
        },
        response: { 202: runSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      if (new Set(b.strategies).size !== b.strategies.length)
        throw new ProblemError('validation_failed', say(SIMULATION_MESSAGES, 'strategies_repeated'), [
          fieldProblem('/body/strategies', say(SIMULATION_MESSAGES, 'strategies_repeated_field')),
        ]);
      const body: Required<RunBody> = {
        strategies: b.strategies,
        scenario: b.scenario ?? 'base',
        population: b.population ?? 'baseline',
        borrowers: b.borrowers,
        months: b.months,
        replications: b.replications ?? 1,
        seed: b.seed ?? 1,
        startDate: b.startDate ?? firstOfMonth(deps.today()),
      };
      if (Number.isNaN(Date.parse(`${body.startDate}T00:00:00Z`)))
        throw new ProblemError('validation_failed', say(SIMULATION_MESSAGES, 'start_date_invalid'), [
          fieldProblem('/body/startDate', say(SIMULATION_MESSAGES, 'start_date_invalid_field')),
        ]);
      const size = body.borrowers * body.months * body.strategies.length * body.replications;
      const max = SIMULATION_API_MAX_BORROWER_MONTHS;
      if (size > max)
        throw new ProblemError('simulation_too_large', say(SIMULATION_MESSAGES, 'too_large', { size, max }), [
          fieldProblem('/body/borrowers', say(SIMULATION_MESSAGES, 'too_large_field', { size, max })),
        ]);
      let runId: string | undefined;
      await commitWrite(deps, request, reply, async (tx) => {
        await failOrphans(tx);
        const open = await countOpenSimulationRuns(tx);
        if (open >= SIMULATION_API_MAX_OPEN)
          throw new ProblemError(
            'simulation_busy',
            say(SIMULATION_MESSAGES, 'busy', { open, max: SIMULATION_API_MAX_OPEN }),
          );
        const run = await insertSimulationRun(tx, {
          runId: newId('sim', deps.now().getTime()),
          request: body,
          requestedBy: request.principal!.userId,
          borrowersTotal: body.borrowers * body.strategies.length * body.replications,
        });
        runId = run.runId;
        return {
          status: 202,
          body: withoutResult(run),
          location: `/simulation/runs/${run.runId}`,
          audit: [
            {
              action: 'simulation_run.start',
              resourceType: 'simulation_run',
              resourceId: run.runId,
              customerId: null,
              details: { ...body },
            },
          ],
        };
      });
      const accepted = runId;
      if (accepted !== undefined) held.add(accepted);
      if (accepted !== undefined)
        queue = queue
          .then(() => work(accepted, body))
          .catch((error: unknown) =>
            app.log.error({ err: error, runId: accepted }, 'strategy-lab run stopped'),
          );
      return reply;
    },
  );

  app.get<{ Querystring: { limit: number } }>(
    '/simulation/runs',
    {
      config: { permission: 'simulations.read' },
      schema: {
        summary: 'Strategy-lab runs, newest first (without their comparisons)',
        tags: ['simulation'],
        security: bearerSecurity,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: runSchema } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      await failOrphans();
      return { items: (await listSimulationRuns(deps.db, request.query.limit)).map(withoutResult) };
    },
  );

  app.get<{ Params: { runId: string } }>(
    '/simulation/runs/:runId',
    {
      config: { permission: 'simulations.read' },
      schema: {
        summary: 'One strategy-lab run: its status and progress, and the comparison once it has succeeded',
        tags: ['simulation'],
        security: bearerSecurity,
        params: idParam('runId', 'Strategy-lab run id'),
        response: { 200: runDetailSchema, ...problemResponses },
      },
    },
    async (request) => {
      await failOrphans();
      const run = await getSimulationRun(deps.db, request.params.runId);
      if (run === undefined)
        throw new ProblemError(
          'simulation_run_not_found',
          say(SIMULATION_MESSAGES, 'run_not_found', { runId: request.params.runId }),
        );
      return run;
    },
  );
}
