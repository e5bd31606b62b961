/**
 * A poll pass keeps the supplier's answers as last known offers: one cache write per supplier batch (never one per
 * item), the offer loader's key and shape, a SKU the supplier did not list recorded as not listed, and after the
 * batch's stock writes — which drop the fresh entry of a row a newer figure changed, so the last known cost prices.
 */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import { createMemoryCache } from '../../adapters/cache/memory-cache.ts';
import { createMemoryEventBus } from '../../adapters/events/memory-event-bus.ts';
import { createMemoryCatalogStore } from '../../adapters/storage/memory/catalog-store.ts';
import { createMemoryStockStore } from '../../adapters/storage/memory/stock-store.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { Cache } from '../../platform/ports/cache.ts';
import { newProduct } from '../../test/contract/catalog-store.contract.ts';
import { LAST_KNOWN_OFFER_TTL_MS, lastKnownOfferKey, offerCacheKey } from '../offer-cache-key.ts';
import { OFFERS_CACHED_TOPIC, withOffersCachedEvents, type OffersCachedEvent } from '../../stack/listing-events.ts';
import { createOfferLoader } from '../supplier/offer-loader.ts';
import { createOfferRecorder } from './offer-record.ts';
import { createPoller } from './poller.ts';
import { createStockUpdater } from './stock-updater.ts';
import { createInventorySyncMetrics } from './sync-metrics.ts';

describe('a poll pass records the supplier answers as last known offers', () => {
  it('one read and at most two writes per batch with the loader\'s key, shape and TTL; unlisted as not listed; only price changes announced', async () => {
    const log = silentLogger();
    const catalog = createMemoryCatalogStore();
    for (let i = 0; i < 7; i += 1) await catalog.insert(newProduct(`DS-${i}`, { suppliers: [{ supplier: 'acme', supplierSku: `A-${i}` }] }));
    const memory = createMemoryCache();
    const writes: { keys: string[]; ttlMs: number; freshA0: string | null }[] = [];
    const cache: Cache = {
      ...memory,
      getMany: (keys) => memory.getMany(keys),
      delete: (keys) => memory.delete(keys),
      setMany: (entries, ttlMs) => memory.setMany(entries, ttlMs),
      async setManyIfNewer(entries, orderField, ttlMs) {
        // What the fresh entry of A-0 is at the moment of the write: already dropped by the stock update path.
        writes.push({ keys: entries.map(([k]) => k), ttlMs, freshA0: (await memory.getMany([offerCacheKey('acme', 'A-0')]))[0] ?? null });
        return memory.setManyIfNewer(entries, orderField, ttlMs);
      },
    };
    // A product page cached A-0 live earlier (its fresh entry, with the old cost).
    await memory.setMany([[offerCacheKey('acme', 'A-0'), JSON.stringify({ found: true, stock: { supplierSku: 'A-0', cost: { amount: '1.00', currency: 'USD' } } })]], 60_000);
    const events = createMemoryEventBus({ log });
    const announced: string[][] = [];
    await events.subscribe(OFFERS_CACHED_TOPIC, (e) => void announced.push((e as OffersCachedEvent).offers.map((o) => o.supplierSku)));
    const updater = createStockUpdater({ stock: createMemoryStockStore(), cache: memory, events, log });
    let asOf = new Date().toISOString();
    const costs = new Map<string, string>();
    const connector = {
      supplier: 'acme',
      maxStockBatch: 3,
      // A-5 is no longer listed.
      getStock: async (skus: readonly string[]) => skus.filter((s) => s !== 'A-5').map((supplierSku) => ({ supplierSku, available: 4, status: 'IN_STOCK', cost: { amount: costs.get(supplierSku) ?? '2.50', currency: 'USD' }, leadTimeDays: 2, asOf })),
    } as unknown as SupplierConnector;
    const poller = createPoller({
      connectors: () => [connector],
      catalog,
      updater,
      offers: createOfferRecorder({ cache, announcing: withOffersCachedEvents(cache, events, log), log }),
      metrics: createInventorySyncMetrics(new Registry()),
      log,
      intervalMsFor: () => 0,
    });
    const summary = await poller.pollNow('acme');
    expect(summary).toMatchObject({ requested: 7, missing: 1, error: null });
    // 7 SKUs in batches of 3, all new: three writes, each the whole batch, at the loader's last-known TTL; never the fresh key.
    expect(writes.map((w) => w.keys.length).sort()).toEqual([1, 3, 3]); // batches run concurrently
    expect(writes.every((w) => w.ttlMs === LAST_KNOWN_OFFER_TTL_MS && w.keys.every((k) => k.startsWith('offer-last:acme:')))).toBe(true);
    expect(writes.flatMap((w) => w.keys).sort()).toEqual(Array.from({ length: 7 }, (_, i) => lastKnownOfferKey('acme', `A-${i}`)).sort());
    expect(writes.find((w) => w.keys.includes(lastKnownOfferKey('acme', 'A-0')))!.freshA0).toBeNull();
    const [a1, a5] = await memory.getMany([lastKnownOfferKey('acme', 'A-1'), lastKnownOfferKey('acme', 'A-5')]);
    expect(JSON.parse(a1!)).toEqual({ found: true, stock: { supplierSku: 'A-1', available: 4, status: 'IN_STOCK', cost: { amount: '2.50', currency: 'USD' }, leadTimeDays: 2, asOf }, observedAt: expect.any(Number) });
    expect(JSON.parse(a5!)).toEqual({ found: false, observedAt: expect.any(Number) });
    await new Promise((r) => setImmediate(r));
    expect(announced.flat().sort()).toEqual(Array.from({ length: 7 }, (_, i) => `A-${i}`)); // all new: every one announced

    // The next pass, nothing changed but the supplier's timestamp: the TTLs are renewed quietly, nothing is announced.
    writes.length = 0;
    announced.length = 0;
    asOf = new Date(Date.now() + 1_000).toISOString();
    await poller.pollNow('acme');
    await new Promise((r) => setImmediate(r));
    expect(writes.map((w) => w.keys.length).sort()).toEqual([1, 3, 3]);
    expect(announced).toEqual([]);

    // A cost moved: that offer alone is announced (its product re-prices), in its batch's one announced write.
    writes.length = 0;
    costs.set('A-4', '3.10');
    await poller.pollNow('acme');
    await poller.stop();
    await new Promise((r) => setImmediate(r));
    expect(announced).toEqual([['A-4']]);
    expect(writes.length).toBe(4); // three quiet batch writes, one announced
    expect(JSON.parse((await memory.getMany([lastKnownOfferKey('acme', 'A-4')]))[0]!).stock.cost).toEqual({ amount: '3.10', currency: 'USD' });
  });

  it('a cache outage costs the recording, never the poll', async () => {
    const log = silentLogger();
    const down = async () => Promise.reject(new Error('redis down'));
    const recorder = createOfferRecorder({ cache: { getMany: down, setManyIfNewer: down }, announcing: { setManyIfNewer: down }, log });
    await expect(recorder.record('acme', ['A-1'], [], Date.now())).resolves.toBeUndefined();
  });
});

/** Cost of A-1 as the offer's last known value. */
const lastCost = async (cache: Cache): Promise<string> => JSON.parse((await cache.getMany([lastKnownOfferKey('acme', 'A-1')]))[0]!).stock.cost.amount;
const stockAt = (supplierSku: string, cost: string) => ({ supplierSku, available: 4, status: 'in_stock', cost: { amount: cost, currency: 'USD' }, leadTimeDays: 2, asOf: '2026-12-04T20:00:00.000Z' }) as const;

describe('last known offers never go backwards: an answer asked for earlier never replaces one asked for later', () => {
  async function setup() {
    const log = silentLogger();
    const catalog = createMemoryCatalogStore();
    await catalog.insert(newProduct('DS-1', { suppliers: [{ supplier: 'acme', supplierSku: 'A-1' }] }));
    const cache = createMemoryCache();
    const events = createMemoryEventBus({ log });
    const announced: string[][] = [];
    await events.subscribe(OFFERS_CACHED_TOPIC, (e) => void announced.push((e as OffersCachedEvent).offers.map((o) => o.supplierSku)));
    const announcing = withOffersCachedEvents(cache, events, log);
    // The poll's supplier: each call answers when the test releases it, with the cost it names then.
    const pending: ((cost: string) => void)[] = [];
    const asked: number[] = [];
    const pollSide = {
      supplier: 'acme',
      maxStockBatch: 50,
      getStock: (skus: readonly string[]) => {
        asked.push(Date.now());
        return new Promise((resolve) => pending.push((cost) => resolve(skus.map((s) => stockAt(s, cost)))));
      },
    } as unknown as SupplierConnector;
    const recorder = createOfferRecorder({ cache, announcing, log });
    const poller = createPoller({
      connectors: () => [pollSide],
      catalog,
      updater: createStockUpdater({ stock: createMemoryStockStore(), cache, events, log }),
      offers: recorder,
      metrics: createInventorySyncMetrics(new Registry()),
      log,
      intervalMsFor: () => 0,
    });
    /** A product page's live load of A-1 (the supplier subgraph's loader, on the same announcing cache). */
    const liveLoad = (cost: string) =>
      createOfferLoader({ connector: { supplier: 'acme', maxStockBatch: 50, getStock: async (skus: readonly string[]) => skus.map((s) => stockAt(s, cost)) } as unknown as SupplierConnector, cache: announcing, ttlMs: 60_000, log, requestId: 'page' }).load('A-1');
    const released = async (cost: string) => {
      while (pending.length === 0) await new Promise((r) => setTimeout(r, 1));
      pending.shift()!(cost);
    };
    const settle = () => new Promise((r) => setImmediate(r));
    return { cache, announced, poller, recorder, liveLoad, released, settle, asked };
  }

  it('a poll answer landing after a live product-page answer asked for later leaves the live value, and announces nothing', async () => {
    const s = await setup();
    const pass = s.poller.pollNow('acme');
    while (s.asked.length === 0) await new Promise((r) => setTimeout(r, 1));
    await new Promise((r) => setTimeout(r, 5)); // the page asks strictly later than the poll did
    expect(await s.liveLoad('5.00')).toMatchObject({ kind: 'live', stock: { cost: { amount: '5.00' } } });
    await s.settle();
    expect(s.announced).toEqual([['A-1']]);
    // The poll's answer — the supplier's figures from when the poll asked — lands now.
    await s.released('4.00');
    expect((await pass).error).toBeNull();
    await s.settle();
    expect(await lastCost(s.cache)).toBe('5.00');
    expect(s.announced).toEqual([['A-1']]); // the refused write changed no price
    await s.poller.stop();
  });

  it('a poll asked for after the live answer replaces it, and its cost change is announced', async () => {
    const s = await setup();
    await s.liveLoad('5.00');
    await new Promise((r) => setTimeout(r, 5));
    const pass = s.poller.pollNow('acme');
    await s.released('4.00');
    expect((await pass).error).toBeNull();
    await s.settle();
    expect(await lastCost(s.cache)).toBe('4.00');
    expect(s.announced).toEqual([['A-1'], ['A-1']]);
    await s.poller.stop();
  });

  it('the recorder: an older answer is refused; an equal or newer one is written', async () => {
    const s = await setup();
    await s.recorder.record('acme', ['A-1'], [stockAt('A-1', '3.00')], 2_000);
    await s.recorder.record('acme', ['A-1'], [stockAt('A-1', '2.00')], 1_999);
    expect(await lastCost(s.cache)).toBe('3.00');
    await s.recorder.record('acme', ['A-1'], [stockAt('A-1', '2.50')], 2_000);
    expect(await lastCost(s.cache)).toBe('2.50');
    await s.recorder.record('acme', ['A-1'], [stockAt('A-1', '2.75')], 2_001);
    expect(await lastCost(s.cache)).toBe('2.75');
    // "Not listed" is ordered the same way.
    await s.recorder.record('acme', ['A-1'], [], 2_000);
    expect(await lastCost(s.cache)).toBe('2.75');
    await s.settle();
    expect(s.announced).toEqual([['A-1'], ['A-1'], ['A-1']]); // 3.00, 2.50, 2.75: the refused 2.00 and not-listed are not
  });
});
