import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openPglite } from '../../src/store/index.js';
import { capture } from './capture.js';

const root = mkdtempSync(join(tmpdir(), 'lg-import-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FIXTURES = 'test/fixtures/import';
/** The fixtures' balances are stated as of 2026-11-30: the book's business day is the day after. */
const BUSINESS_DAY = '2026-12-01';

let dbs = 0;
async function freshBook(): Promise<string> {
  dbs += 1;
  const dir = join(root, `db-${dbs}`);
  const run = capture();
  expect(await main(['db', 'migrate', '--db', dir, '--business-day', BUSINESS_DAY], run.io), run.err()).toBe(
    0,
  );
  return dir;
}

async function importFile(dir: string, file: string, ...extra: string[]) {
  const run = capture();
  const status = await main(
    ['import', 'loans', '--file', join(FIXTURES, file), '--db', dir, ...extra],
    run.io,
  );
  return { status, out: run.out(), err: run.err() };
}

/** The loans of a book as comparable text: states without ids, by the lender's loan number. */
async function loanStates(dir: string): Promise<Record<string, string>> {
  const db = await openPglite({ dataDir: dir });
  try {
    const { rows } = await db.query<{
      ref: string;
      state: string;
      loan_id: string;
      customer_id: string;
      line_id: string;
    }>(
      `select e.client_id as ref, l.state::text as state, l.loan_id, l.customer_id, l.line_id from loans l
         join loan_events e on e.customer_id = l.customer_id and e.loan_id = l.loan_id and e.seq = 1`,
    );
    return Object.fromEntries(
      rows.map((r) => [
        r.ref,
        r.state.split(r.loan_id).join('L').split(r.customer_id).join('C').split(r.line_id).join('CL'),
      ]),
    );
  } finally {
    await db.close();
  }
}

async function counts(
  dir: string,
): Promise<{ loans: number; customers: number; products: number; lines: number }> {
  const db = await openPglite({ dataDir: dir });
  try {
    const { rows } = await db.query<{ loans: number; customers: number; products: number; lines: number }>(
      `select (select count(*) from loans)::int as loans, (select count(*) from customers)::int as customers,
              (select count(*) from products)::int as products, (select count(*) from credit_lines)::int as lines`,
    );
    return rows[0]!;
  } finally {
    await db.close();
  }
}

describe('lendguard import loans', () => {
  it('imports the CSV and the JSON layout of the same book to the same loans', async () => {
    const csvDir = await freshBook();
    const csv = await importFile(csvDir, 'loans.csv');
    expect(csv.status, csv.err).toBe(0);
    expect(csv.out).toContain('3 of 3 loans imported on 3 credit lines');
    expect(csv.out).toContain('3 customers created');
    expect(csv.out).toContain('products created: cash-12m');
    const jsonDir = await freshBook();
    const json = await importFile(jsonDir, 'loans.json', '--json');
    expect(json.status, json.err).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ loansImported: 3, problems: [], businessDay: BUSINESS_DAY });
    const fromCsv = await loanStates(csvDir);
    expect(Object.keys(fromCsv).sort()).toEqual(['import:OLD-0001', 'import:OLD-0002', 'import:OLD-0003']);
    expect(await loanStates(jsonDir)).toEqual(fromCsv);
    // A second run of the same file is refused whole: every loan was imported already.
    const again = await importFile(csvDir, 'loans.csv');
    expect(again.status).toBe(2);
    expect(again.err).toMatch(/line 2: loan OLD-0001 was imported before/);
    expect(await counts(csvDir)).toEqual({ loans: 3, customers: 3, products: 1, lines: 3 });
  }, 120_000);

  it('reports the first difference of a loan with a wrong stated balance and writes the others only', async () => {
    const dir = await freshBook();
    const run = await importFile(dir, 'loans-wrong-balance.csv');
    expect(run.status).toBe(1);
    expect(run.out).toContain('2 of 3 loans imported');
    expect(run.out).toMatch(/OLD-0001 .*principal .*3535\.29 .*3535\.30 .*2026-11-30 .*2025-12-15 .*line 11/);
    expect(Object.keys(await loanStates(dir)).sort()).toEqual(['import:OLD-0002', 'import:OLD-0003']);
    expect((await counts(dir)).customers).toBe(2);
  }, 120_000);

  it('counts one loan, credit line and customer in the singular, and one or two loans not agreeing', async () => {
    const lines = readFileSync(join(FIXTURES, 'loans.csv'), 'utf8').trimEnd().split('\n');
    const file = (name: string, rows: string[]) => {
      const path = join(root, name);
      writeFileSync(path, `${rows.join('\n')}\n`);
      return path;
    };
    const load = async (path: string) => {
      const run = capture();
      const status = await main(['import', 'loans', '--file', path, '--db', await freshBook()], run.io);
      return { status, first: run.out().split('\n').slice(0, 2) };
    };
    const single = file('one-loan.csv', [lines[0]!, ...lines.filter((l) => l.includes(',OLD-0003,'))]);
    const one = await load(single);
    expect(one.status).toBe(0);
    expect(one.first[0]).toBe(
      `${single}: 1 of 1 loan imported on 1 credit line, closed through the eve of business day ${BUSINESS_DAY}; 1 customer created, 0 found by ID number; products created: cash-12m`,
    );
    // Stated principal a fen off: OLD-0001, then OLD-0002 too.
    const off = (l: string) =>
      l
        .replace(',2026-11-30,,3535.29,', ',2026-11-30,,3535.30,')
        .replace(',2026-11-30,,1769.36,', ',2026-11-30,,1769.37,');
    const oneOff = await load(
      file(
        'one-off.csv',
        lines.map((l) => (l.includes(',OLD-0001,') ? off(l) : l)),
      ),
    );
    expect(oneOff.status).toBe(1);
    expect(oneOff.first[1]).toBe('1 loan not agreeing with the file and not written (the others were):');
    const twoOff = file('two-off.csv', lines.map(off));
    const two = await load(twoOff);
    expect(two.status).toBe(1);
    expect(two.first[0]).toBe(
      `${twoOff}: 1 of 3 loans imported on 1 credit line, closed through the eve of business day ${BUSINESS_DAY}; 1 customer created, 0 found by ID number; products created: cash-12m`,
    );
    expect(two.first[1]).toBe('2 loans not agreeing with the file and not written (the others were):');
  }, 120_000);

  it('with --all-or-nothing a wrong stated balance writes nothing', async () => {
    const dir = await freshBook();
    const run = await importFile(dir, 'loans-wrong-balance.csv', '--all-or-nothing');
    expect(run.status).toBe(1);
    expect(run.out).toContain('nothing was written (--all-or-nothing)');
    expect(await counts(dir)).toEqual({ loans: 0, customers: 0, products: 0, lines: 0 });
  }, 120_000);

  it('refuses bad files with the line at fault and writes nothing', async () => {
    const dir = await freshBook();
    const cases: [string, RegExp][] = [
      ['loans-missing-column.csv', /line 1: the header lacks column days_past_due/],
      ['loans-bad-date.csv', /line 4: day "2026-02-30" does not exist/],
      ['loans-negative-amount.csv', /line 5: amount "-917\.90"/],
      ['loans-unknown-product.csv', /line 12: unknown product no-such-product/],
    ];
    for (const [file, message] of cases) {
      const run = await importFile(dir, file);
      expect(run.status, file).toBe(2);
      expect(run.err).toMatch(/cannot be imported; nothing was written/);
      expect(run.err).toMatch(message);
    }
    const notJson = await importFile(dir, 'loans.csv', '--format', 'json');
    expect(notJson.status).toBe(2);
    expect(notJson.err).toMatch(/is not valid JSON/);
    const unknown = await importFile(dir, 'README.md');
    expect(unknown.status).toBe(2);
    expect(unknown.err).toMatch(/--format must be csv or json/);
    expect(await counts(dir)).toEqual({ loans: 0, customers: 0, products: 0, lines: 0 });
  }, 240_000);
});
