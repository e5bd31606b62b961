/**
 * Regressions of the listing's costs (docs/storefront.md "Prices"), through the gateway with a storefront token:
 * - a cost change seen by a webhook read-back never reached the listing: only polls recorded the supplier's answers
 *   as last known offers. Now maplecart's inventory webhook, read back, re-prices the listing with no poll and no
 *   live offer load;
 * - a poll answer landing after a product page's live answer overwrote it (both wrote the last known value blindly).
 *   Now entries are ordered by when the supplier was asked: the poll asked first (its answer made then, slowed on the
 *   wire at the sandbox), the page asked later, and the page's value remains.
 *
 * Embedded stores, and FerretDB + Redis (MONGO_URL / REDIS_URL: the Redis script of Cache.setManyIfNewer). Each
 * stack imports the first 15 catalog items of each supplier (the stack's initial sync over a part of each catalog).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogOf } from '../support/catalog-of.ts';
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/logger.ts';
import { startInitialSync } from '../../stack/initial-sync.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { createTokenService } from '../../subgraphs/access/token-service.ts';
import { lastKnownOfferKey } from '../../subgraphs/offer-cache-key.ts';
import { dec } from '../../subgraphs/pricing/money.ts';
import { AUDIENCE, ISSUER, SIGNING_SECRET, newSigningKey, startJwksServer, type JwksServer } from '../security/support.ts';

const SUPPLIERS = ['brightline', 'harborpromo', 'maplecart'];
const LISTING = `query { searchProducts(first: 100, sort: PRICE_ASC) {
  nodes { price { amount currency } priceSupplier product { sku supplierSkus { supplier supplierSku } } }
} }`;
const PRODUCT = `query($sku: ID!) { product(sku: $sku) {
  offers { supplier { name } cost { amount currency } }
  price { amount currency supplier }
} }`;

interface Shop {
  readonly stack: Stack;
  readonly liveCalls: Map<string, string[]>;
  query(query: string, variables?: Record<string, unknown>): Promise<any>;
  close(): Promise<void>;
}

async function startShop(stores: 'embedded' | 'ferretdb'): Promise<Shop> {
  const id = randomBytes(4).toString('hex');
  if (stores === 'ferretdb') {
    expect(process.env.MONGO_URL, 'MONGO_URL (eval "$(bash scripts/test-services.sh env)")').toBeTruthy();
    expect(process.env.REDIS_URL, 'REDIS_URL').toBeTruthy();
  }
  const jwks: JwksServer = await startJwksServer([await newSigningKey('key-1')]);
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
        ORDER_ROUTING_POLICY: JSON.stringify({ strategy: 'lowest_cost' }),
        // Polls run when the test says; no reconciliation behind its back.
        BRIGHTLINE_POLL_INTERVAL_MS: '0',
        HARBORPROMO_POLL_INTERVAL_MS: '0',
        MAPLECART_POLL_INTERVAL_MS: '0',
        RECONCILE_INTERVAL_MS: '0',
        // A poll answer 6 s on the wire is slow, not lost: no timeout and retry (which would ask again, later).
        SUPPLIER_TIMEOUT_MS: '15000',
      }),
      log: silentLogger(),
      subgraphPorts: 'random',
      seed: false,
      onSupplierCall: (supplier, skus) => liveCalls.set(supplier, [...(liveCalls.get(supplier) ?? []), ...skus]),
    });
  } catch (error) {
    await jwks.close();
    throw error;
  }
  // The stack's initial sync, over each supplier's first 15 catalog items (the whole seed takes a minute on FerretDB).
  const log = silentLogger();
  const ctx = { signal: new AbortController().signal, log, requestId: 'last-known-offers-e2e', lane: 'sync' as const };
  const connectors = new Map(await Promise.all([...stack.connectors].map(async ([slug, c]) => [slug, catalogOf(c, (await c.listCatalog(null, ctx)).items.slice(0, 15))] as const)));
  const sync = await startInitialSync({ connectors, catalog: stack.stores.catalog, updater: stack.updater, offers: stack.sync.offers, log });
  expect(sync.pending()).toEqual([]);
  await sync.close();
  const tokens = createTokenService({ tokens: stack.stores.tokens, knownSuppliers: SUPPLIERS });
  const { token } = await tokens.issue({ tenant: 'shop', tokenClass: 'storefront', scopes: null, suppliers: null, expiresInDays: null }, { actor: 'cli:test', subject: 'test' });
  return {
    stack,
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

/** Polls until `check` passes (the listing indexer follows events), up to `ms`. */
async function eventually<T>(run: () => Promise<T>, check: (v: T) => void, ms = 20_000): Promise<T> {
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const post = async (url: string, body: unknown): Promise<void> => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status, await response.text()).toBe(204);
};
const listing = async (shop: Shop): Promise<any[]> => (await shop.query(LISTING)).searchProducts.nodes;
const nodeOf = (nodes: readonly any[], sku: string) => nodes.find((n) => n.product.sku === sku);
const supplierSkuOf = (node: any, supplier: string): string => node.product.supplierSkus.find((m: any) => m.supplier === supplier).supplierSku;
/** The cost of a last known offer, as cached (what listings price from). */
const lastKnownCost = async (shop: Shop, supplier: string, supplierSku: string): Promise<string | null> => {
  const [raw] = await shop.stack.stores.cache.getMany([lastKnownOfferKey(supplier, supplierSku)]);
  return raw ? (JSON.parse(raw).stock?.cost?.amount ?? null) : null;
};

function lastKnownOfferSuite(stores: 'embedded' | 'ferretdb'): void {
  describe(`last known offers, ${stores === 'embedded' ? 'embedded stores' : 'FerretDB + Redis'} (e2e)`, () => {
    let shop: Shop;
    beforeAll(async () => {
      shop = await startShop(stores);
    }, 120_000);
    afterAll(async () => {
      await shop?.close();
    }, 30_000);

    it('a cost change seen by a webhook read-back re-prices the listing: no poll, no live offer load', { timeout: 60_000 }, async () => {
      const nodes = await eventually(() => listing(shop), (l) => expect(l.some((n) => n.priceSupplier === 'maplecart')).toBe(true));
      const target = nodes.find((n) => n.priceSupplier === 'maplecart');
      const supplierSku = supplierSkuOf(target, 'maplecart');
      const before = dec(target.price.amount);
      const sandbox = shop.stack.sandboxes.get('maplecart')!;
      const costBefore = dec((await lastKnownCost(shop, 'maplecart', supplierSku))!);
      const lowered = Math.max(1, Math.round(Number(costBefore.toString()) * 50)); // half the cost, in cents
      shop.liveCalls.clear();
      // The supplier's cost moves silently: the listing cannot know yet.
      await post(`${sandbox.url}/__sandbox/cost`, { sku: supplierSku, unitCostCents: lowered });
      await sleep(300);
      expect(dec(nodeOf(await listing(shop), target.product.sku).price.amount).eq(before)).toBe(true);
      // Then its stock moves: maplecart sends inventory_levels/update, the ingest reads the item back (cost included).
      await post(`${sandbox.url}/__sandbox/stock`, { sku: supplierSku, available: (sandbox.stockOf(supplierSku) ?? 0) + 5 });
      const after = await eventually(() => listing(shop), (l) => expect(dec(nodeOf(l, target.product.sku).price.amount).lt(before)).toBe(true));
      expect(nodeOf(after, target.product.sku).priceSupplier).toBe('maplecart');
      expect(await lastKnownCost(shop, 'maplecart', supplierSku)).toBe((lowered / 100).toFixed(2));
      expect([...shop.liveCalls.values()].flat(), 'the cost came from the read-back, not a live offer load').toEqual([]);
    });

    it('a live product-page answer asked for after a poll asked, landing first, is the value that remains', { timeout: 60_000 }, async () => {
      const nodes = await listing(shop);
      const target = nodes.find((n) => n.priceSupplier === 'brightline');
      expect(target, 'a product priced from brightline').toBeDefined();
      const supplierSku = supplierSkuOf(target, 'brightline');
      const polledCost = await lastKnownCost(shop, 'brightline', supplierSku);
      expect(polledCost).not.toBeNull();
      const sandbox = shop.stack.sandboxes.get('brightline')!;
      const asked = sandbox.stats().byOperation['availability'] ?? 0;
      // The poll asks first; brightline makes its answer at once (the old price) and it is 6 s on the wire.
      sandbox.setFaults({ answerDelayMs: 6_000 });
      const poll = shop.stack.sync.poller.pollNow('brightline');
      let landed = false;
      void poll.finally(() => (landed = true));
      try {
        await eventually(async () => sandbox.stats().byOperation['availability'] ?? 0, (n) => expect(n).toBeGreaterThan(asked), 15_000);
      } finally {
        sandbox.setFaults({ answerDelayMs: 0 });
      }
      // Meanwhile the price drops and a shopper opens the product: a live answer, asked for after the poll asked.
      await post(`${sandbox.url}/__sandbox/price`, { sku: supplierSku, unitPrice: '0.0100' });
      const page = (await shop.query(PRODUCT, { sku: target.product.sku })).product;
      expect(shop.liveCalls.get('brightline'), 'the page asked brightline live').toContain(supplierSku);
      expect(page.offers.find((o: any) => o.supplier.name.toLowerCase().includes('brightline'))?.cost.amount).toMatch(/^0\.01/);
      expect(await lastKnownCost(shop, 'brightline', supplierSku)).toBe('0.01');
      expect(landed, 'the poll\'s answer is still on the wire: it lands after the live one').toBe(false);
      // The poll's answer, made before the price moved, lands now and goes through the stock path and the recorder.
      const summary = await poll;
      expect(summary.error).toBeNull();
      expect(summary.requested).toBeGreaterThan(0);
      expect(summary.ms).toBeGreaterThanOrEqual(5_900);
      expect(sandbox.stats().byOperation['availability'], 'one poll request (no retry) and one page request').toBe(asked + 2);
      // The live answer remains: the poll's older figures did not replace it.
      expect(await lastKnownCost(shop, 'brightline', supplierSku)).toBe('0.01');
      await sleep(1_000); // any re-pricing the poll announced has been indexed
      const node = nodeOf(await listing(shop), target.product.sku);
      // The listing and the product agree, both on the live answer's cost (below the polled one).
      const price = (await shop.query(PRODUCT, { sku: target.product.sku })).product.price;
      expect({ amount: node.price.amount, currency: node.price.currency, supplier: node.priceSupplier }).toEqual(price);
      expect(price.supplier).toBe('brightline');
      expect(dec(price.amount).lt(dec(target.price.amount))).toBe(true);
    });
  });
}

lastKnownOfferSuite('embedded');
lastKnownOfferSuite('ferretdb');
