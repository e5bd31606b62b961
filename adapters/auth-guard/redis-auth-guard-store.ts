import type { Redis } from 'ioredis';
import type { AuthGuardStore } from '../../platform/ports/auth-guard-store.ts';
import { quit, redisCall } from '../redis/redis-client.ts';
import { checkTtl } from './memory-auth-guard-store.ts';

export interface RedisAuthGuardStoreOptions {
  /** A connected client; quit on close unless `closeClient` is false. */
  readonly client: Redis;
  /** Keys live under `${keyPrefix}authguard:`. */
  readonly keyPrefix: string;
  /** @default true */
  readonly closeClient?: boolean;
}

/**
 * AuthGuardStore on Redis. A failure is one MULTI (INCR, PEXPIRE … NX, PTTL): the first failure of a window sets
 * its expiry, later ones leave it (NX), so the window is fixed and every process counts into the same key. A claim
 * is one `SET key 1 PX ttl NX`: Redis decides which of two concurrent claims is first.
 */
export function createRedisAuthGuardStore(options: RedisAuthGuardStoreOptions): AuthGuardStore {
  const { client } = options;
  const prefix = `${options.keyPrefix}authguard:`;
  return {
    async countFailure(key, windowMs) {
      checkTtl(windowMs);
      return redisCall('authguard.countFailure', async () => {
        const results = await client.multi().incr(prefix + key).pexpire(prefix + key, windowMs, 'NX').pttl(prefix + key).exec();
        const failed = results?.find(([error]) => error !== null);
        if (results === null || failed !== undefined) throw failed?.[0] ?? new Error('MULTI was aborted');
        const count = Number(results[0]![1]);
        const ttl = Number(results[2]![1]);
        return { count, resetInMs: ttl > 0 ? ttl : windowMs };
      }, client);
    },
    async claimOnce(key, ttlMs) {
      checkTtl(ttlMs);
      return redisCall('authguard.claimOnce', async () => (await client.set(prefix + key, '1', 'PX', ttlMs, 'NX')) === 'OK', client);
    },
    async close() {
      if (options.closeClient === false) return;
      await quit(client);
    },
  };
}
