import { describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import { RegistryError } from '../../kernel/errors.ts';
import type { SupplierStock } from '../../kernel/model.ts';
import { createMemoryCache } from '../../adapters/cache/memory-cache.ts';
import { silentLogger } from '../../platform/logger.ts';
import { createOfferLoader } from './offer-loader.ts';
import { deadlineSignal } from '../../adapters/core/policies/timeout.ts';
import { withTrafficControl } from '../../adapters/core/policies/with-traffic-control.ts';
import { createLogThrottle } from '../../platform/log-throttle.ts';

const stockFor = (sku: string): SupplierStock => ({
  supplierSku: sku,
  available: sku.length,
  status: 'in_stock',
  cost: { amount: '1.00', currency: 'USD' },
  leadTimeDays: 2,
  asOf: '2026-11-26T20:00:00.000Z',
});

/** A connector that records every stock call and knows SKUs starting with "K". */
function recordingConnector(fail?: RegistryError) {
  const calls: string[][] = [];
  const connector = {
    supplier: 'acme',
    protocol: 'rest',
    maxStockBatch: 50,
    getStock: async (skus: readonly string[]) => {
      calls.push([...skus]);
      if (fail) throw fail;
      return skus.filter((s) => s.startsWith('K')).map(stockFor);
    },
  } as unknown as SupplierConnector;
  return { connector, calls };
}

const loaderFor = (connector: SupplierConnector, cache = createMemoryCache()) =>
  createOfferLoader({ connector, cache, ttlMs: 60_000, log: silentLogger(), requestId: 't' });

describe('createOfferLoader', () => {
  it('sends every SKU asked for in one tick to the supplier in one call', async () => {
    const { connector, calls } = recordingConnector();
    const loader = loaderFor(connector);
    const results = await Promise.all(['K1', 'K22', 'X9', 'K1'].map((sku) => loader.load(sku)));
    expect(calls).toEqual([['K1', 'K22', 'X9']]);
    expect(results.map((r) => r.kind)).toEqual(['live', 'live', 'unlisted', 'live']);
  });

  it('serves answers, including "not listed", from the cache across requests', async () => {
    const { connector, calls } = recordingConnector();
    const cache = createMemoryCache();
    await Promise.all(['K1', 'X9'].map((sku) => loaderFor(connector, cache).load(sku)));
    calls.length = 0;
    const second = loaderFor(connector, cache);
    const [k1, x9, k3] = await Promise.all(['K1', 'X9', 'K333'].map((sku) => second.load(sku)));
    expect(calls).toEqual([['K333']]);
    expect(k1).toMatchObject({ kind: 'live', cached: true, stock: { available: 2 } });
    expect(x9).toEqual({ kind: 'unlisted' });
    expect(k3).toMatchObject({ kind: 'live', cached: false });
  });

  it('turns a supplier failure into a failed result per SKU and caches nothing', async () => {
    const failure = new RegistryError('SUPPLIER_TIMEOUT', 'slow', { supplier: 'acme' });
    const { connector, calls } = recordingConnector(failure);
    const cache = createMemoryCache();
    const results = await Promise.all(['K1', 'K2'].map((sku) => loaderFor(connector, cache).load(sku)));
    expect(results).toEqual([{ kind: 'failed', error: failure }, { kind: 'failed', error: failure }]);
    expect(await cache.getMany(['offer:acme:K1'])).toEqual([null]);
    expect(calls).toHaveLength(2);
  });

  it('keeps answering when the cache itself fails', async () => {
    const { connector } = recordingConnector();
    const broken = { getMany: async () => { throw new Error('redis down'); }, setMany: async () => { throw new Error('redis down'); }, setManyIfNewer: async () => { throw new Error('redis down'); }, delete: async () => {}, close: async () => {} };
    const result = await loaderFor(connector, broken).load('K1');
    expect(result).toMatchObject({ kind: 'live', stock: { available: 2 } });
  });

  it('serves the last known answer, marked stale, when the supplier cannot answer now', async () => {
    const cache = createMemoryCache();
    await loaderFor(recordingConnector().connector, cache).load('K1');
    await cache.delete(['offer:acme:K1']); // the fresh entry expired
    const down = new RegistryError('SUPPLIER_CIRCUIT_OPEN', 'open', { supplier: 'acme' });
    const [k1, k2] = await Promise.all(['K1', 'K2'].map((sku) => loaderFor(recordingConnector(down).connector, cache).load(sku)));
    expect(k1).toMatchObject({ kind: 'stale', stock: { supplierSku: 'K1', available: 2 }, error: down });
    expect(k2).toEqual({ kind: 'failed', error: down });
  });

  it('never papers over a logical error with an old value', async () => {
    const cache = createMemoryCache();
    await loaderFor(recordingConnector().connector, cache).load('K1');
    await cache.delete(['offer:acme:K1']);
    const rejected = new RegistryError('SUPPLIER_REJECTED', 'bad request', { supplier: 'acme' });
    expect(await loaderFor(recordingConnector(rejected).connector, cache).load('K1')).toEqual({ kind: 'failed', error: rejected });
  });

  it('serves the last known figures within the request budget when the supplier is slower than the time left', async () => {
    // The slow-supplier bug: the loader's supplier call ran its full retry budget (3 × attempt deadline). With the
    // budget's signal it ends at the deadline, as a timeout, and the last known figures are served.
    const cache = createMemoryCache();
    await loaderFor(recordingConnector().connector, cache).load('K1');
    await cache.delete(['offer:acme:K1']);
    const slow = {
      ...recordingConnector().connector,
      allocatesStockOnAccept: false,
      getStock: () => new Promise<SupplierStock[]>((resolve) => setTimeout(() => resolve([stockFor('K1')]), 300)),
      close: async () => {},
    } as unknown as SupplierConnector;
    const policed = withTrafficControl(slow, { timeoutMs: 250, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, budgetMs: 60_000, minAttemptMs: 10 } });
    const lines: unknown[] = [];
    const log = { ...silentLogger(), warn: (fields: unknown) => void lines.push(fields) } as unknown as ReturnType<typeof silentLogger>;
    const warnings = createLogThrottle();
    const started = Date.now();
    const load = (sku: string) => createOfferLoader({ connector: policed, cache, ttlMs: 60_000, log, requestId: 't', signal: deadlineSignal(Date.now() + 120), warnings }).load(sku);
    const [k1, k2] = await Promise.all([load('K1'), load('K2')]);
    expect(Date.now() - started).toBeLessThan(220);
    expect(k1).toMatchObject({ kind: 'stale', stock: { supplierSku: 'K1' }, error: { code: 'SUPPLIER_TIMEOUT', supplier: 'acme' } });
    expect(k2).toMatchObject({ kind: 'failed', error: { code: 'SUPPLIER_TIMEOUT' } });
    // Two requests, one failure each, the same way: one warning line, without a stack trace.
    expect(lines).toEqual([{ supplier: 'acme', code: 'SUPPLIER_TIMEOUT', errorClass: 'transient', op: 'getStock', error: expect.stringContaining('time budget'), details: { budgetSpent: true }, skus: 1 }]);
  });

  it('logs a store outage once per window, without a stack trace, and still answers', async () => {
    const broken = { getMany: async () => { throw new Error('redis down'); }, setMany: async () => { throw new Error('redis down'); }, setManyIfNewer: async () => { throw new Error('redis down'); }, delete: async () => {}, close: async () => {} };
    const lines: Record<string, unknown>[] = [];
    const log = { ...silentLogger(), warn: (fields: Record<string, unknown>) => void lines.push(fields) } as unknown as ReturnType<typeof silentLogger>;
    const warnings = createLogThrottle();
    for (let i = 0; i < 3; i += 1) {
      const loader = createOfferLoader({ connector: recordingConnector().connector, cache: broken, ttlMs: 60_000, log, requestId: `r${i}`, warnings });
      expect(await loader.load('K1')).toMatchObject({ kind: 'live' });
    }
    // One read failure and one write failure, each once: not six lines, and no `err` with its stack.
    expect(lines).toEqual([
      { supplier: 'acme', error: 'redis down' },
      { supplier: 'acme', error: 'redis down' },
    ]);
  });

  it('treats a CALL_ABORTED it did not ask for as a supplier that did not answer: last known figures, not an abort', async () => {
    // Found by the slow-supplier fault row: a connector load shared between callers died with the first caller's
    // deadline, and the others reached the client as CALL_ABORTED with empty offers, named nowhere.
    const cache = createMemoryCache();
    await loaderFor(recordingConnector().connector, cache).load('K1');
    await cache.delete(['offer:acme:K1']);
    const aborted = new RegistryError('CALL_ABORTED', 'acme getProductSellable: aborted', { supplier: 'acme' });
    const [k1, k2] = await Promise.all(['K1', 'K2'].map((sku) => loaderFor(recordingConnector(aborted).connector, cache).load(sku)));
    expect(k1).toMatchObject({ kind: 'stale', error: { code: 'SUPPLIER_UNAVAILABLE', supplier: 'acme' } });
    expect(k2).toMatchObject({ kind: 'failed', error: { code: 'SUPPLIER_UNAVAILABLE' } });
  });
});
