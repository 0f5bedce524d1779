import type { Principal } from '../../store/index.js';

/** Principals remembered at most. Past this the oldest entry goes first. */
export const TOKEN_CACHE_ENTRIES_MAX = 10_000;

interface Entry {
  principal: Principal;
  /** Clock reading (ms) after which the entry is not used. */
  until_ms: number;
}

/**
 * API tokens recently found valid, by token hash, so that a busy client does not cost a database
 * look-up per request. An entry lives `ttl_ms` at most and never past the token's own expiry.
 * Revocation through this process evicts the token at once (and, with several server processes, the
 * other processes are told to evict it too); a revocation this process is not told about (another
 * machine, SQL by hand) takes effect within `ttl_ms`. A ttl of 0 turns the cache off.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly ttl_ms: number,
    private readonly now_ms: () => number = Date.now,
  ) {}

  get(tokenHash: string): Principal | undefined {
    const entry = this.entries.get(tokenHash);
    if (entry === undefined) return undefined;
    if (this.now_ms() >= entry.until_ms) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry.principal;
  }

  set(tokenHash: string, principal: Principal, tokenExpires_ms: number | null): void {
    if (this.ttl_ms <= 0) return;
    const until_ms = Math.min(this.now_ms() + this.ttl_ms, tokenExpires_ms ?? Number.POSITIVE_INFINITY);
    this.entries.delete(tokenHash);
    if (this.entries.size >= TOKEN_CACHE_ENTRIES_MAX) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(tokenHash, { principal, until_ms });
  }

  /** Forgets a token (revoked); the next request that presents it is checked against the database. */
  evictToken(tokenId: string): void {
    for (const [hash, entry] of this.entries) {
      if (entry.principal.tokenId === tokenId) this.entries.delete(hash);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
