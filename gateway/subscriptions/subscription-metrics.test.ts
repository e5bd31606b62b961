import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { RunningSubscriptions } from './gateway-subscriptions.ts';
import { registerSubscriptionMetrics } from './subscription-metrics.ts';

describe('subscription metrics', () => {
  it('reads the hub and socket counts at scrape time, as gauges and monotonic counters', async () => {
    const stats = { events: 3, resolutions: 0, deliveries: 30, readyMs: 12, fanOutMs: 4, fanOutCpuMs: 3 };
    const running = { stats, subscribers: 10, connections: 4, slowConsumerCloses: 1, close: async () => {} } satisfies RunningSubscriptions;
    const registry = new Registry();
    registerSubscriptionMetrics(registry, running);
    let text = await registry.metrics();
    for (const line of ['gateway_subscriptions_active 10', 'gateway_subscription_connections 4', 'subscription_events_total 3', 'subscription_deliveries_total 30', 'subscription_fanout_seconds_total 0.004', 'subscription_ready_seconds_total 0.012', 'subscription_slow_consumer_closes_total 1']) {
      expect(text).toContain(line);
    }
    stats.events = 5;
    stats.fanOutMs = 10;
    text = await registry.metrics();
    expect(text).toContain('subscription_events_total 5');
    expect(text).toContain('subscription_fanout_seconds_total 0.01');
  });

  it('sums the gateways that share a registry instead of failing on the second', async () => {
    const registry = new Registry();
    const one = () => ({ stats: { events: 1, resolutions: 0, deliveries: 2, readyMs: 0, fanOutMs: 0, fanOutCpuMs: 0 }, subscribers: 3, connections: 1, slowConsumerCloses: 0, close: async () => {} });
    registerSubscriptionMetrics(registry, one());
    registerSubscriptionMetrics(registry, one());
    const text = await registry.metrics();
    expect(text).toContain('gateway_subscriptions_active 6');
    expect(text).toContain('subscription_deliveries_total 4');
  });
});
