/**
 * Subscription metrics of one gateway process, read at scrape time from what the hub and the socket server already
 * count (no work per delivery): active subscriptions and connections, events fanned out, deliveries, the time spent
 * handing results out, and connections closed 1013 for a slow consumer (backpressure). Fan-out time per event is
 * `rate(subscription_fanout_seconds_total) / rate(subscription_events_total)`.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { RunningSubscriptions } from './gateway-subscriptions.ts';

/** A counter whose value is a running total kept elsewhere: set on each scrape (it only grows). */
function mirroredCounter(registry: Registry, name: string, help: string, read: () => number): void {
  let seen = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = read();
      if (now > seen) this.inc(now - seen);
      seen = Math.max(seen, now);
    },
  });
}

/** The gateways registered on each registry: a process (or a test) may run more than one on the same registry. */
const served = new WeakMap<Registry, Set<RunningSubscriptions>>();

export function registerSubscriptionMetrics(registry: Registry, running: RunningSubscriptions): void {
  const known = served.get(registry);
  if (known !== undefined) return void known.add(running);
  const all = new Set([running]);
  served.set(registry, all);
  const sum = (read: (r: RunningSubscriptions) => number) => (): number => [...all].reduce((n, r) => n + read(r), 0);
  new Gauge({
    name: 'gateway_subscriptions_active',
    help: 'Subscriptions served by this gateway process',
    registers: [registry],
    collect() {
      this.set(sum((r) => r.subscribers)());
    },
  });
  new Gauge({
    name: 'gateway_subscription_connections',
    help: 'Open graphql-ws connections on this gateway process',
    registers: [registry],
    collect() {
      this.set(sum((r) => r.connections)());
    },
  });
  mirroredCounter(registry, 'subscription_events_total', 'Bus events that matched at least one subscriber and were fanned out', sum((r) => r.stats.events));
  mirroredCounter(registry, 'subscription_deliveries_total', 'Results handed to subscribers (one per subscriber per event)', sum((r) => r.stats.deliveries));
  mirroredCounter(registry, 'subscription_fanout_seconds_total', 'Time spent handing formatted results to subscribers (the fan-out proper)', sum((r) => r.stats.fanOutMs / 1000));
  mirroredCounter(registry, 'subscription_ready_seconds_total', 'Time from an event matching to its results being ready to hand out (entity resolution and formatting)', sum((r) => r.stats.readyMs / 1000));
  mirroredCounter(registry, 'subscription_slow_consumer_closes_total', 'Connections closed 1013 because the client read too slowly (backpressure)', sum((r) => r.slowConsumerCloses));
}
