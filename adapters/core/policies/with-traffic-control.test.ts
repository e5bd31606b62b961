import { describe, expect, it } from 'vitest';
import { createMemoryBucketStore } from '../../ratelimit/memory-bucket-store.ts';
import { createMetrics } from '../../../platform/metrics.ts';
import { silentLogger } from '../../../platform/logger.ts';
import type { CallContext, Lane, SupplierConnector } from '../connector.ts';
import { RegistryError } from '../../../kernel/errors.ts';
import type { SupplierOrder, SupplierStock } from '../../../kernel/model.ts';
import { createCircuitBreaker } from './circuit-breaker.ts';
import { createConcurrencyLimiter } from './concurrency-limiter.ts';
import { fromCostBucket } from './published-limits.ts';
import { createRateLimiter, type RateLimiterOptions } from './rate-limiter.ts';
import { withCallPolicies } from './with-call-policies.ts';
import { withTrafficControl } from './with-traffic-control.ts';

const quickRetry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, budgetMs: 5_000 };
const ctx = (lane: Lane = 'interactive', signal = new AbortController().signal): CallContext => ({ signal, log: silentLogger(), requestId: 'r1', lane });
const order: SupplierOrder = {
  idempotencyKey: 'ord-1-acme',
  lines: [{ lineNumber: 1, supplierSku: 'A-1', quantity: 1 }],
  shipTo: { name: 'N', line1: 'L', city: 'C', postalCode: 'P', country: 'US' },
};
const stock = (sku: string): SupplierStock => ({ supplierSku: sku, available: 1, status: 'in_stock', cost: null, leadTimeDays: null, asOf: '2026-01-01T00:00:00Z' });

/** A connector whose answers the test scripts, recording every call that reached it. */
function fakeSupplier(answer: (operation: string, call: number) => Promise<unknown> = async () => undefined) {
  const calls: { operation: string; lane: Lane; detail?: string }[] = [];
  const hit = async <T>(operation: string, c: CallContext, detail?: string): Promise<T> => {
    calls.push({ operation, lane: c.lane, ...(detail ? { detail } : {}) });
    return (await answer(operation, calls.length)) as T;
  };
  const connector: SupplierConnector = {
    supplier: 'acme',
    protocol: 'rest',
    maxStockBatch: 50,
    allocatesStockOnAccept: false,
    getStock: async (skus, c) => ((await hit<SupplierStock[] | undefined>('getStock', c, skus.join(','))) ?? skus.map(stock)),
    listCatalog: (_cursor, c) => hit('listCatalog', c),
    placeOrder: async (_order, c) => (await hit('placeOrder', c)) ?? { supplierOrderId: 'S-1', status: 'accepted', rawStatus: 'OK', alreadyExisted: false },
    getOrderStatus: (_ref, c) => hit('getOrderStatus', c),
    cancelOrder: async (_ref, c) => void (await hit('cancelOrder', c)),
    health: async (c) => (await hit('health', c)) ?? { ok: true, latencyMs: 1, detail: null },
    close: async () => {},
  };
  return { connector, calls };
}

const limiterFor = (overrides: Partial<RateLimiterOptions> = {}) =>
  createRateLimiter({ supplier: 'acme', store: createMemoryBucketStore(), classes: { default: { capacity: 10, refillPerSec: 10 } }, ...overrides });

describe('withTrafficControl', () => {
  it('retries reads, sends writes once, and retries a keyed order only when asked', async () => {
    const unavailable = () => Promise.reject(new RegistryError('SUPPLIER_UNAVAILABLE', '503'));
    const flaky = (_op: string, n: number) => (n === 1 ? unavailable() : Promise.resolve(undefined));
    const plain = fakeSupplier(flaky);
    const wrapped = withCallPolicies(plain.connector, { retry: quickRetry });
    await expect(wrapped.getStock(['A-1'], ctx())).resolves.toHaveLength(1);
    expect(plain.calls).toHaveLength(2);

    const writes = fakeSupplier(() => unavailable());
    const once = withCallPolicies(writes.connector, { retry: quickRetry });
    await expect(once.placeOrder(order, ctx('order'))).rejects.toMatchObject({ code: 'SUPPLIER_UNAVAILABLE' });
    expect(writes.calls).toHaveLength(1);

    const keyed = fakeSupplier(flaky);
    const retrying = withTrafficControl(keyed.connector, { retry: quickRetry, retryKeyedWrites: true });
    await expect(retrying.placeOrder(order, ctx('order'))).resolves.toMatchObject({ supplierOrderId: 'S-1' });
    expect(keyed.calls.map((c) => c.operation)).toEqual(['placeOrder', 'placeOrder']);
    const cancels = fakeSupplier(() => unavailable());
    await expect(withTrafficControl(cancels.connector, { retry: quickRetry, retryKeyedWrites: true }).cancelOrder({ supplierOrderId: 'S-1', idempotencyKey: 'ord-1-acme' }, ctx('order'))).rejects.toThrow();
    expect(cancels.calls).toHaveLength(1);
  });

  it('refuses at the breaker before taking tokens, and does not retry the refusal', async () => {
    const { connector, calls } = fakeSupplier(() => Promise.reject(new RegistryError('CONTRACT_VIOLATION', 'garbage')));
    const limiter = limiterFor();
    const breaker = createCircuitBreaker({ supplier: 'acme', criticalThreshold: 1, openMs: 60_000 });
    const { registry, supplier: metrics } = createMetrics({ defaultMetrics: false });
    const wrapped = withTrafficControl(connector, { limiter, breaker, metrics, retry: quickRetry });
    await expect(wrapped.getStock(['A-1'], ctx())).rejects.toMatchObject({ code: 'CONTRACT_VIOLATION' });
    expect(breaker.state()).toBe('open');
    const before = (await limiter.peek())['default'];
    await expect(wrapped.getStock(['A-1'], ctx())).rejects.toMatchObject({ code: 'SUPPLIER_CIRCUIT_OPEN', retryAfterMs: expect.any(Number) });
    expect(calls).toHaveLength(1);
    expect((await limiter.peek())['default']).toBeCloseTo(before!, 0);
    const text = await registry.metrics();
    expect(text).toContain('supplier_breaker_state{supplier="acme"} 2');
    expect(text).toContain('supplier_calls_total{supplier="acme",operation="getStock",lane="interactive",outcome="rejected"} 1');
    expect(text).toContain('supplier_errors_total{supplier="acme",operation="getStock",class="transient",code="SUPPLIER_CIRCUIT_OPEN"} 1');
    expect(text).toContain('supplier_errors_total{supplier="acme",operation="getStock",class="critical",code="CONTRACT_VIOLATION"} 1');
  });

  it('opens only the failing service group: with catalog calls failing, stock reads and order tracking go through', async () => {
    const { connector, calls } = fakeSupplier(async (operation) => {
      if (operation === 'listCatalog') throw new RegistryError('SUPPLIER_UNAVAILABLE', 'Product Data is down');
      if (operation === 'getOrderStatus') return { supplierOrderId: 'S-1', status: 'accepted', rawStatus: 'OK', lines: [], shipments: [] };
      return undefined;
    });
    const group = () => createCircuitBreaker({ supplier: 'acme', minimumVolume: 3, openMs: 60_000 });
    const breakers = { catalog: group(), stock: group(), orders: group() };
    const { registry, supplier: metrics } = createMetrics({ defaultMetrics: false });
    const wrapped = withTrafficControl(connector, { limiter: limiterFor(), breakers, metrics, retry: { ...quickRetry, maxAttempts: 1 } });
    for (let i = 0; i < 3; i++) await expect(wrapped.listCatalog(null, ctx('sync'))).rejects.toMatchObject({ code: 'SUPPLIER_UNAVAILABLE' });
    expect(breakers.catalog.state()).toBe('open');
    await expect(wrapped.listCatalog(null, ctx('sync'))).rejects.toMatchObject({ code: 'SUPPLIER_CIRCUIT_OPEN' });
    await expect(wrapped.health(ctx())).rejects.toMatchObject({ code: 'SUPPLIER_CIRCUIT_OPEN' }); // health is a catalog-group call
    await expect(wrapped.getStock(['A-1'], ctx())).resolves.toHaveLength(1);
    await expect(wrapped.getOrderStatus({ supplierOrderId: 'S-1', idempotencyKey: 'k' }, ctx('tracking'))).resolves.toMatchObject({ status: 'accepted' });
    expect([breakers.stock.state(), breakers.orders.state()]).toEqual(['closed', 'closed']);
    expect(calls.map((c) => c.operation)).toEqual(['listCatalog', 'listCatalog', 'listCatalog', 'getStock', 'getOrderStatus']);
    expect(await registry.metrics()).toContain('supplier_breaker_state{supplier="acme"} 2'); // the worst group
  });

  it('holds a call back without sending when the budget has no room before its deadline, freeing the probe slot', async () => {
    const { connector, calls } = fakeSupplier();
    const limiter = limiterFor({ classes: { default: { capacity: 1, refillPerSec: 0.01 } } });
    let now = 0;
    const breaker = createCircuitBreaker({ supplier: 'acme', criticalThreshold: 1, openMs: 10, now: () => now });
    breaker.admit('getStock').record(new RegistryError('CONTRACT_VIOLATION', 'x'));
    now = 10; // half-open: one probe allowed
    const { registry, supplier: metrics } = createMetrics({ defaultMetrics: false });
    const wrapped = withTrafficControl(connector, { limiter, breaker, metrics, maxWaitMs: 100, retry: quickRetry });
    await expect(wrapped.getStock(['A-1'], ctx('order'))).resolves.toHaveLength(1); // the probe; closes the circuit
    expect(breaker.state()).toBe('closed');
    await expect(wrapped.getStock(['A-1'], ctx('order'))).rejects.toMatchObject({ code: 'RATE_LIMITED_LOCALLY', retryAfterMs: expect.any(Number) });
    expect(calls).toHaveLength(1);
    expect(await registry.metrics()).toContain('supplier_throttles_total{supplier="acme",operation="getStock",source="local"} 1');
  });

  it('drains the shared bucket when the supplier throttles, then retries after Retry-After', async () => {
    const { connector, calls } = fakeSupplier((_op, n) => (n === 1 ? Promise.reject(new RegistryError('SUPPLIER_THROTTLED', '429', { retryAfterMs: 300 })) : Promise.resolve(undefined)));
    const store = createMemoryBucketStore();
    const classes = { default: { capacity: 10, refillPerSec: 10 } };
    const limiter = createRateLimiter({ supplier: 'acme', store, classes });
    const elsewhere = createRateLimiter({ supplier: 'acme', store, classes }); // another process on the same bucket
    const { registry, supplier: metrics } = createMetrics({ defaultMetrics: false });
    const started = Date.now();
    const read = withTrafficControl(connector, { limiter, metrics, retry: quickRetry }).getStock(['A-1'], ctx());
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(elsewhere.acquire({ operation: 'getStock', lane: 'order', signal: new AbortController().signal, maxWaitMs: 0 })).rejects.toMatchObject({ code: 'RATE_LIMITED_LOCALLY' });
    await expect(read).resolves.toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(calls).toHaveLength(2);
    const text = await registry.metrics();
    expect(text).toContain('supplier_throttles_total{supplier="acme",operation="getStock",source="supplier"} 1');
    expect(text).toContain('supplier_retries_total{supplier="acme",operation="getStock"} 1');
  });

  // Issue 14: a supplier's Retry-After of years reached callers and the shared bucket unbounded.
  it("caps a supplier's Retry-After at the limiter's longest wait, for the caller and for the shared bucket", async () => {
    const { connector, calls } = fakeSupplier(() => Promise.reject(new RegistryError('SUPPLIER_THROTTLED', '429', { retryAfterMs: 1e12 })));
    const limiter = limiterFor({ classes: { default: { capacity: 100, refillPerSec: 10 } }, longestWaitMs: 1_500 });
    const placed = withTrafficControl(connector, { limiter, retry: quickRetry }).placeOrder(order, ctx('order'));
    await expect(placed).rejects.toMatchObject({ code: 'SUPPLIER_THROTTLED', retryAfterMs: 1_500 });
    expect(calls).toHaveLength(1);
    // The bucket holds one call's worth back after 1.5 s: 1 − 1.5 s × 10/s.
    expect((await limiter.peek())['default']).toBeCloseTo(-14, 0);
  });

  it('gives the last concurrency slot to an order before queued sync calls', async () => {
    let unblock!: () => void;
    const gate = new Promise<void>((resolve) => (unblock = resolve));
    const { connector, calls } = fakeSupplier((_op, n) => (n === 1 ? gate : Promise.resolve(undefined)));
    const concurrency = createConcurrencyLimiter({ supplier: 'acme', maxConcurrent: 1, laneLimits: { sync: 1 } });
    const wrapped = withTrafficControl(connector, { concurrency, maxWaitMs: 5_000 });
    const first = wrapped.getStock(['S-0'], ctx('sync'));
    const syncs = [1, 2, 3].map((i) => wrapped.getStock([`S-${i}`], ctx('sync')));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const placed = wrapped.placeOrder(order, ctx('order'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    unblock();
    await Promise.all([first, placed, ...syncs]);
    expect(calls.map((c) => c.detail ?? c.operation)).toEqual(['S-0', 'placeOrder', 'S-1', 'S-2', 'S-3']);
  });

  it('never lets a sync flood starve orders on a shared budget', async () => {
    const { connector, calls } = fakeSupplier();
    const limiter = limiterFor({ classes: { default: { capacity: 4, refillPerSec: 40 } } });
    const wrapped = withTrafficControl(connector, { limiter, maxWaitMs: 10_000 });
    const flood = Array.from({ length: 30 }, (_, i) => wrapped.getStock([`S-${i}`], ctx('sync')));
    await new Promise((resolve) => setTimeout(resolve, 60));
    const orders = [wrapped.placeOrder(order, ctx('order')), wrapped.getOrderStatus({ supplierOrderId: 'S-1', idempotencyKey: 'k' }, ctx('order'))];
    const sentBefore = calls.length;
    await Promise.all(orders);
    // Both order calls went out right away: at most one queued sync call slipped in between.
    const orderPositions = calls.flatMap((c, i) => (c.lane === 'order' ? [i] : []));
    expect(orderPositions.every((i) => i <= sentBefore + 2)).toBe(true);
    await Promise.all(flood);
    expect(calls).toHaveLength(32);
  });

  it('turns an overrun into SUPPLIER_TIMEOUT and counts it against the breaker', async () => {
    const { connector } = fakeSupplier(() => new Promise(() => {}));
    const breaker = createCircuitBreaker({ supplier: 'acme', minimumVolume: 2, failureRate: 0.5 });
    const wrapped = withTrafficControl(connector, { breaker, timeoutMs: 20, retry: { ...quickRetry, maxAttempts: 1 } });
    await expect(wrapped.health(ctx())).rejects.toMatchObject({ code: 'SUPPLIER_TIMEOUT' });
    await expect(wrapped.health(ctx())).rejects.toMatchObject({ code: 'SUPPLIER_TIMEOUT' });
    expect(breaker.state()).toBe('open');
  });

  it('follows the cost a GraphQL supplier reports after each call', async () => {
    const { connector } = fakeSupplier();
    const limiter = limiterFor({ classes: { default: fromCostBucket({ maximumAvailable: 1000, restoreRate: 50 }) }, costs: { getStock: 800 } });
    const reported = { currentlyAvailable: 990, maximumAvailable: 1000, restoreRate: 50, observedAt: Date.now() };
    const { registry, supplier: metrics } = createMetrics({ defaultMetrics: false });
    const wrapped = withTrafficControl(connector, { limiter, metrics, throttleStatus: () => reported });
    await wrapped.getStock(['A-1'], ctx());
    expect(await registry.metrics()).toMatch(/supplier_bucket_tokens\{supplier="acme",bucket="default"\} 200/);
    expect((await limiter.peek())['default']).toBeGreaterThanOrEqual(990);
  });

  it('gives the cost estimate back when a GraphQL supplier was unreachable and reported nothing, and keeps it on a timeout', async () => {
    const limiter = limiterFor({ classes: { default: fromCostBucket({ maximumAvailable: 1000, restoreRate: 50 }) }, costs: { getStock: 400 } });
    const reported = { currentlyAvailable: 1000, maximumAvailable: 1000, restoreRate: 50, observedAt: Date.now() - 1 };
    const down = fakeSupplier(async () => {
      throw new RegistryError('SUPPLIER_UNAVAILABLE', 'connection reset', { supplier: 'acme', operation: 'getStock' });
    });
    const unreachable = withTrafficControl(down.connector, { limiter, throttleStatus: () => reported, retry: { ...quickRetry, maxAttempts: 1 } });
    await limiter.observeThrottleStatus(reported);
    // Five failed calls at 400 points each would empty a 1,000-point bucket twice over were the estimates kept.
    for (let i = 0; i < 5; i += 1) await expect(unreachable.getStock(['A-1'], ctx())).rejects.toMatchObject({ code: 'SUPPLIER_UNAVAILABLE' });
    expect((await limiter.peek())['default']).toBeGreaterThanOrEqual(999);
    const hung = fakeSupplier(() => new Promise(() => {}));
    const slow = withTrafficControl(hung.connector, { limiter, throttleStatus: () => reported, timeoutMs: 20, retry: { ...quickRetry, maxAttempts: 1 } });
    await expect(slow.getStock(['A-1'], ctx())).rejects.toMatchObject({ code: 'SUPPLIER_TIMEOUT' });
    expect((await limiter.peek())['default']).toBeLessThan(650);
  });

  it('passes the caller abort through as CALL_ABORTED without retrying', async () => {
    const controller = new AbortController();
    const { connector, calls } = fakeSupplier(() => new Promise(() => {}));
    const wrapped = withTrafficControl(connector, { limiter: limiterFor(), retry: quickRetry });
    setTimeout(() => controller.abort(), 20);
    await expect(wrapped.getStock(['A-1'], ctx('interactive', controller.signal))).rejects.toMatchObject({ code: 'CALL_ABORTED' });
    expect(calls).toHaveLength(1);
  });
});
