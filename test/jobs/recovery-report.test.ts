import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReport, loadReportCell, ReportError, reportXlsxBuffer } from '../../src/jobs/index.js';
import type { LoanWrittenOff, RecoveredAfterWriteOff } from '../../src/ledger/index.js';
import { parseDate } from '../../src/money/index.js';
import type { Report } from '../../src/reporting/index.js';
import type { Db } from '../../src/store/index.js';
import { backends, openMigrated } from '../store/backends.js';

const GOLDEN = new URL('../fixtures/reports/recovery.json', import.meta.url);
const AS_OF = '2026-05-31';

/** Rows of loan_events as the ledger stores them (the event as JSON in payload). */
type Row = [customer: string, loan: string, seq: number, day: string, event: object];

function writtenOff(loan: string, seq: number, day: string, principal: number, interest: number): Row {
  const e: LoanWrittenOff = {
    type: 'LoanWrittenOff',
    loanId: loan,
    seq,
    day: parseDate(day),
    clientId: `wo-${loan}`,
    principalCurrentMinor: principal,
    principalOverdueMinor: 50_000,
    interestMinor: interest,
    penaltyMinor: 1_234,
    feeMinor: 0,
    evidenceRef: `case-${loan}`,
  };
  return [`cus-${loan}`, loan, seq, day, e];
}

function recovered(loan: string, seq: number, day: string, amount: number): Row {
  const e: RecoveredAfterWriteOff = {
    type: 'RecoveredAfterWriteOff',
    loanId: loan,
    seq,
    day: parseDate(day),
    clientId: `rc-${loan}-${seq}`,
    amountMinor: amount,
    principalMinor: amount,
  };
  return [`cus-${loan}`, loan, seq, day, e];
}

/**
 * Write-offs in three months with recoveries after them; one recovery superseded by a correction, one write-off
 * and one recovery after the report's month end (not counted).
 */
const ROWS: Row[] = [
  writtenOff('ln-a', 20, '2025-12-05', 400_000, 12_000),
  recovered('ln-a', 21, '2025-12-20', 10_000),
  recovered('ln-a', 22, '2026-02-03', 25_050),
  recovered('ln-a', 23, '2026-06-02', 99_999),
  writtenOff('ln-b', 30, '2025-12-31', 150_000, 0),
  recovered('ln-b', 31, '2026-03-15', 7_001),
  recovered('ln-b', 32, '2026-03-16', 500),
  [
    'cus-ln-b',
    'ln-b',
    33,
    '2026-03-16',
    {
      type: 'EventsSuperseded',
      loanId: 'ln-b',
      seq: 33,
      day: 0,
      fromSeq: 32,
      toSeq: 32,
      causeClientId: 'fix',
    },
  ],
  writtenOff('ln-c', 10, '2026-02-27', 80_000, 3_000),
  writtenOff('ln-d', 15, '2026-04-01', 1_000_000, 40_000),
  recovered('ln-d', 16, '2026-05-31', 100_000),
  writtenOff('ln-e', 12, '2026-06-01', 500_000, 0),
];

async function seed(db: Db): Promise<void> {
  for (const [customer, loan, seq, day, event] of ROWS) {
    await db.query(
      `insert into loan_events (customer_id, loan_id, seq, day, type, payload, client_id)
       values ($1, $2, $3, $4::date, $5, $6::jsonb, null)`,
      [customer, loan, seq, day, (event as { type: string }).type, JSON.stringify(event)],
    );
  }
  await db.query(`update business_day set day = '2026-06-12'`);
}

describe.each(backends)('the recovery report ($name)', (backend) => {
  let db: Db;
  let report: Report;
  beforeAll(async () => {
    db = await openMigrated(backend);
    await seed(db);
    report = await loadReport(db, 'recovery', { asOf: AS_OF });
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it('matches its golden file', () => {
    const text = `${JSON.stringify(report, null, 1)}\n`;
    if (process.env.LENDGUARD_UPDATE_GOLDEN === '1' && backend.name === 'pglite') writeFileSync(GOLDEN, text);
    expect(existsSync(GOLDEN), `golden file ${GOLDEN.pathname}; LENDGUARD_UPDATE_GOLDEN=1 writes it`).toBe(
      true,
    );
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('sums the written-off amounts and the counted recoveries to the fen, by write-off month', () => {
    const amounts = report.tables.find((t) => t.name === 'recovery-amount');
    // 2025-12: a (400000 + 50000 + 12000 + 1234) and b (150000 + 50000 + 1234); 2026-02: c; 2026-04: d.
    expect(amounts?.rows.map((r) => [r.row, r.loans, r.writtenOff, r.recovered])).toEqual([
      ['2025-12', 2, '6644.68', '420.51'],
      ['2026-02', 1, '1342.34', '0.00'],
      ['2026-04', 1, '10912.34', '1000.00'],
    ]);
    expect(amounts?.rows[0]).toMatchObject({
      m0: '100.00',
      m1: '100.00',
      m2: '350.50',
      m3: '420.51',
      m5: '420.51',
    });
    expect(amounts?.rows[0]?.m6).toBeUndefined();
    const rates = report.tables.find((t) => t.name === 'recovery-rate');
    expect(rates?.rows[2]).toMatchObject({ m0: '0.000000', m1: '0.091639' });
    expect(report.summary.find((f) => f.key === 'writtenOff')?.value).toBe('18899.36');
  });

  it('drills down to the loans behind a figure, and refuses a cell it does not have', async () => {
    const cell = (row: string, column: string) =>
      loadReportCell(db, 'recovery', { asOf: AS_OF }, { table: 'recovery-amount', row, column });
    expect(await cell('2025-12', 'loans')).toEqual(['ln-a', 'ln-b']);
    expect(await cell('2025-12', 'm1')).toEqual(['ln-a']);
    expect(await cell('2025-12', 'm3')).toEqual(['ln-a', 'ln-b']);
    await expect(cell('2026-03', 'loans')).rejects.toBeInstanceOf(ReportError);
    await expect(loadReport(db, 'recovery', { asOf: AS_OF, scenario: 'downturn' })).rejects.toMatchObject({
      code: 'report_scenario_unsupported',
    });
    await expect(loadReport(db, 'recovery', { asOf: '2026-06-30' })).rejects.toMatchObject({
      code: 'report_month_not_closed',
    });
  });

  it('exports a sheet per table to Excel', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportXlsxBuffer(report)) as unknown as ExcelJS.Buffer);
    const sheet = wb.getWorksheet('recovery-rate');
    expect(sheet?.getRow(3).getCell(1).value).toBe('2025-12');
    expect(sheet?.getRow(5).getCell(6).value).toBe(0);
  });
});
