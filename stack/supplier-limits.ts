import { fromCostBucket, fromPublishedLimit, type CostBucket, type PublishedLimit } from '../adapters/core/policies/published-limits.ts';
import type { BucketClass, RateLimiterOptions } from '../adapters/core/policies/rate-limiter.ts';
import type { SupplierLimitOverride } from '../platform/supplier-limits-setting.ts';

/**
 * Each supplier's published limits, as rate-limiter classes. These are the limits the bundled sandboxes enforce
 * (and count violations of); for a real supplier, take them from its API terms. Per operation the classes run
 * general → specific; a supplier's throttle answer drains the most specific one.
 */
export type SupplierLimits = Pick<RateLimiterOptions, 'classes' | 'operations' | 'costs'> & {
  /** Calls in flight at once from one process. */
  readonly maxConcurrent: number;
};

/** What a supplier publishes, before it becomes buckets: the shape SUPPLIER_LIMITS overrides. */
export interface PublishedSupplierLimits {
  /** Requests per window per account: the `default` class, and the window the REST/SOAP sandboxes enforce. */
  readonly requests: PublishedLimit;
  /** A cost-based budget (Shopify-style): the `cost` class, and the bucket the GraphQL sandbox runs. */
  readonly cost?: CostBucket;
  /** Extra quotas of specific endpoints (e.g. a bulk export's hourly quota), by class name. */
  readonly endpoints?: Readonly<Record<string, PublishedLimit>>;
  readonly operations?: RateLimiterOptions['operations'];
  readonly costs?: RateLimiterOptions['costs'];
  readonly maxConcurrent: number;
}

export const PUBLISHED_LIMITS: Readonly<Record<string, PublishedSupplierLimits>> = {
  // Distributor API: 120 requests per minute per token; the catalog export is a bulk endpoint with an hourly quota.
  brightline: {
    requests: { limit: 120, perSeconds: 60, burst: 20 },
    endpoints: { catalog: { limit: 120, perSeconds: 3_600, burst: 10 } },
    operations: { listCatalog: ['default', 'catalog'] },
    maxConcurrent: 8,
  },
  // PromoStandards endpoints: one product per inventory call, so a generous per-minute limit.
  harborpromo: {
    requests: { limit: 1_200, perSeconds: 60, burst: 60 },
    maxConcurrent: 8,
  },
  // Shopify-style cost bucket: 1000 points, restoring 50 per second; estimates per operation, corrected by the
  // cost the supplier reports after each call.
  maplecart: {
    requests: { limit: 600, perSeconds: 60, burst: 40 },
    cost: { maximumAvailable: 1_000, restoreRate: 50 },
    operations: { getStock: ['default', 'cost'], listCatalog: ['default', 'cost'], placeOrder: ['default', 'cost'], getOrderStatus: ['default', 'cost'], cancelOrder: ['default', 'cost'], health: ['default', 'cost'] },
    costs: { getStock: 160, listCatalog: 160, placeOrder: 10, getOrderStatus: 335, cancelOrder: 10, health: 1 },
    maxConcurrent: 4,
  },
};

/** A supplier's published limits with this deployment's overrides (SUPPLIER_LIMITS) applied. */
export function publishedLimitsOf(slug: string, override?: SupplierLimitOverride): PublishedSupplierLimits {
  const base = PUBLISHED_LIMITS[slug];
  if (!base) throw new Error(`no published limits for supplier ${slug} (stack/supplier-limits.ts)`);
  if (override?.cost && !base.cost) throw new Error(`SUPPLIER_LIMITS: ${slug} has no cost-based budget to override`);
  return {
    ...base,
    ...(override?.requests ? { requests: override.requests } : {}),
    ...(override?.cost ? { cost: override.cost } : {}),
    ...(override?.maxConcurrent ? { maxConcurrent: override.maxConcurrent } : {}),
  };
}

/** The rate-limiter classes of a supplier's published limits. */
export function supplierLimitsOf(published: PublishedSupplierLimits): SupplierLimits {
  const classes: Record<string, BucketClass> = { default: fromPublishedLimit(published.requests) };
  for (const [name, limit] of Object.entries(published.endpoints ?? {})) classes[name] = fromPublishedLimit(limit);
  if (published.cost) classes['cost'] = fromCostBucket(published.cost);
  return {
    classes,
    ...(published.operations ? { operations: published.operations } : {}),
    ...(published.costs ? { costs: published.costs } : {}),
    maxConcurrent: published.maxConcurrent,
  };
}

/**
 * What the supplier's bundled sandbox enforces: the request window, and the cost bucket for a cost-based
 * (GraphQL) supplier. The sandbox counts whatever exceeds them in `stats().overLimit`.
 */
export function sandboxLimitsOf(published: PublishedSupplierLimits): {
  publishedLimit?: { limit: number; perSeconds: number };
  costBudget?: { maximumAvailable: number; restoreRate: number };
} {
  // A cost-based supplier publishes its bucket, not a request count: Shopify's GraphQL Admin API has no other limit.
  if (published.cost) return { costBudget: { ...published.cost } };
  return { publishedLimit: { limit: published.requests.limit, perSeconds: published.requests.perSeconds } };
}

/** The default limits as rate-limiter classes, without any deployment's overrides. */
export const SUPPLIER_LIMITS: Readonly<Record<string, SupplierLimits>> = Object.fromEntries(
  Object.entries(PUBLISHED_LIMITS).map(([slug, published]) => [slug, supplierLimitsOf(published)]),
);
