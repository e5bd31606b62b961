/**
 * Issue 11, point 9: PromoStandards FutureAvailability reaches clients. A part the supplier holds little of reports
 * a replenishment (the sandbox: 250 units due in the part's lead time); its offer shows it as `incoming` through the
 * gateway, also when the offer is served from the offer cache. A part with plenty, and a supplier that tells nothing
 * of future stock, show null.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/logger.ts';
import type { SoapSandbox } from '../../sandboxes/soap/index.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { newProduct } from '../contract/catalog-store.contract.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';
import { cleanUpTestData } from '../support/test-data.ts';

const OFFERS = `query($sku: ID!) { product(sku: $sku) { offers { id available ... on HarborpromoOffer { incoming { quantity availableOn } } ... on BrightlineOffer { incoming { quantity } } } } }`;

describe('incoming stock on offers (e2e)', () => {
  let stack: Stack;
  let sandbox: SoapSandbox;
  const config = testConfig({
    HARBORPROMO_POLL_INTERVAL_MS: '0',
    BRIGHTLINE_POLL_INTERVAL_MS: '0',
    MAPLECART_POLL_INTERVAL_MS: '0',
    RECONCILE_INTERVAL_MS: '0',
    OFFER_CACHE_TTL_MS: '60000',
  });
  const offers = async (sku: string) => {
    const { json } = await postGraphql(stack.gateway.graphqlUrl, { query: OFFERS, variables: { sku } });
    expect(json.errors).toBeUndefined();
    return json.data.product.offers as { id: string; available: number; incoming?: { quantity: number; availableOn?: string }[] | null }[];
  };

  beforeAll(async () => {
    stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', seed: false, orderLoopMs: 0 });
    sandbox = stack.sandboxes.get('harborpromo') as SoapSandbox;
  }, 120_000);

  afterAll(async () => {
    if (!stack) return;
    await stack.close();
    await cleanUpTestData(config);
  });

  it('a part low on stock shows the replenishment the supplier announced; from the offer cache too', async () => {
    const [low, plenty] = sandbox.supplierSkus();
    sandbox.driftStock(low!, 4);
    sandbox.driftStock(plenty!, 300);
    const brightlineSku = stack.sandboxes.get('brightline')!.supplierSkus()[0]!;
    const sku = `DS-INC-${Date.now()}`;
    await stack.stores.catalog.insert(newProduct(sku, { title: 'incoming', suppliers: [{ supplier: 'harborpromo', supplierSku: low! }, { supplier: 'brightline', supplierSku: brightlineSku }] }));
    const plentySku = `${sku}-P`;
    await stack.stores.catalog.insert(newProduct(plentySku, { title: 'plenty', suppliers: [{ supplier: 'harborpromo', supplierSku: plenty! }] }));

    sandbox.resetStats();
    const first = await offers(sku);
    const harbor = first.find((o) => o.id === `harborpromo:${low}`)!;
    expect(harbor.available).toBe(4);
    expect(harbor.incoming).toHaveLength(1);
    expect(harbor.incoming![0]!.quantity).toBe(250);
    // Due in the part's lead time: a date after today.
    expect(Date.parse(harbor.incoming![0]!.availableOn!)).toBeGreaterThan(Date.now() - 86_400_000);
    expect(first.find((o) => o.id.startsWith('brightline:'))!.incoming).toBeNull();
    const calls = sandbox.stats().byOperation.getInventoryLevels ?? 0;
    expect(calls).toBeGreaterThan(0);

    // The second read is served from the offer cache (no Inventory call): incoming is kept with the figures.
    const second = await offers(sku);
    expect(sandbox.stats().byOperation.getInventoryLevels ?? 0).toBe(calls);
    expect(second.find((o) => o.id === `harborpromo:${low}`)!.incoming).toEqual(harbor.incoming);

    expect((await offers(plentySku))[0]!.incoming).toBeNull();
  }, 30_000);
});
