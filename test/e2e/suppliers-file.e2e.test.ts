/**
 * Issue 11 acceptance: PromoStandards suppliers side by side, plus the REST and GraphQL suppliers, from the suppliers
 * file alone. Next to the demo's harborpromo, the file gets two more PromoStandards entries: acmepromo on its own
 * bundled sandbox (other service paths, credentials and catalog, from its `sandbox` section), and globexpromo, a
 * supplier "out there" (a SOAP sandbox this test runs) reached through its per-service endpoints with credentials
 * from the environment. `npm run compose -- --out` (the real CLI) generates a supergraph from the file; the stack
 * started on that file and supergraph shows each with its own offer type, and orders route to each.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/logger.ts';
import { DEFAULT_SUPPLIERS_FILE } from '../../platform/suppliers-file.ts';
import type { CatalogStore } from '../../platform/ports/catalog-store.ts';
import { createSoapSandbox } from '../../sandboxes/soap/index.ts';
import type { SupplierSandbox } from '../../sandboxes/shared/sandbox.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { loadConfig } from '../../platform/config.ts';
import { postGraphql } from '../support/stack-env.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

/** The second PromoStandards supplier: nothing of it exists in code, only this entry. */
const ACME = {
  slug: 'acmepromo',
  family: 'promostandards',
  displayName: 'Acme Promo',
  credentials: { id: 'ACMEPROMO_ID', password: 'ACMEPROMO_PASSWORD' },
  limits: { requests: { limit: 6000, perSeconds: 60, burst: 200 }, maxConcurrent: 8 },
  allocatesStockOnAccept: false,
  pollIntervalMs: 0,
  sandbox: {
    credentials: { id: 'acme-e2e', password: 'acme-sandbox-password' },
    paths: {
      productData: '/ps/ProductData/2.0.0',
      inventory: '/ps/Inventory/2.0.0',
      pricing: '/ps/PPC/1.0.0',
      purchaseOrder: '/ps/PO/1.0.0',
      orderStatus: '/ps/OrderStatus/2.0.0',
      shipmentNotification: '/ps/OSN/2.0.0',
    },
    catalogSeed: 7,
  },
};

/** A PromoStandards supplier we do not run: its own paths for every service, one of them on another host name. */
const GLOBEX_PATHS = { productData: '/svc/ProductData/v2', inventory: '/svc/Inventory/v2', purchaseOrder: '/svc/PO/v1', orderStatus: '/svc/OrderStatus/v2', shipmentNotification: '/svc/OSN/v2' };
const GLOBEX_CREDENTIALS = { id: 'globex-account', password: 'globex-password-from-the-vault' };
const globexEntry = (url: string) => ({
  slug: 'globexpromo',
  family: 'promostandards',
  displayName: 'Globex Promotional',
  url,
  // Paths under `url`, and one absolute URL (as a supplier publishing a service elsewhere would).
  services: { ...GLOBEX_PATHS, inventory: `${url.replace('127.0.0.1', 'localhost')}${GLOBEX_PATHS.inventory}` },
  credentials: { id: 'GLOBEXPROMO_ID', password: 'GLOBEXPROMO_PASSWORD' },
  limits: { requests: { limit: 6000, perSeconds: 60, burst: 200 }, maxConcurrent: 8 },
  pollIntervalMs: 0,
});

const SHIP_TO = { name: 'Ada Lovelace', line1: '12 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB', email: 'ada@example.com', phone: '+44 20 7946 0000' };
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status subOrders { supplier state supplierOrderId idempotencyKey lastError } } }`;

async function productsBySuppliers(catalog: CatalogStore): Promise<{ sku: string; suppliers: Map<string, string> }[]> {
  const out: { sku: string; suppliers: Map<string, string> }[] = [];
  let after: string | null = null;
  do {
    const page = await catalog.list(500, after);
    for (const p of page.items) out.push({ sku: p.sku, suppliers: new Map(p.suppliers.map((m) => [m.supplier, m.supplierSku])) });
    after = page.nextCursor;
  } while (after !== null);
  return out;
}

describe('suppliers file: PromoStandards suppliers side by side (e2e)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'suppliers-file-e2e-'));
  const suppliersFile = path.join(dir, 'suppliers.json');
  const schemaDir = path.join(dir, 'schema');
  let stack: Stack;
  let config: ReturnType<typeof loadConfig>;
  let supergraph: string;
  let globex: SupplierSandbox;
  const sandboxOf = (slug: string): SupplierSandbox => (slug === 'globexpromo' ? globex : stack.sandboxes.get(slug)!);

  beforeAll(async () => {
    const demo = JSON.parse(readFileSync(DEFAULT_SUPPLIERS_FILE, 'utf8')) as { suppliers: Record<string, unknown>[] };
    const entries = demo.suppliers.map((e) => ({ ...e, pollIntervalMs: 0 }));
    globex = await createSoapSandbox({ credentials: GLOBEX_CREDENTIALS, paths: GLOBEX_PATHS, catalogSeed: 9 });
    writeFileSync(suppliersFile, JSON.stringify({ suppliers: [...entries, ACME, globexEntry(globex.url)] }, null, 2));
    // `npm run compose`, into a temporary directory: the committed schema/ stays the demo file's.
    const env = { ...process.env, SUPPLIERS_FILE: suppliersFile, LOG_LEVEL: 'silent' };
    await run(path.join(ROOT, 'node_modules/.bin/tsx'), ['bin/compose.ts', '--out', schemaDir], { cwd: ROOT, env, timeout: 60_000 });
    supergraph = readFileSync(path.join(schemaDir, 'supergraph.graphql'), 'utf8');

    // Embedded stores on purpose: the subject is supplier configuration, and importing four catalogs into the
    // MongoDB-protocol test server costs a minute (storage is covered by the other e2e suites).
    config = loadConfig({
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'silent',
      SUPPLIERS_FILE: suppliersFile,
      GLOBEXPROMO_ID: GLOBEX_CREDENTIALS.id,
      GLOBEXPROMO_PASSWORD: GLOBEX_CREDENTIALS.password,
      OUTBOUND_ALLOW_LOOPBACK_HTTP: 'true',
      SUPERGRAPH_PATH: path.join(schemaDir, 'supergraph.graphql'),
      RECONCILE_INTERVAL_MS: '0',
      // A fixed order of preference between the PromoStandards suppliers, so the routing below is deterministic.
      ORDER_ROUTING_POLICY: JSON.stringify({ strategy: 'priority', supplierPriority: ['acmepromo', 'globexpromo', 'harborpromo', 'brightline', 'maplecart'] }),
    });
    stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', orderLoopMs: 0 });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await globex?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates a subgraph and an offer type for the new supplier from its entry alone', () => {
    expect(readFileSync(path.join(schemaDir, 'generated/supplier-acmepromo.graphql'), 'utf8')).toContain('type AcmepromoOffer implements Offer @key(fields: "id")');
    expect(readFileSync(path.join(schemaDir, 'generated/inventory-offer-stubs.graphql'), 'utf8')).toContain('type AcmepromoOffer implements Offer @key(fields: "id", resolvable: false)');
    expect(supergraph).toMatch(/SUPPLIER_ACMEPROMO @join__graph\(name: "supplier-acmepromo"/);
    expect(supergraph).toContain('type HarborpromoOffer implements Offer');
    expect(supergraph).toContain('type GlobexpromoOffer implements Offer');
  });

  it('runs two PromoStandards sandboxes with their own paths, credentials and catalogs', () => {
    const harbor = stack.sandboxes.get('harborpromo')!;
    const acme = stack.sandboxes.get('acmepromo')!;
    expect(acme.credentials).toEqual(ACME.sandbox.credentials);
    expect(harbor.credentials).not.toEqual(acme.credentials);
    expect((acme as unknown as { endpoints: Record<string, string> }).endpoints['inventory']).toBe(`${acme.url}/ps/Inventory/2.0.0`);
    expect(new Set(acme.supplierSkus())).not.toEqual(new Set(harbor.supplierSkus()));
  });

  it('lists all five suppliers, each healthy, in `suppliers`', async () => {
    const { json } = await postGraphql(stack.gateway.graphqlUrl, { query: '{ suppliers { __typename name displayName health } }' });
    expect(json.errors).toBeUndefined();
    expect(json.data.suppliers.map((s: { name: string }) => s.name)).toEqual(['brightline', 'harborpromo', 'maplecart', 'acmepromo', 'globexpromo']);
    expect(json.data.suppliers[3]).toMatchObject({ __typename: 'AcmepromoStatus', displayName: 'Acme Promo', health: 'HEALTHY' });
    expect(json.data.suppliers[4]).toMatchObject({ __typename: 'GlobexpromoStatus', displayName: 'Globex Promotional', health: 'HEALTHY' });
  });

  it('reaches a configured PromoStandards supplier at the endpoints its entry names, with the environment\'s credentials', () => {
    expect(stack.sandboxes.has('globexpromo')).toBe(false);
    const byOperation = globex.stats().byOperation;
    // Catalog import (Product Data) and the stock snapshot (Inventory) reached it; the sandbox refuses other credentials.
    expect(Object.keys(byOperation).filter((op) => (byOperation[op] ?? 0) > 0).sort()).toEqual(expect.arrayContaining(['getInventoryLevels', 'getProduct', 'getProductSellable']));
  });

  it('imports both catalogs and serves each supplier its own offer type, with its own figures', async () => {
    const products = await productsBySuppliers(stack.stores.catalog);
    for (const slug of ['acmepromo', 'globexpromo']) expect(products.filter((p) => p.suppliers.has(slug)).length, slug).toBe(sandboxOf(slug).supplierSkus().length);
    const all = products.find((p) => p.suppliers.has('acmepromo') && p.suppliers.has('harborpromo') && p.suppliers.has('globexpromo'))!;
    expect(all, 'a product carried by the three PromoStandards suppliers').toBeDefined();

    const { json } = await postGraphql(stack.gateway.graphqlUrl, {
      query: `query($sku: ID!) { product(sku: $sku) { offers { __typename id supplier { name } available } } }`,
      variables: { sku: all.sku },
    });
    expect(json.errors).toBeUndefined();
    const offers = new Map<string, { id: string; supplier: { name: string }; available: number }>(json.data.product.offers.map((o: { __typename: string }) => [o.__typename, o]));
    for (const [type, slug] of [['AcmepromoOffer', 'acmepromo'], ['HarborpromoOffer', 'harborpromo'], ['GlobexpromoOffer', 'globexpromo']] as const) {
      const supplierSku = all.suppliers.get(slug)!;
      expect(offers.get(type)).toEqual({ __typename: type, id: `${slug}:${supplierSku}`, supplier: { name: slug }, available: sandboxOf(slug).stockOf(supplierSku) });
    }

    const direct = await postGraphql(stack.gateway.graphqlUrl, { query: `query($s: String!) { globexpromoOffer(supplierSku: $s) { id available } }`, variables: { s: all.suppliers.get('globexpromo') } });
    expect(direct.json.data.globexpromoOffer.available).toBe(globex.stockOf(all.suppliers.get('globexpromo')!));
  }, 30_000);

  it('routes orders to each PromoStandards supplier', async () => {
    const products = await productsBySuppliers(stack.stores.catalog);
    const inStock = (slug: string, p: { suppliers: Map<string, string> }) => p.suppliers.has(slug) && (sandboxOf(slug).stockOf(p.suppliers.get(slug)!) ?? 0) >= 5;
    // By the priority list: acmepromo when it has the product, else globexpromo, else harborpromo.
    const targets = {
      acmepromo: products.find((p) => inStock('acmepromo', p) && p.suppliers.has('harborpromo')),
      globexpromo: products.find((p) => !p.suppliers.has('acmepromo') && inStock('globexpromo', p)),
      harborpromo: products.find((p) => !p.suppliers.has('acmepromo') && !p.suppliers.has('globexpromo') && inStock('harborpromo', p)),
    };
    const before = Object.fromEntries(Object.keys(targets).map((slug) => [slug, sandboxOf(slug).orders().length]));
    for (const [slug, product] of Object.entries(targets)) {
      expect(product, `a product routed to ${slug}`).toBeDefined();
      const { json } = await postGraphql(stack.gateway.graphqlUrl, { query: PLACE, variables: { input: { idempotencyKey: `suppliers-file-${slug}-${Date.now()}`, shipTo: SHIP_TO, lines: [{ sku: product!.sku, quantity: 2 }] } } });
      expect(json.errors, slug).toBeUndefined();
      const subOrders = json.data.placeOrder.subOrders as { supplier: string; supplierOrderId: string | null; lastError: string | null }[];
      expect(subOrders.map((sub) => sub.supplier)).toEqual([slug]);
      expect(subOrders[0]!.lastError).toBeNull();
      expect(subOrders[0]!.supplierOrderId, 'the supplier acknowledged the PO').toBeTruthy();
    }
    for (const slug of Object.keys(targets)) expect(sandboxOf(slug).orders().length, slug).toBe(before[slug]! + 1);
  }, 30_000);
});
