import type { Redis } from 'ioredis';
import type { Cache } from '../../platform/ports/cache.ts';
import { quit, redisCall } from '../redis/redis-client.ts';
import { checkTtl } from './memory-cache.ts';

export interface RedisCacheOptions {
  /** A connected client; the cache quits it on close unless `closeClient` is false. */
  readonly client: Redis;
  /** Every key is stored as `${keyPrefix}cache:${key}` so several deployments and tests can share one Redis. */
  readonly keyPrefix: string;
  /** @default true */
  readonly closeClient?: boolean;
}

/** Cache on Redis: MGET for reads, one MULTI of `SET key value PX ttl` for writes (one round trip each). */
export function createRedisCache(options: RedisCacheOptions): Cache {
  const { client } = options;
  const prefix = `${options.keyPrefix}cache:`;
  const full = (key: string): string => prefix + key;

  return {
    getMany(keys) {
      if (keys.length === 0) return Promise.resolve([]);
      return redisCall('cache.getMany', () => client.mget(keys.map(full)), client);
    },

    async setMany(items, ttlMs) {
      checkTtl(ttlMs);
      if (items.length === 0) return;
      await redisCall('cache.setMany', async () => {
        const multi = client.multi();
        for (const [key, value] of items) multi.set(full(key), value, 'PX', ttlMs);
        const results = await multi.exec();
        const failed = results?.find(([error]) => error !== null);
        if (results === null || failed !== undefined) throw failed?.[0] ?? new Error('MULTI was aborted');
      }, client);
    },

    async delete(keys) {
      if (keys.length === 0) return;
      await redisCall('cache.delete', () => client.del(...keys.map(full)), client);
    },

    async close() {
      if (options.closeClient === false) return;
      await quit(client);
    },
  };
}
