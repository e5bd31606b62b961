/**
 * `npm run bench:ingest -- [--deliveries 5000] [--concurrency 32] [--skus 500] [--warm] [--profile]
 * [--stock-module <path>]`: webhook ingest, end to end, on the real services (MONGO_URL, REDIS_URL; the in-memory
 * stores otherwise, and it says so).
 *
 * What runs is the production path, minus the supplier: the inventory ingest (endpoint, inbox, worker, the one
 * stock update path, Redis events) on an HTTP server, and a load generator in a worker thread (its own event loop,
 * so signing and sending do not steal the server's loop) posting Brightline-signed `inventory.updated` deliveries
 * over keep-alive HTTP with a fixed number in flight. Each delivery is a new figure (distinct id, newer timestamp)
 * for one of `--skus` mapped products.
 *
 * Measured: acknowledgements per second and their latency (p50/p99/max), and deliveries applied per second end to
 * end (first request sent → last delivery's stock write done, with its `stock.changed` event counted off the bus).
 * Everything lives in its own database and key prefix, removed afterwards. Method and figures: docs/benchmarks.md.
 */
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import { Collection, MongoClient, type Db } from 'mongodb';
import { openStores, type Stores } from '../adapters/storage/open-stores.ts';
import { loadConfig } from '../platform/config.ts';
import { listen } from '../platform/http/listen.ts';
import { silentLogger } from '../platform/logger.ts';
import { createMetrics } from '../platform/metrics.ts';
import { createInventorySync } from '../stack/inventory-sync.ts';
import { STOCK_CHANGED_TOPIC } from '../subgraphs/inventory/stock-events.ts';
import { createStockUpdater } from '../subgraphs/inventory/stock-updater.ts';
import { counterValue, createInventorySyncMetrics, withUpdateMetrics } from '../subgraphs/inventory/sync-metrics.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

/** The load generator: plain JavaScript for an eval'd worker thread (node built-ins only). */
const LOAD_GENERATOR = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHmac, randomUUID } = require('node:crypto');
const { url, secret, deliveries, concurrency, skus, baseMs, quantityBase } = workerData;
const latencies = [];
const statuses = {};
let next = 0;
async function lane() {
  while (next < deliveries) {
    const i = next++;
    const id = randomUUID();
    const lastUpdated = new Date(baseMs + i).toISOString();
    const body = JSON.stringify({ id, type: 'inventory.updated', createdAt: lastUpdated,
      data: { partNumber: 'BL-B' + String(i % skus).padStart(6, '0'), status: 'IN_STOCK',
              warehouses: [{ warehouseCode: 'DAL', quantityAvailable: quantityBase + i }], lastUpdated } });
    const t = Math.floor(Date.now() / 1000);
    const signature = 't=' + t + ',v1=' + createHmac('sha512', secret).update(t + '.' + body).digest('hex');
    const started = performance.now();
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json',
      'x-brightline-signature': signature, 'x-brightline-delivery': id, 'x-brightline-event': 'inventory.updated' } });
    await res.arrayBuffer();
    latencies.push(performance.now() - started);
    statuses[res.status] = (statuses[res.status] || 0) + 1;
  }
}
const startedAt = Date.now();
Promise.all(Array.from({ length: concurrency }, lane)).then(() => {
  parentPort.postMessage({ startedAt, finishedAt: Date.now(), latencies, statuses });
});
`;

interface LoadResult {
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly latencies: number[];
  readonly statuses: Record<string, number>;
}

/**
 * The document server's own pace, measured the same way: plain single-document inserts with the same number in
 * flight. An ingested delivery costs several document operations (inbox insert and completion; for the stock
 * write a head read, a claim probe, the claim insert and the head replace), so this is the scale to read it against.
 */
async function calibrate(mongoUrl: string, dbName: string, concurrency: number): Promise<number> {
  const client = await new MongoClient(mongoUrl).connect();
  try {
    const scratch = client.db(dbName).collection<{ _id: number }>('bench_calibration');
    const total = 500;
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < total) await scratch.insertOne({ _id: next++ });
    }));
    const perSecond = Math.round(total / ((performance.now() - started) / 1000));
    await scratch.drop();
    return perSecond;
  } finally {
    await client.close();
  }
}

/**
 * `--profile`: wraps the driver's collection methods to sum, per collection, method and filter shape, how many
 * document-server calls the run made and how long they took (wall time, so queueing on a saturated server counts).
 * Shows which operations load the server; its cost skews the figures a little, so leave it off for them.
 */
function profileDocumentCalls(): { reset: () => void; report: () => string } {
  const totals = new Map<string, { calls: number; ms: number }>();
  const shape = (filter: unknown): string =>
    filter === null || typeof filter !== 'object'
      ? '-'
      : `{${Object.entries(filter as Record<string, unknown>).map(([k, v]) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? `${k}:{${Object.keys(v).join(',')}}` : k)).join(',')}}`;
  const note = (key: string, started: number) => {
    const t = totals.get(key) ?? { calls: 0, ms: 0 };
    t.calls += 1;
    t.ms += performance.now() - started;
    totals.set(key, t);
  };
  const proto = Collection.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of ['findOne', 'insertOne', 'updateOne', 'updateMany', 'replaceOne', 'deleteOne', 'deleteMany', 'countDocuments']) {
    const original = proto[method]!;
    proto[method] = async function (this: Collection, ...args: unknown[]) {
      const started = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        note(`${this.collectionName} ${method} ${method === 'insertOne' ? '' : shape(args[0])}`, started);
      }
    };
  }
  const find = proto.find!;
  proto.find = function (this: Collection, ...args: unknown[]) {
    const cursor = find.apply(this, args) as { toArray: () => Promise<unknown[]> };
    const toArray = cursor.toArray.bind(cursor);
    const key = `${this.collectionName} find ${shape(args[0])}`;
    cursor.toArray = async () => {
      const started = performance.now();
      try {
        return await toArray();
      } finally {
        note(key, started);
      }
    };
    return cursor;
  };
  const report = () =>
    [...totals.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(([key, t]) => `  ${key}: ${t.calls} calls, ${Math.round(t.ms)} ms total, ${(t.ms / t.calls).toFixed(1)} ms each`)
      .join('\n');
  return { reset: () => totals.clear(), report };
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function main(): Promise<void> {
  const deliveries = arg('deliveries', 5_000);
  const concurrency = arg('concurrency', 32);
  const skus = arg('skus', 500);
  const profile = process.argv.includes('--profile') ? profileDocumentCalls() : null;
  const warm = process.argv.includes('--warm');
  const id = randomBytes(4).toString('hex');
  const secret = `whsec_bench_${id}`;
  const config = loadConfig({
    ...process.env,
    MONGO_DB: `bench_${id}`,
    KEY_PREFIX: `bench:${id}:`,
    BRIGHTLINE_WEBHOOK_SECRETS: secret,
    BRIGHTLINE_POLL_INTERVAL_MS: '0',
    HARBORPROMO_POLL_INTERVAL_MS: '0',
    MAPLECART_POLL_INTERVAL_MS: '0',
    RECONCILE_INTERVAL_MS: '0',
  });
  const services = `${config.mongoUrl ? 'MongoDB-protocol server' : 'IN-MEMORY documents'} + ${config.redisUrl ? 'Redis' : 'IN-PROCESS events'}`;
  const applyConcurrency = config.inventorySync.webhookApplyConcurrency;
  console.log(`webhook ingest benchmark: ${deliveries} deliveries, ${concurrency} in flight, ${skus} SKUs, worker writes ${applyConcurrency} at a time (WEBHOOK_APPLY_CONCURRENCY), on ${services}`);
  if (!config.mongoUrl || !config.redisUrl) console.log('(set MONGO_URL and REDIS_URL — e.g. from `bash scripts/test-services.sh start` — to measure the real services)');

  const log = silentLogger();
  const opened = await openStores({ mongoUrl: config.mongoUrl, mongoDb: config.mongoDb, redisUrl: config.redisUrl, keyPrefix: config.keyPrefix }, log);
  // `--stock-module <path>`: another MongoDB StockStore implementation with the same factory, for a before/after
  // under the same conditions (e.g. a previous version of adapters/storage/mongo/stock-store.ts copied aside).
  const stockModule = process.argv.indexOf('--stock-module');
  let stockClient: MongoClient | null = null;
  let stores = opened;
  if (stockModule >= 0 && config.mongoUrl) {
    const { createMongoStockStore } = (await import(resolve(process.argv[stockModule + 1]!))) as {
      createMongoStockStore: (o: { db: Db; log: typeof log }) => Stores['stock'] & { ensureIndexes(): Promise<void> };
    };
    stockClient = await new MongoClient(config.mongoUrl).connect();
    const stock = createMongoStockStore({ db: stockClient.db(config.mongoDb), log });
    await stock.ensureIndexes();
    stores = { ...opened, stock };
    console.log(`stock store: ${process.argv[stockModule + 1]}`);
  }
  const metrics = createMetrics({ defaultMetrics: false });
  const syncMetrics = createInventorySyncMetrics(metrics.registry);
  const updater = withUpdateMetrics(createStockUpdater({ stock: stores.stock, cache: stores.cache, events: stores.events, log }), syncMetrics);
  const sync = createInventorySync({ config: config.inventorySync, suppliers: config.supplierEntries, log, stores, updater, metrics: syncMetrics });
  const server = await listen(sync.routes, 0);
  let events = 0;
  const unsubscribe = await stores.events.subscribe(STOCK_CHANGED_TOPIC, () => (events += 1));
  try {
    for (let i = 0; i < skus; i++) {
      const sku = `DS-BENCH-${String(i).padStart(6, '0')}`;
      await stores.catalog.insert({ sku, title: `Bench product ${i}`, brand: null, gtin: null, manufacturer: null, mpn: null, description: null, suppliers: [] });
      await stores.catalog.upsertSupplierMapping(sku, { supplier: 'brightline', supplierSku: `BL-B${String(i).padStart(6, '0')}` });
    }
    sync.worker.start();
    const insertsPerSecond = config.mongoUrl ? await calibrate(config.mongoUrl, config.mongoDb, concurrency) : null;
    profile?.reset(); // setup and calibration are not the run

    const send = (count: number, baseMs: number, quantityBase = 0) =>
      new Promise<LoadResult>((resolve, reject) => {
        const worker = new Worker(LOAD_GENERATOR, {
          eval: true,
          workerData: { url: `${server.url}/webhooks/brightline`, secret, deliveries: count, concurrency, skus, baseMs, quantityBase },
        });
        worker.once('message', (m: LoadResult) => void worker.terminate().then(() => resolve(m)));
        worker.once('error', reject);
      });
    // Every delivery was acknowledged, so every one is in the inbox: done when none is pending and the worker idles.
    const settle = async () => {
      for (;;) {
        await sync.worker.drain();
        if ((await stores.webhookInbox.countByStatus()).pending === 0) break;
        await sync.worker.scanNow();
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const outcome = (o: string) => counterValue(metrics.registry, 'webhook_signals_processed_total', { supplier: 'brightline', outcome: o });
    let base = { applied: 0, stale: 0, events: 0 };
    if (warm) {
      // One older delivery per SKU first, not measured: the worker's supplier-SKU → product lookups (cached per
      // process) and every SKU's first stock write happen here, so the run measures the steady state.
      await send(skus, Date.now() - 86_400_000, 1_000_000); // other figures than the run's, so the run's all change stock
      await settle();
      const warmDeadline = Date.now() + 5_000;
      while (events < (await outcome('applied')) && Date.now() < warmDeadline) await new Promise((r) => setTimeout(r, 5));
      base = { applied: await outcome('applied'), stale: await outcome('stale'), events };
      profile?.reset();
      console.log(`warmed: ${skus} deliveries, one per SKU, applied before the run`);
    }
    const result = await send(deliveries, Date.now());
    await settle();
    const appliedAt = Date.now();
    // The last events may still be on their way through Redis: give them a moment, then count.
    const eventDeadline = Date.now() + 5_000;
    const applied = (await outcome('applied')) - base.applied;
    while (events - base.events < applied && Date.now() < eventDeadline) await new Promise((r) => setTimeout(r, 5));

    const sorted = [...result.latencies].sort((a, b) => a - b);
    const sendSeconds = (result.finishedAt - result.startedAt) / 1000;
    const endToEndSeconds = (appliedAt - result.startedAt) / 1000;
    const stale = (await outcome('stale')) - base.stale;
    const figures = {
      deliveries,
      concurrency,
      applyConcurrency,
      skus,
      services,
      statuses: result.statuses,
      acksPerSecond: Math.round(deliveries / sendSeconds),
      ackMs: { p50: +percentile(sorted, 50).toFixed(1), p99: +percentile(sorted, 99).toFixed(1), max: +(sorted[sorted.length - 1] ?? 0).toFixed(1) },
      appliedPerSecondEndToEnd: Math.round(deliveries / endToEndSeconds),
      endToEndSeconds: +endToEndSeconds.toFixed(2),
      outcomes: { applied, stale, other: deliveries - applied - stale },
      warmed: warm,
      stockChangedEvents: events - base.events,
      inbox: await stores.webhookInbox.countByStatus(),
      documentInsertsPerSecond: insertsPerSecond,
    };
    console.log(`acknowledged: ${figures.acksPerSecond}/s (p50 ${figures.ackMs.p50} ms, p99 ${figures.ackMs.p99} ms, max ${figures.ackMs.max} ms), statuses ${JSON.stringify(result.statuses)}`);
    console.log(`applied end to end: ${figures.appliedPerSecondEndToEnd}/s (${deliveries} in ${figures.endToEndSeconds} s); ${applied} changed stock, ${stale} older than a figure already applied (ignored), ${figures.stockChangedEvents} stock.changed events received`);
    if (insertsPerSecond !== null) console.log(`for scale: the document server takes ${insertsPerSecond} plain single-document inserts/s at ${concurrency} in flight`);
    console.log(JSON.stringify(figures));
    if (profile !== null) console.log(`document-server calls during the run (--profile; wall time):\n${profile.report()}`);
  } finally {
    await unsubscribe();
    await sync.close();
    await server.close();
    await stores.catalog.clear();
    await stores.stock.clear();
    await stores.webhookInbox.clear();
    await stores.close();
    await stockClient?.close();
    if (config.mongoUrl) {
      const client = await new MongoClient(config.mongoUrl).connect();
      await client.db(config.mongoDb).dropDatabase();
      await client.close();
    }
  }
}

main().catch((error: unknown) => {
  console.error('benchmark failed:', error);
  process.exit(1);
});
