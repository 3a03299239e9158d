// The wall's charts as ECharts options: dark background, large type readable from the back of the
// room, the same palette as the map.
import type { BarSeriesOption, GaugeSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { Stats } from './data';
import { strings } from './strings';

/** Options of exactly the charts and components EChart.vue registers. */
export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | GaugeSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>;

export const palette = {
  text: '#c6dcff',
  muted: '#6f8fbf',
  line: 'rgba(64,158,255,0.18)',
  received: '#3ba0ff',
  resolved: '#36d399',
  overdue: '#ff6b6b',
  amber: '#ffc53d',
};

const axisLabel = { color: palette.muted, fontSize: 14 };

export function trendOption(stats: Stats): ChartOption {
  const days = stats.daily.map((day) => day.date.slice(5).replace('-', '/'));
  const firstIncomplete = stats.daily.findIndex((day) => !day.complete);
  const incomplete = firstIncomplete < 0 ? undefined : days[firstIncomplete];
  const series = (name: string, color: string, values: number[], area = false) => ({
    name,
    type: 'line' as const,
    smooth: true,
    symbol: 'none',
    data: values,
    lineStyle: { width: 3, color },
    itemStyle: { color },
    areaStyle: area
      ? {
          color: {
            type: 'linear' as const,
            x: 0,
            y: 0,
            x2: 0,
            y2: 1,
            colorStops: [
              { offset: 0, color: `${color}66` },
              { offset: 1, color: `${color}00` },
            ],
          },
        }
      : undefined,
  });
  return {
    grid: { left: 48, right: 16, top: 44, bottom: 32 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, right: 0, textStyle: { color: palette.text, fontSize: 14 }, itemWidth: 16 },
    xAxis: {
      type: 'category',
      data: days,
      boundaryGap: false,
      axisLabel: { ...axisLabel, interval: 6 },
      axisLine: { lineStyle: { color: palette.line } },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      axisLabel,
      splitLine: { lineStyle: { color: palette.line } },
    },
    series: [
      {
        ...series(
          strings.trend.received,
          palette.received,
          stats.daily.map((d) => d.received),
          true,
        ),
        // Today's appeals are still arriving: mark the day so nobody reads its low point as a drop.
        markArea: incomplete
          ? {
              silent: true,
              itemStyle: { color: 'rgba(255,255,255,0.06)' },
              label: { color: palette.text, fontSize: 12, position: 'insideTop' },
              data: [[{ xAxis: incomplete, name: strings.trend.incomplete }, { xAxis: days.at(-1) }]],
            }
          : undefined,
      },
      series(
        strings.trend.resolved,
        palette.resolved,
        stats.daily.map((d) => d.resolved),
      ),
      series(
        strings.trend.overdue,
        palette.overdue,
        stats.daily.map((d) => d.overdue),
      ),
    ],
  };
}

export function categoryOption(stats: Stats): ChartOption {
  const top = stats.topCategories.slice(0, 8).reverse();
  return {
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', show: false, minInterval: 1 },
    yAxis: {
      type: 'category',
      data: top.map((c) => c.name),
      axisLabel: { color: palette.text, fontSize: 15, width: 150, overflow: 'truncate' },
      axisLine: { show: false },
      axisTick: { show: false },
    },
    series: [
      {
        type: 'bar',
        data: top.map((c) => c.count),
        barWidth: 14,
        label: { show: true, position: 'right', color: palette.text, fontSize: 15 },
        itemStyle: {
          borderRadius: 7,
          color: {
            type: 'linear',
            x: 0,
            y: 0,
            x2: 1,
            y2: 0,
            colorStops: [
              { offset: 0, color: '#1d6fe0' },
              { offset: 1, color: '#38e1ff' },
            ],
          },
        },
      },
    ],
  };
}

export function gaugeOption(rate: number | null, color: string): ChartOption {
  const value = rate === null ? 0 : Math.round(rate * 1000) / 10;
  return {
    series: [
      {
        type: 'gauge',
        startAngle: 220,
        endAngle: -40,
        min: 0,
        max: 100,
        radius: '92%',
        // Nothing to count: no ring at all (a 0 % ring would still draw its round cap as a dot).
        progress: { show: rate !== null, width: 12, roundCap: true, itemStyle: { color } },
        axisLine: { lineStyle: { width: 12, color: [[1, 'rgba(64,158,255,0.15)']] } },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        pointer: { show: false },
        anchor: { show: false },
        title: { show: false },
        detail: {
          valueAnimation: true,
          offsetCenter: [0, '4%'],
          fontSize: 30,
          fontWeight: 700,
          color: '#fff',
          formatter: () => (rate === null ? strings.noData : `${value.toFixed(1)}%`),
        },
        data: [{ value }],
      },
    ],
  };
}
