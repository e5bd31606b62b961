/**
 * The poller under a lease (the `jobs` role, issue 17): its timer polls a supplier only while this process holds
 * the supplier's poll lease, and a pass whose fence check fails (the lease passed to another process) writes nothing.
 */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import { createMemoryCache } from '../../adapters/cache/memory-cache.ts';
import { createMemoryEventBus } from '../../adapters/events/memory-event-bus.ts';
import { createMemoryCatalogStore } from '../../adapters/storage/memory/catalog-store.ts';
import { createMemoryStockStore } from '../../adapters/storage/memory/stock-store.ts';
import { silentLogger } from '../../platform/logger.ts';
import { newProduct } from '../../test/contract/catalog-store.contract.ts';
import { createPoller } from './poller.ts';
import { createStockUpdater } from './stock-updater.ts';
import { createInventorySyncMetrics } from './sync-metrics.ts';

async function setup(lease: { holds: boolean; confirm: boolean }) {
  const log = silentLogger();
  const catalog = createMemoryCatalogStore();
  const stock = createMemoryStockStore();
  await catalog.insert(newProduct('DS-1', { suppliers: [{ supplier: 'acme', supplierSku: 'A-1' }] }));
  const updater = createStockUpdater({ stock, cache: createMemoryCache(), events: createMemoryEventBus({ log }), log });
  const calls: string[][] = [];
  const connector = {
    supplier: 'acme',
    maxStockBatch: 50,
    getStock: async (skus: readonly string[]) => {
      calls.push([...skus]);
      return skus.map((supplierSku) => ({ supplierSku, available: 7, asOf: new Date().toISOString() }));
    },
  } as unknown as SupplierConnector;
  const confirms: string[] = [];
  const poller = createPoller({
    connectors: () => [connector],
    catalog,
    updater,
    metrics: createInventorySyncMetrics(new Registry()),
    log,
    intervalMsFor: () => 20,
    lease: {
      holds: () => lease.holds,
      confirm: async (supplier) => {
        confirms.push(supplier);
        return lease.confirm;
      },
    },
  });
  return { poller, calls, confirms, stock };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('poller under a lease', () => {
  it('does not poll on its timer while another process holds the lease', async () => {
    const { poller, calls } = await setup({ holds: false, confirm: false });
    poller.start();
    await sleep(150);
    await poller.stop();
    expect(calls).toEqual([]);
  });

  it('polls and writes while it holds the lease, checking the fence before each batch', async () => {
    const { poller, calls, confirms, stock } = await setup({ holds: true, confirm: true });
    poller.start();
    await sleep(150);
    await poller.stop();
    expect(calls.length).toBeGreaterThan(0);
    expect(confirms.length).toBe(calls.length);
    expect((await stock.get('DS-1', 'acme'))?.onHand).toBe(7);
  });

  it('writes nothing from a pass whose fence check finds the lease passed on', async () => {
    const { poller, calls, stock } = await setup({ holds: true, confirm: false });
    const summary = await poller.pollNow('acme');
    await poller.stop();
    expect(calls).toHaveLength(1); // it asked the supplier, then found it no longer holds the lease
    expect(summary.error).toBe('lease lost');
    expect(await stock.get('DS-1', 'acme')).toBeNull();
  });
});
