import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Lane } from '../connector.ts';
import { createConcurrencyLimiter } from './concurrency-limiter.ts';

const never = new AbortController().signal;
const slot = (limiter: ReturnType<typeof createConcurrencyLimiter>, lane: Lane, maxWaitMs = 60_000, signal = never) =>
  limiter.acquire({ operation: 'getStock', lane, signal, maxWaitMs });

describe('createConcurrencyLimiter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('caps calls in flight and hands a freed slot on', async () => {
    const limiter = createConcurrencyLimiter({ supplier: 'acme', maxConcurrent: 2 });
    const a = await slot(limiter, 'order');
    await slot(limiter, 'order');
    let third = false;
    const waiting = slot(limiter, 'order').then((release) => ((third = true), release));
    await vi.advanceTimersByTimeAsync(0);
    expect(third).toBe(false);
    expect(limiter.inFlight()).toBe(2);
    a();
    a(); // releasing twice frees one slot only
    await waiting;
    expect(third).toBe(true);
    expect(limiter.inFlight()).toBe(2);
    expect(limiter.queued()).toBe(0);
  });

  it('gives freed slots to order, then interactive, then sync waiters', async () => {
    const limiter = createConcurrencyLimiter({ supplier: 'acme', maxConcurrent: 1, laneLimits: { sync: 1 } });
    const held = await slot(limiter, 'order');
    const served: string[] = [];
    const wait = (lane: Lane, name: string) => slot(limiter, lane).then((release) => {
      served.push(name);
      release();
    });
    const all = [wait('sync', 'sync-1'), wait('interactive', 'live-1'), wait('sync', 'sync-2'), wait('order', 'order'), wait('interactive', 'live-2')];
    held();
    await Promise.all(all);
    expect(served).toEqual(['order', 'live-1', 'live-2', 'sync-1', 'sync-2']);
  });

  it('keeps a slot free of sync traffic by default', async () => {
    const limiter = createConcurrencyLimiter({ supplier: 'acme', maxConcurrent: 3 });
    await slot(limiter, 'sync');
    await slot(limiter, 'sync');
    const third = slot(limiter, 'sync', 100).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await third).toMatchObject({ code: 'RATE_LIMITED_LOCALLY', details: { limit: 'concurrency' } });
    await expect(slot(limiter, 'order', 0)).resolves.toBeTypeOf('function');
  });

  it('gives up after maxWaitMs, or when the caller aborts', async () => {
    const limiter = createConcurrencyLimiter({ supplier: 'acme', maxConcurrent: 1 });
    await slot(limiter, 'order');
    const timedOut = slot(limiter, 'order', 500).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(500);
    expect(await timedOut).toMatchObject({ code: 'RATE_LIMITED_LOCALLY', errorClass: 'transient' });
    const controller = new AbortController();
    const aborted = slot(limiter, 'order', 60_000, controller.signal).catch((e: unknown) => e);
    controller.abort();
    expect(await aborted).toMatchObject({ code: 'CALL_ABORTED' });
    expect(limiter.queued()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses a cap below one', () => {
    expect(() => createConcurrencyLimiter({ supplier: 'acme', maxConcurrent: 0 })).toThrow(expect.objectContaining({ code: 'MISCONFIGURED' }));
  });
});
