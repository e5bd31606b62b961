import { SERVICE_GROUPS, type ServiceGroup } from '../adapters/core/connector.ts';
import { createCircuitBreaker, type CircuitBreaker } from '../adapters/core/policies/circuit-breaker.ts';
import { createConcurrencyLimiter } from '../adapters/core/policies/concurrency-limiter.ts';
import { createRateLimiter, type RateLimiter } from '../adapters/core/policies/rate-limiter.ts';
import type { TrafficControlOptions } from '../adapters/core/policies/with-traffic-control.ts';
import type { Logger } from '../platform/logger.ts';
import type { SupplierMetrics } from '../platform/metrics.ts';
import type { RateLimitStore } from '../platform/ports/rate-limit-store.ts';
import { SUPPLIER_LIMITS, type SupplierLimits } from './supplier-limits.ts';
import { createSupplierStatusTracker, type SupplierStatusTracker } from './supplier-status.ts';

export interface SupplierTraffic {
  /** Passed to the supplier's connector factory, which wraps its raw connector once. */
  readonly policies: TrafficControlOptions;
  readonly limiter: RateLimiter;
  /** One breaker per service group (catalog/prices, stock, orders): one failing service does not block the others. */
  readonly breakers: Readonly<Record<ServiceGroup, CircuitBreaker>>;
  readonly status: SupplierStatusTracker;
}

export interface SupplierTrafficOptions {
  readonly store: RateLimitStore;
  readonly metrics: SupplierMetrics;
  readonly log: Logger;
  readonly timeoutMs: number;
  /** The supplier's limits with this deployment's overrides. @default its entry in SUPPLIER_LIMITS */
  readonly limits?: SupplierLimits;
  /** How long an open circuit stays open before a probe. @default the breaker's own (30 s) */
  readonly breakerOpenMs?: number;
}

/**
 * The traffic layer of one supplier: shared buckets from its published limits split between lanes with guaranteed
 * shares, a breaker per service group, and its concurrency cap (docs/traffic-control.md).
 */
export function createSupplierTraffic(slug: string, options: SupplierTrafficOptions): SupplierTraffic {
  const limits = options.limits ?? SUPPLIER_LIMITS[slug];
  if (!limits) throw new Error(`no published limits for supplier ${slug} (stack/supplier-limits.ts)`);
  const limiter = createRateLimiter({
    supplier: slug,
    store: options.store,
    classes: limits.classes,
    ...(limits.operations ? { operations: limits.operations } : {}),
    ...(limits.costs ? { costs: limits.costs } : {}),
    ...(limits.shares ? { shares: limits.shares } : {}),
    // What a supplier reports is trusted for at most the breaker's open time: waits are capped at it, and a probe
    // every half of it lets a healthy answer reset a poisoned cost bucket within it (docs/traffic-control.md).
    ...(options.breakerOpenMs === undefined ? {} : { longestWaitMs: options.breakerOpenMs, probeEveryMs: options.breakerOpenMs / 2 }),
  });
  const breakers = Object.fromEntries(
    SERVICE_GROUPS.map((group) => [group, createCircuitBreaker({ supplier: slug, ...(options.breakerOpenMs === undefined ? {} : { openMs: options.breakerOpenMs }) })]),
  ) as Record<ServiceGroup, CircuitBreaker>;
  const status = createSupplierStatusTracker(slug, options.metrics);
  return {
    policies: {
      timeoutMs: options.timeoutMs,
      limiter,
      breakers,
      concurrency: createConcurrencyLimiter({ supplier: slug, maxConcurrent: limits.maxConcurrent }),
      metrics: status.metrics,
      log: options.log,
      // Orders may wait for budget longer than live reads: a live read would rather serve the last known value.
      // Tracking waits at most one attempt's deadline: its poller stops for the cycle when its share is spent.
      maxWaitMs: (ctx) => (ctx.lane === 'interactive' ? Math.min(options.timeoutMs, 2_000) : ctx.lane === 'tracking' ? options.timeoutMs : options.timeoutMs * 3),
    },
    limiter,
    breakers,
    status,
  };
}
