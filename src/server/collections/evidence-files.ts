import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import yazl from 'yazl';
import type { EvidenceDocument, EvidenceTable } from '../../collections/index.js';
import { type Day, formatDate } from '../../money/index.js';

/**
 * Renders the evidence package's documents as PDFs and zips them with a manifest of SHA-256 hashes. Chinese
 * is set in Noto Sans SC (Noto Sans Hans, GB2312 subset, SIL Open Font License) shipped by the npm package
 * `@embedpdf/fonts-sc`, embedded as a subset, so the package renders the same on any machine after `npm ci`.
 * Every timestamp — the PDFs' creation and modification dates, the ZIP entries' dates — is the package's
 * as-of business day, so the same data give the same bytes.
 */

const require = createRequire(import.meta.url);
let fontBytes: Buffer | undefined;

/** The CJK font, read once. */
function cjkFont(): Buffer {
  if (fontBytes === undefined) {
    const dir = path.dirname(require.resolve('@embedpdf/fonts-sc'));
    fontBytes = readFileSync(path.join(dir, '..', 'fonts', 'NotoSansHans-Regular.otf'));
  }
  return fontBytes;
}

const PAGE = { size: 'A4' as const, layout: 'landscape' as const, margin: 36 };
const TEXT_PT = 9;
const TABLE_PT = 7.5;
const ROW_PT = 11;

function asOfDate(day: Day): Date {
  return new Date(`${formatDate(day)}T00:00:00Z`);
}

export async function renderPdf(document: EvidenceDocument, asOfDay: Day, producer: string): Promise<Buffer> {
  const when = asOfDate(asOfDay);
  // Loaded when first needed: pdfkit is a large part of every process's start-up otherwise.
  const PDFDocument = (await import('pdfkit')).default;
  const doc = new PDFDocument({
    size: PAGE.size,
    layout: PAGE.layout,
    margin: PAGE.margin,
    info: { Title: document.title, Producer: producer, Creator: producer, CreationDate: when, ModDate: when },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', cjkFont());
  doc.font('cjk');
  doc.fontSize(14).text(document.title);
  doc.moveDown(0.5);
  for (const section of document.sections) {
    doc.fontSize(11).text(section.heading);
    doc.fontSize(TEXT_PT);
    for (const line of section.lines) doc.text(line);
    if (section.table !== undefined) drawTable(doc, section.table);
    doc.moveDown(0.8);
  }
  doc.end();
  return done;
}

function drawTable(doc: PDFKit.PDFDocument, table: EvidenceTable): void {
  const left = PAGE.margin;
  const width = doc.page.width - 2 * PAGE.margin;
  // Widths by the longest text of each column (header included), within bounds.
  const weights = table.columns.map((c, i) =>
    Math.min(40, Math.max(6, c.length, ...table.rows.map((r) => (r[i] ?? '').length))),
  );
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (w / total) * width);
  const bottom = doc.page.height - PAGE.margin;
  let y = doc.y + 2;
  const row = (cells: readonly string[], header: boolean) => {
    if (y + ROW_PT > bottom) {
      doc.addPage();
      y = PAGE.margin;
      if (!header) row(table.columns, true);
    }
    let x = left;
    doc.fontSize(TABLE_PT);
    cells.forEach((cell, i) => {
      const w = widths[i] ?? 0;
      doc.text(cell, x + 2, y, {
        width: w - 4,
        height: ROW_PT,
        lineBreak: false,
        ellipsis: true,
        align: !header && table.numeric[i] === true ? 'right' : 'left',
      });
      x += w;
    });
    y += ROW_PT;
    if (header)
      doc
        .moveTo(left, y - 1)
        .lineTo(left + width, y - 1)
        .lineWidth(0.5)
        .stroke();
  };
  row(table.columns, true);
  for (const r of table.rows) row(r, false);
  doc.x = left;
  doc.y = y + 4;
}

export interface ManifestEntry {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface EvidencePackage {
  readonly zip: Buffer;
  readonly manifest: { readonly files: readonly ManifestEntry[] } & Record<string, unknown>;
  readonly manifestSha256: string;
  readonly zipSha256: string;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A file put into the package as it is (a case's uploaded document). */
export interface EvidenceAttachment {
  readonly name: string;
  readonly data: Buffer;
}

/**
 * The ZIP: the PDFs in their numbered order, then the attachments (a case's documents, as uploaded),
 * `manifest.json` (every file's size and SHA-256) and `SHA256SUMS` (the same, in the form `sha256sum -c`
 * reads). Entry dates are the as-of day at midnight in DOS time, written from local-time fields so the bytes
 * do not depend on the machine's zone.
 */
export async function buildEvidencePackage(
  documents: readonly EvidenceDocument[],
  header: Record<string, unknown>,
  asOfDay: Day,
  producer: string,
  attachments: readonly EvidenceAttachment[] = [],
): Promise<EvidencePackage> {
  const files: { name: string; data: Buffer }[] = [];
  for (const d of documents) files.push({ name: d.fileName, data: await renderPdf(d, asOfDay, producer) });
  for (const a of attachments) files.push({ name: a.name, data: a.data });
  const entries = files.map((f) => ({ name: f.name, bytes: f.data.length, sha256: sha256(f.data) }));
  const manifest = {
    format: 'lendguard.evidence-package',
    formatVersion: 1,
    ...header,
    asOf: formatDate(asOfDay),
    files: entries,
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  const sums = Buffer.from(entries.map((e) => `${e.sha256}  ${e.name}\n`).join(''), 'utf8');
  const [y, m, d] = formatDate(asOfDay).split('-').map(Number) as [number, number, number];
  const mtime = new Date(y, m - 1, d, 0, 0, 0);
  const zip = new yazl.ZipFile();
  const options = { mtime, mode: 0o100644, compress: true, forceDosTimestamp: true } as const;
  for (const f of files) zip.addBuffer(f.data, f.name, options);
  zip.addBuffer(manifestBytes, 'manifest.json', options);
  zip.addBuffer(sums, 'SHA256SUMS', options);
  zip.end();
  const chunks: Buffer[] = [];
  const zipBytes = await new Promise<Buffer>((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
  return { zip: zipBytes, manifest, manifestSha256: sha256(manifestBytes), zipSha256: sha256(zipBytes) };
}
