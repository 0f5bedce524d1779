import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type CsvRecord,
  formatFigure,
  type ImportLoan,
  loanPosition,
  openLoan,
  planCommand,
  readImportCsv,
  readImportJson,
  reconciledFigures,
  replayImportLine,
  type StatedBalances,
} from '../../src/ledger/index.js';
import { parseDate } from '../../src/money/index.js';

/** The CSV fixture split into records (no quoted fields in it), with their line numbers. */
function records(text: string): CsvRecord[] {
  return text
    .split('\n')
    .map((line, i) => ({ line: i + 1, fields: line.split(',') }))
    .filter((r) => r.fields.length > 1);
}

const csv = readFileSync('test/fixtures/import/loans.csv', 'utf8');
const CLOSE_THROUGH = parseDate('2026-11-30');

function readCsv(text: string): readonly ImportLoan[] {
  const read = readImportCsv(records(text));
  if (!read.ok) throw new Error(JSON.stringify(read.faults));
  return read.loans;
}

function replay(loan: ImportLoan) {
  return replayImportLine(
    { lineId: 'cl_1', customerId: 'cus_1', loans: [{ loanId: 'ln_1', loan, product: loan.product.terms! }] },
    CLOSE_THROUGH,
  );
}

describe('reading an import file', () => {
  it('reads the CSV and the JSON layout of one book into the same loans, apart from where they are', () => {
    const fromCsv = readCsv(csv);
    const json = readImportJson(JSON.parse(readFileSync('test/fixtures/import/loans.json', 'utf8')));
    if (!json.ok) throw new Error(JSON.stringify(json.faults));
    const strip = (loans: readonly ImportLoan[]) =>
      JSON.parse(JSON.stringify(loans, (k, v: unknown) => (k === 'where' ? undefined : v)));
    expect(strip(json.loans)).toEqual(strip(fromCsv));
    expect(fromCsv.map((l) => [l.loanRef, l.repayments.length, l.balances.length])).toEqual([
      ['OLD-0001', 8, 1],
      ['OLD-0002', 8, 1],
      ['OLD-0003', 1, 1],
    ]);
  });

  it('counts the fields of a short row in the singular for one', () => {
    const [header] = records(csv);
    const read = readImportCsv([header!, { line: 2, fields: ['loan'] }, { line: 3, fields: ['loan', 'x'] }]);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.faults.map((f) => `${f.where}: ${f.message}`)).toEqual([
      `line 2: the row has 1 field, the header ${header!.fields.length}`,
      `line 3: the row has 2 fields, the header ${header!.fields.length}`,
    ]);
  });

  it('names every fault with its line, and reads no loans from a faulty file', () => {
    const lines = csv.split('\n');
    lines[2] = lines[2]!.replace('2026-01-15', '15/01/2026');
    lines[3] = lines[3]!.replace('917.90', '917.905');
    lines[1] = lines[1]!.replace('110101199001020010', '110101199001020011');
    lines.push('repayment,OLD-9999,,,,,,,,,,,2026-01-15,1.00,,,,');
    const read = readImportCsv(records(lines.join('\n')));
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.faults.map((f) => f.where)).toEqual(['line 2', 'line 3', 'line 4', 'line 26']);
    expect(read.faults[0]!.message).toMatch(/id_number has a wrong check character/);
    expect(read.faults[1]!.message).toMatch(/day "15\/01\/2026" is not a date; write it as YYYY-MM-DD/);
    expect(read.faults[2]!.message).toMatch(/917\.905/);
    expect(read.faults[3]!.message).toMatch(/loan OLD-9999 has no loan row/);
  });

  it('refuses a repayment before its drawdown and a loan with no stated balances', () => {
    const lines = csv.split('\n').filter((l) => !l.startsWith('balance,OLD-0002'));
    lines[2] = lines[2]!.replace('2026-01-15', '2025-12-01');
    const read = readImportCsv(records(lines.join('\n')));
    if (read.ok) throw new Error('read a faulty file');
    expect(read.faults.map((f) => `${f.where}: ${f.message}`)).toEqual([
      'line 3: repayment on 2025-12-01 is not after the drawdown on 2025-12-15',
      expect.stringMatching(/^line 12: loan OLD-0002 has no stated balances/),
    ]);
  });
});

describe('replaying an imported loan', () => {
  it('agrees with the balances the fixture states', () => {
    for (const loan of readCsv(csv)) {
      const r = replay(loan);
      expect(r.ok, loan.loanRef).toBe(true);
      if (r.ok) expect(r.loans[0]!.state.lastClosedDay).toBe(CLOSE_THROUGH);
    }
  });

  it('places a difference at the first statement that disagrees, after the last one that agreed', () => {
    const loan = readCsv(csv)[1]!;
    const [r0, r1, r2, ...rest] = loan.repayments;
    // Our figures just after 李四's first repayment, worked out with the engine alone.
    const opened = openLoan({
      loanId: 'ln_1',
      customerId: 'cus_1',
      lineId: 'cl_1',
      product: loan.product.terms!,
      principalMinor: loan.drawdown.principalMinor,
      day: loan.drawdown.day,
    });
    const paid = planCommand(opened.state, null, {
      type: 'repay',
      amountMinor: r0!.amountMinor,
      day: r0!.day,
      clientId: 'first',
    }).state;
    const f = reconciledFigures(loanPosition(paid));
    const stated = (where: string, day: number): StatedBalances => ({
      day,
      principalMinor: f.principal,
      interestMinor: f.interest,
      penaltyMinor: f.penalty,
      feeMinor: null,
      daysPastDue: f.daysPastDue,
      where,
    });
    const agreeing = replay({
      ...loan,
      repayments: [{ ...r0!, after: stated('line 13', r0!.day) }, r1!, r2!, ...rest],
    });
    expect(agreeing.ok).toBe(true);
    const wrong = { ...stated('line 15', r2!.day), principalMinor: 100 };
    const r = replay({
      ...loan,
      repayments: [{ ...r0!, after: stated('line 13', r0!.day) }, r1!, { ...r2!, after: wrong }, ...rest],
    });
    if (r.ok) throw new Error('a wrong statement was accepted');
    expect(r.problem).toMatchObject({
      kind: 'difference',
      loanRef: 'OLD-0002',
      field: 'principal',
      theirs: 100,
      day: r2!.day,
      agreedThroughDay: r0!.day,
      where: 'line 15',
    });
    expect(r.loanRefs).toEqual(['OLD-0002']);
  });

  it('shows a difference in days past due as a count of days, one day in the singular', () => {
    expect(formatFigure('daysPastDue', 1)).toBe('1 day');
    expect(formatFigure('daysPastDue', 2)).toBe('2 days');
    expect(formatFigure('principal', 100)).toBe('1.00');
  });

  it('reports a repayment the engine refuses (after the loan is settled) with its line', () => {
    const loan = readCsv(csv)[2]!;
    const settled = replay({
      ...loan,
      repayments: [
        ...loan.repayments,
        {
          day: parseDate('2025-08-01'),
          amountMinor: 1_000_000,
          excess: 'prepay',
          after: null,
          where: 'line 40',
        },
        { day: parseDate('2025-08-02'), amountMinor: 100, excess: 'prepay', after: null, where: 'line 41' },
      ],
    });
    if (settled.ok) throw new Error('a repayment on a settled loan was accepted');
    expect(settled.problem).toMatchObject({ kind: 'refused', code: 'loan_settled', where: 'line 41' });
  });
});
