/**
 * Issue 11, point 3: a supplier that is down, or refuses our credentials, when the stack starts used to stop the
 * whole stack. Now the stack starts, the other suppliers serve, `suppliers` shows the two unhealthy, and each
 * catches up (catalog and stock) once it answers: maplecart's server comes up on its configured address, and the
 * operator puts brightline's right client secret in the credential store (what `npm run credentials` does).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/logger.ts';
import type { CatalogStore } from '../../platform/ports/catalog-store.ts';
import { createGraphqlSandbox } from '../../sandboxes/graphql/index.ts';
import { createRestSandbox } from '../../sandboxes/rest/index.ts';
import type { SupplierSandbox } from '../../sandboxes/shared/sandbox.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { vaultOf } from '../../stack/supplier-credentials.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';

const KEK = `test-kek:${randomBytes(32).toString('base64')}`;
const BRIGHTLINE = { clientId: 'bl-start-down', clientSecret: `right-${randomBytes(6).toString('hex')}` };
const MAPLECART_TOKEN = `shpat_${randomBytes(12).toString('hex')}`;
const MAPLECART_BUCKET = { maximumAvailable: 20_000, restoreRate: 2_000 };

/** A loopback port nothing listens on (until the test starts the supplier there). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Supplier SKUs mapped to a product, per supplier. */
async function mappedSkus(catalog: CatalogStore): Promise<Map<string, { sku: string; supplierSku: string }[]>> {
  const out = new Map<string, { sku: string; supplierSku: string }[]>();
  let after: string | null = null;
  do {
    const page = await catalog.list(500, after);
    for (const p of page.items) for (const m of p.suppliers) out.set(m.supplier, [...(out.get(m.supplier) ?? []), { sku: p.sku, supplierSku: m.supplierSku }]);
    after = page.nextCursor;
  } while (after !== null);
  return out;
}

const SUPPLIERS_QUERY = '{ suppliers { name health breakerState lastError } }';

describe('a supplier down, or refusing our credentials, at start (fault)', () => {
  let stack: Stack;
  let brightline: SupplierSandbox;
  let maplecart: SupplierSandbox | undefined;
  let maplecartPort: number;
  let startMs: number;
  let config: ReturnType<typeof testConfig>;

  beforeAll(async () => {
    brightline = await createRestSandbox({ seed: 11, credentials: BRIGHTLINE });
    maplecartPort = await freePort();
    config = testConfig({
      OUTBOUND_ALLOW_LOOPBACK_HTTP: 'true',
      SECRETS_KEK: KEK,
      // Refused: the account's secret is not this one.
      BRIGHTLINE_URL: brightline.url,
      BRIGHTLINE_CLIENT_ID: BRIGHTLINE.clientId,
      BRIGHTLINE_CLIENT_SECRET: 'wrong-secret',
      // Down: nothing listens there yet.
      MAPLECART_URL: `http://127.0.0.1:${maplecartPort}`,
      MAPLECART_ACCESS_TOKEN: MAPLECART_TOKEN,
      SUPPLIER_BREAKER_OPEN_MS: '300',
      // A roomier cost bucket than the standard plan (which the sandbox below runs too): catch-up within seconds.
      SUPPLIER_LIMITS: JSON.stringify({ maplecart: { cost: MAPLECART_BUCKET } }),
      SUPPLIER_TIMEOUT_MS: '2000',
      BRIGHTLINE_POLL_INTERVAL_MS: '0',
      HARBORPROMO_POLL_INTERVAL_MS: '0',
      MAPLECART_POLL_INTERVAL_MS: '0',
      RECONCILE_INTERVAL_MS: '0',
    });
    const started = performance.now();
    stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', orderLoopMs: 0, initialSyncRetryMs: { first: 200, max: 1_000 } });
    startMs = performance.now() - started;
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
    await Promise.all([brightline?.close(), maplecart?.close()]);
  });

  it('starts anyway: the bundled PromoStandards supplier is imported and serves; the other two wait', async () => {
    expect(startMs).toBeLessThan(60_000);
    expect([...stack.initialSync.pending()].sort()).toEqual(['brightline', 'maplecart']);
    const mapped = await mappedSkus(stack.stores.catalog);
    expect(mapped.get('harborpromo')?.length).toBeGreaterThan(0);
    expect(mapped.has('brightline')).toBe(false);
    expect(mapped.has('maplecart')).toBe(false);

    const { sku, supplierSku } = mapped.get('harborpromo')![0]!;
    const { json } = await postGraphql(stack.gateway.graphqlUrl, { query: `query($sku: ID!) { product(sku: $sku) { stock { available } offers { __typename available } } }`, variables: { sku } });
    expect(json.errors).toBeUndefined();
    expect(json.data.product.offers).toEqual([{ __typename: 'HarborpromoOffer', available: stack.sandboxes.get('harborpromo')!.stockOf(supplierSku) }]);
  }, 30_000);

  it('shows both unhealthy in `suppliers`, and the others healthy', async () => {
    const { json } = await postGraphql(stack.gateway.graphqlUrl, { query: SUPPLIERS_QUERY });
    expect(json.errors).toBeUndefined();
    const byName = new Map<string, { health: string; lastError: string | null }>(json.data.suppliers.map((s: { name: string }) => [s.name, s]));
    expect(byName.get('harborpromo')!.health).toBe('HEALTHY');
    expect(byName.get('brightline')!.health).not.toBe('HEALTHY');
    // Refused credentials are critical (the breaker opens); the last error may be the open circuit's refusal.
    expect(byName.get('brightline')!.lastError).toMatch(/^(MISCONFIGURED \(critical\)|SUPPLIER_CIRCUIT_OPEN )/);
    expect(byName.get('maplecart')!.health).not.toBe('HEALTHY');
    expect(byName.get('maplecart')!.lastError).toMatch(/^[A-Z_]+ \(transient\)/);
  }, 30_000);

  it('catches up, catalog and stock, once each answers', async () => {
    maplecart = await createGraphqlSandbox({ port: maplecartPort, host: '127.0.0.1', accessToken: MAPLECART_TOKEN, costBudget: MAPLECART_BUCKET });
    const returned = performance.now();
    await vaultOf(config, stack.stores.credentials).set('brightline', 'clientSecret', BRIGHTLINE.clientSecret);
    // Catching up is the whole import and snapshot again. On FerretDB every store round trip is serialised: 20 s here
    // before families (session 5), ~53 s once an import also linked families on a quiet 2-core machine. The families
    // step is now batched (bench/catalog-import.ts: 2.9 store commands per variant instead of 5.1, and no collection
    // scans), but matching each item (~10 commands a variant) and the listing rebuild dominate: 72.6 s against 74.5 s
    // before, both at load 2-3 on a shared machine. The bound stays: it is about catching up at all, with room for a
    // loaded CI machine; MongoDB does it in a fraction of that.
    const deadline = AbortSignal.timeout(150_000);
    await Promise.race([
      Promise.all([stack.initialSync.caughtUp('maplecart'), stack.initialSync.caughtUp('brightline')]),
      new Promise((_, reject) => deadline.addEventListener('abort', () => reject(new Error(`still pending: ${stack.initialSync.pending().join(', ')}`)))),
    ]);
    expect(stack.initialSync.pending()).toEqual([]);
    const caughtUpMs = performance.now() - returned;

    const mapped = await mappedSkus(stack.stores.catalog);
    for (const [slug, sandbox] of [['brightline', brightline], ['maplecart', maplecart]] as const) {
      const rows = mapped.get(slug) ?? [];
      expect(rows.length, `${slug} catalog imported`).toBe(sandbox.supplierSkus().length);
      const { sku, supplierSku } = rows[0]!;
      expect((await stack.stores.stock.get(sku, slug))?.onHand, `${slug} stock snapshot`).toBe(sandbox.stockOf(supplierSku));
    }

    const { json } = await postGraphql(stack.gateway.graphqlUrl, { query: SUPPLIERS_QUERY });
    for (const s of json.data.suppliers as { name: string; health: string; breakerState: string }[]) {
      // A service group with no call since the outage (orders, here) stays HALF_OPEN until its first call probes it:
      // what matters is that no group still refuses calls.
      expect(s.breakerState, s.name).not.toBe('OPEN');
      expect(s.health, s.name).not.toBe('DOWN');
    }
    expect(caughtUpMs).toBeLessThan(150_000);
  }, 180_000);
});
