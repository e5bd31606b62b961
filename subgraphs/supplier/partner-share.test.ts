import { describe, expect, it } from 'vitest';
import { isRegistryError } from '../../kernel/errors.ts';
import { createMemoryBucketStore } from '../../adapters/ratelimit/memory-bucket-store.ts';
import { DEV_PRINCIPAL, type Principal } from '../../platform/auth/principal.ts';
import { silentLogger } from '../../platform/logger.ts';
import { partnerShareGate, shareOf } from './partner-share.ts';

const partner = (tenant: string): Principal => ({ kind: 'api-token', subject: tenant, tenant, scopes: ['inventory:read'] });

describe('partner share of a supplier', () => {
  it('scales the supplier bucket, never below one call at once', () => {
    expect(shareOf({ capacity: 20, refillPerSec: 2 }, 0.5)).toEqual({ capacity: 10, refillPerSec: 1 });
    expect(shareOf({ capacity: 20, refillPerSec: 2 }, 0.01)).toEqual({ capacity: 1, refillPerSec: 0.02 });
  });

  it('lets each partner use its own share, then refuses with RATE_LIMITED_LOCALLY naming the supplier', async () => {
    const share = { store: createMemoryBucketStore(), shape: { capacity: 2, refillPerSec: 0.001 }, log: silentLogger() };
    const a = partnerShareGate(share, 'brightline', partner('a'))!;
    const b = partnerShareGate(share, 'brightline', partner('b'))!;
    await a();
    await a();
    const refused = await a().then(() => null, (error: unknown) => error);
    expect(isRegistryError(refused) && refused.code).toBe('RATE_LIMITED_LOCALLY');
    expect(isRegistryError(refused) && refused.supplier).toBe('brightline');
    expect(isRegistryError(refused) && refused.retryAfterMs).toBeGreaterThan(0);
    await b();
    // Another supplier is another share.
    await partnerShareGate(share, 'maplecart', partner('a'))!();
  });

  it('does not apply to the development admin, and lets calls through when the store fails', async () => {
    const failing = { take: async () => Promise.reject(new Error('redis down')) } as never;
    expect(partnerShareGate({ store: failing, shape: { capacity: 1, refillPerSec: 1 }, log: silentLogger() }, 'brightline', DEV_PRINCIPAL)).toBeUndefined();
    await expect(partnerShareGate({ store: failing, shape: { capacity: 1, refillPerSec: 1 }, log: silentLogger() }, 'brightline', partner('a'))!()).resolves.toBeUndefined();
  });
});
