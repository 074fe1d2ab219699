import { readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerGauges } from '../src/metrics/gauges.js';

/** The Grafana dashboard shipped for the gauges (infra/grafana/): a JSON model that imports as is. */

type Panel = { type: string; title: string; datasource?: { uid: string }; targets?: { expr: string; datasource: { uid: string } }[] };
const dashboard = JSON.parse(readFileSync(new URL('../../../infra/grafana/sla-dashboard.json', import.meta.url), 'utf8')) as {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown }[] };
};

function gaugeNames(): string[] {
  const registry = new Registry();
  registerGauges(registry, { pool: { query: async () => ({ rows: [] }) } as never, now: () => new Date() });
  return registry.getMetricsAsArray().map((m) => m.name);
}

describe('the Grafana dashboard', () => {
  it('is a dashboard model with its Prometheus data source as a template variable', () => {
    expect(dashboard).toMatchObject({ uid: 'county-sla-bureau', schemaVersion: expect.any(Number) });
    const datasource = dashboard.templating.list.find((v) => v.name === 'datasource');
    expect(datasource).toMatchObject({ type: 'datasource', query: 'prometheus' });
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['datasource', 'county', 'courier', 'leg']);
  });

  it('reads every panel through the data source variable, never a fixed one', () => {
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
      expect(panel.datasource?.uid, panel.title).toBe('${datasource}');
      for (const t of panel.targets ?? []) expect(t.datasource.uid, panel.title).toBe('${datasource}');
    }
  });

  it('has a panel for each gauge sla serves, and no query of a gauge it does not', () => {
    const names = gaugeNames();
    expect(names.length).toBeGreaterThan(10);
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    for (const name of names) expect(exprs.some((e) => new RegExp(`\\b${name}\\{`).test(e)), name).toBe(true);
    for (const e of exprs) for (const used of e.match(/\bsla_[a-z0-9_]+/g) ?? []) expect(names, e).toContain(used);
  });
});
