import type { Logger } from '../../platform/logger.ts';
import type { AuthGuardStore } from '../../platform/ports/auth-guard-store.ts';
import { connectRedis } from '../redis/redis-client.ts';
import { createMemoryAuthGuardStore } from './memory-auth-guard-store.ts';
import { createRedisAuthGuardStore } from './redis-auth-guard-store.ts';

/**
 * The AuthGuardStore for a process: Redis (its own connection, so a slow cache command never delays an
 * authentication check) when `redisUrl` is set, else the embedded one — right for the one-process stack, where
 * gateway and subgraphs share it.
 */
export async function openAuthGuardStore(
  config: { readonly redisUrl?: string | undefined; readonly keyPrefix?: string | undefined; readonly redisCommandTimeoutMs?: number | undefined },
  log: Logger,
): Promise<AuthGuardStore> {
  const redisUrl = config.redisUrl || undefined;
  if (redisUrl === undefined) return createMemoryAuthGuardStore();
  const client = await connectRedis(redisUrl, log, 'auth-guards', config.redisCommandTimeoutMs === undefined ? {} : { commandTimeoutMs: config.redisCommandTimeoutMs });
  return createRedisAuthGuardStore({ client, keyPrefix: config.keyPrefix ?? 'dropship:' });
}
