/**
 * Supplier calls per 1,000 product queries, through a real gateway over the bundled sandboxes, with the offer cache
 * off (OFFER_CACHE_TTL_MS=0) and on (its default TTL). Part of `npm run bench:traffic` (bench/traffic.ts).
 *
 * Each run starts its own stack (embedded document stores — the catalog's store plays no part in supplier calls —
 * and Redis for the offer cache when REDIS_URL is set, under its own key prefix, removed afterwards), imports the
 * catalogs, then sends `queries` product-page queries (every offer's live fields, all three suppliers) with a
 * fixed number in flight, for products drawn from a seeded distribution. The suppliers' published limits are
 * lifted for the run, so the counts show demand and what the cache saves, not what the limiter held back.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { loadConfig } from '../platform/config.ts';
import { silentLogger } from '../platform/logger.ts';
import { UNIVERSE, seededRandom } from '../sandboxes/shared/product-universe.ts';
import { startStack } from '../stack/start-stack.ts';

export type Distribution = 'uniform' | 'zipf';

export interface QueryRun {
  readonly cache: 'off' | 'on';
  readonly ttlMs: number;
  readonly distribution: Distribution;
  readonly queries: number;
  readonly seconds: number;
  /** getStock calls the supplier subgraphs made (one per supplier per query at most: batched per request). */
  readonly connectorCalls: number;
  /** Requests the supplier sandboxes received (SOAP: one per SKU; REST and GraphQL: one per batch). */
  readonly wireRequests: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly errors: number;
}

const QUERY = `query($sku: ID!) { product(sku: $sku) { sku offers { __typename available stale cost { amount currency } leadTimeDays } } }`;
const LIFTED = JSON.stringify({
  brightline: { requests: { limit: 1_000_000, perSeconds: 60, burst: 100_000 } },
  harborpromo: { requests: { limit: 1_000_000, perSeconds: 60, burst: 100_000 } },
  maplecart: { requests: { limit: 1_000_000, perSeconds: 60, burst: 100_000 }, cost: { maximumAvailable: 10_000_000, restoreRate: 10_000_000 } },
});

/** Product indexes in query order: uniform, or Zipf (s = 1: the k-th most popular product asked for ∝ 1/k). */
export function drawProducts(distribution: Distribution, count: number, seed = 7): number[] {
  const random = seededRandom(seed);
  const n = UNIVERSE.length;
  if (distribution === 'uniform') return Array.from({ length: count }, () => Math.floor(random() * n));
  const weights = Array.from({ length: n }, (_, k) => 1 / (k + 1));
  const cumulative: number[] = [];
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const totalWeight = cumulative[n - 1]!;
  // A fixed shuffle decides which products are popular, so popularity is not tied to catalog order.
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return Array.from({ length: count }, () => {
    const x = random() * totalWeight;
    return order[cumulative.findIndex((c) => c >= x)]!;
  });
}

const percentile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)]!;

async function counterSum(registry: Registry, name: string, where: Record<string, string>): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as { labels: Record<string, string | number | undefined>; value: number }[];
  return values.filter((v) => Object.entries(where).every(([k, x]) => v.labels[k] === x)).reduce((n, v) => n + v.value, 0);
}

export async function runQueries(options: { cacheTtlMs: number; distribution: Distribution; queries: number; concurrency: number; redisUrl: string | undefined }): Promise<QueryRun> {
  const keyPrefix = `bench:${randomBytes(4).toString('hex')}:`;
  let connectorCalls = 0;
  const stack = await startStack({
    config: loadConfig({
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'silent',
      KEY_PREFIX: keyPrefix,
      ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
      OFFER_CACHE_TTL_MS: String(options.cacheTtlMs),
      SUPPLIER_LIMITS: LIFTED,
      // No background polling, and no per-partner gateway limit: only the queries below reach the suppliers.
      BRIGHTLINE_POLL_INTERVAL_MS: '0',
      HARBORPROMO_POLL_INTERVAL_MS: '0',
      MAPLECART_POLL_INTERVAL_MS: '0',
      RECONCILE_INTERVAL_MS: '0',
      PARTNER_RATE_PER_SECOND: '0',
      PARTNER_SUPPLIER_SHARE: '1',
    }),
    log: silentLogger(),
    subgraphPorts: 'random',
    onSupplierCall: () => {
      connectorCalls += 1;
    },
  });
  try {
    const catalog = (await stack.stores.catalog.list(500, null)).items;
    // The importer matched items on GTIN, else manufacturer + MPN (some supplier items carry no barcode).
    const key = (manufacturer: string | null, mpn: string | null) => `${manufacturer ?? ''}\u001f${mpn ?? ''}`.toLowerCase();
    const byGtin = new Map(catalog.map((p) => [p.gtin, p.sku]));
    const byMpn = new Map(catalog.map((p) => [key(p.manufacturer, p.mpn), p.sku]));
    const skus = drawProducts(options.distribution, options.queries).map((i) => {
      const product = UNIVERSE[i]!;
      const sku = byGtin.get(product.gtin14) ?? byMpn.get(key(product.manufacturer, product.mpn));
      if (!sku) throw new Error(`universe product ${product.index} was not imported`);
      return sku;
    });
    for (const sandbox of stack.sandboxes.values()) sandbox.resetStats();
    connectorCalls = 0;
    const [hitsBefore, missesBefore] = [
      await counterSum(stack.metrics.registry, 'offer_cache_requests_total', { result: 'hit' }),
      await counterSum(stack.metrics.registry, 'offer_cache_requests_total', { result: 'miss' }),
    ];

    const latencies: number[] = [];
    let errors = 0;
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < skus.length) {
        const sku = skus[next++]!;
        const t = performance.now();
        const response = await fetch(stack.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY, variables: { sku } }) });
        const json = (await response.json()) as { errors?: unknown[]; data?: { product: unknown } };
        latencies.push(performance.now() - t);
        if (response.status !== 200 || json.errors || !json.data?.product) errors += 1;
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      cache: options.cacheTtlMs > 0 ? 'on' : 'off',
      ttlMs: options.cacheTtlMs,
      distribution: options.distribution,
      queries: skus.length,
      seconds,
      connectorCalls,
      wireRequests: [...stack.sandboxes.values()].reduce((n, s) => n + s.stats().total, 0),
      cacheHits: (await counterSum(stack.metrics.registry, 'offer_cache_requests_total', { result: 'hit' })) - hitsBefore,
      cacheMisses: (await counterSum(stack.metrics.registry, 'offer_cache_requests_total', { result: 'miss' })) - missesBefore,
      p50Ms: percentile(latencies, 0.5),
      p95Ms: percentile(latencies, 0.95),
      errors,
    };
  } finally {
    await stack.close();
    if (options.redisUrl) {
      const redis = new Redis(options.redisUrl);
      try {
        const keys = await redis.keys(`${keyPrefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    }
  }
}
