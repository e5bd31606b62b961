/**
 * The Grafana dashboard (deploy/grafana/dashboards/dropship.json) cannot drift from the code: every panel's PromQL
 * reads only metrics the code registers, promtool accepts every expression (as recording rules, Grafana's variables
 * replaced), the provisioning files point at the dashboard and the datasource it uses, and docs/operations.md
 * explains every panel.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { metricNamesOf, promtool, ROOT } from './promql.ts';
import { registeredSeriesNames } from './registered-metrics.ts';

const GRAFANA = join(ROOT, 'deploy', 'grafana');

interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly description?: string;
  readonly datasource?: { readonly uid: string };
  readonly targets?: readonly { readonly refId: string; readonly expr: string }[];
}
interface Dashboard {
  readonly uid: string;
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: readonly { readonly name: string; readonly definition: string }[] };
}

const dashboard = async (): Promise<Dashboard> => JSON.parse(await readFile(join(GRAFANA, 'dashboards', 'dropship.json'), 'utf8')) as Dashboard;
const graphPanels = (d: Dashboard) => d.panels.filter((p) => p.type !== 'row');

/** Grafana's variables as plain PromQL: what the server receives once Grafana has substituted them. */
const asPromql = (expr: string): string =>
  expr.replaceAll('$__rate_interval', '5m').replaceAll('$__interval', '1m').replaceAll('$__range', '1h').replaceAll('$supplier', '.*');

describe('Grafana dashboard', () => {
  it('has the panels the issue asks for, each with a query, a description and a unique title', async () => {
    const d = await dashboard();
    const panels = graphPanels(d);
    const titles = panels.map((p) => p.title);
    expect(new Set(titles).size).toBe(titles.length);
    for (const title of ['Supplier latency (p50, p95)', 'Supplier error rate', 'Quota left', 'Circuit breaker', 'Offer cache hit rate', 'Stock freshness', 'Reconciliation drift', 'Webhook lag', 'Open orders by status', 'Subscriptions and connections', 'Fan-out time per event']) {
      expect(titles).toContain(title);
    }
    for (const panel of panels) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      expect(panel.description?.length, panel.title).toBeGreaterThan(20);
      expect(panel.datasource?.uid, panel.title).toBe('prometheus');
    }
  });

  it('reads only metrics the code registers', async () => {
    const registered = await registeredSeriesNames();
    const d = await dashboard();
    const queries = [...graphPanels(d).flatMap((p) => p.targets!.map((t) => [p.title, t.expr] as const)), ...d.templating.list.map((v) => [`variable ${v.name}`, v.definition.replace(/^label_values\(([^,]+),.*\)$/, '$1')] as const)];
    for (const [where, expr] of queries) {
      const used = [...metricNamesOf(asPromql(expr))];
      expect(used.length, where).toBeGreaterThan(0);
      for (const name of used) expect(registered.has(name), `${where} reads ${name}, which nothing registers`).toBe(true);
    }
  });

  it('promtool accepts every panel expression', async () => {
    const d = await dashboard();
    const rules = graphPanels(d).flatMap((p) => p.targets!.map((t) => ({ record: `dashboard:panel_${p.id}_${t.refId}`, expr: asPromql(t.expr) })));
    const dir = await mkdtemp(join(tmpdir(), 'dashboard-rules-'));
    try {
      await writeFile(join(dir, 'panels.yml'), stringify({ groups: [{ name: 'dashboard', rules }] }));
      const result = await promtool(['check', 'rules', 'panels.yml'], dir);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain(`SUCCESS: ${rules.length} rules found`);
      // And a broken expression is refused, so the check can fail.
      await writeFile(join(dir, 'broken.yml'), stringify({ groups: [{ name: 'dashboard', rules: [{ record: 'dashboard:broken', expr: 'sum by (supplier (rate(supplier_calls_total[5m]))' }] }] }));
      expect((await promtool(['check', 'rules', 'broken.yml'], dir)).code).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is provisioned: the datasource uid the panels use, and a file provider for the dashboards folder', async () => {
    const datasources = parse(await readFile(join(GRAFANA, 'provisioning', 'datasources', 'prometheus.yml'), 'utf8')) as { datasources: { uid: string; type: string; url: string }[] };
    expect(datasources.datasources).toEqual([expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' })]);
    const providers = parse(await readFile(join(GRAFANA, 'provisioning', 'dashboards', 'dropship.yml'), 'utf8')) as { providers: { type: string; options: { path: string } }[] };
    expect(providers.providers[0]).toMatchObject({ type: 'file', options: { path: '/var/lib/grafana/dashboards' } });
  });

  it('docs/operations.md explains every panel', async () => {
    const docs = await readFile(join(ROOT, 'docs', 'operations.md'), 'utf8');
    const section = docs.slice(docs.indexOf('\n## Dashboard'));
    expect(section.length).toBeGreaterThan(100);
    for (const panel of graphPanels(await dashboard())) expect(section, panel.title).toContain(`**${panel.title}**`);
  });
});
