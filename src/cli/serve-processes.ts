import cluster, { type Worker } from 'node:cluster';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ServerConfig } from '../server/index.js';

/** Server processes one `lendguard serve` may start. */
export const SERVER_PROCESSES_MAX = 64;
/** Times a server process that died on its own is started again, over the life of the service. */
export const SERVER_PROCESS_RESTARTS_MAX = 10;
/** Time a new server process has to start listening. */
export const SERVER_PROCESS_START_TIMEOUT_MS = 60_000;

/** Messages between the primary process and the server processes (node:cluster IPC). */
export type ServeMessage =
  | { type: 'lendguard:listening'; url: string }
  /** A server process revoked a token; the primary tells the others and answers with `token-evicted`. */
  | { type: 'lendguard:token-revoked'; tokenId: string; ack: number }
  | { type: 'lendguard:token-evicted'; ack: number }
  | { type: 'lendguard:failed'; message: string };

/** How long a revocation waits for the other server processes to confirm; past it, their TTL bounds it. */
export const TOKEN_EVICTION_WAIT_MS = 2_000;

export interface ServeProcessesOptions {
  /** A postgres:// URL: the server processes share the database, never an embedded folder. */
  dbUrl: string;
  port: number;
  host: string;
  processes: number;
  config?: Partial<ServerConfig>;
  /** Told of each process that died and of each restart. */
  onEvent?: (message: string) => void;
}

export interface RunningProcesses {
  url: string;
  pids(): number[];
  close(): Promise<void>;
}

function workerEntry(): { path: string; execArgv: string[] } {
  const js = fileURLToPath(new URL('./serve-worker.js', import.meta.url));
  if (existsSync(js)) return { path: js, execArgv: [] };
  return {
    path: fileURLToPath(new URL('./serve-worker.ts', import.meta.url)),
    execArgv: ['--import', 'tsx'],
  };
}

/**
 * Starts `processes` server processes on one port (node:cluster: this process accepts connections and
 * hands them out in turn). Each has its own pool and its own ledger write gate (decision 0211); the
 * database's row locks and idempotency records keep writes exact across them. A token revoked through
 * one process is evicted from the token caches of all. The database must already be migrated.
 */
export async function startServerProcesses(options: ServeProcessesOptions): Promise<RunningProcesses> {
  if (!cluster.isPrimary) throw new Error('assertion: server processes are started by the primary process');
  const entry = workerEntry();
  cluster.setupPrimary({ exec: entry.path, execArgv: entry.execArgv, args: [], silent: false });
  const env = {
    LENDGUARD_SERVE_DB: options.dbUrl,
    LENDGUARD_SERVE_PORT: String(options.port),
    LENDGUARD_SERVE_HOST: options.host,
    LENDGUARD_SERVE_CONFIG: JSON.stringify(options.config ?? {}),
  };
  const workers = new Set<Worker>();
  let stopping = false;
  let restarts = 0;
  let url: string | undefined;

  // A revocation is relayed to every other process; the revoking one hears back when all confirmed.
  let nextAck = 0;
  const pending = new Map<number, { left: number; done: () => void }>();
  const relay = (from: Worker, message: ServeMessage) => {
    if (message?.type === 'lendguard:token-evicted') {
      const p = pending.get(message.ack);
      if (p !== undefined && --p.left <= 0) p.done();
      return;
    }
    if (message?.type !== 'lendguard:token-revoked') return;
    const others = [...workers].filter((w) => w !== from && w.isConnected());
    const ack = nextAck++;
    const done = () => {
      clearTimeout(timer);
      pending.delete(ack);
      if (from.isConnected()) from.send({ type: 'lendguard:token-evicted', ack: message.ack });
    };
    const timer = setTimeout(done, TOKEN_EVICTION_WAIT_MS);
    pending.set(ack, { left: others.length, done });
    if (others.length === 0) done();
    for (const w of others) w.send({ type: 'lendguard:token-revoked', tokenId: message.tokenId, ack });
  };

  const fork = () =>
    new Promise<Worker>((resolve, reject) => {
      const worker = cluster.fork(env);
      workers.add(worker);
      const timer = setTimeout(() => {
        reject(
          new Error(`a server process did not start listening within ${SERVER_PROCESS_START_TIMEOUT_MS} ms`),
        );
        worker.kill();
      }, SERVER_PROCESS_START_TIMEOUT_MS);
      worker.on('message', (message: ServeMessage) => {
        if (message?.type === 'lendguard:listening') {
          clearTimeout(timer);
          url ??= message.url;
          resolve(worker);
        } else if (message?.type === 'lendguard:failed') {
          clearTimeout(timer);
          reject(new Error(message.message));
        } else relay(worker, message);
      });
      worker.on('exit', (code, signal) => {
        clearTimeout(timer);
        workers.delete(worker);
        reject(new Error(`a server process exited before listening (code ${code}, signal ${signal})`));
        if (stopping) return;
        options.onEvent?.(`server process ${worker.process.pid} exited (code ${code}, signal ${signal})`);
        if (restarts >= SERVER_PROCESS_RESTARTS_MAX) {
          options.onEvent?.(`not restarted: ${SERVER_PROCESS_RESTARTS_MAX} restarts already`);
          return;
        }
        restarts++;
        fork().then(
          (w) => options.onEvent?.(`server process ${w.process.pid} started in its place`),
          (error: unknown) => options.onEvent?.(`restart failed: ${String(error)}`),
        );
      });
    });

  const close = async () => {
    stopping = true;
    await Promise.all(
      [...workers].map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once('exit', () => resolve());
            // The process finishes open requests, closes its pool and exits.
            w.process.kill('SIGTERM');
          }),
      ),
    );
  };

  try {
    await Promise.all(Array.from({ length: options.processes }, () => fork()));
  } catch (error) {
    await close();
    throw error;
  }
  if (url === undefined) throw new Error('assertion: listening processes reported their address');
  return { url, pids: () => [...workers].map((w) => w.process.pid ?? 0), close };
}
