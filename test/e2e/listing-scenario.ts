/**
 * The listing scenario (issue 18 acceptance), run on the embedded stores (listing.e2e.test.ts) and on FerretDB +
 * Redis (listing-ferretdb.e2e.test.ts): the importer and the stock snapshot (the initial sync's production path) bring
 * two brands of all three sandboxes' catalogs and stock, the listing indexer hears it; a shopper's detail view of a page's offers is the only live
 * supplier call, and its cached answers price the listing; then text search + brand filter + in-stock filter + price
 * sort returns exactly the products the catalog and canonical stock say, from all three suppliers, priced in the
 * store currency as Product.price prices them, with facet counts.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/logger.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { queryTerms, docTerms } from '../../subgraphs/catalog/listing-terms.ts';
import { dec } from '../../subgraphs/pricing/money.ts';
import { postGraphql } from '../support/stack-env.ts';
import type { CatalogItem } from '../../kernel/model.ts';
import { catalogOf } from '../support/catalog-of.ts';
import { importCatalogs } from '../../subgraphs/catalog/import-catalog.ts';
import { snapshotStock } from '../../subgraphs/inventory/snapshot-stock.ts';

const SEARCH = `query($q: String, $f: ProductListingFilter, $s: ProductListingSort, $n: Int, $after: String) {
  searchProducts(query: $q, filter: $f, sort: $s, first: $n, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { cursor available inStock priceSupplier price { amount currency } product { sku title brand supplierSkus { supplier } price { amount currency supplier } } }
    facets { brands { value count } categories { value count } suppliers { value count } inStock outOfStock priceRanges { min max count } counted }
  }
}`;
const DETAIL = `query($q: String, $f: ProductListingFilter, $n: Int) { searchProducts(query: $q, filter: $f, first: $n) { nodes { product { sku offers { id cost { amount currency } } } } } }`;

export async function startListingStack(stores: 'embedded' | 'ferretdb'): Promise<Stack> {
  const id = randomBytes(4).toString('hex');
  if (stores === 'ferretdb') {
    expect(process.env.MONGO_URL, 'MONGO_URL (eval "$(bash scripts/test-services.sh env)")').toBeTruthy();
    expect(process.env.REDIS_URL, 'REDIS_URL').toBeTruthy();
  }
  const config = loadConfig({
    GATEWAY_PORT: '0',
    LOG_LEVEL: 'silent',
    MONGO_DB: `test_${id}`,
    KEY_PREFIX: `test:${id}:`,
    ...(stores === 'ferretdb' ? { MONGO_URL: process.env.MONGO_URL!, REDIS_URL: process.env.REDIS_URL! } : {}),
    STORE_CURRENCY: 'USD',
    PRICING_FX_RATES: JSON.stringify({ date: '2026-12-01', rates: { CAD: '0.7312' } }),
    PRICING_RULES: JSON.stringify([{ scope: 'default', markupPercent: '40', rounding: '0.99' }]),
    OFFER_CACHE_TTL_MS: '600000',
    // Nothing changes stock behind the test's back.
    BRIGHTLINE_POLL_INTERVAL_MS: '0',
    HARBORPROMO_POLL_INTERVAL_MS: '0',
    MAPLECART_POLL_INTERVAL_MS: '0',
    RECONCILE_INTERVAL_MS: '0',
  });
  // Not the whole seed (minutes on FerretDB): importCatalogs and snapshotStock below are the same production path on a subset.
  return startStack({ config, log: silentLogger(), subgraphPorts: 'random', seed: false });
}

/**
 * Imports two brands of each supplier's first catalog page through the importer and snapshots their stock through
 * the stack's stock updater: the path the initial sync takes, with its catalog.changed and stock.changed events.
 */
async function importTwoBrands(stack: Stack): Promise<void> {
  const log = silentLogger();
  const ctx = { signal: new AbortController().signal, log, requestId: 'listing-e2e', lane: 'sync' as const };
  const pages = await Promise.all([...stack.connectors.values()].map(async (c) => ({ connector: c, items: (await c.listCatalog(null, ctx)).items })));
  const brandsOf = (items: readonly CatalogItem[]) => new Set(items.map((i) => i.brand).filter((b): b is string => b !== null));
  const everywhere = [...brandsOf(pages[0]!.items)].filter((b) => pages.every((p) => brandsOf(p.items).has(b))).sort();
  expect(everywhere.length, 'two brands on every supplier\'s first page').toBeGreaterThanOrEqual(2);
  const chosen = new Set(everywhere.slice(0, 2));
  const connectors = pages.map(({ connector, items }) => catalogOf(connector, items.filter((i) => i.brand !== null && chosen.has(i.brand))));
  await importCatalogs({ connectors, catalog: stack.stores.catalog, log });
  await snapshotStock({ connectors, catalog: stack.stores.catalog, updater: stack.updater, log });
}

/** Polls until `check` passes (the indexer is eventually consistent: it follows events), up to `ms`. */
async function eventually<T>(run: () => Promise<T>, check: (v: T) => void, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await run();
    try {
      check(v);
      return v;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function listingScenario(stack: Stack): Promise<void> {
  await importTwoBrands(stack);
  const url = stack.gateway.graphqlUrl;
  const gql = async (query: string, variables: Record<string, unknown>) => {
    const { status, json } = await postGraphql(url, { query, variables });
    expect(status).toBe(200);
    expect(json.errors).toBeUndefined();
    return json.data;
  };
  // What the records say (read only): a brand and a title word whose in-stock products span all three suppliers.
  const products = (await stack.stores.catalog.list(500, null)).items;
  const rows = await stack.stores.stock.getBySkus(products.map((p) => p.sku));
  const inStock = new Set(products.filter((_, i) => rows[i]!.some((r) => r.available > 0)).map((p) => p.sku));
  let choice: { brand: string; word: string; skus: string[] } | null = null;
  for (const brand of [...new Set(products.map((p) => p.brand).filter((b): b is string => b !== null))].sort()) {
    for (const word of ['shirt', 'hoodie', 'tee', 'cap', 'mug', 'bottle']) {
      const matching = products.filter((p) => p.brand === brand && inStock.has(p.sku) && docTerms({ title: p.title, brand: p.brand, mpn: p.mpn, gtin: p.gtin, supplierSkus: p.suppliers.map((m) => m.supplierSku) }).terms.includes(queryTerms(word)[0]!));
      if (new Set(matching.flatMap((p) => p.suppliers.map((m) => m.supplier))).size === 3 && matching.length <= 24) choice = { brand, word, skus: matching.map((p) => p.sku).sort() };
      if (choice) break;
    }
    if (choice) break;
  }
  expect(choice, 'a brand and word whose in-stock products come from all three suppliers').not.toBeNull();
  const { brand, word, skus } = choice!;
  // A different case and a prefix of the word: the search normalises and matches prefixes.
  const variables = { q: word.slice(0, -1).toUpperCase(), f: { brands: [brand.toLowerCase()], inStock: true }, s: 'PRICE_ASC', n: 24 };

  // Imported and snapshotted: listed, in stock, not yet priced (no cost cached yet).
  const unpriced = await eventually(() => gql(SEARCH, variables), (d) => expect(d.searchProducts.nodes.map((n: any) => n.product.sku).sort()).toEqual(skus));
  expect(unpriced.searchProducts.totalCount).toBe(skus.length);

  // The product page's detail: the one live call per supplier; its cached answers re-price the listing.
  const detail = await gql(DETAIL, { q: variables.q, f: variables.f, n: 24 });
  expect(detail.searchProducts.nodes.flatMap((n: any) => n.product.offers).every((o: any) => o.cost !== null)).toBe(true);

  const page = await eventually(() => gql(SEARCH, variables), (d) => expect(d.searchProducts.nodes.every((n: any) => n.price !== null)).toBe(true));
  const listing = page.searchProducts;
  const nodes = listing.nodes as any[];
  expect(nodes.map((n) => n.product.sku).sort()).toEqual(skus);
  expect(listing.totalCount).toBe(skus.length);
  expect(listing.pageInfo.hasNextPage).toBe(false);
  expect(new Set(nodes.flatMap((n) => n.product.supplierSkus.map((m: any) => m.supplier)))).toEqual(new Set(['brightline', 'harborpromo', 'maplecart']));
  for (const n of nodes) {
    expect(n.inStock).toBe(true);
    expect(n.product.brand).toBe(brand);
    // In the store currency, and the same price the product itself shows (one pricing engine, one cache).
    expect(n.price.currency).toBe('USD');
    expect(n.price).toEqual({ amount: n.product.price.amount, currency: n.product.price.currency });
    expect(n.priceSupplier).toBe(n.product.price.supplier);
  }
  // A CAD-costed supplier's price went through the configured rate: some offer of the page was Maplecart's in CAD.
  expect(detail.searchProducts.nodes.flatMap((n: any) => n.product.offers).some((o: any) => o.cost.currency === 'CAD')).toBe(true);
  const amounts = nodes.map((n) => dec(n.price.amount));
  for (let i = 1; i < amounts.length; i += 1) expect(amounts[i]!.gte(amounts[i - 1]!)).toBe(true);

  // Facets: counts over the matches.
  const carriers = (slug: string) => products.filter((p) => skus.includes(p.sku) && p.suppliers.some((m) => m.supplier === slug)).length;
  expect(listing.facets.brands).toEqual([{ value: brand, count: skus.length }]);
  expect(listing.facets.inStock).toBe(skus.length);
  expect(listing.facets.outOfStock).toBe(0);
  expect(listing.facets.counted).toBe(skus.length);
  expect(listing.facets.suppliers.sort((a: any, b: any) => (a.value < b.value ? -1 : 1))).toEqual(['brightline', 'harborpromo', 'maplecart'].map((value) => ({ value, count: carriers(value) })));
  expect(listing.facets.priceRanges.reduce((sum: number, r: any) => sum + r.count, 0)).toBe(skus.length);

  // Cursor pagination over the same query: pages of 2 give the same order, nothing skipped or repeated.
  const walked: string[] = [];
  let after: string | null = null;
  do {
    const d: any = await gql(SEARCH, { ...variables, n: 2, after });
    walked.push(...d.searchProducts.nodes.map((n: any) => n.product.sku));
    after = d.searchProducts.pageInfo.hasNextPage ? d.searchProducts.pageInfo.endCursor : null;
  } while (after !== null);
  expect(walked).toEqual(nodes.map((n) => n.product.sku));
}
