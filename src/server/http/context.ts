import type { Db, PiiCipher, Principal } from '../../store/index.js';
import type { ServerConfig } from '../config.js';
import type { Permission } from './roles.js';
import type { TokenCache } from './token-cache.js';

/** What every route plugin is given. */
export interface ServerDeps {
  db: Db;
  cipher: PiiCipher;
  config: ServerConfig;
  /** Tokens recently found valid (src/server/token-cache.ts). */
  tokens: TokenCache;
  /** Called after a token is revoked, so that other server processes forget it too (resolves when they have). */
  tokenRevoked: (tokenId: string) => Promise<void>;
  /** Today (YYYY-MM-DD) in the lender's zone: the one place the server reads the calendar. */
  today: () => string;
  /** The wall clock, read by the shell only (tests give a fixed one). */
  now: () => Date;
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
    /** The route looks its Idempotency-Key up inside its write transaction, not before (decision 0212). */
    idempotencyInTransaction?: boolean;
  }
}
