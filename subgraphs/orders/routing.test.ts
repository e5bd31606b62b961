import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import { openStores, type Stores } from '../../adapters/storage/open-stores.ts';
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/logger.ts';
import { orderKms } from '../../stack/orders.ts';
import { newProduct } from '../../test/contract/catalog-store.contract.ts';
import { createBufferPolicy } from '../inventory/buffer-policy.ts';
import { createReservationService } from '../inventory/reservations.ts';
import { createStockUpdater } from '../inventory/stock-updater.ts';
import { storeCurrencyAmount } from '../pricing/fx.ts';
import { createOrderService } from './order-service.ts';
import { DEFAULT_ROUTING_POLICY, routeLine, routingPolicyOf, type RoutingCandidate } from './routing.ts';

const c = (supplier: string, available: number, cost: string | null = null): RoutingCandidate => ({
  supplier,
  supplierSku: `${supplier}-sku`,
  available,
  unitCost: cost === null ? null : { amount: cost, currency: 'USD' },
});

describe('routeLine', () => {
  it('splits 10 units over 6 at A and 4 at B when neither covers the line', () => {
    const d = routeLine('S', 10, [c('a', 6), c('b', 4)], { ...DEFAULT_ROUTING_POLICY, supplierPriority: ['a', 'b'] });
    expect(d.allocations.map((x) => [x.supplier, x.quantity])).toEqual([['a', 6], ['b', 4]]);
    expect(d.unallocated).toBe(0);
    expect(d.reason).toContain('split');
  });

  it('prefers a supplier that covers the whole line over a preferred one that cannot (substitute)', () => {
    const d = routeLine('S', 5, [c('a', 2), c('b', 9)], { ...DEFAULT_ROUTING_POLICY, supplierPriority: ['a', 'b'] });
    expect(d.allocations.map((x) => [x.supplier, x.quantity])).toEqual([['b', 5]]);
    expect(d.reason).toMatch(/^substitute: preferred a/);
  });

  it('follows supplier priority when several cover the line', () => {
    const d = routeLine('S', 1, [c('a', 5), c('b', 5)], { ...DEFAULT_ROUTING_POLICY, supplierPriority: ['b', 'a'] });
    expect(d.allocations[0]?.supplier).toBe('b');
  });

  it('lowest landed cost counts per-order shipping spread over the units', () => {
    const policy = { ...DEFAULT_ROUTING_POLICY, strategy: 'lowest_cost' as const, shippingCost: { a: '10.00' } };
    // a: 5.00 + 10.00/2 = 10.00 per unit; b: 8.00 per unit.
    expect(routeLine('S', 2, [c('a', 5, '5.00'), c('b', 5, '8.00')], policy).allocations[0]?.supplier).toBe('b');
    // a: 5.00 + 10.00/20 = 5.50 per unit beats b.
    expect(routeLine('S', 20, [c('a', 50, '5.00'), c('b', 50, '8.00')], policy).allocations[0]?.supplier).toBe('a');
  });

  it('skips suppliers that refused the line, and reports what cannot be covered', () => {
    expect(routeLine('S', 3, [c('a', 5), c('b', 5)], DEFAULT_ROUTING_POLICY, ['a']).allocations[0]?.supplier).toBe('b');
    const none = routeLine('S', 3, [c('a', 5)], DEFAULT_ROUTING_POLICY, ['a']);
    expect(none).toMatchObject({ allocations: [], unallocated: 3 });
    const short = routeLine('S', 12, [c('a', 6), c('b', 4)], DEFAULT_ROUTING_POLICY);
    expect(short).toMatchObject({ allocations: [], unallocated: 12, reason: 'only 10 of 12 available across suppliers' });
    expect(routeLine('S', 8, [c('a', 6), c('b', 4)], { ...DEFAULT_ROUTING_POLICY, allowSplit: false }).unallocated).toBe(8);
  });
});

/**
 * lowest_cost across currencies: costs are compared in the store currency at the configured rates (the converter
 * the stack wires, subgraphs/pricing/fx.ts), never as raw amounts. Store USD, 1 CAD = 0.74 USD.
 */
describe('lowest_cost compares in the store currency', () => {
  const fx = { storeCurrency: 'USD', date: '2026-12-01', rates: { CAD: '0.74' } };
  const offer = (supplier: string, amount: string, currency: string, available = 10): RoutingCandidate => ({ supplier, supplierSku: `${supplier}-sku`, available, unitCost: { amount, currency } });
  const policy = { ...DEFAULT_ROUTING_POLICY, strategy: 'lowest_cost' as const, compareIn: storeCurrencyAmount(fx) };

  it('a CAD 10.00 offer (USD 7.40) beats a USD 9.00 one, which raw amounts would pick', () => {
    const line = [offer('usd-supplier', '9.00', 'USD'), offer('cad-supplier', '10.00', 'CAD')];
    expect(routeLine('S', 1, line, policy).allocations[0]?.supplier).toBe('cad-supplier');
    // Without the converter the same candidates are compared raw, 9 < 10: the wrong supplier.
    expect(routeLine('S', 1, line, { ...policy, compareIn: undefined }).allocations[0]?.supplier).toBe('usd-supplier');
    // Converted amounts decide both ways: CAD 12.50 = USD 9.25 beats USD 9.50 and loses to USD 9.00.
    expect(routeLine('S', 1, [offer('usd-supplier', '9.50', 'USD'), offer('cad-supplier', '12.50', 'CAD')], policy).allocations[0]?.supplier).toBe('cad-supplier');
    expect(routeLine('S', 1, [offer('usd-supplier', '9.00', 'USD'), offer('cad-supplier', '12.50', 'CAD')], policy).allocations[0]?.supplier).toBe('usd-supplier');
  });

  it('shipping is taken in the supplier cost currency and converted with it', () => {
    // cad: 10.00 CAD + 4.00 CAD shipping = 14.00 CAD = 10.36 USD per unit, dearer than usd's 9.00 + 1.00.
    const line = [offer('usd-supplier', '9.00', 'USD'), offer('cad-supplier', '10.00', 'CAD')];
    const shipped = { ...policy, shippingCost: { 'cad-supplier': '4.00', 'usd-supplier': '1.00' } };
    expect(routeLine('S', 1, line, shipped).allocations[0]?.supplier).toBe('usd-supplier');
    // Over 4 units cad's shipping is 1.00 CAD a unit: 11.00 CAD = 8.14 USD beats 9.25 USD.
    expect(routeLine('S', 4, line, shipped).allocations[0]?.supplier).toBe('cad-supplier');
  });

  it('an offer whose currency has no configured rate ranks after every convertible offer, never compared raw', () => {
    // GBP has no rate: its 1.00 is not "cheapest", it goes after both convertible offers.
    const line = [offer('gbp-supplier', '1.00', 'GBP'), offer('usd-supplier', '9.00', 'USD'), offer('cad-supplier', '13.00', 'CAD')];
    expect(routeLine('S', 1, line, policy).allocations[0]?.supplier).toBe('usd-supplier');
    // Split order shows the whole ranking: usd (9.00), cad (9.62), then gbp (no rate).
    const split = routeLine('S', 3, line.map((c) => ({ ...c, available: 1 })), policy);
    expect(split.allocations.map((a) => a.supplier)).toEqual(['usd-supplier', 'cad-supplier', 'gbp-supplier']);
    // Only unconvertible offers: they tie on cost, and supplier priority then name decide.
    const none = [offer('b-gbp', '1.00', 'GBP'), offer('a-eur', '5.00', 'EUR')];
    expect(routeLine('S', 1, none, policy).allocations[0]?.supplier).toBe('a-eur');
    expect(routeLine('S', 1, none, { ...policy, supplierPriority: ['b-gbp'] }).allocations[0]?.supplier).toBe('b-gbp');
  });
});

/**
 * The policy settings (ORDER_ROUTING_POLICY, docs/orders.md), read through the real config loader: each one,
 * changed alone from the defaults, changes the decision for the same line and candidates, and the reason says why.
 * a: 3 units at 4.00 (short for 5), b: 10 at 6.00, c: 10 at 5.00.
 */
describe('routing policy settings (ORDER_ROUTING_POLICY)', () => {
  const line = [c('a', 3, '4.00'), c('b', 10, '6.00'), c('c', 10, '5.00')];
  const policyOf = (setting: object) => routingPolicyOf(loadConfig({ ORDER_ROUTING_POLICY: JSON.stringify(setting) }).orders.routingPolicy);
  const route = (setting: object, quantity = 5, allowed?: readonly string[]) => routeLine('S', quantity, line, policyOf(setting), [], allowed);
  const parts = (d: ReturnType<typeof routeLine>) => d.allocations.map((x) => [x.supplier, x.quantity]);

  it('unset is the built-in default policy', () => {
    expect(routingPolicyOf(loadConfig({}).orders.routingPolicy)).toEqual(DEFAULT_ROUTING_POLICY);
    expect(policyOf({})).toEqual(DEFAULT_ROUTING_POLICY);
  });

  it('defaults: priority by name, the short preferred supplier is substituted by the first that covers the line', () => {
    const d = route({});
    expect(parts(d)).toEqual([['b', 5]]);
    expect(d.reason).toBe('substitute: preferred a has only 3; b covers all 5');
  });

  it('supplierPriority puts a listed supplier first', () => {
    const d = route({ supplierPriority: ['c'] });
    expect(parts(d)).toEqual([['c', 5]]);
    expect(d.reason).toBe('supplier priority: c is preferred and has 10 available');
  });

  it('strategy lowest_cost ranks by landed cost: a (short), then c substitutes before b', () => {
    const d = route({ strategy: 'lowest_cost' });
    expect(parts(d)).toEqual([['c', 5]]);
    expect(d.reason).toBe('substitute: preferred a has only 3; c covers all 5');
    // Shipping spread over the units makes c dearer than b: 5.00 + 10.00 / 5 = 7.00 per unit.
    expect(parts(route({ strategy: 'lowest_cost', shippingCost: { c: '10.00' } }))).toEqual([['b', 5]]);
  });

  it('a strategy list applies its criteria in order: priority first, cost among the unlisted', () => {
    // Priority alone: b before c by name. Priority then cost: nobody listed, so c (5.00) before b (6.00).
    expect(parts(route({ strategy: ['priority', 'lowest_cost'] }))).toEqual([['c', 5]]);
    const d = route({ strategy: ['priority', 'lowest_cost'], supplierPriority: ['b'] });
    expect(parts(d)).toEqual([['b', 5]]);
    expect(d.reason).toBe('supplier priority, then lowest landed cost: b is preferred and has 10 available');
    // Cost first: the listed b loses to the cheaper c.
    expect(parts(route({ strategy: ['lowest_cost', 'priority'], supplierPriority: ['b'] }))).toEqual([['c', 5]]);
  });

  it('allowSubstitution off: the preferred supplier keeps what it has and the rest is split', () => {
    const d = route({ allowSubstitution: false });
    expect(parts(d)).toEqual([['a', 3], ['b', 2]]);
    expect(d.reason).toBe('split over a 3, b 2: no supplier covers 5 alone');
  });

  it('allowSubstitution and allowSplit off: a short preferred supplier leaves the line unrouted', () => {
    expect(route({ allowSubstitution: false, allowSplit: false })).toMatchObject({ allocations: [], unallocated: 5, reason: 'no single supplier has 5 of S and splitting is off' });
  });

  it('allowSplit off: a line nobody covers alone is not split', () => {
    expect(parts(route({}, 15))).toEqual([['a', 3], ['b', 10], ['c', 2]]);
    expect(route({ allowSplit: false }, 15)).toMatchObject({ allocations: [], unallocated: 15, reason: 'no single supplier has 15 of S and splitting is off' });
  });

  it('allowed suppliers: routes among them only, and says so without naming the others', () => {
    const d = route({ supplierPriority: ['b'] }, 5, ['c']);
    expect(parts(d)).toEqual([['c', 5]]);
    expect(d.reason).toBe('supplier priority: c is preferred and has 10 available');
    // Only a is allowed and has 3: short, not substituted by suppliers outside the list.
    expect(route({}, 5, ['a'])).toMatchObject({ allocations: [], unallocated: 5, reason: 'only 3 of 5 available across suppliers' });
    const none = route({}, 5, ['zeta']);
    expect(none).toMatchObject({ allocations: [], unallocated: 5, outsideAccess: true, reason: 'no supplier you may order from carries S' });
    // Not limited to anything that matters, but nobody carries it: not an access problem.
    const nobody = routeLine('S', 1, [], DEFAULT_ROUTING_POLICY, [], ['a']);
    expect(nobody.reason).toBe('no supplier carries S');
    expect(nobody.outsideAccess).toBeUndefined();
  });
});

/**
 * previewOrderRouting on the order service (embedded stores): the configured policy decides, the allowed suppliers
 * limit, and each line's reason explains the decision. Suppliers are answered by a small in-test connector that
 * only quotes live stock and cost (what routing asks of them).
 */
describe('previewOrderRouting explains the configured policy', () => {
  const SHIP_TO = { name: 'Ada Lovelace', line1: '12 St James Sq', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' };
  const quotes: Record<string, { available: number; cost: string }> = { a: { available: 3, cost: '4.00' }, b: { available: 10, cost: '6.00' }, c: { available: 10, cost: '5.00' } };
  const quoting = (supplier: string): SupplierConnector =>
    ({
      supplier,
      maxStockBatch: 50,
      async getStock(skus: readonly string[]) {
        return skus.map((supplierSku) => ({ supplierSku, available: quotes[supplier]!.available, status: 'in_stock', cost: { amount: quotes[supplier]!.cost, currency: 'USD' }, leadTimeDays: null, asOf: new Date().toISOString() }));
      },
    }) as unknown as SupplierConnector;
  let stores: Stores;
  const log = silentLogger();

  beforeAll(async () => {
    stores = await openStores({}, log);
    await stores.catalog.insert(newProduct('DS-ROUTE', { suppliers: ['a', 'b', 'c'].map((s) => ({ supplier: s, supplierSku: `${s}-sku` })) }));
    const asOf = new Date().toISOString();
    for (const s of ['a', 'b', 'c']) await stores.stock.applyReport({ sku: 'DS-ROUTE', supplier: s, supplierSku: `${s}-sku`, onHand: quotes[s]!.available, supplierAsOf: asOf }, 0);
  });
  afterAll(async () => {
    await stores.close();
  });

  const serviceWith = (setting: object) => {
    const updater = createStockUpdater({ stock: stores.stock, cache: stores.cache, events: stores.events, log });
    return createOrderService({
      orders: stores.orders,
      catalog: stores.catalog,
      stock: stores.stock,
      reservations: createReservationService({ reservations: stores.reservations, updater, buffers: createBufferPolicy(), log }),
      connectors: new Map(['a', 'b', 'c'].map((s) => [s, quoting(s)])),
      kms: orderKms({ secrets: { kek: undefined, previousKeks: [] } }, log),
      log,
      policy: routingPolicyOf(loadConfig({ ORDER_ROUTING_POLICY: JSON.stringify(setting) }).orders.routingPolicy),
    });
  };
  const input = (quantity: number) => ({ idempotencyKey: `k-${quantity}-${Math.random()}`, shipTo: SHIP_TO, lines: [{ sku: 'DS-ROUTE', quantity }] });
  const summary = async (setting: object, quantity = 5, allowed?: readonly string[]) => {
    const preview = await serviceWith(setting).previewOrderRouting(input(quantity), 'default', allowed);
    const [l] = preview.lines;
    return { parts: l!.allocations.map((p) => `${p.supplier}:${p.quantity}`), reason: l!.reason, routable: preview.routable };
  };

  it('each setting changes the preview, and the reason names the rule that decided', async () => {
    expect(await summary({})).toEqual({ parts: ['b:5'], reason: 'substitute: preferred a has only 3; b covers all 5', routable: true });
    expect(await summary({ supplierPriority: ['c'] })).toEqual({ parts: ['c:5'], reason: 'supplier priority: c is preferred and has 10 available', routable: true });
    // Live costs come from the suppliers (order lane) only when the policy ranks by cost.
    expect(await summary({ strategy: 'lowest_cost' })).toEqual({ parts: ['c:5'], reason: 'substitute: preferred a has only 3; c covers all 5', routable: true });
    expect(await summary({ allowSubstitution: false })).toEqual({ parts: ['a:3', 'b:2'], reason: 'split over a 3, b 2: no supplier covers 5 alone', routable: true });
    expect(await summary({ allowSplit: false }, 15)).toEqual({ parts: [], reason: 'no single supplier has 15 of DS-ROUTE and splitting is off', routable: false });
  });

  it('a caller limited to suppliers is routed among them only; none carrying the SKU is OUT_OF_STOCK with reason NO_ALLOWED_SUPPLIER', async () => {
    expect(await summary({ supplierPriority: ['b'] }, 5, ['c'])).toEqual({ parts: ['c:5'], reason: 'supplier priority: c is preferred and has 10 available', routable: true });
    expect(await summary({}, 5, ['zeta'])).toEqual({ parts: [], reason: 'no supplier you may order from carries DS-ROUTE', routable: false });
    const refused = await serviceWith({}).placeOrder(input(1), 'default', ['zeta']).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'OUT_OF_STOCK', details: { reason: 'NO_ALLOWED_SUPPLIER', field: 'lines[0].sku' } });
    expect((await stores.orders.list({ tenant: 'default' }, 10, null)).items).toEqual([]); // nothing written
  });
});
