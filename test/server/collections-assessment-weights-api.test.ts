import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ASSESSMENT_SETTINGS } from '../../src/collections/index.js';
import { parseDate } from '../../src/money/index.js';
import {
  closeLoansThrough,
  type Db,
  type Role,
  refreshCases,
  setBusinessDay,
} from '../../src/store/index.js';
import { backends, dumpTables, openMigrated } from '../store/backends.js';
import { callAs, createCash12mOverApi, drawLoanOverApi, json, startApi, type TestApi } from './helpers.js';

/**
 * Ability/willingness weights as versioned data with maker-checker (decision 0717): the shipped weights are
 * the default version; an approved draft is used from the next case refresh and recorded on the case.
 */
describe.each(backends)('assessment weights over the API, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  const now = new Date('2026-11-05T04:00:00Z');
  let caseId = '';

  const call = (role: Role, method: string, url: string, payload?: unknown) =>
    callAs(api, role, method, url, payload);
  const refresh = () => db.transaction((tx) => refreshCases(tx, parseDate('2026-11-04'), null));

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db, {}, () => now);
    await setBusinessDay(db, parseDate('2026-10-01'));
    await createCash12mOverApi(call);
    const { loanId } = await drawLoanOverApi(call, 51);
    await db.transaction((tx) => closeLoansThrough(tx, [loanId], parseDate('2026-11-04')));
    await setBusinessDay(db, parseDate('2026-11-05'));
    await refresh();
    caseId = (
      json(await call('auditor', 'GET', `/collections/cases?loanId=${loanId}`)).items as { caseId: string }[]
    )[0]!.caseId;
    // Lost contact: 2 points of unwillingness with the shipped weights, short of a verdict.
    expect(
      (await call('collector', 'PATCH', `/collections/cases/${caseId}`, { lostContact: true })).statusCode,
    ).toBe(200);
    await refresh();
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('serves the shipped weights as the version in force while none is published', async () => {
    const shipped = await call('auditor', 'GET', '/collections/assessment-weights/shipped');
    expect(shipped.statusCode).toBe(200);
    expect(json(shipped)).toEqual(JSON.parse(JSON.stringify(DEFAULT_ASSESSMENT_SETTINGS)));
    const c = json(await call('auditor', 'GET', `/collections/cases/${caseId}`));
    expect(c).toMatchObject({ assessmentVersion: 'shipped', verdict: 'undetermined' });
    expect((c.assessment as { unwillingnessPoints: number }).unwillingnessPoints).toBe(2);
    expect((await call('collector', 'GET', '/collections/assessment-weights')).statusCode).toBe(403);
  });

  it('refuses invalid weights with every path and writes nothing', async () => {
    const before = await dumpTables(db);
    const bad = {
      ...DEFAULT_ASSESSMENT_SETTINGS,
      verdictPointsMin: 0,
      points: { ...DEFAULT_ASSESSMENT_SETTINGS.points, evasion: 99 },
    };
    const res = await call('risk_analyst', 'POST', '/collections/assessment-weights', { weights: bad });
    expect(res.statusCode, res.body).toBe(400);
    expect(json(res).code).toBe('assessment_weights_invalid');
    expect((json(res).errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      '/body/weights/points/evasion',
      '/body/weights/verdictPointsMin',
    ]);
    expect(
      (
        await call('collector', 'POST', '/collections/assessment-weights', {
          weights: DEFAULT_ASSESSMENT_SETTINGS,
        })
      ).statusCode,
    ).toBe(403);
    const unknown = await call('admin', 'POST', '/collections/assessment-weights/caw-none/approve', {});
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).code).toBe('assessment_weights_not_found');
    expect(await dumpTables(db)).toEqual(before);
  });

  it('a draft is approved by a second person and used from the next refresh; the previous version retires', async () => {
    const weights = {
      ...DEFAULT_ASSESSMENT_SETTINGS,
      points: { ...DEFAULT_ASSESSMENT_SETTINGS.points, lostContact: 3 },
    };
    const drafted = await call('risk_analyst', 'POST', '/collections/assessment-weights', {
      weights,
      note: '失联 weighs more',
    });
    expect(drafted.statusCode, drafted.body).toBe(201);
    const v = json(drafted).version as string;
    expect(json(drafted)).toMatchObject({ status: 'draft', approvedBy: null });
    // A draft changes nothing.
    await refresh();
    expect(json(await call('auditor', 'GET', `/collections/cases/${caseId}`))).toMatchObject({
      assessmentVersion: 'shipped',
    });
    const own = await call('risk_analyst', 'POST', `/collections/assessment-weights/${v}/approve`, {});
    expect(own.statusCode).toBe(403);
    expect(json(own).code).toBe('approval_by_author');
    const ok = await call('admin', 'POST', `/collections/assessment-weights/${v}/approve`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json(ok)).toMatchObject({ status: 'published', approvedBy: api.userIds.admin });
    const again = await call('admin', 'POST', `/collections/assessment-weights/${v}/approve`, {});
    expect(again.statusCode).toBe(409);
    expect(json(again).code).toBe('assessment_weights_status_conflict');
    expect(
      (
        json(await call('auditor', 'GET', `/collections/assessment-weights/${v}`)).points as {
          lostContact: number;
        }
      ).lostContact,
    ).toBe(3);

    await refresh();
    const c = json(await call('auditor', 'GET', `/collections/cases/${caseId}`));
    expect(c).toMatchObject({ assessmentVersion: v, verdict: 'unwillingness' });
    expect((c.assessment as { reasons: unknown[] }).reasons).toContainEqual(
      expect.objectContaining({ code: 'AS_LOST_CONTACT', points: 3 }),
    );

    const next = json(
      await call('risk_analyst', 'POST', '/collections/assessment-weights', {
        weights: DEFAULT_ASSESSMENT_SETTINGS,
      }),
    );
    expect(
      (await call('admin', 'POST', `/collections/assessment-weights/${next.version as string}/approve`, {}))
        .statusCode,
    ).toBe(200);
    const list = json(await call('auditor', 'GET', '/collections/assessment-weights')).items as {
      version: string;
      status: string;
    }[];
    expect(list.find((x) => x.version === v)?.status).toBe('retired');
    expect(list.find((x) => x.version === next.version)?.status).toBe('published');
    const audit = json(
      await call('auditor', 'GET', '/audit-log?action=collection.assessment_weights_approve'),
    );
    expect(audit.items).toHaveLength(2);
    await refresh();
    expect(json(await call('auditor', 'GET', `/collections/cases/${caseId}`))).toMatchObject({
      assessmentVersion: next.version,
      verdict: 'undetermined',
    });
  });
});
