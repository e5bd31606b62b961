import { describe, expect, it } from 'vitest';
import { createSubscriptionOutbox } from './subscription-outbox.ts';

/** An outbox over a fake socket whose writes complete only when the test says so. */
function outboxWithManualWrites(options: { maxPending?: number; onOverflow?: () => void; onReturn?: () => void } = {}) {
  const written: number[] = [];
  const unacked: (() => void)[] = [];
  const outbox = createSubscriptionOutbox<number>({
    write(value, done) {
      written.push(value);
      unacked.push(done);
    },
    maxPending: options.maxPending ?? 10,
    onOverflow: options.onOverflow ?? (() => {}),
    onReturn: options.onReturn,
  });
  const ackNext = () => unacked.shift()!();
  return { outbox, written, ackNext };
}

describe('subscription outbox (direct writes, coalescing behind a slow socket)', () => {
  it('writes nothing before graphql-ws iterates, then writes straight away, one write in flight at a time', () => {
    const { outbox, written, ackNext } = outboxWithManualWrites();
    outbox.push('a', 1);
    expect(written).toEqual([]);
    void outbox.next(); // graphql-ws starts iterating: the subscription is registered
    expect(written).toEqual([1]);
    outbox.push('b', 2);
    expect(written).toEqual([1]);
    ackNext();
    expect(written).toEqual([1, 2]);
    ackNext();
    outbox.push('c', 3);
    expect(written).toEqual([1, 2, 3]);
  });

  it('keeps only the latest value per key while a write is in flight, in order of latest change', () => {
    const { outbox, written, ackNext } = outboxWithManualWrites();
    void outbox.next();
    outbox.push('x', 0);
    outbox.push('a', 1);
    outbox.push('b', 2);
    outbox.push('a', 3);
    expect(outbox.pending).toBe(2);
    ackNext();
    ackNext();
    expect(written).toEqual([0, 2, 3]);
  });

  it('overflows once past maxPending distinct keys, drops everything and ends', async () => {
    let overflows = 0;
    const { outbox, written, ackNext } = outboxWithManualWrites({ maxPending: 2, onOverflow: () => (overflows += 1) });
    const ended = outbox.next();
    outbox.push('x', 0);
    outbox.push('a', 1);
    outbox.push('b', 2);
    expect(outbox.push('c', 3)).toBe(false);
    expect(outbox.push('d', 4)).toBe(false);
    expect(overflows).toBe(1);
    expect(outbox.pending).toBe(0);
    ackNext();
    expect(await ended).toEqual({ value: undefined, done: true });
    expect(written).toEqual([0]);
  });

  it('end() writes what is queued, then ends the iteration (graphql-ws sends complete) and runs onReturn once', async () => {
    let returned = 0;
    const { outbox, written, ackNext } = outboxWithManualWrites({ onReturn: () => (returned += 1) });
    const ended = outbox.next();
    outbox.push('a', 1);
    outbox.push('b', 2);
    outbox.end();
    expect(outbox.push('c', 3)).toBe(false);
    let done = false;
    void ended.then(() => (done = true));
    ackNext();
    await Promise.resolve();
    expect(done).toBe(false);
    ackNext();
    expect(await ended).toEqual({ value: undefined, done: true });
    expect(written).toEqual([1, 2]);
    await outbox.return();
    expect(returned).toBe(1);
  });

  it('return() (the client completed, or the socket closed) stops writing at once', async () => {
    const { outbox, written, ackNext } = outboxWithManualWrites();
    void outbox.next();
    outbox.push('a', 1);
    outbox.push('b', 2);
    await outbox.return();
    ackNext();
    expect(outbox.push('c', 3)).toBe(false);
    expect(written).toEqual([1]);
  });
});
