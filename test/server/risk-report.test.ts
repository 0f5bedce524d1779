import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  importFundingOutflows,
  loadReport,
  loadRiskReport,
  postMonthEndEcl,
  riskReportPdf,
  writeBook,
} from '../../src/jobs/index.js';
import { addDays, parseDate } from '../../src/money/index.js';
import type { Report } from '../../src/reporting/index.js';
import { setBusinessDay } from '../../src/store/index.js';
import { openMigratedPglite } from '../support/pglite-template.js';
import { pdfText } from './evidence-reader.js';
import { auth, startApi, type TestApi } from './helpers.js';

const TODAY = parseDate('2026-06-15');
const AS_OF = '2026-05-31';

/* Independent print formats: yuan with thousands separators, ratios as percentages rounded half-up. */
const yuan = (s: unknown) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(s));
function pct(s: unknown): string {
  const micro = Math.round(Number(s) * 1_000_000);
  const hundredths = Math.floor((micro + 50) / 100);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}%`;
}

const figure = (r: Report, key: string) => r.summary.find((f) => f.key === key)?.value;
const rows = (r: Report, table: string) => r.tables.find((t) => t.name === table)?.rows ?? [];

describe('the monthly risk report', () => {
  let api: TestApi;
  const reports: Record<string, Report> = {};

  beforeAll(async () => {
    const db = await openMigratedPglite();
    await writeBook(db, {
      seed: 31,
      customers: 40,
      loansPerCustomer_max: 3,
      drawFrom: addDays(TODAY, -400),
      drawTo: addDays(TODAY, -10),
      historyThrough: addDays(TODAY, -4),
    });
    await setBusinessDay(db, parseDate('2026-06-12'));
    await postMonthEndEcl(db, parseDate('2026-04-30'));
    await importFundingOutflows(
      db,
      JSON.stringify([{ day: '2026-07-10', amount: '43210.98', label: 'bank loan repayment' }]),
      'json',
      'test',
    );
    api = await startApi(db);
    for (const kind of ['classification', 'roll-rates', 'vintage', 'ecl', 'stress', 'liquidity']) {
      reports[kind] = await loadReport(db, kind, { asOf: AS_OF });
    }
  }, 300_000);
  afterAll(async () => {
    await api?.app.close();
    await api?.db.close();
  });

  /** Every figure a reader checks, as the reports the API serves give them, in print format. */
  function expectedFigures(): string[] {
    const c = reports.classification as Report;
    const rr = reports['roll-rates'] as Report;
    const v = reports.vintage as Report;
    const e = reports.ecl as Report;
    const s = reports.stress as Report;
    const l = reports.liquidity as Report;
    const out = [
      yuan(figure(c, 'balance')),
      yuan(figure(c, 'nplBalance')),
      pct(figure(c, 'nplRatio')),
      pct(figure(c, 'dpd90Ratio')),
      pct(figure(rr, 'par30')),
      yuan(figure(v, 'disbursed')),
      yuan(figure(e, 'ecl')),
      yuan(figure(s, 'ecl-worst')),
      yuan(figure(l, 'outflows-12m')),
    ];
    for (const r of rows(c, 'by-class')) out.push(yuan(r.balance));
    for (const r of rows(e, 'stages')) out.push(yuan(r.ecl), yuan(r.ead));
    for (const r of rows(e, 'roll-forward')) out.push(yuan(r.total));
    for (const r of rows(s, 'scenarios')) out.push(yuan(r.ecl), yuan(r['loss-12m']));
    for (const r of rows(l, 'months')) out.push(yuan(r.scheduled), yuan(r['cash-in-base']));
    return out;
  }

  it('as a PDF in Chinese and in English carries every section and the reports’ figures', async () => {
    const expected = expectedFigures();
    expect(rows(reports.ecl as Report, 'roll-forward')).toHaveLength(9);
    expect(Number(figure(reports.liquidity as Report, 'outflows-12m'))).toBe(43210.98);
    const titles = {
      'zh-CN': [
        '月度风险报告 — 2026-05-31',
        '五级分类与不良贷款',
        '迁徙率与滚动率',
        '账龄分析',
        'IFRS 9 预期信用损失',
        '压力测试',
        '流动性',
        '期末余额',
      ],
      en: [
        'Monthly risk report — 2026-05-31',
        'Five-category classification and NPL',
        'Roll rates and flow rates',
        'Vintages',
        'IFRS 9 expected credit loss',
        'Stress tests',
        'Liquidity',
        'Closing',
      ],
    } as const;
    for (const locale of ['zh-CN', 'en'] as const) {
      const res = await api.app.inject({
        method: 'GET',
        url: `/reports/monthly-risk?asOf=2026-06-03&format=pdf&locale=${locale}`,
        headers: auth(api.tokens.finance),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const pages = await pdfText(res.rawPayload);
      expect(pages.length).toBeGreaterThanOrEqual(7);
      const text = pages.join('\n');
      for (const t of titles[locale]) expect(text, t).toContain(t);
      for (const f of expected) expect(text, f).toContain(f);
    }
  }, 120_000);

  it('as HTML holds the same figures, a chart per section that draws one and refuses an open month', async () => {
    const res = await api.app.inject({
      method: 'GET',
      url: '/reports/monthly-risk?asOf=2026-05-31&locale=en',
      headers: auth(api.tokens.risk_analyst),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const html = res.body;
    expect(html).toContain('<html lang="en">');
    expect(html.match(/<section /g)).toHaveLength(7);
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(6);
    const ecl = /data-figure="ecl\.ecl"><div class="l">[^<]*<\/div><div class="v">([^<]*)</.exec(html);
    expect(ecl?.[1]).toBe(yuan(figure(reports.ecl as Report, 'ecl')));
    for (const f of expectedFigures()) expect(html, f).toContain(f);

    const open = await api.app.inject({
      method: 'GET',
      url: '/reports/monthly-risk?asOf=2026-06-30&format=pdf',
      headers: auth(api.tokens.finance),
    });
    expect(open.statusCode).toBe(409);
    expect(JSON.parse(open.body).code).toBe('report_month_not_closed');
    const collector = await api.app.inject({
      method: 'GET',
      url: '/reports/monthly-risk?asOf=2026-05-31',
      headers: auth(api.tokens.collector),
    });
    expect(collector.statusCode).toBe(403);
  }, 120_000);

  it('is the same PDF, byte for byte, from the same data', async () => {
    const doc = await loadRiskReport(api.db, AS_OF, 'zh-CN');
    const a = await riskReportPdf(doc);
    const b = await riskReportPdf(await loadRiskReport(api.db, AS_OF, 'zh-CN'));
    expect(a.equals(b)).toBe(true);
  }, 120_000);
});
