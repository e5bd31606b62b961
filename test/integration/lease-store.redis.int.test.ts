/**
 * The LeaseStore contract against Redis (REDIS_URL): every keeper and acquirer on its own connection, as separate
 * `jobs` processes would be.
 */
import { randomBytes } from 'node:crypto';
import { describe } from 'vitest';
import { createRedisLeaseStore } from '../../adapters/lease/redis-lease-store.ts';
import { connectRedis } from '../../adapters/redis/redis-client.ts';
import { silentLogger } from '../../platform/logger.ts';
import { describeLeaseStoreContract } from '../contract/lease-store.contract.ts';

const redisUrl = process.env.REDIS_URL;

describe.skipIf(!redisUrl)('Redis lease store (REDIS_URL)', () => {
  const keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
  describeLeaseStoreContract('redis', async () => createRedisLeaseStore({ client: await connectRedis(redisUrl!, silentLogger(), 'test'), keyPrefix }));
});
