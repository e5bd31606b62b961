/**
 * The rate-limit store contract against Redis (REDIS_URL), plus what only Redis promises: keys under the prefix
 * with an expiry, the script surviving SCRIPT FLUSH, and two separate processes sharing one bucket without ever
 * getting more than capacity + refill × elapsed. Reported as skipped, never silently passed, without REDIS_URL.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBucketStore } from '../../adapters/ratelimit/redis-bucket-store.ts';
import { connectRedis } from '../../adapters/redis/redis-client.ts';
import { silentLogger } from '../../platform/logger.ts';
import { describeRateLimitStoreContract } from '../contract/rate-limit-store.contract.ts';
import { expectRegistryCode } from '../contract/registry-error-assert.ts';

const redisUrl = process.env.REDIS_URL;
const HAMMER = fileURLToPath(new URL('./rate-limit-hammer.ts', import.meta.url));

interface HammerReport {
  readonly granted: number;
  readonly firstAt: number;
  readonly lastAt: number;
  readonly error?: string;
}

/** The child's IPC messages in order, as a `next()` that rejects if the child exits before sending one more. */
function messagesOf(child: ChildProcess): () => Promise<unknown> {
  const queue: unknown[] = [];
  const waiting: { resolve: (m: unknown) => void; reject: (e: Error) => void }[] = [];
  let exitCode: number | null | undefined;
  child.on('message', (m) => (waiting.length > 0 ? waiting.shift()!.resolve(m) : queue.push(m)));
  child.once('exit', (code) => {
    exitCode = code;
    for (const w of waiting.splice(0)) w.reject(new Error(`hammer exited with ${code} before reporting`));
  });
  return () => {
    if (queue.length > 0) return Promise.resolve(queue.shift());
    if (exitCode !== undefined) return Promise.reject(new Error(`hammer exited with ${exitCode} before reporting`));
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
}

describe.skipIf(!redisUrl)('Redis rate-limit store (REDIS_URL)', () => {
  const keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
  let admin: Redis;

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

  const newStore = async () => createRedisBucketStore({ client: await connectRedis(redisUrl!, silentLogger(), 'test-ratelimit'), keyPrefix });

  beforeAll(async () => {
    admin = await connectRedis(redisUrl!, silentLogger(), 'test-admin');
  });

  afterAll(async () => {
    const leftovers = await keysUnderPrefix();
    if (leftovers.length > 0) await admin.del(...leftovers);
    await admin?.quit();
  });

  describeRateLimitStoreContract('redis', newStore);

  describe('what only the Redis store promises', () => {
    it('keeps buckets under the prefix, stamped with Redis time, expiring once they would be full', async () => {
      const store = await newStore();
      await store.take([{ key: '{acme}:default', capacity: 10, refillPerSec: 2, tokens: 4 }]);
      const key = `${keyPrefix}ratelimit:{acme}:default`;
      const [seconds, micros] = await admin.time();
      const at = Number(await admin.hget(key, 'at'));
      expect(Math.abs(at - (Number(seconds) * 1000 + Number(micros) / 1000))).toBeLessThan(1_000);
      expect(Number(await admin.hget(key, 't'))).toBeCloseTo(6, 6);
      const ttl = await admin.pttl(key);
      // 4 missing tokens at 2/s: full again in 2 s, plus a second of margin.
      expect(ttl).toBeGreaterThan(2_000);
      expect(ttl).toBeLessThanOrEqual(3_000);
      await store.close();
    });

    it('reloads its script after SCRIPT FLUSH (EVALSHA falls back to EVAL)', async () => {
      const store = await newStore();
      const shape = { capacity: 3, refillPerSec: 0.001 };
      expect((await store.take([{ key: 'flush', ...shape, tokens: 1 }])).granted).toBe(true);
      await admin.script('FLUSH');
      expect((await store.take([{ key: 'flush', ...shape, tokens: 1 }])).granted).toBe(true);
      expect(await store.peek('flush', shape)).toBeCloseTo(1, 2);
      await store.close();
    });

    it('refuses a prefix with a hash-tag brace', async () => {
      await expectRegistryCode(async () => createRedisBucketStore({ client: admin, keyPrefix: 'x{y}:', closeClient: false }), 'MISCONFIGURED');
    });

    it('reports an unreachable Redis as STORE_UNAVAILABLE, at once (the client\'s breaker, issue 12)', async () => {
      const store = await newStore();
      await store.close();
      const started = performance.now();
      await expectRegistryCode(store.peek('gone', { capacity: 1, refillPerSec: 1 }), 'STORE_UNAVAILABLE');
      expect(performance.now() - started).toBeLessThan(50);
    });

    it('never grants two processes together more than capacity + refill × elapsed', async () => {
      const capacity = 20;
      const refillPerSec = 50;
      const key = `{hammer}:${randomBytes(4).toString('hex')}`;
      const children = [0, 1].map(() =>
        fork(HAMMER, [redisUrl!, keyPrefix, key, String(capacity), String(refillPerSec), '1500'], {
          execArgv: ['--import', 'tsx'],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        }),
      );
      try {
        // Each child says "ready" once connected, then reports; both start on one "go", so start-up time is not counted.
        const messages = children.map(messagesOf);
        await Promise.all(messages.map((next) => next()));
        for (const child of children) child.send('go');
        const reports = messages.map((next) => next() as Promise<HammerReport>);
        const results = await Promise.all(reports);
        for (const r of results) expect(r.error).toBeUndefined();
        const granted = results.reduce((sum, r) => sum + r.granted, 0);
        const elapsedSec = (Math.max(...results.map((r) => r.lastAt)) - Math.min(...results.map((r) => r.firstAt))) / 1000;
        const bound = capacity + refillPerSec * elapsedSec;
        expect(granted).toBeLessThanOrEqual(bound + 0.001);
        // And they really competed for it: each got tokens, and together nearly the whole budget.
        for (const r of results) expect(r.granted).toBeGreaterThan(5);
        expect(granted).toBeGreaterThan(bound * 0.8);
      } finally {
        for (const child of children) if (child.exitCode === null) child.kill();
      }
    });
  });
});
