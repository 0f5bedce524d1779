import type { EChartsCoreOption as ChartOption } from 'echarts/core';
import type { TrendPoint } from './portfolio.js';

export interface TrendChartText {
  outstanding: string;
  overdue: string;
  drawn: string;
  money: (amount: string) => string;
  count: (n: number) => string;
  month: (point: TrendPoint) => string;
}

/**
 * Month-end principal balances as lines (yuan, left axis) and loans drawn as bars (count, right
 * axis). Heights are numbers for the picture only; the tooltip shows the exact decimal strings.
 */
export function trendChartOption(points: readonly TrendPoint[], text: TrendChartText): ChartOption {
  return {
    animation: false,
    grid: { left: 88, right: 56, top: 40, bottom: 40 },
    legend: { data: [text.outstanding, text.overdue, text.drawn], top: 0 },
    tooltip: {
      trigger: 'axis',
      formatter: (params: { dataIndex: number }[]) => {
        const p = points[params[0]?.dataIndex ?? -1];
        if (p === undefined) return '';
        return [
          text.month(p),
          `${text.outstanding}: ${text.money(p.outstandingPrincipal)}`,
          `${text.overdue}: ${text.money(p.overduePrincipal)}`,
          `${text.drawn}: ${text.count(p.loansDrawn)} · ${text.money(p.drawnPrincipal)}`,
        ].join('<br/>');
      },
    },
    xAxis: { type: 'category', data: points.map((p) => p.month) },
    yAxis: [
      { type: 'value', min: 0 },
      { type: 'value', min: 0, minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      {
        name: text.outstanding,
        type: 'line',
        data: points.map((p) => Number(p.outstandingPrincipal)),
        itemStyle: { color: '#1677ff' },
      },
      {
        name: text.overdue,
        type: 'line',
        data: points.map((p) => Number(p.overduePrincipal)),
        itemStyle: { color: '#f5222d' },
      },
      {
        name: text.drawn,
        type: 'bar',
        yAxisIndex: 1,
        data: points.map((p) => p.loansDrawn),
        itemStyle: { color: 'rgba(82, 196, 26, 0.45)' },
      },
    ],
  };
}
