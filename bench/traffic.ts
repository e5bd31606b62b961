/**
 * `npm run bench:traffic -- [--queries 1000] [--concurrency 8] [--calls 5000]`: what the traffic layer costs and
 * what the offer cache saves.
 *
 * 1. Supplier calls per 1,000 product queries, with the offer cache off and on, for uniform and Zipf-skewed product
 *    popularity, through a real gateway over the bundled sandboxes (bench/traffic-queries.ts).
 * 2. The limiter's overhead per connector call: raw fake supplier vs deadline + retry vs the whole traffic layer,
 *    with memory and with Redis buckets (bench/traffic-overhead.ts).
 *
 * REDIS_URL (e.g. from `bash scripts/test-services.sh start`) puts the offer cache and the buckets in Redis;
 * without it both are in memory, and the output says so. Method and figures: docs/benchmarks.md.
 */
import { runOverhead } from './traffic-overhead.ts';
import { runQueries, type Distribution, type QueryRun } from './traffic-queries.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const DEFAULT_TTL_MS = 30_000;
const per1000 = (n: number, run: QueryRun) => Math.round((n * 1000) / run.queries);

async function main(): Promise<void> {
  const queries = arg('queries', 1_000);
  const concurrency = arg('concurrency', 8);
  const calls = arg('calls', 5_000);
  const redisUrl = process.env['REDIS_URL'] || undefined;
  console.log(`traffic benchmark: offer cache and buckets in ${redisUrl ? 'Redis' : 'memory (set REDIS_URL to measure Redis)'}; node ${process.version}`);

  const runs: QueryRun[] = [];
  for (const distribution of ['uniform', 'zipf'] as Distribution[]) {
    for (const ttl of [0, DEFAULT_TTL_MS]) {
      runs.push(await runQueries({ cacheTtlMs: ttl, distribution, queries, concurrency, redisUrl }));
    }
  }
  console.log(`\n1. Supplier calls per 1,000 product queries (${queries} queries of a product page, ${concurrency} in flight; every offer of 3 suppliers)`);
  console.table(
    runs.map((r) => ({
      products: r.distribution,
      'offer cache': r.cache === 'on' ? `on (TTL ${r.ttlMs / 1000} s)` : 'off (TTL 0)',
      'connector calls / 1k': per1000(r.connectorCalls, r),
      'wire requests / 1k': per1000(r.wireRequests, r),
      'cache hit %': r.cacheHits + r.cacheMisses === 0 ? '-' : ((100 * r.cacheHits) / (r.cacheHits + r.cacheMisses)).toFixed(1),
      'query p50 ms': r.p50Ms.toFixed(1),
      'query p95 ms': r.p95Ms.toFixed(1),
      seconds: r.seconds.toFixed(1),
      errors: r.errors,
    })),
  );

  const overhead = await runOverhead({ calls, concurrency: 32, redisUrl });
  const raw = overhead[0]!;
  console.log(`\n2. Overhead per connector call (${calls} sequential calls, then ${calls} with 32 in flight; fake supplier answering at once)`);
  console.table(
    overhead.map((o) => ({
      variant: o.variant,
      'mean µs': o.meanUs.toFixed(1),
      'p50 µs': o.p50Us.toFixed(1),
      'p99 µs': o.p99Us.toFixed(1),
      'overhead vs raw, µs (mean)': (o.meanUs - raw.meanUs).toFixed(1),
      'calls/s, 32 in flight': Math.round(o.concurrentPerSecond),
    })),
  );
  console.log(JSON.stringify({ queries: runs, overhead }));
}

main().catch((error: unknown) => {
  console.error('benchmark failed:', error);
  process.exit(1);
});
