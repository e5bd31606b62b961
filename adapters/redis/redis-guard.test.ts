import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { guardOf, toRedisError } from './redis-guard.ts';

/** Just what the guard reads of a client: its connection status. */
const fakeClient = (status: string) => ({ status }) as unknown as Redis;
const timedOut = () => Promise.reject(new Error('Command timed out'));

describe('the Redis guard (issue 12: Redis fails fast)', () => {
  it('refuses every call at once while the client is not connected, without running it', async () => {
    const client = fakeClient('reconnecting');
    let ran = 0;
    // "At once": refused before the event loop turns even once (no timer, no I/O, no wait for a reconnect) —
    // asserted by order, not by a clock, so a loaded machine cannot fail it.
    const call = guardOf(client).call('cache.getMany', async () => ++ran);
    const first = await Promise.race([call.then(() => 'answered', () => 'refused'), new Promise((resolve) => setImmediate(() => resolve('waited')))]);
    expect(first).toBe('refused');
    await expect(call).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', errorClass: 'transient' });
    expect(ran).toBe(0);
    expect(guardOf(client).stats()).toMatchObject({ state: 'down', refused: 1 });
  });

  it('opens after repeated timeouts, refuses meanwhile, lets one probe through after openMs, and closes on success', async () => {
    let now = 0;
    const client = fakeClient('ready');
    const guard = guardOf(client, { failures: 2, openMs: 1_000, now: () => now });
    for (let i = 0; i < 2; i += 1) await expect(guard.call('x', timedOut)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(guard.stats()).toMatchObject({ state: 'down', breaker: 'open' });
    let ran = 0;
    await expect(guard.call('x', async () => ++ran)).rejects.toThrow(/breaker open/);
    expect(ran).toBe(0);
    now += 1_000;
    expect(guard.stats().breaker).toBe('half-open');
    expect(await guard.call('x', async () => ++ran)).toBe(1);
    expect(guard.stats()).toMatchObject({ state: 'up', breaker: 'closed', failed: 2 });
  });

  it('keeps a bug (a script error) apart from an outage: STORE_FAILURE, and it does not open the breaker', async () => {
    const guard = guardOf(fakeClient('ready'), { failures: 1 });
    await expect(guard.call('ratelimit.take', () => Promise.reject(new Error('ERR Error running script')))).rejects.toMatchObject({ code: 'STORE_FAILURE' });
    expect(guard.stats().breaker).toBe('closed');
    expect(toRedisError('x', new Error("Stream isn't writeable and enableOfflineQueue options is false")).code).toBe('STORE_UNAVAILABLE');
  });
});
