/**
 * Every metric the product registers, from the same factories the stack calls (stack/start-stack.ts): the process
 * registry with Node's default metrics, the supplier traffic set, inventory sync, orders and subscriptions. The
 * fault test (test/fault/prometheus-alerts.fault.test.ts) checks the same names against a running stack's /metrics,
 * so a factory that is not wired is caught there.
 */
import { createMetrics } from '../../platform/metrics.ts';
import { createInventorySyncMetrics } from '../../subgraphs/inventory/sync-metrics.ts';
import { createOrderMetrics } from '../../subgraphs/orders/order-metrics.ts';
import { registerSubscriptionMetrics } from '../../gateway/subscriptions/subscription-metrics.ts';
import { seriesNamesOf } from './promql.ts';

export async function registeredSeriesNames(): Promise<Set<string>> {
  const metrics = createMetrics({ defaultLabels: { service: 'dropship' } });
  createInventorySyncMetrics(metrics.registry);
  createOrderMetrics(metrics.registry);
  const stats = { events: 0, resolutions: 0, deliveries: 0, readyMs: 0, fanOutMs: 0, fanOutCpuMs: 0 };
  registerSubscriptionMetrics(metrics.registry, { stats, subscribers: 0, connections: 0, slowConsumerCloses: 0, close: async () => {} });
  return seriesNamesOf(metrics.registry);
}
