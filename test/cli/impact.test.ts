import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from './capture.js';

async function run(args: readonly string[]) {
  const c = capture();
  const code = await main(['impact', ...args], c.io);
  return { code, out: c.out(), err: c.err() };
}

/** 10,000 yuan at 0.05%/day, 12 monthly equal instalments drawn 2026-01-15 (first due 2026-02-15). */
const LOAN = [
  '--principal',
  '10000',
  '--rate',
  '0.05%/day',
  '--term',
  '12',
  '--method',
  'equal-installment',
  '--start',
  '2026-01-15',
];
const CASE = [...LOAN, '--overdue-from', '2026-03-15', '--months', '7'];

interface JsonRow {
  date: string;
  daysPastDue: number;
  bucket: string;
  creditReportStatus: string;
  assetClass: string;
  nonPerforming: boolean;
  ifrs9Stage: number;
  collectionStage: string;
  outstandingPrincipal: string;
  overduePrincipal: string;
  overdueInterest: string;
  interestOwed: string;
  feesOwed: string;
  penaltyAccrued: string;
  totalOwed: string;
}

interface JsonMilestone {
  date: string;
  kind: string;
  value: string;
  source: string;
  convention: boolean;
  withinPeriodShown: boolean;
  description: string;
}

/** "1,234.56" or "1234.56" → 123456 fen. */
const fen = (text: string) => {
  const [yuan, cents = ''] = text.replace(/,/g, '').split('.');
  return Number(yuan) * 100 + Number(cents.padEnd(2, '0'));
};

describe('lendguard impact: the hand-checked case', () => {
  // Schedule (lendguard schedule, same options): instalment 1 due 2026-02-15 is 762.63 principal + 155.00
  // interest (10,000 × 0.0005 × 31 days); it is paid. Instalment 2 due 2026-03-15 (788.31 + 129.32) is the
  // first one missed; 3: 786.67 + 130.96 due 04-15; 4: 802.69 + 114.94 due 05-15; 5: 811.30 + 106.33;
  // 6: 826.90 + 90.73; 7: 836.70 + 80.93; 8: 849.67 + 67.96 due 09-15.
  // DPD at each month end counts from 2026-03-15: 16, 46, 77, 107, 138, 169, 199.
  it('gives DPD, bucket, credit-report status, class and stage month by month', async () => {
    const r = await run([...CASE, '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out).rows as JsonRow[];
    expect(rows.map((x) => x.date)).toEqual([
      '2026-03-15',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
      '2026-07-31',
      '2026-08-31',
      '2026-09-30',
    ]);
    expect(rows.map((x) => x.daysPastDue)).toEqual([0, 16, 46, 77, 107, 138, 169, 199]);
    expect(rows.map((x) => x.bucket)).toEqual(['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7']);
    expect(rows.map((x) => x.creditReportStatus)).toEqual(['N', '1', '2', '3', '4', '5', '6', '7']);
    expect(rows.map((x) => x.assetClass)).toEqual([
      'normal',
      'special-mention',
      'special-mention',
      'special-mention',
      'substandard',
      'substandard',
      'substandard',
      'substandard',
    ]);
    expect(rows.map((x) => x.nonPerforming)).toEqual([false, false, false, false, true, true, true, true]);
    expect(rows.map((x) => x.ifrs9Stage)).toEqual([1, 1, 2, 2, 3, 3, 3, 3]);
    expect(rows.map((x) => x.collectionStage)).toEqual([
      'reminder',
      'early',
      'intensive',
      'intensive',
      'agency-legal',
      'agency-legal',
      'agency-legal',
      'agency-legal',
    ]);
  });

  it('overdue amounts are the missed instalments, penalty is checked by hand, and the total grows by exactly penalty + interest', async () => {
    const rows = JSON.parse((await run([...CASE, '--json'])).out).rows as JsonRow[];
    // Cumulative principal and interest of instalments 2 … n whose due date has passed.
    expect(rows.map((x) => x.overduePrincipal)).toEqual([
      '0.00',
      '788.31',
      '1574.98',
      '2377.67',
      '3188.97',
      '4015.87',
      '4852.57',
      '5702.24',
    ]);
    expect(rows.map((x) => x.overdueInterest)).toEqual([
      '0.00',
      '129.32',
      '260.28',
      '375.22',
      '481.55',
      '572.28',
      '653.21',
      '721.17',
    ]);
    // Penalty: contract rate × 1.5 = 0.00075/day on overdue principal from the day after the due date.
    // 03-31: 788.31 × 0.00075 × 16 = 9.4597 → 9.46.
    // 04-30: + 788.31 × 0.00075 × 30 + 786.67 × 0.00075 × 15 (04-16…04-30) = 36.0467 → 36.05.
    expect(rows[1]!.penaltyAccrued).toBe('9.46');
    expect(rows[2]!.penaltyAccrued).toBe('36.05');
    // Nothing is paid after instalment 1: principal stays 10,000 − 762.63.
    for (const row of rows) expect(row.outstandingPrincipal).toBe('9237.37');
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1]!;
      const b = rows[i]!;
      const grew = fen(b.totalOwed) - fen(a.totalOwed);
      const penalty = fen(b.penaltyAccrued) - fen(a.penaltyAccrued);
      const interest = fen(b.interestOwed) - fen(a.interestOwed);
      expect(penalty).toBeGreaterThan(0);
      expect(interest).toBeGreaterThan(0);
      expect(grew).toBe(penalty + interest);
    }
    // And the total is principal + interest + penalty on each day (no fees on this product).
    for (const row of rows) {
      expect(fen(row.totalOwed)).toBe(
        fen(row.outstandingPrincipal) + fen(row.interestOwed) + fen(row.penaltyAccrued),
      );
    }
  });

  it('lists the milestones with their legal sources', async () => {
    const json = JSON.parse((await run([...CASE, '--json'])).out);
    const milestones = json.milestones as JsonMilestone[];
    const at = (kind: string, value = '') => milestones.find((m) => m.kind === kind && m.value === value);
    expect(at('negative-notice-deadline')?.date).toBe('2026-03-30');
    expect(at('negative-notice-deadline')?.source).toMatch(/征信业管理条例 Art. 15/);
    expect(at('first-negative-report', '1')?.date).toBe('2026-03-31');
    expect(at('bucket-entry', 'M7')?.date).toBe('2026-09-12');
    expect(at('write-off-eligible')?.date).toBe('2026-09-11');
    expect(at('write-off-eligible')?.source).toMatch(/财金〔2017〕90号/);
    expect(at('write-off-eligible')?.description).toMatch(/stays owed/);
    expect(at('class-change', 'loss')?.date).toBe('2027-03-11');
    expect(at('class-change', 'loss')?.withinPeriodShown).toBe(false);
    // 3 years from the last due date 2027-01-15 (民法典 Arts. 188, 189).
    expect(at('limitation-end', '0')?.date).toBe('2030-01-15');
    expect(at('retention-end-if-repaid')?.date).toBe('2031-09-30');
    expect(json.missedDueDate).toBe('2026-03-15');
  });

  it('reads in English', async () => {
    const r = await run([...CASE, '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Five-category class/);
    expect(r.out).toMatch(/special mention/);
    expect(r.out).toMatch(/substandard \(NPL\)/);
    expect(r.out).toMatch(/Milestones/);
    expect(r.out).toMatch(/2026-09-11 {2}DPD 180: .*write the loan off/);
    // Table rows in order of date, one per reporting day.
    const dates = [...r.out.matchAll(/│ (2026-\d\d-\d\d) │/g)].map((m) => m[1]);
    expect(dates).toEqual([
      '2026-03-15',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
      '2026-07-31',
      '2026-08-31',
      '2026-09-30',
    ]);
    expect(r.out).toMatch(
      /│ 2026-09-30 │ +199 │ M7 +│ 7 +│ substandard \(NPL\) +│ stage 3 +│ +5,702\.24 │ +721\.17 │ +451\.14 │ +10,436\.19 │/,
    );
  });

  it('reads in Chinese', async () => {
    const r = await run([...CASE, '--lang', 'zh']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/五级分类/);
    expect(r.out).toMatch(/关注/);
    expect(r.out).toMatch(/次级（不良）/);
    expect(r.out).toMatch(/关键节点/);
    expect(r.out).toMatch(/核销/);
    expect(r.out).toMatch(/诉讼时效/);
    expect(r.out).not.toMatch(/Milestones/);
  });
});

describe('lendguard impact: demands for payment restart the limitation period', () => {
  it('3 years from the last demand (民法典 Art. 195)', async () => {
    const r = await run([...CASE, '--demand', '2027-06-01', '--demand', '2029-03-10', '--json']);
    expect(r.code).toBe(0);
    const end = (JSON.parse(r.out).milestones as JsonMilestone[]).find((m) => m.kind === 'limitation-end');
    expect(end?.date).toBe('2032-03-10');
    expect(end?.value).toBe('2');
    expect(end?.source).toMatch(/195/);
    const text = await run([...CASE, '--demand', '2029-03-10', '--lang', 'en']);
    expect(text.out).toMatch(
      /2032-03-10: End of the 3-year limitation period, restarted 1 time by demands for payment/,
    );
  });

  it('refuses a demand that is not a date or is before the overdue start', async () => {
    expect((await run([...CASE, '--demand', '2027-13-01'])).code).toBe(2);
    const r = await run([...CASE, '--demand', '2026-03-01']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--demand 2026-03-01 is before the overdue start 2026-03-15/);
  });
});

describe('lendguard impact: language default', () => {
  const saved = { LANG: process.env.LANG, LC_ALL: process.env.LC_ALL };
  beforeEach(() => {
    delete process.env.LC_ALL;
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('is Chinese when LANG starts with zh, English otherwise', async () => {
    process.env.LANG = 'zh_CN.UTF-8';
    expect((await run(CASE)).out).toMatch(/关键节点/);
    process.env.LANG = 'en_US.UTF-8';
    expect((await run(CASE)).out).toMatch(/Milestones/);
    delete process.env.LANG;
    expect((await run(CASE)).out).toMatch(/Milestones/);
  });
});

describe('lendguard impact: bad input exits with status 2 and says how to fix it', () => {
  const table: [string, string[], RegExp][] = [
    [
      'months 0',
      [...LOAN, '--overdue-from', '2026-03-15', '--months', '0'],
      /--months "0" must be a whole number from 1 to 120/,
    ],
    ['months 121', [...LOAN, '--overdue-from', '2026-03-15', '--months', '121'], /from 1 to 120/],
    ['months not a number', [...LOAN, '--overdue-from', '2026-03-15', '--months', '7.5'], /--months "7.5"/],
    ['months missing', [...LOAN, '--overdue-from', '2026-03-15'], /--months is required/],
    [
      'impossible date',
      [...LOAN, '--overdue-from', '2026-02-30', '--months', '7'],
      /2026-02-30.*does not exist.*days 01 to 28/,
    ],
    ['not a date', [...LOAN, '--overdue-from', 'soon', '--months', '7'], /YYYY-MM-DD/],
    [
      'before the first due date',
      [...LOAN, '--overdue-from', '2026-02-14', '--months', '7'],
      /before the first instalment falls due; give a date from the first due date 2026-02-15 to the last 2027-01-15/,
    ],
    [
      'after the term',
      [...LOAN, '--overdue-from', '2027-01-16', '--months', '7'],
      /after the loan's last due date/,
    ],
    ['overdue-from missing', [...LOAN, '--months', '7'], /--overdue-from is required/],
    ['unknown language', [...CASE, '--lang', 'fr'], /--lang "fr" is unknown; use one of: en, zh/],
    ['negative principal', [...CASE.map((x) => (x === '10000' ? '-5' : x))], /principal/],
    ['term 0', [...CASE.map((x) => (x === '12' ? '0' : x))], /term/i],
    ['unknown method', [...CASE.map((x) => (x === 'equal-installment' ? 'balloon' : x))], /method/],
  ];
  it.each(table)('%s', async (_name, args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  it('accepts the first and the last due date', async () => {
    expect((await run([...LOAN, '--overdue-from', '2026-02-15', '--months', '1', '--json'])).code).toBe(0);
    const last = await run([...LOAN, '--overdue-from', '2027-01-15', '--months', '2', '--json']);
    expect(last.code).toBe(0);
    const rows = JSON.parse(last.out).rows as JsonRow[];
    // After maturity nothing falls due, but the overdue code still shows.
    expect(rows.map((x) => [x.date, x.daysPastDue, x.creditReportStatus])).toEqual([
      ['2027-01-15', 0, 'N'],
      ['2027-01-31', 16, '1'],
      ['2027-02-28', 44, '2'],
    ]);
  });

  it('an overdue start between due dates misses the next due date', async () => {
    const r = await run([...LOAN, '--overdue-from', '2026-03-20', '--months', '1', '--json']);
    const json = JSON.parse(r.out);
    expect(json.missedDueDate).toBe('2026-04-15');
    expect((json.rows as JsonRow[]).map((x) => [x.date, x.daysPastDue])).toEqual([
      ['2026-03-20', 0],
      ['2026-03-31', 0],
    ]);
  });
});

describe('lendguard impact: product settings show in the text', () => {
  it('a 55% uplift on principal and interest with 3 grace days', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'impact-'));
    const file = join(dir, 'product.json');
    writeFileSync(
      file,
      JSON.stringify({
        graceDays: 3,
        penalty: { uplift: '0.55', base: 'overdue-principal-and-interest', compounding: false },
      }),
    );
    const r = await run([...CASE, '--product', file, '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /2026-03-19 {2}DPD 4: Penalty interest \(contract rate \+ 55%\) starts to accrue every day on the overdue principal and interest/,
    );
    rmSync(dir, { recursive: true });
  });
});
