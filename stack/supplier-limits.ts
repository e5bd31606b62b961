import { fromCostBucket, fromPublishedLimit, type CostBucket, type PublishedLimit } from '../adapters/core/policies/published-limits.ts';
import type { BucketClass, RateLimiterOptions } from '../adapters/core/policies/rate-limiter.ts';
import type { SupplierLimitOverride } from '../platform/supplier-limits-setting.ts';
import { DEFAULT_SUPPLIERS_FILE, readSuppliersFile, type SupplierEntry } from '../platform/suppliers-file.ts';

/**
 * Each supplier's published limits, as rate-limiter classes. These are the limits the bundled sandboxes enforce
 * (and count violations of); for a real supplier, take them from its API terms. Per operation the classes run
 * general → specific; a supplier's throttle answer drains the most specific one.
 */
export type SupplierLimits = Pick<RateLimiterOptions, 'classes' | 'operations' | 'costs' | 'shares'> & {
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
  /**
   * Guaranteed share of the budget per lane (order, interactive, tracking, sync), over the defaults in
   * adapters/core/policies/lanes.ts; SUPPLIER_LIMITS `lanes` sets them per supplier (docs/traffic-control.md).
   */
  readonly lanes?: RateLimiterOptions['shares'];
}

/**
 * The published limits of the committed demo suppliers file (config/suppliers.json), by slug: for tests and
 * benchmarks that start a supplier's sandbox without a stack. A running stack takes each entry's own `limits`.
 */
export const PUBLISHED_LIMITS: Readonly<Record<string, PublishedSupplierLimits>> = Object.fromEntries(
  readSuppliersFile(DEFAULT_SUPPLIERS_FILE).map((entry) => [entry.slug, entry.limits as PublishedSupplierLimits]),
);

/** A supplier's published limits (its entry's, else the demo file's) with this deployment's overrides (SUPPLIER_LIMITS) applied. */
export function publishedLimitsOf(slug: string, override?: SupplierLimitOverride, entry?: Pick<SupplierEntry, 'limits'>): PublishedSupplierLimits {
  const base = (entry?.limits as PublishedSupplierLimits | undefined) ?? PUBLISHED_LIMITS[slug];
  if (!base) throw new Error(`no published limits for supplier ${slug} (its entry in the suppliers file)`);
  if (override?.cost && !base.cost) throw new Error(`SUPPLIER_LIMITS: ${slug} has no cost-based budget to override`);
  return {
    ...base,
    ...(override?.requests ? { requests: override.requests } : {}),
    ...(override?.cost ? { cost: override.cost } : {}),
    ...(override?.maxConcurrent ? { maxConcurrent: override.maxConcurrent } : {}),
    ...(override?.lanes ? { lanes: { ...base.lanes, ...override.lanes } } : {}),
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
    ...(published.lanes ? { shares: published.lanes } : {}),
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
