/**
 * One contract for every EventBus (in-process, Redis pub/sub). Negative checks ("was not delivered") use a barrier:
 * a later message on a still-subscribed topic, which both buses deliver in publish order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../../platform/ports/event-bus.ts';
import { expectRegistryCode } from './registry-error-assert.ts';

export type EventBusFactory = () => Promise<EventBus>;

let counter = 0;
const topic = (name: string): string => `${name}.${++counter}`;

/** Resolves with the first `count` payloads a subscription receives. */
function collect(bus: EventBus, name: string, count: number): Promise<{ received: Promise<unknown[]>; all: unknown[]; stop: () => Promise<void> }> {
  const all: unknown[] = [];
  let done: (values: unknown[]) => void = () => {};
  const received = new Promise<unknown[]>((resolve) => (done = resolve));
  return bus
    .subscribe(name, (payload) => {
      all.push(payload);
      if (all.length === count) done(all.slice(0, count));
    })
    .then((stop) => ({ received, all, stop }));
}

function within<T>(promise: Promise<T>, ms = 5_000): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no delivery within ${ms} ms`)), ms))]);
}

export function describeEventBusContract(name: string, make: EventBusFactory): void {
  describe(`EventBus contract: ${name}`, () => {
    let bus: EventBus;

    beforeAll(async () => {
      bus = await make();
    });

    afterAll(async () => {
      await bus?.close();
    });

    it('delivers a JSON payload to a subscriber, asynchronously', async () => {
      const t = topic('stock.changed');
      const sub = await collect(bus, t, 1);
      const payload = { sku: 'SKU-1', available: 3, at: '2026-01-01T00:00:00.000Z', tags: ['a', null], nested: { ok: true } };
      const published = bus.publish(t, payload);
      expect(sub.all).toEqual([]); // never delivered inside publish
      await published;
      expect(await within(sub.received)).toEqual([payload]);
      await sub.stop();
    });

    it('delivers to every subscriber of a topic and to no other topic, each with its own copy', async () => {
      const t = topic('fanout');
      const other = topic('other');
      const first = await collect(bus, t, 1);
      const second = await collect(bus, t, 1);
      const elsewhere = await collect(bus, other, 1);
      await bus.publish(t, { n: 1 });
      const [[a], [b]] = await within(Promise.all([first.received, second.received]));
      expect(a).toEqual({ n: 1 });
      expect(b).toEqual({ n: 1 });
      (a as { n: number }).n = 99;
      expect(b).toEqual({ n: 1 });
      await bus.publish(other, 'barrier');
      expect(await within(elsewhere.received)).toEqual(['barrier']);
      await Promise.all([first.stop(), second.stop(), elsewhere.stop()]);
    });

    it('keeps publish order on one topic', async () => {
      const t = topic('ordered');
      const sub = await collect(bus, t, 100);
      for (let i = 0; i < 100; i += 1) void bus.publish(t, i);
      expect(await within(sub.received)).toEqual(Array.from({ length: 100 }, (_, i) => i));
      await sub.stop();
    });

    it('stops delivering after unsubscribe, without disturbing other subscribers', async () => {
      const t = topic('unsub');
      const barrierTopic = topic('barrier');
      const gone = await collect(bus, t, 1);
      const stays = await collect(bus, t, 2);
      await bus.publish(t, 'one');
      await within(gone.received);
      await gone.stop();
      await gone.stop(); // idempotent
      await bus.publish(t, 'two');
      expect(await within(stays.received)).toEqual(['one', 'two']);
      expect(gone.all).toEqual(['one']);
      // Once the topic's last subscriber leaves, nothing arrives at all; the barrier proves 'three' had its chance.
      await stays.stop();
      const barrier = await collect(bus, barrierTopic, 1);
      await bus.publish(t, 'three');
      await bus.publish(barrierTopic, 'barrier');
      await within(barrier.received);
      expect(stays.all).toEqual(['one', 'two']);
      expect(gone.all).toEqual(['one']);
      await barrier.stop();
    });

    it('isolates a failing handler from the others', async () => {
      const t = topic('throws');
      const stopBad = await bus.subscribe(t, () => {
        throw new Error('handler bug');
      });
      const good = await collect(bus, t, 1);
      await bus.publish(t, 'x');
      expect(await within(good.received)).toEqual(['x']);
      await stopBad();
      await good.stop();
    });

    it('refuses payloads JSON cannot carry', async () => {
      await expectRegistryCode(() => bus.publish(topic('bad'), undefined), 'INVALID_INPUT');
      await expectRegistryCode(() => bus.publish(topic('bad'), { n: 1n }), 'INVALID_INPUT');
      const cyclic: { self?: unknown } = {};
      cyclic.self = cyclic;
      await expectRegistryCode(() => bus.publish(topic('bad'), cyclic), 'INVALID_INPUT');
    });
  });
}
