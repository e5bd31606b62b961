import { registryError } from '../../kernel/errors.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { Logger } from '../../platform/logger.ts';
import { briefError, type LogThrottle } from '../../platform/log-throttle.ts';
import type { BucketShape, RateLimitStore } from '../../platform/ports/rate-limit-store.ts';

/**
 * A fair share of each supplier's request budget per partner (docs/security.md): every live supplier call made for
 * a partner's request (cache misses only) also takes a token from a per-(supplier, tenant) bucket sized at a
 * fraction of the supplier's own request bucket. A partner over its share gets the last known figures (marked
 * stale) or an error naming the supplier, instead of starving every other caller of that supplier.
 */
export interface PartnerShare {
  readonly store: RateLimitStore;
  /** The share's bucket: the supplier's request bucket scaled by PARTNER_SUPPLIER_SHARE. */
  readonly shape: BucketShape;
  readonly log: Logger;
  /** While the store is down every call fails the same way: one line per window (platform/log-throttle.ts). */
  readonly warnings?: LogThrottle;
}

/** The braces are a Redis Cluster hash tag, the same one the supplier's own buckets use. */
export const partnerShareKey = (supplier: string, tenant: string): string => `{${supplier}}:partner:${tenant}`;

/** Scales a supplier's request bucket to one partner's share; a share always allows at least one call at once. */
export const shareOf = (bucket: BucketShape, share: number): BucketShape => ({ capacity: Math.max(1, bucket.capacity * share), refillPerSec: bucket.refillPerSec * share });

/** The gate the supplier subgraph runs before a supplier call for this principal; undefined when none applies. */
export function partnerShareGate(share: PartnerShare, supplier: string, principal: Principal): (() => Promise<void>) | undefined {
  // The development admin and the gateway's own probes are not partners; every token holder is.
  if (principal.kind !== 'jwt' && principal.kind !== 'api-token') return undefined;
  const key = partnerShareKey(supplier, principal.tenant);
  return async () => {
    let outcome;
    try {
      outcome = await share.store.take([{ key, tokens: 1, ...share.shape }]);
    } catch (error) {
      // The supplier's own buckets still guard the account; fairness is what is lost while the store is down.
      const fields = { supplier, ...briefError(error) };
      if (share.warnings) share.warnings.warn(share.log, `${supplier}:partner-share`, fields, 'partner share unavailable; supplier call let through');
      else share.log.warn(fields, 'partner share unavailable; supplier call let through');
      return;
    }
    if (!outcome.granted) {
      throw registryError('RATE_LIMITED_LOCALLY', `this partner's share of ${supplier}'s request budget is used up`, {
        supplier,
        operation: 'getStock',
        ...(Number.isFinite(outcome.waitMs) ? { retryAfterMs: Math.ceil(outcome.waitMs) } : {}),
      });
    }
  };
}
