/**
 * Bounds on what a supplier says about its own throttling (issue 14, point 3). A cost-based supplier reports its
 * bucket after every answer and the limiter adopts it, shared through the store; one hostile or broken report
 * (restore rate 1e-9, level −1e12, capacity 1e12) once locked maplecart out for 14.6 days, and since nothing was sent
 * no healthy report could correct it. So the adopted shape stays within a band around the published one, the level
 * within [0, capacity], and every wait a supplier (or our arithmetic on its numbers) asks for is capped.
 * docs/traffic-control.md, "Bounds on what the supplier reports".
 */
import type { BucketShape } from '../../../platform/ports/rate-limit-store.ts';

/** Adopted capacity and restore rate stay within [published / band, published × band]. */
export const DEFAULT_ADOPT_BAND = 4;
/** Longest wait ever imposed or reported: the breaker's default open time. */
export const DEFAULT_LONGEST_WAIT_MS = 30_000;
/** One call per this interval may pass a bucket the supplier's report emptied: half the breaker's default open time. */
export const DEFAULT_PROBE_EVERY_MS = 15_000;

/** A reported cost bucket, as the GraphQL client read it. */
export interface ThrottleReport {
  readonly currentlyAvailable: number;
  readonly maximumAvailable: number;
  readonly restoreRate: number;
}

const within = (value: number, published: number, band: number): number => Math.min(published * band, Math.max(published / band, value));

/**
 * The shape and level to adopt from a report, bounded by the published shape; null when the report has a
 * non-finite number (nothing in it can be trusted then). A capacity or restore rate of 0 or less is not a shape:
 * the published value is kept for it.
 */
export function boundedReport(published: BucketShape, report: ThrottleReport, band: number = DEFAULT_ADOPT_BAND): { shape: BucketShape; level: number } | null {
  const { currentlyAvailable, maximumAvailable, restoreRate } = report;
  if (![currentlyAvailable, maximumAvailable, restoreRate].every(Number.isFinite)) return null;
  const shape = {
    capacity: maximumAvailable > 0 ? within(maximumAvailable, published.capacity, band) : published.capacity,
    refillPerSec: restoreRate > 0 ? within(restoreRate, published.refillPerSec, band) : published.refillPerSec,
  };
  // A supplier's leaky bucket cannot go below empty: it refuses a query instead (THROTTLED).
  return { shape, level: Math.min(shape.capacity, Math.max(0, currentlyAvailable)) };
}

/** A wait in ms, capped at `longestMs`; undefined for none, negatives are 0, NaN is none, Infinity is the cap. */
export function cappedWaitMs(waitMs: number | undefined, longestMs: number): number | undefined {
  if (waitMs === undefined || Number.isNaN(waitMs)) return undefined;
  return Math.min(longestMs, Math.max(0, waitMs));
}
