import { describe, expect, it } from 'vitest';
import { createMemoryBucketStore } from '../adapters/ratelimit/memory-bucket-store.ts';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { silentLogger } from '../platform/logger.ts';
import { createMetrics } from '../platform/metrics.ts';
import { openSuppliers } from './open-suppliers.ts';
import { PUBLISHED_LIMITS, publishedLimitsOf, sandboxLimitsOf, supplierLimitsOf } from './supplier-limits.ts';

describe('SUPPLIER_LIMITS setting', () => {
  it('sets the lanes\' guaranteed shares per supplier, over the defaults, down to the rate limiter', () => {
    const config = loadConfig({ SUPPLIER_LIMITS: '{"harborpromo":{"lanes":{"tracking":0.25,"sync":0.2}}}' });
    const published = publishedLimitsOf('harborpromo', config.supplierLimits['harborpromo']);
    expect(published.lanes).toEqual({ tracking: 0.25, sync: 0.2 });
    expect(supplierLimitsOf(published).shares).toEqual({ tracking: 0.25, sync: 0.2 });
    expect(supplierLimitsOf(publishedLimitsOf('brightline')).shares).toBeUndefined(); // the defaults
  });


  it('parses per-supplier overrides, and is empty when unset', () => {
    expect(loadConfig({}).supplierLimits).toEqual({});
    const config = loadConfig({ SUPPLIER_LIMITS: '{"brightline":{"requests":{"limit":30,"perSeconds":5,"burst":5,"safety":0.9}},"maplecart":{"cost":{"maximumAvailable":400,"restoreRate":40},"maxConcurrent":2}}' });
    expect(config.supplierLimits).toEqual({
      brightline: { requests: { limit: 30, perSeconds: 5, burst: 5, safety: 0.9 } },
      maplecart: { cost: { maximumAvailable: 400, restoreRate: 40 }, maxConcurrent: 2 },
    });
  });

  it.each([
    ['not JSON', '{brightline', /SUPPLIER_LIMITS.*not valid JSON/s],
    ['an unknown field', '{"brightline":{"requests":{"limit":3,"perSeconds":1},"speed":9}}', /SUPPLIER_LIMITS/],
    ['a burst above the limit', '{"brightline":{"requests":{"limit":3,"perSeconds":1,"burst":4}}}', /burst must not exceed limit/],
    ['a safety factor of 1', '{"brightline":{"requests":{"limit":3,"perSeconds":1,"safety":1}}}', /SUPPLIER_LIMITS/],
    ['a zero window', '{"brightline":{"requests":{"limit":3,"perSeconds":0}}}', /SUPPLIER_LIMITS/],
    ['lane shares over the whole budget', '{"harborpromo":{"lanes":{"tracking":0.4}}}', /lane shares .* sum to more than 1/],
    ['an unknown lane', '{"harborpromo":{"lanes":{"bulk":0.1}}}', /SUPPLIER_LIMITS/],
  ])('refuses %s', (_, value, message) => {
    expect(() => loadConfig({ SUPPLIER_LIMITS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ SUPPLIER_LIMITS: value })).toThrow(message);
  });
});

describe('published limits with overrides', () => {
  it('replaces only what the override names, keeping endpoint quotas and cost estimates', () => {
    const brightline = publishedLimitsOf('brightline', { requests: { limit: 20, perSeconds: 4, burst: 4 } });
    expect(brightline).toMatchObject({ requests: { limit: 20, perSeconds: 4, burst: 4 }, maxConcurrent: 8, endpoints: PUBLISHED_LIMITS['brightline']!.endpoints });
    const limits = supplierLimitsOf(brightline);
    // capacity = burst, refill = 0.98 × (limit − burst + 1) / window
    expect(limits.classes['default']).toMatchObject({ capacity: 4, unit: 'call' });
    expect(limits.classes['default']!.refillPerSec).toBeCloseTo((0.98 * 17) / 4, 10);
    expect(Object.keys(limits.classes).sort()).toEqual(['catalog', 'default']);

    const maplecart = supplierLimitsOf(publishedLimitsOf('maplecart', { cost: { maximumAvailable: 400, restoreRate: 40 }, maxConcurrent: 2 }));
    expect(maplecart.classes['cost']).toMatchObject({ capacity: 400, refillPerSec: 40, unit: 'cost' });
    expect(maplecart.maxConcurrent).toBe(2);
    expect(maplecart.costs).toEqual(PUBLISHED_LIMITS['maplecart']!.costs);
  });

  it('gives a sandbox the window (REST, SOAP) or the cost bucket (GraphQL) it enforces', () => {
    expect(sandboxLimitsOf(publishedLimitsOf('brightline', { requests: { limit: 20, perSeconds: 4, burst: 4 } }))).toEqual({ publishedLimit: { limit: 20, perSeconds: 4 } });
    expect(sandboxLimitsOf(publishedLimitsOf('harborpromo'))).toEqual({ publishedLimit: { limit: 1_200, perSeconds: 60 } });
    expect(sandboxLimitsOf(publishedLimitsOf('maplecart'))).toEqual({ costBudget: { maximumAvailable: 1_000, restoreRate: 50 } });
  });

  it('refuses a cost budget for a supplier without one, and unknown suppliers', async () => {
    expect(() => publishedLimitsOf('brightline', { cost: { maximumAvailable: 10, restoreRate: 1 } })).toThrow(/no cost-based budget/);
    expect(() => publishedLimitsOf('acme')).toThrow(/no published limits/);
    // Refused when the configuration is read, naming the suppliers file it checked against.
    expect(() => loadConfig({ SUPPLIER_LIMITS: '{"acme":{"maxConcurrent":1}}' })).toThrow(/SUPPLIER_LIMITS: names suppliers not in .*suppliers\.json: acme/);
  });

  it('makes a bundled sandbox enforce the same published limit the buckets are built from', async () => {
    const suppliers = await openSuppliers({
      config: loadConfig({ SUPPLIER_LIMITS: '{"brightline":{"requests":{"limit":2,"perSeconds":60,"burst":1}}}' }),
      rateLimits: createMemoryBucketStore(),
      metrics: createMetrics({ defaultMetrics: false }),
      log: silentLogger(),
    });
    try {
      const sandbox = suppliers.sandboxes.get('brightline')!;
      const peek = await suppliers.traffic.get('brightline')!.limiter.peek();
      expect(peek['default']).toBe(1);
      // Straight at the sandbox, past our limiter: the third request in the minute is over the published limit.
      const { clientId, clientSecret } = sandbox.credentials as { clientId: string; clientSecret: string };
      const grant = await fetch(`${sandbox.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
      });
      const { access_token: token } = (await grant.json()) as { access_token: string };
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await fetch(`${sandbox.url}/v1/health`, { headers: { authorization: `Bearer ${token}` } })).status);
      expect(statuses).toEqual([200, 200, 429]);
      expect(sandbox.stats().overLimit).toBe(1);
    } finally {
      await suppliers.close();
    }
  });
});
