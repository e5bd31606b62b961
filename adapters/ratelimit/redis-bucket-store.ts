/**
 * Token buckets in Redis, shared by every gateway and subgraph process that talks to one supplier account.
 * One Lua script (redis-bucket-script.ts), loaded with `defineCommand` so ioredis sends EVALSHA and falls back
 * to EVAL after a restart or SCRIPT FLUSH. Keys live under `${keyPrefix}ratelimit:`.
 *
 * Redis Cluster: a multi-bucket take must name keys of one hash slot. The limiter puts the supplier in a hash
 * tag (`{brightline}:default`), so the prefix itself must not contain `{`.
 */
import type { Redis } from 'ioredis';
import type { BucketShape, RateLimitStore, TakeOutcome } from '../../platform/ports/rate-limit-store.ts';
import { registryError } from '../../kernel/errors.ts';
import { quit, redisCall } from '../redis/redis-client.ts';
import { checkDraws, checkShape } from './bucket-math.ts';
import { BUCKET_SCRIPT } from './redis-bucket-script.ts';

export interface RedisBucketStoreOptions {
  /** A connected client; quit on close unless `closeClient` is false. */
  readonly client: Redis;
  /** Prefix of every key, so deployments and tests can share one Redis; must not contain `{`. */
  readonly keyPrefix: string;
  /** @default true */
  readonly closeClient?: boolean;
}

const COMMAND = 'dropshipTokenBucket';

type BucketCommand = (numKeys: number, ...keysAndArgs: (string | number)[]) => Promise<string[]>;

const num = (text: string | undefined): number => {
  const value = Number(text);
  if (text === undefined || Number.isNaN(value)) throw new Error(`bucket script answered ${String(text)}`);
  return value;
};

export function createRedisBucketStore(options: RedisBucketStoreOptions): RateLimitStore {
  const { client } = options;
  if (options.keyPrefix.includes('{')) {
    throw registryError('MISCONFIGURED', 'rate-limit key prefix must not contain "{" (it would break hash tags)');
  }
  const prefix = `${options.keyPrefix}ratelimit:`;
  // defineCommand is idempotent per name; several stores may share one client.
  if (typeof (client as unknown as Record<string, unknown>)[COMMAND] !== 'function') client.defineCommand(COMMAND, { lua: BUCKET_SCRIPT });
  const run = (client as unknown as Record<typeof COMMAND, BucketCommand>)[COMMAND].bind(client);
  const shapeArgs = (shape: BucketShape): string[] => [String(shape.capacity), String(shape.refillPerSec)];

  return {
    async take(draws): Promise<TakeOutcome> {
      checkDraws(draws);
      const keys = draws.map((d) => prefix + d.key);
      const args = draws.flatMap((d) => [...shapeArgs(d), String(d.tokens), String(d.floor ?? 0)]);
      return redisCall('ratelimit.take', async () => {
        const [granted, wait, ...levels] = await run(keys.length, ...keys, 'take', ...args);
        const waitMs = num(wait);
        return { granted: granted === '1', waitMs: waitMs < 0 ? Number.POSITIVE_INFINITY : waitMs, remaining: levels.map(num) };
      }, client);
    },

    async adjust(key, shape, change) {
      checkShape(shape, key);
      const set = change.set === undefined ? '' : String(change.set);
      const atMost = change.atMost === undefined ? '' : String(change.atMost);
      return redisCall('ratelimit.adjust', async () => {
        const [level] = await run(1, prefix + key, 'adjust', ...shapeArgs(shape), set, atMost, String(change.delta ?? 0));
        return num(level);
      }, client);
    },

    async peek(key, shape) {
      checkShape(shape, key);
      return redisCall('ratelimit.peek', async () => {
        const [level] = await run(1, prefix + key, 'peek', ...shapeArgs(shape));
        return num(level);
      }, client);
    },

    async close() {
      if (options.closeClient === false) return;
      await quit(client);
    },
  };
}
