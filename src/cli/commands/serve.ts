import type { FastifyInstance } from 'fastify';
import { runDispatcher } from '../../jobs/index.js';
import {
  buildServer,
  DEFAULT_SERVER_CONFIG,
  LEDGER_WRITES_IN_FLIGHT_LIMIT,
  RATE_LIMIT_PER_TOKEN_LIMIT,
  type ServerConfig,
} from '../../server/index.js';
import {
  type Db,
  loadPiiKeys,
  migrate,
  openDb,
  purgeExpiredIdempotency,
  redactUrl,
  resolveDbTarget,
  schemaVersion,
  servingRoleProblem,
} from '../../store/index.js';
import { type CliIo, counted, UsageError, writeLine } from '../io.js';
import type { RegisterCommand } from '../register.js';
import { type RunningProcesses, SERVER_PROCESSES_MAX, startServerProcesses } from '../serve-processes.js';
import { addDbOption, explained } from './db-options.js';
import { readChannelConfig } from './dispatch.js';
import { parsePort, parsePositiveInt } from './parse.js';
import { readEclSettingsOption } from './report.js';

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';
/** Expired idempotency records removed at each start (the rest go at the next start). */
const IDEMPOTENCY_PURGE_ROWS_MAX = 100_000;

export interface ServiceOptions {
  db?: string;
  port: number;
  host: string;
  config?: Partial<ServerConfig>;
  /** The database was migrated by the process that started this one (several server processes). */
  migrated?: boolean;
  /** Told of each token revoked through this server (several server processes: tell the others). */
  onTokenRevoked?: (tokenId: string) => Promise<void>;
  /**
   * A postgres:// URL of the role that owns the schema: it migrates, and `db` (another role) serves. The
   * serving role is then refused when it owns the tables or is a superuser (docs/security.md).
   */
  migrateUrl?: string;
}

/** Migrates with the owning role, then checks that the serving role is not the owner. */
async function migrateAsOwner(migrateUrl: string, serving: Db): Promise<void> {
  const owner = resolveDbTarget(migrateUrl);
  if (owner.kind !== 'postgres') {
    throw new UsageError('--migrate-url must be a postgres:// URL of the role that owns the schema');
  }
  const ownerDb = await openDb(owner);
  try {
    await migrate(ownerDb);
  } finally {
    await ownerDb.close();
  }
  const problem = await servingRoleProblem(serving);
  if (problem !== undefined) {
    throw new UsageError(
      `refusing to serve: ${problem}, so it could rewrite the audit log. Serve with a role granted only what docs/security.md lists (--db), and migrate with the owner (--migrate-url)`,
    );
  }
}

/** A port taken by another program is an operator's fix, not a crash. */
function listenProblem(error: unknown, host: string, port: number): never {
  const code = (error as { code?: unknown }).code;
  if (code === 'EADDRINUSE') {
    throw new UsageError(
      `port ${port} on ${host} is in use by another program; give another with --port (e.g. --port ${port === 65_535 ? 8081 : port + 1}), or --port 0 for any free one`,
    );
  }
  if (code === 'EACCES') {
    throw new UsageError(
      `port ${port} on ${host} needs privileges this user lacks; give a port above 1023 with --port`,
    );
  }
  throw error;
}

/** Refuses before any work when the port is taken (the demo checks before it builds its book). */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const { createServer } = await import('node:net');
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => {
      try {
        listenProblem(error, host, port);
      } catch (problem) {
        reject(problem);
      }
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

export interface RunningService {
  app: FastifyInstance;
  db: Db;
  url: string;
  close(): Promise<void>;
}

/** Applies pending migrations and purges expired idempotency records (once per start of the service). */
async function prepareDb(db: Db): Promise<{ schemaVersion: number; purged: number }> {
  const report = await migrate(db);
  const purged = await purgeExpiredIdempotency(db, IDEMPOTENCY_PURGE_ROWS_MAX);
  return { schemaVersion: report.schemaVersion, purged };
}

/**
 * `lendguard serve --processes N` on PostgreSQL: migrates once here, then starts N server processes on
 * one port and runs until SIGINT or SIGTERM.
 */
export async function startProcesses(
  options: ServiceOptions & { processes: number },
  io: CliIo,
): Promise<RunningProcesses> {
  const target = resolveDbTarget(options.db);
  if (target.kind !== 'postgres') {
    throw new UsageError(
      `--processes ${options.processes} needs a PostgreSQL server (--db postgres://…): the embedded database runs inside the one process that holds its data folder; leave --processes at 1 for it`,
    );
  }
  const keys = loadPiiKeys(target);
  const db = await openDb(target);
  let prepared: { schemaVersion: number; purged: number };
  try {
    prepared = await prepareDb(db);
  } finally {
    await db.close();
  }
  const running = await startServerProcesses({
    dbUrl: target.url,
    port: options.port,
    host: options.host,
    processes: options.processes,
    config: options.config ?? {},
    onEvent: (message) => writeLine(io.stderr, `lendguard: ${message}`),
  });
  writeLine(
    io.stderr,
    `lendguard: listening on ${running.url} with ${counted(options.processes, 'server process', 'server processes')} (database ${redactUrl(target.url)}, schema ${prepared.schemaVersion}, ${counted(prepared.purged, 'expired idempotency record')} purged, PII key ${keys.cipher.activeKeyId} from ${keys.source}); dashboard at ${running.url}/, API docs at ${running.url}/docs`,
  );
  return running;
}

/** Opens and migrates the database, loads the PII keys and starts listening. */
export async function startService(options: ServiceOptions, io: CliIo): Promise<RunningService> {
  const target = resolveDbTarget(options.db);
  const keys = loadPiiKeys(target);
  const db = await openDb(target);
  try {
    if (options.migrateUrl !== undefined) await migrateAsOwner(options.migrateUrl, db);
    const prepared =
      options.migrated === true
        ? undefined
        : options.migrateUrl !== undefined
          ? {
              schemaVersion: await schemaVersion(db),
              purged: await purgeExpiredIdempotency(db, IDEMPOTENCY_PURGE_ROWS_MAX),
            }
          : await prepareDb(db);
    const app = await buildServer({
      db,
      cipher: keys.cipher,
      config: options.config ?? {},
      ...(options.onTokenRevoked === undefined ? {} : { onTokenRevoked: options.onTokenRevoked }),
    });
    let url: string;
    try {
      url = await app.listen({ port: options.port, host: options.host });
    } catch (error) {
      await app.close();
      listenProblem(error, options.host, options.port);
    }
    if (prepared !== undefined) {
      writeLine(
        io.stderr,
        `lendguard: listening on ${url} (database ${db.kind} at ${db.location}, schema ${prepared.schemaVersion}, ${counted(prepared.purged, 'expired idempotency record')} purged, PII key ${keys.cipher.activeKeyId} from ${keys.source}); dashboard at ${url}/, API docs at ${url}/docs`,
      );
    }
    let closed = false;
    return {
      app,
      db,
      url,
      async close() {
        if (closed) return;
        closed = true;
        await app.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

export const registerServe: RegisterCommand = (program, io) => {
  addDbOption(
    program
      .command('serve')
      .description('Run the HTTP API (OpenAPI at /openapi.json, docs at /docs)')
      .option('--port <n>', `port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)`)
      .option('--host <address>', `address to listen on (default ${DEFAULT_HOST})`)
      .option('--log-requests', 'log each request (method, path, status, time) to stderr')
      .option(
        '--migrate-url <url>',
        'postgres:// URL of the role that owns the schema: it migrates, and --db (a role that does not own the tables) serves; see docs/security.md',
      )
      .option(
        '--writes-in-flight <n>',
        `ledger write transactions each server process runs at once on PostgreSQL (default ${DEFAULT_SERVER_CONFIG.ledgerWritesInFlight_max}, at most ${LEDGER_WRITES_IN_FLIGHT_LIMIT})`,
      )
      .option(
        '--rate-limit-per-token <n>',
        `requests one API token may send per minute to each server process (default ${DEFAULT_SERVER_CONFIG.rateLimitPerToken_max}); raise it for a payment gateway or batch integration that sends more`,
      )
      .option(
        '--processes <n>',
        'server processes sharing the port (default 1). Above 1 needs a PostgreSQL server: the embedded database lives inside the one process that holds its folder',
      )
      .option(
        '--ecl-settings <file>',
        "the lender's ECL settings (JSON: lgdOverride, lgdFloor, ccf, scenarioWeights; docs/ecl.md) for the ECL, stress and liquidity reports and the month-end posting",
      )
      .option(
        '--dispatch <channels-file>',
        'also deliver reminders and webhooks from the outbox in this process, through the channels of the file (as `lendguard dispatch`; one server process only)',
      ),
  ).action(
    (options: {
      db?: string;
      port?: string;
      host?: string;
      logRequests?: boolean;
      processes?: string;
      writesInFlight?: string;
      rateLimitPerToken?: string;
      migrateUrl?: string;
      dispatch?: string;
      eclSettings?: string;
    }) =>
      explained(async () => {
        const processes =
          options.processes === undefined
            ? 1
            : parsePositiveInt(options.processes, '--processes', SERVER_PROCESSES_MAX);
        if (options.dispatch !== undefined && processes > 1) {
          throw new UsageError(
            '--dispatch runs in one server process; with --processes, run `lendguard dispatch` beside them',
          );
        }
        const channels = options.dispatch === undefined ? undefined : readChannelConfig(options.dispatch);
        const serviceOptions = {
          ...(options.db === undefined ? {} : { db: options.db }),
          ...(options.migrateUrl === undefined ? {} : { migrateUrl: options.migrateUrl }),
          port: options.port === undefined ? DEFAULT_PORT : parsePort(options.port),
          host: options.host ?? DEFAULT_HOST,
          config: {
            logRequests: options.logRequests === true,
            ...(options.eclSettings === undefined
              ? {}
              : { eclSettings: readEclSettingsOption(options.eclSettings) }),
            ...(options.writesInFlight === undefined
              ? {}
              : {
                  ledgerWritesInFlight_max: parsePositiveInt(
                    options.writesInFlight,
                    '--writes-in-flight',
                    LEDGER_WRITES_IN_FLIGHT_LIMIT,
                  ),
                }),
            ...(options.rateLimitPerToken === undefined
              ? {}
              : {
                  rateLimitPerToken_max: parsePositiveInt(
                    options.rateLimitPerToken,
                    '--rate-limit-per-token',
                    RATE_LIMIT_PER_TOKEN_LIMIT,
                  ),
                }),
          },
        };
        const service =
          processes === 1
            ? await startService(serviceOptions, io)
            : await startProcesses({ ...serviceOptions, processes }, io);
        const dispatching = new AbortController();
        const dispatcher =
          channels === undefined || !('db' in service)
            ? undefined
            : runDispatcher(service.db, loadPiiKeys(resolveDbTarget(options.db)).cipher, channels, {
                signal: dispatching.signal,
              }).catch((error: unknown) => {
                writeLine(io.stderr, `lendguard: the dispatcher stopped: ${(error as Error).message}`);
              });
        // Runs until SIGINT or SIGTERM, then finishes open requests and closes the database.
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            writeLine(io.stderr, `lendguard: ${signal} received, closing`);
            process.off('SIGINT', onInt);
            process.off('SIGTERM', onTerm);
            dispatching.abort();
            Promise.resolve(dispatcher)
              .then(() => service.close())
              .then(resolve, resolve);
          };
          const onInt = () => stop('SIGINT');
          const onTerm = () => stop('SIGTERM');
          process.on('SIGINT', onInt);
          process.on('SIGTERM', onTerm);
        });
      }),
  );
};
