/**
 * A report as an Excel workbook (exceljs): a sheet of headline figures and notes, then one sheet per table.
 * Money and ratios are written as numbers with a number format, so a reader can sum and chart them; the
 * decimal strings of the report convert exactly to the two-place and six-place values Excel shows.
 */
import type ExcelJS from 'exceljs';
import type { Report, ReportCell, ReportValueType } from '../../reporting/index.js';

const FORMATS: Partial<Record<ReportValueType, string>> = {
  money: '#,##0.00',
  ratio: '0.000000',
  int: '0',
};

function cellValue(type: ReportValueType, value: ReportCell): string | number | null {
  if (value === null) return null;
  if ((type === 'money' || type === 'ratio') && typeof value === 'string') return Number(value);
  return value;
}

/** Excel limits sheet names to 31 characters. */
function sheetName(name: string): string {
  return name.slice(0, 31);
}

export async function reportWorkbook(report: Report): Promise<ExcelJS.Workbook> {
  // Loaded when first needed: exceljs is a large part of every process's start-up otherwise.
  const { Workbook } = (await import('exceljs')).default;
  const wb: ExcelJS.Workbook = new Workbook();
  wb.creator = 'lendguard';
  const summary = wb.addWorksheet('summary');
  summary.addRow(['report', report.kind]);
  summary.addRow(['asOf', report.asOf]);
  if (report.scenario !== undefined) summary.addRow(['scenario', report.scenario]);
  summary.addRow(['title', report.title.en, report.title.zh]);
  summary.addRow([]);
  summary.addRow(['key', 'en', 'zh', 'value']);
  for (const f of report.summary) {
    const row = summary.addRow([f.key, f.label.en, f.label.zh, cellValue(f.type, f.value)]);
    const format = FORMATS[f.type];
    if (format !== undefined) row.getCell(4).numFmt = format;
  }
  summary.addRow([]);
  for (const n of report.notes) summary.addRow(['note', n.en, n.zh]);
  summary.getColumn(2).width = 30;
  summary.getColumn(3).width = 30;
  summary.getColumn(4).width = 18;
  for (const table of report.tables) {
    const sheet = wb.addWorksheet(sheetName(table.name));
    sheet.addRow(table.columns.map((c) => c.key));
    sheet.addRow(table.columns.map((c) => `${c.label.zh} ${c.label.en}`));
    for (const r of table.rows) {
      const row = sheet.addRow(table.columns.map((c) => cellValue(c.type, r[c.key] ?? null)));
      table.columns.forEach((c, i) => {
        const format = FORMATS[c.type];
        if (format !== undefined) row.getCell(i + 1).numFmt = format;
      });
    }
    sheet.views = [{ state: 'frozen', ySplit: 2 }];
    table.columns.forEach((_, i) => {
      sheet.getColumn(i + 1).width = 14;
    });
  }
  return wb;
}

export async function reportXlsxBuffer(report: Report): Promise<Buffer> {
  const data = await (await reportWorkbook(report)).xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}

export async function writeReportXlsx(report: Report, file: string): Promise<void> {
  await (await reportWorkbook(report)).xlsx.writeFile(file);
}
