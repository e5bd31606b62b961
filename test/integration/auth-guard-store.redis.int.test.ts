/**
 * The AuthGuardStore contract against Redis (REDIS_URL), plus what only Redis promises: keys under the prefix with
 * an expiry (nothing lingers), and two clients (two processes' worth) sharing one counter and one claim.
 * Reported as skipped, never silently passed, without REDIS_URL.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisAuthGuardStore } from '../../adapters/auth-guard/redis-auth-guard-store.ts';
import { connectRedis } from '../../adapters/redis/redis-client.ts';
import { silentLogger } from '../../platform/logger.ts';
import { describeAuthGuardStoreContract } from '../contract/auth-guard-store.contract.ts';

const redisUrl = process.env.REDIS_URL;

describe.skipIf(!redisUrl)('Redis auth guard store (REDIS_URL)', () => {
  const keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
  let admin: Redis;
  const newStore = async () => createRedisAuthGuardStore({ client: await connectRedis(redisUrl!, silentLogger(), 'test'), keyPrefix });

  const keysUnderPrefix = async (): Promise<string[]> => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
      found.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return found;
  };

  beforeAll(async () => {
    admin = await connectRedis(redisUrl!, silentLogger(), 'test-admin');
  });

  afterAll(async () => {
    const leftovers = await keysUnderPrefix();
    if (leftovers.length > 0) await admin.del(...leftovers);
    await admin?.quit();
  });

  describeAuthGuardStoreContract('redis', newStore);

  it('shares counters and claims between separate clients, under the prefix, every key with an expiry', async () => {
    const [a, b] = [await newStore(), await newStore()];
    try {
      expect((await a.countFailure('authfail:addr:203.0.113.9', 60_000)).count).toBe(1);
      expect((await b.countFailure('authfail:addr:203.0.113.9', 60_000)).count).toBe(2);
      expect(await a.claimOnce('gw-jti:orders:j-1', 60_000)).toBe(true);
      expect(await b.claimOnce('gw-jti:orders:j-1', 60_000)).toBe(false);
      const keys = await keysUnderPrefix();
      expect(keys).toEqual(expect.arrayContaining([`${keyPrefix}authguard:authfail:addr:203.0.113.9`, `${keyPrefix}authguard:gw-jti:orders:j-1`]));
      for (const k of keys) {
        const ttl = await admin.pttl(k);
        // -1 is a key without an expiry (the defect this checks); 0 or -2 is a key of an earlier test expiring now.
        expect(ttl, k).not.toBe(-1);
        expect(ttl, k).toBeLessThanOrEqual(60_000);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});
