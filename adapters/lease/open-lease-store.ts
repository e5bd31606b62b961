import type { Logger } from '../../platform/logger.ts';
import type { LeaseStore } from '../../platform/ports/lease-store.ts';
import { connectRedis } from '../redis/redis-client.ts';
import { createMemoryLeaseStore } from './memory-lease-store.ts';
import { createRedisLeaseStore } from './redis-lease-store.ts';

/**
 * The LeaseStore for a process: Redis on its own connection (a slow cache command never delays a renewal) when
 * `redisUrl` is set, else the in-memory one — which coordinates nothing beyond this process.
 */
export async function openLeaseStore(
  config: { readonly redisUrl?: string | undefined; readonly keyPrefix?: string | undefined; readonly redisCommandTimeoutMs?: number | undefined },
  log: Logger,
): Promise<LeaseStore> {
  const redisUrl = config.redisUrl || undefined;
  if (redisUrl === undefined) return createMemoryLeaseStore();
  const client = await connectRedis(redisUrl, log, 'leases', config.redisCommandTimeoutMs === undefined ? {} : { commandTimeoutMs: config.redisCommandTimeoutMs });
  return createRedisLeaseStore({ client, keyPrefix: config.keyPrefix ?? 'dropship:' });
}
