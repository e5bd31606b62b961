/**
 * The spine, end to end: one gateway over catalog, inventory, orders and three supplier subgraphs, each supplier a
 * real sandbox over real HTTP (REST), SOAP/XML and GraphQL. Runs on MongoDB and Redis when MONGO_URL / REDIS_URL
 * are set (CI), else on the embedded stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNIVERSE, CARRIES } from '../../sandboxes/shared/product-universe.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { SUPPLIERS } from '../../platform/supplier-registry.ts';
import { lastKnownOfferKey, offerCacheKey } from '../../subgraphs/offer-cache-key.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';

const OFFER_SELECTION = `sku title stock { available } offers { __typename supplier { name } available cost { amount currency } leadTimeDays }`;

const carriedByAll = UNIVERSE.filter((p) => CARRIES.rest(p) && CARRIES.soap(p) && CARRIES.graphql(p));
const canonicalSku = (gtin14: string) => `DS-${gtin14}`;

describe('federated dropship graph (e2e)', () => {
  let stack: Stack;
  let url: string;
  const calls: { supplier: string; skus: readonly string[] }[] = [];

  beforeAll(async () => {
    stack = await startStack({
      config: testConfig({ OFFER_CACHE_TTL_MS: '60000' }),
      log: (await import('../../platform/logger.ts')).silentLogger(),
      subgraphPorts: 'random',
      onSupplierCall: (supplier, skus) => calls.push({ supplier, skus }),
    });
    url = stack.gateway.graphqlUrl;
  }, 300_000);

  afterAll(async () => {
    if (!stack) return;
    await Promise.all([stack.stores.catalog.clear(), stack.stores.stock.clear(), stack.stores.orders.clear()]);
    await stack.close();
  });

  it('imported one canonical product per real-world item, matched across suppliers on GTIN', async () => {
    expect(await stack.stores.catalog.count()).toBe(UNIVERSE.length);
    const [product] = await stack.stores.catalog.getBySkus([canonicalSku(carriedByAll[0]!.gtin14)]);
    expect(product?.suppliers.map((s) => s.supplier).sort()).toEqual(['brightline', 'harborpromo', 'maplecart']);
  });

  it('answers one product with catalog, inventory and all three suppliers through one gateway', async () => {
    const sku = canonicalSku(carriedByAll[1]!.gtin14);
    const { status, json } = await postGraphql(url, { query: `query($sku: ID!) { product(sku: $sku) { ${OFFER_SELECTION} } }`, variables: { sku } });
    expect(status).toBe(200);
    expect(json.errors).toBeUndefined();
    const product = json.data.product;
    expect(product.sku).toBe(sku);
    expect(product.title).toBeTruthy();
    expect(product.stock.available).toBeGreaterThanOrEqual(0);
    expect(product.offers.map((o: any) => o.__typename).sort()).toEqual(['BrightlineOffer', 'HarborpromoOffer', 'MaplecartOffer']);
    for (const offer of product.offers) {
      const supplier = SUPPLIERS.find((s) => s.offerType === offer.__typename)!;
      expect(offer.supplier.name).toBe(supplier.slug);
      const sandbox = stack.sandboxes.get(supplier.slug)!;
      const mapping = (await stack.stores.catalog.getBySkus([sku]))[0]!.suppliers.find((m) => m.supplier === supplier.slug)!;
      expect(offer.available).toBe(sandbox.stockOf(mapping.supplierSku));
      expect(offer.cost.amount).toMatch(/^\d+(\.\d+)?$/);
      expect(offer.cost.currency).toMatch(/^[A-Z]{3}$/);
      expect(offer.leadTimeDays === null || Number.isInteger(offer.leadTimeDays)).toBe(true);
    }
    // Canonical stock is the sum of what the suppliers reported at import.
    const stock = await stack.stores.stock.getBySkus([sku]);
    expect(product.stock.available).toBe(stock[0]!.reduce((total, row) => total + row.available, 0));
  });

  it('batches a 50-product page into one call per supplier on a cold cache, and none within the TTL', async () => {
    const query = `{ products(first: 50) { ${OFFER_SELECTION} } }`;
    for (const sandbox of stack.sandboxes.values()) sandbox.resetStats();
    calls.length = 0;
    const cold = await postGraphql(url, { query });
    expect(cold.json.errors).toBeUndefined();
    expect(cold.json.data.products).toHaveLength(50);
    const offers = cold.json.data.products.flatMap((p: any) => p.offers);
    for (const supplier of SUPPLIERS) {
      const expected = offers.filter((o: any) => o.__typename === supplier.offerType).length;
      const made = calls.filter((c) => c.supplier === supplier.slug);
      expect(made, `${supplier.slug}: one batched supplier call`).toHaveLength(1);
      // What the supplier saw on the wire: one stock request per batch (within its own batch limit).
      const connector = stack.connectors.get(supplier.slug)!;
      expect(stack.sandboxes.get(supplier.slug)!.stats().total).toBe(Math.ceil(made[0]!.skus.length / connector.maxStockBatch));
      expect(made[0]!.skus.length).toBeLessThanOrEqual(expected);
    }

    for (const sandbox of stack.sandboxes.values()) sandbox.resetStats();
    calls.length = 0;
    const warm = await postGraphql(url, { query });
    expect(warm.json.data).toEqual(cold.json.data);
    expect(calls).toHaveLength(0);
    for (const sandbox of stack.sandboxes.values()) expect(sandbox.stats().total).toBe(0);
  });

  it('routes plain interface selections and inline fragments to each offer\'s own supplier', async () => {
    const sku = canonicalSku(carriedByAll[3]!.gtin14);
    const query = `query($sku: ID!) { product(sku: $sku) { offers { id available
      ... on BrightlineOffer { supplierSku } ... on HarborpromoOffer { status } ... on MaplecartOffer { asOf } } } }`;
    const { json } = await postGraphql(url, { query, variables: { sku } });
    expect(json.errors).toBeUndefined();
    const offers = json.data.product.offers;
    expect(offers).toHaveLength(3);
    for (const offer of offers) {
      const [slug] = offer.id.split(':');
      expect(['brightline', 'harborpromo', 'maplecart']).toContain(slug);
      expect(offer.available).toBeGreaterThanOrEqual(0);
      if (slug === 'brightline') expect(offer.supplierSku).toBe(offer.id.slice('brightline:'.length));
      if (slug === 'harborpromo') expect(offer.status).toMatch(/^(IN_STOCK|LOW_STOCK|OUT_OF_STOCK|BACKORDERED|DISCONTINUED)$/);
      if (slug === 'maplecart') expect(Date.parse(offer.asOf)).not.toBeNaN();
    }
  });

  it('returns null for an unknown SKU, without an error', async () => {
    const { status, json } = await postGraphql(url, { query: `{ product(sku: "DS-NOPE") { sku offers { available } } }` });
    expect(status).toBe(200);
    expect(json).toEqual({ data: { product: null } });
  });

  it('rejects malformed GraphQL with HTTP 400 and a clear message', async () => {
    const { status, json } = await postGraphql(url, { query: '{ product(sku: "x") { sku ' });
    expect(status).toBe(400);
    expect(json.errors[0].message).toMatch(/Syntax Error/);
    expect(json.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('rejects a body that is not JSON with HTTP 400', async () => {
    const { status, json } = await postGraphql(url, '{"query": ');
    expect(status).toBe(400);
    expect(json.errors[0].message).toMatch(/not valid JSON/);
  });

  it('degrades only the offers of a supplier that is down, naming it and the error class', async () => {
    // The last such product: never fetched by an earlier test, so not in the offer cache. The initial sync recorded
    // maplecart's answer for it as the last known offer (served, marked stale, by the next test's path); here that
    // record has expired too (its 24 h TTL, removed), so there is nothing to fall back on.
    const sku = canonicalSku(carriedByAll.at(-1)!.gtin14);
    const maplecartSku = (await stack.stores.catalog.getBySkus([sku]))[0]!.suppliers.find((m) => m.supplier === 'maplecart')!.supplierSku;
    await stack.stores.cache.delete([offerCacheKey('maplecart', maplecartSku), lastKnownOfferKey('maplecart', maplecartSku)]);
    const sandbox = stack.sandboxes.get('maplecart')!;
    sandbox.setFaults({ down: true });
    try {
      const { status, json } = await postGraphql(url, { query: `query($sku: ID!) { product(sku: $sku) { ${OFFER_SELECTION} } }`, variables: { sku } });
      expect(status).toBe(200);
      const product = json.data.product;
      expect(product.title).toBeTruthy();
      const down = product.offers.find((o: any) => o.__typename === 'MaplecartOffer');
      expect(down.available).toBeNull();
      expect(down.supplier.name).toBe('maplecart');
      for (const healthy of product.offers.filter((o: any) => o.__typename !== 'MaplecartOffer')) {
        expect(healthy.available).toBeGreaterThanOrEqual(0);
      }
      // One error per supplier failure, naming the supplier, class and the offers it emptied (see offer-failures.ts
      // for why it carries offer ids rather than a path).
      const mapping = (await stack.stores.catalog.getBySkus([sku]))[0]!.suppliers.find((m) => m.supplier === 'maplecart')!;
      expect(json.errors).toHaveLength(1);
      expect(json.errors[0].extensions).toMatchObject({
        supplier: 'maplecart',
        errorClass: 'transient',
        code: 'SUPPLIER_UNAVAILABLE',
        offerIds: [`maplecart:${mapping.supplierSku}`],
      });
      expect(json.errors[0].message).toMatch(/maplecart/);
      expect(json.errors.every((e: any) => e.extensions?.supplier === 'maplecart')).toBe(true);
    } finally {
      sandbox.resetFaults();
    }
  });

  it('serves the last known figures, marked stale with their age, when a supplier cannot answer', async () => {
    const sku = canonicalSku(carriedByAll.at(-2)!.gtin14);
    const query = `query($sku: ID!) { product(sku: $sku) { offers { __typename available stale asOf supplier { name } } } }`;
    const fresh = await postGraphql(url, { query, variables: { sku } });
    expect(fresh.json.errors).toBeUndefined();
    const before = fresh.json.data.product.offers.find((o: any) => o.__typename === 'BrightlineOffer');
    expect(before.stale).toBe(false);

    // The fresh entry expires (here: removed), then the supplier goes down.
    const mapping = (await stack.stores.catalog.getBySkus([sku]))[0]!.suppliers.find((m) => m.supplier === 'brightline')!;
    await stack.stores.cache.delete([offerCacheKey('brightline', mapping.supplierSku)]);
    const sandbox = stack.sandboxes.get('brightline')!;
    sandbox.setFaults({ down: true });
    try {
      const degraded = await postGraphql(url, { query, variables: { sku } });
      expect(degraded.status).toBe(200);
      expect(degraded.json.errors).toBeUndefined();
      const after = degraded.json.data.product.offers.find((o: any) => o.__typename === 'BrightlineOffer');
      expect(after).toMatchObject({ stale: true, available: before.available, asOf: before.asOf });
      for (const other of degraded.json.data.product.offers.filter((o: any) => o.__typename !== 'BrightlineOffer')) expect(other.stale).toBe(false);
      expect(degraded.json.extensions.degradedSuppliers).toEqual([
        expect.objectContaining({ supplier: 'brightline', code: 'SUPPLIER_UNAVAILABLE', errorClass: 'transient', staleOffers: 1, oldestAsOf: before.asOf }),
      ]);
    } finally {
      sandbox.resetFaults();
    }
  });

  it('tells operators each supplier\'s health, breaker state, quota and last error', async () => {
    const { json } = await postGraphql(url, { query: '{ suppliers { name health breakerState quotaRemaining lastError quotas { bucket remaining } } }' });
    expect(json.errors).toBeUndefined();
    const bySlug = new Map(json.data.suppliers.map((s: any) => [s.name, s]));
    expect([...bySlug.keys()].sort()).toEqual(['brightline', 'harborpromo', 'maplecart']);
    for (const status of bySlug.values() as Iterable<any>) {
      expect(status.breakerState).toBe('CLOSED');
      expect(status.quotaRemaining).toBeGreaterThan(0);
      expect(status.quotas.length).toBeGreaterThan(0);
    }
    // maplecart and brightline were made to fail by the tests above: their last error is remembered.
    expect((bySlug.get('maplecart') as any).lastError).toMatch(/^SUPPLIER_UNAVAILABLE \(transient\) getStock$/);
    expect(['DEGRADED', 'HEALTHY']).toContain((bySlug.get('harborpromo') as any).health);
  });

  it('exposes Prometheus metrics of supplier calls, errors and the offer cache', async () => {
    const response = await fetch(`${stack.gateway.url}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const value = (pattern: RegExp) => Number(text.match(pattern)?.[1] ?? NaN);
    expect(value(/^supplier_calls_total\{[^}]*supplier="brightline"[^}]*operation="getStock"[^}]*outcome="success"[^}]*\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^supplier_errors_total\{[^}]*supplier="maplecart"[^}]*class="transient"[^}]*code="SUPPLIER_UNAVAILABLE"[^}]*\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^offer_cache_requests_total\{[^}]*supplier="brightline"[^}]*result="hit"[^}]*\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^offer_cache_requests_total\{[^}]*supplier="brightline"[^}]*result="miss"[^}]*\} (\d+)/m)).toBeGreaterThan(0);
    expect(text).toMatch(/^supplier_breaker_state\{[^}]*supplier="harborpromo"[^}]*\} 0$/m);
    expect(text).toMatch(/^supplier_call_duration_seconds_bucket\{/m);
  });

  it('serves an offline GraphQL IDE and liveness/readiness endpoints', async () => {
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/ide/graphiql.js');
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/);
    for (const asset of ['/ide/graphiql.js', '/ide/graphiql.css', '/ide/react.js', '/ide/react-dom.js']) {
      const response = await fetch(new URL(asset, url));
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1_000);
    }
    expect((await fetch(`${stack.gateway.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${stack.gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { subgraphs: unknown[] }).subgraphs).toHaveLength(4 + SUPPLIERS.length); // catalog, inventory, orders, access
  });
});
