/**
 * A report as an Excel workbook (exceljs): a sheet of headline figures and notes, then one sheet per table.
 * Money and ratios are written as numbers with a number format, so a reader can sum and chart them; the
 * decimal strings of the report convert exactly to the two-place and six-place values Excel shows.
 *
 * Written by exceljs's streaming writer, each row committed as it is written: the ECL report of a million-loan
 * book (a row per exposure) held as a whole workbook passed this process's heap. A table longer than a sheet
 * holds (Excel's 1,048,576 rows, two of them the headers) goes on over sheets `name-2`, `name-3`, … each
 * with the headers again.
 */
import { PassThrough } from 'node:stream';
import type { Report, ReportCell, ReportValueType } from '../../reporting/index.js';

const FORMATS: Partial<Record<ReportValueType, string>> = {
  money: '#,##0.00',
  ratio: '0.000000',
  int: '0',
};

/** The rows of an Excel sheet. */
export const XLSX_SHEET_ROWS_MAX = 1_048_576;

export interface XlsxOptions {
  /** A table's rows on one sheet at most (default: what a sheet holds below the two header rows). */
  readonly rowsPerSheet?: number;
}

function cellValue(type: ReportValueType, value: ReportCell): string | number | null {
  if (value === null) return null;
  if ((type === 'money' || type === 'ratio') && typeof value === 'string') return Number(value);
  return value;
}

/** Excel limits sheet names to 31 characters; a table's later sheets end in `-2`, `-3`, … */
function sheetName(name: string, part: number): string {
  const suffix = part === 0 ? '' : `-${part + 1}`;
  return `${name.slice(0, 31 - suffix.length)}${suffix}`;
}

async function writeWorkbook(
  report: Report,
  target: { stream: PassThrough } | { filename: string },
  options: XlsxOptions,
): Promise<void> {
  // Loaded when first needed: exceljs is a large part of every process's start-up otherwise.
  const { stream } = (await import('exceljs')).default;
  const wb = new stream.xlsx.WorkbookWriter({ ...target, useStyles: true, useSharedStrings: false });
  wb.creator = 'lendguard';
  const summary = wb.addWorksheet('summary');
  summary.columns = [{ width: 9 }, { width: 30 }, { width: 30 }, { width: 18 }];
  const line = (values: (string | number | null)[]) => summary.addRow(values).commit();
  line(['report', report.kind]);
  line(['asOf', report.asOf]);
  if (report.scenario !== undefined) line(['scenario', report.scenario]);
  line(['title', report.title.en, report.title.zh]);
  line([]);
  line(['key', 'en', 'zh', 'value']);
  for (const f of report.summary) {
    const row = summary.addRow([f.key, f.label.en, f.label.zh, cellValue(f.type, f.value)]);
    const format = FORMATS[f.type];
    if (format !== undefined) row.getCell(4).numFmt = format;
    row.commit();
  }
  line([]);
  for (const n of report.notes) line(['note', n.en, n.zh]);
  summary.commit();
  const perSheet = Math.max(1, options.rowsPerSheet ?? XLSX_SHEET_ROWS_MAX - 2);
  for (const table of report.tables) {
    const formats = table.columns.map((c) => FORMATS[c.type]);
    const parts = Math.max(1, Math.ceil(table.rows.length / perSheet));
    for (let part = 0; part < parts; part += 1) {
      const sheet = wb.addWorksheet(sheetName(table.name, part), { views: [{ state: 'frozen', ySplit: 2 }] });
      sheet.columns = table.columns.map(() => ({ width: 14 }));
      sheet.addRow(table.columns.map((c) => c.key)).commit();
      sheet.addRow(table.columns.map((c) => `${c.label.zh} ${c.label.en}`)).commit();
      const end = Math.min(table.rows.length, (part + 1) * perSheet);
      for (let i = part * perSheet; i < end; i += 1) {
        const r = table.rows[i] as (typeof table.rows)[number];
        const row = sheet.addRow(table.columns.map((c) => cellValue(c.type, r[c.key] ?? null)));
        formats.forEach((format, j) => {
          if (format !== undefined) row.getCell(j + 1).numFmt = format;
        });
        row.commit();
      }
      sheet.commit();
    }
  }
  await wb.commit();
}

/** The workbook's bytes. */
export async function reportXlsxBuffer(report: Report, options: XlsxOptions = {}): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  await writeWorkbook(report, { stream: out }, options);
  await ended;
  return Buffer.concat(chunks);
}

export async function writeReportXlsx(
  report: Report,
  file: string,
  options: XlsxOptions = {},
): Promise<void> {
  await writeWorkbook(report, { filename: file }, options);
}
