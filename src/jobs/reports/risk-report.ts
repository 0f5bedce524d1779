/**
 * The monthly risk report of a month end as HTML and as PDF: loads the seven reports through the frame,
 * has the core select and format them (`buildRiskReport`), and renders the document. The HTML is one
 * self-contained file (inline CSS and SVG charts); the PDF is set with pdfkit in Noto Sans SC from the npm
 * package `@embedpdf/fonts-sc` (decision 0731), its dates fixed to the month end, so the same data give the
 * same bytes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { formatDate } from '../../money/index.js';
import {
  buildRiskReport,
  type RiskChart,
  type RiskReportDocument,
  type RiskReportInput,
  type RiskReportLocale,
  type RiskTable,
} from '../../reporting/index.js';
import type { Db } from '../../store/index.js';
import type { Progress } from './month-end.js';
import { loadReport, type ReportContext, requestMonthEnd } from './registry.js';

/** The report kinds a risk report draws from, in the order they are loaded. */
const RISK_KINDS = [
  ['classification', 'classification'],
  ['npl', 'npl'],
  ['rollRates', 'roll-rates'],
  ['vintage', 'vintage'],
  ['ecl', 'ecl'],
  ['stress', 'stress'],
  ['liquidity', 'liquidity'],
] as const;

/** Loads every report of the month end on or before `asOf` (refused as the reports refuse). */
export async function loadRiskReportInput(
  db: Db,
  asOf: string,
  progress?: Progress,
  context?: ReportContext,
): Promise<RiskReportInput> {
  // Every report describes the month end on or before the day, the forward-looking ones included.
  const monthEnd = formatDate(await requestMonthEnd(db, { asOf }));
  const out: Partial<Record<keyof RiskReportInput, RiskReportInput[keyof RiskReportInput]>> = {};
  let done = 0;
  progress?.(0, RISK_KINDS.length);
  for (const [key, kind] of RISK_KINDS) {
    out[key] = await loadReport(db, kind, { asOf: monthEnd }, undefined, context);
    done += 1;
    progress?.(done, RISK_KINDS.length);
  }
  return out as RiskReportInput;
}

export async function loadRiskReport(
  db: Db,
  asOf: string,
  locale: RiskReportLocale,
  progress?: Progress,
  context?: ReportContext,
): Promise<RiskReportDocument> {
  return buildRiskReport(await loadRiskReportInput(db, asOf, progress, context), locale);
}

const PALETTE = ['#1d39c4', '#cf1322', '#d48806', '#389e0d', '#531dab', '#08979c', '#c41d7f'];

/** The y-axis of a chart: from 0 (or the lowest negative value) to a round maximum, with 4 steps. */
function axisOf(chart: RiskChart): { min: number; max: number; ticks: number[] } {
  const all = chart.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const top = Math.max(0, ...all);
  const bottom = Math.min(0, ...all);
  const span = top - bottom || 1;
  const raw = span / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const min = Math.floor(bottom / step) * step;
  const max = Math.ceil(top / step) * step || step;
  const ticks: number[] = [];
  for (let v = min; v <= max + step / 2; v += step) ticks.push(v);
  return { min, max, ticks };
}

function tickText(v: number, unit: RiskChart['unit']): string {
  if (unit === 'ratio') return `${(v * 100).toFixed(v * 100 < 10 ? 1 : 0)}%`;
  return Math.abs(v) >= 10_000 ? `${(v / 10_000).toFixed(v % 10_000 === 0 ? 0 : 1)}万` : v.toFixed(0);
}

/* ---------------------------------------------------------------- HTML ---- */

function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

function svgChart(chart: RiskChart, key: string): string {
  const W = 720;
  const H = 260;
  const left = 64;
  const right = 12;
  const top = 12;
  const bottom = 56;
  const { min, max, ticks } = axisOf(chart);
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const y = (v: number) => top + plotH - ((v - min) / (max - min)) * plotH;
  const n = Math.max(1, chart.categories.length);
  const band = plotW / n;
  const parts: string[] = [];
  for (const t of ticks) {
    parts.push(
      `<line x1="${left}" x2="${W - right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e8e8e8"/>`,
      `<text x="${left - 4}" y="${(y(t) + 3).toFixed(1)}" text-anchor="end" font-size="10">${esc(tickText(t, chart.unit))}</text>`,
    );
  }
  chart.categories.forEach((c, i) => {
    parts.push(
      `<text x="${(left + band * (i + 0.5)).toFixed(1)}" y="${H - bottom + 14}" text-anchor="middle" font-size="10">${esc(c)}</text>`,
    );
  });
  chart.series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length] as string;
    if (chart.kind === 'bar') {
      const w = (band * 0.8) / chart.series.length;
      s.values.forEach((v, i) => {
        if (v === null) return;
        const x = left + band * i + band * 0.1 + w * k;
        const y0 = y(Math.max(0, v));
        const h = Math.abs(y(v) - y(0));
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${y0.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="${color}"/>`,
        );
      });
    } else {
      // A gap where a value is missing: one polyline per run of values.
      let run: string[] = [];
      const flush = () => {
        if (run.length > 0)
          parts.push(
            `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${run.join(' ')}"/>`,
          );
        run = [];
      };
      s.values.forEach((v, i) => {
        if (v === null) flush();
        else run.push(`${(left + band * (i + 0.5)).toFixed(1)},${y(v).toFixed(1)}`);
      });
      flush();
    }
    const lx = left + (k % 4) * 170;
    const ly = H - 24 + Math.floor(k / 4) * 14;
    parts.push(
      `<rect x="${lx}" y="${ly - 8}" width="10" height="10" fill="${color}"/>`,
      `<text x="${lx + 14}" y="${ly + 1}" font-size="10">${esc(s.name)}</text>`,
    );
  });
  const legendRows = Math.ceil(chart.series.length / 4);
  const height = H + Math.max(0, legendRows - 1) * 14;
  return `<figure data-chart="${esc(key)}"><figcaption>${esc(chart.title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="${esc(chart.title)}">${parts.join('')}</svg></figure>`;
}

function htmlTable(t: RiskTable): string {
  const head = t.columns.map((c) => `<th class="${c.numeric ? 'n' : ''}">${esc(c.label)}</th>`).join('');
  const body = t.rows
    .map(
      (r) =>
        `<tr>${r.map((v, i) => `<td class="${t.columns[i]?.numeric ? 'n' : ''}">${esc(v)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<h3>${esc(t.title)}</h3>\n<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const CSS = `body{font-family:"Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:24px;color:#1f1f1f}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #d9d9d9;padding-bottom:4px;margin-top:32px}
h3{font-size:14px;margin:16px 0 6px}table{border-collapse:collapse;font-size:12px;margin-bottom:8px}
th,td{border:1px solid #e8e8e8;padding:3px 6px}th{background:#fafafa}.n{text-align:right}
.figures{display:flex;flex-wrap:wrap;gap:8px}.figure{border:1px solid #e8e8e8;padding:6px 10px;min-width:160px}
.figure .l{font-size:11px;color:#595959}.figure .v{font-size:16px}figure{margin:8px 0}
figcaption{font-size:13px;font-weight:600}.note{font-size:11px;color:#595959}`;

/** The document as one self-contained HTML file. */
export function riskReportHtml(doc: RiskReportDocument): string {
  const sections = doc.sections.map((s) => {
    const figures = s.figures
      .map(
        (f) =>
          `<div class="figure" data-figure="${esc(f.key)}"><div class="l">${esc(f.label)}</div><div class="v">${esc(f.text)}</div></div>`,
      )
      .join('');
    return [
      `<section id="${esc(s.key)}">`,
      `<h2>${esc(s.title)}</h2>`,
      `<div class="figures">${figures}</div>`,
      ...s.charts.map((c, i) => svgChart(c, `${s.key}-${i}`)),
      ...s.tables.map(htmlTable),
      ...s.notes.map((n) => `<p class="note">${esc(n)}</p>`),
      '</section>',
    ].join('\n');
  });
  return `<!doctype html>
<html lang="${doc.locale}">
<head><meta charset="utf-8"><title>${esc(doc.title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(doc.title)}</h1>
${sections.join('\n')}
</body>
</html>
`;
}

/* ----------------------------------------------------------------- PDF ---- */

const require = createRequire(import.meta.url);
let fontBytes: Buffer | undefined;

/** The CJK font of the evidence package (Noto Sans Hans Regular), read once. */
function cjkFont(): Buffer {
  if (fontBytes === undefined) {
    const dir = path.dirname(require.resolve('@embedpdf/fonts-sc'));
    fontBytes = readFileSync(path.join(dir, '..', 'fonts', 'NotoSansHans-Regular.otf'));
  }
  return fontBytes;
}

const MARGIN = 36;
const ROW_PT = 11;
const TABLE_PT = 7;
const PRODUCER = 'Lendguard';

function ensureRoom(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
}

function pdfTable(doc: PDFKit.PDFDocument, t: RiskTable): void {
  ensureRoom(doc, 3 * ROW_PT + 14);
  doc.fontSize(9).text(t.title, MARGIN, doc.y);
  const width = doc.page.width - 2 * MARGIN;
  const weights = t.columns.map((c, i) =>
    Math.min(36, Math.max(5, c.label.length * 1.6, ...t.rows.map((r) => (r[i] ?? '').length))),
  );
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (w / total) * width);
  let y = doc.y + 2;
  const line = (cells: readonly string[], header: boolean) => {
    const heights = cells.map((c, i) =>
      doc.fontSize(TABLE_PT).heightOfString(c, { width: (widths[i] as number) - 4 }),
    );
    const h = Math.max(ROW_PT, ...heights.map((x) => x + 3));
    if (y + h > doc.page.height - MARGIN) {
      doc.addPage();
      y = MARGIN;
    }
    if (header) doc.rect(MARGIN, y, width, h).fill('#f0f0f0').fillColor('black');
    let x = MARGIN;
    cells.forEach((c, i) => {
      const w = widths[i] as number;
      doc
        .fontSize(TABLE_PT)
        .text(c, x + 2, y + 2, { width: w - 4, align: t.columns[i]?.numeric && !header ? 'right' : 'left' });
      x += w;
    });
    y += h;
    doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + width, y)
      .lineWidth(0.3)
      .strokeColor('#d9d9d9')
      .stroke();
  };
  line(
    t.columns.map((c) => c.label),
    true,
  );
  for (const r of t.rows) line(r, false);
  doc.x = MARGIN;
  doc.y = y + 8;
}

function pdfChart(doc: PDFKit.PDFDocument, chart: RiskChart): void {
  const H = 190;
  ensureRoom(doc, H + 20);
  doc.fontSize(9).fillColor('black').text(chart.title, MARGIN, doc.y);
  const top = doc.y + 4;
  const left = MARGIN + 48;
  const W = Math.min(560, doc.page.width - 2 * MARGIN - 48);
  const plotH = H - 48;
  const { min, max, ticks } = axisOf(chart);
  const y = (v: number) => top + plotH - ((v - min) / (max - min)) * plotH;
  const n = Math.max(1, chart.categories.length);
  const band = W / n;
  doc.lineWidth(0.3);
  for (const t of ticks) {
    doc
      .moveTo(left, y(t))
      .lineTo(left + W, y(t))
      .strokeColor('#e8e8e8')
      .stroke();
    doc
      .fontSize(6)
      .fillColor('black')
      .text(tickText(t, chart.unit), MARGIN, y(t) - 3, { width: 44, align: 'right' });
  }
  chart.categories.forEach((c, i) => {
    doc.fontSize(6).text(c, left + band * i, top + plotH + 3, { width: band, align: 'center' });
  });
  chart.series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length] as string;
    if (chart.kind === 'bar') {
      const w = (band * 0.8) / chart.series.length;
      s.values.forEach((v, i) => {
        if (v === null) return;
        const h = Math.abs(y(v) - y(0));
        if (h > 0) doc.rect(left + band * i + band * 0.1 + w * k, y(Math.max(0, v)), w, h).fill(color);
      });
    } else {
      let drawing = false;
      s.values.forEach((v, i) => {
        if (v === null) {
          drawing = false;
          return;
        }
        const x = left + band * (i + 0.5);
        if (drawing) doc.lineTo(x, y(v));
        else doc.moveTo(x, y(v));
        drawing = true;
      });
      doc.lineWidth(1).strokeColor(color).stroke();
    }
    const lx = left + (k % 4) * 140;
    const ly = top + plotH + 16 + Math.floor(k / 4) * 10;
    doc.rect(lx, ly, 7, 7).fill(color);
    doc
      .fillColor('black')
      .fontSize(7)
      .text(s.name, lx + 10, ly, { width: 128, lineBreak: false });
  });
  doc.fillColor('black').strokeColor('black');
  doc.x = MARGIN;
  doc.y = top + plotH + 16 + Math.ceil(chart.series.length / 4) * 10 + 8;
}

/** The document as a PDF (A4 landscape), its dates the month end. */
export async function riskReportPdf(report: RiskReportDocument): Promise<Buffer> {
  const when = new Date(`${report.asOf}T00:00:00Z`);
  // Loaded when first needed: pdfkit is a large part of every process's start-up otherwise.
  const PDFDocument = (await import('pdfkit')).default;
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    info: { Title: report.title, Producer: PRODUCER, Creator: PRODUCER, CreationDate: when, ModDate: when },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', cjkFont());
  doc.font('cjk');
  doc.fontSize(16).text(report.title);
  report.sections.forEach((s, i) => {
    if (i > 0) doc.addPage();
    doc.fontSize(13).fillColor('black').text(s.title, MARGIN, doc.y);
    doc.moveDown(0.3);
    for (const f of s.figures) doc.fontSize(9).text(`${f.label}: ${f.text}`);
    doc.moveDown(0.5);
    for (const c of s.charts) pdfChart(doc, c);
    for (const t of s.tables) pdfTable(doc, t);
    for (const n of s.notes) {
      ensureRoom(doc, 20);
      doc.fontSize(7).fillColor('#595959').text(n, MARGIN, doc.y).fillColor('black');
    }
  });
  doc.end();
  return done;
}
