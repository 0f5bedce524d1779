import { counted } from '../../money/index.js';
import { METRICS, type Metric, type SimulationReport } from './report.js';

/**
 * The report as one HTML page with inline SVG charts: no script, no network, no external style. The same
 * report gives the same page byte for byte.
 */

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Whole yuan with thousands separators, without the locale's say. */
function grouped(x: number): string {
  const n = Math.round(x);
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${digits}` : digits;
}

const COLOURS = ['#1677ff', '#d4380d', '#389e0d', '#722ed1'];

const LABELS: Record<Metric, string> = {
  approvalRate: 'Approval rate 通过率',
  disbursed_fen: 'Disbursed 放款 (yuan)',
  losses_fen: 'Losses 损失 (yuan, written off less recovered)',
  recovered_fen: 'Recovered through the courts 诉讼回收 (yuan)',
  lossRate: 'Loss rate 损失率',
  nplRatioEnd: 'NPL ratio at end 不良率',
  dpd30RatioEnd: '30+ DPD ratio at end',
  dpd90RatioEnd: '90+ DPD ratio at end',
  eclEnd_fen: 'ECL at end 预期信用损失 (yuan)',
  interest_fen: 'Interest revenue 利息收入 (yuan)',
  penalty_fen: 'Penalty revenue 罚息收入 (yuan)',
  collectionCost_fen: 'Collection cost 催收成本 (yuan)',
  cashIn_fen: 'Cash in 回款 (yuan)',
  negativeReportBorrowers: 'Borrowers with a negative credit report 征信负面',
  monthsOverdue: 'Borrower-months overdue 逾期月数',
  lawsuits: 'Lawsuits 诉讼',
  letters: 'Demand letters 催收函',
  agencyPlacements: 'Placed with an agency 委外',
  complaints: 'Complaints 投诉',
  holidays: 'Payment holidays 延期还款',
  plans: 'Instalment plans 协商分期',
  promisesKeptShare: 'Promises kept 承诺兑现率',
  drawsRefused: 'Drawdowns refused (line frozen or closed)',
  hardshipApplications: 'Hardship applications 困难申请',
  incomeVerified: 'Hardship applications with verified income 收入核实',
  lostContacts: 'Cases marked lost contact 失联',
  monthsLostContact: 'Borrower-months lost contact at the month end',
};

function fmt(metric: Metric, x: number): string {
  if (metric.endsWith('_fen')) return grouped(x / 100);
  if (
    metric.endsWith('Rate') ||
    metric.endsWith('Ratio') ||
    metric.endsWith('End') ||
    metric.endsWith('Share')
  )
    return `${(x * 100).toFixed(2)} %`;
  return Number.isInteger(x) ? grouped(x) : x.toFixed(1);
}

function chart(
  title: string,
  series: readonly { name: string; values: readonly number[] }[],
  percent: boolean,
): string {
  const w = 560;
  const h = 220;
  const pad = 40;
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const max = Math.max(1e-9, ...series.flatMap((s) => s.values));
  const x = (i: number) => pad + ((w - 2 * pad) * i) / Math.max(1, n - 1);
  const y = (v: number) => h - pad + 10 - ((h - 2 * pad) * v) / max;
  const label = (v: number) => (percent ? `${(v * 100).toFixed(1)}%` : grouped(v / 100));
  const lines = series
    .map(
      (s, k) =>
        `<polyline fill="none" stroke="${COLOURS[k % COLOURS.length]}" stroke-width="2"${k > 0 ? ' stroke-dasharray="6 3"' : ''} points="${s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`,
    )
    .join('');
  const legend = series
    .map(
      (s, k) =>
        `<text x="${pad + k * 160}" y="16" fill="${COLOURS[k % COLOURS.length]}" font-size="12">${esc(s.name)}</text>`,
    )
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">
<line x1="${pad}" y1="${h - pad + 10}" x2="${w - pad}" y2="${h - pad + 10}" stroke="#999"/><line x1="${pad}" y1="${pad - 10}" x2="${pad}" y2="${h - pad + 10}" stroke="#999"/>
<text x="2" y="${pad - 12}" font-size="10">${esc(label(max))}</text><text x="${pad}" y="${h - 8}" font-size="10">month 1</text><text x="${w - pad - 40}" y="${h - 8}" font-size="10">month ${n}</text>
${legend}${lines}</svg></figure>`;
}

export function reportHtml(report: SimulationReport): string {
  const r = report.run;
  const names = report.strategies.map((s) => s.name);
  const head = `<tr><th>figure</th>${names.map((n) => `<th>${esc(n)} (95 % interval)</th>`).join('')}${report.difference ? `<th>${esc(report.difference.a)} − ${esc(report.difference.b)}</th>` : ''}</tr>`;
  const rows = METRICS.map((m) => {
    const cells = report.strategies
      .map((s) => {
        const v = s.metrics[m];
        return `<td>${fmt(m, v.mean)} <small>[${fmt(m, v.low)}, ${fmt(m, v.high)}]</small></td>`;
      })
      .join('');
    const d = report.difference?.metrics[m];
    return `<tr><td>${esc(LABELS[m])}</td>${cells}${d ? `<td>${fmt(m, d.mean)} <small>[${fmt(m, d.low)}, ${fmt(m, d.high)}]</small></td>` : ''}</tr>`;
  }).join('\n');
  const charts = [
    chart(
      'NPL ratio over time 不良率',
      report.strategies.map((s) => ({ name: s.name, values: s.overTime.nplRatio })),
      true,
    ),
    chart(
      '30+ DPD ratio over time',
      report.strategies.map((s) => ({ name: s.name, values: s.overTime.dpd30Ratio })),
      true,
    ),
    chart(
      'ECL over time 预期信用损失 (yuan)',
      report.strategies.map((s) => ({ name: s.name, values: s.overTime.ecl_fen })),
      false,
    ),
    chart(
      'Cash in by month 回款 (yuan)',
      report.strategies.map((s) => ({ name: s.name, values: s.overTime.cashIn_fen })),
      false,
    ),
  ].join('\n');
  const rolls = report.strategies
    .map(
      (s) =>
        `<tr><td>${esc(s.name)}</td>${Object.entries(s.rollRates)
          .map(([, v]) => `<td>${(v * 100).toFixed(2)} %</td>`)
          .join('')}</tr>`,
    )
    .join('');
  const rollHead = Object.keys(report.strategies[0]?.rollRates ?? {})
    .map((k) => `<th>${esc(k)}</th>`)
    .join('');
  const vintages = report.strategies
    .map((s) =>
      chart(
        `Vintages, M2+ (30+ days) principal ÷ disbursed by months on book, the first six draw months — ${s.name}`,
        s.vintages
          .map((v, a) => ({ name: `drawn in month ${a + 1}`, values: v }))
          .filter((v) => v.values.length > 0)
          .slice(0, 6),
        true,
      ),
    )
    .join('\n');
  const industries = report.strategies
    .map(
      (s) =>
        `<h3>${esc(s.name)}</h3><table><tr><th>industry</th><th>approvals</th><th>disbursed (yuan)</th><th>loss rate</th><th>default rate (ever 90+)</th></tr>${Object.entries(
          s.byIndustry,
        )
          .map(
            ([k, v]) =>
              `<tr><td>${esc(k)}</td><td>${v.approvals}</td><td>${grouped(v.disbursed_fen / 100)}</td><td>${(v.lossRate * 100).toFixed(2)} %</td><td>${(v.defaultRate * 100).toFixed(2)} %</td></tr>`,
          )
          .join('')}</table>`,
    )
    .join('\n');
  const archetypes = Object.entries(report.archetypes)
    .map(([strategy, traces]) =>
      traces
        .map(
          (t) =>
            `<h3>${esc(t.name)} — ${esc(strategy)}</h3><p>${esc(t.description)}</p><table><tr><th>month</th><th>income</th><th>paid</th><th>owed</th><th>DPD</th><th>line</th><th>reminders</th><th>calls</th><th>征信</th><th>class</th><th>what happened</th></tr>${t.rows
              .map(
                (row) =>
                  `<tr><td>${row.month}</td><td>${(row.income_fen / 100).toFixed(0)}</td><td>${(row.paid_fen / 100).toFixed(2)}</td><td>${(row.owed_fen / 100).toFixed(2)}</td><td>${row.daysPastDue}</td><td>${esc(row.line)}</td><td>${row.reminders}</td><td>${row.calls}</td><td>${esc(row.creditReport)}</td><td>${esc(row.assetClass)}</td><td>${esc(row.events.join('; '))}</td></tr>`,
              )
              .join('')}</table>`,
        )
        .join('\n'),
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Lendguard strategy lab 策略实验室</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:4px 8px;font-size:13px;text-align:right}td:first-child,th:first-child{text-align:left}td:last-child{text-align:left}figure{display:inline-block;margin:8px}small{color:#777}</style></head>
<body><h1>Strategy lab 策略实验室</h1>
<p>Population <b>${esc(r.population)}</b>, scenario <b>${esc(r.scenario)}</b>, ${counted(r.borrowers, 'borrower')} × ${counted(r.months, 'month')} from ${esc(r.startDate)}, seed ${r.seed}, ${counted(r.replications, 'replication')}. Intervals are 95 % over replications (t distribution); the difference is paired by replication.</p>
<h2>Figures 指标</h2><table>${head}\n${rows}</table>
<h2>Over time 趋势</h2>${charts}
<h2>Flow rates 滚动率 (monthly, by balance)</h2><table><tr><th>strategy</th>${rollHead}</tr>${rolls}</table>
<h2>Vintages 账龄</h2>${vintages}
<h2>By industry 行业</h2>${industries}
<h2>Archetypes 典型借款人</h2>${archetypes}
</body></html>
`;
}
