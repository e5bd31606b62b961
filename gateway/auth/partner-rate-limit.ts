import type { Principal } from '../../platform/auth/principal.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RateLimitStore } from '../../platform/ports/rate-limit-store.ts';
import { rateLimited } from './auth-errors.ts';

export interface PartnerRateLimitOptions {
  /** The shared bucket store (Redis when configured): every gateway instance draws from the same buckets. */
  readonly store: RateLimitStore;
  /** Sustained requests per second per tenant; 0 turns the limit off. */
  readonly perSecond: number;
  /** Requests a tenant may send at once. */
  readonly burst: number;
  readonly log: Logger;
}

/**
 * Throws the 429 the client receives when the principal's tenant is out of requests. `log`: the request's logger
 * (bound to its `requestId`); the limiter's own otherwise.
 */
export type PartnerRateLimit = (principal: Principal, log?: Logger) => Promise<void>;

/** Bucket key of a tenant; the braces are a Redis Cluster hash tag, so the key stays in one slot. */
export const partnerBucketKey = (tenant: string): string => `partner:{${tenant}}`;

/**
 * One token bucket per tenant (not per token: a partner cannot multiply its rate by minting tokens), one token per
 * request, checked before the operation is parsed. Only token holders are limited: the development admin and the
 * gateway's own probes are not. When the store fails the request is let through and the failure logged, so a
 * Redis outage degrades fairness, not availability (the store itself already falls back to local buckets).
 */
export function createPartnerRateLimit(options: PartnerRateLimitOptions): PartnerRateLimit {
  const shape = { capacity: options.burst, refillPerSec: options.perSecond };
  return async (principal, log = options.log) => {
    if (options.perSecond === 0 || (principal.kind !== 'jwt' && principal.kind !== 'api-token')) return;
    let outcome;
    try {
      outcome = await options.store.take([{ key: partnerBucketKey(principal.tenant), tokens: 1, ...shape }]);
    } catch (error) {
      log.warn({ err: error, tenant: principal.tenant }, 'partner rate limit unavailable; request let through');
      return;
    }
    if (!outcome.granted) throw rateLimited(Number.isFinite(outcome.waitMs) ? outcome.waitMs : 60_000);
  };
}
