/**
 * `npm run bench:reservations -- [--seconds 10] [--clients 32] [--skus 20]`: reservation throughput and latency on
 * the embedded stores and, when MONGO_URL (and REDIS_URL) are set, on the real services.
 *
 * What runs is the production reservation path without GraphQL: the reservation service, the one stock update
 * path (versioned row writes, offer-cache invalidation, `stock.changed` on the event bus) and the stores that
 * openStores gives the stack. `--clients` loops each reserve one unit of a random SKU (TTL 60 s), then release
 * it, for `--seconds` after a one-second warm-up. Two workloads: `spread` over `--skus` SKUs, and `hot`, every
 * client on one SKU (the worst case: every hold of the run is a write to the same row).
 *
 * Measured: completed reservations per second, reserve latency p50/p95/p99, release latency p50/p95, and errors.
 * Everything lives in its own database and key prefix, removed afterwards. Method and figures: docs/benchmarks.md.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { openStores, type Stores } from '../adapters/storage/open-stores.ts';
import { silentLogger } from '../platform/logger.ts';
import { createBufferPolicy } from '../subgraphs/inventory/buffer-policy.ts';
import { createReservationService, type ReservationService } from '../subgraphs/inventory/reservations.ts';
import { createStockUpdater } from '../subgraphs/inventory/stock-updater.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const seconds = arg('seconds', 10);
const clients = arg('clients', 32);
const spreadSkus = arg('skus', 20);
const log = silentLogger();

interface Result {
  readonly backend: string;
  readonly workload: string;
  readonly reservations: number;
  readonly perSecond: number;
  readonly reserveMs: readonly [number, number, number];
  readonly releaseMs: readonly [number, number];
  readonly errors: number;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function runWorkload(backend: string, workload: string, service: ReservationService, stores: Stores, skuCount: number): Promise<Result> {
  const skus = Array.from({ length: skuCount }, (_, i) => `BENCH-${workload}-${i}`);
  for (const sku of skus) {
    await stores.stock.applyReport({ sku, supplier: 'bench', supplierSku: sku, onHand: 1_000_000, supplierAsOf: new Date().toISOString() }, 0);
  }
  const reserveMs: number[] = [];
  const releaseMs: number[] = [];
  let errors = 0;
  let measuring = false;
  let stop = false;
  const client = async (): Promise<void> => {
    while (!stop) {
      // The embedded stores answer in microtasks only: without this the loops would starve the timers.
      await new Promise((resolve) => setImmediate(resolve));
      const sku = skus[Math.floor(Math.random() * skus.length)]!;
      try {
        const t0 = performance.now();
        const r = await service.reserveStock([{ sku, supplier: 'bench', quantity: 1 }], 60_000, { tenant: 'bench' });
        const t1 = performance.now();
        await service.releaseReservation(r.id, { tenant: 'bench' });
        const t2 = performance.now();
        if (measuring) {
          reserveMs.push(t1 - t0);
          releaseMs.push(t2 - t1);
        }
      } catch (error) {
        if (measuring) errors += 1;
        if (errors === 1) console.error(`${backend}/${workload}: first error:`, error instanceof Error ? error.message : error);
      }
    }
  };
  const loops = Array.from({ length: clients }, client);
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // warm-up: connections, JIT
  measuring = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
  measuring = false;
  const elapsed = (performance.now() - started) / 1_000;
  stop = true;
  await Promise.all(loops);
  const r = [...reserveMs].sort((a, b) => a - b);
  const l = [...releaseMs].sort((a, b) => a - b);
  return {
    backend,
    workload: `${workload} (${skuCount} SKU${skuCount === 1 ? '' : 's'})`,
    reservations: r.length,
    perSecond: r.length / elapsed,
    reserveMs: [percentile(r, 50), percentile(r, 95), percentile(r, 99)],
    releaseMs: [percentile(l, 50), percentile(l, 95)],
    errors,
  };
}

async function runBackend(backend: string, mongoUrl: string | undefined, redisUrl: string | undefined): Promise<Result[]> {
  const id = randomBytes(4).toString('hex');
  const mongoDb = `bench_${id}`;
  const stores = await openStores({ mongoUrl, mongoDb, redisUrl, keyPrefix: `bench:${id}:` }, log);
  try {
    const updater = createStockUpdater({ stock: stores.stock, cache: stores.cache, events: stores.events, log });
    const service = createReservationService({ reservations: stores.reservations, updater, buffers: createBufferPolicy(), log });
    return [
      await runWorkload(backend, 'spread', service, stores, spreadSkus),
      await runWorkload(backend, 'hot', service, stores, 1),
    ];
  } finally {
    await stores.close();
    if (mongoUrl) {
      const client = await new MongoClient(mongoUrl).connect();
      await client.db(mongoDb).dropDatabase();
      await client.close();
    }
  }
}

const fmt = (n: number) => (Number.isNaN(n) ? '-' : n < 10 ? n.toFixed(2) : n.toFixed(1));

async function main(): Promise<void> {
  const mongoUrl = process.env.MONGO_URL || undefined;
  const redisUrl = process.env.REDIS_URL || undefined;
  console.log(`reservations benchmark: ${clients} clients, ${seconds} s per workload, reserve + release per loop`);
  if (!mongoUrl) console.log('MONGO_URL is not set: the real-services run is skipped (embedded stores only)');
  const results = await runBackend('memory', undefined, undefined);
  if (mongoUrl) results.push(...(await runBackend(redisUrl ? 'mongodb+redis' : 'mongodb', mongoUrl, redisUrl)));
  console.log('\n| backend | workload | reservations/s | reserve p50 / p95 / p99 ms | release p50 / p95 ms | errors |');
  console.log('|---|---|---:|---|---|---:|');
  for (const r of results) {
    console.log(
      `| ${r.backend} | ${r.workload} | ${r.perSecond.toFixed(0)} | ${r.reserveMs.map(fmt).join(' / ')} | ${r.releaseMs.map(fmt).join(' / ')} | ${r.errors} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
