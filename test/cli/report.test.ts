import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printReport, REPORT_TEXT_ROWS_MAX } from '../../src/cli/commands/report.js';
import { main } from '../../src/cli/main.js';
import { writeBook } from '../../src/jobs/book.js';
import { addDays, parseDate } from '../../src/money/index.js';
import type { Report } from '../../src/reporting/index.js';
import { migrate, openDb } from '../../src/store/index.js';
import { pdfText } from '../server/evidence-reader.js';
import { capture } from './capture.js';

const parent = mkdtempSync(join(tmpdir(), 'lg-report-'));
const dir = join(parent, 'data');
const TODAY = parseDate('2026-06-15');

async function run(args: readonly string[]) {
  const c = capture();
  const code = await main(['report', ...args, '--db', dir], c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('lendguard report', () => {
  beforeAll(async () => {
    const db = await openDb({ kind: 'pglite', dataDir: dir });
    try {
      await migrate(db);
      await writeBook(db, {
        seed: 5,
        customers: 60,
        loansPerCustomer_max: 3,
        drawFrom: addDays(TODAY, -400),
        drawTo: addDays(TODAY, -10),
        historyThrough: addDays(TODAY, -4),
      });
      await db.query(`update business_day set day = '2026-06-12'`);
    } finally {
      await db.close();
    }
  }, 600_000);
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('prints the class table for a person, in both languages', async () => {
    const r = await run(['classification', '--as-of', '2026-05-31']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Five-category classification · 贷款五级分类 — 2026-05-31');
    expect(r.out).toContain('NPL ratio');
    expect(r.out).toContain('不良率');
    expect(r.out).toContain('special-mention');
  });

  it('prints the month-end refusal for loans not closed through it, one loan in the singular', async () => {
    // April's month end built afresh while k loans are set back to the day before it (a stopped EOD).
    const withOpen = async (work: (db: Awaited<ReturnType<typeof openDb>>) => Promise<void>) => {
      const db = await openDb({ kind: 'pglite', dataDir: dir });
      try {
        await work(db);
      } finally {
        await db.close();
      }
    };
    let held: { loan_id: string; last_closed_day: string }[] = [];
    await withOpen(async (db) => {
      held = (
        await db.query<{ loan_id: string; last_closed_day: string }>(
          `select loan_id, last_closed_day::text from loans
            where status = 'active' and opened_day <= '2026-04-30' and last_closed_day >= '2026-04-30'
            order by loan_id limit 2`,
        )
      ).rows;
    });
    expect(held).toHaveLength(2);
    const refusal = async (k: number) => {
      await withOpen(async (db) => {
        await db.query(`delete from month_end_builds where month_end = '2026-04-30'`);
        await db.query(`update loans set last_closed_day = '2026-04-29' where loan_id = any($1)`, [
          held.slice(0, k).map((r) => r.loan_id),
        ]);
      });
      try {
        return await run(['classification', '--as-of', '2026-04-30']);
      } finally {
        await withOpen(async (db) => {
          for (const r of held)
            await db.query('update loans set last_closed_day = $2::date where loan_id = $1', [
              r.loan_id,
              r.last_closed_day,
            ]);
        });
      }
    };
    const then = 'not closed through 2026-04-30; run the end-of-day batch through that day first';
    const one = await refusal(1);
    expect(one.code).toBe(1);
    expect(one.err).toBe(`error: 1 loan is ${then}\n`);
    const two = await refusal(2);
    expect(two.code).toBe(1);
    expect(two.err).toBe(`error: 2 loans are ${then}\n`);
    // Closed again, the month end builds.
    expect((await run(['classification', '--as-of', '2026-04-30'])).code).toBe(0);
  });

  it('prints JSON that is the report, and the loans of a figure', async () => {
    const r = await run(['roll-rates', '--as-of', '2026-06-03', '--json']);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as {
      kind: string;
      asOf: string;
      tables: { name: string; rows: Record<string, unknown>[] }[];
    };
    expect(report).toMatchObject({ kind: 'roll-rates', asOf: '2026-05-31' });
    const m0 = report.tables.find((t) => t.name === 'matrix-count')?.rows.find((x) => x.from === 'M0');
    const drill = await run([
      'roll-rates',
      '--as-of',
      '2026-05-31',
      '--table',
      'matrix-count',
      '--row',
      'M0',
      '--column',
      'loans',
      '--json',
    ]);
    expect(drill.code, drill.err).toBe(0);
    expect((JSON.parse(drill.out) as { loanIds: string[] }).loanIds).toHaveLength(Number(m0?.loans));
  });

  it('prints the four month-end reports of one month end at once, each the report printed alone', async () => {
    const r = await run(['month-end', '--as-of', '2026-06-03', '--json']);
    expect(r.code, r.err).toBe(0);
    const all = JSON.parse(r.out) as { monthEnd: string; reports: Record<string, unknown> };
    expect(all.monthEnd).toBe('2026-05-31');
    expect(Object.keys(all.reports)).toEqual(['classification', 'roll-rates', 'vintage', 'ecl']);
    for (const kind of Object.keys(all.reports)) {
      const alone = await run([kind, '--as-of', '2026-05-31', '--json']);
      expect(alone.code, alone.err).toBe(0);
      expect(all.reports[kind]).toEqual(JSON.parse(alone.out));
    }
    const tables = await run(['month-end', '--as-of', '2026-05-31']);
    expect(tables.code, tables.err).toBe(0);
    expect(tables.out).toContain('Five-category classification · 贷款五级分类 — 2026-05-31');
    expect(tables.out).toContain('贷款五级分类');
    const refused = await run(['month-end', '--as-of', '2026-05-31', '--by', 'channel']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--by is for one report kind, not month-end');
    const open = await run(['month-end', '--as-of', '2026-06-30']);
    expect(open.code).toBe(1);
    expect(open.err).toContain('not closed');
  });

  it('writes an Excel workbook whose cells are the report’s', async () => {
    const file = join(parent, 'vintage.xlsx');
    const r = await run(['vintage', '--as-of', '2026-05-31', '--xlsx', file]);
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse((await run(['vintage', '--as-of', '2026-05-31', '--json'])).out) as {
      tables: { name: string; rows: Record<string, string | number | null>[] }[];
    };
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const sheet = wb.getWorksheet('vintage-m2');
    const rows = json.tables.find((t) => t.name === 'vintage-m2')?.rows ?? [];
    expect(sheet?.getCell('A3').value).toBe(rows[0]?.row);
    expect(sheet?.getCell('E3').value).toBe(Number(rows[0]?.disbursed));
    expect(sheet?.getCell('F3').value).toBe(Number(rows[0]?.mob0));
  });

  it('writes the monthly risk report as HTML and PDF with the figures of the reports', async () => {
    const html = join(parent, 'risk.html');
    const pdf = join(parent, 'risk.pdf');
    const c = capture();
    const code = await main(
      ['risk-report', '--as-of', '2026-06-03', '--html', html, '--pdf', pdf, '--locale', 'en', '--db', dir],
      c.io,
    );
    expect(code, c.err()).toBe(0);
    expect(c.out()).toContain('as of 2026-05-31');
    const ecl = JSON.parse((await run(['ecl', '--as-of', '2026-05-31', '--json'])).out) as {
      summary: { key: string; value: string }[];
    };
    const total = ecl.summary.find((f) => f.key === 'ecl')?.value ?? 'none';
    const printed = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2 }).format(Number(total));
    expect(readFileSync(html, 'utf8')).toContain(printed);
    const text = (await pdfText(readFileSync(pdf))).join('\n');
    expect(text).toContain('Monthly risk report — 2026-05-31');
    expect(text).toContain(printed);
    const none = capture();
    expect(await main(['risk-report', '--as-of', '2026-05-31', '--db', dir], none.io)).toBe(2);
    expect(none.err()).toContain('--html');
  }, 300_000);

  it('stresses through the simulator: the simulated sheets in Excel, the same JSON again by seed', async () => {
    const args = ['stress', '--as-of', '2026-05-31', '--scenario', 'pandemic', '--simulate'];
    const small = ['--borrowers', '40', '--months', '3', '--seed', '2'];
    const file = join(parent, 'stress.xlsx');
    const x = await run([...args, ...small, '--xlsx', file]);
    expect(x.code, x.err).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.getWorksheet('simulated')?.getCell('A3').value).toBe('pandemic');
    const simulated = async () =>
      (
        JSON.parse((await run([...args, ...small, '--json'])).out) as {
          tables: { name: string; rows: unknown[] }[];
        }
      ).tables.filter((t) => t.name.startsWith('simulated'));
    const first = await simulated();
    expect(first.map((t) => t.name)).toEqual(['simulated', 'simulated-months', 'simulated-industries']);
    expect(first[1]?.rows).toHaveLength(3);
    expect(await simulated()).toEqual(first);
    // --simulate is the stress report's; its options go with it.
    const npl = await run(['npl', '--as-of', '2026-05-31', '--simulate']);
    expect(npl.code).toBe(2);
    expect(npl.err).toContain('--simulate is for the stress report, not npl');
    const stray = await run(['stress', '--as-of', '2026-05-31', '--strategy', 'x.json']);
    expect(stray.code).toBe(2);
    expect(stray.err).toContain('--strategy goes with --simulate');
    const bad = await run([...args, '--borrowers', '0']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--borrowers must be a whole number from 1');
  });

  it('says what is wrong: an unknown kind, a kind not available, a month not closed', async () => {
    const unknown = await run(['nonsense', '--as-of', '2026-05-31']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no report kind "nonsense"');
    const open = await run(['npl', '--as-of', '2026-06-30']);
    expect(open.code).toBe(1);
    expect(open.err).toContain('not closed');
  });

  it('groups the recovery curves with --by as the vintage, and refuses --by for another kind', async () => {
    const r = await run(['recovery', '--as-of', '2026-05-31', '--by', 'product', '--json']);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as {
      kind: string;
      title: { en: string };
      tables: { name: string; columns: { key: string }[] }[];
    };
    expect(report.kind).toBe('recovery');
    expect(report.title.en).toContain('by product');
    expect(report.tables[0]?.columns.map((c) => c.key).slice(0, 3)).toEqual(['row', 'segment', 'cohort']);
    const npl = await run(['npl', '--as-of', '2026-05-31', '--by', 'product']);
    expect(npl.code).toBe(2);
    expect(npl.err).toContain('takes no grouping');
    const odd = await run(['recovery', '--as-of', '2026-05-31', '--by', 'province']);
    expect(odd.code).toBe(2);
    expect(odd.err).toContain('product, channel, policy');
  });
});

describe('a report as text', () => {
  const l = (en: string) => ({ en, zh: en });
  const reportOf = (rows: number): Report => ({
    kind: 'ecl',
    asOf: '2026-05-31',
    title: l('ECL'),
    summary: [],
    tables: [
      {
        name: 'exposures',
        label: l('Exposures'),
        columns: [{ key: 'exposure', label: l('Exposure'), type: 'text' }],
        rows: Array.from({ length: rows }, (_, i) => ({ exposure: `loan_${String(i).padStart(6, '0')}` })),
      },
    ],
    notes: [],
  });
  const printed = (report: Report) => {
    const c = capture();
    printReport(c.io, report);
    return c.out();
  };

  it('shows a long table up to its first rows and says how many more --json and --xlsx give', () => {
    const out = printed(reportOf(REPORT_TEXT_ROWS_MAX + 3));
    expect(out).toContain(`loan_${String(REPORT_TEXT_ROWS_MAX - 1).padStart(6, '0')}`);
    expect(out).not.toContain(`loan_${String(REPORT_TEXT_ROWS_MAX).padStart(6, '0')}`);
    expect(out).toContain(
      `… 3 more rows of ${REPORT_TEXT_ROWS_MAX + 3}: --json or --xlsx FILE gives every row`,
    );
    expect(printed(reportOf(REPORT_TEXT_ROWS_MAX + 1))).toContain('… 1 more row of');
    const whole = printed(reportOf(REPORT_TEXT_ROWS_MAX));
    expect(whole).toContain(`loan_${String(REPORT_TEXT_ROWS_MAX - 1).padStart(6, '0')}`);
    expect(whole).not.toContain('more row');
  });

  it('prints a table of a million rows (its first rows) without running out of stack', () => {
    expect(printed(reportOf(1_000_000))).toContain('… 999800 more rows of 1000000');
  });
});
