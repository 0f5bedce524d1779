import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerConfig } from '../../server/index.js';
import {
  type Db,
  loadPiiKeys,
  migrate,
  openDb,
  purgeExpiredIdempotency,
  resolveDbTarget,
} from '../../store/index.js';
import { type CliIo, writeLine } from '../io.js';
import type { RegisterCommand } from '../main.js';
import { addDbOption, explained } from './db-options.js';
import { parsePort } from './parse.js';

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';
/** Expired idempotency records removed at each start (the rest go at the next start). */
const IDEMPOTENCY_PURGE_ROWS_MAX = 100_000;

export interface ServiceOptions {
  db?: string;
  port: number;
  host: string;
  config?: Partial<ServerConfig>;
}

export interface RunningService {
  app: FastifyInstance;
  db: Db;
  url: string;
  close(): Promise<void>;
}

/** Opens and migrates the database, loads the PII keys and starts listening. */
export async function startService(options: ServiceOptions, io: CliIo): Promise<RunningService> {
  const target = resolveDbTarget(options.db);
  const keys = loadPiiKeys(target);
  const db = await openDb(target);
  try {
    const report = await migrate(db);
    const purged = await purgeExpiredIdempotency(db, IDEMPOTENCY_PURGE_ROWS_MAX);
    const app = await buildServer({ db, cipher: keys.cipher, config: options.config ?? {} });
    const url = await app.listen({ port: options.port, host: options.host });
    writeLine(
      io.stderr,
      `lendguard: listening on ${url} (database ${db.kind} at ${db.location}, schema ${report.schemaVersion}, ${purged} expired idempotency records purged, PII key ${keys.cipher.activeKeyId} from ${keys.source}); dashboard at ${url}/, API docs at ${url}/docs`,
    );
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
      .option('--log-requests', 'log each request (method, path, status, time) to stderr'),
  ).action((options: { db?: string; port?: string; host?: string; logRequests?: boolean }) =>
    explained(async () => {
      const service = await startService(
        {
          ...(options.db === undefined ? {} : { db: options.db }),
          port: options.port === undefined ? DEFAULT_PORT : parsePort(options.port),
          host: options.host ?? DEFAULT_HOST,
          config: { logRequests: options.logRequests === true },
        },
        io,
      );
      // Runs until SIGINT or SIGTERM, then finishes open requests and closes the database.
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          writeLine(io.stderr, `lendguard: ${signal} received, closing`);
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
          service.close().then(resolve, resolve);
        };
        const onInt = () => stop('SIGINT');
        const onTerm = () => stop('SIGTERM');
        process.on('SIGINT', onInt);
        process.on('SIGTERM', onTerm);
      });
    }),
  );
};
