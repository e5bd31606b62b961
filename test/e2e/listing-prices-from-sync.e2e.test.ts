/**
 * Regression: listings showed `price: null` for every product nobody had viewed, and a product's first query had no
 * price, because only a supplier subgraph's live offer load put a cost in the offer cache; the initial sync, polls and
 * snapshots read the same answers, costs included, and dropped the costs. Now the sync keeps each answer as the
 * offer's last known value and announces it (offers.cached), so the listing prices what the sync read.
 *
 * Through the gateway with a storefront token (AUTH_MODE=required), nothing written behind the stack's back:
 * - embedded stores, `npm start`'s path: the stack's own initial sync of the three bundled sandboxes, the demo CAD
 *   rate (PRICING_FX_RATES unset); the README's product query is priced on its first answer; every product of the
 *   listing is priced without a live supplier call; a price change at the supplier (its sandbox's own endpoint) is
 *   in the listing after the next poll;
 * - FerretDB + Redis (MONGO_URL / REDIS_URL): the initial sync over a part of each catalog (the whole seed takes
 *   over a minute there), the listing priced from all three suppliers.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogOf } from '../support/catalog-of.ts';
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/logger.ts';
import { startInitialSync } from '../../stack/initial-sync.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { createTokenService } from '../../subgraphs/access/token-service.ts';
import { dec } from '../../subgraphs/pricing/money.ts';
import { AUDIENCE, ISSUER, SIGNING_SECRET, newSigningKey, startJwksServer, type JwksServer } from '../security/support.ts';

const SUPPLIERS = ['brightline', 'harborpromo', 'maplecart'];
/** The README's product query, with the price a shopper pays. */
const README_PRODUCT = `query($sku: ID!) { product(sku: $sku) {
  sku title stock { available }
  offers { __typename supplier { name } available cost { amount currency } leadTimeDays }
  price { amount currency supplier landedCost { fxRateDate } }
} }`;
const README_SKU = 'DS-00071110103905';
const LISTING = `query($n: Int, $after: String) { searchProducts(first: $n, after: $after, sort: PRICE_ASC) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { price { amount currency } priceSupplier product { sku supplierSkus { supplier supplierSku } } }
} }`;
const PRODUCT_PRICE = `query($sku: ID!) { product(sku: $sku) { price { amount currency supplier } } }`;

interface Shop {
  readonly stack: Stack;
  readonly jwks: JwksServer;
  /** Supplier SKUs the supplier subgraphs asked their suppliers for live (offer loads), by supplier. */
  readonly liveCalls: Map<string, string[]>;
  query(query: string, variables?: Record<string, unknown>): Promise<any>;
  close(): Promise<void>;
}

async function startShop(stores: 'embedded' | 'ferretdb', seed: boolean): Promise<Shop> {
  const id = randomBytes(4).toString('hex');
  if (stores === 'ferretdb') {
    expect(process.env.MONGO_URL, 'MONGO_URL (eval "$(bash scripts/test-services.sh env)")').toBeTruthy();
    expect(process.env.REDIS_URL, 'REDIS_URL').toBeTruthy();
  }
  const key = await newSigningKey('key-1');
  const jwks = await startJwksServer([key]);
  const liveCalls = new Map<string, string[]>();
  let stack: Stack;
  try {
    stack = await startStack({
      config: loadConfig({
        GATEWAY_PORT: '0',
        LOG_LEVEL: 'silent',
        MONGO_DB: `test_${id}`,
        KEY_PREFIX: `test:${id}:`,
        ...(stores === 'ferretdb' ? { MONGO_URL: process.env.MONGO_URL!, REDIS_URL: process.env.REDIS_URL! } : {}),
        AUTH_MODE: 'required',
        JWKS_URL: jwks.url,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
        GATEWAY_SIGNING_SECRET: SIGNING_SECRET,
        // PRICING_FX_RATES unset: the bundled sandboxes' demo rate converts maplecart's CAD (platform/pricing-settings.ts).
        // Lowest landed cost picks among the suppliers, so each of the three is some product's price.
        ORDER_ROUTING_POLICY: JSON.stringify({ strategy: 'lowest_cost' }),
        // Polls run when the test says (pollNow is the pass the timer runs); no reconciliation behind its back.
        BRIGHTLINE_POLL_INTERVAL_MS: '0',
        HARBORPROMO_POLL_INTERVAL_MS: '0',
        MAPLECART_POLL_INTERVAL_MS: '0',
        RECONCILE_INTERVAL_MS: '0',
      }),
      log: silentLogger(),
      subgraphPorts: 'random',
      seed,
      onSupplierCall: (supplier, skus) => liveCalls.set(supplier, [...(liveCalls.get(supplier) ?? []), ...skus]),
    });
  } catch (error) {
    await jwks.close();
    throw error;
  }
  const tokens = createTokenService({ tokens: stack.stores.tokens, knownSuppliers: SUPPLIERS });
  const { token } = await tokens.issue({ tenant: 'shop', tokenClass: 'storefront', scopes: null, suppliers: null, expiresInDays: null }, { actor: 'cli:test', subject: 'test' });
  return {
    stack,
    jwks,
    liveCalls,
    async query(query, variables = {}) {
      const response = await fetch(stack.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
      expect(response.status).toBe(200);
      const json = (await response.json()) as any;
      expect(json.errors).toBeUndefined();
      return json.data;
    },
    async close() {
      await stack.close();
      await jwks.close();
    },
  };
}

/** Every node of the listing, page by page (100 a page). */
async function wholeListing(shop: Shop): Promise<{ totalCount: number; nodes: any[] }> {
  const nodes: any[] = [];
  let after: string | null = null;
  let totalCount = 0;
  do {
    const page: any = (await shop.query(LISTING, { n: 100, after })).searchProducts;
    totalCount = page.totalCount;
    nodes.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after !== null);
  return { totalCount, nodes };
}

/** Polls until `check` passes (the indexer follows events), up to `ms`. */
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

/** Every product listed and priced, in USD, with prices from each of the three suppliers' costs. */
async function expectWholeListingPriced(shop: Shop): Promise<any[]> {
  const products = await shop.stack.stores.catalog.count();
  const { nodes } = await eventually(
    () => wholeListing(shop),
    (l) => {
      expect(l.totalCount).toBe(products);
      expect(l.nodes.filter((n) => n.price === null).map((n) => n.product.sku)).toEqual([]);
    },
  );
  for (const n of nodes) expect(n.price.currency).toBe('USD');
  expect(new Set(nodes.map((n) => n.priceSupplier))).toEqual(new Set(SUPPLIERS));
  return nodes;
}

describe('listing prices from the sync, embedded stores, npm start path (e2e)', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop('embedded', true);
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  }, 30_000);

  it('after the initial sync, the README product query is priced on its first answer, and the whole listing is priced without a live supplier call', { timeout: 90_000 }, async () => {
    expect(shop.stack.initialSync.pending()).toEqual([]);
    expect([...shop.liveCalls.values()].flat(), 'no product was viewed before').toEqual([]);
    const first = (await shop.query(README_PRODUCT, { sku: README_SKU })).product;
    expect(first.sku).toBe(README_SKU);
    expect(first.price, 'the first answer has a price').not.toBeNull();
    expect(first.price.currency).toBe('USD');
    shop.liveCalls.clear();
    const nodes = await expectWholeListingPriced(shop);
    expect([...shop.liveCalls.values()].flat(), 'a listing is never a live supplier call').toEqual([]);
    // Maplecart quotes CAD: its prices went through the demo rate, dated.
    const maple = nodes.find((n) => n.priceSupplier === 'maplecart')!;
    const price = (await shop.query(`query($sku: ID!) { product(sku: $sku) { price { supplier landedCost { fxRateDate unitCost { currency } } } } }`, { sku: maple.product.sku })).product.price;
    expect(price).toMatchObject({ supplier: 'maplecart', landedCost: { fxRateDate: '2026-12-01', unitCost: { currency: 'CAD' } } });
  });

  it('a price change at the supplier is in the listing after the next poll (the poll records the new cost)', { timeout: 60_000 }, async () => {
    const { nodes } = await wholeListing(shop);
    // A product priced from Brightline's offer that nobody viewed (no fresh offer entry stands in the way).
    const target = nodes.find((n) => n.priceSupplier === 'brightline' && n.product.sku !== README_SKU)!;
    expect(target, 'a product priced from brightline').toBeDefined();
    const supplierSku = target.product.supplierSkus.find((m: any) => m.supplier === 'brightline').supplierSku;
    const before = dec(target.price.amount);
    // The supplier raises its list price (its sandbox's own price-change endpoint; no webhook for prices).
    const sandbox = shop.stack.sandboxes.get('brightline')!;
    const changed = await fetch(`${sandbox.url}/__sandbox/price`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sku: supplierSku, unitPrice: '987.6500' }) });
    expect(changed.status).toBe(204);
    shop.liveCalls.clear();
    // Not yet polled: the listing still shows the old price.
    expect(dec((await wholeListing(shop)).nodes.find((n) => n.product.sku === target.product.sku).price.amount).eq(before)).toBe(true);
    const summary = await shop.stack.sync.poller.pollNow('brightline');
    expect(summary.error).toBeNull();
    const after = await eventually(
      () => wholeListing(shop),
      (l) => expect(dec(l.nodes.find((n) => n.product.sku === target.product.sku).price.amount).gt(before)).toBe(true),
    );
    const node = after.nodes.find((n) => n.product.sku === target.product.sku);
    // Lowest landed cost may now pick another supplier; whichever it is, the listing and the product agree.
    const product = (await shop.query(PRODUCT_PRICE, { sku: target.product.sku })).product;
    expect({ amount: node.price.amount, currency: node.price.currency, supplier: node.priceSupplier }).toEqual(product.price);
    expect([...shop.liveCalls.values()].flat(), 'the new cost came from the poll, not a live offer load').toEqual([]);
  });
});

describe('listing prices from the sync, FerretDB + Redis (e2e)', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop('ferretdb', false);
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  }, 30_000);

  it('the initial sync (part of each catalog) prices the listing from all three suppliers, in the store currency', { timeout: 120_000 }, async () => {
    const { stack } = shop;
    const log = silentLogger();
    const ctx = { signal: new AbortController().signal, log, requestId: 'listing-prices-e2e', lane: 'sync' as const };
    // Each supplier's first catalog page, cut to 15 items: the same initial sync, on a catalog FerretDB loads in seconds.
    const connectors = new Map(await Promise.all([...stack.connectors].map(async ([slug, c]) => [slug, catalogOf(c, (await c.listCatalog(null, ctx)).items.slice(0, 15))] as const)));
    const sync = await startInitialSync({ connectors, catalog: stack.stores.catalog, updater: stack.updater, offers: stack.sync.offers, log });
    try {
      expect(sync.pending()).toEqual([]);
      await expectWholeListingPriced(shop);
      expect([...shop.liveCalls.values()].flat(), 'a listing is never a live supplier call').toEqual([]);
    } finally {
      await sync.close();
    }
  });
});
