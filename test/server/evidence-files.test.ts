import { describe, expect, it } from 'vitest';
import type { EvidenceDocument } from '../../src/collections/index.js';
import { parseDate } from '../../src/money/index.js';
import { buildEvidencePackage } from '../../src/server/collections/evidence-files.js';
import { pdfText, readZip, sha256 } from './evidence-reader.js';

const documents: EvidenceDocument[] = [
  {
    fileName: '01-a.pdf',
    title: '对账单 Statement',
    sections: [
      {
        heading: '借据 Loan L-1',
        lines: ['借款人 张三', '合计罚息 Penalty total: 123.45'],
        table: {
          columns: ['日期 Day', '当日罚息 Penalty'],
          numeric: [false, true],
          rows: Array.from({ length: 120 }, (_, i) => [
            `2026-07-${String((i % 28) + 1).padStart(2, '0')}`,
            `${i}.05`,
          ]),
        },
      },
    ],
  },
  { fileName: '02-b.pdf', title: '通知 Notices', sections: [{ heading: '无 None', lines: [] }] },
];
const asOf = parseDate('2026-07-06');
const attachment = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

async function build(zone: string) {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    return await buildEvidencePackage(documents, { caseId: 'cc_1' }, asOf, 'test', [
      { name: '09-case-documents/001-cdo_1.png', data: attachment },
    ]);
  } finally {
    // Deleted rather than set when it was unset: `process.env.TZ = undefined` would set the text "undefined".
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

describe('evidence package files', () => {
  it('gives the same bytes in any time zone, with the as-of day as every date', async () => {
    const shanghai = await build('Asia/Shanghai');
    const newYork = await build('America/New_York');
    expect(newYork.zip.equals(shanghai.zip)).toBe(true);
    expect(shanghai.zipSha256).toBe(sha256(shanghai.zip));
    const { names, files } = await readZip(shanghai.zip);
    expect(names).toEqual([
      '01-a.pdf',
      '02-b.pdf',
      '09-case-documents/001-cdo_1.png',
      'manifest.json',
      'SHA256SUMS',
    ]);
    // An attachment goes in as it is, its hash in the manifest beside the PDFs'.
    expect(files.get('09-case-documents/001-cdo_1.png')!.equals(attachment)).toBe(true);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as {
      asOf: string;
      files: { name: string; sha256: string }[];
    };
    expect(manifest.asOf).toBe('2026-07-06');
    expect(manifest.files).toHaveLength(3);
    for (const f of manifest.files) expect(sha256(files.get(f.name)!)).toBe(f.sha256);
    const pdf = files.get('01-a.pdf')!.toString('latin1');
    expect(pdf).toMatch(/\/CreationDate \d+ 0 R/);
    expect(pdf).toContain('(D:20260706000000Z)');
    // A long table runs over pages, its header repeated; Chinese and figures come back as written.
    const pages = await pdfText(files.get('01-a.pdf')!);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[1]).toContain('当日罚息');
    expect(pages.join(' ')).toContain('119.05');
    expect(pages[0]).toContain('借款人 张三');
  });
});
