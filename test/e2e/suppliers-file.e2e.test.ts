/**
 * Issue 11 acceptance: two PromoStandards suppliers side by side, plus the REST and GraphQL suppliers, from the
 * suppliers file alone. The file gets a second PromoStandards entry (its own bundled sandbox on other service paths,
 * other credentials, another catalog); `npm run compose -- --out` (the real CLI) generates a supergraph from it; the
 * stack started on that file and supergraph shows both with their own offer types, and orders route to each.
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

describe('suppliers file: two PromoStandards suppliers side by side (e2e)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'suppliers-file-e2e-'));
  const suppliersFile = path.join(dir, 'suppliers.json');
  const schemaDir = path.join(dir, 'schema');
  let stack: Stack;
  let config: ReturnType<typeof loadConfig>;
  let supergraph: string;

  beforeAll(async () => {
    const demo = JSON.parse(readFileSync(DEFAULT_SUPPLIERS_FILE, 'utf8')) as { suppliers: Record<string, unknown>[] };
    const entries = demo.suppliers.map((e) => ({ ...e, pollIntervalMs: 0 }));
    writeFileSync(suppliersFile, JSON.stringify({ suppliers: [...entries, ACME] }, null, 2));
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
      SUPERGRAPH_PATH: path.join(schemaDir, 'supergraph.graphql'),
      RECONCILE_INTERVAL_MS: '0',
      // Ties between the two PromoStandards suppliers go to the new one, so the routing below is deterministic.
      ORDER_ROUTING_POLICY: JSON.stringify({ strategy: 'priority', supplierPriority: ['acmepromo', 'harborpromo', 'brightline', 'maplecart'] }),
    });
    stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', orderLoopMs: 0 });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates a subgraph and an offer type for the new supplier from its entry alone', () => {
    expect(readFileSync(path.join(schemaDir, 'generated/supplier-acmepromo.graphql'), 'utf8')).toContain('type AcmepromoOffer implements Offer @key(fields: "id")');
    expect(readFileSync(path.join(schemaDir, 'generated/inventory-offer-stubs.graphql'), 'utf8')).toContain('type AcmepromoOffer implements Offer @key(fields: "id", resolvable: false)');
    expect(supergraph).toMatch(/SUPPLIER_ACMEPROMO @join__graph\(name: "supplier-acmepromo"/);
    expect(supergraph).toContain('type HarborpromoOffer implements Offer');
  });

  it('runs two PromoStandards sandboxes with their own paths, credentials and catalogs', () => {
    const harbor = stack.sandboxes.get('harborpromo')!;
    const acme = stack.sandboxes.get('acmepromo')!;
    expect(acme.credentials).toEqual(ACME.sandbox.credentials);
    expect(harbor.credentials).not.toEqual(acme.credentials);
    expect((acme as unknown as { endpoints: Record<string, string> }).endpoints['inventory']).toBe(`${acme.url}/ps/Inventory/2.0.0`);
    expect(new Set(acme.supplierSkus())).not.toEqual(new Set(harbor.supplierSkus()));
  });

  it('lists all four suppliers, each healthy, in `suppliers`', async () => {
    const { json } = await postGraphql(stack.gateway.graphqlUrl, { query: '{ suppliers { __typename name displayName health } }' });
    expect(json.errors).toBeUndefined();
    expect(json.data.suppliers.map((s: { name: string }) => s.name)).toEqual(['brightline', 'harborpromo', 'maplecart', 'acmepromo']);
    expect(json.data.suppliers[3]).toMatchObject({ __typename: 'AcmepromoStatus', displayName: 'Acme Promo', health: 'HEALTHY' });
  });

  it('imports both catalogs and serves each supplier its own offer type, with its own figures', async () => {
    const products = await productsBySuppliers(stack.stores.catalog);
    const acmeSkus = new Set(stack.sandboxes.get('acmepromo')!.supplierSkus());
    expect(products.filter((p) => p.suppliers.has('acmepromo')).length).toBe(acmeSkus.size);
    const both = products.find((p) => p.suppliers.has('acmepromo') && p.suppliers.has('harborpromo'))!;
    expect(both, 'a product carried by both PromoStandards suppliers').toBeDefined();

    const { json } = await postGraphql(stack.gateway.graphqlUrl, {
      query: `query($sku: ID!) { product(sku: $sku) { offers { __typename id supplier { name } available } } }`,
      variables: { sku: both.sku },
    });
    expect(json.errors).toBeUndefined();
    const offers = new Map<string, { id: string; supplier: { name: string }; available: number }>(json.data.product.offers.map((o: { __typename: string }) => [o.__typename, o]));
    for (const [type, slug] of [['AcmepromoOffer', 'acmepromo'], ['HarborpromoOffer', 'harborpromo']] as const) {
      const supplierSku = both.suppliers.get(slug)!;
      expect(offers.get(type)).toEqual({ __typename: type, id: `${slug}:${supplierSku}`, supplier: { name: slug }, available: stack.sandboxes.get(slug)!.stockOf(supplierSku) });
    }

    const direct = await postGraphql(stack.gateway.graphqlUrl, { query: `query($s: String!) { acmepromoOffer(supplierSku: $s) { id available } }`, variables: { s: both.suppliers.get('acmepromo') } });
    expect(direct.json.data.acmepromoOffer.available).toBe(stack.sandboxes.get('acmepromo')!.stockOf(both.suppliers.get('acmepromo')!));
  }, 30_000);

  it('routes orders to each PromoStandards supplier', async () => {
    const products = await productsBySuppliers(stack.stores.catalog);
    const inStock = (slug: string, p: { suppliers: Map<string, string> }) => (stack.sandboxes.get(slug)!.stockOf(p.suppliers.get(slug) ?? '') ?? 0) >= 5;
    // Carried by both: the priority policy sends it to acmepromo. Carried by harborpromo but not acmepromo: harborpromo.
    const toAcme = products.find((p) => p.suppliers.has('harborpromo') && inStock('acmepromo', p))!;
    const toHarbor = products.find((p) => !p.suppliers.has('acmepromo') && inStock('harborpromo', p) && [...p.suppliers.keys()].every((s) => s === 'harborpromo'))
      ?? products.find((p) => !p.suppliers.has('acmepromo') && inStock('harborpromo', p))!;
    expect(toAcme).toBeDefined();
    expect(toHarbor).toBeDefined();

    const before = { acmepromo: stack.sandboxes.get('acmepromo')!.orders().length, harborpromo: stack.sandboxes.get('harborpromo')!.orders().length };
    const placed: Record<string, { supplier: string; state: string; supplierOrderId: string | null; lastError: string | null }[]> = {};
    for (const [name, product] of [['acme', toAcme], ['harbor', toHarbor]] as const) {
      const { json } = await postGraphql(stack.gateway.graphqlUrl, { query: PLACE, variables: { input: { idempotencyKey: `suppliers-file-${name}-${Date.now()}`, shipTo: SHIP_TO, lines: [{ sku: product.sku, quantity: 2 }] } } });
      expect(json.errors, name).toBeUndefined();
      placed[name] = json.data.placeOrder.subOrders;
    }
    expect(placed['acme']!.map((s) => s.supplier)).toEqual(['acmepromo']);
    expect(placed['harbor']!.map((s) => s.supplier)).toEqual(['harborpromo']);
    for (const sub of [...placed['acme']!, ...placed['harbor']!]) {
      expect(sub.lastError).toBeNull();
      expect(sub.supplierOrderId, 'the supplier acknowledged the PO').toBeTruthy();
    }
    expect(stack.sandboxes.get('acmepromo')!.orders().length).toBe(before.acmepromo + 1);
    expect(stack.sandboxes.get('harborpromo')!.orders().length).toBe(before.harborpromo + 1);
  }, 30_000);
});
