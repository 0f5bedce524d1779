import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { startApi, type TestApi } from './helpers.js';
import { applicant, apply, invite } from './origination-helpers.js';

describe.each(backends.slice(0, 1))('smoke $name', (backend) => {
  let db: Db;
  let api: TestApi;
  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db, { logRequests: true });
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });
  it('decides', async () => {
    await invite(api, 1);
    const d = await apply(api, applicant(1));
    console.log(JSON.stringify(d, null, 1).slice(0, 3000));
    const d2 = await apply(api, applicant(2));
    console.log(d2.outcome, d2.reasons.map((r) => r.code), d2.flags.map((f) => f.kind));
    expect(d.outcome).toBeDefined();
  });
});
