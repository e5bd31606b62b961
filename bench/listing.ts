/**
 * bench:listing — a storefront listing page against `productPage`, in the same run (issue 18; docs/benchmarks.md
 * "Listing"). Both run through the catalog subgraph's own schema (graphql `execute`, the resolvers and DataLoaders
 * the server runs; the gateway in front adds the same for both):
 *   listing:     searchProducts(query: "shirt", filter: { brands: ["Gildan"], inStock: true }, sort: PRICE_ASC, first: 24)
 *                with price, availability, product { sku title brand supplierSkus } and every facet
 *   productPage: productPage(first: 24) with the same product fields and totalCount
 * On the embedded stores and on a MongoDB-protocol server (MONGO_URL, FerretDB on the test server; a fresh database,
 * dropped after). Reports latency p50/p99 and round trips per query: store port calls on both, and MongoDB commands
 * counted by the driver's command monitoring on FerretDB. The catalog (PRODUCTS, 8 brands, 1–3 suppliers each) is
 * written through the stores, and the listing by the production indexer; its prices come from a fixed function here
 * (the price service needs a warm offer cache, which costs nothing in the listing read).
 *
 *   npm run bench:listing [-- --products 2000 --iterations 300]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { execute, parse, type DocumentNode } from 'graphql';
import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { createMemoryCatalogStore } from '../adapters/storage/memory/catalog-store.ts';
import { createMemoryListingStore } from '../adapters/storage/memory/listing-store.ts';
import { createMemoryStockStore } from '../adapters/storage/memory/stock-store.ts';
import { createMongoCatalogStore } from '../adapters/storage/mongo/catalog-store.ts';
import { createMongoListingStore } from '../adapters/storage/mongo/listing-store.ts';
import { createMongoStockStore } from '../adapters/storage/mongo/stock-store.ts';
import { startBudget } from '../platform/http/request-budget.ts';
import { silentLogger } from '../platform/logger.ts';
import type { CatalogStore } from '../platform/ports/catalog-store.ts';
import type { ListingStore } from '../platform/ports/listing-store.ts';
import type { StockStore } from '../platform/ports/stock-store.ts';
import { createCatalogSubgraph } from '../subgraphs/catalog/index.ts';
import { createListingIndexer } from '../subgraphs/catalog/listing-indexer.ts';
import type { SubgraphContext } from '../subgraphs/context.ts';

const { values: args } = parseArgs({ options: { products: { type: 'string', default: '2000' }, iterations: { type: 'string', default: '300' } } });
const PRODUCTS = Number(args.products);
const ITERATIONS = Number(args.iterations);
const BRANDS = ['Gildan', 'Hanes', 'Bella+Canvas', 'Port Authority', 'Stanley/Stella', 'Hydro Flask', 'Moleskine', 'BIC'];
const KINDS = ['T-Shirt', 'Hoodie', 'Polo Shirt', 'Cap', 'Tote', 'Bottle'];
const COLORS = ['Black', 'White', 'Navy', 'Red', 'Sand', 'Royal Blue'];
const SUPPLIERS = ['brightline', 'harborpromo', 'maplecart'];

const PRODUCT_FIELDS = 'sku title brand supplierSkus { supplier supplierSku }';
const LISTING = parse(`{ searchProducts(query: "shirt", filter: { brands: ["Gildan"], inStock: true }, sort: PRICE_ASC, first: 24) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { cursor available inStock price { amount currency } product { ${PRODUCT_FIELDS} } }
  facets { brands { value count } categories { value count } suppliers { value count } inStock outOfStock priceRanges { min max count } counted } } }`);
const PAGE = parse(`{ productPage(first: 24) { totalCount pageInfo { hasNextPage endCursor } nodes { ${PRODUCT_FIELDS} } } }`);

/** Counts calls of every method of a store (round trips at the port). */
function counted<T extends object>(store: T, tally: { n: number }): T {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...a: unknown[]) => {
        tally.n += 1;
        return (v as (...x: unknown[]) => unknown).apply(target, a);
      };
    },
  });
}

async function populate(catalog: CatalogStore, stock: StockStore, listing: ListingStore): Promise<void> {
  const asOf = new Date().toISOString();
  for (let i = 0; i < PRODUCTS; i += 1) {
    const brand = BRANDS[i % BRANDS.length]!;
    const kind = KINDS[Math.floor(i / BRANDS.length) % KINDS.length]!;
    const sku = `P${String(i).padStart(6, '0')}`;
    const carriers = SUPPLIERS.slice(0, 1 + (i % 3));
    await catalog.insert({
      sku, title: `${brand} ${kind} — ${COLORS[i % COLORS.length]}, ${['S', 'M', 'L', 'XL'][i % 4]}`, brand, gtin: String(10_000_000_000_000 + i).padStart(14, '0'), manufacturer: brand,
      mpn: `${brand.slice(0, 3).toUpperCase()}-${i}`, description: null, suppliers: carriers.map((s) => ({ supplier: s, supplierSku: `${s.slice(0, 2).toUpperCase()}-${i}` })), categories: [kind.includes('Shirt') ? 'Shirts' : 'Accessories'],
    });
    for (const s of carriers) await stock.applyReport({ sku, supplier: s, supplierSku: `${s.slice(0, 2).toUpperCase()}-${i}`, onHand: i % 5 === 0 ? 0 : 3 + (i % 40), supplierAsOf: asOf }, 0);
  }
  const indexer = createListingIndexer({
    catalog, stock, listing, log: silentLogger(),
    prices: async (skus) => skus.map((sku) => ({ amount: { amount: (5 + (Number(sku.slice(1)) % 97) + 0.99).toFixed(2), currency: 'USD' }, supplier: 'brightline' })),
  });
  indexer.refreshAll();
  await indexer.settled();
  await indexer.close();
}

const pct = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function measure(name: string, stores: { catalog: CatalogStore; listing: ListingStore }, commands: CommandStartedEvent[] | null): Promise<void> {
  const portCalls = { n: 0 };
  const subgraph = createCatalogSubgraph(counted(stores.catalog, portCalls), { store: counted(stores.listing, portCalls), storeCurrency: 'USD' });
  const run = async (doc: DocumentNode) => {
    const base: SubgraphContext = { requestId: 'bench', log: silentLogger(), tenant: 'bench', auth: { kind: 'dev', subject: 'bench', tenant: 'bench', scopes: ['catalog:read'] }, budget: startBudget(10_000), reserveMs: 300 };
    const result = await execute({ schema: subgraph.schema, document: doc, contextValue: subgraph.extendContext(base) });
    if (result.errors) throw new Error(result.errors.map((e) => e.message).join('; '));
    return result.data;
  };
  const first = (await run(LISTING)) as { searchProducts: { totalCount: number; nodes: unknown[] } };
  for (let i = 0; i < 20; i += 1) await Promise.all([run(LISTING), run(PAGE)]);
  const lat = { listing: [] as number[], page: [] as number[] };
  const calls = { listing: 0, page: 0 };
  const mongo = { listing: 0, page: 0 };
  for (let i = 0; i < ITERATIONS; i += 1) {
    // Alternating, so both see the same machine load.
    for (const [key, doc] of (i % 2 === 0 ? [['listing', LISTING], ['page', PAGE]] : [['page', PAGE], ['listing', LISTING]]) as [keyof typeof lat, DocumentNode][]) {
      const before = portCalls.n;
      const cmdBefore = commands?.length ?? 0;
      const t = performance.now();
      await run(doc);
      lat[key].push(performance.now() - t);
      calls[key] += portCalls.n - before;
      mongo[key] += (commands?.length ?? 0) - cmdBefore;
    }
  }
  console.log(`${name}: ${PRODUCTS} products; listing matches ${first.searchProducts.totalCount}, page of ${first.searchProducts.nodes.length}; ${ITERATIONS} queries each, alternating`);
  for (const key of ['listing', 'page'] as const) {
    const s = [...lat[key]].sort((a, b) => a - b);
    const label = key === 'listing' ? 'searchProducts (text+brand+inStock, PRICE_ASC, 24, facets)' : 'productPage(first: 24)                                   ';
    const trips = commands === null ? '' : `, MongoDB commands ${(mongo[key] / ITERATIONS).toFixed(1)}`;
    console.log(`  ${label}  p50 ${pct(s, 50).toFixed(2)} ms  p99 ${pct(s, 99).toFixed(2)} ms  store port calls ${(calls[key] / ITERATIONS).toFixed(1)}${trips} per query`);
  }
}

async function main(): Promise<void> {
  {
    const catalog = createMemoryCatalogStore();
    const stock = createMemoryStockStore();
    const listing = createMemoryListingStore();
    await populate(catalog, stock, listing);
    await measure('embedded', { catalog, listing }, null);
  }
  const url = process.env.MONGO_URL;
  if (!url) {
    console.log('MongoDB: MONGO_URL not set, skipped (eval "$(bash scripts/test-services.sh env)")');
    return;
  }
  const client = new MongoClient(url, { monitorCommands: true });
  await client.connect();
  const db = client.db(`bench_listing_${randomBytes(4).toString('hex')}`);
  try {
    const catalog = createMongoCatalogStore({ db });
    await catalog.ensureIndexes();
    const stock = createMongoStockStore({ db, log: silentLogger() });
    await stock.ensureIndexes();
    const listing = createMongoListingStore({ db });
    await listing.ensureIndexes();
    await populate(catalog, stock, listing);
    const commands: CommandStartedEvent[] = [];
    client.on('commandStarted', (e) => {
      if (e.databaseName === db.databaseName) commands.push(e);
    });
    await measure('MongoDB protocol (FerretDB at MONGO_URL)', { catalog, listing }, commands);
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
}

// The indexer's timers are unref'd (a server keeps its process alive); this keeps the bench alive while it works.
const keepAlive = setInterval(() => undefined, 1_000);
try {
  await main();
} finally {
  clearInterval(keepAlive);
}
