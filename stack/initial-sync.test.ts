/**
 * A supplier that does not answer at start is retried in the background behind a health probe (so retries spend
 * nothing of a catalog quota), and catches up, catalog and stock, once it answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../adapters/core/connector.ts';
import { RegistryError } from '../kernel/errors.ts';
import { openStores } from '../adapters/storage/open-stores.ts';
import { silentLogger } from '../platform/logger.ts';
import { createStockUpdater } from '../subgraphs/inventory/stock-updater.ts';
import { createOfferRecorder } from '../subgraphs/inventory/offer-record.ts';
import { lastKnownOfferKey } from '../subgraphs/offer-cache-key.ts';
import { startInitialSync, suppliersWithoutProducts, type InitialSync } from './initial-sync.ts';

/** A supplier whose answers the test switches on and off, counting every call. */
function flakySupplier(slug: string) {
  const state = { up: false, calls: { health: 0, listCatalog: 0, getStock: 0 } };
  const down = () => new RegistryError('SUPPLIER_UNAVAILABLE', `${slug} refused the connection`, { supplier: slug });
  // Matched on manufacturer + part number (DS-M-…), no GTIN needed.
  const item = (n: number) => ({ supplierSku: `${slug}-${n}`, title: `Item ${n}`, brand: null, gtin: null, manufacturer: slug.toUpperCase(), mpn: `P${n}`, description: null });
  const connector = {
    supplier: slug,
    protocol: 'soap',
    maxStockBatch: 10,
    allocatesStockOnAccept: false,
    async health() {
      state.calls.health += 1;
      return { ok: state.up, latencyMs: 1, detail: state.up ? null : 'down' };
    },
    async listCatalog() {
      state.calls.listCatalog += 1;
      if (!state.up) throw down();
      return { items: [item(1), item(2)], nextCursor: null };
    },
    async getStock(skus: readonly string[]) {
      state.calls.getStock += 1;
      if (!state.up) throw down();
      return skus.map((s) => ({ supplierSku: s, available: 7, status: 'IN_STOCK', cost: null, leadTimeDays: null, asOf: new Date().toISOString() }));
    },
    placeOrder: async () => Promise.reject(down()),
    getOrderStatus: async () => Promise.reject(down()),
    cancelOrder: async () => Promise.reject(down()),
    close: async () => {},
  } as unknown as SupplierConnector;
  return { connector, state };
}

describe('initial sync', () => {
  let sync: InitialSync | undefined;
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await sync?.close();
    await close?.();
  });

  it('serves the suppliers that answer, probes the one that does not, and catches it up when it answers', async () => {
    const log = silentLogger();
    const stores = await openStores({ mongoUrl: undefined, mongoDb: 'unused', redisUrl: undefined, keyPrefix: 't:' }, log);
    close = () => stores.close();
    const updater = createStockUpdater({ stock: stores.stock, cache: stores.cache, events: stores.events, log, bufferFor: () => 0 });
    const acme = flakySupplier('acme');
    const globex = flakySupplier('globex');
    globex.state.up = true;

    sync = await startInitialSync({ connectors: new Map([['acme', acme.connector], ['globex', globex.connector]]), catalog: stores.catalog, updater, offers: createOfferRecorder({ cache: stores.cache, announcing: stores.cache, log }), log, firstRetryMs: 10, maxRetryMs: 40 });
    expect(sync.pending()).toEqual(['acme']);
    expect(await suppliersWithoutProducts(stores.catalog, ['acme', 'globex'])).toEqual(new Set(['acme']));
    const stockOf = async (slug: string) => stores.stock.get((await stores.catalog.skuBySupplierSku(slug, `${slug}-1`))!, slug);
    expect((await stockOf('globex'))?.onHand).toBe(7);

    const firstAttempt = acme.state.calls.listCatalog;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(acme.state.calls.health).toBeGreaterThanOrEqual(3); // retried with backoff…
    expect(acme.state.calls.listCatalog).toBe(firstAttempt); // …behind the probe: no catalog call while it is down

    acme.state.up = true;
    await sync.caughtUp('acme');
    expect(sync.pending()).toEqual([]);
    expect(await suppliersWithoutProducts(stores.catalog, ['acme', 'globex'])).toEqual(new Set());
    expect((await stockOf('acme'))?.onHand).toBe(7);
    // The snapshot's answers are each offer's last known value (with its cost), as the offer loader writes them.
    const [last] = await stores.cache.getMany([lastKnownOfferKey('acme', 'acme-1')]);
    expect(JSON.parse(last!)).toMatchObject({ found: true, stock: { supplierSku: 'acme-1', available: 7 } });
  });
});
