import type { Logger } from '../../platform/logger.ts';
import type { EventBus } from '../../platform/ports/event-bus.ts';
import { serializePayload } from './payload.ts';
import { deliverTraced, withTraceEnvelope } from './trace-envelope.ts';

export interface MemoryEventBusOptions {
  /** Receives handler failures, which must never reach the publisher. */
  readonly log: Logger;
}

/**
 * The embedded EventBus. It behaves like the Redis bus on purpose: delivery is asynchronous (a publisher never
 * runs subscriber code inline) and every subscriber receives its own JSON copy of the payload.
 */
export function createMemoryEventBus(options: MemoryEventBusOptions): EventBus {
  const log = options.log.child({ component: 'event-bus' });
  const topics = new Map<string, Set<{ handler: (payload: unknown) => void }>>();
  let closed = false;

  return {
    async publish(topic, payload) {
      // The envelope is plain JSON around the payload: what the payload cannot carry, it cannot either.
      const json = serializePayload(topic, withTraceEnvelope(payload));
      if (closed) return;
      for (const entry of [...(topics.get(topic) ?? [])]) {
        setImmediate(() => {
          try {
            deliverTraced(JSON.parse(json), entry.handler);
          } catch (error) {
            log.error({ err: error, topic }, 'event handler failed');
          }
        });
      }
    },

    async subscribe(topic, handler) {
      const entry = { handler };
      let set = topics.get(topic);
      if (set === undefined) topics.set(topic, (set = new Set()));
      set.add(entry);
      return async () => {
        const current = topics.get(topic);
        current?.delete(entry);
        if (current?.size === 0) topics.delete(topic);
      };
    },

    // In-process: nothing between publisher and subscriber can drop a delivery.
    onGap: () => () => {},

    async close() {
      closed = true;
      topics.clear();
    },
  };
}
