import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cadenceInForce } from '../../src/jobs/index.js';
import type { Role } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import { auth, freshKey, startApi, type TestApi } from './helpers.js';

/** The shipped cadence, with the T−3 reminder worded by the lender. */
function lenderCadence() {
  const doc = JSON.parse(
    readFileSync(new URL('../../policies/reminders/default-cadence.json', import.meta.url), 'utf8'),
  );
  doc.cadences[0].stages[0].templates.en.subject = 'Due on {dueDate}: {amountDue}';
  return doc;
}

describe('a lender publishes its own reminder cadence, maker-checker', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(await openMigrated(backends[0]!));
  });
  afterAll(async () => {
    await api?.app.close();
    await api?.db.close();
  });

  const get = (url: string, role: Role = 'auditor') =>
    api.app.inject({ method: 'GET', url, headers: auth(api.tokens[role]) });
  const post = (url: string, body: unknown, role: Role) =>
    api.app.inject({
      method: 'POST',
      url,
      headers: {
        ...auth(api.tokens[role]),
        'idempotency-key': freshKey(),
        'content-type': 'application/json',
      },
      payload: JSON.stringify(body),
    });
  const count = async () =>
    (await api.db.query<{ n: number }>('select count(*)::int as n from reminder_cadence_versions')).rows[0]!
      .n;

  it('shows the shipped cadence in force until one is published', async () => {
    const listed = await get('/reminder-cadences');
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json()).toEqual({ inForce: 'shipped', items: [] });
    const shipped = await get('/reminder-cadences/shipped');
    expect(shipped.statusCode, shipped.body).toBe(200);
    expect(shipped.json()).toMatchObject({ version: 'shipped', status: 'shipped', inForce: true });
    expect((shipped.json() as { document: { cadences: unknown[] } }).document.cadences).toHaveLength(1);
  });

  it('refuses a bad document with every problem by path, and writes nothing', async () => {
    const bad = lenderCadence();
    bad.cadences[0].stages[0].channel = 'fax';
    bad.cadences[0].stages[1].templates.en.body = 'Pay {amountDue} by {dueDate}, {nickname}';
    bad.cadences[0].stages[2].offsetDays = 1000;
    const res = await post('/reminder-cadences', { document: bad }, 'risk_analyst');
    expectProblem(res, { status: 400, code: 'cadence_invalid', says: /not valid/ });
    const paths = (res.json() as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/body/document/cadences/0/stages/0/channel',
        '/body/document/cadences/0/stages/1/templates/en/body',
        '/body/document/cadences/0/stages/2/offsetDays',
      ]),
    );
    expect(await count()).toBe(0);
    const zh = await api.app.inject({
      method: 'POST',
      url: '/reminder-cadences',
      headers: {
        ...auth(api.tokens.risk_analyst),
        'idempotency-key': freshKey(),
        'content-type': 'application/json',
        'accept-language': 'zh-CN',
      },
      payload: JSON.stringify({ document: bad }),
    });
    expect(zh.statusCode).toBe(400);
    expect((zh.json() as { title: string }).title).toBe('提醒节奏无效');
    expect((zh.json() as { detail: string }).detail).toContain('errors 中列出的 3 处');
  });

  it('counts the fields at fault in English with the singular for one', async () => {
    const one = lenderCadence();
    one.cadences[0].stages[0].channel = 'fax';
    const res = await post('/reminder-cadences', { document: one }, 'risk_analyst');
    expectProblem(res, { status: 400, code: 'cadence_invalid', says: /fix the 1 field named in errors/ });
    const three = lenderCadence();
    three.cadences[0].stages[0].channel = 'fax';
    three.cadences[0].stages[1].templates.en.body = 'Pay {amountDue} by {dueDate}, {nickname}';
    three.cadences[0].stages[2].offsetDays = 1000;
    const many = await post('/reminder-cadences', { document: three }, 'risk_analyst');
    expectProblem(many, { status: 400, code: 'cadence_invalid', says: /fix the 3 fields named in errors/ });
    expect(await count()).toBe(0);
  });

  it('a collector may not draft one', async () => {
    expectProblem(await post('/reminder-cadences', { document: lenderCadence() }, 'collector'), {
      status: 403,
      code: 'forbidden',
      says: /./,
    });
  });

  it('drafts, refuses approval by its author (403), publishes on a second person’s approval', async () => {
    const drafted = await post(
      '/reminder-cadences',
      { document: lenderCadence(), note: 'our own words for T−3' },
      'risk_analyst',
    );
    expect(drafted.statusCode, drafted.body).toBe(201);
    const draft = drafted.json() as { version: string };
    expect(drafted.json()).toMatchObject({
      status: 'draft',
      inForce: false,
      note: 'our own words for T−3',
      approvedBy: null,
    });
    const one = await get(`/reminder-cadences/${draft.version}`);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toMatchObject({ version: draft.version, status: 'draft' });
    expect(JSON.stringify(one.json())).toContain('Due on {dueDate}: {amountDue}');

    expectProblem(await post(`/reminder-cadences/${draft.version}/approve`, {}, 'risk_analyst'), {
      status: 403,
      code: 'approval_by_author',
      says: /another person/,
    });
    expect((await cadenceInForce(api.db)).version).toBe('shipped');

    const approved = await post(`/reminder-cadences/${draft.version}/approve`, {}, 'admin');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'published', inForce: true });
    expect((await cadenceInForce(api.db)).version).toBe(draft.version);
    const listed = (await get('/reminder-cadences')).json() as { inForce: string; items: unknown[] };
    expect(listed.inForce).toBe(draft.version);
    expect(listed.items).toHaveLength(1);
    expect((await get('/reminder-cadences/shipped')).json()).toMatchObject({ inForce: false });

    expectProblem(await post(`/reminder-cadences/${draft.version}/approve`, {}, 'admin'), {
      status: 409,
      code: 'cadence_status_conflict',
      says: /only a draft/,
    });
    expectProblem(await post('/reminder-cadences/rcv_nope/approve', {}, 'admin'), {
      status: 404,
      code: 'cadence_not_found',
      says: /GET \/reminder-cadences/,
    });
    expectProblem(await get('/reminder-cadences/rcv_nope'), {
      status: 404,
      code: 'cadence_not_found',
      says: /rcv_nope/,
    });
  });
});
