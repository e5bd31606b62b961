/**
 * `npx tsx bench/stock-store-ops.ts [--rows 3000] [--ops 300] [--concurrency 4] [--before <path>]`: the MongoDB
 * stock store alone on MONGO_URL: fills `--rows` SKUs, then times get, getBySkus(20) and applyReport (one new figure each) at
 * `--concurrency` in flight. `--before <path>` (relative to the working directory): the same on another
 * implementation with the same factory. Own database, dropped afterwards. Figures: docs/benchmarks.md, "Webhook
 * ingest".
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import { createMongoStockStore } from '../adapters/storage/mongo/stock-store.ts';
import type { StockStore } from '../platform/ports/stock-store.ts';
import { silentLogger } from '../platform/logger.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function timed(ops: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<string> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < ops) {
      const i = next++;
      const t = performance.now();
      await op(i);
      latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return `${Math.round(ops / seconds)}/s, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`;
}

async function main(): Promise<void> {
  const mongoUrl = process.env.MONGO_URL;
  if (!mongoUrl) throw new Error('set MONGO_URL (bash scripts/test-services.sh env)');
  const rows = arg('rows', 3_000);
  const ops = arg('ops', 300);
  const concurrency = arg('concurrency', 4);
  const client = await new MongoClient(mongoUrl).connect();
  const db = client.db(`bench_stock_${randomBytes(4).toString('hex')}`);
  try {
    // `--before <module>`: the same measurements on another implementation with the same factory (a before/after).
    const i = process.argv.indexOf('--before');
    const factory = (i >= 0 ? (await import(resolve(process.argv[i + 1]!))).createMongoStockStore : createMongoStockStore) as typeof createMongoStockStore;
    const store: StockStore & { ensureIndexes(): Promise<void> } = factory({ db, log: silentLogger() });
    await store.ensureIndexes();
    const sku = (i: number) => `DS-${String(i % rows).padStart(6, '0')}`;
    const asOf = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
    let filled = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (filled < rows) {
        const i = filled++;
        await store.applyReport({ sku: sku(i), supplier: 'brightline', supplierSku: `B-${i}`, onHand: 5, supplierAsOf: asOf(0) }, 0);
      }
    }));
    console.log(`stock store on ${rows} SKUs, ${ops} ops per line, ${concurrency} in flight`);
    console.log(`get:            ${await timed(ops, concurrency, (i) => store.get(sku(i * 7), 'brightline'))}`);
    console.log(`getBySkus(20):  ${await timed(ops, concurrency, (i) => store.getBySkus(Array.from({ length: 20 }, (_, k) => sku(i * 20 + k))))}`);
    console.log(`applyReport:    ${await timed(ops, concurrency, (i) => store.applyReport({ sku: sku(i * 7), supplier: 'brightline', supplierSku: `B-${i}`, onHand: i, supplierAsOf: asOf(i + 1) }, 0))}`);
  } finally {
    await db.dropDatabase();
    await client.close();
  }
}

main().catch((error: unknown) => {
  console.error('benchmark failed:', error);
  process.exit(1);
});
