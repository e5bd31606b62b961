import type { Redis } from 'ioredis';
import { checkLeaseTtl, type LeaseGrant, type LeaseStore } from '../../platform/ports/lease-store.ts';
import { quit, redisCall } from '../redis/redis-client.ts';

/**
 * Each step is one Lua script, so Redis runs it atomically: acquire is "SET NX PX" and "INCR the fence" together
 * (no token is spent on a failed attempt, and no holder exists without its token); renew, check and release
 * compare the stored `holder:token` first, so a holder whose lease expired and passed on cannot touch the new one.
 * The fence counter has no expiry: tokens keep growing across holders for as long as Redis keeps its data.
 */
const ACQUIRE = `
if redis.call('exists', KEYS[1]) == 1 then return false end
local token = redis.call('incr', KEYS[2])
redis.call('set', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[2])
return token`;
const RENEW = `
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE = `
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;

export interface RedisLeaseStoreOptions {
  /** A connected client; quit on close unless `closeClient` is false. */
  readonly client: Redis;
  /** Keys: `${keyPrefix}lease:<name>` (holder|token, with the TTL) and `${keyPrefix}lease-fence:<name>` (the counter). */
  readonly keyPrefix: string;
  /** @default true */
  readonly closeClient?: boolean;
}

export function createRedisLeaseStore(options: RedisLeaseStoreOptions): LeaseStore {
  const { client } = options;
  const leaseKey = (name: string) => `${options.keyPrefix}lease:${name}`;
  const fenceKey = (name: string) => `${options.keyPrefix}lease-fence:${name}`;
  const valueOf = (grant: LeaseGrant) => `${grant.holder}|${grant.token}`;
  return {
    async acquire(name, holder, ttlMs) {
      checkLeaseTtl(ttlMs);
      if (holder.includes('|')) throw new RangeError('a lease holder id may not contain "|"');
      const token = await redisCall('lease.acquire', () => client.eval(ACQUIRE, 2, leaseKey(name), fenceKey(name), holder, String(ttlMs)), client);
      return token === null ? null : { name, holder, token: Number(token) };
    },
    async renew(grant, ttlMs) {
      checkLeaseTtl(ttlMs);
      return Number(await redisCall('lease.renew', () => client.eval(RENEW, 1, leaseKey(grant.name), valueOf(grant), String(ttlMs)), client)) === 1;
    },
    async isCurrent(grant) {
      return (await redisCall('lease.check', () => client.get(leaseKey(grant.name)), client)) === valueOf(grant);
    },
    async release(grant) {
      await redisCall('lease.release', () => client.eval(RELEASE, 1, leaseKey(grant.name), valueOf(grant)), client);
    },
    async close() {
      if (options.closeClient === false) return;
      await quit(client);
    },
  };
}
