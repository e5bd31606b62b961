/**
 * One process of throttle-poisoning.fault.test.ts: the maplecart connector as a stack builds it — its family's
 * connector factory, the outbound policy, and the supplier's traffic policies (createSupplierTraffic) over the shared
 * Redis bucket store with its local fallback — calling the supplier on a steady beat. Prints one JSON line per call on
 * stdout (`{ t, op, lane, ok, code?, ms }`, t in epoch ms), `{ ready: true }` first; logs go to stderr.
 *
 *   node --import tsx test/fault/throttle-poisoning-process.ts
 *
 * Env: REDIS_URL, TP_KEY_PREFIX, TP_URL (the supplier base URL), TP_ACCESS_TOKEN, TP_SKU, TP_BREAKER_OPEN_MS,
 * TP_EVERY_MS (the beat of live reads). Stdin, one command a line: `order <key>` places an order under that key and
 * reads its status back (order and tracking lanes); `stop` ends the process.
 */
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import type { CallContext, Lane } from '../../adapters/core/connector.ts';
import { toRegistryError } from '../../kernel/errors.ts';
import { createOutboundPolicy } from '../../adapters/core/outbound-policy.ts';
import { createFallbackBucketStore } from '../../adapters/ratelimit/fallback-bucket-store.ts';
import { createMemoryBucketStore } from '../../adapters/ratelimit/memory-bucket-store.ts';
import { createRedisBucketStore } from '../../adapters/ratelimit/redis-bucket-store.ts';
import { connectRedis } from '../../adapters/redis/redis-client.ts';
import { createMetrics } from '../../platform/metrics.ts';
import { DEFAULT_SUPPLIERS_FILE, readSuppliersFile } from '../../platform/suppliers-file.ts';
import { maplecartGraphqlFamily } from '../../stack/families/maplecart-graphql.ts';
import { publishedLimitsOf, supplierLimitsOf } from '../../stack/supplier-limits.ts';
import { createSupplierTraffic } from '../../stack/supplier-traffic.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const log = pino({ level: 'warn' }, pino.destination(2));
const print = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

const redis = await connectRedis(env('REDIS_URL'), log, 'commands');
const store = createFallbackBucketStore({
  primary: createRedisBucketStore({ client: redis, keyPrefix: env('TP_KEY_PREFIX') }),
  fallback: createMemoryBucketStore(),
  share: 0.5,
  log,
});
const entry = readSuppliersFile(DEFAULT_SUPPLIERS_FILE).find((e) => e.slug === 'maplecart');
if (!entry) throw new Error('maplecart is not in the suppliers file');
const traffic = createSupplierTraffic('maplecart', {
  store,
  metrics: createMetrics({ defaultMetrics: false }).supplier,
  log,
  timeoutMs: 5_000,
  limits: supplierLimitsOf(publishedLimitsOf('maplecart', undefined, entry)),
  breakerOpenMs: Number(env('TP_BREAKER_OPEN_MS')),
});
const url = env('TP_URL');
const outbound = createOutboundPolicy({ supplier: 'maplecart', allowLoopbackHttp: true, log });
outbound.check(url);
const connector = await maplecartGraphqlFamily.createConnector({ entry, url, credentials: { accessToken: env('TP_ACCESS_TOKEN') }, policies: traffic.policies, outbound, log });

const stopping = new AbortController();
const ctx = (lane: Lane): CallContext => ({ lane, log, signal: stopping.signal, requestId: `tp-${process.pid}-${Date.now()}` });

async function timed(op: string, lane: Lane, call: () => Promise<unknown>): Promise<boolean> {
  const started = performance.now();
  try {
    await call();
    print({ t: Date.now(), op, lane, ok: true, ms: Math.round(performance.now() - started) });
    return true;
  } catch (error) {
    print({ t: Date.now(), op, lane, ok: false, code: toRegistryError(error).code, ms: Math.round(performance.now() - started) });
    return false;
  }
}

const sku = env('TP_SKU');
const everyMs = Number(env('TP_EVERY_MS'));
const beat = (async () => {
  while (!stopping.signal.aborted) {
    const next = performance.now() + everyMs;
    await timed('getStock', 'interactive', () => connector.getStock([sku], ctx('interactive')));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
  }
})();

async function order(key: string): Promise<void> {
  const placed = await timed('placeOrder', 'order', () =>
    connector.placeOrder({ idempotencyKey: key, lines: [{ lineNumber: 1, supplierSku: sku, quantity: 1 }], shipTo: { name: 'Fault Suite', line1: '1 Test Way', city: 'Portland', region: 'OR', postalCode: '97201', country: 'US' } }, ctx('order')),
  );
  if (placed) await timed('getOrderStatus', 'tracking', () => connector.getOrderStatus({ supplierOrderId: null, idempotencyKey: key }, ctx('tracking')));
}

print({ ready: true });
for await (const line of createInterface({ input: process.stdin })) {
  const [command, arg] = line.trim().split(/\s+/);
  if (command === 'order' && arg) await order(arg);
  if (command === 'stop') break;
}
stopping.abort();
await beat;
await connector.close();
await store.close();
await outbound.close();
process.exit(0);
