/**
 * lowest_cost routing across currencies, through the gateway (docs/orders.md "Routing policy"; docs/storefront.md
 * "Prices"), AUTH_MODE=required on the bundled sandboxes. maplecart quotes CAD, the others USD; the store is USD at a
 * configured CAD rate. For a product whose cheapest raw amount is a USD offer but whose cheapest landed cost in USD is
 * maplecart's, placeOrder routes the line to the supplier Product.bestOffer names (maplecart), not to the one the raw
 * amounts would pick. Runs on MongoDB and Redis when MONGO_URL / REDIS_URL are set, else embedded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec } from '../../subgraphs/pricing/money.ts';
import { startSecureStack, type SecureStack } from '../security/support.ts';

const RATES = { CAD: '0.7312' };
const SHIP_TO = { name: 'Grace Hopper', line1: '1 Compiler Row', city: 'Arlington', region: 'VA', postalCode: '22201', country: 'US' };
const PRODUCT = `query($sku: ID!) { product(sku: $sku) {
  offers { __typename id supplier { name } available cost { amount currency } landedCost { amount currency } }
  price { supplier available }
  bestOffer { __typename id }
} }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  id status lines { supplier allocations { supplier quantity reason } } subOrders { supplier state }
} }`;

interface OfferView {
  __typename: string;
  id: string;
  supplier: { name: string };
  available: number;
  cost: { amount: string; currency: string };
  landedCost: { amount: string; currency: string } | null;
}

describe('lowest_cost routing compares in the store currency (e2e)', () => {
  let secure: SecureStack;
  let partner: string;

  const as = async (query: string, variables: Record<string, unknown> = {}) => (await secure.query(partner, { query, variables })).json;

  beforeAll(async () => {
    secure = await startSecureStack({
      STORE_CURRENCY: 'USD',
      PRICING_FX_RATES: JSON.stringify({ date: '2026-12-01', rates: RATES }),
      ORDER_ROUTING_POLICY: JSON.stringify({ strategy: 'lowest_cost' }),
      OFFER_CACHE_TTL_MS: '600000',
    });
    partner = (await secure.issue('acme', ['catalog:read', 'inventory:read', 'orders:read', 'orders:write'])).token;
  }, 120_000);

  afterAll(async () => {
    await secure?.close();
  }, 30_000);

  it('places the order with the supplier Product.bestOffer names, where raw amounts would pick another', async () => {
    const products = (await secure.stack.stores.catalog.list(200, null)).items.filter((p) => p.suppliers.some((m) => m.supplier === 'maplecart') && p.suppliers.some((m) => m.supplier !== 'maplecart'));
    expect(products.length, 'products maplecart shares with a USD supplier').toBeGreaterThan(0);
    // A product every supplier has in stock, whose cheapest raw amount and cheapest landed cost disagree.
    let chosen: { sku: string; best: OfferView; rawCheapest: OfferView } | undefined;
    for (const p of products.slice(0, 20)) {
      const live = await as(PRODUCT, { sku: p.sku }); // fills the offer cache the price is computed from
      expect(live.errors).toBeUndefined();
      const offers = live.data.product.offers as OfferView[];
      if (offers.length < 2 || offers.some((o) => o.available < 1 || o.landedCost === null)) continue;
      const { data } = await as(PRODUCT, { sku: p.sku });
      const best = offers.find((o) => o.__typename === data.product.bestOffer?.__typename && o.id === data.product.bestOffer?.id);
      const rawCheapest = offers.reduce((a, b) => (dec(b.cost.amount).lt(dec(a.cost.amount)) ? b : a));
      if (best !== undefined && best.supplier.name !== rawCheapest.supplier.name && dec(best.cost.amount).gt(dec(rawCheapest.cost.amount))) {
        chosen = { sku: p.sku, best, rawCheapest };
        break;
      }
    }
    expect(chosen, 'a product whose raw-cheapest offer is not its cheapest landed in USD').toBeDefined();
    const { sku, best, rawCheapest } = chosen!;
    // The precondition that makes this test able to fail: bestOffer is CAD, dearer in raw amount, cheaper in USD.
    expect(best.cost.currency).toBe('CAD');
    expect(rawCheapest.cost.currency).toBe('USD');
    expect(dec(best.landedCost!.amount).lt(dec(rawCheapest.landedCost!.amount))).toBe(true);

    const preview = await as(`query($input: PlaceOrderInput!) { previewOrderRouting(input: $input) { lines { parts { supplier reason } } } }`, {
      input: { idempotencyKey: 'unused', shipTo: SHIP_TO, lines: [{ sku, quantity: 1 }] },
    });
    expect(preview.errors).toBeUndefined();
    expect(preview.data.previewOrderRouting.lines[0].parts).toEqual([{ supplier: best.supplier.name, reason: expect.stringMatching(/^lowest landed cost: /) }]);

    const placed = await as(PLACE, { input: { idempotencyKey: `lowest-cost-${Date.now()}`, shipTo: SHIP_TO, lines: [{ sku, quantity: 1 }] } });
    expect(placed.errors).toBeUndefined();
    const order = placed.data.placeOrder;
    expect(order.lines[0].supplier).toBe(best.supplier.name);
    expect(order.lines[0].allocations).toEqual([{ supplier: best.supplier.name, quantity: 1, reason: expect.stringMatching(new RegExp(`^lowest landed cost: ${best.supplier.name} is preferred`)) }]);
    expect(order.subOrders).toEqual([{ supplier: best.supplier.name, state: 'SUBMITTED' }]);
    // The supplier holds the order in its own system; the raw-cheapest supplier holds none.
    expect(secure.stack.sandboxes.get(best.supplier.name)!.orders().length).toBe(1);
    expect(secure.stack.sandboxes.get(rawCheapest.supplier.name)!.orders()).toEqual([]);
  }, 90_000);
});
