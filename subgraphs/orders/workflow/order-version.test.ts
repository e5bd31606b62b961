/**
 * Regression: an order's version was the epoch ms of its `updatedAt`, so two stored changes within one millisecond
 * carried the same version and a client dropping "not newer" events lost the second. Now every save through the
 * workflow stores the read copy's version + 1. Driven through placement and cancelOrder (the production paths),
 * with the clock frozen so every change shares one millisecond.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../../../adapters/core/connector.ts';
import type { SupplierOrder } from '../../../kernel/model.ts';
import { openStores, type Stores } from '../../../adapters/storage/open-stores.ts';
import { silentLogger } from '../../../platform/logger.ts';
import type { OrderRecord } from '../../../platform/ports/order-store.ts';
import { orderKms, orderStatusEvent } from '../../../stack/orders.ts';
import { newProduct } from '../../../test/contract/catalog-store.contract.ts';
import { createBufferPolicy } from '../../inventory/buffer-policy.ts';
import { createReservationService } from '../../inventory/reservations.ts';
import { createStockUpdater } from '../../inventory/stock-updater.ts';
import { createOrderService } from '../order-service.ts';

/** A supplier that accepts every order and every cancellation at once. */
const acceptingSupplier = {
  supplier: 'acme',
  protocol: 'rest',
  maxStockBatch: 50,
  allocatesStockOnAccept: false,
  async getStock(skus: readonly string[]) {
    return skus.map((supplierSku) => ({ supplierSku, available: 100, status: 'in_stock' as const, cost: { amount: '2.50', currency: 'USD' }, leadTimeDays: null, asOf: new Date().toISOString() }));
  },
  async placeOrder(order: SupplierOrder) {
    return { supplierOrderId: `ACME-${order.idempotencyKey}`, status: 'accepted' as const, rawStatus: 'accepted', alreadyExisted: false };
  },
  async cancelOrder() {
    return { status: 'cancelled' as const, rawStatus: 'cancelled' };
  },
} as unknown as SupplierConnector;

describe('order version: a stored per-order counter', () => {
  let stores: Stores;
  const log = silentLogger();
  const FROZEN = Date.parse('2026-06-01T12:00:00.000Z');

  beforeAll(async () => {
    stores = await openStores({}, log);
    await stores.catalog.insert(newProduct('DS-VERSION', { suppliers: [{ supplier: 'acme', supplierSku: 'acme-1' }] }));
    await stores.stock.applyReport({ sku: 'DS-VERSION', supplier: 'acme', supplierSku: 'acme-1', onHand: 1_000, supplierAsOf: new Date().toISOString() }, 0);
  });
  afterAll(async () => {
    await stores.close();
  });

  it('two status changes within one millisecond carry different, growing versions; the stored order holds the last', async () => {
    const updater = createStockUpdater({ stock: stores.stock, cache: stores.cache, events: stores.events, log });
    const events: ReturnType<typeof orderStatusEvent>[] = [];
    const service = createOrderService({
      orders: stores.orders,
      catalog: stores.catalog,
      stock: stores.stock,
      reservations: createReservationService({ reservations: stores.reservations, updater, buffers: createBufferPolicy(), log }),
      connectors: new Map([['acme', acceptingSupplier]]),
      kms: orderKms({ secrets: { kek: undefined, previousKeks: [] } }, log),
      log,
      now: () => FROZEN,
      onStatusChange: (order: OrderRecord, previous) => void events.push(orderStatusEvent(order, previous)),
    });
    const placed = await service.placeOrder({ idempotencyKey: 'k-version', shipTo: { name: 'Ada Lovelace', line1: '12 St James Sq', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' }, lines: [{ sku: 'DS-VERSION', quantity: 2 }] }, 'default');
    expect(placed.status).toBe('accepted');
    await service.cancelOrder('default', placed.id);
    const stored = (await stores.orders.get('default', placed.id))!;
    expect(stored.status).toBe('cancelled');

    expect(events.map((e) => e.status)).toEqual(['accepted', 'cancel_requested', 'cancelled']);
    expect(new Set(events.map((e) => e.at))).toEqual(new Set([new Date(FROZEN).toISOString()])); // one millisecond
    for (let i = 1; i < events.length; i += 1) expect(events[i]!.version).toBeGreaterThan(events[i - 1]!.version);
    expect(events[0]!.version).toBeGreaterThan(1); // placed as 1, then saved at least once before it was accepted
    expect(stored.version).toBe(events.at(-1)!.version);
    expect(stored.updatedAt).toBe(new Date(FROZEN).toISOString());
  });
});
