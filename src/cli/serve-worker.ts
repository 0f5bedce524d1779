/**
 * One server process of `lendguard serve --processes N` (started by node:cluster from serve-processes.ts).
 * Its settings come in the environment (the database URL is not put on a command line, where ps shows it).
 */
import { tokenCacheOf } from '../server/index.js';
import { startService } from './commands/serve.js';
import { type ServeMessage, TOKEN_EVICTION_WAIT_MS } from './serve-processes.js';

const send = (message: ServeMessage) => process.send?.(message);

const dbUrl = process.env.LENDGUARD_SERVE_DB;
if (dbUrl === undefined || process.send === undefined) {
  process.stderr.write('lendguard server process: started without its settings (LENDGUARD_SERVE_*)\n');
  process.exit(2);
}

/** Revocations this process announced, by ack number, until the primary confirms the others evicted. */
const announced = new Map<number, () => void>();
let nextAck = 0;
function revokedEverywhere(tokenId: string): Promise<void> {
  const ack = nextAck++;
  return new Promise<void>((resolve) => {
    // The primary answers within TOKEN_EVICTION_WAIT_MS; this bound covers a primary that is gone.
    const timer = setTimeout(() => {
      announced.delete(ack);
      resolve();
    }, 2 * TOKEN_EVICTION_WAIT_MS);
    announced.set(ack, () => {
      clearTimeout(timer);
      announced.delete(ack);
      resolve();
    });
    send({ type: 'lendguard:token-revoked', tokenId, ack });
  });
}

const silent = { stdout: process.stdout, stderr: { write: () => true } as unknown as NodeJS.WritableStream };
try {
  const service = await startService(
    {
      db: dbUrl,
      port: Number(process.env.LENDGUARD_SERVE_PORT),
      host: process.env.LENDGUARD_SERVE_HOST ?? '127.0.0.1',
      config: JSON.parse(process.env.LENDGUARD_SERVE_CONFIG ?? '{}'),
      migrated: true,
      onTokenRevoked: (tokenId) => revokedEverywhere(tokenId),
    },
    silent,
  );
  const tokens = tokenCacheOf(service.app);
  process.on('message', (message: ServeMessage) => {
    if (message?.type === 'lendguard:token-revoked') {
      tokens.evictToken(message.tokenId);
      send({ type: 'lendguard:token-evicted', ack: message.ack });
    } else if (message?.type === 'lendguard:token-evicted') {
      announced.get(message.ack)?.();
    }
  });
  const stop = () => {
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // The primary went away: nothing hands this process connections any more.
  process.once('disconnect', stop);
  send({ type: 'lendguard:listening', url: service.url });
} catch (error) {
  send({ type: 'lendguard:failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
