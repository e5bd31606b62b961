import { describe, expect, it } from 'vitest';
import { createRequestWindow } from './request-window.ts';

describe('request window (a supplier\'s published limit)', () => {
  it('admits `limit` requests in any window of `perSeconds`, refusing and counting the rest', () => {
    let t = 0;
    const window = createRequestWindow({ limit: 3, perSeconds: 10 }, () => t);
    expect([window.admit(), window.admit()].every((d) => d.admitted)).toBe(true);
    t = 4_000;
    expect(window.admit().admitted).toBe(true);
    // Three in (−6 s, 4 s]: the fourth waits until the first leaves the window at 10 s.
    expect(window.admit()).toEqual({ admitted: false, retryAfterSeconds: 6 });
    t = 9_999;
    expect(window.admit().admitted).toBe(false);
    t = 10_000;
    expect(window.admit().admitted).toBe(true); // the two at 0 s left; one slot was taken now
    expect(window.admit().admitted).toBe(true);
    expect(window.admit()).toEqual({ admitted: false, retryAfterSeconds: 4 });
    expect(window.overLimit()).toBe(3);
    window.resetCount();
    expect(window.overLimit()).toBe(0);
  });

  it('refused requests do not extend the wait; Retry-After is at least one second', () => {
    let t = 0;
    const window = createRequestWindow({ limit: 1, perSeconds: 1 }, () => t);
    expect(window.admit().admitted).toBe(true);
    t = 999;
    expect(window.admit()).toEqual({ admitted: false, retryAfterSeconds: 1 });
    t = 1_000;
    expect(window.admit().admitted).toBe(true);
  });

  it('admits everything without a limit, and rejects a nonsensical one', () => {
    const open = createRequestWindow(undefined);
    for (let i = 0; i < 1_000; i += 1) expect(open.admit().admitted).toBe(true);
    expect(open.overLimit()).toBe(0);
    expect(() => createRequestWindow({ limit: 0, perSeconds: 1 })).toThrow(/limit/);
    expect(() => createRequestWindow({ limit: 2.5, perSeconds: 1 })).toThrow(/limit/);
  });
});
