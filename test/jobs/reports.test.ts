import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildMonthEnd,
  decideClassOverrideAs,
  loadReport,
  loadReportCell,
  proposeClassOverride,
  REPORT_LOADERS,
  ReportError,
  reportXlsxBuffer,
} from '../../src/jobs/index.js';
import { parseDate } from '../../src/money/index.js';
import type { Report } from '../../src/reporting/index.js';
import type { Db } from '../../src/store/index.js';
import { attachOrigination, REPORT_AS_OF, reportBook } from './report-book.js';

const GOLDEN_DIR = new URL('../fixtures/reports/', import.meta.url);
const KINDS = ['classification', 'npl', 'roll-rates', 'vintage'] as const;
/** Vintages by the other groupings, each with its golden file `vintage-<by>.json`. */
const GROUPINGS = ['channel', 'policy'] as const;

/**
 * A deliberately simple reading of the book, sharing no code with reporting/: each loan's month-end snapshot
 * read as plain JSON, days past due from its oldest overdue instalment, the bucket from the table of domain.md
 * §3, the balance as not-due principal plus the unpaid principal of billed instalments.
 */
interface Plain {
  loan: string;
  bucket: number;
  dpd: number;
  balance: bigint;
}

function bucketOf(dpd: number): number {
  if (dpd <= 0) return 0;
  if (dpd > 180) return 7;
  return Math.ceil(dpd / 30);
}

async function plainMonth(db: Db, monthEnd: string): Promise<Map<string, Plain>> {
  const { rows } = await db.query<{ loan_id: string; seq: number; state: string }>(
    `select loan_id, seq, state::text as state from loan_snapshots where day = $1::date`,
    [monthEnd],
  );
  const latest = new Map<string, { seq: number; state: string }>();
  for (const r of rows) {
    const seen = latest.get(r.loan_id);
    if (seen === undefined || seen.seq < r.seq) latest.set(r.loan_id, { seq: r.seq, state: r.state });
  }
  const day = Math.round(Date.parse(`${monthEnd}T00:00:00Z`) / 86_400_000);
  const out = new Map<string, Plain>();
  for (const [loan, { state }] of latest) {
    const s = JSON.parse(state);
    if (s.status !== 'active') continue;
    const oldest = s.dues[0];
    const dpd = oldest?.overdue ? Math.max(0, day - oldest.dueDay) : 0;
    let balance = BigInt(s.notDuePrincipalMinor);
    for (const d of s.dues) balance += BigInt(d.principalMinor);
    out.set(loan, { loan, bucket: bucketOf(dpd), dpd, balance });
  }
  return out;
}

/** Half-up to six places, by hand. */
function sixPlaces(num: bigint, den: bigint): string {
  const scaled = (num * 2_000_000n + den) / (2n * den);
  const whole = scaled / 1_000_000n;
  return `${whole}.${(scaled % 1_000_000n).toString().padStart(6, '0')}`;
}

function previousMonthEnd(monthEnd: string): string {
  const d = new Date(`${monthEnd.slice(0, 8)}01T00:00:00Z`);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

function table(report: Report, name: string) {
  const t = report.tables.find((x) => x.name === name);
  if (t === undefined) throw new Error(`no table ${name}`);
  return t;
}

describe('portfolio reports on a seeded book', () => {
  let db: Db;
  const reports = new Map<string, Report>();
  beforeAll(async () => {
    db = await reportBook();
    await attachOrigination(db);
    for (const kind of KINDS) reports.set(kind, await loadReport(db, kind, { asOf: REPORT_AS_OF }));
    for (const by of GROUPINGS)
      reports.set(`vintage-${by}`, await loadReport(db, 'vintage', { asOf: REPORT_AS_OF, by }));
  }, 600_000);
  afterAll(async () => {
    await db?.close();
  });

  it('holds a month-end row for every loan on the book at each month end, and for no other', async () => {
    // Read from the loans and their events, not from the snapshots the month-end build reads: a loan repaid on
    // the month end (its repayment accrued the day) or drawn that day must still be on that month end's rows.
    const { rows: ends } = await db.query<{ month_end: string }>(
      'select distinct month_end::text as month_end from loan_month_ends order by 1',
    );
    expect(ends.length).toBeGreaterThan(3);
    for (const { month_end } of ends) {
      const live = await db.query<{ loan_id: string }>(
        `select l.loan_id from loans l
          where l.opened_day <= $1::date
            and not exists (select 1 from loan_events e
                             where e.customer_id = l.customer_id and e.loan_id = l.loan_id
                               and e.type in ('LoanSettled', 'LoanWrittenOff') and e.day <= $1::date)
          order by 1`,
        [month_end],
      );
      const stored = await db.query<{ loan_id: string }>(
        'select loan_id from loan_month_ends where month_end = $1::date order by 1',
        [month_end],
      );
      expect(
        stored.rows.map((r) => r.loan_id),
        month_end,
      ).toEqual(live.rows.map((r) => r.loan_id));
    }
  });

  it.each([...KINDS, ...GROUPINGS.map((by) => `vintage-${by}`)])('%s matches its golden file', (kind) => {
    const file = new URL(`${kind}.json`, GOLDEN_DIR);
    const text = `${JSON.stringify(reports.get(kind), null, 1)}\n`;
    if (process.env.LENDGUARD_UPDATE_GOLDEN === '1') writeFileSync(file, text);
    expect(existsSync(file), `golden file ${file.pathname}; LENDGUARD_UPDATE_GOLDEN=1 writes it`).toBe(true);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });

  it('a report as of a day within a month describes the month end before it, the same figures', async () => {
    const mid = await loadReport(db, 'roll-rates', { asOf: '2026-06-10' });
    expect(mid).toEqual(reports.get('roll-rates'));
  });

  it('roll rates agree with a simple count of the month-end snapshots, cell by cell, loan by loan', async () => {
    const report = reports.get('roll-rates') as Report;
    const before = await plainMonth(db, previousMonthEnd(REPORT_AS_OF));
    const after = await plainMonth(db, REPORT_AS_OF);
    const matrix = table(report, 'matrix-count');
    let checked = 0;
    for (let from = 0; from <= 7; from++) {
      const inFrom = [...before.values()].filter((p) => p.bucket === from);
      const row = matrix.rows.find((r) => r.from === `M${from}`);
      expect(row?.loans).toBe(inFrom.length);
      for (const to of [0, 1, 2, 3, 4, 5, 6, 7, -1]) {
        const key = to < 0 ? 'out' : `M${to}`;
        const mine = inFrom
          .filter((p) => (to < 0 ? !after.has(p.loan) : after.get(p.loan)?.bucket === to))
          .map((p) => p.loan)
          .sort();
        const drilled = await loadReportCell(
          db,
          'roll-rates',
          { asOf: REPORT_AS_OF },
          {
            table: 'matrix-count',
            row: `M${from}`,
            column: key,
          },
        );
        expect([...drilled].sort()).toEqual(mine);
        if (inFrom.length > 0) {
          // The printed share is within one unit of the last place of the exact one (largest remainder).
          const exact = mine.length / inFrom.length;
          expect(Math.abs(Number(row?.[key]) - exact)).toBeLessThanOrEqual(1e-6 + 1e-12);
          checked += mine.length;
        }
      }
    }
    expect(checked).toBe(before.size);
    // The flow rates Mn-1→Mn, exactly as domain.md §3 states them.
    const flow = table(report, 'flow-rates').rows.at(-1);
    for (let n = 1; n <= 7; n++) {
      let entered = 0n;
      let base = 0n;
      for (const p of before.values()) {
        if (p.bucket !== n - 1) continue;
        base += p.balance;
        const q = after.get(p.loan);
        if (q?.bucket === n) entered += q.balance;
      }
      expect(flow?.[`M${n - 1}-M${n}`]).toBe(base === 0n ? null : sixPlaces(entered, base));
    }
    // PAR30 / PAR90 of the month.
    const ind = table(report, 'indicators').rows.at(-1);
    let total = 0n;
    let par30 = 0n;
    let par90 = 0n;
    for (const p of after.values()) {
      total += p.balance;
      if (p.dpd > 30) par30 += p.balance;
      if (p.dpd > 90) par90 += p.balance;
    }
    expect(ind?.par30).toBe(sixPlaces(par30, total));
    expect(ind?.par90).toBe(sixPlaces(par90, total));
    expect(par30).toBeGreaterThan(0n);
  });

  it('vintages agree with a simple sum over the cohorts, to the last place', async () => {
    const report = reports.get('vintage') as Report;
    const { rows: loans } = await db.query<{ loan_id: string; opened: string; principal: string }>(
      `select loan_id, opened_day::text as opened, principal_minor::text as principal from loans`,
    );
    const vintage = table(report, 'vintage-m2');
    const allRows = vintage.rows.filter((r) => r.segment === 'all');
    expect(allRows.length).toBeGreaterThan(12);
    const monthCache = new Map<string, Map<string, Plain>>();
    const monthEndOf = (cohort: string, mob: number) => {
      const [y, m] = cohort.split('-').map(Number) as [number, number];
      return new Date(Date.UTC(y, m + mob, 0)).toISOString().slice(0, 10);
    };
    let cells = 0;
    for (const row of allRows.slice(-8)) {
      const cohort = String(row.cohort);
      const members = loans.filter((l) => l.opened.startsWith(cohort));
      const disbursed = members.reduce((a, l) => a + BigInt(l.principal), 0n);
      expect(row.loans).toBe(members.length);
      for (let mob = 0; ; mob++) {
        const end = monthEndOf(cohort, mob);
        if (end > REPORT_AS_OF) {
          expect(row[`mob${mob}`] ?? null).toBe(null);
          break;
        }
        let month = monthCache.get(end);
        if (month === undefined) {
          month = await plainMonth(db, end);
          monthCache.set(end, month);
        }
        let bad = 0n;
        for (const l of members) {
          const p = month.get(l.loan_id);
          if (p !== undefined && p.bucket >= 2) bad += p.balance;
        }
        expect(row[`mob${mob}`], `${cohort} MOB${mob}`).toBe(sixPlaces(bad, disbursed));
        cells += 1;
      }
    }
    expect(cells).toBeGreaterThan(20);
  });

  it.each(GROUPINGS)(
    'vintages by %s agree with a simple sum over each segment’s cohorts, and drill down per segment',
    async (by) => {
      const report = reports.get(`vintage-${by}`) as Report;
      // The segment of each loan read plainly: the line's first application (by submission, then id), its
      // channel, and the policy version of its first approving decision (by time, then id); none: unknown.
      const { rows: loans } = await db.query<{
        loan_id: string;
        line_id: string;
        opened: string;
        principal: string;
      }>(
        `select loan_id, line_id, opened_day::text as opened, principal_minor::text as principal from loans`,
      );
      const { rows: apps } = await db.query<{
        application_id: string;
        line_id: string;
        at: string;
        channel: string;
      }>(
        `select application_id, line_id, to_char(submitted_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as at,
           channel from applications`,
      );
      const { rows: decs } = await db.query<{
        application_id: string;
        decision_id: string;
        at: string;
        policy: string;
      }>(
        `select application_id, decision_id, to_char(decided_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as at,
           policy_version as policy from decisions where outcome = 'approve'`,
      );
      const firstApp = new Map<string, (typeof apps)[number]>();
      for (const a of apps) {
        const seen = firstApp.get(a.line_id);
        if (
          seen === undefined ||
          a.at < seen.at ||
          (a.at === seen.at && a.application_id < seen.application_id)
        )
          firstApp.set(a.line_id, a);
      }
      const firstApproval = new Map<string, (typeof decs)[number]>();
      for (const d of decs) {
        const seen = firstApproval.get(d.application_id);
        if (seen === undefined || d.at < seen.at || (d.at === seen.at && d.decision_id < seen.decision_id))
          firstApproval.set(d.application_id, d);
      }
      const segmentOf = (line: string) => {
        const a = firstApp.get(line);
        const v = by === 'channel' ? a?.channel : a && firstApproval.get(a.application_id)?.policy;
        return v ?? 'unknown';
      };
      const vintage = table(report, 'vintage-m2');
      const segments = [...new Set(vintage.rows.map((r) => String(r.segment)))];
      expect(segments[0]).toBe('all');
      expect(segments).toContain('unknown');
      expect(segments.length).toBeGreaterThan(3);
      const monthEndOf = (cohort: string, mob: number) => {
        const [y, m] = cohort.split('-').map(Number) as [number, number];
        return new Date(Date.UTC(y, m + mob, 0)).toISOString().slice(0, 10);
      };
      const monthCache = new Map<string, Map<string, Plain>>();
      let cells = 0;
      const rows = vintage.rows.filter((r) => r.segment !== 'all');
      const drilledLoans = new Set<string>();
      const drilledCells = new Set<string>();
      // Every segment's cohorts add up to the `all` row of the draw month.
      for (const all of vintage.rows.filter((r) => r.segment === 'all')) {
        const parts = rows.filter((r) => r.cohort === all.cohort);
        expect(parts.reduce((n, r) => n + Number(r.loans), 0)).toBe(all.loans);
      }
      for (const row of rows.filter((r) => String(r.cohort) >= '2026-01')) {
        const cohort = String(row.cohort);
        const members = loans.filter(
          (l) => l.opened.startsWith(cohort) && segmentOf(l.line_id) === row.segment,
        );
        const disbursed = members.reduce((a, l) => a + BigInt(l.principal), 0n);
        expect(row.loans, String(row.row)).toBe(members.length);
        // Drill-down per segment, once for its loans and once for a cell with loans in it (each drill-down
        // reads the month ends again, so not every cell).
        const drill = !drilledLoans.has(String(row.segment));
        if (drill) {
          drilledLoans.add(String(row.segment));
          const drilled = await loadReportCell(
            db,
            'vintage',
            { asOf: REPORT_AS_OF, by },
            { table: 'vintage-m2', row: String(row.row), column: 'loans' },
          );
          expect(drilled).toEqual(members.map((l) => l.loan_id).sort());
        }
        for (let mob = 0; ; mob++) {
          const end = monthEndOf(cohort, mob);
          if (end > REPORT_AS_OF) break;
          let month = monthCache.get(end);
          if (month === undefined) {
            month = await plainMonth(db, end);
            monthCache.set(end, month);
          }
          let bad = 0n;
          const badLoans: string[] = [];
          for (const l of members) {
            const p = month.get(l.loan_id);
            if (p !== undefined && p.bucket >= 2) {
              bad += p.balance;
              badLoans.push(l.loan_id);
            }
          }
          expect(row[`mob${mob}`], `${row.row} MOB${mob}`).toBe(sixPlaces(bad, disbursed));
          if (badLoans.length > 0 && !drilledCells.has(String(row.segment))) {
            drilledCells.add(String(row.segment));
            const cell = await loadReportCell(
              db,
              'vintage',
              { asOf: REPORT_AS_OF, by },
              { table: 'vintage-m2', row: String(row.row), column: `mob${mob}` },
            );
            expect(cell).toEqual(badLoans.sort());
          }
          cells += 1;
        }
      }
      expect(cells).toBeGreaterThan(10);
      expect(drilledCells.size).toBeGreaterThan(1);
    },
  );

  it('class totals add up to the book and the NPL ratio sits beside the 90+ DPD ratio', async () => {
    const report = reports.get('classification') as Report;
    const byClass = table(report, 'by-class');
    const classes = byClass.rows.filter((r) => r.class !== 'total');
    const total = byClass.rows.find((r) => r.class === 'total');
    const after = await plainMonth(db, REPORT_AS_OF);
    expect(classes.reduce((n, r) => n + Number(r.loans), 0)).toBe(after.size);
    expect(total?.loans).toBe(after.size);
    const cents = (x: unknown) => BigInt(String(x).replace('.', ''));
    const balance = [...after.values()].reduce((a, p) => a + p.balance, 0n);
    expect(classes.reduce((a, r) => a + cents(r.balance), 0n)).toBe(balance);
    const figure = (key: string) => report.summary.find((f) => f.key === key)?.value;
    expect(figure('nplRatio')).not.toBeNull();
    expect(figure('dpd90Ratio')).not.toBeNull();
    const npl = await loadReport(db, 'npl', { asOf: REPORT_AS_OF });
    expect(table(npl, 'trend').rows.at(-1)?.nplRatio).toBe(figure('nplRatio'));
  });

  it('an Excel export reads back with the report’s cells', async () => {
    const report = reports.get('roll-rates') as Report;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportXlsxBuffer(report)) as unknown as ExcelJS.Buffer);
    const summary = wb.getWorksheet('summary');
    expect(summary?.getCell('B2').value).toBe(REPORT_AS_OF);
    const sheet = wb.getWorksheet('indicators');
    const t = table(report, 'indicators');
    expect(sheet?.getRow(1).values).toEqual([undefined, ...t.columns.map((c) => c.key)]);
    const last = t.rows.at(-1);
    const row = sheet?.getRow(t.rows.length + 2);
    expect(row?.getCell(1).value).toBe(last?.month);
    expect(row?.getCell(2).value).toBe(last?.loans);
    expect(row?.getCell(3).value).toBe(Number(last?.balance));
    expect(row?.getCell(4).value).toBe(Number(last?.par30));
    expect(row?.getCell(4).numFmt).toBe('0.000000');
  });

  it('a manual class needs a second person, can only make a class worse, and is audited', async () => {
    const before = reports.get('classification') as Report;
    const normal = await loadReportCell(
      db,
      'classification',
      { asOf: REPORT_AS_OF },
      {
        table: 'by-class',
        row: 'normal',
        column: 'loans',
      },
    );
    const loanId = normal[0] as string;
    const maker = { userId: 'usr-maker', role: 'risk_analyst', requestId: null };
    const checker = { userId: 'usr-checker', role: 'admin', requestId: null };
    const monthEnd = parseDate(REPORT_AS_OF);
    const proposed = await proposeClassOverride(db, maker, {
      loanId,
      monthEnd,
      assetClass: 'substandard',
      reason: 'borrower lost income; other lenders report arrears',
    });
    await expect(
      decideClassOverrideAs(db, maker, proposed.overrideId, 'approve', null),
    ).rejects.toMatchObject({
      code: 'class_override_by_proposer',
    });
    await expect(
      proposeClassOverride(db, maker, { loanId, monthEnd, assetClass: 'loss', reason: 'again' }),
    ).rejects.toMatchObject({ code: 'class_override_exists' });
    const approved = await decideClassOverrideAs(db, checker, proposed.overrideId, 'approve', 'agreed');
    expect(approved.status).toBe('approved');
    const after = await loadReport(db, 'classification', { asOf: REPORT_AS_OF });
    const count = (r: Report, c: string) => table(r, 'by-class').rows.find((x) => x.class === c)?.loans;
    expect(count(after, 'normal')).toBe(Number(count(before, 'normal')) - 1);
    expect(count(after, 'substandard')).toBe(Number(count(before, 'substandard')) + 1);
    expect(table(after, 'overrides').rows).toEqual([
      {
        loanId,
        rulesClass: 'normal',
        class: 'substandard',
        reason: 'borrower lost income; other lenders report arrears',
        proposedBy: 'usr-maker',
        approvedBy: 'usr-checker',
      },
    ]);
    const worse = (
      await loadReportCell(
        db,
        'classification',
        { asOf: REPORT_AS_OF },
        {
          table: 'by-class',
          row: 'substandard',
          column: 'loans',
        },
      )
    ).find((id) => id !== loanId);
    if (worse !== undefined) {
      await expect(
        proposeClassOverride(db, maker, { loanId: worse, monthEnd, assetClass: 'normal', reason: 'paid' }),
      ).rejects.toMatchObject({ code: 'class_override_below_floor' });
    }
    const { rows } = await db.query<{ action: string; actor_user_id: string }>(
      `select action, actor_user_id from audit_log where resource_type = 'class_override' order by audit_id`,
    );
    expect(rows).toEqual([
      { action: 'class_override.propose', actor_user_id: 'usr-maker' },
      { action: 'class_override.approve', actor_user_id: 'usr-checker' },
    ]);
  });

  it('refuses a month end some loans are not closed through, counting one loan in the singular', async () => {
    // The business day is past the month end, but k loans are set back to the day before it, as a stopped EOD leaves them.
    const { rows } = await db.query<{ loan_id: string; last_closed_day: string }>(
      `select loan_id, last_closed_day::text from loans
        where status = 'active' and opened_day <= $1::date and last_closed_day >= $1::date
        order by loan_id limit 2`,
      [REPORT_AS_OF],
    );
    expect(rows).toHaveLength(2);
    const refusal = async (k: number) => {
      const ids = rows.slice(0, k).map((r) => r.loan_id);
      await db.query(`update loans set last_closed_day = '2026-05-30' where loan_id = any($1)`, [ids]);
      try {
        await buildMonthEnd(db, parseDate(REPORT_AS_OF), 'test');
        return 'built';
      } catch (e) {
        return e instanceof ReportError ? `${e.code} ${e.status}: ${e.message}` : String(e);
      } finally {
        for (const r of rows)
          await db.query('update loans set last_closed_day = $2::date where loan_id = $1', [
            r.loan_id,
            r.last_closed_day,
          ]);
      }
    };
    const then = 'not closed through 2026-05-31; run the end-of-day batch through that day first';
    expect(await refusal(1)).toBe(`report_month_not_closed 409: 1 loan is ${then}`);
    expect(await refusal(2)).toBe(`report_month_not_closed 409: 2 loans are ${then}`);
  });

  it('refuses unknown kinds, kinds not built yet, bad dates and months not closed, each with its code', async () => {
    const code = async (p: Promise<unknown>) => {
      try {
        await p;
        return 'resolved';
      } catch (e) {
        return e instanceof ReportError ? `${e.code} ${e.status}` : String(e);
      }
    };
    expect(await code(loadReport(db, 'nonsense', { asOf: REPORT_AS_OF }))).toBe('report_kind_unknown 404');
    const missing = ['ecl', 'stress', 'liquidity', 'credit-report'].find((k) => !(k in REPORT_LOADERS));
    if (missing !== undefined) {
      expect(await code(loadReport(db, missing, { asOf: REPORT_AS_OF }))).toBe('report_not_available 501');
    }
    expect(await code(loadReport(db, 'npl', { asOf: '2026-02-30' }))).toBe('report_date_invalid 400');
    expect(await code(loadReport(db, 'npl', { asOf: '2026-06-30' }))).toBe('report_month_not_closed 409');
    expect(await code(loadReport(db, 'npl', { asOf: REPORT_AS_OF, scenario: 'downturn' }))).toBe(
      'report_scenario_unsupported 422',
    );
    expect(await code(loadReport(db, 'npl', { asOf: REPORT_AS_OF, by: 'channel' }))).toBe(
      'report_grouping_unsupported 422',
    );
    expect(await code(loadReport(db, 'vintage', { asOf: REPORT_AS_OF, by: 'province' }))).toBe(
      'report_grouping_unsupported 422',
    );
    expect(
      await code(
        loadReportCell(
          db,
          'roll-rates',
          { asOf: REPORT_AS_OF },
          { table: 'matrix-count', row: 'M9', column: 'M0' },
        ),
      ),
    ).toBe('report_cell_not_found 404');
  });
});
