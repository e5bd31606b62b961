import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Cache } from '../../platform/ports/cache.ts';
import { quit, redisCall } from '../redis/redis-client.ts';
import { checkOrder, checkTtl } from './memory-cache.ts';

/**
 * setManyIfNewer as one script, so the compare and the write of an entry cannot interleave with another writer's.
 * KEYS: the entries' keys; ARGV: ttl ms, order field, then each entry's value and order. The stored order is read
 * from the stored JSON (cjson, bundled with Redis scripting); a value that does not decode, or has no numeric field,
 * is the oldest. Answers 1 (written) or 0 (a later one kept) per entry.
 */
const SET_IF_NEWER = `
local ttl = ARGV[1]
local field = ARGV[2]
local written = {}
for i, key in ipairs(KEYS) do
  local value = ARGV[1 + 2 * i]
  local order = tonumber(ARGV[2 + 2 * i])
  local stored = nil
  local current = redis.call('GET', key)
  if current then
    local ok, decoded = pcall(cjson.decode, current)
    if ok and type(decoded) == 'table' then stored = tonumber(decoded[field]) end
  end
  if stored ~= nil and stored > order then
    written[i] = 0
  else
    redis.call('SET', key, value, 'PX', ttl)
    written[i] = 1
  end
end
return written
`;
/** Called by its SHA (EVALSHA: the script is not resent with every write), loaded by EVAL the first time a server lacks it. */
const SET_IF_NEWER_SHA = createHash('sha1').update(SET_IF_NEWER).digest('hex');

export interface RedisCacheOptions {
  /** A connected client; the cache quits it on close unless `closeClient` is false. */
  readonly client: Redis;
  /** Every key is stored as `${keyPrefix}cache:${key}` so several deployments and tests can share one Redis. */
  readonly keyPrefix: string;
  /** @default true */
  readonly closeClient?: boolean;
}

/** Cache on Redis: MGET for reads, one MULTI of `SET key value PX ttl` for writes, one script for ordered writes (one round trip each). */
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

    async setManyIfNewer(items, orderField, ttlMs) {
      checkTtl(ttlMs);
      items.forEach(([, , order]) => checkOrder(order));
      if (items.length === 0) return [];
      const args = [...items.map(([key]) => full(key)), String(ttlMs), orderField, ...items.flatMap(([, value, order]) => [value, String(order)])];
      const answer = await redisCall('cache.setManyIfNewer', async () => {
        try {
          return await client.evalsha(SET_IF_NEWER_SHA, items.length, ...args);
        } catch (error) {
          if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
          return client.eval(SET_IF_NEWER, items.length, ...args);
        }
      }, client);
      return (answer as number[]).map((w) => w === 1);
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
