/**
 * Shopify-style cost throttling, read from the client side: `extensions.cost` on every answer, and how long
 * to wait after a THROTTLED error. Shopify sends no Retry-After for THROTTLED; the wait is the points we are
 * short divided by the restore rate.
 *
 * Every wait read here is the supplier's word, so it is bounded: finite, ≥ 0 and at most MAX_THROTTLE_WAIT_MS. The
 * traffic layer caps it further at the breaker's open time (docs/traffic-control.md, "Bounds on what the supplier
 * reports"); this ceiling keeps the arithmetic finite for any caller.
 */
import { z } from 'zod';
import { MAX_RETRY_AFTER_MS, boundedWaitMs, parseRetryAfter } from '../http/retry-after.ts';

/** Longest wait a supplier may ask of us through this module: the same hour as a Retry-After header. */
export const MAX_THROTTLE_WAIT_MS = MAX_RETRY_AFTER_MS;

export const throttleStatusSchema = z.object({
  maximumAvailable: z.number().nonnegative(),
  currentlyAvailable: z.number(),
  restoreRate: z.number().nonnegative(),
});

export const queryCostSchema = z.object({
  requestedQueryCost: z.number().nonnegative(),
  actualQueryCost: z.number().nonnegative().nullable().optional(),
  throttleStatus: throttleStatusSchema,
});

export type ThrottleStatus = z.infer<typeof throttleStatusSchema>;
export type QueryCost = z.infer<typeof queryCostSchema>;

/** A throttle status plus when we saw it, so a reader can project the bucket forward. */
export interface ObservedThrottleStatus extends ThrottleStatus {
  /** Epoch ms at which the answer carrying this status arrived. */
  readonly observedAt: number;
}

/** The `extensions.cost` report, or null when absent or not of the expected shape (it is advisory). */
export function readQueryCost(extensions: unknown): QueryCost | null {
  const cost = (extensions as { cost?: unknown } | null | undefined)?.cost;
  const parsed = queryCostSchema.safeParse(cost);
  return parsed.success ? parsed.data : null;
}

/**
 * Wait before the same query fits the bucket again: (requested − currentlyAvailable) / restoreRate seconds,
 * rounded up to whole ms, at most MAX_THROTTLE_WAIT_MS (a restore rate of 1e-9 asks for decades). Undefined when
 * the report cannot tell (no restore rate).
 */
export function waitFromCost(cost: QueryCost | null): number | undefined {
  if (!cost || !(cost.throttleStatus.restoreRate > 0)) return undefined;
  const short = cost.requestedQueryCost - cost.throttleStatus.currentlyAvailable;
  const ms = (short / cost.throttleStatus.restoreRate) * 1000;
  return Number.isNaN(ms) ? undefined : boundedWaitMs(ms);
}

/**
 * The longer of the two waits we may be told: a Retry-After header (some edges in front of a GraphQL API send
 * one) and the cost arithmetic. Waiting for the shorter would only earn another THROTTLED.
 */
export function throttleWaitMs(retryAfterHeader: string | null, cost: QueryCost | null, now: number = Date.now()): number | undefined {
  const waits = [parseRetryAfter(retryAfterHeader, now), waitFromCost(cost)].filter((w): w is number => w !== undefined);
  return waits.length === 0 ? undefined : Math.max(...waits);
}
