/**
 * A child process for the cross-process rate-limit test: connects its own Redis client, says "ready", waits for
 * "go" from the parent, takes one token at a time from one bucket with a few concurrent loops until the time is up, then
 * reports how many it got and when its first take started and its last grant came back.
 * Usage (forked with IPC): rate-limit-hammer.ts <redisUrl> <keyPrefix> <key> <capacity> <refillPerSec> <durationMs>
 */
import { Redis } from 'ioredis';
import { createRedisBucketStore } from '../../adapters/ratelimit/redis-bucket-store.ts';

const [url, keyPrefix, key, capacity, refillPerSec, durationMs] = process.argv.slice(2);
const LOOPS = 4;

async function main(): Promise<void> {
  const client = new Redis(url!, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  const store = createRedisBucketStore({ client, keyPrefix: keyPrefix! });
  const draw = { key: key!, capacity: Number(capacity), refillPerSec: Number(refillPerSec), tokens: 1 };
  const go = new Promise<void>((resolve) => process.once('message', () => resolve()));
  process.send!({ ready: true });
  await go;
  const firstAt = Date.now();
  const until = firstAt + Number(durationMs);
  let granted = 0;
  let lastAt = firstAt;
  const loop = async (): Promise<void> => {
    while (Date.now() < until) {
      const outcome = await store.take([draw]);
      if (outcome.granted) {
        granted += 1;
        lastAt = Date.now();
      }
    }
  };
  await Promise.all(Array.from({ length: LOOPS }, loop));
  await store.close();
  process.send!({ granted, firstAt, lastAt });
}

main().catch((error: unknown) => {
  process.send!({ error: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
});
