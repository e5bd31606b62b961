/**
 * Issue 11, point 3, for the PromoStandards family: a PromoStandards supplier that refuses our credentials when the
 * stack starts used to keep refusing until a restart (its credentials were fixed when the connector was created).
 * Now the stack starts, `suppliers` shows it unhealthy, and once the operator puts the right password in the
 * credential store (what `npm run credentials` does) its catalog and stock catch up without a restart.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/logger.ts';
import type { CatalogStore } from '../../platform/ports/catalog-store.ts';
import { createSoapSandbox, type SoapSandbox } from '../../sandboxes/soap/index.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { vaultOf } from '../../stack/supplier-credentials.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';

const KEK = `test-kek:${randomBytes(32).toString('base64')}`;
const ACCOUNT = { id: 'hp-start-refused', password: `right-${randomBytes(6).toString('hex')}` };

async function mappedSkus(catalog: CatalogStore, supplier: string): Promise<{ sku: string; supplierSku: string }[]> {
  const out: { sku: string; supplierSku: string }[] = [];
  let after: string | null = null;
  do {
    const page = await catalog.list(500, after);
    for (const p of page.items) for (const m of p.suppliers) if (m.supplier === supplier) out.push({ sku: p.sku, supplierSku: m.supplierSku });
    after = page.nextCursor;
  } while (after !== null);
  return out;
}

const SUPPLIERS_QUERY = '{ suppliers { name health breakerState lastError } }';

describe('a PromoStandards supplier refusing our credentials at start (fault)', () => {
  let stack: Stack;
  let harbor: SoapSandbox;
  let config: ReturnType<typeof testConfig>;

  beforeAll(async () => {
    harbor = await createSoapSandbox({ seed: 17, credentials: ACCOUNT });
    config = testConfig({
      OUTBOUND_ALLOW_LOOPBACK_HTTP: 'true',
      SECRETS_KEK: KEK,
      // Refused: the account's password is not this one.
      HARBORPROMO_URL: harbor.url,
      HARBORPROMO_ID: ACCOUNT.id,
      HARBORPROMO_PASSWORD: 'wrong-password',
      SUPPLIER_BREAKER_OPEN_MS: '300',
      SUPPLIER_TIMEOUT_MS: '2000',
      BRIGHTLINE_POLL_INTERVAL_MS: '0',
      HARBORPROMO_POLL_INTERVAL_MS: '0',
      MAPLECART_POLL_INTERVAL_MS: '0',
      RECONCILE_INTERVAL_MS: '0',
    });
    stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', orderLoopMs: 0, initialSyncRetryMs: { first: 200, max: 1_000 } });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await harbor?.close();
  });

  it('starts anyway, and shows the refusing supplier unhealthy', async () => {
    expect(stack.initialSync.pending()).toContain('harborpromo');
    expect(await mappedSkus(stack.stores.catalog, 'harborpromo')).toEqual([]);
    const { json } = await postGraphql(stack.gateway.graphqlUrl, { query: SUPPLIERS_QUERY });
    expect(json.errors).toBeUndefined();
    const harborRow = (json.data.suppliers as { name: string; health: string; lastError: string | null }[]).find((s) => s.name === 'harborpromo')!;
    expect(harborRow.health).not.toBe('HEALTHY');
    expect(harborRow.lastError).toMatch(/^(MISCONFIGURED \(critical\)|SUPPLIER_CIRCUIT_OPEN )/);
  }, 30_000);

  it('catches up, catalog and stock, once the credential store holds the right password (no restart)', async () => {
    const stored = performance.now();
    await vaultOf(config, stack.stores.credentials).set('harborpromo', 'password', ACCOUNT.password);
    const deadline = AbortSignal.timeout(150_000); // the whole import again: see supplier-start-down.fault.test.ts on FerretDB's figure
    await Promise.race([
      stack.initialSync.caughtUp('harborpromo'),
      new Promise((_, reject) => deadline.addEventListener('abort', () => reject(new Error(`still pending: ${stack.initialSync.pending().join(', ')}`)))),
    ]);
    const caughtUpMs = performance.now() - stored;

    const rows = await mappedSkus(stack.stores.catalog, 'harborpromo');
    expect(rows.length, 'catalog imported').toBe(harbor.supplierSkus().length);
    const { sku, supplierSku } = rows[0]!;
    expect((await stack.stores.stock.get(sku, 'harborpromo'))?.onHand, 'stock snapshot').toBe(harbor.stockOf(supplierSku));

    // Live reads go through with the new password too.
    const { json } = await postGraphql(stack.gateway.graphqlUrl, { query: `query($sku: ID!) { product(sku: $sku) { offers { __typename available } } }`, variables: { sku } });
    expect(json.errors).toBeUndefined();
    expect(json.data.product.offers).toContainEqual({ __typename: 'HarborpromoOffer', available: harbor.stockOf(supplierSku) });
    const suppliers = await postGraphql(stack.gateway.graphqlUrl, { query: SUPPLIERS_QUERY });
    const harborRow = (suppliers.json.data.suppliers as { name: string; health: string; breakerState: string }[]).find((s) => s.name === 'harborpromo')!;
    expect(harborRow.breakerState).toBe('CLOSED');
    expect(harborRow.health).not.toBe('DOWN');
    expect(caughtUpMs).toBeLessThan(150_000);
  }, 180_000);
});
