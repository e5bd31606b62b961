/**
 * The submit step's rule (issue 11, "a resend is never refused blindly"), against a scripted supplier behind the
 * connector port: a refusal of a send that may already have reached the supplier is read back by our key before it
 * counts. The three real protocols are covered end to end by test/e2e/orders-lost-ack.e2e.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../../../adapters/core/connector.ts';
import { RegistryError } from '../../../kernel/errors.ts';
import type { SupplierOrder, SupplierOrderStatus } from '../../../kernel/model.ts';
import { openStores, type Stores } from '../../../adapters/storage/open-stores.ts';
import { silentLogger } from '../../../platform/logger.ts';
import { orderKms } from '../../../stack/orders.ts';
import { newProduct } from '../../../test/contract/catalog-store.contract.ts';
import { createBufferPolicy } from '../../inventory/buffer-policy.ts';
import { createReservationService } from '../../inventory/reservations.ts';
import { createStockUpdater } from '../../inventory/stock-updater.ts';
import { createOrderService } from '../order-service.ts';

type Answer = 'store' | 'store-and-lose' | 'lose' | 'refuse' | 'circuit-open' | 'timeout' | 'garbled';

/** A supplier that stores orders by key and answers each send as scripted; a repeat gets a duplicate error (code 777). */
function scriptedSupplier(script: Answer[], options: { readBack?: 'ok' | 'fail'; otherGoods?: boolean } = {}) {
  const held = new Map<string, SupplierOrder>();
  const calls = { placeOrder: 0, getOrderStatus: 0 };
  const reject = (why: string, code: number) => new RegistryError('SUPPLIER_REJECTED', why, { supplier: 'acme', details: { serviceMessageCode: code } });
  const connector = {
    supplier: 'acme',
    protocol: 'soap',
    maxStockBatch: 50,
    allocatesStockOnAccept: false,
    async getStock(skus: readonly string[]) {
      return skus.map((supplierSku) => ({ supplierSku, available: 100, status: 'in_stock' as const, cost: { amount: '2.50', currency: 'USD' }, leadTimeDays: null, asOf: new Date().toISOString() }));
    },
    async placeOrder(order: SupplierOrder) {
      calls.placeOrder += 1;
      const answer = script.shift() ?? 'store';
      if (answer === 'circuit-open') throw new RegistryError('SUPPLIER_CIRCUIT_OPEN', 'breaker open', { supplier: 'acme' });
      if (answer === 'timeout' || answer === 'lose') throw new RegistryError('SUPPLIER_TIMEOUT', 'no answer', { supplier: 'acme' });
      if (answer === 'refuse') throw reject('account not approved', 140);
      if (answer === 'garbled') throw new RegistryError('CONTRACT_VIOLATION', 'answer without a transactionId', { supplier: 'acme' });
      if (held.has(order.idempotencyKey)) throw reject(`duplicate order ${order.idempotencyKey}`, 777);
      held.set(order.idempotencyKey, options.otherGoods ? { ...order, lines: order.lines.map((l) => ({ ...l, quantity: l.quantity + 1 })) } : order);
      if (answer === 'store-and-lose') throw new RegistryError('SUPPLIER_UNAVAILABLE', 'socket hang up', { supplier: 'acme' });
      return { supplierOrderId: `ACME-${order.idempotencyKey}`, status: 'submitted' as const, rawStatus: 'received', alreadyExisted: false };
    },
    async getOrderStatus(ref: { idempotencyKey: string }): Promise<SupplierOrderStatus> {
      calls.getOrderStatus += 1;
      if (options.readBack === 'fail') throw new RegistryError('SUPPLIER_UNAVAILABLE', 'status service down', { supplier: 'acme' });
      const order = held.get(ref.idempotencyKey);
      if (!order) throw new RegistryError('SUPPLIER_NOT_FOUND', 'no such PO', { supplier: 'acme' });
      return {
        supplierOrderId: `ACME-${ref.idempotencyKey}`,
        status: 'accepted',
        rawStatus: 'confirmed',
        lines: order.lines.map((l) => ({ supplierSku: l.supplierSku, ordered: l.quantity, shipped: 0, backordered: 0, cancelled: 0 })),
        shipments: [],
        updatedAt: new Date().toISOString(),
      };
    },
  } as unknown as SupplierConnector;
  return { connector, held, calls };
}

describe('submit: a refusal of a send that may have reached the supplier is read back first', () => {
  let stores: Stores;
  const log = silentLogger();
  const SHIP_TO = { name: 'Ada Lovelace', line1: '12 St James Sq', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' };

  beforeAll(async () => {
    stores = await openStores({}, log);
    await stores.catalog.insert(newProduct('DS-READBACK', { suppliers: [{ supplier: 'acme', supplierSku: 'acme-1' }] }));
    await stores.stock.applyReport({ sku: 'DS-READBACK', supplier: 'acme', supplierSku: 'acme-1', onHand: 1_000, supplierAsOf: new Date().toISOString() }, 0);
  });
  afterAll(async () => {
    await stores.close();
  });

  const place = async (supplier: ReturnType<typeof scriptedSupplier>) => {
    const updater = createStockUpdater({ stock: stores.stock, cache: stores.cache, events: stores.events, log });
    const service = createOrderService({
      orders: stores.orders,
      catalog: stores.catalog,
      stock: stores.stock,
      reservations: createReservationService({ reservations: stores.reservations, updater, buffers: createBufferPolicy(), log }),
      connectors: new Map([['acme', supplier.connector]]),
      kms: orderKms({ secrets: { kek: undefined, previousKeks: [] } }, log),
      log,
      submitTimeoutMs: 1_000,
    });
    const order = await service.placeOrder({ idempotencyKey: `k-${Math.random()}`, shipTo: SHIP_TO, lines: [{ sku: 'DS-READBACK', quantity: 2 }] }, 'default');
    return { order, service };
  };

  it('lost answer, then the duplicate error (any code): found by our key → submitted with the supplier id; two sends', async () => {
    const supplier = scriptedSupplier(['store-and-lose']);
    const { order } = await place(supplier);
    expect(order.subOrders![0]).toMatchObject({ state: 'submitted', status: 'accepted', supplierOrderId: `ACME-${order.subOrders![0]!.idempotencyKey}` });
    expect(order.status).toBe('accepted');
    expect(supplier.held.size).toBe(1);
    expect(supplier.calls).toEqual({ placeOrder: 2, getOrderStatus: 1 });
    expect(order.lines[0]!.unitCost).toEqual({ amount: '2.50', currency: 'USD' }); // the live quote the PO was priced at
  });

  it('an unreadable answer to a resend is read back too: found → submitted', async () => {
    const supplier = scriptedSupplier(['store-and-lose', 'garbled']);
    const { order } = await place(supplier);
    expect(order.subOrders![0]).toMatchObject({ state: 'submitted', supplierOrderId: `ACME-${order.subOrders![0]!.idempotencyKey}` });
    expect(supplier.calls).toEqual({ placeOrder: 2, getOrderStatus: 1 });
  });

  it('every resend unanswered: one status read after the last finds the order in the same run', async () => {
    const supplier = scriptedSupplier(['store-and-lose', 'timeout', 'timeout']);
    const { order } = await place(supplier);
    expect(order.subOrders![0]).toMatchObject({ state: 'submitted', status: 'accepted' });
    expect(supplier.held.size).toBe(1);
    expect(supplier.calls).toEqual({ placeOrder: 3, getOrderStatus: 1 });
  });

  it('a refusal of the first send ever is a refusal: no read-back', async () => {
    const supplier = scriptedSupplier(['refuse']);
    const { order } = await place(supplier);
    expect(order.subOrders![0]!.state).toBe('failed');
    expect(order.lines[0]!.status).toBe('rejected');
    expect(supplier.calls).toEqual({ placeOrder: 1, getOrderStatus: 0 });
  });

  it('a timeout that never reached the supplier, then a refusal: read back, "no such order" → the refusal stands', async () => {
    const supplier = scriptedSupplier(['lose', 'refuse']);
    const { order } = await place(supplier);
    expect(order.subOrders![0]!.state).toBe('failed');
    expect(supplier.calls).toEqual({ placeOrder: 2, getOrderStatus: 1 });
  });

  it('our own circuit breaker refusing first sent nothing: the refusal after it needs no read-back', async () => {
    const supplier = scriptedSupplier(['circuit-open', 'refuse']);
    const { order } = await place(supplier);
    expect(order.subOrders![0]!.state).toBe('failed');
    expect(supplier.calls).toEqual({ placeOrder: 2, getOrderStatus: 0 });
  });

  it('an order under our key with other goods is not claimed: the refusal stands', async () => {
    const supplier = scriptedSupplier(['store-and-lose'], { otherGoods: true });
    const { order } = await place(supplier);
    expect(order.subOrders![0]!.state).toBe('failed');
    expect(supplier.calls.getOrderStatus).toBe(1);
  });

  it('the read-back failing too: never refused, left SUBMITTING for the resume loop, one send per attempt', async () => {
    const supplier = scriptedSupplier(['store-and-lose'], { readBack: 'fail' });
    const { order, service } = await place(supplier);
    expect(order.subOrders![0]).toMatchObject({ state: 'submitting', attempts: 3 });
    expect(order.status).toBe('submitting');
    expect(order.lines[0]!.status).toBe('submitting');
    expect(supplier.calls).toEqual({ placeOrder: 3, getOrderStatus: 2 });
    // A later run (here: the resume loop) starts from the stored `submitting`: a send may have happened.
    const fixed = scriptedSupplier([], {});
    fixed.held.set(order.subOrders![0]!.idempotencyKey, [...supplier.held.values()][0]!);
    Object.assign(supplier.connector, { getOrderStatus: fixed.connector.getOrderStatus });
    expect(await service.resumePending({ minAgeMs: 0 })).toBe(1);
    const resumed = (await stores.orders.get('default', order.id))!;
    expect(resumed.subOrders![0]).toMatchObject({ state: 'submitted', supplierOrderId: `ACME-${order.subOrders![0]!.idempotencyKey}` });
    expect(supplier.held.size).toBe(1);
  });

  it('a supplier slower than the budget: placeOrder answers in time with the order submitting; the call completes in the background', async () => {
    const supplier = scriptedSupplier([]);
    const slow = supplier.connector.placeOrder.bind(supplier.connector);
    Object.assign(supplier.connector, { placeOrder: async (o: SupplierOrder, ctx: never) => (await new Promise((r) => setTimeout(r, 600)), slow(o, ctx)) });
    const updater = createStockUpdater({ stock: stores.stock, cache: stores.cache, events: stores.events, log });
    const service = createOrderService({
      orders: stores.orders,
      catalog: stores.catalog,
      stock: stores.stock,
      reservations: createReservationService({ reservations: stores.reservations, updater, buffers: createBufferPolicy(), log }),
      connectors: new Map([['acme', supplier.connector]]),
      kms: orderKms({ secrets: { kek: undefined, previousKeks: [] } }, log),
      log,
    });
    const started = Date.now();
    const order = await service.placeOrder({ idempotencyKey: `slow-${Math.random()}`, shipTo: SHIP_TO, lines: [{ sku: 'DS-READBACK', quantity: 1 }] }, 'default', undefined, { budgetMs: 200 });
    expect(Date.now() - started).toBeLessThan(450);
    expect(order).toMatchObject({ status: 'submitting', workflow: 'placing', subOrders: [{ state: 'submitting' }] });
    const loop = service.start(60_000);
    await loop.stop(); // waits for placements still talking to suppliers
    expect((await stores.orders.get('default', order.id))!.subOrders![0]).toMatchObject({ state: 'submitted', status: 'submitted' });
    expect(supplier.calls.placeOrder).toBe(1);
  });
});
