/**
 * Issue 14, point 5: supplier text reached clients unclipped — a 772 KB GraphQL error message with 11,523 <script>
 * tags, a 1 MB error code, NUL bytes and invalid UTF-8 passed through. The adapters now keep the supplier's words in
 * `details`; this pins the last line of defence: whatever a registry error's message holds, what a client gets of it
 * (GraphQL error messages, an order's refusal reason and last error) is at most 300 printable characters.
 */
import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../adapters/core/connector.ts';
import { RegistryError } from '../kernel/errors.ts';
import { supplierFailureFields } from '../adapters/core/supplier-facts.ts';
import { openStores, type Stores } from '../adapters/storage/open-stores.ts';
import { createLogger, silentLogger } from '../platform/logger.ts';
import type { OrderRecord } from '../platform/ports/order-store.ts';
import { orderKms } from '../stack/orders.ts';
import { newProduct } from '../test/contract/catalog-store.contract.ts';
import { expectBoundedAndClean, HOSTILE_TEXTS } from '../test/support/hostile-text.ts';
import { createFormatError, logResolverErrors, MAX_CLIENT_MESSAGE, toClientError } from './graphql-errors.ts';
import { createBufferPolicy } from './inventory/buffer-policy.ts';
import { createReservationService } from './inventory/reservations.ts';
import { createStockUpdater } from './inventory/stock-updater.ts';
import { createOrderService } from './orders/order-service.ts';
import { MAX_ORDER_REASON } from './orders/workflow/order-reasons.ts';
import { OfferFailures } from './supplier/offer-failures.ts';

const CASES = Object.entries(HOSTILE_TEXTS);

describe('toClientError: a client message is bounded and clean whatever the error says', () => {
  it.each(CASES)('%s: logical, transient and critical errors', (_name, hostile) => {
    for (const code of ['SUPPLIER_REJECTED', 'SUPPLIER_UNAVAILABLE', 'CONTRACT_VIOLATION'] as const) {
      const error = new RegistryError(code, `brightline POST /orders answered HTTP 400 ${hostile}`, { supplier: 'brightline', operation: 'placeOrder', details: { supplierCode: hostile } });
      const client = toClientError(error);
      expectBoundedAndClean(client.message, MAX_CLIENT_MESSAGE);
      expect(client.message.startsWith('Supplier brightline')).toBe(true);
      expect(client.extensions).toEqual({ code, errorClass: error.errorClass, supplier: 'brightline' });
      expect(JSON.stringify(client.toJSON()).length).toBeLessThan(1_000);
    }
  });

  it('11,523 <script> tags: at most the first 300 characters of them, never the megabyte', () => {
    const hostile = HOSTILE_TEXTS['11,523 <script> tags (772 KB)']!;
    const client = toClientError(new RegistryError('SUPPLIER_REJECTED', hostile, { supplier: 'harborpromo' }));
    expect(client.message.split('<script>').length - 1).toBeLessThanOrEqual(Math.ceil(MAX_CLIENT_MESSAGE / 40));
    expect(client.message.endsWith('…')).toBe(true); // says that it was cut
  });

  it('a critical error names the supplier and class only: none of its message', () => {
    const client = toClientError(new RegistryError('CONTRACT_VIOLATION', `maplecart: ${HOSTILE_TEXTS['bidi overrides']}`, { supplier: 'maplecart' }));
    expect(client.message).toBe('Supplier maplecart failed (critical); details are in the operator logs');
  });

  it('retryAfterMs reaches a client only as a whole, finite, non-negative number', () => {
    const at = (retryAfterMs: number) => toClientError(new RegistryError('SUPPLIER_THROTTLED', 'throttled', { supplier: 'maplecart', retryAfterMs })).extensions['retryAfterMs'];
    expect(at(1500.2)).toBe(1501);
    expect(at(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(at(Number.NaN)).toBeUndefined();
    expect(at(-5)).toBeUndefined();
  });

  it.each(CASES)('%s: one offer-failure error per supplier and code, bounded', (_name, hostile) => {
    const failures = new OfferFailures();
    const error = new RegistryError('SUPPLIER_UNAVAILABLE', `brightline GET /inventory answered HTTP 503 ${hostile}`, { supplier: 'brightline', operation: 'getStock' });
    failures.record('brightline:BL-1', error);
    failures.record('brightline:BL-2', error);
    const [only, ...rest] = failures.toGraphQLErrors();
    expect(rest).toHaveLength(0);
    expectBoundedAndClean(only!.message, MAX_CLIENT_MESSAGE);
    expect(only!.extensions).toMatchObject({ code: 'SUPPLIER_UNAVAILABLE', supplier: 'brightline', offerIds: ['brightline:BL-1', 'brightline:BL-2'] });
  });

  it.each(CASES)('%s: a resolver-built GraphQLError carrying a registry code is clipped too (createFormatError)', (_name, hostile) => {
    const format = createFormatError();
    const own = new GraphQLError(hostile, { extensions: { code: 'ORDER_NOT_CANCELLABLE', errorClass: 'logical', supplier: 'harborpromo', reason: hostile } });
    const out = format({ message: own.message, extensions: own.extensions }, new GraphQLError('wrapped', { originalError: own }));
    expectBoundedAndClean(out.message, MAX_CLIENT_MESSAGE);
    expectBoundedAndClean(out.extensions?.['reason'], 200);
    // A registry error thrown by a resolver takes the toClientError path.
    const thrown = new RegistryError('SUPPLIER_REJECTED', hostile, { supplier: 'harborpromo' });
    const formatted = format({ message: thrown.message, extensions: {} }, new GraphQLError('wrapped', { originalError: thrown }));
    expectBoundedAndClean(formatted.message, MAX_CLIENT_MESSAGE);
  });

  it.each(CASES)('%s: a critical error\'s log line (logResolverErrors) is bounded: our fields, frames and cause, clipped', async (_name, hostile) => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(String(chunk)), done()) }) });
    const cause = new Error(`Unexpected token in JSON: ${hostile}`);
    const error = new RegistryError('CONTRACT_VIOLATION', `maplecart answer: ${hostile}`, { supplier: 'maplecart', operation: 'getStock', cause, details: { supplierMessage: hostile } });
    const hooks = await logResolverErrors().requestDidStart!({} as never);
    await hooks!.didEncounterErrors!({ errors: [new GraphQLError('x', { originalError: error })], contextValue: { log } } as never);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(16_000);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: 'critical error', code: 'CONTRACT_VIOLATION', supplier: 'maplecart', op: 'getStock' });
    expectBoundedAndClean(line['error'], 300);
    expectBoundedAndClean((line['details'] as Record<string, unknown>)['supplierMessage'], 200);
    expectBoundedAndClean((line['cause'] as Record<string, unknown>)['error'], 300);
  });

  it.each(CASES)('%s: operator-log fields keep the supplier words from details, clipped and cleaned', (_name, hostile) => {
    const error = new RegistryError('SUPPLIER_REJECTED', `harborpromo: ${hostile}`, { supplier: 'harborpromo', operation: 'placeOrder', details: { serviceMessageCode: 140, description: hostile, codes: [hostile, hostile] } });
    const fields = supplierFailureFields(error);
    expectBoundedAndClean(fields['error'], 300);
    const details = fields['details'] as Record<string, unknown>;
    expect(details['serviceMessageCode']).toBe(140);
    expectBoundedAndClean(details['description'], 200);
    for (const code of details['codes'] as string[]) expectBoundedAndClean(code, 200);
    expect(JSON.stringify(fields).length).toBeLessThan(2_000);
  });
});

describe('order refusal reasons stored and served to clients are bounded and clean', () => {
  let stores: Stores;
  const log = silentLogger();
  const SHIP_TO = { name: 'Ada Lovelace', line1: '12 St James Sq', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' };

  beforeAll(async () => {
    stores = await openStores({}, log);
    await stores.catalog.insert(newProduct('DS-HOSTILE', { suppliers: [{ supplier: 'acme', supplierSku: 'acme-1' }] }));
    await stores.stock.applyReport({ sku: 'DS-HOSTILE', supplier: 'acme', supplierSku: 'acme-1', onHand: 1_000, supplierAsOf: new Date().toISOString() }, 0);
  });
  afterAll(async () => {
    await stores.close();
  });

  /** A supplier behind the connector port whose every order send fails with `error`. */
  const failingSupplier = (error: RegistryError): SupplierConnector =>
    ({
      supplier: 'acme',
      protocol: 'soap',
      maxStockBatch: 50,
      allocatesStockOnAccept: false,
      getStock: async (skus: readonly string[]) => skus.map((supplierSku) => ({ supplierSku, available: 100, status: 'in_stock' as const, cost: { amount: '2.50', currency: 'USD' }, leadTimeDays: null, asOf: new Date().toISOString() })),
      placeOrder: async () => Promise.reject(error),
      getOrderStatus: async () => Promise.reject(new RegistryError('SUPPLIER_NOT_FOUND', 'no such PO', { supplier: 'acme' })),
    }) as unknown as SupplierConnector;

  const place = async (connector: SupplierConnector): Promise<{ outcome: unknown; order: OrderRecord }> => {
    const updater = createStockUpdater({ stock: stores.stock, cache: stores.cache, events: stores.events, log });
    const service = createOrderService({
      orders: stores.orders,
      catalog: stores.catalog,
      stock: stores.stock,
      reservations: createReservationService({ reservations: stores.reservations, updater, buffers: createBufferPolicy(), log }),
      connectors: new Map([['acme', connector]]),
      kms: orderKms({ secrets: { kek: undefined, previousKeks: [] } }, log),
      log,
      submitTimeoutMs: 1_000,
      submitAttempts: 1,
    });
    const key = `k-${Math.random()}`;
    const outcome = await service.placeOrder({ idempotencyKey: key, shipTo: SHIP_TO, lines: [{ sku: 'DS-HOSTILE', quantity: 2 }] }, 'default').catch((error: unknown) => error);
    // What a client reads next: the order as stored.
    const order = await stores.orders.getByIdempotencyKey('default', key);
    return { outcome, order: order! };
  };

  it.each(CASES)('%s: a refusal → the sub-order lastError and the line needsAttention', async (_name, hostile) => {
    const { order } = await place(failingSupplier(new RegistryError('SUPPLIER_REJECTED', `acme refused: ${hostile}`, { supplier: 'acme', details: { description: hostile } })));
    const sub = order.subOrders![0]!;
    expect(sub.state).toBe('failed');
    expectBoundedAndClean(sub.lastError, MAX_ORDER_REASON);
    expect(sub.lastError!.startsWith('SUPPLIER_REJECTED: acme refused: ')).toBe(true);
    expectBoundedAndClean(order.lines[0]!.needsAttention, MAX_ORDER_REASON + 200); // ours around one clipped reason
  });

  it.each(CASES)('%s: an unanswered send → the stored and served lastError', async (_name, hostile) => {
    const { outcome, order } = await place(failingSupplier(new RegistryError('SUPPLIER_UNAVAILABLE', `acme answered HTTP 503 ${hostile}`, { supplier: 'acme' })));
    const sub = order.subOrders![0]!;
    expect(sub.state).toBe('submitting');
    expectBoundedAndClean(sub.lastError, MAX_ORDER_REASON);
    expect(sub.lastError!.startsWith('SUPPLIER_UNAVAILABLE: acme answered HTTP 503')).toBe(true);
    // The placement answers with the order as stored (it resumes later): that is what the client was served.
    expect((outcome as OrderRecord).subOrders![0]!.lastError).toBe(sub.lastError);
  });
});
