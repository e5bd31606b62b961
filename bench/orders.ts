/**
 * `npm run bench:orders -- [--orders 200] [--concurrency 8] [--latency 80] [--existing 0]`: order placement
 * throughput and latency through the gateway, with the three sandboxes answering after a realistic delay (`--latency`
 * ms for REST, ×1.5 for SOAP, ×1.25 for GraphQL). Each order has three lines, one per supplier, so one placement is
 * three reservations, three live stock re-checks and three supplier submissions. Uses MongoDB/Redis when MONGO_URL/REDIS_URL are set
 * (own database and key prefix, removed afterwards), else the embedded stores. `--existing N` first stores N closed
 * orders of another tenant, as a database in service holds: a store that scans per order slows down with them
 * (FerretDB scans every filter but `{_id}`). Figures: docs/benchmarks.md.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { MongoClient } from 'mongodb';
import { loadConfig } from '../platform/config.ts';
import { silentLogger } from '../platform/logger.ts';
import type { OrderStore } from '../platform/ports/order-store.ts';
import { startStack } from '../stack/start-stack.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer`);
  return value;
}

const total = arg('orders', 200);
const concurrency = Math.max(1, arg('concurrency', 8));
const latencyMs = arg('latency', 80);
const existing = arg('existing', 0);
const LIFTED = JSON.stringify({
  brightline: { requests: { limit: 1_000_000, perSeconds: 60, burst: 100_000 } },
  harborpromo: { requests: { limit: 1_000_000, perSeconds: 60, burst: 100_000 } },
  maplecart: { requests: { limit: 1_000_000, perSeconds: 60, burst: 100_000 }, cost: { maximumAvailable: 10_000_000, restoreRate: 10_000_000 } },
});
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status subOrders { state } } }`;
const SHIP_TO = { name: 'Bench Customer', line1: '1 Load Street', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' };
const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** Closed three-line orders of another tenant, eight inserts in flight. */
async function storeExisting(orders: OrderStore, count: number): Promise<void> {
  let next = 0;
  const at = new Date(Date.now() - 86_400_000).toISOString();
  const line = (lineNumber: number) => ({ lineNumber, sku: `OLD-${lineNumber}`, quantity: 1, supplier: 'brightline', supplierSku: `B-${lineNumber}`, status: 'delivered' as const, unitCost: null });
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < count; i = next++) {
        await orders.insert({ id: `old-${i}`, tenant: 'earlier-tenant', idempotencyKey: `old-${i}`, status: 'delivered', lines: [line(1), line(2), line(3)], shipments: [], createdAt: at, updatedAt: at, version: 1, workflow: 'closed' });
      }
    }),
  );
}

async function main(): Promise<void> {
  const id = randomBytes(4).toString('hex');
  const mongoUrl = process.env['MONGO_URL'];
  const redisUrl = process.env['REDIS_URL'];
  const config = loadConfig({
    GATEWAY_PORT: '0',
    LOG_LEVEL: 'silent',
    MONGO_DB: `bench_orders_${id}`,
    KEY_PREFIX: `bench:${id}:`,
    ...(mongoUrl ? { MONGO_URL: mongoUrl } : {}),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    SUPPLIER_LIMITS: LIFTED,
    BRIGHTLINE_POLL_INTERVAL_MS: '0',
    HARBORPROMO_POLL_INTERVAL_MS: '0',
    MAPLECART_POLL_INTERVAL_MS: '0',
    RECONCILE_INTERVAL_MS: '0',
    PARTNER_RATE_PER_SECOND: '0',
  });
  const stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', seed: false, orderLoopMs: 0 });
  try {
    const skus: string[] = [];
    for (const [slug, factor] of [['brightline', 1], ['harborpromo', 1.5], ['maplecart', 1.25]] as const) {
      const sandbox = stack.sandboxes.get(slug)!;
      const supplierSku = sandbox.supplierSkus()[0]!;
      sandbox.driftStock(supplierSku, 1_000_000);
      const sku = `BENCH-ORD-${slug}`;
      await stack.stores.catalog.insert({ sku, title: sku, brand: null, gtin: null, manufacturer: null, mpn: null, description: null, suppliers: [{ supplier: slug, supplierSku }] });
      await stack.updater.applyReport({ sku, supplier: slug, supplierSku, onHand: 1_000_000, supplierAsOf: new Date().toISOString() }, 'import');
      sandbox.setFaults({ latencyMs: Math.round(latencyMs * factor) });
      skus.push(sku);
    }
    await storeExisting(stack.stores.orders, existing);
    const latencies: number[] = [];
    let errors = 0;
    let next = 0;
    const place = async (n: number): Promise<void> => {
      const started = performance.now();
      const response = await fetch(stack.gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: PLACE, variables: { input: { idempotencyKey: `bench-${id}-${n}`, shipTo: SHIP_TO, lines: skus.map((sku) => ({ sku, quantity: 1 })) } } }),
      });
      const json = (await response.json()) as { errors?: unknown; data?: { placeOrder?: { subOrders: { state: string }[] } } };
      latencies.push(performance.now() - started);
      if (json.errors || !json.data?.placeOrder?.subOrders.every((s) => s.state === 'SUBMITTED')) errors += 1;
    };
    const loadBefore = loadavg()[0]!;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) await place(next++);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        backend: mongoUrl ? 'mongodb' : 'embedded',
        orders: total,
        concurrency,
        existingOrders: existing,
        sandboxLatencyMs: { rest: latencyMs, soap: Math.round(latencyMs * 1.5), graphql: Math.round(latencyMs * 1.25) },
        ordersPerSecond: Number((total / seconds).toFixed(1)),
        placementMs: { p50: Math.round(percentile(sorted, 50)), p95: Math.round(percentile(sorted, 95)), p99: Math.round(percentile(sorted, 99)) },
        errors,
        // The machine's 1-minute load average before and after: on a shared machine the figures depend on it.
        loadAverage: { before: Number(loadBefore.toFixed(1)), after: Number(loadavg()[0]!.toFixed(1)) },
      }),
    );
  } finally {
    await stack.close();
    if (mongoUrl) {
      const client = await new MongoClient(mongoUrl).connect();
      await client.db(config.mongoDb).dropDatabase();
      await client.close();
    }
  }
}

await main();
