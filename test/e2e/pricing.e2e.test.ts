/**
 * Sell prices through the gateway (issue 18; docs/storefront.md "Prices"), AUTH_MODE=required on the bundled
 * sandboxes: a product two or more suppliers carry shows every offer with its landed cost in the store currency, and
 * the price of the offer routing would pick (lowest landed cost, every supplier in stock); an admin's rule change
 * through the graph is in the very next query's price, and reaches another process's cached rules through the
 * event bus; a partner may neither read nor change rules. Runs on MongoDB and Redis when MONGO_URL / REDIS_URL are
 * set, else embedded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/logger.ts';
import { dec } from '../../subgraphs/pricing/money.ts';
import { createRuleSource } from '../../subgraphs/pricing/rule-source.ts';
import { roundUp } from '../../subgraphs/pricing/sell-price.ts';
import { startSecureStack, type SecureStack } from '../security/support.ts';

const RATES = { CAD: '0.7312', EUR: '1.0843', GBP: '1.2655' };
const PRODUCT = `query($sku: ID!) { product(sku: $sku) {
  offers { __typename id supplier { name } available cost { amount currency } landedCost { amount currency fxRate fxRateDate unitCost { amount currency } } }
  price { amount currency supplier available markupRule roundingRule landedCost { amount currency fxRateDate } }
  bestOffer { __typename id }
} }`;
const SET_RULE = `mutation($input: PricingRuleInput!) { setPricingRule(input: $input) { id scope key markupPercent source updatedBy } }`;

describe('sell prices (e2e)', () => {
  let secure: SecureStack;
  let admin: string;
  let partner: string;
  let sku: string;

  const as = async (token: string, query: string, variables: Record<string, unknown> = {}) => (await secure.query(token, { query, variables })).json;
  /** The price a markup gives a landed cost under the configured .99 rounding (the arithmetic is unit-tested). */
  const expected = (landed: string, markupPercent: string) => roundUp(dec(landed).times(dec(markupPercent).dividedBy(100).plus(1)), '0.99', 'USD').toFixed(2);

  beforeAll(async () => {
    secure = await startSecureStack({
      STORE_CURRENCY: 'USD',
      PRICING_FX_RATES: JSON.stringify({ date: '2026-12-01', rates: RATES }),
      PRICING_RULES: JSON.stringify([{ scope: 'default', markupPercent: '50', rounding: '0.99' }]),
      ORDER_ROUTING_POLICY: JSON.stringify({ strategy: 'lowest_cost' }),
      OFFER_CACHE_TTL_MS: '600000',
    });
    admin = (await secure.issue('ops', ['admin'])).token;
    partner = (await secure.issue('acme', ['catalog:read', 'inventory:read', 'orders:read'])).token;
    const products = (await secure.stack.stores.catalog.list(50, null)).items;
    sku = products.find((p) => new Set(p.suppliers.map((m) => m.supplier)).size >= 2)!.sku;
    expect(sku, 'a product two suppliers carry').toBeDefined();
  }, 120_000);

  afterAll(async () => {
    await secure?.close();
  }, 30_000);

  it('shows every supplier’s offer with its landed cost, and the price of the offer routing picks (lowest landed cost)', async () => {
    const first = await as(partner, PRODUCT, { sku });
    expect(first.errors).toBeUndefined();
    const offers = first.data.product.offers as any[];
    expect(new Set(offers.map((o) => o.supplier.name)).size).toBeGreaterThanOrEqual(2);
    // Maplecart prices in CAD: the conversion at the configured, dated rate is on the path.
    expect(offers.some((o) => o.cost.currency === 'CAD') && offers.some((o) => o.cost.currency === 'USD')).toBe(true);
    for (const o of offers) {
      expect(o.landedCost.currency).toBe('USD');
      expect(o.landedCost.unitCost).toEqual(o.cost);
      if (o.cost.currency === 'USD') expect(o.landedCost).toMatchObject({ fxRate: '1', fxRateDate: null });
      else expect(o.landedCost).toMatchObject({ fxRate: RATES[o.cost.currency as keyof typeof RATES], fxRateDate: '2026-12-01' });
      expect(dec(o.landedCost.amount).eq(dec(o.cost.amount).times(dec(o.landedCost.fxRate)).decimalPlaces(2, 4))).toBe(true);
    }
    // The offers' answers filled the offer cache the price is computed from (never a live supplier call).
    const { json } = await secure.query(partner, { query: PRODUCT, variables: { sku } });
    const product = json.data.product;
    const cheapest = offers.reduce((a, b) => (dec(b.landedCost.amount).lt(dec(a.landedCost.amount)) ? b : a));
    const tied = offers.filter((o) => dec(o.landedCost.amount).eq(dec(cheapest.landedCost.amount))).map((o) => o.supplier.name);
    expect(tied).toContain(product.price.supplier);
    const chosen = offers.find((o) => o.supplier.name === product.price.supplier)!;
    expect(product.bestOffer).toEqual({ __typename: chosen.__typename, id: chosen.id });
    expect(product.price).toMatchObject({ currency: 'USD', available: true, markupRule: 'default:', roundingRule: 'default:', amount: expected(chosen.landedCost.amount, '50') });
    expect(product.price.landedCost).toMatchObject({ amount: chosen.landedCost.amount, currency: 'USD', fxRateDate: chosen.landedCost.fxRateDate });
  });

  it('an admin’s rule change is in the next query’s price, here and in another process’s cached rules', async () => {
    const before = (await as(partner, PRODUCT, { sku })).data.product.price;
    // Another process's rules, read and cached before the change; only the bus can tell it.
    const elsewhere = createRuleSource({ store: secure.stack.stores.pricingRules, configured: [], events: secure.stack.stores.events, log: silentLogger(), maxAgeMs: 3_600_000 });
    await elsewhere.start();
    try {
      expect(await elsewhere.current()).toEqual([]);
      const set = await as(admin, SET_RULE, { input: { scope: 'SUPPLIER', key: before.supplier, markupPercent: '100' } });
      expect(set.errors).toBeUndefined();
      expect(set.data.setPricingRule).toMatchObject({ id: `supplier:${before.supplier}`, scope: 'SUPPLIER', markupPercent: '100', source: 'GRAPH' });
      expect(set.data.setPricingRule.updatedBy).toMatch(/^token:/);

      const after = (await as(partner, PRODUCT, { sku })).data.product.price;
      expect(after).toMatchObject({ supplier: before.supplier, markupRule: `supplier:${before.supplier}`, roundingRule: 'default:', amount: expected(before.landedCost.amount, '100') });
      expect(dec(after.amount).gt(dec(before.amount))).toBe(true);
      await expect.poll(async () => (await elsewhere.current()).find((r) => r.scope === 'supplier')?.markupPercent, { timeout: 5_000 }).toBe('100');

      const listed = await as(admin, `{ pricing { storeCurrency fxRateDate fxRates { currency rate } rules { id source markupPercent rounding } } }`);
      expect(listed.data.pricing).toMatchObject({ storeCurrency: 'USD', fxRateDate: '2026-12-01' });
      expect(listed.data.pricing.rules).toEqual([
        { id: 'default:', source: 'CONFIGURATION', markupPercent: '50', rounding: '0.99' },
        { id: `supplier:${before.supplier}`, source: 'GRAPH', markupPercent: '100', rounding: null },
      ]);

      const removed = await as(admin, `mutation($key: String) { deletePricingRule(scope: SUPPLIER, key: $key) }`, { key: before.supplier });
      expect(removed.data.deletePricingRule).toBe(true);
      // Both changes are admin actions in the audit log, by the admin's token.
      const audited = (await secure.stack.stores.audit.list({ action: 'admin.action' }, 50, null)).items.filter((e) => e.target === `pricing_rule:supplier:${before.supplier}`);
      expect(audited).toHaveLength(2);
      for (const e of audited) expect(e).toMatchObject({ outcome: 'success', actor: set.data.setPricingRule.updatedBy });
      expect((await as(partner, PRODUCT, { sku })).data.product.price).toMatchObject({ amount: before.amount, markupRule: 'default:' });
    } finally {
      await elsewhere.close();
    }
  });

  it('refuses a bad rule with INVALID_INPUT naming the field', async () => {
    const bad = await as(admin, SET_RULE, { input: { scope: 'DEFAULT', minMarginPercent: '100' } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'minMarginPercent', reason: 'OUT_OF_RANGE' });
    expect(await secure.stack.stores.pricingRules.list()).toEqual([]);
  });

  it('a partner may neither change nor read the rules', async () => {
    const change = await as(partner, SET_RULE, { input: { scope: 'DEFAULT', markupPercent: '1' } });
    expect(change.data ?? null).toBeNull();
    expect(change.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const read = await as(partner, `{ pricing { rules { id } } }`);
    expect(read.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await secure.stack.stores.pricingRules.list()).toEqual([]);
  });
});
