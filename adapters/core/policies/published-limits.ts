/**
 * Turning a supplier's published limits into bucket shapes. Two kinds:
 *
 * - "N calls per window" (120 per minute per token, 4 per hour on a bulk endpoint): a token bucket with
 *   capacity B (the burst) and refill r = s·(N − B + 1)/window, s < 1 a safety factor. Over ANY window of that
 *   length such a bucket holds at most B + r·window < N + 1 tokens, so it grants at most N whole calls whether the
 *   supplier counts in a rolling window or in fixed windows aligned to its own clock. The sustained rate is about
 *   N − B + 1 per window: B = 1 loses nothing but the safety margin, a bigger burst costs B − 1 calls per window.
 *   Hourly quotas are the same thing with window = 3600 s: no second mechanism, no fixed-window script, and no
 *   need to know where the supplier's hour starts. The safety factor absorbs network jitter between our grant and
 *   the supplier's count.
 * - a cost bucket (Shopify-style GraphQL: 1000 points, restoring 50 a second): the supplier itself runs a leaky
 *   bucket, so ours mirrors it exactly and is corrected from what the supplier reports (rate-limiter.ts).
 */
import { registryError } from '../../../kernel/errors.ts';
import type { BucketClass } from './rate-limiter.ts';

export interface PublishedLimit {
  /** Calls allowed per window. */
  readonly limit: number;
  /** Window length in seconds: 60 for "per minute", 3600 for an hourly quota. */
  readonly perSeconds: number;
  /** Calls allowed back to back; the sustained rate is about limit − burst + 1 per window. @default max(1, floor(limit / 10)) */
  readonly burst?: number;
  /** Share of the exact refill actually used, for jitter between our grant and the supplier's count. @default 0.98 */
  readonly safety?: number;
}

export function fromPublishedLimit(published: PublishedLimit): BucketClass {
  const burst = published.burst ?? Math.max(1, Math.floor(published.limit / 10));
  const safety = published.safety ?? 0.98;
  const valid = Number.isInteger(published.limit) && published.limit >= 1 && published.perSeconds > 0 && Number.isInteger(burst) && burst >= 1 && burst <= published.limit && safety > 0 && safety < 1;
  if (!valid) {
    throw registryError('MISCONFIGURED', 'a published limit needs an integer limit ≥ 1, perSeconds > 0, 1 ≤ burst ≤ limit and 0 < safety < 1', {
      details: { ...published },
    });
  }
  return { capacity: burst, refillPerSec: (safety * (published.limit - burst + 1)) / published.perSeconds, unit: 'call' };
}

export interface CostBucket {
  /** The supplier's bucket size in cost points (Shopify: 1000 on standard plans). */
  readonly maximumAvailable: number;
  /** Points restored per second (Shopify: 50). */
  readonly restoreRate: number;
}

export function fromCostBucket(bucket: CostBucket): BucketClass {
  return { capacity: bucket.maximumAvailable, refillPerSec: bucket.restoreRate, unit: 'cost' };
}
