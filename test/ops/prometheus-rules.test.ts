/**
 * The alert rules (deploy/prometheus/alerts.yml) as CI sees them: promtool accepts the rules and the scrape config,
 * every rule's promtool unit tests pass (deploy/prometheus/alerts.test.yml), every alert has a test and a section in
 * docs/operations.md, and every metric a rule reads is one the code registers.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricNamesOf, PROMETHEUS_DIR, promtool, readRules, ROOT } from './promql.ts';
import { registeredSeriesNames } from './registered-metrics.ts';

describe('Prometheus alert rules (promtool)', () => {
  it('promtool check rules and check config accept the rules file and the compose scrape config', async () => {
    const rules = await promtool(['check', 'rules', 'alerts.yml']);
    expect(rules.output).toContain('SUCCESS');
    expect(rules.code, rules.output).toBe(0);
    const config = await promtool(['check', 'config', 'prometheus.yml']);
    expect(config.code, config.output).toBe(0);
  });

  it('promtool test rules: every unit test in alerts.test.yml passes', async () => {
    const result = await promtool(['test', 'rules', 'alerts.test.yml']);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('a broken expectation fails promtool (the unit tests can fail)', async () => {
    const tests = await readFile(join(PROMETHEUS_DIR, 'alerts.test.yml'), 'utf8');
    const { mkdtemp, writeFile, copyFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'alerts-'));
    await copyFile(join(PROMETHEUS_DIR, 'alerts.yml'), join(dir, 'alerts.yml'));
    // The breaker alert expected at 8 minutes now expected at 5: the rule's `for: 5m` says otherwise.
    const broken = tests.replace(/- eval_time: 5m\n(\s+)alertname: SupplierBreakerOpen\n\s+exp_alerts: \[\]/, (_m, pad: string) => `- eval_time: 5m\n${pad}alertname: SupplierBreakerOpen\n${pad}exp_alerts:\n${pad}  - exp_labels: { severity: page, supplier: brightline }`);
    expect(broken).not.toBe(tests);
    await writeFile(join(dir, 'alerts.test.yml'), broken);
    const result = await promtool(['test', 'rules', 'alerts.test.yml'], dir);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('SupplierBreakerOpen');
  });

  it('every alert has a promtool test case and a section in docs/operations.md', async () => {
    const { groups } = await readRules();
    const alerts = groups.flatMap((g) => g.rules.map((r) => r.alert));
    expect(alerts).toEqual(expect.arrayContaining(['SupplierErrorRateHigh', 'SupplierBreakerOpen', 'SupplierQuotaNearlyExhausted', 'StockStale', 'ReconciliationDriftHigh', 'WebhookBacklogStuck', 'OrdersNeedingAttention', 'SubscriptionBackpressureCloses']));
    const tests = await readFile(join(PROMETHEUS_DIR, 'alerts.test.yml'), 'utf8');
    const docs = await readFile(join(ROOT, 'docs', 'operations.md'), 'utf8');
    for (const alert of alerts) {
      expect(tests, alert).toContain(`alertname: ${alert}`);
      expect(docs, alert).toMatch(new RegExp(`^### ${alert}$`, 'm'));
    }
  });

  it('reads only metrics the code registers', async () => {
    const registered = await registeredSeriesNames();
    const { groups } = await readRules();
    for (const rule of groups.flatMap((g) => g.rules)) {
      const used = [...metricNamesOf(rule.expr)];
      expect(used.length, rule.alert).toBeGreaterThan(0);
      for (const name of used) expect(registered.has(name), `${rule.alert} reads ${name}, which nothing registers`).toBe(true);
    }
  });
});

describe('metricNamesOf', () => {
  it('finds selected metrics, not functions, keywords, labels or durations', () => {
    expect(metricNamesOf('sum by (supplier) (rate(supplier_calls_total{outcome="error",x=~"a|b"}[5m])) / on (supplier) group_left max(up offset 5m) > bool 0.5')).toEqual(new Set(['supplier_calls_total', 'up']));
    expect(metricNamesOf('histogram_quantile(0.95, sum by (le, supplier) (rate(supplier_call_duration_seconds_bucket{supplier=~"$supplier"}[$__rate_interval])))')).toEqual(new Set(['supplier_call_duration_seconds_bucket']));
    expect(metricNamesOf('time() - max by (supplier) (stock_last_refresh_timestamp_seconds)')).toEqual(new Set(['stock_last_refresh_timestamp_seconds']));
  });
});
