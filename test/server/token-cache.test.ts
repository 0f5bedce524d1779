import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, TOKEN_CACHE_ENTRIES_MAX, TokenCache, tokenCacheOf } from '../../src/server/index.js';
import type { Db, Principal } from '../../src/store/index.js';
import { type Backend, backends, openMigrated } from '../store/backends.js';
import { auth, json, startApi, type TestApi } from './helpers.js';

const principal = (tokenId: string): Principal => ({
  userId: `usr_${tokenId}`,
  username: `user-${tokenId}`,
  role: 'finance',
  tokenId,
});

describe('token cache', () => {
  it('keeps a principal for its TTL, never past the token expiry, and forgets an evicted token', () => {
    let now_ms = 1_000_000;
    const cache = new TokenCache(5_000, () => now_ms);
    cache.set('h1', principal('t1'), null);
    cache.set('h2', principal('t2'), now_ms + 1_000);
    now_ms += 999;
    expect(cache.get('h1')?.tokenId).toBe('t1');
    expect(cache.get('h2')?.tokenId).toBe('t2');
    now_ms += 1;
    expect(cache.get('h2')).toBeUndefined();
    cache.evictToken('t1');
    expect(cache.get('h1')).toBeUndefined();
    cache.set('h1', principal('t1'), null);
    now_ms += 5_000;
    expect(cache.get('h1')).toBeUndefined();
  });

  it('holds at most TOKEN_CACHE_ENTRIES_MAX entries, dropping the oldest first', () => {
    const cache = new TokenCache(5_000, () => 0);
    for (let i = 0; i <= TOKEN_CACHE_ENTRIES_MAX; i++) cache.set(`h${i}`, principal(`t${i}`), null);
    expect(cache.size).toBe(TOKEN_CACHE_ENTRIES_MAX);
    expect(cache.get('h0')).toBeUndefined();
    expect(cache.get(`h${TOKEN_CACHE_ENTRIES_MAX}`)?.tokenId).toBe(`t${TOKEN_CACHE_ENTRIES_MAX}`);
  });

  it('with a TTL of 0 keeps nothing', () => {
    const cache = new TokenCache(0);
    cache.set('h1', principal('t1'), null);
    expect(cache.get('h1')).toBeUndefined();
  });
});

describe.each(backends)('token cache in the API on $name', (backend: Backend) => {
  let db: Db;
  let api: TestApi;
  let cold: TestApi;
  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    cold = { ...api, app: await buildServer({ db, cipher: api.cipher, config: { tokenCacheTtl_ms: 0 } }) };
  });
  afterAll(async () => {
    await api.app.close();
    await cold.app.close();
    await db.close();
  });

  const me = (app: TestApi['app'], token: string) =>
    app.inject({ method: 'GET', url: '/me', headers: auth(token) });

  it('a token revoked behind the API is honoured until its cache entry ends; without a cache, at once', async () => {
    const token = api.tokens.auditor;
    expect((await me(api.app, token)).statusCode).toBe(200);
    expect((await me(cold.app, token)).statusCode).toBe(200);
    const tokenId = json(await me(api.app, token)).tokenId as string;
    await db.query('update api_tokens set revoked_at = now() where user_id = $1', [api.userIds.auditor]);
    // The cached server still trusts it (for at most tokenCacheTtl_ms); the uncached one refuses at once.
    expect((await me(api.app, token)).statusCode).toBe(200);
    expect((await me(cold.app, token)).statusCode).toBe(401);
    // What a revocation through the API (or another server process) does: the entry goes.
    tokenCacheOf(api.app).evictToken(tokenId);
    expect((await me(api.app, token)).statusCode).toBe(401);
  });
});
