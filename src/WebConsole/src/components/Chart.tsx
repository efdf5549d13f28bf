import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// Only what the console draws (line charts with a grid, legend and tooltip), so the chart chunk stays small.
echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface Series { name: string; points: [number, number][] }

/** A time-series line chart; `series` is redrawn in place as samples arrive. */
export function TimeChart({ series, max, unit, testId }: { series: Series[]; max?: number; unit: string; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    chart.current = echarts.init(box.current!);
    const resize = () => chart.current?.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.current?.dispose();
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({
      animation: false,
      grid: { left: 48, right: 16, top: 32, bottom: 28 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(1)} ${unit}` },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', min: 0, max },
      series: series.map(s => ({ name: s.name, type: 'line', showSymbol: false, data: s.points })),
    }, { replaceMerge: ['series'] });
  }, [series, max, unit]);
  return <div ref={box} className="owl-chart" data-testid={testId} />;
}
