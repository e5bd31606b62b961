/**
 * The Redis event bus tells gap listeners when its subscriber connection was lost and every channel is live again
 * (docs/subscriptions.md, "Bus outages"): pub/sub keeps nothing for a disconnected subscriber, so what was
 * published meanwhile is gone and a listener re-reads state. Skipped (reported) without REDIS_URL.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedisEventBus } from '../../adapters/events/redis-event-bus.ts';
import { connectRedis } from '../../adapters/redis/redis-client.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { EventBus } from '../../platform/ports/event-bus.ts';
import { waitFor } from '../support/ws-clients.ts';

const redisUrl = process.env.REDIS_URL;

describe.skipIf(!redisUrl)('Redis event bus gaps (REDIS_URL)', () => {
  let subscriber: Redis;
  let bus: EventBus;

  beforeAll(async () => {
    const publisher = await connectRedis(redisUrl!, silentLogger(), 'test-publisher');
    subscriber = await connectRedis(redisUrl!, silentLogger(), 'test-subscriber');
    bus = createRedisEventBus({ publisher, subscriber, keyPrefix: `test:${randomBytes(6).toString('hex')}:`, log: silentLogger() });
  });

  afterAll(async () => {
    await bus?.close();
  });

  it('a dropped subscriber connection is a gap, told once every channel is subscribed again; delivery goes on', async () => {
    const received: unknown[] = [];
    await bus.subscribe('gap.topic', (payload) => received.push(payload));
    let gaps = 0;
    const stop = bus.onGap(() => {
      gaps += 1;
    });
    await bus.publish('gap.topic', 1);
    await waitFor(() => received.length === 1, 'the first event');
    expect(gaps).toBe(0);
    subscriber.disconnect(true); // the connection drops; ioredis reconnects
    await waitFor(() => gaps === 1, 'the gap', 5_000);
    // Told only once the channel is live again: a publish now is delivered.
    await bus.publish('gap.topic', 2);
    await waitFor(() => received.length === 2, 'the event after the gap');
    expect(received).toEqual([1, 2]);
    stop();
    subscriber.disconnect(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(gaps).toBe(1);
  });
});
