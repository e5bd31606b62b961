/**
 * The PromoStandards connector against its SOAP sandbox, where the standard shapes what it may cost: one Inventory
 * call per product, Product Data never in the way of stock, no cancel without a cancel service, each service at the
 * endpoint it was given. Counted in the sandbox's own stats.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext, SupplierConnector } from '../../core/connector.ts';
import { isRegistryError } from '../../../kernel/errors.ts';
import { silentLogger } from '../../../platform/logger.ts';
import { createSoapSandbox, type SoapSandbox } from '../../../sandboxes/soap/index.ts';
import { createPromoStandardsConnector } from './connector.ts';

const ctx = (lane: CallContext['lane'] = 'sync', requestId = `run-${Math.random()}`, log = silentLogger()): CallContext => ({
  signal: new AbortController().signal,
  log,
  requestId,
  lane,
});

const PATHS = { productData: '/a/pd', inventory: '/b/inv', purchaseOrder: '/c/po', orderStatus: '/c/os', shipmentNotification: '/c/osn' };

describe('PromoStandards connector: what each read costs at the supplier', () => {
  let sandbox: SoapSandbox;
  let connector: SupplierConnector;
  /** Parts by product, products with at least three parts first. */
  let products: string[][];

  beforeAll(async () => {
    sandbox = await createSoapSandbox({ seed: 3, paths: PATHS, credentials: { id: 'acct-b', password: 'behaviour-secret' }, catalogSeed: 9 });
    connector = await createPromoStandardsConnector({
      supplier: 'acmepromo',
      // Absolute URLs for some services, paths under the base URL for others.
      url: sandbox.url,
      services: { ...PATHS, inventory: sandbox.endpoints.inventory!, productData: sandbox.endpoints.productData! },
      credentials: { id: 'acct-b', password: 'behaviour-secret' },
      priceTtlMs: 50,
      sellableTtlMs: 50,
      priceWaitMs: 300,
      timeoutMs: 2_000,
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, budgetMs: 1_000 },
    });
    const byProduct = new Map<string, string[]>();
    for (const sku of sandbox.supplierSkus()) byProduct.set(sandbox.productOf(sku)!, [...(byProduct.get(sandbox.productOf(sku)!) ?? []), sku]);
    products = [...byProduct.values()].sort((a, b) => b.length - a.length);
    expect(products[0]!.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(async () => {
    await connector.close();
    await sandbox.close();
  });
  afterEach(() => sandbox.resetFaults());

  it('names itself by its slug in offers, errors and logs', async () => {
    expect(connector.supplier).toBe('acmepromo');
    const error = await connector.getOrderStatus({ supplierOrderId: null, idempotencyKey: 'PO-NONE' }, ctx('order')).catch((e: unknown) => e);
    expect(isRegistryError(error) && error.supplier).toBe('acmepromo');
    expect((error as Error).message).toMatch(/^acmepromo /);
  });

  it('getStock for several parts of one product costs one Inventory call', async () => {
    const parts = products[0]!;
    await connector.getStock([parts[0]!], ctx()); // directory and price loaded
    sandbox.resetStats();
    const stock = await connector.getStock(parts, ctx('interactive'));
    expect(stock.map((s) => s.supplierSku).sort()).toEqual([...parts].sort());
    for (const s of stock) expect(s.available).toBe(sandbox.stockOf(s.supplierSku));
    expect(sandbox.stats().byOperation.getInventoryLevels).toBe(1);
  });

  it('reports incoming stock with its date (FutureAvailability) beside what is available now', async () => {
    const part = products[4]![0]!;
    sandbox.driftStock(part, 4);
    const [figure] = await connector.getStock([part], ctx('interactive'));
    expect(figure).toMatchObject({ available: 4, status: 'low_stock', incoming: [{ quantity: 250, availableOn: expect.stringMatching(/T00:00:00\.000Z$/) }] });
    expect(Date.parse(figure!.incoming![0]!.availableOn)).toBeGreaterThan(Date.now());
    sandbox.driftStock(part, 40);
    expect((await connector.getStock([part], ctx('interactive')))[0]).not.toHaveProperty('incoming');
  });

  it('a sync run asking part by part (maxStockBatch 1) makes one Inventory call per product; the next run reads afresh', async () => {
    const chosen = products.slice(0, 4);
    const skus = chosen.flat();
    await connector.getStock(skus, ctx('interactive'));
    const run = ctx('sync', `poll-acmepromo-${Date.now()}`);
    sandbox.resetStats();
    // The way the poller calls: one SKU a call, four at a time, products interleaved.
    const interleaved = Array.from({ length: Math.max(...chosen.map((p) => p.length)) }, (_, j) => chosen.map((p) => p[j])).flat().filter((x): x is string => !!x);
    expect(new Set(interleaved).size).toBe(skus.length);
    const seen: number[] = [];
    for (let i = 0; i < interleaved.length; i += 4) {
      const figures = await Promise.all(interleaved.slice(i, i + 4).map((sku) => connector.getStock([sku], run)));
      seen.push(...figures.flat().map((f) => f.available));
    }
    expect(seen).toHaveLength(skus.length);
    // (Product Data calls may appear beside: the short TTLs here refresh prices and the part index in the background.)
    expect(sandbox.stats().byOperation.getInventoryLevels).toBe(chosen.length);
    // A new run (its own requestId and logger) sees a change made in between.
    sandbox.driftStock(skus[0]!, 777);
    const next = await connector.getStock([skus[0]!], ctx('sync', `poll-acmepromo-${Date.now() + 1}`));
    expect(next[0]!.available).toBe(777);
    // Interactive and order reads never reuse an earlier answer, even under one requestId and logger.
    const log = silentLogger();
    await connector.getStock([skus[0]!], ctx('order', 'routing', log));
    sandbox.driftStock(skus[0]!, 778);
    expect((await connector.getStock([skus[0]!], ctx('order', 'routing', log)))[0]!.available).toBe(778);
  });

  it('a getStock spanning several products takes tokens for each Inventory request it sends', async () => {
    let taken = 0;
    const limiter = {
      supplier: 'acmepromo',
      acquire: async () => ((taken += 1), { remaining: {}, cost: 0, finish: async () => {} }),
      observeThrottleStatus: async () => {},
      observeThrottled: async () => {},
      peek: async () => ({}),
      queued: () => 0,
    };
    const metered = await createPromoStandardsConnector({ supplier: 'acmepromo', url: sandbox.url, services: PATHS, credentials: { id: 'acct-b', password: 'behaviour-secret' }, limiter, primeDirectory: true });
    try {
      const skus = products.slice(0, 3).flat();
      taken = 0;
      sandbox.resetStats();
      expect(await metered.getStock(skus, ctx('interactive'))).toHaveLength(skus.length);
      // One set from the traffic layer for the call, one more for each Inventory request after the first.
      expect(sandbox.stats().byOperation.getInventoryLevels).toBe(3);
      expect(taken).toBe(3);
    } finally {
      await metered.close();
    }
  });

  // Broke: the part index and price calls a cold stock read sends to Product Data took no tokens of their own.
  it('Product Data calls made inside a stock read take their own tokens, in the caller lane', async () => {
    const acquired: { operation: string; lane: string }[] = [];
    const limiter = {
      supplier: 'acmepromo',
      acquire: async (r: { operation: string; lane: string }) => (acquired.push({ operation: r.operation, lane: r.lane }), { remaining: {}, cost: 0, finish: async () => {} }),
      observeThrottleStatus: async () => {},
      observeThrottled: async () => {},
      peek: async () => ({}),
      queued: () => 0,
    };
    const cold = await createPromoStandardsConnector({ supplier: 'acmepromo', url: sandbox.url, services: PATHS, credentials: { id: 'acct-b', password: 'behaviour-secret' }, limiter, priceWaitMs: 2_000 });
    try {
      sandbox.resetStats();
      expect(await cold.getStock([products[0]![0]!], ctx('interactive'))).toHaveLength(1);
      const calls = sandbox.stats().byOperation;
      expect(calls).toMatchObject({ getProductSellable: 1, getProduct: 1, getInventoryLevels: 1 });
      // One set per supplier request: the stock read's own, and one for each Product Data call, counted as Product Data's operation.
      expect(acquired.filter((a) => a.operation === 'getStock')).toHaveLength(1);
      expect(acquired.filter((a) => a.operation === 'listCatalog')).toEqual([
        { operation: 'listCatalog', lane: 'interactive' },
        { operation: 'listCatalog', lane: 'interactive' },
      ]);
    } finally {
      await cold.close();
    }
  });

  // Broke: credentials were fixed at creation; a supplier refusing them at start kept refusing until a restart.
  it('refused credentials are read again (at most once a second) and the call goes through with the new ones, WS-Security too', async () => {
    let reads = 0;
    let stored = { id: 'acct-b', password: 'old-secret' };
    const rotating = await createPromoStandardsConnector({
      supplier: 'acmepromo',
      url: sandbox.url,
      services: PATHS,
      credentials: { id: 'acct-b', password: 'old-secret' },
      wsSecurity: true,
      readCredentials: async () => ((reads += 1), stored),
    });
    try {
      const sku = products[0]![0]!;
      await expect(rotating.getStock([sku], ctx('interactive'))).rejects.toMatchObject({ code: 'MISCONFIGURED' });
      await expect(rotating.getStock([sku], ctx('interactive'))).rejects.toMatchObject({ code: 'MISCONFIGURED' });
      expect(reads).toBe(1); // the second refusal within the second reuses the first read
      stored = { id: 'acct-b', password: 'behaviour-secret' };
      await new Promise((r) => setTimeout(r, 1_050));
      expect(await rotating.getStock([sku], ctx('interactive'))).toHaveLength(1);
      expect(reads).toBe(2);
      expect(await rotating.getStock([sku], ctx('interactive'))).toHaveLength(1);
      expect(reads).toBe(2); // accepted: nothing read again
    } finally {
      await rotating.close();
    }
  });

  it('identical price calls in flight are made once', async () => {
    const parts = products[1]!;
    await new Promise((r) => setTimeout(r, 60)); // every cached price is stale now
    sandbox.resetStats();
    sandbox.setServiceFaults('productData', { latencyMs: 100 });
    const fresh = await createPromoStandardsConnector({ supplier: 'acmepromo', url: sandbox.url, services: PATHS, credentials: { id: 'acct-b', password: 'behaviour-secret' } });
    try {
      const orders = parts.map((sku, i) => ({ idempotencyKey: `PO-DEDUP-${Date.now()}-${i}`, lines: [{ lineNumber: 1, supplierSku: sku, quantity: 1 }], shipTo: { name: 'A B', line1: '1 St', city: 'Reno', postalCode: '89502', country: 'US' } }));
      await Promise.all(orders.map((o) => fresh.placeOrder(o, ctx('order'))));
      expect(sandbox.stats().byOperation).toMatchObject({ getProductSellable: 1, getProduct: 1, sendPO: parts.length });
    } finally {
      await fresh.close();
    }
  });

  it('Product Data down, Inventory up: stock stays fresh, with the last known cost', async () => {
    const parts = products[2]!;
    const before = await connector.getStock(parts, ctx('interactive'));
    const cost = before[0]!.cost;
    expect(cost).toMatchObject({ currency: 'USD' });
    sandbox.setServiceFaults('productData', { down: true });
    await new Promise((r) => setTimeout(r, 60)); // the price and the part index are past their TTL
    sandbox.driftStock(parts[0]!, 4242);
    const started = Date.now();
    const during = await connector.getStock(parts, ctx('interactive'));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(during.find((s) => s.supplierSku === parts[0])).toMatchObject({ available: 4242, cost });
    expect(await connector.health(ctx())).toMatchObject({ ok: true });
  });

  it('a product whose price was never seen gets its stock without cost while Product Data is down', async () => {
    const fresh = await createPromoStandardsConnector({ supplier: 'acmepromo', url: sandbox.url, services: PATHS, credentials: { id: 'acct-b', password: 'behaviour-secret' }, priceWaitMs: 200 });
    try {
      await fresh.listCatalog(null, ctx()); // the part index, and the prices of the first page's products only
      const last = [...new Set(sandbox.supplierSkus().map((p) => sandbox.productOf(p)!))].sort().at(-1)!;
      const unpriced = sandbox.supplierSkus().filter((p) => sandbox.productOf(p) === last);
      sandbox.setServiceFaults('productData', { errorRate: 1 });
      const started = Date.now();
      const stock = await fresh.getStock(unpriced, ctx('interactive'));
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(stock).toHaveLength(unpriced.length);
      for (const s of stock) expect(s).toMatchObject({ available: sandbox.stockOf(s.supplierSku), cost: null });
    } finally {
      await fresh.close();
    }
  });

  it('cancelling at a supplier without a cancel service is ORDER_NOT_CANCELLABLE naming it, and nothing is sent', async () => {
    sandbox.resetStats();
    const error = await connector.cancelOrder({ supplierOrderId: 'X', idempotencyKey: 'PO-ANY' }, ctx('order')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ORDER_NOT_CANCELLABLE', supplier: 'acmepromo' });
    expect((error as Error).message).toContain('acmepromo');
    expect(sandbox.stats().total).toBe(0);
  });

  it('a PO the supplier refuses and does not hold stays refused (after one read-back); one it holds is read back', async () => {
    sandbox.resetStats();
    const shipTo = { name: 'A B', line1: '1 St', city: 'Reno', postalCode: '89502', country: 'US' };
    const refused = { idempotencyKey: `PO-REFUSED-${Date.now()}`, lines: [{ lineNumber: 1, supplierSku: 'NO-SUCH-PART', quantity: 1, unitCost: { amount: '1.00', currency: 'USD' } }], shipTo };
    await expect(connector.placeOrder(refused, ctx('order'))).rejects.toMatchObject({ code: 'SUPPLIER_REJECTED', details: { serviceMessageCode: 135 } });
    expect(sandbox.stats().byOperation).toMatchObject({ sendPO: 1, getOrderStatus: 1 });
    // Two parts, one more than the supplier has: only that line is backordered, line by line.
    const [short, covered] = [products[0]![0]!, products[0]![1]!];
    sandbox.driftStock(short, 1);
    sandbox.driftStock(covered, 50);
    const order = { idempotencyKey: `PO-HELD-${Date.now()}`, lines: [{ lineNumber: 1, supplierSku: short, quantity: 3 }, { lineNumber: 2, supplierSku: covered, quantity: 2 }], shipTo };
    const first = await connector.placeOrder(order, ctx('order'));
    const again = await connector.placeOrder(order, ctx('order'));
    expect(again).toMatchObject({ alreadyExisted: true, status: 'backordered' });
    expect(first.alreadyExisted).toBe(false);
    const status = await connector.getOrderStatus({ supplierOrderId: first.supplierOrderId, idempotencyKey: order.idempotencyKey }, ctx('order'));
    expect(new Map(status.lines.map((l) => [l.supplierSku, l]))).toEqual(
      new Map([
        [short, { supplierSku: short, status: 'backordered', ordered: 3, shipped: 0, backordered: 3, cancelled: 0 }],
        [covered, { supplierSku: covered, status: 'submitted', ordered: 2, shipped: 0, backordered: 0, cancelled: 0 }],
      ]),
    );
    sandbox.advanceOrder(first.supplierOrderId, 'partially_shipped');
    const partly = await connector.getOrderStatus({ supplierOrderId: first.supplierOrderId, idempotencyKey: order.idempotencyKey }, ctx('order'));
    expect(partly.lines.find((l) => l.supplierSku === covered)).toMatchObject({ status: 'partially_shipped', shipped: 1, backordered: 0 });
  });

  it('refuses to be built without an endpoint for a required service', async () => {
    await expect(createPromoStandardsConnector({ supplier: 'nourl', services: { inventory: 'http://127.0.0.1:1/inv' }, credentials: { id: 'a', password: 'b' } })).rejects.toMatchObject({
      code: 'MISCONFIGURED',
    });
  });
});
