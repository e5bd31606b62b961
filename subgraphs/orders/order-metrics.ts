/**
 * Order gauges for alerts and the dashboard: the open orders by status and those needing attention, as the tracking
 * loop's last full walk saw them (it reads every open order anyway, so the gauges cost no store query of their own),
 * and a counter of status changes (every stored change, from the workflow's one status-change hook).
 * Registered on the process registry (platform/metrics.ts), never prom-client's global one.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { OpenOrdersTally } from './tracking-loop.ts';

export interface OrderMetrics {
  /** The tracking loop's `onWalk`. */
  walked(tally: OpenOrdersTally): void;
  /** An order's status changed to `status` (stored). */
  statusChanged(status: string): void;
}

/** One metric per registry, however many order services a process runs (a role process may run two). */
function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function createOrderMetrics(registry: Registry): OrderMetrics {
  const registers = [registry];
  const open = once(registry, 'orders_open', () => new Gauge({ name: 'orders_open', help: 'Open orders (still being placed or tracked) by status, as of the last full walk of the tracking loop', labelNames: ['status'], registers }));
  const attention = once(registry, 'orders_needing_attention', () => {
    const gauge = new Gauge({ name: 'orders_needing_attention', help: 'Orders needing a person (the operator console list: a line no supplier would take, a send left unanswered), counted at the end of each tracking walk, up to 200', registers });
    gauge.set(0);
    return gauge;
  });
  const walkedAt = once(registry, 'orders_open_walk_timestamp_seconds', () => new Gauge({ name: 'orders_open_walk_timestamp_seconds', help: 'Unix time the tracking loop last completed a walk over the open orders (the age of orders_open)', registers }));
  const changes = once(registry, 'order_status_changes_total', () => new Counter({ name: 'order_status_changes_total', help: 'Stored changes of an order status, by the status changed to', labelNames: ['status'], registers }));
  return {
    walked(tally) {
      // A status no open order has any more reads 0, not its last count.
      open.reset();
      for (const [status, count] of Object.entries(tally.byStatus)) open.set({ status }, count);
      if (tally.needingAttention !== undefined) attention.set(tally.needingAttention);
      walkedAt.set(Date.now() / 1000);
    },
    statusChanged: (status) => changes.inc({ status }),
  };
}
