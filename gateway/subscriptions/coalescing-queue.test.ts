import { describe, expect, it } from 'vitest';
import { createCoalescingQueue } from './coalescing-queue.ts';

describe('coalescing queue (slow subscriber outbox)', () => {
  it('hands a value straight to a waiting reader', async () => {
    const queue = createCoalescingQueue<number>({ maxPending: 2, onOverflow: () => {} });
    const next = queue.next();
    queue.push('a', 1);
    expect(await next).toEqual({ value: 1, done: false });
  });

  it('keeps only the latest value per key while the reader is behind, in order of latest change', async () => {
    const queue = createCoalescingQueue<number>({ maxPending: 10, onOverflow: () => {} });
    queue.push('a', 1);
    queue.push('b', 2);
    queue.push('a', 3);
    expect(queue.pending).toBe(2);
    expect([(await queue.next()).value, (await queue.next()).value]).toEqual([2, 3]);
  });

  it('overflows once past maxPending distinct keys, drops everything and ends', async () => {
    let overflows = 0;
    const queue = createCoalescingQueue<number>({ maxPending: 2, onOverflow: () => (overflows += 1) });
    queue.push('a', 1);
    queue.push('b', 2);
    expect(queue.push('c', 3)).toBe(false);
    expect(queue.push('d', 4)).toBe(false);
    expect(overflows).toBe(1);
    expect(queue.pending).toBe(0);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });

  it('end() drains what is queued, then reports done and runs onReturn once', async () => {
    let returned = 0;
    const queue = createCoalescingQueue<number>({ maxPending: 5, onOverflow: () => {}, onReturn: () => (returned += 1) });
    queue.push('a', 1);
    queue.end();
    expect(queue.push('b', 2)).toBe(false);
    expect(await queue.next()).toEqual({ value: 1, done: false });
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    await queue.return();
    expect(returned).toBe(1);
  });
});
