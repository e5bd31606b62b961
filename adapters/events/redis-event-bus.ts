import type { Redis } from 'ioredis';
import type { Logger } from '../../platform/logger.ts';
import type { EventBus } from '../../platform/ports/event-bus.ts';
import { quit, redisCall } from '../redis/redis-client.ts';
import { serializePayload } from './payload.ts';

export interface RedisEventBusOptions {
  /** Publishes; may be shared with other commands. Quit on close. */
  readonly publisher: Redis;
  /** Dedicated: a subscribed Redis connection can run no other command. Quit on close. */
  readonly subscriber: Redis;
  /** Channels are `${keyPrefix}events:${topic}`. */
  readonly keyPrefix: string;
  readonly log: Logger;
}

type Entry = { readonly handler: (payload: unknown) => void };

/**
 * EventBus on Redis pub/sub: every process subscribed to a channel receives each message once, while connected
 * (at-most-once, as the port says). Payloads travel as JSON.
 */
export function createRedisEventBus(options: RedisEventBusOptions): EventBus {
  const { publisher, subscriber } = options;
  const log = options.log.child({ component: 'event-bus' });
  const prefix = `${options.keyPrefix}events:`;
  const channels = new Map<string, Set<Entry>>();
  // SUBSCRIBE / UNSUBSCRIBE run one at a time so a quick unsubscribe cannot overtake the subscribe it undoes.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };

  subscriber.on('message', (channel: string, message: string) => {
    const entries = channels.get(channel);
    if (entries === undefined) return;
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch (error) {
      log.warn({ err: error, channel }, 'dropped an event that is not JSON');
      return;
    }
    for (const entry of [...entries]) {
      try {
        // Each handler gets its own copy, as with the in-memory bus.
        entry.handler(entries.size === 1 ? payload : JSON.parse(message));
      } catch (error) {
        log.error({ err: error, channel }, 'event handler failed');
      }
    }
  });

  return {
    async publish(topic, payload) {
      const json = serializePayload(topic, payload);
      await redisCall('events.publish', () => publisher.publish(prefix + topic, json));
    },

    async subscribe(topic, handler) {
      serializePayload(topic, null); // validates the topic
      const channel = prefix + topic;
      const entry: Entry = { handler };
      return serial(async () => {
        let entries = channels.get(channel);
        if (entries === undefined) {
          entries = new Set();
          channels.set(channel, entries);
          try {
            await redisCall('events.subscribe', () => subscriber.subscribe(channel));
          } catch (error) {
            channels.delete(channel);
            throw error;
          }
        }
        entries.add(entry);
        let active = true;
        return () =>
          serial(async () => {
            if (!active) return;
            active = false;
            const current = channels.get(channel);
            current?.delete(entry);
            if (current?.size === 0) {
              channels.delete(channel);
              await redisCall('events.unsubscribe', () => subscriber.unsubscribe(channel));
            }
          });
      });
    },

    async close() {
      channels.clear();
      await serial(async () => {
        await Promise.all([quit(subscriber), quit(publisher)]);
      });
    },
  };
}
