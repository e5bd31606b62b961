import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createMemoryBucketStore } from '../../adapters/ratelimit/memory-bucket-store.ts';
import { DEV_PRINCIPAL, type Principal } from '../../platform/auth/principal.ts';
import type { TokenClass } from '../../platform/auth/token-class.ts';
import { silentLogger } from '../../platform/logger.ts';
import { createRequestRateLimit, shopperBucketKey, tenantBucketKey } from './request-rate-limit.ts';
import { createShopperHasher, readShopperId } from './shopper-identity.ts';

const principal = (tokenClass: TokenClass, tenant = 'shop'): Principal => ({ kind: 'api-token', subject: 'tok_1', tenant, scopes: ['catalog:read'], tokenId: 'tok_1', tokenClass });
const RATES = { partner: { perSecond: 1, burst: 3 }, storefront: { perSecond: 1, burst: 20 }, operator: { perSecond: 1, burst: 5 } };

function limiter(overrides: { shopperRate?: { perSecond: number; burst: number }; rates?: typeof RATES } = {}) {
  let now = 1_000_000;
  const store = createMemoryBucketStore({ now: () => now });
  const limit = createRequestRateLimit({ store, rates: overrides.rates ?? RATES, shopperRate: overrides.shopperRate ?? { perSecond: 1, burst: 2 }, hashShopper: createShopperHasher('s'.repeat(32)), log: silentLogger() });
  return { limit, store, tick: (ms: number) => (now += ms) };
}

/** Sends `n` requests; the refusals' extensions. */
async function send(limit: ReturnType<typeof limiter>['limit'], p: Principal, n: number, shopper?: string | string[]) {
  const refused: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i += 1) {
    try {
      await limit(p, shopper);
    } catch (error) {
      expect(error).toBeInstanceOf(GraphQLError);
      refused.push((error as GraphQLError).extensions as Record<string, unknown>);
    }
  }
  return refused;
}

describe('request rate limit by token class', () => {
  it('gives each class of a tenant its own bucket and size, and names the tenant limit in the 429', async () => {
    const { limit } = limiter();
    expect(await send(limit, principal('partner'), 5)).toHaveLength(2);
    // The same tenant's storefront and operator tokens draw from their own buckets.
    expect(await send(limit, principal('storefront'), 20)).toHaveLength(0);
    const operator = await send(limit, principal('operator'), 6);
    expect(operator).toHaveLength(1);
    expect(operator[0]).toMatchObject({ code: 'RATE_LIMITED', limit: 'tenant', tokenClass: 'operator', http: { status: 429 } });
    expect(operator[0]!['retryAfterMs']).toBeGreaterThan(0);
  });

  it('limits each shopper behind a storefront token on their own, without drawing the shop\'s bucket for refused requests', async () => {
    const { limit, store } = limiter();
    const shop = principal('storefront');
    const greedy = await send(limit, shop, 5, 'shopper-a');
    expect(greedy).toHaveLength(3);
    expect(greedy[0]).toMatchObject({ code: 'RATE_LIMITED', limit: 'shopper', tokenClass: 'storefront' });
    expect(await send(limit, shop, 2, 'shopper-b')).toHaveLength(0);
    // 2 of a's and 2 of b's were taken from the shop's 20; a's three refusals took nothing.
    expect(await store.peek(tenantBucketKey('storefront', 'shop'), { capacity: 20, refillPerSec: 1 })).toBeCloseTo(16, 5);
  });

  it('names the tenant limit when the shop\'s bucket is empty, whatever shopper asks', async () => {
    const { limit } = limiter({ rates: { ...RATES, storefront: { perSecond: 1, burst: 2 } }, shopperRate: { perSecond: 1, burst: 10 } });
    const shop = principal('storefront');
    const refused = await send(limit, shop, 3, 'shopper-a');
    expect(refused).toEqual([expect.objectContaining({ limit: 'tenant', tokenClass: 'storefront' })]);
  });

  it('ignores the shopper header of partner and operator tokens, malformed or not', async () => {
    const { limit } = limiter({ rates: { ...RATES, partner: { perSecond: 1, burst: 10 } } });
    expect(await send(limit, principal('partner'), 10, 'shopper-a')).toHaveLength(0);
    expect(await send(limit, principal('operator'), 5, ['a', 'b'])).toHaveLength(0);
  });

  it('refuses a malformed shopper id from a storefront with 400 INVALID_INPUT', async () => {
    const { limit } = limiter();
    for (const bad of ['', 'x'.repeat(129), 'has space', 'ümlaut', ['a', 'b']]) {
      const refused = await send(limit, principal('storefront'), 1, bad);
      expect(refused, JSON.stringify(bad)).toEqual([expect.objectContaining({ code: 'INVALID_INPUT', reason: 'shopper-id', http: expect.objectContaining({ status: 400 }) })]);
    }
    expect(readShopperId('cust:00042@shop.example/+=_-')).toEqual({ kind: 'valid', id: 'cust:00042@shop.example/+=_-' });
  });

  it('turns a class or the shopper limit off at 0 per second, and never limits the dev admin', async () => {
    const { limit } = limiter({ rates: { ...RATES, storefront: { perSecond: 0, burst: 1 } }, shopperRate: { perSecond: 0, burst: 1 } });
    expect(await send(limit, principal('storefront'), 50, 'shopper-a')).toHaveLength(0);
    expect(await send(limit, DEV_PRINCIPAL, 50)).toHaveLength(0);
    // Shopper limit alone: named as the shopper's.
    const only = limiter({ rates: { ...RATES, storefront: { perSecond: 0, burst: 1 } } });
    expect(await send(only.limit, principal('storefront'), 3, 'shopper-a')).toEqual([expect.objectContaining({ limit: 'shopper' })]);
  });

  it('keys shoppers by a keyed hash within their tenant, never by the id', () => {
    const hash = createShopperHasher('s'.repeat(32));
    const key = shopperBucketKey('shop', hash('shop', 'jane@example.com'));
    expect(key).toMatch(/^storefront:\{shop\}:shopper:[0-9a-f]{32}$/);
    expect(key).not.toContain('jane');
    expect(hash('shop', 'jane@example.com')).not.toBe(hash('other', 'jane@example.com'));
    expect(hash('shop', 'jane@example.com')).not.toBe(createShopperHasher('t'.repeat(32))('shop', 'jane@example.com'));
  });
});
