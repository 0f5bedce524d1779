import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from './capture.js';

async function run(args: readonly string[]) {
  const c = capture();
  const code = await main(['restructure', ...args], c.io);
  return { code, out: c.out(), err: c.err() };
}

/** 20,000 yuan at 0.05%/day, 12 monthly equal instalments drawn 2026-01-10 (first due 2026-02-10). */
const LOAN = ['--principal', '20000', '--rate', '0.05%/day', '--term', '12', '--start', '2026-01-10'];
/** Paid through 05-10, missed 06-10: 21 days past due on 07-01. */
const PAST_DUE = [...LOAN, '--overdue-from', '2026-06-10', '--on', '2026-07-01'];

describe('lendguard restructure (a preview that writes nothing)', () => {
  it('a negotiated plan over 24 months: the figures and the new plan', async () => {
    const r = await run([
      ...PAST_DUE,
      '--kind',
      'negotiated-plan',
      '--months',
      '24',
      '--income',
      '5000',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as {
      daysPastDueBefore: number;
      bucketBefore: string;
      waived: string;
      newPrincipal: string;
      monthsExtended: number;
      specialTransactionCode: string;
      plan: { number: number; dueDate: string; principal: string }[];
    };
    expect(out).toMatchObject({ daysPastDueBefore: 21, bucketBefore: 'M1', specialTransactionCode: '14' });
    expect(out.plan).toHaveLength(24);
    expect(out.plan[0]).toMatchObject({ number: 13, dueDate: '2026-08-01' });
    const cents = (s: string) => Math.round(Number(s) * 100);
    expect(out.plan.reduce((sum, p) => sum + cents(p.principal), 0)).toBe(cents(out.newPrincipal));
    expect(cents(out.waived)).toBeGreaterThan(0); // the penalty of 21 days, waived by default
    expect(out.monthsExtended).toBe(17); // maturity 2027-01-10 → 2028-07-01
  });

  it('prints a table by default', async () => {
    const r = await run([...PAST_DUE, '--kind', 'negotiated-plan', '--months', '6', '--income', '8000']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/negotiated-plan on 2026-07-01: 21 days past due \(M1\)/);
    expect(r.out).toMatch(/2026-12-01/);
  });

  it('counts one day past due and one month of extension in the singular', async () => {
    const extension = async (on: string, months: string) => {
      const r = await run([
        ...LOAN,
        '--overdue-from',
        '2026-06-10',
        '--on',
        on,
        '--kind',
        'term-extension',
        '--extension-months',
        months,
      ]);
      expect(r.code, r.err).toBe(0);
      return r.out.split('\n');
    };
    const one = await extension('2026-06-11', '1');
    expect(one[0]).toMatch(/^term-extension on 2026-06-11: 1 day past due \(M1\), [\d.]+ owed$/);
    expect(one[1]).toContain('; maturity 1 month later;');
    const two = await extension('2026-06-12', '2');
    expect(two[0]).toMatch(/^term-extension on 2026-06-12: 2 days past due \(M1\), [\d.]+ owed$/);
    expect(two[1]).toContain('; maturity 2 months later;');
  });

  it('refuses what the engine refuses, saying why (exit 2)', async () => {
    const notPastDue = await run([
      ...LOAN,
      '--on',
      '2026-03-01',
      '--kind',
      'negotiated-plan',
      '--months',
      '6',
      '--income',
      '8000',
    ]);
    expect(notPastDue.code).toBe(2);
    expect(notPastDue.err).toMatch(/not past due.*restructure_not_past_due/);
    const unaffordable = await run([
      ...PAST_DUE,
      '--kind',
      'negotiated-plan',
      '--months',
      '3',
      '--income',
      '2000',
    ]);
    expect(unaffordable.code).toBe(2);
    expect(unaffordable.err).toMatch(/above the cap of 50\.0%/);
    const noDay = await run([...LOAN, '--kind', 'term-extension', '--extension-months', '3']);
    expect(noDay.code).toBe(2);
    expect(noDay.err).toMatch(/--on is required/);
  });
});
