import type { EChartsCoreOption as ChartOption } from 'echarts/core';
import type { BucketShare } from './portfolio.js';

export interface BucketChartText {
  bucketLabel: (bucket: string) => string;
  axisName: string;
  money: (amount: string) => string;
  count: (n: number) => string;
  loansLabel: string;
  /** Drawn across the plot when the book is empty. */
  emptyText: string;
}

/** M0 green through M7 dark red: the later the bucket, the more alarming. */
const BUCKET_COLOURS = [
  '#52c41a',
  '#fadb14',
  '#faad14',
  '#fa8c16',
  '#fa541c',
  '#f5222d',
  '#cf1322',
  '#820014',
];

/**
 * The bar chart of outstanding principal per bucket. Bar heights are yuan as numbers (a picture needs
 * no fen precision); every figure shown as text comes from the exact decimal string.
 */
export function bucketChartOption(shares: readonly BucketShare[], text: BucketChartText): ChartOption {
  const empty = shares.every((s) => s.loans === 0);
  return {
    animation: false,
    grid: { left: 72, right: 24, top: 40, bottom: 64 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { dataIndex: number }) => {
        const share = shares[p.dataIndex];
        if (share === undefined) return '';
        return `${text.bucketLabel(share.bucket)}<br/>${text.money(share.outstandingPrincipal)} · ${text.loansLabel} ${text.count(share.loans)}`;
      },
    },
    xAxis: {
      type: 'category',
      data: shares.map((s) => s.bucket),
      // Every bucket labelled, none dropped for want of room: the code above, the days past due below.
      axisLabel: {
        interval: 0,
        hideOverlap: false,
        fontSize: 11,
        formatter: (value: string) => text.bucketLabel(value).replace(' ', '\n'),
      },
    },
    yAxis: {
      type: 'value',
      name: text.axisName,
      min: 0,
      max: empty ? 1 : undefined,
      axisLabel: { show: !empty },
    },
    series: [
      {
        type: 'bar',
        // Each bar says how many loans it holds.
        label: {
          show: !empty,
          position: 'top',
          fontSize: 11,
          formatter: (p: { dataIndex: number }) => text.count(shares[p.dataIndex]?.loans ?? 0),
        },
        data: shares.map((s, i) => ({
          value: Number(s.outstandingPrincipal),
          itemStyle: { color: BUCKET_COLOURS[i % BUCKET_COLOURS.length] },
        })),
      },
    ],
    graphic: empty
      ? [
          {
            type: 'text',
            left: 'center',
            top: 'middle',
            style: { text: text.emptyText, fontSize: 16, fill: '#8c8c8c' },
          },
        ]
      : [],
  };
}
