/**
 * The traffic layer's own cost per connector call, against an in-process fake supplier that answers at once: so
 * what is measured is the composition (breaker, shared bucket take and finish, concurrency slot, deadline, metrics),
 * not a network. Part of `npm run bench:traffic` (bench/traffic.ts).
 *
 * Variants: the raw fake; the deadline and retry wrapper alone (the composition before the traffic layer); the
 * full traffic layer as the stack wires it (createSupplierTraffic) with the in-memory bucket store; and the same
 * with the Redis bucket store behind the fallback store (production), when REDIS_URL is set. Limits are set so
 * high that no call ever waits: the figures are pure overhead.
 */
import { randomBytes } from 'node:crypto';
import type { CallContext, SupplierConnector } from '../adapters/core/connector.ts';
import { fromPublishedLimit } from '../adapters/core/policies/published-limits.ts';
import { withTrafficControl } from '../adapters/core/policies/with-traffic-control.ts';
import { createFallbackBucketStore } from '../adapters/ratelimit/fallback-bucket-store.ts';
import { createMemoryBucketStore } from '../adapters/ratelimit/memory-bucket-store.ts';
import { createRedisBucketStore } from '../adapters/ratelimit/redis-bucket-store.ts';
import { connectRedis } from '../adapters/redis/redis-client.ts';
import { silentLogger } from '../platform/logger.ts';
import { createMetrics } from '../platform/metrics.ts';
import type { RateLimitStore } from '../platform/ports/rate-limit-store.ts';
import { createSupplierTraffic } from '../stack/supplier-traffic.ts';

export interface OverheadRun {
  readonly variant: string;
  readonly calls: number;
  /** Sequential calls: mean, p50 and p99 of one call, in microseconds. */
  readonly meanUs: number;
  readonly p50Us: number;
  readonly p99Us: number;
  /** Calls per second with `concurrency` in flight. */
  readonly concurrentPerSecond: number;
}

const STOCK = [{ supplierSku: 'FAKE-1', available: 7, status: 'in_stock', cost: null, leadTimeDays: null, asOf: '2026-01-01T00:00:00.000Z' }] as const;

function fakeSupplier(): SupplierConnector {
  const never = () => Promise.reject(new Error('not used by the benchmark'));
  return {
    supplier: 'bench',
    protocol: 'rest',
    maxStockBatch: 50,
    allocatesStockOnAccept: false,
    getStock: async () => [...STOCK],
    listCatalog: never,
    placeOrder: never,
    getOrderStatus: never,
    cancelOrder: never,
    health: never,
    close: async () => {},
  };
}

function tracked(store: RateLimitStore): SupplierConnector {
  const traffic = createSupplierTraffic('bench', {
    store,
    metrics: createMetrics({ defaultMetrics: false }).supplier,
    log: silentLogger(),
    timeoutMs: 10_000,
    // Far above anything this loop can send: no call ever waits for a token or a slot.
    limits: { classes: { default: fromPublishedLimit({ limit: 100_000_000, perSeconds: 1, burst: 10_000_000 }) }, maxConcurrent: 256 },
  });
  return withTrafficControl(fakeSupplier(), traffic.policies);
}

async function measure(variant: string, connector: SupplierConnector, calls: number, concurrency: number): Promise<OverheadRun> {
  const ctx: CallContext = { signal: new AbortController().signal, log: silentLogger(), requestId: 'bench', lane: 'interactive' };
  const skus = ['FAKE-1'];
  for (let i = 0; i < Math.min(500, calls); i += 1) await connector.getStock(skus, ctx); // warm-up (JIT, script load)
  const us: number[] = [];
  for (let i = 0; i < calls; i += 1) {
    const t = performance.now();
    await connector.getStock(skus, ctx);
    us.push((performance.now() - t) * 1000);
  }
  let left = calls;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left > 0) {
        left -= 1;
        await connector.getStock(skus, ctx);
      }
    }),
  );
  const concurrentPerSecond = calls / ((performance.now() - started) / 1000);
  const sorted = [...us].sort((a, b) => a - b);
  return {
    variant,
    calls,
    meanUs: us.reduce((n, x) => n + x, 0) / us.length,
    p50Us: sorted[Math.floor(sorted.length * 0.5)]!,
    p99Us: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!,
    concurrentPerSecond,
  };
}

export async function runOverhead(options: { calls: number; concurrency: number; redisUrl: string | undefined }): Promise<OverheadRun[]> {
  const { calls, concurrency } = options;
  const runs: OverheadRun[] = [];
  runs.push(await measure('raw fake connector', fakeSupplier(), calls, concurrency));
  runs.push(await measure('deadline + retry only', withTrafficControl(fakeSupplier(), { timeoutMs: 10_000 }), calls, concurrency));
  const memory = createMemoryBucketStore();
  runs.push(await measure('traffic layer, memory buckets', tracked(memory), calls, concurrency));
  await memory.close();
  if (options.redisUrl) {
    const keyPrefix = `bench:${randomBytes(4).toString('hex')}:`;
    const client = await connectRedis(options.redisUrl, silentLogger(), 'bench');
    const redis = createFallbackBucketStore({ primary: createRedisBucketStore({ client, keyPrefix, closeClient: false }), fallback: createMemoryBucketStore(), share: 1, log: silentLogger() });
    try {
      runs.push(await measure('traffic layer, Redis buckets', tracked(redis), calls, concurrency));
    } finally {
      const keys = await client.keys(`${keyPrefix}*`);
      if (keys.length > 0) await client.del(...keys);
      await redis.close();
      client.disconnect();
    }
  }
  return runs;
}
