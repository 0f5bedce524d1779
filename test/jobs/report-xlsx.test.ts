/**
 * The Excel export of a report: every row of a table reads back with its number formats, and a table longer
 * than a sheet holds goes on over sheets of the same headers (shown here with a few rows a sheet; Excel's own
 * limit is 1,048,576 rows), whether written to a file or to bytes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { reportXlsxBuffer, writeReportXlsx, XLSX_SHEET_ROWS_MAX } from '../../src/jobs/index.js';
import type { Report } from '../../src/reporting/index.js';

const l = (en: string) => ({ en, zh: en });
const report: Report = {
  kind: 'ecl',
  asOf: '2026-05-31',
  title: l('ECL'),
  summary: [{ key: 'ecl', label: l('ECL'), type: 'money', value: '12.34' }],
  tables: [
    {
      name: 'exposures-with-a-name-longer-than-excel-allows',
      label: l('Exposures'),
      columns: [
        { key: 'exposure', label: l('Exposure'), type: 'text' },
        { key: 'balance', label: l('Balance'), type: 'money' },
        { key: 'pd', label: l('PD'), type: 'ratio' },
      ],
      rows: Array.from({ length: 7 }, (_, i) => ({
        exposure: `loan_${i}`,
        balance: `${i}00.25`,
        pd: '0.012345',
      })),
    },
    { name: 'empty', label: l('Empty'), columns: [{ key: 'x', label: l('X'), type: 'int' }], rows: [] },
  ],
  notes: [l('a note')],
};

const dir = mkdtempSync(join(tmpdir(), 'lg-xlsx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readBack(wb: ExcelJS.Workbook) {
  const long = report.tables[0]!;
  expect(wb.worksheets.map((w) => w.name)).toEqual([
    'summary',
    'exposures-with-a-name-longer-th',
    'exposures-with-a-name-longer--2',
    'exposures-with-a-name-longer--3',
    'empty',
  ]);
  expect(wb.getWorksheet('summary')?.getRow(6).getCell(4).value).toBe(12.34);
  const read: { exposure: unknown; balance: unknown; pd: unknown }[] = [];
  for (const sheet of wb.worksheets.slice(1, 4)) {
    expect(sheet.getRow(1).values).toEqual([undefined, 'exposure', 'balance', 'pd']);
    for (let r = 3; r <= sheet.rowCount; r += 1) {
      const row = sheet.getRow(r);
      expect(row.getCell(2).numFmt).toBe('#,##0.00');
      expect(row.getCell(3).numFmt).toBe('0.000000');
      read.push({ exposure: row.getCell(1).value, balance: row.getCell(2).value, pd: row.getCell(3).value });
    }
  }
  expect(wb.worksheets.slice(1, 4).map((s) => s.rowCount - 2)).toEqual([3, 3, 1]);
  expect(read).toEqual(long.rows.map((r) => ({ ...r, balance: Number(r.balance), pd: Number(r.pd) })));
  expect(wb.getWorksheet('empty')?.rowCount).toBe(2);
}

describe('a report as an Excel workbook', () => {
  it('reads back every row, a long table over sheets of the same headers, from bytes and from a file', async () => {
    const fromBytes = new ExcelJS.Workbook();
    await fromBytes.xlsx.load(
      (await reportXlsxBuffer(report, { rowsPerSheet: 3 })) as unknown as ExcelJS.Buffer,
    );
    await readBack(fromBytes);
    const file = join(dir, 'report.xlsx');
    await writeReportXlsx(report, file, { rowsPerSheet: 3 });
    const fromFile = new ExcelJS.Workbook();
    await fromFile.xlsx.readFile(file);
    await readBack(fromFile);
  });

  it('keeps a table on one sheet up to what a sheet holds under its headers', async () => {
    expect(XLSX_SHEET_ROWS_MAX).toBe(1_048_576);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportXlsxBuffer(report)) as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.rowCount)).toEqual([8, 9, 2]);
  });
});
