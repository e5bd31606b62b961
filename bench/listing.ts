/**
 * bench:listing — a storefront listing page against `productPage`, in the same run, on the product path (issue 18;
 * docs/benchmarks.md "Listing"). The whole stack as `npm start` runs it (startStack: gateway, every subgraph, the
 * bundled supplier sandboxes, the real price service with pricing rules and FX rates, the listing indexer), with
 * AUTH_MODE=required and a storefront API token; every measured request goes over HTTP through the gateway:
 *   listing:     searchProducts(query, filter: { brands, inStock: true }, sort: PRICE_ASC, first: 24) with cursor,
 *                availability, price, product { sku title brand supplierSkus } and every facet
 *   productPage: productPage(first: 24) with totalCount and product { sku title brand supplierSkus price }
 * Rounds alternate the order of the two, after a warm-up. On the embedded stores, and on FerretDB + Redis
 * (MONGO_URL, REDIS_URL; a fresh database and key prefix, removed after) in the same invocation. Round trips: the
 * stack reaches MongoDB and Redis through counting relays (bench/listing/wire-counter.ts), so every command the
 * gateway and subgraphs send while one query runs is counted, by name.
 *
 * Seeding (set-up, not measured): the production initial sync (startStack's `seed`: every sandbox's catalog through
 * the importer, then a stock snapshot, with their catalog.changed / stock.changed events reaching the indexer), then
 * every product's offers read once through the gateway in pages of 24 (a product page's live supplier call, whose
 * cached costs price the listing), then a wait until the indexer has priced the listing.
 *
 *   npm run bench:listing [-- --iterations 100 --warmup 10 --stores embedded,ferretdb --query shirt --brands Gildan,Hanes]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { MongoClient } from 'mongodb';
import { Redis } from 'ioredis';
import { loadConfig } from '../platform/config.ts';
import { silentLogger } from '../platform/logger.ts';
import { SUPPLIERS } from '../platform/supplier-registry.ts';
import { startStack, type Stack } from '../stack/start-stack.ts';
import { createTokenService } from '../subgraphs/access/token-service.ts';
import { difference, startWireCounter, type WireCounter } from './listing/wire-counter.ts';

const { values: args } = parseArgs({
  options: {
    iterations: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '10' },
    stores: { type: 'string' },
    query: { type: 'string', default: 'shirt' },
    brands: { type: 'string', default: 'Gildan,Hanes,Bella+Canvas,Port Authority,Stanley/Stella,Hydro Flask' },
  },
});
const ITERATIONS = Number(args.iterations);
const WARMUP = Number(args.warmup);
const MONGO_URL = process.env['MONGO_URL'];
const REDIS_URL = process.env['REDIS_URL'];
const STORES = (args.stores ?? (MONGO_URL ? 'embedded,ferretdb' : 'embedded')).split(',') as ('embedded' | 'ferretdb')[];
const BRANDS = args.brands.split(',');

const PRODUCT = 'sku title brand supplierSkus { supplier supplierSku }';
const LISTING = {
  query: `query($q: String, $f: ProductListingFilter) { searchProducts(query: $q, filter: $f, sort: PRICE_ASC, first: 24) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { cursor available inStock price { amount currency } product { ${PRODUCT} } }
  facets { brands { value count } categories { value count } suppliers { value count } inStock outOfStock priceRanges { min max count } counted } } }`,
  variables: { q: args.query, f: { brands: BRANDS, inStock: true } },
};
const PAGE = { query: `{ productPage(first: 24) { totalCount pageInfo { hasNextPage endCursor } nodes { ${PRODUCT} price { amount currency } } } }` };
const OFFERS = `query($after: String) { productPage(first: 24, after: $after) { pageInfo { hasNextPage endCursor } nodes { sku offers { id cost { amount currency } } } } }`;

const pct = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

interface Wires {
  readonly mongo: WireCounter;
  readonly redis: WireCounter;
}

function stackConfig(kind: 'embedded' | 'ferretdb', id: string, wires: Wires | null) {
  const relayed = (url: string, address: string) => {
    const u = new URL(url);
    u.host = address;
    return u.toString();
  };
  return loadConfig({
    GATEWAY_PORT: '0',
    LOG_LEVEL: 'silent',
    KEY_PREFIX: `bench:listing:${id}:`,
    ...(kind === 'ferretdb' ? { MONGO_URL: relayed(MONGO_URL!, wires!.mongo.address), MONGO_DB: `bench_listing_${id}`, REDIS_URL: relayed(REDIS_URL!, wires!.redis.address) } : {}),
    AUTH_MODE: 'required',
    GATEWAY_SIGNING_SECRET: randomBytes(32).toString('hex'),
    STORE_CURRENCY: 'USD',
    PRICING_FX_RATES: JSON.stringify({ date: '2026-12-01', rates: { CAD: '0.7312' } }),
    PRICING_RULES: JSON.stringify([{ scope: 'default', markupPercent: '40', rounding: '0.99' }]),
    OFFER_CACHE_TTL_MS: '3600000',
    // Nothing changes stock behind the measurement's back.
    BRIGHTLINE_POLL_INTERVAL_MS: '0',
    HARBORPROMO_POLL_INTERVAL_MS: '0',
    MAPLECART_POLL_INTERVAL_MS: '0',
    RECONCILE_INTERVAL_MS: '0',
  });
}

/** Seeding, not measured: the initial sync, every product's offers read once, the listing priced. */
async function seed(stack: Stack, post: (body: unknown) => Promise<any>): Promise<{ products: number; priced: number; seconds: number }> {
  const started = performance.now();
  const progress = (what: string) => console.error(`  [seed ${((performance.now() - started) / 1000).toFixed(0)} s] ${what}`);
  for (const slug of stack.connectors.keys()) {
    await stack.initialSync.caughtUp(slug);
    progress(`${slug}: catalog imported, stock snapshotted`);
  }
  let after: string | null = null;
  let products = 0;
  const withCost = new Set<string>();
  do {
    const d: any = await post({ query: OFFERS, variables: { after } });
    for (const n of d.productPage.nodes) {
      products += 1;
      if (n.offers.some((o: any) => o.cost !== null)) withCost.add(n.sku);
    }
    after = d.productPage.pageInfo.hasNextPage ? d.productPage.pageInfo.endCursor : null;
  } while (after !== null);
  progress(`offers of ${products} products read`);
  // The indexer re-prices from offers.cached events; read-only check of the read model until it has caught up.
  const deadline = Date.now() + 120_000;
  let priced = 0;
  for (;;) {
    const keys = await stack.stores.listing.scan({}, 5_000);
    priced = keys.filter((k) => k.priceMinor !== null && withCost.has(k.sku)).length;
    if (priced === withCost.size || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { products, priced, seconds: (performance.now() - started) / 1000 };
}

async function measure(kind: 'embedded' | 'ferretdb'): Promise<void> {
  const id = randomBytes(4).toString('hex');
  let wires: Wires | null = null;
  if (kind === 'ferretdb') {
    if (!MONGO_URL || !REDIS_URL) throw new Error('ferretdb needs MONGO_URL and REDIS_URL (eval "$(bash scripts/test-services.sh env)")');
    const m = new URL(MONGO_URL);
    const r = new URL(REDIS_URL);
    wires = {
      mongo: await startWireCounter('mongodb', { host: m.hostname, port: Number(m.port || 27017) }),
      redis: await startWireCounter('redis', { host: r.hostname, port: Number(r.port || 6379) }),
    };
  }
  const startedAt = performance.now();
  // startStack runs the initial sync (import + stock snapshot of every sandbox) before it returns.
  const stack = await startStack({ config: stackConfig(kind, id, wires), log: silentLogger(), subgraphPorts: 'random', seed: true });
  const startSeconds = (performance.now() - startedAt) / 1000;
  try {
    const tokens = createTokenService({ tokens: stack.stores.tokens, knownSuppliers: SUPPLIERS.map((s) => s.slug) });
    const { token } = await tokens.issue({ tenant: 'bench-shop', tokenClass: 'storefront' }, { actor: 'cli:bench', subject: 'bench' });
    // A storefront's server calling for a shopper (docs/security.md "Token classes"): its token and the shopper's id.
    // Each request for another of 1,000 shoppers (one shopper's bucket would throttle a benchmark's pace).
    let shopper = 0;
    const ask = async (body: unknown): Promise<{ data: any; failed: string | null }> => {
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-shopper-id': `bench-shopper-${(shopper += 1) % 1_000}` };
      const response = await fetch(stack.gateway.graphqlUrl, { method: 'POST', headers, body: JSON.stringify(body) });
      const json = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
      if (response.status === 200 && !json.errors) return { data: json.data, failed: null };
      return { data: null, failed: `HTTP ${response.status} ${json.errors?.[0]?.extensions?.code ?? ''}: ${json.errors?.[0]?.message ?? ''}` };
    };
    // Set-up and warm-up retry a transient refusal (the shared test server under load can time out a credential
    // check: 503 AUTHENTICATION_UNAVAILABLE); measured requests count their failures instead (printed).
    const post = async (body: unknown): Promise<any> => {
      for (let attempt = 1; ; attempt += 1) {
        const r = await ask(body);
        if (r.failed === null) return r.data;
        if (attempt === 5 || !r.failed.startsWith('HTTP 503')) throw new Error(r.failed);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    };
    const seeded = await seed(stack, post);
    const first = await post(LISTING);
    const listed = first.searchProducts;
    console.log(`${kind === 'embedded' ? 'embedded stores' : 'FerretDB + Redis'}: ${seeded.products} products (${seeded.priced} priced) seeded in ${startSeconds.toFixed(0)} s (stack start with the initial sync) + ${seeded.seconds.toFixed(0)} s (offers, pricing); listing matches ${listed.totalCount}, page of ${listed.nodes.length}, ${listed.facets.brands.length} brands in facets`);

    const snap = () => ({ mongo: wires?.mongo.snapshot() ?? new Map<string, number>(), redis: wires?.redis.snapshot() ?? new Map<string, number>(), waited: wires?.mongo.waited() ?? new Map<string, number>() });
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    if (wires !== null) {
      // The indexer trails the seeding's last events: wait for 3 s without a listing write (at most a minute).
      const writes = () => [...wires!.mongo.snapshot()].filter(([k]) => k.endsWith(' product_listing') && !k.startsWith('find')).reduce((a, [, v]) => a + v, 0);
      for (let quiet = 0, last = writes(), until = Date.now() + 60_000; quiet < 3 && Date.now() < until; ) {
        await sleep(1_000);
        const now = writes();
        quiet = now === last ? quiet + 1 : 0;
        last = now;
      }
    }
    console.error('  [settled: no listing write for 3 s]');
    // Background traffic (heartbeats, sweepers, event bus) while nothing is asked, to read the per-query counts against.
    const IDLE_S = 5;
    const idleFrom = snap();
    await sleep(IDLE_S * 1_000);
    const idle = { mongo: difference(snap().mongo, idleFrom.mongo), redis: difference(snap().redis, idleFrom.redis) };

    for (let i = 0; i < WARMUP; i += 1) {
      await post(LISTING);
      await post(PAGE);
    }
    type Key = 'listing' | 'page';
    const lat: Record<Key, number[]> = { listing: [], page: [] };
    const cmds: Record<Key, { mongo: Map<string, number>; redis: Map<string, number>; waited: Map<string, number> }> = {
      listing: { mongo: new Map(), redis: new Map(), waited: new Map() },
      page: { mongo: new Map(), redis: new Map(), waited: new Map() },
    };
    const add = (into: Map<string, number>, d: Map<string, number>) => {
      for (const [k, v] of d) into.set(k, (into.get(k) ?? 0) + v);
    };
    const failures = new Map<string, number>();
    const loadBefore = load();
    console.error('  [warmed up]');
    for (let i = 0; i < ITERATIONS; i += 1) {
      if (i > 0 && i % 10 === 0) console.error(`  [${i} rounds]`);
      // Alternating, so both see the same machine load.
      for (const key of (i % 2 === 0 ? ['listing', 'page'] : ['page', 'listing']) as Key[]) {
        const before = snap();
        const t = performance.now();
        const { failed } = await ask(key === 'listing' ? LISTING : PAGE);
        lat[key].push(performance.now() - t);
        if (failed !== null) failures.set(`${key} ${failed}`, (failures.get(`${key} ${failed}`) ?? 0) + 1);
        // Work a query leaves behind after its answer (e.g. a cleanup write) is its own: wait until the relays have
        // been quiet for 60 ms (at most 2 s) before the next query's window opens.
        if (wires !== null) {
          let last = snap();
          for (let quiet = 0, until = Date.now() + 2_000; quiet < 3 && Date.now() < until; ) {
            await sleep(20);
            const now = snap();
            const same = [...now.mongo].every(([k, v]) => last.mongo.get(k) === v) && [...now.redis].every(([k, v]) => last.redis.get(k) === v) && now.mongo.size === last.mongo.size && now.redis.size === last.redis.size;
            quiet = same ? quiet + 1 : 0;
            last = now;
          }
        }
        const after = snap();
        add(cmds[key].mongo, difference(after.mongo, before.mongo));
        add(cmds[key].redis, difference(after.redis, before.redis));
        add(cmds[key].waited, difference(after.waited, before.waited));
      }
    }
    console.log(`  ${ITERATIONS} queries each, alternating, after ${WARMUP} warm-up rounds; load average ${loadBefore} before, ${load()} after`);
    const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    const breakdown = (m: Map<string, number>, waited?: Map<string, number>) =>
      [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / ITERATIONS).toFixed(2)}${waited?.has(k) ? ` (${(waited.get(k)! / ITERATIONS).toFixed(0)} ms)` : ''}`).join(', ');
    for (const key of ['listing', 'page'] as const) {
      const s = [...lat[key]].sort((a, b) => a - b);
      const label = key === 'listing' ? 'searchProducts (text+brands+inStock, PRICE_ASC, 24, facets)' : 'productPage(first: 24) with price                          ';
      const trips = wires === null ? '' : `  MongoDB ${(total(cmds[key].mongo) / ITERATIONS).toFixed(2)}  Redis ${(total(cmds[key].redis) / ITERATIONS).toFixed(2)} commands per query`;
      console.log(`  ${label}  p50 ${pct(s, 50).toFixed(2)} ms  p99 ${pct(s, 99).toFixed(2)} ms${trips}`);
      if (wires !== null) console.log(`      MongoDB (count per query, server wait per query summed): ${breakdown(cmds[key].mongo, cmds[key].waited) || '—'}\n      Redis: ${breakdown(cmds[key].redis) || '—'}`);
    }
    for (const [what, n] of failures) console.log(`  FAILED ${n}× ${what} (counted in the latencies)`);
    if (wires !== null) {
      const perSecond = (m: Map<string, number>) => [...m].map(([k, v]) => `${k} ${(v / IDLE_S).toFixed(1)}`).join(', ') || '—';
      console.log(`  idle background per second (counted above too, while a query runs): MongoDB ${perSecond(idle.mongo)}; Redis ${perSecond(idle.redis)}`);
    }
  } finally {
    await stack.close();
    if (kind === 'ferretdb') {
      const client = new MongoClient(MONGO_URL!);
      await client.connect();
      await client.db(`bench_listing_${id}`).dropDatabase().catch(() => undefined);
      await client.close();
      const redis = new Redis(REDIS_URL!);
      const keys = await redis.keys(`bench:listing:${id}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
    await wires?.mongo.close();
    await wires?.redis.close();
  }
}

// The stack's timers are unref'd (a server keeps its process alive); this keeps the bench alive while it works.
const keepAlive = setInterval(() => undefined, 1_000);
try {
  for (const kind of STORES) await measure(kind);
} finally {
  clearInterval(keepAlive);
}
