import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from './capture.js';

async function run(args: string[]) {
  const c = capture();
  const status = await main(['schedule', ...args], c.io);
  return { status, out: c.out(), err: c.err() };
}

const BASE = ['--principal', '10000', '--rate', '0.0005/day', '--term', '12', '--start', '2026-01-15'];

describe('lendguard schedule', () => {
  it('prints the instalments, a totals row and the APR', async () => {
    const r = await run([...BASE, '--method', 'equal-installment']);
    expect(r.status).toBe(0);
    expect(r.err).toBe('');
    // Figures derived in test/ledger/schedule.test.ts.
    expect(r.out).toMatch(/│\s+1 │ 2026-02-15 │\s+762\.63 │\s+155\.00 │\s+917\.63 │\s+9,237\.37 │/);
    expect(r.out).toMatch(/│\s+12 │ 2027-01-15 │\s+903\.57 │\s+14\.01 │\s+917\.58 │\s+0\.00 │/);
    expect(r.out).toMatch(/│\s+│ Total\s+│\s+10,000\.00 │\s+1,011\.51 │\s+11,011\.51 │/);
    expect(r.out).toMatch(/APR including all fees \(irr-nominal\): 18\.25% \(0\.1825\d\d\); cap 24\.00%/);
    expect(r.out).not.toMatch(/Fee/);
  });

  it('counts one instalment in the singular, two in the plural', async () => {
    const heading = async (term: string) => {
      const r = await run([
        '--principal',
        '10000',
        '--rate',
        '0.0005/day',
        '--term',
        term,
        '--start',
        '2026-01-15',
      ]);
      expect(r.status, r.err).toBe(0);
      return r.out.split('\n')[0];
    };
    const tail = 'monthly, rate 0.0005/day, ACT/365F, actual-days';
    expect(await heading('1')).toBe(
      `Revolving credit line drawdown (default): equal-installment, 1 instalment, ${tail}`,
    );
    expect(await heading('2')).toBe(
      `Revolving credit line drawdown (default): equal-installment, 2 instalments, ${tail}`,
    );
  });

  it('--json gives amounts as decimal strings', async () => {
    const r = await run([...BASE, '--method', 'interest-first', '--json']);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.principal).toBe('10000.00');
    expect(json.totalInterest).toBe('1825.00');
    expect(json.apr).toMatch(/^0\.182\d{3}$/);
    expect(json.installments).toHaveLength(12);
    expect(json.installments[1]).toEqual({
      number: 2,
      startDate: '2026-02-15',
      dueDate: '2026-03-15',
      principal: '0.00',
      interest: '140.00',
      fee: '0.00',
      total: '140.00',
      remainingPrincipal: '10000.00',
    });
  });

  it('--method flat-rate (等本等息) charges interest on the principal borrowed and shows the APR it makes', async () => {
    // 0.06/year under the nominal basis is 0.5% a month flat: 50.00 of interest every month on 10,000.
    const dir = mkdtempSync(join(tmpdir(), 'lendguard-schedule-'));
    const file = join(dir, 'nominal.json');
    writeFileSync(file, JSON.stringify({ periodicRateBasis: 'nominal' }));
    const r = await run([
      ...BASE.slice(0, 2),
      '--rate',
      '0.06/year',
      '--term',
      '12',
      '--start',
      '2026-01-15',
      '--method',
      'flat-rate',
      '--product',
      file,
      '--json',
    ]);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.installments[11]).toMatchObject({ principal: '833.37', interest: '50.00', total: '883.37' });
    expect(json.totalInterest).toBe('600.00');
    expect(json.apr).toBe('0.108963');
    const text = await run([
      ...BASE.slice(0, 2),
      '--rate',
      '0.06/year',
      '--term',
      '12',
      '--start',
      '2026-01-15',
      '--method',
      'flat-rate',
      '--product',
      file,
    ]);
    expect(text.out).toMatch(/APR including all fees \(irr-nominal\): 10\.90%/);
    expect(text.out).toMatch(/Flat rate \(等本等息\)/);
  });

  it('no instalment of 0.00: 5.94 over 36 at a zero rate is eighteen 0.17 and eighteen 0.16', async () => {
    const r = await run([
      '--principal',
      '5.94',
      '--rate',
      '0/day',
      '--term',
      '36',
      '--start',
      '2026-01-15',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const totals = JSON.parse(r.out).installments.map((i: { total: string }) => i.total);
    expect(totals).toEqual([...new Array(18).fill('0.17'), ...new Array(18).fill('0.16')]);
  });

  it('--day-count 30/360 charges 30 days for February', async () => {
    const r = await run([...BASE, '--method', 'interest-first', '--day-count', '30/360', '--json']);
    expect(JSON.parse(r.out).installments[1].interest).toBe('150.00');
  });

  it('reads a product file and lets options override it; shows a fee column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lendguard-schedule-'));
    const file = join(dir, 'product.json');
    writeFileSync(
      file,
      JSON.stringify({
        id: 'cash-6m',
        name: 'Six-month cash loan',
        method: 'equal-principal',
        termCount: 6,
        fees: [{ name: 'service', kind: 'per-installment', basis: 'fixed', value: '2.00' }],
      }),
    );
    const r = await run(['--principal', '6000', '--start', '2026-01-15', '--product', file, '--term', '3']);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/Six-month cash loan \(cash-6m\): equal-principal, 3 instalment/);
    expect(r.out).toMatch(/│\s+Fee │/);
    // 6,000 / 3 = 2,000 principal; interest 6,000 × 0.0005 × 31 = 93.00; fee 2.00; total 2,095.00.
    expect(r.out).toMatch(
      /│\s+1 │ 2026-02-15 │\s+2,000\.00 │\s+93\.00 │\s+2\.00 │\s+2,095\.00 │\s+4,000\.00 │/,
    );
  });

  it('--frequency weekly and the effective APR convention', async () => {
    const r = await run([
      ...BASE,
      '--method',
      'interest-first',
      '--frequency',
      'weekly',
      '--term',
      '2',
      '--json',
    ]);
    const json = JSON.parse(r.out);
    // 10,000 × 0.0005 × 7 = 35.00 a week.
    expect(
      json.installments.map((i: { dueDate: string; interest: string }) => [i.dueDate, i.interest]),
    ).toEqual([
      ['2026-01-22', '35.00'],
      ['2026-01-29', '35.00'],
    ]);
    const e = await run([...BASE, '--apr-convention', 'irr-effective']);
    expect(e.status).toBe(0);
    expect(e.out).toMatch(/APR including all fees \(irr-effective\): 19\.86%/);
  });

  it('pay any time shows the upfront fee and says interest accrues daily', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lendguard-schedule-'));
    const file = join(dir, 'upfront.json');
    writeFileSync(
      file,
      JSON.stringify({ fees: [{ name: 'arrangement', kind: 'upfront', basis: 'fixed', value: '10.00' }] }),
    );
    const r = await run([
      '--principal',
      '10000',
      '--start',
      '2026-01-15',
      '--method',
      'pay-any-time',
      '--product',
      file,
    ]);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/Upfront fee on the drawdown day: 10\.00 CNY/);
    expect(r.out).toMatch(/interest accrues daily on what is outstanding/);
    // 9,990 received, 11,825 repaid a year later: 11,825 / 9,990 − 1 = 18.37%.
    expect(r.out).toMatch(/\(irr-nominal\): 18\.37%/);
  });

  const bad: [string, string[], RegExp][] = [
    [
      'a negative amount',
      ['--principal=-10000', '--start', '2026-01-15'],
      /--principal "-10000" is negative/,
    ],
    ['an amount with three decimals', ['--principal', '10.001', '--start', '2026-01-15'], /at most 2/],
    ['a missing principal', ['--start', '2026-01-15'], /--principal is required/],
    [
      'an unknown method',
      [...BASE, '--method', 'balloon'],
      /--method: method is "balloon"; use one of: equal-installment/,
    ],
    [
      'a rate above the cap',
      [...BASE, '--rate', '0.0008/day'],
      /--rate: .*above the APR cap 0\.24; lower the rate/,
    ],
    [
      'a rate without its period',
      [...BASE, '--rate', '0.0005'],
      /--rate: rate "0\.0005" is not a rate; write it with its period, like 0\.0005\/day/,
    ],
    ['an impossible date', ['--principal', '10000', '--start', '2026-02-30'], /2026-02 has days 01 to 28/],
    ['term 0', [...BASE, '--term', '0'], /--term: termCount must be from 1 to 360, got 0/],
    ['a term that is not a number', [...BASE, '--term', 'twelve'], /--term "twelve" is not a whole number/],
    ['an unknown day count', [...BASE, '--day-count', 'ACT/364'], /--day-count: dayCount is "ACT\/364"/],
    [
      'an unreadable product file',
      [...BASE, '--product', '/nonexistent/product.json'],
      /--product: cannot read/,
    ],
    [
      'an unknown APR convention',
      [...BASE, '--apr-convention', 'simple'],
      /--apr-convention "simple" is unknown/,
    ],
  ];

  it.each(bad)('exits with status 2 on %s, saying what to fix', async (_label, args, message) => {
    const r = await run(args);
    expect(r.status).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
  });

  it('exits with status 2 on a product file with an unknown field or bad JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lendguard-schedule-'));
    const unknown = join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ termCuont: 6 }));
    const r1 = await run([...BASE, '--product', unknown]);
    expect(r1.status).toBe(2);
    expect(r1.err).toMatch(
      /--product .*unknown\.json: termCuont is not a product field; remove it or correct its name/,
    );
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "termCount": ');
    const r2 = await run([...BASE, '--product', broken]);
    expect(r2.status).toBe(2);
    expect(r2.err).toMatch(/is not valid JSON/);
  });

  it('refuses a drawdown that a fixed fee takes over the cap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lendguard-schedule-'));
    const file = join(dir, 'fee.json');
    writeFileSync(
      file,
      JSON.stringify({ fees: [{ name: 'service', kind: 'upfront', basis: 'fixed', value: '20' }] }),
    );
    const r = await run(['--principal', '200', '--start', '2026-01-15', '--product', file]);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/APR including all fees is .* above the cap of 24\.00%/);
  });
});
