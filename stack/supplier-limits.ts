import { fromCostBucket, fromPublishedLimit } from '../adapters/core/policies/published-limits.ts';
import type { RateLimiterOptions } from '../adapters/core/policies/rate-limiter.ts';

/**
 * Each supplier's published limits, as rate-limiter classes. These are the limits the bundled sandboxes enforce
 * (and count violations of); for a real supplier, take them from its API terms. Per operation the classes run
 * general → specific; a supplier's throttle answer drains the most specific one.
 */
export type SupplierLimits = Pick<RateLimiterOptions, 'classes' | 'operations' | 'costs'> & {
  /** Calls in flight at once from one process. */
  readonly maxConcurrent: number;
};

export const SUPPLIER_LIMITS: Readonly<Record<string, SupplierLimits>> = {
  // Distributor API: 120 requests per minute per token; the catalog export is a bulk endpoint with an hourly quota.
  brightline: {
    classes: {
      default: fromPublishedLimit({ limit: 120, perSeconds: 60, burst: 20 }),
      catalog: fromPublishedLimit({ limit: 120, perSeconds: 3_600, burst: 10 }),
    },
    operations: { listCatalog: ['default', 'catalog'] },
    maxConcurrent: 8,
  },
  // PromoStandards endpoints: one product per inventory call, so a generous per-minute limit.
  harborpromo: {
    classes: { default: fromPublishedLimit({ limit: 1_200, perSeconds: 60, burst: 60 }) },
    maxConcurrent: 8,
  },
  // Shopify-style cost bucket: 1000 points, restoring 50 per second; estimates per operation, corrected by the
  // cost the supplier reports after each call.
  maplecart: {
    classes: { default: fromPublishedLimit({ limit: 600, perSeconds: 60, burst: 40 }), cost: fromCostBucket({ maximumAvailable: 1_000, restoreRate: 50 }) },
    operations: { getStock: ['default', 'cost'], listCatalog: ['default', 'cost'], placeOrder: ['default', 'cost'], getOrderStatus: ['default', 'cost'], cancelOrder: ['default', 'cost'], health: ['default', 'cost'] },
    costs: { getStock: 160, listCatalog: 160, placeOrder: 10, getOrderStatus: 335, cancelOrder: 10, health: 1 },
    maxConcurrent: 4,
  },
};
