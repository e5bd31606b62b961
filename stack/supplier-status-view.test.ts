import { describe, expect, it } from 'vitest';
import { RegistryError } from '../kernel/errors.ts';
import { withTrafficControl } from '../adapters/core/policies/with-traffic-control.ts';
import type { SupplierConnector } from '../adapters/core/connector.ts';
import { createMemoryBucketStore } from '../adapters/ratelimit/memory-bucket-store.ts';
import { silentLogger } from '../platform/logger.ts';
import { createMetrics } from '../platform/metrics.ts';
import { SUPPLIERS } from '../platform/supplier-registry.ts';
import { supplierStatusView } from './supplier-status-view.ts';
import { createSupplierTraffic } from './supplier-traffic.ts';

/** Product Data down, everything else up: how harborpromo's connector sees its supplier in issue 11, point 4. */
const catalogDown = {
  supplier: 'harborpromo',
  protocol: 'soap',
  maxStockBatch: 50,
  allocatesStockOnAccept: false,
  getStock: async (skus: readonly string[]) => skus.map((s) => ({ supplierSku: s, available: 1, status: 'in_stock', cost: null, leadTimeDays: null, asOf: null })),
  listCatalog: async () => {
    throw new RegistryError('SUPPLIER_UNAVAILABLE', 'Product Data answered 503', { supplier: 'harborpromo' });
  },
  getOrderStatus: async () => ({ supplierOrderId: 'PO-1', status: 'accepted', rawStatus: 'Confirmed', lines: [], shipments: [] }),
  placeOrder: async () => ({ supplierOrderId: 'PO-1', status: 'accepted', rawStatus: 'Confirmed', alreadyExisted: false }),
  cancelOrder: async () => {},
  health: async () => ({ ok: true, latencyMs: 1, detail: null }),
  close: async () => {},
} as unknown as SupplierConnector;

describe('supplier status per service group', () => {
  it('with catalog calls failing: the catalog group is DOWN, stock reads and order tracking still go through, the supplier DEGRADED', async () => {
    const traffic = createSupplierTraffic('harborpromo', { store: createMemoryBucketStore(), metrics: createMetrics({ defaultMetrics: false }).supplier, log: silentLogger(), timeoutMs: 1_000 });
    const connector = withTrafficControl(catalogDown, { ...traffic.policies, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 1_000 } });
    const ctx = (lane: 'sync' | 'interactive' | 'tracking') => ({ signal: AbortSignal.timeout(5_000), log: silentLogger(), requestId: 't', lane });
    for (let i = 0; i < 10; i++) await expect(connector.listCatalog(null, ctx('sync'))).rejects.toMatchObject({ code: 'SUPPLIER_UNAVAILABLE' });
    await expect(connector.listCatalog(null, ctx('sync'))).rejects.toMatchObject({ code: 'SUPPLIER_CIRCUIT_OPEN' });
    await expect(connector.getStock(['HP-1'], ctx('interactive'))).resolves.toHaveLength(1);
    await expect(connector.getOrderStatus({ supplierOrderId: 'PO-1', idempotencyKey: 'k' }, ctx('tracking'))).resolves.toMatchObject({ status: 'accepted' });

    const descriptor = SUPPLIERS.find((s) => s.slug === 'harborpromo')!;
    const view = await supplierStatusView(descriptor, traffic)();
    expect(view).toMatchObject({ name: 'harborpromo', health: 'DEGRADED', breakerState: 'OPEN' });
    expect(view.groups).toEqual([
      { group: 'CATALOG', health: 'DOWN', breakerState: 'OPEN', lastError: 'SUPPLIER_CIRCUIT_OPEN (transient) listCatalog' },
      { group: 'STOCK', health: 'HEALTHY', breakerState: 'CLOSED', lastError: null },
      { group: 'ORDERS', health: 'HEALTHY', breakerState: 'CLOSED', lastError: null },
    ]);
  });
});
