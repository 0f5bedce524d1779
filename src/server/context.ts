import type { Db, PiiCipher, Principal } from '../store/index.js';
import type { ServerConfig } from './config.js';
import type { Permission } from './roles.js';

/** What every route plugin is given. */
export interface ServerDeps {
  db: Db;
  cipher: PiiCipher;
  config: ServerConfig;
}

export interface IdempotencyContext {
  key: string;
  requestMac: string;
  fieldMacs: Record<string, string>;
  macKeyId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    idempotency: IdempotencyContext | null;
  }
  interface FastifyContextConfig {
    /** The permission a caller needs; absent on public routes only. */
    permission?: Permission;
    /** Reachable without a token (health, OpenAPI, docs). */
    public?: boolean;
  }
}
