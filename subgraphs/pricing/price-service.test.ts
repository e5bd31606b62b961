import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../adapters/cache/memory-cache.ts';
import { createMemoryEventBus } from '../../adapters/events/memory-event-bus.ts';
import { createMemoryPricingRuleStore } from '../../adapters/storage/memory/pricing-rule-store.ts';
import type { SupplierStock } from '../../kernel/model.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { ProductRecord } from '../../platform/ports/catalog-store.ts';
import type { StockRecord } from '../../platform/ports/stock-store.ts';
import { lastKnownOfferKey, offerCacheKey } from '../offer-cache-key.ts';
import { DEFAULT_ROUTING_POLICY, type RoutingPolicy } from '../routing-policy.ts';
import { createPriceService } from './price-service.ts';
import { createRuleSource } from './rule-source.ts';

const fx = { storeCurrency: 'USD', date: '2026-12-01', rates: { CAD: '0.75' } };
const log = silentLogger();

function product(sku: string, suppliers: string[], extra: Partial<ProductRecord> = {}): ProductRecord {
  return { sku, title: sku, brand: 'Acme', gtin: null, manufacturer: null, mpn: null, description: null, suppliers: suppliers.map((s) => ({ supplier: s, supplierSku: `${s}-${sku}` })), createdAt: '', updatedAt: '', ...extra } as ProductRecord;
}
const row = (sku: string, supplier: string, available: number) => ({ sku, supplier, supplierSku: `${supplier}-${sku}`, available }) as StockRecord;
const stockOf = (amount: string, currency = 'USD', extra: Record<string, unknown> = {}): SupplierStock =>
  ({ supplierSku: 'x', available: 5, status: 'in_stock', cost: { amount, currency }, leadTimeDays: null, asOf: '2026-12-01T10:00:00.000Z', ...extra }) as SupplierStock;

async function setup(options: { products: ProductRecord[]; rows: StockRecord[]; policy?: Partial<RoutingPolicy>; rules?: Parameters<typeof createRuleSource>[0]['configured'] }) {
  const cache = createMemoryCache();
  const events = createMemoryEventBus({ log });
  const store = createMemoryPricingRuleStore();
  const rules = createRuleSource({ store, configured: options.rules ?? [{ scope: 'default', key: '', markupPercent: '50' }], events, log });
  await rules.start();
  const reads: string[][] = [];
  const prices = createPriceService({
    catalog: { getBySkus: async (skus) => skus.map((s) => options.products.find((p) => p.sku === s) ?? null) },
    stock: { getBySkus: async (skus) => skus.map((s) => options.rows.filter((r) => r.sku === s)) },
    cache: { getMany: async (keys) => (reads.push([...keys]), cache.getMany(keys)) },
    rules,
    fx,
    policy: { ...DEFAULT_ROUTING_POLICY, ...options.policy },
    log,
  });
  const offer = (supplier: string, sku: string, stock: SupplierStock, key = offerCacheKey) => cache.setMany([[key(supplier, `${supplier}-${sku}`), JSON.stringify({ found: true, stock })]], 60_000);
  return { prices, rules, store, events, offer, cache, reads };
}

describe('price service: the offer routing would pick, priced from the cache', () => {
  it('priority policy: the preferred supplier with stock, whatever is cheaper', async () => {
    const s = await setup({ products: [product('A', ['alpha', 'beta'])], rows: [row('A', 'alpha', 3), row('A', 'beta', 3)], policy: { supplierPriority: ['beta', 'alpha'] } });
    await s.offer('alpha', 'A', stockOf('10.00'));
    await s.offer('beta', 'A', stockOf('12.00'));
    const [price] = await s.prices.pricesOf(['A']);
    expect(price).toMatchObject({ supplier: 'beta', supplierSku: 'beta-A', available: true, fromLastKnown: false });
    expect(price!.price.amount).toEqual({ amount: '18.00', currency: 'USD' });
  });

  it('substitution: the preferred supplier without stock gives way to one that has it', async () => {
    const s = await setup({ products: [product('A', ['alpha', 'beta'])], rows: [row('A', 'alpha', 3), row('A', 'beta', 0)], policy: { supplierPriority: ['beta', 'alpha'] } });
    await s.offer('alpha', 'A', stockOf('10.00'));
    await s.offer('beta', 'A', stockOf('12.00'));
    expect((await s.prices.pricesOf(['A']))[0]).toMatchObject({ supplier: 'alpha', available: true });
  });

  it('nobody has stock: the preferred offer’s price, marked unavailable', async () => {
    const s = await setup({ products: [product('A', ['alpha', 'beta'])], rows: [row('A', 'alpha', 0)], policy: { supplierPriority: ['beta', 'alpha'] } });
    await s.offer('alpha', 'A', stockOf('10.00'));
    await s.offer('beta', 'A', stockOf('12.00'));
    expect((await s.prices.pricesOf(['A']))[0]).toMatchObject({ supplier: 'beta', available: false });
  });

  it('lowest_cost compares landed costs in the store currency: CAD 12.00 (= USD 9.00) beats USD 10.00', async () => {
    const s = await setup({ products: [product('A', ['alpha', 'maple'])], rows: [row('A', 'alpha', 3), row('A', 'maple', 3)], policy: { strategy: 'lowest_cost' } });
    await s.offer('alpha', 'A', stockOf('10.00'));
    await s.offer('maple', 'A', stockOf('12.00', 'CAD'));
    const [price] = await s.prices.pricesOf(['A']);
    expect(price).toMatchObject({ supplier: 'maple' });
    expect(price!.price.landedCost).toMatchObject({ amount: { amount: '9.00', currency: 'USD' }, fxRate: '0.75', fxRateDate: '2026-12-01' });
    expect(price!.price.amount.amount).toBe('13.50');
  });

  it('lowest_cost with shipping: USD 10 + 3 shipping loses to USD 11 without', async () => {
    const s = await setup({ products: [product('A', ['alpha', 'beta'])], rows: [row('A', 'alpha', 3), row('A', 'beta', 3)], policy: { strategy: 'lowest_cost', shippingCost: { alpha: '3.00' } } });
    await s.offer('alpha', 'A', stockOf('10.00'));
    await s.offer('beta', 'A', stockOf('11.00'));
    expect((await s.prices.pricesOf(['A']))[0]).toMatchObject({ supplier: 'beta' });
  });

  it('falls back to the last known answer, says so, and leaves out unlisted offers and unconvertible costs', async () => {
    const s = await setup({ products: [product('A', ['alpha', 'beta', 'gamma'])], rows: [row('A', 'alpha', 3), row('A', 'beta', 3), row('A', 'gamma', 3)], policy: { supplierPriority: ['gamma', 'beta', 'alpha'] } });
    await s.cache.setMany([[offerCacheKey('gamma', 'gamma-A'), JSON.stringify({ found: false })]], 60_000);
    await s.offer('beta', 'A', stockOf('10.00', 'GBP'));
    await s.offer('alpha', 'A', stockOf('10.00'), lastKnownOfferKey);
    expect((await s.prices.pricesOf(['A']))[0]).toMatchObject({ supplier: 'alpha', fromLastKnown: true });
  });

  it('null for an unknown product and for one with no cached offer; one cache read per batch', async () => {
    const s = await setup({ products: [product('A', ['alpha']), product('B', ['alpha'])], rows: [] });
    await s.offer('alpha', 'A', stockOf('10.00'));
    const prices = await s.prices.pricesOf(['A', 'nope', 'B']);
    expect(prices.map((p) => p?.sku ?? null)).toEqual(['A', null, null]);
    expect(s.reads).toHaveLength(2); // the fresh entries of A and B together, then B's last known
  });

  it('a partner limited to some suppliers is priced from their offers only', async () => {
    const s = await setup({ products: [product('A', ['alpha', 'beta'])], rows: [row('A', 'alpha', 3), row('A', 'beta', 3)], policy: { supplierPriority: ['beta', 'alpha'] } });
    await s.offer('alpha', 'A', stockOf('10.00'));
    await s.offer('beta', 'A', stockOf('12.00'));
    expect((await s.prices.pricesOf(['A'], ['alpha']))[0]).toMatchObject({ supplier: 'alpha' });
  });

  it('applies the supplier’s MAP when its offer states one, and the product’s categories and brand', async () => {
    const s = await setup({
      products: [product('A', ['alpha'], { categories: ['Mugs'] } as Partial<ProductRecord>)],
      rows: [row('A', 'alpha', 3)],
      rules: [{ scope: 'default', key: '', markupPercent: '10' }, { scope: 'category', key: 'mugs', markupPercent: '20' }],
    });
    await s.offer('alpha', 'A', stockOf('10.00', 'USD', { map: { amount: '15.00', currency: 'USD' } }));
    const [price] = await s.prices.pricesOf(['A']);
    expect(price!.price).toMatchObject({ amount: { amount: '15.00', currency: 'USD' }, mapFloorApplied: true });
    expect(price!.price.rule.markupFrom).toBe('category:mugs');
  });
});

describe('rule source: read once, dropped on a change in any process', () => {
  it('keeps the rules between reads, and a change here or through the bus is seen by the next read', async () => {
    const events = createMemoryEventBus({ log });
    const store = createMemoryPricingRuleStore();
    let lists = 0;
    const counted = { ...store, list: async () => ((lists += 1), store.list()) };
    const here = createRuleSource({ store: counted, configured: [{ scope: 'default', key: '', markupPercent: '10' }], events, log });
    const there = createRuleSource({ store: counted, configured: [], events, log });
    await here.start();
    await there.start();
    await here.current();
    await here.current();
    expect(lists).toBe(1);
    expect(await there.current()).toEqual([]);
    await here.set({ scope: 'brand', key: 'Acme', markupPercent: '30' }, 'token:t1');
    expect((await here.current()).map((r) => r.scope)).toEqual(['default', 'brand']);
    // The other process hears of it on the bus (delivered asynchronously).
    await expect.poll(() => there.current()).toEqual([{ scope: 'brand', key: 'Acme', markupPercent: '30', markupFixed: null, minMarginPercent: null, rounding: null }]);
    expect(await there.remove('brand', 'ACME')).toBe(true);
    await expect.poll(async () => (await here.current()).map((r) => r.scope)).toEqual(['default']);
  });

  it('reads again after maxAgeMs, should an event be lost', async () => {
    let now = 0;
    const store = createMemoryPricingRuleStore();
    const source = createRuleSource({ store, configured: [], events: createMemoryEventBus({ log }), log, maxAgeMs: 1_000, now: () => now });
    expect(await source.current()).toEqual([]);
    await store.put({ id: 'default:', scope: 'default', key: '', markupPercent: '5', markupFixed: null, minMarginPercent: null, rounding: null, updatedAt: '', updatedBy: null });
    expect(await source.current()).toEqual([]);
    now = 1_000;
    expect(await source.current()).toHaveLength(1);
  });
});
