import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBatchWindow } from './batch-window.ts';

/** A caller's queue over a batch window, recording each flush's batch; `gate` holds a flush open until released. */
function queue(windowMs = () => 25) {
  const pending: string[] = [];
  const batches: string[][] = [];
  let active = 0;
  let most = 0;
  let gate: Promise<void> | null = null;
  let fail = false;
  const window = createBatchWindow({
    hasPending: () => pending.length > 0,
    windowMs,
    async flush() {
      active += 1;
      most = Math.max(most, active);
      batches.push(pending.splice(0));
      await gate;
      active -= 1;
      if (fail) throw new Error('flush failed');
    },
  });
  return {
    window,
    batches,
    most: () => most,
    add(...items: string[]) {
      pending.push(...items);
      window.schedule();
    },
    hold() {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = null;
        release();
      };
    },
    failing() {
      fail = true;
    },
  };
}

describe('batch window', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('flushes what arrives within one window together, and settles after', async () => {
    const q = queue();
    q.add('a');
    await vi.advanceTimersByTimeAsync(10);
    q.add('b', 'c');
    expect(q.batches).toEqual([]);
    let settled = false;
    void q.window.settled().then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(15);
    expect(q.batches).toEqual([['a', 'b', 'c']]);
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(true);
    await expect(q.window.settled()).resolves.toBeUndefined();
  });

  it('never schedules with nothing pending: settled() is immediate', async () => {
    const q = queue();
    q.window.schedule();
    await q.window.settled();
    await vi.advanceTimersByTimeAsync(100);
    expect(q.batches).toEqual([]);
  });

  it('queues what arrives during a flush for the next window, one flush at a time', async () => {
    const q = queue();
    const release = q.hold();
    q.add('a');
    await vi.advanceTimersByTimeAsync(25);
    q.add('b');
    q.add('c');
    await vi.advanceTimersByTimeAsync(100);
    expect(q.batches).toEqual([['a']]);
    release();
    await vi.advanceTimersByTimeAsync(25);
    expect(q.batches).toEqual([['a'], ['b', 'c']]);
    expect(q.most()).toBe(1);
    await q.window.settled();
  });

  it('reads the window at each schedule (a caller widens it during a burst)', async () => {
    let ms = 25;
    const q = queue(() => ms);
    q.add('a');
    await vi.advanceTimersByTimeAsync(25);
    ms = 250;
    q.add('b');
    await vi.advanceTimersByTimeAsync(200);
    expect(q.batches).toEqual([['a']]);
    await vi.advanceTimersByTimeAsync(50);
    expect(q.batches).toEqual([['a'], ['b']]);
  });

  it('keeps going after a flush that rejects', async () => {
    const q = queue();
    q.failing();
    q.add('a');
    await vi.advanceTimersByTimeAsync(25);
    q.add('b');
    await vi.advanceTimersByTimeAsync(25);
    expect(q.batches).toEqual([['a'], ['b']]);
    await q.window.settled();
  });

  it('close() drops a waiting window, waits for the running flush, and wakes every settled()', async () => {
    const q = queue();
    const release = q.hold();
    q.add('a');
    await vi.advanceTimersByTimeAsync(25);
    q.add('b'); // waits for the next window: close drops it
    const settled = q.window.settled();
    let closed = false;
    const closing = q.window.close().then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(closed).toBe(false);
    release();
    await closing;
    await settled;
    expect(q.window.closed).toBe(true);
    q.add('c');
    await vi.advanceTimersByTimeAsync(100);
    expect(q.batches).toEqual([['a']]);
  });
});
