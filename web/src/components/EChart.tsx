import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  GraphicComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the dashboard draws, so the bundle carries no unused chart types.
echarts.use([
  BarChart,
  LineChart,
  HeatmapChart,
  GridComponent,
  VisualMapComponent,
  LegendComponent,
  TooltipComponent,
  GraphicComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/** A thin React wrapper: one ECharts instance per element, resized with it, disposed with it. */
export function EChart({
  option,
  height,
  testId,
  onClick,
}: {
  option: ChartOption;
  height: number;
  testId?: string;
  /** Called with the index of the category clicked (a bar or a point) and of its series. */
  onClick?: (dataIndex: number, seriesIndex: number) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = element.current;
    if (el === null) return;
    const instance = echarts.init(el);
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  useEffect(() => {
    const instance = chart.current;
    if (instance === null || onClick === undefined) return;
    const handler = (params: { dataIndex?: number; seriesIndex?: number }) => {
      if (params.dataIndex !== undefined) onClick(params.dataIndex, params.seriesIndex ?? 0);
    };
    instance.on('click', handler);
    return () => {
      instance.off('click', handler);
    };
  }, [onClick]);

  return <div ref={element} style={{ width: '100%', height }} data-testid={testId} />;
}
