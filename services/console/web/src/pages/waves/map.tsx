/**
 * A plan's routes drawn over the stations on a plain value grid (x = longitude, y = latitude): no map tiles. Every
 * station a grey dot, the center a large red diamond, each route a line in stop order from its depot and back, in
 * its colour.
 */
import { useMemo } from 'preact/hooks';
import { Chart, type ChartOption } from '../../chart';
import { colourOf, type Route, type Station } from './types';

export interface MapLabels {
  stations: string;
  center: string;
  route: (route: Route) => string;
}

export function RouteMap({ routes, stations, labels, height }: { routes: Route[]; stations: Map<string, Station>; labels: MapLabels; height: number }) {
  const option = useMemo<ChartOption>(() => {
    const point = (id: string) => {
      const s = stations.get(id);
      return s ? [s.location.lng, s.location.lat, s.name, id] : null;
    };
    const all = [...stations.values()];
    const centers = all.filter((s) => s.kind === 'center');
    const others = all.filter((s) => s.kind !== 'center' && s.active);
    const routeSeries = routes.map((route, index) => ({
      type: 'line',
      name: labels.route(route),
      data: [route.depotStationId, ...route.stops.map((s) => s.stationId), route.depotStationId].map(point).filter((p) => p !== null),
      color: colourOf(index),
      lineStyle: { width: route.locked ? 3.5 : 2, type: route.locked ? 'solid' : 'solid' },
      symbol: 'circle',
      symbolSize: 6,
      z: 3,
      tooltip: { trigger: 'item' },
    }));
    return {
      animation: false,
      grid: { left: 48, right: 24, top: 56, bottom: 40 },
      legend: { type: 'scroll', top: 0 },
      tooltip: {
        trigger: 'item',
        formatter: (p: { seriesName: string; data: [number, number, string, string] }) => `${p.seriesName}<br/>${p.data[2]} (${p.data[3]})`,
      },
      xAxis: { type: 'value', scale: true, name: 'lng', nameGap: 8, axisLabel: { formatter: (v: number) => v.toFixed(2) } },
      yAxis: { type: 'value', scale: true, name: 'lat', nameGap: 10, axisLabel: { formatter: (v: number) => v.toFixed(2) } },
      series: [
        {
          type: 'scatter',
          name: labels.stations,
          data: others.map((s) => [s.location.lng, s.location.lat, s.name, s.id]),
          symbolSize: 5,
          itemStyle: { color: '#adb5bd' },
          z: 1,
        },
        ...routeSeries,
        {
          type: 'scatter',
          name: labels.center,
          data: centers.map((s) => [s.location.lng, s.location.lat, s.name, s.id]),
          symbol: 'diamond',
          symbolSize: 18,
          itemStyle: { color: '#c62828' },
          z: 5,
        },
      ],
    };
  }, [routes, stations, labels]);
  return <Chart option={option} height={height} testId="route-map" />;
}
