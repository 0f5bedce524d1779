import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBook } from '../../src/jobs/index.js';
import { addDays, parseDate } from '../../src/money/index.js';
import { type Db, setBusinessDay } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';
import { expectProblem } from './expect-problem.js';
import { auth, freshKey, json, startApi, type TestApi } from './helpers.js';

const TODAY = parseDate('2026-06-15');
const AS_OF = '2026-05-31';

describe.each(backends)('reports API on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  const get = (url: string, token: string = api.tokens.finance) =>
    api.app.inject({ method: 'GET', url, headers: auth(token) });
  const post = (url: string, token: string, payload: unknown) =>
    api.app.inject({
      method: 'POST',
      url,
      headers: { ...auth(token), 'idempotency-key': freshKey() },
      payload: payload as object,
    });

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    await writeBook(db, {
      seed: 42,
      customers: 50,
      loansPerCustomer_max: 3,
      drawFrom: addDays(TODAY, -420),
      drawTo: addDays(TODAY, -10),
      historyThrough: addDays(TODAY, -4),
    });
    await setBusinessDay(db, parseDate('2026-06-12'));
  }, 600_000);
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('answers each built kind as data, as of the last month end on or before asOf', async () => {
    for (const kind of ['classification', 'npl', 'roll-rates', 'vintage']) {
      const res = await get(`/reports/${kind}?asOf=2026-06-05`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { kind: string; asOf: string; tables: { name: string; rows: unknown[] }[] };
      expect(body).toMatchObject({ kind, asOf: AS_OF });
      expect(body.tables.length).toBeGreaterThan(0);
    }
  });

  it('the loans behind a figure are as many as the figure counts', async () => {
    const report = (await get(`/reports/classification?asOf=${AS_OF}`)).json() as {
      tables: { name: string; rows: { class: string; loans: number }[] }[];
    };
    const normal = report.tables[0]?.rows.find((r) => r.class === 'normal');
    const res = await get(
      `/reports/classification/cell?asOf=${AS_OF}&table=by-class&row=normal&column=loans`,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ loans: normal?.loans, truncated: false });
    expect((res.json() as { loanIds: string[] }).loanIds).toHaveLength(Number(normal?.loans));
  });

  it('?format=xlsx is an Excel workbook with the same cells', async () => {
    const json = (await get(`/reports/npl?asOf=${AS_OF}`)).json() as {
      tables: { rows: Record<string, string | number>[] }[];
    };
    const res = await get(`/reports/npl?asOf=${AS_OF}&format=xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const last = json.tables[0]?.rows.at(-1);
    const sheet = wb.getWorksheet('trend');
    const row = sheet?.getRow((json.tables[0]?.rows.length ?? 0) + 2);
    expect(row?.getCell(1).value).toBe(last?.month);
    expect(row?.getCell(2).value).toBe(last?.loans);
    expect(row?.getCell(3).value).toBe(Number(last?.balance));
  });

  it('serves every kind through the one frame: the forward-looking ones by scenario', async () => {
    for (const kind of ['ecl', 'stress', 'liquidity'] as const) {
      const res = await get(`/reports/${kind}?asOf=${AS_OF}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(json(res).kind).toBe(kind);
    }
    const downturn = await get(`/reports/ecl?asOf=${AS_OF}&scenario=downturn`);
    expect(downturn.statusCode, downturn.body).toBe(200);
    expect(json(downturn).scenario).toBe('downturn');
  });

  it('leaves out the tables named in omit, refusing a name the report has no table of', async () => {
    const whole = json(await get(`/reports/ecl?asOf=${AS_OF}`)) as { tables: { name: string }[] };
    expect(whole.tables.map((t) => t.name)).toContain('exposures');
    const res = await get(`/reports/ecl?asOf=${AS_OF}&omit=exposures,transitions`);
    expect(res.statusCode, res.body).toBe(200);
    const some = json(res) as typeof whole;
    // The others in the report's order, each as in the whole report; the summary and notes as they are.
    expect(some.tables).toEqual(
      whole.tables.filter((t) => t.name !== 'exposures' && t.name !== 'transitions'),
    );
    expect(some.tables.length).toBe(whole.tables.length - 2);
    expect({ ...some, tables: [] }).toEqual({ ...whole, tables: [] });
    const xlsx = await get(`/reports/ecl?asOf=${AS_OF}&omit=exposures&format=xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'summary',
      ...whole.tables.filter((t) => t.name !== 'exposures').map((t) => t.name),
    ]);
    expectProblem(await get(`/reports/ecl?asOf=${AS_OF}&omit=stages,exposure`), {
      status: 400,
      code: 'report_table_unknown',
      says: /no table "exposure"; its tables are .*exposures/,
      path: '/query/omit',
    });
    expectProblem(await get(`/reports/ecl?asOf=${AS_OF}&omit=Stages`), {
      status: 400,
      code: 'validation_failed',
      says: /omit/,
      path: '/query/omit',
    });
  });

  it('stresses through the simulator with simulate=true, within the API bounds', async () => {
    const q = `asOf=${AS_OF}&scenario=pandemic&simulate=true&borrowers=10&months=2&seed=3`;
    const res = await get(`/reports/stress?${q}`);
    expect(res.statusCode, res.body).toBe(200);
    const report = json(res) as { tables: { name: string; rows: Record<string, unknown>[] }[] };
    const simulated = report.tables.find((t) => t.name === 'simulated');
    expect(simulated?.rows.map((r) => r.scenario)).toEqual(['pandemic']);
    expect(report.tables.find((t) => t.name === 'simulated-months')?.rows).toHaveLength(2);
    expectProblem(await get(`/reports/npl?asOf=${AS_OF}&simulate=true`), {
      status: 400,
      code: 'validation_failed',
      says: /stress/,
      path: '/query/simulate',
    });
    expectProblem(await get(`/reports/stress?asOf=${AS_OF}&strategy=relief`), {
      status: 400,
      code: 'validation_failed',
      says: /simulate/,
      path: '/query/strategy',
    });
    expectProblem(await get(`/reports/stress?asOf=${AS_OF}&simulate=true&population=nowhere`), {
      status: 400,
      code: 'validation_failed',
      says: /nowhere/,
      path: '/query/population',
    });
    expect((await get(`/reports/stress?asOf=${AS_OF}&simulate=true&borrowers=5000`)).statusCode).toBe(400);
  });

  it('refuses as problem+json: an unknown kind, a bad date, an open month, a role without reports', async () => {
    expectProblem(await get(`/reports/nonsense?asOf=${AS_OF}`), {
      status: 404,
      code: 'report_kind_unknown',
      says: /nonsense/,
    });
    expectProblem(await get('/reports/npl?asOf=2026-13-01'), {
      status: 400,
      code: 'report_date_invalid',
      says: /date/,
      path: '/query/asOf',
    });
    expectProblem(await get('/reports/npl?asOf=2026-06-30'), {
      status: 409,
      code: 'report_month_not_closed',
      says: /not closed/,
    });
    // The forward-looking kinds measure any closed day: a text that is not a date, or a day not closed yet,
    // is refused as for the month-end kinds (it was a 500 and a report of a book that does not exist yet).
    for (const kind of ['ecl', 'stress', 'liquidity'] as const) {
      expectProblem(await get(`/reports/${kind}?asOf=2026-13-01`), {
        status: 400,
        code: 'report_date_invalid',
        says: /2026-13-01/,
        path: '/query/asOf',
      });
      expectProblem(await get(`/reports/${kind}?asOf=2027-05-31`), {
        status: 409,
        code: 'report_day_not_closed',
        says: /2027-05-31 is not closed/,
        path: '/query/asOf',
      });
    }
    expectProblem(await get('/reports/credit-report?asOf=2026-13-01'), {
      status: 400,
      code: 'report_date_invalid',
      says: /2026-13-01/,
      path: '/query/asOf',
    });
    // The credit report is the month containing asOf: June is not closed on 2026-06-12.
    expectProblem(await get('/reports/credit-report?asOf=2026-06-05'), {
      status: 409,
      code: 'report_month_not_closed',
      says: /2026-06-30 is not closed/,
    });
    expectProblem(await get(`/reports/roll-rates/cell?asOf=${AS_OF}&table=matrix-count&row=M9&column=M0`), {
      status: 404,
      code: 'report_cell_not_found',
      says: /M9/,
    });
    expectProblem(await get(`/reports/npl?asOf=${AS_OF}`, api.tokens.collector), {
      status: 403,
      code: 'forbidden',
      says: /./,
    });
    for (const role of ['admin', 'risk_analyst', 'auditor'] as const) {
      expect((await get(`/reports/npl?asOf=${AS_OF}`, api.tokens[role])).statusCode).toBe(200);
    }
  });

  it('refuses a scenario it does not have, and a scenario given to a kind that takes none', async () => {
    // An unknown scenario was a 500 on every forward-looking kind.
    for (const kind of ['ecl', 'stress', 'liquidity'] as const) {
      expectProblem(await get(`/reports/${kind}?asOf=${AS_OF}&scenario=nope`), {
        status: 400,
        code: 'report_scenario_unknown',
        says: /no scenario "nope"; the scenarios are base, downturn/,
        path: '/query/scenario',
      });
    }
    // The credit report answered as if no scenario had been given.
    expectProblem(await get(`/reports/credit-report?asOf=${AS_OF}&scenario=downturn`), {
      status: 422,
      code: 'report_scenario_unsupported',
      says: /the credit-report report takes no scenario/,
      path: '/query/scenario',
    });
  });

  it('a manual class: proposed by one, refused to the same person, approved by another, in the report', async () => {
    const cell = (
      await get(`/reports/classification/cell?asOf=${AS_OF}&table=by-class&row=special-mention&column=loans`)
    ).json() as {
      loanIds: string[];
    };
    const loanId = cell.loanIds[0] as string;
    const proposed = await post('/reports/classification/overrides', api.tokens.risk_analyst, {
      loanId,
      monthEnd: AS_OF,
      assetClass: 'doubtful',
      reason: 'court judgment against the borrower',
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const { overrideId } = proposed.json() as { overrideId: string };
    expectProblem(
      await post('/reports/classification/overrides', api.tokens.risk_analyst, {
        loanId,
        monthEnd: AS_OF,
        assetClass: 'normal',
        reason: 'x',
      }),
      { status: 422, code: 'class_override_below_floor', says: /worse/ },
    );
    expectProblem(
      await post(`/reports/classification/overrides/${overrideId}/decision`, api.tokens.risk_analyst, {
        decision: 'approve',
      }),
      { status: 403, code: 'class_override_by_proposer', says: /second person/ },
    );
    const approved = await post(
      `/reports/classification/overrides/${overrideId}/decision`,
      api.tokens.admin,
      {
        decision: 'approve',
        note: 'seen the judgment',
      },
    );
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'approved',
      assetClass: 'doubtful',
      rulesClass: 'special-mention',
    });
    const report = (await get(`/reports/classification?asOf=${AS_OF}`)).json() as {
      tables: { name: string; rows: Record<string, unknown>[] }[];
    };
    expect(report.tables.find((t) => t.name === 'overrides')?.rows).toEqual([
      expect.objectContaining({ loanId, class: 'doubtful', rulesClass: 'special-mention' }),
    ]);
    const audit = await db.query<{ action: string }>(
      `select action from audit_log where resource_type = 'class_override' order by audit_id`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['class_override.propose', 'class_override.approve']);
  });
});
