import type { Redis } from 'ioredis';
import type { Logger } from '../../platform/logger.ts';
import type { EventBus } from '../../platform/ports/event-bus.ts';
import { quit, redisCall } from '../redis/redis-client.ts';
import { serializePayload } from './payload.ts';
import { deliverTraced, withTraceEnvelope } from './trace-envelope.ts';

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

  // A lost subscriber connection drops whatever was published meanwhile (pub/sub keeps nothing). Once it is back
  // and every channel is subscribed again, gap listeners are told, so they can re-read state (docs/subscriptions.md).
  const gapListeners = new Set<() => void>();
  let wasReady = subscriber.status === 'ready';
  let lost = false;
  subscriber.on('close', () => {
    if (wasReady) lost = true;
  });
  subscriber.on('ready', () => {
    wasReady = true;
    if (!lost) return;
    lost = false;
    void serial(async () => {
      // ioredis resubscribes on its own as well; subscribing again to a subscribed channel is harmless, and
      // awaiting it here means every channel is live before anyone is told.
      const names = [...channels.keys()];
      if (names.length > 0) await redisCall('events.resubscribe', () => subscriber.subscribe(...names));
    })
      .then(() => {
        log.warn({ channels: channels.size }, 'event bus connection is back: events published while it was down were missed');
        for (const listener of [...gapListeners]) {
          try {
            listener();
          } catch (error) {
            log.error({ err: error }, 'event bus gap listener failed');
          }
        }
      })
      .catch((error: unknown) => {
        lost = true; // told at the next ready
        log.warn({ err: error }, 'could not resubscribe after the event bus connection came back');
      });
  });

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
        deliverTraced(entries.size === 1 ? payload : JSON.parse(message), entry.handler);
      } catch (error) {
        log.error({ err: error, channel }, 'event handler failed');
      }
    }
  });

  return {
    async publish(topic, payload) {
      // The envelope is plain JSON around the payload: what the payload cannot carry, it cannot either.
      const json = serializePayload(topic, withTraceEnvelope(payload));
      // Through the client's breaker: a hung Redis costs a publisher microseconds, not a command timeout each.
      await redisCall('events.publish', () => publisher.publish(prefix + topic, json), publisher);
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

    onGap(listener) {
      gapListeners.add(listener);
      return () => void gapListeners.delete(listener);
    },

    async close() {
      gapListeners.clear();
      channels.clear();
      await serial(async () => {
        await Promise.all([quit(subscriber), quit(publisher)]);
      });
    },
  };
}
