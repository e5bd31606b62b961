import type { RequestRate } from '../../platform/auth/auth-settings.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { TokenClass } from '../../platform/auth/token-class.ts';
import type { Logger } from '../../platform/logger.ts';
import type { BucketDraw, RateLimitStore } from '../../platform/ports/rate-limit-store.ts';
import { invalidShopperId, rateLimited } from './auth-errors.ts';
import { readShopperId } from './shopper-identity.ts';

export interface RequestRateLimitOptions {
  /** The shared bucket store (Redis when configured): every gateway instance draws from the same buckets. */
  readonly store: RateLimitStore;
  /** Per-tenant bucket of each token class; `perSecond` 0 turns that class's limit off. */
  readonly rates: Readonly<Record<TokenClass, RequestRate>>;
  /** Per-shopper bucket behind a storefront token; `perSecond` 0 turns it off. */
  readonly shopperRate: RequestRate;
  /** The shopper id's keyed hash (shopper-identity.ts): what goes into the bucket key instead of the id. */
  readonly hashShopper: (tenant: string, shopperId: string) => string;
  readonly log: Logger;
}

/**
 * Throws the 429 the client receives when the principal's tenant (for its token class) or the forwarded shopper is
 * out of requests, or the 400 for a malformed shopper id from a storefront. `shopperHeader`: the request's
 * `X-Shopper-Id` as received; `log`: the request's logger (bound to its `requestId`).
 */
export type RequestRateLimit = (principal: Principal, shopperHeader?: string | readonly string[], log?: Logger) => Promise<void>;

/**
 * Bucket key of a tenant's class bucket. The braces are a Redis Cluster hash tag, so a tenant's buckets (class and
 * shoppers) share one slot and one take can debit both. The partner key is the one used before classes existed.
 */
export const tenantBucketKey = (tokenClass: TokenClass, tenant: string): string => `${tokenClass}:{${tenant}}`;
/** Bucket key of one shopper behind a storefront tenant; `shopperHash` from shopper-identity.ts, never the id. */
export const shopperBucketKey = (tenant: string, shopperHash: string): string => `storefront:{${tenant}}:shopper:${shopperHash}`;

/** Within the bucket arithmetic's tolerance (adapters/ratelimit/bucket-math.ts). */
const EPSILON = 1e-9;

/**
 * One token bucket per tenant and token class (not per token: nobody multiplies a rate by minting tokens), plus,
 * for storefront tokens that forward a shopper, one per shopper, taken together all or nothing in one store call
 * (one Redis round trip), right after authentication and before the operation is parsed. A refused shopper draws
 * nothing from the tenant's bucket, so one abusive shopper cannot use up the shop's budget. Only token holders are
 * limited: the development admin and the gateway's own probes are not. When the store fails the request is let
 * through and the failure logged, so a Redis outage degrades fairness, not availability (the store itself already
 * falls back to local buckets).
 */
export function createRequestRateLimit(options: RequestRateLimitOptions): RequestRateLimit {
  return async (principal, shopperHeader, log = options.log) => {
    if ((principal.kind !== 'jwt' && principal.kind !== 'api-token') || principal.tokenClass === undefined) return;
    const tokenClass = principal.tokenClass;
    const draws: BucketDraw[] = [];
    const rate = options.rates[tokenClass];
    if (rate.perSecond > 0) draws.push({ key: tenantBucketKey(tokenClass, principal.tenant), tokens: 1, capacity: rate.burst, refillPerSec: rate.perSecond });
    // Only a storefront is trusted to say which shopper it calls for; anyone else's header is ignored unread.
    if (tokenClass === 'storefront' && options.shopperRate.perSecond > 0) {
      const shopper = readShopperId(shopperHeader);
      if (shopper.kind === 'invalid') throw invalidShopperId();
      if (shopper.kind === 'valid') {
        const key = shopperBucketKey(principal.tenant, options.hashShopper(principal.tenant, shopper.id));
        draws.push({ key, tokens: 1, capacity: options.shopperRate.burst, refillPerSec: options.shopperRate.perSecond });
      }
    }
    if (draws.length === 0) return;
    let outcome;
    try {
      outcome = await options.store.take(draws);
    } catch (error) {
      log.warn({ err: error, tenant: principal.tenant, tokenClass }, 'request rate limit unavailable; request let through');
      return;
    }
    if (outcome.granted) return;
    // The tenant's bucket is named when it is empty (everyone behind the token waits), else the shopper's. A refused
    // take reports each bucket's level before the take (the RateLimitStore contract checks it).
    const tenantEmpty = rate.perSecond > 0 && (outcome.remaining[0] ?? 0) + EPSILON < 1;
    throw rateLimited(Number.isFinite(outcome.waitMs) ? outcome.waitMs : 60_000, { limit: tenantEmpty ? 'tenant' : 'shopper', tokenClass });
  };
}
